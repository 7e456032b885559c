/* bench-browser.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The card browser on a large collection: how long the window takes to
 * open on every card (to its first frame), and how long each frame takes
 * while the list scrolls, driven by the frame clock as a scrolling person
 * would: a wheel's worth of rows a frame, a page a frame, then jumps to
 * anywhere in the list as a dragged scrollbar makes. Also the time from a
 * click on a column header, and from a search, to the frame that shows it;
 * for a search typed in, also the longest the main loop was busy while it
 * ran.
 *
 *   bench-browser [N_CARDS] [PHASE...]
 *
 * N_CARDS is 100000 by default; PHASE is wheel, page or jump, and naming
 * some runs only those (to profile one, say). Without, all three run.
 *
 * Needs a display: run it under xvfb-run, with GDK_DEBUG=gl-disable for
 * the renderer the tests use. Prints a Markdown table; asserts nothing.
 * Beside each frame's work (wall-clock time) it gives the main thread's CPU
 * time in it, which other programs sharing the machine change less. */

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "sd-browser-model.h"
#include "sd-browser-window.h"
#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"

typedef enum
{
  PHASE_WHEEL,      /* 3 rows a frame */
  PHASE_PAGE,       /* a page a frame */
  PHASE_JUMP,       /* anywhere, each frame */
  N_PHASES
} Phase;

static const char *phase_ids[N_PHASES] = { "wheel", "page", "jump" };

static const char *phase_names[N_PHASES] = {
  "scroll 3 rows a frame", "scroll a page a frame", "jump anywhere each frame",
};

#define FRAMES_PER_PHASE 300

typedef struct
{
  SdBrowserWindow *window;
  GtkAdjustment   *adjustment;
  GMainLoop       *loop;
  GRand           *rand;
  gboolean         run[N_PHASES];
  Phase            phase;
  int              frame;
  gint64           update_at;      /* when this frame's update phase began */
  gint64           update_cpu;     /* and the CPU time this thread had used then */
  gint64           last_update;
  GArray          *work[N_PHASES];      /* µs from update to after-paint */
  GArray          *cpu[N_PHASES];       /* µs of this thread's CPU time in them */
  GArray          *interval[N_PHASES];  /* µs between frames */
  gboolean         waiting;        /* for one painted frame */
  gint64           painted_at;
} Bench;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *samples,
               double  p)
{
  guint index;

  if (samples->len == 0)
    return 0;
  g_array_sort (samples, compare_gint64);
  index = MIN (samples->len - 1, (guint) (p * samples->len));
  return g_array_index (samples, gint64, index) / 1000.0;
}

static gint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : 0;
}

/* ---- the collection ------------------------------------------------------ */

/* Basic notes through the core, in 60 decks, then one statement each gives
 * two thirds of the cards a review history, some a flag, a few a suspension. */
static void
fill (SdCollection *collection,
      int           n_cards)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autofree char *update = NULL;
  static const char *subjects[] = {
    "Anatomy", "Biology", "Chemistry", "French", "Geography", "History", "Latin",
    "Music", "Physics", "Spanish",
  };
  gint64 decks[60];
  gint64 today = sd_clock_day_number (sd_clock_now (), 4);

  for (int i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s::Chapter %d", subjects[i % 10], i / 10 + 1);
      decks[i] = sd_deck_ensure (collection, name, &error);
      g_assert_no_error (error);
    }

  if (!sd_collection_begin (collection, &error))
    g_error ("%s", error->message);
  for (int i = 0; i < n_cards; i++)
    {
      g_autofree char *front = g_strdup_printf ("Question %d: what is term %x in %s?", i,
                                                (guint) (i * 2654435761u), subjects[i % 10]);
      g_autofree char *back = g_strdup_printf ("Answer %d", i);
      const char *fields[] = { front, back, NULL };
      g_autoptr(SdNote) note = sd_note_new (basic->id, fields);

      note->tags = sd_note_split_tags (i % 3 ? "vocab" : "vocab exam::2026");
      if (!sd_note_insert_for_type (collection, note, basic, &error)
          || !sd_card_generate (collection, note, decks[i % 60], NULL, &error))
        g_error ("%s", error->message);
    }
  update = g_strdup_printf ("UPDATE cards SET type = 2, queue = 2,"
                            " due = %" G_GINT64_FORMAT " + abs(id) %% 90 - 30,"
                            " interval = 1 + abs(id) %% 200, ease = 1300 + abs(id) %% 1700,"
                            " reps = 1 + abs(id) %% 30, lapses = abs(id) %% 4"
                            " WHERE abs(id) %% 3 != 0;"
                            "UPDATE cards SET flags = 1 + abs(id) %% 7 WHERE abs(id) %% 41 = 0;"
                            "UPDATE cards SET queue = -1 WHERE abs(id) %% 53 = 0;",
                            today);
  if (!sd_collection_exec (collection, update, &error)
      || !sd_collection_commit (collection, &error))
    g_error ("%s", error->message);
  sd_collection_exec (collection, "ANALYZE", NULL);
}

/* ---- frames ----------------------------------------------------------------- */

/* The main thread's CPU time: the frame's work without the time other
 * programs on a shared machine took the processor from it. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
update_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->update_at = g_get_monotonic_time ();
  bench->update_cpu = thread_cpu_us ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  bench->painted_at = now;
  bench->waiting = FALSE;
  if (bench->phase >= N_PHASES || bench->frame == 0)
    return;
  g_array_append_vals (bench->work[bench->phase],
                       &(gint64) { now - bench->update_at }, 1);
  g_array_append_vals (bench->cpu[bench->phase],
                       &(gint64) { thread_cpu_us () - bench->update_cpu }, 1);
  if (bench->last_update != 0)
    g_array_append_vals (bench->interval[bench->phase],
                         &(gint64) { bench->update_at - bench->last_update }, 1);
  bench->last_update = bench->update_at;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Bench *bench = user_data;
  double value = gtk_adjustment_get_value (bench->adjustment);
  double upper = gtk_adjustment_get_upper (bench->adjustment);
  double page = gtk_adjustment_get_page_size (bench->adjustment);
  guint n = sd_browser_window_get_n_rows (bench->window);
  double row = n > 0 ? upper / n : 20;

  if (bench->frame == FRAMES_PER_PHASE || !bench->run[bench->phase])
    {
      do
        bench->phase++;
      while (bench->phase < N_PHASES && !bench->run[bench->phase]);
      bench->frame = 0;
      bench->last_update = 0;
      if (bench->phase == N_PHASES)
        {
          g_main_loop_quit (bench->loop);
          return G_SOURCE_REMOVE;
        }
    }
  bench->frame++;

  switch (bench->phase)
    {
    case PHASE_WHEEL:
      value += 3 * row;
      break;
    case PHASE_PAGE:
      value += page;
      break;
    case PHASE_JUMP:
    case N_PHASES:
    default:
      value = g_rand_double_range (bench->rand, 0, MAX (upper - page, 1));
      break;
    }
  if (value > upper - page)
    value = 0;
  gtk_adjustment_set_value (bench->adjustment, value);
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until a frame is painted after now. */
static gint64
wait_for_paint (Bench *bench)
{
  bench->waiting = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  while (bench->waiting)
    g_main_context_iteration (NULL, TRUE);
  return bench->painted_at;
}

/* Types @text into the search entry and presses Enter, as a person would:
 * @to_frame gets the time to the frame that shows what it found,
 * @longest the most CPU time the main thread spent in one main loop step
 * meanwhile (how long a key pressed then could have waited). */
static void
type_search (Bench      *bench,
             const char *text,
             gint64     *to_frame,
             gint64     *longest)
{
  SdCollection *collection = sd_browser_window_get_collection (bench->window);
  g_autoptr(GArray) expected = sd_browse_cards (collection, text, SD_BROWSE_COLUMN_DUE, TRUE,
                                                NULL);
  GtkWidget *entry;
  gint64 start;

  g_assert (expected != NULL && expected->len != sd_browser_window_get_n_rows (bench->window));
  *longest = 0;
  gtk_widget_activate_action (GTK_WIDGET (bench->window), "browser.focus-search", NULL);
  entry = gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (bench->window)),
                                   GTK_TYPE_SEARCH_ENTRY);
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
  while (sd_browser_window_get_n_rows (bench->window) != expected->len)
    {
      gint64 cpu = thread_cpu_us ();

      g_main_context_iteration (NULL, TRUE);
      *longest = MAX (*longest, thread_cpu_us () - cpu);
    }
  *to_frame = wait_for_paint (bench) - start;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  while (widget != NULL && !GTK_IS_SCROLLED_WINDOW (widget))
    widget = gtk_widget_get_parent (widget);
  return GTK_SCROLLED_WINDOW (widget);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GdkFrameClock *clock;
  SdBrowserModel *model;
  Bench bench = { 0 };
  int n_cards = argc > 1 ? atoi (argv[1]) : 100000;
  gint64 start, built, open_start, opened, shown;
  gint64 sorted, searched, typed, typed_stall;
  gboolean some = FALSE;

  for (int i = 2; i < argc; i++)
    for (int p = 0; p < N_PHASES; p++)
      if (strcmp (argv[i], phase_ids[p]) == 0)
        bench.run[p] = some = TRUE;
  for (int p = 0; p < N_PHASES && !some; p++)
    bench.run[p] = TRUE;

  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  dir = g_dir_make_tmp ("bench-browser-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "collection.db", NULL);
  collection = sd_collection_open (path, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  fill (collection, n_cards);
  built = g_get_monotonic_time ();
  g_printerr ("built %d cards in %.1f s\n", n_cards, (built - start) / 1e6);

  /* Open: from the call to the first frame on screen. */
  open_start = g_get_monotonic_time ();
  bench.window = sd_browser_window_new (NULL, collection, NULL);
  opened = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (bench.window));
  bench.waiting = TRUE;
  while (!gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_signal_connect (clock, "update", G_CALLBACK (update_cb), &bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  bench.phase = N_PHASES;
  shown = wait_for_paint (&bench);
  g_printerr ("opened in %.1f ms\n", (shown - open_start) / 1000.0);
  g_assert_cmpuint (sd_browser_window_get_n_rows (bench.window), ==, (guint) n_cards);

  bench.adjustment = gtk_scrolled_window_get_vadjustment (
    find_scroller (GTK_WIDGET (sd_browser_window_get_column_view (bench.window))));
  bench.rand = g_rand_new_with_seed (7);
  bench.loop = g_main_loop_new (NULL, FALSE);
  for (int i = 0; i < N_PHASES; i++)
    {
      bench.work[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.cpu[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.interval[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  bench.phase = PHASE_WHEEL;
  gtk_widget_add_tick_callback (GTK_WIDGET (bench.window), scroll_tick_cb, &bench, NULL);
  g_main_loop_run (bench.loop);

  /* A click on the Due header, then a search typed in. */
  bench.phase = N_PHASES;
  start = g_get_monotonic_time ();
  sd_browser_window_sort_by (bench.window, SD_BROWSE_COLUMN_DUE, TRUE);
  sorted = wait_for_paint (&bench) - start;
  start = g_get_monotonic_time ();
  sd_browser_window_set_search (bench.window, "deck:Chemistry* is:review");
  searched = wait_for_paint (&bench) - start;
  type_search (&bench, "deck:History* is:due", &typed, &typed_stall);

  model = SD_BROWSER_MODEL (gtk_multi_selection_get_model (
    GTK_MULTI_SELECTION (sd_browser_window_get_selection (bench.window))));

  g_print ("Card browser, %d cards, %s renderer\n\n", n_cards,
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));
  g_print ("| step | time |\n| --- | --: |\n");
  g_print ("| open: make the window (search and sort every card) | %.1f ms |\n",
           (opened - open_start) / 1000.0);
  g_print ("| open: to the first frame with rows | %.1f ms |\n", (shown - open_start) / 1000.0);
  g_print ("| sort by due (header click) to its frame | %.1f ms |\n", sorted / 1000.0);
  g_print ("| search `deck:Chemistry* is:review` to its frame | %.1f ms |\n", searched / 1000.0);
  g_print ("| search `deck:History* is:due` typed, to its frame | %.1f ms |\n", typed / 1000.0);
  g_print ("| the longest main loop step meanwhile (CPU) | %.1f ms |\n", typed_stall / 1000.0);
  g_print ("\n| scrolling (%d frames each) | frame work p50 | p95 | max | CPU p50 | p95"
           " | frame interval p50 | p95 |\n", FRAMES_PER_PHASE);
  g_print ("| --- | --: | --: | --: | --: | --: | --: | --: |\n");
  for (int i = 0; i < N_PHASES; i++)
    if (bench.run[i])
      g_print ("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.1f ms | %.1f ms |\n",
               phase_names[i],
               percentile_ms (bench.work[i], 0.5), percentile_ms (bench.work[i], 0.95),
               percentile_ms (bench.work[i], 1.0),
               percentile_ms (bench.cpu[i], 0.5), percentile_ms (bench.cpu[i], 0.95),
               percentile_ms (bench.interval[i], 0.5), percentile_ms (bench.interval[i], 0.95));
  g_print ("\nrows read: %u of %d; peak memory (VmHWM): %" G_GINT64_FORMAT " MB\n",
           sd_browser_model_get_n_loaded (model), n_cards, peak_rss_kb () / 1024);

  gtk_window_destroy (GTK_WINDOW (bench.window));
  for (int i = 0; i < N_PHASES; i++)
    {
      g_array_unref (bench.work[i]);
      g_array_unref (bench.cpu[i]);
      g_array_unref (bench.interval[i]);
    }
  g_main_loop_unref (bench.loop);
  g_rand_free (bench.rand);
  g_clear_object (&collection);
  remove_tree (dir);
  return 0;
}
