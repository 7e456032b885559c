/* sd-note-item.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_TYPE_NOTE_ITEM (sd_note_item_get_type ())
G_DECLARE_FINAL_TYPE (SdNoteItem, sd_note_item, SD, NOTE_ITEM, GObject)

/* A row of the notes tree: a folder (with children) or a note file. */
SdNoteItem *sd_note_item_new_folder   (const char *title);
SdNoteItem *sd_note_item_new_note     (const char *title,
                                       const char *path,
                                       const char *error);
const char *sd_note_item_get_title    (SdNoteItem *self);
const char *sd_note_item_get_path     (SdNoteItem *self);
const char *sd_note_item_get_error    (SdNoteItem *self);
GListStore *sd_note_item_get_children (SdNoteItem *self);
SdNoteItem *sd_note_item_ensure_child_folder (SdNoteItem *self,
                                              const char *title);

G_END_DECLS
