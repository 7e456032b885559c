/* sd-cli-fsrs-optimize.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * sd_cli_fsrs_optimize:
 * @collection_path: (nullable): the collection chosen with --collection, or
 *   %NULL for the user's own (used with --preset only)
 * @argc: number of arguments
 * @argv: the arguments, argv[0] being "optimize"
 *
 * `studydeck-cli fsrs optimize FILE.csv [--day-start-hour 4]
 * [--tz-offset-min 0] [--json]` fits FSRS-6 parameters to a review log in
 * the CSV layout `card_id,review_time,review_rating[,review_state,
 * review_duration]` (header row, any column order, review_time in epoch ms).
 *
 * `studydeck-cli [--collection PATH] fsrs optimize --preset NAME [--apply]
 * [--json]` fits them to the collection's own review log for the decks that
 * use the options preset NAME (days start at the preset's rollover hour in
 * the local time zone); --apply stores them in the preset.
 *
 * With --json it prints `{"params": [21 numbers], "log_loss": X,
 * "rmse_bins": X, "items": N, "seconds": X}`: the mean log loss over all
 * items for the fitted parameters, RMSE(bins) as fsrs-rs computes it, the
 * number of items and the wall-clock seconds of the fit.
 *
 * Returns: 0 on success, 1 on bad input or a failed fit, 2 on a usage error
 */
int sd_cli_fsrs_optimize (const char  *collection_path,
                          int          argc,
                          char       **argv);

/**
 * sd_cli_fsrs_evaluate:
 * @argc: number of arguments
 * @argv: the arguments, argv[0] being "evaluate"
 *
 * `studydeck-cli fsrs evaluate FILE.csv --params JSON_ARRAY|FILE
 * [--day-start-hour 4] [--tz-offset-min 0] [--json]` prints the metrics of
 * sd_cli_fsrs_optimize() for the given parameters (17, 19 or 21 numbers,
 * loaded as fsrs-rs loads them); "seconds" is the time of the evaluation.
 *
 * Returns: 0 on success, 1 on bad input, 2 on a usage error
 */
int sd_cli_fsrs_evaluate (int    argc,
                          char **argv);

G_END_DECLS
