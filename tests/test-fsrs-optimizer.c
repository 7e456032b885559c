/* test-fsrs-optimizer.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sd-cli-fsrs-optimize.h"
#include "sd-collection-private.h"
#include "sd-fsrs.h"
#include "sd-fsrs-items.h"
#include "sd-fsrs-optimizer.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-test-utils.h"

#define DAY G_GINT64_CONSTANT (86400000)
#define HOUR G_GINT64_CONSTANT (3600000)
#define MINUTE G_GINT64_CONSTANT (60000)
/* 2024-01-01 10:00 UTC */
#define T0 G_GINT64_CONSTANT (1704103200000)

/* Our evaluator computes in double precision, fsrs-rs in f32 (model and
 * sums over a few thousand items, in hash-map order for the bins): on the
 * josh log the two agree to about 1e-6 (log loss) and 5e-6 (RMSE) relative,
 * and rs's own RMSE moves by 1e-7 between runs. 1e-4 leaves room for that
 * without hiding a wrong formula (a wrong bin key, weight or clamp moves
 * these numbers by 1e-3 or more). */
#define REF_REL_TOL 1e-4

static double
rel_err (double ours,
         double ref)
{
  if (ours == ref)
    return 0.0;
  return fabs (ours - ref) / MAX (fabs (ref), 1e-300);
}

#define assert_close(ours, ref, tol) \
  G_STMT_START { \
    double _o = (ours), _r = (ref); \
    if (!(rel_err (_o, _r) <= (tol))) \
      g_error ("%s:%d: %s = %.12g, expected %.12g (relative error %.3g > %.3g)", \
               __FILE__, __LINE__, #ours, _o, _r, rel_err (_o, _r), (double) (tol)); \
  } G_STMT_END

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static SdFsrsRevlogRow
row (gint64 card_id,
     gint64 time_ms,
     int    rating,
     int    kind,
     int    ease)
{
  SdFsrsRevlogRow r = {
    .card_id = card_id,
    .time_ms = time_ms,
    .day = sd_fsrs_day_number (time_ms, 4, 0),
    .rating = rating,
    .kind = kind,
    .ease = ease,
  };
  return r;
}

/* "r,dt;r,dt;…": the serialisation optimize.mjs hashes. */
static char *
item_string (const SdFsrsItems *items,
             guint              index)
{
  const SdFsrsItem *item = sd_fsrs_items_get (items, index);
  const SdFsrsReview *reviews = sd_fsrs_items_reviews (items, item);
  GString *out = g_string_new (NULL);

  for (guint j = 0; j < item->len; j++)
    g_string_append_printf (out, "%s%u,%u", j > 0 ? ";" : "", reviews[j].rating,
                            reviews[j].delta_t);
  return g_string_free (out, FALSE);
}

static void
assert_items (const SdFsrsItems  *items,
              const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, items->items->len); i++)
    {
      g_autofree char *got = item_string (items, i);

      g_assert_cmpstr (got, ==, expected[i]);
    }
  g_assert_cmpuint (items->items->len, ==, n);
}

static char *
items_sha256 (const SdFsrsItems *items)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < items->items->len; i++)
    {
      g_autofree char *line = item_string (items, i);

      g_checksum_update (checksum, (const guchar *) line, -1);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* Random review logs: cards learnt over a year, reviewed at random gaps,
 * some same-day reviews, all four ratings. */
static SdFsrsItems *
random_items (guint32 seed,
              guint   n_cards,
              guint   max_reviews)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SdFsrsRevlogRow));

  for (guint c = 0; c < n_cards; c++)
    {
      gint64 day = g_rand_int_range (rand, 0, 365);
      guint n = g_rand_int_range (rand, 1, max_reviews + 1);
      int minute = 0;

      for (guint k = 0; k < n; k++)
        {
          double x = g_rand_double (rand);
          int rating = x < 0.2 ? 1 : x < 0.3 ? 2 : x < 0.9 ? 3 : 4;
          SdFsrsRevlogRow r;

          if (k > 0)
            {
              if (g_rand_double (rand) < 0.25)
                minute += 10;
              else
                {
                  day += g_rand_double (rand) < 0.05 ? g_rand_int_range (rand, 100, 400)
                                                     : g_rand_int_range (rand, 1, 60);
                  minute = 0;
                }
            }
          r = row (1000 + c, T0 + day * DAY + minute * MINUTE, rating,
                   k == 0 ? SD_REVLOG_LEARNING : SD_REVLOG_REVIEW, 2500);
          g_array_append_val (rows, r);
        }
    }

  return sd_fsrs_items_from_revlog ((SdFsrsRevlogRow *) (void *) rows->data, rows->len);
}

/* The same items, each with its own copy of its reviews (no sharing). */
static SdFsrsItems *
unshared_copy (const SdFsrsItems *items)
{
  SdFsrsItems *copy = sd_fsrs_items_new ();

  for (guint i = 0; i < items->items->len; i++)
    {
      const SdFsrsItem *item = sd_fsrs_items_get (items, i);

      g_assert_true (sd_fsrs_items_add (copy, item->card_id, item->time_ms,
                                        sd_fsrs_items_reviews (items, item), item->len, NULL));
    }
  return copy;
}

static void
random_params (GRand        *rand,
               SdFsrsParams *params)
{
  /* Inside the clip bounds, away from their edges. */
  static const double low[SD_FSRS_N_PARAMS] = {
    0.05, 0.3, 1.0, 3.0, 3.0, 0.2, 0.5, 0.01, 0.5, 0.05, 0.3, 0.5, 0.01, 0.1, 0.5,
    0.2, 1.2, 0.1, 0.05, 0.02, 0.12,
  };
  static const double high[SD_FSRS_N_PARAMS] = {
    1.0, 3.0, 6.0, 20.0, 8.0, 1.5, 3.5, 0.6, 3.0, 0.6, 2.5, 3.0, 0.2, 0.8, 3.0,
    0.95, 4.0, 1.5, 1.0, 0.6, 0.75,
  };

  for (int i = 0; i < SD_FSRS_N_PARAMS; i++)
    params->w[i] = g_rand_double_range (rand, low[i], high[i]);
}

static void
check_params_clipped (const SdFsrsParams *params,
                      guint               n_relearning_steps,
                      gboolean            short_term)
{
  SdFsrsParams clipped = *params;

  sd_fsrs_params_clip (&clipped, n_relearning_steps, short_term);
  for (int i = 0; i < SD_FSRS_N_PARAMS; i++)
    {
      g_assert_true (isfinite (params->w[i]));
      g_assert_cmpfloat (clipped.w[i], ==, params->w[i]);
    }
}

/* ------------------------------------------------------------------------ */
/* Items                                                                     */
/* ------------------------------------------------------------------------ */

static void
test_items_same_day (void)
{
  SdFsrsRevlogRow rows[] = {
    row (1, T0, 1, SD_REVLOG_LEARNING, 0),
    row (1, T0 + 10 * MINUTE, 3, SD_REVLOG_LEARNING, 0),
    row (1, T0 + 2 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    row (1, T0 + 2 * DAY + HOUR, 1, SD_REVLOG_REVIEW, 2500),
    row (1, T0 + 2 * DAY + 2 * HOUR, 3, SD_REVLOG_RELEARNING, 2300),
    row (1, T0 + 5 * DAY, 3, SD_REVLOG_REVIEW, 2300),
  };
  /* Same-day reviews are history, never targets. */
  const char * const expected[] = {
    "1,0;3,0;3,2",
    "1,0;3,0;3,2;1,0;3,0;3,3",
    NULL
  };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_revlog (rows, G_N_ELEMENTS (rows));

  assert_items (items, expected);
  g_assert_cmpint (sd_fsrs_items_get (items, 0)->time_ms, ==, T0 + 2 * DAY);
  g_assert_cmpint (sd_fsrs_items_get (items, 1)->time_ms, ==, T0 + 5 * DAY);
  g_assert_cmpint (sd_fsrs_items_get (items, 1)->card_id, ==, 1);
  /* The items of a card share their reviews. */
  g_assert_cmpuint (sd_fsrs_items_get (items, 0)->start, ==, sd_fsrs_items_get (items, 1)->start);
  g_assert_cmpuint (items->reviews->len, ==, 6);
  g_assert_cmpuint (items->n_revlog_rows, ==, 6);
}

static void
test_items_first_review (void)
{
  SdFsrsRevlogRow rows[] = {
    /* One review: nothing to predict. */
    row (1, T0, 3, SD_REVLOG_LEARNING, 0),
    /* Two learning steps on one day: the second is same-day history. */
    row (2, T0, 1, SD_REVLOG_LEARNING, 0),
    row (2, T0 + HOUR, 3, SD_REVLOG_LEARNING, 0),
    /* A first review a week ago is still the first review. */
    row (3, T0 - 7 * DAY, 4, SD_REVLOG_LEARNING, 0),
    row (3, T0 + 3 * DAY, 3, SD_REVLOG_REVIEW, 2500),
  };
  const char * const expected[] = { "4,0;3,10", NULL };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_revlog (rows, G_N_ELEMENTS (rows));

  assert_items (items, expected);

  {
    g_autoptr(SdFsrsItems) none = sd_fsrs_items_from_revlog (NULL, 0);

    g_assert_cmpuint (none->items->len, ==, 0);
  }
}

static void
test_items_reset (void)
{
  SdFsrsRevlogRow rows[] = {
    /* Reset, then learnt again: only the new history counts. */
    row (1, T0, 3, SD_REVLOG_LEARNING, 0),
    row (1, T0 + 2 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    row (1, T0 + 10 * DAY, 0, SD_REVLOG_MANUAL, 0),
    row (1, T0 + 11 * DAY, 1, SD_REVLOG_LEARNING, 0),
    row (1, T0 + 11 * DAY + 10 * MINUTE, 3, SD_REVLOG_LEARNING, 0),
    row (1, T0 + 13 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    /* Reset after the last learning run, nothing after it: no data. */
    row (2, T0, 3, SD_REVLOG_LEARNING, 0),
    row (2, T0 + 2 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    row (2, T0 + 5 * DAY, 0, SD_REVLOG_MANUAL, 0),
    /* Reset, then graded without learning: no training data either. */
    row (3, T0, 3, SD_REVLOG_LEARNING, 0),
    row (3, T0 + 2 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    row (3, T0 + 5 * DAY, 0, SD_REVLOG_MANUAL, 0),
    row (3, T0 + 9 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    /* A manual row with an ease factor (set due date) is no reset; it is
     * dropped and the days around it add up. */
    row (4, T0, 3, SD_REVLOG_LEARNING, 0),
    row (4, T0 + 2 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    row (4, T0 + 3 * DAY, 0, SD_REVLOG_MANUAL, 2500),
    row (4, T0 + 6 * DAY, 3, SD_REVLOG_REVIEW, 2500),
  };
  const char * const expected[] = {
    "3,0;3,2",          /* card 4, T0 + 2d */
    "1,0;3,0;3,2",      /* card 1, T0 + 13d, after card 4's second below */
    NULL
  };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_revlog (rows, G_N_ELEMENTS (rows));

  g_assert_cmpuint (items->items->len, ==, 3);
  {
    g_autofree char *a = item_string (items, 0);
    g_autofree char *b = item_string (items, 1);
    g_autofree char *c = item_string (items, 2);

    g_assert_cmpstr (a, ==, expected[0]);
    g_assert_cmpstr (b, ==, "3,0;3,2;3,4");
    g_assert_cmpstr (c, ==, expected[1]);
    g_assert_cmpint (sd_fsrs_items_get (items, 2)->card_id, ==, 1);
  }
}

static void
test_items_kinds (void)
{
  SdFsrsRevlogRow rows[] = {
    /* A cram row inside the learning run neither breaks nor joins it. */
    row (1, T0, 3, SD_REVLOG_LEARNING, 0),
    row (1, T0 + 12 * HOUR, 3, SD_REVLOG_FILTERED, 0),
    row (1, T0 + DAY, 3, SD_REVLOG_LEARNING, 0),
    /* Rescheduled rows and ungraded rows are dropped. */
    row (1, T0 + 2 * DAY, 0, SD_REVLOG_RESCHEDULED, 2500),
    row (1, T0 + 3 * DAY, 0, SD_REVLOG_REVIEW, 2500),
    /* A filtered-deck review that reschedules (ease factor set) counts. */
    row (1, T0 + 4 * DAY, 2, SD_REVLOG_FILTERED, 2500),
    row (1, T0 + 4 * DAY + HOUR, 3, SD_REVLOG_RELEARNING, 2500),
    row (1, T0 + 10 * DAY, 1, SD_REVLOG_REVIEW, 2500),
    /* No learning row: no data. */
    row (2, T0, 3, SD_REVLOG_REVIEW, 2500),
    row (2, T0 + 5 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    /* Learnt twice (old relearning logged as learning): the last run. */
    row (3, T0, 3, SD_REVLOG_LEARNING, 0),
    row (3, T0 + 3 * DAY, 1, SD_REVLOG_REVIEW, 2500),
    row (3, T0 + 3 * DAY + HOUR, 2, SD_REVLOG_LEARNING, 0),
    row (3, T0 + 4 * DAY, 3, SD_REVLOG_LEARNING, 0),
    row (3, T0 + 9 * DAY, 4, SD_REVLOG_REVIEW, 2500),
  };
  const char * const expected[] = {
    "3,0;3,1",                      /* card 1, T0 + 1d */
    "3,0;3,1;2,3",                  /* card 1, T0 + 4d */
    "2,0;3,1",                      /* card 3, T0 + 4d */
    "2,0;3,1;4,5",                  /* card 3, T0 + 9d */
    "3,0;3,1;2,3;3,0;1,6",          /* card 1, T0 + 10d */
    NULL
  };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_revlog (rows, G_N_ELEMENTS (rows));

  assert_items (items, expected);
}

static void
test_items_rollover (void)
{
  /* 2024-01-02 03:59 and 04:01 UTC: one day apart at a 4 a.m. rollover,
   * the same day at midnight. */
  const gint64 before = T0 + DAY - 6 * HOUR - MINUTE;
  const gint64 after = T0 + DAY - 6 * HOUR + MINUTE;
  g_autofree char *csv = g_strdup_printf ("card_id,review_time,review_rating\n"
                                          "1,%" G_GINT64_FORMAT ",3\n"
                                          "1,%" G_GINT64_FORMAT ",3\n"
                                          "1,%" G_GINT64_FORMAT ",3\n",
                                          before - 2 * DAY, before, after);
  g_autoptr(GError) error = NULL;

  {
    const char * const expected[] = { "3,0;3,2", "3,0;3,2;3,1", NULL };
    g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_csv_data (csv, -1, "t.csv", 4, 0, &error);

    g_assert_no_error (error);
    assert_items (items, expected);
  }
  {
    /* Midnight rollover: 03:59 and 04:01 are the same day. */
    const char * const expected[] = { "3,0;3,2", NULL };
    g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_csv_data (csv, -1, "t.csv", 0, 0, &error);

    g_assert_no_error (error);
    assert_items (items, expected);
  }
  {
    /* UTC+2 with a 4 a.m. rollover: the local times are 05:59 and 06:01,
     * the same day. */
    const char * const expected[] = { "3,0;3,2", NULL };
    g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_csv_data (csv, -1, "t.csv", 4, 120, &error);

    g_assert_no_error (error);
    assert_items (items, expected);
  }
  {
    /* UTC-5 with a 4 a.m. rollover: 22:59 and 23:01 local, the same day;
     * at a 23:00 rollover, different days. */
    const char * const same[] = { "3,0;3,2", NULL };
    const char * const split[] = { "3,0;3,2", "3,0;3,2;3,1", NULL };
    g_autoptr(SdFsrsItems) a = sd_fsrs_items_from_csv_data (csv, -1, "t.csv", 4, -300, &error);
    g_autoptr(SdFsrsItems) b = sd_fsrs_items_from_csv_data (csv, -1, "t.csv", 23, -300, &error);

    g_assert_no_error (error);
    assert_items (a, same);
    assert_items (b, split);
  }
}

static void
test_items_order (void)
{
  SdFsrsRevlogRow rows[] = {
    row (9, T0, 3, SD_REVLOG_LEARNING, 0),
    row (9, T0 + 5 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    row (9, T0 + 9 * DAY, 1, SD_REVLOG_REVIEW, 2500),
    row (5, T0 + DAY, 2, SD_REVLOG_LEARNING, 0),
    row (5, T0 + 3 * DAY, 3, SD_REVLOG_REVIEW, 2500),
    /* The same time as card 9's second review: card order decides. */
    row (5, T0 + 5 * DAY, 4, SD_REVLOG_REVIEW, 2500),
  };
  const char * const expected[] = {
    "2,0;3,2",            /* card 5, T0 + 3d */
    "2,0;3,2;4,2",        /* card 5, T0 + 5d */
    "3,0;3,5",            /* card 9, T0 + 5d */
    "3,0;3,5;1,4",        /* card 9, T0 + 9d */
    NULL
  };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_revlog (rows, G_N_ELEMENTS (rows));

  assert_items (items, expected);
  g_assert_cmpint (sd_fsrs_items_get (items, 1)->card_id, ==, 5);
  g_assert_cmpint (sd_fsrs_items_get (items, 2)->card_id, ==, 9);
}

static void
test_items_add (void)
{
  const SdFsrsReview good[] = { { 3, 7 }, { 3, 2 } };
  const SdFsrsReview bad[] = { { 3, 0 }, { 5, 2 } };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_fsrs_items_add (items, 1, T0, good, 2, &error));
  g_assert_no_error (error);
  {
    /* A first review has no elapsed time. */
    g_autofree char *s = item_string (items, 0);

    g_assert_cmpstr (s, ==, "3,0;3,2");
  }
  g_assert_false (sd_fsrs_items_add (items, 1, T0, good, 1, &error));
  g_assert_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sd_fsrs_items_add (items, 1, T0, bad, 2, &error));
  g_assert_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_INVALID);
  g_assert_cmpuint (items->items->len, ==, 1);
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                       */
/* ------------------------------------------------------------------------ */

static void
test_csv_columns (void)
{
  /* BOM, CRLF, blank lines, quotes, extra columns, any column order. */
  const char csv[] =
    "\xEF\xBB\xBF" "review_duration,\"review_rating\",card_id,review_state,review_time,note\r\n"
    "5000,3,7,0,1704103200000,x\r\n"
    "\r\n"
    "4000,\"1\",7,2,1704362400000,y\r\n"
    "3000,3,7,3,1704366000000,z\r\n"
    "3000,3,7,2,1704794400000,z\r\n"
    "2000,4,8,2,1704103200000,\r\n"
    "2000,4,8,2,1704362400000,\r\n";
  /* Card 8 has no learning row. Card 7: learn, lapse 3 days later, relearn
   * the same day, review 5 days later. */
  const char * const expected[] = { "3,0;1,3", "3,0;1,3;3,0;3,5", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_csv_data (csv, sizeof csv - 1, "t.csv", 4, 0,
                                                              &error);

  g_assert_no_error (error);
  assert_items (items, expected);

  {
    /* Without review_state every card's first row is its learning step. */
    const char plain[] =
      "card_id,review_time,review_rating\n"
      "8,1704103200000,4\n"
      "8,1704362400000,4\n"
      "8,1704448800000,0\n";
    const char * const expected_plain[] = { "4,0;4,3", NULL };
    g_autoptr(SdFsrsItems) p = sd_fsrs_items_from_csv_data (plain, -1, "p.csv", 4, 0, &error);

    g_assert_no_error (error);
    assert_items (p, expected_plain);
  }
}

static void
check_csv_error (const char *csv,
                 const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_from_csv_data (csv, -1, "bad.csv", 4, 0, &error);

  g_assert_null (items);
  g_assert_error (error, SD_FSRS_ITEMS_ERROR, SD_FSRS_ITEMS_ERROR_PARSE);
  if (strstr (error->message, message_part) == NULL)
    g_error ("error “%s” does not mention “%s”", error->message, message_part);
}

static void
test_csv_errors (void)
{
  check_csv_error ("", "bad.csv: empty file");
  check_csv_error ("card_id,review_rating\n1,3\n", "bad.csv:1: the header has no “review_time”");
  check_csv_error ("card_id,review_time,review_rating\n1,100,3\n1,1e5,3\n",
                   "bad.csv:3: review_time “1e5” is not an integer");
  check_csv_error ("card_id,review_time,review_rating\n\n1,100,3\nx,200,3\n",
                   "bad.csv:4: card_id “x” is not an integer");
  check_csv_error ("card_id,review_time,review_rating\n1,100,5\n",
                   "bad.csv:2: review_rating 5 is out of range");
  check_csv_error ("card_id,review_time,review_rating\n1,100,-1\n",
                   "bad.csv:2: review_rating -1 is out of range");
  check_csv_error ("card_id,review_time,review_rating,review_state\n1,100,3,6\n",
                   "bad.csv:2: review_state 6 is out of range");
  check_csv_error ("card_id,review_time,review_rating\n1,100\n",
                   "bad.csv:2: expected at least 3 fields, found 2");
  check_csv_error ("card_id,review_time,review_rating\n1,,3\n",
                   "bad.csv:2: review_time “” is not an integer");
}

/* ------------------------------------------------------------------------ */
/* Loss and gradient                                                         */
/* ------------------------------------------------------------------------ */

/* The loss of one item the slow way: sd_fsrs_next_state() along its history. */
static double
reference_item_loss (const SdFsrsParams *params,
                     const SdFsrsItems  *items,
                     guint               index)
{
  const SdFsrsItem *item = sd_fsrs_items_get (items, index);
  const SdFsrsReview *reviews = sd_fsrs_items_reviews (items, item);
  SdFsrsState state = { 0.0, 0.0 };
  double r;

  for (guint j = 0; j + 1 < item->len; j++)
    state = sd_fsrs_next_state (params, j == 0 ? NULL : &state, reviews[j].delta_t,
                                (int) reviews[j].rating);
  r = sd_fsrs_retrievability (params, reviews[item->len - 1].delta_t, state.stability);
  r = CLAMP (r, 1e-7, 1.0 - 1e-7);
  return reviews[item->len - 1].rating > 1 ? -log (r) : -log (1.0 - r);
}

static void
test_loss_matches_model (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(SdFsrsItems) items = random_items (5, 60, 25);
  g_autoptr(SdFsrsItems) unshared = unshared_copy (items);
  g_autofree double *weights = g_new (double, items->items->len);

  g_assert_cmpuint (items->items->len, >, 200);
  for (guint i = 0; i < items->items->len; i++)
    weights[i] = g_rand_double_range (rand, 0.25, 1.0);

  for (int trial = 0; trial < 4; trial++)
    {
      SdFsrsParams params;
      double expected = 0.0, shared_loss, separate_loss;
      double g_shared[SD_FSRS_N_PARAMS] = { 0 }, g_separate[SD_FSRS_N_PARAMS] = { 0 };

      if (trial == 0)
        sd_fsrs_params_init_default (&params);
      else
        random_params (rand, &params);

      for (guint i = 0; i < items->items->len; i++)
        expected += weights[i] * reference_item_loss (&params, items, i);

      /* The training recurrence is sd_fsrs_next_state()'s, and scoring the
       * items of a card in one pass changes nothing but rounding. */
      shared_loss = sd_fsrs_items_loss (&params, items, weights, g_shared);
      separate_loss = sd_fsrs_items_loss (&params, unshared, weights, g_separate);
      assert_close (shared_loss, expected, 1e-12);
      assert_close (separate_loss, expected, 1e-12);
      g_assert_cmpfloat (sd_fsrs_items_loss (&params, items, weights, NULL), ==, shared_loss);
      for (int k = 0; k < SD_FSRS_N_PARAMS; k++)
        g_assert_cmpfloat (fabs (g_shared[k] - g_separate[k]), <=,
                           1e-10 * MAX (1.0, fabs (g_separate[k])));
    }
}

/* Central differences of sd_fsrs_items_loss (+ the L2 term) against its
 * analytic gradient. */
static void
check_gradient (const SdFsrsParams *params,
                const SdFsrsParams *init,
                const SdFsrsItems  *items,
                const double       *weights,
                double              l2_scale)
{
  double grad[SD_FSRS_N_PARAMS] = { 0 };
  double norm = 0.0;

  sd_fsrs_items_loss (params, items, weights, grad);
  sd_fsrs_l2_penalty (params, init, l2_scale, grad);
  for (int k = 0; k < SD_FSRS_N_PARAMS; k++)
    norm = MAX (norm, fabs (grad[k]));

  for (int k = 0; k < SD_FSRS_N_PARAMS; k++)
    {
      SdFsrsParams plus = *params, minus = *params;
      double h = 1e-6 * MAX (fabs (params->w[k]), 0.1);
      double fd;

      plus.w[k] += h;
      minus.w[k] -= h;
      fd = ((sd_fsrs_items_loss (&plus, items, weights, NULL) +
             sd_fsrs_l2_penalty (&plus, init, l2_scale, NULL)) -
            (sd_fsrs_items_loss (&minus, items, weights, NULL) +
             sd_fsrs_l2_penalty (&minus, init, l2_scale, NULL))) / (2.0 * h);

      /* Relative to the component, plus 1e-7 of the largest component for
       * derivatives that are (nearly) zero, where the difference quotient
       * is all rounding noise. */
      if (!(fabs (fd - grad[k]) <= 1e-5 * fabs (grad[k]) + 1e-7 * norm))
        g_error ("dL/dw%d: analytic %.10g, central difference %.10g (relative error %.3g)",
                 k, grad[k], fd, rel_err (grad[k], fd));
    }
}

static void
test_loss_gradient (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autoptr(SdFsrsItems) items = random_items (17, 40, 20);
  g_autofree double *weights = g_new (double, items->items->len);
  SdFsrsParams init;
  guint n_checked = 0;

  for (guint i = 0; i < items->items->len; i++)
    weights[i] = g_rand_double_range (rand, 0.25, 1.0);
  sd_fsrs_params_init_default (&init);

  for (int trial = 0; trial < 12; trial++)
    {
      SdFsrsParams params;

      random_params (rand, &params);
      check_gradient (&params, &init, items, weights, trial % 2 ? 0.3 : 0.0);
      n_checked++;
    }
  g_test_message ("gradient checked on %u random parameter vectors, %u items",
                  n_checked, items->items->len);
}

static void
test_l2_penalty (void)
{
  SdFsrsParams init, params;
  double grad[SD_FSRS_N_PARAMS] = { 0 };
  double penalty;

  sd_fsrs_params_init_default (&init);
  params = init;
  g_assert_cmpfloat (sd_fsrs_l2_penalty (&params, &init, 1.0, NULL), ==, 0.0);

  /* w4 one σ (0.57) away, w20 two σ (2·0.27) away: (1 + 4)·scale. */
  params.w[4] += 0.57;
  params.w[20] += 0.54;
  penalty = sd_fsrs_l2_penalty (&params, &init, 0.5, grad);
  assert_close (penalty, 2.5, 1e-12);
  assert_close (grad[4], 2.0 * 0.57 / (0.57 * 0.57) * 0.5, 1e-12);
  assert_close (grad[20], 2.0 * 0.54 / (0.27 * 0.27) * 0.5, 1e-12);
  g_assert_cmpfloat (grad[0], ==, 0.0);
}

static void
test_recency_weights (void)
{
  double w[5];

  sd_fsrs_recency_weights (1, w);
  g_assert_cmpfloat (w[0], ==, 0.25);
  sd_fsrs_recency_weights (5, w);
  assert_close (w[0], 0.25, 0);
  assert_close (w[1], 0.25 + 0.75 / 64.0, 1e-15);
  assert_close (w[2], 0.25 + 0.75 / 8.0, 1e-15);
  assert_close (w[4], 1.0, 1e-15);
}

/* ------------------------------------------------------------------------ */
/* Outlier filter, initial stability                                         */
/* ------------------------------------------------------------------------ */

/* Appends @count cards, each giving one item "first,0;second,delta_t". */
static void
add_first_intervals (SdFsrsItems *items,
                     guint        count,
                     guint        first,
                     guint        delta_t,
                     guint        n_recalled)
{
  static gint64 card = 1;

  for (guint i = 0; i < count; i++)
    {
      SdFsrsReview reviews[2] = { { first, 0 }, { i < n_recalled ? 3 : 1, delta_t } };

      g_assert_true (sd_fsrs_items_add (items, card++, T0 + (gint64) items->items->len * MINUTE,
                                        reviews, 2, NULL));
    }
}

static void
test_outlier_filter (void)
{
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_new ();
  g_autofree gboolean *in_train = NULL;
  g_autofree gboolean *in_init = NULL;
  const SdFsrsReview longer_removed[] = { { 3, 0 }, { 3, 3 }, { 3, 9 } };
  const SdFsrsReview longer_kept[] = { { 3, 0 }, { 3, 0 }, { 3, 1 }, { 1, 9 } };
  guint n, first_longer;

  /* First rating Good, 55 items: the limit is max(20, 55/20) = 20. From
   * the smallest sub-group: 2 items at 4 days, 5 at 3 and 8 at 200 days
   * are removed (15 in all); adding the 10 at 2 days would reach 20, so
   * from there sub-groups of at least 6 items within 100 days stay. */
  add_first_intervals (items, 30, 3, 1, 27);
  add_first_intervals (items, 10, 3, 2, 8);
  add_first_intervals (items, 5, 3, 3, 4);
  add_first_intervals (items, 8, 3, 200, 3);
  add_first_intervals (items, 2, 3, 4, 2);
  /* First rating Easy: 25 items at 300 days stay (Easy allows 365). */
  add_first_intervals (items, 25, 4, 300, 20);
  /* First rating Again: 25 items at 150 days go (more than 100). */
  add_first_intervals (items, 25, 1, 150, 10);
  /* Longer items follow their first long-term interval. */
  first_longer = items->items->len;
  g_assert_true (sd_fsrs_items_add (items, 900, T0 + DAY, longer_removed, 3, NULL));
  g_assert_true (sd_fsrs_items_add (items, 901, T0 + DAY, longer_kept, 4, NULL));

  n = items->items->len;
  in_train = g_new (gboolean, n);
  in_init = g_new (gboolean, n);
  sd_fsrs_outlier_filter (items, in_train, in_init);

  for (guint i = 0; i < n; i++)
    {
      const SdFsrsItem *item = sd_fsrs_items_get (items, i);
      const SdFsrsReview *r = sd_fsrs_items_reviews (items, item);
      gboolean kept;

      if (i >= first_longer)
        {
          g_assert_false (in_init[i]);
          g_assert_cmpint (in_train[i], ==, i == first_longer + 1);
          continue;
        }
      kept = (r[0].rating == 3 && (r[1].delta_t == 1 || r[1].delta_t == 2)) || r[0].rating == 4;
      g_assert_cmpint (in_init[i], ==, kept);
      g_assert_cmpint (in_train[i], ==, kept);
    }
}

/* The pre-training loss of fsrs-rs for one first rating. */
static double
s0_loss (const double *t,
         const double *recall,
         const double *count,
         guint         n,
         double        s0,
         double        default_s0)
{
  double factor = pow (0.9, 1.0 / -0.1542) - 1.0;
  double loss = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double r = pow (t[i] / s0 * factor + 1.0, -0.1542);

      loss -= (recall[i] * log (r) + (1.0 - recall[i]) * log (1.0 - r)) * count[i];
    }
  return loss + fabs (s0 - default_s0) / 16.0;
}

static void
test_initial_stability (void)
{
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_new ();
  g_autofree gboolean *in_train = NULL;
  g_autofree gboolean *in_init = NULL;
  const double t[] = { 1, 3, 7 };
  const double n[] = { 40, 25, 10 };
  const double recalled[] = { 36, 20, 6 };
  double recall[3], s0[4], best = 0.0, best_loss = INFINITY, mean_recall;
  guint counts[4];
  SdFsrsParams defaults;

  sd_fsrs_params_init_default (&defaults);
  for (guint i = 0; i < 3; i++)
    add_first_intervals (items, (guint) n[i], 3, (guint) t[i], (guint) recalled[i]);
  in_train = g_new (gboolean, items->items->len);
  in_init = g_new (gboolean, items->items->len);
  for (guint i = 0; i < items->items->len; i++)
    in_train[i] = in_init[i] = TRUE;

  g_assert_true (sd_fsrs_initial_stability (items, in_train, in_init, s0, counts));
  g_assert_cmpuint (counts[2], ==, 75);
  g_assert_cmpuint (counts[0] + counts[1] + counts[3], ==, 0);

  /* Laplace smoothing toward the mean recall, then the minimum by a fine
   * scan around it. */
  mean_recall = (36.0 + 20.0 + 6.0) / 75.0;
  for (guint i = 0; i < 3; i++)
    recall[i] = (recalled[i] + mean_recall) / (n[i] + 1.0);
  for (double s = 0.5; s < 20.0; s *= 1.0001)
    {
      double loss = s0_loss (t, recall, n, 3, s, defaults.w[2]);

      if (loss < best_loss)
        {
          best_loss = loss;
          best = s;
        }
    }
  assert_close (s0[2], best, 2e-4);
  /* One known rating scales all four defaults. */
  for (int g = 0; g < 4; g++)
    assert_close (s0[g], defaults.w[g] * s0[2] / defaults.w[2], 1e-12);

  for (guint i = 0; i < items->items->len; i++)
    in_init[i] = FALSE;
  g_assert_false (sd_fsrs_initial_stability (items, in_train, in_init, s0, counts));
}

static void
test_smooth_and_fill (void)
{
  SdFsrsParams d;

  sd_fsrs_params_init_default (&d);

  {
    /* Out of order: the value backed by fewer items gives way. */
    double s[4] = { 3.0, 2.0, 5.0, 4.0 };
    const gboolean known[4] = { TRUE, TRUE, TRUE, TRUE };
    const guint counts[4] = { 10, 5, 1, 100 };

    sd_fsrs_smooth_and_fill (s, known, counts);
    g_assert_cmpfloat (s[0], ==, 3.0);
    g_assert_cmpfloat (s[1], ==, 3.0);
    g_assert_cmpfloat (s[2], ==, 4.0);
    g_assert_cmpfloat (s[3], ==, 4.0);
  }
  {
    /* Good and Easy known: Hard and Again extrapolated geometrically. */
    double s[4] = { 0, 0, 3.0, 12.0 };
    const gboolean known[4] = { FALSE, FALSE, TRUE, TRUE };
    const guint counts[4] = { 0, 0, 50, 50 };
    double hard = pow (3.0, 1.0 / (1.0 - 0.54)) * pow (12.0, 1.0 - 1.0 / (1.0 - 0.54));

    sd_fsrs_smooth_and_fill (s, known, counts);
    assert_close (s[1], hard, 1e-12);
    assert_close (s[0], pow (hard, 1.0 / 0.41) * pow (3.0, 1.0 - 1.0 / 0.41), 1e-12);
    g_assert_cmpfloat (s[2], ==, 3.0);
    g_assert_cmpfloat (s[3], ==, 12.0);
    /* Then r3 is the 0.54 geometric mix of r2 and r4. */
    assert_close (log (s[2]), (1.0 - 0.54) * log (s[1]) + 0.54 * log (s[3]), 1e-12);
  }
  {
    /* Again and Easy known. */
    double s[4] = { 0.5, 0, 0, 20.0 };
    const gboolean known[4] = { TRUE, FALSE, FALSE, TRUE };
    const guint counts[4] = { 9, 0, 0, 9 };

    sd_fsrs_smooth_and_fill (s, known, counts);
    g_assert_cmpfloat (s[0], <, s[1]);
    g_assert_cmpfloat (s[1], <, s[2]);
    g_assert_cmpfloat (s[2], <, s[3]);
    assert_close (log (s[1]), 0.41 * log (s[0]) + 0.59 * log (s[2]), 1e-12);
  }
  {
    /* Clamped to [0.001, 100]. */
    double s[4] = { 0, 0, 0, 400.0 };
    const gboolean known[4] = { FALSE, FALSE, FALSE, TRUE };
    const guint counts[4] = { 0, 0, 0, 3 };

    sd_fsrs_smooth_and_fill (s, known, counts);
    g_assert_cmpfloat (s[3], ==, 100.0);
    assert_close (s[0], d.w[0] * 400.0 / d.w[3], 1e-12);
  }
}

/* ------------------------------------------------------------------------ */
/* The optimizer                                                             */
/* ------------------------------------------------------------------------ */

static void
test_thresholds (void)
{
  SdFsrsTrainConfig config;
  SdFsrsFitResult fit;
  SdFsrsParams d;
  g_autoptr(GError) error = NULL;

  sd_fsrs_params_init_default (&d);
  sd_fsrs_train_config_init (&config);

  {
    /* No items, and fewer than 8: the defaults. */
    g_autoptr(SdFsrsItems) none = sd_fsrs_items_new ();
    g_autoptr(SdFsrsItems) few = sd_fsrs_items_new ();

    g_assert_true (sd_fsrs_optimize (none, &config, &fit, &error));
    g_assert_no_error (error);
    g_assert_cmpint (fit.kind, ==, SD_FSRS_FIT_DEFAULTS);
    g_assert_cmpmem (fit.params.w, sizeof fit.params.w, d.w, sizeof d.w);

    add_first_intervals (few, 7, 3, 1, 5);
    g_assert_true (sd_fsrs_optimize (few, NULL, &fit, &error));
    g_assert_cmpint (fit.kind, ==, SD_FSRS_FIT_DEFAULTS);
    g_assert_cmpmem (fit.params.w, sizeof fit.params.w, d.w, sizeof d.w);
  }
  {
    /* 100 items, all with one long-term review: the training set is the
     * pre-training set, so only S0 is fitted. */
    g_autoptr(SdFsrsItems) items = sd_fsrs_items_new ();

    add_first_intervals (items, 60, 3, 1, 50);
    add_first_intervals (items, 40, 1, 1, 20);
    g_assert_true (sd_fsrs_optimize (items, &config, &fit, &error));
    g_assert_cmpint (fit.kind, ==, SD_FSRS_FIT_INITIAL_STABILITY);
    g_assert_cmpuint (fit.n_train_items, ==, 100);
    g_assert_cmpuint (fit.n_init_items, ==, 100);
    g_assert_cmpfloat (fit.params.w[2], !=, d.w[2]);
    g_assert_cmpmem (fit.params.w + 4, 17 * sizeof (double), d.w + 4, 17 * sizeof (double));
  }
  {
    /* Fewer than 64 items: S0 only. */
    g_autoptr(SdFsrsItems) items = random_items (3, 12, 6);

    g_assert_cmpuint (items->items->len, >=, 8);
    g_assert_cmpuint (items->items->len, <, 64);
    config.outlier_filter = FALSE;
    g_assert_true (sd_fsrs_optimize (items, &config, &fit, &error));
    g_assert_cmpint (fit.kind, ==, SD_FSRS_FIT_INITIAL_STABILITY);
    g_assert_cmpmem (fit.params.w + 4, 17 * sizeof (double), d.w + 4, 17 * sizeof (double));
  }
  {
    /* Bad settings. */
    g_autoptr(SdFsrsItems) items = sd_fsrs_items_new ();

    config.batch_size = 0;
    g_assert_false (sd_fsrs_optimize (items, &config, &fit, &error));
    g_assert_error (error, SD_FSRS_OPTIMIZER_ERROR, SD_FSRS_OPTIMIZER_ERROR_INVALID_CONFIG);
  }
}

static void
test_determinism (void)
{
  g_autoptr(SdFsrsItems) items = random_items (99, 400, 30);
  SdFsrsTrainConfig config;
  SdFsrsFitResult a, b, c;
  g_autoptr(GError) error = NULL;

  sd_fsrs_train_config_init (&config);
  config.n_threads = 1;
  g_assert_true (sd_fsrs_optimize (items, &config, &a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a.kind, ==, SD_FSRS_FIT_TRAINED);
  g_assert_true (sd_fsrs_optimize (items, &config, &b, &error));
  /* Thread count does not change the sums. */
  config.n_threads = 3;
  g_assert_true (sd_fsrs_optimize (items, &config, &c, &error));
  g_assert_cmpmem (a.params.w, sizeof a.params.w, b.params.w, sizeof b.params.w);
  g_assert_cmpmem (a.params.w, sizeof a.params.w, c.params.w, sizeof c.params.w);
  g_assert_cmpfloat (a.best_loss, ==, c.best_loss);

  /* Another seed, another batch order, other parameters. */
  config.seed = 7;
  g_assert_true (sd_fsrs_optimize (items, &config, &c, &error));
  g_assert_true (memcmp (a.params.w, c.params.w, sizeof a.params.w) != 0);
}

static void
test_training (void)
{
  g_autoptr(SdFsrsItems) items = random_items (1234, 600, 30);
  SdFsrsTrainConfig config;
  SdFsrsFitResult fit;
  SdFsrsMetrics fitted, defaults;
  SdFsrsParams d;
  g_autoptr(GError) error = NULL;

  sd_fsrs_params_init_default (&d);
  sd_fsrs_train_config_init (&config);
  g_assert_true (sd_fsrs_optimize (items, &config, &fit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fit.kind, ==, SD_FSRS_FIT_TRAINED);
  g_assert_cmpuint (fit.best_epoch, >=, 1);
  g_assert_cmpuint (fit.best_epoch, <=, 5);
  check_params_clipped (&fit.params, 1, TRUE);

  /* Training lowers the loss it minimises. */
  g_assert_true (sd_fsrs_evaluate (&fit.params, items, &fitted, &error));
  g_assert_true (sd_fsrs_evaluate (&d, items, &defaults, &error));
  g_assert_cmpfloat (fitted.log_loss_weighted, <, defaults.log_loss_weighted);

  /* Items longer than max_seq_len are left out of training only. */
  g_assert_cmpuint (fit.n_batch_items, ==, fit.n_train_items);
  config.max_seq_len = 4;
  {
    SdFsrsFitResult short_fit;
    guint n_short = 0;
    g_autofree gboolean *in_train = g_new (gboolean, items->items->len);
    g_autofree gboolean *in_init = g_new (gboolean, items->items->len);

    sd_fsrs_outlier_filter (items, in_train, in_init);
    for (guint i = 0; i < items->items->len; i++)
      n_short += in_train[i] && sd_fsrs_items_get (items, i)->len <= 4 ? 1 : 0;
    g_assert_true (sd_fsrs_optimize (items, &config, &short_fit, &error));
    g_assert_cmpint (short_fit.kind, ==, SD_FSRS_FIT_TRAINED);
    g_assert_cmpuint (short_fit.n_train_items, ==, fit.n_train_items);
    g_assert_cmpuint (short_fit.n_batch_items, ==, n_short);
    g_assert_cmpuint (n_short, <, fit.n_train_items);
  }
  config.max_seq_len = 256;

  /* Clipping with several relearning steps caps w17·w18. */
  config.n_relearning_steps = 3;
  g_assert_true (sd_fsrs_optimize (items, &config, &fit, &error));
  check_params_clipped (&fit.params, 3, TRUE);

  /* Without short-term training w17..w19 stay 0 and S0 stays pre-trained. */
  {
    SdFsrsFitResult s0_only;

    config.n_relearning_steps = 1;
    config.short_term = FALSE;
    g_assert_true (sd_fsrs_optimize (items, &config, &fit, &error));
    check_params_clipped (&fit.params, 1, FALSE);
    g_assert_cmpfloat (fit.params.w[17], ==, 0.0);
    g_assert_cmpfloat (fit.params.w[18], ==, 0.0);
    g_assert_cmpfloat (fit.params.w[19], ==, 0.0);

    config.n_epochs = 1;
    config.learning_rate = 0.0;
    g_assert_true (sd_fsrs_optimize (items, &config, &s0_only, &error));
    for (int g = 0; g < 4; g++)
      assert_close (fit.params.w[g], s0_only.params.w[g], 1e-12);
  }
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */
/* ------------------------------------------------------------------------ */

static void
test_evaluate (void)
{
  const SdFsrsReview a[] = { { 3, 0 }, { 3, 5 } };
  const SdFsrsReview b[] = { { 3, 0 }, { 1, 4 }, { 3, 0 }, { 1, 20 } };
  const SdFsrsReview c[] = { { 1, 0 }, { 3, 5 } };
  g_autoptr(SdFsrsItems) items = sd_fsrs_items_new ();
  g_autoptr(GError) error = NULL;
  SdFsrsParams p;
  SdFsrsMetrics m;
  SdFsrsState s;
  double ra, rb, rc, w[3], loss, weighted, gap_ac, gap_b;

  sd_fsrs_params_init_default (&p);
  g_assert_true (sd_fsrs_items_add (items, 1, T0, a, 2, NULL));
  g_assert_true (sd_fsrs_items_add (items, 2, T0 + 1, b, 4, NULL));
  g_assert_true (sd_fsrs_items_add (items, 3, T0 + 2, c, 2, NULL));

  ra = sd_fsrs_retrievability (&p, 5, sd_fsrs_init_stability (&p, 3));
  s = sd_fsrs_next_state (&p, NULL, 0, 3);
  s = sd_fsrs_next_state (&p, &s, 4, 1);
  s = sd_fsrs_next_state (&p, &s, 0, 3);
  rb = sd_fsrs_retrievability (&p, 20, s.stability);
  rc = sd_fsrs_retrievability (&p, 5, sd_fsrs_init_stability (&p, 1));
  sd_fsrs_recency_weights (3, w);

  g_assert_true (sd_fsrs_evaluate (&p, items, &m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m.n_items, ==, 3);
  loss = -log (ra) - log (1.0 - rb) - log (rc);
  weighted = -w[0] * log (ra) - w[1] * log (1.0 - rb) - w[2] * log (rc);
  assert_close (m.log_loss, loss / 3.0, 1e-12);
  assert_close (m.log_loss_weighted, weighted / (w[0] + w[1] + w[2]), 1e-12);

  /* Bins: a and c share (5 days, 1 long-term review, no lapse); b has
   * 20 days, 2 long-term reviews and a lapse. */
  gap_ac = (ra + rc) / 2.0 - 1.0;
  gap_b = rb - 0.0;
  assert_close (m.rmse_bins,
                sqrt ((gap_ac * gap_ac * (w[0] + w[2]) + gap_b * gap_b * w[1]) /
                      (w[0] + w[1] + w[2])), 1e-12);
  assert_close (m.rmse_bins_unweighted, sqrt ((gap_ac * gap_ac * 2 + gap_b * gap_b) / 3.0), 1e-12);

  {
    g_autoptr(SdFsrsItems) none = sd_fsrs_items_new ();

    g_assert_false (sd_fsrs_evaluate (&p, none, &m, &error));
    g_assert_error (error, SD_FSRS_OPTIMIZER_ERROR, SD_FSRS_OPTIMIZER_ERROR_NOT_ENOUGH_DATA);
  }
}

/* ------------------------------------------------------------------------ */
/* Against fsrs-rs on a real review log                                      */
/* ------------------------------------------------------------------------ */

static char *
shared_file (const char *relative)
{
  const char *shared = g_getenv ("SHARED_DIR");
  g_autofree char *path = NULL;

  if (shared == NULL)
    {
      g_test_skip ("SHARED_DIR is not set; the fixture review logs live there");
      return NULL;
    }
  path = g_build_filename (shared, relative, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf ("%s not found", path);

      g_test_skip (message);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static gboolean
params_from_json (JsonArray    *array,
                  SdFsrsParams *params)
{
  double values[SD_FSRS_N_PARAMS];

  g_assert_cmpuint (json_array_get_length (array), ==, SD_FSRS_N_PARAMS);
  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    values[i] = json_array_get_double_element (array, i);
  return sd_fsrs_params_from_array (params, values, SD_FSRS_N_PARAMS, NULL);
}

/* What the binding's FSRSBinding.evaluate scores: ts-fsrs
 * packages/binding/src/convert.rs prepare_items applies fsrs-rs's
 * filter_outlier to (items with one long-term review, the others) and
 * concatenates the two: the kept one-review items by first rating, then by
 * sub-group size and interval (the filter's walk), then the surviving
 * others in time order. */
typedef struct
{
  guint index, rating, size, delta_t;
} InitKey;

static int
compare_init_keys (gconstpointer a,
                   gconstpointer b)
{
  const InitKey *x = a, *y = b;

  if (x->rating != y->rating)
    return x->rating < y->rating ? -1 : 1;
  if (x->size != y->size)
    return x->size < y->size ? -1 : 1;
  if (x->delta_t != y->delta_t)
    return x->delta_t < y->delta_t ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

static guint
long_term_reviews (const SdFsrsItems *items,
                   guint              index,
                   guint             *first_delta_t)
{
  const SdFsrsItem *item = sd_fsrs_items_get (items, index);
  const SdFsrsReview *r = sd_fsrs_items_reviews (items, item);
  guint n = 0;

  *first_delta_t = 0;
  for (guint j = 0; j < item->len; j++)
    if (r[j].delta_t > 0 && n++ == 0)
      *first_delta_t = r[j].delta_t;
  return n;
}

static SdFsrsItems *
binding_evaluation_items (const SdFsrsItems *items)
{
  guint n = items->items->len;
  g_autofree gboolean *in_train = g_new (gboolean, n);
  g_autofree gboolean *in_init = g_new (gboolean, n);
  g_autoptr(GHashTable) sizes = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = g_new0 (gint64, n);
  g_autoptr(GArray) init = g_array_new (FALSE, FALSE, sizeof (InitKey));
  SdFsrsItems *view = sd_fsrs_items_new ();

  sd_fsrs_outlier_filter (items, in_train, in_init);
  for (guint i = 0; i < n; i++)
    {
      guint dt;

      if (long_term_reviews (items, i, &dt) != 1)
        continue;
      guint size;

      keys[i] = ((gint64) sd_fsrs_items_reviews (items, sd_fsrs_items_get (items, i))[0].rating
                 << 32) | dt;
      size = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, &keys[i]));
      g_hash_table_insert (sizes, &keys[i], GUINT_TO_POINTER (size + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      InitKey key;
      guint dt;

      if (!in_init[i])
        continue;
      long_term_reviews (items, i, &dt);
      key.index = i;
      key.rating = sd_fsrs_items_reviews (items, sd_fsrs_items_get (items, i))[0].rating;
      key.size = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, &keys[i]));
      key.delta_t = dt;
      g_array_append_val (init, key);
    }
  g_array_sort (init, compare_init_keys);

  g_array_append_vals (view->reviews, items->reviews->data, items->reviews->len);
  for (guint i = 0; i < init->len; i++)
    g_array_append_val (view->items, g_array_index (items->items, SdFsrsItem,
                                                    g_array_index (init, InitKey, i).index));
  for (guint i = 0; i < n; i++)
    {
      guint dt;

      if (in_train[i] && long_term_reviews (items, i, &dt) > 1)
        g_array_append_val (view->items, g_array_index (items->items, SdFsrsItem, i));
    }
  return view;
}

static void
test_reference_josh (void)
{
  g_autofree char *csv = shared_file ("fixtures/revlogs/pyfsrs-josh.csv");
  g_autofree char *fixture = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *csv_sha = NULL;
  g_autofree char *items_sha = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SdFsrsItems) items = NULL;
  g_autoptr(SdFsrsItems) view = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root, *meta, *reference, *defaults_ref;
  SdFsrsParams ref_params, d;
  SdFsrsFitResult fit;
  SdFsrsMetrics ours, theirs, m;
  gsize length;
  gint64 start;
  double seconds;

  if (csv == NULL)
    return;

  fixture = g_test_build_filename (G_TEST_DIST, "fsrs-oracle", "optimizer-josh.json", NULL);
  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, fixture, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  meta = json_object_get_object_member (root, "meta");
  reference = json_object_get_object_member (root, "reference");
  defaults_ref = json_object_get_object_member (root, "defaults");

  /* The fixture belongs to this log and these items. */
  g_assert_true (g_file_get_contents (csv, &contents, &length, &error));
  csv_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  g_assert_cmpstr (csv_sha, ==, json_object_get_string_member (meta, "log_sha256"));
  items = sd_fsrs_items_from_csv_data (contents, length, csv,
                                       (int) json_object_get_int_member (meta, "day_start_hour"),
                                       (int) json_object_get_int_member (meta, "tz_offset_min"),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (items->items->len, ==, json_object_get_int_member (meta, "items"));
  items_sha = items_sha256 (items);
  g_assert_cmpstr (items_sha, ==, json_object_get_string_member (meta, "items_sha256"));

  /* Our fit, scored by our evaluator next to fsrs-rs's fit of the same
   * items: our mean log loss must not be worse. */
  g_assert_true (params_from_json (json_object_get_array_member (reference, "params"),
                                   &ref_params));
  start = g_get_monotonic_time ();
  g_assert_true (sd_fsrs_optimize (items, NULL, &fit, &error));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_no_error (error);
  g_assert_cmpint (fit.kind, ==, SD_FSRS_FIT_TRAINED);
  g_assert_true (sd_fsrs_evaluate (&fit.params, items, &ours, &error));
  g_assert_true (sd_fsrs_evaluate (&ref_params, items, &theirs, &error));
  g_test_message ("josh: ours log loss %.6f (weighted %.6f) RMSE(bins) %.6f in %.4f s; "
                  "fsrs-rs log loss %.6f (weighted %.6f) RMSE(bins) %.6f in %.4f s (binding)",
                  ours.log_loss, ours.log_loss_weighted, ours.rmse_bins, seconds,
                  theirs.log_loss, theirs.log_loss_weighted, theirs.rmse_bins,
                  json_object_get_double_member (reference, "seconds_min"));
  g_assert_cmpfloat (ours.log_loss, <=, theirs.log_loss);
  g_assert_cmpfloat (ours.log_loss_weighted, <=, theirs.log_loss_weighted);

  /* Our evaluator against the binding's on the list the binding scores. */
  view = binding_evaluation_items (items);
  g_assert_true (sd_fsrs_evaluate (&ref_params, view, &m, &error));
  assert_close (m.log_loss_weighted, json_object_get_double_member (reference, "log_loss_weighted"),
                REF_REL_TOL);
  assert_close (m.rmse_bins, json_object_get_double_member (reference, "rmse_bins"), REF_REL_TOL);
  sd_fsrs_params_init_default (&d);
  g_assert_true (sd_fsrs_evaluate (&d, view, &m, &error));
  assert_close (m.log_loss_weighted,
                json_object_get_double_member (defaults_ref, "log_loss_weighted"), REF_REL_TOL);
  assert_close (m.rmse_bins, json_object_get_double_member (defaults_ref, "rmse_bins"),
                REF_REL_TOL);
}

/* ------------------------------------------------------------------------ */
/* Collection                                                                */
/* ------------------------------------------------------------------------ */

static void
exec_sql (SdCollection *collection,
          const char   *sql)
{
  g_autoptr(GError) error = NULL;

  if (!sd_collection_exec (collection, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static void
add_revlog (SdCollection *collection,
            gint64        id,
            gint64        card_id,
            int           rating,
            SdRevlogKind  kind,
            int           ease)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO revlog (id, card_id, rating, kind, "
                                          "interval, last_interval, ease) VALUES (%"
                                          G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                                          ", %d, %d, 1, 0, %d)",
                                          id, card_id, rating, kind, ease);

  exec_sql (collection, sql);
}

static void
test_collection (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdFsrsItems) items = NULL;
  g_autoptr(SdFsrsItems) other = NULL;
  g_autoptr(GError) error = NULL;
  gint64 notetype = sd_collection_scalar (collection, "SELECT min(id) FROM notetypes", 0);
  g_autofree char *note_sql = g_strdup_printf ("INSERT INTO notes (id, guid, notetype_id, "
                                               "fields, mtime) VALUES (1, 'g1', %"
                                               G_GINT64_FORMAT ", 'a\x1f" "b', 0), "
                                               "(2, 'g2', %" G_GINT64_FORMAT ", 'c\x1f" "d', 0)",
                                               notetype, notetype);
  /* Rollover at midnight in "Languages"; the default preset keeps 4 a.m. */
  const char * const expected[] = {
    "3,0;3,1",          /* card 11: 23:30 then 00:30 is a new day at midnight */
    "3,0;3,1;1,1",
    "1,0;3,0;3,3",      /* card 12: after the reset */
    NULL
  };

  g_assert_cmpint (notetype, >, 0);
  exec_sql (collection, "INSERT INTO presets (id, name, rollover_hour, mtime) "
                        "VALUES (2, 'Languages', 0, 0)");
  exec_sql (collection, "INSERT INTO decks (id, name, preset_id, mtime) "
                        "VALUES (2, 'French', 2, 0)");
  exec_sql (collection, note_sql);
  exec_sql (collection, "INSERT INTO cards (id, note_id, deck_id, ord, mtime) VALUES "
                        "(11, 1, 2, 0, 0), (12, 2, 2, 0, 0), (13, 2, 1, 1, 0)");

  /* 2024-01-01 23:30 UTC, then 00:30 the next day. */
  add_revlog (collection, T0 + 13 * HOUR + 30 * MINUTE, 11, 3, SD_REVLOG_LEARNING, 0);
  add_revlog (collection, T0 + 14 * HOUR + 30 * MINUTE, 11, 3, SD_REVLOG_LEARNING, 0);
  add_revlog (collection, T0 + 2 * DAY + HOUR, 11, 1, SD_REVLOG_REVIEW, 2500);
  add_revlog (collection, T0, 12, 3, SD_REVLOG_LEARNING, 0);
  add_revlog (collection, T0 + 2 * DAY, 12, 3, SD_REVLOG_REVIEW, 2500);
  add_revlog (collection, T0 + 3 * DAY, 12, 0, SD_REVLOG_MANUAL, 0);
  add_revlog (collection, T0 + 4 * DAY, 12, 1, SD_REVLOG_LEARNING, 0);
  add_revlog (collection, T0 + 4 * DAY + 10 * MINUTE, 12, 3, SD_REVLOG_LEARNING, 0);
  add_revlog (collection, T0 + 7 * DAY, 12, 3, SD_REVLOG_REVIEW, 2500);
  add_revlog (collection, T0 + 1, 13, 3, SD_REVLOG_LEARNING, 0);
  add_revlog (collection, T0 + 5 * DAY, 13, 3, SD_REVLOG_REVIEW, 2500);

  items = sd_fsrs_items_from_collection (collection, 2, &error);
  g_assert_no_error (error);
  assert_items (items, expected);

  other = sd_fsrs_items_from_collection (collection, 1, &error);
  g_assert_no_error (error);
  {
    const char * const expected_other[] = { "3,0;3,5", NULL };

    assert_items (other, expected_other);
  }

  g_assert_null (sd_fsrs_items_from_collection (collection, 99, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND);

  g_clear_object (&collection);
  sd_test_rm_rf (dir);
}

/* ------------------------------------------------------------------------ */
/* CLI                                                                       */
/* ------------------------------------------------------------------------ */

static int
run_cli (gboolean    evaluate,
         const char *collection_path,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) (evaluate ? "evaluate" : "optimize"));
  va_start (ap, collection_path);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  if (evaluate)
    return sd_cli_fsrs_evaluate ((int) args->len - 1, (char **) args->pdata);
  return sd_cli_fsrs_optimize (collection_path, (int) args->len - 1, (char **) args->pdata);
}

static void
write_log (const char *path)
{
  g_autoptr(GString) csv = g_string_new ("review_state,card_id,review_time,review_rating\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  for (int c = 0; c < 150; c++)
    {
      gint64 t = T0 + g_rand_int_range (rand, 0, 200) * DAY;

      g_string_append_printf (csv, "1,%d,%" G_GINT64_FORMAT ",3\n", c, t);
      for (int k = 0; k < 6; k++)
        {
          t += g_rand_int_range (rand, 1, 30) * DAY;
          g_string_append_printf (csv, "2,%d,%" G_GINT64_FORMAT ",%d\n", c, t,
                                  g_rand_double (rand) < 0.15 ? 1 : 3);
        }
    }
  sd_test_write_file (path, csv->str);
}

/* The command each CLI case runs, in a child process. */
static int
cli_child (const char *mode)
{
  const char *dir = g_getenv ("SD_TEST_CLI_DIR");
  g_autofree char *log = g_build_filename (dir, "log.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *db = g_build_filename (dir, "collection.db", NULL);

  if (g_str_equal (mode, "optimize"))
    return run_cli (FALSE, NULL, log, "--json", NULL);
  if (g_str_equal (mode, "evaluate"))
    return run_cli (TRUE, NULL, log, "--params", "[0.212, 1.2931, 2.3065, 8.2956, 6.4133, "
                    "0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, "
                    "1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]", "--json", NULL);
  if (g_str_equal (mode, "bad-csv"))
    return run_cli (FALSE, NULL, bad, "--json", NULL);
  if (g_str_equal (mode, "usage"))
    return run_cli (FALSE, NULL, log, "--preset", "Default", NULL);
  if (g_str_equal (mode, "preset"))
    return run_cli (FALSE, db, "--preset", "Default", "--json", "--apply", NULL);
  if (g_str_equal (mode, "no-preset"))
    return run_cli (FALSE, db, "--preset", "Nope", NULL);
  g_assert_not_reached ();
}

static void
test_cli (gconstpointer data)
{
  const char *mode = data;
  const char *dir = g_getenv ("SD_TEST_CLI_DIR");
  g_autofree char *log = g_build_filename (dir, "log.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(SdPreset) preset = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    exit (cli_child (mode));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_log (log);
  sd_test_write_file (bad, "card_id,review_time,review_rating\n1,100,3\n1,200,9\n");
  /* A new collection with an empty review log. */
  collection = sd_test_open_collection (dir);
  g_clear_object (&collection);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);

  if (g_str_equal (mode, "optimize"))
    {
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("{\"params\": [*, *], \"log_loss\": 0.*, "
                                 "\"rmse_bins\": 0.*, \"items\": 900, \"seconds\": *}\n");
    }
  else if (g_str_equal (mode, "evaluate"))
    {
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("{\"params\": [0.212, 1.2931, *, 0.1542], \"log_loss\": 0.*, "
                                 "\"rmse_bins\": 0.*, \"items\": 900, \"seconds\": *}\n");
    }
  else if (g_str_equal (mode, "bad-csv"))
    {
      g_test_trap_assert_failed ();
      g_test_trap_assert_stdout ("");
      g_test_trap_assert_stderr ("*bad.csv:3: review_rating 9 is out of range*");
    }
  else if (g_str_equal (mode, "usage"))
    {
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr ("*either FILE.csv or --preset*");
    }
  else if (g_str_equal (mode, "preset"))
    {
      /* No reviews: the defaults, no metrics; --apply stores them. */
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("{\"params\": [0.212, *, 0.1542], \"log_loss\": null, "
                                 "\"rmse_bins\": null, \"items\": 0, \"seconds\": *}\n");
      collection = sd_test_open_collection (dir);
      preset = sd_preset_load (collection, SD_PRESET_DEFAULT_ID, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (preset->fsrs_params, "[0.212, 1.2931, "));
      g_clear_object (&collection);
    }
  else if (g_str_equal (mode, "no-preset"))
    {
      g_test_trap_assert_failed ();
      g_test_trap_assert_stderr ("*no options preset named*Nope*");
    }

  sd_test_rm_rf (dir);
}

static const char * const cli_modes[] = {
  "optimize", "evaluate", "bad-csv", "usage", "preset", "no-preset",
};

int
main (int    argc,
      char **argv)
{
  /* Collection day numbers follow the local time zone. The CLI test's
   * folder is named before any thread exists; child processes inherit it. */
  g_setenv ("TZ", "UTC", TRUE);
  if (g_getenv ("SD_TEST_CLI_DIR") == NULL)
    {
      g_autofree char *name = g_strdup_printf ("studydeck-fsrs-cli-%d", (int) getpid ());
      g_autofree char *dir = g_build_filename (g_get_tmp_dir (), name, NULL);

      g_setenv ("SD_TEST_CLI_DIR", dir, TRUE);
    }
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/fsrs-optimizer/items-same-day", test_items_same_day);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-first-review", test_items_first_review);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-reset", test_items_reset);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-kinds", test_items_kinds);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-rollover", test_items_rollover);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-order", test_items_order);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-add", test_items_add);
  g_test_add_func ("/studydeck/fsrs-optimizer/items-collection", test_collection);
  g_test_add_func ("/studydeck/fsrs-optimizer/csv-columns", test_csv_columns);
  g_test_add_func ("/studydeck/fsrs-optimizer/csv-errors", test_csv_errors);
  g_test_add_func ("/studydeck/fsrs-optimizer/loss-matches-model", test_loss_matches_model);
  g_test_add_func ("/studydeck/fsrs-optimizer/loss-gradient", test_loss_gradient);
  g_test_add_func ("/studydeck/fsrs-optimizer/l2-penalty", test_l2_penalty);
  g_test_add_func ("/studydeck/fsrs-optimizer/recency-weights", test_recency_weights);
  g_test_add_func ("/studydeck/fsrs-optimizer/outlier-filter", test_outlier_filter);
  g_test_add_func ("/studydeck/fsrs-optimizer/initial-stability", test_initial_stability);
  g_test_add_func ("/studydeck/fsrs-optimizer/smooth-and-fill", test_smooth_and_fill);
  g_test_add_func ("/studydeck/fsrs-optimizer/thresholds", test_thresholds);
  g_test_add_func ("/studydeck/fsrs-optimizer/determinism", test_determinism);
  g_test_add_func ("/studydeck/fsrs-optimizer/training", test_training);
  g_test_add_func ("/studydeck/fsrs-optimizer/evaluate", test_evaluate);
  g_test_add_func ("/studydeck/fsrs-optimizer/reference-josh", test_reference_josh);
  for (guint i = 0; i < G_N_ELEMENTS (cli_modes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/studydeck/fsrs-optimizer/cli-%s", cli_modes[i]);

      g_test_add_data_func (path, cli_modes[i], test_cli);
    }

  return g_test_run ();
}
