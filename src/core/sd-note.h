/* sd-note.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"
#include "sd-notetype.h"

G_BEGIN_DECLS

/* Anki joins a note's field values with the unit separator. */
#define SD_NOTE_FIELD_SEPARATOR "\x1f"

typedef struct
{
  gint64  id;
  char   *guid;
  gint64  notetype_id;
  GStrv   fields;
  GStrv   tags;
  gint64  mtime;           /* epoch seconds */
  gint64  source_file;     /* note_files id of the Markdown note it came from, or 0 */
  char   *source_heading;  /* heading path inside that note */
  char   *anki_extra;
} SdNote;

SdNote    *sd_note_new            (gint64          notetype_id,
                                   const char * const *fields);
void       sd_note_free           (SdNote         *note);
char      *sd_note_new_guid       (void);
char      *sd_note_join_tags      (const char * const *tags);
GStrv      sd_note_split_tags     (const char     *text);
SdNote    *sd_note_load           (SdCollection   *collection,
                                   gint64          id,
                                   GError        **error);
GStrv      sd_note_all_tags       (SdCollection   *collection,
                                   GError        **error);
gint64     sd_note_find_by_guid   (SdCollection   *collection,
                                   const char     *guid);
gboolean   sd_note_insert         (SdCollection   *collection,
                                   SdNote         *note,
                                   GError        **error);
gboolean   sd_note_insert_for_type (SdCollection   *collection,
                                   SdNote         *note,
                                   const SdNotetype *notetype,
                                   GError        **error);
gboolean   sd_note_update         (SdCollection   *collection,
                                   SdNote         *note,
                                   GError        **error);
gboolean   sd_note_delete         (SdCollection   *collection,
                                   gint64          id,
                                   GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNote, sd_note_free)

G_END_DECLS
