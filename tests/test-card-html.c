/* test-card-html.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anki card HTML → render operations, without GTK. */

#include <string.h>

#include <glib/gstdio.h>

#include "sd-card-html.h"

#define ANY G_MAXUINT

/* Stock Anki "Basic" and "Cloze" note type CSS. */
static const char basic_css[] =
  ".card {\n"
  " font-family: arial;\n"
  " font-size: 20px;\n"
  " text-align: center;\n"
  " color: black;\n"
  " background-color: white;\n"
  "}\n";

static const char cloze_css[] =
  ".card {\n"
  " font-family: arial;\n"
  " font-size: 20px;\n"
  " text-align: center;\n"
  " color: black;\n"
  " background-color: white;\n"
  "}\n"
  "\n"
  ".cloze {\n"
  " font-weight: bold;\n"
  " color: blue;\n"
  "}\n"
  ".nightMode .cloze {\n"
  " color: lightblue;\n"
  "}\n";

static SdRichDoc *
render (const char *html)
{
  return sd_card_html_render (html, NULL, NULL, FALSE);
}

static const char *
text_of (SdRichDoc *doc)
{
  return sd_rich_doc_get_text (doc, NULL);
}

/* Character offset of the first @needle in the doc's text. */
static int
offset_of (SdRichDoc  *doc,
           const char *needle)
{
  const char *text = text_of (doc);
  const char *found = strstr (text, needle);

  g_assert_nonnull (found);

  return (int) g_utf8_strlen (text, found - text);
}

/* Where @style (with @arg, or any arg) is on, as "start-end" ranges joined
 * by ",", from replaying the pushes and pops. */
static char *
ranges_of (SdRichDoc   *doc,
           SdRichStyle  style,
           guint        arg)
{
  GString *out = g_string_new (NULL);
  int depth = 0;
  int start = 0;
  int last_end = -1;

  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    {
      const SdRichOp *op = sd_rich_doc_get_op (doc, i);

      if ((op->kind != SD_RICH_OP_PUSH && op->kind != SD_RICH_OP_POP) || op->style != style ||
          (arg != ANY && op->arg != arg))
        continue;

      if (op->kind == SD_RICH_OP_PUSH)
        {
          if (depth++ == 0)
            start = op->offset;
        }
      else if (--depth == 0 && op->offset > start)
        {
          /* Adjacent ranges are one. */
          if (last_end == start && out->len > 0)
            {
              char *dash = strrchr (out->str, '-');

              g_string_truncate (out, dash - out->str);
              g_string_append_printf (out, "-%d", op->offset);
            }
          else
            {
              g_string_append_printf (out, "%s%d-%d", out->len > 0 ? "," : "", start, op->offset);
            }
          last_end = op->offset;
        }
    }
  g_assert_cmpint (depth, ==, 0);

  return g_string_free (out, FALSE);
}

static void
assert_ranges (SdRichDoc   *doc,
               SdRichStyle  style,
               guint        arg,
               const char  *expected)
{
  g_autofree char *ranges = ranges_of (doc, style, arg);

  g_assert_cmpstr (ranges, ==, expected);
}

/* Is @style (@arg or any) on at character @offset? */
static gboolean
style_at (SdRichDoc   *doc,
          SdRichStyle  style,
          guint        arg,
          int          offset)
{
  g_autofree char *ranges = ranges_of (doc, style, arg);
  g_auto(GStrv) parts = g_strsplit (ranges, ",", -1);

  for (guint i = 0; parts[i] != NULL && parts[i][0] != '\0'; i++)
    {
      int s = 0, e = 0;

      g_assert_cmpint (sscanf (parts[i], "%d-%d", &s, &e), ==, 2);
      if (offset >= s && offset < e)
        return TRUE;
    }

  return FALSE;
}

/* The arg of @style at @offset, or ANY when it is off. */
static guint
arg_at (SdRichDoc   *doc,
        SdRichStyle  style,
        int          offset)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  guint result = ANY;

  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    {
      const SdRichOp *op = sd_rich_doc_get_op (doc, i);

      if (op->offset > offset)
        break;
      if ((op->kind != SD_RICH_OP_PUSH && op->kind != SD_RICH_OP_POP) || op->style != style)
        continue;
      if (op->kind == SD_RICH_OP_PUSH)
        g_array_append_val (open, op->arg);
      else
        for (guint j = open->len; j > 0; j--)
          if (g_array_index (open, guint, j - 1) == op->arg)
            {
              g_array_remove_index (open, j - 1);
              break;
            }
    }

  /* The producer promises not to nest value styles. */
  g_assert_cmpuint (open->len, <=, 1);
  if (open->len == 1)
    result = g_array_index (open, guint, 0);

  return result;
}

static guint
count_ops (SdRichDoc    *doc,
           SdRichOpKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    n += sd_rich_doc_get_op (doc, i)->kind == kind;

  return n;
}

/* Value styles must never nest: the tag created last would win instead of
 * the inner one. */
static void
assert_no_nesting (SdRichDoc *doc)
{
  guint depth[SD_RICH_N_STYLES] = { 0, };

  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    {
      const SdRichOp *op = sd_rich_doc_get_op (doc, i);

      if (op->kind == SD_RICH_OP_PUSH && op->style >= SD_RICH_STYLE_FOREGROUND)
        g_assert_cmpuint (depth[op->style]++, ==, 0);
      else if (op->kind == SD_RICH_OP_POP && op->style >= SD_RICH_STYLE_FOREGROUND)
        depth[op->style]--;
    }
}

static void
test_inline_elements (void)
{
  g_autoptr(SdRichDoc) doc = render ("a <b>b</b> <strong>st</strong> <i>i</i> <em>em</em> "
                                     "<u>u</u> <s>s</s> <strike>k</strike> <del>d</del> "
                                     "x<sub>2</sub> y<sup>3</sup> <code>c</code> "
                                     "<kbd>K</kbd> <mark>m</mark> <small>sm</small>");

  g_assert_cmpstr (text_of (doc), ==, "a b st i em u s k d x2 y3 c K m sm\n");
  assert_ranges (doc, SD_RICH_STYLE_STRONG, ANY, "2-3,4-6");
  assert_ranges (doc, SD_RICH_STYLE_EMPHASIS, ANY, "7-8,9-11");
  assert_ranges (doc, SD_RICH_STYLE_UNDERLINE, ANY, "12-13");
  assert_ranges (doc, SD_RICH_STYLE_STRIKE, ANY, "14-15,16-17,18-19");
  assert_ranges (doc, SD_RICH_STYLE_SUBSCRIPT, ANY, "21-22");
  assert_ranges (doc, SD_RICH_STYLE_SUPERSCRIPT, ANY, "24-25");
  assert_ranges (doc, SD_RICH_STYLE_CODE, ANY, "26-27");
  assert_ranges (doc, SD_RICH_STYLE_KBD, ANY, "28-29");
  assert_ranges (doc, SD_RICH_STYLE_MARK, ANY, "30-31");
  /* Raised and small text carries its own size (833‰ rounds to 825). */
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 21), ==, 825);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 32), ==, 825);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 0), ==, ANY);
  g_assert_cmpstr (sd_rich_doc_get_string (doc, arg_at (doc, SD_RICH_STYLE_FAMILY, 26)), ==,
                   "monospace");
  assert_no_nesting (doc);
}

static void
test_span_styles (void)
{
  g_autoptr(SdRichDoc) doc = render ("<span style=\"color: red; font-weight: bold\">r</span>"
                                     "<span style=\"background-color:#ff0\">y</span>"
                                     "<span style=\"font-style:italic;text-decoration:underline "
                                     "line-through\">it</span>"
                                     "<span style=\"font-size: 32px; font-family: 'Times New "
                                     "Roman', serif\">big</span>"
                                     "<b><span style=\"font-weight: normal\">n</span></b>"
                                     "<span style=\"color: rgb(0, 128, 0)\">g<span style=\"color:"
                                     " #00f\">b</span>g</span>");

  g_assert_cmpstr (text_of (doc), ==, "ryitbigngbg\n");
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 0), ==, 0xff0000ff);
  g_assert_true (style_at (doc, SD_RICH_STYLE_STRONG, ANY, 0));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_BACKGROUND, 1), ==, 0xffff00ff);
  g_assert_true (style_at (doc, SD_RICH_STYLE_EMPHASIS, ANY, 2));
  g_assert_true (style_at (doc, SD_RICH_STYLE_UNDERLINE, ANY, 3));
  g_assert_true (style_at (doc, SD_RICH_STYLE_STRIKE, ANY, 3));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 4), ==, 2000);
  g_assert_cmpstr (sd_rich_doc_get_string (doc, arg_at (doc, SD_RICH_STYLE_FAMILY, 4)), ==,
                   "Times New Roman,serif");
  g_assert_false (style_at (doc, SD_RICH_STYLE_STRONG, ANY, 7));
  /* Nested colours switch, they do not stack. */
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 8), ==, 0x008000ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 9), ==, 0x0000ffff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 10), ==, 0x008000ff);
  assert_no_nesting (doc);
}

static void
test_font_element (void)
{
  g_autoptr(SdRichDoc) doc = render ("<font color=\"#c00\" face=\"Courier New\">a</font>"
                                     "<font size=\"5\">b</font><font size=\"-1\">c</font>"
                                     "<font color=\"red\" style=\"color: green\">d</font>");

  g_assert_cmpstr (text_of (doc), ==, "abcd\n");
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 0), ==, 0xcc0000ff);
  g_assert_cmpstr (sd_rich_doc_get_string (doc, arg_at (doc, SD_RICH_STYLE_FAMILY, 0)), ==,
                   "Courier New");
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 1), ==, 1500);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 2), ==, 825);
  /* CSS beats presentational attributes. */
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 3), ==, 0x008000ff);
}

static void
test_whitespace (void)
{
  static const struct { const char *html; const char *text; } cases[] = {
    { "  a \n\n  b\t\tc  ", "a b c\n" },
    { "a&nbsp;&nbsp;b", "a\xc2\xa0\xc2\xa0" "b\n" },
    { "Anterior: &nbsp;Flexion", "Anterior: \xc2\xa0" "Flexion\n" },
    { "<b>a</b> <i>b</i>", "a b\n" },
    { "<b>a </b> <i> b</i>", "a b\n" },
    { "a<b> </b>b", "a b\n" },
    { "<div>\n  one\n</div>\n<div>  two  </div>", "one\ntwo\n" },
    { "a <br> b", "a\nb\n" },
    { "a<br><br>b", "a\n\nb\n" },
    { "<div>a<br></div><div>b</div>", "a\nb\n" },
    { "<div><br></div>", "\n" },
    { "\n\n\n", "" },
    { "", "" },
    { "<pre>\n  x  y\n\tz\n</pre>", "  x  y\n\tz\n" },
    { "<span style=\"white-space: pre\">a   b</span>", "a   b\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SdRichDoc) doc = render (cases[i].html);

      g_test_message ("case %u: %s", i, cases[i].html);
      g_assert_cmpstr (text_of (doc), ==, cases[i].text);
    }
}

static void
test_blocks (void)
{
  g_autoptr(SdRichDoc) doc = render ("<h1>Title</h1><p>para</p><p>two</p>"
                                     "<blockquote>quoted</blockquote><pre>co de</pre>"
                                     "x<hr>y<center>mid</center><h6>small</h6>");
  g_autofree char *dump = sd_rich_doc_dump (doc);
  guint gaps = 0;

  g_assert_cmpstr (text_of (doc), ==, "Title\npara\ntwo\nquoted\nco de\nx\n\xef\xbf\xbc\ny\nmid\n"
                                      "small\n");
  g_assert_true (style_at (doc, SD_RICH_STYLE_STRONG, ANY, 0));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 0), ==, 2000);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, offset_of (doc, "small")), ==, 675);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, offset_of (doc, "para")), ==, ANY);

  /* Paragraphs, headings, quotes and code have space around them. */
  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    {
      const SdRichOp *op = sd_rich_doc_get_op (doc, i);

      if (op->kind == SD_RICH_OP_PARAGRAPH_END && op->arg)
        gaps++;
    }
  g_assert_cmpuint (gaps, ==, 7);

  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_QUOTE, offset_of (doc, "quoted")), ==, 0);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_INDENT, offset_of (doc, "quoted")), ==,
                    SD_RICH_INDENT (22, 0));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_CODE_BLOCK, offset_of (doc, "co de")), ==, 0);
  g_assert_cmpstr (sd_rich_doc_get_string (doc, arg_at (doc, SD_RICH_STYLE_FAMILY,
                                                        offset_of (doc, "co de"))), ==,
                   "monospace");
  g_assert_cmpuint (count_ops (doc, SD_RICH_OP_RULE), ==, 1);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_ALIGN, offset_of (doc, "mid")), ==,
                    SD_RICH_ALIGN_CENTER);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_ALIGN, offset_of (doc, "y")), ==, ANY);
  g_assert_nonnull (strstr (dump, "rule\n"));
}

static void
test_lists (void)
{
  g_autoptr(SdRichDoc) doc = render ("<ul><li>one</li><li>two<ul><li>deep</li></ul></li></ul>"
                                     "<ol start=\"3\"><li>three<li value=\"7\">seven</ol>"
                                     "<ol type=\"a\" style=\"list-style-type: lower-roman\">"
                                     "<li>r</li><li>rr</li></ol>"
                                     "<ul style=\"list-style: none\"><li>bare</li></ul>"
                                     "<ul><li></li></ul>");
  const char *text = text_of (doc);

  g_assert_cmpstr (text, ==, "\xe2\x80\xa2\tone\n\xe2\x80\xa2\ttwo\n\xe2\x97\xa6\tdeep\n"
                             "3.\tthree\n7.\tseven\ni.\tr\nii.\trr\nbare\n\xe2\x80\xa2\t\n");
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_INDENT, offset_of (doc, "one")), ==,
                    SD_RICH_INDENT (22, 22));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_INDENT, offset_of (doc, "deep")), ==,
                    SD_RICH_INDENT (44, 22));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_INDENT, offset_of (doc, "three")), ==,
                    SD_RICH_INDENT (28, 28));
  g_assert_true (style_at (doc, SD_RICH_STYLE_MARKER, ANY, 0));
  g_assert_false (style_at (doc, SD_RICH_STYLE_MARKER, ANY, offset_of (doc, "one")));
}

static void
test_centered_lists (void)
{
  g_autoptr(SdRichDoc) doc = sd_card_html_render ("<ul><li>a</li><li>b<br>c</li></ul>",
                                                  basic_css, NULL, FALSE);

  /* Not left-aligned: the marker is followed by a space, no hanging. */
  g_assert_cmpstr (text_of (doc), ==, "\xe2\x80\xa2 a\n\xe2\x80\xa2 b\nc\n");
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_INDENT, 2), ==, SD_RICH_INDENT (22, 0));
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_ALIGN, 2), ==, SD_RICH_ALIGN_CENTER);
}

static void
test_tables (void)
{
  g_autoptr(SdRichDoc) doc = render ("<table><tr><th>H1</th><th>H2</th></tr>"
                                     "<tr><td><b>x</b></td><td align=\"right\">y</td></tr>"
                                     "<tr><td>only</td></tr></table>after");
  const SdRichTable *table;
  g_autofree char *cell = NULL;

  g_assert_cmpstr (text_of (doc), ==, "\xef\xbf\xbc\nafter\n");
  g_assert_cmpuint (sd_rich_doc_get_n_tables (doc), ==, 1);
  table = sd_rich_doc_get_table (doc, 0);
  g_assert_cmpuint (table->n_rows, ==, 3);
  g_assert_cmpuint (table->n_cols, ==, 2);
  g_assert_false (table->no_header);
  g_assert_cmpint (table->align[0], ==, SD_RICH_ALIGN_CENTER);
  g_assert_cmpstr (text_of (table->cells[0]), ==, "H1\n");
  g_assert_cmpstr (text_of (table->cells[2]), ==, "x\n");
  g_assert_true (style_at (table->cells[2], SD_RICH_STYLE_STRONG, ANY, 0));
  g_assert_cmpstr (text_of (table->cells[3]), ==, "y\n");
  g_assert_cmpstr (text_of (table->cells[4]), ==, "only\n");
  g_assert_null (table->cells[5]);
  cell = sd_rich_doc_dump (table->cells[0]);
  g_assert_nonnull (strstr (cell, "push strong"));
}

static void
test_table_quirks (void)
{
  /* AnkiDroid's Thai deck: a loose <th> before the rows, a type-answer
   * input and divs directly inside <table> (a browser moves them before
   * the table), a cell-less table with only a <br>. */
  g_autoptr(SdRichDoc) doc =
    render ("<table>\n <th>\n<span style=\"font-size:250%;color:#0055ff\">Konzert</span>\n"
            "<tr>\n  <th><span style=\"font-size:100%\">Klasse 2 - 18</span></th>\n</tr>\n"
            "<tr>\n <th><span style=\"font-size:120%\">2279</span></th>\n</tr>\n</th>\n"
            "<div style='font-family: Arial; font-size: 50px;'><input type=\"text\" "
            "id=\"typeans\" data-type-answer=\"Thai\" data-field=\"Thai\"></div>\n"
            "<div style='font-family: Arial; font-size: 20px;'></div>\n</table>\n"
            "<table><td>a<td>b<tr><td>c</table>"
            "<table><caption>Cap</caption><tr><td><table><tr><td>in</td><td>ner</td></tr>"
            "<tr><td>2</td></tr></table></td><td>x [sound:missing.mp3]</td></tr></table>");
  const SdRichTable *table;
  const SdRichWidget *widget;

  g_assert_cmpstr (text_of (doc), ==, "\xef\xbf\xbc\n\xef\xbf\xbc\n\xef\xbf\xbc\nCap\n"
                                      "\xef\xbf\xbc\n\xef\xbf\xbc\n");
  g_assert_cmpuint (sd_rich_doc_get_n_tables (doc), ==, 3);

  table = sd_rich_doc_get_table (doc, 0);
  g_assert_cmpuint (table->n_rows, ==, 3);
  g_assert_cmpuint (table->n_cols, ==, 1);
  g_assert_cmpstr (text_of (table->cells[0]), ==, "Konzert\n");
  g_assert_cmpuint (arg_at (table->cells[0], SD_RICH_STYLE_SCALE, 0), ==, 2500);
  g_assert_cmpuint (arg_at (table->cells[0], SD_RICH_STYLE_FOREGROUND, 0), ==, 0x0055ffff);
  g_assert_cmpstr (text_of (table->cells[2]), ==, "2279\n");
  g_assert_cmpuint (arg_at (table->cells[2], SD_RICH_STYLE_SCALE, 0), ==, 1200);

  /* The input came out before the table. */
  g_assert_cmpuint (sd_rich_doc_get_n_widgets (doc), ==, 2);
  widget = sd_rich_doc_get_widget (doc, 0);
  g_assert_cmpstr (widget->kind, ==, SD_CARD_HTML_WIDGET_TYPE_ANSWER);
  g_assert_cmpstr (widget->data, ==, "Thai");
  g_assert_cmpint (widget->offset, ==, 0);
  g_assert_cmpint (sd_rich_doc_get_table (doc, 0)->offset, ==, 2);

  table = sd_rich_doc_get_table (doc, 1);
  g_assert_cmpuint (table->n_rows, ==, 2);
  g_assert_cmpuint (table->n_cols, ==, 2);
  g_assert_true (table->no_header);
  g_assert_cmpstr (text_of (table->cells[1]), ==, "b\n");
  g_assert_cmpstr (text_of (table->cells[2]), ==, "c\n");

  /* Moved-out content is the table's sibling: not styled as its child. */
  {
    g_autoptr(SdRichDoc) sib = sd_card_html_render ("<table><div>out</div><tr><td>in</td></tr>"
                                                    "</table>", "table { color: #666666 } "
                                                    "table div { font-weight: bold }", NULL, FALSE);

    g_assert_cmpstr (text_of (sib), ==, "out\n\xef\xbf\xbc\n");
    g_assert_cmpuint (arg_at (sib, SD_RICH_STYLE_FOREGROUND, 0), ==, ANY);
    g_assert_false (style_at (sib, SD_RICH_STYLE_STRONG, ANY, 0));
    g_assert_cmpuint (arg_at (sd_rich_doc_get_table (sib, 0)->cells[0], SD_RICH_STYLE_FOREGROUND,
                              0), ==, 0x666666ff);
  }

  /* A table in a cell flattens; the sound button of a cell goes below. */
  table = sd_rich_doc_get_table (doc, 2);
  g_assert_cmpuint (table->n_rows, ==, 1);
  g_assert_cmpstr (text_of (table->cells[0]), ==, "in ner\n2\n");
  g_assert_cmpstr (text_of (table->cells[1]), ==, "x\n");
  widget = sd_rich_doc_get_widget (doc, 1);
  g_assert_cmpstr (widget->kind, ==, SD_CARD_HTML_WIDGET_MISSING_SOUND);
  g_assert_cmpstr (widget->data, ==, "missing.mp3");
  g_assert_cmpint (widget->offset, ==, table->offset + 2);
}

static char *
make_media_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sd-card-html-XXXXXX", &error);
  /* A 1×1 PNG. */
  static const guchar png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
    0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
    0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
  };
  const char *names[] = { "pic.png", "Latissimus dorsi.png", "sound.mp3", "ธง (Copy).png" };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_assert_true (g_file_set_contents (path, (const char *) png, sizeof png, NULL));
    }

  return dir;
}

static void
remove_media_dir (const char *dir)
{
  const char *names[] = { "pic.png", "Latissimus dorsi.png", "sound.mp3", "ธง (Copy).png" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_images (void)
{
  g_autofree char *dir = make_media_dir ();
  g_autofree char *outside = g_build_filename (dir, "..", "x.png", NULL);
  g_autofree char *html =
    g_strdup_printf ("<img src=\"pic.png\"> <img src=\"Latissimus dorsi.png\" />"
                     "<img src=\"Latissimus%%20dorsi.png\"><img src=\"ธง (Copy).png\">"
                     "|<img src=\"gone.jpg\" alt=\"A muscle\">|<img src=\"gone.jpg\">"
                     "|<img src=\"https://example.org/pic.png\">|<img src=\"../pic.png\">"
                     "|<img src=\"%s\">|<img src=\"file:///etc/passwd\">|<img>|", outside);
  g_autoptr(SdRichDoc) doc = sd_card_html_render (html, NULL, dir, FALSE);
  g_autofree char *expected = NULL;
  const SdRichImage *image;
  g_autofree char *pic = g_build_filename (dir, "pic.png", NULL);
  g_autofree char *lat = g_build_filename (dir, "Latissimus dorsi.png", NULL);

  g_assert_cmpuint (sd_rich_doc_get_n_images (doc), ==, 4);
  image = sd_rich_doc_get_image (doc, 0);
  g_assert_cmpstr (image->path, ==, pic);
  g_assert_cmpstr (sd_rich_doc_get_image (doc, 1)->path, ==, lat);
  g_assert_cmpstr (sd_rich_doc_get_image (doc, 2)->path, ==, lat);

  g_assert_cmpint (image->width, ==, 0);

  /* Sizes from attributes and CSS lengths; percentages are not sizes. */
  {
    g_autoptr(SdRichDoc) sized =
      sd_card_html_render ("<img src=\"pic.png\" width=\"120\"><img src=\"pic.png\" "
                           "style=\"width: 2em; height: 30px\"><img src=\"pic.png\" width=\"50%\" "
                           "height=\"40\"><img class=\"big\" src=\"pic.png\" width=\"10\">",
                           ".card { font-size: 20px } .big { width: 300px }", dir, FALSE);

    g_assert_cmpuint (sd_rich_doc_get_n_images (sized), ==, 4);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 0)->width, ==, 120);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 0)->height, ==, 0);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 1)->width, ==, 40);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 1)->height, ==, 30);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 2)->width, ==, 0);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 2)->height, ==, 40);
    g_assert_cmpint (sd_rich_doc_get_image (sized, 3)->width, ==, 300);
  }

  /* Missing or outside the media folder: the alt text, or the name. */
  g_assert_nonnull (strstr (text_of (doc), "|A muscle|gone.jpg|pic.png|pic.png|x.png|passwd||\n"));
  g_assert_true (style_at (doc, SD_RICH_STYLE_IMAGE_ALT, ANY, offset_of (doc, "A muscle")));
  g_assert_true (style_at (doc, SD_RICH_STYLE_IMAGE_ALT, ANY, offset_of (doc, "gone.jpg")));
  g_assert_cmpuint (sd_rich_doc_get_n_links (doc), ==, 0);

  /* Without a media folder nothing is loaded. */
  {
    g_autoptr(SdRichDoc) none = render ("<img src=\"pic.png\" alt=\"alt\">");

    g_assert_cmpuint (sd_rich_doc_get_n_images (none), ==, 0);
    g_assert_cmpstr (text_of (none), ==, "alt\n");
  }

  remove_media_dir (dir);
}

static void
test_links (void)
{
  g_autoptr(SdRichDoc) doc = render ("<a href=\"https://ankiweb.net/x?a=1&amp;b=2\">web</a> "
                                     "<a href=\"mailto:a@b.c\">mail</a> "
                                     "<a href=\"javascript:alert(1)\">js</a> "
                                     "<a href=\"other.html\">rel</a> <a name=\"n\">anchor</a> "
                                     "<a href=\"sd-hint:00ff\">hint</a>");
  const SdRichLink *link;

  g_assert_cmpstr (text_of (doc), ==, "web mail js rel anchor hint\n");
  g_assert_cmpuint (sd_rich_doc_get_n_links (doc), ==, 3);
  link = sd_rich_doc_get_link (doc, 0);
  g_assert_cmpstr (link->uri, ==, "https://ankiweb.net/x?a=1&b=2");
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_EXTERNAL);
  g_assert_cmpint (link->start, ==, 0);
  g_assert_cmpint (link->end, ==, 3);
  link = sd_rich_doc_get_link (doc, 1);
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_EXTERNAL);
  g_assert_cmpint (link->start, ==, 4);
  link = sd_rich_doc_get_link (doc, 2);
  g_assert_cmpstr (link->uri, ==, "sd-hint:00ff");
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_OTHER);
  g_assert_cmpint (link->start, ==, 23);
  g_assert_cmpint (link->end, ==, 27);
}

static void
test_link_colors (void)
{
  g_autoptr(SdRichDoc) doc = sd_card_html_render ("x <a href=\"https://a.b\">l</a> "
                                                  "<a href=\"https://a.b\" style=\"color: red\">"
                                                  "r</a>", basic_css, NULL, FALSE);

  /* The card's black would hide that it is a link: links keep the link
   * tag's colour unless they are given one. */
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 0), ==, 0x000000ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 2), ==, ANY);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 4), ==, 0xff0000ff);
}

static void
test_hint (void)
{
  /* What {{hint:Front}} renders (AnkiDroid's Basic-misc card 1). */
  g_autoptr(SdRichDoc) doc =
    sd_card_html_render ("Hint card\n<br>\n<a class=\"hint\" href=\"sd-hint:5157ba36e72785bd\">"
                         "Front</a><div class=\"hint-content\" id=\"hint5157ba36e72785bd\" "
                         "data-hint-id=\"5157ba36e72785bd\" style=\"display: none\">There should "
                         "be hidden text here:&nbsp;{{hidebecausei'minvalid:I am the hidden "
                         "text!}}</div>\n\n<hr id=answer>\n\nback", basic_css, NULL, FALSE);
  const SdRichRange *range;
  int start;

  g_assert_cmpstr (text_of (doc), ==, "Hint card\nFront\nThere should be hidden text here:\xc2\xa0"
                                      "{{hidebecausei'minvalid:I am the hidden text!}}\n"
                                      "\xef\xbf\xbc\nback\n");
  range = sd_rich_doc_find_range (doc, "hint:5157ba36e72785bd");
  g_assert_nonnull (range);
  start = offset_of (doc, "There");
  g_assert_cmpint (range->start, ==, start);
  g_assert_cmpint (range->end, ==, offset_of (doc, "\xef\xbf\xbc"));
  g_assert_true (style_at (doc, SD_RICH_STYLE_HIDDEN, ANY, start));
  g_assert_true (style_at (doc, SD_RICH_STYLE_HIDDEN, ANY, range->end - 1));
  g_assert_false (style_at (doc, SD_RICH_STYLE_HIDDEN, ANY, range->end));
  g_assert_false (style_at (doc, SD_RICH_STYLE_HIDDEN, ANY, start - 1));
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 0)->uri, ==, "sd-hint:5157ba36e72785bd");

  /* <hr id=answer> marks the answer. */
  g_assert_nonnull (sd_rich_doc_find_heading (doc, SD_CARD_HTML_ANSWER_MARK));
  g_assert_cmpint (sd_rich_doc_find_heading (doc, "answer")->offset, ==, range->end);

  /* A <br> right after the hidden block ends the link's line in a browser:
   * its newline is hidden with the hint instead of making an empty line. */
  {
    g_autoptr(SdRichDoc) br = render ("<a href=\"sd-hint:1\">Hint</a><div data-hint-id=\"1\" "
                                      "style=\"display: none\">x<br>y</div>\n<br>\nListen");

    g_assert_cmpstr (text_of (br), ==, "Hint\nx\ny\n\nListen\n");
    range = sd_rich_doc_find_range (br, "hint:1");
    g_assert_cmpint (range->start, ==, 5);
    g_assert_cmpint (range->end, ==, 10);
    assert_ranges (br, SD_RICH_STYLE_HIDDEN, ANY, "5-10");
  }
}

static void
test_hidden_content (void)
{
  g_autoptr(SdRichDoc) doc =
    render ("<!DOCTYPE html><html><head><title>T</title><style>.x { color: red }</style>"
            "<script>document.write('evil')</script></head><body>"
            "a<!-- comment --><script type=\"text/javascript\">alert('x');</script>"
            "<style>b { color: blue }</style>b<noscript>n</noscript>"
            "<span style=\"display:none\">gone</span><span class=\"x\">c</span>"
            "<iframe src=\"https://example.org\">frame</iframe><object>obj</object>"
            "<svg><text>svg</text></svg><select><option>opt</option></select>"
            "<textarea>ta</textarea><input type=\"checkbox\"><b>d</b></body></html>");

  g_assert_cmpstr (text_of (doc), ==, "abncd\n");
  /* <style> rules in the card apply; the script never ran. */
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 3), ==, 0xff0000ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 4), ==, 0x0000ffff);
  g_assert_cmpuint (sd_rich_doc_get_n_widgets (doc), ==, 0);
}

static void
test_entities (void)
{
  g_autoptr(SdRichDoc) doc = render ("T6-T12, all L&amp;S &lt;tag&gt; &darr; &#x41;&#66; "
                                     "&eacute; &unknown; AT&T a < b 5 > 3 &quot;q&quot;");

  g_assert_cmpstr (text_of (doc), ==, "T6-T12, all L&S <tag> \xe2\x86\x93 AB \xc3\xa9 &unknown; "
                                      "AT&T a < b 5 > 3 \"q\"\n");
}

static void
test_broken_html (void)
{
  static const char * const inputs[] = {
    "<b>bold<i>both</b>italic</i>",
    "<b><u><i>Coracobrachialis</b></u></i><br><img src=\"x.jpg\" />",
    "<div><span>unclosed",
    "a < b <c <<<>>> </ d> <!-- open comment",
    "<table><tr><td>a<td>b</tr><tr></table></td></tr>",
    "<ul><li>a<ul><li>b</li></ol></div></span>",
    "</p></div></b>stray closers",
    "<<img src=x>>",
    "<a href=\"https://x\">link<a href=\"https://y\">inside</a></a>",
    "<cloze>\nThis is a cloze that is defined over multiple lines: <span class=\"cloze\" "
    "data-ordinal=\"1\"><div>I am a cloze deletion<div>that contains</div><div>many lines"
    "</span></div></div><br/>\n</cloze>",
    "<ruby><rb><span class=\"cloze\" data-ordinal=\"1\">子</rb><rt>し</rt></ruby></span>",
    "<pre><b>a\n</pre>b</b>",
    "<hr id=answer><hr id=answer>",
    "<input id=typeans><input id=typeans>",
    "\\(x^2 \\[ \\) \\]",
    "[sound:] [sound:a.mp3 [anki:tts]x",
    "<td>cell outside</td><tr><td>row outside</td></tr><li>item outside</li>",
    "<span style=\"color:\">x</span><span style=\";;;:\">y</span><span style=\"color: rgb(\">z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(SdRichDoc) doc = render (inputs[i]);
      const char *text = text_of (doc);

      g_test_message ("input %u: %s → %s", i, inputs[i], text);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      assert_no_nesting (doc);
    }

  {
    g_autoptr(SdRichDoc) doc = render ("<b><u><i>Coracobrachialis</b></u></i><br>after");

    g_assert_cmpstr (text_of (doc), ==, "Coracobrachialis\nafter\n");
    g_assert_true (style_at (doc, SD_RICH_STYLE_STRONG, ANY, 0));
    g_assert_false (style_at (doc, SD_RICH_STYLE_STRONG, ANY, 17));
  }

  /* Invalid UTF-8 and NUL-free binary garbage. */
  {
    g_autoptr(SdRichDoc) doc = render ("ok \xff\xfe <b>\xc3</b> \xe2\x82");

    g_assert_true (g_utf8_validate (text_of (doc), -1, NULL));
    g_assert_true (g_str_has_prefix (text_of (doc), "ok "));
  }
}

static void
test_fuzz (void)
{
  static const char * const pieces[] = {
    "<b>", "</b>", "<div>", "</div>", "<table>", "<tr>", "<td>", "</td>", "<th>", "</table>",
    "<ul>", "<li>", "</ul>", "<ol>", "<br>", "<hr>", "<p>", "</p>", "<pre>", "</pre>", "x",
    " ", "\n", "&nbsp;", "&amp", "<", ">", "<span style=\"color:red;font-size:200%\">",
    "</span>", "<img src=\"a.png\">", "[sound:a.mp3]", "\\(", "\\)", "<a href=\"sd-hint:1\">",
    "</a>", "<div data-hint-id=\"1\" style=\"display:none\">", "<input id=\"typeans\">",
    "<code id=\"typeans\">", "<span class=\"typeGood\">", "<blockquote>", "<h1>", "</h1>",
    "<font color=blue size=7>", "<center>", "<caption>", "<sub>", "<sup>", "<script>",
    "</script>", "<style>", "</style>", "{", "}", ".x{color:red}", "<!--", "-->", "ü", "子",
  };
  GRand *rand = g_rand_new_with_seed (20260101);

  for (int round = 0; round < 400; round++)
    {
      GString *html = g_string_new (NULL);
      int n = g_rand_int_range (rand, 1, 80);
      g_autoptr(SdRichDoc) doc = NULL;

      for (int i = 0; i < n; i++)
        g_string_append (html, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      doc = sd_card_html_render (html->str, cloze_css, NULL, round % 2 == 1);
      g_assert_true (g_utf8_validate (text_of (doc), -1, NULL));
      assert_no_nesting (doc);
      g_string_free (html, TRUE);
    }

  g_rand_free (rand);
}

static void
test_card_css (void)
{
  g_autoptr(SdRichDoc) doc = sd_card_html_render ("Front text<div>line two</div>", basic_css,
                                                  NULL, FALSE);
  guint32 bg = 0;

  /* .card: centred, 20px (1.25), arial, black, on every line. */
  assert_ranges (doc, SD_RICH_STYLE_ALIGN, SD_RICH_ALIGN_CENTER, "0-20");
  assert_ranges (doc, SD_RICH_STYLE_SCALE, 1250, "0-10,11-19");
  assert_ranges (doc, SD_RICH_STYLE_FOREGROUND, 0x000000ff, "0-10,11-19");
  g_assert_cmpstr (sd_rich_doc_get_string (doc, arg_at (doc, SD_RICH_STYLE_FAMILY, 0)), ==,
                   "arial");

  g_assert_true (sd_card_html_get_background (basic_css, FALSE, -1, &bg));
  g_assert_cmpuint (bg, ==, 0xffffffff);
  g_assert_false (sd_card_html_get_background (NULL, FALSE, -1, &bg));
  g_assert_true (sd_card_html_get_background (".card { background: #FFCCCC url(x.png) }", FALSE,
                                              -1, &bg));
  g_assert_cmpuint (bg, ==, 0xffccccff);
  /* Template-specific colours: .card1 is the first template's card. */
  g_assert_true (sd_card_html_get_background (".card1 { background-color: #eee }", FALSE, 0, &bg));
  g_assert_false (sd_card_html_get_background (".card1 { background-color: #eee }", FALSE, 1, &bg));

  /* "text-align: left" then "text-align: center": the later one wins; an
   * empty value is ignored (two AnkiDroid note types have these). */
  {
    g_autoptr(SdRichDoc) d = sd_card_html_render ("x", ".card { text-align: left; font-size: 20px;"
                                                  " text-align: center; }", NULL, FALSE);
    g_autoptr(SdRichDoc) e = sd_card_html_render ("x", ".card { text-align: ; }", NULL, FALSE);

    g_assert_cmpuint (arg_at (d, SD_RICH_STYLE_ALIGN, 0), ==, SD_RICH_ALIGN_CENTER);
    g_assert_cmpuint (arg_at (e, SD_RICH_STYLE_ALIGN, 0), ==, ANY);
  }
}

static void
test_css_selectors (void)
{
  static const char css[] =
    "/* comment { color: red } */\n"
    "@import url(\"x.css\");\n"
    "@media (max-width: 100px) { .a { color: red } }\n"
    ".card {\n @font-face { font-family: myfont; src: url('_arial.ttf'); }\n"
    " font-size: 20px;\n}\n"
    ".a { color: #010101 }\n"
    "span.b, .c { color: #020202 }\n"
    "div .d { color: #030303 }\n"
    "div > .e { color: #040404 }\n"
    ".f.g { color: #050505 }\n"
    "#h { color: #060606 }\n"
    ".i { color: #070707 !important }\n"
    ".j:hover, .j::before, [data-x] .j, .k + .j, .j ~ .j { color: #ff0000 }\n"
    "table tr:first-child th:first-child { color: #ff0000 }\n"
    "* .l { font-weight: bold }\n"
    "ul { list-style-type: square }\n"
    ".card1 .m { color: #080808 }\n";
  g_autoptr(SdRichDoc) doc =
    sd_card_html_render ("<span class=\"a\">a</span><span class=\"b\">b</span>"
                         "<i class=\"c\">c</i><div><p><span class=\"d\">d</span></p></div>"
                         "<div><span class=\"e\">e</span><p><span class=\"e\">E</span></p></div>"
                         "<span class=\"f g\">f</span><span class=\"f\">F</span>"
                         "<span id=\"h\" class=\"a\">h</span>"
                         "<span class=\"i\" style=\"color: #999999\">i</span>"
                         "<span class=\"j\">j</span><span class=\"l\">l</span>"
                         "<ul><li>s</li></ul><span class=\"m\">m</span>",
                         css, NULL, FALSE);

  g_assert_cmpstr (text_of (doc), ==, "abc\nd\ne\nE\nfFhijl\n\xe2\x96\xaa\ts\nm\n");
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_SCALE, 0), ==, 1250);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 0), ==, 0x010101ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 1), ==, 0x020202ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, 2), ==, 0x020202ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "d")), ==, 0x030303ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "e")), ==, 0x040404ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "E")), ==, ANY);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "f")), ==, 0x050505ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "F")), ==, ANY);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "h")), ==, 0x060606ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "i")), ==, 0x070707ff);
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "j")), ==, ANY);
  g_assert_true (style_at (doc, SD_RICH_STYLE_STRONG, ANY, offset_of (doc, "l")));
  /* Without a template ordinal there is no .card1. */
  g_assert_cmpuint (arg_at (doc, SD_RICH_STYLE_FOREGROUND, offset_of (doc, "m")), ==, ANY);

  {
    SdCardHtmlOptions options = { css, NULL, FALSE, 0 };
    g_autoptr(SdRichDoc) first = sd_card_html_render_with_options ("<b class=\"m\">m</b>",
                                                                   &options);

    g_assert_cmpuint (arg_at (first, SD_RICH_STYLE_FOREGROUND, 0), ==, 0x080808ff);
  }
}

static void
test_colors (void)
{
  static const struct { const char *css; guint32 rgba; } cases[] = {
    { "red", 0xff0000ff }, { "Blue", 0x0000ffff }, { "lightblue", 0xadd8e6ff },
    { "rebeccapurple", 0x663399ff }, { "#abc", 0xaabbccff }, { "#abcd", 0xaabbccdd },
    { "#A1B2C3", 0xa1b2c3ff }, { "#a1b2c380", 0xa1b2c380 }, { "rgb(1, 2, 3)", 0x010203ff },
    { "rgba(255,0,0,0.5)", 0xff000080 }, { "rgb(100% 0% 0% / 50%)", 0xff000080 },
    { "hsl(120, 100%, 50%)", 0x00ff00ff }, { "hsla(240deg 100% 50% / 1)", 0x0000ffff },
    { "transparent", 0x00000000 }, { " white ", 0xffffffff },
  };
  static const char * const bad[] = { "", "#12", "#ggg", "nocolor", "rgb(", "rgb(1,2)", "url(x)" };
  guint32 rgba;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].css);
      g_assert_true (sd_card_html_parse_color (cases[i].css, &rgba));
      g_assert_cmphex (rgba, ==, cases[i].rgba);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (sd_card_html_parse_color (bad[i], &rgba));
}

static void
test_night_mode (void)
{
  static const char css[] =
    ".card { color: black; background-color: #FFCCCC; font-size: 20px }\n"
    ".dark { color: #0055ff }\n"
    ".nightMode .own { color: #ffcc00 }\n"
    ".own { color: #111111 }\n";
  g_autoptr(SdRichDoc) light = sd_card_html_render ("plain <span class=\"dark\">dark</span> "
                                                    "<span class=\"own\">own</span> "
                                                    "<span style=\"background: #ffff00\">hl</span>",
                                                    css, NULL, FALSE);
  g_autoptr(SdRichDoc) night = sd_card_html_render ("plain <span class=\"dark\">dark</span> "
                                                    "<span class=\"own\">own</span> "
                                                    "<span style=\"background: #ffff00\">hl</span>",
                                                    css, NULL, TRUE);
  guint32 bg = 0;
  guint32 fg;

  /* Light: the author's colours as they are. */
  g_assert_cmpuint (arg_at (light, SD_RICH_STYLE_FOREGROUND, 0), ==, 0x000000ff);
  g_assert_cmpuint (arg_at (light, SD_RICH_STYLE_FOREGROUND, 6), ==, 0x0055ffff);
  g_assert_cmpuint (arg_at (light, SD_RICH_STYLE_FOREGROUND, 11), ==, 0x111111ff);
  g_assert_true (sd_card_html_get_background (css, FALSE, -1, &bg));
  g_assert_cmpuint (bg, ==, 0xffccccff);

  /* Night: the card's black and pink give way to the theme (like Anki's
   * body.nightMode), .nightMode rules apply, dark colours are lightened
   * until readable, text on a yellow highlight is dark. */
  g_assert_false (sd_card_html_get_background (css, TRUE, -1, &bg));
  g_assert_cmpuint (arg_at (night, SD_RICH_STYLE_FOREGROUND, 0), ==, ANY);
  g_assert_cmpuint (arg_at (night, SD_RICH_STYLE_SCALE, 0), ==, 1250);
  fg = arg_at (night, SD_RICH_STYLE_FOREGROUND, 6);
  g_assert_cmpuint (fg, !=, ANY);
  g_assert_cmpuint (fg, !=, 0x0055ffff);
  /* Still blue: the red and green channels rose, blue stayed highest. */
  g_assert_cmpuint (fg & 0xff00, >, fg >> 24 << 8);
  g_assert_cmpuint (arg_at (night, SD_RICH_STYLE_FOREGROUND, 11), ==, 0xffcc00ff);
  fg = arg_at (night, SD_RICH_STYLE_FOREGROUND, 15);
  g_assert_cmpuint (fg, !=, ANY);
  g_assert_cmpuint (fg >> 24, <, 0x80);

  /* A night rule for the card itself wins over the theme. */
  g_assert_true (sd_card_html_get_background (".card { background: white }\n"
                                              ".card.nightMode { background: #303030 }", TRUE,
                                              -1, &bg));
  g_assert_cmpuint (bg, ==, 0x303030ff);
  g_assert_true (sd_card_html_get_background (".nightMode .card { background: #303031 }", TRUE,
                                              -1, &bg));
  g_assert_cmpuint (bg, ==, 0x303031ff);

  /* Default text on a dark page background a note type chose in light
   * mode is made light. */
  {
    g_autoptr(SdRichDoc) d = sd_card_html_render ("x", ".card { background: #000 }", NULL, FALSE);

    g_assert_cmpuint (arg_at (d, SD_RICH_STYLE_FOREGROUND, 0), ==, 0xffffffff);
  }
}

static void
test_cloze (void)
{
  /* What sd_cloze_filter() writes (Anki's markup). */
  static const char question[] =
    "This is a {{c2::long}} <span class=\"cloze\" data-cloze=\"long\" data-ordinal=\"2\">[...]"
    "</span> sentence that <span class=\"cloze-inactive\" data-ordinal=\"3\">has</span> been "
    "clozed <span class=\"cloze\" data-cloze=\"multiple\" data-ordinal=\"2\">[times]</span>!";
  static const char answer[] =
    "Traditionally, financial systems were seen to <span class=\"cloze\" data-ordinal=\"1\">"
    "follow from development</span>.";
  g_autoptr(SdRichDoc) q = sd_card_html_render (question, cloze_css, NULL, FALSE);
  g_autoptr(SdRichDoc) a = sd_card_html_render (answer, cloze_css, NULL, FALSE);
  g_autoptr(SdRichDoc) night = sd_card_html_render (answer, cloze_css, NULL, TRUE);
  g_autoptr(SdRichDoc) no_css = sd_card_html_render (answer, basic_css, NULL, TRUE);
  g_autoptr(SdRichDoc) no_css_light = sd_card_html_render (question, NULL, NULL, FALSE);
  int hole;

  g_assert_cmpstr (text_of (q), ==, "This is a {{c2::long}} [...] sentence that has been clozed "
                                    "[times]!\n");
  hole = offset_of (q, "[...]");
  g_assert_true (style_at (q, SD_RICH_STYLE_STRONG, ANY, hole));
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_FOREGROUND, hole), ==, 0x0000ffff);
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_FOREGROUND, hole + 4), ==, 0x0000ffff);
  g_assert_false (style_at (q, SD_RICH_STYLE_STRONG, ANY, hole + 5));
  /* Inactive deletions look like the rest. */
  g_assert_false (style_at (q, SD_RICH_STYLE_STRONG, ANY, offset_of (q, "has")));
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_FOREGROUND, offset_of (q, "has")), ==, 0x000000ff);
  g_assert_true (style_at (q, SD_RICH_STYLE_STRONG, ANY, offset_of (q, "[times]")));

  g_assert_true (style_at (a, SD_RICH_STYLE_STRONG, ANY, offset_of (a, "follow")));
  g_assert_cmpuint (arg_at (a, SD_RICH_STYLE_FOREGROUND, offset_of (a, "follow")), ==, 0x0000ffff);
  g_assert_cmpuint (arg_at (night, SD_RICH_STYLE_FOREGROUND, offset_of (night, "follow")), ==,
                    0xadd8e6ff);
  /* Note types without cloze rules get Anki's. */
  g_assert_cmpuint (arg_at (no_css, SD_RICH_STYLE_FOREGROUND, offset_of (no_css, "follow")), ==,
                    0xadd8e6ff);
  g_assert_true (style_at (no_css, SD_RICH_STYLE_STRONG, ANY, offset_of (no_css, "follow")));
  g_assert_cmpuint (arg_at (no_css_light, SD_RICH_STYLE_FOREGROUND,
                            offset_of (no_css_light, "[...]")), ==, 0x0000ffff);
}

static void
test_type_answer (void)
{
  static const char question[] =
    "Typing card:\nSome front text\n<br>\n<input type=\"text\" id=\"typeans\" "
    "data-type-answer=\"Front\" data-field=\"Front\">";
  static const char answer[] =
    "Typing card:\nSome front text\n<br>\n<hr id=answer>\n<div class=\"typeans-result\">"
    "<code id=\"typeans\"><span class=\"typeGood\">Some</span><span class=\"typeBad\">x</span>"
    "<span class=\"typeMissed\">-</span><br><span id=\"typearrow\">&darr;</span><br>"
    "<span class=\"typeGood\">Some</span><span class=\"typeMissed\">thing</span></code></div>";
  g_autoptr(SdRichDoc) q = sd_card_html_render (question, basic_css, NULL, FALSE);
  g_autoptr(SdRichDoc) a = sd_card_html_render (answer, basic_css, NULL, FALSE);
  g_autoptr(SdRichDoc) night = sd_card_html_render (answer, basic_css, NULL, TRUE);
  const SdRichWidget *widget;
  guint32 good, bad, missed;
  int line;

  g_assert_cmpstr (text_of (q), ==, "Typing card: Some front text\n\xef\xbf\xbc\n");
  g_assert_cmpuint (sd_rich_doc_get_n_widgets (q), ==, 1);
  widget = sd_rich_doc_get_widget (q, 0);
  g_assert_cmpstr (widget->kind, ==, SD_CARD_HTML_WIDGET_TYPE_ANSWER);
  g_assert_cmpstr (widget->data, ==, "Front");
  g_assert_cmpint (widget->offset, ==, 29);
  /* Centred like the card. */
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_ALIGN, 29), ==, SD_RICH_ALIGN_CENTER);

  g_assert_cmpstr (text_of (a), ==, "Typing card: Some front text\n\xef\xbf\xbc\nSomex-\n"
                                    "\xe2\x86\x93\nSomething\n");
  line = offset_of (a, "Somex");
  good = arg_at (a, SD_RICH_STYLE_BACKGROUND, line);
  bad = arg_at (a, SD_RICH_STYLE_BACKGROUND, line + 4);
  missed = arg_at (a, SD_RICH_STYLE_BACKGROUND, line + 5);
  /* Green, red, grey. */
  g_assert_cmpuint ((good >> 16) & 0xff, >, good >> 24);
  g_assert_cmpuint (bad >> 24, >, (bad >> 16) & 0xff);
  g_assert_cmpuint (missed >> 24, ==, (missed >> 16) & 0xff);
  g_assert_cmpuint (arg_at (a, SD_RICH_STYLE_BACKGROUND, line + 7), ==, ANY);
  g_assert_cmpstr (sd_rich_doc_get_string (a, arg_at (a, SD_RICH_STYLE_FAMILY, line)), ==,
                   "monospace");
  /* Not the grey box of inline code. */
  g_assert_false (style_at (a, SD_RICH_STYLE_CODE, ANY, line));
  g_assert_cmpuint (arg_at (a, SD_RICH_STYLE_BACKGROUND, offset_of (a, "thing")), ==, missed);

  /* Darker in night mode, with readable text on them. */
  line = offset_of (night, "Somex");
  g_assert_cmpuint (arg_at (night, SD_RICH_STYLE_BACKGROUND, line), !=, good);
  g_assert_cmpuint (arg_at (night, SD_RICH_STYLE_BACKGROUND, line) >> 24, <, 0x60);
}

static void
test_sounds (void)
{
  g_autofree char *dir = make_media_dir ();
  g_autofree char *sound = g_build_filename (dir, "sound.mp3", NULL);
  g_autoptr(SdRichDoc) doc =
    sd_card_html_render ("Konzert [sound:sound.mp3] and [sound:google-a85acb61.mp3]"
                         "<tts service=\"google\" voice=\"de\"> [sound:sound.mp3]</tts>"
                         "[anki:tts lang=de_DE]Hallo[/anki:tts]<audio src=\"sound.mp3\"></audio>",
                         "tts { display: none }", dir, FALSE);
  const SdRichWidget *widget;

  g_assert_cmpstr (text_of (doc), ==, "Konzert \xef\xbf\xbc and \xef\xbf\xbcHallo\xef\xbf\xbc\n");
  g_assert_cmpuint (sd_rich_doc_get_n_widgets (doc), ==, 3);
  widget = sd_rich_doc_get_widget (doc, 0);
  g_assert_cmpstr (widget->kind, ==, SD_CARD_HTML_WIDGET_SOUND);
  g_assert_cmpstr (widget->data, ==, sound);
  g_assert_cmpint (widget->offset, ==, 8);
  widget = sd_rich_doc_get_widget (doc, 1);
  g_assert_cmpstr (widget->kind, ==, SD_CARD_HTML_WIDGET_MISSING_SOUND);
  g_assert_cmpstr (widget->data, ==, "google-a85acb61.mp3");
  widget = sd_rich_doc_get_widget (doc, 2);
  g_assert_cmpstr (widget->kind, ==, SD_CARD_HTML_WIDGET_SOUND);

  /* Never outside the media folder. */
  {
    g_autoptr(SdRichDoc) d = sd_card_html_render ("[sound:../sound.mp3][sound:/etc/passwd]"
                                                  "[sound:http://x/y.mp3]", NULL, dir, FALSE);

    for (guint i = 0; i < sd_rich_doc_get_n_widgets (d); i++)
      g_assert_cmpstr (sd_rich_doc_get_widget (d, i)->kind, ==,
                       SD_CARD_HTML_WIDGET_MISSING_SOUND);
  }

  remove_media_dir (dir);
}

static void
test_math (void)
{
  g_autoptr(SdRichDoc) doc = render ("Solve \\(x^2 + 1 = 0\\) now:\\[ \\int_0^1 f \\]done "
                                     "<code>\\(not math\\)</code> \\(unclosed");
  int x = offset_of (doc, "x^2");

  g_assert_cmpstr (text_of (doc), ==, "Solve x^2 + 1 = 0 now:\n\\int_0^1 f\ndone \\(not math\\) "
                                      "\\(unclosed\n");
  g_assert_true (style_at (doc, SD_RICH_STYLE_CODE, ANY, x));
  g_assert_cmpstr (sd_rich_doc_get_string (doc, arg_at (doc, SD_RICH_STYLE_FAMILY, x)), ==,
                   "monospace");
  g_assert_false (style_at (doc, SD_RICH_STYLE_CODE, ANY, x - 1));
  g_assert_true (style_at (doc, SD_RICH_STYLE_CODE, ANY, offset_of (doc, "\\int")));
  g_assert_false (style_at (doc, SD_RICH_STYLE_CODE, ANY, offset_of (doc, "\\(unclosed")));
}

/* The AnkiDroid test deck's muscle cards: fields full of <div>s and
 * &nbsp;, an image field, a back template with misnested tags. */
static void
test_ankidroid_muscles (void)
{
  static const char css[] =
    ".card {\n font-family: arial;\n font-size: 20px;\n text-align: center;\n color: black;\n"
    " background-color: white;\n}\n\n.card1 { background-color: #FFFFFF; }";
  static const char back[] =
    "Deltoid\n\n<hr id=answer>\n\nAnterior: &nbsp;Flexion and medial rotation of humerus<div>"
    "Lateral/whole: &nbsp;Abduction at shoulder</div><div>Posterior: &nbsp;Extension and "
    "lateral rotation of humerus</div>\n";
  static const char origin[] =
    "Where does Latissimus dorsi originate?\n\n<hr id=answer>\n\n<div><div><b>Ribs 8-12</b>"
    "</div><div><b>T6-T12, all L&amp;S spinous</b></div><div><b>Thoracolumbular fascia</b></div>"
    "<div>Iliac crest</div><div>Scapula (inferior angle)</div></div>";
  static const char picture[] =
    "Which muscle is depicted here? <hr id=answer><b><u><i>Latissimus dorsi</b></u></i><br>"
    "<img src=\"Latissimus dorsi.png\" />";
  g_autofree char *dir = make_media_dir ();
  g_autoptr(SdRichDoc) b = sd_card_html_render (back, css, NULL, FALSE);
  g_autoptr(SdRichDoc) o = sd_card_html_render (origin, css, NULL, FALSE);
  g_autoptr(SdRichDoc) p = sd_card_html_render (picture, css, dir, FALSE);

  g_assert_cmpstr (text_of (b), ==, "Deltoid\n\xef\xbf\xbc\nAnterior: \xc2\xa0" "Flexion and "
                                    "medial rotation of humerus\nLateral/whole: \xc2\xa0"
                                    "Abduction at shoulder\nPosterior: \xc2\xa0" "Extension and "
                                    "lateral rotation of humerus\n");
  g_assert_cmpstr (text_of (o), ==, "Where does Latissimus dorsi originate?\n\xef\xbf\xbc\n"
                                    "Ribs 8-12\nT6-T12, all L&S spinous\nThoracolumbular fascia\n"
                                    "Iliac crest\nScapula (inferior angle)\n");
  g_assert_true (style_at (o, SD_RICH_STYLE_STRONG, ANY, offset_of (o, "Ribs")));
  g_assert_false (style_at (o, SD_RICH_STYLE_STRONG, ANY, offset_of (o, "Iliac")));
  assert_ranges (o, SD_RICH_STYLE_ALIGN, SD_RICH_ALIGN_CENTER, "0-135");

  g_assert_cmpstr (text_of (p), ==, "Which muscle is depicted here?\n\xef\xbf\xbc\n"
                                    "Latissimus dorsi\n\xef\xbf\xbc\n");
  g_assert_cmpuint (sd_rich_doc_get_n_images (p), ==, 1);
  g_assert_true (style_at (p, SD_RICH_STYLE_UNDERLINE, ANY, offset_of (p, "Latissimus d")));
  g_assert_true (style_at (p, SD_RICH_STYLE_EMPHASIS, ANY, offset_of (p, "Latissimus d")));

  remove_media_dir (dir);
}

/* The deck's cloze note types: a cloze across <div>s, furigana, a whole
 * card in <h2>, IPA in a span class with a long font list. */
static void
test_ankidroid_clozes (void)
{
  static const char conj_css[] =
    ".card {\n    text-align: left;\n    font-family: arial;\n    font-size: 20px;\n"
    "    text-align: center;\n    color: black;\n    background-color: #FFCCCC;\n}\n\n"
    ".cloze {\n font-weight: bold;\n color: blue;\n}\n"
    ".ipa {\n    font-family: Gentium, GentiumAlt, 'DejaVu Sans', 'Segoe UI', 'Lucida Grande', "
    "'Charis SIL', 'Doulos SIL', 'TITUS Cyberbit Basic', Code2000, 'Lucida Sans Unicode', "
    "sans-serif\n}";
  static const char conj_q[] =
    "<h2>\nYo <span class=\"cloze\" data-cloze=\"como\" data-ordinal=\"1\">[...]</span>.\n\n\n\n"
    "\n\n</h2>\n\n\nThe field was empty!\n";
  static const char conj_a[] =
    "\nYo <span class=\"cloze\" data-ordinal=\"1\">como</span>.<br>\n\n<span class=\"ipa\">"
    "/ʝo kˈomo/</span>\n\n\n\n\n\n\n\n\n\n";
  static const char nested_a[] =
    "<cloze>\nThis is a cloze that is defined over multiple lines: <span class=\"cloze\" "
    "data-ordinal=\"1\"><div>I am a cloze deletion<div>that contains</div><div>many lines"
    "</span></div></div><br/>\n</cloze> <!--Template hack to fix broken anki parsing. Should "
    "report this bug-->\nThis is a kanji within a cloze: <span class=\"cloze\" data-ordinal=\"1\">"
    "子</span><br/>\nThis is a kanji with furigana: <ruby><rb>子</rb><rt>し</rt></ruby><br/>\n";
  g_autoptr(SdRichDoc) q = sd_card_html_render (conj_q, conj_css, NULL, FALSE);
  g_autoptr(SdRichDoc) a = sd_card_html_render (conj_a, conj_css, NULL, FALSE);
  g_autoptr(SdRichDoc) n = sd_card_html_render (nested_a, conj_css, NULL, FALSE);
  guint32 bg = 0;

  g_assert_cmpstr (text_of (q), ==, "Yo [...].\nThe field was empty!\n");
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_SCALE, 0), ==, 1875);
  g_assert_true (style_at (q, SD_RICH_STYLE_STRONG, ANY, 0));
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_FOREGROUND, 3), ==, 0x0000ffff);
  g_assert_cmpuint (arg_at (q, SD_RICH_STYLE_SCALE, offset_of (q, "The field")), ==, 1250);
  g_assert_true (sd_card_html_get_background (conj_css, FALSE, 0, &bg));
  g_assert_cmphex (bg, ==, 0xffccccff);

  g_assert_cmpstr (text_of (a), ==, "Yo como.\n/ʝo kˈomo/\n");
  g_assert_cmpstr (sd_rich_doc_get_string (a, arg_at (a, SD_RICH_STYLE_FAMILY, offset_of (a, "/"))),
                   ==, "Gentium,GentiumAlt,DejaVu Sans,Segoe UI,Lucida Grande,Charis SIL,"
                       "Doulos SIL,TITUS Cyberbit Basic,Code2000,Lucida Sans Unicode,sans-serif");

  g_assert_cmpstr (text_of (n), ==, "This is a cloze that is defined over multiple lines:\n"
                                    "I am a cloze deletion\nthat contains\nmany lines\n\n"
                                    "This is a kanji within a cloze: 子\n"
                                    "This is a kanji with furigana: 子し\n");
  g_assert_true (style_at (n, SD_RICH_STYLE_STRONG, ANY, offset_of (n, "that contains")));
  g_assert_true (style_at (n, SD_RICH_STYLE_SUPERSCRIPT, ANY, offset_of (n, "し")));
  g_assert_cmpuint (arg_at (n, SD_RICH_STYLE_SCALE, offset_of (n, "し")), ==, 625);
}

static void
test_large_field (void)
{
  GString *html = g_string_new ("<div>");
  g_autoptr(SdRichDoc) doc = NULL;
  gint64 start;
  double ms;

  while (html->len < 100 * 1024)
    g_string_append (html, "Line with <b>bold</b>, <span style=\"color: #c00\">colour</span> "
                           "&nbsp;and a <span class=\"cloze\">[...]</span>.<br>\n"
                           "<div>Nested <i>div</i></div>\n");
  g_string_append (html, "</div>");

  start = g_get_monotonic_time ();
  doc = sd_card_html_render (html->str, cloze_css, NULL, FALSE);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("100 KB field: %.1f ms, %u ops", ms, sd_rich_doc_get_n_ops (doc));

  g_assert_cmpint (sd_rich_doc_get_length (doc), >, 30000);
  g_assert_cmpfloat (ms, <, 1000);
  assert_no_nesting (doc);
  g_string_free (html, TRUE);

  /* Deep nesting: no recursion trouble, the text survives up to libxml2's
   * depth limit. */
  {
    GString *deep = g_string_new (NULL);
    g_autoptr(SdRichDoc) d = NULL;

    for (int i = 0; i < 5000; i++)
      g_string_append (deep, "<div><span>");
    g_string_append (deep, "bottom");
    d = render (deep->str);
    g_assert_true (g_utf8_validate (text_of (d), -1, NULL));
    g_string_free (deep, TRUE);
  }
}

static const char thread_html[] =
  "<h2>Yo <span class=\"cloze\">[...]</span></h2><table><tr><td>a</td></tr></table>"
  "<ul><li><b>x</b></li></ul><img src=\"gone.png\"> [sound:s.mp3] \\(x\\)";

static gpointer
render_in_thread (gpointer data)
{
  char *dump = NULL;

  for (int i = 0; i < 50; i++)
    {
      g_autoptr(SdRichDoc) doc = sd_card_html_render (thread_html, cloze_css, NULL, i % 2);

      if (i % 2 == 0)
        {
          g_free (dump);
          dump = sd_rich_doc_dump (doc);
        }
    }

  return dump;
}

/* Rendering runs in workers: no shared state. */
static void
test_threads (void)
{
  g_autoptr(SdRichDoc) doc = sd_card_html_render (thread_html, cloze_css, NULL, FALSE);
  g_autofree char *expected = sd_rich_doc_dump (doc);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("render", render_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *dump = g_thread_join (threads[i]);

      g_assert_cmpstr (dump, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/card-html/inline-elements", test_inline_elements);
  g_test_add_func ("/studydeck/card-html/span-styles", test_span_styles);
  g_test_add_func ("/studydeck/card-html/font-element", test_font_element);
  g_test_add_func ("/studydeck/card-html/whitespace", test_whitespace);
  g_test_add_func ("/studydeck/card-html/blocks", test_blocks);
  g_test_add_func ("/studydeck/card-html/lists", test_lists);
  g_test_add_func ("/studydeck/card-html/centered-lists", test_centered_lists);
  g_test_add_func ("/studydeck/card-html/tables", test_tables);
  g_test_add_func ("/studydeck/card-html/table-quirks", test_table_quirks);
  g_test_add_func ("/studydeck/card-html/images", test_images);
  g_test_add_func ("/studydeck/card-html/links", test_links);
  g_test_add_func ("/studydeck/card-html/link-colors", test_link_colors);
  g_test_add_func ("/studydeck/card-html/hint", test_hint);
  g_test_add_func ("/studydeck/card-html/hidden-content", test_hidden_content);
  g_test_add_func ("/studydeck/card-html/entities", test_entities);
  g_test_add_func ("/studydeck/card-html/broken-html", test_broken_html);
  g_test_add_func ("/studydeck/card-html/fuzz", test_fuzz);
  g_test_add_func ("/studydeck/card-html/card-css", test_card_css);
  g_test_add_func ("/studydeck/card-html/css-selectors", test_css_selectors);
  g_test_add_func ("/studydeck/card-html/colors", test_colors);
  g_test_add_func ("/studydeck/card-html/night-mode", test_night_mode);
  g_test_add_func ("/studydeck/card-html/cloze", test_cloze);
  g_test_add_func ("/studydeck/card-html/type-answer", test_type_answer);
  g_test_add_func ("/studydeck/card-html/sounds", test_sounds);
  g_test_add_func ("/studydeck/card-html/math", test_math);
  g_test_add_func ("/studydeck/card-html/ankidroid-muscles", test_ankidroid_muscles);
  g_test_add_func ("/studydeck/card-html/ankidroid-clozes", test_ankidroid_clozes);
  g_test_add_func ("/studydeck/card-html/large-field", test_large_field);
  g_test_add_func ("/studydeck/card-html/threads", test_threads);

  return g_test_run ();
}
