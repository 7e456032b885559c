/* test-notetypes-window.c
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
#include "sd-library.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-notetypes-window.h"
#include "sd-rich-text.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

/* Whether the first widget that activates @action is sensitive, as the
 * action's enabled state makes it. */
static gboolean
action_sensitive (SdNotetypesWindow *window,
                  const char        *action)
{
  for (guint i = 0;; i++)
    {
      GtkWidget *widget = sd_test_find_widget (GTK_WIDGET (window), GTK_TYPE_ACTIONABLE, i);

      g_assert_nonnull (widget);
      if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
        return gtk_widget_get_sensitive (widget);
    }
}

/* The first label showing @text among its words. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (guint i = 0;; i++)
    {
      GtkWidget *label = sd_test_find_widget (root, GTK_TYPE_LABEL, i);

      g_assert_nonnull (label);
      if (strstr (gtk_label_get_label (GTK_LABEL (label)), text) != NULL)
        return label;
    }
}

/* The message dialog the window has open, once it shows. */
static AdwMessageDialog *
wait_for_dialog (void)
{
  gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
            return ADW_MESSAGE_DIALOG (window);
        }
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_not_reached ();
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  sd_test_spin (50);
}

/* Answers a dialog asking for a name. */
static void
answer_text (const char *text)
{
  AdwMessageDialog *dialog = wait_for_dialog ();
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  g_assert_true (GTK_IS_EDITABLE (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  respond (dialog, "confirm");
}

static char *
body_of (AdwMessageDialog *dialog)
{
  return g_strdup (adw_message_dialog_get_body (dialog));
}

static char *
preview_text (SdNotetypesWindow *window)
{
  SdCardView *view = sd_notetypes_window_get_preview (window);
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (sd_card_view_get_rich_text (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_page (SdNotetypesWindow *window,
           const char        *name)
{
  AdwViewStack *stack =
    ADW_VIEW_STACK (sd_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, 0));

  adw_view_stack_set_visible_child_name (stack, name);
  sd_test_spin (50);
}

static void
set_text (SdNotetypesWindow *window,
          SdNotetypesEditor  editor,
          const char        *text)
{
  gtk_text_buffer_set_text (sd_notetypes_window_get_editor (window, editor), text, -1);
}

static const SdCardTemplate *
template_of (const SdNotetype *notetype,
             guint             i)
{
  return g_ptr_array_index (notetype->templates, i);
}

static void
test_clone_and_edit (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) vocab = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNote) note = NULL;
  g_autofree char *text = NULL;
  const char *fields[] = { "hola", "hello", NULL };
  SdNotetypesWindow *window = sd_notetypes_window_new (NULL, collection);
  AdwMessageDialog *dialog;
  GtkWidget *extra;
  gboolean destroyed = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_nonnull (sd_notetypes_window_get_notetype (window));

  /* Clone the stock "Basic (and reversed card)" as "Vocabulary". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.add", NULL));
  dialog = wait_for_dialog ();
  extra = adw_message_dialog_get_extra_child (dialog);
  adw_combo_row_set_selected (ADW_COMBO_ROW (sd_test_find_widget (extra, ADW_TYPE_COMBO_ROW, 0)),
                              1);
  gtk_editable_set_text (GTK_EDITABLE (sd_test_find_widget (extra, ADW_TYPE_ENTRY_ROW, 0)),
                         "Vocabulary");
  sd_test_screenshot (GTK_WIDGET (dialog), "notetypes-add.png");
  respond (dialog, "add");
  vocab = sd_notetype_find_by_name (collection, "Vocabulary", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vocab->templates->len, ==, 2);
  g_assert_cmpint (sd_notetypes_window_get_notetype (window)->id, ==, vocab->id);

  /* A note of the new type, shown when the type is opened again. */
  note = sd_note_new (vocab->id, fields);
  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, NULL, &error));
  g_assert_true (sd_notetypes_window_select_notetype (window, basic->id));
  g_assert_true (sd_notetypes_window_select_notetype (window, vocab->id));

  /* Rename a field: the templates follow, the note keeps its text. */
  show_page (window, "fields");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "field.rename", "u", 0));
  answer_text ("Spanish");
  g_assert_true (sd_notetypes_window_get_modified (window));
  g_assert_cmpstr (template_of (sd_notetypes_window_get_notetype (window), 0)->front, ==,
                   "{{Spanish}}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  g_assert_false (sd_notetypes_window_get_modified (window));
  g_clear_pointer (&vocab, sd_notetype_free);
  vocab = sd_notetype_load (collection, sd_notetypes_window_get_notetype (window)->id, &error);
  g_assert_cmpstr (((SdField *) g_ptr_array_index (vocab->fields, 0))->name, ==, "Spanish");
  g_assert_cmpstr (template_of (vocab, 0)->front, ==, "{{Spanish}}");
  g_assert_nonnull (strstr (template_of (vocab, 1)->back, "{{Spanish}}"));
  g_clear_pointer (&note, sd_note_free);
  note = sd_note_load (collection, sd_notetype_first_note_id (collection, vocab->id), &error);
  g_assert_cmpstr (note->fields[0], ==, "hola");
  g_assert_cmpstr (note->fields[1], ==, "hello");
  sd_test_screenshot (GTK_WIDGET (window), "notetypes-fields.png");

  /* Edit the front: the preview follows as you type. */
  show_page (window, "templates");
  sd_notetypes_window_select_template (window, 0);
  text = preview_text (window);
  g_assert_nonnull (strstr (text, "hola"));
  g_assert_null (strstr (text, "Spanish word"));
  g_clear_pointer (&text, g_free);
  set_text (window, SD_NOTETYPES_EDITOR_FRONT,
            "<div class=\"prompt\">Spanish word</div>\n<h2>{{Spanish}}</h2>");
  set_text (window, SD_NOTETYPES_EDITOR_STYLING,
            ".card {\n  font-family: sans-serif;\n  font-size: 22px;\n  text-align: center;\n}\n"
            ".prompt {\n  color: #3584e4;\n  font-size: 14px;\n}\n");
  text = preview_text (window);
  g_assert_nonnull (strstr (text, "Spanish word"));
  g_assert_nonnull (strstr (text, "hola"));
  g_clear_pointer (&text, g_free);
  g_assert_null (sd_notetypes_window_get_template_error (window));
  sd_test_screenshot (GTK_WIDGET (window), "notetypes-templates.png");

  /* A syntax error is named, with Anki's message. */
  set_text (window, SD_NOTETYPES_EDITOR_FRONT, "{{#Spanish}}<h2>{{Spanish}}</h2>");
  g_assert_cmpstr (sd_notetypes_window_get_template_error (window), ==,
                   "Front of “Card 1”: Missing '{{/Spanish}}'");
  {
    GtkWidget *label = find_label (GTK_WIDGET (window), "Missing '{{/Spanish}}'");
    GtkWidget *revealer = gtk_widget_get_ancestor (label, GTK_TYPE_REVEALER);

    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  }
  sd_test_screenshot (GTK_WIDGET (window), "notetypes-template-error.png");

  /* Saving is refused while it is broken. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  g_assert_true (sd_notetypes_window_get_modified (window));

  set_text (window, SD_NOTETYPES_EDITOR_FRONT, "{{#Spanish}}<h2>{{Spanish}}</h2>{{/Spanish}}");
  g_assert_null (sd_notetypes_window_get_template_error (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  g_assert_false (sd_notetypes_window_get_modified (window));
  g_clear_pointer (&vocab, sd_notetype_free);
  vocab = sd_notetype_load (collection, sd_notetypes_window_get_notetype (window)->id, &error);
  g_assert_cmpstr (template_of (vocab, 0)->front, ==,
                   "{{#Spanish}}<h2>{{Spanish}}</h2>{{/Spanish}}");
  g_assert_nonnull (strstr (vocab->css, ".prompt"));

  /* Closing with unsaved changes asks; discarding closes. */
  set_text (window, SD_NOTETYPES_EDITOR_STYLING, ".card { color: red; }");
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_nullify_pointer), &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  dialog = wait_for_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Vocabulary"));
  respond (dialog, "discard");
  destroyed = window == NULL;
  g_assert_true (destroyed);
  g_clear_pointer (&vocab, sd_notetype_free);
  vocab = sd_notetype_find_by_name (collection, "Vocabulary", &error);
  g_assert_nonnull (strstr (vocab->css, ".prompt"));
  sd_test_rm_rf (dir);
}

static void
test_card_types (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) stock = sd_notetype_new_stock (SD_STOCK_BASIC);
  g_autoptr(SdNotetype) words = sd_notetype_clone (collection, stock, "Words", &error);
  g_autoptr(SdNotetype) saved = NULL;
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (collection, SD_STOCK_CLOZE, NULL);
  g_autofree char *body = NULL;
  const char *a[] = { "uno", "one", NULL };
  const char *b[] = { "dos", "two", NULL };
  SdNotetypesWindow *window;
  AdwMessageDialog *dialog;
  SdNotetypeUsage usage;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdNote) note = sd_note_new (words->id, i == 0 ? a : b);
      g_assert_true (sd_note_insert (collection, note, &error));
      g_assert_true (sd_card_generate (collection, note, SD_DECK_DEFAULT_ID, NULL, &error));
    }

  window = sd_notetypes_window_new (NULL, collection);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (sd_notetypes_window_select_notetype (window, words->id));
  show_page (window, "templates");

  /* A second card type for Basic is its reverse; saving makes its cards. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "template.add", NULL));
  answer_text ("Reverse");
  g_assert_cmpstr (template_of (sd_notetypes_window_get_notetype (window), 1)->front, ==,
                   "{{Back}}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  g_assert_true (sd_notetype_get_usage (collection, words->id, &usage, &error));
  g_assert_cmpint (usage.cards, ==, 4);

  /* Deleting it says how many cards go, and they go on save. */
  sd_notetypes_window_select_template (window, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "template.remove", NULL));
  dialog = wait_for_dialog ();
  body = body_of (dialog);
  g_assert_nonnull (strstr (body, "Its 2 cards"));
  respond (dialog, "confirm");
  g_assert_cmpuint (sd_notetypes_window_get_notetype (window)->templates->len, ==, 1);
  g_assert_true (sd_notetype_get_usage (collection, words->id, &usage, &error));
  g_assert_cmpint (usage.cards, ==, 4);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  g_assert_true (sd_notetype_get_usage (collection, words->id, &usage, &error));
  g_assert_cmpint (usage.cards, ==, 2);

  /* Deleting a field asks, naming how many notes lose text. */
  show_page (window, "fields");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "field.remove", "u", 1));
  dialog = wait_for_dialog ();
  g_clear_pointer (&body, g_free);
  body = body_of (dialog);
  g_assert_nonnull (strstr (body, "2 notes have text"));
  respond (dialog, "confirm");
  g_assert_cmpuint (sd_notetypes_window_get_notetype (window)->fields->len, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  saved = sd_notetype_load (collection, words->id, &error);
  g_assert_cmpuint (saved->fields->len, ==, 1);

  /* Moving to another note type with unsaved changes asks first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "field.add", NULL));
  answer_text ("Example");
  g_assert_true (sd_notetypes_window_get_modified (window));
  g_assert_true (sd_notetypes_window_select_notetype (window, cloze->id));
  dialog = wait_for_dialog ();
  respond (dialog, "cancel");
  g_assert_cmpint (sd_notetypes_window_get_notetype (window)->id, ==, words->id);
  g_assert_true (sd_notetypes_window_get_modified (window));

  /* Deleting the note type names what goes with it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.discard", NULL));
  g_assert_false (sd_notetypes_window_get_modified (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.delete", NULL));
  dialog = wait_for_dialog ();
  g_clear_pointer (&body, g_free);
  body = body_of (dialog);
  g_assert_cmpstr (body, ==, "Its 2 notes and their 2 cards will be deleted with their review "
                             "history. This cannot be undone.");
  respond (dialog, "confirm");
  g_assert_null (sd_notetype_find_by_name (collection, "Words", NULL));
  g_assert_cmpint (sd_notetypes_window_get_notetype (window)->id, !=, words->id);

  gtk_window_destroy (GTK_WINDOW (window));
  sd_test_rm_rf (dir);
}

static void
test_file_cards (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *path = g_build_filename (notes, "cells.md", NULL);
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (collection, SD_STOCK_CLOZE, &error);
  g_autoptr(SdNotetype) saved = NULL;
  SdNotetypesWindow *window;
  AdwMessageDialog *dialog;
  SdScanStats stats;

  g_mkdir_with_parents (notes, 0700);
  sd_test_write_file (path, "# Cells\n\nWhat makes ATP?::The mitochondrion\n");
  sd_library_add_folder (collection, notes, &error);
  g_assert_true (sd_library_scan (collection, NULL, &stats, &error));
  g_assert_no_error (error);

  window = sd_notetypes_window_new (NULL, collection);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (sd_notetypes_window_select_notetype (window, basic->id));
  show_page (window, "fields");

  /* The file fills the fields in order: their number and order stay, and
   * the page says why. */
  g_assert_false (action_sensitive (window, "field.add"));
  g_assert_false (action_sensitive (window, "field.remove"));
  g_assert_false (action_sensitive (window, "field.move-up"));
  g_assert_true (action_sensitive (window, "field.rename"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Cards written in your note files"));
  g_assert_false (sd_notetypes_window_get_modified (window));
  sd_test_screenshot (GTK_WIDGET (window), "notetypes-file-cards.png");

  /* Renaming a field is fine. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "field.rename", "u", 0));
  answer_text ("Question");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.save", NULL));
  saved = sd_notetype_load (collection, basic->id, &error);
  g_assert_cmpstr (((SdField *) g_ptr_array_index (saved->fields, 0))->name, ==, "Question");

  /* Deleting it is refused with the reason. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "notetypes.delete", NULL));
  dialog = wait_for_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "note files"));
  respond (dialog, "close");
  g_clear_pointer (&saved, sd_notetype_free);
  saved = sd_notetype_load (collection, basic->id, &error);
  g_assert_no_error (error);

  /* Cloze has its one card type; the preview shows a sample deletion. */
  g_assert_true (sd_notetypes_window_select_notetype (window, cloze->id));
  show_page (window, "templates");
  g_assert_false (action_sensitive (window, "template.add"));
  {
    g_autofree char *text = preview_text (window);
    g_assert_nonnull (strstr (text, "This is a [...] cloze deletion."));
  }
  sd_test_screenshot (GTK_WIDGET (window), "notetypes-cloze.png");

  gtk_window_destroy (GTK_WINDOW (window));
  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/studydeck/notetypes-window/clone-and-edit", test_clone_and_edit);
  g_test_add_func ("/studydeck/notetypes-window/card-types", test_card_types);
  g_test_add_func ("/studydeck/notetypes-window/file-cards", test_file_cards);

  return g_test_run ();
}
