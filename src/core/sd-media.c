/* sd-media.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-media.h"

/**
 * sd_media_check_name:
 *
 * Media names come from packages other people made; a name must stay a
 * plain file name inside the media folder.
 */
gboolean
sd_media_check_name (const char  *name,
                     GError     **error)
{
  const char *problem = NULL;

  if (name == NULL || name[0] == '\0')
    problem = _("the name is empty");
  else if (!g_utf8_validate (name, -1, NULL))
    problem = _("the name is not valid UTF-8");
  else if (strlen (name) > 255)
    problem = _("the name is longer than 255 bytes");
  else if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL)
    problem = _("the name contains a folder separator");
  else if (g_str_equal (name, ".") || g_str_equal (name, ".."))
    problem = _("the name points outside the media folder");
  else
    {
      for (const char *p = name; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          {
            problem = _("the name contains a control character");
            break;
          }
    }

  if (problem != NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (name ? name : "", -1);
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Media file “%s” was refused: %s"), shown, problem);
      return FALSE;
    }
  return TRUE;
}

char *
sd_media_get_path (SdCollection *collection,
                   const char   *name)
{
  return g_build_filename (sd_collection_get_media_dir (collection), name, NULL);
}

static char *
stored_sha1 (SdCollection *collection,
             const char   *name)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT sha1 FROM media WHERE name = ?", NULL);
  char *sha1 = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    sha1 = sd_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return sha1;
}

static char *
name_with_hash (const char *name,
                const char *sha1)
{
  const char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    return g_strdup_printf ("%.*s-%.8s%s", (int) (dot - name), name, sha1, dot);
  return g_strdup_printf ("%s-%.8s", name, sha1);
}

/**
 * sd_media_add_bytes:
 * @created: (out) (optional): whether a new file was written
 *
 * Stores @data under @name in the media folder. The same content under the
 * same name is not written again; different content under a taken name is
 * stored under the name with a short content hash appended.
 *
 * Returns: (transfer full): the name the file is stored under
 */
char *
sd_media_add_bytes (SdCollection  *collection,
                    const char    *name,
                    GBytes        *data,
                    gboolean      *created,
                    GError       **error)
{
  g_autofree char *sha1 = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *final_name = NULL;
  g_autofree char *path = NULL;
  const char *dir = sd_collection_get_media_dir (collection);
  sqlite3_stmt *stmt;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  if (created != NULL)
    *created = FALSE;
  if (!sd_media_check_name (name, error))
    return NULL;

  sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, data);
  existing = stored_sha1 (collection, name);
  if (existing != NULL && g_str_equal (existing, sha1))
    return g_strdup (name);

  final_name = existing == NULL ? g_strdup (name) : name_with_hash (name, sha1);
  if (existing != NULL)
    {
      g_autofree char *again = stored_sha1 (collection, final_name);
      if (again != NULL && g_str_equal (again, sha1))
        return g_steal_pointer (&final_name);
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_IO,
                   _("Could not create the media folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  path = g_build_filename (dir, final_name, NULL);
  if (!g_file_set_contents_full (path, (const char *) bytes, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return NULL;

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO media (name, sha1, size, mtime) VALUES (?, ?, ?, ?)"
                                " ON CONFLICT (name) DO UPDATE SET sha1 = excluded.sha1,"
                                " size = excluded.size, mtime = excluded.mtime",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, final_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, sha1, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, size);
  sqlite3_bind_int64 (stmt, 4, sd_clock_now ());
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;

  if (created != NULL)
    *created = TRUE;
  return g_steal_pointer (&final_name);

fail:
  g_unlink (path);
  return NULL;
}

char *
sd_media_add_file (SdCollection  *collection,
                   const char    *path,
                   GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return sd_media_add_bytes (collection, base, bytes, NULL, error);
}

gboolean
sd_media_remove (SdCollection  *collection,
                 const char    *name,
                 GError       **error)
{
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt;

  if (!sd_media_check_name (name, error))
    return FALSE;

  stmt = sd_collection_prepare (collection, "DELETE FROM media WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;

  path = sd_media_get_path (collection, name);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_IO,
                   _("Could not remove media file “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

GStrv
sd_media_list (SdCollection  *collection,
               GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = sd_collection_prepare (collection, "SELECT name FROM media ORDER BY name",
                                              error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_strv_builder_end (builder);
}
