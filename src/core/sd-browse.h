/* sd-browse.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

/* The card browser's columns; each sorts in SQL. */
typedef enum
{
  SD_BROWSE_COLUMN_CREATED,      /* card (note) id: creation order */
  SD_BROWSE_COLUMN_SORT_FIELD,
  SD_BROWSE_COLUMN_DECK,
  SD_BROWSE_COLUMN_DUE,
  SD_BROWSE_COLUMN_INTERVAL,
  SD_BROWSE_COLUMN_EASE,         /* ease, or FSRS difficulty where a card has one */
  SD_BROWSE_COLUMN_REVIEWS,
  SD_BROWSE_COLUMN_LAPSES,
  SD_BROWSE_COLUMN_MODIFIED,
  SD_BROWSE_COLUMN_NOTETYPE,
  SD_BROWSE_COLUMN_TEMPLATE,     /* notes mode: the number of cards */
} SdBrowseColumn;

/* One line of the browser. In notes mode card_id is 0 and the card columns
 * sum up the note's cards as Anki does: the earliest due date, average
 * interval and ease, total reviews and lapses. */
typedef struct
{
  gint64    card_id;
  gint64    note_id;
  char     *sort_field;
  char     *deck;            /* "A::B"; notes mode: "(N)" for cards in N decks */
  int       type;            /* SdCardType; notes mode: of the first card */
  int       queue;           /* SdCardQueue; likewise */
  gint64    due;             /* as stored: position, epoch seconds or day number */
  char     *due_text;        /* as the browser shows it: "2026-03-02", "New #12",
                              * "(2026-03-02)" when suspended or buried */
  char     *due_date;        /* "YYYY-MM-DD" for review and learning cards, else NULL */
  gint64    due_sort;        /* the value the due column sorts by */
  int       interval;        /* days */
  char     *interval_text;
  gboolean  fsrs;            /* ease holds FSRS difficulty, 0 to 1 */
  double    ease;            /* 2.5 for 250 %, or difficulty */
  char     *ease_text;
  int       reviews;
  int       lapses;
  gint64    modified;        /* epoch seconds: the card's, or in notes mode the note's */
  char     *modified_text;   /* "YYYY-MM-DD" */
  char     *notetype;
  char     *template_name;   /* notes mode: the number of cards */
  char     *tags;            /* space-separated */
  guint     n_cards;
  int       flags;           /* the flag, 0 (none) to 7; notes mode: of the first card */
} SdBrowseRow;

/* What a bulk action changed, to put back. */
typedef struct _SdBrowseUndo SdBrowseUndo;

typedef enum
{
  SD_BROWSE_FORGET_DEFAULT = 0,
  SD_BROWSE_FORGET_RESTORE_POSITION = 1 << 0,  /* back to the card's first new position */
  SD_BROWSE_FORGET_RESET_COUNTS = 1 << 1,      /* reviews and lapses back to 0 */
  SD_BROWSE_FORGET_DELETE_HISTORY = 1 << 2,    /* delete the review log too */
} SdBrowseForgetFlags;

GArray        *sd_browse_cards            (SdCollection         *collection,
                                           const char           *query,
                                           SdBrowseColumn        sort_column,
                                           gboolean              ascending,
                                           GError              **error);
GArray        *sd_browse_notes            (SdCollection         *collection,
                                           const char           *query,
                                           SdBrowseColumn        sort_column,
                                           gboolean              ascending,
                                           GError              **error);
gboolean       sd_browse_card_row         (SdCollection         *collection,
                                           gint64                card_id,
                                           SdBrowseRow          *row,
                                           GError              **error);
gboolean       sd_browse_note_row         (SdCollection         *collection,
                                           gint64                note_id,
                                           SdBrowseRow          *row,
                                           GError              **error);
GPtrArray     *sd_browse_card_rows        (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           GError              **error);
GArray        *sd_browse_cards_of_notes   (SdCollection         *collection,
                                           const gint64         *note_ids,
                                           gsize                 n_ids,
                                           GError              **error);
SdBrowseRow   *sd_browse_row_copy         (const SdBrowseRow    *row);
void           sd_browse_row_clear        (SdBrowseRow          *row);
void           sd_browse_row_free         (SdBrowseRow          *row);

SdBrowseUndo  *sd_browse_set_deck         (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           gint64                deck_id,
                                           GError              **error);
SdBrowseUndo  *sd_browse_add_tags         (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           const char           *tags,
                                           GError              **error);
SdBrowseUndo  *sd_browse_remove_tags      (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           const char           *tags,
                                           GError              **error);
SdBrowseUndo  *sd_browse_set_suspended    (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           gboolean              suspended,
                                           GError              **error);
SdBrowseUndo  *sd_browse_set_flag         (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           int                   flag,
                                           GError              **error);
SdBrowseUndo  *sd_browse_forget           (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           SdBrowseForgetFlags   flags,
                                           GError              **error);
SdBrowseUndo  *sd_browse_set_due_date     (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           const char           *days,
                                           GError              **error);
SdBrowseUndo  *sd_browse_delete_cards     (SdCollection         *collection,
                                           const gint64         *card_ids,
                                           gsize                 n_ids,
                                           GError              **error);

gboolean       sd_browse_undo             (SdCollection         *collection,
                                           SdBrowseUndo         *undo,
                                           GError              **error);
const char    *sd_browse_undo_get_label   (SdBrowseUndo         *undo);
guint          sd_browse_undo_get_n_cards (SdBrowseUndo         *undo);
guint          sd_browse_undo_get_n_notes (SdBrowseUndo         *undo);
void           sd_browse_undo_free        (SdBrowseUndo         *undo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdBrowseUndo, sd_browse_undo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdBrowseRow, sd_browse_row_free)

G_END_DECLS
