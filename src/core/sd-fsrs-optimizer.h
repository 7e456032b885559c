/* sd-fsrs-optimizer.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sd-fsrs.h"
#include "sd-fsrs-items.h"

G_BEGIN_DECLS

/**
 * SECTION:sd-fsrs-optimizer
 * @title: FSRS optimizer
 * @short_description: fits FSRS-6 parameters to a review history
 *
 * The recipe of fsrs-rs `compute_parameters` (6.5): outlier filter,
 * initial-stability pre-training, recency weights, length-sorted batches in
 * a shuffled order, Adam on the weighted log loss plus an L2 pull toward the
 * starting point, cosine-annealed learning rate, parameter clipping after
 * every step, the parameters of the epoch with the lowest training loss.
 * Gradients are exact (reverse mode through the whole review history).
 * Computation is in double precision and deterministic: the same items and
 * configuration give bit-identical parameters, whatever the thread count.
 * The batch order comes from our own seeded generator, so parameters differ
 * slightly from fsrs-rs (which uses Rust's StdRng) even on identical items.
 */

/**
 * SdFsrsTrainConfig:
 * @n_epochs: passes over the training items (5)
 * @batch_size: items per batch (512)
 * @seed: seed of the batch-order generator (2023)
 * @learning_rate: Adam's starting learning rate (0.04)
 * @max_seq_len: items with more reviews are left out of training (256)
 * @gamma: strength of the L2 pull toward the starting parameters (1)
 * @short_term: train w17..w19 and the initial stabilities (%TRUE, as Anki)
 * @n_relearning_steps: relearning steps of the deck, for clipping (1)
 * @outlier_filter: apply fsrs-rs's outlier filter (%TRUE)
 * @n_threads: threads computing the gradient (1): 1 runs in the caller's
 *   thread, 0 picks the number of processors (at most 8). Results do not
 *   depend on it: every batch is cut into the same 8 chunks, added in order.
 *   Each batch is a few hundred microseconds of work, so extra threads only
 *   pay on machines whose cores run truly in parallel.
 */
typedef struct
{
  guint    n_epochs;
  guint    batch_size;
  guint64  seed;
  double   learning_rate;
  guint    max_seq_len;
  double   gamma;
  gboolean short_term;
  guint    n_relearning_steps;
  gboolean outlier_filter;
  guint    n_threads;
} SdFsrsTrainConfig;

/**
 * SdFsrsFitKind:
 * @SD_FSRS_FIT_DEFAULTS: fewer than 8 usable items: the default parameters
 * @SD_FSRS_FIT_INITIAL_STABILITY: fewer than 64 items, or only items with one
 *   long-term review: fitted w0..w3, defaults for the rest
 * @SD_FSRS_FIT_TRAINED: all parameters trained
 */
typedef enum
{
  SD_FSRS_FIT_DEFAULTS,
  SD_FSRS_FIT_INITIAL_STABILITY,
  SD_FSRS_FIT_TRAINED,
} SdFsrsFitKind;

/**
 * SdFsrsFitResult:
 * @params: the fitted parameters
 * @kind: how far the fit went
 * @n_items: items given
 * @n_train_items: items left after the outlier filter
 * @n_init_items: items used for the initial-stability pre-training
 * @n_batch_items: training items within @max_seq_len
 * @best_epoch: the epoch whose parameters were kept (0 if not trained)
 * @best_loss: its training loss (weighted log loss + L2 term, per item)
 */
typedef struct
{
  SdFsrsParams  params;
  SdFsrsFitKind kind;
  gsize         n_items;
  gsize         n_train_items;
  gsize         n_init_items;
  gsize         n_batch_items;
  guint         best_epoch;
  double        best_loss;
} SdFsrsFitResult;

/**
 * SdFsrsMetrics:
 * @n_items: items evaluated
 * @log_loss: mean binary cross-entropy over all items
 * @log_loss_weighted: the same weighted by recency weights (fsrs-rs `evaluate`)
 * @rmse_bins: RMSE(bins) as fsrs-rs computes it: per bin the squared gap
 *   between mean prediction and mean outcome, weighted by the bin's summed
 *   recency weights
 * @rmse_bins_unweighted: the same with bins weighted by their item counts
 *   (the srs-benchmark definition)
 *
 * Predictions are clamped to [1e-7, 1 - 1e-7] before the logarithm.
 */
typedef struct
{
  gsize  n_items;
  double log_loss;
  double log_loss_weighted;
  double rmse_bins;
  double rmse_bins_unweighted;
} SdFsrsMetrics;

/**
 * SD_FSRS_OPTIMIZER_ERROR:
 *
 * Error domain of the optimizer. Errors are #SdFsrsOptimizerError values.
 */
#define SD_FSRS_OPTIMIZER_ERROR (sd_fsrs_optimizer_error_quark ())

/**
 * SdFsrsOptimizerError:
 * @SD_FSRS_OPTIMIZER_ERROR_INVALID_CONFIG: a training setting is out of range
 * @SD_FSRS_OPTIMIZER_ERROR_NOT_ENOUGH_DATA: nothing to evaluate
 * @SD_FSRS_OPTIMIZER_ERROR_DIVERGED: training produced a non-finite parameter
 */
typedef enum
{
  SD_FSRS_OPTIMIZER_ERROR_INVALID_CONFIG,
  SD_FSRS_OPTIMIZER_ERROR_NOT_ENOUGH_DATA,
  SD_FSRS_OPTIMIZER_ERROR_DIVERGED,
} SdFsrsOptimizerError;

GQuark   sd_fsrs_optimizer_error_quark    (void);

void     sd_fsrs_train_config_init        (SdFsrsTrainConfig       *config);

gboolean sd_fsrs_optimize                 (const SdFsrsItems       *items,
                                           const SdFsrsTrainConfig *config,
                                           SdFsrsFitResult         *result,
                                           GError                 **error);

gboolean sd_fsrs_evaluate                 (const SdFsrsParams      *params,
                                           const SdFsrsItems       *items,
                                           SdFsrsMetrics           *metrics,
                                           GError                 **error);

/* The pieces of the recipe, public for tests and tools. */

double   sd_fsrs_items_loss               (const SdFsrsParams      *params,
                                           const SdFsrsItems       *items,
                                           const double            *weights,
                                           double                  *grad);
double   sd_fsrs_l2_penalty               (const SdFsrsParams      *params,
                                           const SdFsrsParams      *init,
                                           double                   scale,
                                           double                  *grad);
void     sd_fsrs_recency_weights          (gsize                    n_items,
                                           double                  *weights);
void     sd_fsrs_outlier_filter           (const SdFsrsItems       *items,
                                           gboolean                *in_train,
                                           gboolean                *in_init);
gboolean sd_fsrs_initial_stability        (const SdFsrsItems       *items,
                                           const gboolean          *in_train,
                                           const gboolean          *in_init,
                                           double                   s0[4],
                                           guint                    counts[4]);
void     sd_fsrs_smooth_and_fill          (double                   s0[4],
                                           const gboolean           known[4],
                                           const guint              counts[4]);

G_END_DECLS
