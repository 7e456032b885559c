/* sd-note-cards.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-card.h"
#include "sd-card-syntax.h"
#include "sd-collection.h"

G_BEGIN_DECLS

/* Cards written inside notes, kept in the collection.
 *
 * Every card a note file holds (see sd-card-syntax.h) is one note of the
 * stock Basic, Basic (and reversed card) or Cloze type, whose cards live in
 * the deck the file names. The note remembers where its card is written (an
 * anchor: file, heading path, lines, block id) and keeps its identity, with
 * its cards' schedules and review log, when the text is corrected, lines are
 * inserted above it, its heading is renamed, or the file is renamed or moved
 * inside the library. A card whose text is gone is retired (kept, never
 * studied) and comes back with its history when the text returns.
 *
 * Matching a file's cards with the notes it had: an equal explicit ^block-id
 * first, then equal normalised text, then similar text (the better of token
 * Jaccard and character-trigram Dice, at least 0.6), each time best first,
 * with the heading path and the order in the file breaking ties. Candidates
 * are the file's own notes (live and retired), those of a file that was at
 * the same path before, and those of files that no longer exist on disk and
 * share a card with it (a rename or move). Nothing is ever written into the
 * note files. */

typedef struct
{
  gint64            card_id;
  gint64            note_id;
  int               ord;
  gint64            file_id;
  char             *path;         /* the note file, absolute */
  GStrv             heading;      /* outermost first */
  int               line_start;   /* 1-based, in the whole file */
  int               line_end;
  char             *block_id;     /* or NULL */
  SdCardSyntaxKind  kind;
  gboolean          retired;
  SdCardType        type;
  SdCardQueue       queue;
  gint64            due;          /* as stored: position, day number or seconds */
  gint64            due_time;     /* epoch seconds it is due, 0 for a new card */
} SdNoteCardAnchor;

void                  sd_note_card_anchor_free        (SdNoteCardAnchor     *anchor);

SdCardSyntaxSettings *sd_note_cards_get_settings      (SdCollection         *collection);
gboolean              sd_note_cards_set_settings      (SdCollection         *collection,
                                                       const SdCardSyntaxSettings *settings,
                                                       GError              **error);
char                 *sd_note_cards_default_deck      (SdCollection         *collection,
                                                       gint64                file_id);

gboolean              sd_note_cards_sync_file         (SdCollection         *collection,
                                                       gint64                file_id,
                                                       const char           *text,
                                                       GError              **error);
gboolean              sd_note_cards_sync_all          (SdCollection         *collection,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void                  sd_note_cards_apply_settings_async  (SdCollection               *collection,
                                                           const SdCardSyntaxSettings *settings,
                                                           GCancellable               *cancellable,
                                                           GAsyncReadyCallback         callback,
                                                           gpointer                    user_data);
gboolean              sd_note_cards_apply_settings_finish (SdCollection               *collection,
                                                           GAsyncResult               *result,
                                                           GError                    **error);

SdNoteCardAnchor     *sd_note_cards_anchor_for_card   (SdCollection         *collection,
                                                       gint64                card_id,
                                                       GError              **error);
GPtrArray            *sd_note_cards_for_file          (SdCollection         *collection,
                                                       gint64                file_id,
                                                       GError              **error);
GArray               *sd_note_cards_card_ids_for_file (SdCollection         *collection,
                                                       gint64                file_id,
                                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNoteCardAnchor, sd_note_card_anchor_free)

G_END_DECLS
