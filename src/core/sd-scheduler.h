/* sd-scheduler.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

/* Intraday learning cards due within this many seconds are shown now, as
 * Anki's "learn ahead limit" does. */
#define SD_SCHEDULER_LEARN_AHEAD 1200

typedef struct
{
  int new_count;
  int learn_count;
  int review_count;
} SdDueCounts;

gboolean sd_scheduler_due_counts (SdCollection  *collection,
                                  gint64         deck_id,
                                  SdDueCounts   *counts,
                                  GError       **error);

G_END_DECLS
