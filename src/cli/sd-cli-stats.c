/* sd-cli-stats.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-cli-stats.h"
#include "sd-deck.h"
#include "sd-stats.h"

/* ---- JSON out ------------------------------------------------------------ */

/* JsonGenerator prints doubles with 17 digits (66.7 comes out as
 * 66.700000000000003); the figures are rounded already, so 15 digits give
 * them back as they are meant. */
static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            append_string (out, l->data);
            g_string_append_c (out, ':');
            append_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double value = json_node_get_double (node);

            if (!isfinite (value))
              {
                g_string_append (out, "null");
                break;
              }
            g_ascii_formatd (buf, sizeof buf, "%.15g", value);
            g_string_append (out, buf);
            if (strpbrk (buf, ".eE") == NULL)
              g_string_append (out, ".0");
          }
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          append_string (out, json_node_get_string (node));
          break;
        }
      break;
    }
}

/* ---- text out ------------------------------------------------------------ */

static char *
format_minutes (gint64 duration_ms)
{
  double minutes = duration_ms / 60000.0;

  if (minutes >= 120.0)
    return g_strdup_printf (_("%.1f hours"), minutes / 60.0);
  return g_strdup_printf (_("%.1f minutes"), minutes);
}

static char *
format_retention (guint passed,
                  guint failed)
{
  guint total = passed + failed;

  if (total == 0)
    return g_strdup ("–");
  return g_strdup_printf ("%u/%u %5.1f%%", passed, total, 100.0 * passed / total);
}

/* Pads to @width characters, not bytes: translations and the dash are
 * more than a byte a character. */
static void
print_cell (const char *text,
            int         width,
            gboolean    right)
{
  int pad = MAX (width - (int) g_utf8_strlen (text, -1), 0);

  if (right)
    g_print ("%*s%s", pad, "", text);
  else
    g_print ("%s%*s", text, pad, "");
}

static void
print_text (const SdStats *stats,
            const char    *deck_name)
{
  static const char *const periods[SD_STATS_N_PERIODS] = {
    N_("Today"), N_("Yesterday"), N_("Last 7 days"), N_("Last 30 days"), N_("Last year"),
    N_("All time")
  };
  static const char *const groups[SD_STATS_N_GROUPS] = {
    N_("Learning"), N_("Young"), N_("Mature")
  };
  const SdStatsToday *today = &stats->today_totals;
  const SdStatsCardStates *states = &stats->card_states;
  g_autofree char *date = sd_stats_format_day (stats->today);
  g_autofree char *today_time = format_minutes (today->duration_ms);
  guint due_week = 0, due_month = 0, year_reviews = 0, year_days = 0;
  gint64 year_ms = 0, month_ms = 0;
  guint month_reviews = 0, difficulty_cards = 0;

  if (deck_name != NULL)
    g_print (_("Deck: %s (with its subdecks)\n"), deck_name);
  else
    g_print (_("Whole collection\n"));
  g_print (_("Date: %s (days start at %d:00)\n\n"), date, stats->rollover_hour);

  g_print (_("Today\n"));
  g_print (_("  Reviews: %u in %s (Again: %u)\n"), today->reviews, today_time, today->again);
  g_print (_("  Learning %u, review %u, relearning %u, filtered %u\n"),
           today->learning, today->review, today->relearning, today->filtered);
  g_print (_("  Learning cards due today: %u\n"), today->learning_due);
  g_print (g_dngettext (GETTEXT_PACKAGE, "  Streak: %u day\n", "  Streak: %u days\n",
                        today->streak_days),
           today->streak_days);

  g_print (_("\nCards\n"));
  g_print (_("  New %u, learning %u, relearning %u, young %u, mature %u, suspended %u, "
             "buried %u\n"),
           states->new_cards, states->learning, states->relearning, states->young,
           states->mature, states->suspended, states->buried);
  if (states->retired > 0)
    g_print (_("  Retired from their notes: %u\n"), states->retired);

  for (int i = 0; i < SD_STATS_FORECAST_DAYS; i++)
    {
      guint n = stats->forecast[i].reviews + stats->forecast[i].day_learning;

      if (i < 7)
        due_week += n;
      due_month += n;
    }
  g_print (_("\nDue\n"));
  g_print (_("  Today %u (interday learning %u), tomorrow %u, next 7 days %u, next 30 days %u\n"),
           stats->forecast[0].reviews + stats->forecast[0].day_learning,
           stats->forecast[0].day_learning,
           stats->forecast[1].reviews + stats->forecast[1].day_learning, due_week, due_month);

  g_print ("\n");
  print_cell (_("True retention"), 16, FALSE);
  print_cell (_("Young"), 22, FALSE);
  print_cell (_("Mature"), 22, FALSE);
  g_print ("%s\n", _("Total"));
  for (int p = 0; p < SD_STATS_N_PERIODS; p++)
    {
      const SdStatsRetention *r = &stats->retention[p];
      g_autofree char *young = format_retention (r->young_passed, r->young_failed);
      g_autofree char *mature = format_retention (r->mature_passed, r->mature_failed);
      g_autofree char *total = format_retention (r->young_passed + r->mature_passed,
                                                 r->young_failed + r->mature_failed);

      g_print ("  ");
      print_cell (_(periods[p]), 14, FALSE);
      print_cell (young, 22, FALSE);
      print_cell (mature, 22, FALSE);
      g_print ("%s\n", total);
    }

  g_print ("\n");
  print_cell (_("Answer buttons"), 16, FALSE);
  print_cell (_("Again"), 9, TRUE);
  print_cell (_("Hard"), 9, TRUE);
  print_cell (_("Good"), 9, TRUE);
  print_cell (_("Easy"), 9, TRUE);
  g_print ("\n");
  for (int g = 0; g < SD_STATS_N_GROUPS; g++)
    {
      g_print ("  ");
      print_cell (_(groups[g]), 14, FALSE);
      for (int b = 0; b < 4; b++)
        g_print ("%9u", stats->buttons[g][b]);
      g_print ("\n");
    }

  for (int i = 0; i < SD_STATS_CALENDAR_DAYS; i++)
    {
      year_reviews += stats->calendar[i].reviews;
      year_ms += stats->calendar[i].duration_ms;
      year_days += stats->calendar[i].reviews > 0;
    }
  for (int i = 0; i < SD_STATS_TIME_DAYS; i++)
    {
      month_reviews += stats->time_per_day[i].reviews;
      month_ms += stats->time_per_day[i].duration_ms;
    }
  {
    g_autofree char *year_time = format_minutes (year_ms);
    g_autofree char *month_time = format_minutes (month_ms);
    g_autofree char *daily_time = format_minutes (month_ms / SD_STATS_TIME_DAYS);

    g_print (_("\nReviews\n"));
    g_print (_("  Last year: %u on %u days, %s\n"), year_reviews, year_days, year_time);
    g_print (_("  Last 30 days: %u, %s (%s a day)\n"), month_reviews, month_time, daily_time);
  }

  g_print (_("\nFSRS\n"));
  if (stats->retrievability_cards > 0)
    g_print (_("  Average retrievability: %.1f%% (%u cards)\n"),
             100.0 * stats->average_retrievability, stats->retrievability_cards);
  else
    g_print (_("  Average retrievability: – (no cards with a memory state)\n"));
  for (int i = 0; i < SD_STATS_DIFFICULTY_BUCKETS; i++)
    difficulty_cards += stats->difficulty[i];
  if (difficulty_cards > 0)
    {
      g_print (_("  Difficulty, 0–100 %% in tenths:"));
      for (int i = 0; i < SD_STATS_DIFFICULTY_BUCKETS; i++)
        g_print (" %u", stats->difficulty[i]);
      g_print ("\n");
    }
}

/**
 * sd_cli_stats:
 *
 * `studydeck-cli [--collection PATH] stats [--deck NAME] [--json]` prints
 * the statistics of a deck and its subdecks, or of the whole collection.
 * With `--json` it prints one object; its keys are described in
 * sd_stats_to_json () and in the command's help. Exit status 0, 1 with
 * the error on stderr, 2 for a usage error or a deck that does not exist.
 */
int
sd_cli_stats (const SdCliContext  *ctx,
              int                  argc,
              char               **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStats) stats = NULL;
  g_autofree char *deck = NULL;
  gint64 deck_id = 0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "deck", 0, 0, G_OPTION_ARG_STRING, &deck,
      N_("Only this deck and its subdecks (a full name, “Parent::Child”)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Print review statistics of the collection or of one deck "
                                  "and its subdecks, in local days that start at the rollover "
                                  "hour of the deck's options."));
  g_option_context_set_description (context,
    _("JSON keys:\n"
      "  deck_id, rollover_hour, date       the deck (0 = all), the day start, today\n"
      "  calendar      365 days, oldest first: {date, reviews, seconds}\n"
      "  forecast      30 days from today: {date, reviews, day_learning, total};\n"
      "                overdue cards count today\n"
      "  retention     today, yesterday, week, month, year, all_time: {young, mature,\n"
      "                total}, each {passed, failed, total, percent} (percent null\n"
      "                without answers); the first answer of a card each day, to\n"
      "                cards past their learning steps, young under 21 days\n"
      "  card_states   new, learning, relearning, young, mature, suspended, buried,\n"
      "                total, retired\n"
      "  buttons       learning, young, mature: {again, hard, good, easy, total}\n"
      "  time_per_day  30 days, today last: {date, reviews, minutes}\n"
      "  today         reviews, seconds, again, learning, review, relearning,\n"
      "                filtered, learning_due, streak_days\n"
      "  fsrs          retrievability_cards, average_retrievability (0–1),\n"
      "                difficulty (10 counts, easiest first)\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv))
    return 2;
  if (argc > 1)
    return sd_cli_usage_error (_("stats: unexpected argument “%s”"), argv[1]);

  collection = sd_cli_open_collection (ctx, &error);
  if (collection == NULL)
    return sd_cli_fail (error);

  if (deck != NULL)
    {
      deck_id = sd_deck_find (collection, deck);
      if (deck_id <= 0)
        return sd_cli_usage_error (_("stats: there is no deck “%s”"), deck);
    }

  stats = sd_stats_compute (collection, deck_id, &error);
  if (stats == NULL)
    return sd_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonNode) root = sd_stats_to_json (stats);
      g_autoptr(GString) out = g_string_new (NULL);

      append_node (out, root);
      g_string_append_c (out, '\n');
      fputs (out->str, stdout);
      fflush (stdout);
    }
  else
    print_text (stats, deck);
  return 0;
}
