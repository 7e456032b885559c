/* sd-cmark-arena.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <cmark.h>

G_BEGIN_DECLS

/* Memory for cmark parses that is let go of all at once. */
typedef struct _SdCmarkArena SdCmarkArena;

/* Makes a new arena the calling thread's current one; @size_hint: the
 * source's length (a parse takes some ten times that). One at a time per
 * thread. */
SdCmarkArena *sd_cmark_arena_push  (gsize         size_hint);

/* Parses in the thread's current arena. The tree must not be freed, nor
 * used after sd_cmark_arena_pop(). */
cmark_node   *sd_cmark_arena_parse (const char   *text,
                                    gsize         length,
                                    int           options);

/* Frees every tree parsed since sd_cmark_arena_push() and @arena. */
void          sd_cmark_arena_pop   (SdCmarkArena *arena);

G_END_DECLS
