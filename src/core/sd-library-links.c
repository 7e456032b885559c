/* sd-library-links.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sd-collection-private.h"
#include "sd-library.h"
#include "sd-library-links.h"

static gboolean
is_note_file (const char *path)
{
  return (g_str_has_suffix (path, ".md") || g_str_has_suffix (path, ".markdown"))
         && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* "Other.md", "Other" and "sub/Other" next to the linking note. */
static char *
resolve_relative (const char *from_dir,
                  const char *target)
{
  g_autofree char *unescaped = g_uri_unescape_string (target, NULL);
  g_autofree char *path = g_canonicalize_filename (unescaped ? unescaped : target, from_dir);
  g_autofree char *with_ext = NULL;

  if (is_note_file (path))
    return g_steal_pointer (&path);
  with_ext = g_strconcat (path, ".md", NULL);
  if (is_note_file (with_ext))
    return g_steal_pointer (&with_ext);
  return NULL;
}

static char *
strip_extension (const char *name)
{
  if (g_str_has_suffix (name, ".md"))
    return g_strndup (name, strlen (name) - 3);
  if (g_str_has_suffix (name, ".markdown"))
    return g_strndup (name, strlen (name) - 9);
  return g_strdup (name);
}

/**
 * sd_library_resolve_link:
 * @from_path: the note the link is in
 * @target: the link target without its "#heading" part
 * @wikilink: whether it was written as `[[target]]`
 *
 * Finds the note a link points at. A relative link is a path from the
 * linking note's folder. A wikilink names a note by file name (without
 * extension, any case) or by a path inside the library; when several notes
 * share the name, the one nearest the linking note wins; a note title
 * matches when no file name does.
 *
 * Returns: (transfer full) (nullable): the note's absolute path
 */
char *
sd_library_resolve_link (SdCollection *collection,
                         const char   *from_path,
                         const char   *target,
                         gboolean      wikilink)
{
  g_autofree char *from_dir = g_path_get_dirname (from_path);
  g_autofree char *wanted = NULL;
  g_autofree char *wanted_folded = NULL;
  g_autoptr(GPtrArray) files = NULL;
  char *found;
  const char *best = NULL;
  int best_score = G_MAXINT;

  if (target == NULL || target[0] == '\0')
    return NULL;

  found = resolve_relative (from_dir, target);
  if (found != NULL || !wikilink || collection == NULL)
    return found;

  files = sd_library_list_files (collection, NULL);
  if (files == NULL)
    return NULL;

  wanted = strip_extension (target);
  wanted_folded = g_utf8_casefold (wanted, -1);

  for (guint i = 0; i < files->len; i++)
    {
      SdNoteFile *file = g_ptr_array_index (files, i);
      g_autofree char *rel = strip_extension (file->relpath);
      g_autofree char *base = g_path_get_basename (rel);
      g_autofree char *rel_folded = g_utf8_casefold (rel, -1);
      g_autofree char *base_folded = g_utf8_casefold (base, -1);
      g_autofree char *dir = NULL;
      int score;

      if (!g_str_equal (base_folded, wanted_folded) && !g_str_equal (rel_folded, wanted_folded)
          && !g_str_has_suffix (rel_folded, wanted_folded))
        continue;
      if (g_str_has_suffix (rel_folded, wanted_folded) && !g_str_equal (rel_folded, wanted_folded)
          && rel_folded[strlen (rel_folded) - strlen (wanted_folded) - 1] != G_DIR_SEPARATOR)
        continue;

      /* Nearer is better: same folder first, then by path length. */
      dir = g_path_get_dirname (file->path);
      score = g_str_equal (dir, from_dir) ? 0 : 1 + (int) strlen (file->relpath);
      if (score < best_score)
        {
          best_score = score;
          best = file->path;
        }
    }

  if (best == NULL)
    {
      for (guint i = 0; i < files->len; i++)
        {
          SdNoteFile *file = g_ptr_array_index (files, i);
          g_autofree char *title = g_utf8_casefold (file->title, -1);
          if (g_str_equal (title, wanted_folded))
            {
              best = file->path;
              break;
            }
        }
    }

  return g_strdup (best);
}
