/* sd-notes-list.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sd-library.h"
#include "sd-note-item.h"
#include "sd-notes-list.h"

struct _SdNotesList
{
  GtkWidget     parent_instance;

  SdCollection *collection;
  gulong        changed_id;
  GListStore   *roots;
  guint         n_notes;
  char         *listing;

  GtkWidget      *box;
  GtkStack       *stack;
  GtkListView    *view;
  GtkSearchEntry *search_entry;
  GtkListBox     *results;
  guint           n_results;
};

G_DEFINE_FINAL_TYPE (SdNotesList, sd_notes_list, GTK_TYPE_WIDGET)

enum {
  NOTE_ACTIVATED,
  N_SIGNALS
};

#define MAX_RESULTS 100

static guint signals[N_SIGNALS];

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  GListStore *children = sd_note_item_get_children (SD_NOTE_ITEM (item));

  return children ? g_object_ref (G_LIST_MODEL (children)) : NULL;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (icon);
  SdNoteItem *item = gtk_tree_list_row_get_item (row);
  const char *error = sd_note_item_get_error (item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (label), sd_note_item_get_title (item));
  if (sd_note_item_get_children (item) != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "folder-symbolic");
  else if (error != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-warning-symbolic");
  else
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "text-x-generic-symbolic");
  gtk_widget_set_tooltip_text (box, error ? error : sd_note_item_get_path (item));
  g_object_unref (item);
}

/* What the tree shows, as one string: a reload that would show the same
 * keeps the tree as it is, with its open folders and scroll position. */
static char *
describe_listing (GPtrArray *folders,
                  GPtrArray *files)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; folders != NULL && files != NULL && i < folders->len; i++)
    {
      SdNoteFolder *folder = g_ptr_array_index (folders, i);

      g_string_append_printf (out, "%" G_GINT64_FORMAT "\x1f%s\x1e", folder->id, folder->path);
    }
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      SdNoteFile *file = g_ptr_array_index (files, i);

      g_string_append_printf (out, "%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f%s\x1e",
                              file->folder_id, file->relpath, file->title, file->error);
    }
  return g_string_free (out, FALSE);
}

static void
reload (SdNotesList *self)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GHashTable) by_folder = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  if (self->collection != NULL)
    {
      folders = sd_library_list_folders (self->collection, &error);
      if (folders != NULL)
        files = sd_library_list_files (self->collection, &error);
      if (files == NULL)
        g_warning ("Failed to list notes: %s", error->message);
    }

  listing = describe_listing (folders, files);
  if (g_strcmp0 (listing, self->listing) != 0)
    {
      g_free (self->listing);
      self->listing = g_steal_pointer (&listing);
      g_list_store_remove_all (self->roots);
      self->n_notes = 0;
    }
  else
    {
      g_clear_pointer (&files, g_ptr_array_unref);
    }

  for (guint i = 0; files != NULL && i < folders->len; i++)
    {
      SdNoteFolder *folder = g_ptr_array_index (folders, i);
      g_autofree char *name = g_path_get_basename (folder->path);
      g_autoptr(SdNoteItem) root = sd_note_item_new_folder (name);

      g_list_store_append (self->roots, root);
      g_hash_table_insert (by_folder, &folder->id, root);
    }

  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      SdNoteFile *file = g_ptr_array_index (files, i);
      SdNoteItem *parent = g_hash_table_lookup (by_folder, &file->folder_id);
      g_auto(GStrv) parts = g_strsplit (file->relpath, G_DIR_SEPARATOR_S, -1);
      g_autoptr(SdNoteItem) note = NULL;
      guint n = g_strv_length (parts);

      if (parent == NULL)
        continue;
      for (guint j = 0; j + 1 < n; j++)
        parent = sd_note_item_ensure_child_folder (parent, parts[j]);

      note = sd_note_item_new_note (file->title, file->path, file->error);
      g_list_store_append (sd_note_item_get_children (parent), note);
      self->n_notes++;
    }

  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0')
    gtk_stack_set_visible_child_name (self->stack,
                                      g_list_model_get_n_items (G_LIST_MODEL (self->roots)) > 0
                                      ? "tree" : "empty");
}

/* The snippet marks matches with control characters; in the row they
 * become bold, everything else is escaped for Pango. */
static char *
snippet_markup (const char *snippet)
{
  GString *out = g_string_new (NULL);

  for (const char *p = snippet; *p != '\0';)
    {
      const char *start = strstr (p, SD_LIBRARY_MATCH_START);
      const char *end;
      g_autofree char *plain = NULL;
      g_autofree char *match = NULL;

      if (start == NULL)
        {
          plain = g_markup_escape_text (p, -1);
          g_string_append (out, plain);
          break;
        }
      plain = g_markup_escape_text (p, start - p);
      g_string_append (out, plain);
      start += strlen (SD_LIBRARY_MATCH_START);
      end = strstr (start, SD_LIBRARY_MATCH_END);
      if (end == NULL)
        end = start + strlen (start);
      match = g_markup_escape_text (start, end - start);
      g_string_append_printf (out, "<b>%s</b>", match);
      p = *end ? end + strlen (SD_LIBRARY_MATCH_END) : end;
    }
  return g_string_free (out, FALSE);
}

static GtkWidget *
result_row (SdNoteHit *hit)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (hit->title);
  GtkWidget *heading = NULL;
  GtkWidget *snippet = gtk_label_new (NULL);
  g_autofree char *markup = snippet_markup (hit->snippet);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  if (hit->heading[0] != '\0' && g_strcmp0 (hit->heading, hit->title) != 0)
    {
      heading = gtk_label_new (hit->heading);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_ellipsize (GTK_LABEL (heading), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (heading, "accent");
      gtk_box_append (GTK_BOX (box), heading);
    }

  gtk_label_set_markup (GTK_LABEL (snippet), markup);
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (snippet, "dim-label");
  gtk_widget_add_css_class (snippet, "caption");
  gtk_box_append (GTK_BOX (box), snippet);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (hit->path), g_free);
  g_object_set_data (G_OBJECT (row), "line", GINT_TO_POINTER (hit->line));
  return row;
}

static void
search_changed_cb (SdNotesList *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
  self->n_results = 0;

  if (query[0] == '\0' || self->collection == NULL)
    {
      reload (self);
      return;
    }

  hits = sd_library_search (self->collection, query, MAX_RESULTS, &error);
  if (hits == NULL)
    {
      g_warning ("Failed to search notes: %s", error->message);
      return;
    }

  for (guint i = 0; i < hits->len; i++)
    gtk_list_box_append (self->results, result_row (g_ptr_array_index (hits, i)));
  self->n_results = hits->len;

  if (hits->len > 0)
    gtk_list_box_select_row (self->results, gtk_list_box_get_row_at_index (self->results, 0));
  gtk_stack_set_visible_child_name (self->stack, hits->len > 0 ? "results" : "no-results");
}

static void
open_result (SdNotesList   *self,
             GtkListBoxRow *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  int line = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "line"));

  g_signal_emit (self, signals[NOTE_ACTIVATED], 0, path, line);
}

static void
result_activated_cb (SdNotesList   *self,
                     GtkListBoxRow *row)
{
  open_result (self, row);
}

static void
search_activate_cb (SdNotesList *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results);

  if (row != NULL)
    open_result (self, row);
}

static void
search_next_cb (SdNotesList *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->results, 0);

  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
search_stop_cb (SdNotesList *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/**
 * sd_notes_list_search:
 *
 * Shows the notes that match @query, as if the user had typed it.
 */
void
sd_notes_list_search (SdNotesList *self,
                      const char  *query)
{
  g_return_if_fail (SD_IS_NOTES_LIST (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  search_changed_cb (self);
}

void
sd_notes_list_focus_search (SdNotesList *self)
{
  g_return_if_fail (SD_IS_NOTES_LIST (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

guint
sd_notes_list_get_n_results (SdNotesList *self)
{
  g_return_val_if_fail (SD_IS_NOTES_LIST (self), 0);

  return self->n_results;
}

static void
view_activate_cb (SdNotesList *self,
                  guint        position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->view));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, position);
  SdNoteItem *item;

  if (row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  if (sd_note_item_get_path (item) != NULL)
    g_signal_emit (self, signals[NOTE_ACTIVATED], 0, sd_note_item_get_path (item), 0);
  else
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
  g_object_unref (item);
}

void
sd_notes_list_set_collection (SdNotesList  *self,
                              SdCollection *collection)
{
  g_return_if_fail (SD_IS_NOTES_LIST (self));

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_set_object (&self->collection, collection);
  if (collection != NULL)
    self->changed_id = g_signal_connect_object (collection, "changed", G_CALLBACK (reload),
                                                self, G_CONNECT_SWAPPED);
  reload (self);
}

guint
sd_notes_list_get_n_notes (SdNotesList *self)
{
  g_return_val_if_fail (SD_IS_NOTES_LIST (self), 0);

  return self->n_notes;
}

static void
sd_notes_list_dispose (GObject *object)
{
  SdNotesList *self = SD_NOTES_LIST (object);

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_clear_object (&self->collection);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_NOTES_LIST);
  g_clear_object (&self->roots);
  g_clear_pointer (&self->listing, g_free);

  G_OBJECT_CLASS (sd_notes_list_parent_class)->dispose (object);
}

static void
sd_notes_list_class_init (SdNotesListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_notes_list_dispose;

  /**
   * SdNotesList::note-activated:
   * @path: the note file
   * @line: the line to show, or 0 for the top
   *
   * Emitted when the user opens a note.
   */
  signals[NOTE_ACTIVATED] = g_signal_new ("note-activated",
                                          G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-notes-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNotesList, box);
  gtk_widget_class_bind_template_child (widget_class, SdNotesList, stack);
  gtk_widget_class_bind_template_child (widget_class, SdNotesList, view);
  gtk_widget_class_bind_template_child (widget_class, SdNotesList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdNotesList, results);
  gtk_widget_class_bind_template_callback (widget_class, view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static gboolean
holds_path (SdNoteItem *item,
            const char *path)
{
  GListModel *children = G_LIST_MODEL (sd_note_item_get_children (item));

  if (children == NULL)
    return g_strcmp0 (sd_note_item_get_path (item), path) == 0;
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(SdNoteItem) child = g_list_model_get_item (children, i);
      if (holds_path (child, path))
        return TRUE;
    }
  return FALSE;
}

/**
 * sd_notes_list_show_path:
 * @path: (nullable): a note file
 *
 * Selects the row of the note shown elsewhere, opening the folders above it
 * and scrolling it into view; with a note that is not in the tree, or
 * %NULL, nothing is selected.
 */
void
sd_notes_list_show_path (SdNotesList *self,
                         const char  *path)
{
  GtkSingleSelection *selection;
  GListModel *rows;
  guint n;

  g_return_if_fail (SD_IS_NOTES_LIST (self));

  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->view));
  rows = gtk_single_selection_get_model (selection);
  /* Opening a folder inserts its rows right after it: one pass finds the note. */
  for (guint i = 0; path != NULL && i < (n = g_list_model_get_n_items (rows)); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(SdNoteItem) item = gtk_tree_list_row_get_item (row);

      if (!holds_path (item, path))
        continue;
      if (sd_note_item_get_children (item) != NULL)
        {
          gtk_tree_list_row_set_expanded (row, TRUE);
          continue;
        }
      gtk_single_selection_set_selected (selection, i);
      gtk_widget_activate_action (GTK_WIDGET (self->view), "list.scroll-to-item", "u", i);
      return;
    }
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
}

/* Returns: (nullable): the note file of the selected row */
const char *
sd_notes_list_get_selected_path (SdNotesList *self)
{
  GtkSingleSelection *selection;
  GtkTreeListRow *row;
  g_autoptr(SdNoteItem) item = NULL;

  g_return_val_if_fail (SD_IS_NOTES_LIST (self), NULL);

  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->view));
  row = gtk_single_selection_get_selected_item (selection);
  if (row == NULL)
    return NULL;
  item = gtk_tree_list_row_get_item (row);
  /* The store keeps the item alive after this reference goes. */
  return sd_note_item_get_path (item);
}

static void
sd_notes_list_init (SdNotesList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSingleSelection) selection = NULL;
  GtkTreeListModel *tree;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->roots = g_list_store_new (SD_TYPE_NOTE_ITEM);
  tree = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->roots)), FALSE, TRUE,
                                  create_children, NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->view, factory);
  selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  gtk_list_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
}
