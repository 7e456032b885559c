/* bench-render.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Renders generated notes (100 KB and 1 MB by default, or the sizes in KB
 * given as arguments) and prints how long each step takes: cmark parse +
 * walk into operations, replay into a detached buffer, attaching it to a
 * view in a window, and the first frame drawn after that. Needs a display
 * (Xvfb is fine). Timings are printed, never asserted. */

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

static double
ms (gint64 from,
    gint64 to)
{
  return (to - from) / 1000.0;
}

static void
bench (GtkWindow *window,
       gsize      size)
{
  g_autofree char *text = generate (size);
  g_autoptr(SdRichDoc) doc = NULL;
  g_autoptr(SdRichText) rich = NULL;
  GtkWidget *scrolled;
  GtkWidget *view;
  GdkFrameClock *clock;
  gint64 t0, t1, t2, t3, t4;
  gulong handler;

  t0 = g_get_monotonic_time ();
  doc = sd_markdown_render (text, -1, NULL, resolve, NULL, NULL);
  t1 = g_get_monotonic_time ();
  rich = sd_rich_text_new (doc);
  t2 = g_get_monotonic_time ();

  scrolled = gtk_scrolled_window_new ();
  view = sd_rich_view_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (window, scrolled);
  sd_rich_view_set_text (SD_RICH_VIEW (view), rich);
  t3 = g_get_monotonic_time ();

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  frame_time = 0;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (frame_time == 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);

  /* Long notes get their later styles in idle time. */
  while (!sd_rich_text_is_complete (rich))
    g_main_context_iteration (NULL, TRUE);
  t4 = g_get_monotonic_time ();

  g_print ("%7zu bytes, %6u ops, %5u links: parse+walk %5.1f ms, fill %5.1f ms, "
           "attach %5.1f ms, first frame %5.1f ms, usable after %5.1f ms, "
           "all styles after %6.1f ms\n",
           strlen (text), sd_rich_doc_get_n_ops (doc), sd_rich_doc_get_n_links (doc),
           ms (t0, t1), ms (t1, t2), ms (t2, t3), ms (t3, frame_time), ms (t0, frame_time),
           ms (t0, t4));

  gtk_window_set_child (window, NULL);
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;
  gsize sizes[16] = { 100 * 1024, 1024 * 1024 };
  guint n_sizes = 2;

  gtk_init ();
  adw_init ();

  if (argc > 1)
    {
      n_sizes = 0;
      for (int i = 1; i < argc && n_sizes < G_N_ELEMENTS (sizes); i++)
        sizes[n_sizes++] = g_ascii_strtoull (argv[i], NULL, 10) * 1024;
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  /* One warm-up round (fonts, tag table, GL/Cairo setup). */
  bench (GTK_WINDOW (window), 16 * 1024);

  for (guint i = 0; i < n_sizes; i++)
    for (int round = 0; round < 3; round++)
      bench (GTK_WINDOW (window), sizes[i]);

  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
