/* sd-cli-fsrs.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * sd_cli_fsrs_replay:
 * @argc: number of arguments
 * @argv: the arguments, argv[0] being "replay"
 *
 * `studydeck-cli fsrs replay [--params JSON_ARRAY|FILE] [--retention 0.9]
 * [--day-start-hour 4] [--tz-offset-min 0] [--max-interval 36500]`
 *
 * Reads one card per line on standard input,
 * `{"id": ANY, "reviews": [{"t": EPOCH_MS, "rating": 1..4}, ...]}`, and
 * writes one line per card on standard output,
 * `{"id": ANY, "steps": [{"delta_t": DAYS, "r": R_OR_NULL, "s": S, "d": D,
 * "interval": DAYS}, ...]}`.
 *
 * Returns: 0 on success, 1 if a line was malformed (reported on standard
 *   error and skipped) or standard input could not be read, 2 on a usage error
 */
int sd_cli_fsrs_replay (int    argc,
                        char **argv);

G_END_DECLS
