/* sd-test-gtk.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the main loop until @done is set or @timeout_ms passes. */
static inline gboolean
sd_test_wait_until (gboolean *done,
                    guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*done && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return *done;
}

static inline void
sd_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* Renders @widget as it is on screen into a texture. */
static inline GdkTexture *
sd_test_render_widget (GtkWidget *widget)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  GskRenderNode *node;
  GdkTexture *texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    {
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      gsk_render_node_unref (node);
    }
  g_object_unref (paintable);
  return texture;
}

/* The @nth widget of @type under @root, breadth first. */
static inline GtkWidget *
sd_test_find_widget (GtkWidget *root,
                     GType      type,
                     guint      nth)
{
  guint seen = 0;
  GPtrArray *queue = g_ptr_array_new ();
  GtkWidget *found = NULL;

  g_ptr_array_add (queue, root);
  for (guint i = 0; i < queue->len && found == NULL; i++)
    {
      GtkWidget *w = g_ptr_array_index (queue, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && seen++ == nth)
        found = w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (queue, c);
    }
  g_ptr_array_unref (queue);
  return found;
}

/* How many distinct colours a texture has; a blank window has one or two. */
static inline guint
sd_test_count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  guchar *data = g_malloc (stride * height);
  GHashTable *colours = g_hash_table_new (NULL, NULL);
  guint n;

  gdk_texture_download (texture, data, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        guint32 pixel;
        memcpy (&pixel, data + y * stride + x * 4, 4);
        g_hash_table_add (colours, GUINT_TO_POINTER (pixel));
      }
  n = g_hash_table_size (colours);
  g_hash_table_unref (colours);
  g_free (data);
  return n;
}

/* Saves a screenshot of @widget into the test build directory and fails
 * when it is blank. */
static inline void
sd_test_screenshot (GtkWidget  *widget,
                    const char *name)
{
  GdkTexture *texture;
  char *path;

  sd_test_spin (100);
  /* Text views lay out lines in idles that queue resizes; snapshot right
   * after a frame, when everything has its allocation. */
  gtk_test_widget_wait_for_draw (widget);
  texture = sd_test_render_widget (widget);
  g_assert_nonnull (texture);
  g_assert_cmpuint (sd_test_count_colours (texture), >, 16);

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  g_free (path);
  g_object_unref (texture);
}

G_END_DECLS
