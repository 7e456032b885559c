/* sd-note-editor.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-card-view.h"
#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_NOTE_EDITOR (sd_note_editor_get_type ())
G_DECLARE_FINAL_TYPE (SdNoteEditor, sd_note_editor, SD, NOTE_EDITOR, AdwWindow)

SdNoteEditor *sd_note_editor_new_add         (GtkWindow     *parent,
                                              SdCollection  *collection,
                                              gint64         deck_id);
SdNoteEditor *sd_note_editor_new_edit        (GtkWindow     *parent,
                                              SdCollection  *collection,
                                              gint64         note_id,
                                              GError       **error);
GtkTextView  *sd_note_editor_get_field_view  (SdNoteEditor  *self,
                                              guint          i);
void          sd_note_editor_select_notetype (SdNoteEditor  *self,
                                              gint64         notetype_id);
guint         sd_note_editor_get_n_cards     (SdNoteEditor  *self);
SdCardView   *sd_note_editor_get_preview     (SdNoteEditor  *self);

G_END_DECLS
