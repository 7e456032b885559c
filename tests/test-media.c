/* test-media.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-media.h"
#include "sd-test-utils.h"

static void
test_add_and_dedupe (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cat = g_bytes_new_static ("meow", 4);
  g_autoptr(GBytes) dog = g_bytes_new_static ("woof", 4);
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *clash = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;
  gboolean created = FALSE;

  first = sd_media_add_bytes (collection, "pet.jpg", cat, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "pet.jpg");
  g_assert_true (created);

  again = sd_media_add_bytes (collection, "pet.jpg", cat, &created, &error);
  g_assert_cmpstr (again, ==, "pet.jpg");
  g_assert_false (created);

  clash = sd_media_add_bytes (collection, "pet.jpg", dog, &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (g_str_has_prefix (clash, "pet-"));
  g_assert_true (g_str_has_suffix (clash, ".jpg"));

  path = sd_media_get_path (collection, "pet.jpg");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "meow");

  names = sd_media_list (collection, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);

  g_assert_true (sd_media_remove (collection, "pet.jpg", &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  sd_test_rm_rf (dir);
}

static void
test_refuse_bad_names (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GBytes) data = g_bytes_new_static ("x", 1);
  const char *bad[] = { "", "../escape.txt", "/etc/passwd", "a/b.png", "..", "back\\slash.png",
                        "bell\a.png", "\xff\xfe.png" };
  g_auto(GStrv) names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = sd_media_add_bytes (collection, bad[i], data, NULL, &error);

      g_assert_null (name);
      g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "was refused"));
    }

  names = sd_media_list (collection, NULL);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  {
    g_autofree char *escaped = g_build_filename (dir, "escape.txt", NULL);
    g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
  }
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/media/add-and-dedupe", test_add_and_dedupe);
  g_test_add_func ("/studydeck/media/refuse-bad-names", test_refuse_bad_names);

  return g_test_run ();
}
