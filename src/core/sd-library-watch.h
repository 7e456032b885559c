/* sd-library-watch.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_LIBRARY_WATCH (sd_library_watch_get_type ())
G_DECLARE_FINAL_TYPE (SdLibraryWatch, sd_library_watch, SD, LIBRARY_WATCH, GObject)

SdLibraryWatch *sd_library_watch_new              (SdCollection   *collection);
void            sd_library_watch_reload           (SdLibraryWatch *self);
gboolean        sd_library_watch_needs_polling    (SdLibraryWatch *self);
guint           sd_library_watch_get_n_monitors   (SdLibraryWatch *self);
gboolean        sd_library_path_is_watchable      (const char     *path);

G_END_DECLS
