/* sd-window.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-application.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())
G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow     *sd_window_new              (SdApplication *application,
                                          SdCollection  *collection,
                                          const GError  *open_error);
SdCollection *sd_window_get_collection   (SdWindow      *self);
void          sd_window_open_file        (SdWindow      *self,
                                          GFile         *file);
void          sd_window_import_file      (SdWindow      *self,
                                          GFile         *file);
gboolean      sd_window_is_importing     (SdWindow      *self);
void          sd_window_edit_note        (SdWindow      *self,
                                          gint64         note_id);
gboolean      sd_window_get_stacked      (SdWindow      *self);
void          sd_window_show_toast       (SdWindow      *self,
                                          const char    *message);
GtkWidget    *sd_window_get_notes_pane   (SdWindow      *self);
GtkWidget    *sd_window_get_review_pane  (SdWindow      *self);
GtkWidget    *sd_window_get_deck_list    (SdWindow      *self);
GtkWidget    *sd_window_get_notes_list   (SdWindow      *self);

G_END_DECLS
