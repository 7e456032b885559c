/* sd-stats-view.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-chart.h"
#include "sd-deck.h"
#include "sd-stats-view.h"

/* The statistics of the collection or of one deck: today at a glance, the
 * review calendar, the due forecast, review time, true retention, cards by
 * state, answer buttons and the FSRS difficulty of the cards. The figures
 * come from sd_stats_compute_async () (a worker with its own connection),
 * again when the collection changes while the view is shown. */

enum {
  TILE_REVIEWS,
  TILE_TIME,
  TILE_AGAIN,
  TILE_STREAK,
  TILE_DUE,
  TILE_RETRIEVABILITY,
  N_TILES
};

struct _SdStatsView
{
  GtkWidget      parent_instance;

  SdCollection  *collection;
  gulong         changed_id;
  gint64         deck_id;
  GArray        *deck_ids;        /* gint64 per drop-down item, 0 = whole collection */
  gboolean       updating_decks;
  SdStats       *stats;
  GCancellable  *cancellable;
  gboolean       dirty;           /* the collection changed while hidden */
  guint          refresh_id;

  GtkStack      *stack;
  AdwStatusPage *empty_page;
  GtkSpinner    *spinner;
  GtkDropDown   *deck_dropdown;
  GtkStringList *deck_names;
  GtkBox        *today_box;
  GtkFlowBox    *sections;
  GtkGrid       *retention_grid;
  GtkLabel      *calendar_caption;
  GtkLabel      *forecast_caption;
  GtkLabel      *time_caption;
  GtkLabel      *retention_caption;
  GtkLabel      *states_caption;
  GtkLabel      *buttons_caption;
  GtkLabel      *fsrs_caption;
  SdChart       *calendar_chart;
  SdChart       *forecast_chart;
  SdChart       *time_chart;
  SdChart       *states_chart;
  SdChart       *buttons_chart;
  SdChart       *difficulty_chart;

  GtkLabel      *tile_values[N_TILES];
  GtkLabel      *tile_captions[N_TILES];
  GtkLabel      *retention_cells[SD_STATS_N_PERIODS][3];
};

G_DEFINE_FINAL_TYPE (SdStatsView, sd_stats_view, GTK_TYPE_WIDGET)

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh_now (SdStatsView *self);

/* ---- text ------------------------------------------------------------------ */

static GDateTime *
day_time (gint64 day)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (1970, 1, 1, 12, 0, 0);

  return g_date_time_add_days (epoch, (int) day);
}

static char *
format_day (gint64      day,
            const char *format)
{
  g_autoptr(GDateTime) date = day_time (day);

  return g_date_time_format (date, format);
}

static char *
format_duration (gint64 duration_ms)
{
  gint64 minutes = (duration_ms + 30000) / 60000;

  if (minutes < 1 && duration_ms > 0)
    return g_strdup_printf (_("%lld s"), (long long) ((duration_ms + 500) / 1000));
  if (minutes < 60)
    return g_strdup_printf (_("%lld min"), (long long) minutes);
  return g_strdup_printf (_("%lld h %02lld min"), (long long) (minutes / 60),
                          (long long) (minutes % 60));
}

static char *
format_percent (guint part,
                guint total)
{
  if (total == 0)
    return g_strdup ("–");
  return g_strdup_printf (_("%.1f\u00a0%%"), 100.0 * part / total);
}

/* ---- today ----------------------------------------------------------------- */

static void
build_tiles (SdStatsView *self)
{
  for (int i = 0; i < N_TILES; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value = gtk_label_new ("–");
      GtkWidget *caption = gtk_label_new (NULL);

      gtk_widget_set_margin_top (box, 12);
      gtk_widget_set_margin_bottom (box, 12);
      gtk_widget_add_css_class (value, "title-2");
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_label_set_justify (GTK_LABEL (caption), GTK_JUSTIFY_CENTER);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_box_append (self->today_box, box);
      self->tile_values[i] = GTK_LABEL (value);
      self->tile_captions[i] = GTK_LABEL (caption);
    }
}

static void
set_tile (SdStatsView *self,
          int          tile,
          const char  *value,
          const char  *caption)
{
  gtk_label_set_text (self->tile_values[tile], value);
  gtk_label_set_text (self->tile_captions[tile], caption);
}

static void
show_today (SdStatsView   *self,
            const SdStats *stats)
{
  const SdStatsToday *today = &stats->today_totals;
  guint due = stats->forecast[0].reviews + stats->forecast[0].day_learning + today->learning_due;
  g_autofree char *reviews = g_strdup_printf ("%u", today->reviews);
  g_autofree char *time = format_duration (today->duration_ms);
  g_autofree char *again = format_percent (today->again, today->reviews);
  g_autofree char *streak = g_strdup_printf ("%u", today->streak_days);
  g_autofree char *due_text = g_strdup_printf ("%u", due);
  g_autofree char *retrievability = stats->retrievability_cards > 0
    ? g_strdup_printf (_("%.1f\u00a0%%"), 100.0 * stats->average_retrievability)
    : g_strdup ("–");

  set_tile (self, TILE_REVIEWS, reviews,
            g_dngettext (GETTEXT_PACKAGE, "Review today", "Reviews today", today->reviews));
  set_tile (self, TILE_TIME, today->reviews > 0 ? time : "–", _("Time today"));
  set_tile (self, TILE_AGAIN, again, _("Again today"));
  set_tile (self, TILE_STREAK, streak,
            g_dngettext (GETTEXT_PACKAGE, "Day in a row", "Days in a row", today->streak_days));
  set_tile (self, TILE_DUE, due_text, _("Due today"));
  set_tile (self, TILE_RETRIEVABILITY, retrievability, _("Average retrievability"));
}

/* ---- charts ---------------------------------------------------------------- */

static void
show_calendar (SdStatsView   *self,
               const SdStats *stats)
{
  double values[SD_STATS_CALENDAR_DAYS];
  g_autoptr(GPtrArray) tooltips = g_ptr_array_new_with_free_func (g_free);
  guint total = 0, days = 0, busiest = 0;
  gint64 duration_ms = 0;
  g_autofree char *caption = NULL;
  g_autofree char *time = NULL;

  for (int i = 0; i < SD_STATS_CALENDAR_DAYS; i++)
    {
      const SdStatsDay *day = &stats->calendar[i];
      g_autofree char *date = format_day (day->day, _("%a %-d %b %Y"));
      g_autofree char *spent = format_duration (day->duration_ms);

      values[i] = day->reviews;
      total += day->reviews;
      days += day->reviews > 0;
      busiest = MAX (busiest, day->reviews);
      duration_ms += day->duration_ms;
      if (day->reviews == 0)
        g_ptr_array_add (tooltips, g_strdup_printf (_("%s: no reviews"), date));
      else
        g_ptr_array_add (tooltips,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u review, %s",
                                                       "%s: %u reviews, %s", day->reviews),
                                          date, day->reviews, spent));
    }
  sd_chart_set_calendar (self->calendar_chart, stats->calendar[0].day, values,
                         (const char **) tooltips->pdata, SD_STATS_CALENDAR_DAYS);

  time = format_duration (duration_ms);
  if (total == 0)
    caption = g_strdup (_("No reviews in the last year."));
  else
    caption = g_strdup_printf (_("%u reviews on %u of the last 365 days, %s in all; "
                                 "the busiest day had %u."),
                               total, days, time, busiest);
  gtk_label_set_text (self->calendar_caption, caption);
}

static void
show_forecast (SdStatsView   *self,
               const SdStats *stats)
{
  guint week = 0, month = 0;
  g_autofree char *caption = NULL;

  sd_chart_clear (self->forecast_chart);
  sd_chart_add_series (self->forecast_chart, _("Reviews"), SD_CHART_COLOR_BLUE);
  sd_chart_add_series (self->forecast_chart, _("Learning"), SD_CHART_COLOR_ORANGE);
  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    {
      const SdStatsForecastDay *day = &stats->forecast[i];
      double values[2] = { day->reviews, day->day_learning };
      g_autofree char *label = i == 0 ? g_strdup (_("Today")) : format_day (day->day, _("%-d %b"));
      g_autofree char *date = format_day (day->day, _("%a %-d %b"));
      g_autofree char *tooltip = g_strdup_printf (_("%s: %u reviews, %u learning"), date,
                                                  day->reviews, day->day_learning);

      sd_chart_add_category (self->forecast_chart, label, tooltip, SD_CHART_COLOR_BLUE, values);
      if (i < 7)
        week += day->reviews + day->day_learning;
      month += day->reviews + day->day_learning;
    }
  sd_chart_set_empty_text (self->forecast_chart, _("Nothing due in the next 30 days"));

  caption = g_strdup_printf (_("Due today %u (overdue included), in 7 days %u, in 30 days %u; "
                               "learning cards due today %u."),
                             stats->forecast[0].reviews + stats->forecast[0].day_learning,
                             week, month, stats->today_totals.learning_due);
  gtk_label_set_text (self->forecast_caption, caption);
}

static void
show_time (SdStatsView   *self,
           const SdStats *stats)
{
  gint64 total_ms = 0;
  guint reviews = 0, days = 0;
  g_autofree char *caption = NULL;

  sd_chart_clear (self->time_chart);
  sd_chart_add_series (self->time_chart, _("Minutes"), SD_CHART_COLOR_ACCENT);
  for (int i = 0; i < SD_STATS_TIME_DAYS; i++)
    {
      const SdStatsDay *day = &stats->time_per_day[i];
      double minutes = day->duration_ms / 60000.0;
      g_autofree char *label = i == SD_STATS_TIME_DAYS - 1 ? g_strdup (_("Today"))
                                                           : format_day (day->day, _("%-d %b"));
      g_autofree char *date = format_day (day->day, _("%a %-d %b"));
      g_autofree char *spent = format_duration (day->duration_ms);
      g_autofree char *tooltip = g_strdup_printf (_("%s: %s, %u reviews"), date,
                                                  day->reviews ? spent : _("no reviews"),
                                                  day->reviews);

      sd_chart_add_category (self->time_chart, label, tooltip, SD_CHART_COLOR_ACCENT, &minutes);
      total_ms += day->duration_ms;
      reviews += day->reviews;
      days += day->reviews > 0;
    }
  sd_chart_set_empty_text (self->time_chart, _("No reviews in the last 30 days"));
  sd_chart_set_labels_from_end (self->time_chart, TRUE);

  if (reviews == 0)
    caption = g_strdup (_("Minutes a day over the last 30 days."));
  else
    {
      g_autofree char *total = format_duration (total_ms);
      g_autofree char *daily = format_duration (total_ms / MAX (days, 1));
      g_autofree char *per_card = g_strdup_printf ("%.1f", total_ms / 1000.0 / reviews);

      caption = g_strdup_printf (_("Minutes a day over the last 30 days: %s in all, %s on days "
                                   "studied, %s s a review."),
                                 total, daily, per_card);
    }
  gtk_label_set_text (self->time_caption, caption);
}

static void
build_retention_grid (SdStatsView *self)
{
  const char *columns[] = { N_("Young"), N_("Mature"), N_("Total") };
  const char *periods[SD_STATS_N_PERIODS] = {
    N_("Today"), N_("Yesterday"), N_("Last 7 days"), N_("Last 30 days"), N_("Last year"),
    N_("All time")
  };

  for (int c = 0; c < 3; c++)
    {
      GtkWidget *label = gtk_label_new (_(columns[c]));

      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_grid_attach (self->retention_grid, label, c + 1, 0, 1, 1);
    }
  for (int p = 0; p < SD_STATS_N_PERIODS; p++)
    {
      GtkWidget *label = gtk_label_new (_(periods[p]));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_yalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (self->retention_grid, label, 0, p + 1, 1, 1);
      for (int c = 0; c < 3; c++)
        {
          GtkWidget *cell = gtk_label_new ("–");

          gtk_label_set_xalign (GTK_LABEL (cell), 1);
          gtk_label_set_justify (GTK_LABEL (cell), GTK_JUSTIFY_RIGHT);
          gtk_widget_add_css_class (cell, "numeric");
          gtk_grid_attach (self->retention_grid, cell, c + 1, p + 1, 1, 1);
          self->retention_cells[p][c] = GTK_LABEL (cell);
        }
    }
}

static void
set_retention_cell (GtkLabel *cell,
                    guint     passed,
                    guint     failed)
{
  guint total = passed + failed;
  g_autofree char *markup = NULL;
  g_autofree char *tooltip = NULL;

  if (total == 0)
    {
      gtk_label_set_text (cell, "–");
      gtk_widget_set_tooltip_text (GTK_WIDGET (cell), _("No reviews"));
      return;
    }
  markup = g_markup_printf_escaped ("%.1f\u00a0%%\n<span alpha=\"60%%\" size=\"small\">%u/%u</span>",
                                    100.0 * passed / total, passed, total);
  tooltip = g_strdup_printf (_("%u passed, %u failed"), passed, failed);
  gtk_label_set_markup (cell, markup);
  gtk_widget_set_tooltip_text (GTK_WIDGET (cell), tooltip);
}

static void
show_retention (SdStatsView   *self,
                const SdStats *stats)
{
  for (int p = 0; p < SD_STATS_N_PERIODS; p++)
    {
      const SdStatsRetention *r = &stats->retention[p];

      set_retention_cell (self->retention_cells[p][0], r->young_passed, r->young_failed);
      set_retention_cell (self->retention_cells[p][1], r->mature_passed, r->mature_failed);
      set_retention_cell (self->retention_cells[p][2], r->young_passed + r->mature_passed,
                          r->young_failed + r->mature_failed);
    }
  gtk_label_set_text (self->retention_caption,
                      _("Reviews passed (Hard, Good or Easy): the first review of a card each "
                        "day. Mature cards had an interval of 21 days or more."));
}

static void
show_states (SdStatsView   *self,
             const SdStats *stats)
{
  const SdStatsCardStates *states = &stats->card_states;
  const struct { const char *name; SdChartColor color; guint count; } slices[] = {
    { N_("New"), SD_CHART_COLOR_BLUE, states->new_cards },
    { N_("Learning"), SD_CHART_COLOR_ORANGE, states->learning },
    { N_("Relearning"), SD_CHART_COLOR_RED, states->relearning },
    { N_("Young"), SD_CHART_COLOR_GREEN, states->young },
    { N_("Mature"), SD_CHART_COLOR_DARK_GREEN, states->mature },
    { N_("Suspended"), SD_CHART_COLOR_YELLOW, states->suspended },
    { N_("Buried"), SD_CHART_COLOR_GREY, states->buried },
  };
  g_autofree char *caption = NULL;

  sd_chart_clear (self->states_chart);
  for (guint i = 0; i < G_N_ELEMENTS (slices); i++)
    {
      double value = slices[i].count;
      g_autofree char *tooltip = g_strdup_printf ("%s: %u", _(slices[i].name), slices[i].count);

      sd_chart_add_category (self->states_chart, _(slices[i].name), tooltip, slices[i].color,
                             &value);
    }
  sd_chart_set_center_text (self->states_chart, _("cards"));

  if (states->retired > 0)
    caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Young cards have an interval under 21 days. "
                                            "%u card whose text left its note is not counted.",
                                            "Young cards have an interval under 21 days. "
                                            "%u cards whose text left their notes are not "
                                            "counted.",
                                            states->retired),
                               states->retired);
  else
    caption = g_strdup (_("Young cards have an interval under 21 days."));
  gtk_label_set_text (self->states_caption, caption);
}

static void
show_buttons (SdStatsView   *self,
              const SdStats *stats)
{
  const char *groups[SD_STATS_N_GROUPS] = { N_("Learning"), N_("Young"), N_("Mature") };
  g_autoptr(GString) caption = g_string_new (_("Correct answers (not Again):"));

  sd_chart_clear (self->buttons_chart);
  sd_chart_add_series (self->buttons_chart, _("Again"), SD_CHART_COLOR_RED);
  sd_chart_add_series (self->buttons_chart, _("Hard"), SD_CHART_COLOR_ORANGE);
  sd_chart_add_series (self->buttons_chart, _("Good"), SD_CHART_COLOR_GREEN);
  sd_chart_add_series (self->buttons_chart, _("Easy"), SD_CHART_COLOR_BLUE);
  sd_chart_set_stacked (self->buttons_chart, FALSE);
  sd_chart_set_show_values (self->buttons_chart, TRUE);
  for (int g = 0; g < SD_STATS_N_GROUPS; g++)
    {
      const guint *counts = stats->buttons[g];
      double values[4] = { counts[0], counts[1], counts[2], counts[3] };
      guint total = counts[0] + counts[1] + counts[2] + counts[3];
      g_autofree char *correct = format_percent (total - counts[0], total);

      sd_chart_add_category (self->buttons_chart, _(groups[g]), NULL, SD_CHART_COLOR_BLUE, values);
      g_string_append_printf (caption, "%s %s %s", g > 0 ? "," : "", _(groups[g]), correct);
    }
  sd_chart_set_empty_text (self->buttons_chart, _("No answers yet"));
  g_string_append (caption, ".");
  gtk_label_set_text (self->buttons_caption, caption->str);
}

static void
show_fsrs (SdStatsView   *self,
           const SdStats *stats)
{
  g_autofree char *caption = NULL;

  sd_chart_clear (self->difficulty_chart);
  sd_chart_add_series (self->difficulty_chart, _("Cards"), SD_CHART_COLOR_PURPLE);
  for (int i = 0; i < SD_STATS_DIFFICULTY_BUCKETS; i++)
    {
      double value = stats->difficulty[i];
      g_autofree char *label = g_strdup_printf (_("%d\u00a0%%"), i * 10);
      g_autofree char *tooltip = g_strdup_printf (_("Difficulty %d–%d\u00a0%%: %u cards"), i * 10,
                                                  i * 10 + 10, stats->difficulty[i]);

      sd_chart_add_category (self->difficulty_chart, label, tooltip, SD_CHART_COLOR_PURPLE,
                             &value);
    }
  sd_chart_set_empty_text (self->difficulty_chart, _("No cards with a memory state yet"));

  if (stats->retrievability_cards > 0)
    caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Cards by FSRS difficulty. The chance to recall a "
                                            "review card now is %.1f\u00a0%% on average (%u card).",
                                            "Cards by FSRS difficulty. The chance to recall a "
                                            "review card now is %.1f\u00a0%% on average (%u cards).",
                                            stats->retrievability_cards),
                               100.0 * stats->average_retrievability,
                               stats->retrievability_cards);
  else
    caption = g_strdup (_("Cards by FSRS difficulty."));
  gtk_label_set_text (self->fsrs_caption, caption);
}

static void
show_stats (SdStatsView   *self,
            const SdStats *stats)
{
  show_today (self, stats);
  show_calendar (self, stats);
  show_forecast (self, stats);
  show_time (self, stats);
  show_retention (self, stats);
  show_states (self, stats);
  show_buttons (self, stats);
  show_fsrs (self, stats);
}

/* ---- decks ---------------------------------------------------------------- */

static void
select_deck (SdStatsView *self)
{
  guint index = 0;

  for (guint i = 0; i < self->deck_ids->len; i++)
    if (g_array_index (self->deck_ids, gint64, i) == self->deck_id)
      index = i;
  self->updating_decks = TRUE;
  gtk_drop_down_set_selected (self->deck_dropdown, index);
  self->updating_decks = FALSE;
}

static void
reload_decks (SdStatsView *self)
{
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gint64 whole = 0;
  gboolean found = self->deck_id == 0;

  g_array_set_size (self->deck_ids, 0);
  g_array_append_val (self->deck_ids, whole);
  g_ptr_array_add (names, (gpointer) _("Whole Collection"));
  if (self->collection != NULL)
    decks = sd_deck_list (self->collection, NULL);
  for (guint i = 0; decks != NULL && i < decks->len; i++)
    {
      SdDeck *deck = g_ptr_array_index (decks, i);

      g_array_append_val (self->deck_ids, deck->id);
      g_ptr_array_add (names, deck->full_name);
      found |= deck->id == self->deck_id;
    }
  g_ptr_array_add (names, NULL);

  self->updating_decks = TRUE;
  gtk_string_list_splice (self->deck_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->deck_names)),
                          (const char * const *) names->pdata);
  self->updating_decks = FALSE;
  if (!found)
    self->deck_id = 0;
  select_deck (self);
}

static void
deck_selected_cb (SdStatsView *self)
{
  guint index = gtk_drop_down_get_selected (self->deck_dropdown);

  if (self->updating_decks || index >= self->deck_ids->len)
    return;
  if (g_array_index (self->deck_ids, gint64, index) == self->deck_id)
    return;
  self->deck_id = g_array_index (self->deck_ids, gint64, index);
  refresh_now (self);
}

/* ---- computing ------------------------------------------------------------- */

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdStatsView) self = user_data;
  g_autoptr(GError) error = NULL;
  SdStats *stats = sd_stats_compute_finish (SD_COLLECTION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  if (stats == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Statistics Unavailable"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      g_clear_pointer (&self->stats, sd_stats_free);
      self->stats = stats;
      show_stats (self, stats);
      gtk_stack_set_visible_child_name (self->stack, "stats");
    }
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
refresh_now (SdStatsView *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->dirty = FALSE;

  if (self->collection == NULL)
    {
      gtk_spinner_stop (self->spinner);
      adw_status_page_set_title (self->empty_page, _("No Statistics"));
      adw_status_page_set_description (self->empty_page,
                                       _("Open a collection to see its review history."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  /* The first figures take a moment: no message meanwhile. */
  if (self->stats == NULL)
    {
      adw_status_page_set_title (self->empty_page, "");
      adw_status_page_set_description (self->empty_page, NULL);
    }

  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  sd_stats_compute_async (self->collection, self->deck_id, self->cancellable, computed_cb,
                          g_object_ref (self));
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  SdStatsView *self = user_data;

  self->refresh_id = 0;
  refresh_now (self);
  return G_SOURCE_REMOVE;
}

/* Reviews change the figures one answer at a time: gather them, and wait
 * until the view is shown. */
static void
collection_changed_cb (SdStatsView *self)
{
  reload_decks (self);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add (400, refresh_timeout_cb, self);
}

static void
sd_stats_view_map (GtkWidget *widget)
{
  SdStatsView *self = SD_STATS_VIEW (widget);

  GTK_WIDGET_CLASS (sd_stats_view_parent_class)->map (widget);
  /* A day may have passed too: "today" moves. */
  if (self->dirty || (self->stats != NULL && self->cancellable == NULL))
    refresh_now (self);
}

/* ---- the widget ---------------------------------------------------------------- */

static void
sd_stats_view_dispose (GObject *object)
{
  SdStatsView *self = SD_STATS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_STATS_VIEW);

  G_OBJECT_CLASS (sd_stats_view_parent_class)->dispose (object);
}

static void
sd_stats_view_finalize (GObject *object)
{
  SdStatsView *self = SD_STATS_VIEW (object);

  g_clear_pointer (&self->stats, sd_stats_free);
  g_array_unref (self->deck_ids);

  G_OBJECT_CLASS (sd_stats_view_parent_class)->finalize (object);
}

static void
sd_stats_view_class_init (SdStatsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_stats_view_dispose;
  object_class->finalize = sd_stats_view_finalize;
  widget_class->map = sd_stats_view_map;

  /**
   * SdStatsView::updated:
   *
   * Emitted when new figures are shown, or an error instead.
   */
  signals[UPDATED] = g_signal_new ("updated",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  g_type_ensure (SD_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/StudyDeck/ui/sd-stats-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, stack);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, deck_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, deck_names);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, today_box);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, sections);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, retention_grid);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, calendar_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, forecast_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, time_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, retention_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, states_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, buttons_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, fsrs_caption);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, calendar_chart);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, forecast_chart);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, time_chart);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, states_chart);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, buttons_chart);
  gtk_widget_class_bind_template_child (widget_class, SdStatsView, difficulty_chart);
  gtk_widget_class_bind_template_callback (widget_class, deck_selected_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statsview");
}

static void
sd_stats_view_init (SdStatsView *self)
{
  GtkWidget *child;

  self->deck_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));

  build_tiles (self);
  build_retention_grid (self);
  /* The sections are not for selecting: keep them out of the focus chain. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->sections)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  reload_decks (self);
}

/* ---- API ------------------------------------------------------------------ */

GtkWidget *
sd_stats_view_new (void)
{
  return g_object_new (SD_TYPE_STATS_VIEW, NULL);
}

/**
 * sd_stats_view_set_collection:
 * @collection: (nullable): the collection to show
 *
 * Shows the statistics of @collection (the whole of it, or the deck chosen
 * before if it has one by that id) and follows its changes.
 */
void
sd_stats_view_set_collection (SdStatsView  *self,
                              SdCollection *collection)
{
  g_return_if_fail (SD_IS_STATS_VIEW (self));
  g_return_if_fail (collection == NULL || SD_IS_COLLECTION (collection));

  if (self->collection == collection)
    return;
  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_set_object (&self->collection, collection);
  g_clear_pointer (&self->stats, sd_stats_free);
  if (collection != NULL)
    self->changed_id = g_signal_connect_object (collection, "changed",
                                                G_CALLBACK (collection_changed_cb), self,
                                                G_CONNECT_SWAPPED);
  reload_decks (self);
  refresh_now (self);
}

/**
 * sd_stats_view_set_deck:
 * @deck_id: a deck (with its subdecks), or 0 for the whole collection
 */
void
sd_stats_view_set_deck (SdStatsView *self,
                        gint64       deck_id)
{
  g_return_if_fail (SD_IS_STATS_VIEW (self));

  if (deck_id == self->deck_id && (self->stats != NULL || self->cancellable != NULL))
    return;
  self->deck_id = deck_id;
  reload_decks (self);
  refresh_now (self);
}

gint64
sd_stats_view_get_deck (SdStatsView *self)
{
  g_return_val_if_fail (SD_IS_STATS_VIEW (self), 0);

  return self->deck_id;
}

/**
 * sd_stats_view_refresh:
 *
 * Computes the figures again now.
 */
void
sd_stats_view_refresh (SdStatsView *self)
{
  g_return_if_fail (SD_IS_STATS_VIEW (self));

  refresh_now (self);
}

/**
 * sd_stats_view_get_stats:
 *
 * Returns: (nullable): the figures shown, or %NULL before the first ones
 */
const SdStats *
sd_stats_view_get_stats (SdStatsView *self)
{
  g_return_val_if_fail (SD_IS_STATS_VIEW (self), NULL);

  return self->stats;
}

/**
 * sd_stats_view_is_busy:
 *
 * Returns: whether figures are being computed
 */
gboolean
sd_stats_view_is_busy (SdStatsView *self)
{
  g_return_val_if_fail (SD_IS_STATS_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * sd_stats_view_get_chart:
 * @name: "calendar", "forecast", "time", "states", "buttons" or "difficulty"
 *
 * Returns: (transfer none) (nullable): the chart, for tests
 */
GtkWidget *
sd_stats_view_get_chart (SdStatsView *self,
                         const char  *name)
{
  const struct { const char *name; SdChart *chart; } charts[] = {
    { "calendar", self->calendar_chart },
    { "forecast", self->forecast_chart },
    { "time", self->time_chart },
    { "states", self->states_chart },
    { "buttons", self->buttons_chart },
    { "difficulty", self->difficulty_chart },
  };

  g_return_val_if_fail (SD_IS_STATS_VIEW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    if (g_str_equal (charts[i].name, name))
      return GTK_WIDGET (charts[i].chart);
  return NULL;
}
