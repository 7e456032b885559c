/* test-export-dialog.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sd-anki-export.h"
#include "sd-anki-import.h"
#include "sd-card.h"
#include "sd-deck.h"
#include "sd-export-dialog.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

typedef struct
{
  char            *dir;
  char            *out_dir;
  SdCollection    *collection;
  GtkWindow       *parent;
  AdwToastOverlay *toasts;
  gint64           kubernetes;    /* 3 notes with 4 cards, one reviewed, with its subdeck */
  gint64           pods;
  gint64           chemistry;     /* 1 note with 1 card */
} Fixture;

static gint64
add_note (SdCollection *collection,
          SdStockKind   stock,
          const char   *front,
          const char   *back,
          gint64        deck_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (collection, stock, &error);
  g_autoptr(SdNote) note = sd_note_new (notetype->id, (const char *[]) { front, back, NULL });

  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, deck_id, NULL, &error));
  g_assert_no_error (error);
  return note->id;
}

static void
add_review (SdCollection *collection,
            gint64        note_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = sd_card_list_for_note (collection, note_id, &error);
  SdCard *card = g_ptr_array_index (cards, 0);
  SdRevlogEntry entry = { 0 };

  entry.id = G_GINT64_CONSTANT (1772445600000);
  entry.card_id = card->id;
  entry.rating = 3;
  entry.kind = SD_REVLOG_LEARNING;
  entry.interval = 1;
  entry.ease = 2500;
  entry.duration_ms = 3000;
  g_assert_true (sd_revlog_insert (collection, &entry, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = g_bytes_new_static ("not really a png", 16);
  g_autofree char *stored = NULL;
  GtkWidget *content;
  gint64 note;

  fixture->dir = sd_test_make_dir ();
  fixture->out_dir = g_build_filename (fixture->dir, "out", NULL);
  g_assert_cmpint (g_mkdir (fixture->out_dir, 0700), ==, 0);
  fixture->collection = sd_test_open_collection (fixture->dir);

  fixture->kubernetes = sd_deck_ensure (fixture->collection, "Kubernetes basics", &error);
  fixture->pods = sd_deck_ensure (fixture->collection, "Kubernetes basics::Pods", &error);
  fixture->chemistry = sd_deck_ensure (fixture->collection, "Chemistry", &error);
  g_assert_no_error (error);
  stored = sd_media_add_bytes (fixture->collection, "pod.png", image, NULL, &error);
  g_assert_no_error (error);

  note = add_note (fixture->collection, SD_STOCK_BASIC, "What is a Pod?",
                   "The smallest deployable unit", fixture->kubernetes);
  add_review (fixture->collection, note);
  add_note (fixture->collection, SD_STOCK_BASIC_AND_REVERSED, "kubectl",
            "the command-line client", fixture->kubernetes);
  add_note (fixture->collection, SD_STOCK_BASIC, "A Pod's phases",
            "Pending, Running, Succeeded <img src=\"pod.png\">", fixture->pods);
  add_note (fixture->collection, SD_STOCK_BASIC, "H<sub>2</sub>O", "water", fixture->chemistry);

  /* The main window's part that matters here: a toast overlay. */
  fixture->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->parent, 800, 600);
  fixture->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  content = gtk_label_new ("StudyDeck");
  adw_toast_overlay_set_child (fixture->toasts, content);
  gtk_window_set_child (fixture->parent, GTK_WIDGET (fixture->toasts));
  gtk_window_present (fixture->parent);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->parent));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->parent);
  g_clear_object (&fixture->collection);
  sd_test_rm_rf (fixture->dir);
  g_free (fixture->out_dir);
  g_free (fixture->dir);
}

static SdExportDialog *
open_dialog (Fixture *fixture,
             gint64   deck_id)
{
  SdExportDialog *dialog = sd_export_dialog_new (fixture->parent, fixture->collection, deck_id,
                                                 fixture->toasts);

  /* The dialog frees itself when it closes; the test looks at it after. */
  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  return dialog;
}

static void
stopped_cb (SdExportDialog *dialog,
            GParamSpec     *pspec,
            gboolean       *stopped)
{
  if (sd_export_dialog_get_state (dialog) != SD_EXPORT_DIALOG_EXPORTING)
    *stopped = TRUE;
}

/* Exports to @name in the output folder and waits for the end. */
static void
export_and_wait (Fixture        *fixture,
                 SdExportDialog *dialog,
                 const char     *name)
{
  g_autofree char *path = g_build_filename (fixture->out_dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean stopped = FALSE;
  gulong id = g_signal_connect (dialog, "notify::state", G_CALLBACK (stopped_cb), &stopped);

  sd_export_dialog_export_to (dialog, file);
  g_assert_true (sd_test_wait_until (&stopped, 30000));
  g_signal_handler_disconnect (dialog, id);
}

/* The toast's widget type is private to libadwaita. */
static GtkWidget *
find_toast (AdwToastOverlay *toasts)
{
  GType type = g_type_from_name ("AdwToastWidget");

  g_assert_true (type != G_TYPE_INVALID);
  return sd_test_find_widget (GTK_WIDGET (toasts), type, 0);
}

/* The toast on the main window says what was written and offers the
 * folder. */
static void
assert_toast (Fixture    *fixture,
              const char *title)
{
  GtkWidget *toast = find_toast (fixture->toasts);
  GtkWidget *label, *button;

  g_assert_nonnull (toast);
  label = sd_test_find_widget (toast, GTK_TYPE_LABEL, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, title);
  button = sd_test_find_widget (toast, GTK_TYPE_BUTTON, 0);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Show in Folder");
}

static SdImportStats
reimport (Fixture    *fixture,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->out_dir, name, NULL);
  g_autofree char *fresh_dir = g_build_filename (fixture->dir, "fresh", NULL);
  g_autoptr(SdCollection) fresh = NULL;
  SdImportStats stats = { 0 };

  sd_test_rm_rf (fresh_dir);
  g_assert_cmpint (g_mkdir (fresh_dir, 0700), ==, 0);
  fresh = sd_test_open_collection (fresh_dir);
  g_assert_true (sd_anki_import_package (fresh, path, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  return stats;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  SdExportDialog *dialog = open_dialog (fixture, fixture->kubernetes);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  GtkSwitch *scheduling;
  guint n_scheduling = 0, n_fraction = 0;
  const SdExportStats *stats;
  SdImportStats imported;
  SdExportStats counted;
  g_autoptr(GError) error = NULL;

  /* The deck it was opened for, its subdeck's cards counted too. */
  g_assert_cmpint (sd_export_dialog_get_deck_id (dialog), ==, fixture->kubernetes);
  g_assert_cmpstr (sd_export_dialog_get_summary (dialog), ==, "3 notes with 4 cards");
  name = sd_export_dialog_get_suggested_name (dialog);
  g_assert_cmpstr (name, ==, "Kubernetes basics.apkg");
  g_clear_pointer (&name, g_free);
  g_assert_true (sd_export_dialog_get_with_scheduling (dialog));
  g_assert_true (sd_export_dialog_get_with_media (dialog));
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_IDLE);
  sd_test_screenshot (GTK_WIDGET (dialog), "export-dialog.png");

  /* The combo lists every deck by its full name. */
  sd_export_dialog_set_deck_id (dialog, fixture->pods);
  g_assert_cmpstr (sd_export_dialog_get_summary (dialog), ==, "1 note with 1 card");
  name = sd_export_dialog_get_suggested_name (dialog);
  g_assert_cmpstr (name, ==, "Kubernetes basics - Pods.apkg");
  g_clear_pointer (&name, g_free);
  sd_export_dialog_set_deck_id (dialog, 0);
  g_assert_cmpstr (sd_export_dialog_get_summary (dialog), ==, "4 notes with 5 cards");
  name = sd_export_dialog_get_suggested_name (dialog);
  g_assert_cmpstr (name, ==, "All Decks.apkg");
  g_clear_pointer (&name, g_free);
  g_assert_true (sd_anki_export_count (fixture->collection, 0, &counted, &error));
  g_assert_cmpuint (counted.notes, ==, 4);
  g_assert_cmpuint (counted.cards, ==, 5);
  g_assert_false (sd_anki_export_count (fixture->collection, 999, &counted, &error));
  g_assert_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_NO_DECK);
  sd_export_dialog_set_deck_id (dialog, fixture->kubernetes);

  /* Scheduling off, through its switch. */
  g_signal_connect (dialog, "notify::with-scheduling", G_CALLBACK (count_notify_cb),
                    &n_scheduling);
  g_signal_connect (dialog, "notify::fraction", G_CALLBACK (count_notify_cb), &n_fraction);
  scheduling = GTK_SWITCH (sd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, 0));
  gtk_switch_set_active (scheduling, FALSE);
  g_assert_false (sd_export_dialog_get_with_scheduling (dialog));
  g_assert_cmpuint (n_scheduling, ==, 1);

  export_and_wait (fixture, dialog, "Kubernetes basics.apkg");
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_DONE);
  g_assert_null (sd_export_dialog_get_error_message (dialog));
  g_assert_cmpfloat (sd_export_dialog_get_fraction (dialog), ==, 1.0);
  g_assert_cmpuint (n_fraction, >=, 1);
  stats = sd_export_dialog_get_stats (dialog);
  g_assert_cmpuint (stats->notes, ==, 3);
  g_assert_cmpuint (stats->cards, ==, 4);
  g_assert_cmpuint (stats->revlog, ==, 0);
  g_assert_cmpuint (stats->media, ==, 1);

  /* Done: the dialog has closed and the main window has the toast. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  assert_toast (fixture, "Exported 3 notes to Kubernetes basics.apkg");
  sd_test_screenshot (GTK_WIDGET (fixture->parent), "export-dialog-toast.png");

  /* A package Anki's format readers take: ours reads it back whole. */
  path = g_build_filename (fixture->out_dir, "Kubernetes basics.apkg", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  imported = reimport (fixture, "Kubernetes basics.apkg");
  g_assert_cmpuint (imported.notes, ==, 3);
  g_assert_cmpuint (imported.cards, ==, 4);
  g_assert_cmpuint (imported.revlog, ==, 0);
  g_assert_cmpuint (imported.media, ==, 1);

  g_assert_finalize_object (dialog);
}

static void
test_all_decks (Fixture       *fixture,
                gconstpointer  data)
{
  SdExportDialog *dialog = open_dialog (fixture, 0);
  AdwComboRow *row =
    ADW_COMBO_ROW (sd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW, 0));
  GListModel *model = adw_combo_row_get_model (row);
  SdImportStats imported;

  /* "All Decks", then every deck by its full name. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "All Decks");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 3), ==,
                   "Kubernetes basics");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 4), ==,
                   "Kubernetes basics::Pods");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);
  g_assert_cmpstr (sd_export_dialog_get_summary (dialog), ==, "4 notes with 5 cards");

  /* With scheduling the review goes along. */
  export_and_wait (fixture, dialog, "All Decks.apkg");
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_DONE);
  assert_toast (fixture, "Exported 4 notes to All Decks.apkg");
  imported = reimport (fixture, "All Decks.apkg");
  g_assert_cmpuint (imported.notes, ==, 4);
  g_assert_cmpuint (imported.cards, ==, 5);
  g_assert_cmpuint (imported.revlog, ==, 1);
  g_assert_finalize_object (dialog);

  /* A deck that is gone chooses every deck. */
  dialog = open_dialog (fixture, 4242);
  g_assert_cmpint (sd_export_dialog_get_deck_id (dialog), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static void
test_bad_path (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 salt = sd_deck_ensure (fixture->collection, "Salt & Pepper", &error);
  SdExportDialog *dialog;
  g_autofree char *missing = g_build_filename (fixture->dir, "no such folder", "deck.apkg",
                                               NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  gboolean stopped = FALSE;
  g_autofree char *reserved = NULL;
  g_autofree char *name = NULL;

  add_note (fixture->collection, SD_STOCK_BASIC, "NaCl", "salt", salt);
  dialog = open_dialog (fixture, salt);
  sd_export_dialog_set_with_media (dialog, FALSE);

  /* AnkiDroid's backup name is refused at once, with the reason shown. */
  export_and_wait (fixture, dialog, "collection.apkg");
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_FAILED);
  g_assert_nonnull (strstr (sd_export_dialog_get_error_message (dialog), "collection.apkg"));
  reserved = g_build_filename (fixture->out_dir, "collection.apkg", NULL);
  g_assert_false (g_file_test (reserved, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  {
    AdwActionRow *row =
      ADW_ACTION_ROW (sd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, 3));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                     "Could Not Export");
    g_assert_true (gtk_widget_is_visible (GTK_WIDGET (row)));
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                     sd_export_dialog_get_error_message (dialog));
  }

  /* A folder that is not there: the system's reason, and the options as
   * they were. */
  g_signal_connect (dialog, "notify::state", G_CALLBACK (stopped_cb), &stopped);
  sd_export_dialog_export_to (dialog, missing_file);
  g_assert_true (sd_test_wait_until (&stopped, 30000));
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_FAILED);
  g_assert_nonnull (strstr (sd_export_dialog_get_error_message (dialog), "no such folder"));
  g_assert_false (sd_export_dialog_get_with_media (dialog));
  g_assert_cmpint (sd_export_dialog_get_deck_id (dialog), ==, salt);
  sd_test_screenshot (GTK_WIDGET (dialog), "export-dialog-error.png");
  {
    /* The window grew to show all of it. */
    GtkWidget *row = sd_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, 3);
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (row, GTK_WIDGET (dialog), &bounds));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                       gtk_widget_get_height (GTK_WIDGET (dialog)));
  }
  g_signal_handlers_disconnect_by_func (dialog, stopped_cb, &stopped);

  /* Then a good name works, and a name that is markup stays text. */
  name = sd_export_dialog_get_suggested_name (dialog);
  g_assert_cmpstr (name, ==, "Salt & Pepper.apkg");
  export_and_wait (fixture, dialog, name);
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_DONE);
  assert_toast (fixture, "Exported 1 note to Salt & Pepper.apkg");
  g_assert_finalize_object (dialog);
}

/* A deck whose export takes long enough to stop half-way: one big sound
 * file that the archive has to deflate. */
static void
add_big_deck (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gsize size = 48 * 1024 * 1024;
  guint64 *noise = g_malloc (size);
  guint64 x = 88172645463325252ull;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *stored = NULL;

  /* Random bytes do not compress, so deflating them takes a while. */
  for (gsize i = 0; i < size / sizeof *noise; i++)
    {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      noise[i] = x;
    }
  bytes = g_bytes_new_take (noise, size);
  stored = sd_media_add_bytes (fixture->collection, "noise.wav", bytes, NULL, &error);
  g_assert_no_error (error);
  add_note (fixture->collection, SD_STOCK_BASIC, "White noise", "[sound:noise.wav]",
            fixture->chemistry);
}

typedef struct
{
  gboolean close;     /* close the dialog instead of pressing Cancel */
  const char *screenshot;
  gboolean acted;
  double   fraction;  /* when it acted */
} Stopper;

static void
stop_midway_cb (SdExportDialog *dialog,
                GParamSpec     *pspec,
                Stopper        *stopper)
{
  double fraction = sd_export_dialog_get_fraction (dialog);

  if (stopper->acted || fraction <= 0.0 || fraction >= 1.0)
    return;
  stopper->acted = TRUE;
  stopper->fraction = fraction;
  /* Deflating the big file takes far longer than a screenshot. */
  if (stopper->screenshot != NULL)
    sd_test_screenshot (GTK_WIDGET (dialog), stopper->screenshot);
  if (stopper->close)
    {
      /* Closing mid-way is cancelling; the dialog waits for the export. */
      gtk_window_close (GTK_WINDOW (dialog));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
    }
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.cancel", NULL));
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_EXPORTING);
}

static guint
count_files (const char *dir)
{
  GDir *listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (listing) != NULL)
    n++;
  g_dir_close (listing);
  return n;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  SdExportDialog *dialog;
  Stopper stopper = { .screenshot = "export-dialog-progress.png" };
  g_autofree char *path = g_build_filename (fixture->out_dir, "Chemistry.apkg", NULL);
  GtkWidget *bar;

  add_big_deck (fixture);
  dialog = open_dialog (fixture, fixture->chemistry);
  g_assert_true (sd_export_dialog_get_with_media (dialog));
  g_signal_connect (dialog, "notify::fraction", G_CALLBACK (stop_midway_cb), &stopper);

  /* Cancel: nothing written, the dialog stays with its options. */
  export_and_wait (fixture, dialog, "Chemistry.apkg");
  g_assert_true (stopper.acted);
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_null (find_toast (fixture->toasts));
  bar = sd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_PROGRESS_BAR, 0);
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_true (gtk_widget_is_sensitive (sd_test_find_widget (GTK_WIDGET (dialog),
                                                               ADW_TYPE_COMBO_ROW, 0)));
  g_assert_cmpint (sd_export_dialog_get_deck_id (dialog), ==, fixture->chemistry);
  sd_test_screenshot (GTK_WIDGET (dialog), "export-dialog-cancelled.png");

  /* Closing mid-way cancels too, and the dialog goes once it has. */
  stopper = (Stopper) { .close = TRUE };
  export_and_wait (fixture, dialog, "Chemistry.apkg");
  g_assert_true (stopper.acted);
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_null (find_toast (fixture->toasts));
  g_assert_finalize_object (dialog);
}

/* What the escape key does before any export: the dialog just goes. */
static void
test_cancel_closes (Fixture       *fixture,
                    gconstpointer  data)
{
  SdExportDialog *dialog = open_dialog (fixture, fixture->kubernetes);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.cancel", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpint (sd_export_dialog_get_state (dialog), ==, SD_EXPORT_DIALOG_IDLE);
  g_assert_cmpuint (count_files (fixture->out_dir), ==, 0);
  g_assert_finalize_object (dialog);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/studydeck/export-dialog/export", Fixture, NULL, fixture_setup, test_export,
              fixture_teardown);
  g_test_add ("/studydeck/export-dialog/all-decks", Fixture, NULL, fixture_setup, test_all_decks,
              fixture_teardown);
  g_test_add ("/studydeck/export-dialog/bad-path", Fixture, NULL, fixture_setup, test_bad_path,
              fixture_teardown);
  g_test_add ("/studydeck/export-dialog/cancel", Fixture, NULL, fixture_setup, test_cancel,
              fixture_teardown);
  g_test_add ("/studydeck/export-dialog/cancel-closes", Fixture, NULL, fixture_setup,
              test_cancel_closes, fixture_teardown);

  return g_test_run ();
}
