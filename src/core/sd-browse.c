/* sd-browse.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the card browser asks of the collection: the ids matching a search
 * in the order of a column (the list model then reads rows as they scroll
 * into view), one row's columns, and the bulk actions on a selection.
 *
 * Every bulk action runs in one transaction and returns an undo record. The
 * record holds copies of the rows the action changed or deleted, whole, in
 * temporary tables of the collection's connection (so a hundred thousand
 * cards cost a few megabytes, not a heap of values), and the ids of review
 * log entries it added; undoing writes the rows back column for column and
 * removes the added entries. */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-browse.h"
#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-revlog.h"
#include "sd-scheduler.h"
#include "sd-search.h"

/* Learning due times are epoch seconds; anything smaller is a day number. */
#define EPOCH_THRESHOLD 1000000000

/* Deck full names with a separator below every printable character, so a
 * deck sorts right after its parent and before "Parent Two". */
#define DECK_TREE_CTE \
  "WITH RECURSIVE tree (id, full_name) AS (" \
  " SELECT id, name FROM decks WHERE parent_id IS NULL" \
  " UNION ALL" \
  " SELECT d.id, tree.full_name || char(31) || d.name FROM decks d JOIN tree" \
  " ON d.parent_id = tree.id) "

/* The due column's sort value, as Anki sorts it: new cards by position
 * (small numbers, so first), learning by time, days as the time they
 * start relative to now. */
#define DUE_SORT_SQL \
  "CASE WHEN c.type = 0 THEN c.due WHEN c.due > 1000000000 THEN c.due" \
  " ELSE (c.due - %" G_GINT64_FORMAT ") * 86400 + %" G_GINT64_FORMAT " END"

#define EASE_SQL \
  "CASE WHEN c.difficulty IS NOT NULL THEN (c.difficulty - 1) / 9.0 ELSE c.ease / 1000.0 END"

/* ---- listing ------------------------------------------------------------- */

/**
 * sd_browse_cards:
 * @query: a search in Anki's syntax (see sd-search.c)
 * @sort_column: the column to sort by; ties go by creation
 *
 * Returns: (transfer full) (element-type gint64): the ids of the matching
 *   cards in order, or %NULL with @error set (a malformed search gives
 *   %SD_SEARCH_ERROR)
 */
GArray *
sd_browse_cards (SdCollection    *collection,
                 const char      *query,
                 SdBrowseColumn   sort_column,
                 gboolean         ascending,
                 GError         **error)
{
  g_autoptr(SdSearchQuery) search = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *key = NULL;
  const char *dir = ascending ? "ASC" : "DESC";
  gboolean notes, tree = FALSE, notetype = FALSE, template = FALSE;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  search = sd_search_query_new (collection, query, SD_SEARCH_CARDS, error);
  if (search == NULL)
    return NULL;
  notes = sd_search_query_uses_notes (search);

  switch (sort_column)
    {
    case SD_BROWSE_COLUMN_SORT_FIELD:
      notes = TRUE;
      key = g_strdup ("n.sort_field COLLATE NOCASE");
      break;
    case SD_BROWSE_COLUMN_DECK:
      tree = TRUE;
      key = g_strdup ("tree.full_name COLLATE NOCASE");
      break;
    case SD_BROWSE_COLUMN_DUE:
      key = g_strdup_printf (DUE_SORT_SQL, sd_search_query_get_today (search), sd_clock_now ());
      break;
    case SD_BROWSE_COLUMN_INTERVAL:
      key = g_strdup ("c.interval");
      break;
    case SD_BROWSE_COLUMN_EASE:
      key = g_strdup ("CASE WHEN c.type = 0 THEN -1 ELSE " EASE_SQL " END");
      break;
    case SD_BROWSE_COLUMN_REVIEWS:
      key = g_strdup ("c.reps");
      break;
    case SD_BROWSE_COLUMN_LAPSES:
      key = g_strdup ("c.lapses");
      break;
    case SD_BROWSE_COLUMN_MODIFIED:
      key = g_strdup ("c.mtime");
      break;
    case SD_BROWSE_COLUMN_NOTETYPE:
      notes = notetype = TRUE;
      key = g_strdup ("nt.name COLLATE NOCASE");
      break;
    case SD_BROWSE_COLUMN_TEMPLATE:
      notes = notetype = template = TRUE;
      key = g_strdup_printf ("t.name COLLATE NOCASE %s, c.ord", dir);
      break;
    case SD_BROWSE_COLUMN_CREATED:
    default:
      key = NULL;
      break;
    }

  if (tree)
    g_string_append (sql, DECK_TREE_CTE);
  g_string_append (sql, "SELECT c.id FROM cards c");
  if (notes)
    g_string_append (sql, " JOIN notes n ON n.id = c.note_id");
  if (tree)
    g_string_append (sql, " LEFT JOIN tree ON tree.id = c.deck_id");
  if (notetype)
    g_string_append (sql, " JOIN notetypes nt ON nt.id = n.notetype_id");
  if (template)
    g_string_append (sql, " LEFT JOIN notetype_templates t ON t.notetype_id = n.notetype_id"
                          " AND t.ord = CASE nt.kind WHEN 1 THEN 0 ELSE c.ord END");
  g_string_append_printf (sql, " WHERE %s ORDER BY ", sd_search_query_get_where (search));
  if (key != NULL)
    g_string_append_printf (sql, "%s %s, ", key, dir);
  g_string_append_printf (sql, "c.id %s", dir);

  return sd_search_query_select_ids (search, collection, sql->str, error);
}

/**
 * sd_browse_notes:
 *
 * Like sd_browse_cards() with one id per note that has a matching card.
 * Card columns sort by the note's cards together: the earliest due, the
 * average interval and ease, the total reviews and lapses; the template
 * column sorts by the number of cards.
 *
 * Returns: (transfer full) (element-type gint64): note ids, or %NULL with
 *   @error set
 */
GArray *
sd_browse_notes (SdCollection    *collection,
                 const char      *query,
                 SdBrowseColumn   sort_column,
                 gboolean         ascending,
                 GError         **error)
{
  g_autoptr(SdSearchQuery) search = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *key = NULL;
  const char *dir = ascending ? "ASC" : "DESC";
  gboolean tree = FALSE, notetype = FALSE;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  search = sd_search_query_new (collection, query, SD_SEARCH_NOTES, error);
  if (search == NULL)
    return NULL;

  switch (sort_column)
    {
    case SD_BROWSE_COLUMN_SORT_FIELD:
      key = g_strdup ("n.sort_field COLLATE NOCASE");
      break;
    case SD_BROWSE_COLUMN_DECK:
      tree = TRUE;
      key = g_strdup ("(SELECT min(tree.full_name COLLATE NOCASE) FROM cards c"
                      " JOIN tree ON tree.id = c.deck_id WHERE c.note_id = n.id)");
      break;
    case SD_BROWSE_COLUMN_DUE:
      key = g_strdup_printf ("(SELECT min(" DUE_SORT_SQL ") FROM cards c WHERE c.note_id = n.id)",
                             sd_search_query_get_today (search), sd_clock_now ());
      break;
    case SD_BROWSE_COLUMN_INTERVAL:
      key = g_strdup ("(SELECT avg(c.interval) FROM cards c WHERE c.note_id = n.id"
                      " AND c.type IN (2, 3))");
      break;
    case SD_BROWSE_COLUMN_EASE:
      key = g_strdup ("(SELECT avg(" EASE_SQL ") FROM cards c WHERE c.note_id = n.id"
                      " AND c.type != 0)");
      break;
    case SD_BROWSE_COLUMN_REVIEWS:
      key = g_strdup ("(SELECT sum(c.reps) FROM cards c WHERE c.note_id = n.id)");
      break;
    case SD_BROWSE_COLUMN_LAPSES:
      key = g_strdup ("(SELECT sum(c.lapses) FROM cards c WHERE c.note_id = n.id)");
      break;
    case SD_BROWSE_COLUMN_MODIFIED:
      key = g_strdup ("n.mtime");
      break;
    case SD_BROWSE_COLUMN_NOTETYPE:
      notetype = TRUE;
      key = g_strdup ("nt.name COLLATE NOCASE");
      break;
    case SD_BROWSE_COLUMN_TEMPLATE:
      key = g_strdup ("(SELECT count(*) FROM cards c WHERE c.note_id = n.id)");
      break;
    case SD_BROWSE_COLUMN_CREATED:
    default:
      key = NULL;
      break;
    }

  if (tree)
    g_string_append (sql, DECK_TREE_CTE);
  g_string_append (sql, "SELECT n.id FROM notes n");
  if (notetype)
    g_string_append (sql, " JOIN notetypes nt ON nt.id = n.notetype_id");
  g_string_append_printf (sql, " WHERE n.id IN (%s) ORDER BY ", sd_search_query_get_sql (search));
  if (key != NULL)
    g_string_append_printf (sql, "%s %s, ", key, dir);
  g_string_append_printf (sql, "n.id %s", dir);

  return sd_search_query_select_ids (search, collection, sql->str, error);
}

/* ---- rows ---------------------------------------------------------------- */

/**
 * sd_browse_row_copy:
 *
 * Returns: (transfer full): a copy of @row; free it with sd_browse_row_free()
 */
SdBrowseRow *
sd_browse_row_copy (const SdBrowseRow *row)
{
  SdBrowseRow *copy = g_memdup2 (row, sizeof *row);

  copy->sort_field = g_strdup (row->sort_field);
  copy->deck = g_strdup (row->deck);
  copy->due_text = g_strdup (row->due_text);
  copy->due_date = g_strdup (row->due_date);
  copy->interval_text = g_strdup (row->interval_text);
  copy->ease_text = g_strdup (row->ease_text);
  copy->modified_text = g_strdup (row->modified_text);
  copy->notetype = g_strdup (row->notetype);
  copy->template_name = g_strdup (row->template_name);
  copy->tags = g_strdup (row->tags);
  return copy;
}

/* Keep in step with sd_browse_row_copy(). */
void
sd_browse_row_clear (SdBrowseRow *row)
{
  g_free (row->sort_field);
  g_free (row->deck);
  g_free (row->due_text);
  g_free (row->due_date);
  g_free (row->interval_text);
  g_free (row->ease_text);
  g_free (row->modified_text);
  g_free (row->notetype);
  g_free (row->template_name);
  g_free (row->tags);
  memset (row, 0, sizeof *row);
}

void
sd_browse_row_free (SdBrowseRow *row)
{
  if (row == NULL)
    return;
  sd_browse_row_clear (row);
  g_free (row);
}

typedef struct
{
  SdCollection *collection;
  gint64        now;
  gint64        today;
  GHashTable   *deck_names;     /* id -> full name, or NULL to look each up */
  /* Looked up once: GLib 2.74 reads the zone's file again each time it is
   * asked for the local zone without TZ set, a third of a row's time. */
  GTimeZone    *local;
} RowContext;

static void
row_context_init (RowContext   *ctx,
                  SdCollection *collection)
{
  ctx->collection = collection;
  ctx->now = sd_clock_now ();
  ctx->today = sd_clock_day_number (ctx->now, sd_search_rollover_hour (collection));
  ctx->deck_names = NULL;
  ctx->local = g_time_zone_new_local ();
}

static void
row_context_clear (RowContext *ctx)
{
  g_clear_pointer (&ctx->local, g_time_zone_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RowContext, row_context_clear)

static char *
deck_name (RowContext *ctx,
           gint64      deck_id)
{
  g_autoptr(GPtrArray) parts = NULL;
  sqlite3_stmt *stmt;

  if (ctx->deck_names != NULL)
    {
      const char *name = g_hash_table_lookup (ctx->deck_names, &deck_id);
      return g_strdup (name ? name : "");
    }

  /* Up from the deck to the top: a few rows, whatever the tree's size. */
  stmt = sd_collection_prepare (ctx->collection,
                                "WITH RECURSIVE up (id, parent_id, name, depth) AS ("
                                " SELECT id, parent_id, name, 0 FROM decks WHERE id = ?"
                                " UNION ALL"
                                " SELECT d.id, d.parent_id, d.name, up.depth + 1 FROM decks d"
                                " JOIN up ON d.id = up.parent_id WHERE up.depth < 100)"
                                " SELECT name FROM up ORDER BY depth DESC",
                                NULL);
  if (stmt == NULL)
    return g_strdup ("");
  parts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_bind_int64 (stmt, 1, deck_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (parts, sd_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("::", (char **) parts->pdata);
}

static char *
local_date (const RowContext *ctx,
            gint64            epoch_s)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (epoch_s);
  g_autoptr(GDateTime) time = utc ? g_date_time_to_timezone (utc, ctx->local) : NULL;

  return time ? g_date_time_format (time, "%Y-%m-%d") : NULL;
}

/* Day numbers count local calendar days from 1970-01-01. */
static char *
day_date (gint64 day)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (1970, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) time = NULL;

  if (day < -700000 || day > 2900000)
    return NULL;
  time = g_date_time_add_days (epoch, (int) day);
  return time ? g_date_time_format (time, "%Y-%m-%d") : NULL;
}

static gboolean
is_new (int type,
        int queue)
{
  return type == SD_CARD_NEW || queue == SD_QUEUE_NEW;
}

/* The date a card that is not new is due on: learning by its time, the
 * others by their day. */
static char *
due_date_of (const RowContext *ctx,
             int               type,
             int               queue,
             gint64            due)
{
  if (is_new (type, queue))
    return NULL;
  if (queue == SD_QUEUE_LEARNING || due > EPOCH_THRESHOLD)
    return local_date (ctx, due);
  return day_date (due);
}

static gint64
due_sort_of (const RowContext *ctx,
             int               type,
             gint64            due)
{
  if (type == SD_CARD_NEW || due > EPOCH_THRESHOLD)
    return due;
  return (due - ctx->today) * 86400 + ctx->now;
}

static char *
interval_text (int type,
               int interval)
{
  if (type == SD_CARD_NEW)
    return g_strdup (_("(new)"));
  if (type == SD_CARD_LEARNING)
    return g_strdup (_("(learning)"));
  return sd_scheduler_format_interval ((gint64) MAX (interval, 1) * 86400);
}

/* The Difficulty column: FSRS difficulty 0.53 as "53%"; a card reviewed
 * before it had a memory state keeps its ease factor, said as such, since
 * "250%" would read as a difficulty. */
static char *
ease_text (gboolean fsrs,
           double   value)
{
  if (fsrs)
    return g_strdup_printf ("%.0f%%", value * 100);
  /* Translators: the ease factor of a card scheduled before FSRS, e.g. "250% ease" */
  return g_strdup_printf (_("%.0f%% ease"), value * 100);
}

static void
fill_card_due (const RowContext *ctx,
               SdBrowseRow      *row)
{
  g_autofree char *text = NULL;

  row->due_date = due_date_of (ctx, row->type, row->queue, row->due);
  row->due_sort = due_sort_of (ctx, row->type, row->due);
  if (is_new (row->type, row->queue))
    text = g_strdup_printf (_("New #%" G_GINT64_FORMAT), row->due);
  else
    text = g_strdup (row->due_date ? row->due_date : "");
  /* Suspended and buried cards are not due: Anki shows their date in
   * parentheses. */
  if (row->queue < 0)
    row->due_text = g_strdup_printf ("(%s)", text);
  else
    row->due_text = g_steal_pointer (&text);
}

static gboolean
card_row (RowContext   *ctx,
          gint64        card_id,
          SdBrowseRow  *row,
          GError      **error)
{
  sqlite3_stmt *stmt;
  const char *template_name;
  gint64 deck_id;
  int ord;
  int kind;

  stmt = sd_collection_prepare (ctx->collection,
                                "SELECT c.note_id, c.deck_id, c.ord, c.type, c.queue, c.due,"
                                " c.interval, c.ease, c.difficulty, c.reps, c.lapses, c.mtime,"
                                " n.sort_field, n.tags, nt.name, nt.kind, t.name, c.flags"
                                " FROM cards c JOIN notes n ON n.id = c.note_id"
                                " JOIN notetypes nt ON nt.id = n.notetype_id"
                                " LEFT JOIN notetype_templates t ON t.notetype_id = n.notetype_id"
                                " AND t.ord = CASE nt.kind WHEN 1 THEN 0 ELSE c.ord END"
                                " WHERE c.id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, card_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Card %" G_GINT64_FORMAT " does not exist"), card_id);
      return FALSE;
    }

  memset (row, 0, sizeof *row);
  row->card_id = card_id;
  row->note_id = sqlite3_column_int64 (stmt, 0);
  deck_id = sqlite3_column_int64 (stmt, 1);
  ord = sqlite3_column_int (stmt, 2);
  row->type = sqlite3_column_int (stmt, 3);
  row->queue = sqlite3_column_int (stmt, 4);
  row->due = sqlite3_column_int64 (stmt, 5);
  row->interval = sqlite3_column_int (stmt, 6);
  row->fsrs = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
  row->ease = row->fsrs ? (sqlite3_column_double (stmt, 8) - 1) / 9
                        : sqlite3_column_int (stmt, 7) / 1000.0;
  row->reviews = sqlite3_column_int (stmt, 9);
  row->lapses = sqlite3_column_int (stmt, 10);
  row->modified = sqlite3_column_int64 (stmt, 11);
  row->sort_field = sd_column_dup (stmt, 12);
  row->tags = g_strstrip (sd_column_dup (stmt, 13));
  row->notetype = sd_column_dup (stmt, 14);
  kind = sqlite3_column_int (stmt, 15);
  template_name = (const char *) sqlite3_column_text (stmt, 16);
  row->flags = sqlite3_column_int (stmt, 17) & 7;
  /* A cloze note type's cards share its one template: "Cloze 2". */
  if (kind == 1)
    row->template_name = g_strdup_printf ("%s %d", template_name ? template_name : "", ord + 1);
  else
    row->template_name = g_strdup (template_name ? template_name : "");
  sqlite3_reset (stmt);

  row->n_cards = 1;
  row->deck = deck_name (ctx, deck_id);
  fill_card_due (ctx, row);
  row->interval_text = interval_text (row->type, row->interval);
  row->ease_text = row->type == SD_CARD_NEW ? g_strdup (_("(new)"))
                                            : ease_text (row->fsrs, row->ease);
  row->modified_text = local_date (ctx, row->modified);
  if (row->modified_text == NULL)
    row->modified_text = g_strdup ("");
  return TRUE;
}

/**
 * sd_browse_card_row:
 * @row: (out caller-allocates): filled in; free its contents with
 *   sd_browse_row_clear()
 *
 * Reads one card's columns.
 */
gboolean
sd_browse_card_row (SdCollection  *collection,
                    gint64         card_id,
                    SdBrowseRow   *row,
                    GError       **error)
{
  g_auto(RowContext) ctx = { NULL, };

  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  row_context_init (&ctx, collection);
  return card_row (&ctx, card_id, row, error);
}

/* Every deck's full name by id. Only what a row needs: the browser reads
 * its rows in chunks of a few dozen, each with a table of names. */
static GHashTable *
deck_names (SdCollection  *collection,
            GError       **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                       g_free, g_free);
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (collection,
                                "WITH RECURSIVE tree (id, full_name) AS ("
                                " SELECT id, name FROM decks WHERE parent_id IS NULL"
                                " UNION ALL"
                                " SELECT d.id, tree.full_name || '::' || d.name"
                                " FROM decks d JOIN tree ON d.parent_id = tree.id)"
                                " SELECT id, full_name FROM tree",
                                error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (names, g_memdup2 (&id, sizeof id), sd_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&names);
}

/**
 * sd_browse_card_rows:
 *
 * Reads many cards' columns at once (deck names are looked up once).
 *
 * Returns: (transfer full) (element-type SdBrowseRow): the rows in the order
 *   of @card_ids, or %NULL with @error set
 */
GPtrArray *
sd_browse_card_rows (SdCollection  *collection,
                     const gint64  *card_ids,
                     gsize          n_ids,
                     GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_browse_row_free);
  g_autoptr(GHashTable) names = NULL;
  g_auto(RowContext) ctx = { NULL, };

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);

  names = deck_names (collection, error);
  if (names == NULL)
    return NULL;

  row_context_init (&ctx, collection);
  ctx.deck_names = names;
  for (gsize i = 0; i < n_ids; i++)
    {
      SdBrowseRow *row = g_new0 (SdBrowseRow, 1);

      if (!card_row (&ctx, card_ids[i], row, error))
        {
          g_free (row);
          return NULL;
        }
      g_ptr_array_add (rows, row);
    }
  return g_steal_pointer (&rows);
}

/**
 * sd_browse_note_row:
 * @row: (out caller-allocates): filled in; free its contents with
 *   sd_browse_row_clear()
 *
 * Reads one note's columns for the notes mode: its cards summed up.
 */
gboolean
sd_browse_note_row (SdCollection  *collection,
                    gint64         note_id,
                    SdBrowseRow   *row,
                    GError       **error)
{
  g_autoptr(GHashTable) decks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  g_auto(RowContext) ctx = { NULL, };
  gint64 first_deck = 0;
  gint64 earliest = G_MAXINT64;
  gboolean have_earliest = FALSE;
  gint64 interval_sum = 0, n_intervals = 0;
  double ease_sum = 0;
  int n_eases = 0;
  gboolean fsrs = FALSE;
  int rollover;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  row_context_init (&ctx, collection);
  rollover = sd_search_rollover_hour (collection);
  stmt = sd_collection_prepare (collection,
                                "SELECT n.sort_field, n.tags, n.mtime, nt.name FROM notes n"
                                " JOIN notetypes nt ON nt.id = n.notetype_id WHERE n.id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, note_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Note %" G_GINT64_FORMAT " does not exist"), note_id);
      return FALSE;
    }
  memset (row, 0, sizeof *row);
  row->note_id = note_id;
  row->sort_field = sd_column_dup (stmt, 0);
  row->tags = g_strstrip (sd_column_dup (stmt, 1));
  row->modified = sqlite3_column_int64 (stmt, 2);
  row->notetype = sd_column_dup (stmt, 3);
  sqlite3_reset (stmt);

  stmt = sd_collection_prepare (collection,
                                "SELECT deck_id, type, queue, due, interval, ease, difficulty,"
                                " reps, lapses, flags FROM cards WHERE note_id = ? ORDER BY ord",
                                error);
  if (stmt == NULL)
    {
      sd_browse_row_clear (row);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, note_id);
  row->due_sort = G_MAXINT64;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 deck = sqlite3_column_int64 (stmt, 0);
      int type = sqlite3_column_int (stmt, 1);
      int queue = sqlite3_column_int (stmt, 2);
      gint64 due = sqlite3_column_int64 (stmt, 3);
      gboolean has_difficulty = sqlite3_column_type (stmt, 6) != SQLITE_NULL;

      if (row->n_cards++ == 0)
        {
          first_deck = deck;
          row->type = type;
          row->queue = queue;
          row->due = due;
          row->flags = sqlite3_column_int (stmt, 9) & 7;
        }
      g_hash_table_add (decks, g_memdup2 (&deck, sizeof deck));
      row->due_sort = MIN (row->due_sort, due_sort_of (&ctx, type, due));
      row->reviews += sqlite3_column_int (stmt, 7);
      row->lapses += sqlite3_column_int (stmt, 8);

      /* Anki's note due date: the earliest of the cards that will come up. */
      if (!is_new (type, queue) && queue >= 0)
        {
          gint64 when = queue == SD_QUEUE_LEARNING || due > EPOCH_THRESHOLD
                          ? due : sd_clock_day_start (due, rollover);
          if (!have_earliest || when < earliest)
            {
              g_free (row->due_date);
              row->due_date = due_date_of (&ctx, type, queue, due);
              earliest = when;
              have_earliest = TRUE;
            }
        }
      if (type == SD_CARD_REVIEW || type == SD_CARD_RELEARNING)
        {
          interval_sum += sqlite3_column_int (stmt, 4);
          n_intervals++;
        }
      if (type != SD_CARD_NEW)
        {
          if (n_eases == 0)
            fsrs = has_difficulty;
          if (fsrs && has_difficulty)
            ease_sum += (sqlite3_column_double (stmt, 6) - 1) / 9;
          else if (!fsrs)
            ease_sum += sqlite3_column_int (stmt, 5) / 1000.0;
          n_eases++;
        }
    }
  sqlite3_reset (stmt);

  if (row->n_cards == 0)
    row->due_sort = 0;
  if (g_hash_table_size (decks) > 1)
    row->deck = g_strdup_printf ("(%u)", g_hash_table_size (decks));
  else
    row->deck = row->n_cards ? deck_name (&ctx, first_deck) : g_strdup ("");
  row->due_text = g_strdup (row->due_date ? row->due_date : "");
  row->interval = n_intervals ? (int) (interval_sum / n_intervals) : 0;
  row->interval_text = n_intervals ? sd_scheduler_format_interval ((gint64) MAX (row->interval, 1)
                                                                   * 86400)
                                   : g_strdup ("");
  row->fsrs = fsrs;
  row->ease = n_eases ? ease_sum / n_eases : 0;
  row->ease_text = n_eases ? ease_text (fsrs, row->ease) : g_strdup (_("(new)"));
  row->modified_text = local_date (&ctx, row->modified);
  if (row->modified_text == NULL)
    row->modified_text = g_strdup ("");
  row->template_name = g_strdup_printf ("%u", row->n_cards);
  return TRUE;
}

/**
 * sd_browse_cards_of_notes:
 *
 * The cards of notes, note by note in the order given and by template
 * within a note: what a bulk action applies to when the browser lists
 * notes.
 *
 * Returns: (transfer full) (element-type gint64): card ids, or %NULL with
 *   @error set
 */
GArray *
sd_browse_cards_of_notes (SdCollection  *collection,
                          const gint64  *note_ids,
                          gsize          n_ids,
                          GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (note_ids != NULL || n_ids == 0, NULL);

  stmt = sd_collection_prepare (collection,
                                "SELECT id FROM cards WHERE note_id = ? ORDER BY ord, id", error);
  if (stmt == NULL)
    return NULL;
  for (gsize i = 0; i < n_ids; i++)
    {
      sqlite3_bind_int64 (stmt, 1, note_ids[i]);
      if (!sd_collection_append_ids (collection, stmt, ids, error))
        return NULL;
    }
  return g_steal_pointer (&ids);
}

/* ---- undo records -------------------------------------------------------- */

typedef struct
{
  char *temp;        /* the copy, in the temp schema */
  char *table;       /* where the rows came from */
  char *key;         /* conflict column for rows still there, or NULL to insert */
} Snapshot;

struct _SdBrowseUndo
{
  SdCollection *collection;
  char         *label;
  guint         serial;
  GPtrArray    *snapshots;     /* Snapshot, in the order to write them back */
  gint64        revlog_first;  /* review log ids the action added, or 0 */
  gint64        revlog_last;
  guint         n_cards;
  guint         n_notes;
};

static void
snapshot_free (gpointer data)
{
  Snapshot *snapshot = data;

  g_free (snapshot->temp);
  g_free (snapshot->table);
  g_free (snapshot->key);
  g_free (snapshot);
}

/* Identifiers here come from our own schema; quoted all the same. */
static char *
quote_name (const char *name)
{
  g_autofree char *doubled = NULL;
  g_auto(GStrv) parts = g_strsplit (name, "\"", -1);

  doubled = g_strjoinv ("\"\"", parts);
  return g_strdup_printf ("\"%s\"", doubled);
}

void
sd_browse_undo_free (SdBrowseUndo *undo)
{
  if (undo == NULL)
    return;

  for (guint i = 0; i < undo->snapshots->len; i++)
    {
      Snapshot *snapshot = undo->snapshots->pdata[i];
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.%s", snapshot->temp);
      /* Fails only while a statement is running on the connection; the
       * copy then stays until the connection closes. */
      if (sqlite3_exec (sd_collection_get_db (undo->collection), sql, NULL, NULL, NULL)
          != SQLITE_OK)
        g_debug ("Could not drop %s: %s", snapshot->temp,
                 sqlite3_errmsg (sd_collection_get_db (undo->collection)));
    }
  g_ptr_array_unref (undo->snapshots);
  g_free (undo->label);
  g_object_unref (undo->collection);
  g_free (undo);
}

static SdBrowseUndo *
undo_new (SdCollection *collection,
          const char   *label)
{
  static gint serial;
  SdBrowseUndo *undo = g_new0 (SdBrowseUndo, 1);

  undo->collection = g_object_ref (collection);
  undo->label = g_strdup (label);
  undo->serial = (guint) g_atomic_int_add (&serial, 1);
  undo->snapshots = g_ptr_array_new_with_free_func (snapshot_free);
  return undo;
}

/* Copies the rows of @table that @where picks (SQL of ours, never the
 * user's) into a new temp table. */
static gboolean
snapshot (SdBrowseUndo  *undo,
          const char    *table,
          const char    *key,
          const char    *where,
          GError       **error)
{
  Snapshot *copy = g_new0 (Snapshot, 1);
  g_autofree char *quoted = quote_name (table);
  g_autofree char *sql = NULL;

  copy->temp = g_strdup_printf ("sd_undo_%u_%u", undo->serial, undo->snapshots->len);
  copy->table = g_strdup (table);
  copy->key = g_strdup (key);
  sql = g_strdup_printf ("CREATE TEMP TABLE %s AS SELECT * FROM main.%s WHERE %s",
                         copy->temp, quoted, where);
  g_ptr_array_add (undo->snapshots, copy);
  return sd_collection_exec (undo->collection, sql, error);
}

/* Writes a snapshot back: rows still there get every column back, rows
 * gone come back whole. */
static gboolean
restore (SdBrowseUndo  *undo,
         Snapshot      *snapshot,
         GError       **error)
{
  sqlite3 *db = sd_collection_get_db (undo->collection);
  g_autofree char *select = g_strdup_printf ("SELECT * FROM temp.%s", snapshot->temp);
  g_autofree char *table = quote_name (snapshot->table);
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autoptr(GString) updates = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;

  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (undo->collection, error);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      g_autofree char *quoted = quote_name (name);

      g_string_append_printf (columns, "%s%s", i ? ", " : "", quoted);
      if (snapshot->key != NULL && !g_str_equal (name, snapshot->key))
        g_string_append_printf (updates, "%s%s = excluded.%s", updates->len ? ", " : "",
                                quoted, quoted);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (snapshot->key != NULL && updates->len == 0)
    sql = g_strdup_printf ("INSERT OR IGNORE INTO main.%s (%s) SELECT %s FROM temp.%s",
                           table, columns->str, columns->str, snapshot->temp);
  else if (snapshot->key != NULL)
    {
      g_autofree char *key = quote_name (snapshot->key);
      sql = g_strdup_printf ("INSERT INTO main.%s (%s) SELECT %s FROM temp.%s WHERE 1"
                             " ON CONFLICT (%s) DO UPDATE SET %s",
                             table, columns->str, columns->str, snapshot->temp, key,
                             updates->str);
    }
  else
    sql = g_strdup_printf ("INSERT INTO main.%s (%s) SELECT %s FROM temp.%s",
                           table, columns->str, columns->str, snapshot->temp);
  return sd_collection_exec (undo->collection, sql, error);
}

/**
 * sd_browse_undo:
 *
 * Puts back what the action of @undo changed: every column of every card,
 * note and review log entry, and removes the entries it added. Done once,
 * the record has nothing more to do; free it.
 */
gboolean
sd_browse_undo (SdCollection  *collection,
                SdBrowseUndo  *undo,
                GError       **error)
{
  g_return_val_if_fail (SD_IS_COLLECTION (collection), FALSE);
  g_return_val_if_fail (undo != NULL && undo->collection == collection, FALSE);

  if (!sd_collection_begin (collection, error))
    return FALSE;

  if (undo->revlog_first != 0)
    {
      sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                                  "DELETE FROM main.revlog"
                                                  " WHERE id BETWEEN ? AND ?",
                                                  error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, undo->revlog_first);
      sqlite3_bind_int64 (stmt, 2, undo->revlog_last);
      if (!sd_collection_step_done (collection, stmt, error))
        goto fail;
    }
  for (guint i = 0; i < undo->snapshots->len; i++)
    if (!restore (undo, undo->snapshots->pdata[i], error))
      goto fail;

  return sd_collection_commit (collection, error);

fail:
  sd_collection_rollback (collection);
  return FALSE;
}

const char *
sd_browse_undo_get_label (SdBrowseUndo *undo)
{
  return undo->label;
}

/* How many cards the action applied to. */
guint
sd_browse_undo_get_n_cards (SdBrowseUndo *undo)
{
  return undo->n_cards;
}

/* How many notes it changed or deleted. */
guint
sd_browse_undo_get_n_notes (SdBrowseUndo *undo)
{
  return undo->n_notes;
}

/* ---- bulk actions -------------------------------------------------------- */

#define SELECTION "(SELECT id FROM temp.sd_browse_selection)"
#define NOTE_SELECTION "(SELECT id FROM temp.sd_browse_note_selection)"

/* The selection goes into a temp table every statement of the action
 * joins, in the order given (forget numbers new cards in that order);
 * cards that do not exist are left out. */
static gboolean
fill_selection (SdCollection  *collection,
                const gint64  *card_ids,
                gsize          n_ids,
                guint         *n_cards,
                GError       **error)
{
  sqlite3_stmt *stmt;

  if (!sd_collection_exec (collection,
                           "CREATE TEMP TABLE IF NOT EXISTS sd_browse_selection"
                           " (id INTEGER PRIMARY KEY, ord INTEGER NOT NULL);"
                           "CREATE TEMP TABLE IF NOT EXISTS sd_browse_note_selection"
                           " (id INTEGER PRIMARY KEY);"
                           "DELETE FROM temp.sd_browse_selection;"
                           "DELETE FROM temp.sd_browse_note_selection;",
                           error))
    return FALSE;

  stmt = sd_collection_prepare (collection,
                                "INSERT OR IGNORE INTO temp.sd_browse_selection (id, ord)"
                                " SELECT id, ? FROM main.cards WHERE id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  for (gsize i = 0; i < n_ids; i++)
    {
      sqlite3_bind_int64 (stmt, 1, (gint64) i);
      sqlite3_bind_int64 (stmt, 2, card_ids[i]);
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }
  *n_cards = (guint) sd_collection_scalar (collection,
                                           "SELECT count(*) FROM temp.sd_browse_selection", 0);
  return TRUE;
}

/* The notes of the selected cards. */
static gboolean
select_notes (SdCollection  *collection,
              guint         *n_notes,
              GError       **error)
{
  if (!sd_collection_exec (collection,
                           "INSERT OR IGNORE INTO temp.sd_browse_note_selection (id)"
                           " SELECT note_id FROM main.cards WHERE id IN " SELECTION,
                           error))
    return FALSE;
  *n_notes = (guint) sd_collection_scalar (collection,
                                           "SELECT count(*) FROM temp.sd_browse_note_selection", 0);
  return TRUE;
}

static SdBrowseUndo *
begin_action (SdCollection  *collection,
              const char    *label,
              const gint64  *card_ids,
              gsize          n_ids,
              GError       **error)
{
  SdBrowseUndo *undo;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (card_ids != NULL || n_ids == 0, NULL);

  if (!sd_collection_begin (collection, error))
    return NULL;
  undo = undo_new (collection, label);
  if (!fill_selection (collection, card_ids, n_ids, &undo->n_cards, error))
    {
      sd_collection_rollback (collection);
      sd_browse_undo_free (undo);
      return NULL;
    }
  return undo;
}

static SdBrowseUndo *
finish_action (SdBrowseUndo  *undo,
               gboolean       ok,
               GError       **error)
{
  if (ok && sd_collection_commit (undo->collection, error))
    return undo;
  if (!ok)
    sd_collection_rollback (undo->collection);
  sd_browse_undo_free (undo);
  return NULL;
}

static gboolean
run_with_time (SdCollection  *collection,
               const char    *sql,
               gint64         value,
               GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sd_clock_now ());
  sqlite3_bind_int64 (stmt, 2, value);
  return sd_collection_step_done (collection, stmt, error);
}

/**
 * sd_browse_set_deck:
 *
 * Moves the cards to @deck_id.
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_set_deck (SdCollection  *collection,
                    const gint64  *card_ids,
                    gsize          n_ids,
                    gint64         deck_id,
                    GError       **error)
{
  SdBrowseUndo *undo;
  g_autoptr(SdDeck) deck = sd_deck_load (collection, deck_id, error);
  gboolean ok;

  if (deck == NULL)
    return NULL;
  undo = begin_action (collection, _("Change Deck"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;
  ok = snapshot (undo, "cards", "id", "id IN " SELECTION, error)
       && run_with_time (collection,
                         "UPDATE main.cards SET mtime = ?1, deck_id = ?2 WHERE id IN " SELECTION
                         " AND deck_id != ?2",
                         deck_id, error);
  return finish_action (undo, ok, error);
}

/**
 * sd_browse_set_flag:
 * @flag: 0 (none) to 7
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_set_flag (SdCollection  *collection,
                    const gint64  *card_ids,
                    gsize          n_ids,
                    int            flag,
                    GError       **error)
{
  SdBrowseUndo *undo;
  gboolean ok;

  if (flag < 0 || flag > 7)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Flag %d does not exist; flags go from 0 (none) to 7"), flag);
      return NULL;
    }
  undo = begin_action (collection, _("Flag"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;
  ok = snapshot (undo, "cards", "id", "id IN " SELECTION, error)
       && run_with_time (collection,
                         "UPDATE main.cards SET mtime = ?1, flags = (flags & ~7) | ?2"
                         " WHERE id IN " SELECTION " AND (flags & 7) != ?2",
                         flag, error);
  return finish_action (undo, ok, error);
}

/**
 * sd_browse_set_suspended:
 *
 * Suspends the cards, or puts suspended ones back in the queue their type
 * gives them.
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_set_suspended (SdCollection  *collection,
                         const gint64  *card_ids,
                         gsize          n_ids,
                         gboolean       suspended,
                         GError       **error)
{
  SdBrowseUndo *undo;
  gboolean ok;

  undo = begin_action (collection, suspended ? _("Suspend") : _("Unsuspend"),
                       card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;
  ok = snapshot (undo, "cards", "id", "id IN " SELECTION, error);
  if (ok && suspended)
    ok = run_with_time (collection,
                        "UPDATE main.cards SET mtime = ?1, queue = ?2 WHERE id IN " SELECTION
                        " AND queue != ?2",
                        SD_QUEUE_SUSPENDED, error);
  else if (ok)
    ok = run_with_time (collection,
                        "UPDATE main.cards SET mtime = ?1, queue = CASE type WHEN 0 THEN 0"
                        " WHEN 2 THEN 2 ELSE CASE WHEN due > 1000000000 THEN 1 ELSE 3 END END"
                        " WHERE id IN " SELECTION " AND queue = ?2",
                        SD_QUEUE_SUSPENDED, error);
  return finish_action (undo, ok, error);
}

static gboolean
tag_matches (const char *tag,
             const char *wanted)
{
  g_autofree char *folded_tag = g_utf8_casefold (tag, -1);
  g_autofree char *folded = g_utf8_casefold (wanted, -1);
  gsize len = strlen (folded);

  return g_str_equal (folded_tag, folded)
         || (g_str_has_prefix (folded_tag, folded) && strncmp (folded_tag + len, "::", 2) == 0);
}

static gboolean
change_tags (SdBrowseUndo  *undo,
             GStrv          wanted,
             gboolean       add,
             GError       **error)
{
  SdCollection *collection = undo->collection;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) old_tags = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gint64 now = sd_clock_now ();

  if (!select_notes (collection, &undo->n_notes, error)
      || !snapshot (undo, "notes", "id", "id IN " NOTE_SELECTION, error))
    return FALSE;

  stmt = sd_collection_prepare (collection,
                                "SELECT id, tags FROM main.notes WHERE id IN " NOTE_SELECTION
                                " ORDER BY id",
                                error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
      g_ptr_array_add (old_tags, sd_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(GStrv) tags = sd_note_split_tags (old_tags->pdata[i]);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) result = NULL;
      g_autofree char *joined = NULL;
      gboolean changed = FALSE;

      for (guint j = 0; tags[j] != NULL; j++)
        {
          gboolean drop = FALSE;

          for (guint k = 0; !add && wanted[k] != NULL && !drop; k++)
            drop = tag_matches (tags[j], wanted[k]);
          if (drop)
            changed = TRUE;
          else
            g_strv_builder_add (builder, tags[j]);
        }
      for (guint k = 0; add && wanted[k] != NULL; k++)
        {
          gboolean present = FALSE;

          for (guint j = 0; tags[j] != NULL && !present; j++)
            {
              g_autofree char *a = g_utf8_casefold (tags[j], -1);
              g_autofree char *b = g_utf8_casefold (wanted[k], -1);
              present = g_str_equal (a, b);
            }
          if (!present)
            {
              g_strv_builder_add (builder, wanted[k]);
              changed = TRUE;
            }
        }
      if (!changed)
        continue;

      result = g_strv_builder_end (builder);
      joined = sd_note_join_tags ((const char * const *) result);
      stmt = sd_collection_prepare (collection,
                                    "UPDATE main.notes SET tags = ?, mtime = ? WHERE id = ?",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, joined, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, g_array_index (ids, gint64, i));
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static GStrv
parse_tags (const char  *tags,
            GError     **error)
{
  g_auto(GStrv) split = sd_note_split_tags (tags);

  if (split[0] == NULL)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("No tags given: write them separated by spaces"));
      return NULL;
    }
  for (guint i = 0; split[i] != NULL; i++)
    if (!g_utf8_validate (split[i], -1, NULL))
      {
        g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                     _("A tag must be valid UTF-8 text"));
        return NULL;
      }
  return g_steal_pointer (&split);
}

/**
 * sd_browse_add_tags:
 * @tags: space-separated
 *
 * Adds the tags a note of the cards does not have yet (letter case aside).
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_add_tags (SdCollection  *collection,
                    const gint64  *card_ids,
                    gsize          n_ids,
                    const char    *tags,
                    GError       **error)
{
  g_auto(GStrv) wanted = parse_tags (tags, error);
  SdBrowseUndo *undo;

  if (wanted == NULL)
    return NULL;
  undo = begin_action (collection, _("Add Tags"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;
  return finish_action (undo, change_tags (undo, wanted, TRUE, error), error);
}

/**
 * sd_browse_remove_tags:
 * @tags: space-separated
 *
 * Removes the tags, and their child tags ("lang" takes "lang::fr" too),
 * from the notes of the cards, letter case aside.
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_remove_tags (SdCollection  *collection,
                       const gint64  *card_ids,
                       gsize          n_ids,
                       const char    *tags,
                       GError       **error)
{
  g_auto(GStrv) wanted = parse_tags (tags, error);
  SdBrowseUndo *undo;

  if (wanted == NULL)
    return NULL;
  undo = begin_action (collection, _("Remove Tags"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;
  return finish_action (undo, change_tags (undo, wanted, FALSE, error), error);
}

/* The review log entries an action writes get consecutive ids, after every
 * id in use, so undo can take them out as one range. */
static gboolean
log_manual (SdBrowseUndo   *undo,
            SdRevlogEntry  *entry,
            GError        **error)
{
  entry->id = undo->revlog_first == 0 ? sd_collection_new_id (undo->collection, "revlog")
                                      : undo->revlog_last + 1;
  if (!sd_revlog_insert (undo->collection, entry, error))
    return FALSE;
  if (undo->revlog_first == 0)
    undo->revlog_first = entry->id;
  undo->revlog_last = entry->id;
  return TRUE;
}

static GArray *
selected_in_order (SdCollection  *collection,
                   GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT id FROM temp.sd_browse_selection"
                                              " ORDER BY ord",
                                              error);

  if (stmt == NULL || !sd_collection_append_ids (collection, stmt, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

/**
 * sd_browse_forget:
 *
 * Makes the cards new again, at the end of the new queue in the order
 * given, as Anki's "Reset" does: their memory state goes, a manual entry
 * goes in the review log. %SD_BROWSE_FORGET_RESTORE_POSITION puts them back
 * where they first were instead, %SD_BROWSE_FORGET_RESET_COUNTS sets reviews
 * and lapses to 0, and %SD_BROWSE_FORGET_DELETE_HISTORY deletes their review
 * log (and writes no entry).
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_forget (SdCollection         *collection,
                  const gint64         *card_ids,
                  gsize                 n_ids,
                  SdBrowseForgetFlags   flags,
                  GError              **error)
{
  g_autoptr(GArray) ids = NULL;
  SdBrowseUndo *undo;
  gint64 position;
  gboolean ok;

  undo = begin_action (collection, _("Reset"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;
  ok = snapshot (undo, "cards", "id", "id IN " SELECTION, error);
  if (ok && (flags & SD_BROWSE_FORGET_DELETE_HISTORY))
    ok = snapshot (undo, "revlog", "id", "card_id IN " SELECTION, error)
         && sd_collection_exec (collection,
                                "DELETE FROM main.revlog WHERE card_id IN " SELECTION, error);
  if (ok)
    ok = (ids = selected_in_order (collection, error)) != NULL;

  position = sd_card_next_position (collection);
  for (guint i = 0; ok && i < ids->len; i++)
    {
      g_autoptr(SdCard) card = sd_card_load (collection, g_array_index (ids, gint64, i), error);
      int old_interval;

      if (card == NULL)
        {
          ok = FALSE;
          break;
        }
      old_interval = card->interval;
      if ((flags & SD_BROWSE_FORGET_RESTORE_POSITION) && card->position > 0)
        card->due = card->position;
      else
        card->due = card->position = position++;
      card->type = SD_CARD_NEW;
      card->queue = SD_QUEUE_NEW;
      card->interval = 0;
      card->ease = 0;
      card->stability = 0;
      card->difficulty = 0;
      card->last_review = 0;
      card->step = 0;
      if (flags & SD_BROWSE_FORGET_RESET_COUNTS)
        card->reps = card->lapses = 0;
      ok = sd_card_update (collection, card, error);

      if (ok && !(flags & SD_BROWSE_FORGET_DELETE_HISTORY))
        {
          SdRevlogEntry entry = { 0 };

          entry.card_id = card->id;
          entry.rating = 0;
          entry.kind = SD_REVLOG_MANUAL;
          entry.interval = 0;
          entry.last_interval = old_interval;
          ok = log_manual (undo, &entry, error);
        }
    }
  return finish_action (undo, ok, error);
}

typedef struct
{
  guint    min;
  guint    max;
  gboolean set_interval;
} DueSpec;

static gboolean
parse_due_spec (const char  *text,
                DueSpec     *spec,
                GError     **error)
{
  const char *p = text;
  guint64 a, b;
  char *end;

  if (text == NULL || !g_ascii_isdigit (*p))
    goto bad;
  a = g_ascii_strtoull (p, &end, 10);
  p = end;
  b = a;
  if (*p == '-')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto bad;
      b = g_ascii_strtoull (p, &end, 10);
      p = end;
    }
  spec->set_interval = *p == '!';
  if (*p == '!')
    p++;
  if (*p != '\0' || a > 36500 || b > 36500)
    goto bad;
  spec->min = (guint) MIN (a, b);
  spec->max = (guint) MAX (a, b);
  return TRUE;

bad:
  g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
               _("Invalid due date “%s”: write days from today, such as 0 (today), 1 or a "
                 "range like 3-7, with “!” after it to set the interval too"),
               text ? text : "");
  return FALSE;
}

/**
 * sd_browse_set_due_date:
 * @days: "N" days from today, "N-M" for a random day in that range, and a
 *   trailing "!" to set the interval to the new distance as well
 *
 * Makes the cards review cards due on that day, as Anki's "Set Due Date":
 * review cards keep their interval (or, with FSRS, get the days since their
 * last review plus the new distance) unless "!" is given; new and learning
 * cards get the distance, at least 1 day. Each card gets a manual entry in
 * the review log.
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_set_due_date (SdCollection  *collection,
                        const gint64  *card_ids,
                        gsize          n_ids,
                        const char    *days,
                        GError       **error)
{
  g_autoptr(GArray) ids = NULL;
  SdBrowseUndo *undo;
  DueSpec spec;
  gint64 today;
  int rollover;
  gboolean ok;

  if (!parse_due_spec (days, &spec, error))
    return NULL;
  undo = begin_action (collection, _("Set Due Date"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;

  rollover = sd_search_rollover_hour (collection);
  today = sd_clock_day_number (sd_clock_now (), rollover);
  ok = snapshot (undo, "cards", "id", "id IN " SELECTION, error)
       && (ids = selected_in_order (collection, error)) != NULL;

  for (guint i = 0; ok && i < ids->len; i++)
    {
      g_autoptr(SdCard) card = sd_card_load (collection, g_array_index (ids, gint64, i), error);
      SdRevlogEntry entry = { 0 };
      guint distance;
      int old_interval;
      gint64 new_due;

      if (card == NULL)
        {
          ok = FALSE;
          break;
        }
      distance = spec.min == spec.max ? spec.min
                                      : (guint) g_random_int_range (spec.min, spec.max + 1);
      new_due = today + distance;
      old_interval = card->interval;

      if (spec.set_interval)
        card->interval = MAX (distance, 1);
      else if (card->stability > 0 && card->interval > 0 && card->queue != SD_QUEUE_NEW)
        {
          /* FSRS: the interval is the time since the last review. */
          if (card->last_review > 0)
            card->interval = (int) (today - sd_clock_day_number (card->last_review, rollover))
                             + distance;
          else
            {
              gint64 old_due = card->due > EPOCH_THRESHOLD
                                 ? sd_clock_day_number (card->due, rollover) : card->due;
              card->interval = (int) (card->interval + (new_due - old_due));
            }
          card->interval = MAX (card->interval, 1);
        }
      else if (card->type == SD_CARD_REVIEW || card->type == SD_CARD_RELEARNING)
        card->interval = MAX (card->interval, 1);
      else
        card->interval = MAX (distance, 1);

      card->type = SD_CARD_REVIEW;
      card->queue = SD_QUEUE_REVIEW;
      card->due = new_due;
      card->step = 0;
      if (card->ease == 0)
        card->ease = 2500;
      ok = sd_card_update (collection, card, error);

      entry.card_id = card->id;
      entry.rating = 0;
      entry.kind = SD_REVLOG_MANUAL;
      entry.interval = card->interval;
      entry.last_interval = old_interval;
      entry.ease = card->ease;
      entry.stability = card->stability;
      entry.difficulty = card->difficulty;
      if (ok)
        ok = log_manual (undo, &entry, error);
    }
  return finish_action (undo, ok, error);
}

/* Tables whose rows go with a deleted row of @parent (ON DELETE CASCADE),
 * other than @except: today revlog for cards, note_anchors for notes. */
static gboolean
snapshot_dependents (SdBrowseUndo  *undo,
                     const char    *parent,
                     const char    *except,
                     const char    *selection,
                     GError       **error)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (undo->collection,
                                "SELECT m.name, f.\"from\" FROM main.sqlite_schema m,"
                                " pragma_foreign_key_list(m.name) f"
                                " WHERE m.type = 'table' AND lower(f.\"table\") = ?"
                                " AND upper(f.on_delete) = 'CASCADE' ORDER BY m.name",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, parent, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), except) == 0)
        continue;
      g_ptr_array_add (children, sd_column_dup (stmt, 0));
      g_ptr_array_add (columns, sd_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < children->len; i++)
    {
      g_autofree char *column = quote_name (columns->pdata[i]);
      g_autofree char *where = g_strdup_printf ("%s IN %s", column, selection);

      if (!snapshot (undo, children->pdata[i], NULL, where, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * sd_browse_delete_cards:
 *
 * Deletes the cards with their review log, and the notes left without
 * cards. Undo brings back cards, notes, review log and everything else
 * that went with them, as they were.
 *
 * Returns: (transfer full): the undo record, or %NULL with @error set
 */
SdBrowseUndo *
sd_browse_delete_cards (SdCollection  *collection,
                        const gint64  *card_ids,
                        gsize          n_ids,
                        GError       **error)
{
  SdBrowseUndo *undo;
  gboolean ok;

  undo = begin_action (collection, _("Delete"), card_ids, n_ids, error);
  if (undo == NULL)
    return NULL;

  /* Notes whose every card goes. */
  ok = sd_collection_exec (collection,
                           "INSERT INTO temp.sd_browse_note_selection (id)"
                           " SELECT DISTINCT c.note_id FROM main.cards c WHERE c.id IN " SELECTION
                           " AND NOT EXISTS (SELECT 1 FROM main.cards o WHERE o.note_id = c.note_id"
                           " AND o.id NOT IN " SELECTION ")",
                           error);
  undo->n_notes = (guint) sd_collection_scalar (collection,
                                                "SELECT count(*)"
                                                " FROM temp.sd_browse_note_selection",
                                                0);

  /* Written back in this order: notes before what refers to them. */
  ok = ok
       && snapshot (undo, "notes", NULL, "id IN " NOTE_SELECTION, error)
       && snapshot (undo, "cards", NULL, "id IN " SELECTION, error)
       && snapshot_dependents (undo, "notes", "cards", NOTE_SELECTION, error)
       && snapshot_dependents (undo, "cards", NULL, SELECTION, error)
       && sd_collection_exec (collection,
                              "DELETE FROM main.cards WHERE id IN " SELECTION ";"
                              "DELETE FROM main.notes WHERE id IN " NOTE_SELECTION ";",
                              error);
  return finish_action (undo, ok, error);
}
