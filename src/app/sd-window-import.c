/* sd-window-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-anki-import.h"
#include "sd-compat.h"
#include "sd-window-private.h"

static void start_next_import (SdWindow *self);

static void
import_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  SdWindow *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) MIN (done, total) / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static char *
import_summary (const SdImportStats *stats)
{
  g_autofree char *notes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes",
                                                         stats->notes), stats->notes);
  g_autofree char *cards = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u card", "%u cards",
                                                         stats->cards), stats->cards);
  g_autofree char *reviews = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u review",
                                                           "%u reviews", stats->revlog),
                                              stats->revlog);

  if (stats->notes + stats->cards + stats->revlog + stats->updated == 0)
    return g_strdup (_("Nothing new: everything in it is here already"));
  if (stats->updated > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Imported %s, %s and %s; %u note updated",
                                         "Imported %s, %s and %s; %u notes updated",
                                         stats->updated),
                            notes, cards, reviews, stats->updated);
  /* Translators: the parts are "12 notes", "24 cards" and "30 reviews". */
  return g_strdup_printf (_("Imported %s, %s and %s"), notes, cards, reviews);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SdImportStats stats = { 0 };

  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", FALSE);

  if (!sd_anki_import_finish (SD_COLLECTION (source), result, &stats, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_window_show_toast (self, _("Import cancelled; nothing was changed"));
      else
        {
          /* A refused file deserves the full reason, not a passing toast. */
          AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
            adw_message_dialog_new (GTK_WINDOW (self), _("Import Failed"), error->message));
          adw_message_dialog_add_response (dialog, "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }
  else
    {
      g_autofree char *summary = import_summary (&stats);
      sd_window_show_toast (self, summary);
      gtk_stack_set_visible_child_name (self->sidebar_stack, "decks");
    }

  start_next_import (self);
}

static void
start_next_import (SdWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  if (self->import_cancellable != NULL || self->collection == NULL)
    return;
  file = g_queue_pop_head (self->import_queue);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  name = g_file_get_basename (file);
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not on this computer"), name);
      sd_window_show_toast (self, message);
      start_next_import (self);
      return;
    }

  label = g_strdup_printf (_("Importing “%s”…"), name);
  gtk_label_set_text (self->progress_label, label);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", TRUE);

  self->import_cancellable = g_cancellable_new ();
  sd_anki_import_async (self->collection, path, self->import_cancellable,
                        import_progress_cb, self, imported_cb, g_object_ref (self));
}

static gboolean
is_importable (const char *name)
{
  static const char *suffixes[] = { ".apkg", ".colpkg", ".csv", ".tsv", ".txt" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

/**
 * sd_window_import_file:
 *
 * Imports an Anki package or a CSV/TSV file into the collection in a
 * worker, with progress; files given while one is importing wait their turn.
 */
void
sd_window_import_file (SdWindow *self,
                       GFile    *file)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  if (self->collection == NULL)
    return;
  g_queue_push_tail (self->import_queue, g_object_ref (file));
  start_next_import (self);
}

gboolean
sd_window_is_importing (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), FALSE);

  return self->import_cancellable != NULL;
}

/**
 * sd_window_open_file:
 *
 * Opens what the file manager or a drop hands us: Anki packages and CSV
 * files are imported, a Markdown note is shown in the notes pane.
 */
void
sd_window_open_file (SdWindow *self,
                     GFile    *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);

  g_return_if_fail (SD_IS_WINDOW (self));

  if (path != NULL && (g_str_has_suffix (path, ".md") || g_str_has_suffix (path, ".markdown")))
    {
      _sd_window_set_show_notes_pane (self, TRUE);
      sd_notes_pane_open (self->notes_pane, path);
      return;
    }

  if (name != NULL && is_importable (name))
    {
      sd_window_import_file (self, file);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (_("StudyDeck cannot open “%s”"), name);
    sd_window_show_toast (self, message);
  }
}

static void
import_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GFile) file = sd_compat_choose_finish (result, NULL);

  if (file != NULL)
    sd_window_import_file (self, file);
}

void
_sd_window_import_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Anki packages and text files"));
  gtk_file_filter_add_mime_type (filter, "application/x-apkg");
  gtk_file_filter_add_mime_type (filter, "application/x-colpkg");
  gtk_file_filter_add_suffix (filter, "apkg");
  gtk_file_filter_add_suffix (filter, "colpkg");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "txt");
  sd_compat_choose_file (GTK_WINDOW (self), _("Import"), FALSE, NULL, filter, self->cancellable,
                         import_chosen_cb, g_object_ref (self));
}

void
_sd_window_cancel_import_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

gboolean
_sd_window_drop_cb (GtkDropTarget *target,
                    const GValue  *value,
                    double         x,
                    double         y,
                    gpointer       user_data)
{
  SdWindow *self = user_data;
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    sd_window_open_file (self, l->data);
  return files != NULL;
}
