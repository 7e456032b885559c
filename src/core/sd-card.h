/* sd-card.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"
#include "sd-note.h"
#include "sd-notetype.h"

G_BEGIN_DECLS

typedef enum
{
  SD_CARD_NEW = 0,
  SD_CARD_LEARNING = 1,
  SD_CARD_REVIEW = 2,
  SD_CARD_RELEARNING = 3,
} SdCardType;

/* Anki's queue numbers, so imports and exports map one to one. */
typedef enum
{
  SD_QUEUE_USER_BURIED = -3,
  SD_QUEUE_SIBLING_BURIED = -2,
  SD_QUEUE_SUSPENDED = -1,
  SD_QUEUE_NEW = 0,
  SD_QUEUE_LEARNING = 1,      /* due in epoch seconds */
  SD_QUEUE_REVIEW = 2,        /* due as a day number */
  SD_QUEUE_DAY_LEARNING = 3,  /* due as a day number */
} SdCardQueue;

typedef struct
{
  gint64      id;
  gint64      note_id;
  gint64      deck_id;
  int         ord;
  SdCardType  type;
  SdCardQueue queue;
  gint64      due;
  int         interval;      /* days */
  int         ease;          /* permille, kept from Anki */
  double      stability;     /* 0 when there is no memory state */
  double      difficulty;
  gint64      last_review;   /* epoch seconds, 0 if never */
  int         reps;
  int         lapses;
  int         step;
  int         flags;
  gint64      position;
  double      desired_retention;  /* 0 = the preset's */
  gint64      mtime;
  char       *anki_extra;
} SdCard;

SdCard    *sd_card_new             (gint64          note_id,
                                    gint64          deck_id,
                                    int             ord);
SdCard    *sd_card_copy            (const SdCard   *card);
void       sd_card_free            (SdCard         *card);
SdCard    *sd_card_load            (SdCollection   *collection,
                                    gint64          id,
                                    GError        **error);
GPtrArray *sd_card_list_for_note   (SdCollection   *collection,
                                    gint64          note_id,
                                    GError        **error);
gboolean   sd_card_insert          (SdCollection   *collection,
                                    SdCard         *card,
                                    GError        **error);
gboolean   sd_card_update          (SdCollection   *collection,
                                    SdCard         *card,
                                    GError        **error);
gboolean   sd_card_restore         (SdCollection   *collection,
                                    const SdCard   *card,
                                    GError        **error);
gint64     sd_card_next_position   (SdCollection   *collection);
void       sd_card_fill_defaults   (SdCollection   *collection,
                                    SdCard         *card);

GArray    *sd_card_ords_for_note   (const SdNotetype *notetype,
                                    const SdNote   *note);
gboolean   sd_card_generate        (SdCollection   *collection,
                                    const SdNote   *note,
                                    gint64          deck_id,
                                    guint          *n_added,
                                    GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCard, sd_card_free)

G_END_DECLS
