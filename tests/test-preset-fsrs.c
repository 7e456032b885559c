/* test-preset-fsrs.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-anki-import.h"
#include "sd-deck.h"
#include "sd-preset.h"
#include "sd-preset-fsrs.h"
#include "sd-test-utils.h"

static void
test_fit_real_history (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *package = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree SdPresetFit *fit = NULL;
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(SdPreset) after = NULL;
  gint64 preset_id = 0;
  double strict, relaxed;

  if (g_getenv ("SHARED_DIR") == NULL)
    {
      g_test_skip ("SHARED_DIR is not set");
      return;
    }
  package = g_build_filename (g_getenv ("SHARED_DIR"), "fixtures", "anki",
                              "mauriciopoppe-french-cloze-fsrs.apkg", NULL);
  if (!g_file_test (package, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared fixture decks are not there");
      return;
    }

  dir = sd_test_make_dir ();
  collection = sd_test_open_collection (dir);
  g_assert_true (sd_anki_import_file (collection, package, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The preset of the imported deck with the history. */
  {
    g_autoptr(GPtrArray) decks = sd_deck_list (collection, &error);
    for (guint i = 0; i < decks->len; i++)
      {
        SdDeck *deck = g_ptr_array_index (decks, i);
        if (deck->id != SD_DECK_DEFAULT_ID)
          preset_id = deck->preset_id;
      }
  }
  g_assert_cmpint (preset_id, >, 0);

  fit = sd_preset_fit (collection, preset_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fit->n_items, >, 1000);
  g_assert_true (fit->trained);
  g_assert_cmpfloat (fit->fitted_metrics.log_loss_weighted, <=, fit->current_metrics.log_loss_weighted);

  g_assert_true (sd_preset_apply_params (collection, preset_id, &fit->fitted, &error));
  after = sd_preset_load (collection, preset_id, &error);
  {
    SdFsrsParams parsed;
    g_assert_true (sd_fsrs_params_parse_json (&parsed, after->fsrs_params, &error));
    g_assert_cmpfloat_with_epsilon (parsed.w[0], fit->fitted.w[0], 1e-4);
  }

  /* Asking to remember more costs more reviews. */
  strict = sd_preset_estimate_workload (collection, preset_id, 0.95, &error);
  relaxed = sd_preset_estimate_workload (collection, preset_id, 0.80, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (relaxed, >, 0);
  g_assert_cmpfloat (strict, >, relaxed);
  (void) presets;
  sd_test_rm_rf (dir);
}

static void
test_no_history (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autofree SdPresetFit *fit = sd_preset_fit (collection, 1, NULL, &error);

  /* Without history the defaults come back untrained. */
  g_assert_no_error (error);
  g_assert_nonnull (fit);
  g_assert_false (fit->trained);
  g_assert_cmpuint (fit->n_items, ==, 0);
  g_assert_cmpfloat (sd_preset_estimate_workload (collection, 1, 0.9, &error), ==, 0);
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/preset-fsrs/fit-real-history", test_fit_real_history);
  g_test_add_func ("/studydeck/preset-fsrs/no-history", test_no_history);

  return g_test_run ();
}
