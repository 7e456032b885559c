/* sd-preferences-window.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_PREFERENCES_WINDOW (sd_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SdPreferencesWindow, sd_preferences_window, SD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

SdPreferencesWindow *sd_preferences_window_new         (GtkWindow           *parent,
                                                        GSettings           *settings,
                                                        SdCollection        *collection);
gboolean             sd_preferences_window_is_applying (SdPreferencesWindow *self);

G_END_DECLS
