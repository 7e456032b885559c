/* sd-note-item.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "sd-note-item.h"

struct _SdNoteItem
{
  GObject     parent_instance;

  char       *title;
  char       *path;      /* NULL for folders */
  char       *error;
  GListStore *children;  /* NULL for notes */
};

G_DEFINE_FINAL_TYPE (SdNoteItem, sd_note_item, G_TYPE_OBJECT)

static void
sd_note_item_finalize (GObject *object)
{
  SdNoteItem *self = SD_NOTE_ITEM (object);

  g_free (self->title);
  g_free (self->path);
  g_free (self->error);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (sd_note_item_parent_class)->finalize (object);
}

static void
sd_note_item_class_init (SdNoteItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_note_item_finalize;
}

static void
sd_note_item_init (SdNoteItem *self)
{
}

SdNoteItem *
sd_note_item_new_folder (const char *title)
{
  SdNoteItem *self = g_object_new (SD_TYPE_NOTE_ITEM, NULL);

  self->title = g_strdup (title);
  self->children = g_list_store_new (SD_TYPE_NOTE_ITEM);
  return self;
}

SdNoteItem *
sd_note_item_new_note (const char *title,
                       const char *path,
                       const char *error)
{
  SdNoteItem *self = g_object_new (SD_TYPE_NOTE_ITEM, NULL);

  self->title = g_strdup (title);
  self->path = g_strdup (path);
  self->error = g_strdup (error && error[0] ? error : NULL);
  return self;
}

const char *
sd_note_item_get_title (SdNoteItem *self)
{
  return self->title;
}

/**
 * sd_note_item_get_path:
 *
 * Returns: (nullable): the note file, or %NULL for a folder
 */
const char *
sd_note_item_get_path (SdNoteItem *self)
{
  return self->path;
}

const char *
sd_note_item_get_error (SdNoteItem *self)
{
  return self->error;
}

/**
 * sd_note_item_get_children:
 *
 * Returns: (transfer none) (nullable): the rows inside a folder
 */
GListStore *
sd_note_item_get_children (SdNoteItem *self)
{
  return self->children;
}

/**
 * sd_note_item_ensure_child_folder:
 *
 * Returns: (transfer none): the subfolder row called @title, added when missing
 */
SdNoteItem *
sd_note_item_ensure_child_folder (SdNoteItem *self,
                                  const char *title)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->children));
  g_autoptr(SdNoteItem) folder = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdNoteItem) child = g_list_model_get_item (G_LIST_MODEL (self->children), i);
      if (child->children != NULL && g_str_equal (child->title, title))
        return child;
    }

  folder = sd_note_item_new_folder (title);
  g_list_store_append (self->children, folder);
  return folder;
}
