/* test-library-links.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-library.h"
#include "sd-library-links.h"
#include "sd-test-utils.h"

static void
test_resolve (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *from = g_build_filename (notes, "unit", "intro.md", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  struct { const char *target; gboolean wiki; const char *expected; } cases[] = {
    { "pods.md", FALSE, "unit/pods.md" },
    { "pods", FALSE, "unit/pods.md" },
    { "../glossary.md", FALSE, "glossary.md" },
    { "My%20Note.md", FALSE, "unit/My Note.md" },
    { "missing.md", FALSE, NULL },
    { "Pods", TRUE, "unit/pods.md" },          /* nearest wins over other/pods.md */
    { "other/pods", TRUE, "other/pods.md" },
    { "glossary", TRUE, "glossary.md" },
    { "Deep Thoughts", TRUE, "other/deep.md" }, /* by title */
    { "nowhere", TRUE, NULL },
    { "", TRUE, NULL },
  };

  sd_test_write_in (notes, "unit/intro.md", "# Intro\n");
  sd_test_write_in (notes, "unit/pods.md", "# Pods\n");
  sd_test_write_in (notes, "unit/My Note.md", "# Mine\n");
  sd_test_write_in (notes, "other/pods.md", "# Other pods\n");
  sd_test_write_in (notes, "other/deep.md", "# Deep Thoughts\n");
  sd_test_write_in (notes, "glossary.md", "# Glossary\n");
  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = sd_library_resolve_link (collection, from, cases[i].target,
                                                       cases[i].wiki);
      g_autofree char *expected = cases[i].expected
                                  ? g_build_filename (notes, cases[i].expected, NULL) : NULL;
      g_assert_cmpstr (path, ==, expected);
    }
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/library-links/resolve", test_resolve);

  return g_test_run ();
}
