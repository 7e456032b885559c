/* sd-chart.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "sd-chart.h"

/* A chart drawn with GtkSnapshot: bars, a calendar heat map or a donut.
 * The data are plain numbers with labels and tooltips the caller wrote;
 * the chart only lays them out. Colours come from the libadwaita palette
 * by meaning (a lighter shade in the dark style) and text takes the
 * widget's own colour, so both follow the style as it changes. */

typedef struct
{
  char         *name;
  SdChartColor  color;
} Series;

typedef struct
{
  char         *label;
  char         *tooltip;
  SdChartColor  color;
  double       *values;   /* one per series */
} Category;

typedef struct
{
  graphene_rect_t rect;
  guint           category;
  int             series;   /* -1: the whole category */
} Hit;

struct _SdChart
{
  GtkWidget     parent_instance;

  SdChartKind   kind;
  GPtrArray    *series;
  GPtrArray    *categories;
  gint64        first_day;     /* the calendar's first day number */
  gboolean      stacked;
  gboolean      show_values;
  gboolean      labels_from_end;
  char         *empty_text;
  char         *center_text;

  GdkRGBA       colors[SD_CHART_N_COLORS];
  GdkRGBA       fg;
  gulong        dark_id;
  GArray       *hits;          /* Hit, from the last snapshot */
};

G_DEFINE_FINAL_TYPE (SdChart, sd_chart, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (SdChartKind, sd_chart_kind,
                    G_DEFINE_ENUM_VALUE (SD_CHART_BARS, "bars"),
                    G_DEFINE_ENUM_VALUE (SD_CHART_CALENDAR, "calendar"),
                    G_DEFINE_ENUM_VALUE (SD_CHART_DONUT, "donut"))

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Light and dark shades: the answer button colours of style.css, Anki's
 * card colours (young light green, mature dark green). */
static const struct
{
  const char *light;
  const char *dark;
  const char *light_fallback;
  const char *dark_fallback;
} palette[SD_CHART_N_COLORS] = {
  [SD_CHART_COLOR_ACCENT]     = { "accent_bg_color", "accent_color", "#3584e4", "#78aeed" },
  [SD_CHART_COLOR_BLUE]       = { "blue_3", "blue_2", "#3584e4", "#62a0ea" },
  [SD_CHART_COLOR_GREEN]      = { "green_4", "green_2", "#2ec27e", "#57e389" },
  [SD_CHART_COLOR_DARK_GREEN] = { "green_5", "green_4", "#26a269", "#2ec27e" },
  [SD_CHART_COLOR_YELLOW]     = { "yellow_5", "yellow_3", "#e5a50a", "#f6d32d" },
  [SD_CHART_COLOR_ORANGE]     = { "orange_4", "orange_2", "#e66100", "#ffa348" },
  [SD_CHART_COLOR_RED]        = { "red_3", "red_1", "#e01b24", "#f66151" },
  [SD_CHART_COLOR_PURPLE]     = { "purple_3", "purple_2", "#9141ac", "#c061cb" },
  [SD_CHART_COLOR_GREY]       = { "light_5", "dark_1", "#9a9996", "#77767b" },
};

/* Calendar cells and the legend's squares. */
#define CELL_MIN 8.0
#define CELL_MAX 17.0
#define PAD 4.0

static void
series_free (Series *series)
{
  g_free (series->name);
  g_free (series);
}

static void
category_free (Category *category)
{
  g_free (category->label);
  g_free (category->tooltip);
  g_free (category->values);
  g_free (category);
}

/* ---- colours and text ------------------------------------------------------ */

static void
resolve_colors (SdChart *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  for (int i = 0; i < SD_CHART_N_COLORS; i++)
    if (!gtk_style_context_lookup_color (context, dark ? palette[i].dark : palette[i].light,
                                         &self->colors[i]))
      gdk_rgba_parse (&self->colors[i], dark ? palette[i].dark_fallback
                                             : palette[i].light_fallback);
  gtk_style_context_get_color (context, &self->fg);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dark_changed_cb (SdChart *self)
{
  resolve_colors (self);
}

static GdkRGBA
fg_alpha (SdChart *self,
          float    alpha)
{
  GdkRGBA color = self->fg;

  color.alpha *= alpha;
  return color;
}

/* A layout in the widget's font, smaller for captions. */
static PangoLayout *
text_layout (SdChart    *self,
             const char *text,
             gboolean    small,
             gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
text_size (PangoLayout *layout,
           int         *width,
           int         *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (width)
    *width = logical.width;
  if (height)
    *height = logical.height;
}

static int
line_height (SdChart  *self,
             gboolean  small)
{
  g_autoptr(PangoLayout) layout = text_layout (self, "0", small, FALSE);
  int height;

  text_size (layout, NULL, &height);
  return height;
}

/* Draws @text with its top left at (@x, @y); @align -1 left, 0 centre,
 * 1 right of @x. */
static void
draw_text (SdChart     *self,
           GtkSnapshot *snapshot,
           const char  *text,
           double       x,
           double       y,
           int          align,
           gboolean     small,
           gboolean     bold,
           float        alpha)
{
  g_autoptr(PangoLayout) layout = text_layout (self, text, small, bold);
  GdkRGBA color = fg_alpha (self, alpha);
  int width;

  text_size (layout, &width, NULL);
  if (align == 0)
    x -= width / 2.0;
  else if (align > 0)
    x -= width;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x), roundf (y)));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
fill_rect (GtkSnapshot   *snapshot,
           const GdkRGBA *color,
           double         x,
           double         y,
           double         width,
           double         height,
           double         radius)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x, y, width, height);
  GskRoundedRect rounded;

  if (width <= 0 || height <= 0)
    return;
  radius = MIN (radius, MIN (width, height) / 2);
  if (radius < 0.5)
    {
      gtk_snapshot_append_color (snapshot, color, &rect);
      return;
    }
  gsk_rounded_rect_init_from_rect (&rounded, &rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, &rect);
  gtk_snapshot_pop (snapshot);
}

static void
add_hit (SdChart *self,
         double   x,
         double   y,
         double   width,
         double   height,
         guint    category,
         int      series)
{
  Hit hit = { GRAPHENE_RECT_INIT (x, y, width, height), category, series };

  g_array_append_val (self->hits, hit);
}

static char *
format_value (double value)
{
  if (fabs (value - round (value)) < 1e-9)
    return g_strdup_printf ("%.0f", value);
  return g_strdup_printf ("%.1f", value);
}

/* A round step for about @n_ticks grid lines up to @max. */
static double
nice_step (double max,
           int    n_ticks)
{
  double raw = max / n_ticks;
  double magnitude = pow (10.0, floor (log10 (raw)));
  double fraction = raw / magnitude;
  double step;

  if (fraction <= 1.0)
    step = 1.0;
  else if (fraction <= 2.0)
    step = 2.0;
  else if (fraction <= 5.0)
    step = 5.0;
  else
    step = 10.0;
  return step * magnitude;
}

static void
draw_empty (SdChart     *self,
            GtkSnapshot *snapshot,
            double       width,
            double       height)
{
  int text_height = line_height (self, FALSE);

  draw_text (self, snapshot, self->empty_text ? self->empty_text : _("No data"),
             width / 2, (height - text_height) / 2, 0, FALSE, FALSE, 0.55f);
}

/* ---- bars ------------------------------------------------------------------- */

static double
category_sum (SdChart  *self,
              Category *category)
{
  double sum = 0;

  for (guint s = 0; s < self->series->len; s++)
    sum += MAX (category->values[s], 0);
  return sum;
}

static void
draw_legend (SdChart     *self,
             GtkSnapshot *snapshot,
             double       x,
             double       y)
{
  int text_height = line_height (self, TRUE);
  double square = MIN (10.0, text_height * 0.7);

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      g_autoptr(PangoLayout) layout = text_layout (self, series->name, TRUE, FALSE);
      int width;

      text_size (layout, &width, NULL);
      fill_rect (snapshot, &self->colors[series->color], x, y + (text_height - square) / 2,
                 square, square, 2);
      draw_text (self, snapshot, series->name, x + square + 4, y, -1, TRUE, FALSE, 0.8f);
      x += square + 4 + width + 14;
    }
}

static void
snapshot_bars (SdChart     *self,
               GtkSnapshot *snapshot,
               double       width,
               double       height)
{
  guint n = self->categories->len;
  guint n_series = self->series->len;
  int small_height = line_height (self, TRUE);
  double max = 0, step, top_value, top, bottom, left, right, slot;
  double legend_height = n_series > 1 ? small_height + 6 : 0;
  int axis_width = 0, label_width = 0, ticks, every;

  for (guint i = 0; i < n; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);
      g_autoptr(PangoLayout) layout = text_layout (self, category->label ? category->label : "",
                                                   TRUE, FALSE);
      int w;

      if (self->stacked)
        max = MAX (max, category_sum (self, category));
      else
        for (guint s = 0; s < n_series; s++)
          max = MAX (max, category->values[s]);
      text_size (layout, &w, NULL);
      label_width = MAX (label_width, w);
    }

  if (n == 0 || max <= 0)
    {
      draw_empty (self, snapshot, width, height);
      return;
    }
  if (n_series > 1)
    draw_legend (self, snapshot, 0, 0);

  step = nice_step (max, 4);
  if (step < 1.0)
    step = 1.0;
  ticks = (int) ceil (max / step);
  top_value = ticks * step;
  for (int t = 0; t <= ticks; t++)
    {
      g_autofree char *text = format_value (t * step);
      g_autoptr(PangoLayout) layout = text_layout (self, text, TRUE, FALSE);
      int w;

      text_size (layout, &w, NULL);
      axis_width = MAX (axis_width, w);
    }

  top = legend_height + small_height / 2.0 + (self->show_values ? small_height : 0);
  bottom = height - small_height - 6;
  left = axis_width + 8;
  right = width - 2;
  slot = (right - left) / n;
  if (bottom - top < 20 || slot <= 0)
    return;

  /* Grid lines and their values. */
  for (int t = 0; t <= ticks; t++)
    {
      double y = round (bottom - (bottom - top) * t / ticks);
      g_autofree char *text = format_value (t * step);
      GdkRGBA line = fg_alpha (self, t == 0 ? 0.35f : 0.12f);

      fill_rect (snapshot, &line, left, y, right - left, 1, 0);
      draw_text (self, snapshot, text, axis_width, y - small_height / 2.0, 1, TRUE, FALSE, 0.6f);
    }

  for (guint i = 0; i < n; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);
      double x = left + slot * i;

      if (self->stacked || n_series == 1)
        {
          double bar = MAX (1.0, MIN (slot * 0.72, 48.0));
          double bx = x + (slot - bar) / 2, y = bottom;

          for (guint s = 0; s < n_series; s++)
            {
              Series *series = g_ptr_array_index (self->series, s);
              double h = (bottom - top) * MAX (category->values[s], 0) / top_value;

              fill_rect (snapshot, &self->colors[series->color], bx, y - h, bar, h, 0);
              y -= h;
            }
          if (self->show_values && category_sum (self, category) > 0)
            {
              g_autofree char *text = format_value (category_sum (self, category));

              draw_text (self, snapshot, text, bx + bar / 2, y - small_height - 1, 0, TRUE,
                         FALSE, 0.8f);
            }
          add_hit (self, x, top, slot, bottom - top, i, -1);
        }
      else
        {
          double group = MIN (slot * 0.8, 64.0 * n_series);
          double gap = group / n_series > 8 ? 2 : 0;
          double bar = group / n_series - gap;
          double gx = x + (slot - group) / 2;

          for (guint s = 0; s < n_series; s++)
            {
              Series *series = g_ptr_array_index (self->series, s);
              double h = (bottom - top) * MAX (category->values[s], 0) / top_value;
              double bx = gx + s * (bar + gap) + gap / 2;

              fill_rect (snapshot, &self->colors[series->color], bx, bottom - h, bar, h, 0);
              if (self->show_values)
                {
                  g_autofree char *text = format_value (category->values[s]);

                  draw_text (self, snapshot, text, bx + bar / 2, bottom - h - small_height - 1,
                             0, TRUE, FALSE, 0.8f);
                }
              add_hit (self, bx, top, bar + gap, bottom - top, i, (int) s);
            }
        }
    }

  /* Labels under the bars, as many as fit, from the first bar or the last. */
  every = MAX (1, (int) ceil ((label_width + 10) / slot));
  for (guint k = 0; k < n; k += every)
    {
      guint i = self->labels_from_end ? n - 1 - k : k;
      Category *category = g_ptr_array_index (self->categories, i);
      g_autoptr(PangoLayout) layout = NULL;
      double cx = left + slot * (i + 0.5);
      int w;

      if (category->label == NULL)
        continue;
      layout = text_layout (self, category->label, TRUE, FALSE);
      text_size (layout, &w, NULL);
      cx = CLAMP (cx, left + w / 2.0, right - w / 2.0);
      draw_text (self, snapshot, category->label, cx, bottom + 4, 0, TRUE, FALSE, 0.7f);
    }
}

/* ---- calendar ------------------------------------------------------------- */

typedef struct
{
  int    first_row;   /* weekday of the first day, Monday = 0 */
  int    n_weeks;
  double label_width;
  double top;         /* month labels above */
  double cell;
  double legend_height;
} CalendarLayout;

static GDate
day_date (gint64 day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 1970);
  if (day > 0)
    g_date_add_days (&date, (guint) day);
  return date;
}

/* A weekday's short name, from a week known to start on a Monday. */
static char *
weekday_name (int row)
{
  g_autoptr(GDateTime) monday = g_date_time_new_utc (2024, 1, 1 + row, 12, 0, 0);

  return g_date_time_format (monday, "%a");
}

static char *
month_name (int month)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, month, 1, 12, 0, 0);

  return g_date_time_format (date, "%b");
}

static void
calendar_layout (SdChart        *self,
                 double          width,
                 CalendarLayout *out)
{
  guint n = MAX (self->categories->len, 1);
  GDate first = day_date (self->first_day);
  int small_height = line_height (self, TRUE);
  int label_width = 0;

  out->first_row = g_date_get_weekday (&first) - G_DATE_MONDAY;
  out->n_weeks = (int) ((n - 1 + out->first_row) / 7 + 1);
  for (int row = 0; row < 7; row += 2)
    {
      g_autofree char *name = weekday_name (row);
      g_autoptr(PangoLayout) layout = text_layout (self, name, TRUE, FALSE);
      int w;

      text_size (layout, &w, NULL);
      label_width = MAX (label_width, w);
    }
  out->label_width = label_width + 6;
  out->top = small_height + 4;
  out->legend_height = small_height + 8;
  out->cell = width > 0 ? floor ((width - out->label_width) / out->n_weeks) : CELL_MAX;
  out->cell = CLAMP (out->cell, CELL_MIN, CELL_MAX);
}

static int
calendar_level (double value,
                double max)
{
  if (value <= 0 || max <= 0)
    return 0;
  return CLAMP ((int) ceil (4.0 * value / max), 1, 4);
}

static GdkRGBA
calendar_color (SdChart *self,
                int      level)
{
  static const float alphas[] = { 0.0f, 0.3f, 0.5f, 0.75f, 1.0f };
  GdkRGBA color = self->colors[SD_CHART_COLOR_GREEN];

  if (level == 0)
    return fg_alpha (self, 0.08f);
  color.alpha = alphas[level];
  return color;
}

static void
snapshot_calendar (SdChart     *self,
                   GtkSnapshot *snapshot,
                   double       width,
                   double       height)
{
  CalendarLayout l;
  double max = 0, gap, x, legend_y, last_label_end = -1;
  int small_height = line_height (self, TRUE);
  int previous_month = 0;

  calendar_layout (self, width, &l);
  gap = MAX (1.0, round (l.cell / 7));
  for (guint i = 0; i < self->categories->len; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);

      max = MAX (max, category->values[0]);
    }

  for (int row = 0; row < 7; row += 2)
    {
      g_autofree char *name = weekday_name (row);

      draw_text (self, snapshot, name, l.label_width - 6,
                 l.top + row * l.cell + (l.cell - small_height) / 2, 1, TRUE, FALSE, 0.6f);
    }

  for (guint i = 0; i < self->categories->len; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);
      int index = (int) i + l.first_row;
      int column = index / 7, row = index % 7;
      GDate date = day_date (self->first_day + i);
      GdkRGBA color = calendar_color (self, calendar_level (category->values[0], max));
      double cx = l.label_width + column * l.cell, cy = l.top + row * l.cell;

      fill_rect (snapshot, &color, cx, cy, l.cell - gap, l.cell - gap, 2);
      add_hit (self, cx, cy, l.cell, l.cell, i, 0);

      /* A month's name over the first column that has its first day. */
      if ((int) g_date_get_month (&date) != previous_month)
        {
          double label_x = l.label_width + (column + (row > 0 ? 1 : 0)) * l.cell;
          g_autofree char *name = month_name (g_date_get_month (&date));
          g_autoptr(PangoLayout) layout = text_layout (self, name, TRUE, FALSE);
          int w;

          text_size (layout, &w, NULL);
          if (i > 0 && label_x > last_label_end + 4 && label_x + w <= width)
            {
              draw_text (self, snapshot, name, label_x, 0, -1, TRUE, FALSE, 0.7f);
              last_label_end = label_x + w;
            }
          previous_month = (int) g_date_get_month (&date);
        }
    }

  /* Today's cell, outlined. */
  if (self->categories->len > 0)
    {
      int index = (int) self->categories->len - 1 + l.first_row;
      double cx = l.label_width + (index / 7) * l.cell, cy = l.top + (index % 7) * l.cell;
      GskRoundedRect outline;
      GdkRGBA border = fg_alpha (self, 0.7f);
      float widths[4] = { 1, 1, 1, 1 };
      GdkRGBA colors[4] = { border, border, border, border };

      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (cx - 1, cy - 1, l.cell - gap + 2,
                                                            l.cell - gap + 2), 3);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }

  /* The legend: Less, the five shades, More. */
  legend_y = l.top + 7 * l.cell + 6;
  x = l.label_width + l.n_weeks * l.cell - gap;
  {
    g_autoptr(PangoLayout) more = text_layout (self, _("More"), TRUE, FALSE);
    double square = MIN (l.cell - gap, 12.0);
    int w;

    text_size (more, &w, NULL);
    x -= w;
    draw_text (self, snapshot, _("More"), x, legend_y, -1, TRUE, FALSE, 0.6f);
    x -= 4;
    for (int level = 4; level >= 0; level--)
      {
        GdkRGBA color = calendar_color (self, level);

        x -= square;
        fill_rect (snapshot, &color, x, legend_y + (small_height - square) / 2, square, square, 2);
        x -= 2;
      }
    draw_text (self, snapshot, _("Less"), x - 2, legend_y, 1, TRUE, FALSE, 0.6f);
  }

  if (max <= 0 && self->empty_text != NULL)
    draw_text (self, snapshot, self->empty_text, l.label_width, legend_y, -1, TRUE, FALSE, 0.6f);
}

/* ---- donut -------------------------------------------------------------- */

typedef struct
{
  SdChart *self;
  double   cx, cy, radius, ring;
  double   total;
} DonutDraw;

static void
draw_ring (cairo_t   *cr,
           DonutDraw *d)
{
  double angle = -G_PI / 2;
  guint n_slices = 0;

  for (guint i = 0; i < d->self->categories->len; i++)
    n_slices += ((Category *) g_ptr_array_index (d->self->categories, i))->values[0] > 0;

  cairo_set_line_width (cr, d->ring);
  if (d->total <= 0)
    {
      GdkRGBA empty = fg_alpha (d->self, 0.1f);

      gdk_cairo_set_source_rgba (cr, &empty);
      cairo_arc (cr, d->cx, d->cy, d->radius - d->ring / 2, 0, 2 * G_PI);
      cairo_stroke (cr);
      return;
    }
  for (guint i = 0; i < d->self->categories->len; i++)
    {
      Category *category = g_ptr_array_index (d->self->categories, i);
      double sweep = 2 * G_PI * MAX (category->values[0], 0) / d->total;
      double gap = n_slices > 1 ? MIN (0.02, sweep / 4) : 0;

      if (sweep <= 0)
        continue;
      gdk_cairo_set_source_rgba (cr, &d->self->colors[category->color]);
      cairo_arc (cr, d->cx, d->cy, d->radius - d->ring / 2, angle + gap / 2,
                 angle + sweep - gap / 2);
      cairo_stroke (cr);
      angle += sweep;
    }
}

static void
snapshot_donut (SdChart     *self,
                GtkSnapshot *snapshot,
                double       width,
                double       height)
{
  DonutDraw d = { self };
  int text_height = line_height (self, FALSE);
  int small_height = line_height (self, TRUE);
  double row_height = text_height + 6;
  double legend_x, legend_y, value_width = 0;
  cairo_t *cr;

  for (guint i = 0; i < self->categories->len; i++)
    d.total += MAX (((Category *) g_ptr_array_index (self->categories, i))->values[0], 0);

  d.radius = MIN (height, width * 0.42) / 2 - 2;
  d.ring = MAX (8.0, d.radius * 0.36);
  d.cx = d.radius + 2;
  d.cy = height / 2;
  if (d.radius < 10)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, d.cx * 2, height));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  draw_ring (cr, &d);
  cairo_destroy (cr);

  {
    g_autofree char *total = format_value (d.total);

    draw_text (self, snapshot, total, d.cx,
               d.cy - (text_height + (self->center_text ? small_height : 0)) / 2.0, 0, FALSE,
               TRUE, 1.0f);
    if (self->center_text != NULL)
      draw_text (self, snapshot, self->center_text, d.cx, d.cy - (text_height + small_height) / 2.0
                 + text_height, 0, TRUE, FALSE, 0.6f);
  }

  /* The legend: a square, the name, the count and its share. */
  legend_x = d.cx * 2 + 18;
  legend_y = MAX (0, (height - row_height * self->categories->len) / 2);
  for (guint i = 0; i < self->categories->len; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);
      g_autofree char *value = format_value (category->values[0]);
      g_autoptr(PangoLayout) layout = text_layout (self, value, FALSE, FALSE);
      int w;

      text_size (layout, &w, NULL);
      value_width = MAX (value_width, w);
    }
  for (guint i = 0; i < self->categories->len; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);
      double y = legend_y + i * row_height;
      double square = MIN (12.0, text_height * 0.7);
      g_autofree char *value = format_value (category->values[0]);
      g_autofree char *share = d.total > 0
        ? g_strdup_printf ("%.0f\u00a0%%", 100.0 * MAX (category->values[0], 0) / d.total)
        : g_strdup ("");
      g_autoptr(PangoLayout) share_layout = text_layout (self, "100\u00a0%", TRUE, FALSE);
      int share_width;

      text_size (share_layout, &share_width, NULL);
      fill_rect (snapshot, &self->colors[category->color], legend_x, y + (text_height - square) / 2,
                 square, square, 3);
      draw_text (self, snapshot, category->label ? category->label : "", legend_x + square + 8, y,
                 -1, FALSE, FALSE, category->values[0] > 0 ? 1.0f : 0.55f);
      draw_text (self, snapshot, share, width, y + (text_height - small_height) / 2.0, 1, TRUE,
                 FALSE, 0.6f);
      draw_text (self, snapshot, value, width - share_width - 12, y, 1, FALSE, FALSE,
                 category->values[0] > 0 ? 1.0f : 0.55f);
      add_hit (self, legend_x, y, width - legend_x, row_height, i, -1);
    }
}

/* ---- the widget ------------------------------------------------------------ */

static void
sd_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  SdChart *self = SD_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  g_array_set_size (self->hits, 0);
  switch (self->kind)
    {
    case SD_CHART_BARS:
      snapshot_bars (self, snapshot, width, height);
      break;
    case SD_CHART_CALENDAR:
      snapshot_calendar (self, snapshot, width, height);
      break;
    case SD_CHART_DONUT:
      snapshot_donut (self, snapshot, width, height);
      break;
    }
}

static GtkSizeRequestMode
sd_chart_get_request_mode (GtkWidget *widget)
{
  return SD_CHART (widget)->kind == SD_CHART_CALENDAR ? GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH
                                                      : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
sd_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  SdChart *self = SD_CHART (widget);
  int text_height = line_height (self, FALSE);

  switch (self->kind)
    {
    case SD_CHART_CALENDAR:
      {
        CalendarLayout l;

        calendar_layout (self, for_size, &l);
        if (orientation == GTK_ORIENTATION_HORIZONTAL)
          {
            *minimum = (int) ceil (l.label_width + l.n_weeks * CELL_MIN);
            *natural = (int) ceil (l.label_width + l.n_weeks * CELL_MAX);
          }
        else
          *minimum = *natural = (int) ceil (l.top + 7 * l.cell + l.legend_height);
      }
      break;

    case SD_CHART_DONUT:
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = 280;
          *natural = 380;
        }
      else
        *minimum = *natural = MAX (160, (int) ((text_height + 6) * self->categories->len + 8));
      break;

    case SD_CHART_BARS:
    default:
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          *minimum = 220;
          *natural = 380;
        }
      else
        *minimum = *natural = 180;
      break;
    }
}

static gboolean
query_tooltip_cb (SdChart    *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  for (guint i = 0; i < self->hits->len; i++)
    {
      Hit *hit = &g_array_index (self->hits, Hit, i);
      Category *category;
      g_autofree char *text = NULL;

      if (!graphene_rect_contains_point (&hit->rect, &GRAPHENE_POINT_INIT (x, y)))
        continue;
      category = g_ptr_array_index (self->categories, hit->category);
      if (category->tooltip != NULL)
        text = g_strdup (category->tooltip);
      else if (hit->series >= 0 && self->series->len > 1)
        {
          Series *series = g_ptr_array_index (self->series, hit->series);
          g_autofree char *value = format_value (category->values[hit->series]);

          text = g_strdup_printf ("%s, %s: %s", category->label ? category->label : "",
                                  series->name, value);
        }
      else
        {
          g_autofree char *value = format_value (category->values[0]);

          text = g_strdup_printf ("%s: %s", category->label ? category->label : "", value);
        }
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }
  return FALSE;
}

static void
sd_chart_css_changed (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sd_chart_parent_class)->css_changed (widget, change);
  resolve_colors (SD_CHART (widget));
  gtk_widget_queue_resize (widget);
}

static void
sd_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  SdChart *self = SD_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  SdChart *self = SD_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_chart_dispose (GObject *object)
{
  SdChart *self = SD_CHART (object);

  g_clear_signal_handler (&self->dark_id, adw_style_manager_get_default ());

  G_OBJECT_CLASS (sd_chart_parent_class)->dispose (object);
}

static void
sd_chart_finalize (GObject *object)
{
  SdChart *self = SD_CHART (object);

  g_ptr_array_unref (self->series);
  g_ptr_array_unref (self->categories);
  g_array_unref (self->hits);
  g_free (self->empty_text);
  g_free (self->center_text);

  G_OBJECT_CLASS (sd_chart_parent_class)->finalize (object);
}

static void
sd_chart_class_init (SdChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sd_chart_get_property;
  object_class->set_property = sd_chart_set_property;
  object_class->dispose = sd_chart_dispose;
  object_class->finalize = sd_chart_finalize;

  widget_class->snapshot = sd_chart_snapshot;
  widget_class->measure = sd_chart_measure;
  widget_class->get_request_mode = sd_chart_get_request_mode;
  widget_class->css_changed = sd_chart_css_changed;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SD_TYPE_CHART_KIND, SD_CHART_BARS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sd_chart_init (SdChart *self)
{
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) category_free);
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  self->stacked = TRUE;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  /* The style change restyles the widget too, but the palette shade to use
   * depends on the style manager, which may tell later. */
  self->dark_id = g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  resolve_colors (self);
}

/* ---- API ------------------------------------------------------------------ */

GtkWidget *
sd_chart_new (SdChartKind kind)
{
  return g_object_new (SD_TYPE_CHART, "kind", kind, NULL);
}

SdChartKind
sd_chart_get_kind (SdChart *self)
{
  g_return_val_if_fail (SD_IS_CHART (self), SD_CHART_BARS);

  return self->kind;
}

/**
 * sd_chart_clear:
 *
 * Removes every series and category.
 */
void
sd_chart_clear (SdChart *self)
{
  g_return_if_fail (SD_IS_CHART (self));

  g_ptr_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->categories, 0);
  g_array_set_size (self->hits, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * sd_chart_add_series:
 *
 * Adds a series: a bar in each category (stacked or side by side) and a
 * legend entry when there are several. Series come before categories.
 */
void
sd_chart_add_series (SdChart      *self,
                     const char   *name,
                     SdChartColor  color)
{
  Series *series;

  g_return_if_fail (SD_IS_CHART (self));
  g_return_if_fail (self->categories->len == 0);

  series = g_new0 (Series, 1);
  series->name = g_strdup (name);
  series->color = color;
  g_ptr_array_add (self->series, series);
}

/**
 * sd_chart_add_category:
 * @label: (nullable): shown under a bar or in the donut's legend
 * @tooltip: (nullable): shown on hover; by default the label and value
 * @color: the slice colour of a donut
 * @values: one value per series (a donut has one series, added if none)
 */
void
sd_chart_add_category (SdChart      *self,
                       const char   *label,
                       const char   *tooltip,
                       SdChartColor  color,
                       const double *values)
{
  Category *category;

  g_return_if_fail (SD_IS_CHART (self));

  if (self->series->len == 0)
    sd_chart_add_series (self, "", color);

  category = g_new0 (Category, 1);
  category->label = g_strdup (label);
  category->tooltip = g_strdup (tooltip);
  category->color = color;
  category->values = g_memdup2 (values, self->series->len * sizeof (double));
  g_ptr_array_add (self->categories, category);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * sd_chart_set_calendar:
 * @first_day: the day number (days since 1970-01-01) of @values[0]
 * @tooltips: (nullable): one per day
 *
 * Replaces the data of a calendar chart with one value a day.
 */
void
sd_chart_set_calendar (SdChart       *self,
                       gint64         first_day,
                       const double  *values,
                       const char   **tooltips,
                       guint          n_days)
{
  g_return_if_fail (SD_IS_CHART (self));

  sd_chart_clear (self);
  self->first_day = first_day;
  sd_chart_add_series (self, "", SD_CHART_COLOR_GREEN);
  for (guint i = 0; i < n_days; i++)
    sd_chart_add_category (self, NULL, tooltips ? tooltips[i] : NULL, SD_CHART_COLOR_GREEN,
                           &values[i]);
}

/**
 * sd_chart_set_stacked:
 *
 * Whether the series of a category are stacked in one bar (the default)
 * or stand side by side.
 */
void
sd_chart_set_stacked (SdChart  *self,
                      gboolean  stacked)
{
  g_return_if_fail (SD_IS_CHART (self));

  self->stacked = stacked;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sd_chart_set_show_values (SdChart  *self,
                          gboolean  show_values)
{
  g_return_if_fail (SD_IS_CHART (self));

  self->show_values = show_values;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sd_chart_set_labels_from_end:
 *
 * Whether the labels under bars that do not all fit are picked from the
 * last bar back (the first bar on is the default).
 */
void
sd_chart_set_labels_from_end (SdChart  *self,
                              gboolean  from_end)
{
  g_return_if_fail (SD_IS_CHART (self));

  self->labels_from_end = from_end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sd_chart_set_empty_text (SdChart    *self,
                         const char *text)
{
  g_return_if_fail (SD_IS_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * sd_chart_set_center_text:
 *
 * The caption under the total in a donut's hole.
 */
void
sd_chart_set_center_text (SdChart    *self,
                          const char *text)
{
  g_return_if_fail (SD_IS_CHART (self));

  g_free (self->center_text);
  self->center_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sd_chart_get_n_series (SdChart *self)
{
  g_return_val_if_fail (SD_IS_CHART (self), 0);

  return self->series->len;
}

guint
sd_chart_get_n_categories (SdChart *self)
{
  g_return_val_if_fail (SD_IS_CHART (self), 0);

  return self->categories->len;
}

/**
 * sd_chart_get_total:
 *
 * Returns: the sum of every value
 */
double
sd_chart_get_total (SdChart *self)
{
  double total = 0;

  g_return_val_if_fail (SD_IS_CHART (self), 0);

  for (guint i = 0; i < self->categories->len; i++)
    total += category_sum (self, g_ptr_array_index (self->categories, i));
  return total;
}

/**
 * sd_chart_get_color:
 *
 * The shade @color is drawn in now, for legends outside the chart.
 */
void
sd_chart_get_color (SdChart      *self,
                    SdChartColor  color,
                    GdkRGBA      *rgba)
{
  g_return_if_fail (SD_IS_CHART (self));
  g_return_if_fail (color < SD_CHART_N_COLORS);

  *rgba = self->colors[color];
}
