/* sd-fsrs.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sd-fsrs.h"

G_DEFINE_QUARK (sd-fsrs-error-quark, sd_fsrs_error)

/* FSRS-6 defaults, the per-parameter medians over the srs-benchmark collections
 * (identical in fsrs-rs DEFAULT_PARAMETERS and ts-fsrs default_w). */
static const double default_w[SD_FSRS_N_PARAMS] = {
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
  0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
  0.1542,
};

/* FSRS-4.5 and FSRS-5 used a fixed decay of 0.5. */
#define FSRS5_DECAY 0.5

/* Parameter clipping bounds (fsrs-rs parameter_clipper.rs). The upper bound of
 * w17/w18 and the lower bound of w19 depend on the call and are filled in. */
static const double clip_low[SD_FSRS_N_PARAMS] = {
  0.001, 0.001, 0.001, 0.001, 1.0, 0.001, 0.001, 0.001, 0.0, 0.0, 0.001,
  0.001, 0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.1,
};
static const double clip_high[SD_FSRS_N_PARAMS] = {
  100.0, 100.0, 100.0, 100.0, 10.0, 4.0, 4.0, 0.75, 4.5, 0.8, 3.5,
  5.0, 0.25, 0.9, 4.0, 1.0, 6.0, 2.0, 2.0, 0.8, 0.8,
};

/**
 * sd_fsrs_params_init_default:
 * @params: (out caller-allocates): the parameters to fill
 *
 * Fills @params with the FSRS-6 default parameters.
 */
void
sd_fsrs_params_init_default (SdFsrsParams *params)
{
  g_return_if_fail (params != NULL);

  memcpy (params->w, default_w, sizeof default_w);
}

/**
 * sd_fsrs_params_from_array:
 * @params: (out caller-allocates): the parameters to fill
 * @values: (array length=n_values): 17, 19 or 21 numbers
 * @n_values: number of @values
 * @error: return location for an error
 *
 * Loads a parameter vector the way fsrs-rs `FSRS::new` does: a 19-number
 * (FSRS-5) vector gets w19 = 0 and w20 = 0.5; a 17-number (FSRS-4.5) vector
 * gets w4 += 2·w5, w5 = ln(1 + 3·w5)/3, w6 += 0.5 and w17..w20 = 0, 0, 0, 0.5.
 * The result is then clipped with one relearning step and short-term
 * training off (sd_fsrs_params_clip()).
 *
 * Any other length, or a value that is not finite, is refused with
 * %SD_FSRS_ERROR_INVALID_PARAMETERS and @params is left unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
sd_fsrs_params_from_array (SdFsrsParams  *params,
                           const double  *values,
                           gsize          n_values,
                           GError       **error)
{
  SdFsrsParams p = { { 0 } };

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (values != NULL || n_values == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_values != 17 && n_values != 19 && n_values != 21)
    {
      g_set_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS,
                   _("FSRS parameters: expected 17, 19 or 21 numbers, got %" G_GSIZE_FORMAT),
                   n_values);
      return FALSE;
    }

  for (gsize i = 0; i < n_values; i++)
    {
      if (!isfinite (values[i]))
        {
          g_set_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS,
                       _("FSRS parameters: w%" G_GSIZE_FORMAT " is not a finite number"), i);
          return FALSE;
        }
      p.w[i] = values[i];
    }

  if (n_values == 17)
    {
      p.w[4] = fma (p.w[5], 2.0, p.w[4]);
      p.w[5] = log (fma (p.w[5], 3.0, 1.0)) / 3.0;
      p.w[6] += 0.5;
      p.w[17] = 0.0;
      p.w[18] = 0.0;
    }
  if (n_values < 21)
    {
      p.w[19] = 0.0;
      p.w[20] = FSRS5_DECAY;
    }

  /* The conversion can leave the finite range (w5 <= -1/3 for FSRS-4.5). */
  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    {
      if (!isfinite (p.w[i]))
        {
          g_set_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS,
                       _("FSRS parameters: w%u is not a finite number after converting "
                         "the %" G_GSIZE_FORMAT "-number vector"), i, n_values);
          return FALSE;
        }
    }

  sd_fsrs_params_clip (&p, 1, FALSE);
  *params = p;

  return TRUE;
}

/**
 * sd_fsrs_params_parse_json:
 * @params: (out caller-allocates): the parameters to fill
 * @json_array: a JSON array of 17, 19 or 21 numbers, e.g. `"[0.212, 1.2931, …]"`
 * @error: return location for an error
 *
 * Parses @json_array and loads it with sd_fsrs_params_from_array().
 *
 * Returns: %TRUE on success
 */
gboolean
sd_fsrs_params_parse_json (SdFsrsParams  *params,
                           const char    *json_array,
                           GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree double *values = NULL;
  JsonNode *root;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (json_array != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json_array, -1, &local_error))
    {
      g_set_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS,
                   _("FSRS parameters: not valid JSON: %s"), local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS,
                           _("FSRS parameters: expected a JSON array of numbers"));
      return FALSE;
    }

  array = json_node_get_array (root);
  n = json_array_get_length (array);
  values = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          (json_node_get_value_type (element) != G_TYPE_DOUBLE &&
           json_node_get_value_type (element) != G_TYPE_INT64))
        {
          g_set_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS,
                       _("FSRS parameters: element %u (w%u) is not a number"), i + 1, i);
          return FALSE;
        }
      values[i] = json_node_get_double (element);
    }

  return sd_fsrs_params_from_array (params, values, n, error);
}

/**
 * sd_fsrs_params_clip:
 * @params: the parameters to clip in place
 * @n_relearning_steps: number of relearning steps of the deck
 * @short_term: whether short-term (same-day) parameters are trained
 *
 * Clamps every parameter into its bounds (fsrs-rs `clip_parameters`). With
 * more than one relearning step, w17 and w18 are capped at
 * min(2, sqrt(max(0.01, -(ln w11 + ln(2^w13 - 1) + 0.3·w14) / n))) so that a
 * lapse followed by n same-day Goods cannot end above the pre-lapse
 * stability. w19 is at least 0.01 when @short_term is set, else at least 0.
 */
void
sd_fsrs_params_clip (SdFsrsParams *params,
                     guint         n_relearning_steps,
                     gboolean      short_term)
{
  double ceiling = 2.0;

  g_return_if_fail (params != NULL);

  if (n_relearning_steps > 1)
    {
      const double *w = params->w;
      double value = -(log (w[11]) + log (pow (2.0, w[13]) - 1.0) + w[14] * 0.3)
                     / n_relearning_steps;

      /* fmax/fmin drop a NaN operand like Rust's f32::max/min do. */
      ceiling = fmin (sqrt (fmax (value, 0.01)), 2.0);
    }

  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    {
      double low = clip_low[i];
      double high = clip_high[i];

      if (i == 17 || i == 18)
        high = ceiling;
      else if (i == 19 && short_term)
        low = 0.01;

      params->w[i] = CLAMP (params->w[i], low, high);
    }
}

/* The curve passes through R(S, S) = 0.9 for every decay: F = 0.9^(-1/d) - 1. */
static inline double
curve_factor (const SdFsrsParams *params)
{
  return exp (log (0.9) / -params->w[20]) - 1.0;
}

/**
 * sd_fsrs_retrievability:
 * @params: the parameters
 * @elapsed_days: days since the last review
 * @stability: the stability, in days
 *
 * The forgetting curve R(t, S) = (1 + F·t/S)^(-w20), F = 0.9^(-1/w20) - 1.
 *
 * Returns: the probability of recall, 1 at @elapsed_days <= 0
 */
double
sd_fsrs_retrievability (const SdFsrsParams *params,
                        double              elapsed_days,
                        double              stability)
{
  g_return_val_if_fail (params != NULL, 0.0);

  if (elapsed_days <= 0.0)
    return 1.0;
  if (stability <= 0.0)
    return 0.0;

  return pow (elapsed_days / stability * curve_factor (params) + 1.0, -params->w[20]);
}

/**
 * sd_fsrs_init_stability:
 * @params: the parameters
 * @rating: the first rating, 1..4
 *
 * Returns: S0(G) = w[G-1], clamped to [%SD_FSRS_S_MIN, %SD_FSRS_S_MAX]
 */
double
sd_fsrs_init_stability (const SdFsrsParams *params,
                        int                 rating)
{
  g_return_val_if_fail (params != NULL, SD_FSRS_S_MIN);

  rating = CLAMP (rating, 1, 4);
  return CLAMP (params->w[rating - 1], SD_FSRS_S_MIN, SD_FSRS_S_MAX);
}

/* D0(G) without the clamp: mean reversion targets the unclamped D0(4). */
static inline double
init_difficulty_raw (const SdFsrsParams *params,
                     int                 rating)
{
  return params->w[4] - exp (params->w[5] * (rating - 1)) + 1.0;
}

/**
 * sd_fsrs_init_difficulty:
 * @params: the parameters
 * @rating: the first rating, 1..4
 *
 * Returns: D0(G) = w4 - exp(w5·(G-1)) + 1, clamped to [1, 10]
 */
double
sd_fsrs_init_difficulty (const SdFsrsParams *params,
                         int                 rating)
{
  g_return_val_if_fail (params != NULL, SD_FSRS_D_MIN);

  rating = CLAMP (rating, 1, 4);
  return CLAMP (init_difficulty_raw (params, rating), SD_FSRS_D_MIN, SD_FSRS_D_MAX);
}

/**
 * sd_fsrs_next_difficulty:
 * @params: the parameters
 * @difficulty: the difficulty before the review
 * @rating: the rating, 1..4
 *
 * Difficulty after a review: the change -w6·(G-3) damped linearly by
 * (10 - D)/9, then reverted toward the unclamped D0(4) with weight w7, then
 * clamped to [1, 10].
 *
 * Returns: the new difficulty
 */
double
sd_fsrs_next_difficulty (const SdFsrsParams *params,
                         double              difficulty,
                         int                 rating)
{
  const double *w;
  double delta, damped;

  g_return_val_if_fail (params != NULL, difficulty);

  w = params->w;
  delta = -w[6] * (rating - 3);
  damped = difficulty + (10.0 - difficulty) * delta / 9.0;
  damped = w[7] * (init_difficulty_raw (params, 4) - damped) + damped;

  return CLAMP (damped, SD_FSRS_D_MIN, SD_FSRS_D_MAX);
}

/**
 * sd_fsrs_short_term_stability:
 * @params: the parameters
 * @stability: the stability before a same-day review
 * @rating: the rating, 1..4
 *
 * Same-day stability: S·SInc with SInc = exp(w17·(G - 3 + w18))·S^(-w19),
 * SInc floored at 1 for Hard, Good and Easy. Not clamped.
 *
 * Returns: the new stability
 */
double
sd_fsrs_short_term_stability (const SdFsrsParams *params,
                              double              stability,
                              int                 rating)
{
  const double *w;
  double sinc;

  g_return_val_if_fail (params != NULL, stability);

  w = params->w;
  sinc = exp (w[17] * (rating - 3.0 + w[18])) * pow (stability, -w[19]);
  if (rating >= SD_FSRS_RATING_HARD)
    sinc = MAX (sinc, 1.0);

  return stability * sinc;
}

static double
stability_after_success (const double *w,
                         double        s,
                         double        d,
                         double        r,
                         int           rating)
{
  double hard_penalty = rating == SD_FSRS_RATING_HARD ? w[15] : 1.0;
  double easy_bonus = rating == SD_FSRS_RATING_EASY ? w[16] : 1.0;

  return s * (exp (w[8]) * (11.0 - d) * pow (s, -w[9]) * (exp ((1.0 - r) * w[10]) - 1.0)
              * hard_penalty * easy_bonus + 1.0);
}

static double
stability_after_failure (const double *w,
                         double        s,
                         double        d,
                         double        r)
{
  double s_forget = w[11] * pow (d, -w[12]) * (pow (s + 1.0, w[13]) - 1.0)
                    * exp ((1.0 - r) * w[14]);
  /* A lapse never ends above the stability that a same-day Again could
   * reach; with w17 = w18 = 0 that is S itself. */
  double s_cap = s / exp (w[17] * w[18]);

  return MIN (s_forget, s_cap);
}

/**
 * sd_fsrs_next_state:
 * @params: the parameters
 * @state: (nullable): the memory state before the review; %NULL or a
 *   stability of 0 means a new card
 * @delta_t: whole days since the previous review (ignored for a new card)
 * @rating: an #SdFsrsRating, 0..4
 *
 * One review, in the order of fsrs-rs `step`: the incoming state is clamped
 * to [%SD_FSRS_S_MIN, %SD_FSRS_S_MAX] × [1, 10]; @delta_t = 0 selects the
 * same-day formula for every rating, otherwise Again uses the lapse formula
 * (capped at S/exp(w17·w18)) and the other ratings the success formula; the
 * difficulty follows sd_fsrs_next_difficulty(). A new card gets S0 and D0.
 * Rating 0 (manual) returns the clamped incoming state. The new stability is
 * clamped to [%SD_FSRS_S_MIN, %SD_FSRS_S_MAX].
 *
 * Returns: the memory state after the review
 */
SdFsrsState
sd_fsrs_next_state (const SdFsrsParams *params,
                    const SdFsrsState  *state,
                    guint               delta_t,
                    int                 rating)
{
  SdFsrsState next = { 0.0, 0.0 };
  double last_s, last_d, r;

  g_return_val_if_fail (params != NULL, next);
  g_return_val_if_fail (rating >= 0 && rating <= 4, state != NULL ? *state : next);

  if (state != NULL)
    next = *state;

  last_s = CLAMP (next.stability, SD_FSRS_S_MIN, SD_FSRS_S_MAX);
  last_d = CLAMP (next.difficulty, SD_FSRS_D_MIN, SD_FSRS_D_MAX);

  if (rating == SD_FSRS_RATING_MANUAL)
    {
      next.stability = last_s;
      next.difficulty = last_d;
      return next;
    }

  if (state == NULL || state->stability == 0.0)
    {
      next.stability = sd_fsrs_init_stability (params, rating);
      next.difficulty = sd_fsrs_init_difficulty (params, rating);
      return next;
    }

  if (delta_t == 0)
    {
      next.stability = sd_fsrs_short_term_stability (params, last_s, rating);
    }
  else
    {
      r = sd_fsrs_retrievability (params, delta_t, last_s);
      if (rating == SD_FSRS_RATING_AGAIN)
        next.stability = stability_after_failure (params->w, last_s, last_d, r);
      else
        next.stability = stability_after_success (params->w, last_s, last_d, r, rating);
    }

  next.stability = CLAMP (next.stability, SD_FSRS_S_MIN, SD_FSRS_S_MAX);
  next.difficulty = sd_fsrs_next_difficulty (params, last_d, rating);

  return next;
}

/**
 * sd_fsrs_interval:
 * @params: the parameters
 * @stability: the stability, in days
 * @desired_retention: the recall probability at which the card is due, in (0, 1]
 *
 * Inverts the forgetting curve: I = S/F·(r^(-1/w20) - 1). Equals @stability
 * at a desired retention of 0.9. Neither rounded nor clamped.
 *
 * Returns: the interval in (fractional) days
 */
double
sd_fsrs_interval (const SdFsrsParams *params,
                  double              stability,
                  double              desired_retention)
{
  g_return_val_if_fail (params != NULL, 0.0);
  g_return_val_if_fail (desired_retention > 0.0 && desired_retention <= 1.0, 0.0);

  /* The same expression as curve_factor() for r, so that r = 0.9 gives
   * exactly S (an interval of exactly 1.5 days must round up). */
  return stability * ((exp (log (desired_retention) / -params->w[20]) - 1.0)
                      / curve_factor (params));
}

/**
 * sd_fsrs_round_interval:
 * @interval: an unrounded interval in days
 * @max_interval: the maximum interval (values below 1 count as 1)
 *
 * Rounds half away from zero, then clamps to [1, @max_interval].
 *
 * Returns: the interval in whole days
 */
int
sd_fsrs_round_interval (double interval,
                        int    max_interval)
{
  max_interval = MAX (max_interval, 1);

  if (isnan (interval) || interval < 1.0)
    return 1;
  if (interval >= (double) max_interval)
    return max_interval;

  return CLAMP ((int) round (interval), 1, max_interval);
}

/**
 * sd_fsrs_fuzz_delta:
 * @interval: an interval in days
 *
 * Anki's fuzz half-width: 0 below 2.5 days, else 1 plus 0.15 per day in
 * [2.5, 7], 0.10 per day in [7, 20] and 0.05 per day above 20.
 *
 * Returns: the half-width in days
 */
double
sd_fsrs_fuzz_delta (double interval)
{
  static const struct { double start, end, factor; } ranges[] = {
    { 2.5, 7.0, 0.15 },
    { 7.0, 20.0, 0.10 },
    { 20.0, HUGE_VAL, 0.05 },
  };
  double delta = 1.0;

  if (!(interval >= 2.5))
    return 0.0;

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    delta += ranges[i].factor * MAX (MIN (interval, ranges[i].end) - ranges[i].start, 0.0);

  return delta;
}

static int
round_to_int (double value)
{
  /* Rust's `as u32` saturates at 0; the callers clamp from above. */
  if (isnan (value) || value <= 0.0)
    return 0;
  if (value >= G_MAXINT)
    return G_MAXINT;
  return (int) round (value);
}

/**
 * sd_fsrs_fuzz_bounds:
 * @interval: the unfuzzed interval in days
 * @minimum: the smallest allowed interval
 * @maximum: the largest allowed interval
 * @lower: (out): the smallest interval fuzz may pick
 * @upper: (out): the largest interval fuzz may pick
 *
 * Anki's `constrained_fuzz_bounds`: @interval is clamped into
 * [@minimum, @maximum] (with @minimum lowered to @maximum if needed), the
 * bounds are round(I ∓ delta) clamped to the same range, and a range of one
 * day above 2 and below @maximum is widened by one day at the top.
 */
void
sd_fsrs_fuzz_bounds (double  interval,
                     int     minimum,
                     int     maximum,
                     int    *lower,
                     int    *upper)
{
  double delta;
  int lo, hi;

  g_return_if_fail (lower != NULL);
  g_return_if_fail (upper != NULL);

  maximum = MAX (maximum, 0);
  minimum = CLAMP (minimum, 0, maximum);
  if (isnan (interval))
    interval = minimum;
  interval = CLAMP (interval, (double) minimum, (double) maximum);

  delta = sd_fsrs_fuzz_delta (interval);
  lo = CLAMP (round_to_int (interval - delta), minimum, maximum);
  hi = CLAMP (round_to_int (interval + delta), minimum, maximum);

  if (hi == lo && hi > 2 && hi < maximum)
    hi = lo + 1;

  *lower = lo;
  *upper = hi;
}

/**
 * sd_fsrs_fuzz_seed:
 * @card_id: the card id
 * @reps: the card's review count
 *
 * The fuzz seed of one answer, as in Anki: @card_id + @reps with wrapping
 * 64-bit addition. The same card and review count always give the same
 * fuzz, so undo/redo and sync reproduce the interval.
 *
 * Returns: the seed
 */
guint64
sd_fsrs_fuzz_seed (guint64 card_id,
                   guint   reps)
{
  return card_id + (guint64) reps;
}

/**
 * sd_fsrs_fuzz_factor:
 * @seed: a seed from sd_fsrs_fuzz_seed()
 *
 * The first output of SplitMix64 (Steele, Lea and Flood 2014) started at
 * @seed, its top 53 bits scaled to [0, 1). Anki draws from Rust's
 * `StdRng` instead, so individual fuzzed days differ from Anki's while the
 * bounds and the distribution are the same.
 *
 * Returns: a number in [0, 1)
 */
double
sd_fsrs_fuzz_factor (guint64 seed)
{
  guint64 z = seed + G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  z ^= z >> 31;

  return (double) (z >> 11) * (1.0 / 9007199254740992.0);
}

/**
 * sd_fsrs_fuzz_interval_with_factor:
 * @interval: the unfuzzed interval in days
 * @minimum: the smallest allowed interval
 * @maximum: the largest allowed interval
 * @factor: a number in [0, 1)
 *
 * Anki's `with_review_fuzz`: floor(lower + @factor·(upper - lower + 1))
 * with the bounds of sd_fsrs_fuzz_bounds(). Below 2.5 days the bounds
 * collapse and the interval is only rounded and clamped.
 *
 * Returns: the fuzzed interval in days
 */
int
sd_fsrs_fuzz_interval_with_factor (double interval,
                                   int    minimum,
                                   int    maximum,
                                   double factor)
{
  int lower, upper;
  double picked;

  sd_fsrs_fuzz_bounds (interval, minimum, maximum, &lower, &upper);
  factor = CLAMP (factor, 0.0, 1.0);
  picked = floor (lower + factor * (upper - lower + 1));

  return CLAMP ((int) picked, lower, upper);
}

/**
 * sd_fsrs_fuzz_interval:
 * @interval: the unfuzzed interval in days
 * @minimum: the smallest allowed interval
 * @maximum: the largest allowed interval
 * @seed: a seed from sd_fsrs_fuzz_seed()
 *
 * sd_fsrs_fuzz_interval_with_factor() with sd_fsrs_fuzz_factor (@seed).
 *
 * Returns: the fuzzed interval in days
 */
int
sd_fsrs_fuzz_interval (double  interval,
                       int     minimum,
                       int     maximum,
                       guint64 seed)
{
  return sd_fsrs_fuzz_interval_with_factor (interval, minimum, maximum,
                                            sd_fsrs_fuzz_factor (seed));
}

static int
constrain_passing_interval (double   interval,
                            int      minimum,
                            int      maximum,
                            gboolean fuzz,
                            double   factor)
{
  /* Anki's min_and_max_review_intervals. */
  maximum = MAX (maximum, 1);
  minimum = CLAMP (minimum, 1, maximum);

  if (fuzz)
    return sd_fsrs_fuzz_interval_with_factor (interval, minimum, maximum, factor);

  return CLAMP (round_to_int (interval), minimum, maximum);
}

/**
 * sd_fsrs_passing_intervals:
 * @hard: the unrounded FSRS interval after Hard
 * @good: the unrounded FSRS interval after Good
 * @easy: the unrounded FSRS interval after Easy
 * @max_interval: the maximum review interval
 * @fuzz: whether to fuzz
 * @seed: the fuzz seed (sd_fsrs_fuzz_seed()); one factor serves all three
 * @out_hard: (out): days after Hard
 * @out_good: (out): days after Good
 * @out_easy: (out): days after Easy
 *
 * Anki's `passing_fsrs_review_intervals`: hard >= 1, good >= hard + 1,
 * easy >= good + 1, each rounded (or fuzzed within its bounds) and at most
 * @max_interval.
 */
void
sd_fsrs_passing_intervals (double    hard,
                           double    good,
                           double    easy,
                           int       max_interval,
                           gboolean  fuzz,
                           guint64   seed,
                           int      *out_hard,
                           int      *out_good,
                           int      *out_easy)
{
  double factor = fuzz ? sd_fsrs_fuzz_factor (seed) : 0.0;
  int h, g, e;

  g_return_if_fail (out_hard != NULL && out_good != NULL && out_easy != NULL);

  h = constrain_passing_interval (hard, 1, max_interval, fuzz, factor);
  g = constrain_passing_interval (good, h + 1, max_interval, fuzz, factor);
  e = constrain_passing_interval (easy, g + 1, max_interval, fuzz, factor);

  *out_hard = h;
  *out_good = g;
  *out_easy = e;
}

/**
 * sd_fsrs_day_number:
 * @epoch_ms: a time in milliseconds since the Unix epoch
 * @day_start_hour: the local hour at which a new day starts (Anki: 4)
 * @tz_offset_minutes_east: the local offset from UTC in minutes, east positive
 *
 * The local calendar day of (@epoch_ms - @day_start_hour hours), counted from
 * 1970-01-01. The difference of two day numbers is the FSRS delta_t; it
 * equals Anki's `days_elapsed` difference while the offset does not change.
 *
 * Returns: the day number
 */
gint64
sd_fsrs_day_number (gint64 epoch_ms,
                    int    day_start_hour,
                    int    tz_offset_minutes_east)
{
  const gint64 day_ms = G_GINT64_CONSTANT (86400000);
  gint64 local = epoch_ms + (gint64) tz_offset_minutes_east * 60000
                 - (gint64) day_start_hour * 3600000;
  gint64 day = local / day_ms;

  /* Floor division: times before the epoch belong to negative days. */
  if (local % day_ms < 0)
    day -= 1;

  return day;
}
