/* sd-revlog.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

/* Anki's RevlogReviewKind numbers. */
typedef enum
{
  SD_REVLOG_LEARNING = 0,
  SD_REVLOG_REVIEW = 1,
  SD_REVLOG_RELEARNING = 2,
  SD_REVLOG_FILTERED = 3,
  SD_REVLOG_MANUAL = 4,
  SD_REVLOG_RESCHEDULED = 5,
} SdRevlogKind;

typedef struct
{
  gint64       id;             /* epoch ms of the answer */
  gint64       card_id;
  int          rating;         /* 1..4, 0 for manual entries */
  SdRevlogKind kind;
  int          interval;       /* days if > 0, seconds if < 0 */
  int          last_interval;
  int          ease;
  double       stability;      /* 0 when unknown */
  double       difficulty;
  int          duration_ms;
} SdRevlogEntry;

gboolean  sd_revlog_insert        (SdCollection   *collection,
                                   SdRevlogEntry  *entry,
                                   GError        **error);
gboolean  sd_revlog_delete        (SdCollection   *collection,
                                   gint64          id,
                                   GError        **error);
GArray   *sd_revlog_list_for_card (SdCollection   *collection,
                                   gint64          card_id,
                                   GError        **error);

G_END_DECLS
