/* sd-cli-fsrs.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sd-cli-fsrs.h"
#include "sd-fsrs.h"

typedef struct
{
  SdFsrsParams params;
  double       retention;
  int          day_start_hour;
  int          tz_offset_min;
  int          max_interval;
} ReplayOptions;

typedef struct
{
  gint64 t;
  int    rating;
} Review;

static gboolean
load_params (SdFsrsParams  *params,
             const char    *value,
             GError       **error)
{
  g_autofree char *contents = NULL;
  const char *p = value;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '[')
    return sd_fsrs_params_parse_json (params, value, error);

  if (!g_file_get_contents (value, &contents, NULL, error))
    return FALSE;
  if (!sd_fsrs_params_parse_json (params, contents, error))
    {
      g_prefix_error (error, "%s: ", value);
      return FALSE;
    }

  return TRUE;
}

/* An integer-valued JSON number (json-glib reads "1e3" as a double). */
static gboolean
node_get_integer (JsonNode *node,
                  gint64   *out)
{
  GType type;
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type != G_TYPE_DOUBLE)
    return FALSE;

  d = json_node_get_double (node);
  if (!isfinite (d) || d != floor (d) || fabs (d) > 9007199254740992.0)
    return FALSE;
  *out = (gint64) d;

  return TRUE;
}

/* Returns the card's reviews, or NULL with @message set. */
static GArray *
parse_card (JsonNode  *root,
            JsonNode **id,
            char     **message)
{
  g_autoptr(GArray) reviews = g_array_new (FALSE, FALSE, sizeof (Review));
  JsonObject *card;
  JsonNode *reviews_node;
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *message = g_strdup (_("expected a JSON object"));
      return NULL;
    }

  card = json_node_get_object (root);
  *id = json_object_get_member (card, "id");
  if (*id == NULL)
    {
      *message = g_strdup (_("missing \"id\""));
      return NULL;
    }

  reviews_node = json_object_get_member (card, "reviews");
  if (reviews_node == NULL || !JSON_NODE_HOLDS_ARRAY (reviews_node))
    {
      *message = g_strdup (_("\"reviews\" must be an array"));
      return NULL;
    }

  array = json_node_get_array (reviews_node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      Review review;
      gint64 rating;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          *message = g_strdup_printf (_("review %u must be an object"), i + 1);
          return NULL;
        }
      object = json_node_get_object (element);

      if (!node_get_integer (json_object_get_member (object, "t"), &review.t))
        {
          *message = g_strdup_printf (_("\"t\" must be an integer number of milliseconds "
                                        "since the epoch (review %u)"), i + 1);
          return NULL;
        }
      if (!node_get_integer (json_object_get_member (object, "rating"), &rating) ||
          rating < 1 || rating > 4)
        {
          *message = g_strdup_printf (_("rating must be 1..4 (review %u)"), i + 1);
          return NULL;
        }
      review.rating = (int) rating;

      if (i > 0 && review.t < g_array_index (reviews, Review, i - 1).t)
        {
          *message = g_strdup_printf (_("review %u is earlier than the review before it"),
                                      i + 1);
          return NULL;
        }

      g_array_append_val (reviews, review);
    }

  return g_steal_pointer (&reviews);
}

static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.12g", value));
}

static void
replay_card (const ReplayOptions *options,
             JsonNode            *id,
             GArray              *reviews,
             GString             *out)
{
  g_autofree char *id_json = json_to_string (id, FALSE);
  SdFsrsState state = { 0.0, 0.0 };
  gint64 prev_day = 0;

  g_string_append (out, "{\"id\": ");
  g_string_append (out, id_json);
  g_string_append (out, ", \"steps\": [");

  for (guint i = 0; i < reviews->len; i++)
    {
      const Review *review = &g_array_index (reviews, Review, i);
      gint64 day = sd_fsrs_day_number (review->t, options->day_start_hour,
                                       options->tz_offset_min);
      gint64 delta = i == 0 ? 0 : day - prev_day;
      guint delta_t = (guint) CLAMP (delta, 0, G_MAXINT);
      double interval;

      prev_day = day;

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, "{\"delta_t\": %u, \"r\": ", delta_t);
      if (i == 0)
        g_string_append (out, "null");
      else
        append_double (out, sd_fsrs_retrievability (&options->params, delta_t,
                                                    state.stability));

      state = sd_fsrs_next_state (&options->params, i == 0 ? NULL : &state, delta_t,
                                  review->rating);
      interval = sd_fsrs_interval (&options->params, state.stability, options->retention);

      g_string_append (out, ", \"s\": ");
      append_double (out, state.stability);
      g_string_append (out, ", \"d\": ");
      append_double (out, state.difficulty);
      g_string_append_printf (out, ", \"interval\": %d}",
                              sd_fsrs_round_interval (interval, options->max_interval));
    }

  g_string_append (out, "]}\n");
}

int
sd_cli_fsrs_replay (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *params_arg = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  ReplayOptions options;
  double retention = SD_FSRS_DEFAULT_RETENTION;
  int day_start_hour = 4;
  int tz_offset_min = 0;
  int max_interval = SD_FSRS_DEFAULT_MAX_INTERVAL;
  char *line = NULL;
  size_t line_size = 0;
  guint line_no = 0;
  guint n_bad = 0;
  const GOptionEntry entries[] = {
    { "params", 0, 0, G_OPTION_ARG_STRING, &params_arg,
      N_("FSRS parameters: a JSON array of 17, 19 or 21 numbers, or a file holding one "
         "(default: the FSRS-6 defaults)"), N_("JSON_ARRAY|FILE") },
    { "retention", 0, 0, G_OPTION_ARG_DOUBLE, &retention,
      N_("Desired retention for the interval, between 0 and 1 (default 0.9)"), "R" },
    { "day-start-hour", 0, 0, G_OPTION_ARG_INT, &day_start_hour,
      N_("Local hour at which a new day starts, 0..23 (default 4)"), N_("HOUR") },
    { "tz-offset-min", 0, 0, G_OPTION_ARG_INT, &tz_offset_min,
      N_("Time-zone offset in minutes east of UTC (default 0)"), N_("MINUTES") },
    { "max-interval", 0, 0, G_OPTION_ARG_INT, &max_interval,
      N_("Maximum interval in days (default 36500)"), N_("DAYS") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
      _("Replays review histories through FSRS-6.\n\n"
        "Reads one card per line on standard input:\n"
        "  {\"id\": ANY, \"reviews\": [{\"t\": EPOCH_MS, \"rating\": 1..4}, ...]}\n"
        "and writes one line per card on standard output:\n"
        "  {\"id\": ANY, \"steps\": [{\"delta_t\": DAYS, \"r\": R_BEFORE_OR_NULL,\n"
        "    \"s\": S_AFTER, \"d\": D_AFTER, \"interval\": DAYS}, ...]}\n"
        "delta_t counts local calendar days of t shifted back by the day-start hour;\n"
        "interval is the unfuzzed interval for the desired retention, rounded and\n"
        "clamped to [1, max-interval]. Malformed lines are reported on standard error\n"
        "and skipped; the exit status is then 1."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("studydeck-cli fsrs replay: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr (_("studydeck-cli fsrs replay: unexpected argument “%s”\n"), argv[1]);
      return 2;
    }
  if (!(retention > 0.0 && retention < 1.0))
    {
      g_printerr (_("studydeck-cli fsrs replay: --retention must be between 0 and 1, got %g\n"),
                  retention);
      return 2;
    }
  if (day_start_hour < 0 || day_start_hour > 23)
    {
      g_printerr (_("studydeck-cli fsrs replay: --day-start-hour must be 0..23, got %d\n"),
                  day_start_hour);
      return 2;
    }
  if (tz_offset_min < -24 * 60 || tz_offset_min > 24 * 60)
    {
      g_printerr (_("studydeck-cli fsrs replay: --tz-offset-min must be within ±1440, got %d\n"),
                  tz_offset_min);
      return 2;
    }
  if (max_interval < 1)
    {
      g_printerr (_("studydeck-cli fsrs replay: --max-interval must be at least 1, got %d\n"),
                  max_interval);
      return 2;
    }

  sd_fsrs_params_init_default (&options.params);
  if (params_arg != NULL && !load_params (&options.params, params_arg, &error))
    {
      g_printerr ("studydeck-cli fsrs replay: %s\n", error->message);
      return 2;
    }
  options.retention = retention;
  options.day_start_hour = day_start_hour;
  options.tz_offset_min = tz_offset_min;
  options.max_interval = max_interval;

  while (getline (&line, &line_size, stdin) != -1)
    {
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GArray) reviews = NULL;
      g_autofree char *message = NULL;
      JsonNode *id = NULL;
      const char *p = line;

      line_no++;
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        continue;

      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, line, -1, &error))
        {
          g_printerr (_("line %u: not valid JSON: %s\n"), line_no, error->message);
          g_clear_error (&error);
          n_bad++;
          continue;
        }

      reviews = parse_card (json_parser_get_root (parser), &id, &message);
      if (reviews == NULL)
        {
          g_printerr (_("line %u: %s\n"), line_no, message);
          n_bad++;
          continue;
        }

      g_string_truncate (out, 0);
      replay_card (&options, id, reviews, out);
      fwrite (out->str, 1, out->len, stdout);
    }

  free (line);

  if (ferror (stdin))
    {
      g_printerr (_("studydeck-cli fsrs replay: cannot read standard input: %s\n"),
                  g_strerror (errno));
      return 1;
    }
  if (fflush (stdout) != 0)
    {
      g_printerr (_("studydeck-cli fsrs replay: cannot write standard output: %s\n"),
                  g_strerror (errno));
      return 1;
    }

  return n_bad > 0 ? 1 : 0;
}
