/* sd-fsrs-optimizer.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-fsrs-optimizer.h"

G_DEFINE_QUARK (sd-fsrs-optimizer-error-quark, sd_fsrs_optimizer_error)

#define N_PARAMS SD_FSRS_N_PARAMS

/* Predictions are clamped before the logarithm (fsrs-rs analytic.rs). */
#define MIN_PROB 1e-7
#define MAX_PROB (1.0 - 1e-7)

/* The decay the initial-stability pre-training assumes: the FSRS-6 default. */
#define INIT_DECAY 0.1542
#define INIT_S_MAX 100.0

/* Prior spread of each parameter over the srs-benchmark collections; the L2
 * pull is Σ (w - w_init)² / σ² (fsrs-rs training.rs PARAMS_STDDEV). */
static const double params_stddev[N_PARAMS] = {
  6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3,
  0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27,
};

/**
 * sd_fsrs_train_config_init:
 * @config: (out caller-allocates): the configuration to fill
 *
 * Fills @config with the defaults of fsrs-rs `TrainingConfig` as Anki uses
 * them: 5 epochs, batches of 512, seed 2023, learning rate 0.04, at most 256
 * reviews per item, gamma 1, short-term training on, one relearning step,
 * outlier filter on, one thread (on the 2-vCPU machines we measured, a
 * second thread did not make training faster; see #SdFsrsTrainConfig).
 */
void
sd_fsrs_train_config_init (SdFsrsTrainConfig *config)
{
  g_return_if_fail (config != NULL);

  config->n_epochs = 5;
  config->batch_size = 512;
  config->seed = 2023;
  config->learning_rate = 0.04;
  config->max_seq_len = 256;
  config->gamma = 1.0;
  config->short_term = TRUE;
  config->n_relearning_steps = 1;
  config->outlier_filter = TRUE;
  config->n_threads = 1;
}

/* ------------------------------------------------------------------------ */
/* The model with its derivatives                                            */
/* ------------------------------------------------------------------------ */

/* The recurrence below is the one of sd_fsrs_next_state() (fsrs-rs `step`),
 * restated so that each step can keep what its derivative needs; the test
 * suite checks that both give the same states. Per-parameter-vector
 * constants are hoisted out of the loop. */
typedef struct
{
  double w[N_PARAMS];
  double decay;           /* w20 */
  double factor;          /* F = 0.9^(-1/decay) - 1 */
  double dfactor;         /* dF/d(decay) */
  double exp_w8;
  double fail_div;        /* exp(w17·w18): the lapse cap is S / fail_div */
  double easy_d;          /* D0(4), unclamped: the mean-reversion target */
  double exp_3w5;
  double short_mult[5];   /* exp(w17·(G - 3 + w18)) */
  double exp_w5[5];       /* exp(w5·(G - 1)) */
  double init_d[5];       /* D0(G), unclamped */
} Model;

static void
model_init (Model        *m,
            const double *w)
{
  memcpy (m->w, w, sizeof m->w);
  m->decay = w[20];
  m->factor = exp (log (0.9) / -m->decay) - 1.0;
  m->dfactor = (m->factor + 1.0) * log (0.9) / (m->decay * m->decay);
  m->exp_w8 = exp (w[8]);
  m->fail_div = exp (w[17] * w[18]);
  m->exp_3w5 = exp (3.0 * w[5]);
  m->easy_d = w[4] - m->exp_3w5 + 1.0;
  for (int g = 1; g <= 4; g++)
    {
      m->short_mult[g] = exp (w[17] * (g - 3.0 + w[18]));
      m->exp_w5[g] = exp (w[5] * (g - 1.0));
      m->init_d[g] = w[4] - m->exp_w5[g] + 1.0;
    }
  m->short_mult[0] = m->exp_w5[0] = m->init_d[0] = 0.0;
}

typedef enum
{
  BRANCH_INIT,
  BRANCH_SHORT,          /* same day, multiplier not floored */
  BRANCH_SHORT_FLOOR,    /* same day, Hard/Good/Easy floored at 1 */
  BRANCH_FAIL,           /* lapse formula */
  BRANCH_FAIL_FLOOR,     /* lapse capped at S / exp(w17·w18) */
  BRANCH_SUCCESS,
} Branch;

/* What one review step leaves for the backward pass. */
typedef struct
{
  double s, d;          /* state before the review (already in range) */
  double t;             /* elapsed days */
  double r;             /* R(t, s) */
  double base;          /* 1 + F·t/s */
  double log_base;
  double a, b, c, e;    /* branch values, see step_forward() */
  guint8 branch;
  guint8 rating;
  guint8 s_pass;        /* the new S was inside [S_MIN, S_MAX] before clamping */
  guint8 d_pass;        /* the new D was inside [1, 10] before clamping */
} Step;

static inline void
curve_forward (const Model *m,
               Step        *st)
{
  if (st->t > 0.0)
    {
      st->base = m->factor * st->t / st->s + 1.0;
      st->log_base = log (st->base);
      st->r = exp (-m->decay * st->log_base);
    }
  else
    {
      st->base = 1.0;
      st->log_base = 0.0;
      st->r = 1.0;
    }
}

/* dL/ds for an upstream dL/dR; adds dL/dw20. */
static inline double
curve_backward (const Model *m,
                const Step  *st,
                double       g_r,
                double      *gw)
{
  double r, t_over_s;

  if (g_r == 0.0 || st->t <= 0.0)
    return 0.0;

  r = st->r;
  t_over_s = st->t / st->s;
  gw[20] += g_r * r * (-st->log_base - m->decay * t_over_s * m->dfactor / st->base);
  return g_r * r * m->decay * m->factor * t_over_s / (st->base * st->s);
}

/* The first review: S0 and D0. */
static inline void
init_forward (const Model *m,
              Step        *st,
              int          g,
              double      *s,
              double      *d)
{
  double s0 = m->w[g - 1];
  double d0 = m->init_d[g];

  st->branch = BRANCH_INIT;
  st->rating = (guint8) g;
  st->s_pass = s0 >= SD_FSRS_S_MIN && s0 <= SD_FSRS_S_MAX;
  st->d_pass = d0 >= SD_FSRS_D_MIN && d0 <= SD_FSRS_D_MAX;
  *s = CLAMP (s0, SD_FSRS_S_MIN, SD_FSRS_S_MAX);
  *d = CLAMP (d0, SD_FSRS_D_MIN, SD_FSRS_D_MAX);
}

static inline void
init_backward (const Model *m,
               const Step  *st,
               double       g_s,
               double       g_d,
               double      *gw)
{
  int g = st->rating;

  if (st->s_pass)
    gw[g - 1] += g_s;
  if (st->d_pass && g_d != 0.0)
    {
      gw[4] += g_d;
      gw[5] -= g_d * (g - 1.0) * m->exp_w5[g];
    }
}

/* One review after the first, with st->s, st->d, st->t and st->r set.
 * Writes the new state to *s and *d. */
static inline void
step_forward (const Model *m,
              Step        *st,
              int          g,
              double      *s_out,
              double      *d_out)
{
  const double *w = m->w;
  double s = st->s, d = st->d;
  double new_s, delta, next_d, mean_d;

  st->rating = (guint8) g;

  if (st->t <= 0.0)
    {
      /* a = ln s, b = the raw multiplier */
      st->a = log (s);
      st->b = m->short_mult[g] * exp (-w[19] * st->a);
      if (g >= 2 && st->b < 1.0)
        {
          st->branch = BRANCH_SHORT_FLOOR;
          new_s = s;
        }
      else
        {
          st->branch = BRANCH_SHORT;
          new_s = s * st->b;
        }
    }
  else if (g == 1)
    {
      /* a = ln d, b = ln(s + 1), c = (s + 1)^w13,
       * e = d^-w12 · exp((1 - R)·w14), so S_f = w11·e·(c - 1) */
      double raw, cap;

      st->a = log (d);
      st->b = log1p (s);
      st->c = exp (w[13] * st->b);
      st->e = exp (-w[12] * st->a + (1.0 - st->r) * w[14]);
      raw = w[11] * st->e * (st->c - 1.0);
      cap = s / m->fail_div;
      if (cap < raw)
        {
          st->branch = BRANCH_FAIL_FLOOR;
          new_s = cap;
        }
      else
        {
          st->branch = BRANCH_FAIL;
          new_s = raw;
        }
    }
  else
    {
      /* a = ln s, b = s^-w9, c = exp((1 - R)·w10), e = the growth */
      double hard = g == 2 ? w[15] : 1.0;
      double easy = g == 4 ? w[16] : 1.0;

      st->branch = BRANCH_SUCCESS;
      st->a = log (s);
      st->b = exp (-w[9] * st->a);
      st->c = exp ((1.0 - st->r) * w[10]);
      st->e = m->exp_w8 * (11.0 - d) * st->b * (st->c - 1.0) * hard * easy;
      new_s = s * (st->e + 1.0);
    }

  st->s_pass = new_s >= SD_FSRS_S_MIN && new_s <= SD_FSRS_S_MAX;
  *s_out = CLAMP (new_s, SD_FSRS_S_MIN, SD_FSRS_S_MAX);

  delta = -w[6] * (g - 3.0);
  next_d = d + (10.0 - d) * delta / 9.0;
  mean_d = w[7] * (m->easy_d - next_d) + next_d;
  st->d_pass = mean_d >= SD_FSRS_D_MIN && mean_d <= SD_FSRS_D_MAX;
  *d_out = CLAMP (mean_d, SD_FSRS_D_MIN, SD_FSRS_D_MAX);
}

/* Backward through step_forward(): from dL/d(new S), dL/d(new D) and an
 * extra dL/dR (a target scored at this review) to dL/d(old S), dL/d(old D),
 * adding parameter derivatives to gw. Clamps pass the gradient on their
 * boundary and stop it outside. */
static inline void
step_backward (const Model *m,
               const Step  *st,
               double       g_s_out,
               double       g_d_out,
               double       g_r,
               double      *gw,
               double      *g_s_in,
               double      *g_d_in)
{
  const double *w = m->w;
  int g = st->rating;
  double s = st->s, d = st->d;
  double g_new = st->s_pass ? g_s_out : 0.0;
  double g_s = 0.0, g_d = 0.0;

  if (g_new != 0.0)
    {
      switch ((Branch) st->branch)
        {
        case BRANCH_SHORT_FLOOR:
          g_s = g_new;
          break;

        case BRANCH_SHORT:
          {
            double k = g_new * s * st->b;

            gw[17] += k * (g - 3.0 + w[18]);
            gw[18] += k * w[17];
            gw[19] -= k * st->a;
            g_s = g_new * st->b * (1.0 - w[19]);
          }
          break;

        case BRANCH_FAIL_FLOOR:
          {
            double cap = s / m->fail_div;

            gw[17] -= g_new * cap * w[18];
            gw[18] -= g_new * cap * w[17];
            g_s = g_new / m->fail_div;
          }
          break;

        case BRANCH_FAIL:
          {
            double raw = w[11] * st->e * (st->c - 1.0);
            double k = g_new * raw;

            gw[11] += g_new * st->e * (st->c - 1.0);
            gw[12] -= k * st->a;
            gw[13] += g_new * w[11] * st->e * st->c * st->b;
            gw[14] += k * (1.0 - st->r);
            g_s = g_new * w[11] * st->e * w[13] * st->c / (s + 1.0);
            g_d = -k * w[12] / d;
            g_r -= k * w[14];
          }
          break;

        case BRANCH_SUCCESS:
          {
            double hard = g == 2 ? w[15] : 1.0;
            double easy = g == 4 ? w[16] : 1.0;
            double g_inc = g_new * s;
            /* d(growth)/d((11 - D)·(exp((1 - R)·w10) - 1)) */
            double k = g_inc * m->exp_w8 * st->b * hard * easy;

            g_s = g_new * (1.0 + st->e * (1.0 - w[9]));
            g_d = -k * (st->c - 1.0);
            g_r -= k * (11.0 - d) * w[10] * st->c;
            gw[8] += g_inc * st->e;
            gw[9] -= g_inc * st->e * st->a;
            gw[10] += k * (11.0 - d) * (1.0 - st->r) * st->c;
            /* growth / w15 for Hard, growth / w16 for Easy, without dividing */
            if (g == 2)
              gw[15] += g_inc * m->exp_w8 * st->b * (11.0 - d) * (st->c - 1.0) * easy;
            if (g == 4)
              gw[16] += g_inc * m->exp_w8 * st->b * (11.0 - d) * (st->c - 1.0) * hard;
          }
          break;

        case BRANCH_INIT:
        default:
          g_assert_not_reached ();
        }
    }

  if (st->d_pass && g_d_out != 0.0)
    {
      double delta = -w[6] * (g - 3.0);
      double next_d = d + (10.0 - d) * delta / 9.0;
      double g_next = g_d_out * (1.0 - w[7]);

      gw[7] += g_d_out * (m->easy_d - next_d);
      gw[4] += g_d_out * w[7];
      gw[5] -= g_d_out * w[7] * 3.0 * m->exp_3w5;
      gw[6] -= g_next * (10.0 - d) * (g - 3.0) / 9.0;
      g_d += g_next * (1.0 - delta / 9.0);
    }

  g_s += curve_backward (m, st, g_r, gw);

  *g_s_in = g_s;
  *g_d_in = g_d;
}

/* Weighted binary cross-entropy of a prediction; *g_r = dL/dR, zero where
 * the probability clamp is active. */
static inline double
bce (double  r_raw,
     gboolean recalled,
     double  weight,
     double *g_r)
{
  double r = CLAMP (r_raw, MIN_PROB, MAX_PROB);
  gboolean inside = r_raw > MIN_PROB && r_raw < MAX_PROB;

  if (recalled)
    {
      *g_r = inside ? -weight / r : 0.0;
      return -weight * log (r);
    }
  *g_r = inside ? weight / (1.0 - r) : 0.0;
  return -weight * log (1.0 - r);
}

/* ------------------------------------------------------------------------ */
/* Loss over targets, card by card                                           */
/* ------------------------------------------------------------------------ */

/* A prediction target: the review at position len - 1 of the card history
 * that starts at `start`, predicted from the reviews before it. */
typedef struct
{
  guint32 start;
  guint32 len;
  double  weight;
  gboolean recalled;
} Target;

typedef struct
{
  const guint8 *rating;
  const double *dt;
} Histories;

typedef struct
{
  Step   *steps;
  double *g_r;
  gsize   capacity;
} Scratch;

static void
scratch_reserve (Scratch *scratch,
                 gsize    len)
{
  if (len <= scratch->capacity)
    return;
  scratch->steps = g_renew (Step, scratch->steps, len);
  scratch->g_r = g_renew (double, scratch->g_r, len);
  scratch->capacity = len;
}

static void
scratch_clear (Scratch *scratch)
{
  g_clear_pointer (&scratch->steps, g_free);
  g_clear_pointer (&scratch->g_r, g_free);
  scratch->capacity = 0;
}

/* Loss (and, with @gw, its gradient added to @gw) of the targets order[0..n),
 * which must be sorted by (start, len). Targets of one card share a single
 * pass over its history: forward to the longest target, then one backward
 * pass that picks up dL/dR at every target on the way. By linearity this is
 * the sum of the per-target gradients, at the cost of one history instead of
 * one per target. */
static double
targets_loss (const Model     *m,
              const Histories *h,
              const Target    *targets,
              const guint32   *order,
              gsize            n,
              Scratch         *scratch,
              double          *gw)
{
  double loss = 0.0;
  gsize a = 0;

  while (a < n)
    {
      guint32 start = targets[order[a]].start;
      gsize b = a + 1;
      guint32 len_max;
      gsize k = a;
      double s = 0.0, d = 0.0;
      Step *steps;
      double *g_r;

      while (b < n && targets[order[b]].start == start)
        b++;
      len_max = targets[order[b - 1]].len;
      scratch_reserve (scratch, len_max);
      steps = scratch->steps;
      g_r = scratch->g_r;

      init_forward (m, &steps[0], h->rating[start], &s, &d);
      /* Targets at position 0 have no history; they cannot occur (items
       * have two reviews or more). */
      while (k < b && targets[order[k]].len <= 1)
        k++;

      for (guint32 p = 1; p < len_max; p++)
        {
          Step *st = &steps[p];
          double g_sum = 0.0;

          st->s = s;
          st->d = d;
          st->t = h->dt[start + p];
          curve_forward (m, st);

          while (k < b && targets[order[k]].len - 1 == p)
            {
              const Target *target = &targets[order[k]];
              double g;

              loss += bce (st->r, target->recalled, target->weight, &g);
              g_sum += g;
              k++;
            }
          g_r[p] = g_sum;

          if (p + 1 < len_max)
            step_forward (m, st, h->rating[start + p], &s, &d);
        }

      if (gw != NULL)
        {
          double g_s, g_d = 0.0;

          /* The last position is a target only. */
          g_s = len_max > 1 ? curve_backward (m, &steps[len_max - 1], g_r[len_max - 1], gw) : 0.0;
          for (guint32 p = len_max - 1; p-- > 1;)
            step_backward (m, &steps[p], g_s, g_d, g_r[p], gw, &g_s, &g_d);
          init_backward (m, &steps[0], g_s, g_d, gw);
        }

      a = b;
    }

  return loss;
}

static int
compare_targets_by_card (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  const Target *targets = user_data;
  const Target *x = &targets[*(const guint32 *) a];
  const Target *y = &targets[*(const guint32 *) b];

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return 0;
}

/* Sorts the target indices order[0..n) by (start, len), stably. */
static void
order_by_card (const Target *targets,
               guint32      *order,
               gsize         n)
{
  if (n > 1)
    g_qsort_with_data (order, (gint) n, sizeof *order, compare_targets_by_card,
                       (gpointer) targets);
}

static void
histories_init (Histories         *h,
                const SdFsrsItems *items,
                guint8           **rating_out,
                double           **dt_out)
{
  guint n = items->reviews->len;
  guint8 *rating = g_new (guint8, MAX (n, 1));
  double *dt = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const SdFsrsReview *review = &g_array_index (items->reviews, SdFsrsReview, i);

      rating[i] = (guint8) CLAMP (review->rating, 1, 4);
      dt[i] = review->delta_t;
    }
  h->rating = rating;
  h->dt = dt;
  *rating_out = rating;
  *dt_out = dt;
}

static inline gboolean
item_recalled (const SdFsrsItems *items,
               const SdFsrsItem  *item)
{
  return sd_fsrs_items_reviews (items, item)[item->len - 1].rating > 1;
}

/**
 * sd_fsrs_items_loss:
 * @params: the parameters
 * @items: the items
 * @weights: (nullable) (array): one weight per item, or %NULL for 1
 * @grad: (nullable) (array fixed-size=21): where the gradient is added
 *
 * The weighted binary cross-entropy summed over @items (not averaged), with
 * predictions clamped to [1e-7, 1 - 1e-7]: the data term of the training
 * loss. With @grad, its exact gradient with respect to the 21 parameters is
 * added to @grad.
 *
 * Returns: the loss
 */
double
sd_fsrs_items_loss (const SdFsrsParams *params,
                    const SdFsrsItems  *items,
                    const double       *weights,
                    double             *grad)
{
  g_autofree guint8 *rating = NULL;
  g_autofree double *dt = NULL;
  g_autofree Target *targets = NULL;
  g_autofree guint32 *order = NULL;
  Scratch scratch = { NULL };
  Histories h;
  Model m;
  guint n;
  double loss;

  g_return_val_if_fail (params != NULL, NAN);
  g_return_val_if_fail (items != NULL, NAN);

  n = items->items->len;
  histories_init (&h, items, &rating, &dt);
  targets = g_new (Target, MAX (n, 1));
  order = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const SdFsrsItem *item = sd_fsrs_items_get (items, i);

      targets[i].start = item->start;
      targets[i].len = item->len;
      targets[i].weight = weights != NULL ? weights[i] : 1.0;
      targets[i].recalled = item_recalled (items, item);
      order[i] = i;
    }
  order_by_card (targets, order, n);

  model_init (&m, params->w);
  loss = targets_loss (&m, &h, targets, order, n, &scratch, grad);
  scratch_clear (&scratch);

  return loss;
}

/**
 * sd_fsrs_l2_penalty:
 * @params: the parameters
 * @init: the starting parameters the training pulls toward
 * @scale: gamma · batch items / training items
 * @grad: (nullable) (array fixed-size=21): where the gradient is added
 *
 * The regularisation term of a batch: @scale · Σ (w_i - init_i)² / σ_i² with
 * fsrs-rs's PARAMS_STDDEV σ.
 *
 * Returns: the penalty
 */
double
sd_fsrs_l2_penalty (const SdFsrsParams *params,
                    const SdFsrsParams *init,
                    double              scale,
                    double             *grad)
{
  double sum = 0.0;

  g_return_val_if_fail (params != NULL && init != NULL, NAN);

  for (int i = 0; i < N_PARAMS; i++)
    {
      double var = params_stddev[i] * params_stddev[i];
      double delta = params->w[i] - init->w[i];

      sum += delta * delta / var;
      if (grad != NULL)
        grad[i] += 2.0 * delta / var * scale;
    }

  return sum * scale;
}

/**
 * sd_fsrs_recency_weights:
 * @n_items: number of items
 * @weights: (out caller-allocates) (array length=n_items): the weights
 *
 * fsrs-rs's recency weights: item i of N (in time order) weighs
 * 0.25 + 0.75·(i / (N - 1))³, so the newest item counts four times as much
 * as the oldest.
 */
void
sd_fsrs_recency_weights (gsize   n_items,
                         double *weights)
{
  double last = MAX ((double) n_items - 1.0, 1.0);

  for (gsize i = 0; i < n_items; i++)
    {
      double x = (double) i / last;

      weights[i] = 0.25 + 0.75 * x * x * x;
    }
}

/* ------------------------------------------------------------------------ */
/* Outlier filter and initial stability                                      */
/* ------------------------------------------------------------------------ */

typedef struct
{
  guint   rating;      /* first rating */
  guint32 delta_t;     /* first long-term interval */
  guint   label;       /* recalled at it */
  guint   index;       /* item */
} FirstInterval;

static int
compare_first_intervals (gconstpointer a,
                         gconstpointer b)
{
  const FirstInterval *x = a;
  const FirstInterval *y = b;

  if (x->rating != y->rating)
    return x->rating < y->rating ? -1 : 1;
  if (x->delta_t != y->delta_t)
    return x->delta_t < y->delta_t ? -1 : 1;
  if (x->index != y->index)
    return x->index < y->index ? -1 : 1;
  return 0;
}

/* The first rating and the first review with delta_t > 0; FALSE if there is
 * none. Sets *n_long to the number of such reviews. */
static gboolean
first_long_term (const SdFsrsItems *items,
                 const SdFsrsItem  *item,
                 FirstInterval     *out,
                 guint             *n_long)
{
  const SdFsrsReview *reviews = sd_fsrs_items_reviews (items, item);
  gboolean found = FALSE;

  *n_long = 0;
  for (guint j = 0; j < item->len; j++)
    {
      if (reviews[j].delta_t == 0)
        continue;
      if (!found)
        {
          out->delta_t = reviews[j].delta_t;
          out->label = reviews[j].rating > 1;
          found = TRUE;
        }
      (*n_long)++;
    }
  out->rating = reviews[0].rating;
  return found;
}

typedef struct
{
  guint32 delta_t;
  guint   first;   /* index into the sorted FirstInterval array */
  guint   size;
} SubGroup;

static int
compare_sub_groups (gconstpointer a,
                    gconstpointer b)
{
  const SubGroup *x = a;
  const SubGroup *y = b;

  if (x->size != y->size)
    return x->size < y->size ? -1 : 1;
  if (x->delta_t != y->delta_t)
    return x->delta_t < y->delta_t ? -1 : 1;
  return 0;
}

static inline guint64
pair_key (guint   rating,
          guint32 delta_t)
{
  return ((guint64) rating << 32) | delta_t;
}

/**
 * sd_fsrs_outlier_filter:
 * @items: the items
 * @in_train: (out caller-allocates) (array): per item, whether it survives
 * @in_init: (out caller-allocates) (array): per item, whether it is used for
 *   the initial-stability pre-training
 *
 * fsrs-rs's outlier filter (dataset.rs `prepare_training_data`). Items with
 * exactly one long-term review are grouped by first rating, then by that
 * interval. In each rating group the interval sub-groups are walked from the
 * smallest (ties: shortest interval first); whole sub-groups are removed
 * while the running removed count plus the sub-group stays below
 * max(20, n/20); after that a sub-group is kept only if it has at least 6
 * items and an interval of at most 100 days (365 for a first Easy). Every
 * removed (first rating, interval) pair also removes, from the training set,
 * every item whose first rating and first long-term interval match it.
 */
void
sd_fsrs_outlier_filter (const SdFsrsItems *items,
                        gboolean          *in_train,
                        gboolean          *in_init)
{
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (FirstInterval));
  g_autoptr(GArray) subs = g_array_new (FALSE, FALSE, sizeof (SubGroup));
  g_autoptr(GHashTable) removed = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                         g_free, NULL);
  guint n = items->items->len;
  guint i = 0;

  for (guint k = 0; k < n; k++)
    {
      FirstInterval fi;
      guint n_long;

      in_init[k] = FALSE;
      in_train[k] = TRUE;
      if (first_long_term (items, sd_fsrs_items_get (items, k), &fi, &n_long) && n_long == 1)
        {
          fi.index = k;
          g_array_append_val (firsts, fi);
        }
    }
  g_array_sort (firsts, compare_first_intervals);

  while (i < firsts->len)
    {
      guint rating = g_array_index (firsts, FirstInterval, i).rating;
      guint end = i;
      guint total, limit, has_been_removed = 0;

      g_array_set_size (subs, 0);
      while (end < firsts->len && g_array_index (firsts, FirstInterval, end).rating == rating)
        {
          SubGroup sub = { g_array_index (firsts, FirstInterval, end).delta_t, end, 0 };

          while (end < firsts->len &&
                 g_array_index (firsts, FirstInterval, end).rating == rating &&
                 g_array_index (firsts, FirstInterval, end).delta_t == sub.delta_t)
            {
              sub.size++;
              end++;
            }
          g_array_append_val (subs, sub);
        }
      total = end - i;
      limit = MAX (20, total / 20);

      /* Smallest sub-groups first; among equal sizes the shortest interval. */
      g_array_sort (subs, compare_sub_groups);
      for (guint j = 0; j < subs->len; j++)
        {
          const SubGroup *sub = &g_array_index (subs, SubGroup, j);
          gboolean remove;

          if (has_been_removed + sub->size >= limit)
            remove = !(sub->size >= 6 && sub->delta_t <= (rating != 4 ? 100u : 365u));
          else
            {
              has_been_removed += sub->size;
              remove = TRUE;
            }

          if (remove)
            {
              guint64 *key = g_new (guint64, 1);

              *key = pair_key (rating, sub->delta_t);
              g_hash_table_add (removed, key);
            }
          else
            {
              for (guint x = 0; x < sub->size; x++)
                in_init[g_array_index (firsts, FirstInterval, sub->first + x).index] = TRUE;
            }
        }

      i = end;
    }

  for (guint k = 0; k < n; k++)
    {
      FirstInterval fi;
      guint n_long;
      guint64 key;

      if (!first_long_term (items, sd_fsrs_items_get (items, k), &fi, &n_long))
        continue;
      key = pair_key (fi.rating, fi.delta_t);
      if (g_hash_table_contains (removed, &key))
        in_train[k] = FALSE;
    }
}

/* R(t, S) under the default decay, as the pre-training computes it. */
static inline double
init_curve (double factor,
            double t,
            double s)
{
  return pow (t / s * factor + 1.0, -INIT_DECAY);
}

typedef struct
{
  double delta_t;
  double recall;    /* smoothed */
  double count;
} RecallBucket;

static double
init_loss (const RecallBucket *buckets,
           guint               n,
           double              s0,
           double              default_s0)
{
  double factor = pow (0.9, 1.0 / -INIT_DECAY) - 1.0;
  double loss = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double r = init_curve (factor, buckets[i].delta_t, s0);

      loss -= (buckets[i].recall * log (r) + (1.0 - buckets[i].recall) * log (1.0 - r))
              * buckets[i].count;
    }
  return loss + fabs (s0 - default_s0) / 16.0;
}

/**
 * sd_fsrs_smooth_and_fill:
 * @s0: (inout) (array fixed-size=4): initial stabilities for ratings 1..4
 * @known: (array fixed-size=4): which entries of @s0 were fitted
 * @counts: (array fixed-size=4): items behind each fitted entry
 *
 * fsrs-rs `smooth_and_fill`: makes the fitted S0 non-decreasing in the
 * rating over the pairs (1,2), (2,3), (3,4), (1,3), (2,4), (1,4), replacing
 * the value backed by fewer items; fills the unknown ones by geometric
 * interpolation or extrapolation with weights 0.41 and 0.54 (one known
 * value scales all four defaults); clamps to [0.001, 100]. At least one
 * entry must be known.
 */
void
sd_fsrs_smooth_and_fill (double         s0[4],
                         const gboolean known[4],
                         const guint    counts[4])
{
  static const int pairs[6][2] = { { 0, 1 }, { 1, 2 }, { 2, 3 }, { 0, 2 }, { 1, 3 }, { 0, 3 } };
  const double w1 = 0.41, w2 = 0.54;
  SdFsrsParams defaults;
  double r[4];
  gboolean k[4];
  int n_known = 0;

  sd_fsrs_params_init_default (&defaults);

  for (int i = 0; i < 4; i++)
    {
      r[i] = s0[i];
      k[i] = known[i];
      n_known += k[i] ? 1 : 0;
    }
  g_return_if_fail (n_known > 0);

  for (int p = 0; p < 6; p++)
    {
      int small = pairs[p][0], big = pairs[p][1];

      if (k[small] && k[big] && r[small] > r[big])
        {
          if (counts[small] > counts[big])
            r[big] = r[small];
          else
            r[small] = r[big];
        }
    }

  if (n_known == 1)
    {
      int only = k[0] ? 0 : k[1] ? 1 : k[2] ? 2 : 3;
      double factor = r[only] / defaults.w[only];

      for (int i = 0; i < 4; i++)
        r[i] = defaults.w[i] * factor;
    }
  else if (n_known == 2)
    {
      if (k[2] && k[3])
        {
          r[1] = pow (r[2], 1.0 / (1.0 - w2)) * pow (r[3], 1.0 - 1.0 / (1.0 - w2));
          r[0] = pow (r[1], 1.0 / w1) * pow (r[2], 1.0 - 1.0 / w1);
        }
      else if (k[1] && k[3])
        {
          r[2] = pow (r[1], 1.0 - w2) * pow (r[3], w2);
          r[0] = pow (r[1], 1.0 / w1) * pow (r[2], 1.0 - 1.0 / w1);
        }
      else if (k[1] && k[2])
        {
          r[3] = pow (r[1], 1.0 - 1.0 / w2) * pow (r[2], 1.0 / w2);
          r[0] = pow (r[1], 1.0 / w1) * pow (r[2], 1.0 - 1.0 / w1);
        }
      else if (k[0] && k[3])
        {
          double den = w1 + w2 - w1 * w2;

          r[1] = pow (r[0], w1 / den) * pow (r[3], 1.0 - w1 / den);
          r[2] = pow (r[0], 1.0 - w2 / den) * pow (r[3], w2 / den);
        }
      else if (k[0] && k[2])
        {
          r[1] = pow (r[0], w1) * pow (r[2], 1.0 - w1);
          r[3] = pow (r[1], 1.0 - 1.0 / w2) * pow (r[2], 1.0 / w2);
        }
      else /* k[0] && k[1] */
        {
          r[2] = pow (r[0], 1.0 - 1.0 / (1.0 - w1)) * pow (r[1], 1.0 / (1.0 - w1));
          r[3] = pow (r[1], 1.0 - 1.0 / w2) * pow (r[2], 1.0 / w2);
        }
    }
  else if (n_known == 3)
    {
      if (!k[0])
        r[0] = pow (r[1], 1.0 / w1) * pow (r[2], 1.0 - 1.0 / w1);
      else if (!k[1])
        r[1] = pow (r[0], w1) * pow (r[2], 1.0 - w1);
      else if (!k[2])
        r[2] = pow (r[1], 1.0 - w2) * pow (r[3], w2);
      else
        r[3] = pow (r[1], 1.0 - 1.0 / w2) * pow (r[2], 1.0 / w2);
    }

  for (int i = 0; i < 4; i++)
    s0[i] = CLAMP (r[i], SD_FSRS_S_MIN, INIT_S_MAX);
}

/**
 * sd_fsrs_initial_stability:
 * @items: the items
 * @in_train: (array): the training set (for the mean recall)
 * @in_init: (array): the pre-training set (items with one long-term review)
 * @s0: (out caller-allocates) (array fixed-size=4): S0 for ratings 1..4
 * @counts: (out caller-allocates) (array fixed-size=4): pre-training items
 *   per first rating
 *
 * fsrs-rs's initial-stability pre-training: per first rating, the items are
 * bucketed by their long-term interval; each bucket's recall is smoothed
 * toward the training set's mean recall p̄ as (recall·n + p̄)/(n + 1); S0
 * minimises the count-weighted log loss of R(t, S0) under the default decay
 * 0.1542 plus |S0 - default S0|/16, by ternary search on [0.001, 100]; then
 * sd_fsrs_smooth_and_fill().
 *
 * Returns: %FALSE if no item is in the pre-training set (@s0 untouched)
 */
gboolean
sd_fsrs_initial_stability (const SdFsrsItems *items,
                           const gboolean    *in_train,
                           const gboolean    *in_init,
                           double             s0[4],
                           guint              counts[4])
{
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (FirstInterval));
  g_autoptr(GArray) buckets = g_array_new (FALSE, FALSE, sizeof (RecallBucket));
  SdFsrsParams defaults;
  double fitted[4] = { 0 };
  gboolean known[4] = { FALSE };
  guint n = items->items->len;
  guint n_train = 0, n_recalled = 0;
  double mean_recall;
  guint i = 0;

  sd_fsrs_params_init_default (&defaults);

  for (guint k = 0; k < n; k++)
    {
      const SdFsrsItem *item = sd_fsrs_items_get (items, k);
      FirstInterval fi;
      guint n_long;

      if (in_train[k])
        {
          n_train++;
          n_recalled += item_recalled (items, item) ? 1 : 0;
        }
      if (in_init[k] && first_long_term (items, item, &fi, &n_long) && n_long == 1)
        {
          fi.index = k;
          g_array_append_val (firsts, fi);
        }
    }
  mean_recall = n_train > 0 ? (double) n_recalled / n_train : 0.0;
  g_array_sort (firsts, compare_first_intervals);

  for (int g = 0; g < 4; g++)
    counts[g] = 0;

  while (i < firsts->len)
    {
      guint rating = g_array_index (firsts, FirstInterval, i).rating;
      double default_s0 = defaults.w[rating - 1];
      double low = SD_FSRS_S_MIN, high = INIT_S_MAX;
      double best = default_s0;
      guint count = 0;

      g_array_set_size (buckets, 0);
      while (i < firsts->len && g_array_index (firsts, FirstInterval, i).rating == rating)
        {
          guint32 delta_t = g_array_index (firsts, FirstInterval, i).delta_t;
          RecallBucket bucket = { delta_t, 0.0, 0.0 };
          double recalled = 0.0;

          while (i < firsts->len &&
                 g_array_index (firsts, FirstInterval, i).rating == rating &&
                 g_array_index (firsts, FirstInterval, i).delta_t == delta_t)
            {
              recalled += g_array_index (firsts, FirstInterval, i).label;
              bucket.count += 1.0;
              i++;
            }
          /* Laplace smoothing toward the mean recall. */
          bucket.recall = (recalled / bucket.count * bucket.count + mean_recall)
                          / (bucket.count + 1.0);
          count += (guint) bucket.count;
          g_array_append_val (buckets, bucket);
        }

      for (int iter = 0; high - low > DBL_EPSILON && iter < 1000; iter++)
        {
          double mid1 = low + (high - low) / 3.0;
          double mid2 = high - (high - low) / 3.0;
          const RecallBucket *data = (const RecallBucket *) (void *) buckets->data;

          if (init_loss (data, buckets->len, mid1, default_s0) <
              init_loss (data, buckets->len, mid2, default_s0))
            high = mid2;
          else
            low = mid1;
          best = (high + low) / 2.0;
        }

      fitted[rating - 1] = best;
      known[rating - 1] = TRUE;
      counts[rating - 1] = count;
    }

  if (!known[0] && !known[1] && !known[2] && !known[3])
    return FALSE;

  sd_fsrs_smooth_and_fill (fitted, known, counts);
  memcpy (s0, fitted, sizeof fitted);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Training                                                                  */
/* ------------------------------------------------------------------------ */

/* Each batch is cut into this many chunks of whole cards, whatever the
 * number of threads; chunk results are added in chunk order, so the sums,
 * and the parameters, do not depend on how many threads did the work. */
#define N_CHUNKS 8

typedef struct
{
  guint32 *order;                 /* targets sorted by (start, len) */
  gsize    n;
  gsize    chunk[N_CHUNKS + 1];   /* chunk c is order[chunk[c] .. chunk[c + 1]) */
} Batch;

/* Splits order[0..n) into N_CHUNKS runs of whole cards with about equal
 * numbers of review steps. */
static void
batch_cut (Batch        *batch,
           const Target *targets)
{
  gsize work = 0, done = 0, c = 1, i = 0;

  /* The summed target lengths estimate the work; cuts fall between cards. */
  for (gsize k = 0; k < batch->n; k++)
    work += targets[batch->order[k]].len;

  batch->chunk[0] = 0;
  while (i < batch->n && c < N_CHUNKS)
    {
      guint32 start = targets[batch->order[i]].start;

      while (i < batch->n && targets[batch->order[i]].start == start)
        done += targets[batch->order[i++]].len;
      while (c < N_CHUNKS && done * N_CHUNKS >= work * c)
        batch->chunk[c++] = i;
    }
  while (c <= N_CHUNKS)
    batch->chunk[c++] = batch->n;
}

typedef struct _Pool Pool;

typedef struct
{
  const Model     *model;
  const Histories *histories;
  const Target    *targets;
  const Batch     *batch;
  gboolean         want_grad;
  double           loss[N_CHUNKS];
  double           grad[N_CHUNKS][N_PARAMS];
} Job;

static void
job_run_chunk (Job     *job,
               guint    c,
               Scratch *scratch)
{
  const Batch *batch = job->batch;

  memset (job->grad[c], 0, sizeof job->grad[c]);
  job->loss[c] = targets_loss (job->model, job->histories, job->targets,
                               batch->order + batch->chunk[c],
                               batch->chunk[c + 1] - batch->chunk[c], scratch,
                               job->want_grad ? job->grad[c] : NULL);
}

/* Worker threads that share the chunks of one job; the caller's thread is
 * one of them. A job ends when every chunk is done and no worker is still
 * inside pool_work(), so a late worker can never take a chunk of the next
 * job with the previous one's data. */
struct _Pool
{
  GThread **threads;
  guint     n_threads;    /* workers besides the caller */
  Scratch  *scratch;      /* one per worker, then the caller's */
  GMutex    mutex;
  GCond     start_cond;
  GCond     done_cond;
  Job      *job;          /* the rest under the mutex or atomic */
  guint     generation;
  guint     active;
  guint     next_chunk;
  guint     chunks_done;
  gint      quit;
};


typedef struct
{
  Pool *pool;
  guint index;
} WorkerArgs;

/* Takes chunks until none is left. */
static void
pool_work (Pool    *pool,
           Job     *job,
           Scratch *scratch)
{
  for (;;)
    {
      guint c = (guint) g_atomic_int_add (&pool->next_chunk, 1);

      if (c >= N_CHUNKS)
        break;
      job_run_chunk (job, c, scratch);
      if ((guint) g_atomic_int_add (&pool->chunks_done, 1) + 1 == N_CHUNKS)
        {
          g_mutex_lock (&pool->mutex);
          g_cond_signal (&pool->done_cond);
          g_mutex_unlock (&pool->mutex);
        }
    }
}

static gpointer
pool_thread (gpointer data)
{
  WorkerArgs *args = data;
  Pool *pool = args->pool;
  Scratch *scratch = &pool->scratch[args->index];
  guint seen = 0;

  g_free (args);
  g_mutex_lock (&pool->mutex);
  for (;;)
    {
      Job *job;

      while (!pool->quit && pool->generation == seen)
        g_cond_wait (&pool->start_cond, &pool->mutex);
      if (pool->quit)
        break;
      seen = pool->generation;
      job = pool->job;
      pool->active++;
      g_mutex_unlock (&pool->mutex);

      pool_work (pool, job, scratch);

      g_mutex_lock (&pool->mutex);
      if (--pool->active == 0)
        g_cond_signal (&pool->done_cond);
    }
  g_mutex_unlock (&pool->mutex);
  return NULL;
}

static Pool *
pool_new (guint n_threads)
{
  Pool *pool = g_new0 (Pool, 1);

  g_mutex_init (&pool->mutex);
  g_cond_init (&pool->start_cond);
  g_cond_init (&pool->done_cond);
  pool->n_threads = n_threads > 1 ? n_threads - 1 : 0;
  pool->scratch = g_new0 (Scratch, pool->n_threads + 1);
  pool->threads = g_new0 (GThread *, MAX (pool->n_threads, 1));
  for (guint i = 0; i < pool->n_threads; i++)
    {
      WorkerArgs *args = g_new (WorkerArgs, 1);

      args->pool = pool;
      args->index = i;
      pool->threads[i] = g_thread_new ("sd-fsrs-optimizer", pool_thread, args);
    }
  return pool;
}

static void
pool_free (Pool *pool)
{
  g_mutex_lock (&pool->mutex);
  g_atomic_int_set (&pool->quit, TRUE);
  g_cond_broadcast (&pool->start_cond);
  g_mutex_unlock (&pool->mutex);
  for (guint i = 0; i < pool->n_threads; i++)
    g_thread_join (pool->threads[i]);
  for (guint i = 0; i <= pool->n_threads; i++)
    scratch_clear (&pool->scratch[i]);
  g_free (pool->scratch);
  g_free (pool->threads);
  g_mutex_clear (&pool->mutex);
  g_cond_clear (&pool->start_cond);
  g_cond_clear (&pool->done_cond);
  g_free (pool);
}

/* Runs every chunk of @job and returns the summed loss; the summed
 * gradient goes to @grad when the job wants one. */
static double
pool_run (Pool   *pool,
          Job    *job,
          double *grad)
{
  Scratch *own = &pool->scratch[pool->n_threads];
  double loss = 0.0;

  if (pool->n_threads == 0)
    {
      for (guint c = 0; c < N_CHUNKS; c++)
        job_run_chunk (job, c, own);
    }
  else
    {
      g_mutex_lock (&pool->mutex);
      pool->job = job;
      g_atomic_int_set (&pool->next_chunk, 0);
      g_atomic_int_set (&pool->chunks_done, 0);
      g_atomic_int_inc (&pool->generation);
      g_cond_broadcast (&pool->start_cond);
      g_mutex_unlock (&pool->mutex);

      pool_work (pool, job, own);

      g_mutex_lock (&pool->mutex);
      while ((guint) g_atomic_int_get (&pool->chunks_done) < N_CHUNKS || pool->active > 0)
        g_cond_wait (&pool->done_cond, &pool->mutex);
      g_mutex_unlock (&pool->mutex);
    }

  for (guint c = 0; c < N_CHUNKS; c++)
    {
      loss += job->loss[c];
      if (grad != NULL)
        for (int i = 0; i < N_PARAMS; i++)
          grad[i] += job->grad[c][i];
    }
  return loss;
}

/* The learning rate schedule of fsrs-rs (cosine_annealing.rs), in the
 * recurrence form of PyTorch's CosineAnnealingLR, annealing to 0. */
typedef struct
{
  double t_max;
  double init_lr;
  double step;
  double lr;
} Cosine;

static double
cosine_step (Cosine *cos_lr)
{
  double k;

  cos_lr->step += 1.0;
  k = cos_lr->step;
  if (k == 0.0)
    cos_lr->lr = cos_lr->init_lr;
  else if (fmod (k - 1.0 - cos_lr->t_max, 2.0 * cos_lr->t_max) == 0.0)
    cos_lr->lr = cos_lr->init_lr * (1.0 - cos (G_PI / cos_lr->t_max)) / 2.0;
  else
    cos_lr->lr = (1.0 + cos (G_PI * k / cos_lr->t_max))
                 / (1.0 + cos (G_PI * (k - 1.0) / cos_lr->t_max)) * cos_lr->lr;
  return cos_lr->lr;
}

/* SplitMix64 (Steele, Lea and Flood 2014): the batch-order generator. */
static guint64
rng_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Uniform in [0, n), without modulo bias. */
static guint64
rng_below (guint64 *state,
           guint64  n)
{
  guint64 threshold = -n % n;

  for (;;)
    {
      guint64 x = rng_next (state);

      if (x >= threshold)
        return x % n;
    }
}

static int
compare_targets_by_len (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  const Target *targets = user_data;
  guint32 x = targets[*(const guint32 *) a].len;
  guint32 y = targets[*(const guint32 *) b].len;

  return x < y ? -1 : x > y ? 1 : 0;
}

static guint
default_threads (void)
{
  return CLAMP (g_get_num_processors (), 1, 8);
}

/* Trains from @init (the L2 target too) on @targets[0..total) and writes the
 * parameters of the best epoch to @best. */
static void
train (const Histories         *h,
       const Target            *targets,
       gsize                    total,
       const SdFsrsTrainConfig *config,
       const SdFsrsParams      *init,
       SdFsrsParams            *best,
       guint                   *best_epoch,
       double                  *best_loss)
{
  g_autofree guint32 *by_len = g_new (guint32, MAX (total, 1));
  g_autofree guint32 *all_order = g_new (guint32, MAX (total, 1));
  g_autofree Batch *batches = NULL;
  g_autofree guint *batch_order = NULL;
  gsize n_batches = (total + config->batch_size - 1) / config->batch_size;
  guint n_threads = config->n_threads > 0 ? config->n_threads : default_threads ();
  Pool *pool;
  Batch all;
  SdFsrsParams w = *init;
  double adam_m[N_PARAMS] = { 0 }, adam_v[N_PARAMS] = { 0 };
  int adam_t = 0;
  Cosine cos_lr;
  guint64 rng = config->seed;

  *best = *init;
  *best_epoch = 0;
  *best_loss = INFINITY;

  /* Batches: the items sorted by length (stably), cut into consecutive
   * chunks, so that a batch holds histories of similar length. */
  for (gsize i = 0; i < total; i++)
    by_len[i] = all_order[i] = (guint32) i;
  if (total > 1)
    g_qsort_with_data (by_len, (gint) total, sizeof *by_len, compare_targets_by_len,
                       (gpointer) targets);

  batches = g_new0 (Batch, MAX (n_batches, 1));
  batch_order = g_new (guint, MAX (n_batches, 1));
  for (gsize b = 0; b < n_batches; b++)
    {
      Batch *batch = &batches[b];

      batch->order = by_len + b * config->batch_size;
      batch->n = MIN (config->batch_size, total - b * config->batch_size);
      order_by_card (targets, batch->order, batch->n);
      batch_cut (batch, targets);
    }
  all.order = all_order;
  all.n = total;
  order_by_card (targets, all.order, all.n);
  batch_cut (&all, targets);

  cos_lr.t_max = (double) ((total / config->batch_size + 1) * config->n_epochs);
  cos_lr.init_lr = config->learning_rate;
  cos_lr.step = -1.0;
  cos_lr.lr = config->learning_rate;

  pool = pool_new (n_threads);

  for (guint epoch = 1; epoch <= config->n_epochs; epoch++)
    {
      Model model;
      Job job;
      double loss;

      /* Fisher–Yates over the batch order, restarted from 0..n-1 each
       * epoch like fsrs-rs; the generator runs on across epochs. */
      for (gsize b = 0; b < n_batches; b++)
        batch_order[b] = (guint) b;
      for (gsize b = n_batches; b > 1; b--)
        {
          gsize j = (gsize) rng_below (&rng, b);
          guint tmp = batch_order[b - 1];

          batch_order[b - 1] = batch_order[j];
          batch_order[j] = tmp;
        }

      for (gsize b = 0; b < n_batches; b++)
        {
          const Batch *batch = &batches[batch_order[b]];
          double grad[N_PARAMS] = { 0 };
          double lr = cosine_step (&cos_lr);
          double bias1, bias2;

          model_init (&model, w.w);
          job.model = &model;
          job.histories = h;
          job.targets = targets;
          job.batch = batch;
          job.want_grad = TRUE;
          pool_run (pool, &job, grad);
          sd_fsrs_l2_penalty (&w, init, config->gamma * (double) batch->n / (double) total, grad);

          if (!config->short_term)
            {
              /* Without short-term training the initial stabilities stay
               * at their pre-trained values and w17..w19 at 0. */
              grad[0] = grad[1] = grad[2] = grad[3] = 0.0;
              grad[17] = grad[18] = grad[19] = 0.0;
            }

          /* Adam with bias correction. */
          adam_t++;
          bias1 = 1.0 - pow (0.9, adam_t);
          bias2 = 1.0 - pow (0.999, adam_t);
          for (int i = 0; i < N_PARAMS; i++)
            {
              adam_m[i] = 0.9 * adam_m[i] + 0.1 * grad[i];
              adam_v[i] = 0.999 * adam_v[i] + 0.001 * grad[i] * grad[i];
              w.w[i] -= lr * (adam_m[i] / bias1) / (sqrt (adam_v[i] / bias2) + 1e-8);
            }
          sd_fsrs_params_clip (&w, config->n_relearning_steps, config->short_term);
        }

      /* The training loss of the epoch's parameters: the batch losses plus
       * their L2 terms, which add up to one full L2 term, per item. */
      model_init (&model, w.w);
      job.model = &model;
      job.histories = h;
      job.targets = targets;
      job.batch = &all;
      job.want_grad = FALSE;
      loss = pool_run (pool, &job, NULL);
      loss = (loss + sd_fsrs_l2_penalty (&w, init, config->gamma, NULL)) / (double) total;
      if (loss < *best_loss)
        {
          *best_loss = loss;
          *best = w;
          *best_epoch = epoch;
        }
    }

  pool_free (pool);
}

static gboolean
params_finite (const SdFsrsParams *params)
{
  for (int i = 0; i < N_PARAMS; i++)
    if (!isfinite (params->w[i]))
      return FALSE;
  return TRUE;
}

/**
 * sd_fsrs_optimize:
 * @items: the training items, in time order of their last review
 * @config: (nullable): the training settings, %NULL for the defaults
 * @result: (out caller-allocates): the fitted parameters and what was done
 * @error: return location for an error
 *
 * Fits FSRS-6 parameters to @items by the recipe of fsrs-rs
 * `compute_parameters`:
 *
 * 1. the outlier filter (sd_fsrs_outlier_filter()); fewer than 8 items left:
 *    the defaults;
 * 2. initial stability pre-training (sd_fsrs_initial_stability()); if the
 *    training set is the pre-training set or has fewer than 64 items: the
 *    pre-trained w0..w3 with defaults for the rest;
 * 3. recency weights over the training set, items longer than
 *    @config->max_seq_len left out;
 * 4. batches of similar length in a shuffled order, Adam on the summed
 *    weighted log loss plus gamma · (batch / total) · Σ (w - w_init)²/σ²,
 *    cosine-annealed learning rate, clipping after every step; the
 *    parameters of the epoch with the lowest training loss;
 * 5. w0..w3 through sd_fsrs_smooth_and_fill() again.
 *
 * Returns: %TRUE on success
 */
gboolean
sd_fsrs_optimize (const SdFsrsItems        *items,
                  const SdFsrsTrainConfig  *config,
                  SdFsrsFitResult          *result,
                  GError                  **error)
{
  SdFsrsTrainConfig defaults;
  g_autofree gboolean *in_train = NULL;
  g_autofree gboolean *in_init = NULL;
  g_autofree guint8 *rating = NULL;
  g_autofree double *dt = NULL;
  g_autofree double *weights = NULL;
  g_autofree Target *targets = NULL;
  Histories h;
  SdFsrsParams init;
  double s0[4];
  guint counts[4];
  gboolean known[4];
  guint n;
  gsize n_train = 0, n_init = 0, total = 0, i_train = 0;

  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (config == NULL)
    {
      sd_fsrs_train_config_init (&defaults);
      config = &defaults;
    }
  if (config->batch_size == 0 || config->n_epochs == 0 ||
      !isfinite (config->learning_rate) || !isfinite (config->gamma))
    {
      g_set_error_literal (error, SD_FSRS_OPTIMIZER_ERROR,
                           SD_FSRS_OPTIMIZER_ERROR_INVALID_CONFIG,
                           _("FSRS optimizer: the batch size and the number of epochs must be "
                             "positive, the learning rate and gamma finite"));
      return FALSE;
    }

  memset (result, 0, sizeof *result);
  sd_fsrs_params_init_default (&result->params);
  result->kind = SD_FSRS_FIT_DEFAULTS;
  n = items->items->len;
  result->n_items = n;

  in_train = g_new (gboolean, MAX (n, 1));
  in_init = g_new (gboolean, MAX (n, 1));
  if (config->outlier_filter)
    sd_fsrs_outlier_filter (items, in_train, in_init);
  else
    {
      for (guint k = 0; k < n; k++)
        {
          FirstInterval fi;
          guint n_long;

          in_train[k] = TRUE;
          in_init[k] = first_long_term (items, sd_fsrs_items_get (items, k), &fi, &n_long) &&
                       n_long == 1;
        }
    }
  for (guint k = 0; k < n; k++)
    {
      n_train += in_train[k] ? 1 : 0;
      n_init += in_init[k] ? 1 : 0;
    }
  result->n_train_items = n_train;
  result->n_init_items = n_init;

  if (n_train < 8)
    return TRUE;
  if (!sd_fsrs_initial_stability (items, in_train, in_init, s0, counts))
    return TRUE;

  init = result->params;
  memcpy (init.w, s0, sizeof s0);
  result->params = init;
  result->kind = SD_FSRS_FIT_INITIAL_STABILITY;
  if (n_train == n_init || n_train < 64)
    return TRUE;

  if (!config->short_term)
    init.w[17] = init.w[18] = init.w[19] = 0.0;

  /* Recency weights over the training set in time order; then the items
   * too long to train on are left out. */
  weights = g_new (double, n_train);
  sd_fsrs_recency_weights (n_train, weights);
  targets = g_new (Target, n_train);
  for (guint k = 0; k < n; k++)
    {
      const SdFsrsItem *item = sd_fsrs_items_get (items, k);

      if (!in_train[k])
        continue;
      if (item->len <= config->max_seq_len)
        {
          Target *target = &targets[total++];

          target->start = item->start;
          target->len = item->len;
          target->weight = weights[i_train];
          target->recalled = item_recalled (items, item);
        }
      i_train++;
    }
  result->n_batch_items = total;
  if (total == 0)
    return TRUE;

  histories_init (&h, items, &rating, &dt);
  train (&h, targets, total, config, &init, &result->params, &result->best_epoch,
         &result->best_loss);

  if (!params_finite (&result->params))
    {
      g_set_error_literal (error, SD_FSRS_OPTIMIZER_ERROR, SD_FSRS_OPTIMIZER_ERROR_DIVERGED,
                           _("FSRS optimizer: training diverged (a parameter is not finite)"));
      return FALSE;
    }

  for (int g = 0; g < 4; g++)
    known[g] = counts[g] > 0;
  sd_fsrs_smooth_and_fill (result->params.w, known, counts);
  result->kind = SD_FSRS_FIT_TRAINED;

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */
/* ------------------------------------------------------------------------ */

typedef struct
{
  guint64 key;
  double  prediction;
  double  outcome;
  double  weight;
} Binned;

static int
compare_binned (gconstpointer a,
                gconstpointer b)
{
  const Binned *x = a;
  const Binned *y = b;

  return x->key < y->key ? -1 : x->key > y->key ? 1 : 0;
}

/* rs FSRSItem::r_matrix_index: log-scale bins of the interval, of the
 * number of long-term reviews and of the earlier long-term lapses. */
static guint64
bin_key (guint32 delta_t,
         guint   n_long,
         guint   lapses)
{
  double t = delta_t;
  double length = n_long + 1.0;
  guint64 t_bin, length_bin, lapse_bin = 0;

  t_bin = (guint64) round (2.48 * pow (3.62, floor (log (t) / log (3.62))) * 100.0);
  length_bin = (guint64) round (1.99 * pow (1.89, floor (log (length) / log (1.89))));
  if (lapses > 0)
    lapse_bin = (guint64) round (1.65 * pow (1.73, floor (log ((double) lapses) / log (1.73))));

  return (MIN (t_bin, G_MAXUINT32) << 32) | (MIN (length_bin, 0xffff) << 16) |
         MIN (lapse_bin, 0xffff);
}

/**
 * sd_fsrs_evaluate:
 * @params: the parameters
 * @items: the items, in time order of their last review
 * @metrics: (out caller-allocates): the metrics
 * @error: return location for an error
 *
 * Replays every item's history with sd_fsrs_next_state() and scores the
 * prediction sd_fsrs_retrievability() of its last review: log loss (plain
 * and recency-weighted) and RMSE(bins) (weighted by summed recency weights
 * as fsrs-rs `evaluate` does, and by counts). Recency weights follow the
 * order of @items.
 *
 * Returns: %TRUE on success; %FALSE with
 *   %SD_FSRS_OPTIMIZER_ERROR_NOT_ENOUGH_DATA when @items is empty
 */
gboolean
sd_fsrs_evaluate (const SdFsrsParams  *params,
                  const SdFsrsItems   *items,
                  SdFsrsMetrics       *metrics,
                  GError             **error)
{
  g_autofree double *weights = NULL;
  g_autofree guint32 *order = NULL;
  g_autofree Target *targets = NULL;
  g_autofree Binned *binned = NULL;
  g_autofree double *item_loss = NULL;
  guint n;
  double loss = 0.0, loss_weighted = 0.0, weight_sum = 0.0;
  double sq = 0.0, sq_weight = 0.0, sq_count = 0.0, count_sum = 0.0;
  gsize a = 0;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (metrics != NULL, FALSE);

  n = items->items->len;
  if (n == 0)
    {
      g_set_error_literal (error, SD_FSRS_OPTIMIZER_ERROR, SD_FSRS_OPTIMIZER_ERROR_NOT_ENOUGH_DATA,
                           _("FSRS evaluation: there are no items to evaluate"));
      return FALSE;
    }

  weights = g_new (double, n);
  sd_fsrs_recency_weights (n, weights);
  targets = g_new (Target, n);
  order = g_new (guint32, n);
  binned = g_new (Binned, n);
  item_loss = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      const SdFsrsItem *item = sd_fsrs_items_get (items, i);

      targets[i].start = item->start;
      targets[i].len = item->len;
      targets[i].weight = weights[i];
      targets[i].recalled = item_recalled (items, item);
      order[i] = i;
    }
  order_by_card (targets, order, n);

  /* One pass per card history, scoring each item at its last review. */
  while (a < n)
    {
      guint32 start = targets[order[a]].start;
      const SdFsrsReview *reviews = &g_array_index (items->reviews, SdFsrsReview, start);
      SdFsrsState state = { 0.0, 0.0 };
      guint n_long = 0, lapses = 0;
      gsize k = a;
      guint32 p = 0;

      while (k < n && targets[order[k]].start == start)
        {
          guint i = order[k];
          const Target *target = &targets[i];
          double r, p_clamped;

          /* Advance to just before the target review. */
          for (; p + 1 < target->len; p++)
            {
              if (p > 0 && reviews[p].delta_t > 0)
                {
                  n_long++;
                  if (reviews[p].rating == 1)
                    lapses++;
                }
              state = sd_fsrs_next_state (params, p == 0 ? NULL : &state,
                                          reviews[p].delta_t, (int) reviews[p].rating);
            }

          r = sd_fsrs_retrievability (params, reviews[p].delta_t, state.stability);
          p_clamped = CLAMP (r, MIN_PROB, MAX_PROB);
          item_loss[i] = target->recalled ? -log (p_clamped) : -log (1.0 - p_clamped);
          binned[i].prediction = r;
          binned[i].outcome = target->recalled ? 1.0 : 0.0;
          binned[i].weight = target->weight;
          binned[i].key = bin_key (reviews[p].delta_t,
                                   n_long + (reviews[p].delta_t > 0 ? 1 : 0), lapses);
          k++;
        }
      a = k;
    }

  /* Sums in item order, so they do not depend on the grouping. */
  for (guint i = 0; i < n; i++)
    {
      loss += item_loss[i];
      loss_weighted += item_loss[i] * weights[i];
      weight_sum += weights[i];
    }

  qsort (binned, n, sizeof *binned, compare_binned);
  for (gsize i = 0; i < n;)
    {
      gsize j = i;
      double pred = 0.0, real = 0.0, weight = 0.0, cnt, gap;

      while (j < n && binned[j].key == binned[i].key)
        {
          pred += binned[j].prediction;
          real += binned[j].outcome;
          weight += binned[j].weight;
          j++;
        }
      cnt = (double) (j - i);
      gap = pred / cnt - real / cnt;
      sq += gap * gap * weight;
      sq_weight += weight;
      sq_count += gap * gap * cnt;
      count_sum += cnt;
      i = j;
    }

  metrics->n_items = n;
  metrics->log_loss = loss / n;
  metrics->log_loss_weighted = loss_weighted / weight_sum;
  metrics->rmse_bins = sqrt (sq / sq_weight);
  metrics->rmse_bins_unweighted = sqrt (sq_count / count_sum);

  return TRUE;
}
