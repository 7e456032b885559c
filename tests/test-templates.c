/* test-templates.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "sd-deck.h"
#include "sd-deck-list.h"
#include "sd-deck-options.h"
#include "sd-note-editor.h"
#include "sd-notes-list.h"
#include "sd-notes-pane.h"
#include "sd-review-pane.h"
#include "sd-window.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

/* The version macros check C only: a .ui file naming a widget newer than the
 * libadwaita we run on fails at runtime. Building every template here, on the
 * oldest libraries we support, is what catches that. */

static void
check_widget (GType type)
{
  GtkWidget *widget = g_object_ref_sink (g_object_new (type, NULL));

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (widget, type));
  g_assert_nonnull (gtk_widget_get_first_child (widget));
  g_assert_finalize_object (widget);
}

static void
test_widgets (void)
{
  check_widget (SD_TYPE_DECK_LIST);
  check_widget (SD_TYPE_NOTES_LIST);
  check_widget (SD_TYPE_NOTES_PANE);
  check_widget (SD_TYPE_REVIEW_PANE);
}

static void
test_window (void)
{
  GtkWidget *window = GTK_WIDGET (g_object_new (SD_TYPE_WINDOW, NULL));

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);
  g_assert_true (gtk_widget_get_mapped (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_deck_options (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  SdDeckOptions *options = sd_deck_options_new (NULL, collection, SD_DECK_DEFAULT_ID);

  gtk_window_present (GTK_WINDOW (options));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (options));
  gtk_window_destroy (GTK_WINDOW (options));
  sd_test_rm_rf (dir);
}

static void
test_note_editor (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  SdNoteEditor *editor = sd_note_editor_new_add (NULL, collection, 0);

  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
  sd_test_rm_rf (dir);
}

static void
test_help_overlay (void)
{
  GtkBuilder *builder = gtk_builder_new_from_resource (APP_PATH "/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (overlay));
  sd_test_screenshot (GTK_WIDGET (overlay), "shortcuts.png");
  gtk_window_destroy (GTK_WINDOW (overlay));
  g_object_unref (builder);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* Screenshots must not catch a crossfade halfway. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_init ();

  g_test_add_func ("/studydeck/templates/widgets", test_widgets);
  g_test_add_func ("/studydeck/templates/window", test_window);
  g_test_add_func ("/studydeck/templates/deck-options", test_deck_options);
  g_test_add_func ("/studydeck/templates/note-editor", test_note_editor);
  g_test_add_func ("/studydeck/templates/help-overlay", test_help_overlay);

  return g_test_run ();
}
