/* sd-chart.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  SD_CHART_BARS,      /* categories along x, each a bar per series, stacked or side by side */
  SD_CHART_CALENDAR,  /* one value a day, weeks by weekdays, with month labels and a legend */
  SD_CHART_DONUT,     /* categories as slices, with a legend */
} SdChartKind;

/* Colours by meaning; each is a shade of the libadwaita palette picked for
 * the light or the dark style. */
typedef enum
{
  SD_CHART_COLOR_ACCENT,
  SD_CHART_COLOR_BLUE,
  SD_CHART_COLOR_GREEN,
  SD_CHART_COLOR_DARK_GREEN,
  SD_CHART_COLOR_YELLOW,
  SD_CHART_COLOR_ORANGE,
  SD_CHART_COLOR_RED,
  SD_CHART_COLOR_PURPLE,
  SD_CHART_COLOR_GREY,
  SD_CHART_N_COLORS
} SdChartColor;

#define SD_TYPE_CHART_KIND (sd_chart_kind_get_type ())
GType sd_chart_kind_get_type (void);

#define SD_TYPE_CHART (sd_chart_get_type ())
G_DECLARE_FINAL_TYPE (SdChart, sd_chart, SD, CHART, GtkWidget)

GtkWidget   *sd_chart_new             (SdChartKind    kind);
SdChartKind  sd_chart_get_kind        (SdChart       *self);

void         sd_chart_clear           (SdChart       *self);
void         sd_chart_add_series      (SdChart       *self,
                                       const char    *name,
                                       SdChartColor   color);
void         sd_chart_add_category    (SdChart       *self,
                                       const char    *label,
                                       const char    *tooltip,
                                       SdChartColor   color,
                                       const double  *values);
void         sd_chart_set_calendar    (SdChart       *self,
                                       gint64         first_day,
                                       const double  *values,
                                       const char   **tooltips,
                                       guint          n_days);
void         sd_chart_set_stacked     (SdChart       *self,
                                       gboolean       stacked);
void         sd_chart_set_show_values (SdChart       *self,
                                       gboolean       show_values);
void         sd_chart_set_labels_from_end (SdChart   *self,
                                       gboolean       from_end);
void         sd_chart_set_empty_text  (SdChart       *self,
                                       const char    *text);
void         sd_chart_set_center_text (SdChart       *self,
                                       const char    *text);

guint        sd_chart_get_n_series    (SdChart       *self);
guint        sd_chart_get_n_categories (SdChart      *self);
double       sd_chart_get_total       (SdChart       *self);
void         sd_chart_get_color       (SdChart       *self,
                                       SdChartColor   color,
                                       GdkRGBA       *rgba);

G_END_DECLS
