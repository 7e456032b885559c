/* test-browser-window.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "sd-browse.h"
#include "sd-browser-model.h"
#include "sd-browser-window.h"
#include "sd-card.h"
#include "sd-card-view.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-library.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-search.h"
#include "sd-test-gtk.h"
#include "sd-test-utils.h"

/* The browser window on a small collection: searching by typing, sorting
 * by a column header, every bulk action through its dialog with the state
 * of the collection checked before and after Undo, and a search that does
 * not parse. */

typedef struct
{
  char            *dir;
  SdCollection    *collection;
  SdBrowserWindow *window;
  GHashTable      *cards;      /* front text -> gint64 card id */
  gint64           today;
  guint            n_cards;
} Fixture;

#define NOON_MS 1772452800000LL   /* 2026-03-02 12:00 UTC */

static gint64
card_of (Fixture    *f,
         const char *front)
{
  gint64 *id = g_hash_table_lookup (f->cards, front);

  if (id == NULL)
    g_error ("no card “%s”", front);
  return *id;
}

static gint64
add_note (Fixture     *f,
          const char  *deck_name,
          SdStockKind  stock,
          const char  *front,
          const char  *back,
          const char  *tags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (f->collection, stock, &error);
  const char *fields[] = { front, back, NULL };
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);
  g_autoptr(GPtrArray) cards = NULL;
  gint64 deck = sd_deck_ensure (f->collection, deck_name, &error);

  g_assert_no_error (error);
  g_strfreev (note->tags);
  note->tags = sd_note_split_tags (tags);
  g_assert_true (sd_note_insert (f->collection, note, &error));
  g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
  g_assert_no_error (error);
  cards = sd_card_list_for_note (f->collection, note->id, &error);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCard *card = cards->pdata[i];
      g_autofree char *key = i == 0 ? g_strdup (front) : g_strdup_printf ("%s #%u", front, i + 1);

      g_hash_table_insert (f->cards, g_steal_pointer (&key),
                           g_memdup2 (&card->id, sizeof card->id));
      f->n_cards++;
    }
  /* Ids are creation times: keep them apart. */
  sd_clock_set_fixed (sd_clock_now_ms () + 1000);
  return note->id;
}

static void
review (Fixture    *f,
        const char *front,
        int         days_due,
        int         interval,
        int         ease,
        int         reps,
        int         lapses)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = sd_card_load (f->collection, card_of (f, front), &error);

  g_assert_no_error (error);
  card->type = SD_CARD_REVIEW;
  card->queue = SD_QUEUE_REVIEW;
  card->due = f->today + days_due;
  card->interval = interval;
  card->ease = ease;
  card->reps = reps;
  card->lapses = lapses;
  card->last_review = NOON_MS / 1000 - interval * 86400LL;
  g_assert_true (sd_card_update (f->collection, card, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notes_dir = NULL;
  g_autofree char *md = NULL;

  sd_clock_set_fixed (NOON_MS - 86400000LL);
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
  f->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->today = sd_clock_day_number (NOON_MS / 1000, 4);

  add_note (f, "Biology::Cells", SD_STOCK_BASIC, "What does a ribosome make?", "Proteins",
            "biology cell");
  add_note (f, "Biology::Cells", SD_STOCK_BASIC, "Where does glycolysis happen?",
            "In the cytoplasm", "biology metabolism");
  add_note (f, "Biology::Cells", SD_STOCK_BASIC, "What holds a cell’s DNA?", "The nucleus",
            "biology cell");
  add_note (f, "Biology::Plants", SD_STOCK_BASIC, "Which organelle does photosynthesis?",
            "The chloroplast", "biology plants");
  add_note (f, "Biology::Plants", SD_STOCK_CLOZE,
            "Plants take in {{c1::carbon dioxide}} and give off {{c2::oxygen}}.", "",
            "biology plants");
  add_note (f, "French", SD_STOCK_BASIC_AND_REVERSED, "la pomme", "the apple", "lang::fr food");
  add_note (f, "French", SD_STOCK_BASIC, "le fromage", "the cheese", "lang::fr food");
  add_note (f, "French", SD_STOCK_BASIC, "la bibliothèque", "the library", "lang::fr");
  add_note (f, "History", SD_STOCK_BASIC, "When did the Berlin Wall fall?", "1989", "history");
  add_note (f, "History", SD_STOCK_BASIC, "Who wrote the Magna Carta’s first draft?",
            "The barons", "history");

  sd_clock_set_fixed (NOON_MS);
  review (f, "What does a ribosome make?", 3, 12, 2500, 6, 0);
  review (f, "Where does glycolysis happen?", -1, 4, 2300, 9, 2);
  review (f, "la pomme", 10, 30, 2650, 12, 1);
  review (f, "When did the Berlin Wall fall?", 0, 60, 2800, 15, 3);
  review (f, "le fromage", 1, 2, 2100, 3, 1);

  /* A card written in a Markdown note. */
  notes_dir = g_build_filename (f->dir, "notes", NULL);
  md = g_build_filename (notes_dir, "chemistry.md", NULL);
  sd_test_write_file (md, "---\ndeck: Chemistry\n---\n# Acids\n\n"
                          "What is the pH of pure water?::7\n");
  g_assert_cmpint (sd_library_add_folder (f->collection, notes_dir, &error), >, 0);
  g_assert_true (sd_library_scan (f->collection, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GArray) ids = sd_browse_cards (f->collection, "deck:Chemistry",
                                             SD_BROWSE_COLUMN_CREATED, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 1);
    g_hash_table_insert (f->cards, g_strdup ("pH"), g_memdup2 (ids->data, sizeof (gint64)));
    f->n_cards++;
  }

  f->window = sd_browser_window_new (NULL, f->collection, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
}

static void
close_dialogs (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (!SD_IS_BROWSER_WINDOW (l->data))
      gtk_window_destroy (l->data);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_dialogs ();
  gtk_window_destroy (GTK_WINDOW (f->window));
  sd_test_spin (20);
  /* Closing the window dropped every undo record's copies. */
  g_assert_cmpint (sd_collection_scalar (f->collection,
                                         "SELECT count(*) FROM temp.sqlite_schema"
                                         " WHERE name LIKE 'sd!_undo!_%' ESCAPE '!'", -1),
                   ==, 0);
  g_clear_object (&f->collection);
  g_hash_table_unref (f->cards);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  sd_clock_reset ();
}

/* ---- helpers ------------------------------------------------------------- */

static gboolean
rows_are (Fixture *f,
          guint    n)
{
  return sd_browser_window_get_n_rows (f->window) == n;
}

static void
wait_rows (Fixture *f,
           guint    n)
{
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (!rows_are (f, n) && g_get_monotonic_time () < end)
    sd_test_spin (20);
  g_assert_cmpuint (sd_browser_window_get_n_rows (f->window), ==, n);
}

static void
type_search (Fixture    *f,
             const char *text)
{
  GtkWidget *entry = gtk_window_get_focus (GTK_WINDOW (f->window));

  /* Ctrl+F's action puts the focus in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "browser.focus-search", NULL));
  entry = gtk_window_get_focus (GTK_WINDOW (f->window));
  g_assert_nonnull (entry);
  entry = gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  /* Typing on at the end, or replacing the whole text (which clears the
   * entry first, and an empty entry searches at once). */
  if (g_str_has_prefix (text, gtk_editable_get_text (GTK_EDITABLE (entry))))
    {
      int position = -1;
      const char *rest = text + strlen (gtk_editable_get_text (GTK_EDITABLE (entry)));

      gtk_editable_insert_text (GTK_EDITABLE (entry), rest, -1, &position);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* The entry waits for typing to pause before it searches. */
  sd_test_spin (400);
  g_assert_cmpstr (sd_browser_window_get_search (f->window), ==, text);
}

static void
select_cards (Fixture    *f,
              const char *first,
              ...)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  va_list args;

  va_start (args, first);
  for (const char *front = first; front != NULL; front = va_arg (args, const char *))
    {
      gint64 id = card_of (f, front);
      g_array_append_val (ids, id);
    }
  va_end (args);
  sd_browser_window_select_ids (f->window, (const gint64 *) ids->data, ids->len);
  g_assert_cmpuint (gtk_bitset_get_size (gtk_selection_model_get_selection (
                      sd_browser_window_get_selection (f->window))), ==, ids->len);
  sd_test_spin (30);
}

static AdwMessageDialog *
find_dialog (Fixture *f)
{
  g_autoptr(GList) toplevels = NULL;
  AdwMessageDialog *found = NULL;

  sd_test_spin (30);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data)
        && gtk_window_get_transient_for (l->data) == GTK_WINDOW (f->window)
        && gtk_widget_get_visible (l->data))
      found = l->data;
  g_assert_nonnull (found);
  return found;
}

static GtkEditable *
find_editable (GtkWidget *widget)
{
  if (GTK_IS_EDITABLE (widget) && !GTK_IS_TEXT (widget))
    return GTK_EDITABLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found = find_editable (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Answers the dialog the last action opened, after typing @text into it. */
static void
answer_dialog (Fixture    *f,
               const char *text,
               const char *response)
{
  AdwMessageDialog *dialog = find_dialog (f);

  if (text != NULL)
    {
      GtkEditable *entry = find_editable (adw_message_dialog_get_extra_child (dialog));

      g_assert_nonnull (entry);
      gtk_editable_set_text (entry, text);
    }
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  sd_test_spin (30);
}

static void
run (Fixture    *f,
     const char *action,
     GVariant   *target)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->window), action, target));
}

static SdCard *
load (Fixture    *f,
      const char *front)
{
  g_autoptr(GError) error = NULL;
  SdCard *card = sd_card_load (f->collection, card_of (f, front), &error);

  g_assert_no_error (error);
  return card;
}

static char *
deck_of (Fixture    *f,
         const char *front)
{
  g_autoptr(SdCard) card = load (f, front);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDeck) deck = sd_deck_load (f->collection, card->deck_id, &error);

  g_assert_no_error (error);
  return g_strdup (deck->full_name);
}

static char *
tags_of (Fixture    *f,
         const char *front)
{
  g_autoptr(SdCard) card = load (f, front);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = sd_note_load (f->collection, card->note_id, &error);

  g_assert_no_error (error);
  return sd_note_join_tags ((const char * const *) note->tags);
}

static void
undo (Fixture *f)
{
  guint depth = sd_browser_window_get_n_undo (f->window);

  g_assert_cmpuint (depth, >, 0);
  run (f, "browser.undo", NULL);
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, depth - 1);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the button for @action can be clicked: shown and enabled. */
static gboolean
can_click (Fixture    *f,
           const char *action)
{
  GtkWidget *button = find_button (GTK_WIDGET (f->window), action);

  g_assert_nonnull (button);
  return gtk_widget_is_drawable (button) && gtk_widget_is_sensitive (button);
}

static const SdBrowseRow *
row_at (Fixture       *f,
        guint          position,
        SdBrowserItem **keep)
{
  GListModel *model = G_LIST_MODEL (sd_browser_window_get_selection (f->window));

  *keep = g_list_model_get_item (model, position);
  g_assert_nonnull (*keep);
  return sd_browser_item_get_row (*keep);
}

/* Whether a cell of @window on screen shows @text. */
static gboolean
window_shows_cell (SdBrowserWindow *window,
                   const char      *text)
{
  GtkWidget *view = GTK_WIDGET (sd_browser_window_get_column_view (window));
  GtkWidget *cell;

  for (guint i = 0; (cell = sd_test_find_widget (view, GTK_TYPE_INSCRIPTION, i)) != NULL; i++)
    if (gtk_widget_get_mapped (cell)
        && g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), text) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
shows_cell (Fixture    *f,
            const char *text)
{
  return window_shows_cell (f->window, text);
}

/* ---- tests --------------------------------------------------------------- */

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkColumnView *view = sd_browser_window_get_column_view (f->window);

  /* Every card at first, sorted by the sort field. */
  wait_rows (f, f->n_cards);
  g_assert_cmpuint (f->n_cards, ==, 13);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));

  type_search (f, "deck:French");
  wait_rows (f, 4);
  type_search (f, "tag:biology is:review");
  wait_rows (f, 2);
  type_search (f, "deck:Biology::Cells");
  wait_rows (f, 3);

  /* Notes: the reversed card's note counts once. */
  type_search (f, "deck:French");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "browser.toggle-mode", NULL));
  g_assert_true (sd_browser_window_get_notes_mode (f->window));
  wait_rows (f, 3);
  sd_test_screenshot (GTK_WIDGET (f->window), "browser-notes.png");
  sd_browser_window_set_notes_mode (f->window, FALSE);
  wait_rows (f, 4);

  /* Nothing found: the empty page says so. */
  type_search (f, "zebra");
  wait_rows (f, 0);
  sd_test_screenshot (GTK_WIDGET (f->window), "browser-empty.png");

  /* The main window opens the browser on a deck like this. */
  sd_browser_window_set_search (f->window, "deck:\"Biology::Plants\"");
  wait_rows (f, 3);
  g_assert_null (sd_browser_window_get_error (f->window));
}

static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdBrowseColumn column;
  gboolean ascending;

  wait_rows (f, f->n_cards);
  column = sd_browser_window_get_sort_column (f->window, &ascending);
  g_assert_cmpint (column, ==, SD_BROWSE_COLUMN_SORT_FIELD);
  g_assert_true (ascending);

  /* Sort by interval as a click on the header would, both ways; the order
   * is SQL's. */
  type_search (f, "is:review");
  wait_rows (f, 5);
  sd_browser_window_sort_by (f->window, SD_BROWSE_COLUMN_INTERVAL, TRUE);
  sd_test_spin (30);
  column = sd_browser_window_get_sort_column (f->window, &ascending);
  g_assert_cmpint (column, ==, SD_BROWSE_COLUMN_INTERVAL);
  g_assert_true (ascending);
  {
    const char *order[] = { "le fromage", "Where does glycolysis happen?",
                            "What does a ribosome make?", "la pomme",
                            "When did the Berlin Wall fall?" };
    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      g_assert_cmpint (sd_browser_window_get_row_id (f->window, i), ==, card_of (f, order[i]));
  }

  sd_browser_window_sort_by (f->window, SD_BROWSE_COLUMN_INTERVAL, FALSE);
  sd_test_spin (30);
  column = sd_browser_window_get_sort_column (f->window, &ascending);
  g_assert_false (ascending);
  g_assert_cmpint (sd_browser_window_get_row_id (f->window, 0), ==,
                   card_of (f, "When did the Berlin Wall fall?"));
  {
    g_autoptr(SdBrowserItem) item = NULL;
    const SdBrowseRow *row = row_at (f, 0, &item);
    g_assert_cmpstr (row->interval_text, ==, "2.0mo");
  }

  /* The whole list by due date matches the core's order. */
  type_search (f, "");
  wait_rows (f, f->n_cards);
  sd_browser_window_sort_by (f->window, SD_BROWSE_COLUMN_DUE, TRUE);
  sd_test_spin (30);
  {
    g_autoptr(GArray) ids = sd_browse_cards (f->collection, "", SD_BROWSE_COLUMN_DUE, TRUE,
                                             &error);
    g_assert_no_error (error);
    for (guint i = 0; i < ids->len; i++)
      g_assert_cmpint (sd_browser_window_get_row_id (f->window, i), ==,
                       g_array_index (ids, gint64, i));
  }

  /* A selected card stays selected when the order changes. */
  select_cards (f, "la pomme", NULL);
  sd_browser_window_sort_by (f->window, SD_BROWSE_COLUMN_DECK, FALSE);
  sd_test_spin (30);
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (
      sd_browser_window_get_selection (f->window));
    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
    g_assert_cmpint (sd_browser_window_get_row_id (f->window, gtk_bitset_get_minimum (selected)),
                     ==, card_of (f, "la pomme"));
  }
}

static void
test_change_deck (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  wait_rows (f, f->n_cards);
  select_cards (f, "le fromage", "la bibliothèque", NULL);
  run (f, "browser.change-deck", NULL);
  sd_test_screenshot (GTK_WIDGET (find_dialog (f)), "browser-deck.png");
  answer_dialog (f, "History", "move");
  after = deck_of (f, "le fromage");
  g_assert_cmpstr (after, ==, "History");
  g_clear_pointer (&after, g_free);
  after = deck_of (f, "la bibliothèque");
  g_assert_cmpstr (after, ==, "History");
  g_clear_pointer (&after, g_free);
  /* Still listed, still selected. */
  g_assert_cmpuint (gtk_bitset_get_size (gtk_selection_model_get_selection (
                      sd_browser_window_get_selection (f->window))), ==, 2);
  sd_test_screenshot (GTK_WIDGET (f->window), "browser-moved.png");

  undo (f);
  before = deck_of (f, "le fromage");
  g_assert_cmpstr (before, ==, "French");

  /* A name no deck has makes the deck. */
  select_cards (f, "When did the Berlin Wall fall?", NULL);
  run (f, "browser.change-deck", NULL);
  answer_dialog (f, "History::Modern", "move");
  after = deck_of (f, "When did the Berlin Wall fall?");
  g_assert_cmpstr (after, ==, "History::Modern");
  undo (f);
  g_clear_pointer (&after, g_free);
  after = deck_of (f, "When did the Berlin Wall fall?");
  g_assert_cmpstr (after, ==, "History");

  /* Cancelling changes nothing and leaves nothing to undo. */
  run (f, "browser.change-deck", NULL);
  answer_dialog (f, NULL, "cancel");
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, 0);
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *tags = NULL;

  wait_rows (f, f->n_cards);
  select_cards (f, "la pomme", "le fromage", NULL);
  run (f, "browser.add-tags", NULL);
  answer_dialog (f, "exam::2026 review", "confirm");
  tags = tags_of (f, "la pomme");
  g_assert_cmpstr (tags, ==, " lang::fr food exam::2026 review ");
  g_clear_pointer (&tags, g_free);

  run (f, "browser.remove-tags", NULL);
  answer_dialog (f, "food", "confirm");
  tags = tags_of (f, "le fromage");
  g_assert_cmpstr (tags, ==, " lang::fr exam::2026 review ");
  g_clear_pointer (&tags, g_free);

  /* Two actions, two undos, in reverse. */
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, 2);
  undo (f);
  tags = tags_of (f, "le fromage");
  g_assert_cmpstr (tags, ==, " lang::fr food exam::2026 review ");
  g_clear_pointer (&tags, g_free);
  undo (f);
  tags = tags_of (f, "la pomme");
  g_assert_cmpstr (tags, ==, " lang::fr food ");
}

static void
test_suspend_and_flag (Fixture       *f,
                       gconstpointer  data)
{
  SdCard *card;

  wait_rows (f, f->n_cards);
  select_cards (f, "la pomme", "What does a ribosome make?", NULL);
  run (f, "browser.toggle-suspend", NULL);
  card = load (f, "la pomme");
  g_assert_cmpint (card->queue, ==, SD_QUEUE_SUSPENDED);
  sd_card_free (card);
  card = load (f, "What does a ribosome make?");
  g_assert_cmpint (card->queue, ==, SD_QUEUE_SUSPENDED);
  sd_card_free (card);

  /* The search sees it at once. */
  type_search (f, "is:suspended");
  wait_rows (f, 2);
  g_assert_cmpuint (gtk_bitset_get_size (gtk_selection_model_get_selection (
                      sd_browser_window_get_selection (f->window))), ==, 2);

  /* Toggled again: back in their queues. */
  run (f, "browser.toggle-suspend", NULL);
  wait_rows (f, 0);
  card = load (f, "la pomme");
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  sd_card_free (card);
  undo (f);
  wait_rows (f, 2);
  undo (f);
  wait_rows (f, 0);
  card = load (f, "What does a ribosome make?");
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  sd_card_free (card);

  /* Ctrl+2 flags orange; pressing it again takes the flag off. */
  type_search (f, "");
  wait_rows (f, f->n_cards);
  select_cards (f, "le fromage", NULL);
  run (f, "browser.toggle-flag", g_variant_new_int32 (2));
  card = load (f, "le fromage");
  g_assert_cmpint (card->flags & 7, ==, 2);
  sd_card_free (card);
  run (f, "browser.toggle-flag", g_variant_new_int32 (2));
  card = load (f, "le fromage");
  g_assert_cmpint (card->flags & 7, ==, 0);
  sd_card_free (card);
  undo (f);
  card = load (f, "le fromage");
  g_assert_cmpint (card->flags & 7, ==, 2);
  sd_card_free (card);
  undo (f);
  card = load (f, "le fromage");
  g_assert_cmpint (card->flags & 7, ==, 0);
  sd_card_free (card);
}

static void
test_forget_and_due (Fixture       *f,
                     gconstpointer  data)
{
  SdCard *card;

  wait_rows (f, f->n_cards);
  select_cards (f, "la pomme", NULL);
  run (f, "browser.forget", NULL);
  answer_dialog (f, NULL, "forget");
  card = load (f, "la pomme");
  g_assert_cmpint (card->type, ==, SD_CARD_NEW);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_NEW);
  g_assert_cmpint (card->reps, ==, 12);
  sd_card_free (card);
  undo (f);
  card = load (f, "la pomme");
  g_assert_cmpint (card->type, ==, SD_CARD_REVIEW);
  g_assert_cmpint (card->interval, ==, 30);
  g_assert_cmpint (card->due, ==, f->today + 10);
  sd_card_free (card);

  select_cards (f, "le fromage", "la bibliothèque", NULL);
  run (f, "browser.set-due-date", NULL);
  answer_dialog (f, "5!", "confirm");
  card = load (f, "la bibliothèque");
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (card->due, ==, f->today + 5);
  g_assert_cmpint (card->interval, ==, 5);
  sd_card_free (card);

  /* A bad day count is refused with a message; nothing changes. */
  run (f, "browser.set-due-date", NULL);
  answer_dialog (f, "soon", "confirm");
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, 1);

  undo (f);
  card = load (f, "la bibliothèque");
  g_assert_cmpint (card->queue, ==, SD_QUEUE_NEW);
  sd_card_free (card);
  card = load (f, "le fromage");
  g_assert_cmpint (card->due, ==, f->today + 1);
  g_assert_cmpint (card->interval, ==, 2);
  sd_card_free (card);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  wait_rows (f, f->n_cards);
  select_cards (f, "le fromage", "la bibliothèque", "la pomme", NULL);
  run (f, "browser.delete", NULL);
  dialog = find_dialog (f);
  /* The confirmation names how many. */
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "3"));
  sd_test_screenshot (GTK_WIDGET (dialog), "browser-delete.png");
  answer_dialog (f, NULL, "confirm");
  wait_rows (f, f->n_cards - 3);
  g_assert_null (sd_card_load (f->collection, card_of (f, "le fromage"), &error));
  g_clear_error (&error);

  undo (f);
  wait_rows (f, f->n_cards);
  {
    g_autoptr(SdCard) card = sd_card_load (f->collection, card_of (f, "le fromage"), &error);
    g_assert_no_error (error);
    g_assert_cmpint (card->reps, ==, 3);
  }

  /* Ctrl+Z with nothing left to undo does nothing. */
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, 0);
}

static void
test_notes_mode_action (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deck = NULL;

  /* In notes mode an action applies to every card of the selected notes. */
  sd_browser_window_set_notes_mode (f->window, TRUE);
  type_search (f, "\"la pomme\"");
  wait_rows (f, 1);
  gtk_selection_model_select_all (sd_browser_window_get_selection (f->window));
  run (f, "browser.change-deck", NULL);
  answer_dialog (f, "History", "move");
  deck = deck_of (f, "la pomme #2");
  g_assert_cmpstr (deck, ==, "History");
  undo (f);
  g_clear_pointer (&deck, g_free);
  deck = deck_of (f, "la pomme #2");
  g_assert_cmpstr (deck, ==, "French");
}

static void
test_bad_query (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *entry;

  wait_rows (f, f->n_cards);
  type_search (f, "deck:French");
  wait_rows (f, 4);

  /* An unclosed parenthesis: the message names where, the list stays. */
  type_search (f, "deck:French (is:new");
  g_assert_nonnull (sd_browser_window_get_error (f->window));
  g_assert_nonnull (strstr (sd_browser_window_get_error (f->window), "position"));
  g_assert_cmpuint (sd_browser_window_get_n_rows (f->window), ==, 4);
  entry = gtk_widget_get_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)),
                                   GTK_TYPE_SEARCH_ENTRY);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (entry), ==,
                   sd_browser_window_get_error (f->window));
  sd_test_screenshot (GTK_WIDGET (f->window), "browser-error.png");

  type_search (f, "prop:zz>1");
  g_assert_nonnull (strstr (sd_browser_window_get_error (f->window), "prop:zz"));

  /* Fixed: the error goes. */
  type_search (f, "deck:French (is:new)");
  wait_rows (f, 2);
  g_assert_null (sd_browser_window_get_error (f->window));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wait_rows (f, f->n_cards);
  select_cards (f, "la pomme", NULL);
  run (f, "browser.toggle-flag", g_variant_new_int32 (1));
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, 1);

  /* Another part of the app adds a note: the list follows, the selection
   * stays, and undo records that would now put back stale rows go. */
  add_note (f, "French", SD_STOCK_BASIC, "l’abeille", "the bee", "lang::fr");
  wait_rows (f, f->n_cards);
  g_assert_cmpuint (sd_browser_window_get_n_undo (f->window), ==, 0);
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (
      sd_browser_window_get_selection (f->window));
    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
    g_assert_cmpint (sd_browser_window_get_row_id (f->window, gtk_bitset_get_minimum (selected)),
                     ==, card_of (f, "la pomme"));
  }

  /* A change to a row on screen shows without a new search. */
  {
    g_autoptr(SdCard) card = load (f, "la pomme");
    guint position = gtk_bitset_get_minimum (gtk_selection_model_get_selection (
      sd_browser_window_get_selection (f->window)));
    g_autoptr(SdBrowserItem) item = NULL;
    const SdBrowseRow *row;

    card->reps = 99;
    g_assert_false (shows_cell (f, "99"));
    g_assert_true (sd_card_update (f->collection, card, &error));
    sd_test_spin (50);
    row = row_at (f, position, &item);
    g_assert_cmpint (row->reviews, ==, 99);
    g_assert_true (shows_cell (f, "99"));
  }
}

/* Shows or hides a column as its item in the Columns menu does. */
static void
toggle_column (Fixture    *f,
               const char *column)
{
  g_autofree char *action = g_strconcat ("columns.", column, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
  sd_test_spin (50);
}

/* A column shown from the Columns menu shows the rows' values, and again
 * after the list changed while it was hidden. */
static void
test_columns (Fixture       *f,
              gconstpointer  data)
{
  wait_rows (f, f->n_cards);
  g_assert_true (shows_cell (f, "Biology::Plants"));
  g_assert_false (shows_cell (f, "lang::fr food"));

  toggle_column (f, "tags");
  g_assert_true (shows_cell (f, "lang::fr food"));
  g_assert_true (shows_cell (f, "biology plants"));

  toggle_column (f, "tags");
  g_assert_false (shows_cell (f, "lang::fr food"));
  type_search (f, "deck:Biology*");
  wait_rows (f, 6);
  toggle_column (f, "tags");
  g_assert_true (shows_cell (f, "biology plants"));
  g_assert_false (shows_cell (f, "lang::fr food"));
}

static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (f->window);

  wait_rows (f, f->n_cards);
  /* Flags and a suspended card, as a collection in use has them. */
  select_cards (f, "la pomme", NULL);
  run (f, "browser.toggle-flag", g_variant_new_int32 (1));
  select_cards (f, "When did the Berlin Wall fall?", NULL);
  run (f, "browser.toggle-flag", g_variant_new_int32 (3));
  select_cards (f, "Who wrote the Magna Carta’s first draft?", NULL);
  run (f, "browser.toggle-suspend", NULL);

  select_cards (f, "Which organelle does photosynthesis?", NULL);
  sd_test_spin (100);
  g_assert_true (can_click (f, "browser.edit-note"));
  g_assert_false (can_click (f, "browser.open-source"));
  sd_test_screenshot (window, "browser.png");

  /* A card written in a Markdown note is edited there. */
  select_cards (f, "pH", NULL);
  sd_test_spin (100);
  g_assert_false (can_click (f, "browser.edit-note"));
  g_assert_true (can_click (f, "browser.open-source"));
  /* Several cards: the panel says how many. */
  select_cards (f, "la pomme", "le fromage", NULL);
  sd_test_spin (100);
  g_assert_false (can_click (f, "browser.edit-note"));
}

static gboolean
open_source_cb (SdBrowserWindow *window,
                gint64           card_id,
                gint64          *asked)
{
  *asked = card_id;
  return TRUE;
}

static void
test_open_source (Fixture       *f,
                  gconstpointer  data)
{
  gint64 asked = 0;

  wait_rows (f, f->n_cards);
  g_signal_connect (f->window, "open-source", G_CALLBACK (open_source_cb), &asked);
  select_cards (f, "pH", NULL);
  sd_test_spin (100);
  run (f, "browser.open-source", NULL);
  g_assert_cmpint (asked, ==, card_of (f, "pH"));
}

static void
test_dark (Fixture       *f,
           gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  wait_rows (f, f->n_cards);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  sd_browser_window_sort_by (f->window, SD_BROWSE_COLUMN_DUE, TRUE);
  select_cards (f, "la pomme", NULL);
  run (f, "browser.toggle-flag", g_variant_new_int32 (4));
  sd_test_spin (150);
  sd_test_screenshot (GTK_WIDGET (f->window), "browser-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* A long list reads only the rows it shows. */
static void
test_lazy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, &error);
  gint64 deck = sd_deck_ensure (f->collection, "Big", &error);
  SdBrowserWindow *big;
  GListModel *model;
  guint loaded;

  g_assert_true (sd_collection_begin (f->collection, &error));
  for (int i = 0; i < 3000; i++)
    {
      g_autofree char *front = g_strdup_printf ("Item %05d", i);
      const char *fields[] = { front, "x", NULL };
      g_autoptr(SdNote) note = sd_note_new (basic->id, fields);

      g_assert_true (sd_note_insert (f->collection, note, &error));
      g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
    }
  g_assert_true (sd_collection_commit (f->collection, &error));
  g_assert_no_error (error);

  big = sd_browser_window_new (NULL, f->collection, NULL);
  gtk_window_present (GTK_WINDOW (big));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (big));
  sd_browser_window_set_search (big, "deck:Big");
  sd_test_spin (100);
  g_assert_cmpuint (sd_browser_window_get_n_rows (big), ==, 3000);
  model = gtk_multi_selection_get_model (
    GTK_MULTI_SELECTION (sd_browser_window_get_selection (big)));
  loaded = sd_browser_model_get_n_loaded (SD_BROWSER_MODEL (model));
  g_test_message ("rows read for a 3000-row list: %u", loaded);
  g_assert_cmpuint (loaded, <, 600);

  /* A jump far down (a dragged scroll bar) shows the rows there, read
   * before the list binds them. */
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (
      GTK_SCROLLABLE (sd_browser_window_get_column_view (big)));
    double row;

    g_assert_false (window_shows_cell (big, "Item 02000"));
    row = gtk_adjustment_get_upper (adjustment) / 3000;
    gtk_adjustment_set_value (adjustment, 2000 * row);
    for (guint i = 0; i < 40 && !window_shows_cell (big, "Item 02000"); i++)
      sd_test_spin (50);
    g_assert_true (window_shows_cell (big, "Item 02000"));
    g_assert_true (window_shows_cell (big, "Item 02005"));
    gtk_adjustment_set_value (adjustment, 0);
    sd_test_spin (100);
    loaded = sd_browser_model_get_n_loaded (SD_BROWSER_MODEL (model));
  }

  /* A new order of the whole list reads no more than the rows shown where
   * the view was and where it goes to follow the selected card, which
   * stays selected. */
  {
    gint64 id = sd_browser_window_get_row_id (big, 2500);
    g_autoptr(GtkBitset) selected = NULL;

    sd_browser_window_select_ids (big, &id, 1);
    sd_browser_window_sort_by (big, SD_BROWSE_COLUMN_SORT_FIELD, FALSE);
    sd_test_spin (100);
    g_assert_cmpint (sd_browser_window_get_row_id (big, 2999 - 2500), ==, id);
    selected = gtk_selection_model_get_selection (sd_browser_window_get_selection (big));
    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
    g_assert_cmpuint (gtk_bitset_get_minimum (selected), ==, 2999 - 2500);
    g_assert_cmpuint (sd_browser_model_get_n_loaded (SD_BROWSER_MODEL (model)), <, loaded + 1000);
    /* The rows on screen show the new order, where the view followed the
     * card and back at the top. */
    g_assert_true (window_shows_cell (big, "Item 02500"));
    gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (
                                GTK_SCROLLABLE (sd_browser_window_get_column_view (big))), 0);
    for (guint i = 0; i < 40 && !window_shows_cell (big, "Item 02999"); i++)
      sd_test_spin (50);
    g_assert_true (window_shows_cell (big, "Item 02999"));
    g_assert_true (window_shows_cell (big, "Item 02990"));

    /* Nothing selected, the view stays at the top: the rows there, which
     * GTK does not bind again, show the new order. */
    gtk_selection_model_unselect_all (sd_browser_window_get_selection (big));
    sd_browser_window_sort_by (big, SD_BROWSE_COLUMN_SORT_FIELD, TRUE);
    sd_test_spin (100);
    g_assert_true (window_shows_cell (big, "Item 00000"));
    g_assert_true (window_shows_cell (big, "Item 00010"));
    g_assert_false (window_shows_cell (big, "Item 02990"));
  }

  /* Select all and suspend: 3000 cards in one action, one undo. */
  gtk_widget_activate_action (GTK_WIDGET (big), "browser.select-all", NULL);
  gtk_widget_activate_action (GTK_WIDGET (big), "browser.toggle-suspend", NULL);
  g_assert_cmpint (sd_collection_scalar (f->collection,
                                         "SELECT count(*) FROM cards WHERE queue = -1", -1),
                   ==, 3000);
  gtk_widget_activate_action (GTK_WIDGET (big), "browser.undo", NULL);
  g_assert_cmpint (sd_collection_scalar (f->collection,
                                         "SELECT count(*) FROM cards WHERE queue = -1", -1),
                   ==, 0);
  gtk_window_destroy (GTK_WINDOW (big));
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs a search of @model in its worker, returning its result unfinished. */
static GAsyncResult *
search_in_worker (SdBrowserModel *model,
                  const char     *query,
                  GCancellable   *cancellable)
{
  GAsyncResult *result = NULL;

  sd_browser_model_search_async (model, FALSE, query, SD_BROWSE_COLUMN_SORT_FIELD, TRUE,
                                 cancellable, search_done_cb, &result);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

/* Searches typed in the browser run in a worker thread on a connection of
 * their own: the list changes when one is finished, never for a cancelled
 * or malformed one, and the worker sees what the main connection wrote. */
static void
test_search_async (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SdBrowserModel) model = sd_browser_model_new (f->collection);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) french = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) malformed = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list = G_LIST_MODEL (model);

  g_assert_true (sd_browser_model_search (model, FALSE, "", SD_BROWSE_COLUMN_SORT_FIELD, TRUE,
                                          &error));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, f->n_cards);

  french = search_in_worker (model, "deck:French", NULL);
  cancelled = search_in_worker (model, "deck:History", cancellable);
  malformed = search_in_worker (model, "deck:French (is:new", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, f->n_cards);

  g_assert_false (sd_browser_model_search_finish (model, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, f->n_cards);

  g_assert_true (sd_browser_model_search_finish (model, french, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);

  g_assert_false (sd_browser_model_search_finish (model, malformed, &error));
  g_assert_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);

  add_note (f, "French", SD_STOCK_BASIC, "le pain", "the bread", "lang::fr food");
  again = search_in_worker (model, "deck:French", NULL);
  g_assert_true (sd_browser_model_search_finish (model, again, &error));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 5);
}

/* The column of @view titled @title, and where it is. */
static GtkColumnViewColumn *
find_column (GtkColumnView *view,
             const char    *title,
             guint         *position)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        {
          if (position != NULL)
            *position = i;
          return column;
        }
    }
  g_assert_not_reached ();
}

static SdBrowserWindow *
open_remembering (Fixture   *f,
                  GSettings *settings)
{
  SdBrowserWindow *window = sd_browser_window_new (NULL, f->collection, settings);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  sd_test_spin (50);
  return window;
}

static void
reset_layout (GSettings *settings)
{
  const char *keys[] = { "browser-columns", "browser-sort", "browser-notes-mode",
                         "browser-show-preview", "browser-width", "browser-height",
                         "browser-maximized" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

/* A browser opens as the last one was left: columns shown, moved and
 * sized, its order, cards or notes, side panel and size. */
static void
test_remembered (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  SdBrowserWindow *window;
  GtkColumnView *view;
  gboolean ascending = TRUE;
  gboolean preview = TRUE;
  guint position;
  int width, height;

  reset_layout (settings);
  window = open_remembering (f, settings);
  view = sd_browser_window_get_column_view (window);
  find_column (view, "Due", &position);
  g_assert_cmpuint (position, >, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "columns.tags", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "columns.deck", NULL));
  gtk_column_view_insert_column (view, 1, find_column (view, "Due", NULL));
  gtk_column_view_column_set_fixed_width (find_column (view, "Interval", NULL), 123);
  sd_browser_window_sort_by (window, SD_BROWSE_COLUMN_DUE, FALSE);
  sd_browser_window_set_notes_mode (window, TRUE);
  g_object_set (window, "show-preview", FALSE, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 500);
  sd_test_spin (50);
  gtk_window_destroy (GTK_WINDOW (window));
  sd_test_spin (20);

  window = open_remembering (f, settings);
  view = sd_browser_window_get_column_view (window);
  find_column (view, "Due", &position);
  g_assert_cmpuint (position, ==, 1);
  g_assert_true (gtk_column_view_column_get_visible (find_column (view, "Tags", NULL)));
  g_assert_false (gtk_column_view_column_get_visible (find_column (view, "Deck", NULL)));
  /* The Columns menu knows it is hidden: choosing it shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "columns.deck", NULL));
  g_assert_true (gtk_column_view_column_get_visible (find_column (view, "Deck", NULL)));
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (find_column (view, "Interval", NULL)),
                   ==, 123);
  g_assert_cmpint (sd_browser_window_get_sort_column (window, &ascending), ==,
                   SD_BROWSE_COLUMN_DUE);
  g_assert_false (ascending);
  g_assert_true (sd_browser_window_get_notes_mode (window));
  g_object_get (window, "show-preview", &preview, NULL);
  g_assert_false (preview);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 500);
  /* It lists the notes, in that order. */
  g_assert_cmpuint (sd_browser_window_get_n_rows (window), <, f->n_cards);
  gtk_window_destroy (GTK_WINDOW (window));
  sd_test_spin (20);

  /* What another version saved: unknown columns are passed over, and an
   * order no column can give is Anki's first. */
  g_settings_set_value (settings, "browser-columns",
                        g_variant_new_parsed ("[('bogus', true, 50), ('due', false, 10)]"));
  g_settings_set (settings, "browser-sort", "(sb)", "tags", TRUE);
  window = open_remembering (f, settings);
  view = sd_browser_window_get_column_view (window);
  find_column (view, "Due", &position);
  g_assert_cmpuint (position, ==, 0);
  g_assert_false (gtk_column_view_column_get_visible (find_column (view, "Due", NULL)));
  /* Those it does not name are as they are at first. */
  g_assert_true (gtk_column_view_column_get_visible (find_column (view, "Deck", NULL)));
  g_assert_false (gtk_column_view_column_get_visible (find_column (view, "Tags", NULL)));
  g_assert_cmpint (sd_browser_window_get_sort_column (window, &ascending), ==,
                   SD_BROWSE_COLUMN_SORT_FIELD);
  g_assert_true (ascending);
  gtk_window_destroy (GTK_WINDOW (window));
  reset_layout (settings);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add ("/studydeck/browser-window/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("search", test_search);
  ADD ("sort", test_sort);
  ADD ("change-deck", test_change_deck);
  ADD ("tags", test_tags);
  ADD ("suspend-and-flag", test_suspend_and_flag);
  ADD ("forget-and-due-date", test_forget_and_due);
  ADD ("delete", test_delete);
  ADD ("notes-mode-action", test_notes_mode_action);
  ADD ("bad-query", test_bad_query);
  ADD ("refresh", test_refresh);
  ADD ("columns", test_columns);
  ADD ("preview", test_preview);
  ADD ("open-source", test_open_source);
  ADD ("dark", test_dark);
  ADD ("lazy", test_lazy);
  ADD ("remembered", test_remembered);
  ADD ("search-async", test_search_async);
#undef ADD

  return g_test_run ();
}
