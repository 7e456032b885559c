/* test-card-syntax.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <json-glib/json-glib.h>

#include "sd-card-syntax.h"

static GPtrArray *
parse_with (const char                 *text,
            const SdCardSyntaxSettings *settings)
{
  GPtrArray *cards = sd_card_syntax_parse (text, settings, "Folder");

  g_assert_nonnull (cards);
  /* Whatever the parser finds, the quick look must not rule out. */
  if (cards->len > 0)
    g_assert_true (sd_card_syntax_may_contain_cards (text, settings));
  return cards;
}

static GPtrArray *
parse (const char *text)
{
  return parse_with (text, NULL);
}

#define CARD(cards, i) ((SdCardSyntaxCard *) g_ptr_array_index ((cards), (i)))

static void
assert_card (GPtrArray        *cards,
             guint             i,
             SdCardSyntaxKind  kind,
             const char       *front,
             const char       *back,
             int               line_start,
             int               line_end)
{
  SdCardSyntaxCard *card;

  g_assert_cmpuint (i, <, cards->len);
  card = CARD (cards, i);
  g_assert_cmpstr (sd_card_syntax_kind_to_string (card->kind), ==,
                   sd_card_syntax_kind_to_string (kind));
  g_assert_cmpstr (card->front, ==, front);
  g_assert_cmpstr (card->back, ==, back);
  g_assert_cmpint (card->line_start, ==, line_start);
  g_assert_cmpint (card->line_end, ==, line_end);
  g_assert_null (strchr (card->front, '\r'));
  g_assert_null (strchr (card->back, '\r'));
}

static void
assert_cloze (SdCardSyntaxCard *card,
              const guint      *numbers,
              guint             n)
{
  g_assert_cmpuint (card->cloze->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (card->cloze, guint, i), ==, numbers[i]);
}

static void
assert_strv (char       **strv,
             const char  *joined)
{
  g_autofree char *s = g_strjoinv ("|", strv);
  g_assert_cmpstr (s, ==, joined);
}

static void
test_single_line (void)
{
  g_autoptr(GPtrArray) cards = parse ("Capital of France::Paris\n"
                                      "\n"
                                      "Capital of Spain:::Madrid\n"
                                      "Spaces around  ::   the answer   \n"
                                      "Three  :::  ways\t\n"
                                      "::no front\n"
                                      "no back::\n"
                                      "plain text with a: colon\n");

  g_assert_cmpuint (cards->len, ==, 4);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Capital of France", "Paris", 1, 1);
  assert_card (cards, 1, SD_CARD_SYNTAX_REVERSED, "Capital of Spain", "Madrid", 3, 3);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Spaces around", "the answer", 4, 4);
  assert_card (cards, 3, SD_CARD_SYNTAX_REVERSED, "Three", "ways", 5, 5);
  g_assert_cmpuint (CARD (cards, 0)->cloze->len, ==, 0);
  g_assert_cmpstr (CARD (cards, 0)->deck, ==, "Folder");
  g_assert_null (CARD (cards, 0)->block_id);
  g_assert_cmpuint (g_strv_length (CARD (cards, 0)->heading), ==, 0);
}

static void
test_multi_line (void)
{
  g_autoptr(GPtrArray) cards = parse ("Intro paragraph.\n"
                                      "\n"
                                      "What are the phases?\n"
                                      "Name both.\n"
                                      "?\n"
                                      "Filtering,\n"
                                      "then scoring.\n"
                                      "\n"
                                      "Not part of it.\n"
                                      "\n"
                                      "Word\n"
                                      "??\n"
                                      "Meaning\n"
                                      "\n"
                                      "Answer as a list\n"
                                      "?\n"
                                      "- one\n"
                                      "- two\n"
                                      "  - nested\n"
                                      "\n"
                                      "Lonely\n"
                                      "?\n"
                                      "\n"
                                      "?\n"
                                      "no question\n");

  g_assert_cmpuint (cards->len, ==, 3);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "What are the phases?\nName both.",
               "Filtering,\nthen scoring.", 3, 7);
  assert_card (cards, 1, SD_CARD_SYNTAX_REVERSED, "Word", "Meaning", 11, 13);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Answer as a list",
               "- one\n- two\n  - nested", 15, 19);
}

static void
test_multi_line_heading_ends (void)
{
  g_autoptr(GPtrArray) cards = parse ("Question\n"
                                      "?\n"
                                      "Answer\n"
                                      "## Next\n"
                                      "Second::card\n");

  g_assert_cmpuint (cards->len, ==, 2);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Question", "Answer", 1, 3);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Second", "card", 5, 5);
  assert_strv (CARD (cards, 1)->heading, "Next");
}

static void
test_cloze (void)
{
  static const guint one_two[] = { 1, 2 };
  static const guint one_three[] = { 1, 3 };
  static const guint two[] = { 2 };
  g_autoptr(GPtrArray) cards = parse ("A container's layer is {{c1::deleted}}, so data\n"
                                      "belongs in a {{c2::volume::storage}}.\n"
                                      "\n"
                                      "Another {{c2::note}} with only c2.\n"
                                      "\n"
                                      "Shared {{c1,3::deletion}} and {{c1::more}}.\n"
                                      "\n"
                                      "Nested {{c1::outer {{c3::inner}} text}}.\n"
                                      "\n"
                                      "Only {{c0::zero}} makes no card.\n"
                                      "\n"
                                      "Unclosed {{c1::never ends.\n"
                                      "\n"
                                      "Plain {{braces}} are no cloze.\n");

  g_assert_cmpuint (cards->len, ==, 4);
  assert_card (cards, 0, SD_CARD_SYNTAX_CLOZE,
               "A container's layer is {{c1::deleted}}, so data\n"
               "belongs in a {{c2::volume::storage}}.", "", 1, 2);
  assert_cloze (CARD (cards, 0), one_two, 2);
  assert_card (cards, 1, SD_CARD_SYNTAX_CLOZE, "Another {{c2::note}} with only c2.", "", 4, 4);
  assert_cloze (CARD (cards, 1), two, 1);
  assert_cloze (CARD (cards, 2), one_three, 2);
  assert_cloze (CARD (cards, 3), one_three, 2);
}

static void
test_cloze_list_items (void)
{
  static const guint one[] = { 1 };
  g_autoptr(GPtrArray) cards = parse ("- France: {{c1::Paris}}\n"
                                      "- Spain: {{c1::Madrid}}\n"
                                      "  still Spain\n"
                                      "- Question::Answer\n");

  /* Each list item is a note of its own. */
  g_assert_cmpuint (cards->len, ==, 3);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Question", "Answer", 4, 4);
  assert_card (cards, 1, SD_CARD_SYNTAX_CLOZE, "France: {{c1::Paris}}", "", 1, 1);
  assert_card (cards, 2, SD_CARD_SYNTAX_CLOZE, "Spain: {{c1::Madrid}}\nstill Spain", "", 2, 3);
  assert_cloze (CARD (cards, 2), one, 1);
}

static void
test_highlight (void)
{
  static const guint one_two[] = { 1, 2 };
  static const guint three[] = { 1, 2, 3 };
  const char *body = "The ==mitochondria== is the ==powerhouse==.\n"
                     "\n"
                     "Mixed {{c1::curly}} and ==high== and ==light==.\n"
                     "\n"
                     "Not `==code==`, nor a === b, nor == spaced ==.\n";
  g_autofree char *on = g_strconcat ("---\ncloze: highlight\n---\n", body, NULL);
  g_autoptr(GPtrArray) off = parse (body);
  g_autoptr(GPtrArray) cards = parse (on);
  g_autoptr(SdCardSyntaxSettings) settings = sd_card_syntax_settings_new ();
  g_autoptr(GPtrArray) global = NULL;

  /* Never by default. */
  g_assert_cmpuint (off->len, ==, 1);
  g_assert_cmpstr (CARD (off, 0)->front, ==, "Mixed {{c1::curly}} and ==high== and ==light==.");

  g_assert_cmpuint (cards->len, ==, 2);
  assert_card (cards, 0, SD_CARD_SYNTAX_CLOZE,
               "The {{c1::mitochondria}} is the {{c2::powerhouse}}.", "", 4, 4);
  assert_cloze (CARD (cards, 0), one_two, 2);
  assert_card (cards, 1, SD_CARD_SYNTAX_CLOZE,
               "Mixed {{c1::curly}} and {{c2::high}} and {{c3::light}}.", "", 6, 6);
  assert_cloze (CARD (cards, 1), three, 3);

  settings->highlight_clozes = TRUE;
  global = parse_with (body, settings);
  g_assert_cmpuint (global->len, ==, 2);
  g_assert_cmpstr (CARD (global, 0)->front, ==,
                   "The {{c1::mitochondria}} is the {{c2::powerhouse}}.");
}

static void
test_code_blocks (void)
{
  g_autoptr(GPtrArray) cards = parse ("```python\n"
                                      "x::y\n"
                                      "```\n"
                                      "After a fence::found\n"
                                      "\n"
                                      "~~~\n"
                                      "```\n"
                                      "tilde::hidden\n"
                                      "~~~\n"
                                      "\n"
                                      "````md\n"
                                      "```\n"
                                      "inner::hidden\n"
                                      "```\n"
                                      "still::hidden\n"
                                      "\n"
                                      "{{c1::hidden cloze}}\n"
                                      "````\n"
                                      "\n"
                                      "    indented::code\n"
                                      "    Question\n"
                                      "    ?\n"
                                      "    Answer\n"
                                      "\n"
                                      "Later::card\n"
                                      "\n"
                                      "- item\n"
                                      "\n"
                                      "      indented in a list::is code\n"
                                      "\n"
                                      "Last::one\n");

  g_assert_cmpuint (cards->len, ==, 3);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "After a fence", "found", 4, 4);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Later", "card", 25, 25);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Last", "one", 31, 31);
}

static void
test_unclosed_fence (void)
{
  /* As CommonMark, and the notes pane, read it: code to the end. */
  g_autoptr(GPtrArray) cards = parse ("Before::fence\n"
                                      "\n"
                                      "```\n"
                                      "never closed::hidden\n");

  g_assert_cmpuint (cards->len, ==, 1);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Before", "fence", 1, 1);
}

static void
test_code_in_multi_line (void)
{
  g_autoptr(GPtrArray) cards = parse ("What does this print?\n"
                                      "```python\n"
                                      "print(\"a::b\")\n"
                                      "\n"
                                      "print(1)\n"
                                      "```\n"
                                      "?\n"
                                      "`a::b` and then 1\n");

  g_assert_cmpuint (cards->len, ==, 1);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC,
               "What does this print?\n```python\nprint(\"a::b\")\n\nprint(1)\n```",
               "`a::b` and then 1", 1, 8);
}

static void
test_inline_traps (void)
{
  g_autoptr(GPtrArray) cards = parse ("Use `std::vector` here\n"
                                      "\n"
                                      "See https://x::y\n"
                                      "\n"
                                      "<https://example.com/a::b>\n"
                                      "\n"
                                      "[link](https://example.com/a::b) text\n"
                                      "\n"
                                      "[[Note::Section]] link\n"
                                      "\n"
                                      "Escaped \\:: colons\n"
                                      "\n"
                                      "Inline $a::b$ math\n"
                                      "\n"
                                      "$$\n"
                                      "x::y\n"
                                      "$$\n"
                                      "\n"
                                      "$$ display::math $$\n"
                                      "\n"
                                      "Price $5 and $6::dollars\n"
                                      "\n"
                                      "`code::span` question::real answer\n"
                                      "\n"
                                      "Link [here](http://a.b/c) too::yes\n"
                                      "\n"
                                      "<abbr title=\"a::b\">attr</abbr> plain\n"
                                      "\n"
                                      "<!-- commented::out -->\n");

  g_assert_cmpuint (cards->len, ==, 3);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Price $5 and $6", "dollars", 21, 21);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "`code::span` question", "real answer", 23, 23);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Link [here](http://a.b/c) too", "yes", 25, 25);
}

static void
test_math_block_unclosed (void)
{
  g_autoptr(GPtrArray) cards = parse ("$$\n"
                                      "opened::never closed\n"
                                      "\n"
                                      "Next::card\n");

  /* An unclosed $$ is text and swallows nothing. */
  g_assert_cmpuint (cards->len, ==, 2);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "opened", "never closed", 2, 2);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Next", "card", 4, 4);
}

static void
test_metadata_fields (void)
{
  g_autoptr(GPtrArray) cards = parse ("status:: done\n"
                                      "due_date:: 2026-01-01\n"
                                      "author-name::\n"
                                      "- rating:: 5\n"
                                      "Inline [key:: value] and (other:: thing) text\n"
                                      "\n"
                                      "status::done\n"
                                      "Term :: definition\n"
                                      "Two words:: value\n"
                                      "key::: reversed\n"
                                      "[key:: value] Question::Answer\n");

  /* A field is one identifier right at the start, then "::" and a space or
   * the end of the line. Anything else with a separator is a card. */
  g_assert_cmpuint (cards->len, ==, 5);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "status", "done", 7, 7);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Term", "definition", 8, 8);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Two words", "value", 9, 9);
  assert_card (cards, 3, SD_CARD_SYNTAX_REVERSED, "key", "reversed", 10, 10);
  assert_card (cards, 4, SD_CARD_SYNTAX_BASIC, "[key:: value] Question", "Answer", 11, 11);
}

static void
test_windows_line_endings (void)
{
  static const guint one[] = { 1 };
  g_autoptr(GPtrArray) cards = parse ("---\r\n"
                                      "deck: Win::Dows\r\n"
                                      "tags: [crlf]\r\n"
                                      "---\r\n"
                                      "# Head\r\n"
                                      "Q::A\r\n"
                                      "\r\n"
                                      "Multi\r\n"
                                      "line\r\n"
                                      "?\r\n"
                                      "Ans\r\n"
                                      "wer\r\n"
                                      "\r\n"
                                      "```\r\n"
                                      "x::y\r\n"
                                      "```\r\n"
                                      "Cloze {{c1::here}} ^cz\r\n");

  g_assert_cmpuint (cards->len, ==, 3);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Q", "A", 6, 6);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Multi\nline", "Ans\nwer", 8, 12);
  assert_card (cards, 2, SD_CARD_SYNTAX_CLOZE, "Cloze {{c1::here}}", "", 17, 17);
  assert_cloze (CARD (cards, 2), one, 1);
  g_assert_cmpstr (CARD (cards, 2)->block_id, ==, "cz");
  g_assert_cmpstr (CARD (cards, 0)->deck, ==, "Win::Dows");
  assert_strv (CARD (cards, 0)->tags, "crlf");
  assert_strv (CARD (cards, 0)->heading, "Head");
}

static void
test_lists (void)
{
  g_autoptr(GPtrArray) cards = parse ("- top::level\n"
                                      "  - nested::one\n"
                                      "    * deeper::two\n"
                                      "1. ordered::three\n"
                                      "2) paren::four\n"
                                      "- [ ] task::five\n"
                                      "- [x] done::six\n"
                                      "\n"
                                      "- Question in an item\n"
                                      "  ?\n"
                                      "  Its answer\n"
                                      "  - with a sub-list\n"
                                      "- Next item::seven\n"
                                      "\n"
                                      "> - quoted::item\n"
                                      "> > double::quote\n");

  g_assert_cmpuint (cards->len, ==, 11);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "top", "level", 1, 1);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "nested", "one", 2, 2);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "deeper", "two", 3, 3);
  assert_card (cards, 3, SD_CARD_SYNTAX_BASIC, "ordered", "three", 4, 4);
  assert_card (cards, 4, SD_CARD_SYNTAX_BASIC, "paren", "four", 5, 5);
  assert_card (cards, 5, SD_CARD_SYNTAX_BASIC, "task", "five", 6, 6);
  assert_card (cards, 6, SD_CARD_SYNTAX_BASIC, "done", "six", 7, 7);
  assert_card (cards, 7, SD_CARD_SYNTAX_BASIC, "Question in an item",
               "Its answer\n- with a sub-list", 9, 12);
  assert_card (cards, 8, SD_CARD_SYNTAX_BASIC, "Next item", "seven", 13, 13);
  assert_card (cards, 9, SD_CARD_SYNTAX_BASIC, "quoted", "item", 15, 15);
  assert_card (cards, 10, SD_CARD_SYNTAX_BASIC, "double", "quote", 16, 16);
}

static void
test_headings_and_lines (void)
{
  g_autoptr(GPtrArray) cards = parse ("---\n"
                                      "title: x\n"
                                      "---\n"
                                      "Before::any heading\n"
                                      "# One\n"
                                      "## Two *emphasis* `code`\n"
                                      "A::B\n"
                                      "### Three\n"
                                      "## Sibling\n"
                                      "C::D\n"
                                      "\n"
                                      "Setext\n"
                                      "======\n"
                                      "E::F\n"
                                      "Q::A\n"
                                      "---\n"
                                      "#### Deep\n"
                                      "G::H\n");

  g_assert_cmpuint (cards->len, ==, 4);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Before", "any heading", 4, 4);
  g_assert_cmpuint (g_strv_length (CARD (cards, 0)->heading), ==, 0);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "A", "B", 7, 7);
  assert_strv (CARD (cards, 1)->heading, "One|Two emphasis code");
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "C", "D", 10, 10);
  assert_strv (CARD (cards, 2)->heading, "One|Sibling");
  /* Lines right above "---" are a setext heading, as every renderer shows
   * them: no cards there. */
  assert_card (cards, 3, SD_CARD_SYNTAX_BASIC, "G", "H", 18, 18);
  assert_strv (CARD (cards, 3)->heading, "Setext|E::F Q::A|Deep");
}

static void
test_block_ids (void)
{
  g_autoptr(GPtrArray) cards = parse ("Q1::A1 ^first-card\n"
                                      "Q2::A2 #tag ^second\n"
                                      "Q3::A3 ^third #after\n"
                                      "Q4::A4^notanid\n"
                                      "\n"
                                      "Multi\n"
                                      "?\n"
                                      "Answer ^multi\n"
                                      "\n"
                                      "On the question ^qid\n"
                                      "?\n"
                                      "Answer\n"
                                      "\n"
                                      "Cloze {{c1::x}}\n"
                                      "text ^cloze-id\n");

  g_assert_cmpuint (cards->len, ==, 7);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Q1", "A1", 1, 1);
  g_assert_cmpstr (CARD (cards, 0)->block_id, ==, "first-card");
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Q2", "A2", 2, 2);
  g_assert_cmpstr (CARD (cards, 1)->block_id, ==, "second");
  assert_strv (CARD (cards, 1)->tags, "tag");
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Q3", "A3", 3, 3);
  g_assert_cmpstr (CARD (cards, 2)->block_id, ==, "third");
  assert_card (cards, 3, SD_CARD_SYNTAX_BASIC, "Q4", "A4^notanid", 4, 4);
  g_assert_null (CARD (cards, 3)->block_id);
  assert_card (cards, 4, SD_CARD_SYNTAX_BASIC, "Multi", "Answer", 6, 8);
  g_assert_cmpstr (CARD (cards, 4)->block_id, ==, "multi");
  assert_card (cards, 5, SD_CARD_SYNTAX_BASIC, "On the question", "Answer", 10, 12);
  g_assert_cmpstr (CARD (cards, 5)->block_id, ==, "qid");
  assert_card (cards, 6, SD_CARD_SYNTAX_CLOZE, "Cloze {{c1::x}}\ntext", "", 14, 15);
  g_assert_cmpstr (CARD (cards, 6)->block_id, ==, "cloze-id");
}

static void
test_tags (void)
{
  g_autoptr(GPtrArray) cards = parse ("---\n"
                                      "tags:\n"
                                      "  - biology\n"
                                      "  - \"#cells\"\n"
                                      "---\n"
                                      "#leading Question::Answer #trailing #two/level\n"
                                      "Issue #42 and C# stay::text #1\n"
                                      "Mid #word stays::yes\n"
                                      "#Biology Dup::tag\n"
                                      "\n"
                                      "#only-tags #on-a-line\n"
                                      "Question\n"
                                      "?\n"
                                      "Answer #end\n");

  g_autoptr(GPtrArray) hashes = parse ("Directive to include a header::#include\n"
                                       "\n"
                                       "Marks a preprocessor line\n"
                                       "?\n"
                                       "#define #pragma\n");

  /* A side that is nothing but tag-like words is text after all. */
  g_assert_cmpuint (hashes->len, ==, 2);
  assert_card (hashes, 0, SD_CARD_SYNTAX_BASIC, "Directive to include a header", "#include", 1, 1);
  assert_strv (CARD (hashes, 0)->tags, "");
  assert_card (hashes, 1, SD_CARD_SYNTAX_BASIC, "Marks a preprocessor line", "#define #pragma",
               3, 5);

  g_assert_cmpuint (cards->len, ==, 5);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Question", "Answer", 6, 6);
  assert_strv (CARD (cards, 0)->tags, "biology|cells|leading|trailing|two/level");
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Issue #42 and C# stay", "text #1", 7, 7);
  assert_strv (CARD (cards, 1)->tags, "biology|cells");
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Mid #word stays", "yes", 8, 8);
  /* Tags are told apart without case, as Anki does. */
  assert_strv (CARD (cards, 3)->tags, "biology|cells");
  assert_card (cards, 4, SD_CARD_SYNTAX_BASIC, "Question", "Answer", 12, 14);
  assert_strv (CARD (cards, 4)->tags, "biology|cells|only-tags|on-a-line|end");
}

static void
test_flow_tags_and_quotes (void)
{
  g_autoptr(GPtrArray) cards = parse ("---\n"
                                      "deck: \"Quoted::Deck\"  \n"
                                      "tags: [one, 'two', three words]\n"
                                      "---\n"
                                      "Q::A\n");

  g_assert_cmpuint (cards->len, ==, 1);
  g_assert_cmpstr (CARD (cards, 0)->deck, ==, "Quoted::Deck");
  assert_strv (CARD (cards, 0)->tags, "one|two|three_words");
}

static void
test_decks (void)
{
  g_autoptr(GPtrArray) plain = parse ("Q::A\n");
  g_autoptr(GPtrArray) matter = parse ("---\ndeck: Parent::Child\n---\n"
                                       "Q::A\n"
                                       "Q2::A2 #flashcards/line/deck\n"
                                       "Elsewhere #flashcards/note/deck in the text.\n");
  g_autoptr(GPtrArray) tagged = parse ("Some text #flashcards/biology/cells here.\n"
                                       "\n"
                                       "Q::A\n"
                                       "Q2::A2 #flashcards\n"
                                       "\n"
                                       "`#flashcards/in/code`\n");
  g_autoptr(GPtrArray) fm_tag = parse ("---\ntags: [flashcards/from/matter, x]\n---\nQ::A\n");
  g_autoptr(GPtrArray) none = sd_card_syntax_parse ("Q::A\n", NULL, NULL);

  g_assert_cmpstr (CARD (plain, 0)->deck, ==, "Folder");
  g_assert_cmpstr (CARD (matter, 0)->deck, ==, "Parent::Child");
  g_assert_cmpstr (CARD (matter, 1)->deck, ==, "line::deck");
  assert_strv (CARD (matter, 1)->tags, "");
  g_assert_cmpstr (CARD (tagged, 0)->deck, ==, "biology::cells");
  g_assert_cmpstr (CARD (tagged, 1)->deck, ==, "biology::cells");
  g_assert_cmpstr (CARD (fm_tag, 0)->deck, ==, "from::matter");
  assert_strv (CARD (fm_tag, 0)->tags, "x");
  g_assert_null (CARD (none, 0)->deck);
}

static void
test_custom_separators (void)
{
  g_autoptr(SdCardSyntaxSettings) settings = sd_card_syntax_settings_new ();
  g_autoptr(SdCardSyntaxSettings) copy = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) no_multi = NULL;
  const char *text = "Question;;Answer\n"
                     "Both;;;ways\n"
                     "Old::style is text\n"
                     "\n"
                     "Multi\n"
                     "%%\n"
                     "line\n"
                     "\n"
                     "Rev\n"
                     "%%%\n"
                     "erse\n"
                     "\n"
                     "Plain\n"
                     "?\n"
                     "not a card\n";

  g_free (settings->inline_separator);
  settings->inline_separator = g_strdup (";;");
  g_free (settings->inline_reversed_separator);
  settings->inline_reversed_separator = g_strdup (";;;");
  g_free (settings->multiline_separator);
  settings->multiline_separator = g_strdup ("%%");
  g_free (settings->multiline_reversed_separator);
  settings->multiline_reversed_separator = g_strdup ("%%%");

  cards = parse_with (text, settings);
  g_assert_cmpuint (cards->len, ==, 4);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Question", "Answer", 1, 1);
  assert_card (cards, 1, SD_CARD_SYNTAX_REVERSED, "Both", "ways", 2, 2);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Multi", "line", 5, 7);
  assert_card (cards, 3, SD_CARD_SYNTAX_REVERSED, "Rev", "erse", 9, 11);

  /* An empty separator turns its form off. */
  copy = sd_card_syntax_settings_copy (settings);
  g_free (copy->multiline_separator);
  copy->multiline_separator = g_strdup ("");
  g_free (copy->multiline_reversed_separator);
  copy->multiline_reversed_separator = g_strdup ("");
  no_multi = parse_with (text, copy);
  g_assert_cmpuint (no_multi->len, ==, 2);
}

static void
test_other_blocks (void)
{
  g_autoptr(GPtrArray) cards = parse ("| term | meaning |\n"
                                      "| --- | --- |\n"
                                      "| a::b | c |\n"
                                      "\n"
                                      "> Quoted question::answer\n"
                                      "> continued\n"
                                      "\n"
                                      "Reviewed before::by the plugin <!--SR:!2026-01-01,3,250-->\n"
                                      "\n"
                                      "Multi\n"
                                      "?\n"
                                      "line\n"
                                      "<!--SR:!2026-01-01,3,250-->\n"
                                      "\n"
                                      "<div>\n"
                                      "html::block\n"
                                      "</div>\n"
                                      "\n"
                                      "***\n"
                                      "After::break\n");

  g_assert_cmpuint (cards->len, ==, 4);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC, "Quoted question", "answer", 5, 5);
  assert_card (cards, 1, SD_CARD_SYNTAX_BASIC, "Reviewed before", "by the plugin", 8, 8);
  assert_card (cards, 2, SD_CARD_SYNTAX_BASIC, "Multi", "line", 10, 12);
  assert_card (cards, 3, SD_CARD_SYNTAX_BASIC, "After", "break", 20, 20);
}

static void
test_cloze_code_and_math (void)
{
  static const guint two[] = { 2 };
  g_autoptr(GPtrArray) cards = parse ("Write `{{c1::x}}` for {{c2::a deletion}} $\\{{c3::y}}$.\n"
                                      "\n"
                                      "`{{c1::only in code}}`\n");
  g_autofree char *marked = NULL;

  g_assert_cmpuint (cards->len, ==, 1);
  assert_cloze (CARD (cards, 0), two, 1);
  marked = sd_card_syntax_mark_literal_braces (CARD (cards, 0)->front);
  g_assert_cmpstr (marked, ==,
                   "Write `{" SD_CARD_SYNTAX_LITERAL_MARK "{c1::x}}` for {{c2::a deletion}} "
                   "$\\{" SD_CARD_SYNTAX_LITERAL_MARK "{c3::y}}$.");
}

static void
test_empty_and_odd (void)
{
  g_autoptr(GPtrArray) empty = parse ("");
  g_autoptr(GPtrArray) matter_only = parse ("---\ndeck: X\n---\n");
  g_autoptr(GPtrArray) bom = parse ("\xef\xbb\xbfQ::A\n");
  g_autoptr(GPtrArray) no_newline = parse ("Q\n?\nA");
  g_autoptr(GPtrArray) blank_lines = parse ("\n\n   \n\t\n");

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (matter_only->len, ==, 0);
  g_assert_cmpuint (bom->len, ==, 1);
  assert_card (bom, 0, SD_CARD_SYNTAX_BASIC, "Q", "A", 1, 1);
  g_assert_cmpuint (no_newline->len, ==, 1);
  assert_card (no_newline, 0, SD_CARD_SYNTAX_BASIC, "Q", "A", 1, 3);
  g_assert_cmpuint (blank_lines->len, ==, 0);
  g_assert_false (sd_card_syntax_may_contain_cards ("# Title\n\nJust text? Yes.\n", NULL));
  g_assert_true (sd_card_syntax_may_contain_cards ("Q\n  ?  \nA\n", NULL));
}

static void
test_folder_deck (void)
{
  g_autofree char *top = sd_card_syntax_folder_deck ("samples", "x.md");
  g_autofree char *lab = sd_card_syntax_folder_deck ("samples", "lab/x.md");
  g_autofree char *deep = sd_card_syntax_folder_deck ("notes", "a/b/c.md");
  g_autofree char *odd = sd_card_syntax_folder_deck ("we::ird", "x.md");
  g_autofree char *nothing = sd_card_syntax_folder_deck (NULL, "x.md");

  g_assert_cmpstr (top, ==, "samples");
  g_assert_cmpstr (lab, ==, "samples::lab");
  g_assert_cmpstr (deep, ==, "notes::a::b");
  g_assert_cmpstr (odd, ==, "we__ird");
  g_assert_null (nothing);
}

static char *
samples_dir (void)
{
  const char *env = g_getenv ("SAMPLES_DIR");

  if (env != NULL)
    return g_strdup (env);
  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples", NULL);
}

static void
test_samples (void)
{
  static const struct {
    const char *file;
    guint       cards;
    guint       reversed;
    guint       cloze;
    const char *deck;
  } expected[] = {
    { "01-containers-and-images.md", 4, 1, 1, "Containers::Basics" },
    { "02-registries.md", 3, 1, 0, "Containers::Registries" },
    { "03-kubernetes-basics.md", 5, 1, 0, "Containers::Kubernetes" },
    { "04-scheduling-and-scaling.md", 5, 1, 1, "Containers::Kubernetes" },
    { "README.md", 0, 0, 0, NULL },
    { "lab/lab-1-first-deployment.md", 2, 0, 0, "Containers::Kubernetes::Labs" },
  };
  g_autofree char *dir = samples_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_build_filename (dir, expected[i].file, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) cards = NULL;
      guint reversed = 0, cloze = 0;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      cards = parse (text);
      g_assert_cmpuint (cards->len, ==, expected[i].cards);
      for (guint k = 0; k < cards->len; k++)
        {
          SdCardSyntaxCard *card = CARD (cards, k);

          reversed += card->kind == SD_CARD_SYNTAX_REVERSED;
          cloze += card->kind == SD_CARD_SYNTAX_CLOZE;
          g_assert_cmpstr (card->deck, ==, expected[i].deck);
          g_assert_cmpuint (g_strv_length (card->tags), >, 0);
        }
      g_assert_cmpuint (reversed, ==, expected[i].reversed);
      g_assert_cmpuint (cloze, ==, expected[i].cloze);
    }
}

static void
test_sample_details (void)
{
  static const guint one_two[] = { 1, 2 };
  g_autofree char *dir = samples_dir ();
  g_autofree char *path = g_build_filename (dir, "02-registries.md", NULL);
  g_autofree char *cloze_path = g_build_filename (dir, "01-containers-and-images.md", NULL);
  g_autofree char *text = NULL;
  g_autofree char *cloze_text = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) cloze = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_file_get_contents (cloze_path, &cloze_text, NULL, NULL));
  cards = parse (text);
  assert_card (cards, 0, SD_CARD_SYNTAX_BASIC,
               "What is the difference between a tag and a digest?",
               "A tag is a movable name for a manifest.\n"
               "A digest is the hash of the manifest's content, so it always means the same image.",
               65, 68);
  assert_strv (CARD (cards, 0)->heading, "Registries|Cards");
  assert_strv (CARD (cards, 0)->tags, "containers|registries");

  cloze = parse (cloze_text);
  assert_card (cloze, 3, SD_CARD_SYNTAX_CLOZE,
               "A container's writable layer is {{c1::deleted together with the container}}, "
               "so data\nthat must survive belongs in a {{c2::volume::storage object}}.",
               "", 64, 65);
  assert_cloze (CARD (cloze, 3), one_two, 2);
}

/* The same shape `studydeck-cli notes cards --json` prints. */
static JsonNode *
cards_to_json (GPtrArray *cards)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCardSyntaxCard *card = CARD (cards, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, sd_card_syntax_kind_to_string (card->kind));
      json_builder_set_member_name (builder, "front");
      json_builder_add_string_value (builder, card->front);
      json_builder_set_member_name (builder, "back");
      json_builder_add_string_value (builder, card->back);
      json_builder_set_member_name (builder, "cloze");
      json_builder_begin_array (builder);
      for (guint k = 0; k < card->cloze->len; k++)
        json_builder_add_int_value (builder, g_array_index (card->cloze, guint, k));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "deck");
      json_builder_add_string_value (builder, card->deck);
      json_builder_set_member_name (builder, "tags");
      json_builder_begin_array (builder);
      for (guint k = 0; card->tags[k] != NULL; k++)
        json_builder_add_string_value (builder, card->tags[k]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "heading");
      json_builder_begin_array (builder);
      for (guint k = 0; card->heading[k] != NULL; k++)
        json_builder_add_string_value (builder, card->heading[k]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "line_start");
      json_builder_add_int_value (builder, card->line_start);
      json_builder_set_member_name (builder, "line_end");
      json_builder_add_int_value (builder, card->line_end);
      json_builder_set_member_name (builder, "block_id");
      if (card->block_id != NULL)
        json_builder_add_string_value (builder, card->block_id);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
test_fixture_traps (void)
{
  g_autofree char *md = g_test_build_filename (G_TEST_DIST, "data", "cards", "traps.md", NULL);
  g_autofree char *expected_path = g_test_build_filename (G_TEST_DIST, "data", "cards",
                                                          "traps.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(JsonNode) actual = NULL;

  g_assert_true (g_file_get_contents (md, &text, NULL, &error));
  g_assert_true (json_parser_load_from_file (parser, expected_path, &error));
  g_assert_no_error (error);
  cards = parse (text);
  actual = cards_to_json (cards);
  if (!json_node_equal (actual, json_parser_get_root (parser)))
    {
      g_autofree char *dump = json_to_string (actual, TRUE);
      g_test_message ("parsed:\n%s", dump);
      g_test_fail ();
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/card-syntax/single-line", test_single_line);
  g_test_add_func ("/studydeck/card-syntax/multi-line", test_multi_line);
  g_test_add_func ("/studydeck/card-syntax/multi-line-heading-ends", test_multi_line_heading_ends);
  g_test_add_func ("/studydeck/card-syntax/cloze", test_cloze);
  g_test_add_func ("/studydeck/card-syntax/cloze-list-items", test_cloze_list_items);
  g_test_add_func ("/studydeck/card-syntax/highlight", test_highlight);
  g_test_add_func ("/studydeck/card-syntax/code-blocks", test_code_blocks);
  g_test_add_func ("/studydeck/card-syntax/unclosed-fence", test_unclosed_fence);
  g_test_add_func ("/studydeck/card-syntax/code-in-multi-line", test_code_in_multi_line);
  g_test_add_func ("/studydeck/card-syntax/inline-traps", test_inline_traps);
  g_test_add_func ("/studydeck/card-syntax/math-block-unclosed", test_math_block_unclosed);
  g_test_add_func ("/studydeck/card-syntax/metadata-fields", test_metadata_fields);
  g_test_add_func ("/studydeck/card-syntax/windows-line-endings", test_windows_line_endings);
  g_test_add_func ("/studydeck/card-syntax/lists", test_lists);
  g_test_add_func ("/studydeck/card-syntax/headings-and-lines", test_headings_and_lines);
  g_test_add_func ("/studydeck/card-syntax/block-ids", test_block_ids);
  g_test_add_func ("/studydeck/card-syntax/tags", test_tags);
  g_test_add_func ("/studydeck/card-syntax/flow-tags-and-quotes", test_flow_tags_and_quotes);
  g_test_add_func ("/studydeck/card-syntax/decks", test_decks);
  g_test_add_func ("/studydeck/card-syntax/custom-separators", test_custom_separators);
  g_test_add_func ("/studydeck/card-syntax/other-blocks", test_other_blocks);
  g_test_add_func ("/studydeck/card-syntax/cloze-code-and-math", test_cloze_code_and_math);
  g_test_add_func ("/studydeck/card-syntax/empty-and-odd", test_empty_and_odd);
  g_test_add_func ("/studydeck/card-syntax/folder-deck", test_folder_deck);
  g_test_add_func ("/studydeck/card-syntax/fixture-traps", test_fixture_traps);
  g_test_add_func ("/studydeck/card-syntax/samples", test_samples);
  g_test_add_func ("/studydeck/card-syntax/sample-details", test_sample_details);

  return g_test_run ();
}
