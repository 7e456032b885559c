/* test-preferences.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sd-collection-private.h"
#include "sd-library.h"
#include "sd-note-cards.h"
#include "sd-preferences-window.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

static guint
count_live_cards (SdCollection *collection)
{
  return (guint) sd_collection_scalar (collection,
                                       "SELECT count(*) FROM cards WHERE retired = 0", 0);
}

/* The style follows the setting, the separators are checked as they are
 * typed, and applying them reads every note again. */
static void
test_preferences (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *note = g_build_filename (notes, "capitals.md", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SdCardSyntaxSettings) stored = NULL;
  g_autoptr(GError) error = NULL;
  SdPreferencesWindow *preferences;
  AdwComboRow *style_row;
  AdwEntryRow *inline_row;
  GtkWidget *apply;
  gint64 end;

  g_assert_cmpint (g_mkdir_with_parents (notes, 0755), ==, 0);
  sd_test_write_file (note, "# Capitals\n\nFrance::Paris\n\nItaly;;Rome\n");
  g_assert_cmpint (sd_library_add_folder (collection, notes, &error), >, 0);
  g_assert_true (sd_library_scan (collection, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_live_cards (collection), ==, 1);

  preferences = sd_preferences_window_new (NULL, settings, collection);
  gtk_window_present (GTK_WINDOW (preferences));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (preferences));

  style_row = ADW_COMBO_ROW (sd_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, 0));
  adw_combo_row_set_selected (style_row, 2);
  g_assert_cmpstr (g_settings_get_string (settings, "color-scheme"), ==, "dark");
  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 1);
  g_settings_reset (settings, "color-scheme");

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "cards");
  inline_row =
    ADW_ENTRY_ROW (sd_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, 0));
  apply = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                     SD_TYPE_PREFERENCES_WINDOW, "apply_button"));
  g_assert_false (gtk_widget_get_sensitive (apply));

  /* The same separator for both one-line forms cannot work. */
  gtk_editable_set_text (GTK_EDITABLE (inline_row), ":::");
  g_assert_false (gtk_widget_get_sensitive (apply));
  gtk_editable_set_text (GTK_EDITABLE (inline_row), "; ;");
  g_assert_false (gtk_widget_get_sensitive (apply));

  gtk_editable_set_text (GTK_EDITABLE (inline_row), ";;");
  g_assert_true (gtk_widget_get_sensitive (apply));
  sd_test_screenshot (GTK_WIDGET (preferences), "preferences-cards.png");

  g_signal_emit_by_name (apply, "clicked");
  g_assert_true (sd_preferences_window_is_applying (preferences));
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (sd_preferences_window_is_applying (preferences) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  g_assert_false (sd_preferences_window_is_applying (preferences));

  stored = sd_note_cards_get_settings (collection);
  g_assert_cmpstr (stored->inline_separator, ==, ";;");
  /* Italy;;Rome is a card now; France::Paris is retired with its history. */
  g_assert_cmpuint (count_live_cards (collection), ==, 1);
  g_assert_cmpint (sd_collection_scalar (collection,
                                         "SELECT count(*) FROM notes WHERE fields LIKE 'Italy%'",
                                         0), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (apply));

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_clear_object (&collection);
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/studydeck/preferences/preferences", test_preferences);

  return g_test_run ();
}
