/* test-markdown.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Markdown → render operations, without GTK. */

#include <string.h>

#include "sd-markdown.h"

static SdRichDoc *
render (const char *markdown)
{
  return sd_markdown_render (markdown, -1, NULL, NULL, NULL, NULL);
}

static char *
dump (const char *markdown)
{
  g_autoptr(SdRichDoc) doc = render (markdown);

  return sd_rich_doc_dump (doc);
}

static const char *
text_of (SdRichDoc *doc)
{
  return sd_rich_doc_get_text (doc, NULL);
}

static char *
data_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "markdown", NULL);
}

static void
test_front_matter (void)
{
  g_autofree char *fm = NULL;
  g_autoptr(SdRichDoc) doc = NULL;
  gsize body = 0;

  g_assert_true (sd_markdown_split_front_matter ("---\na: 1\nb: [x]\n---\n# T\n", 24, &fm, &body));
  g_assert_cmpstr (fm, ==, "a: 1\nb: [x]\n");
  g_assert_cmpuint (body, ==, 20);
  g_clear_pointer (&fm, g_free);

  /* "..." closes too; CRLF; a BOM before. */
  g_assert_true (sd_markdown_split_front_matter ("\xef\xbb\xbf---\r\nk: v\r\n...\r\nx", 23, &fm, &body));
  g_assert_cmpstr (fm, ==, "k: v\r\n");
  g_clear_pointer (&fm, g_free);

  /* Never closed, or not at the very top: not front matter. */
  g_assert_false (sd_markdown_split_front_matter ("---\na: 1\n", 9, &fm, &body));
  g_assert_null (fm);
  g_assert_false (sd_markdown_split_front_matter ("\n---\na: 1\n---\n", 14, &fm, &body));
  g_assert_false (sd_markdown_split_front_matter ("----\na\n----\n", 12, &fm, &body));

  doc = sd_markdown_render ("---\ntitle: Hello\n---\nBody *text*\n", -1, NULL, NULL, NULL, &fm);
  g_assert_cmpstr (fm, ==, "title: Hello\n");
  g_assert_cmpstr (text_of (doc), ==, "Body text\n");
}

static void
test_slugs (void)
{
  static const struct { const char *text; const char *slug; } cases[] = {
    { "Hello, World!", "hello-world" },
    { "API v2.0 (beta)", "api-v20-beta" },
    { "snake_case and-dash", "snake_case-and-dash" },
    { "Größe & Maß", "größe--maß" },
    { "日本語 見出し", "日本語-見出し" },
    { "", "" },
  };
  g_autoptr(SdRichDoc) doc = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = sd_markdown_slugify (cases[i].text);

      g_assert_cmpstr (slug, ==, cases[i].slug);
    }

  doc = render ("# Intro\n\n## Intro\n\nIntro\n-----\n\n### `code` and *em*\n");
  g_assert_cmpuint (sd_rich_doc_get_n_headings (doc), ==, 4);
  g_assert_cmpstr (sd_rich_doc_get_heading (doc, 0)->slug, ==, "intro");
  g_assert_cmpstr (sd_rich_doc_get_heading (doc, 1)->slug, ==, "intro-1");
  g_assert_cmpstr (sd_rich_doc_get_heading (doc, 2)->slug, ==, "intro-2");
  g_assert_cmpint (sd_rich_doc_get_heading (doc, 2)->level, ==, 2);
  g_assert_cmpstr (sd_rich_doc_get_heading (doc, 3)->text, ==, "code and em");
  g_assert_cmpstr (sd_rich_doc_get_heading (doc, 3)->slug, ==, "code-and-em");
  g_assert_cmpint (sd_rich_doc_get_heading (doc, 3)->level, ==, 3);
}

static void
test_headings (void)
{
  g_autoptr(SdRichDoc) doc = render ("# Title *one*\n\nText\n\n## Two\n");
  g_autofree char *ops = sd_rich_doc_dump (doc);

  g_assert_cmpstr (text_of (doc), ==, "Title one\nText\nTwo\n");
  g_assert_cmpstr (ops, ==,
                   "heading 1 \"title-one\"\n"
                   "push h1\n"
                   "text \"Title \"\n"
                   "push emphasis\n"
                   "text \"one\"\n"
                   "pop emphasis\n"
                   "end-paragraph gap\n"
                   "pop h1\n"
                   "text \"Text\"\n"
                   "end-paragraph gap\n"
                   "heading 2 \"two\"\n"
                   "push h2\n"
                   "text \"Two\"\n"
                   "end-paragraph\n"
                   "pop h2\n");
  g_assert_cmpint (sd_rich_doc_get_heading (doc, 0)->offset, ==, 0);
  g_assert_cmpint (sd_rich_doc_get_heading (doc, 1)->offset, ==, 15);
  g_assert_cmpstr (sd_rich_doc_get_heading (doc, 1)->text, ==, "Two");
}

static void
test_inline (void)
{
  g_autoptr(SdRichDoc) doc = render ("a *em* **strong** `co*de*` ~~gone~~ \\*x\\* &amp; b\n");
  g_autofree char *ops = sd_rich_doc_dump (doc);

  g_assert_cmpstr (text_of (doc), ==, "a em strong co*de* gone *x* & b\n");
  g_assert_cmpstr (ops, ==,
                   "text \"a \"\n"
                   "push emphasis\n" "text \"em\"\n" "pop emphasis\n"
                   "text \" \"\n"
                   "push strong\n" "text \"strong\"\n" "pop strong\n"
                   "text \" \"\n"
                   "push code\n" "text \"co*de*\"\n" "pop code\n"
                   "text \" \"\n"
                   "push strike\n" "text \"gone\"\n" "pop strike\n"
                   "text \" *x* & b\"\n"
                   "end-paragraph\n");
}

static void
test_strike (void)
{
  g_autoptr(SdRichDoc) odd = render ("~~a~~ and ~~b\n");
  g_autoptr(SdRichDoc) none = render ("a ~~ b ~~~ c\n");
  g_autoptr(SdRichDoc) across = render ("~~a **b** c~~\n");
  g_autofree char *ops = sd_rich_doc_dump (across);

  /* An unpaired "~~" stays text. */
  g_assert_cmpstr (text_of (odd), ==, "a and ~~b\n");
  g_assert_cmpstr (text_of (none), ==, "a ~~ b ~~~ c\n");
  g_assert_true (g_str_has_prefix (ops, "push strike\ntext \"a \"\npush strong\n"));
  g_assert_nonnull (strstr (ops, "text \" c\"\npop strike\n"));
}

static GPtrArray *resolved;

static gboolean
resolve (const char *uri,
         gpointer    user_data)
{
  g_ptr_array_add (resolved, g_strdup (uri));

  return strstr (uri, "Missing") == NULL;
}

static void
test_links (void)
{
  g_autoptr(SdRichDoc) doc = NULL;
  const SdRichLink *link;

  resolved = g_ptr_array_new_with_free_func (g_free);
  doc = sd_markdown_render ("# Top\n\n"
                            "[w](https://example.org/a?b=1&c=2) [m](mailto:me@example.org) "
                            "[r](Other%20note.md#part) [x](Missing.md) [a](#top) [b](#nope) "
                            "[j](javascript:alert(1)) <https://auto.example>\n",
                            -1, NULL, resolve, NULL, NULL);

  g_assert_cmpstr (text_of (doc), ==, "Top\nw m r x a b j https://auto.example\n");
  g_assert_cmpuint (sd_rich_doc_get_n_links (doc), ==, 8);

  link = sd_rich_doc_get_link (doc, 0);
  g_assert_cmpstr (link->uri, ==, "https://example.org/a?b=1&c=2");
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_EXTERNAL);
  g_assert_cmpint (link->start, ==, 4);
  g_assert_cmpint (link->end, ==, 5);
  g_assert_false (link->broken);

  g_assert_cmpint (sd_rich_doc_get_link (doc, 1)->kind, ==, SD_RICH_LINK_EXTERNAL);

  link = sd_rich_doc_get_link (doc, 2);
  g_assert_cmpstr (link->uri, ==, "Other%20note.md#part");
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_RELATIVE);
  g_assert_false (link->broken);

  link = sd_rich_doc_get_link (doc, 3);
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_RELATIVE);
  g_assert_true (link->broken);

  link = sd_rich_doc_get_link (doc, 4);
  g_assert_cmpstr (link->uri, ==, "#top");
  g_assert_cmpint (link->kind, ==, SD_RICH_LINK_ANCHOR);
  g_assert_false (link->broken);
  g_assert_true (sd_rich_doc_get_link (doc, 5)->broken);

  g_assert_cmpint (sd_rich_doc_get_link (doc, 6)->kind, ==, SD_RICH_LINK_OTHER);
  g_assert_false (sd_rich_doc_get_link (doc, 6)->broken);
  g_assert_cmpint (sd_rich_doc_get_link (doc, 7)->kind, ==, SD_RICH_LINK_EXTERNAL);

  /* Only internal links are asked about. */
  g_assert_cmpuint (resolved->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (resolved, 0), ==, "Other%20note.md#part");
  g_assert_cmpstr (g_ptr_array_index (resolved, 1), ==, "Missing.md");

  /* Lookup by offset. */
  g_assert_true (sd_rich_doc_find_link (doc, 4) == sd_rich_doc_get_link (doc, 0));
  g_assert_null (sd_rich_doc_find_link (doc, 5));
  g_assert_true (sd_rich_doc_find_link (doc, 8) == sd_rich_doc_get_link (doc, 2));

  g_clear_pointer (&resolved, g_ptr_array_unref);
}

static void
test_wikilinks (void)
{
  g_autoptr(SdRichDoc) doc = NULL;
  g_autoptr(SdRichDoc) code = NULL;
  g_autoptr(SdRichDoc) nested = NULL;
  g_autoptr(SdRichDoc) split = NULL;

  resolved = g_ptr_array_new_with_free_func (g_free);
  doc = sd_markdown_render ("## My Heading\n\n"
                            "[[Note]], [[Note#My Heading]], [[Note|the alias]], "
                            "[[#My Heading]], [[Missing note]] and [[ ]]\n",
                            -1, NULL, resolve, NULL, NULL);

  g_assert_cmpstr (text_of (doc), ==,
                   "My Heading\nNote, Note#My Heading, the alias, My Heading, Missing note "
                   "and [[ ]]\n");
  g_assert_cmpuint (sd_rich_doc_get_n_links (doc), ==, 5);
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 0)->uri, ==, "wikilink:Note");
  g_assert_cmpint (sd_rich_doc_get_link (doc, 0)->kind, ==, SD_RICH_LINK_WIKILINK);
  g_assert_cmpint (sd_rich_doc_get_link (doc, 0)->start, ==, 11);
  g_assert_cmpint (sd_rich_doc_get_link (doc, 0)->end, ==, 15);
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 1)->uri, ==, "wikilink:Note#my-heading");
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 2)->uri, ==, "wikilink:Note");
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 3)->uri, ==, "#my-heading");
  g_assert_cmpint (sd_rich_doc_get_link (doc, 3)->kind, ==, SD_RICH_LINK_ANCHOR);
  g_assert_false (sd_rich_doc_get_link (doc, 3)->broken);
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 4)->uri, ==, "wikilink:Missing note");
  g_assert_true (sd_rich_doc_get_link (doc, 4)->broken);
  g_assert_false (sd_rich_doc_get_link (doc, 0)->broken);
  g_assert_cmpuint (resolved->len, ==, 4);

  /* Not in code, not inside another link. */
  code = render ("`[[Note]]`\n\n    [[Note]]\n");
  g_assert_cmpuint (sd_rich_doc_get_n_links (code), ==, 0);
  g_assert_cmpstr (text_of (code), ==, "[[Note]]\n[[Note]]\n");
  nested = render ("[see [[Note]]](https://x.org)\n");
  g_assert_cmpuint (sd_rich_doc_get_n_links (nested), ==, 1);
  g_assert_cmpstr (text_of (nested), ==, "see [[Note]]\n");

  /* cmark splits brackets into several text nodes. */
  split = render ("a [[Two words]] b [[x]]\n");
  g_assert_cmpuint (sd_rich_doc_get_n_links (split), ==, 2);
  g_assert_cmpstr (sd_rich_doc_get_link (split, 0)->uri, ==, "wikilink:Two words");

  g_clear_pointer (&resolved, g_ptr_array_unref);
}

static void
test_link_target (void)
{
  g_autofree char *note = NULL;
  g_autofree char *slug = NULL;

  g_assert_true (sd_markdown_link_target ("wikilink:My Note#intro", &note, &slug));
  g_assert_cmpstr (note, ==, "My Note");
  g_assert_cmpstr (slug, ==, "intro");
  g_clear_pointer (&note, g_free);
  g_clear_pointer (&slug, g_free);

  g_assert_true (sd_markdown_link_target ("dir/My%20Note.md#part-2", &note, &slug));
  g_assert_cmpstr (note, ==, "dir/My Note.md");
  g_assert_cmpstr (slug, ==, "part-2");
  g_clear_pointer (&note, g_free);
  g_clear_pointer (&slug, g_free);

  g_assert_true (sd_markdown_link_target ("#top", &note, &slug));
  g_assert_null (note);
  g_assert_cmpstr (slug, ==, "top");
  g_clear_pointer (&slug, g_free);

  g_assert_true (sd_markdown_link_target ("wikilink:Plain", &note, &slug));
  g_assert_cmpstr (note, ==, "Plain");
  g_assert_null (slug);
  g_clear_pointer (&note, g_free);

  g_assert_false (sd_markdown_link_target ("https://example.org", &note, &slug));
  g_assert_false (sd_markdown_link_target ("file:///etc/passwd", &note, &slug));

  g_assert_cmpint (sd_rich_link_classify ("HTTPS://X"), ==, SD_RICH_LINK_EXTERNAL);
  g_assert_cmpint (sd_rich_link_classify ("//host/x"), ==, SD_RICH_LINK_OTHER);
  g_assert_cmpint (sd_rich_link_classify ("C:/notes/a.md"), ==, SD_RICH_LINK_RELATIVE);
  g_assert_cmpint (sd_rich_link_classify (""), ==, SD_RICH_LINK_OTHER);
}

static void
test_autolink (void)
{
  g_autoptr(SdRichDoc) doc = render ("See https://example.com/a_(b). Or http://x.org/?q=1, "
                                     "not xhttps://no.\n");

  g_assert_cmpuint (sd_rich_doc_get_n_links (doc), ==, 2);
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 0)->uri, ==, "https://example.com/a_(b)");
  g_assert_cmpstr (sd_rich_doc_get_link (doc, 1)->uri, ==, "http://x.org/?q=1");
  g_assert_cmpstr (text_of (doc), ==, "See https://example.com/a_(b). Or http://x.org/?q=1, "
                                      "not xhttps://no.\n");
}

static void
test_lists (void)
{
  g_autofree char *tight = dump ("- a\n- b\n  1. c\n  2. d\n\nafter\n");
  g_autofree char *loose = dump ("3. one\n\n4. two\n");
  g_autoptr(SdRichDoc) wide = render ("9. a\n10. b\n");
  g_autoptr(SdRichDoc) empty = render ("-\n- x\n");

  g_assert_cmpstr (tight, ==,
                   "push indent 22/22\n"
                   "push marker\n" "text \"\\342\\200\\242\\t\"\n" "pop marker\n"
                   "text \"a\"\n"
                   "end-paragraph\n"
                   "pop indent 22/22\n"
                   "push indent 22/22\n"
                   "push marker\n" "text \"\\342\\200\\242\\t\"\n" "pop marker\n"
                   "text \"b\"\n"
                   "end-paragraph\n"
                   "pop indent 22/22\n"
                   "push indent 50/28\n"
                   "push marker\n" "text \"1.\\t\"\n" "pop marker\n"
                   "text \"c\"\n"
                   "end-paragraph\n"
                   "pop indent 50/28\n"
                   "push indent 50/28\n"
                   "push marker\n" "text \"2.\\t\"\n" "pop marker\n"
                   "text \"d\"\n"
                   "end-paragraph gap\n"
                   "pop indent 50/28\n"
                   "text \"after\"\n"
                   "end-paragraph\n");

  /* Loose: space between items; numbering from the list start. */
  g_assert_cmpstr (loose, ==,
                   "push indent 28/28\n"
                   "push marker\n" "text \"3.\\t\"\n" "pop marker\n"
                   "text \"one\"\n"
                   "end-paragraph gap\n"
                   "pop indent 28/28\n"
                   "push indent 28/28\n"
                   "push marker\n" "text \"4.\\t\"\n" "pop marker\n"
                   "text \"two\"\n"
                   "end-paragraph\n"
                   "pop indent 28/28\n");

  /* Two-digit numbers get a wider hang. */
  g_assert_cmpstr (text_of (wide), ==, "9.\ta\n10.\tb\n");
  g_assert_cmpint (SD_RICH_INDENT_HANG (sd_rich_doc_get_op (wide, 0)->arg), ==, 28);

  /* An empty item still shows its marker. */
  g_assert_cmpstr (text_of (empty), ==, "\xe2\x80\xa2\t\n\xe2\x80\xa2\tx\n");
}

static void
test_tasks (void)
{
  g_autoptr(SdRichDoc) doc = render ("- [ ] todo\n- [x] done\n- [X]\n- [y] no\n- [ ]x\n\n1. [ ] n\n");

  g_assert_cmpstr (text_of (doc), ==,
                   "\xe2\x98\x90\ttodo\n"
                   "\xe2\x98\x91\tdone\n"
                   "\xe2\x98\x91\t\n"
                   "\xe2\x80\xa2\t[y] no\n"
                   "\xe2\x80\xa2\t[ ]x\n"
                   "1. \xe2\x98\x90\tn\n");
}

static void
test_hard_break (void)
{
  g_autofree char *ops = dump ("- one  \n  two\\\n  three\n");

  /* After a break the line no longer hangs under the marker. */
  g_assert_cmpstr (ops, ==,
                   "push indent 22/22\n"
                   "push marker\n" "text \"\\342\\200\\242\\t\"\n" "pop marker\n"
                   "text \"one\"\n"
                   "pop indent 22/22\n"
                   "push indent 22/0\n"
                   "text \"\\ntwo\\nthree\"\n"
                   "end-paragraph\n"
                   "pop indent 22/0\n");
}

static void
test_code_blocks (void)
{
  g_autoptr(SdRichDoc) fenced = render ("```c\nint a;\n\nint b;\n```\n\n    indented\n    code\n");
  g_autofree char *ops = sd_rich_doc_dump (fenced);

  /* The final newline of the literal is not a blank line. */
  g_assert_cmpstr (text_of (fenced), ==, "int a;\n\nint b;\nindented\ncode\n");
  g_assert_true (g_str_has_prefix (ops,
                                   "push indent 12/0\n"
                                   "push code-block\n"
                                   "push pad-top\n"
                                   "text \"int a;\\n\"\n"
                                   "pop pad-top\n"
                                   "text \"\\n\"\n"
                                   "push pad-bottom\n"
                                   "text \"int b;\"\n"
                                   "end-paragraph gap\n"
                                   "pop pad-bottom\n"
                                   "pop code-block\n"
                                   "pop indent 12/0\n"));
}

static void
test_quote (void)
{
  g_autoptr(SdRichDoc) doc = render ("> a\n> > b\n\nc\n");
  g_autofree char *ops = sd_rich_doc_dump (doc);

  g_assert_cmpstr (text_of (doc), ==, "a\nb\nc\n");
  g_assert_cmpstr (ops, ==,
                   "push quote\n"
                   "push indent 22/0\n" "text \"a\"\n" "end-paragraph gap\n" "pop indent 22/0\n"
                   "push quote 22\n"
                   "push indent 44/0\n" "text \"b\"\n" "end-paragraph gap\n" "pop indent 44/0\n"
                   "pop quote 22\n"
                   "pop quote\n"
                   "text \"c\"\n" "end-paragraph\n");
}

static void
test_html (void)
{
  g_autoptr(SdRichDoc) doc = render ("<b>bold</b> <i>it</i> <u>u</u> <s>s</s> H<sub>2</sub>O "
                                     "x<sup>2</sup> <kbd>K</kbd> <mark>m</mark> a<br>b "
                                     "<span class=\"x\">sp</span> <blink>bl</blink> "
                                     "<!-- note --> <script>alert(1)</script> &lt;t&gt; "
                                     "<a href=\"https://h.org\">h</a> <b>open\n");
  g_autofree char *ops = sd_rich_doc_dump (doc);
  g_autoptr(SdRichDoc) block = render ("<div align=\"center\">\n<b>hi</b> &amp; bye\n</div>\n\n"
                                       "<!-- only a comment -->\n\nend\n");
  g_autofree char *block_ops = sd_rich_doc_dump (block);

  g_assert_cmpstr (text_of (doc), ==,
                   "bold it u s H2O x2 K m a\nb sp <blink>bl</blink>  "
                   "<script>alert(1)</script> <t> h open\n");
  g_assert_true (g_str_has_prefix (ops, "push strong\ntext \"bold\"\npop strong\n"));
  g_assert_nonnull (strstr (ops, "push emphasis\ntext \"it\"\npop emphasis\n"));
  g_assert_nonnull (strstr (ops, "push underline\ntext \"u\"\npop underline\n"));
  g_assert_nonnull (strstr (ops, "push strike\ntext \"s\"\npop strike\n"));
  g_assert_nonnull (strstr (ops, "push subscript\ntext \"2\"\npop subscript\n"));
  g_assert_nonnull (strstr (ops, "push superscript\ntext \"2\"\npop superscript\n"));
  g_assert_nonnull (strstr (ops, "push kbd\ntext \"K\"\npop kbd\n"));
  g_assert_nonnull (strstr (ops, "push mark\ntext \"m\"\npop mark\n"));
  g_assert_nonnull (strstr (ops, "push literal\ntext \"<blink>\"\npop literal\n"));
  /* Script content is literal too, never run. */
  g_assert_nonnull (strstr (ops, "push literal\ntext \"alert(1)\"\npop literal\n"));
  g_assert_nonnull (strstr (ops, "link-start \"https://h.org\" external\ntext \"h\"\nlink-end\n"));
  /* An unclosed <b> ends with its paragraph. */
  g_assert_true (g_str_has_suffix (ops, "push strong\ntext \"open\"\npop strong\nend-paragraph\n"));

  g_assert_cmpstr (text_of (block), ==, "\nhi & bye\n\nend\n");
  g_assert_nonnull (strstr (block_ops, "push strong\ntext \"hi\"\npop strong\n"));
}

static void
test_tables (void)
{
  g_autoptr(SdRichDoc) doc = render ("| Name | Value \\| pipe | Right |\n"
                                     "|:-----|:-----------:|------:|\n"
                                     "| **a** | `x\\|y` | [[N]] |\n"
                                     "| b |\n"
                                     "\n"
                                     "a | b\n"
                                     "--|--\n"
                                     "\n"
                                     "| not | a table |\n"
                                     "|---|\n");
  const SdRichTable *table;
  g_autofree char *cell_ops = NULL;

  g_assert_cmpuint (sd_rich_doc_get_n_tables (doc), ==, 2);

  table = sd_rich_doc_get_table (doc, 0);
  g_assert_cmpuint (table->n_rows, ==, 3);
  g_assert_cmpuint (table->n_cols, ==, 3);
  g_assert_cmpint (table->align[0], ==, SD_RICH_ALIGN_LEFT);
  g_assert_cmpint (table->align[1], ==, SD_RICH_ALIGN_CENTER);
  g_assert_cmpint (table->align[2], ==, SD_RICH_ALIGN_RIGHT);
  g_assert_cmpstr (text_of (table->cells[0]), ==, "Name");
  g_assert_cmpstr (text_of (table->cells[1]), ==, "Value | pipe");
  g_assert_cmpstr (text_of (table->cells[3]), ==, "a");
  cell_ops = sd_rich_doc_dump (table->cells[3]);
  g_assert_cmpstr (cell_ops, ==, "push strong\ntext \"a\"\npop strong\n");
  g_assert_cmpstr (text_of (table->cells[4]), ==, "x|y");
  g_assert_cmpuint (sd_rich_doc_get_n_links (table->cells[5]), ==, 1);
  g_assert_cmpstr (sd_rich_doc_get_link (table->cells[5], 0)->uri, ==, "wikilink:N");
  /* Short rows are padded. */
  g_assert_cmpstr (text_of (table->cells[6]), ==, "b");
  g_assert_cmpstr (text_of (table->cells[7]), ==, "");
  g_assert_cmpstr (text_of (table->cells[8]), ==, "");

  /* Without outer pipes; no body. */
  table = sd_rich_doc_get_table (doc, 1);
  g_assert_cmpuint (table->n_rows, ==, 1);
  g_assert_cmpuint (table->n_cols, ==, 2);
  g_assert_cmpint (table->align[0], ==, SD_RICH_ALIGN_NONE);

  /* A table is one object character; a mismatched one stays text. */
  g_assert_cmpstr (text_of (doc), ==, "\xef\xbf\xbc\n\xef\xbf\xbc\n| not | a table | |---|\n");
  g_assert_cmpint (table->offset, ==, 2);
}

static void
test_table_in_list (void)
{
  g_autoptr(SdRichDoc) doc = render ("- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n");

  g_assert_cmpuint (sd_rich_doc_get_n_tables (doc), ==, 1);
  g_assert_cmpuint (sd_rich_doc_get_table (doc, 0)->n_rows, ==, 2);
  g_assert_cmpint (sd_rich_doc_get_table (doc, 0)->indent_px, ==, 22);
}

static void
test_images (void)
{
  g_autofree char *dir = data_dir ();
  g_autofree char *expected = g_build_filename (dir, "picture.png", NULL);
  g_autoptr(SdRichDoc) doc = sd_markdown_render ("![A *pic*](picture.png) "
                                                 "![gone](nowhere.png) "
                                                 "![](https://example.org/remote.png) "
                                                 "![[picture.png|embedded]] "
                                                 "<img src=\"picture%2Epng\" alt=\"html\">\n",
                                                 -1, dir, NULL, NULL, NULL);
  const SdRichImage *image;
  g_autofree char *ops = sd_rich_doc_dump (doc);

  g_assert_cmpuint (sd_rich_doc_get_n_images (doc), ==, 3);
  image = sd_rich_doc_get_image (doc, 0);
  g_assert_cmpstr (image->path, ==, expected);
  g_assert_cmpstr (image->alt, ==, "A pic");
  g_assert_cmpint (image->offset, ==, 0);
  g_assert_cmpint (image->alt_start, ==, 1);
  g_assert_cmpint (image->alt_end, ==, 6);
  g_assert_cmpstr (sd_rich_doc_get_image (doc, 1)->alt, ==, "embedded");
  g_assert_cmpstr (sd_rich_doc_get_image (doc, 2)->path, ==, expected);

  /* Missing and remote images: their alt text (or file name), visibly. */
  g_assert_nonnull (strstr (ops, "push image-alt\ntext \"gone\"\npop image-alt\n"));
  g_assert_nonnull (strstr (ops, "push image-alt\ntext \"remote.png\"\npop image-alt\n"));
  g_assert_true (g_str_has_prefix (ops, "image \"/"));
  g_assert_nonnull (strstr (ops, "push hidden\ntext \"A pic\"\npop hidden\n"));

  /* Without a base folder relative images are not loaded. */
  g_clear_pointer (&doc, sd_rich_doc_unref);
  doc = render ("![alt](picture.png)\n");
  g_assert_cmpuint (sd_rich_doc_get_n_images (doc), ==, 0);
  g_assert_cmpstr (text_of (doc), ==, "alt\n");
}

static void
test_rule (void)
{
  g_autoptr(SdRichDoc) doc = render ("a\n\n---\n\n> ***\n");
  g_autofree char *ops = sd_rich_doc_dump (doc);

  g_assert_cmpstr (text_of (doc), ==, "a\n\xef\xbf\xbc\n\xef\xbf\xbc\n");
  g_assert_nonnull (strstr (ops, "text \"a\"\nend-paragraph gap\nrule\nend-paragraph gap\n"));
}

static void
test_sample_corpus (void)
{
  g_autofree char *dir = data_dir ();
  g_autofree char *path = g_build_filename (dir, "sample.md", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *fm = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRichDoc) doc = NULL;
  const char *text;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  doc = sd_markdown_render (contents, length, dir, NULL, NULL, &fm);
  text = text_of (doc);

  /* No Markdown syntax is left in the text. */
  g_assert_null (strstr (text, "**"));
  g_assert_null (strstr (text, "[["));
  g_assert_null (strstr (text, "]("));
  g_assert_null (strstr (text, "```"));
  g_assert_null (strstr (text, "~~"));
  g_assert_null (strstr (text, "# "));
  g_assert_null (strstr (text, "<kbd>"));
  g_assert_null (strstr (text, "title:"));
  g_assert_nonnull (strstr (fm, "title: Cell biology"));

  g_assert_cmpuint (sd_rich_doc_get_n_headings (doc), ==, 3);
  g_assert_cmpuint (sd_rich_doc_get_n_tables (doc), ==, 1);
  g_assert_cmpuint (sd_rich_doc_get_n_images (doc), ==, 1);
  g_assert_cmpint (sd_rich_doc_get_length (doc), ==, g_utf8_strlen (text, -1));
}

static void
render_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SdRichDoc **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fm = NULL;

  *out = sd_markdown_render_finish (result, NULL, NULL, &fm, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fm, ==, "k: v\n");
}

static void
test_async (void)
{
  const char *markdown = "---\nk: v\n---\n# A\n\n[x](#a) [y](#b)\n";
  g_autoptr(SdRichDoc) sync = render (markdown);
  g_autoptr(SdRichDoc) async = NULL;
  g_autofree char *sync_ops = sd_rich_doc_dump (sync);
  g_autofree char *async_ops = NULL;

  sd_markdown_render_async (markdown, -1, NULL, NULL, render_done, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);

  async_ops = sd_rich_doc_dump (async);
  g_assert_cmpstr (async_ops, ==, sync_ops);
  g_assert_false (sd_rich_doc_get_link (async, 0)->broken);
  g_assert_true (sd_rich_doc_get_link (async, 1)->broken);
}

static void
test_invalid_input (void)
{
  g_autoptr(SdRichDoc) doc = sd_markdown_render ("a\xff" "b <b\n", 6, NULL, NULL, NULL, NULL);
  g_autoptr(SdRichDoc) empty = render ("");
  g_autoptr(SdRichDoc) deep = NULL;
  GString *nested = g_string_new (NULL);

  g_assert_true (g_utf8_validate (text_of (doc), -1, NULL));
  g_assert_cmpstr (text_of (empty), ==, "");
  g_assert_cmpuint (sd_rich_doc_get_n_ops (empty), ==, 0);

  /* Deep nesting: indentation is capped, nothing recurses. */
  for (int i = 0; i < 2000; i++)
    g_string_append (nested, "> ");
  g_string_append (nested, "deep\n");
  deep = render (nested->str);
  g_assert_cmpstr (text_of (deep), ==, "deep\n");
  g_string_free (nested, TRUE);
}

static char *
range_text (SdRichDoc  *doc,
            const char *name)
{
  const SdRichRange *range = sd_rich_doc_find_range (doc, name);
  const char *text = sd_rich_doc_get_text (doc, NULL);
  const char *start, *end;

  if (range == NULL)
    return NULL;
  start = g_utf8_offset_to_pointer (text, range->start);
  end = g_utf8_offset_to_pointer (text, range->end);
  return g_strstrip (g_strndup (start, end - start));
}

static void
test_source_ranges (void)
{
  const char *md = "---\ndeck: X\n---\n# Title\n\nFirst *para*\ngraph.\n\n- one\n- two\n\n"
                   "```\ncode\n```\n";
  g_autoptr(SdRichDoc) doc = sd_markdown_render (md, -1, "/tmp", NULL, NULL, NULL);
  g_autofree char *heading = range_text (doc, "src:4-4");
  g_autofree char *para = range_text (doc, "src:6-7");
  g_autofree char *item = range_text (doc, "src:10-10");
  g_autofree char *code = range_text (doc, "src:12-14");

  /* Block ranges are named by their lines in the whole file, front matter
   * included, so a card's lines find their passage. */
  g_assert_cmpstr (heading, ==, "Title");
  g_assert_cmpstr (para, ==, "First para graph.");  /* the soft break is a space */
  g_assert_nonnull (item);
  g_assert_true (g_str_has_suffix (item, "two"));
  g_assert_cmpstr (code, ==, "code");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/markdown/front-matter", test_front_matter);
  g_test_add_func ("/studydeck/markdown/slugs", test_slugs);
  g_test_add_func ("/studydeck/markdown/headings", test_headings);
  g_test_add_func ("/studydeck/markdown/inline", test_inline);
  g_test_add_func ("/studydeck/markdown/strike", test_strike);
  g_test_add_func ("/studydeck/markdown/links", test_links);
  g_test_add_func ("/studydeck/markdown/wikilinks", test_wikilinks);
  g_test_add_func ("/studydeck/markdown/link-target", test_link_target);
  g_test_add_func ("/studydeck/markdown/autolink", test_autolink);
  g_test_add_func ("/studydeck/markdown/lists", test_lists);
  g_test_add_func ("/studydeck/markdown/tasks", test_tasks);
  g_test_add_func ("/studydeck/markdown/hard-break", test_hard_break);
  g_test_add_func ("/studydeck/markdown/code-blocks", test_code_blocks);
  g_test_add_func ("/studydeck/markdown/quote", test_quote);
  g_test_add_func ("/studydeck/markdown/html", test_html);
  g_test_add_func ("/studydeck/markdown/tables", test_tables);
  g_test_add_func ("/studydeck/markdown/table-in-list", test_table_in_list);
  g_test_add_func ("/studydeck/markdown/images", test_images);
  g_test_add_func ("/studydeck/markdown/rule", test_rule);
  g_test_add_func ("/studydeck/markdown/sample-corpus", test_sample_corpus);
  g_test_add_func ("/studydeck/markdown/async", test_async);
  g_test_add_func ("/studydeck/markdown/invalid-input", test_invalid_input);
  g_test_add_func ("/studydeck/markdown/source-ranges", test_source_ranges);

  return g_test_run ();
}
