/* sd-preset-fsrs.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-fsrs-items.h"
#include "sd-preset.h"
#include "sd-preset-fsrs.h"

static gboolean
preset_params (SdPreset     *preset,
               SdFsrsParams *params)
{
  sd_fsrs_params_init_default (params);
  if (preset->fsrs_params[0] == '\0')
    return TRUE;
  return sd_fsrs_params_parse_json (params, preset->fsrs_params, NULL);
}

/**
 * sd_preset_fit:
 *
 * Fits FSRS parameters to the review history of the decks using the preset
 * and scores the preset's current parameters on the same history, so the
 * two can be compared before the user decides. Writes nothing. Blocking.
 *
 * Returns: (transfer full): the comparison, or %NULL with @error set
 */
SdPresetFit *
sd_preset_fit (SdCollection  *collection,
               gint64         preset_id,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(SdPreset) preset = sd_preset_load (collection, preset_id, error);
  g_autofree SdPresetFit *fit = NULL;
  SdFsrsItems *items;
  SdFsrsTrainConfig config;
  SdFsrsFitResult result;
  gboolean ok;

  if (preset == NULL)
    return NULL;

  items = sd_fsrs_items_from_collection (collection, preset_id, error);
  if (items == NULL)
    return NULL;

  fit = g_new0 (SdPresetFit, 1);
  fit->n_items = items->items->len;
  preset_params (preset, &fit->current);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      sd_fsrs_items_free (items);
      return NULL;
    }

  if (fit->n_items == 0)
    {
      /* Nothing studied yet: the defaults stand, nothing to compare. */
      sd_fsrs_items_free (items);
      sd_fsrs_params_init_default (&fit->fitted);
      return g_steal_pointer (&fit);
    }

  sd_fsrs_train_config_init (&config);
  config.n_relearning_steps = MAX (preset->relearn_steps->len, 1);
  ok = sd_fsrs_optimize (items, &config, &result, error)
       && sd_fsrs_evaluate (&fit->current, items, &fit->current_metrics, error)
       && sd_fsrs_evaluate (&result.params, items, &fit->fitted_metrics, error);
  sd_fsrs_items_free (items);
  if (!ok)
    return NULL;

  fit->fitted = result.params;
  fit->trained = result.kind == SD_FSRS_FIT_TRAINED;
  return g_steal_pointer (&fit);
}

static void
fit_worker (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  const char *path = sd_collection_get_path (SD_COLLECTION (source_object));
  gint64 preset_id = *(gint64 *) task_data;
  g_autoptr(SdCollection) own = NULL;
  g_autoptr(GError) error = NULL;
  SdPresetFit *fit;

  own = sd_collection_open (path, &error);
  fit = own ? sd_preset_fit (own, preset_id, cancellable, &error) : NULL;
  if (fit == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, fit, g_free);
}

/**
 * sd_preset_fit_async:
 *
 * Runs sd_preset_fit() in a worker with its own connection.
 */
void
sd_preset_fit_async (SdCollection        *collection,
                     gint64               preset_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (collection, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_preset_fit_async);
  g_task_set_task_data (task, g_memdup2 (&preset_id, sizeof preset_id), g_free);
  g_task_run_in_thread (task, fit_worker);
}

SdPresetFit *
sd_preset_fit_finish (SdCollection  *collection,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, collection), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sd_preset_apply_params:
 *
 * Stores fitted parameters in the preset; cards are rescheduled by them from
 * their next answer on.
 */
gboolean
sd_preset_apply_params (SdCollection        *collection,
                        gint64               preset_id,
                        const SdFsrsParams  *params,
                        GError             **error)
{
  g_autoptr(SdPreset) preset = sd_preset_load (collection, preset_id, error);
  GString *json;

  if (preset == NULL)
    return FALSE;

  json = g_string_new ("[");
  for (guint i = 0; i < SD_FSRS_N_PARAMS; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (json, "%s%s", i ? ", " : "",
                              g_ascii_formatd (buf, sizeof buf, "%.4f", params->w[i]));
    }
  g_string_append_c (json, ']');
  g_free (preset->fsrs_params);
  preset->fsrs_params = g_string_free (json, FALSE);
  return sd_preset_update (collection, preset, error);
}

/**
 * sd_preset_estimate_workload:
 *
 * Roughly how many reviews a day the preset's cards in review would need at
 * @desired_retention once they settle: each card comes back once per
 * interval, so the sum of 1 / interval over the cards.
 *
 * Returns: reviews per day, or a negative number with @error set
 */
double
sd_preset_estimate_workload (SdCollection  *collection,
                             gint64         preset_id,
                             double         desired_retention,
                             GError       **error)
{
  g_autoptr(SdPreset) preset = sd_preset_load (collection, preset_id, error);
  SdFsrsParams params;
  sqlite3_stmt *stmt;
  double total = 0;
  int rc;

  if (preset == NULL)
    return -1;
  preset_params (preset, &params);

  stmt = sd_collection_prepare (collection,
                                "SELECT c.stability FROM cards c JOIN decks d ON d.id = c.deck_id"
                                " WHERE d.preset_id = ? AND c.queue IN (2, 3) AND c.retired = 0"
                                " AND c.stability > 0",
                                error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, preset_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      double interval = sd_fsrs_interval (&params, sqlite3_column_double (stmt, 0),
                                          desired_retention);
      total += 1.0 / CLAMP (interval, 1.0, preset->max_interval);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return -1;
    }
  return total;
}
