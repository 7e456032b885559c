/* test-note-file.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sys/stat.h>

#include "sd-note-file.h"
#include "sd-test-utils.h"

static void
test_read_checks (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *good = g_build_filename (dir, "good.md", NULL);
  g_autofree char *latin1 = g_build_filename (dir, "latin1.md", NULL);
  g_autofree char *binary = g_build_filename (dir, "binary.md", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.md", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *text = NULL;

  sd_test_write_file (good, "# Café\n");
  g_assert_true (g_file_set_contents (latin1, "ok\nline two\nCaf\xe9\n", -1, NULL));
  g_assert_true (g_file_set_contents (binary, "PK\3\4\0\0", 6, NULL));

  text = sd_note_file_read (good, &hash, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "# Café\n");
  g_assert_cmpuint (strlen (hash), ==, 64);

  g_assert_null (sd_note_file_read (latin1, NULL, &error));
  g_assert_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_NOT_UTF8);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  g_assert_null (sd_note_file_read (binary, NULL, &error));
  g_assert_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_BINARY);
  g_clear_error (&error);

  g_assert_null (sd_note_file_read (missing, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  sd_test_rm_rf (dir);
}

static void
test_save_atomic (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "note.md", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *new_hash = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GDir) listing = NULL;
  GStatBuf st;
  guint n = 0;

  sd_test_write_file (path, "# Draft\n");
  g_chmod (path, 0640);
  g_free (sd_note_file_read (path, &hash, &error));

  g_assert_true (sd_note_file_save (path, "# Final\n", hash, &new_hash, &error));
  g_assert_no_error (error);
  text = sd_note_file_read (path, NULL, &error);
  g_assert_cmpstr (text, ==, "# Final\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);

  /* No temporary file is left beside it. */
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 1);

  /* Someone else changed it meanwhile: nothing is overwritten. */
  sd_test_write_file (path, "# Changed elsewhere\n");
  g_assert_false (sd_note_file_save (path, "# Mine\n", new_hash, NULL, &error));
  g_assert_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_CONFLICT);
  g_clear_pointer (&text, g_free);
  text = sd_note_file_read (path, NULL, NULL);
  g_assert_cmpstr (text, ==, "# Changed elsewhere\n");
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/note-file/read-checks", test_read_checks);
  g_test_add_func ("/studydeck/note-file/save-atomic", test_save_atomic);

  return g_test_run ();
}
