/* test-deck-options.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sd-deck.h"
#include "sd-deck-options.h"
#include "sd-preset.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

static void
test_edit_preset (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  gint64 deck = sd_deck_ensure (collection, "Chemistry", &error);
  g_autoptr(SdPreset) saved = NULL;
  SdDeckOptions *options = sd_deck_options_new (NULL, collection, deck);
  GtkSpinButton *new_spin;
  AdwEntryRow *learn_row;

  gtk_window_present (GTK_WINDOW (options));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (options));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (options)), ==, "Options for “Chemistry”");
  g_assert_cmpint (sd_deck_options_get_preset (options)->id, ==, SD_PRESET_DEFAULT_ID);
  sd_test_screenshot (GTK_WIDGET (options), "deck-options.png");

  /* The first spin button is new cards a day; changes are saved at once. */
  new_spin = GTK_SPIN_BUTTON (sd_test_find_widget (GTK_WIDGET (options), GTK_TYPE_SPIN_BUTTON, 0));
  gtk_spin_button_set_value (new_spin, 35);
  saved = sd_preset_load (collection, SD_PRESET_DEFAULT_ID, &error);
  g_assert_cmpint (saved->new_per_day, ==, 35);
  g_clear_pointer (&saved, sd_preset_free);

  /* Steps that make no sense are marked and not saved. */
  learn_row = ADW_ENTRY_ROW (sd_test_find_widget (GTK_WIDGET (options), ADW_TYPE_ENTRY_ROW, 0));
  gtk_editable_set_text (GTK_EDITABLE (learn_row), "5m soon");
  g_signal_emit_by_name (learn_row, "apply");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (learn_row), "error"));
  saved = sd_preset_load (collection, SD_PRESET_DEFAULT_ID, &error);
  g_assert_cmpuint (saved->learn_steps->len, ==, 2);
  g_clear_pointer (&saved, sd_preset_free);

  gtk_editable_set_text (GTK_EDITABLE (learn_row), "30s 5m 1h");
  g_signal_emit_by_name (learn_row, "apply");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (learn_row), "error"));
  saved = sd_preset_load (collection, SD_PRESET_DEFAULT_ID, &error);
  g_assert_cmpuint (saved->learn_steps->len, ==, 3);
  g_clear_pointer (&saved, sd_preset_free);

  /* A clone becomes the deck's own preset. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (options), "options.clone", NULL));
  g_assert_cmpint (sd_deck_options_get_preset (options)->id, !=, SD_PRESET_DEFAULT_ID);
  {
    g_autoptr(SdPreset) own = sd_preset_load_for_deck (collection, deck, &error);
    g_assert_cmpstr (own->name, ==, "Default (copy)");
    g_assert_cmpint (own->new_per_day, ==, 35);
  }

  gtk_window_destroy (GTK_WINDOW (options));
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/studydeck/deck-options/edit-preset", test_edit_preset);

  return g_test_run ();
}
