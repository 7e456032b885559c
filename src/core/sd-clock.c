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

gint64
sd_clock_day_number (gint64 epoch_s,
                     int    rollover_hour)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (epoch_s);
  g_autoptr(GDateTime) shifted = NULL;
  GDate epoch, date;

  if (local == NULL)
    return 0;
  /* The day starts at the rollover hour of local wall-clock time. */
  shifted = g_date_time_add_hours (local, -rollover_hour);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (shifted),
                  g_date_time_get_month (shifted), g_date_time_get_year (shifted));
  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, 1, 1970);
  return g_date_days_between (&epoch, &date);
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
