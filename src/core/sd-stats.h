/* sd-stats.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "sd-collection.h"

G_BEGIN_DECLS

/* Days in the review calendar, ending today. */
#define SD_STATS_CALENDAR_DAYS 365
/* Days in the due forecast, starting today. */
#define SD_STATS_FORECAST_DAYS 30
/* Days in the review time chart, ending today. */
#define SD_STATS_TIME_DAYS 30
/* A review card is mature from this interval on, in days (as in Anki). */
#define SD_STATS_MATURE_INTERVAL 21
/* Difficulty buckets of the FSRS difficulty distribution. */
#define SD_STATS_DIFFICULTY_BUCKETS 10

/* The periods of the true retention table. Each ends at the end of today;
 * week, month and year are the last 7, 30 and 365 days including today. */
typedef enum
{
  SD_STATS_PERIOD_TODAY,
  SD_STATS_PERIOD_YESTERDAY,
  SD_STATS_PERIOD_WEEK,
  SD_STATS_PERIOD_MONTH,
  SD_STATS_PERIOD_YEAR,
  SD_STATS_PERIOD_ALL_TIME,
  SD_STATS_N_PERIODS
} SdStatsPeriod;

/* The card groups of the answer buttons. */
typedef enum
{
  SD_STATS_GROUP_LEARNING,
  SD_STATS_GROUP_YOUNG,
  SD_STATS_GROUP_MATURE,
  SD_STATS_N_GROUPS
} SdStatsGroup;

/* One day of the review history. A "review" here is any answer with a
 * rating (1–4): manual entries and reschedules are not answers. */
typedef struct
{
  gint64 day;          /* day number, as sd_clock_day_number () gives */
  guint  reviews;      /* answers given that day */
  gint64 duration_ms;  /* time spent on them */
} SdStatsDay;

/* One day of the due forecast. */
typedef struct
{
  gint64 day;          /* day number */
  guint  reviews;      /* review cards due that day; overdue ones count today */
  guint  day_learning; /* interday learning cards due that day; overdue ones today */
} SdStatsForecastDay;

/* The first answer of each card on each day to a card that was already
 * past its learning steps: a review, or an answer to a card whose last
 * interval was at least a day; Anki's "true retention". Young and mature
 * go by the interval before the answer. Passed = Hard, Good or Easy. */
typedef struct
{
  guint young_passed;
  guint young_failed;
  guint mature_passed;
  guint mature_failed;
} SdStatsRetention;

/* Cards by state, as Anki's card counts: suspended and buried first,
 * then by card type; review cards are young or mature by interval. Cards
 * retired from their note file are counted apart and nowhere else. */
typedef struct
{
  guint new_cards;
  guint learning;
  guint relearning;
  guint young;
  guint mature;
  guint suspended;
  guint buried;
  guint retired;
} SdStatsCardStates;

/* Today at a glance. */
typedef struct
{
  guint  reviews;         /* answers today */
  gint64 duration_ms;
  guint  again;           /* answered Again */
  guint  learning;        /* answers by kind of review */
  guint  review;
  guint  relearning;
  guint  filtered;
  guint  learning_due;    /* learning cards (intraday) due before the day ends */
  guint  streak_days;     /* days in a row with answers, up to today (or up
                           * to yesterday while today has none yet) */
} SdStatsToday;

/**
 * SdStats:
 *
 * Statistics of a deck and its subdecks, or of the whole collection, at
 * one moment. Days are local days starting at the rollover hour of the
 * deck's preset (the Default deck's for the whole collection). Every
 * array is oldest day first. Cards retired from their note file are left
 * out of the card figures (but their review history counts).
 */
typedef struct
{
  gint64 deck_id;           /* 0 for the whole collection */
  int    rollover_hour;
  gint64 now;               /* epoch seconds the figures are for */
  gint64 today;             /* day number of today */

  /* Answers per day, today last. */
  SdStatsDay calendar[SD_STATS_CALENDAR_DAYS];

  /* Cards due per day, today first. */
  SdStatsForecastDay forecast[SD_STATS_FORECAST_DAYS];

  SdStatsRetention retention[SD_STATS_N_PERIODS];

  SdStatsCardStates card_states;

  /* Answers by button (index rating - 1: Again, Hard, Good, Easy), all
   * time. Learning = answers in learning or relearning steps; reviews and
   * filtered-deck answers are young or mature by the interval before the
   * answer. Cramming without rescheduling (filtered, ease 0), manual
   * entries and reschedules do not count. */
  guint buttons[SD_STATS_N_GROUPS][4];

  /* Answers and time per day over the last SD_STATS_TIME_DAYS days: the
   * end of the calendar, today last. */
  SdStatsDay time_per_day[SD_STATS_TIME_DAYS];

  SdStatsToday today_totals;

  /* FSRS: review and relearning cards with a memory state (stability and
   * last review known), their mean retrievability now, with each preset's
   * parameters and whole days since the last review. */
  guint  retrievability_cards;
  double average_retrievability;  /* 0 to 1; 0 when there are no such cards */
  /* Cards with a difficulty, by (difficulty - 1) / 9 in tenths: bucket 0
   * holds 0–10 %, bucket 9 holds 90–100 %. */
  guint  difficulty[SD_STATS_DIFFICULTY_BUCKETS];
} SdStats;

SdStats  *sd_stats_compute    (SdCollection  *collection,
                               gint64         deck_id,
                               GError       **error);
void      sd_stats_compute_async  (SdCollection        *collection,
                                   gint64               deck_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
SdStats  *sd_stats_compute_finish (SdCollection        *collection,
                                   GAsyncResult        *result,
                                   GError             **error);
void      sd_stats_free       (SdStats       *stats);
JsonNode *sd_stats_to_json    (const SdStats *stats);
char     *sd_stats_format_day (gint64         day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStats, sd_stats_free)

G_END_DECLS
