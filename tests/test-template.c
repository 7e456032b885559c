/* test-template.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-template.h"

/* Helpers
 * ------------------------------------------------------------------------ */

typedef struct
{
  SdTemplateContext ctx;
  const char       *names[16];
  const char       *values[16];
} Note;

/* A note from "Name", "value", … pairs, NULL-terminated. */
static void
note_init (Note *note,
           ...)
{
  va_list args;
  const char *name;

  memset (note, 0, sizeof *note);
  va_start (args, note);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      note->names[note->ctx.n_fields] = name;
      note->values[note->ctx.n_fields] = va_arg (args, const char *);
      note->ctx.n_fields++;
    }
  va_end (args);
  note->ctx.field_names = note->names;
  note->ctx.field_values = note->values;
  note->ctx.deck_name = "Default";
  note->ctx.card_name = "Card 1";
  note->ctx.notetype_name = "Basic";
}

static char *
render (const char *text,
        Note       *note,
        gboolean    answer_side)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTemplate) tmpl = sd_template_parse (text, &error);
  char *out;

  g_assert_no_error (error);
  out = sd_template_render (tmpl, &note->ctx, answer_side, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_render (const char *text,
               Note       *note,
               gboolean    answer_side,
               const char *expected)
{
  g_autofree char *out = render (text, note, answer_side);

  g_assert_cmpstr (out, ==, expected);
}

static void
assert_parse_error (const char *text,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTemplate) tmpl = sd_template_parse (text, &error);

  g_assert_null (tmpl);
  g_assert_error (error, SD_TEMPLATE_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
assert_render_error (const char *text,
                     Note       *note,
                     const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTemplate) tmpl = sd_template_parse (text, &error);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  out = sd_template_render (tmpl, &note->ctx, FALSE, &error);
  g_assert_null (out);
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_NO_SUCH_FIELD);
  g_assert_cmpstr (error->message, ==, message);
}

typedef struct
{
  SdTemplateCardStatus status;
  char                *q;
  char                *a;
} Card;

static void
card_clear (Card *card)
{
  g_clear_pointer (&card->q, g_free);
  g_clear_pointer (&card->a, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Card, card_clear)

static void
render_card (Card       *card,
             const char *qfmt,
             const char *afmt,
             Note       *note)
{
  card->status = sd_template_render_card (qfmt, afmt, &note->ctx, &card->q, &card->a);
  g_assert_nonnull (card->q);
  g_assert_nonnull (card->a);
  g_assert_true (g_utf8_validate (card->q, -1, NULL));
  g_assert_true (g_utf8_validate (card->a, -1, NULL));
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("'%s' does not contain '%s'", haystack, needle);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("'%s' contains '%s'", haystack, needle);
}

#define FRONT_PROBLEM "Front template has a problem:<br>"
#define BACK_PROBLEM "Back template has a problem:<br>"
#define MORE_INFO \
  "<br><a href='https://docs.ankiweb.net/templates/errors.html#template-syntax-error'>" \
  "More information</a>"
#define BLANK_FRONT \
  "<div>The front of this card is blank.<br><a href='https://docs.ankiweb.net/templates/" \
  "errors.html#front-of-card-is-blank'>More information</a></div>"

/* Parsing
 * ------------------------------------------------------------------------ */

static void
test_parse_errors (void)
{
  assert_parse_error ("{{#mis}}{{/matched}}", SD_TEMPLATE_ERROR_WRONG_CONDITIONAL_CLOSED,
                      "Found '{{/matched}}', but expected '{{/mis}}'");
  assert_parse_error ("{{/matched}}", SD_TEMPLATE_ERROR_CONDITIONAL_NOT_OPEN,
                      "Found '{{/matched}}', but missing '{{#matched}}' or '{{^matched}}'");
  assert_parse_error ("{{#mis}}", SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED,
                      "Missing '{{/mis}}'");
  assert_parse_error ("{{#a}}{{^b}}{{/b}}", SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED,
                      "Missing '{{/a}}'");
  assert_parse_error ("{{#a}}{{#b}}", SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED,
                      "Missing '{{/b}}'");
  /* a closing tag in a comment does not count */
  assert_parse_error ("{{#mis}}<!--{{/mis}}-->", SD_TEMPLATE_ERROR_CONDITIONAL_NOT_CLOSED,
                      "Missing '{{/mis}}'");
  assert_parse_error ("x{{}}y", SD_TEMPLATE_ERROR_EMPTY_TAG,
                      "Found '{{}}', but there is no field called ''");
  assert_parse_error ("{{  }}", SD_TEMPLATE_ERROR_EMPTY_TAG,
                      "Found '{{}}', but there is no field called ''");
}

static void
test_parse_ok (void)
{
  static const char *ok[] = {
    "", "plain text", "<!--{{#mis}}{{/matched}}-->", "<!--{{foo}}", "{{foo}}-->",
    "text }} more", "{{Front", "{{#Front}}{{/Front}}", "{{^baz}}{{/baz}}",
    "{{ # spaced }}{{/spaced}}", "{{#}}", "{{one:two:three}} {{foo:}}",
  };
  g_autoptr(GPtrArray) deep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTemplate) tmpl = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(SdTemplate) t = sd_template_parse (ok[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (t);
    }

  /* deep but sane nesting parses; absurd nesting is refused, not a crash */
  for (guint i = 0; i < 150; i++)
    g_string_append_printf (nested, "{{#F%u}}", i);
  for (guint i = 150; i > 0; i--)
    g_string_append_printf (nested, "{{/F%u}}", i - 1);
  tmpl = sd_template_parse (nested->str, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tmpl);

  g_string_truncate (nested, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append (nested, "{{#F}}");
  g_assert_null (sd_template_parse (nested->str, &error));
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_TOO_DEEP);
}

static void
test_referenced_fields (void)
{
  g_autoptr(SdTemplate) tmpl =
    sd_template_parse ("{{a}}{{#b}}{{cloze:c}}{{/b}}{{^c1}}{{text:d}}{{/c1}}{{a}}"
                       "<!--{{e}}-->{{FrontSide}}{{type:cloze:f}}", NULL);
  g_auto(GStrv) all = sd_template_referenced_fields (tmpl);
  g_auto(GStrv) cloze = sd_template_referenced_cloze_fields (tmpl);
  const char *expected[] = { "a", "c", "b", "d", "FrontSide", "f", NULL };
  const char *expected_cloze[] = { "c", "f", NULL };

  g_assert_cmpstrv (all, expected);
  g_assert_cmpstrv (cloze, expected_cloze);
}

static void
test_check_fields (void)
{
  const char *names[] = { "Front", "Back" };
  g_autoptr(SdTemplate) good = sd_template_parse ("{{Front}}{{Tags}}{{#c3}}{{/c3}}"
                                                  "{{^Back}}{{text:Deck}}{{/Back}}{{FrontSide}}",
                                                  NULL);
  g_autoptr(SdTemplate) bad = sd_template_parse ("{{#Front}}{{hint:Nope}}{{/Front}}", NULL);
  g_autoptr(SdTemplate) bad_cond = sd_template_parse ("{{^Nope}}{{/Nope}}", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_template_check_fields (good, names, 2, &error));
  g_assert_no_error (error);
  g_assert_false (sd_template_check_fields (bad, names, 2, &error));
  g_assert_error (error, SD_TEMPLATE_ERROR, SD_TEMPLATE_ERROR_NO_SUCH_FIELD);
  g_assert_cmpstr (error->message, ==,
                   "Found '{{hint:Nope}}', but there is no field called 'Nope'");
  g_clear_error (&error);
  g_assert_false (sd_template_check_fields (bad_cond, names, 2, &error));
  g_assert_cmpstr (error->message, ==, "Found '{{^Nope}}', but there is no field called 'Nope'");
}

/* Rendering
 * ------------------------------------------------------------------------ */

static void
test_render_basic (void)
{
  Note note;

  note_init (&note, "F", "f", "B", "b", "E", " ", NULL);
  assert_render ("", &note, FALSE, "");
  assert_render ("{{B}}A{{F}}", &note, FALSE, "bAf");
  assert_render ("{{ B }}|{{{B}}}|{{   F }}", &note, FALSE, "b|b}|f");
  assert_render ("{{#E}}A{{/E}}", &note, FALSE, "");
  assert_render ("{{^E}}1{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}{{/E}}", &note, FALSE, "12f");
  assert_render ("{{#F}}{{^B}}x{{/B}}{{/F}}", &note, FALSE, "");
  assert_render ("text }} more {{F", &note, FALSE, "text }} more {{F");
  assert_render ("{{filter:}}", &note, FALSE, "");
  assert_render_error ("{{#E}}}{{^M}}A{{/M}}{{/E}}}", &note,
                       "Found '{{^M}}', but there is no field called 'M'");
  assert_render_error ("{{X}}", &note, "Found '{{X}}', but there is no field called 'X'");
  assert_render_error ("{{foo:text:X}}", &note,
                       "Found '{{foo:text:X}}', but there is no field called 'X'");
  assert_render_error ("{{ text: F}}", &note,
                       "Found '{{text: F}}', but there is no field called ' F'");
  /* the inside of a false conditional is still checked */
  assert_render_error ("{{#E}}{{Missing}}{{/E}}", &note,
                       "Found '{{Missing}}', but there is no field called 'Missing'");
  /* Anki has no {{!comment}} tags: it is a field name */
  assert_render_error ("{{!note to self}}", &note,
                       "Found '{{!note to self}}', but there is no field called '!note to self'");
}

static void
test_render_nonempty_rule (void)
{
  Note note;

  note_init (&note, "A", "<div> <br> </div>", "B", "<img src=x.jpg>", "C", "&nbsp;", NULL);
  assert_render ("{{#A}}a{{/A}}{{#B}}b{{/B}}{{#C}}c{{/C}}", &note, FALSE, "bc");
  assert_render ("{{^A}}a{{/A}}{{^B}}b{{/B}}", &note, FALSE, "a");
}

static void
test_render_comments (void)
{
  Note note;

  note_init (&note, "F", "f", "B", "b", "E", "", NULL);
  assert_render ("{{^E}}1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\xc4\xa3<!-- this is a comment -->"
                 "{{/E}}\xd5\x96", &note, FALSE,
                 "1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\xc4\xa3<!-- this is a comment -->"
                 "\xd5\x96");
  assert_render ("a<!--{{Nope}}-->b<!---->", &note, FALSE, "a<!--{{Nope}}-->b<!---->");
  assert_render ("<!--{{F}}", &note, FALSE, "<!--f");
}

static void
test_render_alt_delimiters (void)
{
  Note note;

  note_init (&note, "Front", "f", "Back", "b", "foo", "", NULL);
  assert_render ("\n{{=<% %>=}}\n<%Front%>\n<% #Back %>\n<%/Back%>", &note, FALSE, "\nf\n\n");
  assert_render ("\n{{=<% %>=}}\n{{#foo}}\n<%Front%>\n{{/foo}}\n", &note, FALSE,
                 "\n{{#foo}}\nf\n{{/foo}}\n");
  assert_render ("  {{=<% %>=}}{{=<% %>=}}<%Back%><!--<%Front%>-->", &note, FALSE,
                 "b<!--<%Front%>-->");
  /* only recognised at the very start */
  assert_render_error ("x{{=<% %>=}}<%Front%>", &note,
                       "Found '{{=<% %>=}}', but there is no field called '=<% %>='");
}

static void
test_render_special_fields (void)
{
  Note note;
  Note clash;
  g_autofree char *out = NULL;

  note_init (&note, "Front", "f", NULL);
  note.ctx.tags = "  tag1   tag2 ";
  note.ctx.notetype_name = "Basic (and reversed card)";
  note.ctx.deck_name = "Languages::French::Verbs";
  note.ctx.card_name = "Card 2";
  note.ctx.flag = 3;
  note.ctx.card_id = G_GINT64_CONSTANT (1700000000123);
  note.ctx.card_ord = 1;
  assert_render ("{{Tags}}|{{Type}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{CardFlag}}|{{CardID}}",
                 &note, FALSE,
                 "tag1 tag2|Basic (and reversed card)|Languages::French::Verbs|Verbs|Card 2|"
                 "flag3|1700000000123");
  /* the card's own cloze-style conditional is true, others false */
  assert_render ("{{#c2}}two{{/c2}}{{#c1}}one{{/c1}}{{^c7}}!{{/c7}}{{c2}}", &note, FALSE, "two!1");

  note.ctx.deck_name = NULL;
  note.ctx.tags = NULL;
  assert_render ("[{{Deck}}][{{Subdeck}}][{{Tags}}]{{#Tags}}t{{/Tags}}", &note, FALSE,
                 "[(Deck)][(Deck)][]");

  /* a note field of the same name wins */
  note_init (&clash, "Tags", "my field", "Deck", "", NULL);
  clash.ctx.tags = "real";
  assert_render ("{{Tags}}/{{Deck}}/{{#Deck}}d{{/Deck}}", &clash, FALSE, "my field//");

  /* FrontSide: empty on the question, filters ignored on the answer */
  note.ctx.front_side = "<b>Q</b>";
  assert_render ("[{{FrontSide}}]", &note, FALSE, "[]");
  out = render ("{{FrontSide}}|{{text:FrontSide}}", &note, TRUE);
  g_assert_cmpstr (out, ==, "<b>Q</b>|<b>Q</b>");
}

static void
test_filters (void)
{
  Note note;

  note_init (&note, "B", "<b>b</b> &amp; c", "Blank", "  ", "Ruby",
             "test first[second] third[fourth]",
             "Html", "<div>{{c1::Here is <b>some html</b>}}</div>", NULL);
  assert_render ("{{text:B}}", &note, FALSE, "b & c");
  assert_render ("{{one:two:B}}", &note, FALSE, "<b>b</b> &amp; c");
  assert_render ("{{one::text:B}}", &note, FALSE, "b & c");
  assert_render ("{{tts en_US voices=Bob:text:B}}", &note, FALSE, "b & c");
  assert_render ("{{kana:Ruby}}", &note, FALSE, "testsecondfourth");
  assert_render ("{{kanji:Ruby}}", &note, FALSE, "testfirstthird");
  assert_render ("{{furigana:Ruby}}", &note, FALSE,
                 "test<ruby><rb>first</rb><rt>second</rt></ruby>"
                 "<ruby><rb>third</rb><rt>fourth</rt></ruby>");
  /* applied right to left: cloze then text, or text then cloze */
  assert_render ("{{cloze:text:Html}}", &note, FALSE,
                 "<span class=\"cloze\" data-cloze=\"Here&#x20;is&#x20;some&#x20;html\" "
                 "data-ordinal=\"1\">[...]</span>");
  assert_render ("{{text:cloze:Html}}", &note, FALSE, "[...]");
  assert_render ("{{text:cloze:Html}}", &note, TRUE, "Here is some html");
  assert_render ("{{cloze-only:Html}}", &note, FALSE, "...");
  assert_render ("{{cloze-only:Html}}", &note, TRUE, "Here is <b>some html</b>");
  assert_render ("{{hint:Blank}}", &note, FALSE, "  ");
}

static void
test_ruby (void)
{
  Note note;

  note_init (&note,
             "J", "\xe6\x97\xa5\xe6\x9c\xac[\xe3\x81\xab\xe3\x81\xbb\xe3\x82\x93] "
                  "\xe8\xaa\x9e[\xe3\x81\x94]\xe3\x80\x82",
             "Sound", "x[sound:a.mp3] y[b]",
             "Nbsp", "a&nbsp;b[c]",
             "Odd", "a[b][c] [x]y <i>t[u]</i> [\n] k[\nl]",
             NULL);
  assert_render ("{{furigana:J}}", &note, FALSE,
                 "<ruby><rb>\xe6\x97\xa5\xe6\x9c\xac</rb><rt>\xe3\x81\xab\xe3\x81\xbb\xe3\x82\x93"
                 "</rt></ruby><ruby><rb>\xe8\xaa\x9e</rb><rt>\xe3\x81\x94</rt></ruby>\xe3\x80\x82");
  assert_render ("{{kanji:J}}", &note, FALSE, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x80\x82");
  assert_render ("{{kana:J}}", &note, FALSE,
                 "\xe3\x81\xab\xe3\x81\xbb\xe3\x82\x93\xe3\x81\x94\xe3\x80\x82");
  assert_render ("{{kanji:Sound}}", &note, FALSE, "x[sound:a.mp3]y");
  assert_render ("{{kana:Nbsp}}", &note, FALSE, "ac");
  assert_render ("{{kanji:Odd}}", &note, FALSE, "a[c] [x]y <i>t</i> [\n] k[\nl]");
}

static void
test_hint (void)
{
  Note note;
  g_autofree char *out = NULL;
  const char *id;
  g_autofree char *expected = NULL;

  note_init (&note, "Extra & more", "a <i>hint</i>", NULL);
  out = render ("{{hint:Extra & more}}", &note, FALSE);
  g_assert_true (g_str_has_prefix (out, "<a class=\"hint\" href=\"sd-hint:"));
  id = out + strlen ("<a class=\"hint\" href=\"sd-hint:");
  expected = g_strdup_printf ("<a class=\"hint\" href=\"sd-hint:%.16s\">Extra &amp; more</a>"
                              "<div class=\"hint-content\" id=\"hint%.16s\" data-hint-id=\"%.16s\""
                              " style=\"display: none\">a <i>hint</i></div>", id, id, id);
  g_assert_cmpstr (out, ==, expected);
}

/* Type answers
 * ------------------------------------------------------------------------ */

static void
assert_compare (const char *expected,
                const char *typed,
                gboolean    combining,
                const char *html)
{
  g_autofree char *got = sd_template_compare_answer (expected, typed, combining);

  g_assert_cmpstr (got, ==, html);
}

#define ARROW "<br><span id=\"typearrow\">&darr;</span><br>"
#define GOOD(x) "<span class=\"typeGood\">" x "</span>"
#define BAD(x) "<span class=\"typeBad\">" x "</span>"
#define MISSED(x) "<span class=\"typeMissed\">" x "</span>"
#define CODE(x) "<code id=\"typeans\">" x "</code>"

static void
test_compare_answer (void)
{
  g_autofree char *long_one = NULL;

  assert_compare ("\xc2\xbfY ahora qu\xc3\xa9 vamos a hacer?", "y ahora qe vamosa hacer", TRUE,
                  CODE (BAD ("y") GOOD (" ahora q") BAD ("e") GOOD (" vamos") MISSED ("-")
                        GOOD ("a hacer") MISSED ("-") ARROW
                        MISSED ("\xc2\xbfY") GOOD (" ahora q") MISSED ("u\xc3\xa9")
                        GOOD (" vamos") MISSED (" ") GOOD ("a hacer") MISSED ("?")));
  assert_compare ("[sound:foo.mp3]<b>1</b> &nbsp;2", "1  2", TRUE, CODE (GOOD ("1  2")));
  assert_compare ("1", "23", TRUE, CODE (BAD ("23") ARROW MISSED ("1")));
  assert_compare ("12", "1", TRUE, CODE (GOOD ("1") MISSED ("-") ARROW GOOD ("1") MISSED ("2")));
  assert_compare ("\xd0\xbd\xd0\xbe\xd1\x81", "\xd0\xbd\xd1\x81", TRUE,
                  CODE (GOOD ("\xd0\xbd") MISSED ("-") GOOD ("\xd1\x81") ARROW
                        GOOD ("\xd0\xbd") MISSED ("\xd0\xbe") GOOD ("\xd1\x81")));
  assert_compare ("\xec\x93\xb0\xeb\x8b\xa4\xeb\x93\xac\xeb\x8b\xa4",
                  "\xec\x8a\xa4\xeb\x8b\xa4\xeb\x9c\xb8\xeb\x8b\xa4", TRUE,
                  CODE (BAD ("\xec\x8a\xa4") GOOD ("\xeb\x8b\xa4") BAD ("\xeb\x9c\xb8")
                        GOOD ("\xeb\x8b\xa4") ARROW MISSED ("\xec\x93\xb0") GOOD ("\xeb\x8b\xa4")
                        MISSED ("\xeb\x93\xac") GOOD ("\xeb\x8b\xa4")));
  assert_compare ("<div>123</div>", "123", TRUE, CODE (GOOD ("123")));
  assert_compare ("<div>123</div>", "", TRUE, CODE ("123"));
  assert_compare ("a<br>b<div>c</div>\nd", "a b c d", TRUE, CODE (GOOD ("a b c d")));
  assert_compare ("source &lt;dir&gt;/bin/activate", "source <dir>/bin/activate", TRUE,
                  CODE (GOOD ("source &lt;dir&gt;/bin/activate")));
  assert_compare ("123", "1123", TRUE, CODE (BAD ("1") GOOD ("123") ARROW GOOD ("123")));
  /* NFC on both sides */
  assert_compare ("caf\xc3\xa9", "cafe\xcc\x81", TRUE, CODE (GOOD ("caf\xc3\xa9")));
  /* a token that starts with a combining mark gets a no-break space */
  assert_compare ("xy", "x\xe2\x83\x9dy", TRUE,
                  CODE (GOOD ("x") BAD ("\xc2\xa0\xe2\x83\x9d") GOOD ("y") ARROW GOOD ("x")
                        GOOD ("y")));

  /* nc: combining marks are ignored but shown */
  assert_compare ("\xd7\xa9\xd7\x81\xd6\xb4\xd7\xa0\xd6\xbc\xd7\x95\xd6\xbc\xd7\x9f",
                  "\xd7\xa9\xd7\xa0\xd7\x95\xd7\x9f", FALSE,
                  CODE (GOOD ("\xd7\xa9\xd7\x81\xd6\xb4\xd7\xa0\xd6\xbc\xd7\x95\xd6\xbc\xd7\x9f")));
  assert_compare ("\xd7\x97\xd7\x95\xd6\xb9\xd7\xa3", "\xd7\x97\xd7\x95\xd7\xa4", FALSE,
                  CODE (GOOD ("\xd7\x97\xd7\x95") BAD ("\xd7\xa4") ARROW
                        GOOD ("\xd7\x97\xd7\x95\xd6\xb9") MISSED ("\xd7\xa3")));
  assert_compare ("\xe3\x81\xb0", "\xe3\x81\xaf", FALSE, CODE (GOOD ("\xe3\x81\xb0")));
  assert_compare ("\xe3\x81\xb0", "\xe3\x81\xaf", TRUE,
                  CODE (BAD ("\xe3\x81\xaf") ARROW MISSED ("\xe3\x81\xb0")));

  /* long texts (autojunk kicks in at 200 characters) and invalid UTF-8 */
  long_one = sd_template_compare_answer (
    "\xd0\xa1\xd1\x83\xd1\x89\xd0\xbd\xd0\xbe\xd1\x81\xd1\x82\xd1\x8c \xd0\xb4\xd0\xbe\xd0\xbb"
    "\xd0\xb6\xd0\xbd\xd0\xb0 \xd0\xb1\xd1\x8b\xd1\x82\xd1\x8c", "Single responsibility \xff",
    TRUE);
  g_assert_true (g_utf8_validate (long_one, -1, NULL));
  {
    g_autoptr(GString) a = g_string_new (NULL);
    g_autoptr(GString) b = g_string_new (NULL);
    g_autofree char *out = NULL;

    for (guint i = 0; i < 300; i++)
      {
        g_string_append (a, i % 7 ? "ab " : "xyz ");
        g_string_append (b, i % 5 ? "ab " : "xy ");
      }
    out = sd_template_compare_answer (a->str, b->str, TRUE);
    assert_contains (out, ARROW);
    g_assert_true (g_str_has_suffix (out, "</span></code>"));
  }
}

static void
test_type_answer_question (void)
{
  Note note;
  Note empty;

  note_init (&note, "Front", "f", "Back", "b&amp;c", "Text", "a {{c1::x}} {{c2::y}}", NULL);
  note.ctx.tags = "t";
  assert_render ("{{Front}}\n\n{{type:Back}}", &note, FALSE,
                 "f\n\n<input type=\"text\" id=\"typeans\" data-type-answer=\"Back\" "
                 "data-field=\"Back\">");
  assert_render ("{{type:nc:Back}}", &note, FALSE,
                 "<input type=\"text\" id=\"typeans\" data-type-answer=\"nc:Back\" "
                 "data-field=\"Back\">");
  /* filters before type: are ignored */
  assert_render ("{{type:text:Back}}", &note, FALSE,
                 "<input type=\"text\" id=\"typeans\" data-type-answer=\"Back\" "
                 "data-field=\"Back\">");
  assert_render ("{{type:cloze:Text}}", &note, FALSE,
                 "<input type=\"text\" id=\"typeans\" data-type-answer=\"cloze:Text\" "
                 "data-field=\"Text\">");
  /* the first tag decides; every tag becomes the same entry */
  assert_render ("{{type:Back}}|{{type:Front}}", &note, FALSE,
                 "<input type=\"text\" id=\"typeans\" data-type-answer=\"Back\" "
                 "data-field=\"Back\">|<input type=\"text\" id=\"typeans\" "
                 "data-type-answer=\"Back\" data-field=\"Back\">");
  /* special fields are not note fields */
  assert_render ("{{type:Tags}}", &note, FALSE, "Type answer: unknown field Tags");
  note.ctx.card_ord = 4;
  assert_render ("{{type:cloze:Text}}", &note, FALSE, "Please run Tools>Empty Cards");

  note_init (&empty, "Front", "f", "Back", "", NULL);
  assert_render ("[{{type:Back}}]", &empty, FALSE, "[]");
  assert_render ("[{{type:Back}}]", &empty, TRUE, "[]");
}

static void
test_type_answer_answer (void)
{
  Note note;
  g_autofree char *question = NULL;
  g_autofree char *answer = NULL;

  note_init (&note, "Front", "f", "Back", "b&amp;c", NULL);
  note.ctx.typed_answer = "b&c";
  question = render ("{{Front}} {{type:Back}}", &note, FALSE);
  note.ctx.front_side = question;
  /* the entry inside {{FrontSide}} becomes the comparison, below the rule */
  answer = render ("{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}", &note, TRUE);
  g_assert_cmpstr (answer, ==,
                   "f <hr id=answer>\n<div class=\"typeans-result\">"
                   CODE (GOOD ("b&amp;c")) "</div>\n\n\n\nb&amp;c");

  /* without a rule, and without any front side */
  note.ctx.front_side = NULL;
  note.ctx.typed_answer = "x";
  assert_render ("{{type:Back}}!", &note, TRUE,
                 "\n<div class=\"typeans-result\">" CODE (BAD ("x") ARROW MISSED ("b&amp;c"))
                 "</div>!");
  note.ctx.typed_answer = NULL;
  assert_render ("{{type:Back}}", &note, TRUE,
                 "\n<div class=\"typeans-result\">" CODE ("b&amp;c") "</div>");
  /* a rule but no tag: unchanged */
  note.ctx.front_side = "[[type:Back]]";
  assert_render ("a<hr id=answer>b", &note, TRUE, "a<hr id=answer>b");
  /* the question had no tag: answer tags vanish */
  note.ctx.front_side = "no tag";
  assert_render ("[{{type:Back}}]", &note, TRUE, "[]");
}

/* Stock note types (anki-format.md §7.1)
 * ------------------------------------------------------------------------ */

#define BASIC_BACK "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
#define REVERSE_BACK "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"

static void
test_stock_basic (void)
{
  g_auto(Card) card = { 0 };
  g_auto(Card) reversed = { 0 };
  g_auto(Card) blank = { 0 };
  Note note;

  note_init (&note, "Front", "What is <b>2+2</b>?", "Back", "4", NULL);
  render_card (&card, "{{Front}}", BASIC_BACK, &note);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (card.q, ==, "What is <b>2+2</b>?");
  g_assert_cmpstr (card.a, ==, "What is <b>2+2</b>?\n\n<hr id=answer>\n\n4");

  /* Basic (and reversed card), card 2 */
  note.ctx.card_ord = 1;
  render_card (&reversed, "{{Back}}", REVERSE_BACK, &note);
  g_assert_cmpint (reversed.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (reversed.q, ==, "4");
  g_assert_cmpstr (reversed.a, ==, "4\n\n<hr id=answer>\n\nWhat is <b>2+2</b>?");

  note_init (&note, "Front", "", "Back", "4", NULL);
  render_card (&blank, "{{Front}}", BASIC_BACK, &note);
  g_assert_cmpint (blank.status, ==, SD_TEMPLATE_CARD_EMPTY);
  g_assert_cmpstr (blank.q, ==, BLANK_FRONT);
  g_assert_cmpstr (blank.a, ==, BLANK_FRONT);
}

static void
test_stock_optional_reversed (void)
{
  const char *qfmt = "{{#Add Reverse}}{{Back}}{{/Add Reverse}}";
  g_autoptr(SdTemplate) tmpl = sd_template_parse (qfmt, NULL);
  g_auto(Card) without = { 0 };
  g_auto(Card) with = { 0 };
  Note note;

  note_init (&note, "Front", "chien", "Back", "dog", "Add Reverse", "", NULL);
  note.ctx.card_ord = 1;
  g_assert_false (sd_template_renders_nonempty (tmpl, &note.ctx));
  render_card (&without, qfmt, REVERSE_BACK, &note);
  g_assert_cmpint (without.status, ==, SD_TEMPLATE_CARD_EMPTY);
  g_assert_cmpstr (without.q, ==, BLANK_FRONT);

  note.values[2] = "y";
  g_assert_true (sd_template_renders_nonempty (tmpl, &note.ctx));
  render_card (&with, qfmt, REVERSE_BACK, &note);
  g_assert_cmpint (with.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (with.q, ==, "dog");
  g_assert_cmpstr (with.a, ==, "dog\n\n<hr id=answer>\n\nchien");
}

static void
test_stock_type_in_answer (void)
{
  const char *qfmt = "{{Front}}\n\n{{type:Back}}";
  const char *afmt = "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}";
  g_auto(Card) right = { 0 };
  g_auto(Card) wrong = { 0 };
  Note note;

  note_init (&note, "Front", "Capital of France?", "Back", "<i>Paris</i>", NULL);
  note.ctx.typed_answer = "Paris";
  render_card (&right, qfmt, afmt, &note);
  g_assert_cmpint (right.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (right.q, ==, "Capital of France?\n\n<input type=\"text\" id=\"typeans\" "
                                "data-type-answer=\"Back\" data-field=\"Back\">");
  g_assert_cmpstr (right.a, ==, "Capital of France?\n\n\n\n<hr id=answer>\n"
                                "<div class=\"typeans-result\">" CODE (GOOD ("Paris")) "</div>");

  note.ctx.typed_answer = "Pari";
  render_card (&wrong, qfmt, afmt, &note);
  assert_contains (wrong.a, CODE (GOOD ("Pari") MISSED ("-") ARROW GOOD ("Pari") MISSED ("s")));
}

static void
test_stock_cloze (void)
{
  const char *qfmt = "{{cloze:Text}}";
  const char *afmt = "{{cloze:Text}}<br>\n{{Back Extra}}";
  g_auto(Card) c1 = { 0 };
  g_auto(Card) c3 = { 0 };
  g_auto(Card) c2 = { 0 };
  Note note;

  note_init (&note, "Text", "{{c1::Paris}} is the capital of {{c3::France::country}}",
             "Back Extra", "extra", NULL);
  note.ctx.is_cloze = TRUE;
  note.ctx.card_name = "Cloze";
  render_card (&c1, qfmt, afmt, &note);
  g_assert_cmpint (c1.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (c1.q, ==, "<span class=\"cloze\" data-cloze=\"Paris\" data-ordinal=\"1\">"
                             "[...]</span> is the capital of <span class=\"cloze-inactive\" "
                             "data-ordinal=\"3\">France</span>");
  g_assert_cmpstr (c1.a, ==, "<span class=\"cloze\" data-ordinal=\"1\">Paris</span> is the "
                             "capital of <span class=\"cloze-inactive\" data-ordinal=\"3\">"
                             "France</span><br>\nextra");

  note.ctx.card_ord = 2;
  render_card (&c3, qfmt, afmt, &note);
  g_assert_cmpint (c3.status, ==, SD_TEMPLATE_CARD_OK);
  assert_contains (c3.q, "<span class=\"cloze\" data-cloze=\"France\" data-ordinal=\"3\">"
                         "[country]</span>");

  /* c2 does not exist: Anki's "no cloze" message */
  note.ctx.card_ord = 1;
  render_card (&c2, qfmt, afmt, &note);
  g_assert_cmpint (c2.status, ==, SD_TEMPLATE_CARD_EMPTY);
  g_assert_cmpstr (c2.a, ==, "<div>No cloze 2 found on card.\nPlease either add a cloze "
                             "deletion, or use the Empty Cards tool.<br><a href='https://docs."
                             "ankiweb.net/templates/errors.html#no-cloze-filter-on-cloze-note-"
                             "type'>More information</a></div>");
  g_assert_cmpstr (c2.q, ==, c2.a);
}

/* The AnkiDroid template test deck (ankidroid-templates.apkg)
 * ------------------------------------------------------------------------ */

static const char multi_cloze_q[] =
  "<h2>\n{{cloze:Text1}}\n{{cloze:Text2}}\n{{cloze:Text3}}\n{{cloze:Text4}}\n{{cloze:Text5}}\n"
  "{{cloze:Text6}}\n</h2>\n\n{{^SometimesEmpty}}\nThe field was empty!\n{{/SometimesEmpty}}";

static const char multi_cloze_a[] =
  "{{#c1}}\n{{cloze:Text1}}<br>\n{{#IPA1}}\n<span class=\"ipa\">/{{IPA1}}/</span>\n{{/IPA1}}\n"
  "{{/c1}}\n{{#c2}}\n{{cloze:Text2}}<br>\n{{#IPA2}}\n<span class=\"ipa\">/{{IPA2}}/</span>\n"
  "{{/IPA2}}\n{{/c2}}\n{{#c3}}\n{{cloze:Text3}}<br>\n{{#IPA3}}\n<span class=\"ipa\">/{{IPA3}}/"
  "</span>\n{{/IPA3}}\n{{/c3}}\n{{#c4}}\n{{cloze:Text4}}<br>\n{{#IPA4}}\n<span class=\"ipa\">/"
  "{{IPA4}}/</span>\n{{/IPA4}}\n{{/c4}}\n{{#c5}}\n{{cloze:Text5}}<br>\n{{#IPA5}}\n<span class="
  "\"ipa\">/{{IPA5}}/</span>\n{{/IPA5}}\n{{/c5}}\n{{#c6}}\n{{cloze:Text6}}<br>\n{{#IPA6}}\n<span "
  "class=\"ipa\">/{{IPA6}}/</span>\n{{/IPA6}}\n{{/c6}}\n";

static void
test_ankidroid_multi_cloze (void)
{
  g_auto(Card) c3 = { 0 };
  g_auto(Card) c2 = { 0 };
  g_auto(Card) empty = { 0 };
  Note note;

  note_init (&note, "Text1", "Text{{c1::t1}}", "IPA1", "i1", "Text2", "", "IPA2", "",
             "Text3", "Text{{c3::t3}}", "IPA3", "i3", "Text4", "", "IPA4", "",
             "Text5", "Text{{c5::t5}}", "IPA5", "i5", "Text6", "", "IPA6", "",
             "SometimesEmpty", "NotEmpty!", NULL);
  note.ctx.is_cloze = TRUE;
  note.ctx.card_ord = 2;
  render_card (&c3, multi_cloze_q, multi_cloze_a, &note);
  g_assert_cmpint (c3.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (c3.q, ==, "<h2>\n\n\nText<span class=\"cloze\" data-cloze=\"t3\" "
                             "data-ordinal=\"3\">[...]</span>\n\n\n\n</h2>\n\n");
  g_assert_cmpstr (c3.a, ==, "\n\n\nText<span class=\"cloze\" data-ordinal=\"3\">t3</span><br>\n"
                             "\n<span class=\"ipa\">/i3/</span>\n\n\n\n\n\n");

  /* no c2 in any field */
  note.ctx.card_ord = 1;
  render_card (&c2, multi_cloze_q, multi_cloze_a, &note);
  g_assert_cmpint (c2.status, ==, SD_TEMPLATE_CARD_EMPTY);

  note.values[12] = "";
  note.ctx.card_ord = 0;
  render_card (&empty, multi_cloze_q, multi_cloze_a, &note);
  assert_contains (empty.q, "\nThe field was empty!\n");
  assert_contains (empty.a, "<span class=\"cloze\" data-ordinal=\"1\">t1</span><br>\n\n"
                            "<span class=\"ipa\">/i1/</span>");
}

static void
test_ankidroid_reassign (void)
{
  g_auto(Card) card1 = { 0 };
  g_auto(Card) card2 = { 0 };
  Note note;

  note_init (&note, "Front", "<div>outside {{ inside }} outside</div>", "Back", "", NULL);
  /* the delimiter switch is only honoured at the very start */
  render_card (&card1, "<!-- Card with reassigned delimiter -->\n{{=<% %>=}}\n<%Front%>",
               BASIC_BACK, &note);
  g_assert_cmpint (card1.status, ==, SD_TEMPLATE_CARD_ERROR);
  g_assert_cmpstr (card1.q, ==, FRONT_PROBLEM "Found &#x27;{{=&lt;% %&gt;=}}&#x27;, but there "
                                "is no field called &#x27;=&lt;% %&gt;=&#x27;" MORE_INFO);
  g_assert_cmpstr (card1.a, ==, card1.q);

  note.ctx.card_ord = 1;
  render_card (&card2, "<!-- Card with both a normal and then reassigned delimiter -->\n"
               "Normal field delimiter: {{Front}}\n<hr>\nreassign here\n{{=<% %>=}}\n<hr>\n\n"
               "Reassigned field delimiter: <%Front%>", BASIC_BACK, &note);
  g_assert_cmpint (card2.status, ==, SD_TEMPLATE_CARD_ERROR);

  /* field text that looks like a tag is not evaluated */
  assert_render ("{{=<% %>=}}<%Front%>", &note, FALSE, "<div>outside {{ inside }} outside</div>");
}

static void
test_ankidroid_conditional (void)
{
  g_auto(Card) card = { 0 };
  Note note;

  note_init (&note, "Front", "Some front text", "Back", "Some back text", NULL);
  render_card (&card, "{{#Front}}\n{{#Back}}\n{{Front}}\n\n{{/Back}}\n{{/Front}}",
               "{{#Expression}}\n{{#Notes}}\n{{Expression}}\n{{Notes}}\n{{/Notes}}\n"
               "{{/Expression}}", &note);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_ERROR);
  g_assert_cmpstr (card.q, ==, BACK_PROBLEM "Found &#x27;{{#Expression}}&#x27;, but there is no "
                               "field called &#x27;Expression&#x27;" MORE_INFO);
  assert_render ("{{#Front}}\n{{#Back}}\n{{Front}}\n\n{{/Back}}\n{{/Front}}", &note, FALSE,
                 "\n\nSome front text\n\n\n");
}

static const char typing_cloze_tmpl[] =
  "Cloze plaintext order 1: {{cloze:text:HtmlCloze}} <br/>\n"
  "Cloze plaintext order 2: {{text:cloze:HtmlCloze}}\n\n<p>---</p>\n"
  "Cloze typing field: {{type:cloze:FuriCloze}}<br/>\n<p>---</p>\n\n"
  "Cloze with % tags: <%cloze:FuriCloze%>";

static void
test_ankidroid_typing_cloze (void)
{
  g_auto(Card) c1 = { 0 };
  g_auto(Card) c2 = { 0 };
  Note note;

  note_init (&note, "FuriCloze", "<span style=\"font-family: Arial\">This is a {{c2::long}} "
             "sentence that {{c3::has}} been clozed {{c4::multiple}} times!</span>",
             "HtmlCloze", "<div>{{c1::Here is <b>some html</b>}}</div>",
             "Text Cloze + Furigana", "", NULL);
  note.ctx.is_cloze = TRUE;
  render_card (&c1, typing_cloze_tmpl, typing_cloze_tmpl, &note);
  g_assert_cmpint (c1.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (c1.q, ==, "Cloze plaintext order 1: <span class=\"cloze\" data-cloze=\"Here"
                             "&#x20;is&#x20;some&#x20;html\" data-ordinal=\"1\">[...]</span> "
                             "<br/>\nCloze plaintext order 2: [...]\n\n<p>---</p>\n"
                             "Cloze typing field: Please run Tools>Empty Cards<br/>\n"
                             "<p>---</p>\n\nCloze with % tags: <%cloze:FuriCloze%>");
  assert_lacks (c1.a, "typeans");

  note.ctx.card_ord = 1;
  note.ctx.typed_answer = "lung";
  render_card (&c2, typing_cloze_tmpl, typing_cloze_tmpl, &note);
  g_assert_cmpint (c2.status, ==, SD_TEMPLATE_CARD_OK);
  assert_contains (c2.q, "Cloze plaintext order 1:  <br/>\nCloze plaintext order 2: \n");
  assert_contains (c2.q, "Cloze typing field: <input type=\"text\" id=\"typeans\" "
                         "data-type-answer=\"cloze:FuriCloze\" data-field=\"FuriCloze\"><br/>");
  assert_contains (c2.a, "Cloze typing field: \n<div class=\"typeans-result\">"
                         CODE (GOOD ("l") BAD ("u") GOOD ("ng") ARROW GOOD ("l") MISSED ("o")
                               GOOD ("ng")) "</div><br/>");
}

static void
test_ankidroid_misc (void)
{
  g_auto(Card) hint = { 0 };
  g_auto(Card) typing = { 0 };
  g_auto(Card) special = { 0 };
  Note note;

  note_init (&note, "Front", "There should be hidden text here:&nbsp;{{hidebecausei'minvalid:"
             "I am the hidden text!}}", "Back", "back", NULL);
  note.ctx.tags = " CAPITALLETTERSFOREVERYONE IAMATAG SOAMI ";
  render_card (&hint, "Hint card\n<br>\n{{hint:Front}}", BASIC_BACK, &note);
  g_assert_cmpint (hint.status, ==, SD_TEMPLATE_CARD_OK);
  assert_contains (hint.q, "Hint card\n<br>\n<a class=\"hint\" href=\"sd-hint:");
  assert_contains (hint.q, ">Front</a><div class=\"hint-content\"");
  assert_contains (hint.q, "style=\"display: none\">There should be hidden text here:&nbsp;"
                           "{{hidebecausei'minvalid:I am the hidden text!}}</div>");
  g_assert_true (g_str_has_suffix (hint.a, "</div>\n\n<hr id=answer>\n\nback"));

  note.ctx.card_ord = 1;
  note.ctx.typed_answer = "There should be";
  render_card (&typing, "Typing card:\n{{Front}}\n<br>\n{{type:Front}}", BASIC_BACK, &note);
  g_assert_cmpint (typing.status, ==, SD_TEMPLATE_CARD_OK);
  assert_contains (typing.q, "<br>\n<input type=\"text\" id=\"typeans\"");
  assert_contains (typing.a, "<br>\n<hr id=answer>\n<div class=\"typeans-result\">"
                             "<code id=\"typeans\">" GOOD ("There should be")
                             "<span class=\"typeMissed\">---");
  g_assert_true (g_str_has_suffix (typing.a, "</code></div>\n\n\n\nback"));

  /* {{!…}} is not a comment in Anki: the whole card shows the error */
  note.ctx.card_ord = 2;
  render_card (&special, "<b>Special fields</b>\n<br>\n\nThe note's tags: {{Tags}}\n<br>\n"
               "The type of note: {{Type}}\n<br>\nThe card's deck: {{Deck}}\n<br>\n"
               "The type of card : {{Card}}\n<br>\nComment field: {{!Just a comment, I won't "
               "appear anywhere!}}\n<br>\nTriple bracket (old-style delimiters): {{{Back}}}\n"
               "<br>\nWhitespace in section tag: {{   Back }}\n<br>\n<!-- Casual html comment "
               "for webview to ignore. Should still appear in the card output -->\n\nThe "
               "content of the front template: {{FrontSide}}",
               "<hr>\nBack template using FrontSide:\n<br><br>\n{{FrontSide}}\n<hr>", &note);
  g_assert_cmpint (special.status, ==, SD_TEMPLATE_CARD_ERROR);
  g_assert_cmpstr (special.q, ==, FRONT_PROBLEM "Found &#x27;{{!Just a comment, I won&#x27;t "
                                  "appear anywhere!}}&#x27;, but there is no field called "
                                  "&#x27;!Just a comment, I won&#x27;t appear anywhere!&#x27;"
                                  MORE_INFO);

  /* the rest of that template */
  assert_render ("The note's tags: {{Tags}}|{{{Back}}}|{{   Back }}|<!-- Casual -->|"
                 "{{FrontSide}}", &note, FALSE,
                 "The note's tags: CAPITALLETTERSFOREVERYONE IAMATAG SOAMI|back}|back|"
                 "<!-- Casual -->|");
}

static void
test_ankidroid_nested_cloze (void)
{
  const char *qfmt =
    "<cloze>\nThis is a cloze that is defined over multiple lines: {{cloze:Multiline}}<br/>\n"
    "</cloze>\nThis is a kanji within a cloze: {{cloze:Text Cloze}}<br/>\nThis is a kanji with "
    "furigana: {{furigana:Text Furigana}}<br/>\nThis is a kanji in a cloze, with furigana: "
    "{{cloze:furigana:Text Cloze + Furigana}}<br/>";
  g_auto(Card) card = { 0 };
  Note note;

  note_init (&note, "Text Cloze", "{{c1::\xe5\xad\x90}}",
             "Text Furigana", "\xe5\xad\x90[\xe3\x81\x97]",
             "Text Cloze + Furigana", "{{c1::\xe5\xad\x90[\xe3\x81\x97]}}", "Multiline",
             "{{c1::<div>I am a cloze deletion<div>that contains</div><div>many lines}}</div>"
             "</div>", NULL);
  note.ctx.is_cloze = TRUE;
  render_card (&card, qfmt, qfmt, &note);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_OK);
  assert_contains (card.q, "multiple lines: <span class=\"cloze\" data-cloze=\"&lt;div&gt;I&#x20;"
                           "am&#x20;a&#x20;cloze&#x20;deletion&lt;div&gt;that&#x20;contains&lt;"
                           "&#x2F;div&gt;&lt;div&gt;many&#x20;lines\" data-ordinal=\"1\">[...]"
                           "</span></div></div><br/>");
  assert_contains (card.q, "kanji within a cloze: <span class=\"cloze\" "
                           "data-cloze=\"\xe5\xad\x90\" data-ordinal=\"1\">[...]</span><br/>");
  assert_contains (card.q, "with furigana: <ruby><rb>\xe5\xad\x90</rb>"
                           "<rt>\xe3\x81\x97</rt></ruby>");
  /* furigana runs first and takes "{{c1::子" as the base text, so the
   * deletion ends up inside the ruby markup (Anki does the same) */
  assert_contains (card.a, "in a cloze, with furigana: <ruby><rb><span class=\"cloze\" "
                           "data-ordinal=\"1\">\xe5\xad\x90</rb><rt>\xe3\x81\x97</rt></ruby>"
                           "</span><br/>");
}

static void
test_ankidroid_muscle (void)
{
  g_auto(Card) action = { 0 };
  g_auto(Card) picture = { 0 };
  g_auto(Card) origin = { 0 };
  g_auto(Card) blank = { 0 };
  Note note;

  note_init (&note, "Name", "Deltoid", "Origin", "Scapula (spine, acromion)", "Insertion", "",
             "Action", "Anterior: &nbsp;Flexion", "Innervation", "Axillary",
             "OIpic", "<img src=\"Deltoid-OriginInsertion.jpg\" />",
             "Picture", "<img src=\"Deltoid.JPG\" />", NULL);
  note.ctx.tags = " Muscle UpperEx arm ";
  render_card (&action, "{{#Action}}{{#Name}}Which movements result from the contraction of "
               "{{Name}}? <br>\n{{/Name}}{{/Action}}", "{{Name}}\n\n<hr id=answer>\n\n{{Action}}",
               &note);
  g_assert_cmpint (action.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpstr (action.q, ==, "Which movements result from the contraction of Deltoid? <br>\n");
  g_assert_cmpstr (action.a, ==, "Deltoid\n\n<hr id=answer>\n\nAnterior: &nbsp;Flexion");

  note.ctx.card_ord = 1;
  render_card (&picture, "{{#Picture}}{{#Name}}Which muscle is depicted here? <br> {{Picture}}"
               "{{/Name}}{{/z}}", "x", &note);
  g_assert_cmpint (picture.status, ==, SD_TEMPLATE_CARD_ERROR);
  g_assert_cmpstr (picture.q, ==, FRONT_PROBLEM "Found &#x27;{{/z}}&#x27;, but expected "
                                  "&#x27;{{/Picture}}&#x27;" MORE_INFO);

  note.ctx.card_ord = 2;
  render_card (&origin, "{{#Origin}}{{#Name}}Where does {{Name}} originate? {{/Origin}}{{/Name}}",
               REVERSE_BACK, &note);
  g_assert_cmpint (origin.status, ==, SD_TEMPLATE_CARD_ERROR);
  g_assert_cmpstr (origin.a, ==, FRONT_PROBLEM "Found &#x27;{{/Origin}}&#x27;, but expected "
                                 "&#x27;{{/Name}}&#x27;" MORE_INFO);

  note.ctx.card_ord = 6;
  render_card (&blank, "", "{{FrontSide}}\n\n<hr id=answer>\n", &note);
  g_assert_cmpint (blank.status, ==, SD_TEMPLATE_CARD_EMPTY);
  g_assert_cmpstr (blank.q, ==, BLANK_FRONT);
}

static void
test_ankidroid_thai (void)
{
  g_auto(Card) card = { 0 };
  Note note;

  note_init (&note, "Deutsch", "Konzert", "Thai", "\xe0\xb8\x84\xe0\xb8\xad\xe0\xb8\x99",
             "Kategorie", "Klasse 2 - 18", "Bilder Vorderseite", "", "Positionsnummer", "2279",
             "Sprache Thai", " [sound:google-a85acb61.mp3]",
             "Sprache Deutsch", " [sound:google-a6a81cfa.mp3]",
             "Bilder R\xc3\xbc" "ckseite", "", NULL);
  note.ctx.typed_answer = "\xe0\xb8\x84\xe0\xb8\xad\xe0\xb8\x99";
  render_card (&card, "<table>\n <th>\n<span style=\"font-size:250%;color:#0055ff\">{{Deutsch}}"
               "</span>\n<div style='font-family: Arial; font-size: 50px;'>{{type:Thai}}</div>\n"
               "</table>\n<tts service=\"google\" voice=\"de\">{{Sprache Deutsch}}</tts>\n",
               "{{FrontSide }} \n<table>\n<th>\n <div>{{Thai}}</div>\n</th>\n</table>\n<tts "
               "service=\"google\" voice=\"th\">{{Sprache Thai}}</tts>\n<br>\n\n<div>"
               "{{Bilder R\xc3\xbc" "ckseite}}</div>\n", &note);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_OK);
  assert_contains (card.q, "50px;'><input type=\"text\" id=\"typeans\" data-type-answer=\"Thai\" "
                           "data-field=\"Thai\"></div>");
  assert_contains (card.q, "voice=\"de\"> [sound:google-a6a81cfa.mp3]</tts>");
  assert_contains (card.a, "50px;'>\n<div class=\"typeans-result\">"
                           CODE (GOOD ("\xe0\xb8\x84\xe0\xb8\xad\xe0\xb8\x99")) "</div></div>");
  assert_contains (card.a, "<div></div>\n");
}

/* Card generation
 * ------------------------------------------------------------------------ */

static gboolean
renders (const char *text,
         Note       *note)
{
  g_autoptr(SdTemplate) tmpl = sd_template_parse (text, NULL);

  g_assert_nonnull (tmpl);
  return sd_template_renders_nonempty (tmpl, &note->ctx);
}

static void
test_renders_nonempty (void)
{
  Note note;

  note_init (&note, "1", "x", "2", "", "3", "<b>y</b>", "4", "<br>", NULL);
  g_assert_true (renders ("{{2}}{{1}}", &note));
  g_assert_false (renders ("{{2}}", &note));
  g_assert_false (renders ("{{2}}{{4}}", &note));
  g_assert_true (renders ("{{#3}}{{^2}}{{1}}{{/2}}{{/3}}", &note));
  g_assert_false (renders ("{{^1}}{{3}}{{/1}}", &note));
  g_assert_false (renders ("literal text only", &note));
  g_assert_false (renders ("", &note));
  g_assert_false (renders ("<!--{{1}}-->", &note));
  g_assert_false (renders ("{{FrontSide}}", &note));
  g_assert_true (renders ("{{text:1}}", &note));
  g_assert_true (renders ("{{Deck}}", &note));
  g_assert_false (renders ("{{Tags}}", &note));
  note.ctx.tags = " t ";
  g_assert_true (renders ("{{Tags}}", &note));
  g_assert_false (renders ("{{Unknown}}", &note));
}

/* Robustness
 * ------------------------------------------------------------------------ */

static void
test_invalid_utf8 (void)
{
  g_auto(Card) card = { 0 };
  g_autoptr(SdTemplate) tmpl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  Note note;

  note_init (&note, "Front", "f\xff\xfe", "Back\xc3", "{{c1::b\xe2\x82}}", NULL);
  note.ctx.tags = "t\xff";
  note.ctx.deck_name = "D\xff::E";
  note.ctx.typed_answer = "\xc3";
  render_card (&card, "q\xff{{Front}}{{type:Front}}", "{{FrontSide}}\xfe{{text:Front}}", &note);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_OK);

  tmpl = sd_template_parse ("{{#Front}}\xff{{Tags}}{{Deck}}{{cloze:Back\xef\xbf\xbd}}{{/Front}}",
                            &error);
  g_assert_no_error (error);
  out = sd_template_render (tmpl, &note.ctx, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (out, -1, NULL));

  /* a front side cut in the middle of a character */
  g_clear_pointer (&out, g_free);
  note.ctx.front_side = "[[type:\xe2";
  out = sd_template_render (tmpl, &note.ctx, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (out, -1, NULL));
}

static void
test_empty_inputs (void)
{
  SdTemplateContext ctx = { 0 };
  g_auto(Card) card = { 0 };
  g_autoptr(SdTemplate) tmpl = sd_template_parse (NULL, NULL);
  g_autofree char *out = NULL;

  g_assert_nonnull (tmpl);
  out = sd_template_render (tmpl, &ctx, FALSE, NULL);
  g_assert_cmpstr (out, ==, "");

  card.status = sd_template_render_card ("", "", &ctx, &card.q, &card.a);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_EMPTY);
  g_assert_cmpstr (card.q, ==, BLANK_FRONT);
}

static void
test_long_fields (void)
{
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GString) clozes = g_string_new (NULL);
  g_autoptr(GString) tmpl_text = g_string_new (NULL);
  g_auto(Card) card = { 0 };
  g_autofree char *out = NULL;
  gint64 start = g_get_monotonic_time ();
  Note note;

  for (guint i = 0; i < 100000; i++)
    g_string_append (big, "<b>word</b>&amp;[x] \xe6\xbc\xa2[k] {{ ");
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (clozes, "{{c%u::w%u}} <i>t</i>\n", i % 3 + 1, i);
  /* many tags, then many openers that are never closed */
  for (guint i = 0; i < 20000; i++)
    g_string_append (tmpl_text, "{{#Big}}<!-- c -->{{/Big}}");
  for (guint i = 0; i < 20000; i++)
    g_string_append (tmpl_text, "{{ <!-- ");

  note_init (&note, "Big", big->str, "Text", clozes->str, NULL);
  note.ctx.is_cloze = TRUE;
  note.ctx.card_ord = 1;
  note.ctx.typed_answer = "w1, w4";
  render_card (&card, "{{text:Big}}{{furigana:Big}}{{kana:Big}}{{hint:Big}}{{cloze:Text}}"
               "{{type:cloze:Text}}{{cloze-only:Text}}",
               "{{FrontSide}}<hr id=answer>{{cloze:Text}}", &note);
  g_assert_cmpint (card.status, ==, SD_TEMPLATE_CARD_OK);
  g_assert_cmpuint (strlen (card.q), >, big->len);
  assert_contains (card.a, "<div class=\"typeans-result\"><code id=\"typeans\">");

  out = render (tmpl_text->str, &note, FALSE);
  g_assert_cmpuint (strlen (out), ==, 20000 * strlen ("<!-- c -->{{ <!-- "));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

static gpointer
render_in_thread (gpointer data)
{
  const SdTemplate *tmpl = data;
  Note note;

  note_init (&note, "Text", "{{c1::a}} {{c2::b}}", NULL);
  note.ctx.is_cloze = TRUE;
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *out = NULL;

      note.ctx.card_ord = i % 2;
      out = sd_template_render (tmpl, &note.ctx, i % 3 == 0, NULL);
      g_assert_nonnull (strstr (out, i % 2 ? "data-ordinal=\"2\"" : "data-ordinal=\"1\""));
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(SdTemplate) tmpl =
    sd_template_parse ("{{cloze:Text}}{{#c2}}2{{/c2}}{{type:cloze:Text}}", NULL);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("render", render_in_thread, tmpl);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

static void
test_render_card_parsed (void)
{
  g_autoptr(SdTemplate) q = sd_template_parse ("{{Front}} {{type:Back}}", NULL);
  g_autoptr(SdTemplate) a = sd_template_parse (BASIC_BACK, NULL);
  g_auto(Card) parsed = { 0 };
  g_auto(Card) text = { 0 };
  Note note;

  note_init (&note, "Front", "f", "Back", "b", NULL);
  note.ctx.typed_answer = "b";
  parsed.status = sd_template_render_card_parsed (q, a, &note.ctx, &parsed.q, &parsed.a);
  render_card (&text, "{{Front}} {{type:Back}}", BASIC_BACK, &note);
  g_assert_cmpint (parsed.status, ==, text.status);
  g_assert_cmpstr (parsed.q, ==, text.q);
  g_assert_cmpstr (parsed.a, ==, text.a);
}

static void
test_error_html (void)
{
  g_autoptr(GError) error = g_error_new_literal (SD_TEMPLATE_ERROR,
                                                 SD_TEMPLATE_ERROR_NO_SUCH_FIELD, "<x> & 'y'");
  g_autofree char *front = sd_template_error_html (error, FALSE);
  g_autofree char *back = sd_template_error_html (error, TRUE);

  g_assert_cmpstr (front, ==, FRONT_PROBLEM "&lt;x&gt; &amp; &#x27;y&#x27;" MORE_INFO);
  g_assert_cmpstr (back, ==, BACK_PROBLEM "&lt;x&gt; &amp; &#x27;y&#x27;" MORE_INFO);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/template/parse-errors", test_parse_errors);
  g_test_add_func ("/studydeck/template/parse-ok", test_parse_ok);
  g_test_add_func ("/studydeck/template/referenced-fields", test_referenced_fields);
  g_test_add_func ("/studydeck/template/check-fields", test_check_fields);
  g_test_add_func ("/studydeck/template/render-basic", test_render_basic);
  g_test_add_func ("/studydeck/template/render-nonempty-rule", test_render_nonempty_rule);
  g_test_add_func ("/studydeck/template/render-comments", test_render_comments);
  g_test_add_func ("/studydeck/template/render-alt-delimiters", test_render_alt_delimiters);
  g_test_add_func ("/studydeck/template/render-special-fields", test_render_special_fields);
  g_test_add_func ("/studydeck/template/filters", test_filters);
  g_test_add_func ("/studydeck/template/ruby", test_ruby);
  g_test_add_func ("/studydeck/template/hint", test_hint);
  g_test_add_func ("/studydeck/template/compare-answer", test_compare_answer);
  g_test_add_func ("/studydeck/template/type-answer-question", test_type_answer_question);
  g_test_add_func ("/studydeck/template/type-answer-answer", test_type_answer_answer);
  g_test_add_func ("/studydeck/template/stock-basic", test_stock_basic);
  g_test_add_func ("/studydeck/template/stock-optional-reversed", test_stock_optional_reversed);
  g_test_add_func ("/studydeck/template/stock-type-in-answer", test_stock_type_in_answer);
  g_test_add_func ("/studydeck/template/stock-cloze", test_stock_cloze);
  g_test_add_func ("/studydeck/template/ankidroid-multi-cloze", test_ankidroid_multi_cloze);
  g_test_add_func ("/studydeck/template/ankidroid-reassign", test_ankidroid_reassign);
  g_test_add_func ("/studydeck/template/ankidroid-conditional", test_ankidroid_conditional);
  g_test_add_func ("/studydeck/template/ankidroid-typing-cloze", test_ankidroid_typing_cloze);
  g_test_add_func ("/studydeck/template/ankidroid-misc", test_ankidroid_misc);
  g_test_add_func ("/studydeck/template/ankidroid-nested-cloze", test_ankidroid_nested_cloze);
  g_test_add_func ("/studydeck/template/ankidroid-muscle", test_ankidroid_muscle);
  g_test_add_func ("/studydeck/template/ankidroid-thai", test_ankidroid_thai);
  g_test_add_func ("/studydeck/template/renders-nonempty", test_renders_nonempty);
  g_test_add_func ("/studydeck/template/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/studydeck/template/empty-inputs", test_empty_inputs);
  g_test_add_func ("/studydeck/template/long-fields", test_long_fields);
  g_test_add_func ("/studydeck/template/threads", test_threads);
  g_test_add_func ("/studydeck/template/render-card-parsed", test_render_card_parsed);
  g_test_add_func ("/studydeck/template/error-html", test_error_html);

  return g_test_run ();
}
