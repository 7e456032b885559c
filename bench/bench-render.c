/* bench-render.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Renders generated notes (100 KB and 1 MB by default, or the sizes in KB
 * given as arguments) --runs times each and prints the median, 95th
 * percentile, best and worst of each step: cmark parse + walk into
 * operations, replay into a detached buffer, attaching it to a view in a
 * window, the first frame drawn after that ("usable": from the start of the
 * parse), the longest main loop step until every style is applied, and
 * when that is. Needs a display (Xvfb is fine). Timings are printed, never
 * asserted. */

#include <adwaita.h>

#include "sd-markdown.h"
#include "sd-rich-text.h"
#include "sd-rich-view.h"

static const char section[] =
  "## Section %u\n"
  "\n"
  "A paragraph with *emphasis*, **strong text**, `inline code` and a "
  "[link](https://example.org/%u) to somewhere, then a [[Wiki note %u]] and "
  "a [local link](Other%u.md#intro). Lorem ipsum dolor sit amet, consectetur "
  "adipiscing elit, sed do eiusmod tempor incididunt ut labore.\n"
  "\n"
  "- first item\n"
  "- second item with ~~struck~~ text\n"
  "  1. nested one\n"
  "  2. nested two\n"
  "- [ ] a task\n"
  "\n"
  "```c\n"
  "int\n"
  "main (void)\n"
  "{\n"
  "  return %u;\n"
  "}\n"
  "```\n"
  "\n"
  "> A quote that goes on for a while so that it wraps in a narrow window.\n"
  "\n"
  "| a | b |\n"
  "|---|--:|\n"
  "| %u | <b>x</b> |\n"
  "\n";

static char *
generate (gsize size)
{
  GString *text = g_string_new ("---\ntitle: Bench\n---\n# Bench note\n\n");

  for (guint i = 0; text->len < size; i++)
    g_string_append_printf (text, section, i, i, i, i, i, i);

  return g_string_free (text, FALSE);
}

static gboolean
resolve (const char *uri,
         gpointer    user_data)
{
  return TRUE;
}

static gint64 frame_time;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (frame_time == 0)
    frame_time = g_get_monotonic_time ();
}

/* Sets frame_time to the end of the next frame drawn. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong handler;

  frame_time = 0;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (widget);
  while (frame_time == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static double
ms (gint64 from,
    gint64 to)
{
  return (to - from) / 1000.0;
}

enum {
  T_PARSE,
  T_FILL,
  T_ATTACH,
  T_FRAME,
  T_USABLE,
  T_COMPLETE,
  T_STALL,
  T_IDLE,
  N_TIMES
};

static const char * const time_names[N_TIMES] = {
  "parse + walk", "fill", "attach", "first frame", "usable after",
  "all styles after", "longest main loop step after the first frame",
  "main loop idle after",
};

/* Past this the main loop counts as never idle (an animation). */
#define IDLE_WAIT_USEC (3 * G_USEC_PER_SEC)

static gboolean verbose;
static gboolean fresh;

/* Opens one note in @view the way the notes pane does: parse, replay, then
 * show it in place of the note shown before (which is let go of then;
 * with --fresh, in a new empty view, once the one before is gone).
 * Waits for the first frame, then for every style and for the main loop to
 * have nothing left to do (GTK lays out the rest of the note in idle
 * time); the longest step in between is the longest a frame could have
 * waited. @times gets microseconds. */
static void
bench (GtkWindow *window,
       gsize      size,
       gint64     times[N_TIMES])
{
  g_autofree char *text = generate (size);
  g_autoptr(SdRichDoc) doc = NULL;
  g_autoptr(SdRichText) rich = NULL;
  GtkWidget *scrolled;
  SdRichView *view = NULL;
  gint64 t0, t1, t2, t3, t4 = 0, t5;
  gint64 stall = 0;

  /* A note is opened long after the last frame, not right in the frame
   * clock's next slot. */
  g_usleep (50000);

  if (fresh)
    {
      /* An empty view replaces the one before, out of the timing. */
      view = SD_RICH_VIEW (sd_rich_view_new ());
      scrolled = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (view));
      gtk_window_set_child (window, scrolled);
      wait_for_frame (GTK_WIDGET (view));
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (50000);
    }
  else
    {
      scrolled = gtk_window_get_child (window);
      view = SD_RICH_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)));
    }

  t0 = g_get_monotonic_time ();
  doc = sd_markdown_render (text, -1, NULL, resolve, NULL, NULL);
  t1 = g_get_monotonic_time ();
  rich = sd_rich_text_new (doc);
  t2 = g_get_monotonic_time ();
  sd_rich_view_set_text (view, rich);
  t3 = g_get_monotonic_time ();

  wait_for_frame (GTK_WIDGET (view));

  t5 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - frame_time < IDLE_WAIT_USEC)
    {
      gint64 before;

      if (t4 == 0 && sd_rich_text_is_complete (rich))
        t4 = g_get_monotonic_time ();
      if (t4 != 0 && !g_main_context_pending (NULL))
        break;

      before = g_get_monotonic_time ();
      g_main_context_iteration (NULL, TRUE);
      t5 = g_get_monotonic_time ();
      stall = MAX (stall, t5 - before);
    }

  times[T_PARSE] = t1 - t0;
  times[T_FILL] = t2 - t1;
  times[T_ATTACH] = t3 - t2;
  times[T_FRAME] = frame_time - t3;
  times[T_USABLE] = frame_time - t0;
  times[T_COMPLETE] = MAX (t4, frame_time) - t0;
  times[T_STALL] = stall;
  times[T_IDLE] = t5 - t0;

  if (verbose)
    g_print ("%7zu bytes, %6u ops, %5u links: parse+walk %5.1f ms, fill %5.1f ms, "
             "attach %5.1f ms, first frame %5.1f ms, usable after %5.1f ms, "
             "all styles after %6.1f ms, longest step %5.1f ms, idle after %6.1f ms\n",
             strlen (text), sd_rich_doc_get_n_ops (doc), sd_rich_doc_get_n_links (doc),
             ms (t0, t1), ms (t1, t2), ms (t2, t3), ms (t3, frame_time), ms (t0, frame_time),
             times[T_COMPLETE] / 1000.0, stall / 1000.0, ms (t0, t5));
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Nearest rank on sorted samples. */
static double
percentile_ms (const gint64 *sorted,
               guint         n,
               double        p)
{
  guint rank = (guint) (p * n + 0.999999);

  return sorted[CLAMP (rank, 1u, n) - 1] / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GtkWidget *scrolled;
  GtkWidget *view;
  int runs = 3;
  const char *css = "src/render/sd-rich-view.css";
  gsize sizes[16] = { 100 * 1024, 1024 * 1024 };
  guint n_sizes = 2;
  const GOptionEntry entries[] = {
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Renders of each size (3)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every render", NULL },
    { "fresh", 0, 0, G_OPTION_ARG_NONE, &fresh,
      "Open each note in a new view, not in place of the one before", NULL },
    { "css", 0, 0, G_OPTION_ARG_FILENAME, &css,
      "The app's style for tables and rules (src/render/sd-rich-view.css)", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("[SIZE_KB…] — render generated notes (100 KB and 1 MB)");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  runs = MAX (runs, 1);

  gtk_init ();
  adw_init ();

  /* Tables measure and draw as in the app only with its style. */
  if (g_file_test (css, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_path (provider, css);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  else
    {
      g_printerr ("%s not found: tables without the app's style\n", css);
    }

  if (argc > 1)
    {
      n_sizes = 0;
      for (int i = 1; i < argc && n_sizes < G_N_ELEMENTS (sizes); i++)
        sizes[n_sizes++] = g_ascii_strtoull (argv[i], NULL, 10) * 1024;
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  scrolled = gtk_scrolled_window_new ();
  view = sd_rich_view_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  /* One warm-up round (fonts, tag table, Cairo setup). */
  {
    gint64 times[N_TIMES];

    bench (GTK_WINDOW (window), 16 * 1024, times);
  }

  g_print ("| note | step | p50 | p95 | min | max |\n| --- | --- | --: | --: | --: | --: |\n");
  for (guint i = 0; i < n_sizes; i++)
    {
      g_autofree gint64 *samples = g_new (gint64, (gsize) runs * N_TIMES);

      for (int round = 0; round < runs; round++)
        bench (GTK_WINDOW (window), sizes[i], samples + (gsize) round * N_TIMES);

      for (int t = 0; t < N_TIMES; t++)
        {
          g_autofree gint64 *sorted = g_new (gint64, runs);

          for (int round = 0; round < runs; round++)
            sorted[round] = samples[(gsize) round * N_TIMES + t];
          qsort (sorted, runs, sizeof (gint64), compare_gint64);
          g_print ("| %zu KB | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |\n",
                   sizes[i] / 1024, time_names[t],
                   percentile_ms (sorted, runs, 0.5), percentile_ms (sorted, runs, 0.95),
                   sorted[0] / 1000.0, sorted[runs - 1] / 1000.0);
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
