/* sd-stats.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-fsrs.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-stats.h"

/* Two passes make every figure: one over the cards of the decks (states,
 * forecast, FSRS) and one over their review log (calendar, retention,
 * buttons, time, streak). Local days come from a table of day starts built
 * once, since a GDateTime per row would cost more than the whole query;
 * rows mostly come in time order, so the day found last is tried first. */

/* ---- local days ---------------------------------------------------------- */

typedef struct
{
  int     rollover;
  gint64  first_day;
  guint   n_days;
  gint64 *starts;    /* n_days + 1 entries: starts[i] begins day first_day + i */
  guint   last;      /* the day found last: rows mostly come in time order */
} DayTable;

static void
day_table_init (DayTable *table,
                gint64    first_day,
                gint64    last_day,
                int       rollover)
{
  table->rollover = rollover;
  table->first_day = first_day;
  table->n_days = (guint) (last_day - first_day + 1);
  table->starts = g_new (gint64, table->n_days + 1);
  table->last = 0;
  for (guint i = 0; i <= table->n_days; i++)
    table->starts[i] = sd_clock_day_start (first_day + i, rollover);
}

static void
day_table_clear (DayTable *table)
{
  g_clear_pointer (&table->starts, g_free);
}

/* Adds days in front of the table, down to @day. */
static void
day_table_extend (DayTable *table,
                  gint64    day)
{
  guint extra = (guint) (table->first_day - day);
  gint64 *starts = g_new (gint64, extra + table->n_days + 1);

  for (guint i = 0; i < extra; i++)
    starts[i] = sd_clock_day_start (day + i, table->rollover);
  memcpy (starts + extra, table->starts, (table->n_days + 1) * sizeof (gint64));
  g_free (table->starts);
  table->starts = starts;
  table->first_day = day;
  table->n_days += extra;
  table->last += extra;
}

static gint64
day_table_lookup (DayTable *table,
                  gint64    epoch_s)
{
  guint lo = 0, hi;

  if (epoch_s >= table->starts[table->last] && epoch_s < table->starts[table->last + 1])
    return table->first_day + table->last;
  if (epoch_s >= table->starts[table->n_days])
    return sd_clock_day_number (epoch_s, table->rollover);
  /* Only cards last reviewed before the first review in the log (imported
   * without their history) get here: a month more at a time. */
  if (epoch_s < table->starts[0])
    {
      gint64 day = sd_clock_day_number (epoch_s, table->rollover);

      if (day < table->first_day && day > 30)
        day_table_extend (table, day - 30);
      if (epoch_s < table->starts[0])
        return day;
    }

  /* The last start at or before epoch_s. */
  hi = table->n_days;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (table->starts[mid] <= epoch_s)
        lo = mid;
      else
        hi = mid;
    }
  table->last = lo;
  return table->first_day + lo;
}

/* ---- sets of card ids --------------------------------------------------- */

/* Open addressing on card ids (never 0) with linear probing: a GHashTable
 * lookup per review row would be a good part of the whole pass, and the
 * lookups that miss the cache are most of what is left, so ids are kept
 * apart from the days of card_set_first_on_day (). */
typedef struct
{
  gint64 *ids;
  gint64 *days;      /* with_days only */
  gsize   mask;
  gsize   used;
  gint64  day;       /* the day card_set_first_on_day () counts */
} CardSet;

static void
card_set_init (CardSet  *set,
               gsize     size,
               gboolean  with_days)
{
  gsize capacity = 1024;

  while (capacity < size * 2)
    capacity *= 2;
  set->ids = g_new0 (gint64, capacity);
  set->days = with_days ? g_new0 (gint64, capacity) : NULL;
  set->mask = capacity - 1;
  set->used = 0;
  set->day = G_MININT64;
}

static void
card_set_clear (CardSet *set)
{
  g_clear_pointer (&set->ids, g_free);
  g_clear_pointer (&set->days, g_free);
}

static inline gsize
card_set_hash (const CardSet *set,
               gint64         card_id)
{
  return (gsize) (((guint64) card_id * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 20) & set->mask;
}

/* The set twice as big; with days, only the cards of its day. */
static void
card_set_grow (CardSet *set)
{
  CardSet bigger;
  gsize old_capacity = set->mask + 1;

  card_set_init (&bigger, old_capacity, set->days != NULL);
  bigger.day = set->day;
  for (gsize i = 0; i < old_capacity; i++)
    {
      gsize j;

      if (set->ids[i] == 0 || (set->days != NULL && set->days[i] != set->day))
        continue;
      for (j = card_set_hash (&bigger, set->ids[i]); bigger.ids[j] != 0; j = (j + 1) & bigger.mask)
        ;
      bigger.ids[j] = set->ids[i];
      if (set->days != NULL)
        bigger.days[j] = set->days[i];
      bigger.used++;
    }
  card_set_clear (set);
  *set = bigger;
}

static void
card_set_add (CardSet *set,
              gint64   card_id)
{
  gsize i = card_set_hash (set, card_id);

  while (set->ids[i] != 0 && set->ids[i] != card_id)
    i = (i + 1) & set->mask;
  if (set->ids[i] == card_id)
    return;
  set->ids[i] = card_id;
  if (++set->used * 2 > set->mask)
    card_set_grow (set);
}

static inline gboolean
card_set_contains (const CardSet *set,
                   gint64         card_id)
{
  gsize i = card_set_hash (set, card_id);

  while (set->ids[i] != 0 && set->ids[i] != card_id)
    i = (i + 1) & set->mask;
  return set->ids[i] == card_id;
}

/* The set of cards counted on @day, for rows that come in time order: a
 * slot of an earlier day is free, so a new day needs no clearing. That
 * keeps lookups right: every slot before a card's on its probe path was
 * taken the same day, and stays taken until the day changes. Returns
 * FALSE if @card_id was counted on @day already. */
static gboolean
card_set_first_on_day (CardSet *set,
                       gint64   card_id,
                       gint64   day)
{
  gsize i = card_set_hash (set, card_id);

  if (set->day != day)
    {
      set->day = day;
      set->used = 0;
    }
  while (set->ids[i] != 0 && set->days[i] == day && set->ids[i] != card_id)
    i = (i + 1) & set->mask;
  if (set->ids[i] == card_id && set->days[i] == day)
    return FALSE;
  set->ids[i] = card_id;
  set->days[i] = day;
  if (++set->used * 2 > set->mask)
    card_set_grow (set);
  return TRUE;
}

/* ---- FSRS parameters per deck ------------------------------------------- */

typedef struct
{
  GHashTable *by_deck;   /* gint64 deck id -> SdFsrsParams* (owned by params) */
  GPtrArray  *params;
  SdFsrsParams defaults;
} DeckParams;

static gboolean
deck_params_load (DeckParams    *dp,
                  SdCollection  *collection,
                  GError       **error)
{
  g_autoptr(GHashTable) by_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  sd_fsrs_params_init_default (&dp->defaults);
  dp->by_deck = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  dp->params = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                          "SELECT d.id, coalesce (p.fsrs_params, '') FROM decks d"
                          " LEFT JOIN presets p ON p.id = d.preset_id",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (collection, error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 1);
      SdFsrsParams *params;
      gint64 *deck_id;

      if (text == NULL || text[0] == '\0')
        continue;
      params = g_hash_table_lookup (by_text, text);
      if (params == NULL)
        {
          params = g_new (SdFsrsParams, 1);
          /* Parameters the preset cannot use leave the defaults, as the
           * scheduler does. */
          if (!sd_fsrs_params_parse_json (params, text, NULL))
            sd_fsrs_params_init_default (params);
          g_ptr_array_add (dp->params, params);
          g_hash_table_insert (by_text, g_strdup (text), params);
        }
      deck_id = g_new (gint64, 1);
      *deck_id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_insert (dp->by_deck, deck_id, params);
    }
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (collection, error);
  return TRUE;
}

static void
deck_params_clear (DeckParams *dp)
{
  g_clear_pointer (&dp->by_deck, g_hash_table_unref);
  g_clear_pointer (&dp->params, g_ptr_array_unref);
}

static const SdFsrsParams *
deck_params_get (const DeckParams *dp,
                 gint64            deck_id)
{
  const SdFsrsParams *params = g_hash_table_lookup (dp->by_deck, &deck_id);

  return params ? params : &dp->defaults;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DeckParams, deck_params_clear)

/* ---- the passes ----------------------------------------------------------- */

typedef struct
{
  SdCollection *collection;
  SdStats      *stats;
  GString      *deck_list;   /* "1,2,3", or NULL for the whole collection */
  DayTable      days;
  gint64        tomorrow_start;
  CardSet       deck_cards;  /* the decks' cards (retired too), with a deck list */
  guint         n_deck_cards;
  gboolean      by_card;     /* the log comes card by card, not in time order */
  CardSet       counted;     /* cards whose retention counted on counted.day */
  gint64        last_card;   /* card by card: the card and day counted last */
  gint64        last_day;
} Context;

static gboolean
prepare (Context       *ctx,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  if (sqlite3_prepare_v2 (sd_collection_get_db (ctx->collection), sql, -1, stmt, NULL) != SQLITE_OK)
    return sd_collection_set_error (ctx->collection, error);
  return TRUE;
}

static gboolean
count_cards (Context  *ctx,
             GError  **error)
{
  SdStats *stats = ctx->stats;
  SdStatsCardStates *states = &stats->card_states;
  g_auto(DeckParams) dp = { NULL };
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 last_deck = -1;
  const SdFsrsParams *params = NULL;
  double r_sum = 0.0;
  int rc;

  if (!deck_params_load (&dp, ctx->collection, error))
    return FALSE;

  sql = g_strdup_printf ("SELECT deck_id, type, queue, due, interval, stability, difficulty,"
                         " last_review, retired, id FROM cards%s%s%s",
                         ctx->deck_list ? " WHERE deck_id IN (" : "",
                         ctx->deck_list ? ctx->deck_list->str : "",
                         ctx->deck_list ? ")" : "");
  if (!prepare (ctx, sql, &stmt, error))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 deck_id = sqlite3_column_int64 (stmt, 0);
      int type = sqlite3_column_int (stmt, 1);
      int queue = sqlite3_column_int (stmt, 2);
      gint64 due = sqlite3_column_int64 (stmt, 3);
      int interval = sqlite3_column_int (stmt, 4);
      gboolean has_stability = sqlite3_column_type (stmt, 5) != SQLITE_NULL;
      double stability = sqlite3_column_double (stmt, 5);
      gboolean has_difficulty = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
      double difficulty = sqlite3_column_double (stmt, 6);
      gint64 last_review = sqlite3_column_int64 (stmt, 7);

      if (ctx->deck_list != NULL)
        {
          gint64 card_id = sqlite3_column_int64 (stmt, 9);

          card_set_add (&ctx->deck_cards, card_id);
          ctx->n_deck_cards++;
        }

      if (sqlite3_column_int (stmt, 8) != 0)
        {
          states->retired++;
          continue;
        }

      switch (queue)
        {
        case SD_QUEUE_SUSPENDED:
          states->suspended++;
          break;
        case SD_QUEUE_USER_BURIED:
        case SD_QUEUE_SIBLING_BURIED:
          states->buried++;
          break;
        default:
          switch (type)
            {
            case SD_CARD_NEW:
              states->new_cards++;
              break;
            case SD_CARD_LEARNING:
              states->learning++;
              break;
            case SD_CARD_RELEARNING:
              states->relearning++;
              break;
            default:
              if (interval >= SD_STATS_MATURE_INTERVAL)
                states->mature++;
              else
                states->young++;
              break;
            }
          break;
        }

      if (queue == SD_QUEUE_REVIEW || queue == SD_QUEUE_DAY_LEARNING)
        {
          gint64 offset = MAX (due - stats->today, 0);

          if (offset < SD_STATS_FORECAST_DAYS)
            {
              if (queue == SD_QUEUE_REVIEW)
                stats->forecast[offset].reviews++;
              else
                stats->forecast[offset].day_learning++;
            }
        }
      else if (queue == SD_QUEUE_LEARNING && due < ctx->tomorrow_start)
        stats->today_totals.learning_due++;

      if (type == SD_CARD_NEW)
        continue;

      if (has_difficulty && difficulty > 0.0)
        {
          int bucket = (int) floor ((difficulty - 1.0) / 9.0 * SD_STATS_DIFFICULTY_BUCKETS);

          stats->difficulty[CLAMP (bucket, 0, SD_STATS_DIFFICULTY_BUCKETS - 1)]++;
        }

      if ((type == SD_CARD_REVIEW || type == SD_CARD_RELEARNING)
          && has_stability && stability > 0.0 && last_review > 0)
        {
          gint64 elapsed = stats->today - day_table_lookup (&ctx->days, last_review);

          if (deck_id != last_deck)
            {
              params = deck_params_get (&dp, deck_id);
              last_deck = deck_id;
            }
          r_sum += sd_fsrs_retrievability (params, (double) MAX (elapsed, 0), stability);
          stats->retrievability_cards++;
        }
    }
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (ctx->collection, error);

  if (stats->retrievability_cards > 0)
    stats->average_retrievability = r_sum / stats->retrievability_cards;
  return TRUE;
}

static inline void
add_retention (SdStatsRetention *r,
               gboolean          young,
               gboolean          passed)
{
  if (young && passed)
    r->young_passed++;
  else if (young)
    r->young_failed++;
  else if (passed)
    r->mature_passed++;
  else
    r->mature_failed++;
}

static void
count_retention (SdStats *stats,
                 gint64   day,
                 gboolean young,
                 gboolean passed)
{
  gint64 age = stats->today - day;

  if (age == 0)
    add_retention (&stats->retention[SD_STATS_PERIOD_TODAY], young, passed);
  if (age == 1)
    add_retention (&stats->retention[SD_STATS_PERIOD_YESTERDAY], young, passed);
  if (age < 7)
    add_retention (&stats->retention[SD_STATS_PERIOD_WEEK], young, passed);
  if (age < 30)
    add_retention (&stats->retention[SD_STATS_PERIOD_MONTH], young, passed);
  if (age < 365)
    add_retention (&stats->retention[SD_STATS_PERIOD_YEAR], young, passed);
  add_retention (&stats->retention[SD_STATS_PERIOD_ALL_TIME], young, passed);
}

/* One row of the log: id, card_id, rating, kind, last_interval, ease,
 * duration_ms. */
static void
count_answer (Context      *ctx,
              sqlite3_stmt *stmt,
              guint        *per_day,
              gint64       *ms_per_day)
{
  SdStats *stats = ctx->stats;
  SdStatsToday *today = &stats->today_totals;
  int rating = sqlite3_column_int (stmt, 2);
  gint64 id, day, day_index, duration_ms;
  int kind, last_interval;
  gboolean young;

  /* Manual entries and reschedules are not answers. */
  if (rating < 1 || rating > 4)
    return;

  id = sqlite3_column_int64 (stmt, 0);
  kind = sqlite3_column_int (stmt, 3);
  last_interval = sqlite3_column_int (stmt, 4);
  duration_ms = MAX (sqlite3_column_int64 (stmt, 6), 0);
  day = day_table_lookup (&ctx->days, id / 1000);
  young = last_interval < SD_STATS_MATURE_INTERVAL;

  day_index = day - ctx->days.first_day;
  if (day_index >= 0 && day_index < ctx->days.n_days)
    {
      per_day[day_index]++;
      ms_per_day[day_index] += duration_ms;
    }

  if (day == stats->today)
    {
      today->reviews++;
      today->duration_ms += duration_ms;
      if (rating == 1)
        today->again++;
      switch (kind)
        {
        case SD_REVLOG_LEARNING:   today->learning++; break;
        case SD_REVLOG_REVIEW:     today->review++; break;
        case SD_REVLOG_RELEARNING: today->relearning++; break;
        case SD_REVLOG_FILTERED:   today->filtered++; break;
        default: break;
        }
    }

  /* Cramming (a filtered deck that does not reschedule) says nothing. */
  if (kind > SD_REVLOG_FILTERED
      || (kind == SD_REVLOG_FILTERED && sqlite3_column_int (stmt, 5) == 0))
    return;

  if (kind == SD_REVLOG_LEARNING || kind == SD_REVLOG_RELEARNING)
    stats->buttons[SD_STATS_GROUP_LEARNING][rating - 1]++;
  else
    stats->buttons[young ? SD_STATS_GROUP_YOUNG : SD_STATS_GROUP_MATURE][rating - 1]++;

  /* True retention: answers to cards past their learning steps, the first
   * of each card on each day. */
  if (kind == SD_REVLOG_REVIEW || last_interval >= 1 || last_interval <= -86400)
    {
      gint64 card_id = sqlite3_column_int64 (stmt, 1);

      if (ctx->by_card)
        {
          if (card_id == ctx->last_card && day == ctx->last_day)
            return;
          ctx->last_card = card_id;
          ctx->last_day = day;
        }
      else if (!card_set_first_on_day (&ctx->counted, card_id, day))
        return;
      count_retention (stats, day, young, rating > 1);
    }
}

static gboolean
count_reviews (Context  *ctx,
               GError  **error)
{
  SdStats *stats = ctx->stats;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  /* Answers per day since the first day of the table, for the calendar
   * and the streak. */
  g_autofree guint *per_day = g_new0 (guint, ctx->days.n_days);
  g_autofree gint64 *ms_per_day = g_new0 (gint64, ctx->days.n_days);
  gint64 day_index;
  int rc;

  /* The retention count needs each card's answers in time order. The log
   * is read in id (time) order, the rows of other decks' cards skipped;
   * that costs less than fetching a big deck's rows through the card
   * index, which reads the table in no order. A small deck's rows go card
   * by card through that index (the cross join keeps the cards outside),
   * each card's in time order. */
  if (ctx->deck_list != NULL)
    {
      gint64 all = sd_collection_scalar (ctx->collection, "SELECT count (*) FROM cards", 0);

      ctx->by_card = (gint64) ctx->n_deck_cards * 12 < all;
    }
  if (ctx->by_card)
    sql = g_strdup_printf ("SELECT r.id, r.card_id, r.rating, r.kind, r.last_interval, r.ease,"
                           " r.duration_ms FROM cards c CROSS JOIN revlog r ON r.card_id = c.id"
                           " WHERE c.deck_id IN (%s) AND r.id < ?1",
                           ctx->deck_list->str);
  else
    sql = g_strdup ("SELECT id, card_id, rating, kind, last_interval, ease, duration_ms"
                    " FROM revlog WHERE id < ?1");
  if (!prepare (ctx, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->tomorrow_start * 1000);

  card_set_init (&ctx->counted, 512, TRUE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (ctx->deck_list != NULL && !ctx->by_card
          && !card_set_contains (&ctx->deck_cards, sqlite3_column_int64 (stmt, 1)))
        continue;
      count_answer (ctx, stmt, per_day, ms_per_day);
    }
  if (rc != SQLITE_DONE)
    return sd_collection_set_error (ctx->collection, error);

  for (int i = 0; i < SD_STATS_CALENDAR_DAYS; i++)
    {
      SdStatsDay *cal = &stats->calendar[i];

      cal->day = stats->today - (SD_STATS_CALENDAR_DAYS - 1) + i;
      day_index = cal->day - ctx->days.first_day;
      if (day_index >= 0)
        {
          cal->reviews = per_day[day_index];
          cal->duration_ms = ms_per_day[day_index];
        }
    }
  memcpy (stats->time_per_day, stats->calendar + SD_STATS_CALENDAR_DAYS - SD_STATS_TIME_DAYS,
          sizeof stats->time_per_day);

  /* The streak is not broken before today is over. */
  day_index = stats->today - ctx->days.first_day;
  if (per_day[day_index] == 0)
    day_index--;
  while (day_index >= 0 && per_day[day_index] > 0)
    {
      stats->today_totals.streak_days++;
      day_index--;
    }
  return TRUE;
}

/**
 * sd_stats_compute:
 * @deck_id: a deck (with its subdecks), or 0 for the whole collection
 *
 * Computes the statistics at the clock's now (sd_clock_now ()).
 *
 * Returns: (transfer full): the statistics, free with sd_stats_free (), or
 *   %NULL with @error set (a deck that does not exist, a database error)
 */
SdStats *
sd_stats_compute (SdCollection  *collection,
                  gint64         deck_id,
                  GError       **error)
{
  g_autoptr(SdStats) stats = g_new0 (SdStats, 1);
  g_autoptr(SdPreset) preset = NULL;
  g_autoptr(GString) deck_list = NULL;
  Context ctx = { collection, stats, NULL, { 0 } };
  gint64 first_id, first_day;
  gboolean ok;

  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);

  if (deck_id != 0)
    {
      g_autoptr(SdDeck) deck = sd_deck_load (collection, deck_id, error);
      g_autoptr(GArray) ids = NULL;

      if (deck == NULL)
        return NULL;
      ids = sd_deck_subtree_ids (collection, deck_id, error);
      if (ids == NULL)
        return NULL;
      deck_list = g_string_new (NULL);
      for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (deck_list, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                g_array_index (ids, gint64, i));
      preset = sd_preset_load (collection, deck->preset_id, NULL);
    }
  else
    preset = sd_preset_load_for_deck (collection, SD_DECK_DEFAULT_ID, NULL);

  stats->deck_id = deck_id;
  stats->rollover_hour = preset ? preset->rollover_hour : 4;
  stats->now = sd_clock_now ();
  stats->today = sd_clock_day_number (stats->now, stats->rollover_hour);

  /* Day starts from the first review (or a year back) to the end of the
   * forecast; a log row from before 1970 is looked up on its own. */
  first_id = sd_collection_scalar (collection, "SELECT min (id) FROM revlog WHERE id > 0", 0);
  first_day = stats->today - SD_STATS_CALENDAR_DAYS;
  if (first_id > 0)
    first_day = MIN (first_day, sd_clock_day_number (first_id / 1000, stats->rollover_hour));
  first_day = MAX (first_day, 0);
  day_table_init (&ctx.days, first_day, stats->today + SD_STATS_FORECAST_DAYS,
                  stats->rollover_hour);
  ctx.deck_list = deck_list;
  ctx.tomorrow_start = sd_clock_day_start (stats->today + 1, stats->rollover_hour);

  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    stats->forecast[i].day = stats->today + i;

  if (deck_list != NULL)
    card_set_init (&ctx.deck_cards, 4096, FALSE);
  ok = count_cards (&ctx, error) && count_reviews (&ctx, error);
  day_table_clear (&ctx.days);
  card_set_clear (&ctx.deck_cards);
  card_set_clear (&ctx.counted);
  if (!ok)
    return NULL;
  return g_steal_pointer (&stats);
}

typedef struct
{
  char   *path;
  gint64  deck_id;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
compute_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  g_autoptr(SdCollection) own = NULL;
  g_autoptr(GError) error = NULL;
  SdStats *stats;

  /* SQLite connections are not shared across threads: the worker opens its own. */
  own = sd_collection_open (data->path, &error);
  if (own == NULL || (stats = sd_stats_compute (own, data->deck_id, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, stats, (GDestroyNotify) sd_stats_free);
}

/**
 * sd_stats_compute_async:
 *
 * Runs sd_stats_compute () in a worker thread on its own connection to the
 * collection.
 */
void
sd_stats_compute_async (SdCollection        *collection,
                        gint64               deck_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (collection, cancellable, callback, user_data);
  ComputeData *data = g_new0 (ComputeData, 1);

  g_return_if_fail (SD_IS_COLLECTION (collection));

  data->path = g_strdup (sd_collection_get_path (collection));
  data->deck_id = deck_id;
  g_task_set_source_tag (task, sd_stats_compute_async);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_worker);
}

/**
 * sd_stats_compute_finish:
 *
 * Returns: (transfer full): the statistics, or %NULL with @error set
 */
SdStats *
sd_stats_compute_finish (SdCollection  *collection,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, collection), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_stats_free (SdStats *stats)
{
  g_free (stats);
}

/**
 * sd_stats_format_day:
 * @day: a day number
 *
 * Returns: (transfer full): the day's date as "YYYY-MM-DD"
 */
char *
sd_stats_format_day (gint64 day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 1970);
  if (day > 0)
    g_date_add_days (&date, (guint) day);
  else if (day < 0)
    g_date_subtract_days (&date, (guint) -day);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

/* ---- JSON --------------------------------------------------------------- */

/* @numerator / @denominator to @decimals places, as the double nearest to
 * the decimal figure. */
static double
rounded (double numerator,
         double denominator,
         int    decimals)
{
  double scale = pow (10.0, decimals);

  return round (numerator * scale / denominator) / scale;
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_date (JsonBuilder *builder,
          gint64       day)
{
  g_autofree char *date = sd_stats_format_day (day);

  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
}

static void
add_percent (JsonBuilder *builder,
             guint        passed,
             guint        failed)
{
  guint total = passed + failed;

  json_builder_begin_object (builder);
  add_int (builder, "passed", passed);
  add_int (builder, "failed", failed);
  add_int (builder, "total", total);
  json_builder_set_member_name (builder, "percent");
  if (total > 0)
    json_builder_add_double_value (builder, rounded (100.0 * passed, total, 1));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
add_days (JsonBuilder      *builder,
          const char       *name,
          const SdStatsDay *days,
          guint             n_days,
          gboolean          minutes)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_days; i++)
    {
      json_builder_begin_object (builder);
      add_date (builder, days[i].day);
      add_int (builder, "reviews", days[i].reviews);
      if (minutes)
        {
          json_builder_set_member_name (builder, "minutes");
          json_builder_add_double_value (builder, rounded (days[i].duration_ms, 60000.0, 1));
        }
      else
        add_int (builder, "seconds", (days[i].duration_ms + 500) / 1000);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * sd_stats_to_json:
 *
 * The statistics as JSON, as `studydeck-cli stats --json` prints them:
 *
 * - "deck_id" (0 = whole collection), "rollover_hour", "date" (today);
 * - "calendar": SD_STATS_CALENDAR_DAYS entries, oldest first, today last,
 *   days without answers included: {"date": "YYYY-MM-DD", "reviews": N,
 *   "seconds": N};
 * - "forecast": SD_STATS_FORECAST_DAYS entries from today: {"date",
 *   "reviews", "day_learning", "total"}, overdue cards counted today;
 * - "retention": {"today", "yesterday", "week", "month", "year",
 *   "all_time"}, each {"young", "mature", "total"}, each {"passed",
 *   "failed", "total", "percent"} (percent of passed to 0.1, null without
 *   answers);
 * - "card_states": {"new", "learning", "relearning", "young", "mature",
 *   "suspended", "buried", "total", "retired"} ("total" leaves retired out);
 * - "buttons": {"learning", "young", "mature"}, each {"again", "hard",
 *   "good", "easy", "total"};
 * - "time_per_day": SD_STATS_TIME_DAYS entries, today last: {"date",
 *   "reviews", "minutes"} (minutes to 0.1);
 * - "today": {"reviews", "seconds", "again", "learning", "review",
 *   "relearning", "filtered", "learning_due", "streak_days"};
 * - "fsrs": {"retrievability_cards", "average_retrievability" (0–1 to
 *   0.0001, null without cards), "difficulty": 10 counts, 0–10 % first}.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
sd_stats_to_json (const SdStats *stats)
{
  static const char *const periods[SD_STATS_N_PERIODS] = {
    "today", "yesterday", "week", "month", "year", "all_time"
  };
  static const char *const groups[SD_STATS_N_GROUPS] = { "learning", "young", "mature" };
  static const char *const buttons[4] = { "again", "hard", "good", "easy" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const SdStatsCardStates *states = &stats->card_states;
  const SdStatsToday *today = &stats->today_totals;

  g_return_val_if_fail (stats != NULL, NULL);

  json_builder_begin_object (builder);
  add_int (builder, "deck_id", stats->deck_id);
  add_int (builder, "rollover_hour", stats->rollover_hour);
  add_date (builder, stats->today);

  add_days (builder, "calendar", stats->calendar, SD_STATS_CALENDAR_DAYS, FALSE);

  json_builder_set_member_name (builder, "forecast");
  json_builder_begin_array (builder);
  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    {
      const SdStatsForecastDay *f = &stats->forecast[i];

      json_builder_begin_object (builder);
      add_date (builder, f->day);
      add_int (builder, "reviews", f->reviews);
      add_int (builder, "day_learning", f->day_learning);
      add_int (builder, "total", f->reviews + f->day_learning);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "retention");
  json_builder_begin_object (builder);
  for (int p = 0; p < SD_STATS_N_PERIODS; p++)
    {
      const SdStatsRetention *r = &stats->retention[p];

      json_builder_set_member_name (builder, periods[p]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "young");
      add_percent (builder, r->young_passed, r->young_failed);
      json_builder_set_member_name (builder, "mature");
      add_percent (builder, r->mature_passed, r->mature_failed);
      json_builder_set_member_name (builder, "total");
      add_percent (builder, r->young_passed + r->mature_passed,
                   r->young_failed + r->mature_failed);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "card_states");
  json_builder_begin_object (builder);
  add_int (builder, "new", states->new_cards);
  add_int (builder, "learning", states->learning);
  add_int (builder, "relearning", states->relearning);
  add_int (builder, "young", states->young);
  add_int (builder, "mature", states->mature);
  add_int (builder, "suspended", states->suspended);
  add_int (builder, "buried", states->buried);
  add_int (builder, "total", (gint64) states->new_cards + states->learning + states->relearning
                             + states->young + states->mature + states->suspended
                             + states->buried);
  add_int (builder, "retired", states->retired);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "buttons");
  json_builder_begin_object (builder);
  for (int g = 0; g < SD_STATS_N_GROUPS; g++)
    {
      gint64 total = 0;

      json_builder_set_member_name (builder, groups[g]);
      json_builder_begin_object (builder);
      for (int b = 0; b < 4; b++)
        {
          add_int (builder, buttons[b], stats->buttons[g][b]);
          total += stats->buttons[g][b];
        }
      add_int (builder, "total", total);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  add_days (builder, "time_per_day", stats->time_per_day, SD_STATS_TIME_DAYS, TRUE);

  json_builder_set_member_name (builder, "today");
  json_builder_begin_object (builder);
  add_int (builder, "reviews", today->reviews);
  add_int (builder, "seconds", (today->duration_ms + 500) / 1000);
  add_int (builder, "again", today->again);
  add_int (builder, "learning", today->learning);
  add_int (builder, "review", today->review);
  add_int (builder, "relearning", today->relearning);
  add_int (builder, "filtered", today->filtered);
  add_int (builder, "learning_due", today->learning_due);
  add_int (builder, "streak_days", today->streak_days);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "fsrs");
  json_builder_begin_object (builder);
  add_int (builder, "retrievability_cards", stats->retrievability_cards);
  json_builder_set_member_name (builder, "average_retrievability");
  if (stats->retrievability_cards > 0)
    json_builder_add_double_value (builder, rounded (stats->average_retrievability, 1.0, 4));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "difficulty");
  json_builder_begin_array (builder);
  for (int i = 0; i < SD_STATS_DIFFICULTY_BUCKETS; i++)
    json_builder_add_int_value (builder, stats->difficulty[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
