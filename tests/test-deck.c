/* test-deck.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-card.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-test-utils.h"

static char *
names_of (GPtrArray *decks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < decks->len; i++)
    g_string_append_printf (out, "%s%s", i ? "|" : "", ((SdDeck *) decks->pdata[i])->full_name);
  return g_string_free (out, FALSE);
}

static char *
list_names (SdCollection *collection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) decks = sd_deck_list (collection, &error);

  g_assert_no_error (error);
  return names_of (decks);
}

static void
test_hierarchy (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDeck) deck = NULL;
  g_autofree char *names = NULL;
  gint64 child, again, parent;

  child = sd_deck_ensure (collection, " Languages :: French::Verbs ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (child, >, 0);
  again = sd_deck_ensure (collection, "Languages::French::Verbs", &error);
  g_assert_cmpint (again, ==, child);
  sd_deck_ensure (collection, "Languages::German", &error);
  sd_deck_ensure (collection, "Languages B", &error);
  g_assert_no_error (error);

  names = list_names (collection);
  g_assert_cmpstr (names, ==,
                   "Default|Languages|Languages::French|Languages::French::Verbs"
                   "|Languages::German|Languages B");

  deck = sd_deck_load (collection, child, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (deck->name, ==, "Verbs");
  g_assert_cmpstr (deck->full_name, ==, "Languages::French::Verbs");
  g_assert_cmpuint (deck->depth, ==, 2);

  parent = sd_deck_find (collection, "Languages");
  {
    g_autoptr(GArray) ids = sd_deck_subtree_ids (collection, parent, &error);
    g_assert_cmpuint (ids->len, ==, 4);
  }

  g_assert_cmpint (sd_deck_ensure (collection, "A::::B", &error), ==, 0);
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  sd_test_rm_rf (dir);
}

static void
test_rename_moves (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *names = NULL;
  gint64 french = sd_deck_ensure (collection, "Languages::French", &error);
  gint64 languages = sd_deck_find (collection, "Languages");

  sd_deck_ensure (collection, "Languages::French::Verbs", &error);
  g_assert_true (sd_deck_rename (collection, french, "Romance::Français", &error));
  g_assert_no_error (error);
  names = list_names (collection);
  g_assert_cmpstr (names, ==, "Default|Languages|Romance|Romance::Français|Romance::Français::Verbs");

  g_assert_false (sd_deck_rename (collection, languages, "Romance", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  /* Into its own subdeck. */
  g_assert_false (sd_deck_rename (collection, sd_deck_find (collection, "Romance"),
                                  "Romance::Français::Verbs::Romance", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);
  g_free (names);
  names = list_names (collection);
  g_assert_cmpstr (names, ==, "Default|Languages|Romance|Romance::Français|Romance::Français::Verbs");
  sd_test_rm_rf (dir);
}

static void
test_delete_with_cards (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  const char *fields[] = { "front", "back", NULL };
  gint64 deck = sd_deck_ensure (collection, "Doomed::Child", &error);
  gint64 parent = sd_deck_find (collection, "Doomed");
  gint64 n = 0;
  SdCollectionCounts counts;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(SdNote) note = sd_note_new (basic->id, fields);
      g_autoptr(SdCard) card = NULL;

      g_assert_true (sd_note_insert (collection, note, &error));
      card = sd_card_new (note->id, i == 0 ? parent : deck, 0);
      g_assert_true (sd_card_insert (collection, card, &error));
      g_assert_no_error (error);
    }

  g_assert_false (sd_deck_delete (collection, SD_DECK_DEFAULT_ID, NULL, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (sd_deck_count_cards (collection, parent), ==, 3);
  g_assert_cmpint (sd_deck_count_cards (collection, deck), ==, 2);
  g_assert_true (sd_deck_delete (collection, parent, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  g_assert_cmpint (counts.decks, ==, 1);
  g_assert_cmpint (counts.cards, ==, 0);
  g_assert_cmpint (counts.notes, ==, 0);
  g_assert_true (sd_collection_check_integrity (collection, &error));
  sd_test_rm_rf (dir);
}

static void
test_presets (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) preset = sd_preset_new ("Exam mode");
  g_autoptr(SdPreset) loaded = NULL;
  g_autoptr(SdPreset) defaults = sd_preset_load (collection, SD_PRESET_DEFAULT_ID, &error);
  g_autoptr(GArray) steps = NULL;
  g_autofree char *formatted = NULL;
  gint64 deck = sd_deck_ensure (collection, "Exams", &error);
  gint64 child;

  g_assert_no_error (error);
  g_assert_cmpfloat (defaults->desired_retention, ==, 0.9);
  g_assert_cmpint (defaults->new_per_day, ==, 20);
  g_assert_cmpint (defaults->reviews_per_day, ==, 200);
  g_assert_cmpint (defaults->rollover_hour, ==, 4);
  g_assert_cmpuint (defaults->learn_steps->len, ==, 2);
  g_assert_cmpuint (g_array_index (defaults->learn_steps, guint, 1), ==, 600);
  g_assert_cmpuint (g_array_index (defaults->relearn_steps, guint, 0), ==, 600);

  steps = sd_preset_parse_steps ("30s 5m 1h 2d", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, 4);
  g_assert_cmpuint (g_array_index (steps, guint, 3), ==, 172800);
  formatted = sd_preset_format_steps (steps);
  g_assert_cmpstr (formatted, ==, "30s 5m 1h 2d");
  g_assert_null (sd_preset_parse_steps ("10 minutes", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "minutes"));
  g_clear_error (&error);

  preset->desired_retention = 0.95;
  preset->new_per_day = 50;
  preset->rollover_hour = 2;
  g_array_unref (preset->learn_steps);
  preset->learn_steps = g_array_ref (steps);
  g_assert_true (sd_preset_insert (collection, preset, &error));
  g_assert_no_error (error);
  g_assert_true (sd_deck_set_preset (collection, deck, preset->id, &error));

  /* Subdecks created later share their parent's options. */
  child = sd_deck_ensure (collection, "Exams::Chemistry", &error);
  loaded = sd_preset_load_for_deck (collection, child, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->id, ==, preset->id);
  g_assert_cmpfloat (loaded->desired_retention, ==, 0.95);
  g_assert_cmpint (loaded->new_per_day, ==, 50);
  g_assert_cmpint (loaded->rollover_hour, ==, 2);
  g_assert_cmpuint (loaded->learn_steps->len, ==, 4);

  loaded->desired_retention = 1.5;
  g_assert_false (sd_preset_update (collection, loaded, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_clear_error (&error);

  /* Deleting a preset moves its decks back to the default one. */
  g_assert_true (sd_preset_delete (collection, preset->id, &error));
  g_clear_pointer (&loaded, sd_preset_free);
  loaded = sd_preset_load_for_deck (collection, child, &error);
  g_assert_cmpint (loaded->id, ==, SD_PRESET_DEFAULT_ID);
  g_assert_false (sd_preset_delete (collection, SD_PRESET_DEFAULT_ID, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/deck/hierarchy", test_hierarchy);
  g_test_add_func ("/studydeck/deck/rename-moves", test_rename_moves);
  g_test_add_func ("/studydeck/deck/delete-with-cards", test_delete_with_cards);
  g_test_add_func ("/studydeck/deck/presets", test_presets);

  return g_test_run ();
}
