/* sd-autocleanups.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>
#include <cmark.h>

G_BEGIN_DECLS

/* sqlite3_finalize() and sqlite3_close_v2() both accept NULL and return a
 * status we have nothing to do with at scope exit. */
static inline void
sd_sqlite3_stmt_finalize (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

static inline void
sd_sqlite3_close (sqlite3 *db)
{
  sqlite3_close_v2 (db);
}

static inline void
sd_cmark_node_free (cmark_node *node)
{
  cmark_node_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sd_sqlite3_stmt_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sd_sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cmark_node, sd_cmark_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cmark_iter, cmark_iter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cmark_parser, cmark_parser_free)

G_END_DECLS
