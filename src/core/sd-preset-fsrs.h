/* sd-preset-fsrs.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"
#include "sd-fsrs.h"
#include "sd-fsrs-optimizer.h"

G_BEGIN_DECLS

/* FSRS for an options preset: fitting its parameters to the review history
 * of the decks that use it, and what a desired retention costs. */

typedef struct
{
  gsize         n_items;
  SdFsrsParams  current;
  SdFsrsMetrics current_metrics;
  SdFsrsParams  fitted;
  SdFsrsMetrics fitted_metrics;
  gboolean      trained;      /* enough history for a real fit */
} SdPresetFit;

void         sd_preset_fit_async          (SdCollection         *collection,
                                           gint64                preset_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
SdPresetFit *sd_preset_fit_finish         (SdCollection         *collection,
                                           GAsyncResult         *result,
                                           GError              **error);
SdPresetFit *sd_preset_fit                (SdCollection         *collection,
                                           gint64                preset_id,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     sd_preset_apply_params       (SdCollection         *collection,
                                           gint64                preset_id,
                                           const SdFsrsParams   *params,
                                           GError              **error);
double       sd_preset_estimate_workload  (SdCollection         *collection,
                                           gint64                preset_id,
                                           double                desired_retention,
                                           GError              **error);

G_END_DECLS
