/* sd-notetypes-window.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-card-view.h"
#include "sd-collection.h"
#include "sd-notetype.h"

G_BEGIN_DECLS

/* The three editors of the Templates page. */
typedef enum
{
  SD_NOTETYPES_EDITOR_FRONT,
  SD_NOTETYPES_EDITOR_BACK,
  SD_NOTETYPES_EDITOR_STYLING,
} SdNotetypesEditor;

#define SD_TYPE_NOTETYPES_WINDOW (sd_notetypes_window_get_type ())
G_DECLARE_FINAL_TYPE (SdNotetypesWindow, sd_notetypes_window, SD, NOTETYPES_WINDOW, AdwWindow)

SdNotetypesWindow *sd_notetypes_window_new                (GtkWindow          *parent,
                                                           SdCollection       *collection);
gboolean           sd_notetypes_window_select_notetype    (SdNotetypesWindow  *self,
                                                           gint64              notetype_id);
const SdNotetype  *sd_notetypes_window_get_notetype       (SdNotetypesWindow  *self);
gboolean           sd_notetypes_window_get_modified       (SdNotetypesWindow  *self);
void               sd_notetypes_window_select_template    (SdNotetypesWindow  *self,
                                                           guint               index);
GtkTextBuffer     *sd_notetypes_window_get_editor         (SdNotetypesWindow  *self,
                                                           SdNotetypesEditor   editor);
const char        *sd_notetypes_window_get_template_error (SdNotetypesWindow  *self);
SdCardView        *sd_notetypes_window_get_preview        (SdNotetypesWindow  *self);

G_END_DECLS
