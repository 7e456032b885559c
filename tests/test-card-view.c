/* test-card-view.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anki card faces in an SdCardView (needs a display: run under Xvfb).
 * Screenshots of a front, a back, a cloze and an image card, light and
 * dark, go to the test build folder as card-view-*.png. */

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sd-card-html.h"
#include "sd-card-view.h"
#include "sd-test-gtk.h"

static const char basic_css[] =
  ".card {\n"
  " font-family: arial;\n"
  " font-size: 20px;\n"
  " text-align: center;\n"
  " color: black;\n"
  " background-color: white;\n"
  "}\n";

/* AnkiDroid's "Conjugations Test Multi-Cloze" note type. */
static const char pink_cloze_css[] =
  ".card {\n    text-align: left;\n    font-family: arial;\n    font-size: 20px;\n"
  "    text-align: center;\n    color: black;\n    background-color: #FFCCCC;\n}\n\n"
  ".cloze {\n font-weight: bold;\n color: blue;\n}\n"
  ".ipa {\n    font-family: Gentium, GentiumAlt, 'DejaVu Sans', 'Segoe UI', sans-serif\n}";

static const char front_html[] =
  "Typing card:\nWhat is the <b>capital</b> of <i>France</i>?\n<br>\n"
  "<a class=\"hint\" href=\"sd-hint:5157ba36e72785bd\">Hint</a><div class=\"hint-content\" "
  "id=\"hint5157ba36e72785bd\" data-hint-id=\"5157ba36e72785bd\" style=\"display: none\">"
  "It is on the <u>Seine</u>.</div>\n<br>\n"
  "Listen: [sound:paris.wav] [sound:google-a85acb61-dd219a14.mp3]\n<br>\n"
  "<input type=\"text\" id=\"typeans\" data-type-answer=\"Back\" data-field=\"Back\">";

static const char back_html[] =
  "Typing card:\nWhat is the <b>capital</b> of <i>France</i>?\n<br>\n"
  "<hr id=answer>\n<div class=\"typeans-result\"><code id=\"typeans\">"
  "<span class=\"typeGood\">Par</span><span class=\"typeBad\">u</span>"
  "<span class=\"typeGood\">s</span><br><span id=\"typearrow\">&darr;</span><br>"
  "<span class=\"typeGood\">Par</span><span class=\"typeMissed\">i</span>"
  "<span class=\"typeGood\">s</span></code></div>\n\n"
  "<div><b>Paris</b> &nbsp;— <span style=\"color: #0055ff\">2.1 million</span> people"
  "<ul><li>on the Seine</li><li>capital since 987</li></ul></div>"
  "<table><tr><th>Arrondissements</th><th>Area</th></tr>"
  "<tr><td>20</td><td>105 km<sup>2</sup></td></tr></table>"
  "More: <a href=\"https://en.wikipedia.org/wiki/Paris\">Wikipedia</a>";

static const char cloze_html[] =
  "<h2>\nYo <span class=\"cloze\" data-cloze=\"como\" data-ordinal=\"1\">[...]</span>.\n</h2>\n"
  "Traditionally, financial systems were seen to <span class=\"cloze\" data-ordinal=\"1\">"
  "follow from development</span>; this <span class=\"cloze-inactive\" data-ordinal=\"2\">"
  "non-role</span> was seen by all sides.<br>\n<span class=\"ipa\">/ʝo kˈomo/</span>\n"
  "<br>Math: \\(x^2 + y^2 = r^2\\)";

static const char image_html[] =
  "Which muscle is depicted here? <hr id=answer><b><u><i>Latissimus dorsi</b></u></i><br>"
  "<img src=\"Latissimus dorsi.png\" /><br><img src=\"missing.jpg\" alt=\"(no picture)\">";

static char *media_dir;

static void
write_png (const char *name,
           int         width,
           int         height)
{
  g_autofree char *path = g_build_filename (media_dir, name, NULL);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + ((gsize) y * width + x) * 4;
        int dx = x - width / 2;
        int dy = y - height / 2;
        gboolean ring = ABS (dx * dx + dy * dy - (height / 3) * (height / 3)) < height * 2;

        p[0] = ring ? 200 : (guchar) (60 + 120 * x / width);
        p[1] = ring ? 40 : (guchar) (90 + 100 * y / height);
        p[2] = ring ? 40 : 170;
        p[3] = 255;
      }
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), (gsize) width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* A short 8 kHz mono WAV of a tone. */
static void
write_wav (const char *name)
{
  g_autofree char *path = g_build_filename (media_dir, name, NULL);
  const guint32 rate = 8000;
  const guint32 n = 800;
  GByteArray *data = g_byte_array_new ();
  guint32 u32;
  guint16 u16;

#define PUT(s) g_byte_array_append (data, (const guint8 *) (s), 4)
#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (data, (const guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (data, (const guint8 *) &u16, 2))
  PUT ("RIFF");
  PUT32 (36 + n);
  PUT ("WAVE");
  PUT ("fmt ");
  PUT32 (16);
  PUT16 (1);
  PUT16 (1);
  PUT32 (rate);
  PUT32 (rate);
  PUT16 (1);
  PUT16 (8);
  PUT ("data");
  PUT32 (n);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 sample = (i / 8) % 2 ? 160 : 96;

      g_byte_array_append (data, &sample, 1);
    }
#undef PUT
#undef PUT32
#undef PUT16

  g_assert_true (g_file_set_contents (path, (const char *) data->data, data->len, NULL));
  g_byte_array_unref (data);
}

static void
setup_media (void)
{
  g_autoptr(GError) error = NULL;

  media_dir = g_dir_make_tmp ("sd-card-view-XXXXXX", &error);
  g_assert_no_error (error);
  write_png ("Latissimus dorsi.png", 360, 240);
  write_wav ("paris.wav");
}

static void
remove_media (void)
{
  const char *names[] = { "Latissimus dorsi.png", "paris.wav" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (media_dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (media_dir);
  g_clear_pointer (&media_dir, g_free);
}

static GtkWidget *
show_card (const char  *html,
           const char  *css,
           SdCardView **out_view,
           int          width,
           int          height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = sd_card_view_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), view);
  sd_card_view_set_card (SD_CARD_VIEW (view), html, css, media_dir);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  *out_view = SD_CARD_VIEW (view);

  return window;
}

static char *
buffer_text (SdCardView *view)
{
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (sd_card_view_get_rich_text (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  /* With the hidden hint, so offsets are buffer offsets. */
  return gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
}

static int
offset_of (SdCardView *view,
           const char *needle)
{
  g_autofree char *text = buffer_text (view);
  const char *found = strstr (text, needle);

  if (found == NULL)
    g_test_message ("\"%s\" not in \"%s\"", needle, text);
  g_assert_nonnull (found);

  return (int) g_utf8_strlen (text, found - text);
}

static gboolean
has_tag (SdCardView *view,
         int         offset,
         const char *name)
{
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (sd_card_view_get_rich_text (view));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);
  GtkTextIter iter;

  if (tag == NULL)
    return FALSE;
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);

  return gtk_text_iter_has_tag (&iter, tag);
}

static void
assert_tag_range (SdCardView *view,
                  const char *name,
                  int         start,
                  int         end)
{
  if (start > 0)
    g_assert_false (has_tag (view, start - 1, name));
  for (int i = start; i < end; i++)
    g_assert_true (has_tag (view, i, name));
  g_assert_false (has_tag (view, end, name));
}

static void
set_scheme (gboolean dark)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpint (adw_style_manager_get_dark (manager), ==, dark);
}

static void
test_front (void)
{
  SdCardView *view;
  GtkWidget *window;
  GdkRGBA color;
  g_autofree char *text = NULL;
  SdRichText *rich;
  int capital;

  set_scheme (FALSE);
  window = show_card (front_html, basic_css, &view, 600, 500);
  rich = sd_card_view_get_rich_text (view);
  text = buffer_text (view);

  g_assert_true (g_str_has_prefix (text, "Typing card: What is the capital of France?\nHint\n"));
  capital = offset_of (view, "capital");
  assert_tag_range (view, "strong", capital, capital + 7);
  g_assert_true (has_tag (view, offset_of (view, "France"), "emphasis"));
  /* The .card rule: centred, 20px, arial, black. */
  g_assert_true (has_tag (view, 0, "align:center"));
  g_assert_true (has_tag (view, 0, "scale:1250"));
  g_assert_true (has_tag (view, 0, "family:arial"));
  g_assert_true (has_tag (view, 0, "fg:#000000ff"));
  /* The hint link uses the link tag's colour, not the card's black. */
  g_assert_true (has_tag (view, offset_of (view, "Hint"), "link"));
  g_assert_false (has_tag (view, offset_of (view, "Hint"), "fg:#000000ff"));
  g_assert_true (has_tag (view, offset_of (view, "It is on"), "hidden"));

  g_assert_true (sd_card_view_get_page_color (view, &color));
  g_assert_cmpfloat (color.red, ==, 1.0);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (view), "sd-card-page"));

  /* Anchored widgets: two sound places and the entry, in the text. */
  g_assert_cmpuint (sd_rich_text_get_n_widgets (rich), ==, 3);
  g_assert_nonnull (sd_card_view_get_type_entry (view));
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (sd_card_view_get_type_entry (view))) ==
                 GTK_WIDGET (sd_card_view_get_rich_view (view)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (sd_card_view_get_type_entry (view))));

  gtk_window_destroy (GTK_WINDOW (window));
}

static int answer_requests;

static void
on_answer_requested (SdCardView *view,
                     gpointer    user_data)
{
  answer_requests++;
}

static void
test_type_answer (void)
{
  SdCardView *view;
  GtkWidget *window;
  GtkEntry *entry;
  int line;

  set_scheme (FALSE);
  window = show_card (front_html, basic_css, &view, 600, 500);
  entry = sd_card_view_get_type_entry (view);
  g_signal_connect (view, "answer-requested", G_CALLBACK (on_answer_requested), NULL);

  g_assert_cmpstr (sd_card_view_get_typed_text (view), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Parus");
  g_assert_cmpstr (sd_card_view_get_typed_text (view), ==, "Parus");
  answer_requests = 0;
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpint (answer_requests, ==, 1);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Your answer");

  /* The entry follows the width of the text. */
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 500);
  gtk_test_widget_wait_for_draw (window);
  sd_test_spin (50);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (entry)), <=, 300 - 2 * SD_RICH_TEXT_MARGIN);

  /* The answer side compares. */
  sd_card_view_set_card (view, back_html, basic_css, media_dir);
  gtk_test_widget_wait_for_draw (window);
  g_assert_null (sd_card_view_get_type_entry (view));
  g_assert_null (sd_card_view_get_typed_text (view));
  line = offset_of (view, "Parus");
  assert_tag_range (view, "bg:#a3e4a0ff", line, line + 3);
  assert_tag_range (view, "bg:#f5a3a3ff", line + 3, line + 4);
  g_assert_true (has_tag (view, line, "family:monospace"));
  line = offset_of (view, "Paris\n");
  g_assert_true (has_tag (view, line + 3, "bg:#d6d6d6ff"));
  g_assert_true (sd_card_view_scroll_to_answer (view));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sounds (void)
{
  SdCardView *view;
  GtkWidget *window;
  GtkWidget *button;
  GtkWidget *label;
  g_autofree char *wav = g_build_filename (media_dir, "paris.wav", NULL);

  set_scheme (FALSE);
  window = show_card (front_html, basic_css, &view, 600, 500);

  g_assert_cmpuint (sd_card_view_get_n_sounds (view), ==, 2);
  button = sd_card_view_get_sound_widget (view, 0);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (sd_card_view_get_sound_path (view, 0), ==, wav);
  g_assert_true (gtk_widget_get_mapped (button));
  label = sd_card_view_get_sound_widget (view, 1);
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_null (sd_card_view_get_sound_path (view, 1));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)),
                            "google-a85acb61-dd219a14.mp3"));
  g_assert_true (gtk_widget_has_css_class (label, "dim-label"));

  /* Plays where GStreamer can (the result depends on the machine's audio
   * sinks); never crashes; a missing file does not play. */
  g_test_message ("playing: %d", sd_card_view_play_sound (view, 0));
  sd_test_spin (200);
  g_signal_emit_by_name (button, "clicked");
  sd_test_spin (50);
  g_assert_false (sd_card_view_play_sound (view, 1));
  sd_card_view_stop_sounds (view);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
image_loaded (SdRichText *rich)
{
  return sd_rich_text_image_is_loaded (rich, 0);
}

static void
test_images (void)
{
  SdCardView *view;
  GtkWidget *window;
  SdRichText *rich;
  GdkPaintable *paintable;
  g_autofree char *text = NULL;

  set_scheme (FALSE);
  window = show_card (image_html, basic_css, &view, 600, 600);
  rich = sd_card_view_get_rich_text (view);

  g_assert_cmpuint (sd_rich_text_get_n_images (rich), ==, 1);
  g_assert_true (image_loaded (rich));
  paintable = sd_rich_text_get_image (rich, 0);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 360);

  /* The missing one shows its alt text. */
  text = buffer_text (view);
  g_assert_nonnull (strstr (text, "(no picture)"));
  g_assert_true (has_tag (view, offset_of (view, "(no picture)"), "image-alt"));
  g_assert_false (has_tag (view, offset_of (view, "(no picture)"), "hidden"));

  /* A size from the card: in proportion. */
  sd_card_view_set_card (view, "<img src=\"Latissimus dorsi.png\" width=\"90\">", basic_css,
                         media_dir);
  gtk_test_widget_wait_for_draw (window);
  rich = sd_card_view_get_rich_text (view);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (sd_rich_text_get_image (rich, 0)), ==, 90);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (sd_rich_text_get_image (rich, 0)), ==, 60);
  sd_card_view_set_card (view, image_html, basic_css, media_dir);
  rich = sd_card_view_get_rich_text (view);
  paintable = sd_rich_text_get_image (rich, 0);

  /* Narrow: the picture shrinks to the text width. */
  gtk_window_set_default_size (GTK_WINDOW (window), 250, 600);
  gtk_test_widget_wait_for_draw (window);
  sd_test_spin (50);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), <, 250);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_hint (void)
{
  SdCardView *view;
  GtkWidget *window;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  int hint;
  int content;

  set_scheme (FALSE);
  window = show_card (front_html, basic_css, &view, 600, 500);
  buffer = sd_rich_text_get_buffer (sd_card_view_get_rich_text (view));
  hint = offset_of (view, "Hint");
  content = offset_of (view, "It is on");

  g_assert_true (has_tag (view, content, "hidden"));
  g_assert_true (has_tag (view, offset_of (view, "Seine"), "hidden"));
  g_assert_false (has_tag (view, hint, "hidden"));

  /* Activating the link (click or Enter) reveals the content in place. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, hint + 1);
  g_assert_true (sd_rich_view_activate_link_at (sd_card_view_get_rich_view (view), &iter));
  g_assert_false (has_tag (view, content, "hidden"));
  g_assert_false (has_tag (view, offset_of (view, "Seine"), "hidden"));
  g_assert_true (has_tag (view, offset_of (view, "Seine"), "underline"));
  g_assert_true (has_tag (view, hint, "hidden"));
  /* Not the lines around it. */
  g_assert_false (has_tag (view, offset_of (view, "Listen"), "hidden"));

  g_assert_false (sd_card_view_reveal_hint (view, "nope"));
  sd_test_screenshot (window, "card-view-hint-revealed.png");

  /* Revealed hints stay revealed when the colours change. */
  set_scheme (TRUE);
  g_assert_false (has_tag (view, offset_of (view, "It is on"), "hidden"));
  set_scheme (FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
}

static char *opened;

static gboolean
on_link_activated (SdCardView *view,
                   const char *uri,
                   gpointer    user_data)
{
  g_free (opened);
  opened = g_strdup (uri);

  return TRUE;
}

static void
test_links_and_tables (void)
{
  SdCardView *view;
  GtkWidget *window;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  SdRichText *rich;
  gboolean found_table = FALSE;

  set_scheme (FALSE);
  window = show_card (back_html, basic_css, &view, 600, 800);
  rich = sd_card_view_get_rich_text (view);
  buffer = sd_rich_text_get_buffer (rich);
  g_signal_connect (view, "link-activated", G_CALLBACK (on_link_activated), NULL);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset_of (view, "Wikipedia") + 2);
  g_assert_true (sd_rich_view_activate_link_at (sd_card_view_get_rich_view (view), &iter));
  g_assert_cmpstr (opened, ==, "https://en.wikipedia.org/wiki/Paris");
  g_clear_pointer (&opened, g_free);

  /* The table and the rule are widgets in the text. */
  sd_test_spin (50);
  for (guint i = 0; i < sd_rich_text_get_n_anchors (rich); i++)
    {
      SdRichAnchorKind kind;
      GtkTextChildAnchor *anchor = sd_rich_text_get_anchor (rich, i, &kind, NULL, NULL);
      guint n = 0;
      GtkWidget **widgets = gtk_text_child_anchor_get_widgets (anchor, &n);

      if (kind == SD_RICH_ANCHOR_TABLE)
        {
          GtkGrid *grid;
          GtkWidget *cell;

          g_assert_cmpuint (n, ==, 1);
          grid = sd_rich_text_table_get_grid (widgets[0]);
          cell = gtk_grid_get_child_at (grid, 1, 1);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, "105 km2");
          found_table = TRUE;
        }
      g_free (widgets);
    }
  g_assert_true (found_table);

  /* Lists: markers and indentation like notes. */
  g_assert_true (has_tag (view, offset_of (view, "on the Seine"), "indent-22-0"));
  g_assert_true (has_tag (view, offset_of (view, "on the Seine") - 2, "marker"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_dark (void)
{
  SdCardView *view;
  GtkWidget *window;
  SdRichText *before;
  GtkEntry *entry;
  int hole;

  set_scheme (FALSE);
  window = show_card (cloze_html, pink_cloze_css, &view, 600, 500);
  hole = offset_of (view, "[...]");
  g_assert_true (has_tag (view, hole, "fg:#0000ffff"));
  g_assert_true (has_tag (view, hole, "strong"));
  g_assert_true (has_tag (view, hole, "scale:1875"));
  g_assert_false (has_tag (view, offset_of (view, "non-role"), "strong"));
  g_assert_true (sd_card_view_get_page_color (view, NULL));

  /* Dark: rendered again; the pink page and black text give way to the
   * theme, the cloze blue becomes readable. */
  before = g_object_ref (sd_card_view_get_rich_text (view));
  set_scheme (TRUE);
  g_assert_true (sd_card_view_get_rich_text (view) != before);
  g_assert_false (sd_card_view_get_page_color (view, NULL));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (view), "sd-card-page"));
  g_assert_false (has_tag (view, 0, "fg:#000000ff"));
  g_assert_false (has_tag (view, hole, "fg:#0000ffff"));
  g_assert_true (has_tag (view, hole, "strong"));
  g_object_unref (before);

  /* Typed text survives the switch. */
  sd_card_view_set_card (view, front_html, basic_css, media_dir);
  entry = sd_card_view_get_type_entry (view);
  gtk_editable_set_text (GTK_EDITABLE (entry), "typed");
  set_scheme (FALSE);
  g_assert_true (sd_card_view_get_type_entry (view) != NULL);
  g_assert_cmpstr (sd_card_view_get_typed_text (view), ==, "typed");

  /* A new card starts empty. */
  sd_card_view_set_card (view, front_html, basic_css, media_dir);
  g_assert_cmpstr (sd_card_view_get_typed_text (view), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_clear_and_finalize (void)
{
  GtkWidget *view = g_object_ref_sink (sd_card_view_new ());
  GtkWidget *window = gtk_window_new ();
  SdRichText *rich;

  sd_card_view_set_card (SD_CARD_VIEW (view), front_html, basic_css, media_dir);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  rich = g_object_ref (sd_card_view_get_rich_text (SD_CARD_VIEW (view)));
  sd_card_view_set_card (SD_CARD_VIEW (view), NULL, NULL, NULL);
  g_assert_null (sd_card_view_get_rich_text (SD_CARD_VIEW (view)));
  g_assert_cmpuint (sd_card_view_get_n_sounds (SD_CARD_VIEW (view)), ==, 0);
  gtk_test_widget_wait_for_draw (window);
  g_assert_finalize_object (rich);

  sd_card_view_set_card (SD_CARD_VIEW (view), back_html, basic_css, media_dir);
  gtk_test_widget_wait_for_draw (window);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
test_broken_html (void)
{
  static const char * const inputs[] = {
    "<b>bold<i>both</b>italic</i><table><tr><td>a<td><input id=typeans>",
    "a < b <<<>>> <div><span>unclosed [sound:x.mp3",
    "<table><th><div style='font-size: 50px'><input type=\"text\" id=\"typeans\"></div></table>"
    "<tts>[sound:paris.wav]</tts>",
    "<div data-hint-id=\"1\" style=\"display:none\"><img src=\"Latissimus dorsi.png\"></div>"
    "<a href=\"sd-hint:1\">h</a>",
  };
  SdCardView *view;
  GtkWidget *window;

  set_scheme (FALSE);
  window = show_card ("", NULL, &view, 400, 300);
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      sd_card_view_set_card (view, inputs[i], basic_css, media_dir);
      gtk_test_widget_wait_for_draw (window);
    }

  /* The revealed hint keeps its shown picture's alt text hidden. */
  g_assert_true (sd_card_view_reveal_hint (view, "1"));
  {
    SdRichDoc *doc = sd_rich_text_get_doc (sd_card_view_get_rich_text (view));
    const SdRichImage *image = sd_rich_doc_get_image (doc, 0);

    g_assert_true (has_tag (view, image->alt_start, "hidden") ||
                   image->alt_start == image->alt_end);
    g_assert_false (has_tag (view, image->offset, "hidden"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_large_field (void)
{
  GString *html = g_string_new ("<div>");
  SdCardView *view;
  GtkWidget *window;
  gint64 start;
  double ms;

  while (html->len < 100 * 1024)
    g_string_append (html, "Line with <b>bold</b>, <span style=\"color: #c00\">colour</span> "
                           "&nbsp;and a <span class=\"cloze\">[...]</span>.<br>\n"
                           "<div>Nested <i>div</i></div>\n");
  g_string_append (html, "</div>");

  set_scheme (FALSE);
  window = show_card ("", basic_css, &view, 600, 500);
  start = g_get_monotonic_time ();
  sd_card_view_set_card (view, html->str, basic_css, media_dir);
  gtk_test_widget_wait_for_draw (window);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("100 KB card on screen: %.1f ms", ms);
  g_assert_cmpfloat (ms, <, 3000);
  g_assert_true (sd_rich_text_is_complete (sd_card_view_get_rich_text (view)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_string_free (html, TRUE);
}

static void
test_screenshot (gconstpointer data)
{
  const char *which = data;
  gboolean dark = g_str_has_suffix (which, "-dark");
  SdCardView *view;
  GtkWidget *window;
  g_autofree char *name = g_strdup_printf ("card-view-%s.png", which);
  const char *html = front_html;
  const char *css = basic_css;

  if (g_str_has_prefix (which, "back"))
    html = back_html;
  else if (g_str_has_prefix (which, "cloze"))
    {
      html = cloze_html;
      css = pink_cloze_css;
    }
  else if (g_str_has_prefix (which, "image"))
    html = image_html;

  set_scheme (dark);
  window = show_card (html, css, &view, 560, g_str_has_prefix (which, "back") ? 760 : 520);
  if (g_str_has_prefix (which, "front"))
    gtk_editable_set_text (GTK_EDITABLE (sd_card_view_get_type_entry (view)), "Parus");
  sd_test_screenshot (window, name);

  gtk_window_destroy (GTK_WINDOW (window));
  set_scheme (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const shots[] = {
    "front-light", "front-dark", "back-light", "back-dark", "cloze-light", "cloze-dark",
    "image-light", "image-dark",
  };
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setup_media ();

  g_test_add_func ("/studydeck/card-view/front", test_front);
  g_test_add_func ("/studydeck/card-view/type-answer", test_type_answer);
  g_test_add_func ("/studydeck/card-view/sounds", test_sounds);
  g_test_add_func ("/studydeck/card-view/images", test_images);
  g_test_add_func ("/studydeck/card-view/hint", test_hint);
  g_test_add_func ("/studydeck/card-view/links-and-tables", test_links_and_tables);
  g_test_add_func ("/studydeck/card-view/dark", test_dark);
  g_test_add_func ("/studydeck/card-view/clear-and-finalize", test_clear_and_finalize);
  g_test_add_func ("/studydeck/card-view/broken-html", test_broken_html);
  g_test_add_func ("/studydeck/card-view/large-field", test_large_field);
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *path = g_strdup_printf ("/studydeck/card-view/screenshot-%s", shots[i]);

      g_test_add_data_func (path, shots[i], test_screenshot);
    }

  status = g_test_run ();
  remove_media ();

  return status;
}
