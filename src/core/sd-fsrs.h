/* sd-fsrs.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SECTION:sd-fsrs
 * @title: FSRS-6
 * @short_description: the FSRS-6 memory model and Anki's interval rules
 *
 * Pure functions: no I/O, no global state. The model follows fsrs-rs 6.x
 * (`src/model.rs` `step`) in double precision; fsrs-rs computes in single
 * precision, so results agree to about 1e-5 relative.
 */

/**
 * SD_FSRS_N_PARAMS:
 *
 * Number of FSRS-6 parameters (w0..w20).
 */
#define SD_FSRS_N_PARAMS 21

/**
 * SD_FSRS_S_MIN:
 *
 * Lower clamp of stability, in days.
 */
#define SD_FSRS_S_MIN 0.001

/**
 * SD_FSRS_S_MAX:
 *
 * Upper clamp of stability, in days.
 */
#define SD_FSRS_S_MAX 36500.0

/**
 * SD_FSRS_D_MIN:
 *
 * Lowest difficulty.
 */
#define SD_FSRS_D_MIN 1.0

/**
 * SD_FSRS_D_MAX:
 *
 * Highest difficulty.
 */
#define SD_FSRS_D_MAX 10.0

/**
 * SD_FSRS_DEFAULT_MAX_INTERVAL:
 *
 * Anki's default maximum review interval, in days.
 */
#define SD_FSRS_DEFAULT_MAX_INTERVAL 36500

/**
 * SD_FSRS_DEFAULT_RETENTION:
 *
 * The usual desired retention.
 */
#define SD_FSRS_DEFAULT_RETENTION 0.9

/**
 * SD_FSRS_ERROR:
 *
 * Error domain of the parameter loaders. Errors are #SdFsrsError values.
 */
#define SD_FSRS_ERROR (sd_fsrs_error_quark ())

/**
 * SdFsrsError:
 * @SD_FSRS_ERROR_INVALID_PARAMETERS: a parameter vector has the wrong length,
 *   a non-finite value or is not a JSON array of numbers.
 */
typedef enum
{
  SD_FSRS_ERROR_INVALID_PARAMETERS,
} SdFsrsError;

GQuark sd_fsrs_error_quark (void);

/**
 * SdFsrsRating:
 * @SD_FSRS_RATING_MANUAL: a manual entry; the state passes through unchanged
 * @SD_FSRS_RATING_AGAIN: forgotten
 * @SD_FSRS_RATING_HARD: recalled with difficulty
 * @SD_FSRS_RATING_GOOD: recalled
 * @SD_FSRS_RATING_EASY: recalled easily
 */
typedef enum
{
  SD_FSRS_RATING_MANUAL = 0,
  SD_FSRS_RATING_AGAIN  = 1,
  SD_FSRS_RATING_HARD   = 2,
  SD_FSRS_RATING_GOOD   = 3,
  SD_FSRS_RATING_EASY   = 4,
} SdFsrsRating;

/**
 * SdFsrsParams:
 * @w: the 21 FSRS-6 parameters, w[20] being the decay of the forgetting curve
 */
typedef struct
{
  double w[SD_FSRS_N_PARAMS];
} SdFsrsParams;

/**
 * SdFsrsState:
 * @stability: days for retrievability to fall from 1 to 0.9; 0 for a new card
 * @difficulty: in [1, 10]; 0 for a new card
 */
typedef struct
{
  double stability;
  double difficulty;
} SdFsrsState;

void        sd_fsrs_params_init_default (SdFsrsParams       *params);
gboolean    sd_fsrs_params_from_array   (SdFsrsParams       *params,
                                         const double       *values,
                                         gsize               n_values,
                                         GError            **error);
gboolean    sd_fsrs_params_parse_json   (SdFsrsParams       *params,
                                         const char         *json_array,
                                         GError            **error);
void        sd_fsrs_params_clip         (SdFsrsParams       *params,
                                         guint               n_relearning_steps,
                                         gboolean            short_term);

double      sd_fsrs_retrievability      (const SdFsrsParams *params,
                                         double              elapsed_days,
                                         double              stability);
double      sd_fsrs_init_stability      (const SdFsrsParams *params,
                                         int                 rating);
double      sd_fsrs_init_difficulty     (const SdFsrsParams *params,
                                         int                 rating);
double      sd_fsrs_next_difficulty     (const SdFsrsParams *params,
                                         double              difficulty,
                                         int                 rating);
double      sd_fsrs_short_term_stability (const SdFsrsParams *params,
                                          double              stability,
                                          int                 rating);
SdFsrsState sd_fsrs_next_state          (const SdFsrsParams *params,
                                         const SdFsrsState  *state,
                                         guint               delta_t,
                                         int                 rating);

double      sd_fsrs_interval            (const SdFsrsParams *params,
                                         double              stability,
                                         double              desired_retention);
int         sd_fsrs_round_interval      (double              interval,
                                         int                 max_interval);

double      sd_fsrs_fuzz_delta          (double              interval);
void        sd_fsrs_fuzz_bounds         (double              interval,
                                         int                 minimum,
                                         int                 maximum,
                                         int                *lower,
                                         int                *upper);
guint64     sd_fsrs_fuzz_seed           (guint64             card_id,
                                         guint               reps);
double      sd_fsrs_fuzz_factor         (guint64             seed);
int         sd_fsrs_fuzz_interval_with_factor (double interval,
                                               int    minimum,
                                               int    maximum,
                                               double factor);
int         sd_fsrs_fuzz_interval       (double              interval,
                                         int                 minimum,
                                         int                 maximum,
                                         guint64             seed);
void        sd_fsrs_passing_intervals   (double              hard,
                                         double              good,
                                         double              easy,
                                         int                 max_interval,
                                         gboolean            fuzz,
                                         guint64             seed,
                                         int                *out_hard,
                                         int                *out_good,
                                         int                *out_easy);

gint64      sd_fsrs_day_number          (gint64              epoch_ms,
                                         int                 day_start_hour,
                                         int                 tz_offset_minutes_east);

G_END_DECLS
