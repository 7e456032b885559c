/* test-note-editor.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sd-card.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-note-editor.h"
#include "sd-notetype.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

static void
type_into (SdNoteEditor *editor,
           guint         field,
           const char   *text)
{
  GtkTextView *view = sd_note_editor_get_field_view (editor, field);

  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static guint
count_notes (SdCollection *collection)
{
  SdCollectionCounts counts;

  g_assert_true (sd_collection_get_counts (collection, &counts, NULL));
  return counts.notes;
}

static void
test_add_each_stock_type (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  gint64 deck = sd_deck_ensure (collection, "Biology", &error);
  struct { SdStockKind stock; const char *fields[3]; guint cards; } cases[] = {
    { SD_STOCK_BASIC, { "What is ATP?", "Energy currency", NULL }, 1 },
    { SD_STOCK_BASIC_AND_REVERSED, { "Mitosis", "Cell division", NULL }, 2 },
    { SD_STOCK_BASIC_OPTIONAL_REVERSED, { "Osmosis", "Water through a membrane", "y" }, 2 },
    { SD_STOCK_CLOZE, { "{{c1::DNA}} is copied by {{c2::polymerase}}", "", NULL }, 2 },
  };
  SdNoteEditor *editor = sd_note_editor_new_add (NULL, collection, deck);
  guint notes = 0;

  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (collection, cases[c].stock, &error);

      sd_note_editor_select_notetype (editor, notetype->id);
      for (guint i = 0; i < 3 && cases[c].fields[i] != NULL; i++)
        type_into (editor, i, cases[c].fields[i]);
      g_assert_cmpuint (sd_note_editor_get_n_cards (editor), ==, cases[c].cards);
      if (cases[c].stock == SD_STOCK_CLOZE)
        sd_test_screenshot (GTK_WIDGET (editor), "editor.png");

      /* Ctrl+Enter adds; the editor stays open, fields cleared. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
      g_assert_cmpuint (count_notes (collection), ==, ++notes);
      {
        GtkTextBuffer *first = gtk_text_view_get_buffer (sd_note_editor_get_field_view (editor, 0));
        g_assert_cmpint (gtk_text_buffer_get_char_count (first), ==, 0);
      }
    }

  /* An empty first field is refused. */
  type_into (editor, 1, "only a back");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_cmpuint (count_notes (collection), ==, notes);

  gtk_window_destroy (GTK_WINDOW (editor));
  {
    g_autoptr(GArray) ids = sd_deck_subtree_ids (collection, deck, &error);
    g_assert_cmpint (sd_deck_count_cards (collection, deck), ==, 7);
  }
  sd_test_rm_rf (dir);
}

static void
test_edit (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) optional = sd_notetype_find_stock (collection, SD_STOCK_BASIC_OPTIONAL_REVERSED, &error);
  const char *fields[] = { "Front text", "Back text", "", NULL };
  g_autoptr(SdNote) note = sd_note_new (optional->id, fields);
  g_autoptr(SdNote) after = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  SdNoteEditor *editor;
  guint saved = 0;

  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, NULL, &error));

  editor = sd_note_editor_new_edit (NULL, collection, note->id, &error);
  g_assert_no_error (error);
  g_signal_connect_swapped (editor, "saved", G_CALLBACK (g_atomic_int_inc), &saved);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));
  g_assert_cmpuint (sd_note_editor_get_n_cards (editor), ==, 1);

  /* Turning the reverse on adds the second card on save. */
  type_into (editor, 1, "Corrected back");
  type_into (editor, 2, "yes");
  g_assert_cmpuint (sd_note_editor_get_n_cards (editor), ==, 2);
  g_object_ref (editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_cmpuint (saved, ==, 1);
  g_object_unref (editor);

  after = sd_note_load (collection, note->id, &error);
  g_assert_cmpstr (after->fields[1], ==, "Corrected back");
  cards = sd_card_list_for_note (collection, note->id, &error);
  g_assert_cmpuint (cards->len, ==, 2);
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/studydeck/note-editor/add-each-stock-type", test_add_each_stock_type);
  g_test_add_func ("/studydeck/note-editor/edit", test_edit);

  return g_test_run ();
}
