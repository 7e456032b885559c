/* sd-notes-pane.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"
#include "sd-rich-view.h"

G_BEGIN_DECLS

#define SD_TYPE_NOTES_PANE (sd_notes_pane_get_type ())
G_DECLARE_FINAL_TYPE (SdNotesPane, sd_notes_pane, SD, NOTES_PANE, GtkWidget)

void        sd_notes_pane_set_collection (SdNotesPane  *self,
                                          SdCollection *collection);
void        sd_notes_pane_open           (SdNotesPane  *self,
                                          const char   *path);
void        sd_notes_pane_open_at_line   (SdNotesPane  *self,
                                          const char   *path,
                                          int           line);
gboolean    sd_notes_pane_show_card      (SdNotesPane  *self,
                                          gint64        card_id);
guint       sd_notes_pane_get_n_cards    (SdNotesPane  *self);
const char *sd_notes_pane_get_path       (SdNotesPane  *self);
const char *sd_notes_pane_get_title      (SdNotesPane  *self);
const char *sd_notes_pane_get_page       (SdNotesPane  *self);
SdRichView *sd_notes_pane_get_view      (SdNotesPane  *self);
void        sd_notes_pane_set_conceal_card (SdNotesPane *self,
                                            gboolean     conceal);
gboolean    sd_notes_pane_get_conceal_card (SdNotesPane *self);
GtkTextBuffer *sd_notes_pane_get_source_buffer (SdNotesPane *self);

G_END_DECLS
