/* test-browse.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sys/wait.h>
#include <json-glib/json-glib.h>

#include "sd-browse.h"
#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-search.h"
#include "sd-test-utils.h"

/* The tests run with TZ=UTC, so local time is UTC: 2026-03-02 12:00. */
#define NOON_MS   1772452800000LL
#define DAY_MS    86400000LL
#define DAY_S     86400LL

typedef struct
{
  char         *dir;
  SdCollection *collection;
  GHashTable   *names;       /* card id -> label */
  GHashTable   *note_names;  /* note id -> label */
  GHashTable   *ids;       /* label -> id */
  gint64        today;
} Fixture;

static gint64
id_of (Fixture    *f,
       const char *label)
{
  gint64 *id = g_hash_table_lookup (f->ids, label);

  if (id == NULL)
    g_error ("no card or note “%s”", label);
  return *id;
}

/* Notes are "A", their cards "A1", "A2"; a note and its first card may
 * well have the same id, both being creation times. */
static void
name (Fixture    *f,
      gint64      id,
      const char *label)
{
  g_hash_table_insert (g_ascii_isdigit (label[strlen (label) - 1]) ? f->names : f->note_names,
                       g_memdup2 (&id, sizeof id), g_strdup (label));
  g_hash_table_insert (f->ids, g_strdup (label), g_memdup2 (&id, sizeof id));
}

static void
add_note (Fixture     *f,
          const char  *deck_name,
          SdStockKind  stock,
          const char  *front,
          const char  *tags,
          const char  *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) notetype = sd_notetype_find_stock (f->collection, stock, &error);
  const char *fields[] = { front, "back", NULL };
  g_autoptr(SdNote) note = sd_note_new (notetype->id, fields);
  g_autoptr(GPtrArray) cards = NULL;
  gint64 deck = sd_deck_ensure (f->collection, deck_name, &error);

  g_assert_no_error (error);
  g_strfreev (note->tags);
  note->tags = sd_note_split_tags (tags);
  g_assert_true (sd_note_insert (f->collection, note, &error));
  g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
  g_assert_no_error (error);
  name (f, note->id, label);

  cards = sd_card_list_for_note (f->collection, note->id, &error);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCard *card = cards->pdata[i];
      g_autofree char *card_label = g_strdup_printf ("%s%u", label, i + 1);
      name (f, card->id, card_label);
    }
}

static SdCard *
load (Fixture    *f,
      const char *label)
{
  g_autoptr(GError) error = NULL;
  SdCard *card = sd_card_load (f->collection, id_of (f, label), &error);

  g_assert_no_error (error);
  return card;
}

static void
save (Fixture *f,
      SdCard  *card)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_card_update (f->collection, card, &error));
  g_assert_no_error (error);
}

static void
add_review (Fixture    *f,
            const char *label,
            gint64      when_ms,
            int         rating)
{
  g_autoptr(GError) error = NULL;
  SdRevlogEntry entry = { 0 };

  entry.id = when_ms;
  entry.card_id = id_of (f, label);
  entry.rating = rating;
  entry.kind = SD_REVLOG_REVIEW;
  entry.interval = 3;
  entry.last_interval = 1;
  entry.ease = 2500;
  entry.stability = 4.25;
  entry.difficulty = 5.5;
  entry.duration_ms = 4321;
  g_assert_true (sd_revlog_insert (f->collection, &entry, &error));
  g_assert_no_error (error);
}

/* The collection:
 *
 *   card  note  deck          note type                    front    state
 *   A1    A     Zoo           Basic                        banana   new, position 1
 *   B1    B     Alpha::Beta   Basic (type in the answer)   apple    review in 3 days, 20d, 230%
 *   C1    C     Alpha         Basic (and reversed card)    Cherry   learning in 10 minutes, FSRS
 *   C2    C     Alpha         (the reverse)                         new, position 4
 *   D1    D     Alpha B       Cloze                        date     review, a day late, 5d, 250%
 *
 * Cards were last changed in the order D1 A1 C2 B1 C1. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SdCard) a = NULL;
  g_autoptr(SdCard) b = NULL;
  g_autoptr(SdCard) c1 = NULL;
  g_autoptr(SdCard) c2 = NULL;
  g_autoptr(SdCard) d = NULL;
  g_autoptr(GError) error = NULL;

  sd_clock_set_fixed (NOON_MS - DAY_MS);
  f->dir = sd_test_make_dir ();
  f->collection = sd_test_open_collection (f->dir);
  f->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  f->note_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  f->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->today = sd_clock_day_number (NOON_MS / 1000, 4);
  {
    g_autoptr(SdNotetype) typing = sd_notetype_new_stock (SD_STOCK_BASIC_TYPING);

    g_assert_true (sd_notetype_insert (f->collection, typing, &error));
    g_assert_no_error (error);
  }

  add_note (f, "Zoo", SD_STOCK_BASIC, "banana", "fruit yellow", "A");
  sd_clock_set_fixed (NOON_MS - DAY_MS + 1000);
  add_note (f, "Alpha::Beta", SD_STOCK_BASIC_TYPING, "apple", "fruit lang::fr lang::de", "B");
  sd_clock_set_fixed (NOON_MS - DAY_MS + 2000);
  add_note (f, "Alpha", SD_STOCK_BASIC_AND_REVERSED, "Cherry", "", "C");
  sd_clock_set_fixed (NOON_MS - DAY_MS + 3000);
  {
    g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (f->collection, SD_STOCK_CLOZE, &error);
    const char *fields[] = { "{{c1::date}}", "", NULL };
    g_autoptr(SdNote) note = sd_note_new (cloze->id, fields);
    g_autoptr(GPtrArray) cards = NULL;
    gint64 deck = sd_deck_ensure (f->collection, "Alpha B", &error);

    g_assert_true (sd_note_insert (f->collection, note, &error));
    g_assert_true (sd_card_generate (f->collection, note, deck, NULL, &error));
    g_assert_no_error (error);
    name (f, note->id, "D");
    cards = sd_card_list_for_note (f->collection, note->id, &error);
    name (f, ((SdCard *) cards->pdata[0])->id, "D1");
  }

  sd_clock_set_fixed (NOON_MS);
  b = load (f, "B1");
  b->type = SD_CARD_REVIEW;
  b->queue = SD_QUEUE_REVIEW;
  b->due = f->today + 3;
  b->interval = 20;
  b->ease = 2300;
  b->reps = 9;
  b->lapses = 2;
  b->last_review = NOON_MS / 1000 - 17 * DAY_S;
  c1 = load (f, "C1");
  c1->type = SD_CARD_LEARNING;
  c1->queue = SD_QUEUE_LEARNING;
  c1->due = NOON_MS / 1000 + 600;
  c1->reps = 1;
  c1->stability = 1.5;
  c1->difficulty = 3.25;
  c1->last_review = NOON_MS / 1000 - 3 * DAY_S;
  d = load (f, "D1");
  d->type = SD_CARD_REVIEW;
  d->queue = SD_QUEUE_REVIEW;
  d->due = f->today - 1;
  d->interval = 5;
  d->ease = 2500;
  d->reps = 4;
  d->lapses = 1;
  a = load (f, "A1");
  c2 = load (f, "C2");

  sd_clock_set_fixed (NOON_MS + 1000);
  save (f, d);
  sd_clock_set_fixed (NOON_MS + 2000);
  save (f, a);
  sd_clock_set_fixed (NOON_MS + 3000);
  save (f, c2);
  sd_clock_set_fixed (NOON_MS + 4000);
  save (f, b);
  sd_clock_set_fixed (NOON_MS + 5000);
  save (f, c1);

  add_review (f, "B1", NOON_MS - 17 * DAY_MS, 3);
  add_review (f, "B1", NOON_MS - 5 * DAY_MS, 1);
  add_review (f, "C1", NOON_MS - 3 * DAY_MS, 2);

  sd_clock_set_fixed (NOON_MS + 10000);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Freed undo records leave no copies behind. */
  g_assert_cmpint (sd_collection_scalar (f->collection,
                                         "SELECT count(*) FROM temp.sqlite_schema"
                                         " WHERE name LIKE 'sd!_undo!_%' ESCAPE '!'", -1),
                   ==, 0);
  g_clear_object (&f->collection);
  g_hash_table_unref (f->names);
  g_hash_table_unref (f->note_names);
  g_hash_table_unref (f->ids);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  sd_clock_reset ();
}

static char *
labels (Fixture  *f,
        gboolean  notes,
        GArray   *ids)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *label = g_hash_table_lookup (notes ? f->note_names : f->names,
                                               &g_array_index (ids, gint64, i));
      g_assert_nonnull (label);
      g_string_append_printf (out, "%s%s", i ? " " : "", label);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
reversed (const char *words)
{
  g_auto(GStrv) parts = g_strsplit (words, " ", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n / 2; i++)
    {
      char *tmp = parts[i];
      parts[i] = parts[n - 1 - i];
      parts[n - 1 - i] = tmp;
    }
  return g_strjoinv (" ", parts);
}

static void
check_order (Fixture        *f,
             gboolean        notes,
             const char     *query,
             SdBrowseColumn  column,
             const char     *expected)
{
  for (int ascending = 1; ascending >= 0; ascending--)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = notes ? sd_browse_notes (f->collection, query, column, ascending,
                                                       &error)
                                    : sd_browse_cards (f->collection, query, column, ascending,
                                                       &error);
      g_autofree char *found = NULL;
      g_autofree char *wanted = ascending ? g_strdup (expected) : reversed (expected);

      g_assert_no_error (error);
      found = labels (f, notes, ids);
      if (g_strcmp0 (found, wanted) != 0)
        g_error ("%s “%s” by column %d %s: [%s], expected [%s]", notes ? "notes" : "cards",
                 query, column, ascending ? "ascending" : "descending", found, wanted);
    }
}

static void
test_sort_cards (Fixture       *f,
                 gconstpointer  data)
{
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_CREATED, "A1 B1 C1 C2 D1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_SORT_FIELD, "B1 A1 C1 C2 D1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_DECK, "C1 C2 B1 D1 A1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_DUE, "A1 C2 D1 C1 B1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_INTERVAL, "A1 C1 C2 D1 B1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_EASE, "A1 C2 C1 B1 D1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_REVIEWS, "A1 C2 C1 D1 B1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_LAPSES, "A1 C1 C2 D1 B1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_MODIFIED, "D1 A1 C2 B1 C1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_NOTETYPE, "A1 C1 C2 B1 D1");
  check_order (f, FALSE, "", SD_BROWSE_COLUMN_TEMPLATE, "A1 B1 C1 C2 D1");

  /* With a search, sorted by a column the search does not touch and one it does. */
  check_order (f, FALSE, "deck:Alpha", SD_BROWSE_COLUMN_DECK, "C1 C2 B1");
  check_order (f, FALSE, "-is:new", SD_BROWSE_COLUMN_SORT_FIELD, "B1 C1 D1");
  check_order (f, FALSE, "tag:fruit", SD_BROWSE_COLUMN_DUE, "A1 B1");
  check_order (f, FALSE, "is:due", SD_BROWSE_COLUMN_NOTETYPE, "C1 D1");
}

static void
test_sort_notes (Fixture       *f,
                 gconstpointer  data)
{
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_CREATED, "A B C D");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_SORT_FIELD, "B A C D");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_DECK, "C B D A");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_DUE, "A C D B");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_INTERVAL, "A C D B");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_EASE, "A C B D");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_REVIEWS, "A C D B");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_LAPSES, "A C D B");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_MODIFIED, "A B C D");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_NOTETYPE, "A C B D");
  check_order (f, TRUE, "", SD_BROWSE_COLUMN_TEMPLATE, "A B D C");
  check_order (f, TRUE, "is:new", SD_BROWSE_COLUMN_SORT_FIELD, "A C");
  check_order (f, TRUE, "tag:fruit", SD_BROWSE_COLUMN_CREATED, "A B");
}

static void
test_bad_query (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (sd_browse_cards (f->collection, "deck:(x", SD_BROWSE_COLUMN_DUE, TRUE, &error));
  g_assert_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (sd_browse_notes (f->collection, "prop:zz>1", SD_BROWSE_COLUMN_DUE, TRUE, &error));
  g_assert_error (error, SD_SEARCH_ERROR, SD_SEARCH_ERROR_INVALID);
}

static void
card_row (Fixture     *f,
          const char  *label,
          SdBrowseRow *row)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_browse_card_row (f->collection, id_of (f, label), row, &error));
  g_assert_no_error (error);
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SdBrowseRow row;

  card_row (f, "A1", &row);
  g_assert_cmpint (row.card_id, ==, id_of (f, "A1"));
  g_assert_cmpint (row.note_id, ==, id_of (f, "A"));
  g_assert_cmpstr (row.sort_field, ==, "banana");
  g_assert_cmpstr (row.deck, ==, "Zoo");
  g_assert_cmpstr (row.due_text, ==, "New #1");
  g_assert_null (row.due_date);
  g_assert_cmpint (row.due_sort, ==, 1);
  g_assert_cmpstr (row.interval_text, ==, "(new)");
  g_assert_cmpstr (row.ease_text, ==, "(new)");
  g_assert_cmpint (row.reviews, ==, 0);
  g_assert_cmpstr (row.notetype, ==, "Basic");
  g_assert_cmpstr (row.template_name, ==, "Card 1");
  g_assert_cmpstr (row.tags, ==, "fruit yellow");
  g_assert_cmpint (row.modified, ==, NOON_MS / 1000 + 2);
  g_assert_cmpstr (row.modified_text, ==, "2026-03-02");
  sd_browse_row_clear (&row);

  card_row (f, "B1", &row);
  g_assert_cmpstr (row.deck, ==, "Alpha::Beta");
  g_assert_cmpstr (row.due_text, ==, "2026-03-05");
  g_assert_cmpstr (row.due_date, ==, "2026-03-05");
  g_assert_cmpint (row.due_sort, ==, NOON_MS / 1000 + 10 + 3 * DAY_S);
  g_assert_cmpint (row.interval, ==, 20);
  g_assert_cmpstr (row.interval_text, ==, "20d");
  g_assert_false (row.fsrs);
  g_assert_cmpfloat (row.ease, ==, 2.3);
  g_assert_cmpstr (row.ease_text, ==, "230% ease");
  g_assert_cmpint (row.reviews, ==, 9);
  g_assert_cmpint (row.lapses, ==, 2);
  g_assert_cmpstr (row.notetype, ==, "Basic (type in the answer)");
  sd_browse_row_clear (&row);

  card_row (f, "C1", &row);
  g_assert_cmpstr (row.deck, ==, "Alpha");
  g_assert_cmpstr (row.due_text, ==, "2026-03-02");
  g_assert_cmpint (row.due_sort, ==, NOON_MS / 1000 + 600);
  g_assert_cmpstr (row.interval_text, ==, "(learning)");
  g_assert_true (row.fsrs);
  g_assert_cmpfloat_with_epsilon (row.ease, 0.25, 1e-9);
  g_assert_cmpstr (row.ease_text, ==, "25%");
  sd_browse_row_clear (&row);

  card_row (f, "C2", &row);
  g_assert_cmpstr (row.template_name, ==, "Card 2");
  g_assert_cmpstr (row.due_text, ==, "New #4");
  sd_browse_row_clear (&row);

  card_row (f, "D1", &row);
  g_assert_cmpstr (row.deck, ==, "Alpha B");
  g_assert_cmpstr (row.sort_field, ==, "{{c1::date}}");
  g_assert_cmpstr (row.due_text, ==, "2026-03-01");
  g_assert_cmpstr (row.template_name, ==, "Cloze 1");
  g_assert_cmpstr (row.notetype, ==, "Cloze");
  g_assert_cmpstr (row.interval_text, ==, "5d");
  g_assert_cmpstr (row.ease_text, ==, "250% ease");
  sd_browse_row_clear (&row);

  /* Suspended: the date in parentheses. */
  {
    g_autoptr(SdBrowseUndo) undo = sd_browse_set_suspended (f->collection,
                                                            &(gint64) { id_of (f, "D1") }, 1,
                                                            TRUE, &error);
    g_assert_no_error (error);
    card_row (f, "D1", &row);
    g_assert_cmpstr (row.due_text, ==, "(2026-03-01)");
    g_assert_cmpstr (row.due_date, ==, "2026-03-01");
    sd_browse_row_clear (&row);
  }

  g_assert_false (sd_browse_card_row (f->collection, 12345, &row, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Notes mode. */
  g_assert_true (sd_browse_note_row (f->collection, id_of (f, "C"), &row, &error));
  g_assert_no_error (error);
  g_assert_cmpint (row.card_id, ==, 0);
  g_assert_cmpuint (row.n_cards, ==, 2);
  g_assert_cmpstr (row.template_name, ==, "2");
  g_assert_cmpstr (row.deck, ==, "Alpha");
  g_assert_cmpstr (row.due_text, ==, "2026-03-02");
  g_assert_cmpint (row.due_sort, ==, 4);
  g_assert_cmpstr (row.ease_text, ==, "25%");
  g_assert_cmpstr (row.interval_text, ==, "");
  g_assert_cmpint (row.reviews, ==, 1);
  g_assert_cmpstr (row.notetype, ==, "Basic (and reversed card)");
  sd_browse_row_clear (&row);

  g_assert_true (sd_browse_note_row (f->collection, id_of (f, "A"), &row, &error));
  g_assert_cmpstr (row.due_text, ==, "");
  g_assert_null (row.due_date);
  g_assert_cmpstr (row.ease_text, ==, "(new)");
  g_assert_cmpstr (row.deck, ==, "Zoo");
  sd_browse_row_clear (&row);

  {
    g_autoptr(SdBrowseUndo) undo = NULL;
    gint64 zoo = sd_deck_find (f->collection, "Zoo");

    undo = sd_browse_set_deck (f->collection, &(gint64) { id_of (f, "C2") }, 1, zoo, &error);
    g_assert_no_error (error);
    g_assert_true (sd_browse_note_row (f->collection, id_of (f, "C"), &row, &error));
    g_assert_cmpstr (row.deck, ==, "(2)");
    sd_browse_row_clear (&row);
  }

  g_assert_false (sd_browse_note_row (f->collection, 12345, &row, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND);
}

static void
test_rows_batch (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = sd_browse_cards (f->collection, "", SD_BROWSE_COLUMN_DECK, TRUE,
                                           &error);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  rows = sd_browse_card_rows (f->collection, (const gint64 *) ids->data, ids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < rows->len; i++)
    {
      SdBrowseRow *batch = rows->pdata[i];
      SdBrowseRow one;

      g_assert_true (sd_browse_card_row (f->collection, g_array_index (ids, gint64, i), &one,
                                         &error));
      g_assert_cmpint (batch->card_id, ==, one.card_id);
      g_assert_cmpstr (batch->deck, ==, one.deck);
      g_assert_cmpstr (batch->due_text, ==, one.due_text);
      g_assert_cmpstr (batch->sort_field, ==, one.sort_field);
      sd_browse_row_clear (&one);
    }
  g_assert_cmpstr (((SdBrowseRow *) rows->pdata[2])->deck, ==, "Alpha::Beta");
}

/* ---- bulk actions and their undo ----------------------------------------- */

/* Every row of a table, every column with its type, in a string. */
static char *
dump_table (Fixture    *f,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY rowid", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (f->collection), sql, -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          switch (sqlite3_column_type (stmt, i))
            {
            case SQLITE_NULL:
              g_string_append (out, "NULL");
              break;
            case SQLITE_INTEGER:
              g_string_append_printf (out, "i%" G_GINT64_FORMAT,
                                      (gint64) sqlite3_column_int64 (stmt, i));
              break;
            case SQLITE_FLOAT:
              g_string_append_printf (out, "r%.17g", sqlite3_column_double (stmt, i));
              break;
            default:
              g_string_append_printf (out, "t'%s'", sqlite3_column_text (stmt, i));
              break;
            }
          g_string_append_c (out, '|');
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
dump (Fixture *f)
{
  g_autofree char *cards = dump_table (f, "cards");
  g_autofree char *notes = dump_table (f, "notes");
  g_autofree char *revlog = dump_table (f, "revlog");
  g_autofree char *anchors = dump_table (f, "note_anchors");

  return g_strconcat ("cards:\n", cards, "notes:\n", notes, "revlog:\n", revlog,
                      "anchors:\n", anchors, NULL);
}

static void
undo_and_compare (Fixture      *f,
                  SdBrowseUndo *undo,
                  const char   *before)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  g_assert_nonnull (undo);
  sd_clock_set_fixed (NOON_MS + 60000);
  g_assert_true (sd_browse_undo (f->collection, undo, &error));
  g_assert_no_error (error);
  after = dump (f);
  g_assert_cmpstr (after, ==, before);
  sd_browse_undo_free (undo);
  sd_clock_set_fixed (NOON_MS + 10000);
}

static gint64 *
ids (Fixture    *f,
     const char *labels_text,
     gsize      *n)
{
  g_auto(GStrv) parts = g_strsplit (labels_text, " ", -1);
  gint64 *out = g_new0 (gint64, g_strv_length (parts) + 1);

  for (guint i = 0; parts[i] != NULL; i++)
    out[i] = id_of (f, parts[i]);
  *n = g_strv_length (parts);
  return out;
}

static void
test_flags_and_note_cards (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdBrowseUndo) undo = NULL;
  g_autoptr(GArray) cards = NULL;
  g_autofree char *found = NULL;
  gint64 notes[] = { id_of (f, "D"), id_of (f, "C"), id_of (f, "A"), 12345 };
  SdBrowseRow row;

  undo = sd_browse_set_flag (f->collection, &(gint64) { id_of (f, "C1") }, 1, 4, &error);
  g_assert_no_error (error);
  card_row (f, "C1", &row);
  g_assert_cmpint (row.flags, ==, 4);
  sd_browse_row_clear (&row);
  card_row (f, "C2", &row);
  g_assert_cmpint (row.flags, ==, 0);
  sd_browse_row_clear (&row);
  g_assert_true (sd_browse_note_row (f->collection, id_of (f, "C"), &row, &error));
  g_assert_cmpint (row.flags, ==, 4);
  sd_browse_row_clear (&row);

  /* Note by note in the order given, a note's cards by template; a note
   * that does not exist has none. */
  cards = sd_browse_cards_of_notes (f->collection, notes, G_N_ELEMENTS (notes), &error);
  g_assert_no_error (error);
  found = labels (f, FALSE, cards);
  g_assert_cmpstr (found, ==, "D1 C1 C2 A1");
}

static void
test_action_deck (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree gint64 *cards = NULL;
  g_autoptr(SdCard) a = NULL;
  g_autoptr(SdCard) b = NULL;
  gint64 zoo = sd_deck_find (f->collection, "Zoo");
  SdBrowseUndo *undo;
  gsize n;

  cards = ids (f, "A1 B1 C1", &n);
  undo = sd_browse_set_deck (f->collection, cards, n, zoo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_browse_undo_get_label (undo), ==, "Change Deck");
  g_assert_cmpuint (sd_browse_undo_get_n_cards (undo), ==, 3);
  a = load (f, "A1");
  b = load (f, "B1");
  g_assert_cmpint (b->deck_id, ==, zoo);
  g_assert_cmpint (b->mtime, ==, NOON_MS / 1000 + 10);
  /* Cards already there are left as they were. */
  g_assert_cmpint (a->mtime, ==, NOON_MS / 1000 + 2);
  undo_and_compare (f, undo, before);

  /* A deck that does not exist changes nothing. */
  g_assert_null (sd_browse_set_deck (f->collection, cards, n, 999, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND);
  {
    g_autofree char *after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }
}

static char *
tags_of (Fixture    *f,
         const char *note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) loaded = sd_note_load (f->collection, id_of (f, note), &error);

  g_assert_no_error (error);
  return sd_note_join_tags ((const char * const *) loaded->tags);
}

static void
test_action_tags (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree gint64 *cards = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  SdBrowseUndo *undo;
  gsize n;

  /* Two cards of C, one note changed once; A has "fruit" already. */
  cards = ids (f, "A1 C1 C2", &n);
  undo = sd_browse_add_tags (f->collection, cards, n, "FRUIT  new::tag", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_browse_undo_get_n_notes (undo), ==, 2);
  a = tags_of (f, "A");
  c = tags_of (f, "C");
  g_assert_cmpstr (a, ==, " fruit yellow new::tag ");
  g_assert_cmpstr (c, ==, " FRUIT new::tag ");
  undo_and_compare (f, undo, before);

  g_free (cards);
  cards = ids (f, "A1 B1", &n);
  undo = sd_browse_remove_tags (f->collection, cards, n, "LANG fruit", &error);
  g_assert_no_error (error);
  g_free (a);
  a = tags_of (f, "A");
  b = tags_of (f, "B");
  g_assert_cmpstr (a, ==, " yellow ");
  g_assert_cmpstr (b, ==, "");
  undo_and_compare (f, undo, before);

  g_assert_null (sd_browse_add_tags (f->collection, cards, n, "   ", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
}

static void
test_action_suspend_flag (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree gint64 *cards = NULL;
  SdBrowseUndo *undo;
  gsize n;

  cards = ids (f, "A1 B1 C1 D1", &n);
  undo = sd_browse_set_suspended (f->collection, cards, n, TRUE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GArray) found = sd_search_cards (f->collection, "is:suspended", &error);
    g_assert_cmpuint (found->len, ==, 4);
  }
  undo_and_compare (f, undo, before);

  /* Suspend, then unsuspend: each card back to the queue its type says. */
  {
    SdBrowseUndo *first = sd_browse_set_suspended (f->collection, cards, n, TRUE, &error);
    g_autofree char *suspended = dump (f);
    g_autoptr(SdCard) a = NULL;
    g_autoptr(SdCard) b = NULL;
    g_autoptr(SdCard) c = NULL;

    undo = sd_browse_set_suspended (f->collection, cards, n, FALSE, &error);
    g_assert_no_error (error);
    a = load (f, "A1");
    b = load (f, "B1");
    c = load (f, "C1");
    g_assert_cmpint (a->queue, ==, SD_QUEUE_NEW);
    g_assert_cmpint (b->queue, ==, SD_QUEUE_REVIEW);
    g_assert_cmpint (c->queue, ==, SD_QUEUE_LEARNING);
    undo_and_compare (f, undo, suspended);
    undo_and_compare (f, first, before);
  }

  /* Flags keep the bits above the colour. */
  {
    g_autoptr(SdCard) b = load (f, "B1");

    b->flags = 8 | 1;
    save (f, b);
  }
  g_free (before);
  before = dump (f);
  undo = sd_browse_set_flag (f->collection, cards, n, 3, &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdCard) b = load (f, "B1");
    g_autoptr(GArray) found = sd_search_cards (f->collection, "flag:3", &error);

    g_assert_cmpint (b->flags, ==, 8 | 3);
    g_assert_cmpuint (found->len, ==, 4);
  }
  undo_and_compare (f, undo, before);

  g_assert_null (sd_browse_set_flag (f->collection, cards, n, 8, &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
}

static void
test_action_forget (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree gint64 *cards = NULL;
  SdBrowseUndo *undo;
  gsize n;

  /* In the order given: D1 then B1, after the last new card (C2 at 4). */
  cards = ids (f, "D1 B1", &n);
  undo = sd_browse_forget (f->collection, cards, n, SD_BROWSE_FORGET_DEFAULT, &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdCard) b = load (f, "B1");
    g_autoptr(SdCard) d = load (f, "D1");
    g_autoptr(GArray) log = sd_revlog_list_for_card (f->collection, b->id, &error);
    SdRevlogEntry *last;

    g_assert_cmpint (d->type, ==, SD_CARD_NEW);
    g_assert_cmpint (d->queue, ==, SD_QUEUE_NEW);
    g_assert_cmpint (d->due, ==, 6);
    g_assert_cmpint (b->due, ==, 7);
    g_assert_cmpint (b->position, ==, 7);
    g_assert_cmpint (b->interval, ==, 0);
    g_assert_cmpint (b->ease, ==, 0);
    g_assert_cmpint (b->reps, ==, 9);
    g_assert_cmpint (b->last_review, ==, 0);
    g_assert_cmpuint (log->len, ==, 3);
    last = &g_array_index (log, SdRevlogEntry, 2);
    g_assert_cmpint (last->kind, ==, SD_REVLOG_MANUAL);
    g_assert_cmpint (last->rating, ==, 0);
    g_assert_cmpint (last->last_interval, ==, 20);
  }
  undo_and_compare (f, undo, before);

  undo = sd_browse_forget (f->collection, cards, n,
                           SD_BROWSE_FORGET_RESTORE_POSITION | SD_BROWSE_FORGET_RESET_COUNTS,
                           &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdCard) b = load (f, "B1");

    g_assert_cmpint (b->due, ==, 2);
    g_assert_cmpint (b->reps, ==, 0);
    g_assert_cmpint (b->lapses, ==, 0);
  }
  undo_and_compare (f, undo, before);

  g_free (cards);
  cards = ids (f, "B1 C1", &n);
  undo = sd_browse_forget (f->collection, cards, n, SD_BROWSE_FORGET_DELETE_HISTORY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM revlog", -1), ==, 0);
  {
    g_autoptr(SdCard) c = load (f, "C1");

    g_assert_cmpfloat (c->stability, ==, 0);
    g_assert_cmpint (c->due, ==, 7);
  }
  undo_and_compare (f, undo, before);
}

static void
test_action_due_date (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree gint64 *cards = NULL;
  static const char *bad[] = { "", "x", "-1", "3-", "5!!", "1-2-3", " 1", "99999" };
  SdBrowseUndo *undo;
  gsize n;

  cards = ids (f, "A1 B1 C1", &n);
  undo = sd_browse_set_due_date (f->collection, cards, n, "0", &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdCard) a = load (f, "A1");
    g_autoptr(SdCard) b = load (f, "B1");
    g_autoptr(SdCard) c = load (f, "C1");

    /* New: a review card due today, interval 1, the default ease. */
    g_assert_cmpint (a->type, ==, SD_CARD_REVIEW);
    g_assert_cmpint (a->queue, ==, SD_QUEUE_REVIEW);
    g_assert_cmpint (a->due, ==, f->today);
    g_assert_cmpint (a->interval, ==, 1);
    g_assert_cmpint (a->ease, ==, 2500);
    /* Review: the interval stays. */
    g_assert_cmpint (b->due, ==, f->today);
    g_assert_cmpint (b->interval, ==, 20);
    g_assert_cmpint (b->ease, ==, 2300);
    /* Learning with FSRS but no interval yet: the distance, at least a day. */
    g_assert_cmpint (c->interval, ==, 1);
    g_assert_cmpint (sd_collection_scalar (f->collection,
                                           "SELECT count(*) FROM revlog WHERE kind = 4", -1),
                     ==, 3);
  }
  {
    g_autoptr(GArray) due = sd_search_cards (f->collection, "is:due", &error);
    g_assert_cmpuint (due->len, ==, 4);
  }
  undo_and_compare (f, undo, before);

  undo = sd_browse_set_due_date (f->collection, cards, n, "3-5", &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(SdCard) card = sd_card_load (f->collection, cards[i], &error);
      g_assert_cmpint (card->due, >=, f->today + 3);
      g_assert_cmpint (card->due, <=, f->today + 5);
    }
  undo_and_compare (f, undo, before);

  undo = sd_browse_set_due_date (f->collection, cards, n, "7!", &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdCard) b = load (f, "B1");
    g_assert_cmpint (b->due, ==, f->today + 7);
    g_assert_cmpint (b->interval, ==, 7);
  }
  undo_and_compare (f, undo, before);

  /* FSRS review card: the days since its last review plus the distance. */
  {
    g_autoptr(SdCard) b = load (f, "B1");

    b->stability = 30;
    b->difficulty = 5;
    save (f, b);
  }
  g_free (before);
  before = dump (f);
  undo = sd_browse_set_due_date (f->collection, cards + 1, 1, "2", &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdCard) b = load (f, "B1");
    g_assert_cmpint (b->interval, ==, 17 + 2);
  }
  undo_and_compare (f, undo, before);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (sd_browse_set_due_date (f->collection, cards, n, bad[i], &error));
      g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
      g_clear_error (&error);
    }
  {
    g_autofree char *after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }
}

static void
test_action_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree gint64 *cards = NULL;
  SdBrowseUndo *undo;
  gsize n;

  /* Note A is also anchored in a Markdown file: the anchor goes with the note. */
  g_assert_true (sd_collection_exec (f->collection,
                                     "INSERT INTO note_anchors (note_id, relpath, kind, deck,"
                                     " line_start, line_end, fingerprint, position)"
                                     " SELECT id, 'cards.md', 0, 'Zoo', 3, 4, 'banana|fruit', 1"
                                     " FROM notes ORDER BY id LIMIT 1",
                                     &error));
  g_assert_no_error (error);
  before = dump (f);

  /* One card of two: the note stays. */
  cards = ids (f, "C1", &n);
  undo = sd_browse_delete_cards (f->collection, cards, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_browse_undo_get_n_notes (undo), ==, 0);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM cards", -1), ==, 4);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM notes", -1), ==, 4);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM revlog", -1), ==, 2);
  undo_and_compare (f, undo, before);

  /* Every card of A and of C, and B's: three notes go with their reviews. */
  g_free (cards);
  cards = ids (f, "A1 C1 C2 B1", &n);
  undo = sd_browse_delete_cards (f->collection, cards, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_browse_undo_get_n_cards (undo), ==, 4);
  g_assert_cmpuint (sd_browse_undo_get_n_notes (undo), ==, 3);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM cards", -1), ==, 1);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM notes", -1), ==, 1);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM revlog", -1), ==, 0);
  g_assert_cmpint (sd_collection_scalar (f->collection, "SELECT count(*) FROM note_anchors", -1),
                   ==, 0);
  undo_and_compare (f, undo, before);
  g_assert_true (sd_collection_check_integrity (f->collection, &error));
  g_assert_no_error (error);

  /* Ids that are not cards are passed over. */
  {
    gint64 missing[] = { 1, 2, id_of (f, "D1") };

    undo = sd_browse_delete_cards (f->collection, missing, G_N_ELEMENTS (missing), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sd_browse_undo_get_n_cards (undo), ==, 1);
    undo_and_compare (f, undo, before);
  }
}

/* Undo records taken in a row, undone last first, bring everything back. */
static void
test_action_stack (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump (f);
  g_autofree gint64 *cards = NULL;
  SdBrowseUndo *steps[6];
  gsize n;

  cards = ids (f, "A1 B1 C1 C2 D1", &n);
  steps[0] = sd_browse_set_flag (f->collection, cards, n, 5, &error);
  steps[1] = sd_browse_add_tags (f->collection, cards, n, "stack", &error);
  steps[2] = sd_browse_set_due_date (f->collection, cards, 2, "4", &error);
  steps[3] = sd_browse_forget (f->collection, cards + 2, 2, SD_BROWSE_FORGET_RESET_COUNTS, &error);
  steps[4] = sd_browse_set_suspended (f->collection, cards, n, TRUE, &error);
  steps[5] = sd_browse_delete_cards (f->collection, cards + 1, 3, &error);
  g_assert_no_error (error);

  for (int i = G_N_ELEMENTS (steps) - 1; i >= 0; i--)
    {
      g_assert_true (sd_browse_undo (f->collection, steps[i], &error));
      g_assert_no_error (error);
      sd_browse_undo_free (steps[i]);
    }
  {
    g_autofree char *after = dump (f);
    g_assert_cmpstr (after, ==, before);
  }
}

/* ---- studydeck-cli search -------------------------------------------------- */

static int
run_cli (Fixture     *f,
         char       **out,
         char       **err,
         ...)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli",
                                                "studydeck-cli", NULL);
  g_autofree char *path = g_build_filename (f->dir, "collection.db", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = -1;
  va_list ap;

  g_ptr_array_add (args, cli);
  g_ptr_array_add (args, (gpointer) "--collection");
  g_ptr_array_add (args, path);
  g_ptr_array_add (args, (gpointer) "search");
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_node_get_array (root);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *cli = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli",
                                                "studydeck-cli", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdBrowseUndo) undo = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *cards;
  JsonObject *card;

  if (!g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("studydeck-cli is not built");
      return;
    }

  undo = sd_browse_set_suspended (f->collection, &(gint64) { id_of (f, "D1") }, 1, TRUE, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_cli (f, &out, &err, "", "--json", NULL), ==, 0);
  cards = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (cards), ==, 5);

  card = json_array_get_object_element (cards, 0);
  g_assert_cmpint (json_object_get_int_member (card, "card_id"), ==, id_of (f, "A1"));
  g_assert_cmpint (json_object_get_int_member (card, "note_id"), ==, id_of (f, "A"));
  g_assert_cmpstr (json_object_get_string_member (card, "sort_field"), ==, "banana");
  g_assert_cmpstr (json_object_get_string_member (card, "deck"), ==, "Zoo");
  g_assert_cmpstr (json_object_get_string_member (card, "due"), ==, "new #1");
  card = json_array_get_object_element (cards, 1);
  g_assert_cmpstr (json_object_get_string_member (card, "deck"), ==, "Alpha::Beta");
  g_assert_cmpstr (json_object_get_string_member (card, "due"), ==, "2026-03-05");
  card = json_array_get_object_element (cards, 2);
  g_assert_cmpstr (json_object_get_string_member (card, "due"), ==, "2026-03-02");
  card = json_array_get_object_element (cards, 4);
  g_assert_cmpint (json_object_get_int_member (card, "card_id"), ==, id_of (f, "D1"));
  g_assert_true (json_object_get_null_member (card, "due"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Several words are one query; one may start with "-". */
  g_assert_cmpint (run_cli (f, &out, &err, "--json", "deck:Alpha", "-is:new", NULL), ==, 0);
  cards = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (cards), ==, 2);
  card = json_array_get_object_element (cards, 0);
  g_assert_cmpint (json_object_get_int_member (card, "card_id"), ==, id_of (f, "B1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, &out, &err, "--json", "--sort", "sort-field", "--reverse",
                            "tag:fruit", NULL), ==, 0);
  cards = parse_array (out, parser);
  g_assert_cmpuint (json_array_get_length (cards), ==, 2);
  card = json_array_get_object_element (cards, 0);
  g_assert_cmpstr (json_object_get_string_member (card, "sort_field"), ==, "banana");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A malformed query: a message naming the problem, exit status 1. */
  g_assert_cmpint (run_cli (f, &out, &err, "--json", "deck:Alpha (is:new", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Unclosed parenthesis at position 12"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, &out, &err, "is:sleeping", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "is:sleeping"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (f, &out, &err, NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/studydeck/browse/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("sort/cards", test_sort_cards);
  ADD ("sort/notes", test_sort_notes);
  ADD ("sort/bad-query", test_bad_query);
  ADD ("rows/one", test_rows);
  ADD ("rows/batch", test_rows_batch);
  ADD ("rows/flags-and-note-cards", test_flags_and_note_cards);
  ADD ("action/deck", test_action_deck);
  ADD ("action/tags", test_action_tags);
  ADD ("action/suspend-flag", test_action_suspend_flag);
  ADD ("action/forget", test_action_forget);
  ADD ("action/due-date", test_action_due_date);
  ADD ("action/delete", test_action_delete);
  ADD ("action/stack", test_action_stack);
  ADD ("cli", test_cli);

  return g_test_run ();
}
