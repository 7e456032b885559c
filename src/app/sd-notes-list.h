/* sd-notes-list.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_NOTES_LIST (sd_notes_list_get_type ())
G_DECLARE_FINAL_TYPE (SdNotesList, sd_notes_list, SD, NOTES_LIST, GtkWidget)

void   sd_notes_list_set_collection (SdNotesList  *self,
                                     SdCollection *collection);
guint  sd_notes_list_get_n_notes    (SdNotesList  *self);
guint  sd_notes_list_get_n_results  (SdNotesList  *self);
void   sd_notes_list_search         (SdNotesList  *self,
                                     const char   *query);
void   sd_notes_list_focus_search   (SdNotesList  *self);
void   sd_notes_list_show_path      (SdNotesList  *self,
                                     const char   *path);
const char *sd_notes_list_get_selected_path (SdNotesList *self);

G_END_DECLS
