/* sd-fsrs-items.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sd-collection.h"

G_BEGIN_DECLS

/**
 * SECTION:sd-fsrs-items
 * @title: FSRS training items
 * @short_description: review logs turned into the items the optimizer learns from
 *
 * An item is one prediction target: a card's reviews up to and including one
 * review on a later day than the review before it. The reviews before the
 * last one are the history that moves stability and difficulty; the last one
 * gives the elapsed days and the label (recalled unless rated Again).
 *
 * Items are built by Anki's rules (rslib `scheduler/fsrs/params.rs`
 * `reviews_for_fsrs` with training on): per card, in time order, only the last
 * contiguous run of graded learning rows and what follows it; no data from a
 * card whose last learning run is followed by a reset (a manual row with ease
 * factor 0) or that has no learning row; manual, ungraded, cram (filtered
 * with ease factor 0) and rescheduled rows removed; elapsed days counted in
 * local calendar days at the day-start hour (sd_fsrs_day_number()); items
 * sorted by the time of their last review, ties in card order.
 */

/**
 * SD_FSRS_ITEMS_ERROR:
 *
 * Error domain of the item builders. Errors are #SdFsrsItemsError values.
 */
#define SD_FSRS_ITEMS_ERROR (sd_fsrs_items_error_quark ())

/**
 * SdFsrsItemsError:
 * @SD_FSRS_ITEMS_ERROR_PARSE: a review log file is malformed (the message
 *   names the file, the line and the column)
 * @SD_FSRS_ITEMS_ERROR_INVALID: an item or a review is out of range
 */
typedef enum
{
  SD_FSRS_ITEMS_ERROR_PARSE,
  SD_FSRS_ITEMS_ERROR_INVALID,
} SdFsrsItemsError;

GQuark sd_fsrs_items_error_quark (void);

/**
 * SD_FSRS_KIND_UNKNOWN:
 *
 * The #SdFsrsRevlogRow kind of a log that records none: the card's first row
 * counts as a learning row and every other row as a review.
 */
#define SD_FSRS_KIND_UNKNOWN (-1)

/**
 * SdFsrsRevlogRow:
 * @card_id: the card
 * @time_ms: when the answer was given, epoch milliseconds (Anki's revlog id)
 * @day: the local day of the answer, sd_fsrs_day_number() of @time_ms
 * @rating: the button, 1..4, or 0 for an entry the user did not grade
 * @kind: an #SdRevlogKind number (0 learning, 1 review, 2 relearning,
 *   3 filtered, 4 manual, 5 rescheduled) or %SD_FSRS_KIND_UNKNOWN
 * @ease: the ease factor in permille; 0 marks cram rows (kind 3) and resets
 *   (kind 4); -1 when the log does not record it
 *
 * One row of a review log, the input of sd_fsrs_items_from_revlog().
 */
typedef struct
{
  gint64 card_id;
  gint64 time_ms;
  gint64 day;
  int    rating;
  int    kind;
  int    ease;
} SdFsrsRevlogRow;

/**
 * SdFsrsReview:
 * @rating: 1..4
 * @delta_t: whole days since the review before; 0 for the first review and
 *   for same-day reviews
 */
typedef struct
{
  guint32 rating;
  guint32 delta_t;
} SdFsrsReview;

/**
 * SdFsrsItem:
 * @card_id: the card the reviews belong to
 * @time_ms: time of the last review, epoch milliseconds
 * @start: index in #SdFsrsItems.reviews of the item's first review
 * @len: number of reviews in the item, at least 2; the last one is the target
 *
 * The items of one card share their reviews: they start at the same index
 * and differ in length.
 */
typedef struct
{
  gint64  card_id;
  gint64  time_ms;
  guint32 start;
  guint32 len;
} SdFsrsItem;

/**
 * SdFsrsItems:
 * @reviews: (element-type SdFsrsReview): the card histories, back to back
 * @items: (element-type SdFsrsItem): the items, in time order of their last review
 * @n_revlog_rows: the review log rows kept after filtering (Anki's review count)
 */
typedef struct
{
  GArray *reviews;
  GArray *items;
  gsize   n_revlog_rows;
} SdFsrsItems;

SdFsrsItems *sd_fsrs_items_new             (void);
void         sd_fsrs_items_free            (SdFsrsItems           *items);
gboolean     sd_fsrs_items_add             (SdFsrsItems           *items,
                                            gint64                 card_id,
                                            gint64                 time_ms,
                                            const SdFsrsReview    *reviews,
                                            guint                  n_reviews,
                                            GError               **error);
SdFsrsItems *sd_fsrs_items_from_revlog     (SdFsrsRevlogRow       *rows,
                                            gsize                  n_rows);
SdFsrsItems *sd_fsrs_items_from_csv_data   (const char            *data,
                                            gsize                  length,
                                            const char            *file_name,
                                            int                    day_start_hour,
                                            int                    tz_offset_minutes_east,
                                            GError               **error);
SdFsrsItems *sd_fsrs_items_from_csv        (const char            *path,
                                            int                    day_start_hour,
                                            int                    tz_offset_minutes_east,
                                            GError               **error);
SdFsrsItems *sd_fsrs_items_from_collection (SdCollection          *collection,
                                            gint64                 preset_id,
                                            GError               **error);

/**
 * sd_fsrs_items_get:
 * @items: the items
 * @index: an item index, below `items->items->len`
 *
 * Returns: (transfer none): the item
 */
static inline const SdFsrsItem *
sd_fsrs_items_get (const SdFsrsItems *items,
                   guint              index)
{
  return &g_array_index (items->items, SdFsrsItem, index);
}

/**
 * sd_fsrs_items_reviews:
 * @items: the items
 * @item: one of @items' items
 *
 * Returns: (transfer none) (array length=item->len): the item's reviews
 */
static inline const SdFsrsReview *
sd_fsrs_items_reviews (const SdFsrsItems *items,
                       const SdFsrsItem  *item)
{
  return &g_array_index (items->reviews, SdFsrsReview, item->start);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdFsrsItems, sd_fsrs_items_free)

G_END_DECLS
