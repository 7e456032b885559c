/* test-library-watch.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-library.h"
#include "sd-library-watch.h"
#include "sd-test-utils.h"

static gboolean
wait_for (guint *counter,
          guint  at_least)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (*counter < at_least && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  return *counter >= at_least;
}

static void
count_cb (SdLibraryWatch *watch,
          guint          *counter)
{
  (*counter)++;
}

static void
test_events (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *sub = g_build_filename (notes, "later", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdLibraryWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  sd_test_write_in (notes, "a.md", "# A\n");
  sd_library_add_folder (collection, notes, &error);
  watch = sd_library_watch_new (collection);
  g_assert_false (sd_library_watch_needs_polling (watch));
  g_assert_cmpuint (sd_library_watch_get_n_monitors (watch), ==, 1);
  g_signal_connect (watch, "changed", G_CALLBACK (count_cb), &changed);

  /* A burst of writes settles into one signal. */
  for (int i = 0; i < 5; i++)
    sd_test_write_in (notes, "a.md", "# A again\n");
  g_assert_true (wait_for (&changed, 1));
  g_assert_cmpuint (changed, ==, 1);

  /* A folder created later is watched too. */
  g_mkdir (sub, 0700);
  g_assert_true (wait_for (&changed, 2));
  g_assert_cmpuint (sd_library_watch_get_n_monitors (watch), ==, 2);
  sd_test_write_in (sub, "b.md", "# B\n");
  g_assert_true (wait_for (&changed, 3));

  /* Hidden files (editor swap files) are ignored. */
  sd_test_write_in (notes, ".a.md.swp", "x");
  {
    gint64 end = g_get_monotonic_time () + 800 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  }
  g_assert_cmpuint (changed, ==, 3);
  sd_test_rm_rf (dir);
}

static void
test_portal_paths (void)
{
  g_assert_false (sd_library_path_is_watchable ("/run/user/1000/doc/3f2a1b/Notes"));
  g_assert_true (sd_library_path_is_watchable ("/home/student/Notes"));
  g_assert_true (sd_library_path_is_watchable ("/run/media/student/USB/doc"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/library-watch/events", test_events);
  g_test_add_func ("/studydeck/library-watch/portal-paths", test_portal_paths);

  return g_test_run ();
}
