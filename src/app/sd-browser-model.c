/* sd-browser-model.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "sd-browser-model.h"

/* The browser's list: the ids a search returns in the order of a column,
 * sorted by SQL, and an item per id made only when the view asks for it.
 *
 * A hundred thousand cards cost one array of ids. An item is an id until
 * a cell asks for its columns; then the rows of its chunk of the list are
 * read at once (a view scrolling shows the neighbours next) and the last
 * few chunks are kept. Asking for an item costs no SQL: GTK 4.8 asks for
 * every item of a list that changed whole, to find the rows it showed.
 *
 * Items the view still holds stay alive through its references and are
 * found again by id, so there is never more than one item per card; a
 * refresh after the collection changed reads again only their rows (those
 * on screen, whose cells the window then updates) and reports only the
 * span of positions between the common start and end of the old and new
 * lists as changed, so the view keeps its scroll position and
 * GtkMultiSelection the selection outside that span. When more than that
 * changed (a new search or order), the items the view holds take the ids
 * now at their place instead and only a change of length is reported:
 * GTK keeps its rows, and the window updates their cells.
 *
 * A row read is shared, not copied, by its chunk and its item, and keeps
 * the text of each cell once made: GTK 4.8 keeps about 200 rows bound
 * around the view and binds every one of them again after a jump, which
 * then formats nothing. */

#define CHUNK_SIZE 64
#define MAX_CHUNKS 32

typedef struct
{
  SdBrowseRow  row;
  char        *texts[SD_BROWSER_N_TEXTS];  /* made on first use, or NULL */
} Line;

static void
line_clear (gpointer data)
{
  Line *line = data;

  sd_browse_row_clear (&line->row);
  for (guint i = 0; i < SD_BROWSER_N_TEXTS; i++)
    g_free (line->texts[i]);
}

static void
line_unref (gpointer line)
{
  if (line != NULL)
    g_rc_box_release_full (line, line_clear);
}

/* Takes over the contents of @row and frees it. */
static Line *
line_new (SdBrowseRow *row)
{
  Line *line = g_rc_box_new0 (Line);

  line->row = *row;
  g_free (row);
  return line;
}

struct _SdBrowserItem
{
  GObject         parent_instance;

  SdBrowserModel *model;       /* unowned; cleared when the model goes */
  gint64          id;
  guint           position;    /* in the model's list of this generation */
  guint           generation;
  gboolean        read;
  Line           *line;        /* once read; NULL when the card is gone */
};

G_DEFINE_FINAL_TYPE (SdBrowserItem, sd_browser_item, G_TYPE_OBJECT)

struct _SdBrowserModel
{
  GObject         parent_instance;

  SdCollection   *collection;
  gboolean        notes;
  char           *query;
  SdBrowseColumn  column;
  gboolean        ascending;

  GArray         *ids;        /* gint64, in the list's order */
  guint           generation; /* counts changes of ids */
  GHashTable     *positions;  /* id -> position + 1, made when first needed */
  GHashTable     *live;       /* gint64* (the item's own id) -> SdBrowserItem, unowned */
  GHashTable     *chunks;     /* chunk index -> GPtrArray of Line, NULL where gone */
  GQueue          recent;     /* chunk indexes, the last used first */
  guint           n_loaded;   /* rows read since the model was made */
  /* For creation dates; looked up once, as GLib 2.74 reads the zone's file
   * again each time it is asked for the local zone without TZ set. */
  GTimeZone      *local;

  /* Searches run in worker threads on a connection of their own, opened
   * by the first; one at a time. */
  GMutex          reader_lock;
  SdCollection   *reader;
};

static void sd_browser_model_list_model_init (GListModelInterface *iface);
static void read_item (SdBrowserModel *self,
                       SdBrowserItem  *item);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdBrowserModel, sd_browser_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sd_browser_model_list_model_init))

/* ---- items --------------------------------------------------------------- */

static void
sd_browser_item_finalize (GObject *object)
{
  SdBrowserItem *self = SD_BROWSER_ITEM (object);

  g_clear_pointer (&self->line, line_unref);

  G_OBJECT_CLASS (sd_browser_item_parent_class)->finalize (object);
}

static void
sd_browser_item_class_init (SdBrowserItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_browser_item_finalize;
}

static void
sd_browser_item_init (SdBrowserItem *self)
{
}

gint64
sd_browser_item_get_id (SdBrowserItem *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_ITEM (self), 0);

  return self->id;
}

/**
 * sd_browser_item_get_row:
 *
 * The columns, read with those of the rows around it the first time.
 *
 * Returns: (nullable): the columns, or %NULL when the card or note is gone
 */
const SdBrowseRow *
sd_browser_item_get_row (SdBrowserItem *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_ITEM (self), NULL);

  if (!self->read && self->model != NULL)
    read_item (self->model, self);
  return self->line != NULL ? &self->line->row : NULL;
}

static char *
local_date (GTimeZone *zone,
            gint64     epoch_s)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (epoch_s);
  g_autoptr(GDateTime) time = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("");
}

/* One line of text for a table cell: @text itself when it has no breaks,
 * else a copy kept in @slot. */
static const char *
single_line (const char  *text,
             char       **slot)
{
  if (text == NULL)
    return "";
  if (strpbrk (text, "\n\r\t") == NULL)
    return text;
  if (*slot == NULL)
    *slot = g_strdelimit (g_strdup (text), "\n\r\t", ' ');
  return *slot;
}

/**
 * sd_browser_item_get_text:
 *
 * The text of one cell of the row, made the first time it is asked for
 * and kept with the row.
 *
 * Returns: the text, "" when the card or note is gone
 */
const char *
sd_browser_item_get_text (SdBrowserItem *self,
                          SdBrowserText  text)
{
  const SdBrowseRow *row;
  char **slot;

  g_return_val_if_fail (SD_IS_BROWSER_ITEM (self), "");
  g_return_val_if_fail (text < SD_BROWSER_N_TEXTS, "");

  row = sd_browser_item_get_row (self);
  if (row == NULL)
    return "";
  slot = &self->line->texts[text];

  switch (text)
    {
    case SD_BROWSER_TEXT_SORT_FIELD:
      return single_line (row->sort_field, slot);
    case SD_BROWSER_TEXT_TEMPLATE:
      return single_line (row->template_name, slot);
    case SD_BROWSER_TEXT_TAGS:
      return single_line (row->tags, slot);
    case SD_BROWSER_TEXT_DECK:
      return row->deck != NULL ? row->deck : "";
    case SD_BROWSER_TEXT_DUE:
      return row->due_text != NULL ? row->due_text : "";
    case SD_BROWSER_TEXT_INTERVAL:
      return row->interval_text != NULL ? row->interval_text : "";
    case SD_BROWSER_TEXT_EASE:
      return row->ease_text != NULL ? row->ease_text : "";
    case SD_BROWSER_TEXT_NOTETYPE:
      return row->notetype != NULL ? row->notetype : "";
    case SD_BROWSER_TEXT_MODIFIED:
      return row->modified_text != NULL ? row->modified_text : "";
    case SD_BROWSER_TEXT_REVIEWS:
      if (*slot == NULL)
        *slot = g_strdup_printf ("%d", row->reviews);
      return *slot;
    case SD_BROWSER_TEXT_LAPSES:
      if (*slot == NULL)
        *slot = g_strdup_printf ("%d", row->lapses);
      return *slot;
    case SD_BROWSER_TEXT_CREATED:
      /* Ids are creation times in milliseconds, as in Anki. */
      if (*slot == NULL && self->model != NULL)
        *slot = local_date (self->model->local,
                            (row->card_id != 0 ? row->card_id : row->note_id) / 1000);
      return *slot != NULL ? *slot : "";
    case SD_BROWSER_N_TEXTS:
    default:
      return "";
    }
}

/* ---- reading rows -------------------------------------------------------- */

static Line *
read_one (SdBrowserModel *self,
          gint64          id)
{
  g_autoptr(GError) error = NULL;
  SdBrowseRow *row = g_new0 (SdBrowseRow, 1);
  gboolean ok;

  ok = self->notes ? sd_browse_note_row (self->collection, id, row, &error)
                   : sd_browse_card_row (self->collection, id, row, &error);
  self->n_loaded++;
  if (!ok)
    {
      /* Deleted since the search ran: the refresh that follows drops it. */
      if (!g_error_matches (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND))
        g_warning ("Failed to read browser row %" G_GINT64_FORMAT ": %s", id, error->message);
      g_free (row);
      return NULL;
    }
  return line_new (row);
}

/* Lines for @n ids, in their order, NULL where one is gone. Cards are read
 * in one batch (deck names looked up once); when that fails because a card
 * is gone, one by one. */
static GPtrArray *
read_rows (SdBrowserModel *self,
           const gint64   *ids,
           guint           n)
{
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *lines = g_ptr_array_new_full (n, line_unref);

  if (n == 0)
    return lines;
  if (!self->notes)
    rows = sd_browse_card_rows (self->collection, ids, n, NULL);
  if (rows != NULL)
    {
      /* The lines take the rows over. */
      g_ptr_array_set_free_func (rows, NULL);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (lines, line_new (rows->pdata[i]));
      self->n_loaded += n;
      return lines;
    }

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (lines, read_one (self, ids[i]));
  return lines;
}

/* ---- the chunk cache and live items -------------------------------------- */

static void
clear_chunks (SdBrowserModel *self)
{
  g_queue_clear (&self->recent);
  g_hash_table_remove_all (self->chunks);
}

/* Keeps @rows as @chunk, the last used. */
static void
keep_chunk (SdBrowserModel *self,
            guint           chunk,
            GPtrArray      *rows)
{
  if (rows != NULL)
    g_hash_table_insert (self->chunks, GUINT_TO_POINTER (chunk), rows);
  g_queue_remove (&self->recent, GUINT_TO_POINTER (chunk));
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (chunk));
  while (g_queue_get_length (&self->recent) > MAX_CHUNKS)
    g_hash_table_remove (self->chunks, g_queue_pop_tail (&self->recent));
}

/* Reads the chunks @first to @last that are not kept, in one batch. */
static void
read_chunks (SdBrowserModel *self,
             guint           first,
             guint           last)
{
  g_autoptr(GArray) missing = g_array_sized_new (FALSE, FALSE, sizeof (guint), last - first + 1);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                             (last - first + 1) * CHUNK_SIZE);
  g_autoptr(GPtrArray) lines = NULL;
  guint next = 0;

  for (guint c = first; c <= last; c++)
    {
      guint start = c * CHUNK_SIZE;

      if (start >= self->ids->len)
        break;
      if (g_hash_table_contains (self->chunks, GUINT_TO_POINTER (c)))
        continue;
      g_array_append_val (missing, c);
      g_array_append_vals (ids, &g_array_index (self->ids, gint64, start),
                           MIN (CHUNK_SIZE, self->ids->len - start));
    }
  if (missing->len == 0)
    return;

  lines = read_rows (self, (const gint64 *) ids->data, ids->len);
  for (guint i = 0; i < missing->len; i++)
    {
      guint c = g_array_index (missing, guint, i);
      guint n = MIN (CHUNK_SIZE, self->ids->len - c * CHUNK_SIZE);
      GPtrArray *rows = g_ptr_array_new_full (n, line_unref);

      for (guint j = 0; j < n; j++)
        g_ptr_array_add (rows, g_steal_pointer (&lines->pdata[next++]));
      keep_chunk (self, c, rows);
    }
}

static GPtrArray *
get_chunk (SdBrowserModel *self,
           guint           chunk)
{
  GPtrArray *rows = g_hash_table_lookup (self->chunks, GUINT_TO_POINTER (chunk));

  if (rows == NULL)
    {
      read_chunks (self, chunk, chunk);
      rows = g_hash_table_lookup (self->chunks, GUINT_TO_POINTER (chunk));
    }
  keep_chunk (self, chunk, NULL);
  return rows;
}

static void
read_item (SdBrowserModel *self,
           SdBrowserItem  *item)
{
  g_clear_pointer (&item->line, line_unref);
  if (item->generation == self->generation && item->position < self->ids->len)
    {
      GPtrArray *lines = get_chunk (self, item->position / CHUNK_SIZE);
      Line *line = g_ptr_array_index (lines, item->position % CHUNK_SIZE);

      item->line = line != NULL ? g_rc_box_acquire (line) : NULL;
    }
  else
    item->line = read_one (self, item->id);
  item->read = TRUE;
}

static void
item_gone_cb (gpointer  data,
              GObject  *where_the_object_was)
{
  SdBrowserModel *self = data;
  SdBrowserItem *item = (SdBrowserItem *) where_the_object_was;

  /* The item's memory is still there while weak references are told. */
  g_hash_table_remove (self->live, &item->id);
}

static void
forget_live_items (SdBrowserModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SdBrowserItem *item = value;

      item->model = NULL;
      g_object_weak_unref (G_OBJECT (item), item_gone_cb, self);
      g_hash_table_iter_remove (&iter);
    }
}

/* Reads again, in one batch, the rows of the items still alive that were
 * read: those on screen. */
static void
reread_live_items (SdBrowserModel *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) rows = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SdBrowserItem *item = value;

      if (!item->read)
        continue;
      g_ptr_array_add (items, g_object_ref (item));
      g_array_append_val (ids, item->id);
    }
  rows = read_rows (self, (const gint64 *) ids->data, ids->len);
  for (guint i = 0; i < items->len; i++)
    {
      SdBrowserItem *item = items->pdata[i];

      g_clear_pointer (&item->line, line_unref);
      item->line = g_steal_pointer (&rows->pdata[i]);
    }
}

/* ---- GListModel ---------------------------------------------------------- */

static GType
sd_browser_model_get_item_type (GListModel *model)
{
  return SD_TYPE_BROWSER_ITEM;
}

static guint
sd_browser_model_get_n_items (GListModel *model)
{
  return SD_BROWSER_MODEL (model)->ids->len;
}

static gpointer
sd_browser_model_get_item (GListModel *model,
                           guint       position)
{
  SdBrowserModel *self = SD_BROWSER_MODEL (model);
  SdBrowserItem *item;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  item = g_hash_table_lookup (self->live, &id);
  if (item != NULL)
    g_object_ref (item);
  else
    {
      item = g_object_new (SD_TYPE_BROWSER_ITEM, NULL);
      item->model = self;
      item->id = id;
      g_object_weak_ref (G_OBJECT (item), item_gone_cb, self);
      g_hash_table_insert (self->live, &item->id, item);
    }
  /* Where it is now, for reading its chunk. */
  item->position = position;
  item->generation = self->generation;
  return item;
}

static void
sd_browser_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sd_browser_model_get_item_type;
  iface->get_n_items = sd_browser_model_get_n_items;
  iface->get_item = sd_browser_model_get_item;
}

/* ---- the object ---------------------------------------------------------- */

static void
sd_browser_model_finalize (GObject *object)
{
  SdBrowserModel *self = SD_BROWSER_MODEL (object);

  clear_chunks (self);
  forget_live_items (self);
  g_clear_pointer (&self->chunks, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->local, g_time_zone_unref);
  g_clear_object (&self->reader);
  g_mutex_clear (&self->reader_lock);
  g_clear_object (&self->collection);

  G_OBJECT_CLASS (sd_browser_model_parent_class)->finalize (object);
}

static void
sd_browser_model_class_init (SdBrowserModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_browser_model_finalize;
}

static void
sd_browser_model_init (SdBrowserModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->live = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->chunks = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->query = g_strdup ("");
  self->column = SD_BROWSE_COLUMN_CREATED;
  self->ascending = TRUE;
  g_queue_init (&self->recent);
  self->local = g_time_zone_new_local ();
  g_mutex_init (&self->reader_lock);
}

/* ---- public API ---------------------------------------------------------- */

SdBrowserModel *
sd_browser_model_new (SdCollection *collection)
{
  SdBrowserModel *self;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);

  self = g_object_new (SD_TYPE_BROWSER_MODEL, NULL);
  self->collection = g_object_ref (collection);
  return self;
}

SdCollection *
sd_browser_model_get_collection (SdBrowserModel *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), NULL);

  return self->collection;
}

static void
set_ids (SdBrowserModel *self,
         GArray         *ids)
{
  g_array_unref (self->ids);
  self->ids = g_array_ref (ids);
  self->generation++;
  g_clear_pointer (&self->positions, g_hash_table_unref);
}

/* Above this many rows changed, the list is replaced in place. */
#define MAX_SPAN 1000

/* The items the view holds take the ids of @ids at their place in the
 * list; those past its end are gone. Nothing is told: the caller updates
 * what the view shows of them. */
static void
retarget_live_items (SdBrowserModel *self,
                     GArray         *ids)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer value;

  /* Their places now: known for the items the view asked for since the
   * last change, looked up for older ones. */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SdBrowserItem *item = value;
      guint position = item->generation == self->generation
                       ? item->position
                       : sd_browser_model_find (self, item->id);

      g_ptr_array_add (items, item);
      g_array_append_val (positions, position);
    }
  g_hash_table_remove_all (self->live);

  for (guint i = 0; i < items->len; i++)
    {
      SdBrowserItem *item = items->pdata[i];
      guint position = g_array_index (positions, guint, i);

      g_clear_pointer (&item->line, line_unref);
      if (position < ids->len)
        {
          item->id = g_array_index (ids, gint64, position);
          item->position = position;
          item->generation = self->generation + 1;
          item->read = FALSE;
          g_hash_table_insert (self->live, &item->id, item);
        }
      else
        {
          /* Read, and gone: it shows nothing until the view lets it go. */
          item->model = NULL;
          item->read = TRUE;
          g_object_weak_unref (G_OBJECT (item), item_gone_cb, self);
        }
    }
}

/* Puts @ids in place of the list, telling the view only about the span
 * that differs. */
static void
replace_ids (SdBrowserModel *self,
             GArray         *ids)
{
  guint old_len = self->ids->len;
  guint new_len = ids->len;
  guint prefix = 0, suffix = 0, removed, added;
  const gint64 *a = (const gint64 *) self->ids->data;
  const gint64 *b = (const gint64 *) ids->data;

  while (prefix < old_len && prefix < new_len && a[prefix] == b[prefix])
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix
         && a[old_len - 1 - suffix] == b[new_len - 1 - suffix])
    suffix++;
  removed = old_len - prefix - suffix;
  added = new_len - prefix - suffix;

  /* A new search or order. Told as a change of the rows, GTK 4.8 would ask
   * for every added item to find where the rows it shows went (a new order
   * of the whole list makes each of 100,000 items once), or, told as a
   * removal then an addition, destroy the ~200 rows it keeps and make them
   * again. Its items take the new ids where they are instead, and only a
   * change of length is told; the window updates its cells, the scroll
   * position and the selection itself. */
  if (removed > MAX_SPAN && added > MAX_SPAN)
    {
      retarget_live_items (self, ids);
      set_ids (self, ids);
      if (old_len > new_len)
        g_list_model_items_changed (G_LIST_MODEL (self), new_len, old_len - new_len, 0);
      else if (new_len > old_len)
        g_list_model_items_changed (G_LIST_MODEL (self), old_len, 0, new_len - old_len);
      return;
    }

  set_ids (self, ids);
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
}

/* Lists @ids, found by @query. */
static void
apply (SdBrowserModel  *self,
       gboolean         reread,
       gboolean         notes,
       const char      *query,
       SdBrowseColumn   column,
       gboolean         ascending,
       GArray          *ids)
{
  clear_chunks (self);
  if (notes != self->notes)
    {
      /* A note and a card may have the same id: nothing carries over, and
       * the list is replaced whole. */
      g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (gint64));

      forget_live_items (self);
      replace_ids (self, none);
    }
  self->notes = notes;
  if (query != self->query)
    {
      g_free (self->query);
      self->query = g_strdup (query);
    }
  self->column = column;
  self->ascending = ascending;
  /* Rows read before a change to the collection are stale. */
  if (reread)
    reread_live_items (self);
  replace_ids (self, ids);
}

static GArray *
find_ids (SdCollection    *collection,
          gboolean         notes,
          const char      *query,
          SdBrowseColumn   column,
          gboolean         ascending,
          GError         **error)
{
  return notes ? sd_browse_notes (collection, query, column, ascending, error)
               : sd_browse_cards (collection, query, column, ascending, error);
}

static gboolean
run (SdBrowserModel  *self,
     gboolean         reread,
     gboolean         notes,
     const char      *query,
     SdBrowseColumn   column,
     gboolean         ascending,
     GError         **error)
{
  g_autoptr(GArray) ids = find_ids (self->collection, notes, query, column, ascending, error);

  if (ids == NULL)
    return FALSE;
  apply (self, reread, notes, query, column, ascending, ids);
  return TRUE;
}

typedef struct
{
  gboolean        notes;
  char           *query;
  SdBrowseColumn  column;
  gboolean        ascending;
} Search;

static void
search_free (Search *search)
{
  g_free (search->query);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SdBrowserModel *self = source_object;
  Search *search = task_data;
  g_autoptr(GError) error = NULL;
  GArray *ids = NULL;

  g_mutex_lock (&self->reader_lock);
  if (self->reader == NULL)
    self->reader = sd_collection_open_reader (self->collection, &error);
  if (self->reader != NULL && !g_cancellable_is_cancelled (cancellable))
    ids = find_ids (self->reader, search->notes, search->query, search->column,
                    search->ascending, &error);
  g_mutex_unlock (&self->reader_lock);

  if (ids != NULL)
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_error_if_cancelled (task);
}

/**
 * sd_browser_model_search:
 * @notes: list notes instead of cards
 * @query: a search in Anki's syntax
 *
 * Lists what @query finds, sorted by @column. On failure (a malformed
 * search gives %SD_SEARCH_ERROR) the list stays as it was.
 */
gboolean
sd_browser_model_search (SdBrowserModel  *self,
                         gboolean         notes,
                         const char      *query,
                         SdBrowseColumn   column,
                         gboolean         ascending,
                         GError         **error)
{
  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  return run (self, FALSE, notes, query, column, ascending, error);
}

/**
 * sd_browser_model_search_async:
 * @cancellable: (nullable): a search cancelled before it ends changes
 *   nothing
 *
 * Finds what @query finds, sorted by @column, in a worker thread (with a
 * connection of its own: the main one stays free to read rows); the list
 * changes when sd_browser_model_search_finish() is called.
 */
void
sd_browser_model_search_async (SdBrowserModel      *self,
                               gboolean             notes,
                               const char          *query,
                               SdBrowseColumn       column,
                               gboolean             ascending,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Search *search;

  g_return_if_fail (SD_IS_BROWSER_MODEL (self));
  g_return_if_fail (query != NULL);

  search = g_new0 (Search, 1);
  search->notes = notes;
  search->query = g_strdup (query);
  search->column = column;
  search->ascending = ascending;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_browser_model_search_async);
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * sd_browser_model_search_finish:
 *
 * Lists what the search found. A malformed search (%SD_SEARCH_ERROR) or a
 * cancelled one (%G_IO_ERROR_CANCELLED) leaves the list as it was.
 *
 * Returns: %TRUE when the list shows the search
 */
gboolean
sd_browser_model_search_finish (SdBrowserModel  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_autoptr(GArray) ids = NULL;
  Search *search;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ids = g_task_propagate_pointer (G_TASK (result), error);
  if (ids == NULL)
    return FALSE;
  search = g_task_get_task_data (G_TASK (result));
  apply (self, FALSE, search->notes, search->query, search->column, search->ascending, ids);
  return TRUE;
}

/**
 * sd_browser_model_refresh:
 *
 * Runs the last search again, after the collection changed.
 */
gboolean
sd_browser_model_refresh (SdBrowserModel  *self,
                          GError         **error)
{
  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), FALSE);

  return run (self, TRUE, self->notes, self->query, self->column, self->ascending, error);
}

gboolean
sd_browser_model_get_notes (SdBrowserModel *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), FALSE);

  return self->notes;
}

gint64
sd_browser_model_get_id (SdBrowserModel *self,
                         guint           position)
{
  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), 0);
  g_return_val_if_fail (position < self->ids->len, 0);

  return g_array_index (self->ids, gint64, position);
}

/**
 * sd_browser_model_find:
 *
 * Returns: the position of @id, or %G_MAXUINT when it is not listed
 */
guint
sd_browser_model_find (SdBrowserModel *self,
                       gint64          id)
{
  gpointer position;

  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), G_MAXUINT);

  if (self->positions == NULL)
    {
      self->positions = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < self->ids->len; i++)
        g_hash_table_insert (self->positions, &g_array_index (self->ids, gint64, i),
                             GUINT_TO_POINTER (i + 1));
    }
  position = g_hash_table_lookup (self->positions, &id);
  return position != NULL ? GPOINTER_TO_UINT (position) - 1 : G_MAXUINT;
}

/**
 * sd_browser_model_prefetch:
 * @position: the first row
 * @n: how many
 *
 * Reads, in one batch, the rows from @position the view is about to show
 * that are not read yet: a jump to another place in the list then reads
 * one batch, not a chunk at a time as it binds its rows.
 */
void
sd_browser_model_prefetch (SdBrowserModel *self,
                           guint           position,
                           guint           n)
{
  g_return_if_fail (SD_IS_BROWSER_MODEL (self));

  if (n == 0 || position >= self->ids->len)
    return;
  n = MIN (n, self->ids->len - position);
  read_chunks (self, position / CHUNK_SIZE, (position + n - 1) / CHUNK_SIZE);
}

/* How many rows were read so far: the list reads only what is shown. */
guint
sd_browser_model_get_n_loaded (SdBrowserModel *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_MODEL (self), 0);

  return self->n_loaded;
}
