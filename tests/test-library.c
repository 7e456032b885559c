/* test-library.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <unistd.h>
#include <utime.h>

#include "sd-library.h"
#include "sd-note-cards.h"
#include "sd-test-utils.h"

static SdNoteFile *
find (GPtrArray  *files,
      const char *relpath)
{
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (((SdNoteFile *) files->pdata[i])->relpath, relpath))
      return files->pdata[i];
  return NULL;
}

static void
test_scan_titles_and_headings (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) headings = NULL;
  SdScanStats stats;
  SdNoteFile *file;

  sd_test_write_in (notes, "pods.md",
                      "---\ntitle: ignored\ndeck: K8s\n---\n\nIntro text.\n\n# Pods *and* `containers`\n\n"
                      "```\n# not a heading\n```\n\nSetext\n------\n");
  sd_test_write_in (notes, "sub/plain-name.markdown", "no heading here\n");
  sd_test_write_in (notes, "readme.txt", "# not a note\n");
  sd_test_write_in (notes, ".git/hidden.md", "# hidden\n");

  g_assert_cmpint (sd_library_add_folder (collection, notes, &error), >, 0);
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.added, ==, 2);

  files = sd_library_list_files (collection, &error);
  g_assert_cmpuint (files->len, ==, 2);
  file = find (files, "pods.md");
  g_assert_nonnull (file);
  g_assert_cmpstr (file->title, ==, "Pods and containers");
  g_assert_cmpstr (file->error, ==, "");
  file = find (files, "sub/plain-name.markdown");
  g_assert_cmpstr (file->title, ==, "plain-name");

  headings = sd_library_list_headings (collection, find (files, "pods.md")->id, &error);
  g_assert_cmpuint (headings->len, ==, 2);
  g_assert_cmpint (((SdNoteHeading *) headings->pdata[0])->level, ==, 1);
  g_assert_cmpint (((SdNoteHeading *) headings->pdata[0])->line, ==, 8);
  g_assert_cmpstr (((SdNoteHeading *) headings->pdata[1])->text, ==, "Setext");
  g_assert_cmpint (((SdNoteHeading *) headings->pdata[1])->level, ==, 2);
  g_assert_cmpint (((SdNoteHeading *) headings->pdata[1])->line, ==, 14);
  sd_test_rm_rf (dir);
}

static void
test_incremental (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *a = g_build_filename (notes, "a.md", NULL);
  g_autofree char *b = g_build_filename (notes, "b.md", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  SdScanStats stats;

  sd_test_write_file (a, "# A\n");
  sd_test_write_file (b, "# B\n");
  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_cmpuint (stats.added, ==, 2);

  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_cmpuint (stats.added + stats.updated + stats.removed, ==, 0);
  g_assert_cmpuint (stats.unchanged, ==, 2);

  /* Content changed (size differs), one removed, one added. */
  sd_test_write_file (a, "# A renamed title\n");
  g_unlink (b);
  sd_test_write_in (notes, "c.md", "# C\n");
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_cmpuint (stats.updated, ==, 1);
  g_assert_cmpuint (stats.removed, ==, 1);
  g_assert_cmpuint (stats.added, ==, 1);

  files = sd_library_list_files (collection, &error);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpstr (find (files, "a.md")->title, ==, "A renamed title");
  g_assert_null (find (files, "b.md"));
  sd_test_rm_rf (dir);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *latin1 = g_build_filename (notes, "latin1.md", NULL);
  g_autofree char *binary = g_build_filename (notes, "binary.md", NULL);
  g_autofree char *loop = g_build_filename (notes, "loop.md", NULL);
  g_autofree char *dirloop = g_build_filename (notes, "sub", "back", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  SdScanStats stats;

  sd_test_write_in (notes, "good.md", "# Good\n");
  sd_test_write_in (notes, "sub/deep.md", "# Deep\n");
  g_assert_true (g_file_set_contents (latin1, "# Caf\xe9\n", -1, NULL));
  g_assert_true (g_file_set_contents (binary, "\x89PNG\r\n\x1a\n\0\0\0", 11, NULL));
  g_assert_cmpint (symlink ("loop.md", loop), ==, 0);
  g_assert_cmpint (symlink ("..", dirloop), ==, 0);

  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.failed, ==, 3);

  files = sd_library_list_files (collection, &error);
  g_assert_cmpuint (files->len, ==, 5);
  g_assert_cmpstr (find (files, "good.md")->error, ==, "");
  g_assert_cmpstr (find (files, "sub/deep.md")->error, ==, "");
  g_assert_nonnull (strstr (find (files, "latin1.md")->error, "not UTF-8"));
  g_assert_nonnull (strstr (find (files, "latin1.md")->error, "line 1"));
  g_assert_nonnull (strstr (find (files, "binary.md")->error, "binary"));
  g_assert_nonnull (strstr (find (files, "loop.md")->error, "loops"));
  sd_test_rm_rf (dir);
}

static void
test_cancelled_scan_changes_nothing (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;

  sd_test_write_in (notes, "a.md", "# A\n");
  sd_library_add_folder (collection, notes, &error);
  g_cancellable_cancel (cancellable);
  g_assert_false (sd_library_scan (collection, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  files = sd_library_list_files (collection, NULL);
  g_assert_cmpuint (files->len, ==, 0);
  sd_test_rm_rf (dir);
}

static void
test_fts_query (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "pod", "\"pod\"*" },
    { "pod ", "\"pod\"" },
    { "rolling upd", "\"rolling\" \"upd\"*" },
    { "\"rolling update\" kube", "\"rolling update\" \"kube\"*" },
    { "kube \"rolling update\"", "\"kube\" \"rolling update\"" },
    { "AND OR NOT", "\"AND\" \"OR\" \"NOT\"*" },
    { "say \"hi", "\"say\" \"hi\"" },
    { "col:umn (x) *", "\"col:umn\" \"(x)\" \"*\"*" },
    { "   ", NULL },
    { "\"\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fts = sd_library_fts_query (cases[i].in);
      g_assert_cmpstr (fts, ==, cases[i].out);
    }
}

static GPtrArray *
search (SdCollection *collection,
        const char   *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = sd_library_search (collection, query, 50, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

static void
test_search (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  SdNoteHit *hit;

  sd_test_write_in (notes, "body.md", "# Storage\n\nA volume outlives its pod.\n");
  sd_test_write_in (notes, "heading.md", "# Workloads\n\nIntro.\n\n## Volume mounts\n\nMounts go here.\n");
  sd_test_write_in (notes, "title.md", "# Volume basics\n\nAll about storage.\n");
  sd_test_write_in (notes, "french.md", "# Vocabulaire\n\nLe café est noir.\n");
  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Title beats heading beats body text. */
  hits = search (collection, "volume");
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_true (g_str_has_suffix (((SdNoteHit *) hits->pdata[0])->path, "title.md"));
  hit = hits->pdata[1];
  g_assert_true (g_str_has_suffix (hit->path, "heading.md"));
  g_assert_cmpstr (hit->heading, ==, "Volume mounts");
  g_assert_cmpint (hit->line, ==, 5);
  hit = hits->pdata[2];
  g_assert_true (g_str_has_suffix (hit->path, "body.md"));
  g_assert_cmpstr (hit->title, ==, "Storage");
  g_assert_cmpstr (hit->snippet, ==, "A " SD_LIBRARY_MATCH_START "volume" SD_LIBRARY_MATCH_END
                                     " outlives its pod. ");
  g_assert_cmpfloat (((SdNoteHit *) hits->pdata[0])->rank, <=, hit->rank);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Prefix while typing, accents folded, phrases, every word required. */
  hits = search (collection, "outli");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "cafe");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "\"outlives its\"");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "\"its outlives\"");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "volume café");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* A word being typed matches the start of words in titles and headings
   * from three letters, in the text from four; shorter, it is a whole word. */
  hits = search (collection, "vol");
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_true (g_str_has_suffix (((SdNoteHit *) hits->pdata[0])->path, "title.md"));
  g_assert_true (g_str_has_suffix (((SdNoteHit *) hits->pdata[1])->path, "heading.md"));
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "volu");
  g_assert_cmpuint (hits->len, ==, 3);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "pod");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((SdNoteHit *) hits->pdata[0])->snippet, ==,
                   "A volume outlives its " SD_LIBRARY_MATCH_START "pod" SD_LIBRARY_MATCH_END ". ");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "vo");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "storage vol");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_true (g_str_has_suffix (((SdNoteHit *) hits->pdata[0])->path, "title.md"));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* FTS5 syntax in the input is just text. */
  hits = search (collection, "NEAR( AND \" * -volume");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "");
  g_assert_cmpuint (hits->len, ==, 0);
  sd_test_rm_rf (dir);
}

static void
test_search_follows_changes (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *path = g_build_filename (notes, "a.md", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  sd_test_write_file (path, "# Alpha\n\nThe word is zebra.\n");
  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
  hits = search (collection, "zebra");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  sd_test_write_file (path, "# Alpha\n\nThe word is now giraffe, longer.\n");
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
  hits = search (collection, "zebra");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "giraffe");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  g_unlink (path);
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
  hits = search (collection, "giraffe");
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_true (sd_collection_check_integrity (collection, &error));
  sd_test_rm_rf (dir);
}

/* Sets a file's time, so a rescan sees a change however fast the test runs. */
static void
set_mtime (const char *path,
           time_t      stamp)
{
  struct utimbuf times = { stamp, stamp };

  g_assert_cmpint (utime (path, &times), ==, 0);
}

static guint
live_cards (SdCollection *collection,
            gint64        file_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) anchors = sd_note_cards_for_file (collection, file_id, &error);
  guint live = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < anchors->len; i++)
    live += !((SdNoteCardAnchor *) anchors->pdata[i])->retired;
  return live;
}

/* Enough notes that reader threads parse them while the scan writes; the
 * outcome must be that of reading them one by one. */
static void
test_many_notes (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *binary = g_build_filename (notes, "unit-1", "zz-binary.md", NULL);
  g_autofree char *gone = g_build_filename (notes, "unit-2", "note-59.md", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) headings = NULL;
  SdScanStats stats;
  SdNoteFile *file;
  const guint n = 60;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *relpath = g_strdup_printf ("unit-%u/note-%02u.md", i % 3, i);
      g_autofree char *path = g_build_filename (notes, relpath, NULL);
      g_autoptr(GString) text = g_string_new (NULL);

      /* Every seventh note holds a card; all name a deck in their front
       * matter, which is no card. */
      g_string_append_printf (text, "---\ndeck: Bench::Unit %u\n---\n# Note %u\n\nIntro %u.\n\n"
                              "## Part\n\nword%u and common text.\n",
                              i % 3, i, i, i);
      if (i % 7 == 0)
        g_string_append_printf (text, "\nQuestion %u :: Answer\n", i);
      sd_test_write_file (path, text->str);
      set_mtime (path, 1700000000);
    }
  g_assert_true (g_file_set_contents (binary, "\x89PNG\0", 5, NULL));

  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.added, ==, n);
  g_assert_cmpuint (stats.failed, ==, 1);

  files = sd_library_list_files (collection, &error);
  g_assert_cmpuint (files->len, ==, n + 1);
  file = find (files, "unit-0/note-21.md");
  g_assert_cmpstr (file->title, ==, "Note 21");
  g_assert_cmpuint (live_cards (collection, file->id), ==, 1);
  g_assert_cmpuint (live_cards (collection, find (files, "unit-1/note-22.md")->id), ==, 0);
  g_assert_nonnull (strstr (find (files, "unit-1/zz-binary.md")->error, "binary"));
  headings = sd_library_list_headings (collection, file->id, &error);
  g_assert_cmpuint (headings->len, ==, 2);
  g_assert_cmpstr (((SdNoteHeading *) headings->pdata[1])->text, ==, "Part");

  hits = search (collection, "word37 ");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_true (g_str_has_suffix (((SdNoteHit *) hits->pdata[0])->path, "note-37.md"));
  g_assert_cmpstr (((SdNoteHit *) hits->pdata[0])->heading, ==, "Part");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "common");
  g_assert_cmpuint (hits->len, ==, 50);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Touch every note, rewrite twenty without their cards, delete one. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/unit-%u/note-%02u.md", notes, i % 3, i);

      if (i < 20)
        {
          g_autofree char *text = g_strdup_printf ("# Renamed %u\n\nfresh%u\n", i, i);
          sd_test_write_file (path, text);
        }
      set_mtime (path, 1700000100);
    }
  g_assert_cmpint (g_unlink (gone), ==, 0);

  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.updated, ==, 20);
  g_assert_cmpuint (stats.unchanged, ==, n - 21);
  g_assert_cmpuint (stats.removed, ==, 1);
  g_assert_cmpuint (stats.failed, ==, 1);

  g_clear_pointer (&files, g_ptr_array_unref);
  files = sd_library_list_files (collection, &error);
  g_assert_cmpuint (files->len, ==, n);
  g_assert_cmpstr (find (files, "unit-1/note-07.md")->title, ==, "Renamed 7");
  g_assert_cmpuint (live_cards (collection, find (files, "unit-1/note-07.md")->id), ==, 0);
  g_assert_cmpuint (live_cards (collection, find (files, "unit-0/note-21.md")->id), ==, 1);

  hits = search (collection, "word7 ");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "fresh7 ");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (collection, "word59 ");
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_true (sd_collection_check_integrity (collection, &error));
  g_assert_no_error (error);
  sd_test_rm_rf (dir);
}

/* A word in more sections than a search ranks at typing speed: sections
 * whose title or heading has it still come first, however old, and the
 * ranks only grow down the list. */
static void
test_search_broad (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  SdNoteHit *hit;

  /* First in path order, so its sections are the oldest rows. */
  sd_test_write_in (notes, "aaa.md",
                    "# Everyday words\n\nNothing here.\n\n## Common ground\n\nAgain nothing.\n");
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("note-%03u.md", i);

      g_string_assign (text, "");
      g_string_append_printf (text, "# Note %u\n\n", i);
      for (guint k = 0; k < 8; k++)
        g_string_append_printf (text, "## Part %u\n\nA common word, said %u times.\n\n", k, k);
      sd_test_write_in (notes, name, text->str);
    }
  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
  g_assert_no_error (error);

  hits = search (collection, "common ");
  g_assert_cmpuint (hits->len, ==, 50);
  hit = hits->pdata[0];
  g_assert_true (g_str_has_suffix (hit->path, "aaa.md"));
  g_assert_cmpstr (hit->heading, ==, "Common ground");
  for (guint i = 1; i < hits->len; i++)
    {
      g_assert_false (g_str_has_suffix (((SdNoteHit *) hits->pdata[i])->path, "aaa.md"));
      g_assert_cmpfloat (((SdNoteHit *) hits->pdata[i - 1])->rank, <=,
                         ((SdNoteHit *) hits->pdata[i])->rank);
      g_assert_nonnull (strstr (((SdNoteHit *) hits->pdata[i])->snippet,
                                SD_LIBRARY_MATCH_START "common" SD_LIBRARY_MATCH_END));
    }
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/library/titles-and-headings", test_scan_titles_and_headings);
  g_test_add_func ("/studydeck/library/incremental", test_incremental);
  g_test_add_func ("/studydeck/library/bad-files", test_bad_files);
  g_test_add_func ("/studydeck/library/cancelled-scan", test_cancelled_scan_changes_nothing);
  g_test_add_func ("/studydeck/library/fts-query", test_fts_query);
  g_test_add_func ("/studydeck/library/search", test_search);
  g_test_add_func ("/studydeck/library/search-follows-changes", test_search_follows_changes);
  g_test_add_func ("/studydeck/library/search-broad", test_search_broad);
  g_test_add_func ("/studydeck/library/many-notes", test_many_notes);

  return g_test_run ();
}
