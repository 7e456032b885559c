/* sd-clock.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-clock.h"

static SdClockFunc clock_func;
static gpointer clock_data;
static gint64 fixed_ms;

static gint64
fixed_clock (gpointer user_data)
{
  return fixed_ms;
}

gint64
sd_clock_now_ms (void)
{
  if (clock_func != NULL)
    return clock_func (clock_data);
  return g_get_real_time () / 1000;
}

gint64
sd_clock_now (void)
{
  return sd_clock_now_ms () / 1000;
}

void
sd_clock_set (SdClockFunc func,
              gpointer    user_data)
{
  clock_func = func;
  clock_data = user_data;
}

void
sd_clock_set_fixed (gint64 epoch_ms)
{
  fixed_ms = epoch_ms;
  sd_clock_set (fixed_clock, NULL);
}

void
sd_clock_reset (void)
{
  sd_clock_set (NULL, NULL);
}

/* What GDateTime can hold: years 1 to 9999. */
#define FIRST_SECOND G_GINT64_CONSTANT (-62135596800)
#define LAST_SECOND G_GINT64_CONSTANT (253402300799)

gint64
sd_clock_day_number (gint64 epoch_s,
                     int    rollover_hour)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();

  return sd_clock_day_number_in (zone, epoch_s, rollover_hour);
}

/**
 * sd_clock_day_number_in:
 * @zone: the local time zone, from g_time_zone_new_local()
 *
 * sd_clock_day_number() for code that counts many days: GLib reads the
 * local zone afresh for every g_time_zone_new_local() when TZ is unset,
 * which costs far more than the count itself.
 */
gint64
sd_clock_day_number_in (GTimeZone *zone,
                        gint64     epoch_s,
                        int        rollover_hour)
{
  /* The day starts at the rollover hour of local wall-clock time: the
   * local date of the instant that many hours earlier. */
  gint64 shifted = epoch_s - (gint64) rollover_hour * 3600;
  gint64 local;

  if (epoch_s < FIRST_SECOND || epoch_s > LAST_SECOND)
    return 0;
  local = shifted + g_time_zone_get_offset (zone, g_time_zone_find_interval (zone,
                                                                             G_TIME_TYPE_UNIVERSAL,
                                                                             shifted));
  return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

gint64
sd_clock_day_start (gint64 day_number,
                    int    rollover_hour)
{
  GDate date;
  g_autoptr(GDateTime) start = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 1970);
  g_date_add_days (&date, (guint) day_number);
  start = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                 g_date_get_day (&date), rollover_hour, 0, 0);
  return start ? g_date_time_to_unix (start) : 0;
}
