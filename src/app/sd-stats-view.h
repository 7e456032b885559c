/* sd-stats-view.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"
#include "sd-stats.h"

G_BEGIN_DECLS

#define SD_TYPE_STATS_VIEW (sd_stats_view_get_type ())
G_DECLARE_FINAL_TYPE (SdStatsView, sd_stats_view, SD, STATS_VIEW, GtkWidget)

GtkWidget     *sd_stats_view_new            (void);
void           sd_stats_view_set_collection (SdStatsView  *self,
                                             SdCollection *collection);
void           sd_stats_view_set_deck       (SdStatsView  *self,
                                             gint64        deck_id);
gint64         sd_stats_view_get_deck       (SdStatsView  *self);
void           sd_stats_view_refresh        (SdStatsView  *self);
const SdStats *sd_stats_view_get_stats      (SdStatsView  *self);
gboolean       sd_stats_view_is_busy        (SdStatsView  *self);
GtkWidget     *sd_stats_view_get_chart      (SdStatsView  *self,
                                             const char   *name);

G_END_DECLS
