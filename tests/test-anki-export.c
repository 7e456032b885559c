/* test-anki-export.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <zip.h>

#include "sd-anki-export.h"
#include "sd-anki-import.h"
#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-fsrs.h"
#include "sd-html-text.h"
#include "sd-library.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-test-utils.h"

/* 2026-03-02 10:00:00 UTC (tests run with TZ=UTC). */
#define NOW_S G_GINT64_CONSTANT (1772445600)

/* A 1x1 PNG, and another one. */
static const guint8 png_a[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c,
  0x02, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00,
  0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
  0xae, 0x42, 0x60, 0x82,
};
static const char png_b[] = "not really a png, but other bytes";

/* ------------------------------------------------------------------------ */
/* Helpers. */

static char *
shared_fixture (const char *name)
{
  const char *shared = g_getenv ("SHARED_DIR");
  g_autofree char *path = NULL;

  if (shared != NULL)
    path = g_build_filename (shared, "fixtures", "anki", name, NULL);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer (&path);
}

static SdCollection *
open_in (const char *dir,
         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, "collection.db", NULL);
  SdCollection *collection = sd_collection_open (path, &error);

  g_assert_no_error (error);
  return collection;
}

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

static void
exec (SdCollection *collection,
      const char   *sql)
{
  g_autoptr(GError) error = NULL;

  sd_collection_exec (collection, sql, &error);
  g_assert_no_error (error);
}

static void
export (SdCollection  *collection,
        const char    *path,
        gint64         deck_id,
        gboolean       scheduling,
        gboolean       media,
        SdExportStats *stats)
{
  g_autoptr(GError) error = NULL;
  SdAnkiExportOptions options;

  sd_anki_export_options_init (&options);
  options.deck_id = deck_id;
  options.with_scheduling = scheduling;
  options.with_media = media;
  g_assert_true (sd_anki_export_package (collection, path, &options, NULL, NULL, NULL, stats,
                                         &error));
  g_assert_no_error (error);
}

static void
import (SdCollection  *collection,
        const char    *path,
        SdImportStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_anki_import_package (collection, path, NULL, NULL, NULL, stats, &error));
  g_assert_no_error (error);
}

/* Reads one member of a zip archive. */
static GBytes *
zip_member (const char *path,
            const char *member)
{
  int err = 0;
  zip_t *archive = zip_open (path, ZIP_RDONLY, &err);
  zip_stat_t st;
  zip_file_t *file;
  guint8 *data;

  g_assert_nonnull (archive);
  if (zip_stat (archive, member, 0, &st) != 0)
    {
      zip_discard (archive);
      return NULL;
    }
  data = g_malloc (st.size + 1);
  file = zip_fopen (archive, member, 0);
  g_assert_nonnull (file);
  g_assert_cmpint (zip_fread (file, data, st.size), ==, (zip_int64_t) st.size);
  zip_fclose (file);
  zip_discard (archive);
  data[st.size] = 0;
  return g_bytes_new_take (data, st.size);
}

static GStrv
zip_members (const char *path)
{
  int err = 0;
  zip_t *archive = zip_open (path, ZIP_RDONLY, &err);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_nonnull (archive);
  for (zip_int64_t i = 0; i < zip_get_num_entries (archive, 0); i++)
    g_strv_builder_add (builder, zip_get_name (archive, (zip_uint64_t) i, 0));
  zip_discard (archive);
  return g_strv_builder_end (builder);
}

/* The collection inside a package, opened read-only from a copy. */
static sqlite3 *
open_package_db (const char *package,
                 const char *dir)
{
  g_autoptr(GBytes) bytes = zip_member (package, "collection.anki2");
  g_autofree char *path = g_build_filename (dir, "inside.anki2", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_nonnull (bytes);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

static char *
db_text (sqlite3    *db,
         const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return g_strdup ("");
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
db_int (sqlite3    *db,
        const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
assert_db_text (sqlite3    *db,
                const char *sql,
                const char *expected)
{
  g_autofree char *text = db_text (db, sql);

  g_assert_cmpstr (text, ==, expected);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Runs tests/check-export.py, the independent reader, on @package. */
static void
python_check (const char *package,
              const char *expected_json)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-export.py", NULL);
  g_autofree char *dir = g_path_get_dirname (package);
  g_autofree char *expected = g_build_filename (dir, "expected.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { python, script, package, expected, NULL };

  if (python == NULL)
    {
      g_test_message ("python3 not found: the independent check is skipped");
      return;
    }
  g_file_set_contents (expected, expected_json, -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("%s%s", out, err);
      g_assert_not_reached ();
    }
  {
    g_auto(GStrv) passed = g_strsplit (out, "\nok ", -1);
    g_test_message ("check-export.py: %u checks passed", g_strv_length (passed) - 1);
  }
}

/* ------------------------------------------------------------------------ */
/* A collection with one of everything. */

typedef struct
{
  gint64 basic, reversed, cloze, custom, marked, source;   /* note ids */
  gint64 verbs, german, lang;                              /* deck ids */
  gint64 preset;
  char  *notes_dir;
} Built;

static void
built_clear (Built *b)
{
  g_free (b->notes_dir);
}

static gint64
add_note (SdCollection       *collection,
          gint64              notetype_id,
          const char * const *fields,
          const char         *tags,
          gint64              deck_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = sd_note_new (notetype_id, fields);

  g_strfreev (note->tags);
  note->tags = sd_note_split_tags (tags);
  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_no_error (error);
  g_assert_true (sd_card_generate (collection, note, deck_id, NULL, &error));
  g_assert_no_error (error);
  return note->id;
}

static SdCard *
card_of (SdCollection *collection,
         gint64        note_id,
         int           ord)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = sd_card_list_for_note (collection, note_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < cards->len; i++)
    {
      SdCard *card = g_ptr_array_index (cards, i);
      if (card->ord == ord)
        return sd_card_copy (card);
    }
  g_assert_not_reached ();
}

static void
set_state (SdCollection *collection,
           gint64        note_id,
           int           ord,
           SdCardType    type,
           SdCardQueue   queue,
           gint64        due,
           int           interval,
           double        stability,
           double        difficulty,
           int           reps,
           int           lapses,
           int           step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = card_of (collection, note_id, ord);

  card->type = type;
  card->queue = queue;
  card->due = due;
  card->interval = interval;
  card->stability = stability;
  card->difficulty = difficulty;
  card->last_review = stability > 0 ? NOW_S - 3 * 86400 : 0;
  card->reps = reps;
  card->lapses = lapses;
  card->step = step;
  g_assert_true (sd_card_update (collection, card, &error));
  g_assert_no_error (error);
}

static void
add_review (SdCollection *collection,
            gint64        card_id,
            gint64        when_s,
            int           rating,
            SdRevlogKind  kind,
            int           interval,
            int           last_interval)
{
  g_autoptr(GError) error = NULL;
  SdRevlogEntry entry = { 0 };

  entry.id = when_s * 1000 + (card_id % 997);
  entry.card_id = card_id;
  entry.rating = rating;
  entry.kind = kind;
  entry.interval = interval;
  entry.last_interval = last_interval;
  entry.stability = 4.5;
  entry.difficulty = 5.5;
  entry.ease = (int) lround (((5.5 - 1.0) / 9.0 + 0.1) * 1000.0);
  entry.duration_ms = 4321;
  g_assert_true (sd_revlog_insert (collection, &entry, &error));
  g_assert_no_error (error);
}

static void
build_collection (SdCollection *collection,
                  const char   *dir,
                  Built        *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autoptr(SdNotetype) reversed = sd_notetype_find_stock (collection, SD_STOCK_BASIC_AND_REVERSED,
                                                          &error);
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (collection, SD_STOCK_CLOZE, &error);
  g_autoptr(SdNotetype) custom = sd_notetype_new ("Vocabulary", SD_NOTETYPE_STANDARD);
  g_autoptr(SdPreset) preset = sd_preset_new ("Intense");
  g_autoptr(GBytes) image = g_bytes_new_static (png_a, sizeof png_a);
  g_autoptr(GBytes) sound = g_bytes_new_static ("ID3", 3);
  g_autoptr(GBytes) logo = g_bytes_new_static ("logo", 4);
  g_autoptr(GBytes) unused = g_bytes_new_static ("unused", 6);
  g_autoptr(GBytes) other_cell = g_bytes_new_static (png_b, sizeof png_b - 1);
  gint64 today = sd_clock_day_number (NOW_S, 4);
  g_autofree char *stored = NULL;
  g_autoptr(SdCard) card = NULL;

  g_assert_no_error (error);

  /* Options with every value off its default. */
  g_array_set_size (preset->learn_steps, 0);
  g_array_append_vals (preset->learn_steps, (guint[]) { 60, 300, 1800 }, 3);
  g_array_set_size (preset->relearn_steps, 0);
  g_array_append_vals (preset->relearn_steps, (guint[]) { 900 }, 1);
  preset->desired_retention = 0.85;
  preset->new_per_day = 7;
  preset->reviews_per_day = 77;
  preset->max_interval = 3650;
  preset->leech_threshold = 5;
  preset->leech_suspend = FALSE;
  preset->bury_new = TRUE;
  preset->bury_interday = TRUE;
  g_free (preset->fsrs_params);
  preset->fsrs_params = g_strdup ("[0.3, 1.1, 3.2, 15.6, 7.1, 0.6, 1.9, 0.01, 1.5, 0.15, 1.0,"
                                  " 1.9, 0.11, 0.29, 2.3, 0.23, 2.9, 0.5, 0.66, 0.1, 0.2]");
  g_assert_true (sd_preset_insert (collection, preset, &error));
  g_assert_no_error (error);
  b->preset = preset->id;

  b->verbs = sd_deck_ensure (collection, "Lang::French::Verbs", &error);
  b->german = sd_deck_ensure (collection, "Lang::German", &error);
  b->lang = sd_deck_find (collection, "Lang");
  g_assert_no_error (error);
  g_assert_true (sd_deck_set_preset (collection, b->verbs, preset->id, &error));
  g_assert_true (sd_deck_set_description (collection, b->verbs, "<b>Verbs</b> to learn", &error));
  g_assert_no_error (error);

  /* A note type of our own: three fields, a conditional second card, and a
   * template image that only the styling names. */
  sd_notetype_add_field (custom, "Word");
  sd_notetype_add_field (custom, "Meaning");
  sd_notetype_add_field (custom, "Example");
  sd_notetype_add_template (custom, "Recognise", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}");
  sd_notetype_add_template (custom, "Use", "{{#Example}}{{Meaning}}{{/Example}}",
                            "{{FrontSide}}<hr id=answer>{{Word}}<br>{{Example}}");
  g_free (custom->css);
  custom->css = g_strdup (".card { background: url(\"_logo.png\"); }");
  custom->sort_field = 1;
  g_assert_true (sd_notetype_insert (collection, custom, &error));
  g_assert_no_error (error);

  stored = sd_media_add_bytes (collection, "cat.png", image, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_free);
  stored = sd_media_add_bytes (collection, "hello.mp3", sound, NULL, &error);
  g_clear_pointer (&stored, g_free);
  stored = sd_media_add_bytes (collection, "_logo.png", logo, NULL, &error);
  g_clear_pointer (&stored, g_free);
  stored = sd_media_add_bytes (collection, "_unused.png", unused, NULL, &error);
  g_clear_pointer (&stored, g_free);
  /* Taken by the collection with other bytes than the Markdown note's image. */
  stored = sd_media_add_bytes (collection, "cell.png", other_cell, NULL, &error);
  g_assert_no_error (error);

  b->basic = add_note (collection, basic->id,
                       (const char *[]) { "Le <b>chat</b> &amp; le chien",
                                          "The cat <img src=\"cat.png\"> [sound:hello.mp3]",
                                          NULL },
                       "lang::fr animals", b->verbs);
  b->reversed = add_note (collection, reversed->id,
                          (const char *[]) { "der Hund", "the dog", NULL },
                          "lang::de", b->german);
  b->cloze = add_note (collection, cloze->id,
                       (const char *[]) { "{{c1::Paris}} is the capital of {{c3::France}}",
                                          "Geography", NULL },
                       "geo", b->verbs);
  b->custom = add_note (collection, custom->id,
                        (const char *[]) { "manger", "to eat", "Je mange une pomme.", NULL },
                        "lang::fr::verbs", b->verbs);
  b->marked = add_note (collection, basic->id,
                        (const char *[]) { "1234", "a number", NULL },
                        "marked leech numbers", SD_DECK_DEFAULT_ID);

  /* Every kind of state. */
  set_state (collection, b->basic, 0, SD_CARD_REVIEW, SD_QUEUE_REVIEW, today + 5, 12,
             14.25, 4.75, 6, 1, 0);
  set_state (collection, b->reversed, 0, SD_CARD_REVIEW, SD_QUEUE_SUSPENDED, today - 2, 30,
             33.5, 6.125, 9, 0, 0);
  set_state (collection, b->reversed, 1, SD_CARD_LEARNING, SD_QUEUE_LEARNING, NOW_S + 600, 0,
             0.5, 7.0, 1, 0, 1);
  set_state (collection, b->cloze, 0, SD_CARD_RELEARNING, SD_QUEUE_DAY_LEARNING, today + 1, 20,
             2.5, 8.5, 12, 3, 0);
  set_state (collection, b->cloze, 2, SD_CARD_REVIEW, SD_QUEUE_SIBLING_BURIED, today, 3,
             3.3, 5.0, 2, 0, 0);
  set_state (collection, b->custom, 0, SD_CARD_LEARNING, SD_QUEUE_USER_BURIED, NOW_S + 60, 0,
             0.2, 9.0, 1, 0, 0);
  card = card_of (collection, b->custom, 1);
  card->flags = 3;
  g_assert_true (sd_card_update (collection, card, &error));
  g_assert_no_error (error);

  {
    g_autoptr(SdCard) reviewed = card_of (collection, b->basic, 0);
    g_autoptr(SdCard) lapsed = card_of (collection, b->cloze, 0);

    add_review (collection, reviewed->id, NOW_S - 40 * 86400, 3, SD_REVLOG_LEARNING, -600, 0);
    add_review (collection, reviewed->id, NOW_S - 3 * 86400, 3, SD_REVLOG_REVIEW, 12, 4);
    add_review (collection, lapsed->id, NOW_S - 86400, 1, SD_REVLOG_RELEARNING, -900, 20);
  }
}

/* A notes folder with a Markdown note whose card shows an image beside it. */
static void
build_markdown_note (SdCollection *collection,
                     const char   *dir,
                     Built        *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, &error);
  g_autofree char *sql = NULL;
  g_autofree char *image_path = NULL;
  g_autoptr(SdNote) note = NULL;

  b->notes_dir = g_build_filename (dir, "notes", NULL);
  sd_test_write_in (b->notes_dir, "Biology/Cell notes.md", "# Cells\n\nWhat is this? :: a cell\n");
  image_path = g_build_filename (b->notes_dir, "Biology", "img", "cell.png", NULL);
  sd_test_write_in (b->notes_dir, "Biology/img/cell.png", "");
  g_file_set_contents (image_path, (const char *) png_a, sizeof png_a, &error);
  g_assert_no_error (error);
  /* Outside the notes folder: must never end up in a package. */
  sd_test_write_in (dir, "secret.png", "private");

  sql = g_strdup_printf ("INSERT INTO note_folders (id, path, added) VALUES (7, '%s', 0);"
                         "INSERT INTO note_files (id, folder_id, relpath, title, mtime, size, hash)"
                         " VALUES (70, 7, 'Biology/Cell notes.md', 'Cell notes', 0, 0, '');",
                         b->notes_dir);
  exec (collection, sql);

  note = sd_note_new (basic->id, (const char *[]) {
                        "What is this? <img src=\"img/cell.png\" alt=\"a cell\" />",
                        "a cell <img src=\"../../secret.png\"> <img src=\"https://example.com/c.png\">",
                        NULL });
  note->source_file = 70;
  g_free (note->source_heading);
  note->source_heading = g_strdup ("Cells › Parts: the nucleus");
  g_strfreev (note->tags);
  note->tags = sd_note_split_tags ("biology");
  g_assert_true (sd_note_insert (collection, note, &error));
  g_assert_no_error (error);
  g_assert_true (sd_card_generate (collection, note, b->verbs, NULL, &error));
  g_assert_no_error (error);
  b->source = note->id;
}

/* ------------------------------------------------------------------------ */
/* Comparing two collections. */

static int
compare_str_ptr (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char *
dump_notes (SdCollection *collection,
            gboolean      with_source_tags)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                                       "SELECT id, guid, notetype_id, fields, tags, mtime,"
                                       " sort_field, checksum FROM notes WHERE id IN"
                                       " (SELECT note_id FROM cards WHERE retired = 0)"
                                       " ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) tags = sd_note_split_tags ((const char *) sqlite3_column_text (stmt, 4));
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint i = 0; tags[i] != NULL; i++)
        if (with_source_tags || !g_str_has_prefix (tags[i], "studydeck::source::"))
          g_ptr_array_add (kept, tags[i]);
      g_ptr_array_sort (kept, compare_str_ptr);
      g_string_append_printf (out, "%s|%s|%s|%s|", sqlite3_column_text (stmt, 0),
                              sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                              sqlite3_column_text (stmt, 3));
      for (guint i = 0; i < kept->len; i++)
        g_string_append_printf (out, "%s,", (char *) g_ptr_array_index (kept, i));
      g_string_append_printf (out, "|%s|%s|%s\n", sqlite3_column_text (stmt, 5),
                              sqlite3_column_text (stmt, 6), sqlite3_column_text (stmt, 7));
    }
  return g_string_free (out, FALSE);
}

/* Every card's state; deck by full name (deck ids are the importing
 * collection's). An ease of 0 on a review card leaves as Anki's 2500. */
static char *
dump_cards (SdCollection *collection,
            gboolean      scheduling)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                                       "SELECT id, note_id, deck_id, ord, type, queue, due,"
                                       " interval, ease, stability, difficulty, last_review, reps,"
                                       " lapses, step, flags, position, mtime FROM cards"
                                       " WHERE retired = 0 ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(SdDeck) deck = sd_deck_load (collection, sqlite3_column_int64 (stmt, 2), &error);
      int type = sqlite3_column_int (stmt, 4);
      int ease = sqlite3_column_int (stmt, 8);

      g_assert_no_error (error);
      if ((type == 2 || type == 3) && ease < 1300)
        ease = 2500;
      g_string_append_printf (out, "%" G_GINT64_FORMAT " note %" G_GINT64_FORMAT " %s ord %d",
                              (gint64) sqlite3_column_int64 (stmt, 0),
                              (gint64) sqlite3_column_int64 (stmt, 1), deck->full_name,
                              sqlite3_column_int (stmt, 3));
      if (scheduling)
        g_string_append_printf (out, " type %d queue %d due %" G_GINT64_FORMAT " ivl %d ease %d"
                                " s %.9g d %.9g lrt %" G_GINT64_FORMAT " reps %d lapses %d"
                                " step %d flags %d",
                                type, sqlite3_column_int (stmt, 5),
                                (gint64) sqlite3_column_int64 (stmt, 6),
                                sqlite3_column_int (stmt, 7), ease,
                                sqlite3_column_double (stmt, 9), sqlite3_column_double (stmt, 10),
                                (gint64) sqlite3_column_int64 (stmt, 11),
                                sqlite3_column_int (stmt, 12), sqlite3_column_int (stmt, 13),
                                sqlite3_column_int (stmt, 14), sqlite3_column_int (stmt, 15));
      g_string_append_printf (out, " pos %" G_GINT64_FORMAT " mod %" G_GINT64_FORMAT "\n",
                              (gint64) sqlite3_column_int64 (stmt, 16),
                              (gint64) sqlite3_column_int64 (stmt, 17));
    }
  return g_string_free (out, FALSE);
}

static char *
dump_revlog (SdCollection *collection)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                                       "SELECT id, card_id, rating, kind, interval, last_interval,"
                                       " ease, duration_ms FROM revlog ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < 8; i++)
        g_string_append_printf (out, "%s ", sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static char *
dump_notetype (SdCollection *collection,
               gint64        id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) nt = sd_notetype_load (collection, id, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_string_append_printf (out, "%s kind %d sortf %u stock %d css %s\n", nt->name, nt->kind,
                          nt->sort_field, nt->stock_kind, nt->css);
  for (guint i = 0; i < nt->fields->len; i++)
    {
      SdField *f = g_ptr_array_index (nt->fields, i);
      g_string_append_printf (out, "field %s %s %d %d %d %s\n", f->name, f->font, f->size,
                              f->rtl, f->sticky, f->description);
    }
  for (guint i = 0; i < nt->templates->len; i++)
    {
      SdCardTemplate *t = g_ptr_array_index (nt->templates, i);
      g_string_append_printf (out, "template %s [%s] [%s] [%s] [%s]\n", t->name, t->front,
                              t->back, t->browser_front, t->browser_back);
    }
  return g_string_free (out, FALSE);
}

static char *
dump_preset (SdCollection *collection,
             gint64        id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPreset) p = sd_preset_load (collection, id, &error);
  g_autofree char *learn = NULL, *relearn = NULL;
  SdFsrsParams params;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  learn = sd_preset_format_steps (p->learn_steps);
  relearn = sd_preset_format_steps (p->relearn_steps);
  g_string_append_printf (out, "%s retention %.4f learn %s relearn %s new %d rev %d max %d"
                          " leech %d %d bury %d %d %d\n",
                          p->name, p->desired_retention, learn, relearn, p->new_per_day,
                          p->reviews_per_day, p->max_interval, p->leech_threshold,
                          p->leech_suspend, p->bury_new, p->bury_reviews, p->bury_interday);
  if (p->fsrs_params[0] != '\0')
    {
      g_assert_true (sd_fsrs_params_parse_json (&params, p->fsrs_params, NULL));
      for (int i = 0; i < SD_FSRS_N_PARAMS; i++)
        g_string_append_printf (out, "%.6g ", params.w[i]);
    }
  return g_string_free (out, FALSE);
}

static void
assert_same_text (const char *what,
                  const char *a,
                  const char *b)
{
  if (g_strcmp0 (a, b) != 0)
    {
      g_printerr ("%s differ:\n--- source\n%s--- after the round trip\n%s", what, a, b);
      g_assert_cmpstr (a, ==, b);
    }
}

/* ------------------------------------------------------------------------ */
/* Tests. */

/* The media name the Markdown note's image gets: cell.png is taken. */
static char *
hashed_cell_name (void)
{
  g_autofree char *sha1 = g_compute_checksum_for_data (G_CHECKSUM_SHA1, png_a, sizeof png_a);

  return g_strdup_printf ("cell-%.8s.png", sha1);
}

#define SOURCE_TAG "studydeck::source::Cell_notes::Cells::Parts:_the_nucleus"

static void
test_round_trip (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) source = NULL;
  g_autoptr(SdCollection) target = NULL;
  g_autofree char *package = g_build_filename (dir, "deck.apkg", NULL);
  g_autofree char *cell = hashed_cell_name ();
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  SdExportStats stats = { 0 };
  SdImportStats istats = { 0 };
  Built built = { 0 };

  sd_clock_set_fixed (NOW_S * 1000);
  source = open_in (dir, "source");
  build_collection (source, dir, &built);
  build_markdown_note (source, dir, &built);

  export (source, package, 0, TRUE, TRUE, &stats);
  g_assert_cmpuint (stats.notes, ==, 6);
  /* basic 1, reversed 2, cloze c1 and c3, custom 2, marked 1, Markdown 1 */
  g_assert_cmpuint (stats.cards, ==, 9);
  g_assert_cmpuint (stats.revlog, ==, 3);
  /* cat.png, hello.mp3, _logo.png (named by the styling) and the Markdown
   * note's image; not _unused.png, not the file outside the notes folder */
  g_assert_cmpuint (stats.media, ==, 4);
  /* Default, Lang, Lang::French, Lang::French::Verbs, Lang::German */
  g_assert_cmpuint (stats.decks, ==, 5);
  g_assert_cmpuint (stats.notetypes, ==, 4);

  expected = g_strdup_printf (
    "{\"notes\": 6, \"cards\": 9, \"revlog\": 3, \"media\": 4, \"notetypes\": 4,"
    " \"decks\": [\"Default\", \"Lang\", \"Lang::French\", \"Lang::French::Verbs\","
    " \"Lang::German\"],"
    " \"media_names\": [\"_logo.png\", \"cat.png\", \"%s\", \"hello.mp3\"],"
    " \"media_sizes\": {\"cat.png\": %u, \"hello.mp3\": 3, \"_logo.png\": 4, \"%s\": %u},"
    " \"notes_by_guid\": {}}",
    cell, (guint) sizeof png_a, cell, (guint) sizeof png_a);
  python_check (package, expected);

  target = open_in (dir, "target");
  import (target, package, &istats);
  g_assert_cmpuint (istats.notes, ==, 6);
  g_assert_cmpuint (istats.cards, ==, 9);
  g_assert_cmpuint (istats.revlog, ==, 3);
  g_assert_cmpuint (istats.media, ==, 4);
  g_assert_cmpuint (istats.skipped, ==, 0);

  /* The Markdown note left with its image as a media name and a tag naming
   * where it was written; said the same way here, the notes are equal. */
  {
    g_autoptr(SdNote) note = sd_note_load (source, built.source, &error);
    g_autofree char *front = NULL;
    GStrvBuilder *tags = g_strv_builder_new ();

    g_assert_no_error (error);
    front = g_strdup_printf ("What is this? <img src=\"%s\" alt=\"a cell\" />", cell);
    g_free (note->fields[0]);
    note->fields[0] = g_steal_pointer (&front);
    g_strv_builder_addv (tags, (const char **) note->tags);
    g_strv_builder_add (tags, SOURCE_TAG);
    g_strfreev (note->tags);
    note->tags = g_strv_builder_end (tags);
    g_strv_builder_unref (tags);
    g_assert_true (sd_note_update (source, note, &error));
    g_assert_no_error (error);
  }
  a = dump_notes (source, TRUE);
  b = dump_notes (target, TRUE);
  assert_same_text ("notes", a, b);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);

  a = dump_cards (source, TRUE);
  b = dump_cards (target, TRUE);
  assert_same_text ("cards", a, b);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);

  a = dump_revlog (source);
  b = dump_revlog (target);
  assert_same_text ("review logs", a, b);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);

  /* Note types keep their ids, fields, templates and styling. */
  {
    g_autoptr(GPtrArray) types = sd_notetype_list (source, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < types->len; i++)
      {
        SdNotetype *nt = g_ptr_array_index (types, i);
        gint64 used = 0;
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM notes WHERE notetype_id = %"
                                                G_GINT64_FORMAT, nt->id);

        used = scalar (source, sql);
        if (used == 0)
          continue;
        a = dump_notetype (source, nt->id);
        b = dump_notetype (target, nt->id);
        assert_same_text ("note types", a, b);
        g_clear_pointer (&a, g_free);
        g_clear_pointer (&b, g_free);
      }
  }

  /* Decks: the same tree, description and options. */
  {
    gint64 verbs = sd_deck_find (target, "Lang::French::Verbs");
    g_autoptr(SdDeck) deck = sd_deck_load (target, verbs, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (deck->description, ==, "<b>Verbs</b> to learn");
    g_assert_cmpint (deck->preset_id, ==, built.preset);
    g_assert_cmpint (sd_deck_find (target, "Lang::German"), !=, 0);
    a = dump_preset (source, built.preset);
    b = dump_preset (target, built.preset);
    assert_same_text ("presets", a, b);
    g_clear_pointer (&a, g_free);
    g_clear_pointer (&b, g_free);
  }

  /* Media: the same bytes under the names the notes use. */
  {
    const char *names[] = { "cat.png", "hello.mp3", "_logo.png", cell };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = sd_media_get_path (target, names[i]);
        g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      }
    g_assert_cmpint (scalar (target, "SELECT count(*) FROM media"), ==, 4);
  }

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static char *
snapshot (SdCollection *collection)
{
  g_autofree char *notes = dump_notes (collection, TRUE);
  g_autofree char *cards = dump_cards (collection, TRUE);
  g_autofree char *revlog = dump_revlog (collection);
  SdCollectionCounts counts;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  return g_strdup_printf ("%" G_GINT64_FORMAT " decks %" G_GINT64_FORMAT " types %"
                          G_GINT64_FORMAT " presets %" G_GINT64_FORMAT " media\n%s%s%s",
                          counts.decks, counts.notetypes,
                          scalar (collection, "SELECT count(*) FROM presets"), counts.media,
                          notes, cards, revlog);
}

static void
test_reimport_changes_nothing (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *package = g_build_filename (dir, "deck.apkg", NULL);
  g_autofree char *before = NULL, *after = NULL;
  SdImportStats stats = { 0 };
  Built built = { 0 };

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);
  export (collection, package, 0, TRUE, TRUE, NULL);

  /* A day later the same package comes back. */
  sd_clock_set_fixed ((NOW_S + 86400) * 1000);
  before = snapshot (collection);
  import (collection, package, &stats);
  after = snapshot (collection);
  g_assert_cmpuint (stats.notes, ==, 0);
  g_assert_cmpuint (stats.cards, ==, 0);
  g_assert_cmpuint (stats.revlog, ==, 0);
  g_assert_cmpuint (stats.media, ==, 0);
  g_assert_cmpuint (stats.decks, ==, 0);
  g_assert_cmpuint (stats.notetypes, ==, 0);
  g_assert_cmpuint (stats.updated, ==, 0);
  /* 5 notes, 7 cards, 3 reviews, 3 media files */
  /* 5 notes, 8 cards, 3 reviews (and the media files the importer looks at) */
  g_assert_cmpuint (stats.skipped, >=, 5 + 8 + 3);
  assert_same_text ("collections", before, after);

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
test_deterministic (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  Built built = { 0 };
  const gboolean modes[][2] = { { TRUE, TRUE }, { FALSE, FALSE }, { TRUE, FALSE } };

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);
  build_markdown_note (collection, dir, &built);

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autofree char *first = g_build_filename (dir, "first.apkg", NULL);
      g_autofree char *second = g_build_filename (dir, "second.apkg", NULL);
      g_autoptr(GBytes) a = NULL, b = NULL;

      sd_clock_set_fixed (NOW_S * 1000);
      export (collection, first, 0, modes[m][0], modes[m][1], NULL);
      /* Another day, another hour: the clock must not matter. */
      sd_clock_set_fixed ((NOW_S + 3 * 86400 + 7 * 3600) * 1000);
      g_usleep (G_USEC_PER_SEC + 1000);
      export (collection, second, 0, modes[m][0], modes[m][1], NULL);
      a = read_file (first);
      b = read_file (second);
      g_assert_true (g_bytes_equal (a, b));
    }

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static void
test_refuses_collection_apkg (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = open_in (dir, "source");
  const char *names[] = { "collection.apkg", "Collection.APKG" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (sd_anki_export_package (collection, path, NULL, NULL, NULL, NULL, NULL,
                                              &error));
      g_assert_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_RESERVED_NAME);
      g_assert_nonnull (strstr (error->message, "AnkiDroid"));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
  sd_test_rm_rf (dir);
}

static GStrv
package_deck_names (const char *package,
                    const char *dir)
{
  sqlite3 *db = open_package_db (package, dir);
  g_autofree char *decks = db_text (db, "SELECT decks FROM col");
  g_autoptr(JsonNode) root = parse_json (decks);
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (root));
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  GStrv out;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *deck = json_object_get_object_member (json_node_get_object (root), l->data);
      g_strv_builder_add (names, json_object_get_string_member (deck, "name"));
    }
  sqlite3_close (db);
  out = g_strv_builder_end (names);
  return out;
}


static void
test_deck_subtree (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *package = g_build_filename (dir, "french.apkg", NULL);
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;
  SdExportStats stats = { 0 };
  Built built = { 0 };
  gint64 french;
  sqlite3 *db;

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);

  french = sd_deck_find (collection, "Lang::French");
  export (collection, package, french, TRUE, TRUE, &stats);
  /* Only what is under Lang::French: basic, cloze, custom; not German, not Default. */
  g_assert_cmpuint (stats.notes, ==, 3);
  g_assert_cmpuint (stats.cards, ==, 5);
  g_assert_cmpuint (stats.revlog, ==, 3);
  /* Lang::French's parent comes along, and Default */
  g_assert_cmpuint (stats.decks, ==, 4);
  names = package_deck_names (package, dir);
  qsort (names, g_strv_length (names), sizeof (char *), compare_str_ptr);
  g_assert_cmpuint (g_strv_length (names), ==, 4);
  g_assert_cmpstr (names[0], ==, "Default");
  g_assert_cmpstr (names[1], ==, "Lang");
  g_assert_cmpstr (names[2], ==, "Lang::French");
  g_assert_cmpstr (names[3], ==, "Lang::French::Verbs");

  db = open_package_db (package, dir);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM cards WHERE did NOT IN (SELECT key FROM"
                               " col, json_each (col.decks))"), ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cards WHERE did = %"
                                            G_GINT64_FORMAT, built.verbs);
    g_assert_cmpint (db_int (db, sql), ==, 5);
  }
  {
    g_autofree char *conf = db_text (db, "SELECT conf FROM col");
    g_autoptr(JsonNode) root = parse_json (conf);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "curDeck"), ==, french);
  }
  sqlite3_close (db);

  python_check (package, "{\"notes\": 3, \"cards\": 5, \"decks\": [\"Default\", \"Lang\","
                         " \"Lang::French\", \"Lang::French::Verbs\"]}");

  /* An unknown deck is an error, and no file. */
  {
    g_autofree char *other = g_build_filename (dir, "none.apkg", NULL);
    SdAnkiExportOptions options;

    sd_anki_export_options_init (&options);
    options.deck_id = 424242;
    g_assert_false (sd_anki_export_package (collection, other, &options, NULL, NULL, NULL, NULL,
                                            &error));
    g_assert_error (error, SD_ANKI_EXPORT_ERROR, SD_ANKI_EXPORT_ERROR_NO_DECK);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static void
test_without_scheduling (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) source = NULL;
  g_autoptr(SdCollection) target = NULL;
  g_autofree char *package = g_build_filename (dir, "fresh.apkg", NULL);
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *guid = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) members = NULL;
  SdExportStats stats = { 0 };
  Built built = { 0 };
  sqlite3 *db;

  sd_clock_set_fixed (NOW_S * 1000);
  source = open_in (dir, "source");
  build_collection (source, dir, &built);

  export (source, package, 0, FALSE, FALSE, &stats);
  g_assert_cmpuint (stats.cards, ==, 8);
  g_assert_cmpuint (stats.revlog, ==, 0);
  g_assert_cmpuint (stats.media, ==, 0);

  members = zip_members (package);
  g_assert_cmpuint (g_strv_length (members), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) members, "collection.anki2"));
  g_assert_true (g_strv_contains ((const char * const *) members, "media"));
  {
    g_autoptr(GBytes) map = zip_member (package, "media");
    g_assert_cmpstr (g_bytes_get_data (map, NULL), ==, "{}");
  }

  db = open_package_db (package, dir);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM cards WHERE type <> 0 OR queue <> 0"
                               " OR ivl <> 0 OR factor <> 0 OR reps <> 0 OR lapses <> 0"
                               " OR left <> 0 OR flags <> 0 OR data <> ''"), ==, 0);
  /* due is each card's original place in the new queue */
  g_assert_cmpint (db_int (db, "SELECT count(DISTINCT due) FROM cards"), ==, 8);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM revlog"), ==, 0);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM notes WHERE tags LIKE '%marked%'"
                               " OR tags LIKE '%leech%'"), ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT guid FROM notes WHERE id = %" G_GINT64_FORMAT,
                                            built.marked);
    guid = db_text (db, sql);
    assert_db_text (db, "SELECT tags FROM notes WHERE tags LIKE '%numbers%'", " numbers ");
  }
  /* Decks all point at options group 1, the only one. */
  {
    g_autofree char *dconf = db_text (db, "SELECT dconf FROM col");
    g_autoptr(JsonNode) root = parse_json (dconf);
    g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 1);
    g_assert_true (json_object_has_member (json_node_get_object (root), "1"));
    g_assert_cmpint (db_int (db, "SELECT count(*) FROM col, json_each (col.decks)"
                                 " WHERE json_extract (value, '$.conf') <> 1"), ==, 0);
  }
  sqlite3_close (db);

  expected = g_strdup_printf ("{\"scheduling\": false, \"notes\": 5, \"cards\": 8, \"revlog\": 0,"
                              " \"media\": 0, \"notes_by_guid\": {\"%s\": {\"tags\":"
                              " [\"numbers\"]}}}", guid);
  python_check (package, expected);

  /* Imported elsewhere, every card is new. */
  target = open_in (dir, "target");
  import (target, package, NULL);
  g_assert_cmpint (scalar (target, "SELECT count(*) FROM cards"), ==, 8);
  g_assert_cmpint (scalar (target, "SELECT count(*) FROM cards WHERE type = 0 AND queue = 0"), ==, 8);
  g_assert_cmpint (scalar (target, "SELECT count(*) FROM revlog"), ==, 0);
  a = dump_cards (source, FALSE);
  b = dump_cards (target, FALSE);
  assert_same_text ("cards", a, b);

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static JsonObject *
col_json (sqlite3    *db,
          const char *column,
          JsonNode  **keep)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM col", column);
  g_autofree char *text = db_text (db, sql);

  *keep = parse_json (text);
  return json_node_get_object (*keep);
}

/* What the package says, field by field, for the generated collection. */
static void
test_package_contents (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *package = g_build_filename (dir, "deck.apkg", NULL);
  g_autoptr(JsonNode) conf_node = NULL, models_node = NULL, decks_node = NULL, dconf_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNotetype) custom = NULL;
  g_autoptr(SdNotetype) cloze = NULL;
  g_autoptr(SdCard) review = NULL;
  g_autoptr(SdCard) learning = NULL;
  JsonObject *conf, *models, *decks, *dconf, *model, *deck, *group;
  gint64 created_day, crt;
  Built built = { 0 };
  sqlite3 *db;

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);
  export (collection, package, 0, TRUE, TRUE, NULL);
  db = open_package_db (package, dir);

  /* Schema 11 with Anki's indexes, a rollback-journal file. */
  g_assert_cmpint (db_int (db, "SELECT ver FROM col"), ==, 11);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM col"), ==, 1);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                               " AND name LIKE 'ix_%'"), ==, 7);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM graves"), ==, 0);
  assert_db_text (db, "PRAGMA journal_mode", "delete");
  assert_db_text (db, "SELECT tags FROM col", "{}");

  /* crt: 04:00 of the collection's first day, the earliest review 40 days
   * before now. */
  created_day = sd_clock_day_number (NOW_S - 40 * 86400, 4);
  crt = db_int (db, "SELECT crt FROM col");
  g_assert_cmpint (crt, ==, sd_clock_day_start (created_day, 4));
  g_assert_cmpint (crt % 86400, ==, 4 * 3600);

  conf = col_json (db, "conf", &conf_node);
  g_assert_cmpint (json_object_get_int_member (conf, "schedVer"), ==, 2);
  g_assert_true (json_object_get_boolean_member (conf, "sched2021"));
  g_assert_cmpint (json_object_get_int_member (conf, "creationOffset"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (conf, "rollover"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (conf, "curDeck"), ==, 1);
  g_assert_true (json_object_has_member (conf, "nextPos"));
  g_assert_true (json_object_has_member (conf, "activeDecks"));

  /* The note type of our own, with its requirements worked out. */
  custom = sd_notetype_find_by_name (collection, "Vocabulary", &error);
  g_assert_no_error (error);
  models = col_json (db, "models", &models_node);
  {
    g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, custom->id);
    g_autoptr(JsonNode) req = NULL;
    g_autofree char *req_text = NULL;

    model = json_object_get_object_member (models, key);
    g_assert_nonnull (model);
    g_assert_cmpint (json_object_get_int_member (model, "type"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (model, "sortf"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (model, "usn"), ==, -1);
    g_assert_cmpint (json_object_get_int_member (model, "originalStockKind"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (model, "css"), ==,
                     ".card { background: url(\"_logo.png\"); }");
    req = json_node_copy (json_object_get_member (model, "req"));
    req_text = json_to_string (req, FALSE);
    g_assert_cmpstr (req_text, ==, "[[0,\"any\",[0]],[1,\"all\",[1,2]]]");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (model, "flds")), ==, 3);
    {
      JsonObject *fld = json_array_get_object_element (json_object_get_array_member (model, "flds"), 2);
      JsonObject *tmpl = json_array_get_object_element (json_object_get_array_member (model, "tmpls"), 1);

      g_assert_cmpstr (json_object_get_string_member (fld, "name"), ==, "Example");
      g_assert_cmpint (json_object_get_int_member (fld, "ord"), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (fld, "font"), ==, "Arial");
      g_assert_cmpint (json_object_get_int_member (fld, "size"), ==, 20);
      g_assert_true (json_object_has_member (fld, "sticky"));
      g_assert_true (json_object_has_member (fld, "rtl"));
      g_assert_cmpstr (json_object_get_string_member (tmpl, "qfmt"), ==,
                       "{{#Example}}{{Meaning}}{{/Example}}");
      g_assert_cmpint (json_object_get_int_member (tmpl, "ord"), ==, 1);
      g_assert_true (json_object_has_member (tmpl, "bqfmt"));
      g_assert_true (json_object_has_member (tmpl, "bafmt"));
    }
  }
  cloze = sd_notetype_find_stock (collection, SD_STOCK_CLOZE, &error);
  {
    g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, cloze->id);
    g_autoptr(JsonNode) req = NULL;
    g_autofree char *req_text = NULL;

    model = json_object_get_object_member (models, key);
    g_assert_cmpint (json_object_get_int_member (model, "type"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (model, "originalStockKind"), ==, 5);
    req = json_node_copy (json_object_get_member (model, "req"));
    req_text = json_to_string (req, FALSE);
    g_assert_cmpstr (req_text, ==, "[[0,\"any\",[0]]]");
  }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT group_concat (ord) FROM (SELECT ord FROM cards"
                                            " WHERE nid = %" G_GINT64_FORMAT " ORDER BY ord)",
                                            built.cloze);
    assert_db_text (db, sql, "0,2");
  }

  /* Decks point at their options groups; groups carry our options. */
  decks = col_json (db, "decks", &decks_node);
  dconf = col_json (db, "dconf", &dconf_node);
  {
    g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, built.verbs);
    g_autofree char *group_key = g_strdup_printf ("%" G_GINT64_FORMAT, built.preset);
    JsonObject *new_, *rev, *lapse;
    JsonArray *params;

    deck = json_object_get_object_member (decks, key);
    g_assert_cmpstr (json_object_get_string_member (deck, "name"), ==, "Lang::French::Verbs");
    g_assert_cmpint (json_object_get_int_member (deck, "conf"), ==, built.preset);
    g_assert_cmpint (json_object_get_int_member (deck, "dyn"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (deck, "desc"), ==, "<b>Verbs</b> to learn");
    g_assert_true (json_object_has_member (deck, "newToday"));
    g_assert_true (json_object_has_member (json_object_get_object_member (decks, "1"), "conf"));

    group = json_object_get_object_member (dconf, group_key);
    g_assert_nonnull (group);
    g_assert_true (json_object_has_member (dconf, "1"));
    g_assert_cmpstr (json_object_get_string_member (group, "name"), ==, "Intense");
    new_ = json_object_get_object_member (group, "new");
    rev = json_object_get_object_member (group, "rev");
    lapse = json_object_get_object_member (group, "lapse");
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (new_, "delays"), 1), ==, 5);
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (new_, "delays"), 2), ==, 30);
    g_assert_cmpint (json_object_get_int_member (new_, "perDay"), ==, 7);
    g_assert_true (json_object_get_boolean_member (new_, "bury"));
    g_assert_cmpint (json_object_get_int_member (new_, "initialFactor"), ==, 2500);
    g_assert_cmpint (json_object_get_int_member (rev, "perDay"), ==, 77);
    g_assert_cmpint (json_object_get_int_member (rev, "maxIvl"), ==, 3650);
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (lapse, "delays"), 0), ==, 15);
    g_assert_cmpint (json_object_get_int_member (lapse, "leechFails"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (lapse, "leechAction"), ==, 1);
    g_assert_true (json_object_get_boolean_member (group, "buryInterdayLearning"));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (group, "desiredRetention"),
                                    0.85, 1e-9);
    params = json_object_get_array_member (group, "fsrsParams6");
    g_assert_cmpuint (json_array_get_length (params), ==, 21);
    g_assert_cmpfloat_with_epsilon (json_array_get_double_element (params, 20), 0.2, 1e-9);
    g_assert_true (json_object_has_member (group, "maxTaken"));
    g_assert_true (json_object_has_member (group, "autoplay"));
  }

  /* A review card: its due day counted from crt, its memory state in data. */
  review = card_of (collection, built.basic, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT due FROM cards WHERE id = %" G_GINT64_FORMAT,
                                            review->id);
    g_autofree char *data_sql = g_strdup_printf ("SELECT data FROM cards WHERE id = %"
                                                 G_GINT64_FORMAT, review->id);
    g_autofree char *factor_sql = g_strdup_printf ("SELECT factor FROM cards WHERE id = %"
                                                   G_GINT64_FORMAT, review->id);
    g_autofree char *data = NULL;
    g_autofree char *expected = NULL;

    g_assert_cmpint (db_int (db, sql), ==, review->due - created_day);
    g_assert_cmpint (db_int (db, sql), ==, 45);
    data = db_text (db, data_sql);
    expected = g_strdup_printf ("{\"pos\":%" G_GINT64_FORMAT ",\"s\":14.25,\"d\":4.75,\"dr\":0.85,"
                                "\"decay\":0.2,\"lrt\":%" G_GINT64_FORMAT "}",
                                review->position, NOW_S - 3 * 86400);
    g_assert_cmpstr (data, ==, expected);
    g_assert_cmpint (db_int (db, factor_sql), ==, 2500);
  }
  /* A learning card: seconds, and the steps it has left (3 steps, one done). */
  learning = card_of (collection, built.reversed, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT due || ' ' || left || ' ' || queue FROM cards"
                                            " WHERE id = %" G_GINT64_FORMAT, learning->id);
    g_autofree char *row = db_text (db, sql);
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT " 1001 1", NOW_S + 600);

    /* German uses the Default preset: 2 steps, 1 done. */
    g_assert_cmpstr (row, ==, expected);
  }

  /* Notes: Anki's tag form, sfld and csum, mod in seconds. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT tags || '|' || sfld || '|' || csum || '|' ||"
                                            " usn || '|' || mod FROM notes WHERE id = %"
                                            G_GINT64_FORMAT, built.basic);
    g_autofree char *row = db_text (db, sql);
    g_autofree char *expected = g_strdup_printf (" lang::fr animals |Le chat & le chien|%u|-1|%"
                                                 G_GINT64_FORMAT,
                                                 sd_html_text_checksum ("Le chat & le chien", -1),
                                                 NOW_S);
    g_assert_cmpstr (row, ==, expected);
    /* A numeric sort field is stored as a number, as Anki does. */
    assert_db_text (db, "SELECT typeof (sfld) FROM notes WHERE flds LIKE '1234%'", "integer");
  }
  sqlite3_close (db);

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static void
test_markdown_notes (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *package = g_build_filename (dir, "biology.apkg", NULL);
  g_autofree char *cell = hashed_cell_name ();
  g_autofree char *sql = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *map = NULL;
  g_autoptr(GBytes) map_bytes = NULL;
  Built built = { 0 };
  sqlite3 *db;

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);
  build_markdown_note (collection, dir, &built);
  /* A note whose text went from its file: its card is retired and stays home. */
  {
    g_autoptr(SdNotetype) basic = sd_notetype_find_stock (collection, SD_STOCK_BASIC, NULL);
    gint64 gone = add_note (collection, basic->id, (const char *[]) { "gone", "away", NULL }, "",
                            built.verbs);
    g_autofree char *retire = g_strdup_printf ("UPDATE cards SET retired = 1 WHERE note_id = %"
                                               G_GINT64_FORMAT, gone);
    exec (collection, retire);
  }

  export (collection, package, built.verbs, FALSE, TRUE, NULL);
  db = open_package_db (package, dir);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM notes WHERE flds LIKE 'gone%'"), ==, 0);
  sql = g_strdup_printf ("SELECT flds FROM notes WHERE id = %" G_GINT64_FORMAT, built.source);
  fields = db_text (db, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT tags FROM notes WHERE id = %" G_GINT64_FORMAT, built.source);
  tags = db_text (db, sql);
  sqlite3_close (db);

  {
    g_autofree char *expected = g_strdup_printf (
      "What is this? <img src=\"%s\" alt=\"a cell\" />\x1f"
      "a cell <img src=\"../../secret.png\"> <img src=\"https://example.com/c.png\">", cell);
    g_assert_cmpstr (fields, ==, expected);
  }
  g_assert_cmpstr (tags, ==, " biology " SOURCE_TAG " ");

  map_bytes = zip_member (package, "media");
  map = g_strndup (g_bytes_get_data (map_bytes, NULL), g_bytes_get_size (map_bytes));
  g_assert_nonnull (strstr (map, cell));
  g_assert_null (strstr (map, "secret"));
  {
    /* The image's own bytes, not the collection's other cell.png. */
    g_autoptr(JsonNode) root = parse_json (map);
    JsonObject *object = json_node_get_object (root);
    g_autoptr(GList) members = json_object_get_members (object);

    for (GList *l = members; l != NULL; l = l->next)
      if (g_str_equal (json_object_get_string_member (object, l->data), cell))
        {
          g_autoptr(GBytes) bytes = zip_member (package, l->data);
          g_assert_cmpuint (g_bytes_get_size (bytes), ==, sizeof png_a);
          g_assert_cmpmem (g_bytes_get_data (bytes, NULL), sizeof png_a, png_a, sizeof png_a);
        }
  }

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

/* Cards written in a Markdown note, through the real library scan: stock
 * note types, cmark's HTML, the note's image beside it. */
static void
test_cards_from_notes (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *image = g_build_filename (notes, "Biology", "img", "mito.png", NULL);
  g_autofree char *package = g_build_filename (dir, "bio.apkg", NULL);
  g_autofree char *fields = NULL;
  g_autofree char *tags = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(SdCollection) target = NULL;
  g_autoptr(GError) error = NULL;
  SdExportStats stats = { 0 };
  SdScanStats scanned;
  sqlite3 *db;

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  sd_test_write_in (notes, "Biology/Cells.md",
                    "---\n"
                    "deck: Bio::Cells\n"
                    "tags: [bio]\n"
                    "---\n"
                    "# Cells\n"
                    "\n"
                    "## Organelles\n"
                    "\n"
                    "What is this organelle? ![a mitochondrion](img/mito.png)::The *mitochondrion*\n"
                    "\n"
                    "Which organelle makes proteins?:::The ribosome #protein\n"
                    "\n"
                    "The {{c1::nucleus}} holds the {{c3::DNA}}.\n");
  sd_test_write_in (notes, "Biology/img/mito.png", "");
  g_file_set_contents (image, (const char *) png_a, sizeof png_a, &error);
  g_assert_no_error (error);
  sd_library_add_folder (collection, notes, &error);
  g_assert_no_error (error);
  g_assert_true (sd_library_scan (collection, NULL, &scanned, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes WHERE source_file IS NOT NULL"),
                   ==, 3);

  export (collection, package, sd_deck_find (collection, "Bio"), TRUE, TRUE, &stats);
  g_assert_cmpuint (stats.notes, ==, 3);
  g_assert_cmpuint (stats.cards, ==, 1 + 2 + 2);
  g_assert_cmpuint (stats.media, ==, 1);
  g_assert_cmpuint (stats.notetypes, ==, 3);
  python_check (package, "{\"notes\": 3, \"cards\": 5, \"media_names\": [\"mito.png\"],"
                         " \"decks\": [\"Default\", \"Bio\", \"Bio::Cells\"]}");

  db = open_package_db (package, dir);
  fields = db_text (db, "SELECT flds FROM notes WHERE flds LIKE 'What is this%'");
  g_assert_cmpstr (fields, ==, "What is this organelle? <img src=\"mito.png\" alt=\"a mitochondrion\" />"
                               "\x1fThe <em>mitochondrion</em>");
  tags = db_text (db, "SELECT tags FROM notes WHERE flds LIKE 'What is this%'");
  g_assert_cmpstr (tags, ==, " bio studydeck::source::Cells::Cells::Organelles ");
  /* Stock note types, as Anki knows them: Basic, Basic (and reversed card), Cloze. */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM col, json_each (col.models)"
                               " WHERE json_extract (value, '$.originalStockKind') IN (1, 2, 5)"),
                   ==, 3);
  assert_db_text (db, "SELECT group_concat (ord) FROM (SELECT c.ord FROM cards c JOIN notes n"
                      " ON n.id = c.nid WHERE n.flds LIKE 'The {{c1::%' ORDER BY c.ord)", "0,2");
  assert_db_text (db, "SELECT group_concat (ord) FROM (SELECT c.ord FROM cards c JOIN notes n"
                      " ON n.id = c.nid WHERE n.flds LIKE 'Which organelle%' ORDER BY c.ord)",
                  "0,1");
  sqlite3_close (db);

  /* Back in: the image under its media name, the cards where they were. */
  target = open_in (dir, "target");
  import (target, package, NULL);
  g_assert_cmpint (scalar (target, "SELECT count(*) FROM cards"), ==, 5);
  g_assert_cmpint (scalar (target, "SELECT count(*) FROM media WHERE name = 'mito.png'"), ==, 1);
  g_assert_cmpint (sd_deck_find (target, "Bio::Cells"), !=, 0);

  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

static void
fixture_round_trip (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = shared_fixture (name);
  g_autofree char *dir = NULL;
  g_autofree char *package = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(SdCollection) first = NULL;
  g_autoptr(SdCollection) second = NULL;
  SdImportStats stats = { 0 }, again = { 0 };
  SdExportStats exported = { 0 };

  if (path == NULL)
    {
      g_test_skip ("the shared fixtures are not there (set SHARED_DIR to the shared folder)");
      return;
    }
  sd_clock_set_fixed (NOW_S * 1000);
  dir = sd_test_make_dir ();
  package = g_build_filename (dir, "again.apkg", NULL);

  first = open_in (dir, "first");
  import (first, path, &stats);
  export (first, package, 0, TRUE, TRUE, &exported);
  g_assert_cmpuint (exported.notes, ==, stats.notes);
  g_assert_cmpuint (exported.cards, ==, stats.cards);
  g_assert_cmpuint (exported.revlog, ==, stats.revlog);
  expected = g_strdup_printf ("{\"notes\": %u, \"cards\": %u, \"revlog\": %u, \"strict_ords\": false}",
                              stats.notes, stats.cards, stats.revlog);
  python_check (package, expected);

  second = open_in (dir, "second");
  import (second, package, &again);
  g_assert_cmpuint (again.notes, ==, stats.notes);
  g_assert_cmpuint (again.cards, ==, stats.cards);
  g_assert_cmpuint (again.revlog, ==, stats.revlog);

  a = dump_notes (first, TRUE);
  b = dump_notes (second, TRUE);
  assert_same_text ("notes", a, b);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);
  a = dump_cards (first, TRUE);
  b = dump_cards (second, TRUE);
  assert_same_text ("cards", a, b);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);
  a = dump_revlog (first);
  b = dump_revlog (second);
  assert_same_text ("review logs", a, b);

  /* And back into the first: nothing new. */
  import (first, package, &again);
  g_assert_cmpuint (again.notes + again.cards + again.revlog + again.updated, ==, 0);

  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} CancelLater;

/* The first report comes before any row is written, the next ones while
 * the zip archive is written: cancel then. */
static void
cancel_on_second_report (guint64  done,
                         guint64  total,
                         gpointer user_data)
{
  CancelLater *later = user_data;

  if (++later->calls == 2)
    g_cancellable_cancel (later->cancellable);
}

static void
test_cancel (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *package = g_build_filename (dir, "deck.apkg", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL, after = NULL;
  Built built = { 0 };
  GDir *listing;
  const char *entry;
  guint n_files = 0;

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);

  g_cancellable_cancel (cancellable);
  g_assert_false (sd_anki_export_package (collection, package, NULL, NULL, NULL, cancellable, NULL,
                                          &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (package, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A file already there stays as it was. */
  sd_test_write_file (package, "an older package");
  before = read_file (package);
  g_assert_false (sd_anki_export_package (collection, package, NULL, NULL, NULL, cancellable, NULL,
                                          &error));
  after = read_file (package);
  g_assert_true (g_bytes_equal (before, after));

  /* Cancelled while the archive is being written: the same. */
  {
    g_autoptr(GCancellable) late = g_cancellable_new ();
    CancelLater later = { late, 0 };
    SdAnkiExportOptions options;

    sd_anki_export_options_init (&options);
    options.with_scheduling = TRUE;
    options.with_media = TRUE;
    g_clear_error (&error);
    g_assert_false (sd_anki_export_package (collection, package, &options,
                                            cancel_on_second_report, &later, late, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (later.calls, >=, 2);
    g_bytes_unref (after);
    after = read_file (package);
    g_assert_true (g_bytes_equal (before, after));
  }

  /* Nothing else beside it either. */
  listing = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (listing)) != NULL)
    if (!g_str_equal (entry, "source") && !g_str_equal (entry, "secret.png"))
      n_files++;
  g_dir_close (listing);
  g_assert_cmpuint (n_files, ==, 1);

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

typedef struct
{
  GMainLoop    *loop;
  gboolean      ok;
  GError       *error;
  SdExportStats stats;
  guint         n_progress;
  guint64       last_done;
  guint64       last_total;
} AsyncResult;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  AsyncResult *result = user_data;

  g_assert_cmpuint (done, <=, total);
  result->n_progress++;
  result->last_done = done;
  result->last_total = total;
}

static void
on_exported (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  AsyncResult *result = user_data;

  result->ok = sd_anki_export_finish (SD_COLLECTION (object), res, &result->stats, &result->error);
  g_main_loop_quit (result->loop);
}

static void
test_async (void)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = NULL;
  g_autofree char *package = g_build_filename (dir, "deck.apkg", NULL);
  AsyncResult result = { 0 };
  SdAnkiExportOptions options;
  Built built = { 0 };

  sd_clock_set_fixed (NOW_S * 1000);
  collection = open_in (dir, "source");
  build_collection (collection, dir, &built);

  sd_anki_export_options_init (&options);
  options.with_scheduling = TRUE;
  options.with_media = TRUE;
  result.loop = g_main_loop_new (NULL, FALSE);
  sd_anki_export_async (collection, package, &options, NULL, on_progress, &result, on_exported,
                        &result);
  /* The caller's connection stays usable meanwhile. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes"), ==, 5);
  g_main_loop_run (result.loop);
  g_main_loop_unref (result.loop);

  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpuint (result.stats.notes, ==, 5);
  g_assert_cmpuint (result.stats.cards, ==, 8);
  g_assert_cmpuint (result.stats.revlog, ==, 3);
  g_assert_cmpuint (result.stats.media, ==, 3);
  g_assert_cmpuint (result.n_progress, >=, 2);
  g_assert_cmpuint (result.last_done, ==, result.last_total);
  g_assert_cmpuint (result.last_total, ==, 5 + 8 + 3 + 3);
  g_assert_true (g_file_test (package, G_FILE_TEST_IS_REGULAR));

  /* Cancelled from the start: an error, and no file. */
  {
    g_autofree char *other = g_build_filename (dir, "cancelled.apkg", NULL);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    memset (&result, 0, sizeof result);
    result.loop = g_main_loop_new (NULL, FALSE);
    g_cancellable_cancel (cancellable);
    sd_anki_export_async (collection, other, &options, cancellable, NULL, NULL, on_exported,
                          &result);
    g_main_loop_run (result.loop);
    g_main_loop_unref (result.loop);
    g_assert_false (result.ok);
    g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&result.error);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }

  built_clear (&built);
  sd_test_rm_rf (dir);
  sd_clock_reset ();
}

int
main (int    argc,
      char **argv)
{
  static const char *const fixtures[] = {
    "ankidroid-templates.apkg",
    "mauriciopoppe-french-cloze-fsrs.apkg",
    "mujing-basic-word-anki21.apkg",
    "mujing-basic-word-anki21b.apkg",
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/anki-export/round-trip", test_round_trip);
  g_test_add_func ("/studydeck/anki-export/reimport-changes-nothing", test_reimport_changes_nothing);
  g_test_add_func ("/studydeck/anki-export/deterministic", test_deterministic);
  g_test_add_func ("/studydeck/anki-export/refuses-collection-apkg", test_refuses_collection_apkg);
  g_test_add_func ("/studydeck/anki-export/deck-subtree", test_deck_subtree);
  g_test_add_func ("/studydeck/anki-export/without-scheduling", test_without_scheduling);
  g_test_add_func ("/studydeck/anki-export/package-contents", test_package_contents);
  g_test_add_func ("/studydeck/anki-export/markdown-notes", test_markdown_notes);
  g_test_add_func ("/studydeck/anki-export/cards-from-notes", test_cards_from_notes);
  g_test_add_func ("/studydeck/anki-export/cancel", test_cancel);
  g_test_add_func ("/studydeck/anki-export/async", test_async);
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/studydeck/anki-export/fixture/%s", fixtures[i]);
      g_test_add_data_func (path, fixtures[i], fixture_round_trip);
    }
  return g_test_run ();
}
