/* test-cmark-arena.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Trees parsed in an arena are the trees cmark parses with its own
 * allocator: both rendered to HTML must match byte for byte. */

#include <stdlib.h>
#include <string.h>

#include "sd-cmark-arena.h"

static void
assert_same_html (const char *text,
                  gsize       length)
{
  g_autofree char *expected = NULL;
  char *plain = cmark_markdown_to_html (text, length, CMARK_OPT_DEFAULT);
  SdCmarkArena *arena = sd_cmark_arena_push (length);
  cmark_node *root = sd_cmark_arena_parse (text, length, CMARK_OPT_DEFAULT);
  /* The HTML comes from the tree's allocator: the arena's too. */
  char *html = cmark_render_html (root, CMARK_OPT_DEFAULT);

  expected = g_strdup (plain);
  free (plain);
  g_assert_cmpuint (strlen (html), ==, strlen (expected));
  g_assert_true (strcmp (html, expected) == 0);
  sd_cmark_arena_pop (arena);
}

static void
test_small (void)
{
  assert_same_html ("", 0);
  assert_same_html ("# Title\n\nSome *text* with `code`.\n", strlen ("# Title\n\nSome *text* with `code`.\n"));
}

/* Many chunks, and blocks that grow in place and move (a long code block
 * and a long paragraph grow their buffers while other nodes are made). */
static void
test_large (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (text,
                            "## Part %u\n\n"
                            "- item *%u*\n  > quoted [link](https://example.org/%u)\n\n"
                            "| a | b |\n|---|---|\n| %u | **x** |\n\n", i, i, i, i);
  g_string_append (text, "```\n");
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "line %u of a long code block\n", i);
  g_string_append (text, "```\n\n");
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "word%u ", i);
  g_string_append_c (text, '\n');

  g_assert_cmpuint (text->len, >, 1024 * 1024);
  assert_same_html (text->str, text->len);
}

/* A second arena on the same thread reuses the first one's memory: it must
 * start from zeroed memory as calloc() does. */
static void
test_reuse (void)
{
  const char *a = "1. one\n2. two\n\n> *quote*\n\n[x]: https://example.org\n";
  const char *b = "Plain [x] text.\n\n- [ ] task\n";

  for (guint i = 0; i < 50; i++)
    {
      assert_same_html (a, strlen (a));
      assert_same_html (b, strlen (b));
    }
}

/* Arenas are per thread: parses in several threads at once. */
static gpointer
parse_in_thread (gpointer data)
{
  for (guint i = 0; i < 20; i++)
    assert_same_html (data, strlen (data));

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GThread *threads[4];

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (text, "Paragraph %u with *emphasis* and `code`.\n\n", i);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_in_thread, text->str);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/cmark-arena/small", test_small);
  g_test_add_func ("/studydeck/cmark-arena/large", test_large);
  g_test_add_func ("/studydeck/cmark-arena/reuse", test_reuse);
  g_test_add_func ("/studydeck/cmark-arena/threads", test_threads);

  return g_test_run ();
}
