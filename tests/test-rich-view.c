/* test-rich-view.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Rendered Markdown in a GtkTextBuffer and an SdRichView (needs a display:
 * run under Xvfb). */

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sd-markdown.h"
#include "sd-rich-text.h"
#include "sd-rich-view.h"

static char *
data_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "markdown", NULL);
}

static gboolean
resolve (const char *uri,
         gpointer    user_data)
{
  return strstr (uri, "Missing") == NULL;
}

static SdRichText *
render_with_dir (const char *markdown,
                 const char *dir)
{
  g_autoptr(SdRichDoc) doc = sd_markdown_render (markdown, -1, dir, resolve, NULL, NULL);

  return sd_rich_text_new (doc);
}

static SdRichText *
render (const char *markdown)
{
  return render_with_dir (markdown, NULL);
}

static char *
buffer_text (SdRichText *rich)
{
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (rich);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  /* A slice has U+FFFC for images and anchors, like the doc's text. */
  return gtk_text_buffer_get_slice (buffer, &start, &end, FALSE);
}

static gboolean
has_tag (SdRichText *rich,
         int         offset,
         const char *name)
{
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (rich);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);

  return gtk_text_iter_has_tag (&iter, tag);
}

/* The tag covers exactly [start, end). */
static void
assert_tag_range (SdRichText *rich,
                  const char *name,
                  int         start,
                  int         end)
{
  if (start > 0)
    g_assert_false (has_tag (rich, start - 1, name));
  for (int i = start; i < end; i++)
    g_assert_true (has_tag (rich, i, name));
  g_assert_false (has_tag (rich, end, name));
}

static void
test_inline_tags (void)
{
  g_autoptr(SdRichText) rich = render ("a *em* **strong** `code` ~~gone~~ <u>u</u> "
                                       "<mark>m</mark> x<sub>2</sub>\n");
  g_autofree char *text = buffer_text (rich);

  g_assert_cmpstr (text, ==, "a em strong code gone u m x2\n");
  assert_tag_range (rich, "emphasis", 2, 4);
  assert_tag_range (rich, "strong", 5, 11);
  assert_tag_range (rich, "code", 12, 16);
  assert_tag_range (rich, "strike", 17, 21);
  assert_tag_range (rich, "underline", 22, 23);
  assert_tag_range (rich, "mark", 24, 25);
  assert_tag_range (rich, "subscript", 27, 28);
}

static void
test_headings (void)
{
  g_autoptr(SdRichText) rich = render ("# One\n\ntext\n\n## Two *x*\n\n###### Six\n\n# One\n");
  g_autofree char *text = buffer_text (rich);
  GtkTextIter iter;

  g_assert_cmpstr (text, ==, "One\ntext\nTwo x\nSix\nOne\n");
  assert_tag_range (rich, "h1", 0, 4);
  assert_tag_range (rich, "h2", 9, 15);
  g_assert_true (has_tag (rich, 13, "emphasis"));
  g_assert_true (has_tag (rich, 15, "h6"));
  g_assert_false (has_tag (rich, 4, "h1"));

  g_assert_true (sd_rich_text_get_heading_iter (rich, "one", &iter));
  g_assert_cmpint (gtk_text_iter_get_offset (&iter), ==, 0);
  g_assert_true (sd_rich_text_get_heading_iter (rich, "two-x", &iter));
  g_assert_cmpint (gtk_text_iter_get_offset (&iter), ==, 9);
  g_assert_true (sd_rich_text_get_heading_iter (rich, "one-1", &iter));
  g_assert_cmpint (gtk_text_iter_get_offset (&iter), ==, 19);
  g_assert_false (sd_rich_text_get_heading_iter (rich, "nope", NULL));
  g_assert_nonnull (gtk_text_buffer_get_mark (sd_rich_text_get_buffer (rich), "heading:six"));

  /* The outline: the heading a position belongs to. */
  g_assert_cmpstr (sd_rich_text_get_heading_at_offset (rich, 6)->slug, ==, "one");
  g_assert_cmpstr (sd_rich_text_get_heading_at_offset (rich, 9)->slug, ==, "two-x");
  g_assert_cmpstr (sd_rich_text_get_heading_at_offset (rich, 18)->slug, ==, "six");
}

static void
test_links (void)
{
  g_autoptr(SdRichText) rich = render ("# Top\n\n[ext](https://example.org) [[Note|alias]] "
                                       "[[Missing]] [a](#top) [b](#gone) plain\n");
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (rich);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  g_autofree char *text = buffer_text (rich);
  const SdRichLink *link;
  GtkTextIter iter;
  int n_tags = gtk_text_tag_table_get_size (table);

  g_assert_cmpstr (text, ==, "Top\next alias Missing a b plain\n");

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 5);
  link = sd_rich_text_get_link_at_iter (rich, &iter);
  g_assert_nonnull (link);
  g_assert_cmpstr (link->uri, ==, "https://example.org");
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 8);
  link = sd_rich_text_get_link_at_iter (rich, &iter);
  g_assert_cmpstr (link->uri, ==, "wikilink:Note");
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 7);
  g_assert_null (sd_rich_text_get_link_at_iter (rich, &iter));

  assert_tag_range (rich, "link", 4, 7);
  assert_tag_range (rich, "link", 8, 13);
  g_assert_false (has_tag (rich, 4, "link-broken"));
  assert_tag_range (rich, "link-broken", 14, 21);
  g_assert_false (has_tag (rich, 22, "link-broken"));
  assert_tag_range (rich, "link-broken", 24, 25);
  g_assert_false (has_tag (rich, 27, "link"));

  /* One shared tag for all links: rendering more links adds no tags. */
  {
    g_autoptr(SdRichText) more = render ("[a](https://a) [b](https://b) [c](https://c) [[d]]\n");

    g_assert_cmpint (gtk_text_tag_table_get_size (table), ==, n_tags);
  }
}

static void
test_blocks (void)
{
  g_autoptr(SdRichText) rich = render ("---\ntitle: Hidden\n---\n"
                                       "- a\n  - b\n\n"
                                       "> quoted\n\n"
                                       "```\ncode\n```\n\n"
                                       "<blink>x</blink> <b>b</b>\n");
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (rich);
  g_autofree char *text = buffer_text (rich);
  GtkTextTag *indent;
  int left_margin, indent_px;

  /* Front matter is not shown. */
  g_assert_cmpstr (text, ==, "\xe2\x80\xa2\ta\n\xe2\x97\xa6\tb\nquoted\ncode\n<blink>x</blink> b\n");

  /* Hanging indent: the marker at 18 px, wrapped text at 18 + 22. */
  indent = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "indent-22-22");
  g_assert_nonnull (indent);
  g_object_get (indent, "left-margin", &left_margin, "indent", &indent_px, NULL);
  g_assert_cmpint (left_margin, ==, SD_RICH_TEXT_MARGIN);
  g_assert_cmpint (indent_px, ==, -22);
  g_assert_true (has_tag (rich, 0, "indent-22-22"));
  g_assert_true (has_tag (rich, 0, "marker"));
  g_assert_false (has_tag (rich, 2, "marker"));
  g_assert_true (has_tag (rich, 4, "indent-44-22"));

  assert_tag_range (rich, "quote", 8, 15);
  g_assert_true (has_tag (rich, 8, "indent-22-0"));
  assert_tag_range (rich, "code-block", 15, 20);
  g_assert_true (has_tag (rich, 15, "pad-top"));
  g_assert_cmpuint (sd_rich_text_get_n_blocks (rich), ==, 2);

  /* Unsupported HTML is literal and dim; the safe subset is styled. */
  assert_tag_range (rich, "literal", 20, 27);
  g_assert_false (has_tag (rich, 27, "literal"));
  assert_tag_range (rich, "literal", 28, 36);
  assert_tag_range (rich, "strong", 37, 38);
}

static void
test_images (void)
{
  g_autofree char *dir = data_dir ();
  g_autoptr(SdRichText) rich = render_with_dir ("![Pic](picture.png) ![Gone](nowhere.png)\n", dir);
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (rich);
  g_autofree char *text = buffer_text (rich);
  GdkPaintable *paintable;
  GtkTextIter iter;

  /* The alt text behind a loaded image is hidden. */
  g_assert_cmpstr (text, ==, "\xef\xbf\xbc Gone\n");
  g_assert_cmpuint (sd_rich_text_get_n_images (rich), ==, 1);
  g_assert_true (sd_rich_text_image_is_loaded (rich, 0));

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 0);
  paintable = gtk_text_iter_get_paintable (&iter);
  g_assert_true (paintable == sd_rich_text_get_image (rich, 0));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 480);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 160);
  g_assert_true (has_tag (rich, 1, "hidden"));

  /* Scaled down to the width, keeping its aspect ratio. */
  sd_rich_text_set_max_width (rich, 240);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 240);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 80);
  sd_rich_text_set_max_width (rich, 1000);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 480);

  /* A missing image is its alt text. */
  assert_tag_range (rich, "image-alt", 5, 9);
}

static void
test_broken_image (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-rich-view-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.png", NULL);
  g_autoptr(SdRichText) rich = NULL;
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (path, "not a picture", -1, NULL));
  rich = render_with_dir ("![Broken](broken.png)\n", dir);
  text = buffer_text (rich);

  /* The file exists but does not decode: its alt text is revealed. */
  g_assert_false (sd_rich_text_image_is_loaded (rich, 0));
  g_assert_cmpstr (text, ==, "\xef\xbf\xbc" "Broken\n");
  g_assert_false (has_tag (rich, 1, "hidden"));
  g_assert_true (has_tag (rich, 1, "image-alt"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_big_image_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-rich-view-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.png", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(SdRichText) rich = NULL;
  guchar *pixels;
  const int w = 700, h = 500;

  /* Noise does not compress: well over the size decoded on the spot. */
  pixels = g_malloc ((gsize) w * h * 4);
  for (int i = 0; i < w * h * 4; i++)
    pixels[i] = (guchar) g_random_int ();
  bytes = g_bytes_new_take (pixels, (gsize) w * h * 4);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_R8G8B8A8, bytes, (gsize) w * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  rich = render_with_dir ("![Big](big.png)\n", dir);
  g_assert_false (sd_rich_text_image_is_loaded (rich, 0));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (sd_rich_text_get_image (rich, 0)), ==, 0);

  while (!sd_rich_text_image_is_loaded (rich, 0))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (sd_rich_text_get_image (rich, 0)), ==, w);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_dark_colors (void)
{
  GtkTextTag *link = gtk_text_tag_table_lookup (sd_rich_text_get_tag_table (), "link");
  GdkRGBA *light_color, *dark_color;

  sd_rich_text_set_dark (FALSE);
  g_object_get (link, "foreground-rgba", &light_color, NULL);
  sd_rich_text_set_dark (TRUE);
  g_object_get (link, "foreground-rgba", &dark_color, NULL);
  sd_rich_text_set_dark (FALSE);

  /* Lighter on a dark background. */
  g_assert_cmpfloat (dark_color->red + dark_color->green + dark_color->blue, >,
                     light_color->red + light_color->green + light_color->blue);
  gdk_rgba_free (light_color);
  gdk_rgba_free (dark_color);
}

/* A window with a view showing @rich, presented and drawn. */
static GtkWidget *
show (SdRichText *rich,
      SdRichView **view_out,
      int          width,
      int          height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = sd_rich_view_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  sd_rich_view_set_text (SD_RICH_VIEW (view), rich);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  /* Children near the visible part are created before the next frame. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_test_widget_wait_for_draw (window);

  *view_out = SD_RICH_VIEW (view);

  return window;
}

static GtkWidget *
anchor_widget (SdRichText *rich,
               guint       i)
{
  GtkTextChildAnchor *anchor = sd_rich_text_get_anchor (rich, i, NULL, NULL, NULL);
  g_autofree GtkWidget **widgets = NULL;
  guint n = 0;

  widgets = gtk_text_child_anchor_get_widgets (anchor, &n);
  g_assert_cmpuint (n, ==, 1);

  return widgets[0];
}

static void
test_table_widget (void)
{
  g_autoptr(SdRichText) rich = render ("| Name | Size |\n|:--|--:|\n| **cell** | [[Note]] |\n"
                                       "| two | 2 |\n\n---\n");
  SdRichView *view;
  GtkWidget *window = show (rich, &view, 600, 400);
  SdRichAnchorKind kind;
  const SdRichTable *table;
  GtkGrid *grid;
  GtkWidget *label;

  g_assert_cmpuint (sd_rich_text_get_n_anchors (rich), ==, 2);
  sd_rich_text_get_anchor (rich, 0, &kind, &table, NULL);
  g_assert_cmpint (kind, ==, SD_RICH_ANCHOR_TABLE);
  g_assert_cmpuint (table->n_rows, ==, 3);

  grid = sd_rich_text_table_get_grid (anchor_widget (rich, 0));
  g_assert_nonnull (grid);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (grid)));

  label = gtk_grid_get_child_at (grid, 0, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Name");
  g_assert_true (gtk_widget_has_css_class (label, "sd-table-header"));
  label = gtk_grid_get_child_at (grid, 1, 0);
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (label)), ==, 1.0f);
  label = gtk_grid_get_child_at (grid, 0, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "cell");
  g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (label)), "<b>cell</b>") != NULL);
  label = gtk_grid_get_child_at (grid, 1, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Note");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "href=\"wikilink:Note\""));
  label = gtk_grid_get_child_at (grid, 1, 2);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "2");
  g_assert_null (gtk_grid_get_child_at (grid, 2, 0));
  g_assert_null (gtk_grid_get_child_at (grid, 0, 3));

  /* The rule follows the text width. */
  sd_rich_text_get_anchor (rich, 1, &kind, NULL, NULL);
  g_assert_cmpint (kind, ==, SD_RICH_ANCHOR_RULE);
  g_assert_true (GTK_IS_SEPARATOR (anchor_widget (rich, 1)));
  g_assert_cmpint (gtk_widget_get_width (anchor_widget (rich, 1)), >,
                   600 - 2 * SD_RICH_TEXT_MARGIN - 40);

  gtk_window_destroy (GTK_WINDOW (window));
}

static char *activated;

static gboolean
on_link_activated (SdRichView *view,
                   const char *uri,
                   gpointer    user_data)
{
  g_free (activated);
  activated = g_strdup (uri);

  return sd_rich_link_classify (uri) != SD_RICH_LINK_ANCHOR;
}

static void
test_view_links_and_outline (void)
{
  GString *markdown = g_string_new ("# Start\n\n[note](Other.md) [jump](#end)\n\n");
  g_autoptr(SdRichText) rich = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  SdRichView *view;
  GtkWidget *window;
  GdkRectangle visible;
  int y, height;

  for (int i = 0; i < 80; i++)
    g_string_append_printf (markdown, "Filler paragraph %d.\n\n", i);
  g_string_append (markdown, "## End\n\nLast words.\n");
  rich = render (markdown->str);
  g_string_free (markdown, TRUE);

  window = show (rich, &view, 500, 300);
  buffer = sd_rich_text_get_buffer (rich);
  g_signal_connect (view, "link-activated", G_CALLBACK (on_link_activated), NULL);

  g_assert_true (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)) == buffer);
  g_assert_cmpstr (sd_rich_view_get_current_heading (view), ==, "start");

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 7);
  g_assert_true (sd_rich_view_activate_link_at (view, &iter));
  g_assert_cmpstr (activated, ==, "Other.md");
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 10);
  g_assert_false (sd_rich_view_activate_link_at (view, &iter));

  /* "#end" is handled by the view itself: it scrolls there. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 13);
  g_assert_true (sd_rich_view_activate_link_at (view, &iter));
  g_assert_cmpstr (activated, ==, "#end");
  gtk_test_widget_wait_for_draw (window);
  gtk_text_view_get_visible_rect (GTK_TEXT_VIEW (view), &visible);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_mark (buffer, "heading:end"));
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (view), &iter, &y, &height);
  g_assert_cmpint (y, >=, visible.y);
  g_assert_cmpint (y, <, visible.y + visible.height);
  g_assert_cmpstr (sd_rich_view_get_current_heading (view), ==, "end");

  /* Keyboard: the links in turn, then none. */
  g_assert_true (sd_rich_view_scroll_to_heading (view, "start"));
  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  g_assert_true (sd_rich_view_focus_link (view, TRUE));
  {
    GtkTextIter s_start, s_end;

    g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &s_start, &s_end));
    g_assert_cmpint (gtk_text_iter_get_offset (&s_start), ==, 6);
    g_assert_cmpint (gtk_text_iter_get_offset (&s_end), ==, 10);
    g_assert_true (sd_rich_view_focus_link (view, TRUE));
    gtk_text_buffer_get_selection_bounds (buffer, &s_start, &s_end);
    g_assert_cmpint (gtk_text_iter_get_offset (&s_start), ==, 11);
    g_assert_false (sd_rich_view_focus_link (view, TRUE));
    g_assert_true (sd_rich_view_focus_link (view, FALSE));
    gtk_text_buffer_get_selection_bounds (buffer, &s_start, &s_end);
    g_assert_cmpint (gtk_text_iter_get_offset (&s_start), ==, 6);
    g_assert_false (sd_rich_view_focus_link (view, FALSE));
  }
  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);

  g_assert_true (sd_rich_view_scroll_to_heading (view, "start"));
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (sd_rich_view_get_current_heading (view), ==, "start");
  g_assert_false (sd_rich_view_scroll_to_heading (view, "nowhere"));

  g_clear_pointer (&activated, g_free);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_long_note_late_styles (void)
{
  GString *markdown = g_string_new ("# Long\n\n");
  g_autoptr(SdRichText) rich = NULL;
  GtkTextTag *card_tag;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  const SdRichHeading *middle;
  SdRichView *view;
  GtkWidget *window;
  GtkWidget *scrolled;
  int length;

  for (int i = 0; i < 4000; i++)
    {
      if (i == 2000)
        g_string_append (markdown, "## Middle\n\n");
      g_string_append_printf (markdown, "Paragraph %d with **bold** and a [link](#long).\n\n", i);
    }
  g_string_append (markdown, "Final *words*\n");
  rich = render (markdown->str);
  g_string_free (markdown, TRUE);
  buffer = sd_rich_text_get_buffer (rich);

  /* All the text at once, the styles of the start at once, the others
   * later, in the same buffer. */
  text = buffer_text (rich);
  length = (int) g_utf8_strlen (text, -1);
  g_assert_cmpint (length, >, 100000);
  g_assert_true (has_tag (rich, 23, "strong"));
  g_assert_false (sd_rich_text_is_complete (rich));
  g_assert_false (has_tag (rich, length - 4, "emphasis"));
  g_assert_nonnull (gtk_text_buffer_get_mark (buffer, "heading:middle"));

  /* What a consumer applies right away (the notes pane's card marks)
   * stays. */
  card_tag = gtk_text_tag_table_lookup (sd_rich_text_get_tag_table (), "test-card");
  if (card_tag == NULL)
    {
      card_tag = gtk_text_tag_new ("test-card");
      gtk_text_tag_table_add (sd_rich_text_get_tag_table (), card_tag);
      g_object_unref (card_tag);
    }
  gtk_text_buffer_get_iter_at_offset (buffer, &start, length - 20);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, length - 2);
  gtk_text_buffer_apply_tag (buffer, card_tag, &start, &end);

  /* A view scrolling to a heading past the styled start gets its styles
   * before it lays the lines out. */
  middle = sd_rich_doc_find_heading (sd_rich_text_get_doc (rich), "middle");
  g_assert_nonnull (middle);
  g_assert_false (has_tag (rich, middle->offset, "h2"));
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 500, 300);
  scrolled = gtk_scrolled_window_new ();
  view = SD_RICH_VIEW (sd_rich_view_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  sd_rich_view_set_text (view, rich);
  g_assert_true (sd_rich_view_scroll_to_heading (view, "middle"));
  g_assert_true (has_tag (rich, middle->offset, "h2"));
  g_assert_true (has_tag (rich, middle->offset + 29, "strong"));
  g_assert_false (has_tag (rich, length - 4, "emphasis"));

  /* Asked for a range, the styles of that range. */
  sd_rich_text_ensure_styled (rich, length - 6, length);
  g_assert_true (has_tag (rich, length - 4, "emphasis"));

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_cmpstr (sd_rich_view_get_current_heading (view), ==, "middle");

  sd_rich_text_complete (rich);
  g_assert_true (sd_rich_text_is_complete (rich));
  g_assert_true (sd_rich_text_get_buffer (rich) == buffer);
  g_assert_true (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)) == buffer);
  g_assert_true (has_tag (rich, length - 4, "emphasis"));
  g_assert_true (has_tag (rich, 23, "strong"));
  g_assert_true (has_tag (rich, (int) (strstr (text, "Paragraph 3000 with ") - text) + 21,
                         "strong"));
  g_assert_true (has_tag (rich, length - 10, "test-card"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Idle time styles the rest by itself, in slices. */
static void
test_long_note_idle_styles (void)
{
  GString *markdown = g_string_new ("# Long\n\n");
  g_autoptr(SdRichText) rich = NULL;
  g_autofree char *text = NULL;
  int length;

  for (int i = 0; i < 2000; i++)
    g_string_append_printf (markdown, "Paragraph %d with **bold** and `code`.\n\n", i);
  g_string_append (markdown, "Final *words*\n");
  rich = render (markdown->str);
  g_string_free (markdown, TRUE);

  text = buffer_text (rich);
  length = (int) g_utf8_strlen (text, -1);
  g_assert_false (sd_rich_text_is_complete (rich));
  while (!sd_rich_text_is_complete (rich))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (has_tag (rich, length - 4, "emphasis"));
}

static void
test_replace_text (void)
{
  SdRichText *one = render ("| a |\n|---|\n| b |\n\n---\n");
  SdRichText *two = render ("# Two\n\n---\n");
  SdRichView *view;
  GtkWidget *window = show (one, &view, 400, 300);

  sd_rich_view_set_text (view, two);
  gtk_test_widget_wait_for_draw (window);
  g_assert_true (sd_rich_view_get_text (view) == two);
  g_assert_true (GTK_IS_SEPARATOR (anchor_widget (two, 0)));
  sd_rich_view_set_text (view, NULL);
  gtk_test_widget_wait_for_draw (window);
  g_assert_null (sd_rich_view_get_current_heading (view));

  gtk_window_destroy (GTK_WINDOW (window));

  /* Nothing keeps the rendered texts (and their buffers) alive. */
  g_assert_finalize_object (one);
  g_assert_finalize_object (two);
}

static gboolean screenshot_done;

static void
on_invalidate (GdkPaintable *paintable,
               GtkWidget    *window)
{
  const char *path = g_object_get_data (G_OBJECT (paintable), "path");
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (screenshot_done)
    return;

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gdk_paintable_get_intrinsic_width (paintable),
                          gdk_paintable_get_intrinsic_height (paintable));
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  screenshot_done = TRUE;
}

/* Saves the sample note as rich-view-light.png / rich-view-dark.png in the
 * build folder, for eyeballing. */
static void
test_screenshot (gconstpointer data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  g_autofree char *dir = data_dir ();
  g_autofree char *css = g_build_filename (dir, "..", "..", "..", "src", "render",
                                           "sd-rich-view.css", NULL);
  g_autofree char *path = g_build_filename (dir, "sample.md", NULL);
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, dark ? "rich-view-dark.png"
                                                                   : "rich-view-light.png", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(SdRichDoc) doc = NULL;
  g_autoptr(SdRichText) rich = NULL;
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  AdwStyleManager *manager = adw_style_manager_get_default ();
  SdRichView *view;
  GtkWidget *window;

  if (g_file_test (css, G_FILE_TEST_EXISTS))
    {
      gtk_css_provider_load_from_path (provider, css);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (adw_style_manager_get_dark (manager), ==, dark);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  doc = sd_markdown_render (contents, -1, dir, resolve, NULL, NULL);
  rich = sd_rich_text_new (doc);
  window = show (rich, &view, 640, 1000);

  paintable = gtk_widget_paintable_new (window);
  g_object_set_data_full (G_OBJECT (paintable), "path", g_strdup (png), g_free);
  screenshot_done = FALSE;
  g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (on_invalidate), window);
  gtk_widget_queue_draw (window);
  while (!screenshot_done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  g_test_message ("screenshot: %s", png);

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (provider));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/studydeck/rich-view/inline-tags", test_inline_tags);
  g_test_add_func ("/studydeck/rich-view/headings", test_headings);
  g_test_add_func ("/studydeck/rich-view/links", test_links);
  g_test_add_func ("/studydeck/rich-view/blocks", test_blocks);
  g_test_add_func ("/studydeck/rich-view/images", test_images);
  g_test_add_func ("/studydeck/rich-view/broken-image", test_broken_image);
  g_test_add_func ("/studydeck/rich-view/big-image-async", test_big_image_async);
  g_test_add_func ("/studydeck/rich-view/dark-colors", test_dark_colors);
  g_test_add_func ("/studydeck/rich-view/table-widget", test_table_widget);
  g_test_add_func ("/studydeck/rich-view/links-and-outline", test_view_links_and_outline);
  g_test_add_func ("/studydeck/rich-view/long-note-late-styles", test_long_note_late_styles);
  g_test_add_func ("/studydeck/rich-view/long-note-idle-styles", test_long_note_idle_styles);
  g_test_add_func ("/studydeck/rich-view/replace-text", test_replace_text);
  g_test_add_data_func ("/studydeck/rich-view/screenshot-light", GINT_TO_POINTER (FALSE),
                        test_screenshot);
  g_test_add_data_func ("/studydeck/rich-view/screenshot-dark", GINT_TO_POINTER (TRUE),
                        test_screenshot);

  return g_test_run ();
}
