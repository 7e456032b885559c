/* sd-note.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-html-text.h"
#include "sd-note.h"
#include "sd-notetype.h"

SdNote *
sd_note_new (gint64              notetype_id,
             const char * const *fields)
{
  SdNote *note = g_new0 (SdNote, 1);

  note->guid = sd_note_new_guid ();
  note->notetype_id = notetype_id;
  note->fields = g_strdupv ((char **) fields);
  note->tags = g_new0 (char *, 1);
  note->source_heading = g_strdup ("");
  note->anki_extra = g_strdup ("");
  return note;
}

void
sd_note_free (SdNote *note)
{
  if (note == NULL)
    return;
  g_free (note->guid);
  g_strfreev (note->fields);
  g_strfreev (note->tags);
  g_free (note->source_heading);
  g_free (note->anki_extra);
  g_free (note);
}

/**
 * sd_note_new_guid:
 *
 * Returns: (transfer full): a random 64-bit number written in base 91 with
 *   the alphabet Anki uses, so our guids look like Anki's own
 */
char *
sd_note_new_guid (void)
{
  static const char alphabet[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "!#$%&()*+,-./:;<=>?@[]^_`{|}~";
  guint64 value = ((guint64) g_random_int () << 32) | g_random_int ();
  char buf[16];
  int pos = sizeof buf - 1;

  G_STATIC_ASSERT (sizeof alphabet - 1 == 91);

  buf[pos] = '\0';
  do
    {
      buf[--pos] = alphabet[value % 91];
      value /= 91;
    }
  while (value > 0);
  return g_strdup (buf + pos);
}

/**
 * sd_note_join_tags:
 *
 * Returns: (transfer full): tags in Anki's column form, " a b ", or "" when empty
 */
char *
sd_note_join_tags (const char * const *tags)
{
  g_autofree char *joined = NULL;

  if (tags == NULL || tags[0] == NULL)
    return g_strdup ("");
  joined = g_strjoinv (" ", (char **) tags);
  return g_strconcat (" ", joined, " ", NULL);
}

/* Anki separates tags by white space and the ideographic space U+3000.
 * The bytes of U+3000 are matched as one character: its lead byte E3 also
 * starts every kana, so splitting on single bytes would cut those apart. */
static gsize
tag_separator_length (const char *p)
{
  if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    return 1;
  if ((guchar) p[0] == 0xe3 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0x80)
    return 3;
  return 0;
}

/**
 * sd_note_split_tags:
 *
 * Splits on runs of white space (and U+3000) and drops duplicates
 * (case-insensitively, as Anki treats tags).
 *
 * Returns: (transfer full): the tags
 */
GStrv
sd_note_split_tags (const char *text)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) folded = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) many = NULL;
  const char *p = text != NULL ? text : "";

  for (;;)
    {
      const char *start;
      gboolean ascii = TRUE;
      gboolean seen = FALSE;
      gsize skip;
      char *tag, *fold;

      while ((skip = tag_separator_length (p)) > 0)
        p += skip;
      if (*p == '\0')
        break;
      for (start = p; *p != '\0' && tag_separator_length (p) == 0; p++)
        ascii = ascii && (guchar) *p < 0x80;

      tag = g_strndup (start, (gsize) (p - start));
      fold = ascii ? g_ascii_strdown (tag, -1) : g_utf8_casefold (tag, -1);
      /* A note has a handful of tags: a linear search beats building a
       * hash table for each of the many notes an import splits. A table
       * takes over for the odd note with very many. */
      if (many == NULL && folded->len == 16)
        {
          many = g_hash_table_new (g_str_hash, g_str_equal);
          for (guint i = 0; i < folded->len; i++)
            g_hash_table_add (many, g_ptr_array_index (folded, i));
        }
      if (many != NULL)
        seen = g_hash_table_contains (many, fold);
      else
        for (guint i = 0; i < folded->len && !seen; i++)
          seen = strcmp (g_ptr_array_index (folded, i), fold) == 0;
      if (seen)
        {
          g_free (tag);
          g_free (fold);
          continue;
        }
      g_ptr_array_add (tags, tag);
      g_ptr_array_add (folded, fold);
      if (many != NULL)
        g_hash_table_add (many, fold);
    }

  g_ptr_array_add (tags, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

static gboolean
check_fields (const SdNotetype  *notetype,
              SdNote            *note,
              char             **sort_field,
              guint32           *checksum,
              GError           **error)
{
  guint n = note->fields ? g_strv_length (note->fields) : 0;

  if (notetype == NULL || notetype->id != note->notetype_id)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Note uses note type %" G_GINT64_FORMAT ", which does not exist"),
                   note->notetype_id);
      return FALSE;
    }

  if (n != notetype->fields->len)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Note has %u fields but its note type “%s” has %u"),
                   n, notetype->name, notetype->fields->len);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    if (!g_utf8_validate (note->fields[i], -1, NULL))
      {
        const SdField *field = g_ptr_array_index (notetype->fields, i);
        g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                     _("Field “%s” of the note is not valid UTF-8 text"), field->name);
        return FALSE;
      }

  *sort_field = sd_html_text_sort_field (note->fields[MIN (notetype->sort_field, n - 1)]);
  *checksum = sd_html_text_field_checksum (note->fields[0]);
  return TRUE;
}

static gboolean
write_note (SdCollection      *collection,
            const SdNotetype  *notetype,
            SdNote            *note,
            const char        *sql,
            GError           **error)
{
  g_autoptr(SdNotetype) loaded = NULL;
  g_autofree char *sort_field = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *tags = NULL;
  guint32 checksum = 0;
  sqlite3_stmt *stmt;

  if (notetype == NULL)
    notetype = loaded = sd_notetype_load (collection, note->notetype_id, NULL);
  if (!check_fields (notetype, note, &sort_field, &checksum, error))
    return FALSE;

  if (note->mtime == 0)
    note->mtime = sd_clock_now ();
  fields = g_strjoinv (SD_NOTE_FIELD_SEPARATOR, note->fields);
  tags = sd_note_join_tags ((const char * const *) note->tags);

  stmt = sd_collection_prepare (collection, sql, error);
  if (stmt == NULL)
    return FALSE;
  sd_bind_text (stmt, 1, note->guid);
  sqlite3_bind_int64 (stmt, 2, note->notetype_id);
  sd_bind_text (stmt, 3, fields);
  sd_bind_text (stmt, 4, sort_field);
  sqlite3_bind_int64 (stmt, 5, checksum);
  sd_bind_text (stmt, 6, tags);
  sqlite3_bind_int64 (stmt, 7, note->mtime);
  if (note->source_file != 0)
    sqlite3_bind_int64 (stmt, 8, note->source_file);
  else
    sqlite3_bind_null (stmt, 8);
  sd_bind_text (stmt, 9, note->source_heading ? note->source_heading : "");
  sd_bind_text (stmt, 10, note->anki_extra ? note->anki_extra : "");
  sqlite3_bind_int64 (stmt, 11, note->id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}

/**
 * sd_note_insert:
 *
 * Saves a new note (without cards; see sd_card_generate_for_note()). A zero
 * id gets a fresh one.
 */
gboolean
sd_note_insert (SdCollection  *collection,
                SdNote        *note,
                GError       **error)
{
  return sd_note_insert_for_type (collection, note, NULL, error);
}

/**
 * sd_note_insert_for_type:
 * @notetype: (nullable): the note's note type when the caller has it loaded
 *   already (an import of many notes), or %NULL
 *
 * Like sd_note_insert(), without reading the note type again.
 */
gboolean
sd_note_insert_for_type (SdCollection      *collection,
                         SdNote            *note,
                         const SdNotetype  *notetype,
                         GError           **error)
{
  if (note->id == 0)
    note->id = sd_collection_new_id (collection, "notes");
  if (note->guid == NULL || note->guid[0] == '\0')
    {
      g_free (note->guid);
      note->guid = sd_note_new_guid ();
    }
  return write_note (collection, notetype, note,
                     "INSERT INTO notes (guid, notetype_id, fields, sort_field, checksum, tags,"
                     " mtime, source_file, source_heading, anki_extra, id)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     error);
}

gboolean
sd_note_update (SdCollection  *collection,
                SdNote        *note,
                GError       **error)
{
  note->mtime = sd_clock_now ();
  if (!write_note (collection, NULL, note,
                   "UPDATE notes SET guid = ?, notetype_id = ?, fields = ?, sort_field = ?,"
                   " checksum = ?, tags = ?, mtime = ?, source_file = ?, source_heading = ?,"
                   " anki_extra = ? WHERE id = ?",
                   error))
    return FALSE;
  if (sqlite3_changes (sd_collection_get_db (collection)) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Note %" G_GINT64_FORMAT " does not exist"), note->id);
      return FALSE;
    }
  return TRUE;
}

SdNote *
sd_note_load (SdCollection  *collection,
              gint64         id,
              GError       **error)
{
  sqlite3_stmt *stmt;
  SdNote *note = NULL;

  stmt = sd_collection_prepare (collection,
                                "SELECT guid, notetype_id, fields, tags, mtime,"
                                " coalesce (source_file, 0), source_heading, anki_extra"
                                " FROM notes WHERE id = ?",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      note = g_new0 (SdNote, 1);
      note->id = id;
      note->guid = sd_column_dup (stmt, 0);
      note->notetype_id = sqlite3_column_int64 (stmt, 1);
      note->fields = g_strsplit ((const char *) sqlite3_column_text (stmt, 2),
                                 SD_NOTE_FIELD_SEPARATOR, -1);
      note->tags = sd_note_split_tags ((const char *) sqlite3_column_text (stmt, 3));
      note->mtime = sqlite3_column_int64 (stmt, 4);
      note->source_file = sqlite3_column_int64 (stmt, 5);
      note->source_heading = sd_column_dup (stmt, 6);
      note->anki_extra = sd_column_dup (stmt, 7);
    }
  else
    g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                 _("Note %" G_GINT64_FORMAT " does not exist"), id);
  sqlite3_reset (stmt);
  return note;
}

static int
compare_tags (gconstpointer a,
              gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sd_note_all_tags:
 *
 * Returns: (transfer full): every tag in use, sorted, for completion
 */
GStrv
sd_note_all_tags (SdCollection  *collection,
                  GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT DISTINCT tags FROM notes WHERE tags <> ''",
                                              error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GStrv) split = sd_note_split_tags ((const char *) sqlite3_column_text (stmt, 0));
      for (guint i = 0; split[i] != NULL; i++)
        if (!g_hash_table_contains (seen, split[i]))
          {
            char *tag = g_strdup (split[i]);
            g_hash_table_add (seen, tag);
            g_ptr_array_add (tags, tag);
          }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }

  g_ptr_array_sort (tags, compare_tags);
  g_ptr_array_add (tags, NULL);
  {
    GStrv out = g_strdupv ((char **) tags->pdata);
    return out;
  }
}

gint64
sd_note_find_by_guid (SdCollection *collection,
                      const char   *guid)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT id FROM notes WHERE guid = ?", NULL);
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

/* Cards and their review log go with the note (ON DELETE CASCADE). */
gboolean
sd_note_delete (SdCollection  *collection,
                gint64         id,
                GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, "DELETE FROM notes WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}
