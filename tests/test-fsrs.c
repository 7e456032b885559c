/* test-fsrs.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <json-glib/json-glib.h>

#include "sd-fsrs.h"

/* Our model is double precision; fsrs-rs is f32 and ts-fsrs rounds to 8
 * decimals, so both agree with us to about 1e-5 relative (fsrs.md §19). */
#define REL_TOL 1e-4

/* ts-fsrs floors the first stability at 0.1 (its init_stability), fsrs-rs
 * and we at SD_FSRS_S_MIN. */
#define TS_S0_FLOOR 0.1

static const double default_w[SD_FSRS_N_PARAMS] = {
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
  0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
  0.1542,
};

static double
rel_err (double ours,
         double ref)
{
  if (ours == ref)
    return 0.0;
  return fabs (ours - ref) / MAX (fabs (ref), 1e-12);
}

#define assert_close(ours, ref, tol) \
  G_STMT_START { \
    double _o = (ours), _r = (ref); \
    if (!(rel_err (_o, _r) <= (tol))) \
      g_error ("%s:%d: %s = %.9g, expected %.9g (relative error %.3g > %.3g)", \
               __FILE__, __LINE__, #ours, _o, _r, rel_err (_o, _r), (double) (tol)); \
  } G_STMT_END

static void
test_defaults (void)
{
  SdFsrsParams p;
  const double s0[] = { 0.212, 1.2931, 2.3065, 8.2956 };
  const double d0[] = { 6.4133, 5.11217, 2.11810, 1.0 };

  sd_fsrs_params_init_default (&p);
  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    g_assert_cmpfloat (p.w[i], ==, default_w[i]);

  /* fsrs.md §4, ts "first repeat". */
  for (int g = 1; g <= 4; g++)
    {
      SdFsrsState st = sd_fsrs_next_state (&p, NULL, 0, g);
      SdFsrsState zero = { 0.0, 0.0 };
      SdFsrsState st2 = sd_fsrs_next_state (&p, &zero, 17, g);

      assert_close (st.stability, s0[g - 1], 1e-9);
      assert_close (st.difficulty, d0[g - 1], 1e-5);
      assert_close (sd_fsrs_init_stability (&p, g), s0[g - 1], 1e-9);
      assert_close (sd_fsrs_init_difficulty (&p, g), d0[g - 1], 1e-5);
      /* A stability of 0 is a new card whatever the elapsed time. */
      g_assert_cmpfloat (st2.stability, ==, st.stability);
      g_assert_cmpfloat (st2.difficulty, ==, st.difficulty);
    }
}

static void
test_next_difficulty (void)
{
  SdFsrsParams p;
  const double expected[] = { 8.341763, 6.6659956, 4.990228, 3.3144615 };

  sd_fsrs_params_init_default (&p);
  /* fsrs.md §5, rs test_next_difficulty. */
  for (int g = 1; g <= 4; g++)
    {
      SdFsrsState st = { 5.0, 5.0 };

      assert_close (sd_fsrs_next_difficulty (&p, 5.0, g), expected[g - 1], 2e-7);
      /* Same update on a same-day and on a long-term review. */
      assert_close (sd_fsrs_next_state (&p, &st, 0, g).difficulty, expected[g - 1], 2e-7);
      assert_close (sd_fsrs_next_state (&p, &st, 9, g).difficulty, expected[g - 1], 2e-7);
    }

  /* Damping stops growth at 10, mean reversion then pulls below it; Easy
   * from 1 falls under 1 and is clamped. */
  assert_close (sd_fsrs_next_difficulty (&p, 10.0, 1),
                10.0 + 0.001 * (6.4133 - exp (3 * 0.8334) + 1.0 - 10.0), 1e-12);
  g_assert_cmpfloat (sd_fsrs_next_difficulty (&p, 1.0, 4), ==, 1.0);
  /* Upper clamp: a D0(4) above 10 as the mean-reversion target. */
  {
    SdFsrsParams q = p;

    q.w[4] = 12.0;  /* beyond the clip range, set directly */
    q.w[5] = 0.001;
    q.w[7] = 0.75;
    g_assert_cmpfloat (sd_fsrs_next_difficulty (&q, 10.0, 1), ==, 10.0);
  }
  /* With the target clamped to 1, D = 5 after Good would be 4.996. */
  assert_close (sd_fsrs_next_difficulty (&p, 5.0, 3),
                0.001 * (6.4133 - exp (3 * 0.8334) + 1.0) + 0.999 * 5.0, 1e-12);
}

static void
test_short_term (void)
{
  SdFsrsParams p;
  const double expected[] = { 1.596818, 5.0, 5.0, 8.12961 };

  sd_fsrs_params_init_default (&p);
  /* fsrs.md §8, rs test_next_stability. */
  for (int g = 1; g <= 4; g++)
    {
      SdFsrsState st = { 5.0, 5.0 };

      assert_close (sd_fsrs_short_term_stability (&p, 5.0, g), expected[g - 1], 1e-6);
      assert_close (sd_fsrs_next_state (&p, &st, 0, g).stability, expected[g - 1], 1e-6);
    }
}

static void
test_long_term (void)
{
  SdFsrsParams p;
  SdFsrsState st = { 5.0, 5.0 };
  SdFsrsState again, hard, good, easy;
  double r;

  sd_fsrs_params_init_default (&p);
  r = sd_fsrs_retrievability (&p, 10, 5.0);

  again = sd_fsrs_next_state (&p, &st, 10, 1);
  hard = sd_fsrs_next_state (&p, &st, 10, 2);
  good = sd_fsrs_next_state (&p, &st, 10, 3);
  easy = sd_fsrs_next_state (&p, &st, 10, 4);

  /* §6: hard penalty and easy bonus scale the growth term. */
  assert_close ((hard.stability / 5.0 - 1.0) / (good.stability / 5.0 - 1.0), 0.6014, 1e-12);
  assert_close ((easy.stability / 5.0 - 1.0) / (good.stability / 5.0 - 1.0), 1.8729, 1e-12);
  assert_close (good.stability,
                5.0 * (exp (1.8722) * 6.0 * pow (5.0, -0.1666) * (exp (0.796 * (1 - r)) - 1) + 1),
                1e-12);
  /* §7: lapse formula, below the cap here. */
  assert_close (again.stability,
                1.4835 * pow (5.0, -0.0614) * (pow (6.0, 0.2629) - 1) * exp (1.6483 * (1 - r)),
                1e-12);
  g_assert_cmpfloat (again.stability, <, 5.0 / exp (0.5425 * 0.0912));

  /* The cap S/exp(w17·w18) applies when the lapse formula would exceed it. */
  {
    SdFsrsParams q = p;
    SdFsrsState small = { 0.5, 1.0 };

    q.w[11] = 5.0;
    q.w[14] = 4.0;
    q.w[17] = 1.0;
    q.w[18] = 1.0;
    assert_close (sd_fsrs_next_state (&q, &small, 400, 1).stability, 0.5 / exp (1.0), 1e-12);
  }

  /* Stability is clamped to S_MAX. */
  {
    SdFsrsState big = { 36000.0, 1.0 };

    g_assert_cmpfloat (sd_fsrs_next_state (&p, &big, 30000, 4).stability, ==, SD_FSRS_S_MAX);
  }
}

static void
test_manual_rating (void)
{
  SdFsrsParams p;
  SdFsrsState st = { 12.5, 4.25 };
  SdFsrsState odd = { 50000.0, 11.0 };
  SdFsrsState out;

  sd_fsrs_params_init_default (&p);
  out = sd_fsrs_next_state (&p, &st, 3, SD_FSRS_RATING_MANUAL);
  g_assert_cmpfloat (out.stability, ==, 12.5);
  g_assert_cmpfloat (out.difficulty, ==, 4.25);
  /* Passed through after the incoming clamp, as rs step does. */
  out = sd_fsrs_next_state (&p, &odd, 3, SD_FSRS_RATING_MANUAL);
  g_assert_cmpfloat (out.stability, ==, SD_FSRS_S_MAX);
  g_assert_cmpfloat (out.difficulty, ==, SD_FSRS_D_MAX);
}

static void
test_retrievability (void)
{
  SdFsrsParams p;
  const double decays[] = { 0.1, 0.1542, 0.5, 0.8 };

  sd_fsrs_params_init_default (&p);
  for (guint i = 0; i < G_N_ELEMENTS (decays); i++)
    {
      p.w[20] = decays[i];
      g_assert_cmpfloat (sd_fsrs_retrievability (&p, 0, 3.0), ==, 1.0);
      assert_close (sd_fsrs_retrievability (&p, 3.0, 3.0), 0.9, 1e-12);
      assert_close (sd_fsrs_retrievability (&p, 250.0, 250.0), 0.9, 1e-12);
      /* I(0.9, S) = S and the curve inverts the interval. */
      assert_close (sd_fsrs_interval (&p, 42.0, 0.9), 42.0, 1e-12);
      assert_close (sd_fsrs_retrievability (&p, sd_fsrs_interval (&p, 42.0, 0.8), 42.0), 0.8,
                    1e-12);
      g_assert_cmpfloat (sd_fsrs_interval (&p, 42.0, 0.95), <, 42.0);
      g_assert_cmpfloat (sd_fsrs_interval (&p, 42.0, 0.8), >, 42.0);
    }

  /* rs power_forgetting_curve test with decay 0.5 (FSRS-5). */
  p.w[20] = 0.5;
  assert_close (sd_fsrs_retrievability (&p, 1.0, 2.0), 0.946059, 1e-6);
  assert_close (sd_fsrs_retrievability (&p, 2.0, 3.0), 0.9299294, 1e-6);
  assert_close (sd_fsrs_retrievability (&p, 5.0, 2.0), 0.79394597, 1e-6);
}

static void
test_convert_17 (void)
{
  /* rs model.rs convert_parameters. */
  const double w17[] = {
    0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34, 1.26,
    0.29, 2.61,
  };
  const double expected[] = {
    0.4, 0.6, 2.4, 5.8, 6.81, 0.44675013, 1.36, 0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34,
    1.26, 0.29, 2.61, 0.0, 0.0, 0.0, 0.5,
  };
  g_autoptr(GError) error = NULL;
  SdFsrsParams p;

  g_assert_true (sd_fsrs_params_from_array (&p, w17, G_N_ELEMENTS (w17), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    {
      if (expected[i] == 0.0)
        g_assert_cmpfloat (p.w[i], ==, 0.0);
      else
        assert_close (p.w[i], expected[i], 1e-7);
    }
}

static void
test_convert_19 (void)
{
  const double w19[] = {
    0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,
    1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621,
  };
  g_autoptr(GError) error = NULL;
  SdFsrsParams p;

  g_assert_true (sd_fsrs_params_parse_json (&p,
      "[0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,"
      " 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621]", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 19; i++)
    g_assert_cmpfloat (p.w[i], ==, w19[i]);
  g_assert_cmpfloat (p.w[19], ==, 0.0);
  g_assert_cmpfloat (p.w[20], ==, 0.5);

  /* 21 numbers are taken as they are (integers too), then clipped. */
  g_assert_true (sd_fsrs_params_parse_json (&p,
      "[1, 2, 3, 4, 5, 1, 1, 0.5, 1, 0.5, 1, 1, 0.1, 0.5, 1, 0.5, 2, 0.5, 0.5, 0.5, 0.5]",
      &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (p.w[3], ==, 4.0);
  g_assert_cmpfloat (p.w[20], ==, 0.5);
}

static void
check_refused (const char *json,
               const char *message)
{
  g_autoptr(GError) error = NULL;
  SdFsrsParams p;

  sd_fsrs_params_init_default (&p);
  g_assert_false (sd_fsrs_params_parse_json (&p, json, &error));
  g_assert_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS);
  if (g_test_verbose ())
    g_test_message ("%s -> %s", json, error->message);
  g_assert_nonnull (strstr (error->message, message));
  /* Left unchanged. */
  g_assert_cmpfloat (p.w[0], ==, default_w[0]);
}

static void
test_invalid (void)
{
  const double nan_w[21] = { 0.2, NAN };
  const double inf_w[21] = { [20] = INFINITY };
  const double bad17[17] = { 0.4, 0.6, 2.4, 5.8, 4.93, -0.5 };
  g_autoptr(GError) error = NULL;
  SdFsrsParams p;

  check_refused ("[1, 2, 3, 4, 5]", "FSRS parameters: expected 17, 19 or 21 numbers, got 5");
  check_refused ("[]", "expected 17, 19 or 21 numbers, got 0");
  check_refused ("[0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,"
                 " 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,"
                 " 0.0912, 0.0658, 0.1542, 0.3]", "got 22");
  check_refused ("{\"w\": 1}", "expected a JSON array of numbers");
  check_refused ("[0.2, \"x\"]", "element 2 (w1) is not a number");
  check_refused ("[0.2, null]", "element 2 (w1) is not a number");
  check_refused ("[0.2, [1]]", "element 2 (w1) is not a number");
  check_refused ("[0.2,", "not valid JSON");

  g_assert_false (sd_fsrs_params_from_array (&p, nan_w, 21, &error));
  g_assert_error (error, SD_FSRS_ERROR, SD_FSRS_ERROR_INVALID_PARAMETERS);
  g_assert_nonnull (strstr (error->message, "w1 is not a finite number"));
  g_clear_error (&error);

  g_assert_false (sd_fsrs_params_from_array (&p, inf_w, 21, &error));
  g_assert_nonnull (strstr (error->message, "w20 is not a finite number"));
  g_clear_error (&error);

  /* ln(1 + 3·w5) of the FSRS-4.5 conversion is not finite for w5 <= -1/3. */
  g_assert_false (sd_fsrs_params_from_array (&p, bad17, 17, &error));
  g_assert_nonnull (strstr (error->message, "w5 is not a finite number after converting"));
  g_clear_error (&error);
}

static void
test_clip (void)
{
  SdFsrsParams p;
  const double raw[] = { 0.0, -1000.0, 1000.0, 0.0, 1000.0, -1000.0, 1.0, 0.25, -0.1 };
  const double clipped[] = { 0.001, 0.001, 100.0, 0.001, 10.0, 0.001, 1.0, 0.25, 0.0 };

  /* rs parameter_clipper_works. */
  sd_fsrs_params_init_default (&p);
  memcpy (p.w, raw, sizeof raw);
  sd_fsrs_params_clip (&p, 1, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (clipped); i++)
    g_assert_cmpfloat (p.w[i], ==, clipped[i]);
  for (guint i = G_N_ELEMENTS (clipped); i < SD_FSRS_N_PARAMS; i++)
    g_assert_cmpfloat (p.w[i], ==, default_w[i]);

  /* rs parameter_clipper_works_with_num_relearning_steps: defaults pass. */
  sd_fsrs_params_init_default (&p);
  sd_fsrs_params_clip (&p, 2, TRUE);
  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    g_assert_cmpfloat (p.w[i], ==, default_w[i]);

  /* The w17/w18 ceiling with n relearning steps:
   * -(ln 5 + ln(2^0.9 - 1) + 0.3·4)/2 < 0.01, so the ceiling is sqrt(0.01). */
  sd_fsrs_params_init_default (&p);
  p.w[11] = 5.0;
  p.w[13] = 0.9;
  p.w[14] = 4.0;
  p.w[17] = 1.5;
  p.w[18] = 0.05;
  sd_fsrs_params_clip (&p, 2, FALSE);
  assert_close (p.w[17], 0.1, 1e-12);
  g_assert_cmpfloat (p.w[18], ==, 0.05);

  /* A ceiling between 0.1 and 2: w11 = 0.5, w13 = 0.5, w14 = 0.5, n = 3. */
  sd_fsrs_params_init_default (&p);
  p.w[11] = 0.5;
  p.w[13] = 0.5;
  p.w[14] = 0.5;
  p.w[17] = 2.0;
  p.w[18] = 2.0;
  sd_fsrs_params_clip (&p, 3, FALSE);
  assert_close (p.w[17],
                sqrt (-(log (0.5) + log (pow (2.0, 0.5) - 1.0) + 0.15) / 3.0), 1e-12);
  g_assert_cmpfloat (p.w[18], ==, p.w[17]);

  /* One relearning step: the ceiling is 2. */
  p.w[17] = 3.0;
  sd_fsrs_params_clip (&p, 1, FALSE);
  g_assert_cmpfloat (p.w[17], ==, 2.0);

  /* w19 >= 0.01 only with short-term training. */
  p.w[19] = 0.0;
  sd_fsrs_params_clip (&p, 1, FALSE);
  g_assert_cmpfloat (p.w[19], ==, 0.0);
  sd_fsrs_params_clip (&p, 1, TRUE);
  g_assert_cmpfloat (p.w[19], ==, 0.01);
  p.w[20] = 0.9;
  sd_fsrs_params_clip (&p, 1, TRUE);
  g_assert_cmpfloat (p.w[20], ==, 0.8);
}

static void
test_round_interval (void)
{
  g_assert_cmpint (sd_fsrs_round_interval (2.5, 100), ==, 3);
  g_assert_cmpint (sd_fsrs_round_interval (3.4999, 100), ==, 3);
  g_assert_cmpint (sd_fsrs_round_interval (3.5, 100), ==, 4);
  g_assert_cmpint (sd_fsrs_round_interval (0.4, 100), ==, 1);
  g_assert_cmpint (sd_fsrs_round_interval (0.0, 100), ==, 1);
  g_assert_cmpint (sd_fsrs_round_interval (-3.0, 100), ==, 1);
  g_assert_cmpint (sd_fsrs_round_interval (NAN, 100), ==, 1);
  g_assert_cmpint (sd_fsrs_round_interval (99.6, 100), ==, 100);
  g_assert_cmpint (sd_fsrs_round_interval (1e12, 36500), ==, 36500);
  g_assert_cmpint (sd_fsrs_round_interval (INFINITY, 36500), ==, 36500);
  g_assert_cmpint (sd_fsrs_round_interval (5.0, 0), ==, 1);
}

static void
test_fuzz_delta (void)
{
  /* fsrs.md §12. */
  g_assert_cmpfloat (sd_fsrs_fuzz_delta (2.49), ==, 0.0);
  assert_close (sd_fsrs_fuzz_delta (2.5), 1.0, 1e-12);
  assert_close (sd_fsrs_fuzz_delta (7.0), 1.675, 1e-12);
  assert_close (sd_fsrs_fuzz_delta (17.0), 2.675, 1e-12);
  /* 1 + 0.15·4.5 + 0.10·13 + 0.05·17; fsrs.md §12 prints 3.85, a slip (its
   * 0.05·17 is 0.85, the sum 3.825), and anki's bounds 33..41 fit both. */
  assert_close (sd_fsrs_fuzz_delta (37.0), 3.825, 1e-12);
}

static void
test_fuzz_bounds (void)
{
  /* anki fuzz.rs with_review_fuzz: interval, min, max, then the result for
   * the fuzz factors 0, 0.5 and 0.99. */
  static const struct { double ivl; int min, max, lower, middle, upper; } cases[] = {
    { 1.0, 1, 1000, 1, 1, 1 },
    { 2.49, 1, 1000, 2, 2, 2 },
    { 2.5, 1, 1000, 2, 3, 4 },
    { 7.0, 1, 1000, 5, 7, 9 },
    { 17.0, 1, 1000, 14, 17, 20 },
    { 37.0, 1, 1000, 33, 37, 41 },
    { 2.0, 2, 1000, 2, 2, 2 },
    { 2.0, 3, 1000, 3, 4, 4 },
    { 2.0, 3, 3, 3, 3, 3 },
    { 6.9, 3, 1000, 5, 7, 9 },
    { 7.0, 3, 1000, 5, 7, 9 },
    { 7.1, 3, 1000, 5, 7, 9 },
    { 19.9, 3, 1000, 17, 20, 23 },
    { 20.0, 3, 1000, 17, 20, 23 },
    { 20.1, 3, 1000, 17, 20, 23 },
    { 100.0, 101, 1000, 101, 105, 108 },
    { 100.0, 1, 99, 92, 96, 99 },
    { 100.0, 97, 103, 97, 100, 103 },
  };
  int lower, upper;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      sd_fsrs_fuzz_bounds (cases[i].ivl, cases[i].min, cases[i].max, &lower, &upper);
      g_assert_cmpint (lower, ==, cases[i].lower);
      g_assert_cmpint (upper, ==, cases[i].upper);
      g_assert_cmpint (sd_fsrs_fuzz_interval_with_factor (cases[i].ivl, cases[i].min,
                                                         cases[i].max, 0.0), ==, cases[i].lower);
      g_assert_cmpint (sd_fsrs_fuzz_interval_with_factor (cases[i].ivl, cases[i].min,
                                                         cases[i].max, 0.5), ==, cases[i].middle);
      g_assert_cmpint (sd_fsrs_fuzz_interval_with_factor (cases[i].ivl, cases[i].min,
                                                         cases[i].max, 0.99), ==, cases[i].upper);
    }

  /* anki invalid_values_will_not_panic: minimum above maximum. */
  sd_fsrs_fuzz_bounds (1.0, 3, 2, &lower, &upper);
  g_assert_cmpint (lower, ==, 2);
  g_assert_cmpint (upper, ==, 2);
}

static void
test_fuzz_seed (void)
{
  guint counts[9] = { 0 };

  g_assert_cmpuint (sd_fsrs_fuzz_seed (1000, 7), ==, 1007);
  g_assert_cmpuint (sd_fsrs_fuzz_seed (G_MAXUINT64, 2), ==, 1);

  /* SplitMix64 reference output for seed 0 (first value 0xe220a8397b1dcdaf). */
  assert_close (sd_fsrs_fuzz_factor (0),
                (double) (G_GUINT64_CONSTANT (0xe220a8397b1dcdaf) >> 11) / 9007199254740992.0,
                0.0);

  for (guint64 card = 1700000000000; card < 1700000002000; card++)
    {
      guint64 seed = sd_fsrs_fuzz_seed (card, 3);
      double f = sd_fsrs_fuzz_factor (seed);
      int ivl = sd_fsrs_fuzz_interval (7.0, 1, 1000, seed);

      g_assert_cmpfloat (f, >=, 0.0);
      g_assert_cmpfloat (f, <, 1.0);
      /* Deterministic per (card, reps). */
      g_assert_cmpfloat (f, ==, sd_fsrs_fuzz_factor (seed));
      g_assert_cmpint (ivl, ==, sd_fsrs_fuzz_interval (7.0, 1, 1000, seed));
      g_assert_cmpint (ivl, >=, 5);
      g_assert_cmpint (ivl, <=, 9);
      counts[ivl - 1]++;
    }
  /* Roughly uniform over 5..9 (400 expected each). */
  for (int d = 5; d <= 9; d++)
    g_assert_cmpuint (counts[d - 1], >, 300);
}

static void
test_passing_intervals (void)
{
  int h, g, e;

  /* Unfuzzed: rounded, then pushed apart. */
  sd_fsrs_passing_intervals (0.4, 0.6, 1.2, 36500, FALSE, 0, &h, &g, &e);
  g_assert_cmpint (h, ==, 1);
  g_assert_cmpint (g, ==, 2);
  g_assert_cmpint (e, ==, 3);
  sd_fsrs_passing_intervals (10.4, 12.6, 30.2, 36500, FALSE, 0, &h, &g, &e);
  g_assert_cmpint (h, ==, 10);
  g_assert_cmpint (g, ==, 13);
  g_assert_cmpint (e, ==, 30);
  /* The maximum wins over the ordering (anki extreme_multiplier_fuzz). */
  sd_fsrs_passing_intervals (50.0, 60.0, 70.0, 5, FALSE, 0, &h, &g, &e);
  g_assert_cmpint (h, ==, 5);
  g_assert_cmpint (g, ==, 5);
  g_assert_cmpint (e, ==, 5);
  sd_fsrs_passing_intervals (50.0, 60.0, 70.0, 5, TRUE, 42, &h, &g, &e);
  g_assert_cmpint (h, ==, 5);
  g_assert_cmpint (g, ==, 5);
  g_assert_cmpint (e, ==, 5);

  /* Fuzzed: within each bound and strictly increasing. */
  for (guint64 seed = 0; seed < 500; seed++)
    {
      int lo, hi;

      sd_fsrs_passing_intervals (8.0, 8.2, 8.4, 36500, TRUE, seed, &h, &g, &e);
      sd_fsrs_fuzz_bounds (8.0, 1, 36500, &lo, &hi);
      g_assert_cmpint (h, >=, lo);
      g_assert_cmpint (h, <=, hi);
      g_assert_cmpint (g, >, h);
      g_assert_cmpint (e, >, g);
      sd_fsrs_fuzz_bounds (8.4, g + 1, 36500, &lo, &hi);
      g_assert_cmpint (e, >=, lo);
      g_assert_cmpint (e, <=, hi);
    }
}

static void
test_day_number (void)
{
  /* 1970-01-01 00:00 UTC. */
  g_assert_cmpint (sd_fsrs_day_number (0, 0, 0), ==, 0);
  /* 03:59 UTC belongs to the previous day with a 4 a.m. rollover. */
  g_assert_cmpint (sd_fsrs_day_number ((3 * 60 + 59) * 60000, 4, 0), ==, -1);
  g_assert_cmpint (sd_fsrs_day_number (4 * 3600000, 4, 0), ==, 0);
  /* 2024-03-10 02:30 UTC (day 19792): before the 4 a.m. rollover in UTC, and
   * 2024-03-09 21:30 at UTC-5, so day 19791 in both. */
  g_assert_cmpint (sd_fsrs_day_number (G_GINT64_CONSTANT (1710037800000), 4, -300), ==, 19791);
  g_assert_cmpint (sd_fsrs_day_number (G_GINT64_CONSTANT (1710037800000), 4, 0), ==, 19791);
  g_assert_cmpint (sd_fsrs_day_number (G_GINT64_CONSTANT (1710037800000), 0, 0), ==, 19792);
  /* UTC+9: 2024-03-10 02:30 UTC is 11:30 local on the 10th. */
  g_assert_cmpint (sd_fsrs_day_number (G_GINT64_CONSTANT (1710037800000), 4, 540), ==, 19792);
  /* Before the epoch. */
  g_assert_cmpint (sd_fsrs_day_number (-1, 0, 0), ==, -1);
  g_assert_cmpint (sd_fsrs_day_number (-86400000, 0, 0), ==, -1);
  g_assert_cmpint (sd_fsrs_day_number (-86400001, 0, 0), ==, -2);
}

/* ---- reference fixtures ---------------------------------------------- */

typedef struct
{
  guint histories;
  guint steps;
  guint boundary_intervals;   /* equal after rounding the reference's own raw value */
  double max_err_s;
  double max_err_d;
  double max_err_r;
  double max_err_interval_raw;
} RefStats;

static double
get_number (JsonArray *array,
            guint      i)
{
  return json_array_get_double_element (array, i);
}

static void
load_params (SdFsrsParams *p,
             JsonNode     *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *values = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sd_fsrs_params_init_default (p);
      return;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  values = g_new (double, n);
  for (guint i = 0; i < n; i++)
    values[i] = get_number (array, i);
  g_assert_true (sd_fsrs_params_from_array (p, values, n, &error));
  g_assert_no_error (error);
}

static void
check_interval (RefStats   *stats,
                const char *ref_name,
                gint64      id,
                guint       step,
                double      ours_raw,
                int         ours,
                double      ref_raw,
                int         ref,
                int         max_interval)
{
  stats->max_err_interval_raw = MAX (stats->max_err_interval_raw,
                                     rel_err (ours_raw, ref_raw));
  if (ours == ref)
    return;

  /* The only legitimate difference: the unrounded intervals agree within
   * the tolerance but fall on both sides of a .5 boundary; then the
   * reference must have rounded its own value the way we round ours. */
  if (rel_err (ours_raw, ref_raw) <= REL_TOL && ABS (ours - ref) == 1 &&
      sd_fsrs_round_interval (ref_raw, max_interval) == ref)
    {
      if (g_test_verbose ())
        g_test_message ("%s history %" G_GINT64_FORMAT " step %u: interval %d (raw %.9g), "
                        "reference %d (raw %.9g): both sides of a .5 boundary",
                        ref_name, id, step, ours, ours_raw, ref, ref_raw);
      stats->boundary_intervals++;
      return;
    }

  g_error ("%s history %" G_GINT64_FORMAT " step %u: interval %d (raw %.9g), "
           "reference %d (raw %.9g)", ref_name, id, step, ours, ours_raw, ref, ref_raw);
}

static void
replay_history (JsonObject *h,
                RefStats   *rs_stats,
                RefStats   *ts_stats)
{
  SdFsrsParams rs_params, ts_params;
  JsonArray *reviews = json_object_get_array_member (h, "reviews");
  JsonArray *delta_t = json_object_get_array_member (h, "delta_t");
  JsonObject *rs = json_object_get_object_member (h, "rs");
  JsonObject *ts = json_object_get_object_member (h, "ts");
  gint64 id = json_object_get_int_member (h, "id");
  double retention = json_object_get_double_member (h, "retention");
  int day_start = json_object_get_int_member (h, "day_start_hour");
  int tz = json_object_get_int_member (h, "tz_offset_min");
  int max_interval = json_object_get_int_member (h, "max_interval");
  guint n = json_array_get_length (reviews);
  SdFsrsState rs_state = { 0.0, 0.0 };
  SdFsrsState ts_state = { 0.0, 0.0 };
  gint64 prev_day = 0;

  load_params (&rs_params, json_object_get_member (h, "params"));
  /* ts-fsrs runs on its own effective vector: it clips w19 to >= 0.01 with
   * short-term on and rounds the FSRS-4.5 conversion to 8 decimals. */
  load_params (&ts_params, json_object_get_member (ts, "w"));

  for (guint i = 0; i < n; i++)
    {
      JsonObject *review = json_array_get_object_element (reviews, i);
      gint64 t = json_object_get_int_member (review, "t");
      int rating = json_object_get_int_member (review, "rating");
      gint64 day = sd_fsrs_day_number (t, day_start, tz);
      guint dt = i == 0 ? 0 : (guint) (day - prev_day);
      double raw;
      int ivl;

      g_assert_cmpint (dt, ==, json_array_get_int_element (delta_t, i));
      prev_day = day;

      /* fsrs-rs */
      rs_state = sd_fsrs_next_state (&rs_params, i == 0 ? NULL : &rs_state, dt, rating);
      rs_stats->max_err_s = MAX (rs_stats->max_err_s,
          rel_err (rs_state.stability, get_number (json_object_get_array_member (rs, "s"), i)));
      rs_stats->max_err_d = MAX (rs_stats->max_err_d,
          rel_err (rs_state.difficulty, get_number (json_object_get_array_member (rs, "d"), i)));
      assert_close (rs_state.stability, get_number (json_object_get_array_member (rs, "s"), i),
                    REL_TOL);
      assert_close (rs_state.difficulty, get_number (json_object_get_array_member (rs, "d"), i),
                    REL_TOL);
      raw = sd_fsrs_interval (&rs_params, rs_state.stability, retention);
      ivl = sd_fsrs_round_interval (raw, max_interval);
      check_interval (rs_stats, "rs", id, i, raw, ivl,
                      get_number (json_object_get_array_member (rs, "interval_raw"), i),
                      json_array_get_int_element (json_object_get_array_member (rs, "interval"), i),
                      max_interval);
      rs_stats->steps++;

      /* ts-fsrs */
      if (i > 0)
        {
          double r = sd_fsrs_retrievability (&ts_params, dt, ts_state.stability);
          double ref_r = get_number (json_object_get_array_member (ts, "r"), i);

          /* ts rounds R to 8 decimals. */
          if (fabs (r - ref_r) > 1e-8)
            {
              ts_stats->max_err_r = MAX (ts_stats->max_err_r, rel_err (r, ref_r));
              assert_close (r, ref_r, REL_TOL);
            }
        }
      ts_state = sd_fsrs_next_state (&ts_params, i == 0 ? NULL : &ts_state, dt, rating);
      if (i == 0)
        ts_state.stability = MAX (ts_state.stability, TS_S0_FLOOR);
      ts_stats->max_err_s = MAX (ts_stats->max_err_s,
          rel_err (ts_state.stability, get_number (json_object_get_array_member (ts, "s"), i)));
      ts_stats->max_err_d = MAX (ts_stats->max_err_d,
          rel_err (ts_state.difficulty, get_number (json_object_get_array_member (ts, "d"), i)));
      assert_close (ts_state.stability, get_number (json_object_get_array_member (ts, "s"), i),
                    REL_TOL);
      assert_close (ts_state.difficulty, get_number (json_object_get_array_member (ts, "d"), i),
                    REL_TOL);
      raw = sd_fsrs_interval (&ts_params, ts_state.stability, retention);
      ivl = sd_fsrs_round_interval (raw, max_interval);
      check_interval (ts_stats, "ts", id, i, raw, ivl,
                      get_number (json_object_get_array_member (ts, "interval_raw"), i),
                      json_array_get_int_element (json_object_get_array_member (ts, "interval"), i),
                      max_interval);
      ts_stats->steps++;
    }

  rs_stats->histories++;
  ts_stats->histories++;
}

static void
test_oracle (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fsrs-oracle", "histories.jsonl",
                                                 NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  RefStats rs_stats = { 0 }, ts_stats = { 0 };
  guint low_s0 = 0, converted = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *h;

      if (lines[l][0] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[l], -1, &error));
      g_assert_no_error (error);
      h = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (h, "meta"))
        {
          JsonObject *refs = json_object_get_object_member (
              json_object_get_object_member (h, "meta"), "references");

          g_test_message ("rs: %s", json_object_get_string_member (refs, "rs"));
          g_test_message ("ts: %s", json_object_get_string_member (refs, "ts"));
          continue;
        }

      if (g_strcmp0 (json_object_get_string_member (h, "params_name"), "low-s0") == 0)
        low_s0++;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (h, "params")) &&
          json_array_get_length (json_object_get_array_member (h, "params")) != 21)
        converted++;
      replay_history (h, &rs_stats, &ts_stats);
    }

  g_test_message ("rs: %u histories, %u steps, max relative error S %.3g D %.3g interval %.3g, "
                  "%u intervals on a .5 boundary",
                  rs_stats.histories, rs_stats.steps, rs_stats.max_err_s, rs_stats.max_err_d,
                  rs_stats.max_err_interval_raw, rs_stats.boundary_intervals);
  g_test_message ("ts: %u histories, %u steps, max relative error S %.3g D %.3g R %.3g "
                  "interval %.3g, %u intervals on a .5 boundary",
                  ts_stats.histories, ts_stats.steps, ts_stats.max_err_s, ts_stats.max_err_d,
                  ts_stats.max_err_r, ts_stats.max_err_interval_raw,
                  ts_stats.boundary_intervals);

  g_assert_cmpuint (rs_stats.histories, >=, 1000);
  /* The fixture must keep covering the special cases. */
  g_assert_cmpuint (low_s0, >, 0);
  g_assert_cmpuint (converted, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/fsrs/defaults", test_defaults);
  g_test_add_func ("/studydeck/fsrs/next-difficulty", test_next_difficulty);
  g_test_add_func ("/studydeck/fsrs/short-term", test_short_term);
  g_test_add_func ("/studydeck/fsrs/long-term", test_long_term);
  g_test_add_func ("/studydeck/fsrs/manual-rating", test_manual_rating);
  g_test_add_func ("/studydeck/fsrs/retrievability", test_retrievability);
  g_test_add_func ("/studydeck/fsrs/convert-17", test_convert_17);
  g_test_add_func ("/studydeck/fsrs/convert-19", test_convert_19);
  g_test_add_func ("/studydeck/fsrs/invalid", test_invalid);
  g_test_add_func ("/studydeck/fsrs/clip", test_clip);
  g_test_add_func ("/studydeck/fsrs/round-interval", test_round_interval);
  g_test_add_func ("/studydeck/fsrs/fuzz-delta", test_fuzz_delta);
  g_test_add_func ("/studydeck/fsrs/fuzz-bounds", test_fuzz_bounds);
  g_test_add_func ("/studydeck/fsrs/fuzz-seed", test_fuzz_seed);
  g_test_add_func ("/studydeck/fsrs/passing-intervals", test_passing_intervals);
  g_test_add_func ("/studydeck/fsrs/day-number", test_day_number);
  g_test_add_func ("/studydeck/fsrs/oracle", test_oracle);

  return g_test_run ();
}
