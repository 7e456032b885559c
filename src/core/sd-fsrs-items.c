/* sd-fsrs-items.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-collection-private.h"
#include "sd-fsrs.h"
#include "sd-fsrs-items.h"
#include "sd-preset.h"
#include "sd-revlog.h"

G_DEFINE_QUARK (sd-fsrs-items-error-quark, sd_fsrs_items_error)

/**
 * sd_fsrs_items_new:
 *
 * Returns: (transfer full): an empty item list
 */
SdFsrsItems *
sd_fsrs_items_new (void)
{
  SdFsrsItems *items = g_new0 (SdFsrsItems, 1);

  items->reviews = g_array_new (FALSE, FALSE, sizeof (SdFsrsReview));
  items->items = g_array_new (FALSE, FALSE, sizeof (SdFsrsItem));
  return items;
}

/**
 * sd_fsrs_items_free:
 * @items: (nullable): the items
 */
void
sd_fsrs_items_free (SdFsrsItems *items)
{
  if (items == NULL)
    return;
  g_clear_pointer (&items->reviews, g_array_unref);
  g_clear_pointer (&items->items, g_array_unref);
  g_free (items);
}

/**
 * sd_fsrs_items_add:
 * @items: the items
 * @card_id: the card
 * @time_ms: time of the last review (items are not re-sorted; add them in
 *   time order)
 * @reviews: (array length=n_reviews): the reviews, the last being the target
 * @n_reviews: at least 2
 * @error: return location for an error
 *
 * Appends one item with its own copy of @reviews, for items that come from
 * somewhere other than a review log (tests, other tools).
 *
 * Returns: %TRUE on success; %FALSE with %SD_FSRS_ITEMS_ERROR_INVALID if
 *   there are fewer than two reviews or a rating is not 1..4
 */
gboolean
sd_fsrs_items_add (SdFsrsItems         *items,
                   gint64               card_id,
                   gint64               time_ms,
                   const SdFsrsReview  *reviews,
                   guint                n_reviews,
                   GError             **error)
{
  SdFsrsItem item;

  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (reviews != NULL || n_reviews == 0, FALSE);

  if (n_reviews < 2)
    {
      g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_INVALID,
                   _("An FSRS item needs at least two reviews, got %u"), n_reviews);
      return FALSE;
    }
  for (guint i = 0; i < n_reviews; i++)
    {
      if (reviews[i].rating < 1 || reviews[i].rating > 4)
        {
          g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_INVALID,
                       _("FSRS item review %u: rating %u is not 1..4"), i + 1,
                       reviews[i].rating);
          return FALSE;
        }
    }

  item.card_id = card_id;
  item.time_ms = time_ms;
  item.start = items->reviews->len;
  item.len = n_reviews;
  g_array_append_vals (items->reviews, reviews, n_reviews);
  /* A first review has no elapsed time. */
  g_array_index (items->reviews, SdFsrsReview, item.start).delta_t = 0;
  g_array_append_val (items->items, item);

  return TRUE;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SdFsrsRevlogRow *x = a;
  const SdFsrsRevlogRow *y = b;

  if (x->card_id != y->card_id)
    return x->card_id < y->card_id ? -1 : 1;
  if (x->time_ms != y->time_ms)
    return x->time_ms < y->time_ms ? -1 : 1;
  return 0;
}

static int
compare_items_by_time (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const SdFsrsItem *x = a;
  const SdFsrsItem *y = b;

  if (x->time_ms != y->time_ms)
    return x->time_ms < y->time_ms ? -1 : 1;
  return 0;
}

static inline int
row_kind (const SdFsrsRevlogRow *row,
          gboolean               first_of_card)
{
  if (row->kind == SD_FSRS_KIND_UNKNOWN)
    return first_of_card ? SD_REVLOG_LEARNING : SD_REVLOG_REVIEW;
  return row->kind;
}

static inline gboolean
row_is_cram (const SdFsrsRevlogRow *row,
             int                    kind)
{
  return kind == SD_REVLOG_FILTERED && row->ease == 0;
}

/* Anki's reviews_for_fsrs with training on, for the rows of one card (in
 * time order): appends the kept reviews to @items->reviews and one item per
 * review on a later day than the review before it. */
static void
add_card (SdFsrsItems           *items,
          const SdFsrsRevlogRow *rows,
          gsize                  n_rows)
{
  gssize first_learning = -1;
  guint start = items->reviews->len;
  guint n_kept = 0;
  gint64 prev_day = 0;

  /* Walking back from the newest row, find the first row of the last
   * contiguous run of graded learning rows. Cram rows do not break the run.
   * A reset met before any learning row means the card has no training data
   * (it was reset after it was last learnt). */
  for (gssize i = (gssize) n_rows - 1; i >= 0; i--)
    {
      const SdFsrsRevlogRow *row = &rows[i];
      int kind = row_kind (row, i == 0);
      gboolean graded = row->rating >= 1 && row->rating <= 4;

      if (row_is_cram (row, kind))
        continue;
      if (graded && kind == SD_REVLOG_LEARNING)
        first_learning = i;
      else if (first_learning >= 0)
        break;
      else if (kind == SD_REVLOG_MANUAL && row->ease == 0)
        return;
    }
  if (first_learning < 0)
    return;

  for (gsize i = (gsize) first_learning; i < n_rows; i++)
    {
      const SdFsrsRevlogRow *row = &rows[i];
      int kind = row_kind (row, i == 0);
      SdFsrsReview review;

      if (kind == SD_REVLOG_MANUAL || row->rating < 1 || row->rating > 4 ||
          row_is_cram (row, kind) || kind == SD_REVLOG_RESCHEDULED)
        continue;

      review.rating = (guint32) row->rating;
      review.delta_t = n_kept == 0 ? 0 : (guint32) CLAMP (row->day - prev_day, 0, G_MAXINT32);
      prev_day = row->day;
      g_array_append_val (items->reviews, review);
      n_kept++;

      if (n_kept > 1 && review.delta_t > 0)
        {
          SdFsrsItem item = {
            .card_id = row->card_id,
            .time_ms = row->time_ms,
            .start = start,
            .len = n_kept,
          };
          g_array_append_val (items->items, item);
        }
    }

  items->n_revlog_rows += n_kept;
}

/**
 * sd_fsrs_items_from_revlog:
 * @rows: (array length=n_rows): review log rows in any order; sorted in
 *   place by card and time
 * @n_rows: number of @rows
 *
 * Builds training items by Anki's rules (see the section description).
 * Rows of one card at the same time keep their order.
 *
 * Returns: (transfer full): the items, possibly none
 */
SdFsrsItems *
sd_fsrs_items_from_revlog (SdFsrsRevlogRow *rows,
                           gsize            n_rows)
{
  SdFsrsItems *items = sd_fsrs_items_new ();
  gsize begin = 0;

  g_return_val_if_fail (rows != NULL || n_rows == 0, items);

  /* g_qsort_with_data() is a stable merge sort. */
  if (n_rows > 1)
    g_qsort_with_data (rows, (gint) n_rows, sizeof *rows, compare_rows, NULL);

  while (begin < n_rows)
    {
      gsize end = begin + 1;

      while (end < n_rows && rows[end].card_id == rows[begin].card_id)
        end++;
      add_card (items, rows + begin, end - begin);
      begin = end;
    }

  /* Anki sorts the items of all cards by the revlog id of their last review;
   * the stable sort keeps card order for equal times. */
  if (items->items->len > 1)
    g_qsort_with_data (items->items->data, (gint) items->items->len, sizeof (SdFsrsItem),
                       compare_items_by_time, NULL);

  return items;
}

/* The CSV reader: a header row naming the columns, then one review per line.
 * Values are plain numbers, optionally in double quotes; no embedded commas. */

typedef enum
{
  COL_CARD_ID,
  COL_REVIEW_TIME,
  COL_REVIEW_RATING,
  COL_REVIEW_STATE,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "card_id", "review_time", "review_rating", "review_state",
};

static char *
field_strip (char *field)
{
  gsize len;

  g_strstrip (field);
  len = strlen (field);
  if (len >= 2 && field[0] == '"' && field[len - 1] == '"')
    {
      field[len - 1] = '\0';
      field++;
      g_strstrip (field);
    }
  return field;
}

static gboolean
parse_integer (const char  *file_name,
               guint        line_no,
               const char  *column,
               const char  *text,
               gint64       min,
               gint64       max,
               gint64      *out,
               GError     **error)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_PARSE,
                   _("%s:%u: %s “%s” is not an integer"), file_name, line_no, column, text);
      return FALSE;
    }
  if (value < min || value > max)
    {
      g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_PARSE,
                   _("%s:%u: %s %" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                     "..%" G_GINT64_FORMAT ")"),
                   file_name, line_no, column, value, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* review_state as the CSV layout of fsrs-optimizer and the bindings writes
 * it: 0 new and 1 learning are learning rows (as the ts binding's converter
 * reads them), 2 review, 3 relearning, 4 filtered, 5 manual. A CSV has no
 * ease factor, so cram rows and resets cannot be told apart from other
 * filtered and manual rows (ease -1). */
static int
kind_of_state (gint64 state)
{
  switch (state)
    {
    case 0:
    case 1:
      return SD_REVLOG_LEARNING;
    case 2:
      return SD_REVLOG_REVIEW;
    case 3:
      return SD_REVLOG_RELEARNING;
    case 4:
      return SD_REVLOG_FILTERED;
    default:
      return SD_REVLOG_MANUAL;
    }
}

/**
 * sd_fsrs_items_from_csv_data:
 * @data: (array length=length): the CSV text
 * @length: length of @data in bytes, or -1 if nul-terminated
 * @file_name: the name used in error messages
 * @day_start_hour: the local hour at which a new day starts (Anki: 4)
 * @tz_offset_minutes_east: the local offset from UTC in minutes
 * @error: return location for an error
 *
 * Reads a review log in the CSV layout of fsrs-optimizer and the bindings:
 * a header row naming `card_id`, `review_time` (epoch milliseconds),
 * `review_rating` (0..4; 0 rows are dropped as ungraded) and optionally
 * `review_state` (0..5: 0 new and 1 learning count as learning, 2 review,
 * 3 relearning, 4 filtered, 5 manual) in any order; other columns
 * (`review_duration`, …) are ignored. Without `review_state`, each card's
 * first review is its first learning step and the others are reviews.
 *
 * Returns: (transfer full): the items, or %NULL with
 *   %SD_FSRS_ITEMS_ERROR_PARSE naming the file, the line and the column
 */
SdFsrsItems *
sd_fsrs_items_from_csv_data (const char  *data,
                             gsize        length,
                             const char  *file_name,
                             int          day_start_hour,
                             int          tz_offset_minutes_east,
                             GError     **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SdFsrsRevlogRow));
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autofree char *copy = NULL;
  int columns[N_COLUMNS] = { -1, -1, -1, -1 };
  int n_needed = 0;
  char *line, *next;
  guint line_no = 0;
  gboolean have_header = FALSE;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  if (length == (gsize) -1)
    length = strlen (data);
  copy = g_strndup (data, length);
  line = copy;
  /* A UTF-8 byte order mark. */
  if (g_str_has_prefix (line, "\xEF\xBB\xBF"))
    line += 3;

  for (; line != NULL; line = next)
    {
      char *end = strchr (line, '\n');
      char *p;

      next = end != NULL ? end + 1 : NULL;
      if (end != NULL)
        *end = '\0';
      line_no++;
      g_strstrip (line);
      if (line[0] == '\0')
        continue;

      /* Split in place at the commas. */
      g_ptr_array_set_size (fields, 0);
      for (p = line;;)
        {
          char *comma = strchr (p, ',');

          g_ptr_array_add (fields, p);
          if (comma == NULL)
            break;
          *comma = '\0';
          p = comma + 1;
        }

      if (!have_header)
        {
          for (guint i = 0; i < fields->len; i++)
            {
              const char *name = field_strip (fields->pdata[i]);

              for (guint c = 0; c < N_COLUMNS; c++)
                if (columns[c] < 0 && g_ascii_strcasecmp (name, column_names[c]) == 0)
                  columns[c] = (int) i;
            }
          for (guint c = 0; c < N_COLUMNS; c++)
            {
              if (columns[c] < 0 && c != COL_REVIEW_STATE)
                {
                  g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_PARSE,
                               _("%s:%u: the header has no “%s” column (expected "
                                 "card_id, review_time, review_rating and optionally "
                                 "review_state)"),
                               file_name, line_no, column_names[c]);
                  return NULL;
                }
              n_needed = MAX (n_needed, columns[c] + 1);
            }
          have_header = TRUE;
          continue;
        }

      {
        SdFsrsRevlogRow row = { 0 };
        gint64 value;

        if (fields->len < (guint) n_needed)
          {
            g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_PARSE,
                         _("%s:%u: expected at least %d fields, found %u"),
                         file_name, line_no, n_needed, fields->len);
            return NULL;
          }

        if (!parse_integer (file_name, line_no, "card_id",
                            field_strip (fields->pdata[columns[COL_CARD_ID]]),
                            G_MININT64, G_MAXINT64, &row.card_id, error))
          return NULL;
        /* Within ±10^15 ms (about 31,000 years) day numbers cannot overflow. */
        if (!parse_integer (file_name, line_no, "review_time",
                            field_strip (fields->pdata[columns[COL_REVIEW_TIME]]),
                            -G_GINT64_CONSTANT (1000000000000000),
                            G_GINT64_CONSTANT (1000000000000000), &row.time_ms, error))
          return NULL;
        if (!parse_integer (file_name, line_no, "review_rating",
                            field_strip (fields->pdata[columns[COL_REVIEW_RATING]]),
                            0, 4, &value, error))
          return NULL;
        row.rating = (int) value;
        row.kind = SD_FSRS_KIND_UNKNOWN;
        if (columns[COL_REVIEW_STATE] >= 0)
          {
            if (!parse_integer (file_name, line_no, "review_state",
                                field_strip (fields->pdata[columns[COL_REVIEW_STATE]]),
                                0, 5, &value, error))
              return NULL;
            row.kind = kind_of_state (value);
          }
        row.ease = -1;
        row.day = sd_fsrs_day_number (row.time_ms, day_start_hour, tz_offset_minutes_east);
        g_array_append_val (rows, row);
      }
    }

  if (!have_header)
    {
      g_set_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_PARSE,
                   _("%s: empty file; expected a header row naming card_id, review_time "
                     "and review_rating"), file_name);
      return NULL;
    }

  return sd_fsrs_items_from_revlog ((SdFsrsRevlogRow *) (void *) rows->data, rows->len);
}

/**
 * sd_fsrs_items_from_csv:
 * @path: a CSV file
 * @day_start_hour: the local hour at which a new day starts
 * @tz_offset_minutes_east: the local offset from UTC in minutes
 * @error: return location for an error
 *
 * sd_fsrs_items_from_csv_data() on the contents of @path.
 *
 * Returns: (transfer full): the items, or %NULL on error
 */
SdFsrsItems *
sd_fsrs_items_from_csv (const char  *path,
                        int          day_start_hour,
                        int          tz_offset_minutes_east,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return sd_fsrs_items_from_csv_data (contents, length, path, day_start_hour,
                                      tz_offset_minutes_east, error);
}

/**
 * sd_fsrs_items_from_collection:
 * @collection: a collection
 * @preset_id: an options preset
 * @error: return location for an error
 *
 * Builds training items from the collection's review log for the cards in
 * the decks that use @preset_id. Days start at the preset's rollover hour in
 * the local time zone (the offset in effect at each review, so day numbers
 * match the scheduler's).
 *
 * Returns: (transfer full): the items, possibly none, or %NULL on error
 */
SdFsrsItems *
sd_fsrs_items_from_collection (SdCollection  *collection,
                               gint64         preset_id,
                               GError       **error)
{
  g_autoptr(SdPreset) preset = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);

  preset = sd_preset_load (collection, preset_id, error);
  if (preset == NULL)
    return NULL;

  stmt = sd_collection_prepare (collection,
                                "SELECT r.card_id, r.id, r.rating, r.kind, r.ease"
                                " FROM revlog r"
                                " JOIN cards c ON c.id = r.card_id"
                                " JOIN decks d ON d.id = c.deck_id"
                                " WHERE d.preset_id = ?"
                                " ORDER BY r.card_id, r.id",
                                error);
  if (stmt == NULL)
    return NULL;

  tz = g_time_zone_new_local ();
  rows = g_array_new (FALSE, FALSE, sizeof (SdFsrsRevlogRow));
  sqlite3_bind_int64 (stmt, 1, preset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SdFsrsRevlogRow row = {
        .card_id = sqlite3_column_int64 (stmt, 0),
        .time_ms = sqlite3_column_int64 (stmt, 1),
        .rating = sqlite3_column_int (stmt, 2),
        .kind = sqlite3_column_int (stmt, 3),
        .ease = sqlite3_column_int (stmt, 4),
      };
      gint64 seconds = row.time_ms / 1000;
      int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, seconds);
      int offset_s = interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0;

      row.day = sd_fsrs_day_number (row.time_ms, preset->rollover_hour, offset_s / 60);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return sd_fsrs_items_from_revlog ((SdFsrsRevlogRow *) (void *) rows->data, rows->len);
}
