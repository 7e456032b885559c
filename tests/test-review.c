/* test-review.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "sd-card.h"
#include "sd-deck.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-review-pane.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

/* Reviews with real key presses: xdotool sends them through the X server
 * to the focused window, as a keyboard would. */

typedef struct
{
  char         *dir;
  SdCollection *collection;
  gint64        deck;
  GtkWidget    *window;
  SdReviewPane *pane;
} Fixture;

static gint64
add_note (Fixture     *f,
          SdStockKind  stock,
          const char  *first,
          const char  *second)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (f->collection, stock, &error);
  const char *fields[] = { first, second, NULL };
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);

  g_assert_true (sd_note_insert (f->collection, note, &error));
  g_assert_true (sd_card_generate (f->collection, note, f->deck, NULL, &error));
  g_assert_no_error (error);
  return note->id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay = adw_toast_overlay_new ();

  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
  f->deck = sd_deck_ensure (f->collection, "Biology::Cells", &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "StudyDeck review test");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 560);
  f->pane = g_object_new (SD_TYPE_REVIEW_PANE, NULL);
  sd_review_pane_set_collection (f->pane, f->collection);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->pane));
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  sd_test_spin (20);
  g_clear_object (&f->collection);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* One key at a time, at a person's pace: a burst of keys from xdotool can
 * reach the window before it has drawn the answer the first key asked for. */
static void
press (Fixture    *f,
       const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *command = g_strdup_printf ("xdotool windowfocus --sync %s key --delay 30 %s",
                                              xid, keys);
  int status = 0;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, &error));
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  sd_test_spin (150);
}

static guint
count_reviews (Fixture *f)
{
  SdCollectionCounts counts;

  g_assert_true (sd_collection_get_counts (f->collection, &counts, NULL));
  return counts.revlog;
}

static GArray *
log_of (Fixture *f,
        gint64   card_id)
{
  g_autoptr(GError) error = NULL;
  GArray *log = sd_revlog_list_for_card (f->collection, card_id, &error);

  g_assert_no_error (error);
  return log;
}

static void
test_keyboard_review (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[3];
  gint64 first, second, third;
  SdCard *card;

  if (g_find_program_in_path ("xdotool") == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return;
    }

  ids[0] = add_note (f, SD_STOCK_BASIC, "What does a ribosome make?", "Proteins");
  ids[1] = add_note (f, SD_STOCK_BASIC, "Where does glycolysis happen?", "In the cytoplasm");
  ids[2] = add_note (f, SD_STOCK_BASIC, "What holds a cell's DNA?", "The nucleus");
  (void) ids;

  sd_review_pane_show_deck (f->pane, f->deck);
  g_assert_cmpstr (sd_review_pane_get_page (f->pane), ==, "overview");
  sd_test_screenshot (f->window, "review-overview.png");
  g_assert_true (sd_review_pane_study (f->pane, &error));
  g_assert_cmpstr (sd_review_pane_get_page (f->pane), ==, "review");
  g_assert_false (sd_review_pane_is_revealed (f->pane));
  first = sd_review_pane_get_card (f->pane)->id;
  sd_test_screenshot (f->window, "review-front.png");

  /* Space shows the answer; 3 rates it Good. */
  press (f, "space");
  g_assert_true (sd_review_pane_is_revealed (f->pane));
  sd_test_screenshot (f->window, "review.png");
  press (f, "3");
  g_assert_cmpuint (count_reviews (f), ==, 1);
  second = sd_review_pane_get_card (f->pane)->id;
  g_assert_cmpint (second, !=, first);

  /* Enter shows the answer, Space on the back is Good too. */
  press (f, "Return");
  press (f, "space");
  g_assert_cmpuint (count_reviews (f), ==, 2);
  third = sd_review_pane_get_card (f->pane)->id;

  /* 1 is Again: the card goes back to its first learning step. */
  press (f, "space");
  press (f, "1");
  g_assert_cmpuint (count_reviews (f), ==, 3);
  {
    g_autoptr(GArray) log = log_of (f, third);
    g_assert_cmpuint (log->len, ==, 1);
    g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).rating, ==, 1);
    g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).duration_ms, >, 0);
  }
  card = sd_card_load (f->collection, third, &error);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_LEARNING);
  g_assert_cmpint (card->step, ==, 0);
  sd_card_free (card);

  /* Ctrl+Z takes the last answer back and shows that card again. */
  press (f, "ctrl+z");
  g_assert_cmpuint (count_reviews (f), ==, 2);
  g_assert_cmpint (sd_review_pane_get_card (f->pane)->id, ==, third);
  card = sd_card_load (f->collection, third, &error);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_NEW);
  sd_card_free (card);

  /* 4 is Easy: straight to review. */
  press (f, "space");
  press (f, "4");
  card = sd_card_load (f->collection, third, &error);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (card->interval, >=, 1);
  sd_card_free (card);

  /* The first card's learning step comes back within the learn-ahead time;
   * "-" buries it for the day. */
  g_assert_cmpint (sd_review_pane_get_card (f->pane)->id, ==, first);
  press (f, "minus");
  card = sd_card_load (f->collection, first, &error);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_USER_BURIED);
  sd_card_free (card);

  {
    g_autoptr(GArray) log = log_of (f, first);
    g_assert_cmpuint (log->len, ==, 1);
    g_assert_cmpint (g_array_index (log, SdRevlogEntry, 0).rating, ==, 3);
  }
}

static void
test_cloze_and_image (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_test_build_filename (G_TEST_DIST, "data", "markdown", "picture.png", NULL);
  g_autofree char *name = sd_media_add_file (f->collection, png, &error);
  g_autofree char *img = NULL;

  g_assert_no_error (error);
  add_note (f, SD_STOCK_CLOZE, "The {{c1::mitochondrion}} makes {{c2::ATP::a molecule}}.", "");
  sd_review_pane_show_deck (f->pane, f->deck);
  g_assert_true (sd_review_pane_study (f->pane, &error));
  sd_test_screenshot (f->window, "review-cloze.png");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.reveal", NULL);
  sd_test_screenshot (f->window, "review-cloze-answer.png");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.answer", "i", 4);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.answer", "i", 4);

  img = g_strdup_printf ("Which organelle is this? <img src=\"%s\">", name);
  {
    gint64 image_note = add_note (f, SD_STOCK_BASIC, img, "A chloroplast");

    sd_review_pane_show_deck (f->pane, f->deck);
    g_assert_true (sd_review_pane_study (f->pane, &error));
    while (sd_review_pane_get_card (f->pane) != NULL
           && sd_review_pane_get_card (f->pane)->note_id != image_note)
      {
        gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.reveal", NULL);
        gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.answer", "i", 4);
      }
    g_assert_nonnull (sd_review_pane_get_card (f->pane));
    g_assert_cmpuint (sd_rich_doc_get_n_images (sd_rich_text_get_doc (
      sd_card_view_get_rich_text (sd_review_pane_get_card_view (f->pane)))), ==, 1);
    sd_test_screenshot (f->window, "review-image.png");
  }
}

static void
test_finished (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  add_note (f, SD_STOCK_BASIC, "Only card", "Answer");
  sd_review_pane_show_deck (f->pane, f->deck);
  g_assert_true (sd_review_pane_study (f->pane, &error));
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.reveal", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.answer", "i", 4);
  g_assert_cmpstr (sd_review_pane_get_page (f->pane), ==, "finished");
  sd_test_screenshot (f->window, "review-finished.png");

  /* Undo from the finished state brings the card back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "review.undo", NULL));
  g_assert_cmpstr (sd_review_pane_get_page (f->pane), ==, "review");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/studydeck/review/keyboard", test_keyboard_review);
  ADD ("/studydeck/review/cloze-and-image", test_cloze_and_image);
  ADD ("/studydeck/review/finished", test_finished);
#undef ADD

  return g_test_run ();
}
