/* sd-stats-window.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_STATS_WINDOW (sd_stats_window_get_type ())
G_DECLARE_FINAL_TYPE (SdStatsWindow, sd_stats_window, SD, STATS_WINDOW, AdwWindow)

SdStatsWindow *sd_stats_window_new      (GtkWindow     *parent,
                                         SdCollection  *collection,
                                         gint64         deck_id);
gint64         sd_stats_window_get_deck (SdStatsWindow *self);
void           sd_stats_window_set_deck (SdStatsWindow *self,
                                         gint64         deck_id);
GtkWidget     *sd_stats_window_get_view (SdStatsWindow *self);

G_END_DECLS
