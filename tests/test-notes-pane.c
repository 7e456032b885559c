/* test-notes-pane.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <adwaita.h>

#include "sd-library.h"
#include "sd-notes-pane.h"
#include "sd-rich-view.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

typedef struct
{
  char          *dir;
  char          *notes;
  SdCollection  *collection;
  GtkWidget     *window;
  SdNotesPane   *pane;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay = adw_toast_overlay_new ();

  f->dir = sd_test_make_dir ();
  f->notes = g_build_filename (f->dir, "notes", NULL);
  {
    g_autoptr(GString) index = g_string_new ("---\ndeck: Test\n---\n# Index\n\nSee [pods](pods.md#lifecycle),"
                                             " [[Services]], [[nowhere]] and [the web](https://example.com).\n\n");
    for (int i = 0; i < 80; i++)
      g_string_append_printf (index, "Filler paragraph %d.\n\n", i);
    g_string_append (index, "## Second\n\nText.\n");
    for (int i = 0; i < 80; i++)
      g_string_append_printf (index, "More filler %d.\n\n", i);
    sd_test_write_in (f->notes, "index.md", index->str);
  }
  sd_test_write_in (f->notes, "pods.md", "# Pods\n\nIntro.\n\n## Lifecycle\n\nPending, Running.\n");
  sd_test_write_in (f->notes, "k8s/services.md", "# Services\n\nStable names.\n");
  g_assert_true (g_file_set_contents (g_build_filename (f->notes, "binary.md", NULL),
                                      "\x89PNG\0\0", 6, NULL));

  f->collection = sd_test_open_collection (f->dir);
  sd_library_add_folder (f->collection, f->notes, &error);
  g_assert_true (sd_library_scan (f->collection, NULL, NULL, &error));

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  f->pane = g_object_new (SD_TYPE_NOTES_PANE, NULL);
  sd_notes_pane_set_collection (f->pane, f->collection);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->pane));
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  sd_test_spin (20);
  g_clear_object (&f->collection);
  sd_test_rm_rf (f->dir);
  g_free (f->notes);
  g_free (f->dir);
}

static char *
note_path (Fixture    *f,
           const char *rel)
{
  return g_build_filename (f->notes, rel, NULL);
}

static gboolean
follow (Fixture    *f,
        const char *uri)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (sd_notes_pane_get_view (f->pane), "link-activated", uri, &handled);
  return handled;
}

static char *
shown_text (Fixture *f)
{
  SdRichText *rich = sd_rich_view_get_text (sd_notes_pane_get_view (f->pane));
  GtkTextBuffer *buffer = sd_rich_text_get_buffer (rich);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
test_links_and_history (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *index = note_path (f, "index.md");
  g_autofree char *pods = note_path (f, "pods.md");
  g_autofree char *services = note_path (f, "k8s/services.md");
  g_autofree char *text = NULL;
  SdRichDoc *doc;
  guint broken = 0;

  sd_notes_pane_open (f->pane, index);
  g_assert_cmpstr (sd_notes_pane_get_page (f->pane), ==, "note");
  text = shown_text (f);
  g_assert_null (strstr (text, "deck: Test"));
  g_assert_nonnull (strstr (text, "Index"));

  /* [[nowhere]] is marked broken; the others resolve. */
  doc = sd_rich_text_get_doc (sd_rich_view_get_text (sd_notes_pane_get_view (f->pane)));
  for (guint i = 0; i < sd_rich_doc_get_n_links (doc); i++)
    broken += sd_rich_doc_get_link (doc, i)->broken;
  g_assert_cmpuint (sd_rich_doc_get_n_links (doc), ==, 4);
  g_assert_cmpuint (broken, ==, 1);

  g_assert_true (follow (f, "pods.md#lifecycle"));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, pods);
  g_assert_true (follow (f, "wikilink:Services"));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, services);

  /* A broken link leaves the note where it is. */
  g_assert_true (follow (f, "wikilink:nowhere"));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, services);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "notes.back", NULL));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, pods);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "notes.back", NULL));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, index);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "notes.forward", NULL));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, pods);

  /* Anchors are the view's own business: it scrolls, the note stays. */
  g_assert_true (follow (f, "#lifecycle"));
  g_assert_cmpstr (sd_notes_pane_get_path (f->pane), ==, pods);
  sd_test_screenshot (f->window, "notes-pane.png");
}

static void
test_edit_and_save (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *pods = note_path (f, "pods.md");
  g_autofree char *on_disk = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer = sd_notes_pane_get_source_buffer (f->pane);
  GtkTextIter end;
  GStatBuf st;
  guint saved = 0;

  g_chmod (pods, 0600);
  g_signal_connect_swapped (f->pane, "saved", G_CALLBACK (g_atomic_int_inc), &saved);
  sd_notes_pane_open (f->pane, pods);
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));
  g_object_set (f->pane, "editing", TRUE, NULL);

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "\n## Added\n\nNew text.\n", -1);
  g_assert_true (gtk_text_buffer_get_modified (buffer));
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
  sd_test_screenshot (f->window, "notes-edit.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "notes.save", NULL));
  g_assert_cmpuint (saved, ==, 1);
  g_assert_false (gtk_text_buffer_get_modified (buffer));
  g_assert_true (g_file_get_contents (pods, &on_disk, NULL, NULL));
  g_assert_nonnull (strstr (on_disk, "## Added"));
  g_assert_cmpint (g_stat (pods, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The rendered view shows the saved text. */
  g_object_set (f->pane, "editing", FALSE, NULL);
  text = shown_text (f);
  g_assert_nonnull (strstr (text, "Added"));

  /* A new first heading is the note's title once saved. */
  g_assert_cmpstr (sd_notes_pane_get_title (f->pane), ==, "Pods");
  g_object_set (f->pane, "editing", TRUE, NULL);
  {
    GtkTextIter start;

    gtk_text_buffer_get_start_iter (buffer, &start);
    gtk_text_buffer_insert (buffer, &start, "# Pod lifecycle\n\n", -1);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "notes.save", NULL));
  g_assert_cmpuint (saved, ==, 2);
  g_assert_cmpstr (sd_notes_pane_get_title (f->pane), ==, "Pod lifecycle");
}

static GtkWindow *
find_dialog (GtkWidget *main_window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *pods = note_path (f, "pods.md");
  g_autofree char *on_disk = NULL;
  GtkTextBuffer *buffer = sd_notes_pane_get_source_buffer (f->pane);
  GtkTextIter end;
  GtkWindow *dialog;

  sd_notes_pane_open (f->pane, pods);
  g_object_set (f->pane, "editing", TRUE, NULL);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "My edit.\n", -1);

  /* Another program writes the note: the pane asks before anything. */
  g_usleep (20000);
  sd_test_write_file (pods, "# Pods\n\nRewritten elsewhere, longer than before.\n");
  sd_collection_notify_changed (f->collection);
  sd_test_spin (50);
  dialog = find_dialog (f->window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  sd_test_spin (50);
  g_assert_true (gtk_text_buffer_get_modified (buffer));

  /* Saving now would overwrite the other change: it asks again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->pane), "notes.save", NULL));
  sd_test_spin (50);
  dialog = find_dialog (f->window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  sd_test_spin (50);
  g_assert_true (g_file_get_contents (pods, &on_disk, NULL, NULL));
  g_assert_nonnull (strstr (on_disk, "Rewritten elsewhere"));
  g_assert_null (strstr (on_disk, "My edit."));
}

static void
test_reload_without_edits (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *pods = note_path (f, "pods.md");
  g_autofree char *text = NULL;

  sd_notes_pane_open (f->pane, pods);
  g_usleep (20000);
  sd_test_write_file (pods, "# Pods\n\nA fresh version from disk.\n");
  sd_collection_notify_changed (f->collection);
  text = shown_text (f);
  g_assert_nonnull (strstr (text, "fresh version"));
  g_assert_null (find_dialog (f->window));
}

static void
test_bad_note_and_outline (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *binary = note_path (f, "binary.md");
  g_autofree char *index = note_path (f, "index.md");

  sd_notes_pane_open (f->pane, binary);
  g_assert_cmpstr (sd_notes_pane_get_page (f->pane), ==, "error");

  sd_notes_pane_open (f->pane, index);
  g_assert_cmpstr (sd_notes_pane_get_page (f->pane), ==, "note");
  g_object_set (f->pane, "outline-visible", TRUE, NULL);
  /* The line of "## Second": 3 of front matter, 4 more, 80 fillers of 2. */
  sd_notes_pane_open_at_line (f->pane, index, 3 + 4 + 160 + 1);
  sd_test_spin (300);
  g_assert_cmpstr (sd_rich_view_get_current_heading (sd_notes_pane_get_view (f->pane)), ==, "second");
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/studydeck/notes-pane/links-and-history", test_links_and_history);
  ADD ("/studydeck/notes-pane/edit-and-save", test_edit_and_save);
  ADD ("/studydeck/notes-pane/conflict", test_conflict);
  ADD ("/studydeck/notes-pane/reload-without-edits", test_reload_without_edits);
  ADD ("/studydeck/notes-pane/bad-note-and-outline", test_bad_note_and_outline);
#undef ADD

  return g_test_run ();
}
