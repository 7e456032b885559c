/* sd-cli-fsrs-optimize.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "sd-cli-fsrs-optimize.h"
#include "sd-collection.h"
#include "sd-fsrs.h"
#include "sd-fsrs-items.h"
#include "sd-fsrs-optimizer.h"
#include "sd-preset.h"

typedef struct
{
  int day_start_hour;
  int tz_offset_min;
} DayOptions;

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("studydeck-cli fsrs %s: %s\n", command, message);
  g_printerr (_("Run “studydeck-cli fsrs %s --help” for the options.\n"), command);
  return 2;
}

static int
fail (const char   *command,
      const GError *error)
{
  g_printerr ("studydeck-cli fsrs %s: %s\n", command, error->message);
  return 1;
}

static gboolean
check_day_options (const char       *command,
                   const DayOptions *day)
{
  g_autofree char *message = NULL;

  if (day->day_start_hour < 0 || day->day_start_hour > 23)
    message = g_strdup_printf (_("--day-start-hour must be 0..23, got %d"), day->day_start_hour);
  else if (day->tz_offset_min < -24 * 60 || day->tz_offset_min > 24 * 60)
    message = g_strdup_printf (_("--tz-offset-min must be within ±1440, got %d"),
                               day->tz_offset_min);
  if (message != NULL)
    {
      usage_error (command, message);
      return FALSE;
    }
  return TRUE;
}

/* The shortest of %.15g, %.16g and %.17g that reads back as the same double. */
static void
append_double (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static char *
params_to_json (const SdFsrsParams *params)
{
  GString *out = g_string_new ("[");

  for (int i = 0; i < SD_FSRS_N_PARAMS; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      append_double (out, params->w[i]);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static const char *
fit_kind_name (SdFsrsFitKind kind)
{
  switch (kind)
    {
    case SD_FSRS_FIT_DEFAULTS:
      return _("too few items: default parameters");
    case SD_FSRS_FIT_INITIAL_STABILITY:
      return _("few items: initial stabilities fitted, defaults for the rest");
    case SD_FSRS_FIT_TRAINED:
    default:
      return _("all parameters trained");
    }
}

static void
print_result (const SdFsrsParams    *params,
              const SdFsrsMetrics   *metrics,
              gsize                  n_items,
              double                 seconds,
              gboolean               json,
              const SdFsrsFitResult *fit)
{
  g_autofree char *array = params_to_json (params);
  g_autoptr(GString) out = g_string_new (NULL);

  if (json)
    {
      g_string_append_printf (out, "{\"params\": %s, \"log_loss\": ", array);
      if (metrics != NULL)
        append_double (out, metrics->log_loss);
      else
        g_string_append (out, "null");
      g_string_append (out, ", \"rmse_bins\": ");
      if (metrics != NULL)
        append_double (out, metrics->rmse_bins);
      else
        g_string_append (out, "null");
      g_string_append_printf (out, ", \"items\": %" G_GSIZE_FORMAT ", \"seconds\": ", n_items);
      append_double (out, seconds);
      g_string_append (out, "}\n");
    }
  else
    {
      g_string_append_printf (out, _("Items: %" G_GSIZE_FORMAT "\n"), n_items);
      if (fit != NULL)
        {
          g_string_append_printf (out, _("Fit: %s\n"), fit_kind_name (fit->kind));
          if (fit->kind == SD_FSRS_FIT_TRAINED)
            g_string_append_printf (out, _("Training items: %" G_GSIZE_FORMAT
                                           " (after the outlier filter), best epoch %u\n"),
                                    fit->n_batch_items, fit->best_epoch);
        }
      g_string_append_printf (out, _("Parameters: %s\n"), array);
      if (metrics != NULL)
        {
          g_string_append_printf (out, _("Log loss: %.6f (recency-weighted %.6f)\n"),
                                  metrics->log_loss, metrics->log_loss_weighted);
          g_string_append_printf (out, _("RMSE(bins): %.6f (count-weighted bins %.6f)\n"),
                                  metrics->rmse_bins, metrics->rmse_bins_unweighted);
        }
      g_string_append_printf (out, _("Seconds: %.4f\n"), seconds);
    }

  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
}

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

static SdPreset *
find_preset (SdCollection  *collection,
             const char    *name,
             GError       **error)
{
  g_autoptr(GPtrArray) presets = sd_preset_list (collection, error);

  if (presets == NULL)
    return NULL;
  for (guint i = 0; i < presets->len; i++)
    {
      SdPreset *preset = presets->pdata[i];

      if (g_strcmp0 (preset->name, name) == 0)
        return g_ptr_array_steal_index (presets, i);
    }

  g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
               _("There is no options preset named “%s”"), name);
  return NULL;
}

int
sd_cli_fsrs_optimize (const char  *collection_path,
                      int          argc,
                      char       **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdFsrsItems) items = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(SdPreset) preset = NULL;
  g_autofree char *preset_name = NULL;
  SdFsrsTrainConfig config;
  SdFsrsFitResult fit;
  SdFsrsMetrics metrics;
  DayOptions day = { 4, 0 };
  gboolean json = FALSE;
  gboolean apply = FALSE;
  gboolean have_metrics;
  gint64 start;
  double seconds;
  const GOptionEntry entries[] = {
    { "day-start-hour", 0, 0, G_OPTION_ARG_INT, &day.day_start_hour,
      N_("Local hour at which a new day starts, 0..23 (default 4; CSV only)"), N_("HOUR") },
    { "tz-offset-min", 0, 0, G_OPTION_ARG_INT, &day.tz_offset_min,
      N_("Time-zone offset in minutes east of UTC (default 0; CSV only)"), N_("MINUTES") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset_name,
      N_("Fit the collection's reviews of the decks using this options preset"), N_("NAME") },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply,
      N_("Store the fitted parameters in the options preset (with --preset)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (N_("[FILE.csv]"));
  g_option_context_set_summary (context,
      _("Fits FSRS-6 parameters to a review history, as fsrs-rs does.\n\n"
        "FILE.csv has a header row naming card_id, review_time (epoch milliseconds),\n"
        "review_rating (1..4; 0 = ungraded, dropped) and optionally review_state\n"
        "(0 new, 1 learning, 2 review, 3 relearning, 4 filtered, 5 manual), in any order.\n"
        "Without review_state, each card's first review is its first learning step.\n"
        "With --preset, the collection's own review log is used instead.\n\n"
        "--json prints {\"params\": [...], \"log_loss\": X, \"rmse_bins\": X, \"items\": N,\n"
        "\"seconds\": X}: the mean log loss over all items for the fitted parameters,\n"
        "RMSE(bins) with bins weighted by recency as fsrs-rs computes it, and the\n"
        "wall-clock time of the fit."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("optimize", error->message);
  if (argc > 2)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argv[2]);
      return usage_error ("optimize", message);
    }
  if (argc == 2 && preset_name != NULL)
    return usage_error ("optimize", _("give either FILE.csv or --preset, not both"));
  if (argc < 2 && preset_name == NULL)
    return usage_error ("optimize", _("expected a review log FILE.csv or --preset NAME"));
  if (apply && preset_name == NULL)
    return usage_error ("optimize", _("--apply needs --preset"));
  if (!check_day_options ("optimize", &day))
    return 2;

  sd_fsrs_train_config_init (&config);

  if (preset_name != NULL)
    {
      g_autofree char *path = collection_path != NULL ? g_strdup (collection_path)
                                                      : sd_collection_default_path ();

      collection = sd_collection_open (path, &error);
      if (collection == NULL)
        return fail ("optimize", error);
      preset = find_preset (collection, preset_name, &error);
      if (preset == NULL)
        return fail ("optimize", error);
      items = sd_fsrs_items_from_collection (collection, preset->id, &error);
      /* Clipping caps w17·w18 by the number of relearning steps. */
      config.n_relearning_steps = MAX (preset->relearn_steps->len, 1);
    }
  else
    items = sd_fsrs_items_from_csv (argv[1], day.day_start_hour, day.tz_offset_min, &error);
  if (items == NULL)
    return fail ("optimize", error);

  start = g_get_monotonic_time ();
  if (!sd_fsrs_optimize (items, &config, &fit, &error))
    return fail ("optimize", error);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  /* No items, nothing to score: the metrics are null. */
  have_metrics = items->items->len > 0;
  if (have_metrics && !sd_fsrs_evaluate (&fit.params, items, &metrics, &error))
    return fail ("optimize", error);

  if (apply)
    {
      g_free (preset->fsrs_params);
      preset->fsrs_params = params_to_json (&fit.params);
      if (!sd_preset_update (collection, preset, &error))
        return fail ("optimize", error);
      if (!json)
        g_print (_("Stored in options preset “%s”.\n"), preset->name);
    }

  print_result (&fit.params, have_metrics ? &metrics : NULL, items->items->len, seconds, json,
                &fit);
  return 0;
}

int
sd_cli_fsrs_evaluate (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdFsrsItems) items = NULL;
  g_autofree char *params_arg = NULL;
  SdFsrsParams params;
  SdFsrsMetrics metrics;
  DayOptions day = { 4, 0 };
  gboolean json = FALSE;
  gint64 start;
  double seconds;
  const GOptionEntry entries[] = {
    { "params", 0, 0, G_OPTION_ARG_STRING, &params_arg,
      N_("FSRS parameters: a JSON array of 17, 19 or 21 numbers, or a file holding one"),
      N_("JSON_ARRAY|FILE") },
    { "day-start-hour", 0, 0, G_OPTION_ARG_INT, &day.day_start_hour,
      N_("Local hour at which a new day starts, 0..23 (default 4)"), N_("HOUR") },
    { "tz-offset-min", 0, 0, G_OPTION_ARG_INT, &day.tz_offset_min,
      N_("Time-zone offset in minutes east of UTC (default 0)"), N_("MINUTES") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (N_("FILE.csv"));
  g_option_context_set_summary (context,
      _("Scores FSRS parameters on a review log (the CSV layout of “fsrs optimize”):\n"
        "the mean log loss over all items and RMSE(bins) as fsrs-rs computes it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("evaluate", error->message);
  if (argc > 2)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argv[2]);
      return usage_error ("evaluate", message);
    }
  if (argc < 2)
    return usage_error ("evaluate", _("expected a review log FILE.csv"));
  if (params_arg == NULL)
    return usage_error ("evaluate", _("--params is required"));
  if (!check_day_options ("evaluate", &day))
    return 2;

  if (!load_params (&params, params_arg, &error))
    return usage_error ("evaluate", error->message);

  items = sd_fsrs_items_from_csv (argv[1], day.day_start_hour, day.tz_offset_min, &error);
  if (items == NULL)
    return fail ("evaluate", error);

  start = g_get_monotonic_time ();
  if (!sd_fsrs_evaluate (&params, items, &metrics, &error))
    return fail ("evaluate", error);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  print_result (&params, &metrics, items->items->len, seconds, json, NULL);
  return 0;
}
