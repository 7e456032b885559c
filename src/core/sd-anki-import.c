/* sd-anki-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-anki-import.h"
#include "sd-anki-package.h"
#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-csv-import.h"
#include "sd-deck.h"
#include "sd-fsrs.h"
#include "sd-html-text.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-progress-relay.h"
#include "sd-protobuf.h"
#include "sd-revlog.h"

G_DEFINE_QUARK (sd-anki-import-error-quark, sd_anki_import_error)

static gboolean id_taken (SdCollection *collection,
                          const char   *sql,
                          gint64        id);

/* Anki treats any due value past this as an epoch timestamp. */
#define TIMESTAMP_DUE 1000000000

/* How often the cancellable and the progress callback are looked at. */
#define CHECK_EVERY 256

/* ------------------------------------------------------------------------ */
/* Maps from Anki ids to ours.
 *
 * An import meets ids in order: the package's rows come sorted by id, and
 * the ids they map to mostly keep that order. Keys that arrive increasing
 * are appended to a sorted run and looked up from where the last lookup
 * ended, so a pass in id order walks memory in order instead of missing
 * the cache once a row, as a hash table of a few hundred thousand ids
 * does. The keys that arrive out of order go to a small open-addressing
 * table beside the run. */

/* Marks a free slot; a key with this value is kept beside the table. */
#define ID_MAP_FREE G_MININT64

typedef struct
{
  gint64 key;
  gint64 value;
} IdSlot;

typedef struct
{
  /* The run: increasing keys. */
  gint64   *keys;
  gint64   *values;
  gsize     len;
  gsize     alloc;
  gsize     finger;   /* where the last lookup ended */

  /* The others. */
  IdSlot   *slots;
  gsize     size;     /* power of two */
  gsize     count;
  gboolean  has_free_key;
  gint64    free_key_value;
} IdMap;

static void
id_map_alloc_slots (IdMap *map,
                    gsize  size)
{
  map->size = size;
  map->count = 0;
  map->slots = g_new (IdSlot, size);
  for (gsize i = 0; i < size; i++)
    map->slots[i].key = ID_MAP_FREE;
}

static void
id_map_init (IdMap *map)
{
  memset (map, 0, sizeof *map);
  id_map_alloc_slots (map, 64);
}

static void
id_map_clear (IdMap *map)
{
  g_free (map->keys);
  g_free (map->values);
  g_free (map->slots);
  memset (map, 0, sizeof *map);
}

static inline gsize
id_hash (gint64 key)
{
  guint64 h = (guint64) key;

  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return (gsize) h;
}

/* Makes room in the run for @count keys, so a large import never copies it. */
static void
id_map_reserve (IdMap *map,
                gsize  count)
{
  if (count <= map->alloc)
    return;
  map->alloc = count;
  map->keys = g_renew (gint64, map->keys, count);
  map->values = g_renew (gint64, map->values, count);
}

/* The index of @key in the run, searched outwards from the finger: a
 * lookup near the last one costs a step or two. */
static gboolean
run_find (IdMap  *map,
          gint64  key,
          gsize  *index)
{
  const gint64 *keys = map->keys;
  gsize lo, hi, step = 1;

  if (map->len == 0 || key < keys[0] || key > keys[map->len - 1])
    return FALSE;

  lo = hi = MIN (map->finger, map->len - 1);
  if (keys[lo] < key)
    {
      /* Gallop up until keys[lo] < key <= keys[hi]. */
      for (;;)
        {
          hi = lo + step;
          if (hi >= map->len - 1)
            {
              hi = map->len - 1;
              break;
            }
          if (keys[hi] >= key)
            break;
          lo = hi;
          step *= 2;
        }
    }
  else if (keys[hi] > key)
    {
      /* Gallop down until keys[lo] <= key < keys[hi]. */
      for (;;)
        {
          if (hi <= step)
            {
              lo = 0;
              break;
            }
          lo = hi - step;
          if (keys[lo] <= key)
            break;
          hi = lo;
          step *= 2;
        }
    }

  /* The first key >= @key in [lo, hi]; keys[hi] >= key holds. */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (keys[mid] < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  map->finger = lo;
  *index = lo;
  return keys[lo] == key;
}

static void
others_insert (IdMap  *map,
               gint64  key,
               gint64  value)
{
  gsize mask, i;

  if ((map->count + 1) * 4 > map->size * 3)
    {
      IdSlot *old = map->slots;
      gsize old_size = map->size;

      id_map_alloc_slots (map, old_size * 2);
      for (gsize j = 0; j < old_size; j++)
        if (old[j].key != ID_MAP_FREE)
          others_insert (map, old[j].key, old[j].value);
      g_free (old);
    }
  mask = map->size - 1;
  for (i = id_hash (key) & mask; map->slots[i].key != ID_MAP_FREE; i = (i + 1) & mask)
    if (map->slots[i].key == key)
      {
        map->slots[i].value = value;
        return;
      }
  map->slots[i].key = key;
  map->slots[i].value = value;
  map->count++;
}

/* The value stored for @key, to change in place, or %NULL. It moves when
 * the map grows. */
static gint64 *
id_map_value (IdMap  *map,
              gint64  key)
{
  gsize mask = map->size - 1;
  gsize index;

  if (run_find (map, key, &index))
    return &map->values[index];
  if (G_UNLIKELY (key == ID_MAP_FREE))
    return map->has_free_key ? &map->free_key_value : NULL;
  if (map->count == 0)
    return NULL;
  for (gsize i = id_hash (key) & mask; map->slots[i].key != ID_MAP_FREE; i = (i + 1) & mask)
    if (map->slots[i].key == key)
      return &map->slots[i].value;
  return NULL;
}

static gboolean
id_map_lookup (IdMap  *map,
               gint64  key,
               gint64 *value)
{
  const gint64 *found = id_map_value (map, key);

  if (found != NULL && value != NULL)
    *value = *found;
  return found != NULL;
}

static void
id_map_insert (IdMap  *map,
               gint64  key,
               gint64  value)
{
  gint64 *found;

  /* A key beyond the run cannot be anywhere yet: whatever went to the
   * others was below the run's end when it came. */
  if (map->len == 0 || key > map->keys[map->len - 1])
    {
      if (map->len == map->alloc)
        id_map_reserve (map, MAX (64, map->alloc * 2));
      map->keys[map->len] = key;
      map->values[map->len] = value;
      map->len++;
      return;
    }

  found = id_map_value (map, key);
  if (found != NULL)
    *found = value;
  else if (G_UNLIKELY (key == ID_MAP_FREE))
    {
      map->has_free_key = TRUE;
      map->free_key_value = value;
    }
  else
    others_insert (map, key, value);
}

/* ------------------------------------------------------------------------ */
/* JSON helpers: Anki's JSON is loose about numbers, strings and booleans. */

static gboolean
json_number (JsonObject *object,
             const char *key,
             double     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    case G_TYPE_BOOLEAN:
      *value = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        double parsed = g_ascii_strtod (text, &end);

        if (end == text || *end != '\0')
          return FALSE;
        *value = parsed;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static gint64
json_int (JsonObject *object,
          const char *key,
          gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;
  double value;

  /* Large ids lose nothing when read as integers first. */
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      char *end = NULL;
      gint64 parsed = g_ascii_strtoll (text, &end, 10);

      if (end != text && *end == '\0')
        return parsed;
    }
  if (json_number (object, key, &value) && isfinite (value))
    return (gint64) value;
  return fallback;
}

static double
json_double (JsonObject *object,
             const char *key,
             double      fallback)
{
  double value;

  return json_number (object, key, &value) && isfinite (value) ? value : fallback;
}

static const char *
json_string (JsonObject *object,
             const char *key,
             const char *fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return fallback;
}

static JsonObject *
json_child_object (JsonObject *object,
                   const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
json_child_array (JsonObject *object,
                  const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static char *
json_object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* Numbers from a JSON array into doubles; non-numbers end the array. */
static GArray *
json_doubles (JsonArray *array)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      double value;

      if (!JSON_NODE_HOLDS_VALUE (node))
        break;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        value = (double) json_node_get_int (node);
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        value = json_node_get_double (node);
      else
        break;
      g_array_append_val (values, value);
    }
  return values;
}

static JsonArray *
floats_to_json (GArray *floats)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; floats != NULL && i < floats->len; i++)
    {
      /* Print floats at their own precision, not as widened doubles. */
      char buf[32];

      g_snprintf (buf, sizeof buf, "%.7g", (double) g_array_index (floats, float, i));
      json_array_add_double_element (array, g_ascii_strtod (buf, NULL));
    }
  return array;
}

/* Merges the leftover JSON that protobuf messages keep in field 255. */
static void
merge_other_json (JsonObject   *object,
                  const guint8 *data,
                  gsize         len)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  g_autoptr(GList) members = NULL;
  JsonObject *other;

  if (len == 0)
    return;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  other = json_node_get_object (root);
  members = json_object_get_members (other);
  for (GList *l = members; l != NULL; l = l->next)
    if (!json_object_has_member (object, l->data))
      json_object_set_member (object, l->data,
                              json_node_copy (json_object_get_member (other, l->data)));
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64      id;
  char       *name;
  JsonObject *json;          /* schema-11 form, also for schema-18 sources */
  GArray     *learn_steps;   /* guint seconds */
  GArray     *relearn_steps;
  GArray     *fsrs_params;   /* double */
  gint64      preset_id;     /* ours, 0 until needed */
} SourcePreset;

static void
source_preset_free (SourcePreset *preset)
{
  g_free (preset->name);
  g_clear_pointer (&preset->json, json_object_unref);
  g_clear_pointer (&preset->learn_steps, g_array_unref);
  g_clear_pointer (&preset->relearn_steps, g_array_unref);
  g_clear_pointer (&preset->fsrs_params, g_array_unref);
  g_free (preset);
}

typedef struct
{
  gint64      id;
  char       *name;          /* "A::B" */
  gboolean    filtered;
  gint64      conf;
  char       *description;
  JsonObject *json;
} SourceDeck;

static void
source_deck_free (SourceDeck *deck)
{
  g_free (deck->name);
  g_free (deck->description);
  g_clear_pointer (&deck->json, json_object_unref);
  g_free (deck);
}

typedef struct
{
  gint64          source_id;
  SdNotetype     *notetype;    /* ours, with our id */
  JsonObject     *json;
  GArray         *template_decks;  /* gint64 source deck ids */
} SourceNotetype;

static void
source_notetype_free (SourceNotetype *nt)
{
  sd_notetype_free (nt->notetype);
  g_clear_pointer (&nt->json, json_object_unref);
  g_clear_pointer (&nt->template_decks, g_array_unref);
  g_free (nt);
}

/* One value of a row for a bulk insert (see bulk_insert()). */
typedef enum
{
  CELL_NULL,
  CELL_INT,
  CELL_DOUBLE,
  CELL_TEXT,
} CellKind;

typedef struct
{
  CellKind    kind;
  gint64      i;
  double      d;
  const char *s;     /* valid until the next row */
} Cell;

/* The widest table written in bulk: cards. */
#define ROW_COLUMNS 20

typedef struct _Import Import;

/* Maps the package's next row into imp->row; *has_row stays FALSE at the end. */
typedef gboolean (*RowFunc) (Import    *imp,
                             gboolean  *has_row,
                             GError   **error);

struct _Import
{
  SdCollection     *collection;
  SdAnkiPackage    *package;
  const char       *name;           /* the package, for messages */
  sqlite3          *src;
  char             *tmpdir;
  GCancellable     *cancellable;
  SdImportProgress  progress;
  gpointer          progress_data;
  guint64           done;
  guint64           total;
  SdImportStats     stats;

  int               schema;
  gboolean          modern;         /* schema-18 tables */
  JsonObject       *conf;           /* col.conf or the config table as one object */
  gint64            crt;
  int               sched_version;
  int               source_rollover;
  int               rollover;       /* ours */
  GTimeZone        *zone;           /* local, read once */
  gint64            day_delta;      /* our today - the package's today */
  gint64            now;

  GHashTable       *presets;        /* gint64 * -> SourcePreset */
  GHashTable       *deck_presets;   /* source deck id -> SourcePreset (borrowed) */
  IdMap             deck_map;
  GHashTable       *notetypes;      /* gint64 * source id -> SourceNotetype */
  IdMap             note_map;
  IdMap             card_map;
  GPtrArray        *media_entries;
  GHashTable       *media_refs;     /* referenced names */
  GArray           *touched_notes;  /* our ids of notes added or updated */
  GPtrArray        *created_media;  /* names this import wrote */
  gboolean          revlog_index;
  sqlite3_stmt     *replay_stmt;      /* a card's review log, prepared once */
  /* Ids above these were free when the import started; while no fresh id
   * has been handed out, such ids need no lookup. */
  gint64            max_note_id;
  gint64            max_card_id;
  gint64            max_revlog_id;
  gboolean          fresh_ids;
  /* Our ids of the notes this import added, each with the templates its
   * cards use (bit ord, below NOTE_ORD_BITS) so that a repeated card is
   * found without a second lookup; other ords go to new_note_cards. */
  IdMap             new_notes;
  IdMap             new_note_cards;   /* note id * 1000 + ord */

  /* The bulk insert under way (see bulk_insert()). */
  sqlite3_stmt     *rows_src;         /* the package's rows */
  RowFunc           next_row;
  Cell              row[ROW_COLUMNS]; /* the mapped row */
  GPtrArray        *row_strings;      /* text the row points to */
  GError           *row_error;        /* why the mapping stopped */
  gint64            row_source_id;    /* what the row came from, for messages */
  const char       *row_guid;
  GString          *card_extra;

  /* The integrity check (see check_thread()). */
  sqlite3          *check_db;
  GThread          *check_thread;
  GString          *check_problems;
  int               check_rc;
  char             *check_errmsg;
};

static gboolean finish_check (Import *imp, gboolean give_up, GError **error);

static void
import_clear (Import *imp)
{
  /* The check reads the copy that goes below. */
  finish_check (imp, TRUE, NULL);
  if (imp->check_db != NULL)
    sqlite3_close_v2 (imp->check_db);
  if (imp->check_problems != NULL)
    g_string_free (g_steal_pointer (&imp->check_problems), TRUE);
  g_free (imp->check_errmsg);
  g_clear_pointer (&imp->replay_stmt, sd_sqlite3_stmt_finalize);
  if (imp->src != NULL)
    sqlite3_close_v2 (imp->src);
  if (imp->tmpdir != NULL)
    {
      GDir *dir = g_dir_open (imp->tmpdir, 0, NULL);
      const char *entry;

      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (imp->tmpdir, entry, NULL);
          g_unlink (path);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (imp->tmpdir);
      g_free (imp->tmpdir);
    }
  g_clear_pointer (&imp->package, sd_anki_package_free);
  g_clear_pointer (&imp->conf, json_object_unref);
  g_clear_pointer (&imp->zone, g_time_zone_unref);
  g_clear_pointer (&imp->presets, g_hash_table_unref);
  g_clear_pointer (&imp->deck_presets, g_hash_table_unref);
  g_clear_pointer (&imp->notetypes, g_hash_table_unref);
  g_clear_pointer (&imp->media_entries, g_ptr_array_unref);
  g_clear_pointer (&imp->media_refs, g_hash_table_unref);
  g_clear_pointer (&imp->touched_notes, g_array_unref);
  g_clear_pointer (&imp->created_media, g_ptr_array_unref);
  id_map_clear (&imp->deck_map);
  id_map_clear (&imp->note_map);
  id_map_clear (&imp->card_map);
  id_map_clear (&imp->new_note_cards);
  id_map_clear (&imp->new_notes);
  g_clear_pointer (&imp->rows_src, sd_sqlite3_stmt_finalize);
  g_clear_pointer (&imp->row_strings, g_ptr_array_unref);
  g_clear_error (&imp->row_error);
  if (imp->card_extra != NULL)
    g_string_free (g_steal_pointer (&imp->card_extra), TRUE);
}

static gboolean
src_error (Import  *imp,
           GError **error)
{
  int rc = sqlite3_errcode (imp->src);

  g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
               _("“%s” is damaged: its collection cannot be read (%s)"),
               imp->name, rc == SQLITE_NOTADB ? _("it is not an SQLite database")
                                             : sqlite3_errmsg (imp->src));
  return FALSE;
}

static gboolean
tick (Import  *imp,
      GError **error)
{
  imp->done++;
  if (imp->done % CHECK_EVERY != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (imp->cancellable, error))
    return FALSE;
  if (imp->progress != NULL)
    imp->progress (imp->done, imp->total, imp->progress_data);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Bulk inserts.
 *
 * Each of the large tables is written by one INSERT … SELECT from
 * sd_import_rows, a table-valued function whose rows imp->next_row maps
 * from the package one at a time. An INSERT of one small row costs mostly
 * its own setup: cursors on the table and each index, a statement journal,
 * the foreign-key checks. One statement for all rows pays that once, which
 * takes about a third off writing a large package. SQLite writes each row
 * before it asks for the next, so the mapping sees the rows written so far
 * and may look things up in the collection exactly as a loop of single
 * INSERTs would. */

#define ROWS_MODULE "sd_import_rows"

typedef struct
{
  sqlite3_vtab  base;
  Import       *imp;
} RowsTable;

typedef struct
{
  sqlite3_vtab_cursor  base;
  sqlite3_int64        rowid;
  gboolean             eof;
} RowsCursor;

static int
rows_connect (sqlite3             *db,
              void                *aux,
              int                  argc,
              const char * const  *argv,
              sqlite3_vtab       **vtab,
              char               **err)
{
  RowsTable *table;
  int rc;

  G_STATIC_ASSERT (ROW_COLUMNS == 20);
  rc = sqlite3_declare_vtab (db, "CREATE TABLE x (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9,"
                                 " c10, c11, c12, c13, c14, c15, c16, c17, c18, c19)");
  if (rc != SQLITE_OK)
    return rc;
  table = sqlite3_malloc (sizeof *table);
  if (table == NULL)
    return SQLITE_NOMEM;
  memset (table, 0, sizeof *table);
  table->imp = aux;
  *vtab = &table->base;
  return SQLITE_OK;
}

static int
rows_disconnect (sqlite3_vtab *vtab)
{
  sqlite3_free (vtab);
  return SQLITE_OK;
}

static int
rows_best_index (sqlite3_vtab       *vtab,
                 sqlite3_index_info *info)
{
  info->estimatedCost = 1e6;
  return SQLITE_OK;
}

static int
rows_open (sqlite3_vtab         *vtab,
           sqlite3_vtab_cursor **cursor)
{
  RowsCursor *rows = sqlite3_malloc (sizeof *rows);

  if (rows == NULL)
    return SQLITE_NOMEM;
  memset (rows, 0, sizeof *rows);
  *cursor = &rows->base;
  return SQLITE_OK;
}

static int
rows_close (sqlite3_vtab_cursor *cursor)
{
  sqlite3_free (cursor);
  return SQLITE_OK;
}

static int
rows_next (sqlite3_vtab_cursor *cursor)
{
  RowsCursor *rows = (RowsCursor *) cursor;
  Import *imp = ((RowsTable *) cursor->pVtab)->imp;
  gboolean has_row = FALSE;

  g_ptr_array_set_size (imp->row_strings, 0);
  for (guint i = 0; i < ROW_COLUMNS; i++)
    imp->row[i].kind = CELL_NULL;
  if (!imp->next_row (imp, &has_row, &imp->row_error))
    {
      /* bulk_insert() reports imp->row_error itself; this is for SQLite. */
      sqlite3_free (cursor->pVtab->zErrMsg);
      cursor->pVtab->zErrMsg = sqlite3_mprintf ("%s", imp->row_error->message);
      return SQLITE_ERROR;
    }
  rows->eof = !has_row;
  rows->rowid++;
  return SQLITE_OK;
}

static int
rows_filter (sqlite3_vtab_cursor  *cursor,
             int                   index,
             const char           *index_name,
             int                   argc,
             sqlite3_value       **argv)
{
  ((RowsCursor *) cursor)->rowid = 0;
  return rows_next (cursor);
}

static int
rows_eof (sqlite3_vtab_cursor *cursor)
{
  return ((RowsCursor *) cursor)->eof;
}

static int
rows_column (sqlite3_vtab_cursor *cursor,
             sqlite3_context     *context,
             int                  column)
{
  const Cell *cell = &((RowsTable *) cursor->pVtab)->imp->row[column];

  switch (cell->kind)
    {
    case CELL_INT:
      sqlite3_result_int64 (context, cell->i);
      break;
    case CELL_DOUBLE:
      sqlite3_result_double (context, cell->d);
      break;
    case CELL_TEXT:
      sqlite3_result_text (context, cell->s, -1, SQLITE_TRANSIENT);
      break;
    case CELL_NULL:
    default:
      sqlite3_result_null (context);
      break;
    }
  return SQLITE_OK;
}

static int
rows_rowid (sqlite3_vtab_cursor *cursor,
            sqlite_int64        *rowid)
{
  *rowid = ((RowsCursor *) cursor)->rowid;
  return SQLITE_OK;
}

/* Eponymous only: no xCreate, so it exists as a table-valued function. */
static sqlite3_module rows_module = {
  .iVersion = 0,
  .xConnect = rows_connect,
  .xBestIndex = rows_best_index,
  .xDisconnect = rows_disconnect,
  .xOpen = rows_open,
  .xClose = rows_close,
  .xFilter = rows_filter,
  .xNext = rows_next,
  .xEof = rows_eof,
  .xColumn = rows_column,
  .xRowid = rows_rowid,
};

static inline void
cell_int (Import *imp,
          guint   column,
          gint64  value)
{
  imp->row[column].kind = CELL_INT;
  imp->row[column].i = value;
}

static inline void
cell_double (Import *imp,
             guint   column,
             double  value)
{
  imp->row[column].kind = CELL_DOUBLE;
  imp->row[column].d = value;
}

/* @text is borrowed; it must stay valid until the next row. */
static inline void
cell_text (Import     *imp,
           guint       column,
           const char *text)
{
  imp->row[column].kind = text != NULL ? CELL_TEXT : CELL_NULL;
  imp->row[column].s = text;
}

/* Like cell_text(), taking @text, which is freed with the row. */
static inline void
cell_text_take (Import *imp,
                guint   column,
                char   *text)
{
  g_ptr_array_add (imp->row_strings, text);
  cell_text (imp, column, text);
}

/* Runs @sql, an INSERT … SELECT from sd_import_rows, with @next_row
 * mapping the rows. A failed insert gets @blame's prefix, naming the row. */
static gboolean
bulk_insert (Import      *imp,
             const char  *sql,
             RowFunc      next_row,
             void       (*blame) (Import *imp, GError **error),
             GError     **error)
{
  sqlite3 *db = sd_collection_get_db (imp->collection);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  imp->next_row = next_row;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (imp->collection, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  if (imp->row_error != NULL)
    g_propagate_error (error, g_steal_pointer (&imp->row_error));
  else
    {
      sd_collection_set_error (imp->collection, error);
      if (blame != NULL)
        blame (imp, error);
    }
  return FALSE;
}

static gboolean
table_exists (sqlite3    *db,
              const char *name)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gint64
src_scalar (Import     *imp,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (imp->src, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* Anki's "unicase" collation: case-insensitive Unicode comparison. */
static int
unicase_compare (void       *user_data,
                 int         len_a,
                 const void *a,
                 int         len_b,
                 const void *b)
{
  g_autofree char *valid_a = g_utf8_make_valid (a, len_a);
  g_autofree char *valid_b = g_utf8_make_valid (b, len_b);
  g_autofree char *fold_a = g_utf8_casefold (valid_a, -1);
  g_autofree char *fold_b = g_utf8_casefold (valid_b, -1);

  return strcmp (fold_a, fold_b);
}

/* ------------------------------------------------------------------------ */
/* Opening the collection inside the package. */

/* The package's collection gets SQLite's integrity check on a connection
 * and a thread of its own while the import maps its rows: the check reads
 * the whole file, and on a second core it costs the import no time. Nothing
 * is committed before the check has passed, and its verdict outranks any
 * error the import met meanwhile, since a damaged file explains those. */
static gpointer
check_thread (gpointer data)
{
  Import *imp = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (imp->check_db, "PRAGMA integrity_check (20)", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") != 0)
        g_string_append_printf (imp->check_problems, "%s%s",
                                imp->check_problems->len ? "; " : "", row);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      imp->check_rc = rc;
      imp->check_errmsg = g_strdup (sqlite3_errmsg (imp->check_db));
    }
  return NULL;
}

static gboolean
start_check (Import  *imp,
             GError **error)
{
  const char *path = sqlite3_db_filename (imp->src, "main");

  if (sqlite3_open_v2 (path, &imp->check_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its collection cannot be read (%s)"),
                   imp->name, sqlite3_errmsg (imp->check_db));
      return FALSE;
    }
  sqlite3_extended_result_codes (imp->check_db, 0);
  /* The import's connection locks the log's index now and then. */
  sqlite3_busy_timeout (imp->check_db, 5000);
  sqlite3_create_collation_v2 (imp->check_db, "unicase", SQLITE_UTF8, NULL, unicase_compare, NULL);
  imp->check_problems = g_string_new (NULL);
  imp->check_thread = g_thread_new ("sd-import-check", check_thread, imp);
  return TRUE;
}

/* Waits for the integrity check; @give_up stops it first when its verdict
 * no longer matters. */
static gboolean
finish_check (Import    *imp,
              gboolean   give_up,
              GError   **error)
{
  if (imp->check_thread == NULL)
    return TRUE;
  if (give_up)
    sqlite3_interrupt (imp->check_db);
  g_thread_join (g_steal_pointer (&imp->check_thread));

  if (give_up)
    return TRUE;
  if (imp->check_rc != SQLITE_OK)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its collection cannot be read (%s)"),
                   imp->name, imp->check_rc == SQLITE_NOTADB ? _("it is not an SQLite database")
                                                             : imp->check_errmsg);
      return FALSE;
    }
  if (imp->check_problems->len > 0)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its collection fails the SQLite integrity check (%s)"),
                   imp->name, imp->check_problems->str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
open_source (Import        *imp,
             const char    *path,
             GError       **error)
{
  int rc;

  imp->package = sd_anki_package_open (path, error);
  if (imp->package == NULL)
    return FALSE;
  imp->name = sd_anki_package_get_display_name (imp->package);

  /* Names are checked before anything is written, as Anki does. */
  imp->media_entries = sd_anki_package_read_media_map (imp->package, error);
  if (imp->media_entries == NULL)
    return FALSE;

  imp->tmpdir = g_dir_make_tmp ("studydeck-import-XXXXXX", error);
  if (imp->tmpdir == NULL)
    return FALSE;

  {
    g_autofree char *db_path = sd_anki_package_extract_collection (imp->package, imp->tmpdir,
                                                                   imp->cancellable, error);
    if (db_path == NULL)
      return FALSE;

    /* Read-write, on our private copy: a WAL-flagged schema-18 file needs
     * its side files created. */
    rc = sqlite3_open_v2 (db_path, &imp->src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
      return src_error (imp, error);
  }

  sqlite3_extended_result_codes (imp->src, 0);
  sqlite3_create_collation_v2 (imp->src, "unicase", SQLITE_UTF8, NULL, unicase_compare, NULL);
  /* The import may add an index to its copy (replay_card()) while the
   * check reads it: with a write-ahead log neither waits for the other.
   * A damaged file may refuse; the check says why. */
  sqlite3_exec (imp->src, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  sqlite3_busy_timeout (imp->src, 5000);

  return start_check (imp, error);
}

static gboolean
parse_json_object (Import      *imp,
                   const char  *text,
                   const char  *what,
                   JsonObject **out,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  *out = NULL;
  if (text == NULL || *text == '\0')
    {
      *out = json_object_new ();
      return TRUE;
    }
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its %s are not valid JSON (%s)"),
                   imp->name, what, local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its %s are not a JSON object"), imp->name, what);
      return FALSE;
    }
  *out = json_object_ref (json_node_get_object (root));
  return TRUE;
}

static char *
src_col_text (Import     *imp,
              const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM col ORDER BY id LIMIT 1", column);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (imp->src, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return sd_column_dup (stmt, 0);
}

static gint64
local_offset_seconds (gint64 epoch_s)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (epoch_s);

  return local != NULL ? g_date_time_get_utc_offset (local) / G_USEC_PER_SEC : 0;
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The package's "today", counted from col.crt the way Anki counts it
 * (rslib/src/scheduler/timing.rs). */
static gint64
source_days_elapsed (Import *imp)
{
  gint64 now = imp->now;
  gint64 offset_now = local_offset_seconds (now);
  double creation_offset;

  if (imp->sched_version < 2)
    return MAX ((now - imp->crt) / 86400, 0);

  if (json_number (imp->conf, "creationOffset", &creation_offset))
    {
      gint64 minutes_west = CLAMP ((gint64) creation_offset, -23 * 60, 23 * 60);
      gint64 created_day = floor_div (imp->crt - minutes_west * 60, 86400);
      gint64 now_local = now + offset_now;
      gint64 now_day = floor_div (now_local, 86400);
      gint64 days = now_day - created_day;

      if (now_local - now_day * 86400 < (gint64) imp->source_rollover * 3600)
        days--;
      return MAX (days, 0);
    }

  {
    gint64 crt_day = floor_div (imp->crt + offset_now, 86400);
    gint64 crt_at_rollover = crt_day * 86400 + (gint64) imp->source_rollover * 3600 - offset_now;

    return MAX ((now - crt_at_rollover) / 86400, 0);
  }
}

static gboolean
read_collection_header (Import  *imp,
                        GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!table_exists (imp->src, "col") || !table_exists (imp->src, "notes")
      || !table_exists (imp->src, "cards") || !table_exists (imp->src, "revlog"))
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its collection is not an Anki collection "
                     "(the col, notes, cards or revlog table is missing)"),
                   imp->name);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (imp->src, "SELECT ver, crt FROM col ORDER BY id LIMIT 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return src_error (imp, error);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: its collection has no col row"), imp->name);
      return FALSE;
    }
  imp->schema = sqlite3_column_int (stmt, 0);
  imp->crt = sqlite3_column_int64 (stmt, 1);

  if (imp->schema > 18)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_TOO_NEW,
                   _("“%s” was made by a newer version of Anki (collection schema %d; "
                     "this version reads 11 to 18). Export it again with “Support older "
                     "Anki versions” ticked."),
                   imp->name, imp->schema);
      return FALSE;
    }
  if (imp->schema < 11)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_TOO_NEW,
                   _("“%s” has an unknown collection schema version %d (this version "
                     "reads 11 to 18)"),
                   imp->name, imp->schema);
      return FALSE;
    }

  imp->modern = table_exists (imp->src, "notetypes");

  if (table_exists (imp->src, "config"))
    {
      g_autoptr(sqlite3_stmt) config = NULL;

      imp->conf = json_object_new ();
      if (sqlite3_prepare_v2 (imp->src, "SELECT KEY, val FROM config", -1, &config, NULL)
          != SQLITE_OK)
        return src_error (imp, error);
      while (sqlite3_step (config) == SQLITE_ROW)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          const char *key = (const char *) sqlite3_column_text (config, 0);
          const char *val = sqlite3_column_blob (config, 1);
          int len = sqlite3_column_bytes (config, 1);

          if (key != NULL && val != NULL
              && json_parser_load_from_data (parser, val, len, NULL)
              && json_parser_get_root (parser) != NULL)
            json_object_set_member (imp->conf, key, json_node_copy (json_parser_get_root (parser)));
        }
    }
  else
    {
      g_autofree char *conf = src_col_text (imp, "conf");

      if (!parse_json_object (imp, conf, _("collection settings"), &imp->conf, error))
        return FALSE;
    }

  imp->sched_version = (int) json_int (imp->conf, "schedVer", 1);
  imp->source_rollover = (int) CLAMP (json_int (imp->conf, "rollover", 4), 0, 23);

  /* A one-note collection.anki2 saying "please update" is the placeholder a
   * newer Anki writes beside the real data, which is not in this package. */
  if (g_str_equal (sd_anki_package_get_collection_member (imp->package), "collection.anki2")
      && src_scalar (imp, "SELECT count(*) FROM notes") == 1
      && src_scalar (imp, "SELECT count(*) FROM notes WHERE"
                          " flds LIKE '%Please update to the latest Anki version%'"
                          " OR flds LIKE '%This file requires a newer version of Anki%'") == 1)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_TOO_NEW,
                   _("“%s” was made by a newer version of Anki: it only holds the "
                     "“please update” placeholder. Export it again with “Support older "
                     "Anki versions” ticked."),
                   imp->name);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Options groups. */

static GArray *
minutes_to_seconds (GArray *minutes)
{
  GArray *seconds = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; minutes != NULL && i < minutes->len; i++)
    {
      double m = g_array_index (minutes, double, i);
      guint s;

      if (!(m > 0) || m > 1e7)
        continue;
      s = (guint) MAX (1, lround (m * 60));
      g_array_append_val (seconds, s);
    }
  return seconds;
}

static void
source_preset_fill (SourcePreset *preset)
{
  JsonObject *json = preset->json;
  g_autoptr(GArray) learn = json_doubles (json_child_array (json_child_object (json, "new"), "delays"));
  g_autoptr(GArray) relearn = json_doubles (json_child_array (json_child_object (json, "lapse"),
                                                              "delays"));
  const char *keys[] = { "fsrsParams6", "fsrsParams5", "fsrsWeights" };

  preset->id = json_int (json, "id", preset->id);
  preset->name = g_strdup (json_string (json, "name", ""));
  preset->learn_steps = minutes_to_seconds (learn);
  preset->relearn_steps = minutes_to_seconds (relearn);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GArray *params = json_doubles (json_child_array (json, keys[i]));
      SdFsrsParams ignored;

      if (params->len > 0 && sd_fsrs_params_from_array (&ignored, (const double *) params->data,
                                                        params->len, NULL))
        {
          preset->fsrs_params = params;
          break;
        }
      g_array_unref (params);
    }
}

/* DeckConfig.Config (proto/anki/deck_config.proto) in the schema-11 JSON
 * shape, so one code path reads both and an export can write it back. */
static JsonObject *
deck_config_to_json (gint64        id,
                     const char   *name,
                     gint64        mtime,
                     const guint8 *data,
                     gsize         len,
                     GError      **error)
{
  g_autoptr(JsonObject) json = json_object_new ();
  JsonObject *new_ = json_object_new ();
  JsonObject *rev = json_object_new ();
  JsonObject *lapse = json_object_new ();
  g_autoptr(GArray) learn = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) relearn = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) params4 = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) params5 = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) params6 = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GArray) easy_days = g_array_new (FALSE, FALSE, sizeof (float));
  const guint8 *other = NULL;
  gsize other_len = 0;
  guint64 good = 1, easy = 4, leech_action = 0, leech_threshold = 8;
  guint64 new_per_day = 20, reviews_per_day = 200, max_ivl = 36500, min_int = 1;
  guint64 cap = 60, disable_autoplay = 0, timer = 0, bury_new = 0, bury_rev = 0, bury_inter = 0;
  float initial_ease = 2.5f, easy_mult = 1.3f, hard_mult = 1.2f, lapse_mult = 0, ivl_mult = 1;
  float retention = 0.9f;
  SdProtobufReader reader;
  gboolean has_field;

  sd_protobuf_reader_init (&reader, data, len);
  for (;;)
    {
      guint64 v = 0;
      float f = 0;

      if (!sd_protobuf_reader_next (&reader, &has_field, error))
        return NULL;
      if (!has_field)
        break;

      switch (reader.field)
        {
        case 1: if (!sd_protobuf_read_floats (&reader, learn, error)) return NULL; continue;
        case 2: if (!sd_protobuf_read_floats (&reader, relearn, error)) return NULL; continue;
        case 3: if (!sd_protobuf_read_floats (&reader, params4, error)) return NULL; continue;
        case 4: if (!sd_protobuf_read_floats (&reader, easy_days, error)) return NULL; continue;
        case 5: if (!sd_protobuf_read_floats (&reader, params5, error)) return NULL; continue;
        case 6: if (!sd_protobuf_read_floats (&reader, params6, error)) return NULL; continue;
        case 255:
          if (reader.wire_type == SD_PROTOBUF_LEN)
            {
              if (!sd_protobuf_read_bytes (&reader, &other, &other_len, error))
                return NULL;
              continue;
            }
          break;
        default:
          break;
        }

      if (reader.wire_type == SD_PROTOBUF_VARINT)
        {
          if (!sd_protobuf_read_varint (&reader, &v, error))
            return NULL;
          switch (reader.field)
            {
            case 9: new_per_day = v; break;
            case 10: reviews_per_day = v; break;
            case 16: max_ivl = v; break;
            case 17: min_int = v; break;
            case 18: good = v; break;
            case 19: easy = v; break;
            case 21: leech_action = v; break;
            case 22: leech_threshold = v; break;
            case 23: disable_autoplay = v; break;
            case 24: cap = v; break;
            case 25: timer = v; break;
            case 27: bury_new = v; break;
            case 28: bury_rev = v; break;
            case 29: bury_inter = v; break;
            default: break;
            }
        }
      else if (reader.wire_type == SD_PROTOBUF_FIXED32)
        {
          if (!sd_protobuf_read_float (&reader, &f, error))
            return NULL;
          switch (reader.field)
            {
            case 11: initial_ease = f; break;
            case 12: easy_mult = f; break;
            case 13: hard_mult = f; break;
            case 14: lapse_mult = f; break;
            case 15: ivl_mult = f; break;
            case 37: retention = f; break;
            default: break;
            }
        }
      else if (!sd_protobuf_skip (&reader, error))
        return NULL;
    }

  json_object_set_int_member (json, "id", id);
  json_object_set_string_member (json, "name", name);
  json_object_set_int_member (json, "mod", mtime);
  json_object_set_int_member (json, "usn", 0);
  json_object_set_int_member (json, "maxTaken", (gint64) cap);
  json_object_set_boolean_member (json, "autoplay", !disable_autoplay);
  json_object_set_int_member (json, "timer", timer ? 1 : 0);
  json_object_set_boolean_member (json, "dyn", FALSE);

  json_object_set_array_member (new_, "delays", floats_to_json (learn));
  json_object_set_int_member (new_, "initialFactor", lround (initial_ease * 1000));
  {
    JsonArray *ints = json_array_new ();
    json_array_add_int_element (ints, (gint64) good);
    json_array_add_int_element (ints, (gint64) easy);
    json_array_add_int_element (ints, 0);
    json_object_set_array_member (new_, "ints", ints);
  }
  json_object_set_int_member (new_, "perDay", (gint64) new_per_day);
  json_object_set_boolean_member (new_, "bury", bury_new != 0);
  json_object_set_object_member (json, "new", new_);

  json_object_set_int_member (rev, "perDay", (gint64) reviews_per_day);
  json_object_set_double_member (rev, "ease4", easy_mult);
  json_object_set_double_member (rev, "ivlFct", ivl_mult);
  json_object_set_int_member (rev, "maxIvl", (gint64) max_ivl);
  json_object_set_double_member (rev, "hardFactor", hard_mult);
  json_object_set_boolean_member (rev, "bury", bury_rev != 0);
  json_object_set_object_member (json, "rev", rev);

  json_object_set_array_member (lapse, "delays", floats_to_json (relearn));
  json_object_set_int_member (lapse, "leechAction", (gint64) leech_action);
  json_object_set_int_member (lapse, "leechFails", (gint64) leech_threshold);
  json_object_set_int_member (lapse, "minInt", (gint64) min_int);
  json_object_set_double_member (lapse, "mult", lapse_mult);
  json_object_set_object_member (json, "lapse", lapse);

  json_object_set_boolean_member (json, "buryInterdayLearning", bury_inter != 0);
  json_object_set_array_member (json, "fsrsWeights", floats_to_json (params4));
  json_object_set_array_member (json, "fsrsParams5", floats_to_json (params5));
  json_object_set_array_member (json, "fsrsParams6", floats_to_json (params6));
  json_object_set_array_member (json, "easyDaysPercentages", floats_to_json (easy_days));
  {
    char buf[32];
    g_snprintf (buf, sizeof buf, "%.4g", (double) retention);
    json_object_set_double_member (json, "desiredRetention", g_ascii_strtod (buf, NULL));
  }
  merge_other_json (json, other, other_len);

  return g_steal_pointer (&json);
}

static gboolean
load_presets (Import  *imp,
              GError **error)
{
  imp->presets = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                        (GDestroyNotify) source_preset_free);

  if (table_exists (imp->src, "deck_config"))
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (sqlite3_prepare_v2 (imp->src,
                              "SELECT id, name, mtime_secs, config FROM deck_config",
                              -1, &stmt, NULL) != SQLITE_OK)
        return src_error (imp, error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(GError) local_error = NULL;
          SourcePreset *preset = g_new0 (SourcePreset, 1);

          preset->id = sqlite3_column_int64 (stmt, 0);
          preset->json = deck_config_to_json (preset->id,
                                              (const char *) sqlite3_column_text (stmt, 1),
                                              sqlite3_column_int64 (stmt, 2),
                                              sqlite3_column_blob (stmt, 3),
                                              (gsize) sqlite3_column_bytes (stmt, 3),
                                              &local_error);
          if (preset->json == NULL)
            {
              source_preset_free (preset);
              g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                           _("“%s” is damaged: options group %" G_GINT64_FORMAT
                             " cannot be read (%s)"),
                           imp->name, (gint64) sqlite3_column_int64 (stmt, 0), local_error->message);
              return FALSE;
            }
          source_preset_fill (preset);
          g_hash_table_insert (imp->presets, &preset->id, preset);
        }
    }
  else
    {
      g_autofree char *text = src_col_text (imp, "dconf");
      g_autoptr(JsonObject) all = NULL;
      g_autoptr(GList) keys = NULL;

      if (!parse_json_object (imp, text, _("deck options"), &all, error))
        return FALSE;
      keys = json_object_get_members (all);
      for (GList *l = keys; l != NULL; l = l->next)
        {
          JsonObject *object = json_child_object (all, l->data);
          SourcePreset *preset;

          if (object == NULL)
            continue;
          preset = g_new0 (SourcePreset, 1);
          preset->id = g_ascii_strtoll (l->data, NULL, 10);
          preset->json = json_object_ref (object);
          source_preset_fill (preset);
          if (g_hash_table_contains (imp->presets, &preset->id))
            source_preset_free (preset);
          else
            g_hash_table_insert (imp->presets, &preset->id, preset);
        }
    }
  return TRUE;
}

static gint64
ensure_preset (Import        *imp,
               SourcePreset  *source,
               GError       **error)
{
  g_autoptr(SdPreset) existing = NULL;
  g_autoptr(SdPreset) preset = NULL;
  JsonObject *json = source->json;
  JsonObject *new_ = json_child_object (json, "new");
  JsonObject *rev = json_child_object (json, "rev");
  JsonObject *lapse = json_child_object (json, "lapse");
  double retention;

  if (source->preset_id != 0)
    return source->preset_id;

  /* Anki's group 1 is everybody's "Default"; like Anki, never overwrite the
   * collection's own. Other groups are matched on id. */
  if (source->id == SD_PRESET_DEFAULT_ID)
    return source->preset_id = SD_PRESET_DEFAULT_ID;

  existing = sd_preset_load (imp->collection, source->id, NULL);
  if (existing != NULL)
    return source->preset_id = existing->id;

  preset = sd_preset_new (source->name[0] != '\0' ? source->name : _("Imported options"));
  preset->id = source->id > 0 ? source->id : 0;
  retention = json_double (json, "desiredRetention", 0.9);
  preset->desired_retention = retention >= 0.7 && retention <= 0.99 ? retention : 0.9;
  if (source->learn_steps->len > 0)
    {
      g_array_unref (preset->learn_steps);
      preset->learn_steps = g_array_ref (source->learn_steps);
    }
  if (source->relearn_steps->len > 0)
    {
      g_array_unref (preset->relearn_steps);
      preset->relearn_steps = g_array_ref (source->relearn_steps);
    }
  preset->new_per_day = (int) CLAMP (json_int (new_, "perDay", 20), 0, 1000000);
  preset->reviews_per_day = (int) CLAMP (json_int (rev, "perDay", 200), 0, 1000000);
  preset->max_interval = (int) CLAMP (json_int (rev, "maxIvl", 36500), 1, 1000000);
  preset->rollover_hour = imp->source_rollover;
  preset->leech_threshold = (int) CLAMP (json_int (lapse, "leechFails", 8), 0, 1000000);
  preset->leech_suspend = json_int (lapse, "leechAction", 0) == 0;
  preset->bury_new = json_int (new_, "bury", 0) != 0;
  preset->bury_reviews = json_int (rev, "bury", 0) != 0;
  preset->bury_interday = json_int (json, "buryInterdayLearning", 0) != 0;
  if (source->fsrs_params != NULL && source->fsrs_params->len == SD_FSRS_N_PARAMS)
    {
      GString *text = g_string_new ("[");

      for (guint i = 0; i < source->fsrs_params->len; i++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (text, "%s%s", i ? ", " : "",
                                  g_ascii_dtostr (buf, sizeof buf,
                                                  g_array_index (source->fsrs_params, double, i)));
        }
      g_string_append_c (text, ']');
      g_free (preset->fsrs_params);
      preset->fsrs_params = g_string_free (text, FALSE);
    }
  g_free (preset->anki_extra);
  preset->anki_extra = json_object_to_text (json);

  if (!sd_preset_insert (imp->collection, preset, error))
    {
      g_prefix_error (error, _("“%s”: options group “%s” cannot be imported: "),
                      imp->name, source->name);
      return 0;
    }
  return source->preset_id = preset->id;
}

/* ------------------------------------------------------------------------ */
/* Decks. */

static char *
clean_deck_name (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, "::", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (parts[i], -1);

      g_strstrip (valid);
      if (out->len > 0)
        g_string_append (out, "::");
      g_string_append (out, valid[0] != '\0' ? valid : "blank");
    }
  if (out->len == 0)
    g_string_append (out, "blank");
  return g_string_free (out, FALSE);
}

/* Deck.Common and Deck.KindContainer (proto/anki/decks.proto) in the
 * schema-11 JSON shape. */
static JsonObject *
deck_row_to_json (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(JsonObject) json = json_object_new ();
  g_autofree char *name = NULL;
  SdProtobufReader reader, kind;
  gboolean has_field;
  const guint8 *other = NULL;
  gsize other_len = 0;

  name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (name == NULL)
    name = g_strdup ("");
  {
    g_auto(GStrv) parts = g_strsplit (name, "\x1f", -1);
    g_free (name);
    name = g_strjoinv ("::", parts);
  }

  json_object_set_int_member (json, "id", sqlite3_column_int64 (stmt, 0));
  json_object_set_string_member (json, "name", name);
  json_object_set_int_member (json, "mod", sqlite3_column_int64 (stmt, 2));
  json_object_set_int_member (json, "usn", 0);
  json_object_set_boolean_member (json, "collapsed", FALSE);
  json_object_set_boolean_member (json, "browserCollapsed", FALSE);

  sd_protobuf_reader_init (&reader, sqlite3_column_blob (stmt, 3),
                           (gsize) sqlite3_column_bytes (stmt, 3));
  for (;;)
    {
      guint64 v;

      if (!sd_protobuf_reader_next (&reader, &has_field, error))
        return NULL;
      if (!has_field)
        break;
      if ((reader.field == 1 || reader.field == 2) && reader.wire_type == SD_PROTOBUF_VARINT)
        {
          if (!sd_protobuf_read_varint (&reader, &v, error))
            return NULL;
          json_object_set_boolean_member (json, reader.field == 1 ? "collapsed"
                                                                  : "browserCollapsed", v != 0);
        }
      else if (reader.field == 255 && reader.wire_type == SD_PROTOBUF_LEN)
        {
          if (!sd_protobuf_read_bytes (&reader, &other, &other_len, error))
            return NULL;
        }
      else if (!sd_protobuf_skip (&reader, error))
        return NULL;
    }

  json_object_set_int_member (json, "dyn", 0);
  json_object_set_int_member (json, "conf", 1);
  json_object_set_string_member (json, "desc", "");

  sd_protobuf_reader_init (&reader, sqlite3_column_blob (stmt, 4),
                           (gsize) sqlite3_column_bytes (stmt, 4));
  for (;;)
    {
      if (!sd_protobuf_reader_next (&reader, &has_field, error))
        return NULL;
      if (!has_field)
        break;
      if ((reader.field == 1 || reader.field == 2) && reader.wire_type == SD_PROTOBUF_LEN)
        {
          gboolean filtered = reader.field == 2;

          if (!sd_protobuf_read_message (&reader, &kind, error))
            return NULL;
          json_object_set_int_member (json, "dyn", filtered ? 1 : 0);
          if (filtered)
            {
              json_object_remove_member (json, "conf");
              continue;
            }
          for (;;)
            {
              guint64 v;

              if (!sd_protobuf_reader_next (&kind, &has_field, error))
                return NULL;
              if (!has_field)
                break;
              if (kind.field == 4 && kind.wire_type == SD_PROTOBUF_LEN)
                {
                  g_autofree char *desc = NULL;
                  if (!sd_protobuf_read_string (&kind, &desc, error))
                    return NULL;
                  json_object_set_string_member (json, "desc", desc);
                }
              else if (kind.field == 10 && kind.wire_type == SD_PROTOBUF_FIXED32)
                {
                  float f;
                  if (!sd_protobuf_read_float (&kind, &f, error))
                    return NULL;
                  json_object_set_double_member (json, "desiredRetention", f);
                }
              else if (kind.wire_type == SD_PROTOBUF_VARINT && kind.field <= 7)
                {
                  static const char *const keys[] = {
                    NULL, "conf", "extendNew", "extendRev", NULL, "md", "reviewLimit", "newLimit"
                  };
                  if (!sd_protobuf_read_varint (&kind, &v, error))
                    return NULL;
                  if (keys[kind.field] != NULL)
                    json_object_set_int_member (json, keys[kind.field], (gint64) v);
                }
              else if (!sd_protobuf_skip (&kind, error))
                return NULL;
            }
        }
      else if (!sd_protobuf_skip (&reader, error))
        return NULL;
    }

  merge_other_json (json, other, other_len);
  return g_steal_pointer (&json);
}

static gboolean
load_decks (Import     *imp,
            GPtrArray  *decks,
            GError    **error)
{
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(GList) keys = NULL;

  if (imp->modern && table_exists (imp->src, "decks"))
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (sqlite3_prepare_v2 (imp->src, "SELECT id, name, mtime_secs, common, kind FROM decks",
                              -1, &stmt, NULL) != SQLITE_OK)
        return src_error (imp, error);
      all = json_object_new ();
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(GError) local_error = NULL;
          JsonObject *json = deck_row_to_json (stmt, &local_error);
          g_autofree char *key = NULL;

          if (json == NULL)
            {
              g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                           _("“%s” is damaged: deck %" G_GINT64_FORMAT " cannot be read (%s)"),
                           imp->name, (gint64) sqlite3_column_int64 (stmt, 0), local_error->message);
              return FALSE;
            }
          key = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
          json_object_set_object_member (all, key, json);
        }
    }
  else
    {
      g_autofree char *text = src_col_text (imp, "decks");

      if (!parse_json_object (imp, text, _("decks"), &all, error))
        return FALSE;
    }

  keys = json_object_get_members (all);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      JsonObject *json = json_child_object (all, l->data);
      SourceDeck *deck;

      if (json == NULL)
        continue;
      deck = g_new0 (SourceDeck, 1);
      deck->id = json_int (json, "id", g_ascii_strtoll (l->data, NULL, 10));
      deck->name = clean_deck_name (json_string (json, "name", ""));
      deck->filtered = json_int (json, "dyn", 0) != 0;
      deck->conf = json_int (json, "conf", 1);
      deck->description = g_strdup (json_string (json, "desc", ""));
      deck->json = json_object_ref (json);
      g_ptr_array_add (decks, deck);
    }
  return TRUE;
}

static int
compare_deck_depth (gconstpointer a,
                    gconstpointer b)
{
  const SourceDeck *da = *(const SourceDeck **) a;
  const SourceDeck *db = *(const SourceDeck **) b;
  guint depth_a = 0, depth_b = 0;

  for (const char *p = da->name; (p = strstr (p, "::")) != NULL; p += 2)
    depth_a++;
  for (const char *p = db->name; (p = strstr (p, "::")) != NULL; p += 2)
    depth_b++;
  if (depth_a != depth_b)
    return depth_a < depth_b ? -1 : 1;
  return strcmp (da->name, db->name);
}

static gboolean
import_decks (Import  *imp,
              GError **error)
{
  g_autoptr(GPtrArray) decks = g_ptr_array_new_with_free_func ((GDestroyNotify) source_deck_free);
  gint64 n_before;

  if (!load_presets (imp, error) || !load_decks (imp, decks, error))
    return FALSE;

  imp->deck_presets = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_ptr_array_sort (decks, compare_deck_depth);
  n_before = sd_collection_scalar (imp->collection, "SELECT count(*) FROM decks", 0);

  for (guint i = 0; i < decks->len; i++)
    {
      SourceDeck *deck = g_ptr_array_index (decks, i);
      SourcePreset *source_preset = g_hash_table_lookup (imp->presets, &deck->conf);
      gboolean existed = sd_deck_find (imp->collection, deck->name) != 0;
      gint64 id = sd_deck_ensure (imp->collection, deck->name, error);

      if (id == 0)
        {
          g_prefix_error (error, _("“%s”: deck “%s” cannot be imported: "), imp->name, deck->name);
          return FALSE;
        }
      id_map_insert (&imp->deck_map, deck->id, id);
      if (source_preset != NULL)
        g_hash_table_insert (imp->deck_presets, &deck->id, source_preset);

      if (existed)
        continue;

      if (!deck->filtered && source_preset != NULL)
        {
          gint64 preset_id = ensure_preset (imp, source_preset, error);

          if (preset_id == 0)
            return FALSE;
          if (preset_id != SD_PRESET_DEFAULT_ID
              && !sd_deck_set_preset (imp->collection, id, preset_id, error))
            return FALSE;
        }
      if (deck->description[0] != '\0'
          && !sd_deck_set_description (imp->collection, id, deck->description, error))
        return FALSE;
      {
        g_autofree char *extra = json_object_to_text (deck->json);
        if (!sd_deck_set_anki_extra (imp->collection, id, extra, error))
          return FALSE;
      }
    }

  /* Parents that only exist implicitly in the package count too. */
  imp->stats.decks = (guint) (sd_collection_scalar (imp->collection, "SELECT count(*) FROM decks", 0)
                              - n_before);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Note types. */

static int
compare_ord (gconstpointer a,
             gconstpointer b)
{
  JsonObject *oa = json_node_get_object (*(JsonNode **) a);
  JsonObject *ob = json_node_get_object (*(JsonNode **) b);
  gint64 x = json_int (oa, "ord", 0), y = json_int (ob, "ord", 0);

  return x < y ? -1 : x > y;
}

static GPtrArray *
sorted_objects (JsonArray *array)
{
  GPtrArray *nodes = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (nodes, node);
    }
  /* A stable sort keeps the array order among equal or missing ords. */
  g_ptr_array_sort (nodes, compare_ord);
  return nodes;
}

static SdStockKind
stock_kind_from_anki (gint64 original)
{
  /* OriginalStockKind counts from 1 (0 = unknown); ours from 0. */
  return original >= 1 && original <= 5 ? (SdStockKind) (original - 1) : SD_STOCK_NONE;
}

static SourceNotetype *
notetype_from_json (Import      *imp,
                    gint64       id,
                    JsonObject  *json,
                    GError     **error)
{
  SourceNotetype *nt = g_new0 (SourceNotetype, 1);
  SdNotetype *notetype;
  g_autoptr(GPtrArray) fields = sorted_objects (json_child_array (json, "flds"));
  g_autoptr(GPtrArray) templates = sorted_objects (json_child_array (json, "tmpls"));

  nt->source_id = id;
  nt->json = json_object_ref (json);
  nt->template_decks = g_array_new (FALSE, TRUE, sizeof (gint64));
  notetype = nt->notetype = sd_notetype_new (json_string (json, "name", ""),
                                             json_int (json, "type", 0) == 1
                                             ? SD_NOTETYPE_CLOZE : SD_NOTETYPE_STANDARD);
  notetype->id = id;
  g_free (notetype->css);
  notetype->css = g_strdup (json_string (json, "css", ""));
  notetype->sort_field = (guint) MAX (json_int (json, "sortf", 0), 0);
  notetype->stock_kind = stock_kind_from_anki (json_int (json, "originalStockKind", 0));
  g_free (notetype->latex_pre);
  notetype->latex_pre = g_strdup (json_string (json, "latexPre", ""));
  g_free (notetype->latex_post);
  notetype->latex_post = g_strdup (json_string (json, "latexPost", ""));
  notetype->mtime = json_int (json, "mod", 0);
  notetype->anki_extra = (g_free (notetype->anki_extra), json_object_to_text (json));

  for (guint i = 0; i < fields->len; i++)
    {
      JsonObject *f = json_node_get_object (g_ptr_array_index (fields, i));
      SdField *field = sd_notetype_add_field (notetype, json_string (f, "name", ""));

      g_free (field->font);
      field->font = g_strdup (json_string (f, "font", "Arial"));
      field->size = (int) json_int (f, "size", 20);
      field->rtl = json_int (f, "rtl", 0) != 0;
      field->sticky = json_int (f, "sticky", 0) != 0;
      g_free (field->description);
      field->description = g_strdup (json_string (f, "description", ""));
      g_free (field->anki_extra);
      field->anki_extra = json_object_to_text (f);
    }

  for (guint i = 0; i < templates->len; i++)
    {
      JsonObject *t = json_node_get_object (g_ptr_array_index (templates, i));
      SdCardTemplate *tmpl = sd_notetype_add_template (notetype, json_string (t, "name", ""),
                                                       json_string (t, "qfmt", ""),
                                                       json_string (t, "afmt", ""));
      gint64 did = json_int (t, "did", 0);

      g_free (tmpl->browser_front);
      tmpl->browser_front = g_strdup (json_string (t, "bqfmt", ""));
      g_free (tmpl->browser_back);
      tmpl->browser_back = g_strdup (json_string (t, "bafmt", ""));
      g_free (tmpl->anki_extra);
      tmpl->anki_extra = json_object_to_text (t);
      g_array_append_val (nt->template_decks, did);
    }

  if (notetype->fields->len == 0 || notetype->templates->len == 0)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                   _("“%s” is damaged: note type “%s” has no fields or no card templates"),
                   imp->name, notetype->name);
      source_notetype_free (nt);
      return NULL;
    }
  return nt;
}

/* Reads the schema-18 note type @id from the notetypes, fields and templates
 * tables into the schema-11 JSON shape. */
static JsonObject *
modern_notetype_json (Import  *imp,
                      gint64   id,
                      GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) json = json_object_new ();
  JsonArray *flds = json_array_new ();
  JsonArray *tmpls = json_array_new ();
  JsonArray *req = json_array_new ();
  SdProtobufReader reader;
  gboolean has_field;
  const guint8 *other = NULL;
  gsize other_len = 0;
  g_autoptr(GError) local_error = NULL;

  json_object_set_array_member (json, "flds", flds);
  json_object_set_array_member (json, "tmpls", tmpls);

  if (sqlite3_prepare_v2 (imp->src, "SELECT name, mtime_secs, config FROM notetypes WHERE id = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      json_array_unref (req);
      src_error (imp, error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      json_array_unref (req);
      return NULL;   /* not an error here: the caller reports the missing type */
    }

  json_object_set_int_member (json, "id", id);
  json_object_set_string_member (json, "name", (const char *) sqlite3_column_text (stmt, 0));
  json_object_set_int_member (json, "mod", sqlite3_column_int64 (stmt, 1));
  json_object_set_int_member (json, "usn", 0);
  json_object_set_int_member (json, "type", 0);
  json_object_set_int_member (json, "sortf", 0);
  json_object_set_null_member (json, "did");
  json_object_set_string_member (json, "css", "");
  json_object_set_string_member (json, "latexPre", "");
  json_object_set_string_member (json, "latexPost", "");
  json_object_set_boolean_member (json, "latexsvg", FALSE);

  sd_protobuf_reader_init (&reader, sqlite3_column_blob (stmt, 2),
                           (gsize) sqlite3_column_bytes (stmt, 2));
  for (;;)
    {
      guint64 v;
      char *text = NULL;

      if (!sd_protobuf_reader_next (&reader, &has_field, &local_error))
        goto bad;
      if (!has_field)
        break;
      switch (reader.field)
        {
        case 1: case 2: case 7: case 9: case 10:
          if (reader.wire_type != SD_PROTOBUF_VARINT)
            break;
          if (!sd_protobuf_read_varint (&reader, &v, &local_error))
            goto bad;
          if (reader.field == 1)
            json_object_set_int_member (json, "type", (gint64) v);
          else if (reader.field == 2)
            json_object_set_int_member (json, "sortf", (gint64) v);
          else if (reader.field == 7)
            json_object_set_boolean_member (json, "latexsvg", v != 0);
          else if (reader.field == 9)
            json_object_set_int_member (json, "originalStockKind", (gint64) v);
          else
            json_object_set_int_member (json, "originalId", (gint64) v);
          continue;
        case 3: case 5: case 6:
          if (reader.wire_type != SD_PROTOBUF_LEN)
            break;
          if (!sd_protobuf_read_string (&reader, &text, &local_error))
            goto bad;
          json_object_set_string_member (json, reader.field == 3 ? "css"
                                               : reader.field == 5 ? "latexPre" : "latexPost",
                                         text);
          g_free (text);
          continue;
        case 8:
          if (reader.wire_type != SD_PROTOBUF_LEN)
            break;
          {
            SdProtobufReader sub;
            JsonArray *entry = json_array_new ();
            JsonArray *ords = json_array_new ();
            guint64 card_ord = 0, kind = 0;
            static const char *const kinds[] = { "none", "any", "all" };

            if (!sd_protobuf_read_message (&reader, &sub, &local_error))
              {
                json_array_unref (entry);
                json_array_unref (ords);
                goto bad;
              }
            for (;;)
              {
                if (!sd_protobuf_reader_next (&sub, &has_field, &local_error))
                  {
                    json_array_unref (entry);
                    json_array_unref (ords);
                    goto bad;
                  }
                if (!has_field)
                  break;
                if (sub.field == 1 && sub.wire_type == SD_PROTOBUF_VARINT)
                  sd_protobuf_read_varint (&sub, &card_ord, NULL);
                else if (sub.field == 2 && sub.wire_type == SD_PROTOBUF_VARINT)
                  sd_protobuf_read_varint (&sub, &kind, NULL);
                else if (sub.field == 3 && sub.wire_type == SD_PROTOBUF_LEN)
                  {
                    SdProtobufReader packed;
                    if (!sd_protobuf_read_message (&sub, &packed, NULL))
                      break;
                    while (packed.pos < packed.len && sd_protobuf_read_varint (&packed, &v, NULL))
                      json_array_add_int_element (ords, (gint64) v);
                  }
                else if (sub.field == 3 && sub.wire_type == SD_PROTOBUF_VARINT)
                  {
                    if (sd_protobuf_read_varint (&sub, &v, NULL))
                      json_array_add_int_element (ords, (gint64) v);
                  }
                else if (!sd_protobuf_skip (&sub, NULL))
                  break;
              }
            json_array_add_int_element (entry, (gint64) card_ord);
            json_array_add_string_element (entry, kinds[MIN (kind, 2)]);
            json_array_add_array_element (entry, ords);
            json_array_add_array_element (req, entry);
          }
          continue;
        case 255:
          if (reader.wire_type != SD_PROTOBUF_LEN)
            break;
          if (!sd_protobuf_read_bytes (&reader, &other, &other_len, &local_error))
            goto bad;
          continue;
        default:
          break;
        }
      if (!sd_protobuf_skip (&reader, &local_error))
        goto bad;
    }
  json_object_set_array_member (json, "req", g_steal_pointer (&req));
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Fields. */
  if (sqlite3_prepare_v2 (imp->src, "SELECT ord, name, config FROM fields WHERE ntid = ? ORDER BY ord",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      src_error (imp, error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *f = json_object_new ();
      const guint8 *f_other = NULL;
      gsize f_other_len = 0;

      json_array_add_object_element (flds, f);
      json_object_set_string_member (f, "name", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_int_member (f, "ord", sqlite3_column_int64 (stmt, 0));
      json_object_set_boolean_member (f, "sticky", FALSE);
      json_object_set_boolean_member (f, "rtl", FALSE);
      json_object_set_string_member (f, "font", "Arial");
      json_object_set_int_member (f, "size", 20);
      json_object_set_string_member (f, "description", "");

      sd_protobuf_reader_init (&reader, sqlite3_column_blob (stmt, 2),
                               (gsize) sqlite3_column_bytes (stmt, 2));
      for (;;)
        {
          static const char *const bools[] = {
            NULL, "sticky", "rtl", NULL, NULL, NULL, "plainText", "collapsed",
            "excludeFromSearch", NULL, NULL, "preventDeletion"
          };
          guint64 v;
          char *text = NULL;

          if (!sd_protobuf_reader_next (&reader, &has_field, &local_error))
            goto bad;
          if (!has_field)
            break;
          if (reader.wire_type == SD_PROTOBUF_VARINT && reader.field <= 11)
            {
              if (!sd_protobuf_read_varint (&reader, &v, &local_error))
                goto bad;
              if (bools[reader.field] != NULL)
                json_object_set_boolean_member (f, bools[reader.field], v != 0);
              else if (reader.field == 4)
                json_object_set_int_member (f, "size", (gint64) v);
              else if (reader.field == 9)
                json_object_set_int_member (f, "id", (gint64) v);
              else if (reader.field == 10)
                json_object_set_int_member (f, "tag", (gint64) v);
            }
          else if ((reader.field == 3 || reader.field == 5) && reader.wire_type == SD_PROTOBUF_LEN)
            {
              if (!sd_protobuf_read_string (&reader, &text, &local_error))
                goto bad;
              json_object_set_string_member (f, reader.field == 3 ? "font" : "description", text);
              g_free (text);
            }
          else if (reader.field == 255 && reader.wire_type == SD_PROTOBUF_LEN)
            {
              if (!sd_protobuf_read_bytes (&reader, &f_other, &f_other_len, &local_error))
                goto bad;
            }
          else if (!sd_protobuf_skip (&reader, &local_error))
            goto bad;
        }
      merge_other_json (f, f_other, f_other_len);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Templates. */
  if (sqlite3_prepare_v2 (imp->src,
                          "SELECT ord, name, mtime_secs, config FROM templates WHERE ntid = ?"
                          " ORDER BY ord", -1, &stmt, NULL) != SQLITE_OK)
    {
      src_error (imp, error);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *t = json_object_new ();
      const guint8 *t_other = NULL;
      gsize t_other_len = 0;

      json_array_add_object_element (tmpls, t);
      json_object_set_string_member (t, "name", (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_int_member (t, "ord", sqlite3_column_int64 (stmt, 0));
      json_object_set_string_member (t, "qfmt", "");
      json_object_set_string_member (t, "afmt", "");
      json_object_set_string_member (t, "bqfmt", "");
      json_object_set_string_member (t, "bafmt", "");
      json_object_set_null_member (t, "did");
      json_object_set_string_member (t, "bfont", "");
      json_object_set_int_member (t, "bsize", 0);

      sd_protobuf_reader_init (&reader, sqlite3_column_blob (stmt, 3),
                               (gsize) sqlite3_column_bytes (stmt, 3));
      for (;;)
        {
          static const char *const texts[] = {
            NULL, "qfmt", "afmt", "bqfmt", "bafmt", NULL, "bfont"
          };
          guint64 v;
          char *text = NULL;

          if (!sd_protobuf_reader_next (&reader, &has_field, &local_error))
            goto bad;
          if (!has_field)
            break;
          if (reader.wire_type == SD_PROTOBUF_LEN && reader.field <= 6
              && texts[reader.field] != NULL)
            {
              if (!sd_protobuf_read_string (&reader, &text, &local_error))
                goto bad;
              json_object_set_string_member (t, texts[reader.field], text);
              g_free (text);
            }
          else if (reader.wire_type == SD_PROTOBUF_VARINT
                   && (reader.field == 5 || reader.field == 7 || reader.field == 8))
            {
              if (!sd_protobuf_read_varint (&reader, &v, &local_error))
                goto bad;
              if (reader.field == 5)
                {
                  if (v != 0)
                    json_object_set_int_member (t, "did", (gint64) v);
                }
              else
                json_object_set_int_member (t, reader.field == 7 ? "bsize" : "id", (gint64) v);
            }
          else if (reader.field == 255 && reader.wire_type == SD_PROTOBUF_LEN)
            {
              if (!sd_protobuf_read_bytes (&reader, &t_other, &t_other_len, &local_error))
                goto bad;
            }
          else if (!sd_protobuf_skip (&reader, &local_error))
            goto bad;
        }
      merge_other_json (t, t_other, t_other_len);
    }

  merge_other_json (json, other, other_len);
  return g_steal_pointer (&json);

bad:
  if (req != NULL)
    json_array_unref (req);
  g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
               _("“%s” is damaged: note type %" G_GINT64_FORMAT " cannot be read (%s)"),
               imp->name, id, local_error->message);
  return NULL;
}

static gint64
notetype_json_id (const char *anki_extra)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (anki_extra == NULL || anki_extra[0] != '{'
      || !json_parser_load_from_data (parser, anki_extra, -1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root)
         ? json_int (json_node_get_object (root), "id", 0) : 0;
}

/* Matches a package note type to one of ours, or inserts it. */
static gboolean
map_notetype (Import          *imp,
              SourceNotetype  *nt,
              GError         **error)
{
  SdNotetype *incoming = nt->notetype;
  g_autoptr(SdNotetype) existing = sd_notetype_load (imp->collection, nt->source_id, NULL);

  if (existing != NULL && sd_notetype_same_layout (existing, incoming))
    goto matched;
  g_clear_pointer (&existing, sd_notetype_free);

  /* A free id stays Anki's, so a later export matches it again. */
  if (id_taken (imp->collection, "SELECT 1 FROM notetypes WHERE id = ?", nt->source_id))
    {
        {
          /* A copy made by an earlier import of this package? */
          g_autoptr(GPtrArray) all = sd_notetype_list (imp->collection, error);

          if (all == NULL)
            return FALSE;
          for (guint i = 0; i < all->len; i++)
            {
              SdNotetype *candidate = g_ptr_array_index (all, i);

              if (sd_notetype_same_layout (candidate, incoming)
                  && notetype_json_id (candidate->anki_extra) == nt->source_id)
                {
                  existing = sd_notetype_copy (candidate);
                  goto matched;
                }
            }
          incoming->id = 0;
        }
    }

  for (guint i = 0; i < incoming->templates->len; i++)
    {
      SdCardTemplate *tmpl = g_ptr_array_index (incoming->templates, i);
      gint64 did = g_array_index (nt->template_decks, gint64, i);
      gint64 ours = 0;

      if (did != 0 && id_map_lookup (&imp->deck_map, did, &ours))
        tmpl->deck_override = ours;
    }

  if (incoming->name == NULL || incoming->name[0] == '\0')
    {
      g_free (incoming->name);
      incoming->name = g_strdup (_("Imported note type"));
    }
  if (!sd_notetype_insert (imp->collection, incoming, error))
    {
      g_prefix_error (error, _("“%s”: note type “%s” cannot be imported: "),
                      imp->name, incoming->name);
      return FALSE;
    }
  imp->stats.notetypes++;
  return TRUE;

matched:
  sd_notetype_free (nt->notetype);
  nt->notetype = g_steal_pointer (&existing);
  return TRUE;
}

static gboolean
import_notetypes (Import  *imp,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) models = NULL;

  imp->notetypes = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                          (GDestroyNotify) source_notetype_free);

  if (!imp->modern)
    {
      g_autofree char *text = src_col_text (imp, "models");

      if (!parse_json_object (imp, text, _("note types"), &models, error))
        return FALSE;
    }

  if (sqlite3_prepare_v2 (imp->src, "SELECT DISTINCT mid FROM notes ORDER BY mid", -1, &stmt, NULL)
      != SQLITE_OK)
    return src_error (imp, error);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 mid = sqlite3_column_int64 (stmt, 0);
      g_autoptr(JsonObject) json = NULL;
      SourceNotetype *nt;

      if (imp->modern)
        {
          g_autoptr(GError) local_error = NULL;

          json = modern_notetype_json (imp, mid, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
      else
        {
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, mid);
          JsonObject *found = json_child_object (models, key);

          if (found != NULL)
            json = json_object_ref (found);
        }

      if (json == NULL)
        {
          g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_CORRUPT,
                       _("“%s” is damaged: its notes use note type %" G_GINT64_FORMAT
                         ", which it does not define"),
                       imp->name, mid);
          return FALSE;
        }

      nt = notetype_from_json (imp, mid, json, error);
      if (nt == NULL)
        return FALSE;
      g_hash_table_insert (imp->notetypes, &nt->source_id, nt);
      if (!map_notetype (imp, nt, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Media references in field text (rslib/src/text.rs HTML_MEDIA_TAGS, AV_TAGS). */

static GRegex *
media_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled = g_regex_new (
        "<\\b(?:img|audio|video|object|source)\\b(?:[^>]|\"[^\"]+?\"|'[^']+?')+?"
        "\\b(?:src|data)\\b=(?:\"([^\"]+?)\"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))"
        "|\\[sound:(.+?)\\]",
        G_REGEX_CASELESS | G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, compiled);
    }
  return regex;
}

/* Adds the media names that @len bytes of field text refer to. */
static void
collect_media_refs (GHashTable *refs,
                    const char *text,
                    gsize       len)
{
  g_autoptr(GMatchInfo) match = NULL;

  if (memchr (text, '<', len) == NULL && g_strstr_len (text, (gssize) len, "[sound:") == NULL)
    return;

  g_regex_match_full (media_regex (), text, (gssize) len, 0, 0, &match, NULL);
  while (g_match_info_matches (match))
    {
      for (int group = 1; group <= 4; group++)
        {
          g_autofree char *name = g_match_info_fetch (match, group);

          if (name != NULL && name[0] != '\0')
            {
              g_autofree char *decoded = sd_html_text_decode_entities (name);

              g_hash_table_add (refs, g_strdup (decoded));
              if (!g_str_equal (decoded, name))
                g_hash_table_add (refs, g_strdup (name));
              break;
            }
        }
      g_match_info_next (match, NULL);
    }
}

/* The same for each of the fields in @joined. */
static void
collect_media_refs_joined (GHashTable *refs,
                           const char *joined)
{
  for (const char *field = joined;;)
    {
      const char *end = strchr (field, SD_NOTE_FIELD_SEPARATOR[0]);

      collect_media_refs (refs, field, end != NULL ? (gsize) (end - field) : strlen (field));
      if (end == NULL)
        break;
      field = end + 1;
    }
}

typedef struct
{
  const char *old_name;
  const char *new_name;
} Rename;

static gboolean
rename_ref (const GMatchInfo *match,
            GString          *out,
            gpointer          user_data)
{
  const Rename *rename = user_data;
  g_autofree char *whole = g_match_info_fetch (match, 0);

  for (int group = 1; group <= 4; group++)
    {
      int start, end, whole_start, whole_end;
      g_autofree char *name = g_match_info_fetch (match, group);

      if (name == NULL || name[0] == '\0')
        continue;
      if (!g_str_equal (name, rename->old_name))
        break;
      g_match_info_fetch_pos (match, group, &start, &end);
      g_match_info_fetch_pos (match, 0, &whole_start, &whole_end);
      g_string_append_len (out, whole, start - whole_start);
      g_string_append (out, rename->new_name);
      g_string_append (out, whole + (end - whole_start));
      return FALSE;
    }
  g_string_append (out, whole);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Notes. */

static char *
normalize_field (const char *text)
{
  gboolean ascii = TRUE, controls = FALSE;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p >= 0x80)
        ascii = FALSE;
      else if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
        controls = TRUE;
    }

  if (controls)
    {
      GString *clean = g_string_sized_new (strlen (text));

      for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
        if (!((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f))
          g_string_append_c (clean, (char) *p);
      if (ascii)
        return g_string_free (clean, FALSE);
      {
        g_autofree char *joined = g_string_free (clean, FALSE);
        return g_utf8_normalize (joined, -1, G_NORMALIZE_NFC);
      }
    }
  return ascii ? g_strdup (text) : g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
}

static gint64
note_mtime (gint64 mod)
{
  /* Some generators write milliseconds. */
  return mod > G_GINT64_CONSTANT (100000000000) ? mod / 1000 : mod;
}

static gboolean
id_taken (SdCollection *collection,
          const char   *sql,
          gint64        id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, sql, NULL);
  gboolean taken;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, id);
  taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return taken;
}

static gboolean
id_free (Import     *imp,
         const char *sql,
         gint64      max_at_start,
         gint64      id)
{
  if (id > max_at_start && !imp->fresh_ids)
    return TRUE;
  return !id_taken (imp->collection, sql, id);
}

/* Most notes are printable ASCII: their joined fields are already what
 * splitting, normalising and joining them again would give. */
static gboolean
plain_fields (const char *flds,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) flds[i];

      if ((c < 0x20 && c != '\n' && c != '\t' && c != SD_NOTE_FIELD_SEPARATOR[0]) || c >= 0x7f)
        return FALSE;
    }
  return TRUE;
}

/* A note's fields checked against its note type and normalised as Anki
 * normalises them (normalize_field), joined by U+001F again. */
static char *
note_fields (Import      *imp,
             SdNotetype  *notetype,
             gint64       source_id,
             const char  *guid,
             const char  *flds,
             gsize        len,
             GError     **error)
{
  g_autofree char *joined = g_strndup (flds != NULL ? flds : "", len);
  g_auto(GStrv) fields = NULL;
  guint n_fields = 1;

  /* Empty text has no fields, as g_strsplit() sees it. */
  if (flds != NULL && len > 0 && plain_fields (flds, len))
    {
      for (gsize i = 0; i < len; i++)
        n_fields += flds[i] == SD_NOTE_FIELD_SEPARATOR[0];
      if (n_fields == notetype->fields->len)
        return g_steal_pointer (&joined);
    }
  else
    {
      fields = g_strsplit (joined, SD_NOTE_FIELD_SEPARATOR, -1);
      n_fields = g_strv_length (fields);
      if (flds != NULL && memchr (flds, '\0', len) != NULL)
        {
          g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_INVALID,
                       _("“%s”: note %" G_GINT64_FORMAT " (guid “%s”) contains a NUL byte"),
                       imp->name, source_id, guid);
          return NULL;
        }
    }

  if (n_fields != notetype->fields->len)
    {
      g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_INVALID,
                   _("“%s”: note %" G_GINT64_FORMAT " (guid “%s”) has %u fields but its "
                     "note type “%s” has %u"),
                   imp->name, source_id, guid, n_fields, notetype->name,
                   notetype->fields->len);
      return NULL;
    }

  for (guint i = 0; i < n_fields; i++)
    {
      char *normalized;

      if (!g_utf8_validate (fields[i], -1, NULL))
        {
          const SdField *field = g_ptr_array_index (notetype->fields, i);
          g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_INVALID,
                       _("“%s”: note %" G_GINT64_FORMAT " (guid “%s”) is not valid UTF-8 "
                         "text in its field “%s”"),
                       imp->name, source_id, guid, field->name);
          return NULL;
        }
      normalized = normalize_field (fields[i]);
      g_free (fields[i]);
      fields[i] = normalized;
    }
  return g_strjoinv (SD_NOTE_FIELD_SEPARATOR, fields);
}

/* Field @n of fields joined by U+001F; the fields must have that many. */
static char *
joined_field (const char *joined,
              guint       n)
{
  const char *start = joined;
  const char *end;

  for (; n > 0; n--)
    start = strchr (start, SD_NOTE_FIELD_SEPARATOR[0]) + 1;
  end = strchr (start, SD_NOTE_FIELD_SEPARATOR[0]);
  return end != NULL ? g_strndup (start, (gsize) (end - start)) : g_strdup (start);
}

/* A note whose guid the collection has: the newer one wins. */
static gboolean
merge_note (Import      *imp,
            gint64       existing_id,
            gint64       source_id,
            SdNotetype  *notetype,
            gint64       mod,
            const char  *fields,
            const char  *tags,
            GError     **error)
{
  g_autoptr(SdNote) existing = sd_note_load (imp->collection, existing_id, error);

  if (existing == NULL)
    return FALSE;
  id_map_insert (&imp->note_map, source_id, existing_id);

  if (mod <= existing->mtime || existing->notetype_id != notetype->id)
    {
      /* Older, the same, or of another note type (a conflict Anki also
       * leaves alone). */
      imp->stats.skipped++;
      return TRUE;
    }

  g_strfreev (existing->fields);
  existing->fields = g_strsplit (fields, SD_NOTE_FIELD_SEPARATOR, -1);
  g_strfreev (existing->tags);
  existing->tags = sd_note_split_tags (tags);
  if (!sd_note_update (imp->collection, existing, error))
    {
      g_prefix_error (error, _("“%s”: note %" G_GINT64_FORMAT " (guid “%s”): "),
                      imp->name, source_id, existing->guid);
      return FALSE;
    }
  imp->stats.updated++;
  if (imp->media_entries->len > 0)
    {
      collect_media_refs_joined (imp->media_refs, fields);
      g_array_append_val (imp->touched_notes, existing_id);
    }
  return TRUE;
}

/* Columns c0… of the row next_note() maps. */
static const char insert_notes_sql[] =
  "INSERT INTO notes (id, guid, notetype_id, fields, sort_field, checksum, tags, mtime,"
  " source_heading, anki_extra)"
  " SELECT c0, c1, c2, c3, c4, c5, c6, c7, '', c8 FROM " ROWS_MODULE;

/* The next note to add; notes the collection has already are merged on
 * the way. The row is what sd_note_insert() writes, with the same sort
 * field and checksum rules (sd-html-text.h); the note type is checked once
 * for all its notes instead of being loaded for each. */
static gboolean
next_note (Import    *imp,
           gboolean  *has_row,
           GError   **error)
{
  sqlite3_stmt *stmt = imp->rows_src;
  gint64 max_id = (imp->now + 86400) * 1000;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 source_id = sqlite3_column_int64 (stmt, 0);
      const char *guid = (const char *) sqlite3_column_text (stmt, 1);
      gint64 mid = sqlite3_column_int64 (stmt, 2);
      gint64 mod = note_mtime (sqlite3_column_int64 (stmt, 3));
      const char *tags = (const char *) sqlite3_column_text (stmt, 4);
      const char *flds = (const char *) sqlite3_column_blob (stmt, 5);
      int flds_len = sqlite3_column_bytes (stmt, 5);
      gint64 flags = sqlite3_column_int64 (stmt, 6);
      const char *data = (const char *) sqlite3_column_text (stmt, 7);
      SourceNotetype *nt = g_hash_table_lookup (imp->notetypes, &mid);
      SdNotetype *notetype = nt->notetype;
      g_autofree char *fields = NULL;
      g_autofree char *first = NULL;
      g_auto(GStrv) split_tags = NULL;
      guint sort_field;
      guint32 checksum;
      gint64 existing_id, id;

      if (guid == NULL || guid[0] == '\0' || !g_utf8_validate (guid, -1, NULL))
        {
          g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_INVALID,
                       _("“%s”: note %" G_GINT64_FORMAT " has no valid guid"),
                       imp->name, source_id);
          return FALSE;
        }

      fields = note_fields (imp, notetype, source_id, guid, flds, (gsize) MAX (flds_len, 0),
                            error);
      if (fields == NULL)
        return FALSE;
      if (tags != NULL && !g_utf8_validate (tags, -1, NULL))
        {
          g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_INVALID,
                       _("“%s”: note %" G_GINT64_FORMAT " (guid “%s”) has tags that are not "
                         "valid UTF-8 text"),
                       imp->name, source_id, guid);
          return FALSE;
        }

      existing_id = sd_note_find_by_guid (imp->collection, guid);
      if (existing_id != 0)
        {
          if (!merge_note (imp, existing_id, source_id, notetype, mod, fields, tags, error)
              || !tick (imp, error))
            return FALSE;
          continue;
        }

      if (source_id > 0 && source_id <= max_id
          && id_free (imp, "SELECT 1 FROM notes WHERE id = ?", imp->max_note_id, source_id))
        id = source_id;
      else
        {
          imp->fresh_ids = TRUE;
          id = sd_collection_new_id (imp->collection, "notes");
        }

      first = joined_field (fields, 0);
      sort_field = MIN (notetype->sort_field, notetype->fields->len - 1);
      if (sort_field > 0)
        {
          g_autofree char *sort_text = joined_field (fields, sort_field);

          cell_text_take (imp, 4, sd_html_text_sort_field (sort_text));
          checksum = sd_html_text_field_checksum (first);
        }
      else
        cell_text_take (imp, 4, sd_html_text_sort_field_and_checksum (first, &checksum));
      split_tags = sd_note_split_tags (tags);
      cell_int (imp, 0, id);
      cell_text (imp, 1, guid);
      cell_int (imp, 2, notetype->id);
      cell_text (imp, 3, fields);
      cell_int (imp, 5, checksum);
      cell_text_take (imp, 6, sd_note_join_tags ((const char * const *) split_tags));
      cell_int (imp, 7, mod > 0 ? mod : imp->now);
      if (flags != 0 || (data != NULL && data[0] != '\0'))
        {
          g_autoptr(JsonObject) extra = json_object_new ();
          json_object_set_int_member (extra, "flags", flags);
          json_object_set_string_member (extra, "data", data != NULL && g_utf8_validate (data, -1, NULL)
                                                        ? data : "");
          cell_text_take (imp, 8, json_object_to_text (extra));
        }
      else
        cell_text (imp, 8, "");

      id_map_insert (&imp->note_map, source_id, id);
      id_map_insert (&imp->new_notes, id, 0);
      imp->stats.notes++;
      if (imp->media_entries->len > 0)
        {
          collect_media_refs_joined (imp->media_refs, fields);
          g_array_append_val (imp->touched_notes, id);
        }
      /* The fields stay with the row until SQLite has copied them. */
      g_ptr_array_add (imp->row_strings, g_steal_pointer (&fields));
      imp->row_source_id = source_id;
      imp->row_guid = guid;
      *has_row = TRUE;
      return tick (imp, error);
    }
  if (rc != SQLITE_DONE)
    return src_error (imp, error);
  return TRUE;
}

static void
blame_note (Import  *imp,
            GError **error)
{
  g_prefix_error (error, _("“%s”: note %" G_GINT64_FORMAT " (guid “%s”): "),
                  imp->name, imp->row_source_id, imp->row_guid);
}

static gboolean
import_notes (Import  *imp,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (imp->src,
                          "SELECT id, guid, mid, mod, tags, flds, flags, data FROM notes"
                          " ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return src_error (imp, error);

  imp->rows_src = stmt;
  ok = bulk_insert (imp, insert_notes_sql, next_note, blame_note, error);
  imp->rows_src = NULL;
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Cards. */

typedef struct
{
  double   s, d;
  gint64   lrt;
  gint64   pos;
  gboolean has_memory;
  gboolean has_pos;
} CardData;

/* cards.data is a small flat JSON object ("s", "d", "lrt", "pos", "dr",
 * "decay", "cd" holding a string). Reading the few numbers needed with a
 * scanner instead of a JSON tree keeps large imports fast; anything that
 * does not scan is treated as empty, as Anki treats invalid data. */
static const char *
skip_json_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

static const char *
skip_json_string (const char *p)
{
  /* p is at the opening quote */
  for (p++; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        return p + 1;
    }
  return NULL;
}

static const char *
skip_json_value (const char *p)
{
  int depth = 0;

  if (*p == '"')
    return skip_json_string (p);
  for (; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          p = skip_json_string (p);
          if (p == NULL)
            return NULL;
          p--;
        }
      else if (*p == '{' || *p == '[')
        depth++;
      else if (*p == '}' || *p == ']')
        {
          if (depth == 0)
            return p;
          if (--depth == 0)
            return p + 1;
        }
      else if (*p == ',' && depth == 0)
        return p;
    }
  return depth == 0 ? p : NULL;
}

static gboolean
scan_card_data (const char *text,
                CardData   *out)
{
  const char *p = skip_json_space (text);

  if (*p++ != '{')
    return FALSE;
  for (;;)
    {
      const char *key, *key_end, *value;
      gsize key_len;

      p = skip_json_space (p);
      if (*p == '}')
        return *skip_json_space (p + 1) == '\0';
      if (*p != '"')
        return FALSE;
      key = p + 1;
      p = skip_json_string (p);
      if (p == NULL)
        return FALSE;
      key_end = p - 1;
      key_len = (gsize) (key_end - key);
      p = skip_json_space (p);
      if (*p++ != ':')
        return FALSE;
      value = skip_json_space (p);
      p = skip_json_value (value);
      if (p == NULL)
        return FALSE;

      if (*value == '-' || g_ascii_isdigit (*value))
        {
          double number = g_ascii_strtod (value, NULL);

          if (key_len == 1 && key[0] == 's')
            out->s = number;
          else if (key_len == 1 && key[0] == 'd')
            out->d = number;
          else if (key_len == 3 && strncmp (key, "lrt", 3) == 0)
            out->lrt = (gint64) number;
          else if (key_len == 3 && strncmp (key, "pos", 3) == 0)
            {
              out->pos = (gint64) number;
              out->has_pos = TRUE;
            }
        }

      p = skip_json_space (p);
      if (*p == ',')
        p++;
      else if (*p != '}')
        return FALSE;
    }
}

static gboolean
parse_card_data (const char *text,
                 CardData   *out)
{
  memset (out, 0, sizeof *out);
  if (text == NULL || text[0] != '{' || !g_utf8_validate (text, -1, NULL)
      || !scan_card_data (text, out))
    {
      memset (out, 0, sizeof *out);
      return FALSE;
    }
  out->has_memory = out->s > 0 && out->d > 0 && isfinite (out->s) && isfinite (out->d);
  return TRUE;
}

static void
fsrs_params_for_deck (Import       *imp,
                      gint64        deck_id,
                      SdFsrsParams *params)
{
  SourcePreset *preset = g_hash_table_lookup (imp->deck_presets, &deck_id);

  if (preset == NULL || preset->fsrs_params == NULL
      || !sd_fsrs_params_from_array (params, (const double *) preset->fsrs_params->data,
                                     preset->fsrs_params->len, NULL))
    sd_fsrs_params_init_default (params);
}

/* The memory state a card's review log leads to (for cards that carry none). */
static gboolean
replay_card (Import  *imp,
             gint64   card_id,
             gint64   deck_id,
             SdCard  *card,
             GError **error)
{
  sqlite3_stmt *stmt;
  SdFsrsParams params;
  SdFsrsState state = { 0, 0 };
  gboolean have = FALSE;
  gint64 last_day = 0, last_review = 0;

  if (!imp->revlog_index)
    {
      /* Generated packages may lack Anki's ix_revlog_cid; this is our copy. */
      sqlite3_exec (imp->src, "CREATE INDEX IF NOT EXISTS sd_import_revlog_cid"
                              " ON revlog (cid, id)", NULL, NULL, NULL);
      imp->revlog_index = TRUE;
    }

  if (imp->replay_stmt == NULL
      && sqlite3_prepare_v3 (imp->src,
                             "SELECT id, ease, type, ivl, factor FROM revlog WHERE cid = ? ORDER BY id",
                             -1, SQLITE_PREPARE_PERSISTENT, &imp->replay_stmt, NULL) != SQLITE_OK)
    return src_error (imp, error);
  stmt = imp->replay_stmt;
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, card_id);

  fsrs_params_for_deck (imp, deck_id, &params);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 when = sqlite3_column_int64 (stmt, 0) / 1000;
      int rating = sqlite3_column_int (stmt, 1);
      int kind = sqlite3_column_int (stmt, 2);
      gint64 day;

      if (kind == SD_REVLOG_MANUAL || kind == SD_REVLOG_RESCHEDULED)
        {
          /* "Forget"/reset: a manual entry with no interval and no ease. */
          if (rating == 0 && sqlite3_column_int (stmt, 3) == 0 && sqlite3_column_int (stmt, 4) == 0)
            {
              have = FALSE;
              state.stability = state.difficulty = 0;
            }
          continue;
        }
      if (rating < 1 || rating > 4)
        continue;

      day = sd_clock_day_number_in (imp->zone, when, imp->rollover);
      state = sd_fsrs_next_state (&params, have ? &state : NULL,
                                  have && day > last_day ? (guint) (day - last_day) : 0, rating);
      have = TRUE;
      last_day = day;
      last_review = when;
    }

  if (have)
    {
      card->stability = state.stability;
      card->difficulty = state.difficulty;
      card->last_review = last_review;
    }
  return TRUE;
}

static int
restored_queue (int      type,
                gint64   due)
{
  switch (type)
    {
    case SD_CARD_NEW:
      return SD_QUEUE_NEW;
    case SD_CARD_REVIEW:
      return SD_QUEUE_REVIEW;
    default:
      return due > TIMESTAMP_DUE ? SD_QUEUE_LEARNING : SD_QUEUE_DAY_LEARNING;
    }
}

/* Columns c0… of the row next_card() maps. */
static const char insert_cards_sql[] =
  "INSERT INTO cards (id, note_id, deck_id, ord, type, queue, due, interval, ease, stability,"
  " difficulty, last_review, reps, lapses, step, flags, position, desired_retention, mtime,"
  " anki_extra)"
  " SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17,"
  " c18, c19 FROM " ROWS_MODULE;

/* @card as sd_card_insert() writes it. */
static void
card_row (Import       *imp,
          const SdCard *card)
{
  cell_int (imp, 0, card->id);
  cell_int (imp, 1, card->note_id);
  cell_int (imp, 2, card->deck_id);
  cell_int (imp, 3, card->ord);
  cell_int (imp, 4, card->type);
  cell_int (imp, 5, card->queue);
  cell_int (imp, 6, card->due);
  cell_int (imp, 7, card->interval);
  cell_int (imp, 8, card->ease);
  if (card->stability > 0)
    {
      cell_double (imp, 9, card->stability);
      cell_double (imp, 10, card->difficulty);
    }
  if (card->last_review > 0)
    cell_int (imp, 11, card->last_review);
  cell_int (imp, 12, card->reps);
  cell_int (imp, 13, card->lapses);
  cell_int (imp, 14, card->step);
  cell_int (imp, 15, card->flags);
  cell_int (imp, 16, card->position);
  if (card->desired_retention > 0)
    cell_double (imp, 17, card->desired_retention);
  cell_int (imp, 18, card->mtime);
  cell_text (imp, 19, card->anki_extra != NULL ? card->anki_extra : "");
}

#define NOTE_ORD_BITS 63

/* Whether a card of @note_id with template @ord is there already. *ords
 * is set to the templates in use when this import added the note. */
static gboolean
card_exists (Import   *imp,
             gint64    note_id,
             int       ord,
             gint64  **ords)
{
  sqlite3_stmt *exists;
  gboolean found;

  /* A note this import added has only the cards this import added. */
  *ords = id_map_value (&imp->new_notes, note_id);
  if (*ords != NULL)
    {
      if (ord >= 0 && ord < NOTE_ORD_BITS)
        return ((guint64) **ords >> ord) & 1;
      return ord >= 0 && ord < 1000
             && id_map_lookup (&imp->new_note_cards, note_id * 1000 + ord, NULL);
    }

  exists = sd_collection_prepare (imp->collection,
                                  "SELECT 1 FROM cards WHERE note_id = ? AND ord = ?", NULL);
  if (exists == NULL)
    return FALSE;
  sqlite3_bind_int64 (exists, 1, note_id);
  sqlite3_bind_int (exists, 2, ord);
  found = sqlite3_step (exists) == SQLITE_ROW;
  sqlite3_reset (exists);
  return found;
}

/* The next card to add, skipping those whose note is not in the package
 * and those the collection has already. */
static gboolean
next_card (Import    *imp,
           gboolean  *has_row,
           GError   **error)
{
  sqlite3_stmt *stmt = imp->rows_src;
  gint64 max_id = (imp->now + 86400) * 1000;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 source_id = sqlite3_column_int64 (stmt, 0);
      gint64 source_nid = sqlite3_column_int64 (stmt, 1);
      gint64 did = sqlite3_column_int64 (stmt, 2);
      int ord = sqlite3_column_int (stmt, 3);
      gint64 mod = sqlite3_column_int64 (stmt, 4);
      int type = sqlite3_column_int (stmt, 5);
      int queue = sqlite3_column_int (stmt, 6);
      gint64 due = sqlite3_column_int64 (stmt, 7);
      int left = sqlite3_column_int (stmt, 12);
      gint64 odue = sqlite3_column_int64 (stmt, 13);
      gint64 odid = sqlite3_column_int64 (stmt, 14);
      const char *data = (const char *) sqlite3_column_text (stmt, 16);
      gint64 home_did = odid != 0 ? odid : did;
      gint64 note_id, deck_id = SD_DECK_DEFAULT_ID;
      GString *extra = imp->card_extra;
      gint64 *ords = NULL;
      SdCard card = { 0 };
      CardData parsed;
      gboolean day_due, valid_data;

      /* Its note is not in the package, or the card is here already. */
      if (!id_map_lookup (&imp->note_map, source_nid, &note_id)
          || card_exists (imp, note_id, ord, &ords))
        {
          imp->stats.skipped++;
          if (!tick (imp, error))
            return FALSE;
          continue;
        }

      if (type < SD_CARD_NEW || type > SD_CARD_RELEARNING || ord < 0)
        {
          g_set_error (error, SD_ANKI_IMPORT_ERROR, SD_ANKI_IMPORT_ERROR_INVALID,
                       _("“%s”: card %" G_GINT64_FORMAT " has an invalid type %d or "
                         "template %d"),
                       imp->name, source_id, type, ord);
          return FALSE;
        }

      id_map_lookup (&imp->deck_map, home_did, &deck_id);
      card.note_id = note_id;
      card.deck_id = deck_id;
      card.ord = ord;
      g_string_truncate (extra, 0);

      /* Out of a filtered deck: the original due and the queue its type
       * implies (Anki's remove_from_filtered_deck_restoring_queue). */
      if (odid != 0)
        {
          if (odue != 0)
            due = odue;
          if (queue >= 0)
            queue = restored_queue (type, due);
          g_string_append_printf (extra, "\"odid\":%" G_GINT64_FORMAT, did);
        }
      if (queue > SD_QUEUE_DAY_LEARNING)   /* 4 = preview, only in filtered decks */
        queue = restored_queue (type, due);
      if (queue < SD_QUEUE_USER_BURIED)
        queue = SD_QUEUE_SUSPENDED;

      /* Which due values are day numbers (Anki's
       * due_in_days_since_collection_creation, and the timestamp rule for
       * suspended and buried learning cards). */
      day_due = queue == SD_QUEUE_REVIEW || queue == SD_QUEUE_DAY_LEARNING
                || type == SD_CARD_REVIEW
                || (queue < 0 && type != SD_CARD_NEW && due <= TIMESTAMP_DUE);
      if (day_due)
        due += imp->day_delta;

      card.type = type;
      card.queue = queue;
      card.due = due;
      card.interval = MAX (sqlite3_column_int (stmt, 8), 0);
      card.ease = sqlite3_column_int (stmt, 9);
      card.reps = MAX (sqlite3_column_int (stmt, 10), 0);
      card.lapses = MAX (sqlite3_column_int (stmt, 11), 0);
      card.flags = sqlite3_column_int (stmt, 15);
      card.mtime = note_mtime (mod) > 0 ? note_mtime (mod) : imp->now;

      if (type == SD_CARD_LEARNING || type == SD_CARD_RELEARNING)
        {
          SourcePreset *preset = g_hash_table_lookup (imp->deck_presets, &home_did);
          GArray *steps = preset == NULL ? NULL
                          : type == SD_CARD_LEARNING ? preset->learn_steps : preset->relearn_steps;
          int n_steps = steps != NULL && steps->len > 0 ? (int) steps->len
                        : type == SD_CARD_LEARNING ? 2 : 1;
          int remaining = left % 1000;

          card.step = CLAMP (n_steps - remaining, 0, n_steps);
        }
      /* What we do not map stays for an export: the filtered deck, the raw
       * learning counter and cards.data, which is JSON already. */
      if (left != 0)
        g_string_append_printf (extra, "%s\"left\":%d", extra->len ? "," : "", left);
      valid_data = parse_card_data (data, &parsed);
      if (valid_data)
        {
          if (extra->len > 0)
            g_string_append_c (extra, ',');
          g_string_append (extra, "\"data\":");
          g_string_append (extra, data);
        }
      if (parsed.has_pos)
        card.position = parsed.pos;
      else if (type == SD_CARD_NEW)
        card.position = due;

      if (parsed.has_memory)
        {
          card.stability = CLAMP (parsed.s, SD_FSRS_S_MIN, SD_FSRS_S_MAX);
          card.difficulty = CLAMP (parsed.d, SD_FSRS_D_MIN, SD_FSRS_D_MAX);
          card.last_review = parsed.lrt;
        }
      else if (type != SD_CARD_NEW)
        {
          if (!replay_card (imp, source_id, home_did, &card, error))
            return FALSE;
        }

      if (parsed.has_memory && card.last_review == 0)
        {
          g_autoptr(sqlite3_stmt) last = NULL;

          if (sqlite3_prepare_v2 (imp->src, "SELECT max(id) FROM revlog WHERE cid = ? AND ease > 0",
                                  -1, &last, NULL) == SQLITE_OK)
            {
              sqlite3_bind_int64 (last, 1, source_id);
              if (sqlite3_step (last) == SQLITE_ROW)
                card.last_review = sqlite3_column_int64 (last, 0) / 1000;
            }
        }

      if (extra->len > 0)
        {
          g_string_prepend_c (extra, '{');
          g_string_append_c (extra, '}');
        }
      card.anki_extra = extra->str;

      if (source_id > 0 && source_id <= max_id
          && id_free (imp, "SELECT 1 FROM cards WHERE id = ?", imp->max_card_id, source_id))
        card.id = source_id;
      else
        imp->fresh_ids = TRUE;
      sd_card_fill_defaults (imp->collection, &card);
      card_row (imp, &card);

      id_map_insert (&imp->card_map, source_id, card.id);
      if (ords != NULL && ord < NOTE_ORD_BITS)
        *ords = (gint64) ((guint64) *ords | G_GUINT64_CONSTANT (1) << ord);
      else if (ords != NULL && ord < 1000)
        id_map_insert (&imp->new_note_cards, note_id * 1000 + ord, 1);
      imp->stats.cards++;
      imp->row_source_id = source_id;
      *has_row = TRUE;
      return tick (imp, error);
    }
  if (rc != SQLITE_DONE)
    return src_error (imp, error);
  return TRUE;
}

static void
blame_card (Import  *imp,
            GError **error)
{
  g_prefix_error (error, _("“%s”: card %" G_GINT64_FORMAT ": "), imp->name, imp->row_source_id);
}

static gboolean
import_cards (Import  *imp,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (imp->src,
                          "SELECT id, nid, did, ord, mod, type, queue, due, ivl, factor, reps,"
                          " lapses, left, odue, odid, flags, data FROM cards ORDER BY id",
                          -1, &stmt, NULL) != SQLITE_OK)
    return src_error (imp, error);

  imp->rows_src = stmt;
  ok = bulk_insert (imp, insert_cards_sql, next_card, blame_card, error);
  imp->rows_src = NULL;
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Review log. */

/* Columns c0… of the row next_review() maps. sd_revlog_insert() stores a
 * difficulty only together with a stability; here only the difficulty is
 * known. */
static const char insert_revlog_sql[] =
  "INSERT INTO revlog (id, card_id, rating, kind, interval, last_interval, ease, stability,"
  " difficulty, duration_ms)"
  " SELECT c0, c1, c2, c3, c4, c5, c6, NULL, c7, c8 FROM " ROWS_MODULE;

/* The next review of a card this import added. */
static gboolean
next_review (Import    *imp,
             gboolean  *has_row,
             GError   **error)
{
  sqlite3_stmt *stmt = imp->rows_src;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 card_id;
      int rating = sqlite3_column_int (stmt, 2);
      int kind = sqlite3_column_int (stmt, 7);
      int factor = sqlite3_column_int (stmt, 5);

      if (!id_map_lookup (&imp->card_map, sqlite3_column_int64 (stmt, 1), &card_id)
          || !id_free (imp, "SELECT 1 FROM revlog WHERE id = ?", imp->max_revlog_id, id)
          || rating < 0 || rating > 4 || kind < SD_REVLOG_LEARNING || kind > SD_REVLOG_RESCHEDULED)
        {
          imp->stats.skipped++;
          if (!tick (imp, error))
            return FALSE;
          continue;
        }

      cell_int (imp, 0, id);
      cell_int (imp, 1, card_id);
      cell_int (imp, 2, rating);
      cell_int (imp, 3, kind);
      cell_int (imp, 4, sqlite3_column_int (stmt, 3));
      cell_int (imp, 5, sqlite3_column_int (stmt, 4));
      cell_int (imp, 6, factor);
      /* With FSRS the factor column holds (D - 1) / 9 + 0.1, times 1000;
       * SM-2 ease never goes below 1300. */
      if (factor >= 100 && factor <= 1100)
        cell_double (imp, 7, (factor / 1000.0 - 0.1) * 9.0 + 1.0);
      cell_int (imp, 8, MAX (sqlite3_column_int (stmt, 6), 0));

      imp->stats.revlog++;
      *has_row = TRUE;
      return tick (imp, error);
    }
  if (rc != SQLITE_DONE)
    return src_error (imp, error);
  return TRUE;
}

static gboolean
import_revlog (Import  *imp,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (imp->src,
                          "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog"
                          " ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    return src_error (imp, error);

  imp->rows_src = stmt;
  ok = bulk_insert (imp, insert_revlog_sql, next_review, NULL, error);
  imp->rows_src = NULL;
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Media. */

static gboolean
rewrite_renamed (Import      *imp,
                 const char  *old_name,
                 const char  *new_name,
                 GError     **error)
{
  Rename rename = { old_name, new_name };

  for (guint i = 0; i < imp->touched_notes->len; i++)
    {
      g_autoptr(SdNote) note = sd_note_load (imp->collection,
                                             g_array_index (imp->touched_notes, gint64, i), error);
      gboolean changed = FALSE;

      if (note == NULL)
        return FALSE;
      for (guint f = 0; note->fields[f] != NULL; f++)
        {
          char *replaced;

          if (strstr (note->fields[f], old_name) == NULL)
            continue;
          replaced = g_regex_replace_eval (media_regex (), note->fields[f], -1, 0, 0,
                                           rename_ref, &rename, NULL);
          if (replaced != NULL && !g_str_equal (replaced, note->fields[f]))
            {
              g_free (note->fields[f]);
              note->fields[f] = replaced;
              changed = TRUE;
            }
          else
            g_free (replaced);
        }
      if (changed && !sd_note_update (imp->collection, note, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_media (Import  *imp,
              GError **error)
{
  for (guint i = 0; i < imp->media_entries->len; i++)
    {
      const SdAnkiMediaEntry *entry = g_ptr_array_index (imp->media_entries, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *stored = NULL;
      gboolean created = FALSE;

      if (!g_hash_table_contains (imp->media_refs, entry->name)
          && !g_str_has_prefix (entry->name, "_") && !g_str_has_prefix (entry->name, "latex-"))
        continue;

      if (g_cancellable_set_error_if_cancelled (imp->cancellable, error))
        return FALSE;

      bytes = sd_anki_package_read_media (imp->package, entry, imp->cancellable, error);
      if (bytes == NULL)
        return FALSE;
      stored = sd_media_add_bytes (imp->collection, entry->name, bytes, &created, error);
      if (stored == NULL)
        {
          g_prefix_error (error, _("“%s”: "), imp->name);
          return FALSE;
        }
      if (created)
        {
          g_ptr_array_add (imp->created_media, g_strdup (stored));
          imp->stats.media++;
        }
      else
        imp->stats.skipped++;

      if (!g_str_equal (stored, entry->name)
          && !rewrite_renamed (imp, entry->name, stored, error))
        return FALSE;

      imp->done++;
      if (imp->progress != NULL)
        imp->progress (imp->done, imp->total, imp->progress_data);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */

static gboolean
run_import (Import      *imp,
            const char  *path,
            GError     **error)
{
  g_autoptr(SdPreset) default_preset = NULL;
  guint64 n_notes, n_cards;

  if (!open_source (imp, path, error) || !read_collection_header (imp, error))
    return FALSE;

  default_preset = sd_preset_load (imp->collection, SD_PRESET_DEFAULT_ID, NULL);
  imp->rollover = default_preset != NULL ? default_preset->rollover_hour : 4;
  imp->day_delta = sd_clock_day_number (imp->now, imp->rollover) - source_days_elapsed (imp);

  n_notes = (guint64) src_scalar (imp, "SELECT count(*) FROM notes");
  n_cards = (guint64) src_scalar (imp, "SELECT count(*) FROM cards");
  imp->total = n_notes + n_cards + (guint64) src_scalar (imp, "SELECT count(*) FROM revlog");
  id_map_reserve (&imp->note_map, n_notes);
  id_map_reserve (&imp->new_notes, n_notes);
  id_map_reserve (&imp->card_map, n_cards);
  for (guint i = 0; i < imp->media_entries->len; i++)
    {
      const SdAnkiMediaEntry *entry = g_ptr_array_index (imp->media_entries, i);
      if (g_str_has_prefix (entry->name, "_") || g_str_has_prefix (entry->name, "latex-"))
        imp->total++;
    }
  if (imp->progress != NULL)
    imp->progress (0, imp->total, imp->progress_data);

  if (g_cancellable_set_error_if_cancelled (imp->cancellable, error))
    return FALSE;

  if (sqlite3_create_module_v2 (sd_collection_get_db (imp->collection), ROWS_MODULE,
                                &rows_module, imp, NULL) != SQLITE_OK)
    return sd_collection_set_error (imp->collection, error);
  if (!sd_collection_begin (imp->collection, error))
    return FALSE;
  imp->max_note_id = sd_collection_scalar (imp->collection, "SELECT max(id) FROM notes", 0);
  imp->max_card_id = sd_collection_scalar (imp->collection, "SELECT max(id) FROM cards", 0);
  imp->max_revlog_id = sd_collection_scalar (imp->collection, "SELECT max(id) FROM revlog", 0);

#ifdef SD_IMPORT_TIMING
#define PHASE(x) (g_printerr ("%-10s %.3f\n", #x, (g_get_monotonic_time () - t0) / 1e6), x)
  gint64 t0 = g_get_monotonic_time ();
#else
#define PHASE(x) (x)
#endif
  if (!PHASE (import_decks (imp, error))
      || !PHASE (import_notetypes (imp, error))
      || !PHASE (import_notes (imp, error))
      || !PHASE (import_cards (imp, error))
      || !PHASE (import_revlog (imp, error))
      || !PHASE (finish_check (imp, FALSE, error))
      || !PHASE (import_media (imp, error))
      || g_cancellable_set_error_if_cancelled (imp->cancellable, error))
    {
      sd_collection_rollback (imp->collection);
      return FALSE;
    }

#ifdef SD_IMPORT_TIMING
  g_printerr ("commit start %.3f\n", (g_get_monotonic_time () - t0) / 1e6);
#endif
  if (!sd_collection_commit (imp->collection, error))
    return FALSE;
#ifdef SD_IMPORT_TIMING
  g_printerr ("commit end %.3f\n", (g_get_monotonic_time () - t0) / 1e6);
#endif

  if (imp->progress != NULL)
    imp->progress (imp->total, imp->total, imp->progress_data);
  return TRUE;
}

/**
 * sd_anki_import_package:
 * @collection: where to import
 * @path: an `.apkg` or `.colpkg` file
 * @progress: (nullable) (scope call): called now and then on this thread
 * @cancellable: (nullable): cancels the import; nothing is kept
 * @stats: (out caller-allocates) (optional): what the import did
 *
 * Imports an Anki package; see the section documentation for the rules. On
 * failure or cancellation the collection and its media folder are left
 * exactly as they were.
 *
 * Returns: %TRUE on success, %FALSE with @error set (#SD_ANKI_PACKAGE_ERROR,
 *   #SD_ANKI_IMPORT_ERROR, #SD_COLLECTION_ERROR or %G_IO_ERROR_CANCELLED)
 */
gboolean
sd_anki_import_package (SdCollection      *collection,
                        const char        *path,
                        SdImportProgress   progress,
                        gpointer           progress_data,
                        GCancellable      *cancellable,
                        SdImportStats     *stats,
                        GError           **error)
{
  Import imp = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  imp.collection = collection;
  imp.cancellable = cancellable;
  imp.progress = progress;
  imp.progress_data = progress_data;
  imp.name = path;
  imp.now = sd_clock_now ();
  imp.zone = g_time_zone_new_local ();
  imp.media_refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  imp.touched_notes = g_array_new (FALSE, FALSE, sizeof (gint64));
  imp.created_media = g_ptr_array_new_with_free_func (g_free);
  imp.row_strings = g_ptr_array_new_with_free_func (g_free);
  imp.card_extra = g_string_new (NULL);
  id_map_init (&imp.deck_map);
  id_map_init (&imp.note_map);
  id_map_init (&imp.card_map);
  id_map_init (&imp.new_note_cards);
  id_map_init (&imp.new_notes);

  ok = run_import (&imp, path, &local_error);
  if (!ok)
    {
      g_autoptr(GError) damage = NULL;
      gboolean cancelled = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      if (!finish_check (&imp, cancelled, &damage))
        {
          g_clear_error (&local_error);
          local_error = g_steal_pointer (&damage);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  /* The module points at this import; no statement may reach it later. */
  sqlite3_create_module_v2 (sd_collection_get_db (collection), ROWS_MODULE, NULL, NULL, NULL);
  if (!ok)
    {
      /* The rows went with the rollback; the files this import wrote go now. */
      for (guint i = 0; i < imp.created_media->len; i++)
        {
          g_autofree char *file = sd_media_get_path (collection,
                                                     g_ptr_array_index (imp.created_media, i));
          g_unlink (file);
        }
    }
  else if (stats != NULL)
    *stats = imp.stats;

  import_clear (&imp);
  return ok;
}

static gboolean
has_suffix_nocase (const char *path,
                   const char *suffix)
{
  gsize len = strlen (path), slen = strlen (suffix);

  return len >= slen && g_ascii_strcasecmp (path + len - slen, suffix) == 0;
}

/**
 * sd_anki_import_file:
 *
 * Imports @path by what it is: a zip archive (`.apkg`, `.colpkg`, or any
 * file starting with a zip header) as an Anki package, a `.csv`, `.tsv` or
 * `.txt` file as Anki's text format with default options
 * (sd_csv_import_file()). Arguments and errors as for
 * sd_anki_import_package().
 */
gboolean
sd_anki_import_file (SdCollection      *collection,
                     const char        *path,
                     SdImportProgress   progress,
                     gpointer           progress_data,
                     GCancellable      *cancellable,
                     SdImportStats     *stats,
                     GError           **error)
{
  guint8 magic[4] = { 0 };
  gboolean zip = FALSE;
  FILE *file;

  g_return_val_if_fail (path != NULL, FALSE);

  file = g_fopen (path, "rb");
  if (file != NULL)
    {
      zip = fread (magic, 1, 4, file) == 4 && magic[0] == 'P' && magic[1] == 'K';
      fclose (file);
    }

  if (!zip && (has_suffix_nocase (path, ".csv") || has_suffix_nocase (path, ".tsv")
               || has_suffix_nocase (path, ".txt")))
    {
      SdCsvImportOptions options;

      sd_csv_import_options_init (&options);
      return sd_csv_import_file (collection, path, &options, progress, progress_data,
                                 cancellable, stats, error);
    }

  return sd_anki_import_package (collection, path, progress, progress_data, cancellable,
                                 stats, error);
}

/* ------------------------------------------------------------------------ */
/* Asynchronous import. */

typedef struct
{
  char            *db_path;
  char            *path;
  SdProgressRelay *relay;         /* NULL without a progress callback */
  SdImportStats    stats;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->db_path);
  g_free (data->path);
  g_clear_pointer (&data->relay, sd_progress_relay_free);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  g_autoptr(SdCollection) own = NULL;
  g_autoptr(GError) error = NULL;

  /* The worker's own connection; the caller's stays usable meanwhile. */
  own = sd_collection_open (data->db_path, &error);
  if (own == NULL
      || !sd_anki_import_file (own, data->path,
                               data->relay != NULL ? sd_progress_relay_report : NULL, data->relay,
                               cancellable, &data->stats, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * sd_anki_import_async:
 * @collection: where to import
 * @path: the file to import (see sd_anki_import_file())
 * @cancellable: (nullable): cancels the import; nothing is kept
 * @progress: (nullable): called on the caller's thread-default main context
 * @callback: called when the import is over
 *
 * Imports on a worker thread with its own connection to @collection's
 * database.
 */
void
sd_anki_import_async (SdCollection        *collection,
                      const char          *path,
                      GCancellable        *cancellable,
                      SdImportProgress     progress,
                      gpointer             progress_data,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (SD_IS_COLLECTION (collection));
  g_return_if_fail (path != NULL);

  data = g_new0 (AsyncData, 1);
  data->db_path = g_strdup (sd_collection_get_path (collection));
  data->path = g_strdup (path);
  if (progress != NULL)
    data->relay = sd_progress_relay_new (progress, progress_data);

  task = g_task_new (collection, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_anki_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * sd_anki_import_finish:
 * @stats: (out caller-allocates) (optional): what the import did
 *
 * Ends an import started with sd_anki_import_async(). On success
 * @collection emits #SdCollection::changed.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
sd_anki_import_finish (SdCollection   *collection,
                       GAsyncResult   *result,
                       SdImportStats  *stats,
                       GError        **error)
{
  AsyncData *data;

  g_return_val_if_fail (g_task_is_valid (result, collection), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = data->stats;
  sd_collection_notify_changed (collection);
  return TRUE;
}
