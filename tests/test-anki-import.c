/* test-anki-import.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <time.h>

#include "sd-anki-import.h"
#include "sd-anki-package.h"
#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-media.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-preset.h"
#include "sd-revlog.h"
#include "sd-test-utils.h"

/* ------------------------------------------------------------------------ */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "anki", name, NULL);
}

/* A real deck from ../shared/fixtures/anki, or NULL (and the test skipped). */
static char *
shared_fixture (const char *name)
{
  const char *shared = g_getenv ("SHARED_DIR");
  g_autofree char *path = NULL;

  if (shared != NULL)
    path = g_build_filename (shared, "fixtures", "anki", name, NULL);
  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf ("%s not found (set SHARED_DIR to the shared "
                                                  "folder with fixtures/anki)", name);
      g_test_skip (message);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
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

static char *
text_query (SdCollection *collection,
            const char   *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return g_strdup ("");
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Everything a failed import must leave alone: the rows and the media folder. */
static char *
snapshot (SdCollection *collection)
{
  GString *out = g_string_new (NULL);
  SdCollectionCounts counts;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *tables[] = {
    "SELECT group_concat (id || name || preset_id, ',') FROM decks",
    "SELECT group_concat (id || name, ',') FROM notetypes",
    "SELECT group_concat (id || guid || fields || mtime, ',') FROM notes",
    "SELECT group_concat (id || due || queue, ',') FROM cards",
    "SELECT group_concat (id, ',') FROM revlog",
    "SELECT group_concat (id || name, ',') FROM presets",
    "SELECT group_concat (name || sha1, ',') FROM media",
  };
  GDir *dir;

  g_assert_true (sd_collection_get_counts (collection, &counts, &error));
  g_string_append_printf (out, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                          counts.decks, counts.notetypes, counts.notes, counts.cards,
                          counts.revlog, counts.media);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *text = text_query (collection, tables[i]);
      g_string_append_printf (out, "%s\n", text);
    }

  dir = g_dir_open (sd_collection_get_media_dir (collection), 0, NULL);
  if (dir != NULL)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (files, g_strdup (name));
      g_dir_close (dir);
    }
  g_ptr_array_sort (files, compare_names);
  g_string_append (out, "media:");
  for (guint i = 0; i < files->len; i++)
    g_string_append_printf (out, " %s", (char *) g_ptr_array_index (files, i));
  return g_string_free (out, FALSE);
}

static void
import_ok (SdCollection  *collection,
           const char    *path,
           SdImportStats *stats)
{
  g_autoptr(GError) error = NULL;

  memset (stats, 0, sizeof *stats);
  g_assert_true (sd_anki_import_file (collection, path, NULL, NULL, NULL, stats, &error));
  g_assert_no_error (error);
}

static SdNote *
note_by_guid (SdCollection *collection,
              const char   *guid)
{
  gint64 id = sd_note_find_by_guid (collection, guid);
  g_autoptr(GError) error = NULL;
  SdNote *note;

  g_assert_cmpint (id, !=, 0);
  note = sd_note_load (collection, id, &error);
  g_assert_no_error (error);
  return note;
}

/* ------------------------------------------------------------------------ */
/* Real decks. */

static void
test_legacy_templates (void)
{
  g_autofree char *path = shared_fixture ("ankidroid-templates.apkg");
  g_autofree char *dir = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(GPtrArray) decks = NULL;
  g_autoptr(SdNote) note = NULL;
  SdImportStats stats;
  const char *expected[] = {
    "1-TEMPLATES", "1-TEMPLATES::Anatomy", "1-TEMPLATES::Anatomy::BadOrderSections",
    "1-TEMPLATES::Anatomy::BadTemplate", "1-TEMPLATES::Conditionals", "1-TEMPLATES::Misc",
    "1-TEMPLATES::NestedClozes", "1-TEMPLATES::NormalClozes", "1-TEMPLATES::Reassign",
    "1-TEMPLATES::Typing broken",
  };

  if (path == NULL)
    return;
  dir = sd_test_make_dir ();
  collection = sd_test_open_collection (dir);

  import_ok (collection, path, &stats);
  g_assert_cmpuint (stats.notes, ==, 48);
  g_assert_cmpuint (stats.cards, ==, 146);
  g_assert_cmpuint (stats.revlog, ==, 102);
  g_assert_cmpuint (stats.media, ==, 0);
  g_assert_cmpuint (stats.decks, ==, 10);    /* + Default, which every collection has */
  g_assert_cmpuint (stats.notetypes, ==, 9);
  g_assert_cmpuint (stats.updated, ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 0);

  /* The deck tree, Default included. */
  decks = sd_deck_list (collection, NULL);
  g_assert_cmpuint (decks->len, ==, 11);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (sd_deck_find (collection, expected[i]), !=, 0);
  g_assert_cmpint (sd_deck_find (collection, "Default"), ==, SD_DECK_DEFAULT_ID);

  /* The two filtered decks became normal, empty decks: their 16 cards went home. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE anki_extra LIKE '%\"odid\"%'"),
                   ==, 16);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cards WHERE deck_id IN (%"
                                            G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                                            sd_deck_find (collection, expected[2]),
                                            sd_deck_find (collection, expected[3]));
    g_assert_cmpint (scalar (collection, sql), ==, 0);
  }
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM decks WHERE anki_extra LIKE '%\"dyn\":1%'"),
                   ==, 2);

  /* Learning cards keep their epoch-second due and get a replayed memory state. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE queue = 1"), ==, 15);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE queue = 1"
                                       " AND due > 1000000000 AND stability > 0"
                                       " AND last_review > 0"), ==, 15);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE type = 0"
                                       " AND stability IS NULL"), ==, 131);
  /* New cards keep their positions as due values, odd ones included. */
  g_assert_cmpint (scalar (collection, "SELECT max(due) FROM cards WHERE type = 0"), ==, 1000146);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE type = 0"
                                       " AND due <> position"), ==, 0);

  /* Fields, tags and the note type. */
  note = note_by_guid (collection, "fd6;[gN5e{");
  g_assert_cmpstr (note->fields[0], ==, "Coracobrachialis");
  g_assert_cmpstr (note->fields[1], ==, "Scapula (coracoid process)");
  g_assert_cmpstr (note->fields[2], ==, "Humerus (medial mid-shaft)");
  g_assert_true (g_str_has_prefix (note->fields[3], "Adduction at shoulder"));
  g_assert_cmpint (note->notetype_id, ==, 1370745371343);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes WHERE tags LIKE '% marked %'"),
                   ==, 1);
  {
    g_autoptr(SdNotetype) notetype = sd_notetype_load (collection, 1370745371343, NULL);
    g_assert_nonnull (notetype);
    g_assert_cmpstr (notetype->name, ==, "Muscle");
    g_assert_nonnull (strstr (notetype->anki_extra, "\"tmpls\""));
  }

  /* The review log keeps Anki's ids and values. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM revlog r JOIN cards c"
                                       " ON c.id = r.card_id"), ==, 102);

  sd_test_rm_rf (dir);
}

static void
test_anki21_and_anki21b_agree (void)
{
  g_autofree char *old_path = shared_fixture ("mujing-basic-word-anki21.apkg");
  g_autofree char *new_path = old_path ? shared_fixture ("mujing-basic-word-anki21b.apkg") : NULL;
  g_autofree char *dir_a = NULL, *dir_b = NULL;
  g_autoptr(SdCollection) a = NULL;
  g_autoptr(SdCollection) b = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  SdImportStats stats;
  guint compared = 0;

  if (new_path == NULL)
    return;
  dir_a = sd_test_make_dir ();
  dir_b = sd_test_make_dir ();
  a = sd_test_open_collection (dir_a);
  b = sd_test_open_collection (dir_b);

  import_ok (a, old_path, &stats);
  g_assert_cmpuint (stats.notes, ==, 459);
  g_assert_cmpuint (stats.cards, ==, 459);
  g_assert_cmpuint (stats.revlog, ==, 0);
  g_assert_cmpuint (stats.notetypes, ==, 1);

  import_ok (b, new_path, &stats);
  g_assert_cmpuint (stats.notes, ==, 459);
  g_assert_cmpuint (stats.cards, ==, 459);
  g_assert_cmpuint (stats.revlog, ==, 3);
  g_assert_cmpuint (stats.notetypes, ==, 1);   /* only the type the notes use */

  /* Not the Chinese placeholder in collection.anki2. */
  g_assert_cmpint (scalar (b, "SELECT count(*) FROM notes WHERE fields LIKE '%Anki%'"), ==, 0);
  g_assert_cmpint (sd_deck_find (a, "英语词汇学习"), !=, 0);
  g_assert_cmpint (sd_deck_find (b, "英语词汇学习"), !=, 0);

  /* The same note type, read from JSON and from protobuf. */
  {
    g_autoptr(SdNotetype) nta = sd_notetype_load (a, 1221680253, NULL);
    g_autoptr(SdNotetype) ntb = sd_notetype_load (b, 1221680253, NULL);

    g_assert_nonnull (nta);
    g_assert_nonnull (ntb);
    g_assert_true (sd_notetype_same_layout (nta, ntb));
    g_assert_cmpstr (nta->name, ==, ntb->name);
    g_assert_cmpstr (nta->css, ==, ntb->css);
    g_assert_cmpuint (nta->sort_field, ==, ntb->sort_field);
    g_assert_cmpuint (nta->fields->len, ==, 13);
    for (guint i = 0; i < nta->fields->len; i++)
      {
        SdField *fa = g_ptr_array_index (nta->fields, i);
        SdField *fb = g_ptr_array_index (ntb->fields, i);
        g_assert_cmpstr (fa->name, ==, fb->name);
        g_assert_cmpstr (fa->font, ==, fb->font);
        g_assert_cmpint (fa->size, ==, fb->size);
      }
  }

  /* Every note, field by field. */
  g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (a),
                                       "SELECT guid FROM notes ORDER BY guid", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *guid = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(SdNote) na = note_by_guid (a, guid);
      g_autoptr(SdNote) nb = note_by_guid (b, guid);

      g_assert_cmpuint (g_strv_length (na->fields), ==, 13);
      g_assert_cmpuint (g_strv_length (na->fields), ==, g_strv_length (nb->fields));
      for (guint i = 0; na->fields[i] != NULL; i++)
        g_assert_cmpstr (na->fields[i], ==, nb->fields[i]);
      g_assert_cmpuint (g_strv_length (na->tags), ==, g_strv_length (nb->tags));
      g_assert_cmpint (na->id, ==, nb->id);
      compared++;
    }
  g_assert_cmpuint (compared, ==, 459);

  sd_test_rm_rf (dir_a);
  sd_test_rm_rf (dir_b);
}

static void
test_french_fsrs (void)
{
  g_autofree char *path = shared_fixture ("mauriciopoppe-french-cloze-fsrs.apkg");
  g_autofree char *dir = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(SdCard) card = NULL;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(SdNotetype) notetype = NULL;
  SdImportStats stats;

  if (path == NULL)
    return;
  dir = sd_test_make_dir ();
  collection = sd_test_open_collection (dir);

  import_ok (collection, path, &stats);
  g_assert_cmpuint (stats.notes, ==, 1639);
  g_assert_cmpuint (stats.cards, ==, 1639);
  g_assert_cmpuint (stats.revlog, ==, 3470);
  g_assert_cmpuint (stats.notetypes, ==, 1);
  g_assert_cmpuint (stats.decks, ==, 2);     /* "Language French" and its subdeck */
  g_assert_cmpint (sd_deck_find (collection, "Language French::My french words and phrases"),
                   !=, 0);

  /* The custom cloze note type. */
  notetype = sd_notetype_load (collection, 1766868177780, NULL);
  g_assert_nonnull (notetype);
  g_assert_cmpint (notetype->kind, ==, SD_NOTETYPE_CLOZE);
  g_assert_cmpstr (notetype->name, ==, "My Cloze");

  /* Memory state straight from cards.data. */
  card = sd_card_load (collection, 1751469140799, NULL);
  g_assert_nonnull (card);
  g_assert_cmpfloat_with_epsilon (card->stability, 65.221, 1e-9);
  g_assert_cmpfloat_with_epsilon (card->difficulty, 1.0, 1e-9);
  g_assert_cmpint (card->last_review, ==, 1756212367);
  g_assert_cmpint (card->position, ==, 785);
  g_assert_nonnull (strstr (card->anki_extra, "\"dr\""));
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE type > 0"
                                       " AND stability > 0 AND difficulty BETWEEN 1 AND 10"
                                       " AND last_review > 0"), ==, 461);

  /* Suspended and relearning cards keep their queues and types. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE queue = -1"), ==, 47);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE type = 3"), ==, 13);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE type = 3 AND queue = 1"
                                       " AND due > 1000000000"), ==, 12);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards WHERE queue = 2"), ==, 408);

  /* Review dues moved by one constant number of days. */
  g_assert_cmpint (scalar (collection, "SELECT count(DISTINCT c.due - 0) > 1 FROM cards c"
                                       " WHERE queue = 2"), ==, 1);

  /* FSRS difficulty from the review log's factor column. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM revlog WHERE difficulty"
                                       " BETWEEN 1 AND 10"), ==, 1008);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM revlog WHERE interval < 0"), >, 0);

  note = note_by_guid (collection, "ip(nKWY%,A");
  g_assert_true (g_str_has_prefix (note->fields[0], "Écoute, là, je sors {{c1::de::of}}"));
  g_assert_cmpuint (g_strv_length (note->tags), ==, 1);
  g_assert_cmpstr (note->tags[0], ==, "2025-07-02");

  sd_test_rm_rf (dir);
}

static void
test_reimport_changes_nothing (void)
{
  const char *names[] = {
    "ankidroid-templates.apkg", "mauriciopoppe-french-cloze-fsrs.apkg",
    "mujing-basic-word-anki21b.apkg",
  };
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = shared_fixture (names[i]);
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      SdImportStats first, second;

      if (path == NULL)
        break;
      import_ok (collection, path, &first);
      before = snapshot (collection);
      import_ok (collection, path, &second);
      after = snapshot (collection);

      g_assert_cmpstr (before, ==, after);
      g_assert_cmpuint (second.notes, ==, 0);
      g_assert_cmpuint (second.cards, ==, 0);
      g_assert_cmpuint (second.revlog, ==, 0);
      g_assert_cmpuint (second.media, ==, 0);
      g_assert_cmpuint (second.decks, ==, 0);
      g_assert_cmpuint (second.notetypes, ==, 0);
      g_assert_cmpuint (second.updated, ==, 0);
      g_assert_cmpuint (second.skipped, ==, first.notes + first.cards + first.revlog);
    }

  sd_test_rm_rf (dir);
}

/* ------------------------------------------------------------------------ */
/* Generated packages. */

static void
test_scheduling (void)
{
  g_autofree char *path = fixture ("scheduling.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdPreset) preset = NULL;
  g_autoptr(SdCard) review = NULL, replayed = NULL, learning = NULL, suspended = NULL;
  g_autoptr(SdCard) filtered = NULL, fresh = NULL;
  /* crt is 2023-11-15 00:00 UTC; Anki's day 100 at noon, 100 days later. */
  const gint64 now = 1700006400 + 100 * 86400 + 12 * 3600;
  gint64 home, today;
  SdImportStats stats;

  sd_clock_set_fixed (now * 1000);
  today = sd_clock_day_number (now, 4);
  import_ok (collection, path, &stats);
  g_assert_cmpuint (stats.notes, ==, 6);
  g_assert_cmpuint (stats.cards, ==, 6);
  g_assert_cmpuint (stats.revlog, ==, 5);
  g_assert_cmpuint (stats.decks, ==, 3);

  home = sd_deck_find (collection, "Sched::Home");
  g_assert_cmpint (home, !=, 0);
  g_assert_cmpint (sd_deck_find (collection, "Sched::Filtered"), !=, 0);

  /* The options group became a preset of the deck. */
  preset = sd_preset_load_for_deck (collection, home, NULL);
  g_assert_nonnull (preset);
  g_assert_cmpint (preset->id, ==, 1700000000700);
  g_assert_cmpstr (preset->name, ==, "Exam prep");
  g_assert_cmpfloat_with_epsilon (preset->desired_retention, 0.85, 1e-9);
  g_assert_cmpint (preset->new_per_day, ==, 15);
  g_assert_cmpint (preset->reviews_per_day, ==, 150);
  g_assert_cmpint (preset->max_interval, ==, 3650);
  g_assert_cmpint (preset->leech_threshold, ==, 6);
  g_assert_false (preset->leech_suspend);
  g_assert_cmpuint (preset->learn_steps->len, ==, 2);
  g_assert_cmpuint (g_array_index (preset->learn_steps, guint, 0), ==, 60);
  g_assert_cmpuint (g_array_index (preset->learn_steps, guint, 1), ==, 600);
  g_assert_nonnull (strstr (preset->anki_extra, "\"Exam prep\""));

  /* Due in 5 days in Anki, due in 5 days here; memory from data. */
  review = sd_card_load (collection, 1700000000200, NULL);
  g_assert_cmpint (review->deck_id, ==, home);
  g_assert_cmpint (review->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (review->due, ==, today + 5);
  g_assert_cmpint (review->interval, ==, 20);
  g_assert_cmpint (review->ease, ==, 2500);
  g_assert_cmpint (review->reps, ==, 5);
  g_assert_cmpfloat_with_epsilon (review->stability, 21.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (review->difficulty, 4.25, 1e-9);
  g_assert_cmpint (review->last_review, ==, 1708000000);
  g_assert_cmpint (review->position, ==, 7);

  /* No memory in data: replayed from its four reviews. */
  replayed = sd_card_load (collection, 1700000000201, NULL);
  g_assert_cmpint (replayed->due, ==, today - 2);
  g_assert_cmpint (replayed->lapses, ==, 1);
  g_assert_cmpfloat (replayed->stability, >, 0);
  g_assert_cmpfloat (replayed->difficulty, >=, 1);
  g_assert_cmpint (replayed->last_review, ==, 1700006400 + 11 * 86400 + 4200);

  learning = sd_card_load (collection, 1700000000202, NULL);
  g_assert_cmpint (learning->queue, ==, SD_QUEUE_LEARNING);
  g_assert_cmpint (learning->due, ==, 1708700000);
  g_assert_cmpint (learning->step, ==, 1);   /* one of the preset's two steps left */

  suspended = sd_card_load (collection, 1700000000203, NULL);
  g_assert_cmpint (suspended->queue, ==, SD_QUEUE_SUSPENDED);
  g_assert_cmpint (suspended->due, ==, today - 10);

  filtered = sd_card_load (collection, 1700000000204, NULL);
  g_assert_cmpint (filtered->deck_id, ==, home);
  g_assert_cmpint (filtered->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpint (filtered->due, ==, today + 3);

  fresh = sd_card_load (collection, 1700000000205, NULL);
  g_assert_cmpint (fresh->queue, ==, SD_QUEUE_NEW);
  g_assert_cmpint (fresh->due, ==, 42);
  g_assert_cmpint (fresh->flags, ==, 1);

  /* FSRS difficulty kept from the factor column (550 -> 5.05). */
  g_assert_cmpint (scalar (collection, "SELECT round (difficulty * 100) FROM revlog"
                                       " WHERE card_id = 1700000000200"), ==, 505);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM revlog WHERE difficulty IS NULL"),
                   ==, 4);

  sd_clock_reset ();
  sd_test_rm_rf (dir);
}

static void
check_media (const char *package)
{
  g_autofree char *path = fixture (package);
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_auto(GStrv) names = NULL;
  g_autofree char *cat = NULL;
  g_autofree char *contents = NULL;
  gboolean v3 = strstr (package, "v3") != NULL;
  SdImportStats stats;

  import_ok (collection, path, &stats);
  g_assert_cmpuint (stats.notes, ==, 2);
  /* Referenced files and "_" files; never unused.png. */
  g_assert_cmpuint (stats.media, ==, v3 ? 2 : 4);
  names = sd_media_list (collection, NULL);
  g_assert_cmpuint (g_strv_length (names), ==, v3 ? 2 : 4);
  g_assert_true (g_strv_contains ((const char * const *) names, "cat.png"));
  g_assert_true (g_strv_contains ((const char * const *) names, "meow.mp3"));
  g_assert_false (g_strv_contains ((const char * const *) names, "unused.png"));
  if (!v3)
    {
      g_assert_true (g_strv_contains ((const char * const *) names, "_style.css"));
      g_assert_true (g_strv_contains ((const char * const *) names, "dog & bone.jpg"));
    }
  cat = sd_media_get_path (collection, "cat.png");
  g_assert_true (g_file_get_contents (cat, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "PNG cat");

  sd_test_rm_rf (dir);
}

static void
test_media (void)
{
  check_media ("media.apkg");
}

static void
test_media_v3 (void)
{
  check_media ("media-v3.apkg");
}

static void
test_media_renamed_on_clash (void)
{
  g_autofree char *path = fixture ("media.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GBytes) other = g_bytes_new_static ("another cat", 11);
  g_autofree char *stored = NULL;
  g_autoptr(SdNote) note = NULL;
  SdImportStats stats;

  /* The collection already has a different cat.png. */
  stored = sd_media_add_bytes (collection, "cat.png", other, NULL, NULL);
  g_assert_cmpstr (stored, ==, "cat.png");

  import_ok (collection, path, &stats);
  note = note_by_guid (collection, "media-1");
  g_assert_false (g_str_equal (note->fields[0], "<img src=\"cat.png\">"));
  g_assert_true (g_str_has_prefix (note->fields[0], "<img src=\"cat-"));
  g_assert_cmpstr (note->fields[1], ==, "[sound:meow.mp3]");

  sd_test_rm_rf (dir);
}

static void
test_newer_note_updates (void)
{
  g_autofree char *old_path = fixture ("update-old.apkg");
  g_autofree char *new_path = fixture ("update-new.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdNote) before = NULL;
  g_autoptr(SdNote) after = NULL;
  SdImportStats stats;

  import_ok (collection, old_path, &stats);
  g_assert_cmpuint (stats.notes, ==, 1);
  before = note_by_guid (collection, "guid-update");
  g_assert_cmpstr (before->fields[1], ==, "old back");

  /* Newer: updated, its card not duplicated. */
  import_ok (collection, new_path, &stats);
  g_assert_cmpuint (stats.notes, ==, 0);
  g_assert_cmpuint (stats.updated, ==, 1);
  g_assert_cmpuint (stats.cards, ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 1);
  after = note_by_guid (collection, "guid-update");
  g_assert_cmpint (after->id, ==, before->id);
  g_assert_cmpstr (after->fields[1], ==, "new back");
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM cards"), ==, 1);

  /* Older again: skipped. */
  import_ok (collection, old_path, &stats);
  g_assert_cmpuint (stats.updated, ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 2);
  g_clear_pointer (&after, sd_note_free);
  after = note_by_guid (collection, "guid-update");
  g_assert_cmpstr (after->fields[1], ==, "new back");

  sd_test_rm_rf (dir);
}

static void
test_npm_generated (void)
{
  g_autofree char *genanki = fixture ("genanki-js.apkg");
  g_autofree char *exporter = fixture ("anki-apkg-export.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(SdNote) hello = NULL, cloze = NULL, escaped = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_auto(GStrv) media = NULL;
  SdImportStats stats;
  gint64 deck;

  /* genanki-js: ids 1..N, 2-character-style guids, csum 0, a subdeck. */
  import_ok (collection, genanki, &stats);
  g_assert_cmpuint (stats.notes, ==, 4);
  g_assert_cmpuint (stats.cards, ==, 5);       /* cloze c1 and c3 */
  g_assert_cmpuint (stats.notetypes, ==, 2);
  g_assert_cmpuint (stats.media, ==, 1);
  deck = sd_deck_find (collection, "Generated::genanki-js");
  g_assert_cmpint (deck, !=, 0);
  hello = note_by_guid (collection, "gj-hello");
  g_assert_cmpstr (hello->fields[0], ==, "hello");
  g_assert_cmpstr (hello->fields[1], ==, "bonjour");
  g_assert_cmpuint (g_strv_length (hello->tags), ==, 2);
  cloze = note_by_guid (collection, "gj-cloze");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT group_concat (ord, ',') FROM cards"
                                            " WHERE note_id = %" G_GINT64_FORMAT, cloze->id);
    g_autofree char *ords = text_query (collection, sql);
    g_assert_cmpstr (ords, ==, "0,2");
  }
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes WHERE checksum = 0"), ==, 0);
  media = sd_media_list (collection, NULL);
  g_assert_cmpstr (media[0], ==, "pixel.png");

  /* anki-apkg-export: millisecond mod values and 40-hex guids. */
  import_ok (collection, exporter, &stats);
  g_assert_cmpuint (stats.notes, ==, 3);
  g_assert_cmpuint (stats.cards, ==, 3);
  g_assert_cmpuint (stats.media, ==, 0);       /* the same pixel.png is there already */
  g_assert_cmpint (sd_deck_find (collection, "Generated anki-apkg-export"), !=, 0);
  g_assert_cmpint (scalar (collection, "SELECT max(mtime) FROM notes"), <, 100000000000);
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes WHERE length (guid) = 40"),
                   ==, 3);
  {
    g_autoptr(sqlite3_stmt) stmt = NULL;
    g_assert_cmpint (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                                         "SELECT guid FROM notes WHERE fields LIKE 'a < b%'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    escaped = note_by_guid (collection, (const char *) sqlite3_column_text (stmt, 0));
  }
  g_assert_cmpstr (escaped->fields[1], ==, "<b>bold</b> answer");

  before = snapshot (collection);
  import_ok (collection, genanki, &stats);
  g_assert_cmpuint (stats.notes + stats.cards + stats.media, ==, 0);
  import_ok (collection, exporter, &stats);
  g_assert_cmpuint (stats.notes + stats.cards + stats.media, ==, 0);
  after = snapshot (collection);
  g_assert_cmpstr (before, ==, after);

  sd_test_rm_rf (dir);
}

/* ------------------------------------------------------------------------ */
/* The negative corpus: each file fails with a message naming the problem and
 * the package, and leaves the collection and media folder as they were. */

typedef struct
{
  const char *file;
  const char *message;
} BadPackage;

static const BadPackage bad_packages[] = {
  { "not-a-zip.apkg", "not a zip archive" },
  { "truncated.apkg", "damaged or truncated" },
  { "bomb-deflate.apkg", "zip bomb" },
  { "bomb-zstd.apkg", "zip bomb" },
  { "bomb-lying-size.apkg", "larger than its header says" },
  { "media-slash.apkg", "sub/x.png" },
  { "media-dotdot.apkg", "../x.png" },
  { "media-dotdot-only.apkg", "outside the media folder" },
  { "media-absolute.apkg", "absolute path" },
  { "no-collection.apkg", "no Anki collection" },
  { "corrupt-collection.apkg", "damaged" },
  { "garbage-collection.apkg", "not an SQLite database" },
  { "schema-too-new.apkg", "newer version of Anki" },
  { "meta-unknown.apkg", "newer version of Anki" },
  { "meta-zero.apkg", "newer version of Anki" },
  { "placeholder-only.apkg", "placeholder" },
  { "invalid-utf8.apkg", "guid-bad-utf8" },
  { "field-count.apkg", "has 3 fields but its note type" },
  { "does-not-exist.apkg", "no such file" },
};

static void
test_bad_package (gconstpointer data)
{
  const BadPackage *bad = data;
  g_autofree char *path = fixture (bad->file);
  g_autofree char *seed = fixture ("media.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  SdImportStats stats = { 0 };

  /* Something to lose: notes, cards and media files. */
  import_ok (collection, seed, &stats);
  before = snapshot (collection);

  g_assert_false (sd_anki_import_file (collection, path, NULL, NULL, NULL, &stats, &error));
  g_assert_nonnull (error);
  g_test_message ("%s: %s", bad->file, error->message);
  g_assert_nonnull (strstr (error->message, bad->message));
  g_assert_nonnull (strstr (error->message, bad->file));

  after = snapshot (collection);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (sd_collection_in_transaction (collection));

  sd_test_rm_rf (dir);
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  GCancellable *cancellable;
  guint64       cancel_at;
  guint64       last_done;
  guint64       last_total;
  guint         calls;
} CancelAt;

static void
cancel_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  CancelAt *at = user_data;

  at->calls++;
  at->last_done = done;
  at->last_total = total;
  if (at->cancel_at > 0 && done >= at->cancel_at)
    g_cancellable_cancel (at->cancellable);
}

static void
check_cancel (const char *path,
              guint64     cancel_at)
{
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autofree char *seed = fixture ("update-old.apkg");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CancelAt at = { cancellable, cancel_at, 0, 0, 0 };
  SdImportStats stats;

  import_ok (collection, seed, &stats);
  before = snapshot (collection);

  g_assert_false (sd_anki_import_file (collection, path, cancel_progress, &at, cancellable,
                                       &stats, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = snapshot (collection);
  g_assert_cmpstr (before, ==, after);

  sd_test_rm_rf (dir);
}

static void
test_cancel_mid_import (void)
{
  g_autofree char *path = shared_fixture ("mauriciopoppe-french-cloze-fsrs.apkg");
  g_autofree char *media = fixture ("media.apkg");

  /* While writing media files: those already written are removed again. */
  check_cancel (media, 5);

  if (path == NULL)
    return;
  /* Among the notes, among the cards, among the review log. */
  check_cancel (path, 600);
  check_cancel (path, 2000);
  check_cancel (path, 5000);
}

static void
test_progress (void)
{
  g_autofree char *path = fixture ("scheduling.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GError) error = NULL;
  CancelAt at = { NULL, 0, 0, 0, 0 };

  g_assert_true (sd_anki_import_file (collection, path, cancel_progress, &at, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (at.calls, >=, 2);
  g_assert_cmpuint (at.last_total, ==, 17);
  g_assert_cmpuint (at.last_done, ==, at.last_total);

  sd_test_rm_rf (dir);
}

typedef struct
{
  GMainLoop    *loop;
  SdCollection *collection;
  gboolean      ok;
  GError       *error;
  SdImportStats stats;
  guint         changed;
  guint         progress_calls;
  GThread      *main_thread;
} AsyncResult;

static void
async_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  AsyncResult *result = user_data;

  g_assert_true (g_thread_self () == result->main_thread);
  result->progress_calls++;
}

static void
async_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  AsyncResult *result = user_data;

  result->ok = sd_anki_import_finish (SD_COLLECTION (source), res, &result->stats,
                                      &result->error);
  g_main_loop_quit (result->loop);
}

static void
on_changed (SdCollection *collection,
            gpointer      user_data)
{
  ((AsyncResult *) user_data)->changed++;
}

static void
test_async (void)
{
  g_autofree char *path = fixture ("media.apkg");
  g_autofree char *bad = fixture ("field-count.apkg");
  g_autofree char *dir = sd_test_make_dir ();
  g_autoptr(SdCollection) collection = sd_test_open_collection (dir);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncResult result = { loop, collection, FALSE, NULL, { 0 }, 0, 0, g_thread_self () };

  g_signal_connect (collection, "changed", G_CALLBACK (on_changed), &result);
  sd_anki_import_async (collection, path, NULL, async_progress, &result, async_done, &result);
  g_main_loop_run (loop);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpuint (result.stats.notes, ==, 2);
  g_assert_cmpuint (result.changed, ==, 1);
  g_assert_cmpuint (result.progress_calls, >=, 1);
  /* The caller's own connection sees the worker's commit. */
  g_assert_cmpint (scalar (collection, "SELECT count(*) FROM notes"), ==, 2);

  sd_anki_import_async (collection, bad, NULL, NULL, NULL, async_done, &result);
  g_main_loop_run (loop);
  g_assert_false (result.ok);
  g_assert_nonnull (result.error);
  g_assert_nonnull (strstr (result.error->message, "fields"));
  g_clear_error (&result.error);
  g_assert_cmpuint (result.changed, ==, 1);

  sd_test_rm_rf (dir);
}

static void
test_package_container (void)
{
  g_autofree char *path = fixture ("media-v3.apkg");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAnkiPackage) package = sd_anki_package_open (path, &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) members = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const SdAnkiMediaEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpint (sd_anki_package_get_version (package), ==, SD_ANKI_PACKAGE_VERSION_LATEST);
  g_assert_true (sd_anki_package_has_meta (package));
  g_assert_cmpstr (sd_anki_package_get_collection_member (package), ==, "collection.anki21b");
  members = sd_anki_package_list_members (package);
  g_assert_true (g_strv_contains ((const char * const *) members, "collection.anki2"));

  entries = sd_anki_package_read_media_map (package, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->name, ==, "meow.mp3");
  g_assert_cmpstr (entry->member, ==, "1");
  g_assert_true (entry->has_sha1);
  g_assert_cmpuint (entry->size, ==, 8);
  bytes = sd_anki_package_read_media (package, entry, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "MP3 meow", 8);

  /* Tight limits turn an ordinary collection into "too large". */
  {
    g_autoptr(SdAnkiPackage) small = sd_anki_package_open (path, &error);
    g_autofree char *tmp = sd_test_make_dir ();
    g_autofree char *out = NULL;

    sd_anki_package_set_limits (small, 1000, 200);
    out = sd_anki_package_extract_collection (small, tmp, NULL, &error);
    g_assert_null (out);
    g_assert_error (error, SD_ANKI_PACKAGE_ERROR, SD_ANKI_PACKAGE_ERROR_TOO_LARGE);
    g_clear_error (&error);
    sd_test_rm_rf (tmp);
  }

  /* Legacy: no meta, the JSON map. */
  {
    g_autofree char *legacy_path = fixture ("media.apkg");
    g_autoptr(SdAnkiPackage) legacy = sd_anki_package_open (legacy_path, &error);
    g_autoptr(GPtrArray) legacy_entries = NULL;

    g_assert_no_error (error);
    g_assert_false (sd_anki_package_has_meta (legacy));
    g_assert_cmpint (sd_anki_package_get_version (legacy), ==, SD_ANKI_PACKAGE_VERSION_LEGACY_1);
    legacy_entries = sd_anki_package_read_media_map (legacy, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (legacy_entries->len, ==, 5);
  }
}

int
main (int    argc,
      char **argv)
{
  /* Day numbers in the scheduling test are computed in UTC. */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/studydeck/anki-import/legacy-templates", test_legacy_templates);
  g_test_add_func ("/studydeck/anki-import/anki21-anki21b-agree", test_anki21_and_anki21b_agree);
  g_test_add_func ("/studydeck/anki-import/french-fsrs", test_french_fsrs);
  g_test_add_func ("/studydeck/anki-import/reimport-changes-nothing", test_reimport_changes_nothing);
  g_test_add_func ("/studydeck/anki-import/scheduling", test_scheduling);
  g_test_add_func ("/studydeck/anki-import/media", test_media);
  g_test_add_func ("/studydeck/anki-import/media-v3", test_media_v3);
  g_test_add_func ("/studydeck/anki-import/media-renamed-on-clash", test_media_renamed_on_clash);
  g_test_add_func ("/studydeck/anki-import/newer-note-updates", test_newer_note_updates);
  g_test_add_func ("/studydeck/anki-import/npm-generated", test_npm_generated);
  for (guint i = 0; i < G_N_ELEMENTS (bad_packages); i++)
    {
      g_autofree char *name = g_strdup_printf ("/studydeck/anki-import/bad/%s",
                                               bad_packages[i].file);
      g_test_add_data_func (name, &bad_packages[i], test_bad_package);
    }
  g_test_add_func ("/studydeck/anki-import/cancel-mid-import", test_cancel_mid_import);
  g_test_add_func ("/studydeck/anki-import/progress", test_progress);
  g_test_add_func ("/studydeck/anki-import/async", test_async);
  g_test_add_func ("/studydeck/anki-import/package-container", test_package_container);

  return g_test_run ();
}
