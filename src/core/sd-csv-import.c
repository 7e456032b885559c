/* sd-csv-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-card.h"
#include "sd-cloze.h"
#include "sd-collection-private.h"
#include "sd-csv-import.h"
#include "sd-deck.h"
#include "sd-html-text.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-template.h"

G_DEFINE_QUARK (sd-csv-import-error-quark, sd_csv_import_error)

/* Anki's Delimiter enum order, which is also the detection order. */
static const struct
{
  const char *name;
  gunichar    c;
} delimiters[] = {
  { "tab", '\t' }, { "pipe", '|' }, { "semicolon", ';' }, { "colon", ':' }, { "comma", ',' },
  { "space", ' ' },
};

void
sd_csv_import_options_init (SdCsvImportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->html = -1;
  options->tags_column = -1;
  options->deck_column = -1;
  options->notetype_column = -1;
  options->guid_column = -1;
}

typedef struct
{
  GPtrArray *fields;   /* char * */
  guint      line;
} Record;

static void
record_free (Record *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

/* Splits @text (after the headers) into records; quoted fields may hold the
 * separator, newlines and "" for a quote. Lines starting with # are comments. */
static GPtrArray *
parse_records (const char  *text,
               gunichar     separator,
               guint        first_line,
               const char  *name,
               GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  const char *p = text;
  guint line = first_line;

  while (*p != '\0')
    {
      Record *record;
      gboolean end_of_record = FALSE;

      /* Blank lines and comments between records. */
      if (*p == '\n' || (*p == '\r' && p[1] == '\n'))
        {
          p += *p == '\r' ? 2 : 1;
          line++;
          continue;
        }
      if (*p == '#')
        {
          while (*p != '\0' && *p != '\n')
            p++;
          continue;
        }

      record = g_new0 (Record, 1);
      record->fields = g_ptr_array_new_with_free_func (g_free);
      record->line = line;
      g_ptr_array_add (records, record);

      while (!end_of_record)
        {
          GString *field = g_string_new (NULL);

          if (*p == '"')
            {
              guint start_line = line;

              p++;
              for (;;)
                {
                  if (*p == '\0')
                    {
                      g_string_free (field, TRUE);
                      g_set_error (error, SD_CSV_IMPORT_ERROR, SD_CSV_IMPORT_ERROR_SYNTAX,
                                   _("“%s”, line %u: a quoted field is never closed"),
                                   name, start_line);
                      return NULL;
                    }
                  if (*p == '"' && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                    }
                  else if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  else
                    {
                      if (*p == '\n')
                        line++;
                      g_string_append_c (field, *p++);
                    }
                }
              /* Text after the closing quote belongs to the field, as the
               * csv crate Anki uses reads it. */
            }

          for (;;)
            {
              gunichar c = g_utf8_get_char (p);

              if (*p == '\0')
                {
                  end_of_record = TRUE;
                  break;
                }
              if (*p == '\n' || (*p == '\r' && p[1] == '\n'))
                {
                  p += *p == '\r' ? 2 : 1;
                  line++;
                  end_of_record = TRUE;
                  break;
                }
              if (c == separator)
                {
                  p = g_utf8_next_char (p);
                  break;
                }
              g_string_append_unichar (field, c);
              p = g_utf8_next_char (p);
            }
          g_ptr_array_add (record->fields, g_string_free (field, FALSE));
        }
    }

  return g_steal_pointer (&records);
}

typedef struct
{
  SdCollection             *collection;
  const char               *name;
  SdCsvImportOptions        options;
  gunichar                  separator;
  gboolean                  html;
  char                     *deck;
  char                     *notetype;
  GStrv                     columns;        /* #columns: labels */
  GStrv                     global_tags;
  GHashTable               *notetypes;      /* name -> SdNotetype */
  GHashTable               *decks;          /* name -> gint64 * */
  SdImportStats             stats;
} CsvImport;

static gboolean
parse_delimiter (const char *value,
                 gunichar   *out)
{
  g_autofree char *lower = g_ascii_strdown (value, -1);

  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    if (g_str_equal (lower, delimiters[i].name)
        || (value[0] == (char) delimiters[i].c && value[1] == '\0'))
      {
        *out = delimiters[i].c;
        return TRUE;
      }
  return FALSE;
}

/* Reads the leading #key:value lines; returns where the records start. */
static const char *
parse_headers (CsvImport   *imp,
               const char  *text,
               guint       *line)
{
  const char *p = text;

  while (*p == '#')
    {
      const char *end = strchr (p, '\n');
      g_autofree char *header = g_strndup (p + 1, end ? (gsize) (end - p - 1) : strlen (p + 1));
      char *colon = strchr (header, ':');

      g_strchomp (header);
      if (colon != NULL)
        {
          g_autofree char *key = g_ascii_strdown (header, colon - header);
          char *value = colon + 1;
          int column;

          g_strstrip (key);
          column = (int) g_ascii_strtoll (value, NULL, 10);
          if (g_str_equal (key, "separator"))
            parse_delimiter (value, &imp->separator);
          else if (g_str_equal (key, "html"))
            imp->html = imp->options.html >= 0 ? imp->options.html
                                               : g_ascii_strncasecmp (g_strstrip (value), "true", 4) == 0;
          else if (g_str_equal (key, "deck"))
            {
              g_free (imp->deck);
              imp->deck = g_strdup (g_strstrip (value));
            }
          else if (g_str_equal (key, "notetype"))
            {
              g_free (imp->notetype);
              imp->notetype = g_strdup (g_strstrip (value));
            }
          else if (g_str_equal (key, "tags"))
            {
              g_strfreev (imp->global_tags);
              imp->global_tags = sd_note_split_tags (value);
            }
          else if (g_str_equal (key, "columns"))
            {
              g_strfreev (imp->columns);
              imp->columns = NULL;
              if (imp->separator != 0)
                {
                  g_autoptr(GPtrArray) labels = parse_records (value, imp->separator, 0, imp->name, NULL);
                  if (labels != NULL && labels->len == 1)
                    {
                      Record *r = g_ptr_array_index (labels, 0);
                      g_ptr_array_add (r->fields, NULL);
                      imp->columns = g_strdupv ((char **) r->fields->pdata);
                    }
                }
              else
                imp->columns = g_strsplit (value, "\t", -1);
            }
          else if (g_str_equal (key, "tags column") && imp->options.tags_column < 0)
            imp->options.tags_column = column;
          else if (g_str_equal (key, "deck column") && imp->options.deck_column < 0)
            imp->options.deck_column = column;
          else if (g_str_equal (key, "notetype column") && imp->options.notetype_column < 0)
            imp->options.notetype_column = column;
          else if (g_str_equal (key, "guid column") && imp->options.guid_column < 0)
            imp->options.guid_column = column;
        }
      (*line)++;
      if (end == NULL)
        return p + strlen (p);
      p = end + 1;
    }
  return p;
}

static SdNotetype *
lookup_notetype (CsvImport   *imp,
                 const char  *name,
                 GError     **error)
{
  SdNotetype *notetype = g_hash_table_lookup (imp->notetypes, name ? name : "");

  if (notetype != NULL)
    return notetype;

  if (name == NULL || name[0] == '\0')
    notetype = sd_notetype_find_stock (imp->collection, SD_STOCK_BASIC, NULL);
  else
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (name, &end, 10);

      notetype = sd_notetype_find_by_name (imp->collection, name, NULL);
      if (notetype == NULL && end != name && *end == '\0')
        notetype = sd_notetype_load (imp->collection, id, NULL);
    }

  if (notetype == NULL)
    {
      g_set_error (error, SD_CSV_IMPORT_ERROR, SD_CSV_IMPORT_ERROR_NOTETYPE,
                   _("“%s”: there is no note type called “%s”"), imp->name,
                   name && name[0] ? name : "Basic");
      return NULL;
    }
  g_hash_table_insert (imp->notetypes, g_strdup (name ? name : ""), notetype);
  return notetype;
}

static gint64
lookup_deck (CsvImport   *imp,
             const char  *name,
             GError     **error)
{
  gint64 *cached = g_hash_table_lookup (imp->decks, name);
  gint64 id;

  if (cached != NULL)
    return *cached;
  id = sd_deck_find (imp->collection, name);
  if (id == 0)
    {
      id = sd_deck_ensure (imp->collection, name, error);
      if (id == 0)
        return 0;
      imp->stats.decks++;
    }
  g_hash_table_insert (imp->decks, g_strdup (name), g_memdup2 (&id, sizeof id));
  return id;
}

static const char *
column (Record *record,
        int     index)
{
  if (index <= 0 || (guint) index > record->fields->len)
    return NULL;
  return g_ptr_array_index (record->fields, index - 1);
}

static char *
field_value (CsvImport  *imp,
             const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (imp->html)
    return g_strdup (text);
  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '&': g_string_append (out, "&amp;"); break;
      case '\n': g_string_append (out, "<br>"); break;
      case '\r': break;
      default: g_string_append_c (out, *p);
      }
  return g_string_free (out, FALSE);
}

/* Cards Anki would make for a new note: templates with a non-empty front,
 * or one per cloze number. */
static gboolean
add_cards (CsvImport   *imp,
           SdNote      *note,
           SdNotetype  *notetype,
           gint64       deck_id,
           GError     **error)
{
  g_autoptr(GArray) ords = sd_card_ords_for_note (notetype, note);

  for (guint i = 0; i < ords->len; i++)
    {
      int ord = (int) g_array_index (ords, guint, i);
      g_autoptr(SdCard) card = NULL;
      sqlite3_stmt *exists = sd_collection_prepare (imp->collection,
                                                    "SELECT 1 FROM cards WHERE note_id = ?"
                                                    " AND ord = ?", error);
      gboolean found;

      if (exists == NULL)
        return FALSE;
      sqlite3_bind_int64 (exists, 1, note->id);
      sqlite3_bind_int (exists, 2, ord);
      found = sqlite3_step (exists) == SQLITE_ROW;
      sqlite3_reset (exists);
      if (found)
        continue;

      card = sd_card_new (note->id, deck_id, ord);
      if (!sd_card_insert (imp->collection, card, error))
        return FALSE;
      imp->stats.cards++;
    }
  return TRUE;
}

static gint64
find_duplicate (CsvImport  *imp,
                SdNote     *note)
{
  sqlite3_stmt *stmt = sd_collection_prepare (imp->collection,
                                              "SELECT id, fields FROM notes WHERE notetype_id = ?"
                                              " AND checksum = ?", NULL);
  gint64 found = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, note->notetype_id);
  sqlite3_bind_int64 (stmt, 2, sd_html_text_field_checksum (note->fields[0]));
  while (found == 0 && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *fields = (const char *) sqlite3_column_text (stmt, 1);
      const char *sep = strstr (fields, SD_NOTE_FIELD_SEPARATOR);
      gsize len = sep ? (gsize) (sep - fields) : strlen (fields);

      if (strlen (note->fields[0]) == len && strncmp (fields, note->fields[0], len) == 0)
        found = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_reset (stmt);
  return found;
}

static gboolean
import_record (CsvImport  *imp,
               Record     *record,
               GError    **error)
{
  const SdCsvImportOptions *o = &imp->options;
  SdNotetype *notetype;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) meta = g_hash_table_new (NULL, NULL);
  const char *deck_name;
  const char *guid = column (record, o->guid_column);
  const char *tags = column (record, o->tags_column);
  gint64 deck_id, existing = 0;
  int next_column = 1;

  notetype = lookup_notetype (imp, o->notetype_column > 0
                                   ? column (record, o->notetype_column) : imp->notetype, error);
  if (notetype == NULL)
    {
      g_prefix_error (error, _("line %u: "), record->line);
      return FALSE;
    }
  deck_name = o->deck_column > 0 ? column (record, o->deck_column) : NULL;
  if (deck_name == NULL || deck_name[0] == '\0')
    deck_name = imp->deck ? imp->deck : "Default";

  g_hash_table_add (meta, GINT_TO_POINTER (o->tags_column));
  g_hash_table_add (meta, GINT_TO_POINTER (o->deck_column));
  g_hash_table_add (meta, GINT_TO_POINTER (o->notetype_column));
  g_hash_table_add (meta, GINT_TO_POINTER (o->guid_column));

  {
    gboolean by_label = FALSE;

    /* #columns: labels naming the fields map by name. */
    for (guint i = 0; imp->columns != NULL && o->field_columns == NULL
                      && i < notetype->fields->len; i++)
      for (guint j = 0; imp->columns[j] != NULL; j++)
        by_label |= g_ascii_strcasecmp (imp->columns[j],
                                        ((SdField *) g_ptr_array_index (notetype->fields, i))->name) == 0;

    for (guint i = 0; i < notetype->fields->len; i++)
      {
        const SdField *field = g_ptr_array_index (notetype->fields, i);
        int index = 0;

        if (o->field_columns != NULL)
          index = i < o->n_field_columns ? o->field_columns[i] : 0;
        else if (by_label)
          {
            for (guint j = 0; imp->columns[j] != NULL; j++)
              if (g_ascii_strcasecmp (imp->columns[j], field->name) == 0)
                index = (int) j + 1;
          }
        else
          {
            while (g_hash_table_contains (meta, GINT_TO_POINTER (next_column)))
              next_column++;
            index = next_column++;
          }
        g_ptr_array_add (fields, field_value (imp, column (record, index)));
      }
  }
  g_ptr_array_add (fields, NULL);

  note = sd_note_new (notetype->id, (const char * const *) fields->pdata);
  g_strfreev (note->tags);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) own = sd_note_split_tags (tags);

    g_strv_builder_addv (builder, (const char **) own);
    if (imp->global_tags != NULL)
      g_strv_builder_addv (builder, (const char **) imp->global_tags);
    if (o->extra_tags != NULL)
      g_strv_builder_addv (builder, (const char **) o->extra_tags);
    {
      g_auto(GStrv) all = g_strv_builder_end (builder);
      g_autofree char *joined = g_strjoinv (" ", all);
      note->tags = sd_note_split_tags (joined);
    }
  }

  for (guint i = 0; note->fields[i] != NULL; i++)
    if (!g_utf8_validate (note->fields[i], -1, NULL))
      {
        g_set_error (error, SD_CSV_IMPORT_ERROR, SD_CSV_IMPORT_ERROR_ENCODING,
                     _("“%s”, line %u: not valid UTF-8 text"), imp->name, record->line);
        return FALSE;
      }

  deck_id = lookup_deck (imp, deck_name, error);
  if (deck_id == 0)
    return FALSE;

  if (guid != NULL && guid[0] != '\0')
    {
      g_free (note->guid);
      note->guid = g_strdup (guid);
      existing = sd_note_find_by_guid (imp->collection, guid);
    }
  else
    existing = find_duplicate (imp, note);

  if (existing != 0)
    {
      g_autoptr(SdNote) old = sd_note_load (imp->collection, existing, error);
      gboolean same = TRUE;

      if (old == NULL)
        return FALSE;
      if (old->notetype_id != note->notetype_id)
        {
          imp->stats.skipped++;
          return TRUE;
        }
      same = g_strv_equal ((const char * const *) old->fields, (const char * const *) note->fields)
             && g_strv_equal ((const char * const *) old->tags, (const char * const *) note->tags);
      if (same)
        {
          imp->stats.skipped++;
          return TRUE;
        }
      g_strfreev (old->fields);
      old->fields = g_steal_pointer (&note->fields);
      g_strfreev (old->tags);
      old->tags = g_steal_pointer (&note->tags);
      if (!sd_note_update (imp->collection, old, error)
          || !add_cards (imp, old, notetype, deck_id, error))
        return FALSE;
      imp->stats.updated++;
      return TRUE;
    }

  if (!sd_note_insert (imp->collection, note, error)
      || !add_cards (imp, note, notetype, deck_id, error))
    {
      g_prefix_error (error, _("“%s”, line %u: "), imp->name, record->line);
      return FALSE;
    }
  imp->stats.notes++;
  return TRUE;
}

/**
 * sd_csv_import_text:
 * @text: the file's contents
 * @len: its length, or -1 when NUL-terminated
 * @name: the file name used in messages
 *
 * As sd_csv_import_file(), on text already in memory.
 */
gboolean
sd_csv_import_text (SdCollection              *collection,
                    const char                *text,
                    gssize                     len,
                    const char                *name,
                    const SdCsvImportOptions  *options,
                    SdImportProgress           progress,
                    gpointer                   progress_data,
                    GCancellable              *cancellable,
                    SdImportStats             *stats,
                    GError                   **error)
{
  CsvImport imp = { 0 };
  g_autofree char *copy = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *body;
  const char *invalid = NULL;
  guint line = 1;
  gboolean ok = FALSE;
  gint64 decks_before;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);

  copy = len < 0 ? g_strdup (text) : g_strndup (text, (gsize) len);
  if ((len >= 0 && memchr (text, '\0', (gsize) len) != NULL)
      || !g_utf8_validate (copy, -1, &invalid))
    {
      guint bad_line = 1;
      for (const char *p = copy; invalid != NULL && p < invalid; p++)
        bad_line += *p == '\n';
      g_set_error (error, SD_CSV_IMPORT_ERROR, SD_CSV_IMPORT_ERROR_ENCODING,
                   _("“%s”, line %u: not valid UTF-8 text; save the file as UTF-8"),
                   name, bad_line);
      return FALSE;
    }

  imp.collection = collection;
  imp.name = name;
  if (options != NULL)
    imp.options = *options;
  else
    sd_csv_import_options_init (&imp.options);
  imp.separator = imp.options.separator;
  imp.html = imp.options.html > 0;
  imp.deck = g_strdup (imp.options.deck);
  imp.notetype = g_strdup (imp.options.notetype);
  imp.notetypes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) sd_notetype_free);
  imp.decks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  body = copy;
  if (g_str_has_prefix (body, "\xef\xbb\xbf"))
    body += 3;
  body = parse_headers (&imp, body, &line);
  if (imp.options.deck != NULL)
    g_free (imp.deck), imp.deck = g_strdup (imp.options.deck);
  if (imp.options.notetype != NULL)
    g_free (imp.notetype), imp.notetype = g_strdup (imp.options.notetype);
  if (imp.options.separator != 0)
    imp.separator = imp.options.separator;

  if (imp.separator == 0)
    {
      const char *first = body;
      gsize window = MIN (strlen (first), 8192);

      imp.separator = ' ';
      for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
        if (memchr (first, (int) delimiters[i].c, window) != NULL)
          {
            imp.separator = delimiters[i].c;
            break;
          }
    }
  if (imp.columns != NULL && imp.separator != '\t')
    {
      /* #columns: came before the separator was known; split again. */
      g_autofree char *joined = g_strjoinv ("\t", imp.columns);
      g_autoptr(GPtrArray) labels = parse_records (joined, imp.separator, 0, name, NULL);
      g_strfreev (imp.columns);
      imp.columns = NULL;
      if (labels != NULL && labels->len == 1)
        {
          Record *r = g_ptr_array_index (labels, 0);
          g_ptr_array_add (r->fields, NULL);
          imp.columns = g_strdupv ((char **) r->fields->pdata);
        }
    }
  if (imp.columns != NULL && imp.options.tags_column < 0)
    for (guint i = 0; imp.columns[i] != NULL; i++)
      if (g_ascii_strcasecmp (imp.columns[i], "tags") == 0)
        imp.options.tags_column = (int) i + 1;

  records = parse_records (body, imp.separator, line, name, error);
  if (records == NULL)
    goto out;
  if (records->len == 0)
    {
      g_set_error (error, SD_CSV_IMPORT_ERROR, SD_CSV_IMPORT_ERROR_EMPTY,
                   _("“%s” holds no notes"), name);
      goto out;
    }

  /* As Anki: without a tags column, the column after the last field is one. */
  if (imp.options.tags_column < 0 && imp.options.field_columns == NULL && imp.columns == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      SdNotetype *notetype = imp.options.notetype_column > 0 ? NULL
                             : lookup_notetype (&imp, imp.notetype, &local_error);
      Record *first = g_ptr_array_index (records, 0);
      int used = 0;

      for (int c = 1; c <= (int) first->fields->len; c++)
        if (c != imp.options.deck_column && c != imp.options.notetype_column
            && c != imp.options.guid_column)
          {
            used++;
            if (notetype != NULL && used == (int) notetype->fields->len + 1)
              {
                imp.options.tags_column = c;
                break;
              }
          }
    }
  if (imp.options.tags_column < 0)
    imp.options.tags_column = 0;
  if (imp.options.deck_column < 0)
    imp.options.deck_column = 0;
  if (imp.options.notetype_column < 0)
    imp.options.notetype_column = 0;
  if (imp.options.guid_column < 0)
    imp.options.guid_column = 0;

  if (!sd_collection_begin (collection, error))
    goto out;
  decks_before = sd_collection_scalar (collection, "SELECT count(*) FROM decks", 0);
  for (guint i = 0; i < records->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !import_record (&imp, g_ptr_array_index (records, i), error))
        {
          sd_collection_rollback (collection);
          goto out;
        }
      if (progress != NULL && ((i + 1) % 256 == 0 || i + 1 == records->len))
        progress (i + 1, records->len, progress_data);
    }
  imp.stats.decks = (guint) (sd_collection_scalar (collection, "SELECT count(*) FROM decks", 0)
                             - decks_before);
  if (!sd_collection_commit (collection, error))
    goto out;

  if (stats != NULL)
    *stats = imp.stats;
  ok = TRUE;

out:
  g_free (imp.deck);
  g_free (imp.notetype);
  g_strfreev (imp.columns);
  g_strfreev (imp.global_tags);
  g_hash_table_unref (imp.notetypes);
  g_hash_table_unref (imp.decks);
  return ok;
}

/**
 * sd_csv_import_file:
 * @options: (nullable): how to read the file; %NULL for the defaults
 *
 * Imports a CSV/TSV file in Anki's text format (see the section
 * documentation) in one transaction: on failure nothing is kept.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
sd_csv_import_file (SdCollection              *collection,
                    const char                *path,
                    const SdCsvImportOptions  *options,
                    SdImportProgress           progress,
                    gpointer                   progress_data,
                    GCancellable              *cancellable,
                    SdImportStats             *stats,
                    GError                   **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *display = g_filename_display_name (base);
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  return sd_csv_import_text (collection, contents, (gssize) len, display, options, progress,
                             progress_data, cancellable, stats, error);
}
