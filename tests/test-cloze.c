/* test-cloze.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-cloze.h"
#include "sd-html-text.h"

static void
assert_numbers (const char *text,
                const guint *expected,
                guint        n_expected)
{
  g_autoptr(GArray) numbers = sd_cloze_numbers_in_text (text);

  g_assert_cmpuint (numbers->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpuint (g_array_index (numbers, guint, i), ==, expected[i]);
}

#define ASSERT_NUMBERS(text, ...) \
  G_STMT_START { \
    const guint expected_[] = { 0, __VA_ARGS__ }; \
    assert_numbers (text, expected_ + 1, G_N_ELEMENTS (expected_) - 1); \
  } G_STMT_END

static void
assert_reveal (const char *text,
               guint       number,
               gboolean    question,
               const char *expected)
{
  g_autofree char *got = sd_cloze_reveal (text, number, question);

  g_assert_cmpstr (got, ==, expected);
}

/* The revealed text with its markup removed. */
static void
assert_reveal_text (const char *text,
                    guint       number,
                    gboolean    question,
                    const char *expected)
{
  g_autofree char *html = sd_cloze_reveal (text, number, question);
  g_autofree char *got = sd_html_text_strip (html);

  g_assert_cmpstr (got, ==, expected);
}

static void
assert_reveal_only (const char *text,
                    guint       number,
                    gboolean    question,
                    const char *expected)
{
  g_autofree char *got = sd_cloze_reveal_only (text, number, question);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_numbers (void)
{
  assert_numbers ("test", NULL, 0);
  assert_numbers ("", NULL, 0);
  assert_numbers (NULL, NULL, 0);
  assert_numbers ("\xc3\xb6" "a\xc3\xb6" "a\xc3\xb6\xc3\xb6", NULL, 0);
  ASSERT_NUMBERS ("{{c2::te}}{{c1::s}}t{{", 1, 2);
  ASSERT_NUMBERS ("{{c0::te}}s{{c2::t}}s", 2);
  ASSERT_NUMBERS ("{{c2::te{{c1::s}}}}t{{", 1, 2);
  ASSERT_NUMBERS ("{{c1,2,3::multi}}", 1, 2, 3);
  ASSERT_NUMBERS ("{{c1,1,2::test}}", 1, 2);
  ASSERT_NUMBERS ("{{c0,1,2::test}}", 1, 2);
  ASSERT_NUMBERS ("{{c1,,3::test}}", 1, 3);
  ASSERT_NUMBERS ("{{c3::x}} {{c1::y}} {{c3::z}}", 1, 3);
  ASSERT_NUMBERS ("{{c007::leading zeros}}", 7);
  ASSERT_NUMBERS ("{{c65535::max}}", 65535);
  /* numbers that do not fit 16 bits are not clozes at all */
  assert_numbers ("{{c65536::too big}}", NULL, 0);
  ASSERT_NUMBERS ("{{c99999999999,4::partly}}", 4);
  assert_numbers ("{{c::x}} {{c1:x}} {{C1::x}} {{ c1::x}}", NULL, 0);
  /* an unclosed deletion does not count */
  assert_numbers ("{{c1::never closed", NULL, 0);
}

static void
test_numbers_in_fields (void)
{
  const char *fields[] = {
    "Text{{c1::t1}}", "", NULL, "Text{{c5::t5}}{{c3::t3}}", "{{c5::again}}",
  };
  g_autoptr(GArray) numbers = sd_cloze_numbers_in_fields (fields, G_N_ELEMENTS (fields));

  g_assert_cmpuint (numbers->len, ==, 3);
  g_assert_cmpuint (g_array_index (numbers, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (numbers, guint, 1), ==, 3);
  g_assert_cmpuint (g_array_index (numbers, guint, 2), ==, 5);

  g_assert_true (sd_cloze_text_has_number ("a {{c2::b}}", 2));
  g_assert_false (sd_cloze_text_has_number ("a {{c2::b}}", 1));
  g_assert_true (sd_cloze_contains_cloze ("a {{c2::b}}"));
  g_assert_false (sd_cloze_contains_cloze ("{{c0::b}}"));
  g_assert_false (sd_cloze_contains_cloze ("no cloze"));
}

static void
test_card_ord (void)
{
  g_assert_cmpuint (sd_cloze_card_ord_for_number (1), ==, 0);
  g_assert_cmpuint (sd_cloze_card_ord_for_number (3), ==, 2);
  g_assert_cmpuint (sd_cloze_card_ord_for_number (500), ==, 499);
  g_assert_cmpuint (sd_cloze_card_ord_for_number (501), ==, 499);
  g_assert_cmpuint (sd_cloze_card_ord_for_number (65535), ==, 499);
  g_assert_cmpuint (sd_cloze_card_ord_for_number (0), ==, 0);
}

static void
test_reveal_basic (void)
{
  const char *text = "{{c1::one}} {{c2::two::hint}}";

  assert_reveal (text, 1, TRUE,
                 "<span class=\"cloze\" data-cloze=\"one\" data-ordinal=\"1\">[...]</span> "
                 "<span class=\"cloze-inactive\" data-ordinal=\"2\">two</span>");
  assert_reveal_text (text, 1, TRUE, "[...] two");
  assert_reveal_text (text, 2, TRUE, "one [hint]");
  assert_reveal (text, 2, FALSE,
                 "<span class=\"cloze-inactive\" data-ordinal=\"1\">one</span> "
                 "<span class=\"cloze\" data-ordinal=\"2\">two</span>");
  assert_reveal_text (text, 2, FALSE, "one two");
  /* no deletion for this card: the field renders empty */
  assert_reveal (text, 3, TRUE, "");
  assert_reveal (text, 3, FALSE, "");
  assert_reveal ("no clozes", 1, TRUE, "");

  /* the hidden HTML is kept, attribute-encoded */
  assert_reveal ("{{c1::a <b>b</b>}}", 1, TRUE,
                 "<span class=\"cloze\" data-cloze=\"a&#x20;&lt;b&gt;b&lt;&#x2F;b&gt;\" "
                 "data-ordinal=\"1\">[...]</span>");
  /* a hint may itself contain "::" */
  assert_reveal_text ("The {{c2::orbits::a hint with \"::\" in it}}.", 2, TRUE,
                      "The [a hint with \"::\" in it].");
  /* stray closing braces are text */
  assert_reveal ("{{c1::x}} a}}b", 1, FALSE,
                 "<span class=\"cloze\" data-ordinal=\"1\">x</span> a}}b");
  assert_reveal ("{{c1::x}}}", 1, FALSE, "<span class=\"cloze\" data-ordinal=\"1\">x</span>}");
  /* an unclosed deletion is dropped together with its text */
  assert_reveal ("{{c1::x}} and {{c1::lost", 1, FALSE,
                 "<span class=\"cloze\" data-ordinal=\"1\">x</span> and ");
}

static void
test_reveal_nested (void)
{
  g_autofree char *inner = sd_html_text_escape_attribute (
    "bar <span class=\"cloze-inactive\" data-ordinal=\"2\">baz</span>");
  g_autofree char *expected1 = g_strdup_printf (
    "foo <span class=\"cloze\" data-cloze=\"%s\" data-ordinal=\"1\">[...]</span>", inner);
  g_autofree char *expected2 = g_strdup_printf (
    "foo <span class=\"cloze\" data-cloze=\"%s\" data-ordinal=\"1\">[qux]</span>", inner);

  assert_reveal_text ("foo {{c1::bar {{c2::baz}}}}", 1, TRUE, "foo [...]");
  assert_reveal_text ("foo {{c1::bar {{c2::baz}}}}", 1, FALSE, "foo bar baz");
  assert_reveal_text ("foo {{c1::bar {{c2::baz}}::qux}}", 2, TRUE, "foo bar [...]");
  assert_reveal_text ("foo {{c1::bar {{c2::baz}}::qux}}", 2, FALSE, "foo bar baz");
  assert_reveal_text ("foo {{c1::bar {{c2::baz}}::qux}}", 1, TRUE, "foo [qux]");
  assert_reveal_text ("foo {{c1::bar {{c2::baz}}::qux}}", 1, FALSE, "foo bar baz");

  assert_reveal ("foo {{c1::bar {{c2::baz}}}}", 1, TRUE, expected1);
  assert_reveal ("foo {{c1::bar {{c2::baz}}::qux}}", 1, TRUE, expected2);
  assert_reveal ("foo {{c1::bar {{c2::baz}}}}", 1, FALSE,
                 "foo <span class=\"cloze\" data-ordinal=\"1\">bar "
                 "<span class=\"cloze-inactive\" data-ordinal=\"2\">baz</span></span>");
  assert_reveal ("foo {{c1::bar {{c2::baz}}::qux}}", 2, TRUE,
                 "foo <span class=\"cloze-inactive\" data-ordinal=\"1\">bar "
                 "<span class=\"cloze\" data-cloze=\"baz\" data-ordinal=\"2\">[...]</span></span>");
  assert_reveal ("foo {{c1::bar {{c2::baz}}::qux}}", 2, FALSE,
                 "foo <span class=\"cloze-inactive\" data-ordinal=\"1\">bar "
                 "<span class=\"cloze\" data-ordinal=\"2\">baz</span></span>");

  assert_reveal_text ("{{c1::outer {{c1::inner}}}}", 1, TRUE, "[...]");
  assert_reveal_text ("{{c1,2::outer {{c3::inner}}}}", 1, TRUE, "[...]");
  assert_reveal_text ("{{c1,2::outer {{c3::inner}}}}", 2, TRUE, "[...]");
  assert_reveal_text ("{{c1,2::outer {{c3::inner}}}}", 3, TRUE, "outer [...]");
}

/* Openings nested more than ten deep are text of the innermost deletion, but
 * their closing braces still close a deletion each, so the last two are left
 * over as text (as in Anki). */
static void
test_reveal_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *answer = NULL;

  for (guint i = 1; i <= 12; i++)
    g_string_append_printf (text, "{{c%u::%u ", i, i);
  for (guint i = 0; i < 12; i++)
    g_string_append (text, "}}");

  answer = sd_cloze_reveal (text->str, 10, FALSE);
  g_assert_nonnull (strstr (answer, "data-ordinal=\"10\">10 11 12 </span>"));
  g_assert_null (strstr (answer, "data-ordinal=\"11\""));
  assert_reveal (text->str, 11, FALSE, "");
  assert_reveal_text (text->str, 10, TRUE, "1 2 3 4 5 6 7 8 9 [...]}}}}");
}

static void
test_reveal_multi_card (void)
{
  const char *text = "{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}";
  g_autofree char *card3 = sd_cloze_reveal ("{{c1,2,3::multi}}", 3, TRUE);

  assert_reveal_text (text, 1, TRUE, "[...] word and [...] vs second");
  assert_reveal_text (text, 2, TRUE, "[...] word and first vs [...]");
  assert_reveal_text (text, 1, FALSE, "shared word and first vs second");
  assert_reveal_text (text, 2, FALSE, "shared word and first vs second");
  g_assert_nonnull (strstr (card3, "data-ordinal=\"1,2,3\""));
  assert_reveal_text ("{{c1,2::answer::hint}}", 1, TRUE, "[hint]");
  assert_reveal_text ("{{c1,2::answer::hint}}", 2, TRUE, "[hint]");
  assert_reveal_text ("{{c1,2::answer::hint}}", 2, FALSE, "answer");
}

static void
test_reveal_only (void)
{
  const char *text = "{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}";

  assert_reveal_only ("foo", 1, TRUE, "");
  assert_reveal_only ("foo {{c1::bar}}", 1, TRUE, "...");
  assert_reveal_only ("foo {{c1::bar::baz}}", 1, TRUE, "baz");
  assert_reveal_only ("foo {{c1::bar}}", 1, FALSE, "bar");
  assert_reveal_only ("foo {{c1::bar}}", 2, FALSE, "");
  assert_reveal_only ("{{c1::foo}} {{c1::bar}}", 1, FALSE, "foo, bar");
  assert_reveal_only (text, 1, TRUE, "..., ...");
  assert_reveal_only (text, 1, FALSE, "shared, first");
  assert_reveal_only (text, 2, FALSE, "shared, second");
  assert_reveal_only ("{{c1::a {{c1::b}}}}", 1, FALSE, "a b, b");
}

static void
test_filters (void)
{
  g_autofree char *q = sd_cloze_filter ("{{c1::one}} {{c2::two}}", 1, TRUE);
  g_autofree char *a = sd_cloze_filter ("{{c1::\\(<b>x</b>&lt;\\)}} \\[<i>y</i>\\]", 0, FALSE);
  g_autofree char *only = sd_cloze_only_filter ("{{c1::one}} {{c2::two::t}}", 1, TRUE);

  g_assert_cmpstr (q, ==,
                   "<span class=\"cloze-inactive\" data-ordinal=\"1\">one</span> "
                   "<span class=\"cloze\" data-cloze=\"two\" data-ordinal=\"2\">[...]</span>");
  /* tags inside MathJax are removed, escaped brackets kept */
  g_assert_cmpstr (a, ==, "<span class=\"cloze\" data-ordinal=\"1\">\\(x&lt;\\)</span> \\[y\\]");
  g_assert_cmpstr (only, ==, "t");
}

static void
test_typing (void)
{
  g_autofree char *none = sd_cloze_extract_for_typing ("{{c2::foo}}", 1);
  g_autofree char *many = sd_cloze_extract_for_typing ("{{c1::foo}} {{c1::bar}} {{c1::foo}}", 1);
  g_autofree char *same = sd_cloze_extract_for_typing ("{{c1::foo}} {{c1::foo}} {{c1::foo}}", 1);
  g_autofree char *hinted = sd_cloze_extract_for_typing ("a {{c3::long::hint}} b", 3);
  g_autofree char *nested = sd_cloze_extract_for_typing ("{{c1::x {{c2::y}}}}", 1);

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (many, ==, "foo, bar, foo");
  g_assert_cmpstr (same, ==, "foo");
  g_assert_cmpstr (hinted, ==, "long");
  g_assert_cmpstr (nested, ==, "x y");
}

static void
test_strip (void)
{
  g_autofree char *a = sd_cloze_strip ("The {{c1::moon::\xf0\x9f\x8c\x9b}} {{c2::orbits::this "
                                       "hint has \"::\" in it}} the {{c3::\xf0\x9f\x8c\x8f}}.");
  g_autofree char *b = sd_cloze_strip ("{{c1::unclosed and {{c::not}} {{c1,2::both}}");

  g_assert_cmpstr (a, ==, "The moon orbits the \xf0\x9f\x8c\x8f.");
  g_assert_cmpstr (b, ==, "unclosed and {{c both");
}

static void
test_image_occlusion (void)
{
  const char *text = "{{c1::image-occlusion:rect:left=10:top=20:width=30:height=10}}";

  assert_reveal (text, 1, TRUE,
                 "<div class=\"cloze\" data-ordinal=\"1\" data-image-occlusion=\""
                 "rect&#x3A;left&#x3D;10&#x3A;top&#x3D;20&#x3A;width&#x3D;30&#x3A;"
                 "height&#x3D;10\"></div>");
  assert_reveal (text, 1, FALSE,
                 "<div class=\"cloze-highlight\" data-ordinal=\"1\" data-image-occlusion=\""
                 "rect&#x3A;left&#x3D;10&#x3A;top&#x3D;20&#x3A;width&#x3D;30&#x3A;"
                 "height&#x3D;10\"></div>");
  assert_reveal (text, 2, TRUE, "");
  assert_reveal ("{{c1::a}}{{c2::image-occlusion:rect:left=1}}", 1, TRUE,
                 "<span class=\"cloze\" data-cloze=\"a\" data-ordinal=\"1\">[...]</span>"
                 "<div class=\"cloze-inactive\" data-ordinal=\"2\" data-image-occlusion=\""
                 "rect&#x3A;left&#x3D;1\"></div>");
}

/* Multiple deletions per note as in the AnkiDroid test deck's
 * "Conjugations Test Multi-Cloze" and "NestedClozeTest" notes. */
static void
test_ankidroid_notes (void)
{
  const char *fields[] = {
    "Text{{c1::t1}}", "i1", "", "", "Text{{c3::t3}}", "i3", "", "", "Text{{c5::t5}}", "i5",
    "", "", "NotEmpty!",
  };
  g_autoptr(GArray) numbers = sd_cloze_numbers_in_fields (fields, G_N_ELEMENTS (fields));
  const char *multiline =
    "{{c1::<div>I am a cloze deletion<div>that contains</div><div>many lines}}</div></div>";

  g_assert_cmpuint (numbers->len, ==, 3);
  g_assert_cmpuint (g_array_index (numbers, guint, 2), ==, 5);
  assert_reveal (fields[0], 1, TRUE,
                 "Text<span class=\"cloze\" data-cloze=\"t1\" data-ordinal=\"1\">[...]</span>");
  assert_reveal (fields[0], 3, TRUE, "");
  assert_reveal_text (multiline, 1, FALSE, "I am a cloze deletionthat containsmany lines");
  assert_reveal ("{{c1::\xe5\xad\x90[\xe3\x81\x97]}}", 1, FALSE,
                 "<span class=\"cloze\" data-ordinal=\"1\">\xe5\xad\x90[\xe3\x81\x97]</span>");
  assert_reveal_text ("<span style=\"font-family: Arial\">This is a {{c2::long}} sentence that "
                      "{{c3::has}} been clozed {{c4::multiple}} times!</span>", 3, TRUE,
                      "This is a long sentence that [...] been clozed multiple times!");
}

static void
test_invalid_utf8 (void)
{
  const char *bad = "{{c1::a\xff}} \xc3{{c2::b}}";
  g_autofree char *q = sd_cloze_reveal (bad, 1, TRUE);
  g_autofree char *a = sd_cloze_reveal (bad, 2, FALSE);
  g_autofree char *t = sd_cloze_extract_for_typing (bad, 1);
  g_autofree char *s = sd_cloze_strip (bad);
  g_autoptr(GArray) numbers = sd_cloze_numbers_in_text (bad);

  g_assert_true (g_utf8_validate (q, -1, NULL));
  g_assert_true (g_utf8_validate (a, -1, NULL));
  g_assert_true (g_utf8_validate (t, -1, NULL));
  g_assert_true (g_utf8_validate (s, -1, NULL));
  g_assert_cmpuint (numbers->len, ==, 2);
}

static void
test_long_text (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) braces = g_string_new (NULL);
  g_autoptr(GArray) numbers = NULL;
  g_autofree char *q = NULL;
  g_autofree char *b = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "word {{c%u::deleted %u}} ", i % 600 + 1, i);
  for (guint i = 0; i < 100000; i++)
    g_string_append (braces, "{{c1:{ }");

  numbers = sd_cloze_numbers_in_text (text->str);
  q = sd_cloze_reveal (text->str, 7, TRUE);
  b = sd_cloze_reveal (braces->str, 1, TRUE);
  g_assert_cmpuint (numbers->len, ==, 600);
  g_assert_cmpuint (g_array_index (numbers, guint, 599), ==, 600);
  g_assert_nonnull (strstr (q, "data-cloze=\"deleted&#x20;6\""));
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/cloze/numbers", test_numbers);
  g_test_add_func ("/studydeck/cloze/numbers-in-fields", test_numbers_in_fields);
  g_test_add_func ("/studydeck/cloze/card-ord", test_card_ord);
  g_test_add_func ("/studydeck/cloze/reveal-basic", test_reveal_basic);
  g_test_add_func ("/studydeck/cloze/reveal-nested", test_reveal_nested);
  g_test_add_func ("/studydeck/cloze/reveal-deep-nesting", test_reveal_deep_nesting);
  g_test_add_func ("/studydeck/cloze/reveal-multi-card", test_reveal_multi_card);
  g_test_add_func ("/studydeck/cloze/reveal-only", test_reveal_only);
  g_test_add_func ("/studydeck/cloze/filters", test_filters);
  g_test_add_func ("/studydeck/cloze/typing", test_typing);
  g_test_add_func ("/studydeck/cloze/strip", test_strip);
  g_test_add_func ("/studydeck/cloze/image-occlusion", test_image_occlusion);
  g_test_add_func ("/studydeck/cloze/ankidroid-notes", test_ankidroid_notes);
  g_test_add_func ("/studydeck/cloze/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/studydeck/cloze/long-text", test_long_text);

  return g_test_run ();
}
