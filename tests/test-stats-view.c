/* test-stats-view.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sd-anki-import.h"
#include "sd-card.h"
#include "sd-chart.h"
#include "sd-clock.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-stats-view.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

/* The French deck's history ends on 2026-03-24: the clock stands the
 * morning after, so every chart has something. */
#define AFTER_FRENCH_MS 1774432800000LL   /* 2026-03-25 10:00 UTC */

typedef struct
{
  char         *dir;
  SdCollection *collection;
  GtkWidget    *window;
  SdStatsView  *view;
  guint         updates;
  gint64        chemistry_card;   /* a review card of the generated history */
} Fixture;

static void
set_scheme (gboolean dark)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (adw_style_manager_get_dark (manager), ==, dark);
}

static void
updated_cb (SdStatsView *view,
            Fixture     *f)
{
  f->updates++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sd_clock_set_fixed (AFTER_FRENCH_MS);
  set_scheme (FALSE);
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  f->view = SD_STATS_VIEW (sd_stats_view_new ());
  g_signal_connect (f->view, "updated", G_CALLBACK (updated_cb), f);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
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
  sd_clock_reset ();
  set_scheme (FALSE);
}

/* Waits for the next figures. */
static void
wait_updated (Fixture *f)
{
  guint before = f->updates;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (f->updates == before && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->updates, >, before);
  g_assert_false (sd_stats_view_is_busy (f->view));
  gtk_test_widget_wait_for_draw (f->window);
}

static SdChart *
chart (Fixture    *f,
       const char *name)
{
  GtkWidget *widget = sd_stats_view_get_chart (f->view, name);

  g_assert_nonnull (widget);
  return SD_CHART (widget);
}

static gboolean
import_french (Fixture *f)
{
  g_autofree char *path = g_build_filename (g_getenv ("SHARED_DIR") ? g_getenv ("SHARED_DIR") : "",
                                            "fixtures", "anki",
                                            "mauriciopoppe-french-cloze-fsrs.apkg", NULL);
  g_autoptr(GError) error = NULL;
  SdImportStats stats = { 0 };

  if (g_getenv ("SHARED_DIR") == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  g_assert_true (sd_anki_import_file (f->collection, path, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stats.revlog, >, 1000);
  return TRUE;
}

/* A made-up history: three decks, cards in every state, answers on most
 * days of the last 200 with more lately. */
static void
generate_history (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 now = AFTER_FRENCH_MS / 1000;
  gint64 today = sd_clock_day_number (now, 4);
  const char *decks[] = { "Languages::Italian", "Languages::Greek", "Chemistry" };

  g_assert_true (sd_collection_begin (f->collection, &error));
  for (int i = 0; i < 240; i++)
    {
      gint64 deck = sd_deck_ensure (f->collection, decks[i % 3], &error);
      g_autofree char *front = g_strdup_printf ("Question %d", i);
      const char *fields[] = { front, "answer", NULL };
      g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);
      g_autoptr(GPtrArray) cards = NULL;
      SdCard *card;
      int state = i % 12;

      g_assert_true (sd_note_insert (f->collection, note, &error));
      g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
      cards = sd_card_list_for_note (f->collection, note->id, &error);
      card = cards->pdata[0];
      if (state < 3)
        continue;    /* new */

      card->type = SD_CARD_REVIEW;
      card->queue = state == 3 ? SD_QUEUE_SUSPENDED : SD_QUEUE_REVIEW;
      card->interval = state < 7 ? g_rand_int_range (rand, 1, 21) : g_rand_int_range (rand, 21, 120);
      card->due = today + g_rand_int_range (rand, -2, 28);
      card->stability = card->interval * g_rand_double_range (rand, 0.8, 1.4);
      card->difficulty = g_rand_double_range (rand, 1.0, 10.0);
      card->last_review = now - 86400 * g_rand_int_range (rand, 0, card->interval + 1);
      if (state == 4)
        {
          card->type = SD_CARD_RELEARNING;
          card->queue = SD_QUEUE_LEARNING;
          card->due = now + 600;
        }
      g_assert_true (sd_card_update (f->collection, card, &error));
      if (i % 3 == 2 && state > 4 && f->chemistry_card == 0)
        f->chemistry_card = card->id;

      for (int day = 200; day >= 0; day--)
        {
          SdRevlogEntry entry = { 0 };

          if (g_rand_int_range (rand, 0, 200) > 12 + (200 - day) / 8)
            continue;
          entry.id = (now - 86400LL * day - g_rand_int_range (rand, 0, 30000)) * 1000
                     + g_rand_int_range (rand, 0, 1000);
          entry.card_id = card->id;
          entry.rating = g_rand_int_range (rand, 0, 10) < 2 ? 1 : g_rand_int_range (rand, 2, 5);
          entry.kind = g_rand_int_range (rand, 0, 10) < 2 ? SD_REVLOG_LEARNING : SD_REVLOG_REVIEW;
          entry.last_interval = entry.kind == SD_REVLOG_LEARNING ? -600
                                                                 : g_rand_int_range (rand, 1, 60);
          entry.interval = 3;
          entry.ease = 500;
          entry.duration_ms = g_rand_int_range (rand, 3000, 15000);
          /* Two answers in the same millisecond would share an id. */
          sd_revlog_insert (f->collection, &entry, NULL);
        }
    }
  g_assert_true (sd_collection_commit (f->collection, &error));
  g_assert_no_error (error);
}

static void
assert_charts_have_data (Fixture *f)
{
  const char *names[] = { "calendar", "forecast", "time", "states", "buttons", "difficulty" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      SdChart *c = chart (f, names[i]);

      g_test_message ("%s: %u categories, total %.1f", names[i], sd_chart_get_n_categories (c),
                      sd_chart_get_total (c));
      g_assert_cmpfloat (sd_chart_get_total (c), >, 0);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (c)));
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (c)), >, 100);
    }
  g_assert_cmpuint (sd_chart_get_n_categories (chart (f, "calendar")), ==, SD_STATS_CALENDAR_DAYS);
  g_assert_cmpuint (sd_chart_get_n_categories (chart (f, "forecast")), ==, SD_STATS_FORECAST_DAYS);
  g_assert_cmpuint (sd_chart_get_n_categories (chart (f, "time")), ==, SD_STATS_TIME_DAYS);
  g_assert_cmpuint (sd_chart_get_n_categories (chart (f, "states")), ==, 7);
  g_assert_cmpuint (sd_chart_get_n_series (chart (f, "buttons")), ==, 4);
  g_assert_cmpuint (sd_chart_get_n_categories (chart (f, "buttons")), ==, 3);
  g_assert_cmpuint (sd_chart_get_n_categories (chart (f, "difficulty")), ==,
                    SD_STATS_DIFFICULTY_BUCKETS);
}

/* The charts hold the figures the core computed. */
static void
assert_charts_match (Fixture       *f,
                     const SdStats *stats)
{
  const SdStatsCardStates *s = &stats->card_states;
  double calendar = 0, forecast = 0, buttons = 0;

  for (int i = 0; i < SD_STATS_CALENDAR_DAYS; i++)
    calendar += stats->calendar[i].reviews;
  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    forecast += stats->forecast[i].reviews + stats->forecast[i].day_learning;
  for (int g = 0; g < SD_STATS_N_GROUPS; g++)
    for (int b = 0; b < 4; b++)
      buttons += stats->buttons[g][b];
  g_assert_cmpfloat (sd_chart_get_total (chart (f, "calendar")), ==, calendar);
  g_assert_cmpfloat (sd_chart_get_total (chart (f, "forecast")), ==, forecast);
  g_assert_cmpfloat (sd_chart_get_total (chart (f, "buttons")), ==, buttons);
  g_assert_cmpfloat (sd_chart_get_total (chart (f, "states")), ==,
                     (double) s->new_cards + s->learning + s->relearning + s->young + s->mature
                     + s->suspended + s->buried);
}

/* The whole page, scrolled part too: the window is no taller than the
 * screen, so this draws the page itself over the window's background. */
static void
screenshot_page (Fixture    *f,
                 const char *name)
{
  GtkWidget *stack = gtk_widget_get_first_child (GTK_WIDGET (f->view));
  GtkWidget *scroller = gtk_stack_get_visible_child (GTK_STACK (stack));
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *page = gtk_viewport_get_child (GTK_VIEWPORT (viewport));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (page);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (page);
  int height = gtk_widget_get_height (page);
  GdkRGBA background;

  g_assert_true (ADW_IS_CLAMP (page));
  sd_test_spin (100);
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (f->window),
                                       "window_bg_color", &background))
    gdk_rgba_parse (&background, "#fafafa");
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpuint (sd_test_count_colours (texture), >, 16);
  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d x %d)", path, width, height);
}

static void
screenshots (Fixture    *f,
             const char *prefix)
{
  g_autofree char *light = g_strdup_printf ("%s-light.png", prefix);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", prefix);
  SdChart *calendar = chart (f, "calendar");
  GdkRGBA light_green, dark_green;

  set_scheme (FALSE);
  gtk_test_widget_wait_for_draw (f->window);
  sd_chart_get_color (calendar, SD_CHART_COLOR_GREEN, &light_green);
  screenshot_page (f, light);

  /* The charts pick their shades again for the dark style. */
  set_scheme (TRUE);
  sd_test_spin (50);
  gtk_test_widget_wait_for_draw (f->window);
  sd_chart_get_color (calendar, SD_CHART_COLOR_GREEN, &dark_green);
  g_assert_false (gdk_rgba_equal (&light_green, &dark_green));
  screenshot_page (f, dark);
  set_scheme (FALSE);
}

static void
test_imported (Fixture       *f,
               gconstpointer  data)
{
  const SdStats *stats;
  gint64 deck;

  if (!import_french (f))
    {
      g_test_skip ("SHARED_DIR has no mauriciopoppe-french-cloze-fsrs.apkg");
      return;
    }

  sd_stats_view_set_collection (f->view, f->collection);
  wait_updated (f);
  stats = sd_stats_view_get_stats (f->view);
  g_assert_nonnull (stats);
  g_assert_cmpint (stats->deck_id, ==, 0);
  g_assert_cmpuint (stats->retention[SD_STATS_PERIOD_ALL_TIME].young_passed, >, 0);
  assert_charts_have_data (f);
  assert_charts_match (f, stats);
  screenshots (f, "stats-view");

  /* One deck: the figures and the drop-down follow. */
  deck = sd_deck_find (f->collection, "French");
  if (deck <= 0)
    {
      g_autoptr(GPtrArray) decks = sd_deck_list (f->collection, NULL);

      deck = ((SdDeck *) g_ptr_array_index (decks, decks->len - 1))->id;
    }
  sd_stats_view_set_deck (f->view, deck);
  wait_updated (f);
  g_assert_cmpint (sd_stats_view_get_deck (f->view), ==, deck);
  g_assert_cmpint (sd_stats_view_get_stats (f->view)->deck_id, ==, deck);
  assert_charts_match (f, sd_stats_view_get_stats (f->view));

  sd_stats_view_set_deck (f->view, 0);
  wait_updated (f);
  g_assert_cmpint (sd_stats_view_get_stats (f->view)->deck_id, ==, 0);
}

static void
test_generated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const SdStats *stats;
  gint64 chemistry;
  double calendar_before;
  guint reviews_before;

  generate_history (f);
  sd_stats_view_set_collection (f->view, f->collection);
  wait_updated (f);
  stats = sd_stats_view_get_stats (f->view);
  g_assert_nonnull (stats);
  assert_charts_have_data (f);
  assert_charts_match (f, stats);
  screenshots (f, "stats-view-generated");

  chemistry = sd_deck_find (f->collection, "Chemistry");
  sd_stats_view_set_deck (f->view, chemistry);
  wait_updated (f);
  stats = sd_stats_view_get_stats (f->view);
  g_assert_cmpint (stats->deck_id, ==, chemistry);
  assert_charts_match (f, stats);

  /* A new answer reaches the view while it is shown. */
  calendar_before = sd_chart_get_total (chart (f, "calendar"));
  reviews_before = stats->today_totals.reviews;
  {
    SdRevlogEntry entry = { .id = AFTER_FRENCH_MS - 1, .card_id = f->chemistry_card,
                            .rating = 3, .kind = SD_REVLOG_REVIEW, .interval = 5,
                            .last_interval = 3, .ease = 500, .duration_ms = 4000 };

    g_assert_true (sd_revlog_insert (f->collection, &entry, &error));
    g_assert_no_error (error);
  }
  sd_collection_notify_changed (f->collection);
  wait_updated (f);
  stats = sd_stats_view_get_stats (f->view);
  g_assert_cmpuint (stats->today_totals.reviews, ==, reviews_before + 1);
  g_assert_cmpfloat (sd_chart_get_total (chart (f, "calendar")), ==, calendar_before + 1);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  const char *names[] = { "calendar", "forecast", "time", "states", "buttons", "difficulty" };

  g_assert_null (sd_stats_view_get_stats (f->view));
  sd_stats_view_set_collection (f->view, f->collection);
  wait_updated (f);
  g_assert_nonnull (sd_stats_view_get_stats (f->view));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpfloat (sd_chart_get_total (chart (f, names[i])), ==, 0);
  screenshot_page (f, "stats-view-empty.png");

  /* No collection: nothing to compute. */
  sd_stats_view_set_collection (f->view, NULL);
  g_assert_false (sd_stats_view_is_busy (f->view));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/studydeck/stats-view/imported", test_imported);
  ADD ("/studydeck/stats-view/generated", test_generated);
  ADD ("/studydeck/stats-view/empty", test_empty);
#undef ADD

  return g_test_run ();
}
