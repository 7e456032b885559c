/* sd-collection-private.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "sd-collection.h"
#include "sd-autocleanups.h"

G_BEGIN_DECLS

typedef struct
{
  int         version;
  const char *sql;
  gboolean  (*apply) (SdCollection *self, GError **error);
} SdMigration;

extern const SdMigration sd_collection_migrations[];
extern const guint sd_collection_n_migrations;

sqlite3      *sd_collection_get_db      (SdCollection  *self);
sqlite3_stmt *sd_collection_prepare     (SdCollection  *self,
                                         const char    *sql,
                                         GError       **error);
gboolean      sd_collection_exec        (SdCollection  *self,
                                         const char    *sql,
                                         GError       **error);
gboolean      sd_collection_step_done   (SdCollection  *self,
                                         sqlite3_stmt  *stmt,
                                         GError       **error);
gboolean      sd_collection_append_ids  (SdCollection  *self,
                                         sqlite3_stmt  *stmt,
                                         GArray        *ids,
                                         GError       **error);
gboolean      sd_collection_set_error   (SdCollection  *self,
                                         GError       **error);
gint64        sd_collection_new_id      (SdCollection  *self,
                                         const char    *table);
void          sd_collection_touch       (SdCollection  *self);
gint64        sd_collection_scalar      (SdCollection  *self,
                                         const char    *sql,
                                         gint64         fallback);

/* Column text as a newly allocated string, never NULL. */
static inline char *
sd_column_dup (sqlite3_stmt *stmt,
               int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);
  return g_strdup (text ? (const char *) text : "");
}

static inline void
sd_bind_text (sqlite3_stmt *stmt,
              int           col,
              const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
}

G_END_DECLS
