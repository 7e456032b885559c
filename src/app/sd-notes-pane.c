/* sd-notes-pane.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-library.h"
#include "sd-notes-pane.h"

struct _SdNotesPane
{
  GtkWidget      parent_instance;

  SdCollection  *collection;
  char          *path;

  GtkStack      *stack;
  GtkTextView   *text_view;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SdNotesPane, sd_notes_pane, GTK_TYPE_WIDGET)

void
sd_notes_pane_set_collection (SdNotesPane  *self,
                              SdCollection *collection)
{
  g_return_if_fail (SD_IS_NOTES_PANE (self));

  g_set_object (&self->collection, collection);
}

static void
show_error (SdNotesPane *self,
            const char  *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

void
sd_notes_pane_open (SdNotesPane *self,
                    const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  g_return_if_fail (SD_IS_NOTES_PANE (self));

  g_free (self->path);
  self->path = g_strdup (path);

  if (!g_file_get_contents (path, &text, &len, &error))
    {
      show_error (self, error->message);
      return;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    {
      show_error (self, _("The note is not UTF-8 text"));
      return;
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, len);
  gtk_stack_set_visible_child_name (self->stack, "note");
}

/**
 * sd_notes_pane_open_at_line:
 * @line: the 1-based line of the note file to show, or 0 for the top
 */
void
sd_notes_pane_open_at_line (SdNotesPane *self,
                            const char  *path,
                            int          line)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  sd_notes_pane_open (self, path);
  if (line <= 1)
    return;
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_iter (self->text_view, &iter, 0.0, TRUE, 0.0, 0.1);
}

/**
 * sd_notes_pane_get_path:
 *
 * Returns: (nullable): the note shown
 */
const char *
sd_notes_pane_get_path (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return self->path;
}

const char *
sd_notes_pane_get_page (SdNotesPane *self)
{
  g_return_val_if_fail (SD_IS_NOTES_PANE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
sd_notes_pane_dispose (GObject *object)
{
  SdNotesPane *self = SD_NOTES_PANE (object);

  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_NOTES_PANE);

  G_OBJECT_CLASS (sd_notes_pane_parent_class)->dispose (object);
}

static void
sd_notes_pane_finalize (GObject *object)
{
  SdNotesPane *self = SD_NOTES_PANE (object);

  g_free (self->path);

  G_OBJECT_CLASS (sd_notes_pane_parent_class)->finalize (object);
}

static void
sd_notes_pane_class_init (SdNotesPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_notes_pane_dispose;
  object_class->finalize = sd_notes_pane_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-notes-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, text_view);
  gtk_widget_class_bind_template_child (widget_class, SdNotesPane, error_page);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_notes_pane_init (SdNotesPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
