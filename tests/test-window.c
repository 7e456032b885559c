/* test-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sd-application.h"
#include "sd-browser-window.h"
#include "sd-deck.h"
#include "sd-deck-list.h"
#include "sd-export-dialog.h"
#include "sd-library.h"
#include "sd-note-cards.h"
#include "sd-notes-list.h"
#include "sd-notetypes-window.h"
#include "sd-notes-pane.h"
#include "sd-review-pane.h"
#include "sd-search.h"
#include "sd-stats-view.h"
#include "sd-stats-window.h"
#include "sd-window.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

typedef struct
{
  char          *dir;
  char          *collection_path;
  SdApplication *app;
  SdWindow      *window;
} Fixture;

/* GApplication keeps its D-Bus object exported until the last reference
 * goes, so each test registers under its own id. */
static SdApplication *
new_application (void)
{
  static guint counter;
  g_autofree char *id = g_strdup_printf ("%s.Test%u", APP_ID, ++counter);

  return g_object_new (SD_TYPE_APPLICATION,
                       "application-id", id,
                       "resource-base-path", APP_PATH,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       NULL);
}

/* Starts the real application on a fresh collection that has the sample
 * notes folder, as `make run` does. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  const char *samples = g_getenv ("SAMPLES_DIR");

  fixture->dir = sd_test_make_dir ();
  collection = sd_test_open_collection (fixture->dir);
  fixture->collection_path = g_strdup (sd_collection_get_path (collection));
  if (data != NULL)
    {
      g_assert_cmpint (sd_library_add_folder (collection, samples, &error), >, 0);
      g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&collection);

  /* Settings live in memory for the whole test program: each test starts
   * where a new user would. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_settings_reset (settings, "last-note");
    g_settings_reset (settings, "last-deck");
  }

  fixture->app = new_application ();
  sd_application_set_collection_path (fixture->app, fixture->collection_path);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));

  fixture->window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_close (GTK_WINDOW (fixture->window));
  sd_test_spin (50);
  g_application_quit (G_APPLICATION (fixture->app));
  g_clear_object (&fixture->app);
  sd_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->collection_path);
}

static void
test_populated (Fixture       *fixture,
                gconstpointer  data)
{
  SdNotesList *notes = SD_NOTES_LIST (sd_window_get_notes_list (fixture->window));
  SdDeckList *decks = SD_DECK_LIST (sd_window_get_deck_list (fixture->window));
  SdNotesPane *notes_pane = SD_NOTES_PANE (sd_window_get_notes_pane (fixture->window));
  SdReviewPane *review_pane = SD_REVIEW_PANE (sd_window_get_review_pane (fixture->window));

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window)));
  g_assert_cmpuint (sd_notes_list_get_n_notes (notes), ==, 6);
  /* Default, and the decks the sample notes' cards name: Containers with
   * Basics, Registries, Kubernetes and Kubernetes::Labs. */
  g_assert_cmpuint (sd_deck_list_get_n_decks (decks), ==, 6);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (notes_pane)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (review_pane)));
  /* The first start shows the folder's README and the deck with the most
   * cards due, selected in the sidebar. */
  {
    g_autofree char *readme = g_build_filename (g_getenv ("SAMPLES_DIR"), "README.md", NULL);
    g_autofree char *shown = g_canonicalize_filename (sd_notes_pane_get_path (notes_pane), NULL);
    g_autofree char *expected = g_canonicalize_filename (readme, NULL);

    g_assert_cmpstr (sd_notes_pane_get_page (notes_pane), ==, "note");
    g_assert_cmpstr (shown, ==, expected);
    /* The sidebar selects the note shown. */
    g_assert_cmpstr (sd_notes_list_get_selected_path (notes), ==,
                     sd_notes_pane_get_path (notes_pane));
  }
  g_assert_cmpstr (sd_review_pane_get_page (review_pane), ==, "overview");
  g_assert_cmpint (sd_review_pane_get_deck (review_pane), !=, 0);
  g_assert_cmpint (sd_deck_list_get_selected (decks), ==, sd_review_pane_get_deck (review_pane));

  g_signal_emit_by_name (notes, "note-activated", "/nonexistent/missing.md", 0, NULL);
  g_assert_cmpstr (sd_notes_pane_get_page (notes_pane), ==, "error");

  {
    g_autofree char *readme = g_build_filename (g_getenv ("SAMPLES_DIR"), "README.md", NULL);
    g_signal_emit_by_name (notes, "note-activated", readme, 0, NULL);
  }
  g_assert_cmpstr (sd_notes_pane_get_page (notes_pane), ==, "note");

  g_assert_cmpstr (sd_review_pane_get_page (review_pane), ==, "overview");

  sd_test_screenshot (GTK_WIDGET (fixture->window), "main-window.png");
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  SdNotesList *notes = SD_NOTES_LIST (sd_window_get_notes_list (fixture->window));
  SdNotesPane *notes_pane = SD_NOTES_PANE (sd_window_get_notes_pane (fixture->window));
  GtkWidget *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search-notes", NULL));
  sd_notes_list_search (notes, "rolling upd");
  g_assert_cmpuint (sd_notes_list_get_n_results (notes), >=, 1);
  sd_test_screenshot (GTK_WIDGET (fixture->window), "search.png");

  /* Enter in the search entry opens the best hit. */
  entry = gtk_window_get_focus (GTK_WINDOW (fixture->window));
  g_assert_true (GTK_IS_TEXT (entry) || GTK_IS_SEARCH_ENTRY (entry));
  g_signal_emit_by_name (gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY), "activate");
  g_assert_cmpstr (sd_notes_pane_get_page (notes_pane), ==, "note");
  g_assert_true (g_str_has_suffix (sd_notes_pane_get_path (notes_pane), "04-scheduling-and-scaling.md"));

  sd_notes_list_search (notes, "zzzzunlikelyword");
  g_assert_cmpuint (sd_notes_list_get_n_results (notes), ==, 0);
  sd_notes_list_search (notes, "");
  g_assert_cmpuint (sd_notes_list_get_n_notes (notes), ==, 6);
}

static gboolean
wait_import (SdWindow *window)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (sd_window_is_importing (window) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  sd_test_spin (50);
  return !sd_window_is_importing (window);
}

static GtkWindow *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  SdDeckList *decks = SD_DECK_LIST (sd_window_get_deck_list (fixture->window));
  g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "anki", "scheduling.apkg", NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "anki", "truncated.apkg", NULL);
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  guint before = sd_deck_list_get_n_decks (decks);
  GtkWindow *dialog;

  /* What the file manager hands over is imported in a worker. */
  sd_window_open_file (fixture->window, good_file);
  g_assert_true (sd_window_is_importing (fixture->window));
  g_assert_true (wait_import (fixture->window));
  g_assert_cmpuint (sd_deck_list_get_n_decks (decks), >, before);
  sd_test_screenshot (GTK_WIDGET (fixture->window), "import.png");

  /* A broken package is refused with its reason, and nothing changes. */
  before = sd_deck_list_get_n_decks (decks);
  sd_window_import_file (fixture->window, bad_file);
  g_assert_true (wait_import (fixture->window));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_destroy (dialog);
  g_assert_cmpuint (sd_deck_list_get_n_decks (decks), ==, before);
}

static void
test_delete_deck_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  SdDeckList *decks = SD_DECK_LIST (sd_window_get_deck_list (fixture->window));
  SdCollection *collection = sd_window_get_collection (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) reopened = NULL;
  gint64 parent = sd_deck_ensure (collection, "Old unit::Week 1", &error);
  guint before;

  parent = sd_deck_find (collection, "Old unit");
  before = sd_deck_list_get_n_decks (decks);
  g_assert_cmpuint (before, ==, 3);

  /* Deleting hides the deck and its subdeck at once; Undo brings them back. */
  g_signal_emit_by_name (decks, "delete-requested", parent);
  g_assert_cmpuint (sd_deck_list_get_n_decks (decks), ==, 1);
  g_assert_cmpint (sd_deck_find (collection, "Old unit"), ==, parent);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo-delete",
                                             "x", parent));
  g_assert_cmpuint (sd_deck_list_get_n_decks (decks), ==, before);

  /* Without Undo the deletion happens, at the latest when the window closes. */
  g_signal_emit_by_name (decks, "delete-requested", parent);
  gtk_window_close (GTK_WINDOW (fixture->window));
  sd_test_spin (50);
  g_assert_cmpint (sd_deck_find (collection, "Old unit"), ==, 0);
  g_assert_cmpint (sd_deck_find (collection, "Old unit::Week 1"), ==, 0);
  fixture->window = NULL;
}

static void
test_empty_collection (Fixture       *fixture,
                       gconstpointer  data)
{
  SdNotesList *notes = SD_NOTES_LIST (sd_window_get_notes_list (fixture->window));

  g_assert_cmpuint (sd_notes_list_get_n_notes (notes), ==, 0);
  sd_test_screenshot (GTK_WIDGET (fixture->window), "empty-window.png");
}

static void
test_toggle_notes_pane (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *notes_pane = sd_window_get_notes_pane (fixture->window);
  gboolean shown;

  g_object_get (fixture->window, "show-notes-pane", &shown, NULL);
  g_assert_true (shown);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.toggle-notes-pane", NULL));
  g_object_get (fixture->window, "show-notes-pane", &shown, NULL);
  g_assert_false (shown);
  g_assert_false (gtk_widget_get_visible (notes_pane));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.toggle-notes-pane", NULL));
  g_assert_true (gtk_widget_get_visible (notes_pane));
}

static void
test_narrow_stacks (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_false (sd_window_get_stacked (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  /* Narrow for two panes, still wide enough for the sidebar. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  sd_test_spin (300);
  g_assert_true (sd_window_get_stacked (fixture->window));
  sd_test_screenshot (GTK_WIDGET (fixture->window), "narrow-window.png");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  sd_test_spin (300);
  g_assert_false (sd_window_get_stacked (fixture->window));
}

static SdStatsWindow *
find_stats_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (SD_IS_STATS_WINDOW (window))
        return SD_STATS_WINDOW (window);
    }
  return NULL;
}

/* Statistics open from the deck's menu for that deck, and the deck can be
 * changed in the window; the deck's export starts from that deck. */
static void
test_statistics (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *package = g_test_build_filename (G_TEST_DIST, "data", "anki",
                                                    "scheduling.apkg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (package);
  SdCollection *collection = sd_window_get_collection (fixture->window);
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GError) error = NULL;
  SdStatsWindow *stats;
  SdStatsView *view;
  gint64 deck_id = 0;
  gint64 end;

  sd_window_import_file (fixture->window, file);
  g_assert_true (wait_import (fixture->window));
  decks = sd_deck_list (collection, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < decks->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (decks, i);
      if (deck->id != SD_DECK_DEFAULT_ID)
        deck_id = deck->id;
    }
  g_assert_cmpint (deck_id, !=, 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.deck-statistics", "x", deck_id);
  stats = find_stats_window ();
  g_assert_nonnull (stats);
  g_assert_cmpint (sd_stats_window_get_deck (stats), ==, deck_id);
  view = SD_STATS_VIEW (sd_stats_window_get_view (stats));

  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((sd_stats_view_is_busy (view) || sd_stats_view_get_stats (view) == NULL) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  g_assert_nonnull (sd_stats_view_get_stats (view));
  {
    const SdStatsCardStates *states = &sd_stats_view_get_stats (view)->card_states;
    g_assert_cmpuint (states->new_cards + states->learning + states->relearning +
                      states->young + states->mature + states->suspended + states->buried, >, 0);
  }
  sd_test_screenshot (GTK_WIDGET (stats), "statistics.png");

  sd_stats_window_set_deck (stats, 0);
  g_assert_cmpint (sd_stats_window_get_deck (stats), ==, 0);
  gtk_window_destroy (GTK_WINDOW (stats));

  /* The deck's menu also exports it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-deck", "x", deck_id);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    SdExportDialog *export = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && export == NULL; i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
        if (SD_IS_EXPORT_DIALOG (window))
          export = SD_EXPORT_DIALOG (window);
      }
    g_assert_nonnull (export);
    g_assert_cmpint (sd_export_dialog_get_deck_id (export), ==, deck_id);
    gtk_window_destroy (GTK_WINDOW (export));
  }

  /* The deck's menu browses its cards, in one browser window. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.browse-deck", "x", deck_id);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    SdBrowserWindow *browser = NULL;
    guint browsers = 0;
    g_autoptr(SdDeck) deck = sd_deck_load (collection, deck_id, &error);
    g_autofree char *query = sd_search_quote_term ("deck", deck->full_name);

    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.browse", NULL);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
        if (SD_IS_BROWSER_WINDOW (window))
          {
            browser = SD_BROWSER_WINDOW (window);
            browsers++;
          }
      }
    g_assert_cmpuint (browsers, ==, 1);
    g_assert_cmpstr (sd_browser_window_get_search (browser), ==, query);
    g_assert_cmpuint (sd_browser_window_get_n_rows (browser), ==,
                      sd_deck_count_cards (collection, deck_id));
    {
      gboolean handled = TRUE;

      /* An imported card has no note file: the browser opens nothing here. */
      g_signal_emit_by_name (browser, "open-source", sd_browser_window_get_row_id (browser, 0),
                             &handled);
      g_assert_false (handled);
    }
    gtk_window_destroy (GTK_WINDOW (browser));
  }

  /* Note types are managed from the main menu. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.notetypes", NULL);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWindow *notetypes = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && notetypes == NULL; i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
        if (SD_IS_NOTETYPES_WINDOW (window))
          notetypes = window;
      }
    g_assert_nonnull (notetypes);
    gtk_window_destroy (notetypes);
  }
}

/* Closing and starting again shows the same note and deck. */
static void
test_restore_session (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *registries = g_build_filename (g_getenv ("SAMPLES_DIR"), "02-registries.md",
                                               NULL);
  g_autoptr(SdApplication) app = new_application ();
  g_autoptr(GError) error = NULL;
  SdNotesPane *notes_pane = SD_NOTES_PANE (sd_window_get_notes_pane (fixture->window));
  SdReviewPane *review_pane = SD_REVIEW_PANE (sd_window_get_review_pane (fixture->window));
  SdWindow *window;
  gint64 deck_id;

  g_assert_true (g_file_test (registries, G_FILE_TEST_IS_REGULAR));
  sd_notes_pane_open (notes_pane, registries);
  deck_id = sd_deck_find (sd_window_get_collection (fixture->window), "Containers::Registries");
  g_assert_cmpint (deck_id, >, 0);
  sd_review_pane_show_deck (review_pane, deck_id);
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  sd_test_spin (50);
  g_application_quit (G_APPLICATION (fixture->app));

  sd_application_set_collection_path (app, fixture->collection_path);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);

  g_assert_cmpstr (sd_notes_pane_get_path (SD_NOTES_PANE (sd_window_get_notes_pane (window))), ==,
                   registries);
  g_assert_cmpint (sd_review_pane_get_deck (SD_REVIEW_PANE (sd_window_get_review_pane (window))),
                   ==, deck_id);
  gtk_window_close (GTK_WINDOW (window));
  sd_test_spin (50);
  g_application_quit (G_APPLICATION (app));
}

/* Studying the sample deck shows each card's note beside it, at the card. */
static void
test_side_by_side (Fixture       *fixture,
                   gconstpointer  data)
{
  SdNotesPane *notes_pane = SD_NOTES_PANE (sd_window_get_notes_pane (fixture->window));
  SdReviewPane *review_pane = SD_REVIEW_PANE (sd_window_get_review_pane (fixture->window));
  SdCollection *collection = sd_window_get_collection (fixture->window);
  g_autoptr(GError) error = NULL;
  const SdCard *card;

  g_assert_cmpstr (sd_review_pane_get_page (review_pane), ==, "overview");
  g_assert_true (sd_review_pane_study (review_pane, &error));
  g_assert_no_error (error);
  sd_test_spin (100);
  card = sd_review_pane_get_card (review_pane);
  g_assert_nonnull (card);

  {
    g_autoptr(SdNoteCardAnchor) anchor = sd_note_cards_anchor_for_card (collection, card->id,
                                                                        &error);
    g_assert_no_error (error);
    g_assert_nonnull (anchor);
    g_assert_cmpstr (sd_notes_pane_get_path (notes_pane), ==, anchor->path);
  }
  g_assert_cmpstr (sd_notes_pane_get_page (notes_pane), ==, "note");
  g_assert_cmpstr (sd_notes_list_get_selected_path (
                     SD_NOTES_LIST (sd_window_get_notes_list (fixture->window))), ==,
                   sd_notes_pane_get_path (notes_pane));
  sd_test_spin (200);
  {
    /* The sample notes keep their cards at the end: the note is scrolled. */
    GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (
      GTK_SCROLLABLE (sd_notes_pane_get_view (notes_pane)));
    g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 0);
  }
  /* The note does not give the answer away before it is asked for. */
  g_assert_true (sd_notes_pane_get_conceal_card (notes_pane));
  sd_test_screenshot (GTK_WIDGET (fixture->window), "side-by-side.png");
  gtk_widget_activate_action (GTK_WIDGET (review_pane), "review.reveal", NULL);
  g_assert_false (sd_notes_pane_get_conceal_card (notes_pane));
  sd_test_screenshot (GTK_WIDGET (fixture->window), "side-by-side-answer.png");

  /* The browser's "Open Source Note" shows the card's note here. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.browse", NULL);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    SdBrowserWindow *browser = NULL;
    gboolean handled = FALSE;
    gint64 card_id = sd_review_pane_get_card (review_pane)->id;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && browser == NULL; i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
        if (SD_IS_BROWSER_WINDOW (window))
          browser = SD_BROWSER_WINDOW (window);
      }
    g_assert_nonnull (browser);
    sd_notes_pane_open (notes_pane, g_getenv ("SAMPLES_DIR"));
    g_signal_emit_by_name (browser, "open-source", card_id, &handled);
    g_assert_true (handled);
    g_assert_cmpstr (sd_notes_pane_get_page (notes_pane), ==, "note");
    gtk_window_destroy (GTK_WINDOW (browser));
  }

  /* Hidden, the notes pane stops following the cards. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.toggle-notes-pane", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (notes_pane)));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.toggle-notes-pane", NULL);
}

static void
test_bad_collection (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "not-a-collection.db", NULL);
  g_autoptr(SdApplication) app = new_application ();
  g_autoptr(GError) error = NULL;
  SdWindow *window;

  sd_test_write_file (path, "plain text");
  sd_application_set_collection_path (app, path);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_assert_null (sd_window_get_collection (window));
  g_assert_cmpstr (sd_review_pane_get_page (SD_REVIEW_PANE (sd_window_get_review_pane (window))),
                   ==, "error");
  gtk_window_close (GTK_WINDOW (window));
  sd_test_spin (50);
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* Screenshots must not catch a crossfade halfway. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/studydeck/window/populated", Fixture, "samples",
              fixture_setup, test_populated, fixture_teardown);
  g_test_add ("/studydeck/window/search", Fixture, "samples",
              fixture_setup, test_search, fixture_teardown);
  g_test_add ("/studydeck/window/import", Fixture, NULL,
              fixture_setup, test_import, fixture_teardown);
  g_test_add ("/studydeck/window/delete-deck-undo", Fixture, NULL,
              fixture_setup, test_delete_deck_undo, fixture_teardown);
  g_test_add ("/studydeck/window/empty-collection", Fixture, NULL,
              fixture_setup, test_empty_collection, fixture_teardown);
  g_test_add ("/studydeck/window/toggle-notes-pane", Fixture, "samples",
              fixture_setup, test_toggle_notes_pane, fixture_teardown);
  g_test_add ("/studydeck/window/narrow-stacks", Fixture, "samples",
              fixture_setup, test_narrow_stacks, fixture_teardown);
  g_test_add ("/studydeck/window/statistics", Fixture, NULL,
              fixture_setup, test_statistics, fixture_teardown);
  g_test_add ("/studydeck/window/side-by-side", Fixture, "samples",
              fixture_setup, test_side_by_side, fixture_teardown);
  g_test_add ("/studydeck/window/restore-session", Fixture, "samples",
              fixture_setup, test_restore_session, fixture_teardown);
  g_test_add_func ("/studydeck/window/bad-collection", test_bad_collection);

  return g_test_run ();
}
