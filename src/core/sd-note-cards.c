/* sd-note-cards.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-note-cards.h"
#include "sd-notetype.h"

/* Text at least this similar (0…1) is the same card, edited. */
#define SIMILARITY_MIN 0.6
/* Beyond this many text comparisons, only cards at most SIMILARITY_WINDOW
 * places from where they were are compared. */
#define SIMILARITY_MAX_PAIRS 40000
#define SIMILARITY_WINDOW    100

#define CONFIG_INLINE             "cards.inline_separator"
#define CONFIG_INLINE_REVERSED    "cards.inline_reversed_separator"
#define CONFIG_MULTILINE          "cards.multiline_separator"
#define CONFIG_MULTILINE_REVERSED "cards.multiline_reversed_separator"
#define CONFIG_HIGHLIGHT          "cards.highlight_clozes"

void
sd_note_card_anchor_free (SdNoteCardAnchor *anchor)
{
  if (anchor == NULL)
    return;
  g_free (anchor->path);
  g_strfreev (anchor->heading);
  g_free (anchor->block_id);
  g_free (anchor);
}

/**
 * sd_note_cards_get_settings:
 *
 * Returns: (transfer full): the card syntax this collection reads notes
 *   with: the defaults, and whatever sd_note_cards_set_settings() changed
 */
SdCardSyntaxSettings *
sd_note_cards_get_settings (SdCollection *collection)
{
  SdCardSyntaxSettings *settings = sd_card_syntax_settings_new ();
  struct { const char *key; char **value; } keys[] = {
    { CONFIG_INLINE, &settings->inline_separator },
    { CONFIG_INLINE_REVERSED, &settings->inline_reversed_separator },
    { CONFIG_MULTILINE, &settings->multiline_separator },
    { CONFIG_MULTILINE_REVERSED, &settings->multiline_reversed_separator },
  };
  g_autofree char *highlight = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      char *value = sd_collection_get_config (collection, keys[i].key);
      if (value != NULL)
        {
          g_free (*keys[i].value);
          *keys[i].value = value;
        }
    }
  highlight = sd_collection_get_config (collection, CONFIG_HIGHLIGHT);
  settings->highlight_clozes = g_strcmp0 (highlight, "1") == 0;
  return settings;
}

/**
 * sd_note_cards_set_settings:
 *
 * Stores the card syntax. Notes already indexed are read again with it by
 * sd_note_cards_sync_all().
 */
gboolean
sd_note_cards_set_settings (SdCollection                *collection,
                            const SdCardSyntaxSettings  *settings,
                            GError                     **error)
{
  return sd_collection_set_config (collection, CONFIG_INLINE, settings->inline_separator, error)
         && sd_collection_set_config (collection, CONFIG_INLINE_REVERSED,
                                      settings->inline_reversed_separator, error)
         && sd_collection_set_config (collection, CONFIG_MULTILINE,
                                      settings->multiline_separator, error)
         && sd_collection_set_config (collection, CONFIG_MULTILINE_REVERSED,
                                      settings->multiline_reversed_separator, error)
         && sd_collection_set_config (collection, CONFIG_HIGHLIGHT,
                                      settings->highlight_clozes ? "1" : "0", error);
}

/* ------------------------------------------------------------------------ */
/* Text similarity.                                                           */

/* Case-folded words: Markdown punctuation, cloze markers and separators
 * left out, so a reformatted card reads the same. */
static char *
normalise (const char *markdown)
{
  g_autofree char *folded = g_utf8_casefold (markdown ? markdown : "", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = TRUE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* "{{c12::" is markup, not text. */
      if (c == '{' && p[1] == '{' && p[2] == 'c')
        {
          const char *q = p + 3;
          while (g_ascii_isdigit (*q) || *q == ',')
            q++;
          if (q > p + 3 && q[0] == ':' && q[1] == ':')
            {
              p = q + 1;
              c = ' ';
            }
        }

      if (g_unichar_isalnum (c))
        {
          g_string_append_unichar (out, c);
          space = FALSE;
        }
      else if (!space)
        {
          g_string_append_c (out, ' ');
          space = TRUE;
        }
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
card_fingerprint (const SdCardSyntaxCard *card)
{
  g_autofree char *front = normalise (card->front);
  g_autofree char *back = normalise (card->back);

  return g_strconcat (front, " | ", back, NULL);
}

static int
cmp_uint32 (gconstpointer a,
            gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

/* Byte trigrams of " text ", sorted, as a multiset. */
static GArray *
trigrams (const char *text)
{
  g_autofree char *padded = g_strconcat (" ", text, " ", NULL);
  gsize len = strlen (padded);
  GArray *grams = g_array_sized_new (FALSE, FALSE, sizeof (guint32), len);

  for (gsize i = 0; i + 3 <= len; i++)
    {
      guint32 g = ((guint32) (guchar) padded[i] << 16) | ((guint32) (guchar) padded[i + 1] << 8)
                  | (guchar) padded[i + 2];
      g_array_append_val (grams, g);
    }
  g_array_sort (grams, cmp_uint32);
  return grams;
}

static double
dice (GArray *a,
      GArray *b)
{
  guint i = 0, j = 0, common = 0;

  if (a->len + b->len == 0)
    return 1.0;
  while (i < a->len && j < b->len)
    {
      guint32 x = g_array_index (a, guint32, i), y = g_array_index (b, guint32, j);
      if (x == y)
        {
          common++;
          i++;
          j++;
        }
      else if (x < y)
        i++;
      else
        j++;
    }
  return 2.0 * common / (a->len + b->len);
}

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The distinct words, sorted. */
static GPtrArray *
words (const char *text)
{
  g_auto(GStrv) split = g_strsplit (text, " ", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0' && !g_str_equal (split[i], "|"))
      g_ptr_array_add (out, g_strdup (split[i]));
  g_ptr_array_sort (out, cmp_str);
  for (guint i = out->len; i > 1; i--)
    if (g_str_equal (out->pdata[i - 1], out->pdata[i - 2]))
      g_ptr_array_remove_index (out, i - 1);
  return out;
}

static double
jaccard (GPtrArray *a,
         GPtrArray *b)
{
  guint i = 0, j = 0, common = 0;

  if (a->len + b->len == 0)
    return 1.0;
  while (i < a->len && j < b->len)
    {
      int c = strcmp (a->pdata[i], b->pdata[j]);
      if (c == 0)
        {
          common++;
          i++;
          j++;
        }
      else if (c < 0)
        i++;
      else
        j++;
    }
  return (double) common / (a->len + b->len - common);
}

/* ------------------------------------------------------------------------ */
/* Matching a file's cards with the notes they were.                          */

typedef struct
{
  gint64            note_id;
  gint64            file_id;     /* 0 when its file is gone */
  gint64            folder_id;   /* 0 when its folder is gone */
  char             *relpath;
  SdCardSyntaxKind  kind;
  char             *deck;
  GStrv             heading;
  char             *block_id;
  char             *fingerprint;
  int               position;
  gboolean          retired;
  gboolean          foreign;     /* from another file, gone from disk */
  gboolean          matched;
  GArray           *grams;
  GPtrArray        *words;
} Anchor;

static void
anchor_free (Anchor *anchor)
{
  g_free (anchor->relpath);
  g_free (anchor->deck);
  g_strfreev (anchor->heading);
  g_free (anchor->block_id);
  g_free (anchor->fingerprint);
  g_clear_pointer (&anchor->grams, g_array_unref);
  g_clear_pointer (&anchor->words, g_ptr_array_unref);
  g_free (anchor);
}

typedef struct
{
  SdCardSyntaxCard *card;
  int               index;
  char             *fingerprint;
  GArray           *grams;
  GPtrArray        *words;
  Anchor           *match;
} Parsed;

static void
parsed_free (Parsed *parsed)
{
  g_free (parsed->fingerprint);
  g_clear_pointer (&parsed->grams, g_array_unref);
  g_clear_pointer (&parsed->words, g_ptr_array_unref);
  g_free (parsed);
}

typedef struct
{
  SdCollection *collection;
  gint64        file_id;
  gint64        folder_id;
  char         *folder_path;
  char         *relpath;
  char         *default_deck;
  SdNotetype   *notetypes[3];   /* by SdCardSyntaxKind */
  GHashTable   *decks;          /* name -> deck id */
  GPtrArray    *pool;           /* Anchor */
  GHashTable   *pooled;         /* note ids in the pool */
} Sync;

static void
sync_clear (Sync *sync)
{
  g_free (sync->folder_path);
  g_free (sync->relpath);
  g_free (sync->default_deck);
  for (guint i = 0; i < G_N_ELEMENTS (sync->notetypes); i++)
    g_clear_pointer (&sync->notetypes[i], sd_notetype_free);
  g_clear_pointer (&sync->decks, g_hash_table_unref);
  g_clear_pointer (&sync->pool, g_ptr_array_unref);
  g_clear_pointer (&sync->pooled, g_hash_table_unref);
}

static GStrv
heading_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *root;

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *s = json_array_get_string_element (array, i);
          g_strv_builder_add (builder, s ? s : "");
        }
    }
  return g_strv_builder_end (builder);
}

static char *
heading_to_json (const char * const *heading)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; heading != NULL && heading[i] != NULL; i++)
    json_builder_add_string_value (builder, heading[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

#define ANCHOR_COLUMNS \
  "SELECT note_id, coalesce (file_id, 0), coalesce (folder_id, 0), relpath, kind, deck," \
  " heading, block_id, fingerprint, position, retired FROM note_anchors "

/* Reads every row of @stmt into the pool (each note once). */
static void
pool_rows (Sync         *sync,
           sqlite3_stmt *stmt,
           gboolean      foreign)
{
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 note_id = sqlite3_column_int64 (stmt, 0);
      Anchor *anchor;

      if (!g_hash_table_add (sync->pooled, g_memdup2 (&note_id, sizeof note_id)))
        continue;
      anchor = g_new0 (Anchor, 1);
      anchor->note_id = note_id;
      anchor->file_id = sqlite3_column_int64 (stmt, 1);
      anchor->folder_id = sqlite3_column_int64 (stmt, 2);
      anchor->relpath = sd_column_dup (stmt, 3);
      anchor->kind = sqlite3_column_int (stmt, 4);
      anchor->deck = sd_column_dup (stmt, 5);
      anchor->heading = heading_from_json ((const char *) sqlite3_column_text (stmt, 6));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        anchor->block_id = sd_column_dup (stmt, 7);
      anchor->fingerprint = sd_column_dup (stmt, 8);
      anchor->position = sqlite3_column_int (stmt, 9);
      anchor->retired = sqlite3_column_int (stmt, 10) != 0;
      anchor->foreign = foreign;
      g_ptr_array_add (sync->pool, anchor);
    }
  sqlite3_reset (stmt);
}

static gboolean
pool_own (Sync    *sync,
          GError **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (sync->collection,
                                              ANCHOR_COLUMNS "WHERE file_id = ?"
                                              " ORDER BY position, note_id",
                                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sync->file_id);
  pool_rows (sync, stmt, FALSE);

  /* A file back at the path of one that went away is that file. */
  stmt = sd_collection_prepare (sync->collection,
                                ANCHOR_COLUMNS "WHERE file_id IS NULL AND relpath = ?"
                                " AND (folder_id = ? OR folder_id IS NULL)"
                                " ORDER BY position, note_id",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sync->relpath, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sync->folder_id);
  pool_rows (sync, stmt, FALSE);
  return TRUE;
}

/* Whether an indexed file is gone from disk while its notes folder is
 * there: a folder that is away (an unplugged disk) keeps its index, and its
 * files are not taken for moved. */
static gboolean
file_vanished (SdCollection *collection,
               gint64        file_id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT d.path, f.relpath FROM note_files f"
                                              " JOIN note_folders d ON d.id = f.folder_id"
                                              " WHERE f.id = ?",
                                              NULL);
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, file_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      folder = sd_column_dup (stmt, 0);
      path = g_build_filename (folder, (const char *) sqlite3_column_text (stmt, 1), NULL);
    }
  sqlite3_reset (stmt);

  return path != NULL && g_file_test (folder, G_FILE_TEST_IS_DIR)
         && !g_file_test (path, G_FILE_TEST_EXISTS);
}

typedef struct
{
  gint64   file_id;     /* 0 for a note whose file is gone from the index */
  gint64   folder_id;
  char    *relpath;
  gint64   note_id;
} Found;

static void
found_free (Found *found)
{
  g_free (found->relpath);
  g_free (found);
}

/* A card text shared by more live files than this says nothing about where
 * a file came from (boilerplate); other cards of the file will. */
#define MOVED_MAX_FILES 8
/* The most retired notes looked at per card text. */
#define REVIVED_MAX     64

static gboolean
add_group (Sync        *sync,
           GHashTable  *groups,
           const Found *row,
           GError     **error)
{
  sqlite3_stmt *stmt;
  char *key = row->file_id != 0
    ? g_strdup_printf ("f%" G_GINT64_FORMAT, row->file_id)
    : g_strdup_printf ("p%" G_GINT64_FORMAT ":%s", row->folder_id, row->relpath);

  if (!g_hash_table_add (groups, key))
    return TRUE;

  if (row->file_id != 0)
    {
      stmt = sd_collection_prepare (sync->collection,
                                    ANCHOR_COLUMNS "WHERE file_id = ? ORDER BY position, note_id",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->file_id);
    }
  else
    {
      stmt = sd_collection_prepare (sync->collection,
                                    ANCHOR_COLUMNS "WHERE file_id IS NULL AND relpath = ?"
                                    " AND folder_id IS ? ORDER BY position, note_id",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, row->relpath, -1, SQLITE_STATIC);
      if (row->folder_id != 0)
        sqlite3_bind_int64 (stmt, 2, row->folder_id);
      else
        sqlite3_bind_null (stmt, 2);
    }
  pool_rows (sync, stmt, TRUE);
  return TRUE;
}

/* Candidates from other files, found through a card they share with this
 * one by text or by block id:
 *
 * - every note of a file that is gone from disk: a renamed or moved file
 *   shows up as a new path while the old one is gone (its index row goes at
 *   the end of the scan, or went in an earlier one and left its notes
 *   without a file);
 * - a retired note of a file that still exists: a card cut from one note
 *   and pasted into another.
 *
 * A live note of a file that still exists is never taken: a copy holds
 * cards of its own. */
static gboolean
pool_moved (Sync       *sync,
            GPtrArray  *parsed,
            GError    **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_autoptr(GArray) vanished = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) found_free);
  sqlite3_stmt *stmt;

  for (guint i = 0; i < sync->pool->len; i++)
    {
      Anchor *a = sync->pool->pdata[i];
      g_hash_table_add (known, a->fingerprint);
      if (a->block_id != NULL)
        g_hash_table_add (known, a->block_id);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      Parsed *p = parsed->pdata[i];
      g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (g_hash_table_contains (known, p->fingerprint)
          || (p->card->block_id != NULL && g_hash_table_contains (known, p->card->block_id)))
        continue;

      /* Live notes elsewhere with this card: is their file gone? */
      stmt = sd_collection_prepare (sync->collection,
                                    "SELECT DISTINCT file_id FROM note_anchors"
                                    " WHERE ((fingerprint = ?1 AND retired = 0)"
                                    " OR (block_id = ?2 AND retired = 0))"
                                    " AND file_id IS NOT NULL AND file_id <> ?3"
                                    " LIMIT ?4",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, p->fingerprint, -1, SQLITE_STATIC);
      sd_bind_text (stmt, 2, p->card->block_id);
      sqlite3_bind_int64 (stmt, 3, sync->file_id);
      sqlite3_bind_int (stmt, 4, MOVED_MAX_FILES + 1);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (files, id);
        }
      sqlite3_reset (stmt);

      for (guint k = 0; files->len <= MOVED_MAX_FILES && k < files->len; k++)
        {
          gint64 id = g_array_index (files, gint64, k);

          if (g_hash_table_add (checked, g_memdup2 (&id, sizeof id))
              && file_vanished (sync->collection, id))
            g_array_append_val (vanished, id);
        }

      /* Retired notes, among them those whose file left the index (the
       * trigger retires them). */
      stmt = sd_collection_prepare (sync->collection,
                                    "SELECT coalesce (file_id, 0), coalesce (folder_id, 0),"
                                    " relpath, note_id FROM note_anchors"
                                    " WHERE ((fingerprint = ?1 AND retired = 1)"
                                    " OR (block_id = ?2 AND retired = 1))"
                                    " AND (file_id IS NULL OR file_id <> ?3)"
                                    " ORDER BY note_id LIMIT ?4",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, p->fingerprint, -1, SQLITE_STATIC);
      sd_bind_text (stmt, 2, p->card->block_id);
      sqlite3_bind_int64 (stmt, 3, sync->file_id);
      sqlite3_bind_int (stmt, 4, REVIVED_MAX);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          Found *row = g_new0 (Found, 1);

          row->file_id = sqlite3_column_int64 (stmt, 0);
          row->folder_id = sqlite3_column_int64 (stmt, 1);
          row->relpath = sd_column_dup (stmt, 2);
          row->note_id = sqlite3_column_int64 (stmt, 3);
          g_ptr_array_add (found, row);
        }
      sqlite3_reset (stmt);
    }

  for (guint i = 0; i < vanished->len; i++)
    {
      Found row = { .file_id = g_array_index (vanished, gint64, i) };

      if (!add_group (sync, groups, &row, error))
        return FALSE;
    }

  for (guint i = 0; i < found->len; i++)
    {
      Found *row = found->pdata[i];

      if (row->file_id == 0)
        {
          if (!add_group (sync, groups, row, error))
            return FALSE;
          continue;
        }

      /* One retired note of a file that is still there (unless the whole
       * file is pooled already as gone). */
      stmt = sd_collection_prepare (sync->collection, ANCHOR_COLUMNS "WHERE note_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->note_id);
      pool_rows (sync, stmt, TRUE);
    }
  return TRUE;
}

static gboolean
compatible (const Parsed *p,
            const Anchor *a)
{
  if ((p->card->kind == SD_CARD_SYNTAX_CLOZE) != (a->kind == SD_CARD_SYNTAX_CLOZE))
    return FALSE;
  if (p->card->block_id != NULL && a->block_id != NULL
      && !g_str_equal (p->card->block_id, a->block_id))
    return FALSE;
  return TRUE;
}

/* Small preferences that only break ties between equally good texts. */
static double
bonus (const Parsed *p,
       const Anchor *a)
{
  double b = 0;

  if (g_strv_equal ((const char * const *) p->card->heading, (const char * const *) a->heading))
    b += 0.1;
  b += 0.05 / (1 + abs (p->index - a->position));
  if (p->card->kind == a->kind)
    b += 0.03;
  if (!a->retired)
    b += 0.02;
  if (!a->foreign)
    b += 0.01;
  return b;
}

typedef struct
{
  Parsed *p;
  Anchor *a;
  double  score;
} Pair;

static int
cmp_pair (gconstpointer x,
          gconstpointer y)
{
  const Pair *a = x, *b = y;

  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->p->index != b->p->index)
    return a->p->index < b->p->index ? -1 : 1;
  return a->a->note_id < b->a->note_id ? -1 : a->a->note_id > b->a->note_id;
}

typedef enum
{
  PHASE_BLOCK_ID,
  PHASE_EXACT,
  PHASE_SIMILAR,
} Phase;

/* Best pairs first, each card and each note used once: deterministic. */
static void
match_phase (GPtrArray *parsed,
             GPtrArray *pool,
             Phase      phase)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  guint left_p = 0, left_a = 0;
  int window = G_MAXINT;

  /* Comparing texts costs; in a very large note that changed a lot, only
   * cards near where they were are compared. */
  for (guint i = 0; i < parsed->len; i++)
    left_p += ((Parsed *) parsed->pdata[i])->match == NULL;
  for (guint j = 0; j < pool->len; j++)
    left_a += !((Anchor *) pool->pdata[j])->matched;
  if (phase == PHASE_SIMILAR && (guint64) left_p * left_a > SIMILARITY_MAX_PAIRS)
    window = SIMILARITY_WINDOW;

  for (guint i = 0; i < parsed->len; i++)
    {
      Parsed *p = parsed->pdata[i];

      if (p->match != NULL)
        continue;
      for (guint j = 0; j < pool->len; j++)
        {
          Anchor *a = pool->pdata[j];
          Pair pair = { p, a, 0 };

          if (a->matched || !compatible (p, a) || abs (p->index - a->position) > window)
            continue;

          switch (phase)
            {
            case PHASE_BLOCK_ID:
              if (p->card->block_id == NULL || a->block_id == NULL)
                continue;
              pair.score = 10;
              break;
            case PHASE_EXACT:
              if (!g_str_equal (p->fingerprint, a->fingerprint))
                continue;
              pair.score = 2;
              break;
            case PHASE_SIMILAR:
              {
                double sim;

                if (p->grams == NULL)
                  {
                    p->grams = trigrams (p->fingerprint);
                    p->words = words (p->fingerprint);
                  }
                if (a->grams == NULL)
                  {
                    a->grams = trigrams (a->fingerprint);
                    a->words = words (a->fingerprint);
                  }
                sim = MAX (dice (p->grams, a->grams), jaccard (p->words, a->words));
                if (sim < SIMILARITY_MIN)
                  continue;
                pair.score = sim;
              }
              break;
            default:
              g_assert_not_reached ();
            }
          pair.score += bonus (p, a);
          g_array_append_val (pairs, pair);
        }
    }

  g_array_sort (pairs, cmp_pair);
  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *pair = &g_array_index (pairs, Pair, i);

      if (pair->p->match != NULL || pair->a->matched)
        continue;
      pair->p->match = pair->a;
      pair->a->matched = TRUE;
    }
}

/* ------------------------------------------------------------------------ */
/* Writing the collection.                                                    */

static SdNotetype *
notetype_for (Sync              *sync,
              SdCardSyntaxKind   kind,
              GError           **error)
{
  static const SdStockKind stock[] = {
    SD_STOCK_BASIC, SD_STOCK_BASIC_AND_REVERSED, SD_STOCK_CLOZE,
  };

  if (sync->notetypes[kind] == NULL)
    {
      g_autoptr(GError) local = NULL;
      SdNotetype *notetype = sd_notetype_find_stock (sync->collection, stock[kind], &local);

      /* Someone deleted the stock type: cards from notes bring it back. */
      if (notetype == NULL)
        {
          notetype = sd_notetype_new_stock (stock[kind]);
          if (!sd_notetype_insert (sync->collection, notetype, error))
            {
              sd_notetype_free (notetype);
              return NULL;
            }
        }
      sync->notetypes[kind] = notetype;
    }
  return sync->notetypes[kind];
}

static gint64
deck_for (Sync       *sync,
          const char *name)
{
  const char *candidates[] = { name, sync->default_deck };
  gpointer cached;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autoptr(GError) local = NULL;
      gint64 id;

      if (candidates[i] == NULL || candidates[i][0] == '\0')
        continue;
      if (g_hash_table_lookup_extended (sync->decks, candidates[i], NULL, &cached))
        return *(gint64 *) cached;
      /* A deck name the note gets wrong (an empty part) is no reason to
       * lose the card: it goes to the folder's deck, else Default. */
      id = sd_deck_ensure (sync->collection, candidates[i], &local);
      if (id != 0)
        {
          g_hash_table_insert (sync->decks, g_strdup (candidates[i]), g_memdup2 (&id, sizeof id));
          return id;
        }
    }
  return SD_DECK_DEFAULT_ID;
}

/* Markdown to a field: cmark's safe HTML, without the paragraph around a
 * one-paragraph text. In a cloze, "{{" inside code or math is text and must
 * not read as a deletion in Anki: the parser marks it, the HTML spells the
 * first brace as an entity. */
static char *
render_field (const char *markdown,
              gboolean    cloze)
{
  g_autofree char *source = cloze ? sd_card_syntax_mark_literal_braces (markdown)
                                  : g_strdup (markdown);
  char *raw = cmark_markdown_to_html (source, strlen (source), CMARK_OPT_DEFAULT);
  g_autoptr(GString) html = g_string_new (raw);
  gsize len;

  free (raw);
  while (html->len > 0 && html->str[html->len - 1] == '\n')
    g_string_truncate (html, html->len - 1);
  len = html->len;
  if (len >= 7 && g_str_has_prefix (html->str, "<p>") && g_str_has_suffix (html->str, "</p>")
      && strstr (html->str + 3, "<p>") == NULL)
    {
      g_string_truncate (html, len - 4);
      g_string_erase (html, 0, 3);
    }
  if (cloze)
    g_string_replace (html, "{" SD_CARD_SYNTAX_LITERAL_MARK "{", "&#123;{", 0);
  return g_string_free (g_steal_pointer (&html), FALSE);
}

static GStrv
card_fields (const SdCardSyntaxCard *card)
{
  GStrv fields = g_new0 (char *, 3);

  if (card->kind == SD_CARD_SYNTAX_CLOZE)
    {
      fields[0] = render_field (card->front, TRUE);
      fields[1] = g_strdup ("");
    }
  else
    {
      fields[0] = render_field (card->front, FALSE);
      fields[1] = render_field (card->back, FALSE);
    }
  return fields;
}

static gboolean
set_cards_retired (SdCollection  *collection,
                   gint64         note_id,
                   GArray        *live_ords,
                   GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) flags = g_array_new (FALSE, FALSE, sizeof (int));
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT id, ord, retired FROM cards"
                                              " WHERE note_id = ?",
                                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, note_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint ord = sqlite3_column_int (stmt, 1);
      int retired = sqlite3_column_int (stmt, 2) != 0;
      int want = 1;

      for (guint i = 0; live_ords != NULL && i < live_ords->len; i++)
        if (g_array_index (live_ords, guint, i) == ord)
          want = 0;
      if (want != retired)
        {
          g_array_append_val (ids, id);
          g_array_append_val (flags, want);
        }
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      stmt = sd_collection_prepare (collection,
                                    "UPDATE cards SET retired = ?, mtime = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, g_array_index (flags, int, i));
      sqlite3_bind_int64 (stmt, 2, sd_clock_now ());
      sqlite3_bind_int64 (stmt, 3, g_array_index (ids, gint64, i));
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_anchor (Sync     *sync,
              Parsed   *p,
              gint64    note_id,
              GError  **error)
{
  g_autofree char *heading = heading_to_json ((const char * const *) p->card->heading);
  sqlite3_stmt *stmt = sd_collection_prepare (sync->collection,
                                              "INSERT INTO note_anchors (note_id, file_id,"
                                              " folder_id, relpath, kind, deck, heading,"
                                              " line_start, line_end,"
                                              " block_id, fingerprint, position, retired)"
                                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
                                              " ON CONFLICT (note_id) DO UPDATE SET"
                                              " file_id = excluded.file_id,"
                                              " folder_id = excluded.folder_id,"
                                              " relpath = excluded.relpath, kind = excluded.kind,"
                                              " deck = excluded.deck, heading = excluded.heading,"
                                              " line_start = excluded.line_start,"
                                              " line_end = excluded.line_end,"
                                              " block_id = excluded.block_id,"
                                              " fingerprint = excluded.fingerprint,"
                                              " position = excluded.position, retired = 0",
                                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, note_id);
  sqlite3_bind_int64 (stmt, 2, sync->file_id);
  sqlite3_bind_int64 (stmt, 3, sync->folder_id);
  sd_bind_text (stmt, 4, sync->relpath);
  sqlite3_bind_int (stmt, 5, p->card->kind);
  sd_bind_text (stmt, 6, p->card->deck ? p->card->deck : "");
  sd_bind_text (stmt, 7, heading);
  sqlite3_bind_int (stmt, 8, p->card->line_start);
  sqlite3_bind_int (stmt, 9, p->card->line_end);
  sd_bind_text (stmt, 10, p->card->block_id);
  sd_bind_text (stmt, 11, p->fingerprint);
  sqlite3_bind_int (stmt, 12, p->index);
  return sd_collection_step_done (sync->collection, stmt, error);
}

static gboolean
strv_same (const char * const *a,
           const char * const *b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a ? a : empty, b ? b : empty);
}

static gboolean
apply_card (Sync     *sync,
            Parsed   *p,
            GError  **error)
{
  SdCardSyntaxCard *card = p->card;
  SdNotetype *notetype = notetype_for (sync, card->kind, error);
  g_auto(GStrv) fields = NULL;
  g_autofree char *heading = NULL;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(GArray) ords = NULL;
  gint64 deck_id;

  if (notetype == NULL)
    return FALSE;
  fields = card_fields (card);
  heading = g_strjoinv (" › ", card->heading);
  deck_id = deck_for (sync, card->deck);

  if (p->match != NULL)
    {
      note = sd_note_load (sync->collection, p->match->note_id, error);
      if (note == NULL)
        return FALSE;

      /* Only a real change touches the note; its cards' schedules are never
       * part of it. */
      if (note->notetype_id != notetype->id
          || !strv_same ((const char * const *) note->fields, (const char * const *) fields)
          || !strv_same ((const char * const *) note->tags, (const char * const *) card->tags)
          || note->source_file != sync->file_id
          || g_strcmp0 (note->source_heading, heading) != 0)
        {
          note->notetype_id = notetype->id;
          g_strfreev (note->fields);
          note->fields = g_steal_pointer (&fields);
          g_strfreev (note->tags);
          note->tags = g_strdupv (card->tags);
          note->source_file = sync->file_id;
          g_free (note->source_heading);
          note->source_heading = g_steal_pointer (&heading);
          if (!sd_note_update (sync->collection, note, error))
            return FALSE;
        }

      /* The note names another deck now: its cards follow. A card moved by
       * hand stays where it was put as long as the note does not change its
       * mind. */
      if (g_strcmp0 (p->match->deck, card->deck ? card->deck : "") != 0)
        {
          sqlite3_stmt *stmt = sd_collection_prepare (sync->collection,
                                                      "UPDATE cards SET deck_id = ?, mtime = ?"
                                                      " WHERE note_id = ? AND deck_id <> ?",
                                                      error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, deck_id);
          sqlite3_bind_int64 (stmt, 2, sd_clock_now ());
          sqlite3_bind_int64 (stmt, 3, note->id);
          sqlite3_bind_int64 (stmt, 4, deck_id);
          if (!sd_collection_step_done (sync->collection, stmt, error))
            return FALSE;
        }
    }
  else
    {
      note = sd_note_new (notetype->id, (const char * const *) fields);
      g_strfreev (note->tags);
      note->tags = g_strdupv (card->tags);
      note->source_file = sync->file_id;
      g_free (note->source_heading);
      note->source_heading = g_steal_pointer (&heading);
      if (!sd_note_insert (sync->collection, note, error))
        return FALSE;
    }

  /* Ordinals the text no longer makes (a cloze number gone, a reversed card
   * made basic) retire; those it makes again come back. */
  ords = sd_card_ords_for_note (notetype, note);
  if (!set_cards_retired (sync->collection, note->id, ords, error))
    return FALSE;
  if (!sd_card_generate (sync->collection, note, deck_id, NULL, error))
    return FALSE;
  return write_anchor (sync, p, note->id, error);
}

/* A card whose text left this file while the same card (same text or block
 * id) sits, never studied, in another note: the text moved, and the history
 * goes with it. The unstudied note gives its place, fields and deck to the
 * old one and goes. This makes a card cut from one note and pasted into
 * another keep its history whichever file a scan reads first. */
static gboolean
adopt_successor (Sync      *sync,
                 Anchor    *anchor,
                 gboolean  *adopted,
                 GError   **error)
{
  g_autoptr(SdNote) old = NULL;
  g_autoptr(SdNote) successor = NULL;
  g_autoptr(SdNotetype) notetype = NULL;
  g_autoptr(GArray) ords = NULL;
  sqlite3_stmt *stmt;
  gint64 successor_id = 0, deck_id = 0;

  *adopted = FALSE;

  /* Only a card with a history has anything to hand over. */
  stmt = sd_collection_prepare (sync->collection,
                                "SELECT 1 FROM cards WHERE note_id = ? AND (type <> 0 OR reps > 0"
                                " OR EXISTS (SELECT 1 FROM revlog r WHERE r.card_id = cards.id))"
                                " LIMIT 1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, anchor->note_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  stmt = sd_collection_prepare (sync->collection,
                                "SELECT a.note_id, (SELECT c.deck_id FROM cards c"
                                "   WHERE c.note_id = a.note_id ORDER BY c.ord LIMIT 1)"
                                " FROM note_anchors a"
                                " WHERE (a.fingerprint = ?1 OR a.block_id = ?2)"
                                " AND a.file_id IS NOT NULL AND a.file_id <> ?3 AND a.retired = 0"
                                " AND (a.kind = 2) = (?4 = 2)"
                                " AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.note_id = a.note_id"
                                "   AND (c.type <> 0 OR c.reps > 0"
                                "   OR EXISTS (SELECT 1 FROM revlog r WHERE r.card_id = c.id)))"
                                " ORDER BY (?2 IS NOT NULL AND a.block_id = ?2) DESC, a.note_id"
                                " LIMIT 1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, anchor->fingerprint, -1, SQLITE_STATIC);
  sd_bind_text (stmt, 2, anchor->block_id);
  sqlite3_bind_int64 (stmt, 3, sync->file_id);
  sqlite3_bind_int (stmt, 4, anchor->kind);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      successor_id = sqlite3_column_int64 (stmt, 0);
      deck_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (successor_id == 0)
    return TRUE;

  old = sd_note_load (sync->collection, anchor->note_id, error);
  successor = sd_note_load (sync->collection, successor_id, error);
  if (old == NULL || successor == NULL)
    return FALSE;

  stmt = sd_collection_prepare (sync->collection,
                                "UPDATE note_anchors SET (file_id, folder_id, relpath, kind, deck,"
                                " heading, line_start, line_end, block_id, fingerprint, position,"
                                " retired) = (SELECT file_id, folder_id, relpath, kind, deck,"
                                " heading, line_start, line_end, block_id, fingerprint, position, 0"
                                " FROM note_anchors WHERE note_id = ?1) WHERE note_id = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, successor_id);
  sqlite3_bind_int64 (stmt, 2, anchor->note_id);
  if (!sd_collection_step_done (sync->collection, stmt, error))
    return FALSE;
  if (!sd_note_delete (sync->collection, successor_id, error))
    return FALSE;

  old->notetype_id = successor->notetype_id;
  g_strfreev (old->fields);
  old->fields = g_steal_pointer (&successor->fields);
  g_strfreev (old->tags);
  old->tags = g_steal_pointer (&successor->tags);
  old->source_file = successor->source_file;
  g_free (old->source_heading);
  old->source_heading = g_steal_pointer (&successor->source_heading);
  if (!sd_note_update (sync->collection, old, error))
    return FALSE;

  if (deck_id != 0)
    {
      stmt = sd_collection_prepare (sync->collection,
                                    "UPDATE cards SET deck_id = ?, mtime = ?"
                                    " WHERE note_id = ? AND deck_id <> ?",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, deck_id);
      sqlite3_bind_int64 (stmt, 2, sd_clock_now ());
      sqlite3_bind_int64 (stmt, 3, old->id);
      sqlite3_bind_int64 (stmt, 4, deck_id);
      if (!sd_collection_step_done (sync->collection, stmt, error))
        return FALSE;
    }

  notetype = sd_notetype_load (sync->collection, old->notetype_id, error);
  if (notetype == NULL)
    return FALSE;
  ords = sd_card_ords_for_note (notetype, old);
  if (!set_cards_retired (sync->collection, old->id, ords, error)
      || !sd_card_generate (sync->collection, old, deck_id ? deck_id : SD_DECK_DEFAULT_ID, NULL,
                            error))
    return FALSE;

  *adopted = TRUE;
  return TRUE;
}

static gboolean
retire_anchor (Sync     *sync,
               Anchor   *anchor,
               GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean adopted;

  if (!adopt_successor (sync, anchor, &adopted, error))
    return FALSE;
  if (adopted)
    return TRUE;

  stmt = sd_collection_prepare (sync->collection,
                                "UPDATE note_anchors SET retired = 1 WHERE note_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, anchor->note_id);
  if (!sd_collection_step_done (sync->collection, stmt, error))
    return FALSE;
  return set_cards_retired (sync->collection, anchor->note_id, NULL, error);
}

static gboolean
load_file (Sync     *sync,
           GError  **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (sync->collection,
                                              "SELECT f.folder_id, d.path, f.relpath"
                                              " FROM note_files f"
                                              " JOIN note_folders d ON d.id = f.folder_id"
                                              " WHERE f.id = ?",
                                              error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sync->file_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      sync->folder_id = sqlite3_column_int64 (stmt, 0);
      sync->folder_path = sd_column_dup (stmt, 1);
      sync->relpath = sd_column_dup (stmt, 2);
    }
  sqlite3_reset (stmt);

  if (!found)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Note file %" G_GINT64_FORMAT " is not in the notes index"), sync->file_id);
      return FALSE;
    }

  {
    g_autofree char *name = g_path_get_basename (sync->folder_path);
    sync->default_deck = sd_card_syntax_folder_deck (name, sync->relpath);
  }
  return TRUE;
}

/**
 * sd_note_cards_default_deck:
 *
 * Returns: (transfer full) (nullable): the deck of the file's cards that
 *   name none: its notes folder's name and the folders down to it
 */
char *
sd_note_cards_default_deck (SdCollection *collection,
                            gint64        file_id)
{
  Sync sync = { .collection = collection, .file_id = file_id };
  char *deck = NULL;

  if (load_file (&sync, NULL))
    deck = g_steal_pointer (&sync.default_deck);
  sync_clear (&sync);
  return deck;
}

static gboolean
has_live_anchors (SdCollection *collection,
                  gint64        file_id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT 1 FROM note_anchors"
                                              " WHERE file_id = ? AND retired = 0 LIMIT 1",
                                              NULL);
  gboolean any;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, file_id);
  any = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return any;
}

static gboolean
sync_parsed (Sync       *sync,
             GPtrArray  *cards,
             GError    **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) parsed_free);

  sync->pool = g_ptr_array_new_with_free_func ((GDestroyNotify) anchor_free);
  sync->pooled = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sync->decks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < cards->len; i++)
    {
      Parsed *p = g_new0 (Parsed, 1);

      p->card = cards->pdata[i];
      p->index = i;
      p->fingerprint = card_fingerprint (p->card);
      g_ptr_array_add (parsed, p);
    }

  if (!pool_own (sync, error))
    return FALSE;
  if (parsed->len > 0 && !pool_moved (sync, parsed, error))
    return FALSE;

  match_phase (parsed, sync->pool, PHASE_BLOCK_ID);
  match_phase (parsed, sync->pool, PHASE_EXACT);
  match_phase (parsed, sync->pool, PHASE_SIMILAR);

  for (guint i = 0; i < parsed->len; i++)
    if (!apply_card (sync, parsed->pdata[i], error))
      return FALSE;

  /* The file's own cards whose text is gone retire. Those of a moved file
   * that found no home stay with it until its index row goes. */
  for (guint i = 0; i < sync->pool->len; i++)
    {
      Anchor *a = sync->pool->pdata[i];

      if (!a->matched && !a->foreign && !a->retired && !retire_anchor (sync, a, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sd_note_cards_sync_file:
 * @file_id: an indexed note file
 * @text: its whole text, as just read
 *
 * Brings the cards written in a note file into the collection: new cards
 * are added, edited ones keep their notes, schedules and review logs, and
 * cards whose text is gone retire. Meant to run inside the library scan's
 * transaction (it nests); cheap for a note without cards.
 */
gboolean
sd_note_cards_sync_file (SdCollection  *collection,
                         gint64         file_id,
                         const char    *text,
                         GError       **error)
{
  g_autoptr(SdCardSyntaxSettings) settings = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  Sync sync = { .collection = collection, .file_id = file_id };
  gboolean ok;

  g_return_val_if_fail (text != NULL, FALSE);

  settings = sd_note_cards_get_settings (collection);
  if (!sd_card_syntax_may_contain_cards (text, settings) && !has_live_anchors (collection, file_id))
    return TRUE;

  if (!load_file (&sync, error))
    {
      sync_clear (&sync);
      return FALSE;
    }
  cards = sd_card_syntax_parse (text, settings, sync.default_deck);
  if (cards->len == 0 && !has_live_anchors (collection, file_id))
    {
      sync_clear (&sync);
      return TRUE;
    }

  if (!sd_collection_begin (collection, error))
    {
      sync_clear (&sync);
      return FALSE;
    }
  ok = sync_parsed (&sync, cards, error);
  sync_clear (&sync);
  if (!ok)
    {
      g_prefix_error (error, _("Cards of note file %" G_GINT64_FORMAT ": "), file_id);
      sd_collection_rollback (collection);
      return FALSE;
    }
  return sd_collection_commit (collection, error);
}

/**
 * sd_note_cards_sync_all:
 *
 * Reads every indexed note again and syncs its cards, in one transaction;
 * for after the card syntax settings changed. Files that cannot be read
 * now keep their cards as they are.
 */
gboolean
sd_note_cards_sync_all (SdCollection  *collection,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT f.id, d.path, f.relpath FROM note_files f"
                                              " JOIN note_folders d ON d.id = f.folder_id"
                                              " WHERE f.error = '' ORDER BY f.id",
                                              error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *folder = (const char *) sqlite3_column_text (stmt, 1);
      const char *relpath = (const char *) sqlite3_column_text (stmt, 2);

      g_array_append_val (ids, id);
      g_ptr_array_add (paths, g_build_filename (folder, relpath, NULL));
    }
  sqlite3_reset (stmt);

  if (!sd_collection_begin (collection, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *text = NULL;
      gsize len;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (!g_file_get_contents (paths->pdata[i], &text, &len, NULL)
          || memchr (text, '\0', len) != NULL || !g_utf8_validate_len (text, len, NULL))
        continue;
      if (!sd_note_cards_sync_file (collection, g_array_index (ids, gint64, i), text, error))
        goto fail;
    }
  return sd_collection_commit (collection, error);

fail:
  sd_collection_rollback (collection);
  return FALSE;
}

typedef struct
{
  char                 *path;
  SdCardSyntaxSettings *settings;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_free (data->path);
  sd_card_syntax_settings_free (data->settings);
  g_free (data);
}

static void
apply_worker (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ApplyData *data = task_data;
  g_autoptr(SdCollection) own = NULL;
  g_autoptr(GError) error = NULL;

  /* SQLite connections are not shared across threads: the worker opens its own. */
  own = sd_collection_open (data->path, &error);
  if (own == NULL || !sd_collection_begin (own, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sd_note_cards_set_settings (own, data->settings, &error) ||
      !sd_note_cards_sync_all (own, cancellable, &error))
    {
      sd_collection_rollback (own);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sd_collection_commit (own, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * sd_note_cards_apply_settings_async:
 *
 * Stores a new card syntax and reads every note again with it, in a worker
 * and in one transaction: if reading fails or is cancelled, the syntax and
 * the cards stay as they were.
 */
void
sd_note_cards_apply_settings_async (SdCollection               *collection,
                                    const SdCardSyntaxSettings *settings,
                                    GCancellable               *cancellable,
                                    GAsyncReadyCallback         callback,
                                    gpointer                    user_data)
{
  g_autoptr(GTask) task = g_task_new (collection, cancellable, callback, user_data);
  ApplyData *data = g_new0 (ApplyData, 1);

  data->path = g_strdup (sd_collection_get_path (collection));
  data->settings = sd_card_syntax_settings_copy (settings);
  g_task_set_source_tag (task, sd_note_cards_apply_settings_async);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);
  g_task_run_in_thread (task, apply_worker);
}

gboolean
sd_note_cards_apply_settings_finish (SdCollection  *collection,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, collection), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  sd_collection_notify_changed (collection);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Queries for the review and notes panes.                                    */

#define CARD_ANCHOR_COLUMNS \
  "SELECT c.id, a.note_id, c.ord, a.file_id, d.path, f.relpath, a.heading, a.line_start," \
  " a.line_end, a.block_id, a.kind, (a.retired OR c.retired), c.type, c.queue, c.due," \
  " coalesce (p.rollover_hour, 4)" \
  " FROM note_anchors a JOIN cards c ON c.note_id = a.note_id" \
  " JOIN note_files f ON f.id = a.file_id JOIN note_folders d ON d.id = f.folder_id" \
  " LEFT JOIN decks k ON k.id = c.deck_id LEFT JOIN presets p ON p.id = k.preset_id "

static SdNoteCardAnchor *
anchor_from_row (sqlite3_stmt *stmt)
{
  SdNoteCardAnchor *anchor = g_new0 (SdNoteCardAnchor, 1);
  int rollover;

  anchor->card_id = sqlite3_column_int64 (stmt, 0);
  anchor->note_id = sqlite3_column_int64 (stmt, 1);
  anchor->ord = sqlite3_column_int (stmt, 2);
  anchor->file_id = sqlite3_column_int64 (stmt, 3);
  anchor->path = g_build_filename ((const char *) sqlite3_column_text (stmt, 4),
                                   (const char *) sqlite3_column_text (stmt, 5), NULL);
  anchor->heading = heading_from_json ((const char *) sqlite3_column_text (stmt, 6));
  anchor->line_start = sqlite3_column_int (stmt, 7);
  anchor->line_end = sqlite3_column_int (stmt, 8);
  anchor->block_id = sqlite3_column_type (stmt, 9) == SQLITE_NULL ? NULL : sd_column_dup (stmt, 9);
  anchor->kind = sqlite3_column_int (stmt, 10);
  anchor->retired = sqlite3_column_int (stmt, 11) != 0;
  anchor->type = sqlite3_column_int (stmt, 12);
  anchor->queue = sqlite3_column_int (stmt, 13);
  anchor->due = sqlite3_column_int64 (stmt, 14);
  rollover = sqlite3_column_int (stmt, 15);

  /* Learning cards are due at a second, review cards on a day; a buried or
   * suspended card keeps the due it had. */
  if (anchor->type == SD_CARD_NEW)
    anchor->due_time = 0;
  else if (anchor->queue == SD_QUEUE_LEARNING || anchor->due > 1000000000)
    anchor->due_time = anchor->due;
  else
    anchor->due_time = sd_clock_day_start (anchor->due, rollover);
  return anchor;
}

/**
 * sd_note_cards_anchor_for_card:
 *
 * Where a card is written, for the note shown beside it in review.
 *
 * Returns: (transfer full) (nullable): the anchor, or %NULL when the card
 *   comes from no note file that is still indexed (no error set then)
 */
SdNoteCardAnchor *
sd_note_cards_anchor_for_card (SdCollection  *collection,
                               gint64         card_id,
                               GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              CARD_ANCHOR_COLUMNS "WHERE c.id = ?", error);
  SdNoteCardAnchor *anchor = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, card_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    anchor = anchor_from_row (stmt);
  sqlite3_reset (stmt);
  return anchor;
}

/**
 * sd_note_cards_for_file:
 *
 * The cards a note file holds now (retired ones left out), in the order
 * they are written, with their state and due time.
 *
 * Returns: (transfer full) (element-type SdNoteCardAnchor): the cards
 */
GPtrArray *
sd_note_cards_for_file (SdCollection  *collection,
                        gint64         file_id,
                        GError       **error)
{
  g_autoptr(GPtrArray) anchors =
    g_ptr_array_new_with_free_func ((GDestroyNotify) sd_note_card_anchor_free);
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              CARD_ANCHOR_COLUMNS
                                              "WHERE a.file_id = ? AND a.retired = 0"
                                              " AND c.retired = 0"
                                              " ORDER BY a.line_start, a.position, c.ord",
                                              error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, file_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (anchors, anchor_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  return g_steal_pointer (&anchors);
}

/**
 * sd_note_cards_card_ids_for_file:
 *
 * Returns: (transfer full) (element-type gint64): the ids of the cards the
 *   file holds now, in the order they are written ("Study this note")
 */
GArray *
sd_note_cards_card_ids_for_file (SdCollection  *collection,
                                 gint64         file_id,
                                 GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT c.id FROM note_anchors a"
                                              " JOIN cards c ON c.note_id = a.note_id"
                                              " WHERE a.file_id = ? AND a.retired = 0"
                                              " AND c.retired = 0"
                                              " ORDER BY a.line_start, a.position, c.ord",
                                              error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, file_id);
  if (!sd_collection_append_ids (collection, stmt, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}
