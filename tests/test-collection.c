/* test-collection.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sqlite3.h>

#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-notetype.h"
#include "sd-test-utils.h"

static int
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
test_create_defaults (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "nested", "deeper", "collection.db", NULL);
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notetypes = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  SdCollectionCounts counts;

  collection = sd_collection_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.schema, ==, SD_COLLECTION_SCHEMA_VERSION);
  g_assert_cmpint (counts.decks, ==, 1);
  g_assert_cmpint (counts.notetypes, ==, 4);
  g_assert_cmpint (counts.notes, ==, 0);
  g_assert_cmpint (counts.cards, ==, 0);
  g_assert_cmpint (counts.revlog, ==, 0);
  g_assert_cmpint (counts.media, ==, 0);

  decks = sd_deck_list (collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decks->len, ==, 1);
  g_assert_cmpstr (((SdDeck *) decks->pdata[0])->full_name, ==, "Default");
  g_assert_cmpint (((SdDeck *) decks->pdata[0])->id, ==, SD_DECK_DEFAULT_ID);

  notetypes = sd_notetype_list (collection, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notetypes->len, ==, 4);
  g_assert_cmpstr (((SdNotetype *) notetypes->pdata[0])->name, ==, "Basic");
  g_assert_cmpstr (((SdNotetype *) notetypes->pdata[1])->name, ==, "Basic (and reversed card)");
  g_assert_cmpstr (((SdNotetype *) notetypes->pdata[2])->name, ==, "Basic (optional reversed card)");
  g_assert_cmpstr (((SdNotetype *) notetypes->pdata[3])->name, ==, "Cloze");

  {
    g_autofree char *media = g_build_filename (dir, "nested", "deeper", "media", NULL);
    g_assert_cmpstr (sd_collection_get_media_dir (collection), ==, media);
  }
  g_assert_cmpint (sd_collection_get_created (collection), >, 1700000000);
  g_assert_null (sd_collection_get_backup_path (collection));

  g_clear_object (&collection);
  g_assert_cmpint (query_int (path, "PRAGMA application_id"), ==, SD_COLLECTION_APPLICATION_ID);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, SD_COLLECTION_SCHEMA_VERSION);

  sd_test_rm_rf (dir);
}

static void
test_pragmas (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autofree char *path = g_build_filename (dir, "collection.db", NULL);
  g_autofree char *mode = query_text (path, "PRAGMA journal_mode");
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_collection_check_integrity (collection, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mode, ==, "wal");

  /* Foreign keys are enforced on our connection: a card for no note fails. */
  g_assert_false (sd_collection_exec (collection,
                                      "INSERT INTO cards (note_id, deck_id, ord, mtime)"
                                      " VALUES (12345, 1, 0, 0)", &error));
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));
  sd_test_rm_rf (dir);
}

static void
test_reopen_keeps_data (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gint64 created;

  g_assert_true (sd_collection_set_config (collection, "answer", "42", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_deck_ensure (collection, "Languages::French", &error), >, 0);
  created = sd_collection_get_created (collection);
  g_clear_object (&collection);

  collection = sd_test_open_collection (dir);
  value = sd_collection_get_config (collection, "answer");
  g_assert_cmpstr (value, ==, "42");
  g_assert_cmpint (sd_collection_get_created (collection), ==, created);
  g_assert_cmpint (sd_deck_find (collection, "languages::FRENCH"), >, 0);
  g_assert_null (sd_collection_get_backup_path (collection));
  sd_test_rm_rf (dir);
}

static void
test_refuse_not_sqlite (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *contents = NULL;

  sd_test_write_file (path, "These are my notes, not a database.\n");
  collection = sd_collection_open (path, &error);
  g_assert_null (collection);
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_A_COLLECTION);
  g_assert_nonnull (strstr (error->message, "notes.db"));
  g_assert_nonnull (strstr (error->message, "not a StudyDeck collection"));

  /* Nothing was written to the user's file. */
  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "These are my notes, not a database.\n");
  sd_test_rm_rf (dir);
}

static void
test_refuse_other_database (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "collection.anki2", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE col (id integer primary key, crt integer);"
                                     "PRAGMA user_version = 11;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  collection = sd_collection_open (path, &error);
  g_assert_null (collection);
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_A_COLLECTION);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_schema"), ==, 1);
  sd_test_rm_rf (dir);
}

static void
test_refuse_newer (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "collection.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  sqlite3 *db = NULL;

  g_clear_object (&collection);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  collection = sd_collection_open (path, &error);
  g_assert_null (collection);
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer StudyDeck"));
  sd_test_rm_rf (dir);
}

static void
test_refuse_directory (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = sd_collection_open (dir, &error);

  g_assert_null (collection);
  g_assert_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_A_COLLECTION);
  sd_test_rm_rf (dir);
}

static void
test_nested_transactions (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *outer = NULL;
  g_autofree char *inner = NULL;
  guint changed = 0;

  g_signal_connect_swapped (collection, "changed", G_CALLBACK (g_atomic_int_inc), &changed);

  g_assert_true (sd_collection_begin (collection, &error));
  g_assert_true (sd_collection_set_config (collection, "outer", "1", &error));
  g_assert_true (sd_collection_begin (collection, &error));
  g_assert_true (sd_collection_set_config (collection, "inner", "1", &error));
  sd_collection_rollback (collection);
  g_assert_true (sd_collection_in_transaction (collection));
  g_assert_cmpuint (changed, ==, 0);
  g_assert_true (sd_collection_commit (collection, &error));
  g_assert_no_error (error);
  g_assert_false (sd_collection_in_transaction (collection));
  g_assert_cmpuint (changed, ==, 1);

  outer = sd_collection_get_config (collection, "outer");
  inner = sd_collection_get_config (collection, "inner");
  g_assert_cmpstr (outer, ==, "1");
  g_assert_null (inner);

  /* A rolled-back outer transaction leaves nothing behind. */
  g_assert_true (sd_collection_begin (collection, &error));
  g_assert_true (sd_collection_set_config (collection, "gone", "1", &error));
  sd_collection_rollback (collection);
  g_assert_null (sd_collection_get_config (collection, "gone"));
  sd_test_rm_rf (dir);
}

static void
test_upgrade_from_v1 (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "collection-v1.db", NULL);
  g_autofree char *path = g_build_filename (dir, "collection.db", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  SdCollectionCounts counts;
  gsize len;

  g_assert_true (g_file_get_contents (fixture, &contents, &len, &error));
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 1);

  collection = sd_collection_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_collection_get_schema_version (collection), ==, SD_COLLECTION_SCHEMA_VERSION);

  /* The file as it was is kept beside it. */
  g_assert_nonnull (sd_collection_get_backup_path (collection));
  g_assert_true (g_str_has_prefix (sd_collection_get_backup_path (collection), path));
  g_assert_cmpint (query_int (sd_collection_get_backup_path (collection), "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (query_int (sd_collection_get_backup_path (collection), "SELECT count(*) FROM revlog"), ==, 2);

  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  g_assert_cmpint (counts.decks, ==, 3);
  g_assert_cmpint (counts.notetypes, ==, 4);
  g_assert_cmpint (counts.notes, ==, 1);
  g_assert_cmpint (counts.cards, ==, 1);
  g_assert_cmpint (counts.revlog, ==, 2);
  decks = sd_deck_list (collection, &error);
  g_assert_cmpstr (((SdDeck *) decks->pdata[1])->full_name, ==, "Biology::Cells");
  g_assert_true (sd_collection_check_integrity (collection, &error));
  g_assert_no_error (error);

  /* Opening the upgraded file again makes no second copy. */
  g_clear_object (&collection);
  collection = sd_collection_open (path, &error);
  g_assert_null (sd_collection_get_backup_path (collection));
  sd_test_rm_rf (dir);
}

/* A reader sees what the collection committed and cannot write. */
static void
test_reader (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdCollection) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  reader = sd_collection_open_reader (collection, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_collection_get_path (reader), ==, sd_collection_get_path (collection));

  g_assert_true (sd_collection_set_config (collection, "seen", "yes", &error));
  value = sd_collection_get_config (reader, "seen");
  g_assert_cmpstr (value, ==, "yes");

  g_assert_false (sd_collection_set_config (reader, "written", "no", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (sd_collection_get_config (collection, "written"));
  g_assert_cmpint (sd_collection_scalar (reader, "PRAGMA mmap_size", -1), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/collection/create-defaults", test_create_defaults);
  g_test_add_func ("/studydeck/collection/pragmas", test_pragmas);
  g_test_add_func ("/studydeck/collection/reopen", test_reopen_keeps_data);
  g_test_add_func ("/studydeck/collection/refuse-not-sqlite", test_refuse_not_sqlite);
  g_test_add_func ("/studydeck/collection/refuse-other-database", test_refuse_other_database);
  g_test_add_func ("/studydeck/collection/refuse-newer", test_refuse_newer);
  g_test_add_func ("/studydeck/collection/refuse-directory", test_refuse_directory);
  g_test_add_func ("/studydeck/collection/nested-transactions", test_nested_transactions);
  g_test_add_func ("/studydeck/collection/reader", test_reader);
  g_test_add_func ("/studydeck/collection/upgrade-from-v1", test_upgrade_from_v1);

  return g_test_run ();
}
