/* sd-browser-window.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-browse.h"
#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_BROWSER_WINDOW (sd_browser_window_get_type ())
G_DECLARE_FINAL_TYPE (SdBrowserWindow, sd_browser_window, SD, BROWSER_WINDOW, AdwApplicationWindow)

SdBrowserWindow   *sd_browser_window_new            (GtkApplication  *app,
                                                     SdCollection    *collection,
                                                     GSettings       *settings);
SdCollection      *sd_browser_window_get_collection (SdBrowserWindow *self);
void               sd_browser_window_set_search     (SdBrowserWindow *self,
                                                     const char      *query);
const char        *sd_browser_window_get_search     (SdBrowserWindow *self);
const char        *sd_browser_window_get_error      (SdBrowserWindow *self);
void               sd_browser_window_set_notes_mode (SdBrowserWindow *self,
                                                     gboolean         notes);
gboolean           sd_browser_window_get_notes_mode (SdBrowserWindow *self);
void               sd_browser_window_sort_by        (SdBrowserWindow *self,
                                                     SdBrowseColumn   column,
                                                     gboolean         ascending);
SdBrowseColumn     sd_browser_window_get_sort_column (SdBrowserWindow *self,
                                                     gboolean        *ascending);
guint              sd_browser_window_get_n_rows     (SdBrowserWindow *self);
gint64             sd_browser_window_get_row_id     (SdBrowserWindow *self,
                                                     guint            position);
GtkSelectionModel *sd_browser_window_get_selection  (SdBrowserWindow *self);
void               sd_browser_window_select_ids     (SdBrowserWindow *self,
                                                     const gint64    *ids,
                                                     gsize            n_ids);
guint              sd_browser_window_get_n_undo     (SdBrowserWindow *self);
GtkColumnView     *sd_browser_window_get_column_view (SdBrowserWindow *self);

G_END_DECLS
