/* sd-scheduler.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-card.h"
#include "sd-collection.h"

G_BEGIN_DECLS

/* Intraday learning cards due within this many seconds are shown now when
 * nothing else is left, as Anki's "learn ahead limit" does. */
#define SD_SCHEDULER_LEARN_AHEAD 1200

typedef struct
{
  int new_count;
  int learn_count;
  int review_count;
} SdDueCounts;

/* What answering with one rating would do. */
typedef struct
{
  int          rating;
  SdCardType   type;
  SdCardQueue  queue;
  gint64       due;            /* as stored: seconds, day number or position */
  gint64       due_time;       /* epoch seconds when the card comes back */
  int          interval;       /* days, 0 while learning */
  double       stability;
  double       difficulty;
  int          step;
} SdAnswerPreview;

#define SD_TYPE_SCHEDULER (sd_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (SdScheduler, sd_scheduler, SD, SCHEDULER, GObject)

gboolean     sd_scheduler_due_counts      (SdCollection     *collection,
                                           gint64            deck_id,
                                           SdDueCounts      *counts,
                                           GError          **error);

SdScheduler *sd_scheduler_new             (SdCollection     *collection,
                                           gint64            deck_id,
                                           GError          **error);
SdScheduler *sd_scheduler_new_for_cards   (SdCollection     *collection,
                                           GArray           *card_ids,
                                           GError          **error);
gint64       sd_scheduler_get_deck_id     (SdScheduler      *self);
gint64       sd_scheduler_get_today       (SdScheduler      *self);
gboolean     sd_scheduler_rebuild         (SdScheduler      *self,
                                           GError          **error);
SdCard      *sd_scheduler_next_card       (SdScheduler      *self,
                                           GError          **error);
gboolean     sd_scheduler_get_counts      (SdScheduler      *self,
                                           SdDueCounts      *counts,
                                           GError          **error);
gint64       sd_scheduler_next_due_time   (SdScheduler      *self);
gboolean     sd_scheduler_preview         (SdScheduler      *self,
                                           const SdCard     *card,
                                           SdAnswerPreview   previews[4],
                                           GError          **error);
gboolean     sd_scheduler_answer          (SdScheduler      *self,
                                           gint64            card_id,
                                           int               rating,
                                           guint             duration_ms,
                                           GError          **error);
gboolean     sd_scheduler_can_undo        (SdScheduler      *self);
gint64       sd_scheduler_undo            (SdScheduler      *self,
                                           GError          **error);
gboolean     sd_scheduler_bury_card       (SdScheduler      *self,
                                           gint64            card_id,
                                           GError          **error);
gboolean     sd_scheduler_suspend_card    (SdScheduler      *self,
                                           gint64            card_id,
                                           GError          **error);
gboolean     sd_scheduler_set_flag        (SdScheduler      *self,
                                           gint64            card_id,
                                           int               flag,
                                           GError          **error);
char        *sd_scheduler_format_interval (gint64            seconds);

G_END_DECLS
