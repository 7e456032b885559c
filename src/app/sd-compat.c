/* sd-compat.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-compat.h"

void
sd_compat_show_about (GtkWindow *parent)
{
  static const char *developers[] = { "The StudyDeck Developers", NULL };

  /* AdwAboutWindow is 1.2 API; AdwAboutDialog (1.5) would only change the
   * frame, so one branch serves every runtime. */
  adw_show_about_window (parent,
                         "application-name", _("StudyDeck"),
                         "application-icon", APP_ID,
                         "developer-name", _("The StudyDeck Developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "comments", _("Study your Markdown notes and review flashcards "
                                       "beside them, scheduled by FSRS."),
                         "website", "https://example.com/studydeck",
                         "issue-url", "https://example.com/studydeck/issues",
                         "copyright", "© 2026 The StudyDeck Developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
native_response_cb (GtkNativeDialog *native,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    g_task_return_pointer (task, gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native)),
                           g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("Nothing was chosen"));
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

/* GtkFileChooserNative goes through the FileChooser portal inside a sandbox,
 * which is what gives StudyDeck access to the chosen file or folder. */
static void
run_chooser (GtkWindow            *parent,
             const char           *title,
             GtkFileChooserAction  action,
             const char           *accept,
             const char           *suggested_name,
             GtkFileFilter        *filter,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data)
{
  GtkFileChooserNative *native;
  GTask *task = g_task_new (parent, cancellable, callback, user_data);

  g_task_set_source_tag (task, run_chooser);
  native = gtk_file_chooser_native_new (title, parent, action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (native_response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

void
sd_compat_choose_folder (GtkWindow           *parent,
                         const char          *title,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  run_chooser (parent, title, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Add"), NULL, NULL,
               cancellable, callback, user_data);
}

void
sd_compat_choose_file (GtkWindow           *parent,
                       const char          *title,
                       gboolean             save,
                       const char          *suggested_name,
                       GtkFileFilter       *filter,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  run_chooser (parent, title,
               save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
               save ? _("_Save") : _("_Open"), suggested_name, filter,
               cancellable, callback, user_data);
}

/**
 * sd_compat_choose_finish:
 *
 * Returns: (transfer full) (nullable): the chosen file or folder
 */
GFile *
sd_compat_choose_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
message_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;

  /* Closing the dialog after a response emits ::response once more. */
  g_signal_handlers_disconnect_by_func (dialog, message_response_cb, user_data);
  g_task_return_boolean (task, g_strcmp0 (response, "confirm") == 0);
  gtk_window_close (GTK_WINDOW (dialog));
}

void
sd_compat_confirm (GtkWindow           *parent,
                   const char          *heading,
                   const char          *body,
                   const char          *confirm_label,
                   gboolean             destructive,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (parent, cancellable, callback, user_data);
  GtkWidget *dialog;

  g_task_set_source_tag (task, sd_compat_confirm);
  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (message_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
sd_compat_confirm_finish (GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
text_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  g_signal_handlers_disconnect_by_func (dialog, text_response_cb, user_data);
  if (g_strcmp0 (response, "confirm") == 0)
    g_task_return_pointer (task, g_strdup (gtk_editable_get_text (entry)), g_free);
  else
    g_task_return_pointer (task, NULL, NULL);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
text_activate_cb (GtkEntry         *entry,
                  AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "confirm");
}

/**
 * sd_compat_ask_text:
 *
 * Asks for a line of text (a name), prefilled with @initial.
 */
void
sd_compat_ask_text (GtkWindow           *parent,
                    const char          *heading,
                    const char          *body,
                    const char          *initial,
                    const char          *confirm_label,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (parent, cancellable, callback, user_data);
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);
  GtkWidget *entry = gtk_entry_new ();

  g_task_set_source_tag (task, sd_compat_ask_text);
  gtk_editable_set_text (GTK_EDITABLE (entry), initial ? initial : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  g_signal_connect (entry, "activate", G_CALLBACK (text_activate_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (text_response_cb), task);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/**
 * sd_compat_ask_text_finish:
 *
 * Returns: (transfer full) (nullable): the text, or %NULL when cancelled
 */
char *
sd_compat_ask_text_finish (GAsyncResult *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
