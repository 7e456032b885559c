/* test-html-text.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-html-text.h"

static void
assert_strip (const char *html,
              const char *expected)
{
  g_autofree char *got = sd_html_text_strip (html);

  g_assert_cmpstr (got, ==, expected);
}

static void
assert_sort_field (const char *html,
                   const char *expected)
{
  g_autofree char *got = sd_html_text_sort_field (html);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_strip_tags (void)
{
  assert_strip ("", "");
  assert_strip (NULL, "");
  assert_strip ("plain", "plain");
  assert_strip ("<b>bold</b> <i>it</i>", "bold it");
  assert_strip ("<DIV CLASS=x>up</Div>", "up");
  assert_strip ("<!-- c --><style>x{}</style><script>y</script>t", "t");
  assert_strip ("<STYLE type=a>p { }</STYLE>after", "after");
  assert_strip ("<style>never closed", "never closed");
  assert_strip ("<!-- never closed > still a tag", " still a tag");
  assert_strip ("1 < 2 and 3 > 2", "1  2");
  assert_strip ("a < b", "a < b");
  assert_strip ("x<br>y<br/>z", "xyz");
  assert_strip ("multi\nline <span\nclass=a>tag</span>", "multi\nline tag");
  assert_strip ("<img src=\"x.jpg\">", "");
}

static void
test_strip_preserving_entities (void)
{
  g_autofree char *got = sd_html_text_strip_preserving_entities ("<b>a &amp; b</b>&nbsp;");

  g_assert_cmpstr (got, ==, "a &amp; b&nbsp;");
}

static void
test_entities (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "<b>bold</b> &lt;tag&gt;", "bold <tag>" },
    { "&amp;&lt;&gt;&quot;", "&<>\"" },
    { "x&nbsp;y", "x y" },
    { "&eacute;t&eacute; &euro;5 &hellip;", "été €5 …" },
    { "&#65;&#x42;&#0067;", "ABC" },
    { "&#x1F600;", "😀" },
    /* one bad reference and nothing is decoded, like Anki */
    { "AT&T", "AT&T" },
    { "AT&T &amp; co", "AT&T &amp; co" },
    { "a &amp b", "a &amp b" },
    { "&apos;", "&apos;" },
    { "&Amp;", "&Amp;" },
    { "&#65;&#x42;&#X43;", "&#65;&#x42;&#X43;" },
    { "&#xD800;", "&#xD800;" },
    { "&#1114112;", "&#1114112;" },
    { "&#99999999999;", "&#99999999999;" },
    { "&#x;", "&#x;" },
    { "&#;", "&#;" },
    { "&;", "&;" },
    { "trailing &", "trailing &" },
    /* U+00A0 becomes a space only when decoding happened */
    { "caf\xc3\xa9\xc2\xa0&amp;", "caf\xc3\xa9 &" },
    { "caf\xc3\xa9\xc2\xa0" "bar", "caf\xc3\xa9\xc2\xa0" "bar" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = sd_html_text_decode_entities (cases[i].in);
      g_autofree char *stripped = sd_html_text_strip (cases[i].in);

      g_assert_cmpstr (stripped, ==, cases[i].out);
      if (strchr (cases[i].in, '<') == NULL)
        g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_media_filenames (void)
{
  assert_sort_field ("<img src=\"cat.jpg\">", " cat.jpg ");
  assert_sort_field ("<IMG alt='a>b' SRC='dog one.png' />x", " dog one.png x");
  assert_sort_field ("<img src=bare.gif width=3>", " bare.gif ");
  assert_sort_field ("<audio data-src=\"a.mp3\">", " a.mp3 ");
  assert_sort_field ("<video src=\"v.mp4\"></video>", " v.mp4 ");
  assert_sort_field ("<object data=\"o.swf\">", " o.swf ");
  assert_sort_field ("<source src=\"s.ogg\">", " s.ogg ");
  assert_sort_field ("<img src=\"\">", " \"\" ");
  assert_sort_field ("<imgx src=\"no.jpg\">", "");
  assert_sort_field ("<img srcset=\"no.jpg\">", "");
  assert_sort_field ("a<img src=\"p.jpg\">b<br>c", "a p.jpg bc");
  assert_sort_field ("[sound:a.mp3]<img src=\"x.jpg\" />", "[sound:a.mp3] x.jpg ");
  assert_sort_field ("<img src=\"a&amp;b.jpg\">", " a&b.jpg ");
  assert_sort_field ("<img src=\"never closed", "<img src=\"never closed");
}

/* First fields and `csum`/`sfld` values written by Anki, from the AnkiDroid
 * template test deck and a French cloze deck. */
static void
test_checksum_real_notes (void)
{
  static const struct
  {
    const char *field;
    guint32     csum;
    const char *sfld;
  } notes[] = {
    { "{{c1::\xe5\xad\x90}}", 3611618927u, "{{c1::\xe5\xad\x90}}" },
    { "<span style=\"font-family: Arial\">This is a {{c2::long}} sentence that {{c3::has}} "
      "been clozed {{c4::multiple}} times!</span>", 188425307u,
      "This is a {{c2::long}} sentence that {{c3::has}} been clozed {{c4::multiple}} times!" },
    { "<div>outside {{ inside }} outside</div>", 3285337508u, "outside {{ inside }} outside" },
    { "There should be hidden text here:&nbsp;{{hidebecausei'minvalid:I am the hidden text!}}",
      3183015414u,
      "There should be hidden text here: {{hidebecausei'minvalid:I am the hidden text!}}" },
    { "G\xc3\xbcrteltasche", 4180478629u, "G\xc3\xbcrteltasche" },
    { "Regulierung, Regel, Verhaltensnorm", 1047619690u, "Regulierung, Regel, Verhaltensnorm" },
    { "Coracobrachialis", 3036265765u, "Coracobrachialis" },
    { "11.1.1 traditional theory of financial institutions", 827388875u,
      "11.1.1 traditional theory of financial institutions" },
    { "Yo {{c1::como}}.", 2980649922u, "Yo {{c1::como}}." },
    { "J&#x27;ai pas le r\xc3\xa9" "flexe de me jeter dessus au moment o\xc3\xb9 "
      "{{c1::\xc3\xa7" "a::it}} sort.", 2596149853u,
      "J'ai pas le r\xc3\xa9" "flexe de me jeter dessus au moment o\xc3\xb9 "
      "{{c1::\xc3\xa7" "a::it}} sort." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autofree char *sfld = sd_html_text_sort_field (notes[i].field);

      g_assert_cmpuint (sd_html_text_field_checksum (notes[i].field), ==, notes[i].csum);
      g_assert_cmpstr (sfld, ==, notes[i].sfld);
    }
}

/* Values from an independent implementation of Anki's rules. */
static void
test_checksum_edge_cases (void)
{
  g_assert_cmpuint (sd_html_text_field_checksum ("<img src=\"cat.jpg\">"), ==, 54041269u);
  g_assert_cmpuint (sd_html_text_field_checksum ("a<img src=\"p.jpg\">b<br>c"), ==, 1483079903u);
  g_assert_cmpuint (sd_html_text_field_checksum ("AT&T"), ==, 2973542706u);
  g_assert_cmpuint (sd_html_text_field_checksum ("x&nbsp;y"), ==, 1943979411u);
  g_assert_cmpuint (sd_html_text_field_checksum ("caf\xc3\xa9\xc2\xa0&amp;"), ==, 2627298236u);
  /* "&#0;" decodes to a NUL that is part of the hashed text */
  g_assert_cmpuint (sd_html_text_field_checksum ("&#0;"), ==, 1537817757u);
  g_assert_cmpuint (sd_html_text_checksum ("", 0), ==, 0xda39a3eeu);
  g_assert_cmpuint (sd_html_text_checksum ("abc", -1), ==, 0xa9993e36u);
}

/* The one-pass form gives what the two functions give apart. */
static void
test_sort_field_and_checksum (void)
{
  static const char *fields[] = {
    "", "plain", "<b>bold</b> &amp; <img src=\"cat.jpg\">", "AT&T", "&#0;after",
    "x&nbsp;y", "<style>p {}</style>[sound:a.mp3]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *sort_field = sd_html_text_sort_field (fields[i]);
      guint32 checksum = 0;
      g_autofree char *both = sd_html_text_sort_field_and_checksum (fields[i], &checksum);

      g_assert_cmpstr (both, ==, sort_field);
      g_assert_cmpuint (checksum, ==, sd_html_text_field_checksum (fields[i]));
    }
}

static void
test_field_is_empty (void)
{
  g_assert_true (sd_html_text_field_is_empty (""));
  g_assert_true (sd_html_text_field_is_empty (NULL));
  g_assert_true (sd_html_text_field_is_empty (" \t\n"));
  g_assert_true (sd_html_text_field_is_empty ("<BR>"));
  g_assert_true (sd_html_text_field_is_empty ("<div />"));
  g_assert_true (sd_html_text_field_is_empty (" <div> <br> </div>\n<br/></br>"));
  g_assert_false (sd_html_text_field_is_empty ("x"));
  g_assert_false (sd_html_text_field_is_empty (" <div>x</div>\n"));
  g_assert_false (sd_html_text_field_is_empty ("&nbsp;"));
  g_assert_false (sd_html_text_field_is_empty ("<img src=a.jpg>"));
  g_assert_false (sd_html_text_field_is_empty ("<p></p>"));
  g_assert_false (sd_html_text_field_is_empty ("<br"));
}

static void
test_escape (void)
{
  g_autofree char *minimal = sd_html_text_escape ("<a href=\"x\">'&'</a>");
  g_autofree char *attr =
    sd_html_text_escape_attribute ("\"No\", he said. caf\xc3\xa9 \xe5\xad\x90");

  g_assert_cmpstr (minimal, ==, "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;");
  g_assert_cmpstr (attr, ==,
                   "&quot;No&quot;&#x2C;&#x20;he&#x20;said&#x2E;&#x20;caf&#xE9;&#x20;\xe5\xad\x90");
}

static void
test_av_tags (void)
{
  g_autofree char *a = sd_html_text_strip_av_tags ("x[sound:a.mp3]y[sound:]z");
  g_autofree char *b =
    sd_html_text_strip_av_tags ("[anki:tts lang=en_US voices=Bob]hi[/anki:tts]!");
  g_autofree char *c = sd_html_text_strip_av_tags ("[anki:tts lang=en]unclosed");

  g_assert_cmpstr (a, ==, "xy[sound:]z");
  g_assert_cmpstr (b, ==, "!");
  g_assert_cmpstr (c, ==, "[anki:tts lang=en]unclosed");
}

static void
test_trim (void)
{
  g_autofree char *a = sd_html_text_trim ("\xc2\xa0\t x y \xe3\x80\x80\n");
  g_autofree char *b = sd_html_text_trim ("   ");

  g_assert_cmpstr (a, ==, "x y");
  g_assert_cmpstr (b, ==, "");
}

static void
test_invalid_utf8 (void)
{
  const char *bad = "a\xff<b>b\xc3</b>&amp;\xe2\x82";
  g_autofree char *stripped = sd_html_text_strip (bad);
  g_autofree char *sfld = sd_html_text_sort_field (bad);
  g_autofree char *escaped = sd_html_text_escape (bad);
  g_autofree char *valid = sd_html_text_make_valid (bad, -1);
  g_autofree char *truncated = sd_html_text_make_valid ("ab\xc3\xa9", 3);

  g_assert_true (g_utf8_validate (stripped, -1, NULL));
  g_assert_true (g_utf8_validate (sfld, -1, NULL));
  g_assert_true (g_utf8_validate (escaped, -1, NULL));
  g_assert_true (g_utf8_validate (valid, -1, NULL));
  g_assert_true (g_utf8_validate (truncated, -1, NULL));
  g_assert_nonnull (strstr (stripped, "&"));
  g_assert_null (strstr (stripped, "<b>"));
  {
    g_autoptr(GString) attr = g_string_new (NULL);

    sd_html_text_append_escaped_attribute (attr, "a\xe2", -1);
    g_assert_true (g_utf8_validate (attr->str, -1, NULL));
  }
  (void) sd_html_text_field_checksum (bad);
  (void) sd_html_text_field_is_empty (bad);
}

/* Long or hostile input must stay linear: tag openers without an end, media
 * tags without a source, entities. */
static void
test_long_input (void)
{
  const gsize n = 200000;
  g_autoptr(GString) lt = g_string_new (NULL);
  g_autoptr(GString) img = g_string_new (NULL);
  g_autoptr(GString) mixed = g_string_new (NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  gint64 start = g_get_monotonic_time ();

  for (gsize i = 0; i < n; i++)
    g_string_append (lt, "< ");
  for (gsize i = 0; i < n / 10; i++)
    g_string_append (img, "<img alt=\"q\" x>");
  for (gsize i = 0; i < n / 10; i++)
    g_string_append (mixed, "<b>word</b>&amp;<img src=\"f.jpg\"> ");

  a = sd_html_text_sort_field (lt->str);
  b = sd_html_text_sort_field (img->str);
  c = sd_html_text_sort_field (mixed->str);
  g_assert_cmpuint (strlen (a), ==, lt->len);
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpuint (strlen (c), ==, (n / 10) * strlen ("word& f.jpg  "));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/html-text/strip-tags", test_strip_tags);
  g_test_add_func ("/studydeck/html-text/strip-preserving-entities",
                   test_strip_preserving_entities);
  g_test_add_func ("/studydeck/html-text/entities", test_entities);
  g_test_add_func ("/studydeck/html-text/media-filenames", test_media_filenames);
  g_test_add_func ("/studydeck/html-text/checksum-real-notes", test_checksum_real_notes);
  g_test_add_func ("/studydeck/html-text/checksum-edge-cases", test_checksum_edge_cases);
  g_test_add_func ("/studydeck/html-text/sort-field-and-checksum", test_sort_field_and_checksum);
  g_test_add_func ("/studydeck/html-text/field-is-empty", test_field_is_empty);
  g_test_add_func ("/studydeck/html-text/escape", test_escape);
  g_test_add_func ("/studydeck/html-text/av-tags", test_av_tags);
  g_test_add_func ("/studydeck/html-text/trim", test_trim);
  g_test_add_func ("/studydeck/html-text/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/studydeck/html-text/long-input", test_long_input);

  return g_test_run ();
}
