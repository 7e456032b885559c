/* sd-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-browser-window.h"
#include "sd-compat.h"
#include "sd-deck.h"
#include "sd-export-dialog.h"
#include "sd-library.h"
#include "sd-note-editor.h"
#include "sd-notetypes-window.h"
#include "sd-scheduler.h"
#include "sd-search.h"
#include "sd-stats-window.h"
#include "sd-window-private.h"

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SHOW_NOTES_PANE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rescanned_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void rescan (SdWindow *self);
static void update_polling (SdWindow *self);
static void asking_changed_cb (SdWindow *self);
static void note_shown_cb (SdWindow *self);

/* After construction: the application property is set only once
 * g_object_new has run the constructed vfunc. */
static void
load_settings (SdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (SD_IS_APPLICATION (app) && sd_application_get_settings (SD_APPLICATION (app)) != NULL)
    self->settings = g_object_ref (sd_application_get_settings (SD_APPLICATION (app)));
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Read once and saved on close: the paned moves its divider itself while
   * the window is resized, and that is not the user's choice. */
  self->side_position = g_settings_get_int (self->settings, "pane-position");
  gtk_paned_set_position (self->paned, self->side_position);
  g_settings_bind (self->settings, "sidebar-width", self->sidebar, "width-request",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "show-notes-pane", self, "show-notes-pane",
                   G_SETTINGS_BIND_DEFAULT);
}

/* A note to read first: the folder's README or index, or its first note. */
static char *
first_note (SdCollection *collection)
{
  g_autoptr(GPtrArray) files = sd_library_list_files (collection, NULL);

  if (files == NULL || files->len == 0)
    return NULL;
  for (guint i = 0; i < files->len; i++)
    {
      SdNoteFile *file = g_ptr_array_index (files, i);

      if (g_ascii_strcasecmp (file->relpath, "README.md") == 0 ||
          g_ascii_strcasecmp (file->relpath, "index.md") == 0)
        return g_strdup (file->path);
    }
  return g_strdup (((SdNoteFile *) g_ptr_array_index (files, 0))->path);
}

/* The deck with the most cards due today; parents count their subdecks. */
static gint64
busiest_deck (SdCollection *collection)
{
  g_autoptr(GPtrArray) decks = sd_deck_list (collection, NULL);
  gint64 best = 0;
  int most = 0;

  for (guint i = 0; decks != NULL && i < decks->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (decks, i);
      SdDueCounts counts = { 0 };
      int due;

      if (!sd_scheduler_due_counts (collection, deck->id, &counts, NULL))
        continue;
      due = counts.new_count + counts.learn_count + counts.review_count;
      if (due > most)
        {
          most = due;
          best = deck->id;
        }
    }
  return best;
}

/* Where the user left off; the first time, something to read and something
 * to study right away. */
static void
restore_session (SdWindow *self)
{
  g_autofree char *note = NULL;
  gint64 deck_id = 0;

  if (self->settings != NULL)
    {
      g_autoptr(SdDeck) deck = NULL;

      note = g_settings_get_string (self->settings, "last-note");
      deck_id = g_settings_get_int64 (self->settings, "last-deck");
      if (deck_id != 0 && (deck = sd_deck_load (self->collection, deck_id, NULL)) == NULL)
        deck_id = 0;
    }
  if (note == NULL || !g_file_test (note, G_FILE_TEST_IS_REGULAR))
    {
      g_free (note);
      note = first_note (self->collection);
    }
  if (deck_id == 0)
    deck_id = busiest_deck (self->collection);

  if (note != NULL)
    sd_notes_pane_open (self->notes_pane, note);
  if (deck_id != 0)
    {
      sd_deck_list_select (self->deck_list, deck_id);
      sd_review_pane_show_deck (self->review_pane, deck_id);
    }
}

/**
 * sd_window_new:
 * @collection: (nullable): the open collection
 * @open_error: (nullable): why the collection could not be opened
 */
SdWindow *
sd_window_new (SdApplication *application,
               SdCollection  *collection,
               const GError  *open_error)
{
  SdWindow *self = g_object_new (SD_TYPE_WINDOW, "application", application, NULL);

  load_settings (self);
  self->collection = collection ? g_object_ref (collection) : NULL;
  sd_deck_list_set_collection (self->deck_list, collection);
  sd_notes_list_set_collection (self->notes_list, collection);
  sd_notes_pane_set_collection (self->notes_pane, collection);
  g_signal_connect_object (self->notes_pane, "saved", G_CALLBACK (rescan), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notes_pane, "notify::path", G_CALLBACK (note_shown_cb), self,
                           G_CONNECT_SWAPPED);

  sd_review_pane_set_collection (self->review_pane, collection);
  g_signal_connect_object (self->review_pane, "notify::asking",
                           G_CALLBACK (asking_changed_cb), self, G_CONNECT_SWAPPED);

  if (collection == NULL)
    sd_review_pane_show_error (self->review_pane,
                               open_error ? open_error->message
                                          : _("The collection could not be opened"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-notes-folder", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.statistics", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.notetypes", collection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.browse", collection != NULL);

  /* Files on disk may have changed while StudyDeck was closed. */
  if (collection != NULL)
    {
      restore_session (self);
      self->watch = sd_library_watch_new (collection);
      g_signal_connect_object (self->watch, "changed", G_CALLBACK (rescan), self, G_CONNECT_SWAPPED);
      update_polling (self);
      rescan (self);
    }

  return self;
}

SdCollection *
sd_window_get_collection (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);

  return self->collection;
}

void
sd_window_show_toast (SdWindow   *self,
                      const char *message)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

GtkWidget *
sd_window_get_notes_pane (SdWindow *self)
{
  return GTK_WIDGET (self->notes_pane);
}

GtkWidget *
sd_window_get_review_pane (SdWindow *self)
{
  return GTK_WIDGET (self->review_pane);
}

GtkWidget *
sd_window_get_deck_list (SdWindow *self)
{
  return GTK_WIDGET (self->deck_list);
}

GtkWidget *
sd_window_get_notes_list (SdWindow *self)
{
  return GTK_WIDGET (self->notes_list);
}

void
_sd_window_set_show_notes_pane (SdWindow *self,
                                gboolean  show)
{
  if (self->show_notes_pane == show)
    return;
  self->show_notes_pane = show;
  gtk_widget_set_visible (GTK_WIDGET (self->notes_pane), show);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_NOTES_PANE]);
}

static void
note_activated_cb (SdWindow   *self,
                   const char *path,
                   int         line)
{
  _sd_window_set_show_notes_pane (self, TRUE);
  sd_notes_pane_open_at_line (self->notes_pane, path, line);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
study_requested_cb (SdWindow *self,
                    gint64    deck_id)
{
  g_autoptr(GError) error = NULL;

  sd_review_pane_show_deck (self->review_pane, deck_id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  if (!sd_review_pane_study (self->review_pane, &error) && error != NULL)
    sd_window_show_toast (self, error->message);
}

/* Deleting a deck waits until its toast is gone, so Undo can simply keep
 * it; closing the window deletes what is still pending. */
static void
delete_now (SdWindow *self,
            gint64    deck_id)
{
  g_autoptr(GError) error = NULL;

  if (!g_hash_table_remove (self->pending_deletes, &deck_id) || self->collection == NULL)
    return;
  if (!sd_deck_delete (self->collection, deck_id, NULL, &error))
    {
      sd_deck_list_set_hidden (self->deck_list, deck_id, FALSE);
      sd_window_show_toast (self, error->message);
    }
}

static void
delete_toast_dismissed_cb (AdwToast *toast,
                           SdWindow *self)
{
  gint64 *deck_id = g_object_get_data (G_OBJECT (toast), "deck-id");

  delete_now (self, *deck_id);
}

static void
delete_requested_cb (SdWindow *self,
                     gint64    deck_id)
{
  g_autoptr(SdDeck) deck = sd_deck_load (self->collection, deck_id, NULL);
  g_autofree char *title = NULL;
  gint64 n_cards;
  AdwToast *toast;

  if (deck == NULL || g_hash_table_contains (self->pending_deletes, &deck_id))
    return;

  n_cards = sd_deck_count_cards (self->collection, deck_id);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Deleted “%s” and its %" G_GINT64_FORMAT " card",
                                        "Deleted “%s” and its %" G_GINT64_FORMAT " cards",
                                        n_cards),
                           deck->full_name, n_cards);
  g_hash_table_add (self->pending_deletes, g_memdup2 (&deck_id, sizeof deck_id));
  sd_deck_list_set_hidden (self->deck_list, deck_id, TRUE);
  sd_review_pane_show_deck (self->review_pane, 0);

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (deck_id));
  adw_toast_set_timeout (toast, 8);
  g_object_set_data_full (G_OBJECT (toast), "deck-id", g_memdup2 (&deck_id, sizeof deck_id), g_free);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (delete_toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  gint64 deck_id = g_variant_get_int64 (parameter);

  if (g_hash_table_remove (self->pending_deletes, &deck_id))
    sd_deck_list_set_hidden (self->deck_list, deck_id, FALSE);
}

static void
flush_deletes (SdWindow *self)
{
  g_autoptr(GList) ids = g_hash_table_get_keys (self->pending_deletes);
  g_autoptr(GArray) copy = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (GList *l = ids; l != NULL; l = l->next)
    g_array_append_val (copy, *(gint64 *) l->data);
  for (guint i = 0; i < copy->len; i++)
    delete_now (self, g_array_index (copy, gint64, i));
}

static void
new_deck_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->sidebar_stack, "decks");
  sd_deck_list_new_deck (self->deck_list);
}

/* The card on screen: its source note beside it, at the card. */
static void
asking_changed_cb (SdWindow *self)
{
  gboolean asking;

  g_object_get (self->review_pane, "asking", &asking, NULL);
  sd_notes_pane_set_conceal_card (self->notes_pane, asking);
}

static void
note_shown_cb (SdWindow *self)
{
  sd_notes_list_show_path (self->notes_list, sd_notes_pane_get_path (self->notes_pane));
}

static void
card_shown_cb (SdWindow *self,
               gint64    card_id,
               gint64    note_id)
{
  if (self->show_notes_pane)
    sd_notes_pane_show_card (self->notes_pane, card_id);
}

static void
open_source_cb (SdWindow *self,
                gint64    card_id)
{
  _sd_window_set_show_notes_pane (self, TRUE);
  if (!sd_notes_pane_show_card (self->notes_pane, card_id))
    sd_window_show_toast (self, _("This card was not written in a note"));
}

/* Cards written in a note are edited in the note (it is their source); the
 * others in the note editor. */
static void
edit_note_cb (SdWindow *self,
              gint64    note_id,
              gint64    card_id)
{
  _sd_window_set_show_notes_pane (self, TRUE);
  if (sd_notes_pane_show_card (self->notes_pane, card_id))
    {
      g_object_set (self->notes_pane, "editing", TRUE, NULL);
      return;
    }
  sd_window_edit_note (self, note_id);
}

/**
 * sd_window_edit_note:
 *
 * Opens the note editor on a note.
 */
void
sd_window_edit_note (SdWindow *self,
                     gint64    note_id)
{
  g_autoptr(GError) error = NULL;
  SdNoteEditor *editor;

  g_return_if_fail (SD_IS_WINDOW (self));

  if (self->collection == NULL)
    return;
  editor = sd_note_editor_new_edit (GTK_WINDOW (self), self->collection, note_id, &error);
  if (editor == NULL)
    {
      sd_window_show_toast (self, error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  gint64 deck = sd_deck_list_get_selected (self->deck_list);

  if (self->collection == NULL)
    return;
  gtk_window_present (GTK_WINDOW (sd_note_editor_new_add (GTK_WINDOW (self), self->collection,
                                                          deck)));
}

static void
study_cards_cb (SdWindow *self,
                GArray   *card_ids)
{
  g_autoptr(GError) error = NULL;

  if (!sd_review_pane_study_cards (self->review_pane, card_ids, &error) && error != NULL)
    sd_window_show_toast (self, error->message);
}

static void
deck_activated_cb (SdWindow *self,
                   gint64    deck_id)
{
  sd_review_pane_show_deck (self->review_pane, deck_id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
rescanned_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->scanning = FALSE;
  if (!sd_library_scan_finish (SD_COLLECTION (source), result, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_window_show_toast (self, error->message);
}

static void
folder_scanned_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SdScanStats stats;

  if (!sd_library_scan_finish (SD_COLLECTION (source), result, &stats, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sd_window_show_toast (self, error->message);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "Added %u note",
                                                             "Added %u notes",
                                                             stats.added),
                                                stats.added);
    sd_window_show_toast (self, message);
  }
}

static void
folder_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SdWindow) self = user_data;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  folder = sd_compat_choose_finish (result, &error);
  if (folder == NULL)
    return;

  path = g_file_get_path (folder);
  if (path == NULL || sd_library_add_folder (self->collection, path, &error) == 0)
    {
      sd_window_show_toast (self, error ? error->message : _("That folder is not on this computer"));
      return;
    }

  gtk_stack_set_visible_child_name (self->sidebar_stack, "notes");
  sd_library_watch_reload (self->watch);
  update_polling (self);
  sd_library_scan_async (self->collection, self->cancellable, folder_scanned_cb,
                        g_object_ref (self));
}

static void
add_notes_folder_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_compat_choose_folder (GTK_WINDOW (self), _("Add Notes Folder"), self->cancellable,
                           folder_chosen_cb, g_object_ref (self));
}

/* Deck actions come with their deck from a deck's menu; from the main
 * menu they act on the selected deck, or on all of them. */
static gint64
action_deck (SdWindow *self,
             GVariant *parameter)
{
  return parameter != NULL ? g_variant_get_int64 (parameter)
                           : sd_deck_list_get_selected (self->deck_list);
}

static void
statistics_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->collection != NULL)
    gtk_window_present (GTK_WINDOW (sd_stats_window_new (GTK_WINDOW (self), self->collection,
                                                         action_deck (self, parameter))));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->collection != NULL)
    gtk_window_present (GTK_WINDOW (sd_export_dialog_new (GTK_WINDOW (self), self->collection,
                                                          action_deck (self, parameter),
                                                          self->toast_overlay)));
}

/* The browser's "Open Source Note" shows the note here, at the card. */
static gboolean
browser_open_source_cb (SdWindow *self,
                        gint64    card_id)
{
  _sd_window_set_show_notes_pane (self, TRUE);
  if (!sd_notes_pane_show_card (self->notes_pane, card_id))
    return FALSE;
  gtk_window_present (GTK_WINDOW (self));
  return TRUE;
}

/* One browser: opening it again brings it back with the new search. */
static void
browse_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->collection == NULL)
    return;
  if (self->browser == NULL)
    {
      self->browser = GTK_WINDOW (sd_browser_window_new (gtk_window_get_application (GTK_WINDOW (self)),
                                                         self->collection, self->settings));
      g_object_add_weak_pointer (G_OBJECT (self->browser), (gpointer *) &self->browser);
      g_signal_connect_object (self->browser, "open-source",
                               G_CALLBACK (browser_open_source_cb), self, G_CONNECT_SWAPPED);
    }
  if (parameter != NULL)
    {
      g_autoptr(SdDeck) deck = sd_deck_load (self->collection, g_variant_get_int64 (parameter), NULL);

      if (deck != NULL)
        {
          g_autofree char *query = sd_search_quote_term ("deck", deck->full_name);
          sd_browser_window_set_search (SD_BROWSER_WINDOW (self->browser), query);
        }
    }
  gtk_window_present (self->browser);
}

static void
notetypes_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->collection == NULL)
    return;
  gtk_window_present (GTK_WINDOW (sd_notetypes_window_new (GTK_WINDOW (self), self->collection)));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_notes_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "notes");
  sd_notes_list_focus_search (self->notes_list);
}

static void
rescan (SdWindow *self)
{
  if (self->collection == NULL || self->scanning)
    return;
  self->scanning = TRUE;
  sd_library_scan_async (self->collection, self->cancellable, rescanned_cb, g_object_ref (self));
}

static gboolean
poll_cb (gpointer user_data)
{
  rescan (SD_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

/* Folders that send no change events are rescanned on a timer and whenever
 * the user comes back to the window. */
static void
update_polling (SdWindow *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->watch == NULL || !sd_library_watch_needs_polling (self->watch))
    return;
  self->poll_id = g_timeout_add_seconds (self->settings
                                         ? g_settings_get_uint (self->settings, "notes-rescan-interval")
                                         : 30,
                                         poll_cb, self);
}

static void
active_changed_cb (SdWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->watch != NULL
      && sd_library_watch_needs_polling (self->watch))
    rescan (self);
}

static void
save_window_state (SdWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_string (self->settings, "last-note",
                         sd_notes_pane_get_path (self->notes_pane) != NULL
                         ? sd_notes_pane_get_path (self->notes_pane) : "");
  if (self->collection != NULL)
    g_settings_set_int64 (self->settings, "last-deck",
                          sd_review_pane_get_deck (self->review_pane));
  g_settings_set_int (self->settings, "pane-position",
                      sd_window_get_stacked (self) ? self->side_position
                                                   : gtk_paned_get_position (self->paned));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
}

/* Below this width the notes and the card do not fit side by side; they
 * stack instead of squeezing. */
#define SIDE_BY_SIDE_MIN_WIDTH 760

/* Stacked panes have half the height: their status pages shrink too. */
static void
set_status_pages_compact (GtkWidget *widget,
                          gboolean   compact)
{
  if (ADW_IS_STATUS_PAGE (widget))
    {
      if (compact)
        gtk_widget_add_css_class (widget, "compact");
      else
        gtk_widget_remove_css_class (widget, "compact");
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_status_pages_compact (child, compact);
}

/* Decided before the children are allocated: side by side panes that do
 * not fit would first make the sidebar fold away. */
static void
sd_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  SdWindow *self = SD_WINDOW (widget);
  int sidebar_width;
  GtkOrientation orientation;

  gtk_widget_get_size_request (self->sidebar, &sidebar_width, NULL);
  orientation = width - MAX (sidebar_width, 0) - 1 < SIDE_BY_SIDE_MIN_WIDTH
                ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != orientation)
    {
      /* Side by side, the divider is where the user left it; stacked, the
       * notes take the upper half. */
      if (orientation == GTK_ORIENTATION_VERTICAL)
        {
          self->side_position = gtk_paned_get_position (self->paned);
          gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
          gtk_paned_set_position (self->paned, height / 2);
        }
      else
        {
          gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
          gtk_paned_set_position (self->paned, self->side_position);
        }
      set_status_pages_compact (GTK_WIDGET (self->paned),
                                orientation == GTK_ORIENTATION_VERTICAL);
    }

  GTK_WIDGET_CLASS (sd_window_parent_class)->size_allocate (widget, width, height, baseline);
}

/**
 * sd_window_get_stacked:
 *
 * Returns: whether the notes and review panes are stacked (a narrow window)
 */
gboolean
sd_window_get_stacked (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), FALSE);

  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) == GTK_ORIENTATION_VERTICAL;
}

static gboolean
sd_window_close_request (GtkWindow *window)
{
  SdWindow *self = SD_WINDOW (window);

  save_window_state (self);
  flush_deletes (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (sd_window_parent_class)->close_request (window);
}

static void
sd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SdWindow *self = SD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_NOTES_PANE:
      g_value_set_boolean (value, self->show_notes_pane);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SdWindow *self = SD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_NOTES_PANE:
      _sd_window_set_show_notes_pane (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_window_dispose (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  /* The browser works on this window's collection: it goes with it. */
  if (self->browser != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->browser), (gpointer *) &self->browser);
      gtk_window_destroy (g_steal_pointer (&self->browser));
    }
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_object (&self->watch);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);

  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_finalize (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->pending_deletes, g_hash_table_unref);
  g_queue_free_full (self->import_queue, g_object_unref);

  G_OBJECT_CLASS (sd_window_parent_class)->finalize (object);
}

static void
sd_window_class_init (SdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sd_window_dispose;
  object_class->finalize = sd_window_finalize;
  object_class->get_property = sd_window_get_property;
  object_class->set_property = sd_window_set_property;
  window_class->close_request = sd_window_close_request;
  widget_class->size_allocate = sd_window_size_allocate;

  /**
   * SdWindow:show-notes-pane:
   *
   * Whether the notes pane is shown beside the review pane.
   */
  properties[PROP_SHOW_NOTES_PANE] =
    g_param_spec_boolean ("show-notes-pane", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, content);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, notes_list);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, deck_list);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, notes_pane);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, review_pane);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, notes_pane_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, note_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, deck_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, study_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, study_cards_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_source_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_note_cb);
  gtk_widget_class_bind_template_callback (widget_class, delete_requested_cb);

  gtk_widget_class_install_action (widget_class, "win.add-notes-folder", NULL,
                                   add_notes_folder_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL,
                                   _sd_window_import_action);
  gtk_widget_class_install_action (widget_class, "win.new-deck", NULL, new_deck_action);
  gtk_widget_class_install_action (widget_class, "win.statistics", NULL, statistics_action);
  gtk_widget_class_install_action (widget_class, "win.deck-statistics", "x", statistics_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.notetypes", NULL, notetypes_action);
  gtk_widget_class_install_action (widget_class, "win.browse", NULL, browse_action);
  gtk_widget_class_install_action (widget_class, "win.browse-deck", "x", browse_action);
  gtk_widget_class_install_action (widget_class, "win.export-deck", "x", export_action);
  gtk_widget_class_install_action (widget_class, "win.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "x", undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL,
                                   _sd_window_cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.search-notes", NULL, search_notes_action);
  gtk_widget_class_install_property_action (widget_class, "win.toggle-notes-pane",
                                            "show-notes-pane");

  g_type_ensure (SD_TYPE_DECK_LIST);
  g_type_ensure (SD_TYPE_NOTES_LIST);
  g_type_ensure (SD_TYPE_NOTES_PANE);
  g_type_ensure (SD_TYPE_REVIEW_PANE);
}

static void
sd_window_init (SdWindow *self)
{
  GtkDropTarget *drop;

  self->cancellable = g_cancellable_new ();
  self->import_queue = g_queue_new ();
  self->pending_deletes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->show_notes_pane = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", FALSE);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (_sd_window_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed_cb), NULL);
}
