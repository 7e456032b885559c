/* test-csv-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-anki-import.h"
#include "sd-card.h"
#include "sd-collection-private.h"
#include "sd-csv-import.h"
#include "sd-deck.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-test-utils.h"

static gint64
scalar (SdCollection *collection,
        const char   *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static SdNote *
note_with_front (SdCollection *collection,
                 const char   *front)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                                       "SELECT id FROM notes WHERE fields LIKE ? || char (31) || '%'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, front, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  g_assert_cmpint (id, !=, 0);
  return sd_note_load (collection, id, NULL);
}

static gboolean
import_text (SdCollection              *collection,
             const char                *text,
             const SdCsvImportOptions  *options,
             SdImportStats             *stats,
             GError                   **error)
{
  memset (stats, 0, sizeof *stats);
  return sd_csv_import_text (collection, text, -1, "test.csv", options, NULL, NULL, NULL,
                             stats, error);
}

static void
test_separators (void)
{
  const struct { const char *text; const char *back; } cases[] = {
    { "one\ttwo, three\n", "two, three" },
    { "one|two; three\n", "two; three" },
    { "one;two, three\n", "two, three" },
    { "one:two\n", "two" },
    { "one,two\n", "two" },
    { "one two\n", "two" },
    { "#separator:Comma\none,two;three\n", "two;three" },
    { "#separator:;\none;two,three\n", "two,three" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = sd_test_make_dir ();
      g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
      g_autoptr(GError) error = NULL;
      g_autoptr(SdNote) note = NULL;
      SdImportStats stats;

      g_assert_true (import_text (collection, cases[i].text, NULL, &stats, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (stats.notes, ==, 1);
      g_assert_cmpuint (stats.cards, ==, 1);
      note = note_with_front (collection, "one");
      g_assert_cmpstr (note->fields[1], ==, cases[i].back);
      sd_test_rm_rf (dir);
    }
}

static void
test_quotes_and_html (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) plain = NULL;
  g_autoptr(SdNote) quoted = NULL;
  SdImportStats stats;

  g_assert_true (import_text (collection,
                              "a < b & c,\"line one\nline \"\"two\"\", with comma\"\n"
                              "\"quoted\",x\n",
                              NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.notes, ==, 2);
  plain = note_with_front (collection, "a &lt; b &amp; c");
  g_assert_cmpstr (plain->fields[1], ==, "line one<br>line \"two\", with comma");
  quoted = note_with_front (collection, "quoted");
  g_assert_cmpstr (quoted->fields[1], ==, "x");

  /* #html:true keeps markup. */
  g_assert_true (import_text (collection, "#html:true\n<b>bold</b>\t<i>x</i>\n",
                              NULL, &stats, &error));
  g_assert_no_error (error);
  g_clear_pointer (&plain, sd_note_free);
  plain = note_with_front (collection, "<b>bold</b>");
  g_assert_cmpstr (plain->fields[1], ==, "<i>x</i>");

  sd_test_rm_rf (dir);
}

static void
test_headers (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  gint64 deck;
  SdImportStats stats;

  g_assert_true (import_text (collection,
                              "#separator:tab\n"
                              "#html:false\n"
                              "#notetype:Basic (and reversed card)\n"
                              "#deck:Languages::French\n"
                              "#tags:imported\n"
                              "#columns:Back\tFront\tTags\n"
                              "le chat\tthe cat\tanimals noun\n"
                              "le chien\tthe dog\tanimals\n",
                              NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.notes, ==, 2);
  g_assert_cmpuint (stats.cards, ==, 4);
  g_assert_cmpuint (stats.decks, ==, 2);
  deck = sd_deck_find (collection, "Languages::French");
  g_assert_cmpint (deck, !=, 0);

  note = note_with_front (collection, "the cat");
  g_assert_cmpstr (note->fields[1], ==, "le chat");
  g_assert_cmpuint (g_strv_length (note->tags), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) note->tags, "animals"));
  g_assert_true (g_strv_contains ((const char * const *) note->tags, "noun"));
  g_assert_true (g_strv_contains ((const char * const *) note->tags, "imported"));
  cards = sd_card_list_for_note (collection, note->id, NULL);
  g_assert_cmpuint (cards->len, ==, 2);
  g_assert_cmpint (((SdCard *) g_ptr_array_index (cards, 0))->deck_id, ==, deck);

  sd_test_rm_rf (dir);
}

static void
test_columns_and_updates (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = NULL;
  SdImportStats stats;
  const char *text =
    "#separator:comma\n"
    "#guid column:1\n"
    "#deck column:2\n"
    "#notetype column:3\n"
    "#tags column:6\n"
    "g1,Deck A,Basic,front 1,back 1,t1\n"
    "g2,Deck B,Cloze,{{c1::Paris}} is in {{c3::France}},extra,t2\n";

  g_assert_true (import_text (collection, text, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.notes, ==, 2);
  g_assert_cmpuint (stats.cards, ==, 3);    /* Basic: 1, cloze c1 and c3: 2 */
  g_assert_cmpint (scalar (collection, "SELECT group_concat (ord) FROM cards WHERE note_id ="
                                       " (SELECT id FROM notes WHERE guid = 'g2')"), ==, 0);
  g_assert_cmpint (scalar (collection, "SELECT max (ord) FROM cards"), ==, 2);
  g_assert_cmpint (sd_deck_find (collection, "Deck B"), !=, 0);

  /* Again: nothing changes. */
  g_assert_true (import_text (collection, text, NULL, &stats, &error));
  g_assert_cmpuint (stats.notes, ==, 0);
  g_assert_cmpuint (stats.updated, ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 2);

  /* A changed back side updates the note with that guid. */
  g_assert_true (import_text (collection,
                              "#separator:comma\n#guid column:1\n#tags column:4\n"
                              "g1,front 1,back 2,t1\n",
                              NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.updated, ==, 1);
  note = sd_note_load (collection, sd_note_find_by_guid (collection, "g1"), NULL);
  g_assert_cmpstr (note->fields[1], ==, "back 2");
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes"), ==, 2);

  sd_test_rm_rf (dir);
}

static void
test_options_mapping (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = NULL;
  const int columns[] = { 3, 1 };
  SdCsvImportOptions options;
  SdImportStats stats;

  sd_csv_import_options_init (&options);
  options.separator = ';';
  options.deck = "Mapped";
  options.field_columns = columns;
  options.n_field_columns = G_N_ELEMENTS (columns);
  options.tags_column = 2;
  g_assert_true (import_text (collection, "answer;tagged;question\n", &options, &stats, &error));
  g_assert_no_error (error);
  note = note_with_front (collection, "question");
  g_assert_cmpstr (note->fields[1], ==, "answer");
  g_assert_cmpstr (note->tags[0], ==, "tagged");
  g_assert_cmpint (sd_deck_find (collection, "Mapped"), !=, 0);

  sd_test_rm_rf (dir);
}

static void
test_errors_leave_nothing (void)
{
  const struct { const char *text; const char *message; } cases[] = {
    { "ok,fine\n\"never closed,x\n", "never closed" },
    { "caf\xe9,x\n", "UTF-8" },
    { "#notetype:No Such Type\na,b\n", "No Such Type" },
    { "#separator:comma\n", "no notes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = sd_test_make_dir ();
      g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
      g_autoptr(GError) error = NULL;
      SdImportStats stats;
      gint64 notes, decks;

      notes = scalar (collection, "SELECT count(*) FROM notes");
      decks = scalar (collection, "SELECT count(*) FROM decks");
      g_assert_false (import_text (collection, cases[i].text, NULL, &stats, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_nonnull (strstr (error->message, "test.csv"));
      g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes"), ==, notes);
      g_assert_cmpint (scalar (collection, "SELECT count(*) FROM decks"), ==, decks);
      sd_test_rm_rf (dir);
    }
}

static void
test_dispatch_by_extension (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autofree char *path = g_build_filename (dir, "words.tsv", NULL);
  g_autoptr(GError) error = NULL;
  SdImportStats stats = { 0 };

  sd_test_write_file (path, "#deck:Words\nhello\tbonjour\nbye\tau revoir\n");
  g_assert_true (sd_anki_import_file (collection, path, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.notes, ==, 2);
  g_assert_cmpint (sd_deck_find (collection, "Words"), !=, 0);

  sd_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/csv-import/separators", test_separators);
  g_test_add_func ("/studydeck/csv-import/quotes-and-html", test_quotes_and_html);
  g_test_add_func ("/studydeck/csv-import/headers", test_headers);
  g_test_add_func ("/studydeck/csv-import/columns-and-updates", test_columns_and_updates);
  g_test_add_func ("/studydeck/csv-import/options-mapping", test_options_mapping);
  g_test_add_func ("/studydeck/csv-import/errors-leave-nothing", test_errors_leave_nothing);
  g_test_add_func ("/studydeck/csv-import/dispatch-by-extension", test_dispatch_by_extension);

  return g_test_run ();
}
