/* sd-export-dialog.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-compat.h"
#include "sd-deck.h"
#include "sd-export-dialog.h"

/* Exports a deck, or every deck, as an Anki package. The options stay on
 * screen while the package is written so a failure can be retried as it
 * was; success closes the dialog and leaves a toast on the main window,
 * which outlives the dialog. */

struct _SdExportDialog
{
  AdwWindow            parent_instance;

  SdCollection        *collection;
  AdwToastOverlay     *toasts;
  GArray              *deck_ids;        /* gint64, in the combo's order; 0 is every deck */
  gboolean             filling;

  SdExportDialogState  state;
  double               fraction;
  char                *summary;
  char                *error_message;
  SdExportStats        stats;
  GCancellable        *cancellable;     /* the file chooser; cancelled with the dialog */
  GCancellable        *export_cancellable;
  GFile               *file;            /* the package being written */
  gboolean             close_when_stopped;
  gboolean             disposed;

  AdwComboRow         *deck_row;
  GtkSwitch           *scheduling_switch;
  GtkSwitch           *media_switch;
  GtkWidget           *content_box;
  GtkWidget           *options_group;
  GtkWidget           *progress_group;
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  GtkWidget           *error_group;
  AdwActionRow        *error_row;
};

G_DEFINE_FINAL_TYPE (SdExportDialog, sd_export_dialog, ADW_TYPE_WINDOW)

G_DEFINE_ENUM_TYPE (SdExportDialogState, sd_export_dialog_state,
                    G_DEFINE_ENUM_VALUE (SD_EXPORT_DIALOG_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (SD_EXPORT_DIALOG_EXPORTING, "exporting"),
                    G_DEFINE_ENUM_VALUE (SD_EXPORT_DIALOG_DONE, "done"),
                    G_DEFINE_ENUM_VALUE (SD_EXPORT_DIALOG_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (SD_EXPORT_DIALOG_CANCELLED, "cancelled"))

enum
{
  PROP_0,
  PROP_DECK_ID,
  PROP_WITH_SCHEDULING,
  PROP_WITH_MEDIA,
  PROP_STATE,
  PROP_FRACTION,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GTK 4.8 grows a window that is already shown to the height its content
 * needs at no particular width, which is too short once wrapped text such
 * as an error appears; asking for the height needed at the width the
 * content has makes it grow enough. */
static void
fit_content (SdExportDialog *self)
{
  int width = gtk_widget_get_width (self->content_box);
  int height = 0;

  if (width <= 0)
    return;
  gtk_widget_set_size_request (self->content_box, -1, -1);
  gtk_widget_measure (self->content_box, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL,
                      NULL);
  gtk_widget_set_size_request (self->content_box, -1, height);
}

static void
set_state (SdExportDialog      *self,
           SdExportDialogState  state)
{
  gboolean exporting = state == SD_EXPORT_DIALOG_EXPORTING;

  gtk_widget_set_sensitive (self->options_group, !exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose", !exporting);
  gtk_widget_set_visible (self->progress_group,
                          exporting || state == SD_EXPORT_DIALOG_CANCELLED);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), exporting);
  gtk_widget_set_visible (self->error_group, state == SD_EXPORT_DIALOG_FAILED);
  fit_content (self);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_fraction (SdExportDialog *self,
              double          fraction)
{
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
show_error (SdExportDialog *self,
            const char     *message)
{
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  adw_action_row_set_subtitle (self->error_row, message);
  set_state (self, SD_EXPORT_DIALOG_FAILED);
}

static void
update_summary (SdExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *text = NULL;
  SdExportStats counts;

  if (!sd_anki_export_count (self->collection, sd_export_dialog_get_deck_id (self), &counts,
                             &error))
    text = g_strdup (error->message);
  else if (counts.cards == 0)
    text = g_strdup (_("No cards to export"));
  else
    {
      notes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes", counts.notes),
                               counts.notes);
      /* TRANSLATORS: the first %s is a number of notes, e.g. "3 notes" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s with %u card", "%s with %u cards",
                                           counts.cards),
                              notes, counts.cards);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->deck_row), text);
  if (g_strcmp0 (self->summary, text) == 0)
    return;
  g_free (self->summary);
  self->summary = g_steal_pointer (&text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
fill_decks (SdExportDialog *self,
            gint64          select_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decks = sd_deck_list (self->collection, &error);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gint64 all = 0;
  guint selected = 0;

  g_array_set_size (self->deck_ids, 0);
  gtk_string_list_append (names, _("All Decks"));
  g_array_append_val (self->deck_ids, all);
  for (guint i = 0; decks != NULL && i < decks->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (decks, i);

      gtk_string_list_append (names, deck->full_name);
      g_array_append_val (self->deck_ids, deck->id);
      if (deck->id == select_id)
        selected = self->deck_ids->len - 1;
    }
  if (decks == NULL)
    show_error (self, error->message);

  self->filling = TRUE;
  adw_combo_row_set_model (self->deck_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->deck_row, selected);
  self->filling = FALSE;
}

static void
deck_selected_cb (SdExportDialog *self)
{
  if (self->filling || self->collection == NULL)
    return;
  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECK_ID]);
}

static void
scheduling_changed_cb (SdExportDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WITH_SCHEDULING]);
}

static void
media_changed_cb (SdExportDialog *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WITH_MEDIA]);
}

/* The toast outlives the dialog, so it carries the file itself. */
#if GTK_CHECK_VERSION (4, 10, 0)
static void
folder_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_file_launcher_open_containing_folder_finish (GTK_FILE_LAUNCHER (source), result,
                                                        &error))
    g_debug ("Could not show the exported package: %s", error->message);
  G_GNUC_END_IGNORE_DEPRECATIONS
}
#else
static void
folder_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Not a warning: no file manager is not a bug in StudyDeck. */
  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    g_debug ("Could not show the exported package: %s", error->message);
}
#endif

static void
show_in_folder_cb (AdwToast *toast,
                   gpointer  user_data)
{
  GFile *file = g_object_get_data (G_OBJECT (toast), "file");
  GtkWidget *overlay = g_object_get_data (G_OBJECT (toast), "overlay");
  GtkRoot *root = overlay != NULL ? gtk_widget_get_root (overlay) : NULL;
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

#if GTK_CHECK_VERSION (4, 10, 0)
  /* The OpenURI portal's OpenDirectory: the file manager opens the folder
   * with the package selected, also for a folder the FileChooser portal
   * only lent us. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (file);

  gtk_file_launcher_open_containing_folder (launcher, parent, NULL, folder_opened_cb, NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  /* GTK 4.8 can only open a URI; the folder is the next best thing. */
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = folder != NULL ? g_file_get_uri (folder) : NULL;

  if (uri != NULL)
    gtk_show_uri_full (parent, uri, GDK_CURRENT_TIME, NULL, folder_opened_cb, NULL);
#endif
}

static void
send_toast (SdExportDialog *self)
{
  g_autofree char *name = g_file_get_basename (self->file);
  g_autofree char *display = g_filename_display_name (name);
  g_autofree char *escaped = g_markup_escape_text (display, -1);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (self->toasts == NULL)
    return;

  /* TRANSLATORS: %s is the package's file name */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u note to %s",
                                        "Exported %u notes to %s", self->stats.notes),
                           self->stats.notes, escaped);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Show in Folder"));
  adw_toast_set_timeout (toast, 8);
  g_object_set_data (G_OBJECT (toast), "overlay", self->toasts);
  g_object_set_data_full (G_OBJECT (toast), "file", g_object_ref (self->file), g_object_unref);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (show_in_folder_cb), NULL);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  SdExportDialog *self = user_data;

  /* Reports queued before a cancel or the end may still arrive. */
  if (self->disposed
      || self->state != SD_EXPORT_DIALOG_EXPORTING
      || g_cancellable_is_cancelled (self->export_cancellable))
    return;
  set_fraction (self, total > 0 ? (double) done / (double) total : 0.0);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The core's reports come through the same main context before its
   * result, so none is left behind pointing at a dialog freed after this. */
  if (!sd_anki_export_finish (SD_COLLECTION (source), result, &self->stats, &error))
    {
      memset (&self->stats, 0, sizeof self->stats);
      if (self->disposed)
        return;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->progress_label,
                              _("Export cancelled. No file was written."));
          set_state (self, SD_EXPORT_DIALOG_CANCELLED);
        }
      else
        show_error (self, error->message);
      if (self->close_when_stopped)
        gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* Written before the cancel arrived: it is there, so say so. */
  send_toast (self);
  if (self->disposed)
    return;
  set_fraction (self, 1.0);
  set_state (self, SD_EXPORT_DIALOG_DONE);
  gtk_window_close (GTK_WINDOW (self));
}

static void
chosen_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = sd_compat_choose_finish (result, &error);

  if (file != NULL && self->collection != NULL)
    sd_export_dialog_export_to (self, file);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (widget);
  g_autofree char *name = sd_export_dialog_get_suggested_name (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Anki Packages"));
  gtk_file_filter_add_pattern (filter, "*.apkg");
  gtk_file_filter_add_mime_type (filter, "application/x-apkg");
  sd_compat_choose_file (GTK_WINDOW (self), _("Export to Anki"), TRUE, name, filter,
                         self->cancellable, chosen_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (widget);

  if (self->state == SD_EXPORT_DIALOG_EXPORTING)
    sd_export_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}


/**
 * sd_export_dialog_export_to:
 * @file: the package to write; it must have a local path
 *
 * Exports what the dialog shows to @file, as choosing @file in the file
 * chooser does. Success closes the dialog and adds a toast to the overlay
 * given to sd_export_dialog_new(); a failure is shown in the dialog.
 */
void
sd_export_dialog_export_to (SdExportDialog *self,
                            GFile          *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *display = NULL;
  g_autofree char *status = NULL;
  SdAnkiExportOptions options;

  g_return_if_fail (SD_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->state != SD_EXPORT_DIALOG_EXPORTING);

  g_set_object (&self->file, file);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      /* The FileChooser portal hands out local paths; only a remote
       * location picked in a plain chooser gets here. */
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a local file. Choose a file "
                                                    "on this computer."), uri);
      show_error (self, message);
      return;
    }
  if (!sd_anki_export_check_path (path, &error))
    {
      show_error (self, error->message);
      return;
    }

  sd_anki_export_options_init (&options);
  options.deck_id = sd_export_dialog_get_deck_id (self);
  options.with_scheduling = gtk_switch_get_active (self->scheduling_switch);
  options.with_media = gtk_switch_get_active (self->media_switch);

  name = g_file_get_basename (file);
  display = g_filename_display_name (name);
  status = g_strdup_printf (_("Writing “%s”…"), display);
  gtk_label_set_text (self->progress_label, status);
  g_clear_pointer (&self->error_message, g_free);
  memset (&self->stats, 0, sizeof self->stats);
  set_fraction (self, 0.0);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  set_state (self, SD_EXPORT_DIALOG_EXPORTING);

  sd_anki_export_async (self->collection, path, &options, self->export_cancellable,
                        progress_cb, self, exported_cb, g_object_ref (self));
}

/**
 * sd_export_dialog_cancel:
 *
 * Stops a running export; the core removes what it had written. The dialog
 * stays open, with the options as they were.
 */
void
sd_export_dialog_cancel (SdExportDialog *self)
{
  g_return_if_fail (SD_IS_EXPORT_DIALOG (self));

  if (self->state != SD_EXPORT_DIALOG_EXPORTING)
    return;
  gtk_label_set_text (self->progress_label, _("Cancelling…"));
  g_cancellable_cancel (self->export_cancellable);
}

gint64
sd_export_dialog_get_deck_id (SdExportDialog *self)
{
  guint selected;

  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), 0);

  if (self->disposed)
    return 0;
  selected = adw_combo_row_get_selected (self->deck_row);
  if (selected >= self->deck_ids->len)
    return 0;
  return g_array_index (self->deck_ids, gint64, selected);
}

/**
 * sd_export_dialog_set_deck_id:
 * @deck_id: a deck, or 0 for every deck
 *
 * Chooses the deck to export; an unknown deck chooses every deck.
 */
void
sd_export_dialog_set_deck_id (SdExportDialog *self,
                              gint64          deck_id)
{
  guint selected = 0;

  g_return_if_fail (SD_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < self->deck_ids->len; i++)
    if (g_array_index (self->deck_ids, gint64, i) == deck_id)
      selected = i;
  adw_combo_row_set_selected (self->deck_row, selected);
}

gboolean
sd_export_dialog_get_with_scheduling (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), FALSE);

  return !self->disposed && gtk_switch_get_active (self->scheduling_switch);
}

void
sd_export_dialog_set_with_scheduling (SdExportDialog *self,
                                      gboolean        with_scheduling)
{
  g_return_if_fail (SD_IS_EXPORT_DIALOG (self));

  gtk_switch_set_active (self->scheduling_switch, with_scheduling);
}

gboolean
sd_export_dialog_get_with_media (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), FALSE);

  return !self->disposed && gtk_switch_get_active (self->media_switch);
}

void
sd_export_dialog_set_with_media (SdExportDialog *self,
                                 gboolean        with_media)
{
  g_return_if_fail (SD_IS_EXPORT_DIALOG (self));

  gtk_switch_set_active (self->media_switch, with_media);
}

SdExportDialogState
sd_export_dialog_get_state (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), SD_EXPORT_DIALOG_IDLE);

  return self->state;
}

/**
 * sd_export_dialog_get_fraction:
 *
 * Returns: how much of the running or last export is written, 0 to 1
 */
double
sd_export_dialog_get_fraction (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), 0.0);

  return self->fraction;
}

/**
 * sd_export_dialog_get_summary:
 *
 * Returns: what the chosen deck would export, such as "3 notes with 5 cards"
 */
const char *
sd_export_dialog_get_summary (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), NULL);

  return self->summary;
}

/**
 * sd_export_dialog_get_error_message:
 *
 * Returns: (nullable): why the last export failed, as the dialog shows it
 */
const char *
sd_export_dialog_get_error_message (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), NULL);

  return self->error_message;
}

/**
 * sd_export_dialog_get_stats:
 *
 * Returns: what the last successful export wrote; zeros otherwise
 */
const SdExportStats *
sd_export_dialog_get_stats (SdExportDialog *self)
{
  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), NULL);

  return &self->stats;
}

/**
 * sd_export_dialog_get_suggested_name:
 *
 * The file name the chooser proposes: the deck's name with "::" as " - "
 * and characters file systems refuse as "_", or "All Decks".
 *
 * Returns: (transfer full): a file name ending in ".apkg"
 */
char *
sd_export_dialog_get_suggested_name (SdExportDialog *self)
{
  g_autoptr(SdDeck) deck = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  gint64 deck_id;

  g_return_val_if_fail (SD_IS_EXPORT_DIALOG (self), NULL);

  deck_id = sd_export_dialog_get_deck_id (self);
  if (deck_id != 0)
    deck = sd_deck_load (self->collection, deck_id, NULL);
  if (deck == NULL)
    g_string_append (name, _("All Decks"));
  else
    {
      g_auto(GStrv) parts = g_strsplit (deck->full_name, "::", -1);
      g_autofree char *joined = g_strjoinv (" - ", parts);

      g_string_append (name, joined);
      /* Windows and FAT refuse these, and the package may travel there. */
      g_strdelimit (name->str, "/\\:*?\"<>|", '_');
    }
  /* sd_anki_export_check_path() refuses this one name. */
  if (g_ascii_strcasecmp (name->str, "collection") == 0)
    g_string_append (name, " deck");
  g_string_append (name, ".apkg");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/**
 * sd_export_dialog_new:
 * @parent: (nullable): the main window
 * @collection: the collection to export from
 * @deck_id: the deck chosen at first, 0 for every deck
 * @toasts: (nullable): where the toast saying the package is written goes
 *
 * Returns: (transfer none): the dialog; it frees itself when closed
 */
SdExportDialog *
sd_export_dialog_new (GtkWindow       *parent,
                      SdCollection    *collection,
                      gint64           deck_id,
                      AdwToastOverlay *toasts)
{
  SdExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (toasts == NULL || ADW_IS_TOAST_OVERLAY (toasts), NULL);

  self = g_object_new (SD_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->collection = g_object_ref (collection);
  if (toasts != NULL)
    self->toasts = g_object_ref (toasts);
  fill_decks (self, deck_id);
  update_summary (self);
  return self;
}

static void
sd_export_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_DECK_ID:
      g_value_set_int64 (value, sd_export_dialog_get_deck_id (self));
      break;
    case PROP_WITH_SCHEDULING:
      g_value_set_boolean (value, sd_export_dialog_get_with_scheduling (self));
      break;
    case PROP_WITH_MEDIA:
      g_value_set_boolean (value, sd_export_dialog_get_with_media (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_export_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_DECK_ID:
      sd_export_dialog_set_deck_id (self, g_value_get_int64 (value));
      break;
    case PROP_WITH_SCHEDULING:
      sd_export_dialog_set_with_scheduling (self, g_value_get_boolean (value));
      break;
    case PROP_WITH_MEDIA:
      sd_export_dialog_set_with_media (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Closing mid-way means cancelling: the dialog goes once the export has
 * stopped and removed what it had written. */
static gboolean
sd_export_dialog_close_request (GtkWindow *window)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (window);

  if (self->state == SD_EXPORT_DIALOG_EXPORTING)
    {
      self->close_when_stopped = TRUE;
      sd_export_dialog_cancel (self);
      return TRUE;
    }
  if (GTK_WINDOW_CLASS (sd_export_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (sd_export_dialog_parent_class)->close_request (window);
  return FALSE;
}

static void
sd_export_dialog_dispose (GObject *object)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (object);

  /* Destroyed without closing (its main window went away): stop the
   * export too, which keeps the dialog alive until it has. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (sd_export_dialog_parent_class)->dispose (object);
}

static void
sd_export_dialog_finalize (GObject *object)
{
  SdExportDialog *self = SD_EXPORT_DIALOG (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->toasts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->file);
  g_clear_pointer (&self->deck_ids, g_array_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sd_export_dialog_parent_class)->finalize (object);
}

static void
sd_export_dialog_class_init (SdExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = sd_export_dialog_get_property;
  object_class->set_property = sd_export_dialog_set_property;
  object_class->dispose = sd_export_dialog_dispose;
  object_class->finalize = sd_export_dialog_finalize;
  window_class->close_request = sd_export_dialog_close_request;

  properties[PROP_DECK_ID] =
    g_param_spec_int64 ("deck-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WITH_SCHEDULING] =
    g_param_spec_boolean ("with-scheduling", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WITH_MEDIA] =
    g_param_spec_boolean ("with-media", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SD_TYPE_EXPORT_DIALOG_STATE,
                       SD_EXPORT_DIALOG_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, deck_row);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, scheduling_switch);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, media_switch);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, content_box);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, progress_group);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, error_group);
  gtk_widget_class_bind_template_child (widget_class, SdExportDialog, error_row);
  gtk_widget_class_bind_template_callback (widget_class, deck_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, scheduling_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, media_changed_cb);

  gtk_widget_class_install_action (widget_class, "export.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
sd_export_dialog_init (SdExportDialog *self)
{
  self->deck_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
