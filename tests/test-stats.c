/* test-stats.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-fsrs.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-stats.h"
#include "sd-test-utils.h"

/* The tests run with TZ=UTC, so local time is UTC: now is 2026-03-02
 * 12:00, day number 20514; with the default rollover (4:00) today runs
 * from 2026-03-02 04:00 to 2026-03-03 04:00. */
#define NOON_MS   1772452800000LL
#define TODAY     20514
#define DAY_S     86400LL
#define HOUR_MS   3600000LL
#define MINUTE_MS 60000LL
#define LAST      (SD_STATS_CALENDAR_DAYS - 1)

typedef struct
{
  char         *dir;
  SdCollection *collection;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sd_clock_set_fixed (NOON_MS);
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->collection);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  sd_clock_reset ();
}

/* Epoch ms of @hour:@minute local time, @days after 2026-03-02. */
static gint64
at (int days,
    int hour,
    int minute)
{
  g_autoptr(GDateTime) base = g_date_time_new_local (2026, 3, 2, hour, minute, 0);
  g_autoptr(GDateTime) when = g_date_time_add_days (base, days);

  return g_date_time_to_unix (when) * 1000;
}

typedef struct
{
  SdCardType  type;
  SdCardQueue queue;
  gint64      due;
  int         interval;
  double      stability;
  double      difficulty;
  gint64      last_review;
} CardSpec;

static gint64
add_card (Fixture        *f,
          gint64          deck,
          const CardSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  static int serial;
  g_autofree char *front = g_strdup_printf ("front %d", ++serial);
  const char *fields[] = { front, "back", NULL };
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);
  g_autoptr(GPtrArray) cards = NULL;
  SdCard *card;

  g_assert_true (sd_note_insert (f->collection, note, &error));
  g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
  g_assert_no_error (error);
  cards = sd_card_list_for_note (f->collection, note->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 1);
  card = cards->pdata[0];
  if (spec != NULL)
    {
      card->type = spec->type;
      card->queue = spec->queue;
      card->due = spec->due;
      card->interval = spec->interval;
      card->stability = spec->stability;
      card->difficulty = spec->difficulty;
      card->last_review = spec->last_review;
      g_assert_true (sd_card_update (f->collection, card, &error));
      g_assert_no_error (error);
    }
  return card->id;
}

static gint64
add_review_card (Fixture *f,
                 gint64   deck)
{
  CardSpec spec = { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY + 5, 10 };

  return add_card (f, deck, &spec);
}

static void
add_answer (Fixture      *f,
            gint64        card,
            gint64        when_ms,
            int           rating,
            SdRevlogKind  kind,
            int           last_interval,
            int           ease,
            int           duration_ms)
{
  g_autoptr(GError) error = NULL;
  SdRevlogEntry entry = {
    .id = when_ms,
    .card_id = card,
    .rating = rating,
    .kind = kind,
    .interval = 1,
    .last_interval = last_interval,
    .ease = ease,
    .duration_ms = duration_ms,
  };

  g_assert_true (sd_revlog_insert (f->collection, &entry, &error));
  g_assert_no_error (error);
}

/* A review answer: kind review, ease kept as the scheduler writes it. */
static void
add_review (Fixture *f,
            gint64   card,
            gint64   when_ms,
            int      rating,
            int      last_interval,
            int      duration_ms)
{
  add_answer (f, card, when_ms, rating, SD_REVLOG_REVIEW, last_interval, 500, duration_ms);
}

static SdStats *
compute (Fixture *f,
         gint64   deck)
{
  g_autoptr(GError) error = NULL;
  SdStats *stats = sd_stats_compute (f->collection, deck, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static void
set_rollover (Fixture *f,
              gint64   preset_id,
              int      hour)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_load (f->collection, preset_id, &error);

  g_assert_no_error (error);
  preset->rollover_hour = hour;
  g_assert_true (sd_preset_update (f->collection, preset, &error));
  g_assert_no_error (error);
}

static void
assert_retention (const SdStatsRetention *r,
                  guint                   young_passed,
                  guint                   young_failed,
                  guint                   mature_passed,
                  guint                   mature_failed)
{
  g_assert_cmpuint (r->young_passed, ==, young_passed);
  g_assert_cmpuint (r->young_failed, ==, young_failed);
  g_assert_cmpuint (r->mature_passed, ==, mature_passed);
  g_assert_cmpuint (r->mature_failed, ==, mature_failed);
}

static void
assert_day (const SdStatsDay *day,
            gint64            number,
            guint             reviews,
            gint64            duration_ms)
{
  g_assert_cmpint (day->day, ==, number);
  g_assert_cmpuint (day->reviews, ==, reviews);
  g_assert_cmpint (day->duration_ms, ==, duration_ms);
}

static guint
calendar_total (const SdStats *stats)
{
  guint total = 0;

  for (int i = 0; i < SD_STATS_CALENDAR_DAYS; i++)
    total += stats->calendar[i].reviews;
  return total;
}

/* ---- tests ----------------------------------------------------------------- */

static void
assert_all_zero (const SdStats *stats)
{
  static const SdStats zero;

  g_assert_cmpint (stats->rollover_hour, ==, 4);
  g_assert_cmpint (stats->now, ==, NOON_MS / 1000);
  g_assert_cmpint (stats->today, ==, TODAY);
  for (int i = 0; i < SD_STATS_CALENDAR_DAYS; i++)
    assert_day (&stats->calendar[i], TODAY - LAST + i, 0, 0);
  for (int i = 0; i < SD_STATS_TIME_DAYS; i++)
    assert_day (&stats->time_per_day[i], TODAY - (SD_STATS_TIME_DAYS - 1) + i, 0, 0);
  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    {
      g_assert_cmpint (stats->forecast[i].day, ==, TODAY + i);
      g_assert_cmpuint (stats->forecast[i].reviews, ==, 0);
      g_assert_cmpuint (stats->forecast[i].day_learning, ==, 0);
    }
  g_assert_true (memcmp (stats->retention, zero.retention, sizeof zero.retention) == 0);
  g_assert_true (memcmp (&stats->card_states, &zero.card_states, sizeof zero.card_states) == 0);
  g_assert_true (memcmp (stats->buttons, zero.buttons, sizeof zero.buttons) == 0);
  g_assert_true (memcmp (&stats->today_totals, &zero.today_totals, sizeof zero.today_totals) == 0);
  g_assert_cmpuint (stats->retrievability_cards, ==, 0);
  g_assert_cmpfloat (stats->average_retrievability, ==, 0.0);
  g_assert_true (memcmp (stats->difficulty, zero.difficulty, sizeof zero.difficulty) == 0);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SdStats) whole = compute (f, 0);
  g_autoptr(SdStats) deck = compute (f, SD_DECK_DEFAULT_ID);
  g_autoptr(JsonNode) node = sd_stats_to_json (whole);
  JsonObject *root = json_node_get_object (node);
  JsonObject *today = json_object_get_object_member (
    json_object_get_object_member (json_object_get_object_member (root, "retention"), "today"),
    "total");
  JsonArray *calendar = json_object_get_array_member (root, "calendar");

  g_assert_cmpint (whole->deck_id, ==, 0);
  assert_all_zero (whole);
  g_assert_cmpint (deck->deck_id, ==, SD_DECK_DEFAULT_ID);
  assert_all_zero (deck);

  g_assert_cmpstr (json_object_get_string_member (root, "date"), ==, "2026-03-02");
  g_assert_cmpuint (json_array_get_length (calendar), ==, 365);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (calendar, 0),
                                                  "date"), ==, "2025-03-03");
  g_assert_cmpint (json_object_get_int_member (today, "total"), ==, 0);
  g_assert_true (json_object_get_null_member (today, "percent"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (root, "fsrs"),
                                              "average_retrievability"));
}

static void
test_calendar_rollover (Fixture       *f,
                        gconstpointer  data)
{
  gint64 card = add_review_card (f, SD_DECK_DEFAULT_ID);
  g_autoptr(SdStats) stats = NULL;
  g_autoptr(SdStats) midnight = NULL;

  /* With days starting at 4:00, 3:30 belongs to the day before. */
  add_review (f, card, at (0, 3, 30), 3, 5, 1000);
  add_review (f, card, at (0, 4, 0), 3, 5, 2000);
  add_review (f, card, at (0, 11, 59), 3, 5, 3000);
  add_review (f, card, at (-1, 4, 0), 3, 5, 4000);
  add_review (f, card, at (-1, 3, 59), 3, 5, 8000);
  add_review (f, card, at (-364, 12, 0), 3, 5, 16000);
  add_review (f, card, at (-365, 12, 0), 3, 5, 32000);
  /* Not answers: a manual entry and a reschedule. */
  add_answer (f, card, at (0, 5, 0), 0, SD_REVLOG_MANUAL, 5, 0, 0);
  add_answer (f, card, at (0, 5, 1), 0, SD_REVLOG_RESCHEDULED, 5, 0, 0);
  /* After the end of today. */
  add_review (f, card, at (1, 4, 30), 3, 5, 64000);

  stats = compute (f, 0);
  assert_day (&stats->calendar[LAST], TODAY, 2, 5000);
  assert_day (&stats->calendar[LAST - 1], TODAY - 1, 2, 5000);
  assert_day (&stats->calendar[LAST - 2], TODAY - 2, 1, 8000);
  assert_day (&stats->calendar[0], TODAY - 364, 1, 16000);
  g_assert_cmpuint (calendar_total (stats), ==, 6);
  assert_day (&stats->time_per_day[SD_STATS_TIME_DAYS - 1], TODAY, 2, 5000);
  assert_day (&stats->time_per_day[SD_STATS_TIME_DAYS - 2], TODAY - 1, 2, 5000);
  assert_day (&stats->time_per_day[SD_STATS_TIME_DAYS - 3], TODAY - 2, 1, 8000);
  assert_day (&stats->time_per_day[0], TODAY - 29, 0, 0);
  g_assert_cmpuint (stats->today_totals.reviews, ==, 2);
  g_assert_cmpint (stats->today_totals.duration_ms, ==, 5000);
  g_assert_cmpuint (stats->today_totals.review, ==, 2);
  g_assert_cmpuint (stats->today_totals.streak_days, ==, 3);
  /* One card: its first answer of each day. All time counts the answer
   * of 365 days ago too. */
  g_assert_cmpuint (stats->retention[SD_STATS_PERIOD_TODAY].young_passed, ==, 1);
  g_assert_cmpuint (stats->retention[SD_STATS_PERIOD_WEEK].young_passed, ==, 3);
  g_assert_cmpuint (stats->retention[SD_STATS_PERIOD_YEAR].young_passed, ==, 4);
  g_assert_cmpuint (stats->retention[SD_STATS_PERIOD_ALL_TIME].young_passed, ==, 5);

  /* Days from midnight: 3:30 and 3:59 stay on their calendar day. */
  set_rollover (f, SD_PRESET_DEFAULT_ID, 0);
  midnight = compute (f, 0);
  g_assert_cmpint (midnight->rollover_hour, ==, 0);
  g_assert_cmpint (midnight->today, ==, TODAY);
  assert_day (&midnight->calendar[LAST], TODAY, 3, 6000);
  assert_day (&midnight->calendar[LAST - 1], TODAY - 1, 2, 12000);
  assert_day (&midnight->calendar[LAST - 2], TODAY - 2, 0, 0);
  assert_day (&midnight->calendar[0], TODAY - 364, 1, 16000);
  g_assert_cmpuint (midnight->today_totals.reviews, ==, 3);
  g_assert_cmpuint (midnight->today_totals.streak_days, ==, 2);
}

static void
test_streak (Fixture       *f,
             gconstpointer  data)
{
  gint64 card = add_review_card (f, SD_DECK_DEFAULT_ID);
  g_autoptr(SdStats) before = NULL;
  g_autoptr(SdStats) after = NULL;

  add_review (f, card, at (-1, 12, 0), 3, 5, 1000);
  add_review (f, card, at (-2, 12, 0), 3, 5, 1000);
  add_review (f, card, at (-3, 23, 0), 3, 5, 1000);
  add_review (f, card, at (-5, 12, 0), 3, 5, 1000);
  /* Today has no answer yet: the streak still holds up to yesterday. */
  before = compute (f, 0);
  g_assert_cmpuint (before->today_totals.streak_days, ==, 3);

  add_review (f, card, at (0, 4, 0), 3, 5, 1000);
  after = compute (f, 0);
  g_assert_cmpuint (after->today_totals.streak_days, ==, 4);
}

/* Answers for the retention, button and today figures; see the tests for
 * what each counts as. */
static void
add_history (Fixture *f)
{
  gint64 a = add_review_card (f, SD_DECK_DEFAULT_ID);
  gint64 b = add_review_card (f, SD_DECK_DEFAULT_ID);
  gint64 c = add_review_card (f, SD_DECK_DEFAULT_ID);
  gint64 d = add_review_card (f, SD_DECK_DEFAULT_ID);
  gint64 e = add_review_card (f, SD_DECK_DEFAULT_ID);
  gint64 fc = add_review_card (f, SD_DECK_DEFAULT_ID);
  gint64 g = add_review_card (f, SD_DECK_DEFAULT_ID);

  /* 1, 2: the first answer of a card each day counts, not the second. */
  add_review (f, a, at (0, 10, 0), 3, 10, 1000);
  add_review (f, a, at (0, 11, 0), 1, 1, 1000);
  /* 3: mature from 21 days; 4: 3:30 is yesterday. */
  add_review (f, b, at (0, 9, 0), 1, 30, 1000);
  add_review (f, b, at (0, 3, 30), 4, 21, 1000);
  /* 5–9: one card over the periods. */
  add_review (f, c, at (-1, 12, 0), 2, 20, 1000);
  add_review (f, c, at (-5, 12, 0), 3, 100, 1000);
  add_review (f, c, at (-20, 12, 0), 1, 3, 1000);
  add_review (f, c, at (-100, 12, 0), 3, 50, 1000);
  add_review (f, c, at (-400, 12, 0), 3, 2, 1000);
  /* 10, 11: learning and relearning steps are not retention. */
  add_answer (f, d, at (0, 8, 0), 3, SD_REVLOG_LEARNING, -600, 0, 1000);
  add_answer (f, d, at (0, 8, 10), 1, SD_REVLOG_RELEARNING, -600, 0, 1000);
  /* 12: relearning a card whose interval was a day is. */
  add_answer (f, e, at (0, 7, 0), 3, SD_REVLOG_RELEARNING, 1, 0, 1000);
  /* 14: cramming is nothing but an answer; 15: a filtered deck that
   * reschedules counts. */
  add_answer (f, fc, at (0, 6, 0), 3, SD_REVLOG_FILTERED, 40, 0, 1000);
  add_answer (f, fc, at (0, 6, 30), 1, SD_REVLOG_FILTERED, 40, 2500, 1000);
  /* 16: a manual entry is not an answer. */
  add_answer (f, d, at (-2, 12, 0), 0, SD_REVLOG_MANUAL, 0, 0, 0);
  /* 17: a learning answer with a last interval of a day (in seconds). */
  add_answer (f, g, at (0, 5, 0), 3, SD_REVLOG_LEARNING, -86400, 0, 1000);
}

static void
test_retention (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SdStats) stats = NULL;

  add_history (f);
  stats = compute (f, 0);
  assert_retention (&stats->retention[SD_STATS_PERIOD_TODAY], 3, 0, 0, 2);
  assert_retention (&stats->retention[SD_STATS_PERIOD_YESTERDAY], 1, 0, 1, 0);
  assert_retention (&stats->retention[SD_STATS_PERIOD_WEEK], 4, 0, 2, 2);
  assert_retention (&stats->retention[SD_STATS_PERIOD_MONTH], 4, 1, 2, 2);
  assert_retention (&stats->retention[SD_STATS_PERIOD_YEAR], 4, 1, 3, 2);
  assert_retention (&stats->retention[SD_STATS_PERIOD_ALL_TIME], 5, 1, 3, 2);
}

static void
test_buttons (Fixture       *f,
              gconstpointer  data)
{
  static const guint expected[SD_STATS_N_GROUPS][4] = {
    { 1, 0, 3, 0 },   /* learning: 11 | 10, 12, 17 */
    { 2, 1, 2, 0 },   /* young: 2, 7 | 5 | 1, 9 */
    { 2, 0, 2, 1 },   /* mature: 3, 15 | 6, 8 | 4 */
  };
  g_autoptr(SdStats) stats = NULL;
  const SdStatsToday *today;

  add_history (f);
  stats = compute (f, 0);
  for (int g = 0; g < SD_STATS_N_GROUPS; g++)
    for (int b = 0; b < 4; b++)
      g_assert_cmpuint (stats->buttons[g][b], ==, expected[g][b]);

  /* Today: 1, 2, 3, 10, 11, 12, 14, 15, 17. */
  today = &stats->today_totals;
  g_assert_cmpuint (today->reviews, ==, 9);
  g_assert_cmpint (today->duration_ms, ==, 9000);
  g_assert_cmpuint (today->again, ==, 4);
  g_assert_cmpuint (today->learning, ==, 2);
  g_assert_cmpuint (today->review, ==, 3);
  g_assert_cmpuint (today->relearning, ==, 2);
  g_assert_cmpuint (today->filtered, ==, 2);
  /* Yesterday (4, 5), five days ago, ..., none the day before yesterday. */
  g_assert_cmpuint (today->streak_days, ==, 2);
  g_assert_cmpuint (calendar_total (stats), ==, 14);
}

static void
test_cards (Fixture       *f,
            gconstpointer  data)
{
  gint64 now = NOON_MS / 1000;
  gint64 tomorrow = sd_clock_day_start (TODAY + 1, 4);
  const CardSpec specs[] = {
    { SD_CARD_NEW, SD_QUEUE_NEW, 1 },
    { SD_CARD_NEW, SD_QUEUE_NEW, 2 },
    { SD_CARD_LEARNING, SD_QUEUE_LEARNING, now - 60 },          /* due now */
    { SD_CARD_LEARNING, SD_QUEUE_LEARNING, tomorrow + 60 },     /* not today */
    { SD_CARD_LEARNING, SD_QUEUE_LEARNING, tomorrow - 1 },      /* the day's last second */
    { SD_CARD_LEARNING, SD_QUEUE_DAY_LEARNING, TODAY - 1 },     /* overdue */
    { SD_CARD_LEARNING, SD_QUEUE_DAY_LEARNING, TODAY + 2 },
    { SD_CARD_RELEARNING, SD_QUEUE_LEARNING, now + 600 },
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY - 5, 20 },         /* overdue, young */
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY, 21 },             /* mature */
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY + 1, 100 },
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY + 29, 5 },         /* the last forecast day */
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY + 30, 50 },        /* past it */
    { SD_CARD_REVIEW, SD_QUEUE_SUSPENDED, TODAY, 30 },
    { SD_CARD_REVIEW, SD_QUEUE_SIBLING_BURIED, TODAY, 30 },
    { SD_CARD_NEW, SD_QUEUE_USER_BURIED, 3 },
  };
  CardSpec retired = { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY, 30 };
  g_autoptr(SdStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const SdStatsCardStates *states;
  gint64 retired_id;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    add_card (f, SD_DECK_DEFAULT_ID, &specs[i]);
  /* A card whose text left its note file: counted apart, never due. */
  retired_id = add_card (f, SD_DECK_DEFAULT_ID, &retired);
  sql = g_strdup_printf ("UPDATE cards SET retired = 1 WHERE id = %" G_GINT64_FORMAT, retired_id);
  g_assert_true (sd_collection_exec (f->collection, sql, &error));
  g_assert_no_error (error);

  stats = compute (f, 0);
  states = &stats->card_states;
  g_assert_cmpuint (states->new_cards, ==, 2);
  g_assert_cmpuint (states->learning, ==, 5);
  g_assert_cmpuint (states->relearning, ==, 1);
  g_assert_cmpuint (states->young, ==, 2);
  g_assert_cmpuint (states->mature, ==, 3);
  g_assert_cmpuint (states->suspended, ==, 1);
  g_assert_cmpuint (states->buried, ==, 2);
  g_assert_cmpuint (states->retired, ==, 1);

  g_assert_cmpuint (stats->today_totals.learning_due, ==, 3);
  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    {
      guint reviews = i == 0 ? 2 : i == 1 || i == 29 ? 1 : 0;
      guint day_learning = i == 0 || i == 2 ? 1 : 0;

      g_assert_cmpint (stats->forecast[i].day, ==, TODAY + i);
      g_assert_cmpuint (stats->forecast[i].reviews, ==, reviews);
      g_assert_cmpuint (stats->forecast[i].day_learning, ==, day_learning);
    }
}

static void
test_fsrs (Fixture       *f,
           gconstpointer  data)
{
  gint64 now = NOON_MS / 1000;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_new ("Slow decay");
  g_autoptr(GString) params = g_string_new ("[");
  g_autoptr(SdStats) stats = NULL;
  SdFsrsParams defaults, custom;
  gint64 other;
  const CardSpec specs[] = {
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY, 10, 10.0, 1.0, now - 10 * DAY_S },
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY, 10, 5.0, 10.0, now - 3600 },
    { SD_CARD_RELEARNING, SD_QUEUE_LEARNING, now, 0, 2.0, 5.5, now - DAY_S },
    /* Long before the log begins (there is none): 800 days. */
    { SD_CARD_REVIEW, SD_QUEUE_SUSPENDED, TODAY, 400, 400.0, 4.0, now - 800 * DAY_S },
    /* Learning: a difficulty, no retrievability. */
    { SD_CARD_LEARNING, SD_QUEUE_LEARNING, now, 0, 3.0, 3.0, now - 600 },
    /* No memory state. */
    { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY, 10 },
    { SD_CARD_NEW, SD_QUEUE_NEW, 0 },
  };
  const CardSpec slow = { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY, 10, 10.0, 7.75,
                          now - 20 * DAY_S };
  double expected;

  sd_fsrs_params_init_default (&defaults);
  custom = defaults;
  custom.w[20] = 0.3;
  for (int i = 0; i < SD_FSRS_N_PARAMS; i++)
    g_string_append_printf (params, "%s%.17g", i ? ", " : "", custom.w[i]);
  g_string_append (params, "]");
  g_free (preset->fsrs_params);
  preset->fsrs_params = g_strdup (params->str);
  g_assert_true (sd_preset_insert (f->collection, preset, &error));
  g_assert_no_error (error);
  other = sd_deck_ensure (f->collection, "Slow", &error);
  g_assert_no_error (error);
  g_assert_true (sd_deck_set_preset (f->collection, other, preset->id, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    add_card (f, SD_DECK_DEFAULT_ID, &specs[i]);
  add_card (f, other, &slow);

  stats = compute (f, 0);
  /* Ten days at a stability of ten days is 90 % by definition. */
  g_assert_cmpfloat_with_epsilon (sd_fsrs_retrievability (&defaults, 10, 10), 0.9, 1e-9);
  expected = (sd_fsrs_retrievability (&defaults, 10, 10)
              + 1.0
              + sd_fsrs_retrievability (&defaults, 1, 2)
              + sd_fsrs_retrievability (&defaults, 800, 400)
              + sd_fsrs_retrievability (&custom, 20, 10)) / 5;
  g_assert_cmpfloat (sd_fsrs_retrievability (&custom, 20, 10), !=,
                     sd_fsrs_retrievability (&defaults, 20, 10));
  g_assert_cmpuint (stats->retrievability_cards, ==, 5);
  g_assert_cmpfloat_with_epsilon (stats->average_retrievability, expected, 1e-12);

  /* (d - 1) / 9 in tenths: 1 -> 0, 10 -> 9, 5.5 -> 5, 4 -> 3, 3 -> 2, 7.75 -> 7. */
  {
    static const guint buckets[SD_STATS_DIFFICULTY_BUCKETS] = { 1, 0, 1, 1, 0, 1, 0, 1, 0, 1 };

    for (int i = 0; i < SD_STATS_DIFFICULTY_BUCKETS; i++)
      g_assert_cmpuint (stats->difficulty[i], ==, buckets[i]);
  }
}

static void
test_deck_filter (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) midnight = sd_preset_new ("Midnight");
  gint64 lang = sd_deck_ensure (f->collection, "Lang", &error);
  gint64 french = sd_deck_ensure (f->collection, "Lang::French", &error);
  gint64 math = sd_deck_ensure (f->collection, "Math", &error);
  gint64 lang_card = add_review_card (f, lang);
  gint64 french_card = add_review_card (f, french);
  gint64 math_card = add_review_card (f, math);
  CardSpec mature = { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY + 3, 30 };
  SdStats *stats;

  g_assert_no_error (error);
  midnight->rollover_hour = 0;
  g_assert_true (sd_preset_insert (f->collection, midnight, &error));
  g_assert_true (sd_deck_set_preset (f->collection, math, midnight->id, &error));
  g_assert_no_error (error);
  add_card (f, lang, &mature);

  add_review (f, lang_card, at (0, 10, 0), 3, 30, 1000);
  add_review (f, french_card, at (0, 9, 0), 1, 5, 2000);
  add_review (f, french_card, at (0, 9, 30), 3, 1, 2000);
  add_review (f, french_card, at (-1, 10, 0), 3, 5, 4000);
  add_review (f, math_card, at (0, 8, 0), 3, 10, 8000);
  add_review (f, math_card, at (0, 3, 30), 3, 10, 8000);

  /* Twice: with few cards outside the deck its log is read card by card,
   * with many it is picked from the whole log. */
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        for (int i = 0; i < 60; i++)
          add_card (f, math, NULL);

      stats = compute (f, lang);
      g_assert_cmpint (stats->deck_id, ==, lang);
      g_assert_cmpint (stats->rollover_hour, ==, 4);
      assert_day (&stats->calendar[LAST], TODAY, 3, 5000);
      assert_day (&stats->calendar[LAST - 1], TODAY - 1, 1, 4000);
      g_assert_cmpuint (calendar_total (stats), ==, 4);
      assert_retention (&stats->retention[SD_STATS_PERIOD_TODAY], 0, 1, 1, 0);
      assert_retention (&stats->retention[SD_STATS_PERIOD_ALL_TIME], 1, 1, 1, 0);
      g_assert_cmpuint (stats->card_states.young, ==, 2);
      g_assert_cmpuint (stats->card_states.mature, ==, 1);
      g_assert_cmpuint (stats->card_states.new_cards, ==, 0);
      g_assert_cmpuint (stats->forecast[3].reviews, ==, 1);
      g_assert_cmpuint (stats->forecast[5].reviews, ==, 2);
      g_assert_cmpuint (stats->today_totals.streak_days, ==, 2);
      sd_stats_free (stats);

      stats = compute (f, french);
      assert_day (&stats->calendar[LAST], TODAY, 2, 4000);
      assert_retention (&stats->retention[SD_STATS_PERIOD_TODAY], 0, 1, 0, 0);
      assert_retention (&stats->retention[SD_STATS_PERIOD_YESTERDAY], 1, 0, 0, 0);
      g_assert_cmpuint (stats->buttons[SD_STATS_GROUP_YOUNG][0], ==, 1);
      g_assert_cmpuint (stats->buttons[SD_STATS_GROUP_YOUNG][2], ==, 2);
      g_assert_cmpuint (stats->card_states.young, ==, 1);
      sd_stats_free (stats);

      /* Math's days start at midnight: 3:30 is today there. */
      stats = compute (f, math);
      g_assert_cmpint (stats->rollover_hour, ==, 0);
      assert_day (&stats->calendar[LAST], TODAY, 2, 16000);
      g_assert_cmpuint (calendar_total (stats), ==, 2);
      g_assert_cmpuint (stats->card_states.new_cards, ==, pass == 1 ? 60 : 0);
      sd_stats_free (stats);

      /* The whole collection goes by the Default deck's preset. */
      stats = compute (f, 0);
      assert_day (&stats->calendar[LAST], TODAY, 4, 13000);
      assert_day (&stats->calendar[LAST - 1], TODAY - 1, 2, 12000);
      sd_stats_free (stats);
    }

  g_assert_null (sd_stats_compute (f->collection, 999, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND);
}

static void
test_daylight_saving (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(SdStats) stats = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 card;
  struct { int day, hour, minute; } answers[] = {
    { 28, 4, 0 },    /* CET, UTC+1 */
    { 29, 3, 30 },   /* CEST since 2:00 that night: still the 28th's day */
    { 29, 4, 0 },
    { 30, 3, 59 },
    { 30, 4, 0 },
  };

  if (paris == NULL)
    {
      g_test_skip ("no time zone data for Europe/Paris");
      return;
    }
  g_setenv ("TZ", "Europe/Paris", TRUE);
  now = g_date_time_new (paris, 2026, 3, 30, 12, 0, 0);
  sd_clock_set_fixed (g_date_time_to_unix (now) * 1000);

  card = add_review_card (f, SD_DECK_DEFAULT_ID);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_new (paris, 2026, 3, answers[i].day,
                                                   answers[i].hour, answers[i].minute, 0);

      add_review (f, card, g_date_time_to_unix (when) * 1000, 3, 5, 1000);
    }

  stats = compute (f, 0);
  g_assert_cmpint (stats->today, ==, TODAY + 28);
  assert_day (&stats->calendar[LAST], TODAY + 28, 1, 1000);
  assert_day (&stats->calendar[LAST - 1], TODAY + 27, 2, 2000);
  assert_day (&stats->calendar[LAST - 2], TODAY + 26, 2, 2000);
  g_assert_cmpuint (stats->today_totals.streak_days, ==, 3);
  node = sd_stats_to_json (stats);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "date"), ==,
                   "2026-03-30");
  g_setenv ("TZ", "UTC", TRUE);
}

static JsonObject *
member (JsonObject *object,
        const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, ".", -1);

  for (guint i = 0; names[i] != NULL; i++)
    object = json_object_get_object_member (object, names[i]);
  return object;
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  static const char *const keys[] = {
    "deck_id", "rollover_hour", "date", "calendar", "forecast", "retention", "card_states",
    "buttons", "time_per_day", "today", "fsrs",
  };
  CardSpec due = { SD_CARD_REVIEW, SD_QUEUE_REVIEW, TODAY + 1, 30, 10.0, 5.5,
                   NOON_MS / 1000 - 10 * DAY_S };
  g_autoptr(SdStats) stats = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *root, *day, *total;
  JsonArray *array;
  GList *names;
  guint i = 0;

  add_history (f);
  add_card (f, SD_DECK_DEFAULT_ID, &due);
  stats = compute (f, 0);
  node = sd_stats_to_json (stats);
  root = json_node_get_object (node);

  names = json_object_get_members (root);
  for (GList *l = names; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, keys[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (keys));
  g_list_free (names);

  g_assert_cmpint (json_object_get_int_member (root, "deck_id"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "rollover_hour"), ==, 4);

  array = json_object_get_array_member (root, "calendar");
  g_assert_cmpuint (json_array_get_length (array), ==, SD_STATS_CALENDAR_DAYS);
  day = json_array_get_object_element (array, LAST);
  g_assert_cmpstr (json_object_get_string_member (day, "date"), ==, "2026-03-02");
  g_assert_cmpint (json_object_get_int_member (day, "reviews"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (day, "seconds"), ==, 9);

  array = json_object_get_array_member (root, "forecast");
  g_assert_cmpuint (json_array_get_length (array), ==, SD_STATS_FORECAST_DAYS);
  day = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (day, "date"), ==, "2026-03-03");
  g_assert_cmpint (json_object_get_int_member (day, "reviews"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (day, "day_learning"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (day, "total"), ==, 1);
  /* The seven review cards of the history are due in five days. */
  day = json_array_get_object_element (array, 5);
  g_assert_cmpint (json_object_get_int_member (day, "total"), ==, 7);

  total = member (root, "retention.today.total");
  g_assert_cmpint (json_object_get_int_member (total, "passed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (total, "failed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (total, "total"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (total, "percent"), ==, 60.0);
  total = member (root, "retention.today.mature");
  g_assert_cmpfloat (json_object_get_double_member (total, "percent"), ==, 0.0);
  total = member (root, "retention.all_time.young");
  g_assert_cmpfloat (json_object_get_double_member (total, "percent"), ==, round (5000.0 / 6) / 10);
  total = member (root, "retention.yesterday.mature");
  g_assert_cmpint (json_object_get_int_member (total, "passed"), ==, 1);

  total = member (root, "card_states");
  g_assert_cmpint (json_object_get_int_member (total, "young"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (total, "mature"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (total, "total"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (total, "retired"), ==, 0);

  total = member (root, "buttons.mature");
  g_assert_cmpint (json_object_get_int_member (total, "again"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (total, "easy"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (total, "total"), ==, 5);

  array = json_object_get_array_member (root, "time_per_day");
  g_assert_cmpuint (json_array_get_length (array), ==, SD_STATS_TIME_DAYS);
  day = json_array_get_object_element (array, SD_STATS_TIME_DAYS - 1);
  g_assert_cmpstr (json_object_get_string_member (day, "date"), ==, "2026-03-02");
  g_assert_cmpfloat (json_object_get_double_member (day, "minutes"), ==, 0.2);

  total = member (root, "today");
  g_assert_cmpint (json_object_get_int_member (total, "reviews"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (total, "again"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (total, "streak_days"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (total, "learning_due"), ==, 0);

  total = member (root, "fsrs");
  g_assert_cmpint (json_object_get_int_member (total, "retrievability_cards"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (total, "average_retrievability"), ==, 0.9);
  array = json_object_get_array_member (total, "difficulty");
  g_assert_cmpuint (json_array_get_length (array), ==, SD_STATS_DIFFICULTY_BUCKETS);
  g_assert_cmpint (json_array_get_int_element (array, 5), ==, 1);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SdStats **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sd_stats_compute_finish (SD_COLLECTION (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SdStats) sync = NULL;
  g_autoptr(SdStats) async = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  add_history (f);
  sync = compute (f, 0);

  /* A worker on its own connection gives the same figures. */
  sd_stats_compute_async (f->collection, 0, NULL, computed_cb, &async);
  while (async == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (memcmp (sync, async, sizeof (SdStats)) == 0);

  /* A deck that does not exist, and a cancelled computation. */
  sd_stats_compute_async (f->collection, 999, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sd_stats_compute_finish (f->collection, result, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  g_cancellable_cancel (cancellable);
  sd_stats_compute_async (f->collection, 0, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (sd_stats_compute_finish (f->collection, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/studydeck/stats/empty", test_empty);
  ADD ("/studydeck/stats/calendar-rollover", test_calendar_rollover);
  ADD ("/studydeck/stats/streak", test_streak);
  ADD ("/studydeck/stats/retention", test_retention);
  ADD ("/studydeck/stats/buttons", test_buttons);
  ADD ("/studydeck/stats/cards", test_cards);
  ADD ("/studydeck/stats/fsrs", test_fsrs);
  ADD ("/studydeck/stats/deck-filter", test_deck_filter);
  ADD ("/studydeck/stats/daylight-saving", test_daylight_saving);
  ADD ("/studydeck/stats/json", test_json);
  ADD ("/studydeck/stats/async", test_async);
#undef ADD

  return g_test_run ();
}
