/* test-library.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <unistd.h>

#include "sd-library.h"
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/library/titles-and-headings", test_scan_titles_and_headings);
  g_test_add_func ("/studydeck/library/incremental", test_incremental);
  g_test_add_func ("/studydeck/library/bad-files", test_bad_files);
  g_test_add_func ("/studydeck/library/cancelled-scan", test_cancelled_scan_changes_nothing);

  return g_test_run ();
}
