/* sd-test-utils.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "sd-collection.h"

G_BEGIN_DECLS

/* A scratch folder per test, removed with everything in it afterwards. */
typedef struct
{
  char *dir;
} SdTestDir;

static inline void
sd_test_rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            sd_test_rm_rf (child);
          else
            g_unlink (child);
          g_free (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static inline char *
sd_test_make_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("studydeck-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline SdCollection *
sd_test_open_collection (const char *dir)
{
  GError *error = NULL;
  char *path = g_build_filename (dir, "collection.db", NULL);
  SdCollection *collection = sd_collection_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (collection);
  g_free (path);
  return collection;
}

static inline void
sd_test_write_file (const char *path,
                    const char *contents)
{
  GError *error = NULL;
  char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_free (dir);
}

static inline void
sd_test_write_in (const char *dir,
                  const char *relpath,
                  const char *contents)
{
  char *path = g_build_filename (dir, relpath, NULL);

  sd_test_write_file (path, contents);
  g_free (path);
}

G_END_DECLS
