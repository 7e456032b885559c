/* sd-note-file.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sd-note-file.h"

G_DEFINE_QUARK (sd-note-file-error-quark, sd_note_file_error)

/**
 * sd_note_file_hash:
 *
 * Returns: (transfer full): the content hash the notes index stores
 */
char *
sd_note_file_hash (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/**
 * sd_note_file_check_text:
 * @contents: (transfer full): the bytes of a file
 *
 * Decides whether the bytes are a note we can show: UTF-8 text, not binary
 * data. Takes @contents either way.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL with @error naming
 *   the problem (and the line for invalid UTF-8)
 */
char *
sd_note_file_check_text (char    *contents,
                         gsize    len,
                         GError **error)
{
  g_autofree char *owned = contents;
  const char *bad = NULL;

  if (memchr (owned, '\0', len) != NULL)
    {
      g_set_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_BINARY,
                   _("The file is binary data, not a Markdown text"));
      return NULL;
    }

  if (!g_utf8_validate_len (owned, len, &bad))
    {
      gsize offset = bad - owned;
      guint line = 1;

      for (gsize i = 0; i < offset; i++)
        line += owned[i] == '\n';
      g_set_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_NOT_UTF8,
                   _("The note is not UTF-8 text (invalid byte on line %u); save it as "
                     "UTF-8 to read it here"),
                   line);
      return NULL;
    }

  return g_steal_pointer (&owned);
}

/**
 * sd_note_file_read:
 * @hash: (out) (optional): the content hash, for a later save
 *
 * Returns: (transfer full) (nullable): the note's text
 */
char *
sd_note_file_read (const char  *path,
                   char       **hash,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  GStatBuf st;
  char *text;
  gsize len;

  if (g_stat (path, &st) == 0 && st.st_size > SD_NOTE_FILE_MAX_SIZE)
    {
      g_set_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_TOO_LARGE,
                   _("The note is larger than %d MB and is not opened"),
                   SD_NOTE_FILE_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;

  text = sd_note_file_check_text (g_steal_pointer (&contents), len, error);
  if (text != NULL && hash != NULL)
    *hash = sd_note_file_hash (text);
  return text;
}

/**
 * sd_note_file_save:
 * @expected_hash: (nullable): the hash of the text the editor started from;
 *   when the file on disk no longer has it, nothing is written and the
 *   error is %SD_NOTE_FILE_ERROR_CONFLICT
 * @new_hash: (out) (optional): the hash of what was written
 *
 * Writes a note atomically (a temporary file renamed over the old one, so a
 * crash leaves the old or the new note, never half of one) and keeps the
 * file's permissions.
 */
gboolean
sd_note_file_save (const char  *path,
                   const char  *text,
                   const char  *expected_hash,
                   char       **new_hash,
                   GError     **error)
{
  GStatBuf st;
  int mode = 0644;

  if (expected_hash != NULL)
    {
      g_autoptr(GError) read_error = NULL;
      g_autofree char *current_hash = NULL;
      g_autofree char *current = sd_note_file_read (path, &current_hash, &read_error);

      if (current == NULL && !g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
      if (current != NULL && g_strcmp0 (current_hash, expected_hash) != 0)
        {
          g_set_error (error, SD_NOTE_FILE_ERROR, SD_NOTE_FILE_ERROR_CONFLICT,
                       _("The note changed on disk since it was opened"));
          return FALSE;
        }
    }

  if (g_stat (path, &st) == 0)
    mode = st.st_mode & 07777;

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, mode, error))
    return FALSE;
  /* The umask may have narrowed the new file; the note keeps its mode. */
  g_chmod (path, mode);

  if (new_hash != NULL)
    *new_hash = sd_note_file_hash (text);
  return TRUE;
}
