/* sd-clock.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every "now" in the core goes through here so tests can pin the clock. */
typedef gint64 (*SdClockFunc) (gpointer user_data);

gint64 sd_clock_now_ms  (void);
gint64 sd_clock_now     (void);
void   sd_clock_set     (SdClockFunc func,
                         gpointer    user_data);
void   sd_clock_set_fixed (gint64    epoch_ms);
void   sd_clock_reset   (void);

G_END_DECLS

G_BEGIN_DECLS

/* The local calendar day of @epoch_s shifted back by @rollover_hour, counted
 * from 1970-01-01: the "day number" review due dates use. */
gint64 sd_clock_day_number (gint64 epoch_s,
                            int    rollover_hour);
gint64 sd_clock_day_number_in (GTimeZone *zone,
                               gint64     epoch_s,
                               int        rollover_hour);
/* The epoch second at which day @day_number starts. */
gint64 sd_clock_day_start  (gint64 day_number,
                            int    rollover_hour);

G_END_DECLS
