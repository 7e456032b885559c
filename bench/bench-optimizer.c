/* bench-optimizer.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* FSRS optimizer speed on a real review log, next to fsrs-rs's optimizer
 * run on the same items through the npm binding (the time optimize.mjs
 * recorded in the reference JSON, measured on the same machine).
 *
 *   bench-optimizer [--runs N] [--threads N] [--reference FILE.json] [LOG.csv]
 *
 * LOG.csv defaults to $SHARED_DIR/fixtures/revlogs/pyfsrs-josh.csv and the
 * reference to tests/fsrs-oracle/optimizer-josh.json (found from the
 * current directory or $SD_SOURCE_DIR); without the log it prints why and
 * exits with 77 (skipped). Prints a Markdown table; times are wall-clock,
 * the minimum and the median of N runs. */

#include <locale.h>
#include <stdlib.h>
#include <json-glib/json-glib.h>

#include "sd-fsrs-items.h"
#include "sd-fsrs-optimizer.h"

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

typedef struct
{
  double min;
  double median;
} Timing;

static Timing
summarise (GArray *seconds)
{
  Timing t;

  g_array_sort (seconds, compare_double);
  t.min = g_array_index (seconds, double, 0);
  t.median = g_array_index (seconds, double, seconds->len / 2);
  return t;
}

static Timing
time_fit (const SdFsrsItems *items,
          guint              n_threads,
          guint              runs,
          SdFsrsFitResult   *fit)
{
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  SdFsrsTrainConfig config;

  sd_fsrs_train_config_init (&config);
  config.n_threads = n_threads;
  for (guint r = 0; r < runs; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double s;

      if (!sd_fsrs_optimize (items, &config, fit, &error))
        g_error ("%s", error->message);
      s = (g_get_monotonic_time () - start) / 1e6;
      g_array_append_val (seconds, s);
    }
  return summarise (seconds);
}

static char *
find_reference (const char *given)
{
  const char *source = g_getenv ("SD_SOURCE_DIR");
  g_autofree char *path = NULL;

  if (given != NULL)
    return g_strdup (given);
  path = g_build_filename (source != NULL ? source : ".", "tests", "fsrs-oracle",
                           "optimizer-josh.json", NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[LOG.csv]");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdFsrsItems) items = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *csv = NULL;
  g_autofree char *reference_arg = NULL;
  g_autofree char *reference = NULL;
  JsonObject *ref = NULL;
  int runs = 20;
  int threads = 2;
  SdFsrsFitResult fit;
  SdFsrsMetrics ours, theirs;
  SdFsrsParams ref_params;
  Timing one, many, build, eval;
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per measurement (20)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads for the second fit (2)", "N" },
    { "reference", 0, 0, G_OPTION_ARG_FILENAME, &reference_arg,
      "optimize.mjs output for the same log", "FILE.json" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-optimizer: %s\n", error->message);
      return 2;
    }
  runs = MAX (runs, 1);

  if (argc > 1)
    csv = g_strdup (argv[1]);
  else if (g_getenv ("SHARED_DIR") != NULL)
    csv = g_build_filename (g_getenv ("SHARED_DIR"), "fixtures", "revlogs", "pyfsrs-josh.csv",
                            NULL);
  if (csv == NULL || !g_file_test (csv, G_FILE_TEST_IS_REGULAR))
    {
      g_print ("bench-optimizer: no review log (give LOG.csv or set SHARED_DIR); skipped\n");
      return 77;
    }

  reference = find_reference (reference_arg);
  if (reference != NULL)
    {
      if (!json_parser_load_from_file (parser, reference, &error))
        g_error ("%s: %s", reference, error->message);
      ref = json_node_get_object (json_parser_get_root (parser));
    }

  for (int r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double s;

      g_clear_pointer (&items, sd_fsrs_items_free);
      items = sd_fsrs_items_from_csv (csv, 4, 0, &error);
      if (items == NULL)
        g_error ("%s", error->message);
      s = (g_get_monotonic_time () - start) / 1e6;
      g_array_append_val (seconds, s);
    }
  build = summarise (seconds);

  one = time_fit (items, 1, (guint) runs, &fit);
  many = time_fit (items, (guint) MAX (threads, 1), (guint) runs, &fit);

  g_array_set_size (seconds, 0);
  for (int r = 0; r < runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double s;

      if (!sd_fsrs_evaluate (&fit.params, items, &ours, &error))
        g_error ("%s", error->message);
      s = (g_get_monotonic_time () - start) / 1e6;
      g_array_append_val (seconds, s);
    }
  eval = summarise (seconds);

  g_print ("FSRS optimizer on %s: %u items (%" G_GSIZE_FORMAT " reviews kept), %d runs each\n\n",
           csv, items->items->len, items->n_revlog_rows, runs);
  g_print ("| step | min (ms) | median (ms) |\n|---|--:|--:|\n");
  g_print ("| read CSV and build items | %.2f | %.2f |\n", build.min * 1e3, build.median * 1e3);
  g_print ("| fit, 1 thread | %.2f | %.2f |\n", one.min * 1e3, one.median * 1e3);
  g_print ("| fit, %d threads | %.2f | %.2f |\n", MAX (threads, 1), many.min * 1e3,
           many.median * 1e3);
  g_print ("| evaluate (log loss, RMSE bins) | %.2f | %.2f |\n", eval.min * 1e3,
           eval.median * 1e3);

  if (ref != NULL)
    {
      JsonObject *meta = json_object_get_object_member (ref, "meta");
      JsonObject *rs = json_object_get_object_member (ref, "reference");
      JsonArray *array = json_object_get_array_member (rs, "params");
      double values[SD_FSRS_N_PARAMS];

      for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
        values[i] = json_array_get_double_element (array, i);
      if (!sd_fsrs_params_from_array (&ref_params, values, SD_FSRS_N_PARAMS, &error) ||
          !sd_fsrs_evaluate (&ref_params, items, &theirs, &error))
        g_error ("%s", error->message);

      g_print ("| fsrs-rs computeParameters (%s, from %s) | %.2f | %.2f |\n",
               json_object_get_string_member (meta, "binding"), reference,
               json_object_get_double_member (rs, "seconds_min") * 1e3,
               json_object_get_double_member (rs, "seconds_median") * 1e3);
      if (json_object_get_int_member (meta, "items") != items->items->len)
        g_print ("\nNote: the reference was recorded on %" G_GINT64_FORMAT " items, not %u.\n",
                 json_object_get_int_member (meta, "items"), items->items->len);

      g_print ("\n| parameters | log loss | weighted log loss | RMSE(bins) |\n|---|--:|--:|--:|\n");
      g_print ("| ours | %.6f | %.6f | %.6f |\n", ours.log_loss, ours.log_loss_weighted,
               ours.rmse_bins);
      g_print ("| fsrs-rs | %.6f | %.6f | %.6f |\n", theirs.log_loss, theirs.log_loss_weighted,
               theirs.rmse_bins);
    }
  else
    {
      g_print ("\n(no reference JSON: run tests/fsrs-oracle/optimize.mjs on the same log and pass "
               "--reference)\n");
      g_print ("\n| parameters | log loss | weighted log loss | RMSE(bins) |\n|---|--:|--:|--:|\n");
      g_print ("| ours | %.6f | %.6f | %.6f |\n", ours.log_loss, ours.log_loss_weighted,
               ours.rmse_bins);
    }

  return 0;
}
