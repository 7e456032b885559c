/* sd-browser-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sd-browser-window-private.h"
#include "sd-card.h"
#include "sd-card-render.h"
#include "sd-note.h"
#include "sd-note-cards.h"
#include "sd-note-editor.h"

/* The card browser, like Anki's Browse window: a search in Anki's syntax,
 * the cards (or notes) it finds in a table sorted by any column, bulk
 * actions on the selection with undo, and the selected card drawn beside.
 *
 * Sorting happens in SQL: clicking a header only tells us which column and
 * direction; the list is the ids sd_browse_cards() returns, and rows are
 * read as they scroll into view (SdBrowserModel). A bad search leaves the
 * list as it was and names the mistake under the header bar. Bulk actions
 * and their undo are in sd-browser-actions.c. */

/* The rows GTK 4.8 keeps bound around the place a list shows
 * (GTK_LIST_VIEW_MAX_LIST_ITEMS), and two more each side. */
#define KEPT_ROWS 200
#define KEPT_EXTRA 2


typedef struct
{
  const char *id;
  const char *title;        /* listing cards */
  const char *notes_title;  /* listing notes */
  int         sort;         /* SdBrowseColumn, or -1 where SQL cannot sort */
  gboolean    numeric;      /* in tabular figures */
  gboolean    shown;        /* at first */
  int         width;        /* fixed width, or -1 */
  int         text;         /* SdBrowserText, or -1 */
} ColumnInfo;

static const ColumnInfo column_info[N_COLUMNS] = {
  [COL_STATE] = { "state", NULL, NULL, -1, FALSE, TRUE, 32, -1 },
  [COL_SORT_FIELD] = { "sort-field", N_("Sort Field"), N_("Sort Field"),
                       SD_BROWSE_COLUMN_SORT_FIELD, FALSE, TRUE, -1, SD_BROWSER_TEXT_SORT_FIELD },
  [COL_TEMPLATE] = { "card", N_("Card"), N_("Cards"), SD_BROWSE_COLUMN_TEMPLATE, FALSE, TRUE, 96,
                     SD_BROWSER_TEXT_TEMPLATE },
  [COL_DECK] = { "deck", N_("Deck"), N_("Deck"), SD_BROWSE_COLUMN_DECK, FALSE, TRUE, 150,
                 SD_BROWSER_TEXT_DECK },
  [COL_DUE] = { "due", N_("Due"), N_("Due"), SD_BROWSE_COLUMN_DUE, TRUE, TRUE, 120,
                SD_BROWSER_TEXT_DUE },
  [COL_INTERVAL] = { "interval", N_("Interval"), N_("Interval"), SD_BROWSE_COLUMN_INTERVAL,
                     TRUE, TRUE, 80, SD_BROWSER_TEXT_INTERVAL },
  [COL_EASE] = { "ease", N_("Difficulty"), N_("Difficulty"), SD_BROWSE_COLUMN_EASE, TRUE, TRUE, 100,
                 SD_BROWSER_TEXT_EASE },
  [COL_REVIEWS] = { "reviews", N_("Reviews"), N_("Reviews"), SD_BROWSE_COLUMN_REVIEWS,
                    TRUE, TRUE, 76, SD_BROWSER_TEXT_REVIEWS },
  [COL_LAPSES] = { "lapses", N_("Lapses"), N_("Lapses"), SD_BROWSE_COLUMN_LAPSES, TRUE, TRUE, 64,
                   SD_BROWSER_TEXT_LAPSES },
  [COL_NOTETYPE] = { "note-type", N_("Note Type"), N_("Note Type"), SD_BROWSE_COLUMN_NOTETYPE,
                     FALSE, FALSE, 150, SD_BROWSER_TEXT_NOTETYPE },
  [COL_TAGS] = { "tags", N_("Tags"), N_("Tags"), -1, FALSE, FALSE, 150, SD_BROWSER_TEXT_TAGS },
  [COL_CREATED] = { "created", N_("Created"), N_("Created"), SD_BROWSE_COLUMN_CREATED,
                    TRUE, FALSE, 104, SD_BROWSER_TEXT_CREATED },
  [COL_MODIFIED] = { "modified", N_("Modified"), N_("Modified"), SD_BROWSE_COLUMN_MODIFIED,
                     TRUE, FALSE, 104, SD_BROWSER_TEXT_MODIFIED },
};

static const char *flag_names[] = {
  NULL, N_("Red flag"), N_("Orange flag"), N_("Green flag"), N_("Blue flag"),
  N_("Pink flag"), N_("Turquoise flag"), N_("Purple flag"),
};

typedef struct
{
  SdBrowserWindow *self;
  Column           column;
} SortProbe;


G_DEFINE_FINAL_TYPE (SdBrowserWindow, sd_browser_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_COLLECTION,
  PROP_SETTINGS,
  PROP_NOTES_MODE,
  PROP_SHOW_PREVIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_SOURCE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_selection_state (SdBrowserWindow *self);
static void update_cells (SdBrowserWindow *self);
static void queue_preview (SdBrowserWindow *self);

/* ---- helpers ------------------------------------------------------------- */

void
_sd_browser_window_toast (SdBrowserWindow *self,
                          const char      *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static Column
column_for_sort (SdBrowseColumn sort)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    if (column_info[i].sort == (int) sort)
      return i;
  return COL_SORT_FIELD;
}

static GtkBitset *
get_selected (SdBrowserWindow *self)
{
  return gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
}

/* The ids of the selected rows, in the list's order. */
static GArray *
selected_ids (SdBrowserWindow *self)
{
  g_autoptr(GtkBitset) selected = get_selected (self);
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                   (guint) MIN (gtk_bitset_get_size (selected), G_MAXUINT));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = sd_browser_model_get_id (self->model, position);
      g_array_append_val (ids, id);
    }
  return ids;
}

/* The cards a bulk action applies to: the selected ones, or every card of
 * the selected notes. */
GArray *
_sd_browser_window_selected_card_ids (SdBrowserWindow  *self,
                                      GError          **error)
{
  g_autoptr(GArray) ids = selected_ids (self);

  if (!self->notes)
    return g_steal_pointer (&ids);
  return sd_browse_cards_of_notes (self->collection, (const gint64 *) ids->data, ids->len, error);
}

/* The first selected row: what the toggles (suspend, flag) look at, as in
 * Anki, where they follow the current card. */
SdBrowserItem *
_sd_browser_window_first_selected_item (SdBrowserWindow *self)
{
  g_autoptr(GtkBitset) selected = get_selected (self);

  if (gtk_bitset_is_empty (selected))
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->model), gtk_bitset_get_minimum (selected));
}

/* ---- search -------------------------------------------------------------- */

static void
show_error (SdBrowserWindow *self,
            const char      *message)
{
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  if (message != NULL)
    {
      gtk_label_set_text (self->error_label, message);
      gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->search_entry), NULL);
    }
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

/* Selects the rows of @ids that are still listed, and no others. */
static void
restore_selection (SdBrowserWindow *self,
                   GArray          *ids)
{
  g_autoptr(GtkBitset) wanted = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  for (guint i = 0; i < ids->len; i++)
    {
      guint position = sd_browser_model_find (self->model, g_array_index (ids, gint64, i));
      if (position != G_MAXUINT)
        gtk_bitset_add (wanted, position);
    }
  mask = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), wanted, mask);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint position;
  double row, top, page;

  /* The list lays out the new rows in the frame after it learnt of them. */
  if (++self->scroll_frames < 2)
    return G_SOURCE_CONTINUE;
  self->scroll_id = 0;

  if (self->scroll_to == 0)
    {
      gtk_adjustment_set_value (adjustment, MAX (self->scroll_value, 0));
      return G_SOURCE_REMOVE;
    }
  position = sd_browser_model_find (self->model, self->scroll_to);
  if (position == G_MAXUINT || n == 0)
    return G_SOURCE_REMOVE;
  /* Rows have one height, so the list is n of them. */
  row = gtk_adjustment_get_upper (adjustment) / n;
  page = gtk_adjustment_get_page_size (adjustment);
  top = position * row;
  if (top < gtk_adjustment_get_value (adjustment)
      || top + row > gtk_adjustment_get_value (adjustment) + page)
    gtk_adjustment_set_value (adjustment, top - (page - row) / 2);
  return G_SOURCE_REMOVE;
}

static void
queue_scroll (SdBrowserWindow *self)
{
  self->scroll_frames = 0;
  if (self->scroll_id == 0)
    self->scroll_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

/* Keeps the first selected row in view when the order changed under it,
 * or goes back to the top. */
static void
scroll_to_selection (SdBrowserWindow *self)
{
  g_autoptr(GtkBitset) selected = get_selected (self);

  self->scroll_to = 0;
  self->scroll_value = 0;
  if (!gtk_bitset_is_empty (selected))
    self->scroll_to = sd_browser_model_get_id (self->model, gtk_bitset_get_minimum (selected));
  queue_scroll (self);
}

/* Stays where the list was (a large change makes the view start over). */
static void
keep_scroll (SdBrowserWindow *self,
             double           value)
{
  self->scroll_to = 0;
  self->scroll_value = value;
  queue_scroll (self);
}

static void
update_empty_page (SdBrowserWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *description = NULL;

  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  if (n > 0)
    return;

  if (self->query[0] == '\0')
    {
      adw_status_page_set_icon_name (self->empty_page, "view-list-symbolic");
      adw_status_page_set_title (self->empty_page,
                                 self->notes ? _("No Notes Yet") : _("No Cards Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Add notes or import a deck from the main window."));
      return;
    }
  description = g_markup_printf_escaped (_("Nothing matches <b>%s</b>. Try another search."),
                                         self->query);
  adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
  adw_status_page_set_title (self->empty_page,
                             self->notes ? _("No Notes Found") : _("No Cards Found"));
  adw_status_page_set_description (self->empty_page, description);
}

typedef enum
{
  KEEP_SCROLL,      /* the collection changed: stay where the user was */
  SHOW_SELECTION,   /* the order changed: follow the selected row */
} ScrollMode;

/* After the list changed: the rows on screen show what is at their
 * place now (the model tells a new search or order only as a change of
 * length), the rows selected before (@keep) stay selected, and the view
 * follows them or stays where it was (@value). */
static void
show_results (SdBrowserWindow *self,
              gboolean         refresh,
              ScrollMode       scroll,
              GArray          *keep,
              double           value)
{
  update_cells (self);
  if (!refresh)
    show_error (self, NULL);
  if (keep->len > 0)
    restore_selection (self, keep);
  update_empty_page (self);
  update_selection_state (self);
  queue_preview (self);
  if (scroll == SHOW_SELECTION)
    scroll_to_selection (self);
  else
    keep_scroll (self, value);
}

static void
cancel_typed_search (SdBrowserWindow *self)
{
  if (self->typed_search != NULL)
    g_cancellable_cancel (self->typed_search);
  g_clear_object (&self->typed_search);
}

static void
typed_search_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SdBrowserWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keep = NULL;
  double value;

  /* Another search, a new order or the window's end came first. */
  if (g_task_get_cancellable (G_TASK (result)) != self->typed_search)
    {
      sd_browser_model_search_finish (SD_BROWSER_MODEL (source), result, NULL);
      return;
    }
  g_clear_object (&self->typed_search);

  keep = selected_ids (self);
  value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
  if (!sd_browser_model_search_finish (SD_BROWSER_MODEL (source), result, &error))
    show_error (self, error->message);
  else
    show_results (self, FALSE, SHOW_SELECTION, keep, value);
}

/* Typing searches in a worker thread, the newest search only: the entry
 * takes keys while a hundred thousand cards are searched. */
static void
start_typed_search (SdBrowserWindow *self)
{
  cancel_typed_search (self);
  self->typed_search = g_cancellable_new ();
  sd_browser_model_search_async (self->model, self->notes, self->query, self->sort_column,
                                 self->ascending, self->typed_search, typed_search_done_cb,
                                 g_object_ref (self));
}

static gboolean
run_search (SdBrowserWindow *self,
            gboolean         refresh,
            ScrollMode       scroll)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keep = NULL;
  double value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
  gboolean typing = self->typed_search != NULL;
  gboolean ok;

  if (self->model == NULL)
    return FALSE;

  /* A new order or mode runs the query typed last: a search still
   * running for it would only bring the old order back. */
  if (!refresh)
    cancel_typed_search (self);
  keep = selected_ids (self);
  ok = refresh ? sd_browser_model_refresh (self->model, &error)
               : sd_browser_model_search (self->model, self->notes, self->query,
                                          self->sort_column, self->ascending, &error);
  /* One running while the collection changed may have read it before. */
  if (refresh && typing)
    start_typed_search (self);
  if (!ok)
    {
      if (refresh)
        _sd_browser_window_toast (self, error->message);
      else
        show_error (self, error->message);
      return FALSE;
    }
  show_results (self, refresh, scroll, keep, value);
  return TRUE;
}

static void
search_changed_cb (SdBrowserWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (g_strcmp0 (text, self->query) == 0)
    return;
  g_free (self->query);
  self->query = g_strdup (text);
  start_typed_search (self);
}

static void
search_activate_cb (SdBrowserWindow *self)
{
  search_changed_cb (self);
}

/* GTK 4.8 has no public way to ask a column view which column it sorts by
 * (GtkColumnViewSorter is public from 4.10). Each sortable column gets a
 * sorter that only records that it was asked; comparing two dummies with
 * the view's sorter asks the primary column first, and the sign of the
 * answer tells the direction. The list itself is sorted by SQL. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SortProbe *probe = user_data;

  probe->self->probed = probe->column;
  return 1;
}

static void
sort_changed_cb (SdBrowserWindow *self)
{
  GtkOrdering ordering;

  if (self->clearing_sort)
    return;
  self->probed = -1;
  /* Two different objects: a sorter calls nothing to compare one with itself. */
  ordering = gtk_sorter_compare (self->sorter, self, self->model);
  if (self->probed < 0)
    {
      self->sort_column = SD_BROWSE_COLUMN_SORT_FIELD;
      self->ascending = TRUE;
    }
  else
    {
      self->sort_column = column_info[self->probed].sort;
      self->ascending = ordering == GTK_ORDERING_LARGER;
    }
  run_search (self, FALSE, SHOW_SELECTION);
}

static gboolean
refresh_cb (gpointer user_data)
{
  SdBrowserWindow *self = user_data;

  self->refresh_id = 0;
  run_search (self, TRUE, KEEP_SCROLL);
  return G_SOURCE_REMOVE;
}

/* Now, rather than in idle time: the list shows the collection as it is. */
void
_sd_browser_window_refresh (SdBrowserWindow *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  run_search (self, TRUE, KEEP_SCROLL);
}

static void
collection_changed_cb (SdBrowserWindow *self)
{
  if (!self->acting && self->undo->len > 0)
    _sd_browser_window_clear_undo (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_cb, self);
}


/* ---- other actions ------------------------------------------------------- */

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);

  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
invert_selection_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autoptr(GtkBitset) selected = get_selected (self);
  g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, n);
  g_autoptr(GtkBitset) inverted = gtk_bitset_copy (all);

  gtk_bitset_subtract (inverted, selected);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), inverted, all);
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
toggle_mode_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);

  sd_browser_window_set_notes_mode (self, !self->notes);
}

static void
mode_toggled_cb (SdBrowserWindow *self)
{
  gboolean notes = gtk_toggle_button_get_active (self->notes_button);

  if (notes != self->notes)
    sd_browser_window_set_notes_mode (self, notes);
}

static void
edit_note_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  SdNoteEditor *editor;

  if (self->preview_note == 0)
    return;
  editor = sd_note_editor_new_edit (GTK_WINDOW (self), self->collection, self->preview_note,
                                    &error);
  if (editor == NULL)
    {
      _sd_browser_window_toast (self, error->message);
      return;
    }
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (widget);
  gboolean handled = FALSE;

  if (self->preview_card == 0 || self->source_path == NULL)
    return;
  g_signal_emit (self, signals[OPEN_SOURCE], 0, self->preview_card, &handled);
  if (!handled)
    {
      /* Nobody shows notes here: the file's own application does. */
      g_autoptr(GFile) file = g_file_new_for_path (self->source_path);
      g_autofree char *uri = g_file_get_uri (file);

      gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
    }
}

/* Enter or a double click: edit the note where it is written. */
static void
row_activated_cb (SdBrowserWindow *self,
                  guint            position)
{
  g_autoptr(GtkBitset) selected = get_selected (self);

  if (gtk_bitset_get_size (selected) != 1)
    return;
  if (self->source_path != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "browser.open-source", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "browser.edit-note", NULL);
}

/* ---- preview ------------------------------------------------------------- */

static void
show_preview_page (SdBrowserWindow *self,
                   guint            n_selected)
{
  g_autofree char *title = NULL;

  self->preview_card = self->preview_note = 0;
  g_clear_pointer (&self->source_path, g_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.edit-note", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.open-source", FALSE);
  sd_card_view_set_card (self->card_view, NULL, NULL, NULL);
  gtk_stack_set_visible_child_name (self->preview_stack, "none");

  if (n_selected == 0)
    {
      adw_status_page_set_title (self->preview_status,
                                 self->notes ? _("No Note Selected") : _("No Card Selected"));
      adw_status_page_set_description (self->preview_status,
                                       self->notes ? _("Select a note to see its first card here.")
                                                   : _("Select a card to see it here."));
      return;
    }
  title = g_strdup_printf (self->notes ? g_dngettext (GETTEXT_PACKAGE, "%u Note Selected",
                                                      "%u Notes Selected", n_selected)
                                       : g_dngettext (GETTEXT_PACKAGE, "%u Card Selected",
                                                      "%u Cards Selected", n_selected),
                           n_selected);
  adw_status_page_set_title (self->preview_status, title);
  adw_status_page_set_description (self->preview_status,
                                   _("Actions in the bar below apply to all of them."));
}

static void
render_preview (SdBrowserWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = NULL;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(SdRenderedCard) rendered = NULL;
  g_autoptr(SdBrowserItem) item = _sd_browser_window_first_selected_item (self);
  g_autoptr(GString) info = g_string_new (NULL);
  const SdBrowseRow *row = item != NULL ? sd_browser_item_get_row (item) : NULL;
  gint64 card_id = 0;
  gboolean answer = gtk_toggle_button_get_active (self->answer_button);

  if (row == NULL)
    {
      show_preview_page (self, 0);
      return;
    }
  if (self->notes)
    {
      g_autoptr(GArray) cards = sd_browse_cards_of_notes (self->collection, &row->note_id, 1, NULL);
      if (cards != NULL && cards->len > 0)
        card_id = g_array_index (cards, gint64, 0);
    }
  else
    card_id = row->card_id;

  if (card_id != 0)
    card = sd_card_load (self->collection, card_id, &error);
  if (card != NULL)
    {
      note = sd_note_load (self->collection, card->note_id, &error);
      rendered = sd_card_render (self->collection, card, NULL, &error);
    }
  if (rendered == NULL)
    {
      show_preview_page (self, 1);
      if (error != NULL)
        adw_status_page_set_description (self->preview_status, error->message);
      return;
    }

  self->preview_card = card->id;
  self->preview_note = card->note_id;
  g_clear_pointer (&self->source_path, g_free);
  sd_card_view_set_card_full (self->card_view, answer ? rendered->answer : rendered->question,
                              rendered->css, sd_collection_get_media_dir (self->collection),
                              card->ord);

  {
    g_autofree char *line = NULL;
    g_autoptr(SdBrowseRow) card_row = g_new0 (SdBrowseRow, 1);
    const SdBrowseRow *shown = row;

    /* In notes mode the row sums the note up; name the card shown. */
    if (self->notes && sd_browse_card_row (self->collection, card->id, card_row, NULL))
      shown = card_row;
    line = g_markup_printf_escaped ("<b>%s</b> · %s\n%s", shown->notetype, shown->template_name,
                                    shown->deck);
    g_string_append (info, line);
    if (row->tags != NULL && row->tags[0] != '\0')
      {
        g_autofree char *tags = g_markup_printf_escaped ("\n%s %s", _("Tags:"), row->tags);
        g_string_append (info, tags);
      }
  }

  if (note != NULL && note->source_file != 0)
    {
      g_autoptr(SdNoteCardAnchor) anchor = sd_note_cards_anchor_for_card (self->collection,
                                                                         card->id, NULL);
      if (anchor != NULL && anchor->path != NULL)
        {
          g_autofree char *base = g_path_get_basename (anchor->path);
          g_autofree char *where = NULL;

          self->source_path = g_strdup (anchor->path);
          /* Translators: where a card is written: a file name and a line number. */
          where = g_markup_printf_escaped (_("\nWritten in <b>%s</b>, line %d"), base,
                                           anchor->line_start);
          g_string_append (info, where);
        }
    }
  gtk_label_set_markup (self->info_label, info->str);
  gtk_widget_set_visible (self->source_button, self->source_path != NULL);
  gtk_widget_set_visible (self->edit_button, self->source_path == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.open-source",
                                 self->source_path != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.edit-note",
                                 self->source_path == NULL);
  gtk_stack_set_visible_child_name (self->preview_stack, "card");
}

static gboolean
preview_cb (gpointer user_data)
{
  SdBrowserWindow *self = user_data;
  g_autoptr(GtkBitset) selected = get_selected (self);
  guint64 n = gtk_bitset_get_size (selected);

  self->preview_id = 0;
  if (n == 1)
    render_preview (self);
  else
    show_preview_page (self, (guint) MIN (n, G_MAXUINT));
  return G_SOURCE_REMOVE;
}

/* Moving through the list with the keyboard selects row after row; the
 * card is drawn once the selection settles. */
static void
queue_preview (SdBrowserWindow *self)
{
  if (self->preview_id == 0)
    self->preview_id = g_idle_add_full (G_PRIORITY_LOW, preview_cb, self, NULL);
}

static void
side_toggled_cb (SdBrowserWindow *self)
{
  queue_preview (self);
}

/* ---- selection ----------------------------------------------------------- */

static void
update_selection_state (SdBrowserWindow *self)
{
  static const char *bulk[] = {
    "browser.change-deck", "browser.add-tags", "browser.remove-tags", "browser.toggle-suspend",
    "browser.toggle-flag", "browser.forget", "browser.set-due-date", "browser.delete",
  };
  g_autoptr(GtkBitset) selected = get_selected (self);
  g_autoptr(SdBrowserItem) first = NULL;
  g_autofree char *text = NULL;
  GtkWidget *menus[] = { self->tags_button, self->flag_button, self->more_button };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint n_selected = (guint) MIN (gtk_bitset_get_size (selected), G_MAXUINT);
  const SdBrowseRow *row = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bulk); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), bulk[i], n_selected > 0);
  for (guint i = 0; i < G_N_ELEMENTS (menus); i++)
    gtk_widget_set_sensitive (menus[i], n_selected > 0);

  if (n_selected == 0)
    text = g_strdup_printf (self->notes ? g_dngettext (GETTEXT_PACKAGE, "%u note", "%u notes", n)
                                        : g_dngettext (GETTEXT_PACKAGE, "%u card", "%u cards", n),
                            n);
  else
    /* Translators: "3 of 1200 selected". */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u selected",
                                         "%u of %u selected", n),
                            n_selected, n);
  gtk_label_set_text (self->count_label, text);

  first = _sd_browser_window_first_selected_item (self);
  row = first != NULL ? sd_browser_item_get_row (first) : NULL;
  gtk_button_set_label (GTK_BUTTON (self->suspend_button),
                        row != NULL && row->queue == SD_QUEUE_SUSPENDED ? _("Un_suspend")
                                                                        : _("_Suspend"));
}

static void
selection_changed_cb (SdBrowserWindow *self)
{
  update_selection_state (self);
  queue_preview (self);
}

/* ---- cells --------------------------------------------------------------- */

/* GTK 4.8 keeps about 200 rows bound around the view, whatever its height,
 * and a jump (a dragged scroll bar) binds every one of them again, each
 * cell of each column; so does a change of selection, for the rows it
 * spans. A bind must therefore cost next to nothing: the text comes made
 * from the row (SdBrowserItem keeps it), a GtkInscription takes it without
 * measuring it again (it is only laid out when drawn, and only rows in view
 * are drawn), the state icon and style classes change only when they
 * differ, and a tooltip is asked for when shown rather than set (setting
 * one asks the display where the pointer is, a round trip to the X
 * server). */

typedef enum
{
  STATE_NONE,
  STATE_FLAG,         /* + the flag, 1 to 7 */
  STATE_SUSPENDED = STATE_FLAG + 8,
  STATE_BURIED,
} CellState;

static const char *flag_classes[] = {
  NULL, "sd-flag-1", "sd-flag-2", "sd-flag-3", "sd-flag-4", "sd-flag-5", "sd-flag-6",
  "sd-flag-7",
};

/* What a column's factory makes its cells for. */
typedef struct
{
  SdBrowserWindow *self;
  Column           column;
} CellKind;

/* A cell's state, kept on its list item (whose few data a bind finds
 * faster than a widget's). Every cell of the window is in its list, so
 * that a refresh can bring the rows on screen up to date without a bind
 * connecting to each row's item and an unbind disconnecting. */
typedef struct
{
  GList            link;       /* in the window's cells */
  SdBrowserWindow *self;       /* unowned; NULL once the window is gone */
  GtkListItem     *list_item;  /* unowned: it owns this */
  Column           column;
  CellState        state;
  gboolean         suspended;
} Cell;

static GQuark cell_quark;
static GQuark tooltip_quark;   /* a state icon's tooltip, on the icon */

static void
cell_kind_free (gpointer  data,
                GClosure *closure)
{
  g_free (data);
}

static void
cell_free (Cell *cell)
{
  if (cell->self != NULL)
    g_queue_unlink (&cell->self->cells, &cell->link);
  g_free (cell);
}

static Cell *
cell_of (GtkListItem *list_item)
{
  return g_object_get_qdata (G_OBJECT (list_item), cell_quark);
}

static CellState
state_of (const SdBrowseRow *row)
{
  if (row == NULL)
    return STATE_NONE;
  if (row->flags > 0 && row->flags <= 7)
    return STATE_FLAG + row->flags;
  if (row->queue == SD_QUEUE_SUSPENDED)
    return STATE_SUSPENDED;
  if (row->queue < SD_QUEUE_SUSPENDED)
    return STATE_BURIED;
  return STATE_NONE;
}

static void
update_state_cell (Cell              *cell,
                   GtkImage          *image,
                   const SdBrowseRow *row)
{
  CellState state = state_of (row);
  GtkWidget *widget = GTK_WIDGET (image);
  const char *tooltip = NULL;

  if (state == cell->state)
    return;

  if (cell->state > STATE_FLAG && cell->state < STATE_SUSPENDED)
    gtk_widget_remove_css_class (widget, flag_classes[cell->state - STATE_FLAG]);
  else if (cell->state != STATE_NONE)
    gtk_widget_remove_css_class (widget, "dim-label");
  cell->state = state;

  if (state > STATE_FLAG && state < STATE_SUSPENDED)
    {
      gtk_image_set_from_icon_name (image, "emoji-flags-symbolic");
      gtk_widget_add_css_class (widget, flag_classes[state - STATE_FLAG]);
      tooltip = _(flag_names[state - STATE_FLAG]);
    }
  else if (state == STATE_SUSPENDED)
    {
      gtk_image_set_from_icon_name (image, "media-playback-pause-symbolic");
      gtk_widget_add_css_class (widget, "dim-label");
      tooltip = _("Suspended");
    }
  else if (state == STATE_BURIED)
    {
      gtk_image_set_from_icon_name (image, "media-playback-stop-symbolic");
      gtk_widget_add_css_class (widget, "dim-label");
      tooltip = _("Buried");
    }
  else
    gtk_image_clear (image);
  g_object_set_qdata (G_OBJECT (image), tooltip_quark, (gpointer) tooltip);
}

static void
update_cell (GtkListItem *list_item)
{
  Cell *cell = cell_of (list_item);
  SdBrowserItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  const SdBrowseRow *row;
  gboolean suspended;

  row = item != NULL ? sd_browser_item_get_row (item) : NULL;
  if (cell->column == COL_STATE)
    {
      update_state_cell (cell, GTK_IMAGE (child), row);
      return;
    }

  gtk_inscription_set_text (GTK_INSCRIPTION (child),
                            item != NULL ? sd_browser_item_get_text (item,
                                                                     column_info[cell->column].text)
                                         : NULL);
  suspended = row != NULL && row->queue == SD_QUEUE_SUSPENDED;
  if (suspended != cell->suspended)
    {
      cell->suspended = suspended;
      if (suspended)
        gtk_widget_add_css_class (child, "sd-suspended");
      else
        gtk_widget_remove_css_class (child, "sd-suspended");
    }
}

static gboolean
query_cell_tooltip_cb (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text;

  if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  else
    text = g_object_get_qdata (G_OBJECT (widget), tooltip_quark);
  if (text == NULL || text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* After a refresh read the rows on screen again. */
static void
update_cells (SdBrowserWindow *self)
{
  for (GList *l = self->cells.head; l != NULL; l = l->next)
    {
      Cell *cell = l->data;

      if (gtk_list_item_get_item (cell->list_item) != NULL)
        update_cell (cell->list_item);
    }
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CellKind                 *kind)
{
  Column column = kind->column;
  Cell *cell = g_new0 (Cell, 1);
  GtkWidget *child;

  cell->link.data = cell;
  cell->self = kind->self;
  g_queue_push_tail_link (&kind->self->cells, &cell->link);
  cell->list_item = list_item;
  cell->column = column;
  if (column == COL_STATE)
    child = gtk_image_new ();
  else
    {
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      /* Its width is the column's; a column that sizes itself to its
       * cells (the sort field) asks for a useful amount of text. */
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (child), 24);
      if (column_info[column].numeric)
        gtk_widget_add_css_class (child, "numeric");
    }
  g_object_set_qdata_full (G_OBJECT (list_item), cell_quark, cell, (GDestroyNotify) cell_free);
  if (column == COL_STATE || column == COL_SORT_FIELD || column == COL_DECK || column == COL_TAGS)
    {
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (query_cell_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (list_item, child);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              CellKind                 *kind)
{
  update_cell (list_item);
}

/* How many rows the list keeps bound above the row at the top of the view:
 * the start of the run of bound rows that holds it. */
static guint
rows_kept_above (SdBrowserWindow *self,
                 guint            top)
{
  g_autoptr(GtkBitset) bound = gtk_bitset_new_empty ();
  guint first = top;

  for (GList *l = self->cells.head; l != NULL; l = l->next)
    {
      Cell *cell = l->data;

      if (cell->column == COL_STATE && gtk_list_item_get_item (cell->list_item) != NULL)
        gtk_bitset_add (bound, gtk_list_item_get_position (cell->list_item));
    }
  if (!gtk_bitset_contains (bound, top))
    return 0;
  while (first > 0 && gtk_bitset_contains (bound, first - 1))
    first--;
  return top - first;
}

/* Runs before the list's own handler, which binds at once the rows it
 * keeps around the new place: their rows are read here in one batch, where
 * a jump (a dragged scroll bar) would read a chunk at a time as it binds
 * them. Rows have one height, and the list keeps as many rows above the
 * view after a scroll as before it (it keeps its anchor row where it was
 * in the view). */
static void
prefetch_rows_cb (GtkAdjustment   *adjustment,
                  SdBrowserWindow *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  double upper = gtk_adjustment_get_upper (adjustment);
  guint top, above;

  if (n == 0 || upper <= 0)
    return;
  top = (guint) MIN (gtk_adjustment_get_value (adjustment) / (upper / n), n - 1);
  above = rows_kept_above (self, MIN (self->top_row, n - 1));
  self->top_row = top;
  sd_browser_model_prefetch (self->model, top > above ? top - above : 0,
                             KEPT_ROWS + 2 * KEPT_EXTRA + 1);
}

/* GTK 4.8 counts the fixed width of hidden columns in the table's
 * minimum width, which then leaves nothing for the expanding column; a
 * hidden column keeps its width aside instead. Its width, shown or not,
 * or 0 when it sizes itself: */
static int
column_width (GtkColumnViewColumn *column)
{
  if (gtk_column_view_column_get_visible (column))
    return gtk_column_view_column_get_fixed_width (column);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (column), "sd-width"));
}

static void
set_column_width (GtkColumnViewColumn *column,
                  int                  width)
{
  gboolean shown = gtk_column_view_column_get_visible (column);

  if (width > 0 && !shown)
    g_object_set_data (G_OBJECT (column), "sd-width", GINT_TO_POINTER (width));
  if (width > 0 || !shown)
    gtk_column_view_column_set_fixed_width (column, shown ? width : -1);
}

static void
show_column (GtkColumnViewColumn *column,
             gboolean             shown)
{
  int width = column_width (column);

  gtk_column_view_column_set_visible (column, shown);
  set_column_width (column, width);
}

static void
column_shown_cb (GSimpleAction *action,
                 GVariant      *state,
                 gpointer       user_data)
{
  g_simple_action_set_state (action, state);
  show_column (user_data, g_variant_get_boolean (state));
}

static void
add_columns (SdBrowserWindow *self)
{
  self->column_actions = g_simple_action_group_new ();

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      const ColumnInfo *info = &column_info[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      CellKind *kind = g_new0 (CellKind, 1);

      kind->self = self;
      kind->column = i;
      g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cell_cb), kind,
                             cell_kind_free, 0);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), kind);
      column = gtk_column_view_column_new (info->title != NULL ? _(info->title) : NULL, factory);
      if (info->width > 0)
        gtk_column_view_column_set_fixed_width (column, info->width);
      else
        gtk_column_view_column_set_expand (column, TRUE);
      show_column (column, info->shown);
      gtk_column_view_column_set_resizable (column, i != COL_STATE);

      if (info->sort >= 0)
        {
          SortProbe *probe = g_new0 (SortProbe, 1);
          g_autoptr(GtkSorter) sorter = NULL;

          probe->self = self;
          probe->column = i;
          sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, probe, g_free));
          gtk_column_view_column_set_sorter (column, sorter);
        }

      if (info->title != NULL)
        {
          g_autoptr(GSimpleAction) action = NULL;
          g_autoptr(GMenuItem) item = NULL;
          g_autofree char *detailed = g_strconcat ("columns.", info->id, NULL);

          action = g_simple_action_new_stateful (info->id, NULL,
                                                 g_variant_new_boolean (info->shown));
          g_signal_connect_object (action, "change-state", G_CALLBACK (column_shown_cb), column, 0);
          g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
          item = g_menu_item_new (_(info->title), detailed);
          g_menu_append_item (self->columns_menu, item);
        }

      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;
      g_object_unref (column);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                  G_ACTION_GROUP (self->column_actions));
}

static void
update_column_titles (SdBrowserWindow *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      const char *title = self->notes ? column_info[i].notes_title : column_info[i].title;

      if (title != NULL)
        gtk_column_view_column_set_title (self->columns[i], _(title));
    }
}

/* ---- remembered layout --------------------------------------------------- */

/* The user's columns (order, shown, width), order, mode, side panel and
 * window size, as Anki's browser keeps them between runs. */

static int
column_by_id (const char *id)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_strcmp0 (column_info[i].id, id) == 0)
      return i;
  return -1;
}

static int
column_index (SdBrowserWindow     *self,
              GtkColumnViewColumn *column)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    if (self->columns[i] == column)
      return i;
  g_return_val_if_reached (COL_SORT_FIELD);
}

static void
restore_column (SdBrowserWindow *self,
                Column           index,
                guint            position,
                gboolean         shown,
                int              width)
{
  GtkColumnViewColumn *column = self->columns[index];

  /* Moves it when it is in the view already. */
  gtk_column_view_insert_column (self->column_view, position, column);
  if (width > 0 && gtk_column_view_column_get_resizable (column))
    set_column_width (column, width);
  /* The state column has no menu item: it is always shown. */
  if (column_info[index].title != NULL)
    g_action_group_change_action_state (G_ACTION_GROUP (self->column_actions),
                                        column_info[index].id,
                                        g_variant_new_boolean (shown));
}

static void
restore_layout (SdBrowserWindow *self)
{
  g_autoptr(GVariant) saved = NULL;
  gboolean placed[N_COLUMNS] = { FALSE, };
  GVariantIter iter;
  const char *id;
  gboolean shown;
  int width;
  guint position = 0;

  if (self->settings == NULL)
    return;

  /* Columns this version does not know are passed over; those the saved
   * list lacks keep their place after the ones it names. */
  saved = g_settings_get_value (self->settings, "browser-columns");
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&sbi)", &id, &shown, &width))
    {
      int index = column_by_id (id);

      if (index < 0 || placed[index])
        continue;
      placed[index] = TRUE;
      restore_column (self, index, position++, shown, width);
    }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "browser-width"),
                               g_settings_get_int (self->settings, "browser-height"));
  if (g_settings_get_boolean (self->settings, "browser-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  sd_browser_window_set_notes_mode (self, g_settings_get_boolean (self->settings,
                                                                  "browser-notes-mode"));
  g_object_set (self, "show-preview",
                g_settings_get_boolean (self->settings, "browser-show-preview"), NULL);
}

/* The order the window opens in: the one last chosen, or Anki's first
 * (by the sort field). Sorting runs the first search. */
static void
restore_sort (SdBrowserWindow *self)
{
  g_autofree char *id = NULL;
  gboolean descending = FALSE;
  int index = -1;

  if (self->settings != NULL)
    {
      g_settings_get (self->settings, "browser-sort", "(sb)", &id, &descending);
      index = column_by_id (id);
    }
  if (index < 0 || column_info[index].sort < 0)
    {
      index = COL_SORT_FIELD;
      descending = FALSE;
    }
  gtk_column_view_sort_by_column (self->column_view, self->columns[index],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

static void
save_layout (SdBrowserWindow *self)
{
  GListModel *columns;
  GVariantBuilder builder;
  int width, height;

  if (self->settings == NULL || self->column_view == NULL)
    return;

  columns = gtk_column_view_get_columns (self->column_view);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sbi)"));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      int column_px = column_width (column);

      g_variant_builder_add (&builder, "(sbi)", column_info[column_index (self, column)].id,
                             gtk_column_view_column_get_visible (column),
                             column_px > 0 ? column_px : -1);
    }

  g_settings_delay (self->settings);
  g_settings_set_value (self->settings, "browser-columns", g_variant_builder_end (&builder));
  g_settings_set (self->settings, "browser-sort", "(sb)",
                  column_info[column_for_sort (self->sort_column)].id, !self->ascending);
  g_settings_set_boolean (self->settings, "browser-notes-mode", self->notes);
  g_settings_set_boolean (self->settings, "browser-show-preview", self->show_preview);
  g_settings_set_boolean (self->settings, "browser-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "browser-width", MAX (width, 640));
      g_settings_set_int (self->settings, "browser-height", MAX (height, 360));
    }
  g_settings_apply (self->settings);
}

/* ---- GObject ------------------------------------------------------------- */

static void
sd_browser_window_constructed (GObject *object)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (object);

  G_OBJECT_CLASS (sd_browser_window_parent_class)->constructed (object);

  g_return_if_fail (SD_IS_COLLECTION (self->collection));

  /* Before there is a model: the notes mode it restores searches nothing. */
  restore_layout (self);
  self->model = sd_browser_model_new (self->collection);
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  self->changed_id = g_signal_connect_object (self->collection, "changed",
                                              G_CALLBACK (collection_changed_cb), self,
                                              G_CONNECT_SWAPPED);

  /* Anki's first order: by the sort field. Sorting runs the search. */
  self->sorter = g_object_ref (gtk_column_view_get_sorter (self->column_view));
  self->sort_changed_id = g_signal_connect_swapped (self->sorter, "changed",
                                                   G_CALLBACK (sort_changed_cb), self);
  restore_sort (self);
}

static void
sd_browser_window_dispose (GObject *object)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (object);

  save_layout (self);
  g_clear_object (&self->settings);
  g_cancellable_cancel (self->cancellable);
  cancel_typed_search (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  if (self->scroll_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_id);
      self->scroll_id = 0;
    }
  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  /* Columns leaving the view change its sorter: no searches from now on. */
  if (self->sorter != NULL)
    g_clear_signal_handler (&self->sort_changed_id, self->sorter);
  g_clear_object (&self->sorter);
  _sd_browser_window_dismiss_undo_toast (self);
  /* Undo records keep copies in the collection's temp schema: drop them now. */
  if (self->undo != NULL)
    g_ptr_array_set_size (self->undo, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_BROWSER_WINDOW);
  /* Cells still held elsewhere no longer have a window to leave. */
  for (GList *l = self->cells.head; l != NULL; l = l->next)
    ((Cell *) l->data)->self = NULL;
  g_queue_init (&self->cells);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->column_actions);

  G_OBJECT_CLASS (sd_browser_window_parent_class)->dispose (object);
}

static void
sd_browser_window_finalize (GObject *object)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (object);

  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->collection);
  g_free (self->query);
  g_free (self->error_message);
  g_free (self->last_due);
  g_free (self->source_path);

  G_OBJECT_CLASS (sd_browser_window_parent_class)->finalize (object);
}

static void
sd_browser_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      g_value_set_object (value, self->collection);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_NOTES_MODE:
      g_value_set_boolean (value, self->notes);
      break;
    case PROP_SHOW_PREVIEW:
      g_value_set_boolean (value, self->show_preview);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_browser_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SdBrowserWindow *self = SD_BROWSER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_COLLECTION:
      self->collection = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_NOTES_MODE:
      sd_browser_window_set_notes_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_PREVIEW:
      if (self->show_preview != g_value_get_boolean (value))
        {
          self->show_preview = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->preview_stack), self->show_preview);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
load_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded || gdk_display_get_default () == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, APP_PATH "/sd-browser-window.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
add_key (GtkWidgetClass  *widget_class,
         guint            key,
         GdkModifierType  mods,
         const char      *action)
{
  gtk_widget_class_add_binding_action (widget_class, key, mods, action, NULL);
}

static void
sd_browser_window_class_init (SdBrowserWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sd_browser_window_constructed;
  object_class->dispose = sd_browser_window_dispose;
  object_class->finalize = sd_browser_window_finalize;
  object_class->get_property = sd_browser_window_get_property;
  object_class->set_property = sd_browser_window_set_property;

  properties[PROP_COLLECTION] =
    g_param_spec_object ("collection", NULL, NULL, SD_TYPE_COLLECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTES_MODE] =
    g_param_spec_boolean ("notes-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_PREVIEW] =
    g_param_spec_boolean ("show-preview", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdBrowserWindow::open-source:
   * @card_id: the card
   *
   * Emitted when the user asks to edit a card written in a Markdown note:
   * the note is its source. A handler that shows the note returns %TRUE;
   * otherwise the file opens in its default application.
   *
   * Returns: whether the note was shown
   */
  signals[OPEN_SOURCE] = g_signal_new ("open-source",
                                       G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST,
                                       0, g_signal_accumulator_true_handled, NULL, NULL,
                                       G_TYPE_BOOLEAN, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "browser.change-deck", NULL, _sd_browser_window_change_deck_action);
  gtk_widget_class_install_action (widget_class, "browser.add-tags", NULL, _sd_browser_window_tags_action);
  gtk_widget_class_install_action (widget_class, "browser.remove-tags", NULL, _sd_browser_window_tags_action);
  gtk_widget_class_install_action (widget_class, "browser.toggle-suspend", NULL,
                                   _sd_browser_window_toggle_suspend_action);
  gtk_widget_class_install_action (widget_class, "browser.toggle-flag", "i", _sd_browser_window_toggle_flag_action);
  gtk_widget_class_install_action (widget_class, "browser.forget", NULL, _sd_browser_window_forget_action);
  gtk_widget_class_install_action (widget_class, "browser.set-due-date", NULL,
                                   _sd_browser_window_set_due_date_action);
  gtk_widget_class_install_action (widget_class, "browser.delete", NULL, _sd_browser_window_delete_action);
  gtk_widget_class_install_action (widget_class, "browser.undo", NULL, _sd_browser_window_undo_action);
  gtk_widget_class_install_action (widget_class, "browser.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "browser.invert-selection", NULL,
                                   invert_selection_action);
  gtk_widget_class_install_action (widget_class, "browser.focus-search", NULL,
                                   focus_search_action);
  gtk_widget_class_install_action (widget_class, "browser.toggle-mode", NULL, toggle_mode_action);
  gtk_widget_class_install_action (widget_class, "browser.edit-note", NULL, edit_note_action);
  gtk_widget_class_install_action (widget_class, "browser.open-source", NULL,
                                   open_source_action);
  gtk_widget_class_install_property_action (widget_class, "browser.show-preview",
                                            "show-preview");

  /* Anki's browser keys. */
  add_key (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "browser.focus-search");
  add_key (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "browser.change-deck");
  add_key (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "browser.add-tags");
  add_key (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK,
           "browser.remove-tags");
  add_key (widget_class, GDK_KEY_j, GDK_CONTROL_MASK, "browser.toggle-suspend");
  add_key (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_ALT_MASK, "browser.forget");
  add_key (widget_class, GDK_KEY_d, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "browser.set-due-date");
  add_key (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK, "browser.delete");
  add_key (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "browser.undo");
  add_key (widget_class, GDK_KEY_t, GDK_CONTROL_MASK | GDK_ALT_MASK, "browser.toggle-mode");
  add_key (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "browser.show-preview");
  add_key (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "browser.edit-note");
  add_key (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close");
  for (int flag = 1; flag <= 7; flag++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + flag, GDK_CONTROL_MASK,
                                         "browser.toggle-flag", "i", flag);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               APP_PATH "/ui/sd-browser-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, cards_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, notes_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, preview_status);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, question_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, answer_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, card_view);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, source_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, suspend_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, tags_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, flag_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, more_button);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, flag_menu);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, flag_submenu);
  gtk_widget_class_bind_template_child (widget_class, SdBrowserWindow, columns_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, side_toggled_cb);

  cell_quark = g_quark_from_static_string ("sd-browser-cell");
  tooltip_quark = g_quark_from_static_string ("sd-browser-tooltip");
  g_type_ensure (SD_TYPE_CARD_VIEW);
}

static void
sd_browser_window_init (SdBrowserWindow *self)
{
  GtkAdjustment *adjustment;

  self->query = g_strdup ("");
  self->sort_column = SD_BROWSE_COLUMN_SORT_FIELD;
  self->ascending = TRUE;
  self->show_preview = TRUE;
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_browse_undo_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  load_css ();
  g_menu_append_section (self->flag_submenu, NULL, G_MENU_MODEL (self->flag_menu));
  add_columns (self);
  _sd_browser_window_update_undo_action (self);
  show_preview_page (self, 0);

  /* The list connects to the adjustment it is given: one of our own,
   * connected to first, reads the rows a scroll brings before it. */
  adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (prefetch_rows_cb), self, 0);
  gtk_scrolled_window_set_vadjustment (self->scroller, adjustment);
}

/* ---- public API ---------------------------------------------------------- */

/**
 * sd_browser_window_new:
 * @app: (nullable): the application
 * @settings: (nullable): where the window's layout is kept between runs
 *
 * Opens on every card of @collection, sorted by the sort field unless
 * @settings remember another order.
 */
SdBrowserWindow *
sd_browser_window_new (GtkApplication *app,
                       SdCollection   *collection,
                       GSettings      *settings)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (SD_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SD_TYPE_BROWSER_WINDOW,
                       "application", app,
                       "collection", collection,
                       "settings", settings,
                       NULL);
}

SdCollection *
sd_browser_window_get_collection (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), NULL);

  return self->collection;
}

/**
 * sd_browser_window_set_search:
 * @query: a search in Anki's syntax, such as `deck:"Biology::Cells"`
 *
 * Puts @query in the search entry and lists what it finds now. A query
 * that does not parse is shown with its mistake named.
 */
void
sd_browser_window_set_search (SdBrowserWindow *self,
                              const char      *query)
{
  g_return_if_fail (SD_IS_BROWSER_WINDOW (self));

  if (query == NULL)
    query = "";
  g_free (self->query);
  self->query = g_strdup (query);
  /* Setting the text starts the entry's delayed ::search-changed; it then
   * finds the query already run. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
  run_search (self, FALSE, SHOW_SELECTION);
}

const char *
sd_browser_window_get_search (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), NULL);

  return self->query;
}

/**
 * sd_browser_window_get_error:
 *
 * Returns: (nullable): why the search in the entry was refused, or %NULL
 */
const char *
sd_browser_window_get_error (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), NULL);

  return self->error_message;
}

void
sd_browser_window_set_notes_mode (SdBrowserWindow *self,
                                  gboolean         notes)
{
  g_return_if_fail (SD_IS_BROWSER_WINDOW (self));

  notes = !!notes;
  if (self->notes == notes)
    return;
  self->notes = notes;
  gtk_toggle_button_set_active (notes ? self->notes_button : self->cards_button, TRUE);
  update_column_titles (self);
  run_search (self, FALSE, SHOW_SELECTION);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES_MODE]);
}

gboolean
sd_browser_window_get_notes_mode (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), FALSE);

  return self->notes;
}

/**
 * sd_browser_window_sort_by:
 *
 * Sorts as a click on the column's header would.
 */
void
sd_browser_window_sort_by (SdBrowserWindow *self,
                           SdBrowseColumn   column,
                           gboolean         ascending)
{
  g_return_if_fail (SD_IS_BROWSER_WINDOW (self));

  /* GTK 4.8 leaves the old column's arrow up when a column is set this
   * way (a click does not); clearing first takes it down. */
  self->clearing_sort = TRUE;
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  self->clearing_sort = FALSE;
  gtk_column_view_sort_by_column (self->column_view, self->columns[column_for_sort (column)],
                                  ascending ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
}

SdBrowseColumn
sd_browser_window_get_sort_column (SdBrowserWindow *self,
                                   gboolean        *ascending)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), SD_BROWSE_COLUMN_SORT_FIELD);

  if (ascending != NULL)
    *ascending = self->ascending;
  return self->sort_column;
}

guint
sd_browser_window_get_n_rows (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->model));
}

/**
 * sd_browser_window_get_row_id:
 *
 * Returns: the card id (the note id when listing notes) at @position
 */
gint64
sd_browser_window_get_row_id (SdBrowserWindow *self,
                              guint            position)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), 0);

  return sd_browser_model_get_id (self->model, position);
}

/**
 * sd_browser_window_get_selection:
 *
 * Returns: (transfer none): the list's selection
 */
GtkSelectionModel *
sd_browser_window_get_selection (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/**
 * sd_browser_window_select_ids:
 *
 * Selects the rows of these cards (notes when listing notes), and only
 * them, and brings the first into view.
 */
void
sd_browser_window_select_ids (SdBrowserWindow *self,
                              const gint64    *ids,
                              gsize            n_ids)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_if_fail (SD_IS_BROWSER_WINDOW (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  g_array_append_vals (wanted, ids, (guint) n_ids);
  restore_selection (self, wanted);
  scroll_to_selection (self);
}

/* How many actions Ctrl+Z can take back. */
guint
sd_browser_window_get_n_undo (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), 0);

  return self->undo->len;
}

/**
 * sd_browser_window_get_column_view:
 *
 * Returns: (transfer none): the table
 */
GtkColumnView *
sd_browser_window_get_column_view (SdBrowserWindow *self)
{
  g_return_val_if_fail (SD_IS_BROWSER_WINDOW (self), NULL);

  return self->column_view;
}
