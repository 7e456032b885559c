/* test-note-cards.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <utime.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-library.h"
#include "sd-note.h"
#include "sd-note-cards.h"
#include "sd-notetype.h"
#include "sd-revlog.h"
#include "sd-test-utils.h"

#define STABILITY 12.5
#define NOW_S     1767268800   /* 2026-01-01 12:00 UTC */

typedef struct
{
  char         *dir;
  char         *notes;
  SdCollection *collection;
  gint64        folder_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sd_clock_set_fixed ((gint64) NOW_S * 1000);
  f->dir = sd_test_make_dir ();
  f->notes = g_build_filename (f->dir, "notes", NULL);
  g_mkdir_with_parents (f->notes, 0700);
  f->collection = sd_test_open_collection (f->dir);
  f->folder_id = sd_library_add_folder (f->collection, f->notes, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->collection);
  sd_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->notes);
  sd_clock_reset ();
}

/* Every write gets a new modification time, so a scan never takes an edit
 * for an unchanged file, however fast the test runs. */
static void
write_note (Fixture    *f,
            const char *relpath,
            const char *text)
{
  static time_t stamp = 1700000000;
  g_autofree char *path = g_build_filename (f->notes, relpath, NULL);
  struct utimbuf times;

  sd_test_write_file (path, text);
  times.actime = times.modtime = ++stamp;
  g_assert_cmpint (utime (path, &times), ==, 0);
}

static void
move_note (Fixture    *f,
           const char *from,
           const char *to)
{
  g_autofree char *a = g_build_filename (f->notes, from, NULL);
  g_autofree char *b = g_build_filename (f->notes, to, NULL);
  g_autofree char *dir = g_path_get_dirname (b);

  g_mkdir_with_parents (dir, 0700);
  g_assert_cmpint (g_rename (a, b), ==, 0);
}

static void
remove_note (Fixture    *f,
             const char *relpath)
{
  g_autofree char *path = g_build_filename (f->notes, relpath, NULL);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

static SdScanStats
scan (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SdScanStats stats;

  g_assert_true (sd_library_scan (f->collection, NULL, &stats, &error));
  g_assert_no_error (error);
  return stats;
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3 *db = sd_collection_get_db (f->collection);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  return value;
}

/* The card (by ordinal) of the note whose first field contains @text. */
static gint64
card_for (Fixture    *f,
          const char *text,
          int         ord)
{
  sqlite3 *db = sd_collection_get_db (f->collection);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *like = g_strdup_printf ("%%%s%%", text);
  gint64 id = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id"
                                       " WHERE n.fields LIKE ? AND c.ord = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, ord);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);  /* exactly one */
  return id;
}

static gint64
card_int (Fixture    *f,
          gint64      card_id,
          const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM cards WHERE id = %" G_GINT64_FORMAT,
                                          column, card_id);
  return query_int (f, sql);
}

static gint64
count (Fixture    *f,
       const char *table_and_where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table_and_where);
  return query_int (f, sql);
}

/* Gives a card a review history: two answers and a memory state. */
static void
review (Fixture *f,
        gint64   card_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = sd_card_load (f->collection, card_id, &error);
  SdRevlogEntry entry = { 0 };

  g_assert_no_error (error);
  card->type = SD_CARD_REVIEW;
  card->queue = SD_QUEUE_REVIEW;
  card->due = NOW_S / 86400 + 10;
  card->interval = 10;
  card->stability = STABILITY;
  card->difficulty = 5.0;
  card->reps = 3;
  card->last_review = NOW_S - 86400;
  g_assert_true (sd_card_update (f->collection, card, &error));

  for (int i = 0; i < 2; i++)
    {
      entry.id = (gint64) NOW_S * 1000 - 86400000 * (2 - i) + card_id % 1000;
      entry.card_id = card_id;
      entry.rating = 3;
      entry.kind = SD_REVLOG_REVIEW;
      entry.interval = 10;
      entry.stability = STABILITY;
      entry.difficulty = 5.0;
      g_assert_true (sd_revlog_insert (f->collection, &entry, &error));
      g_assert_no_error (error);
    }
}

static void
assert_history (Fixture  *f,
                gint64    card_id,
                gboolean  retired)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCard) card = sd_card_load (f->collection, card_id, &error);
  g_autoptr(GArray) log = sd_revlog_list_for_card (f->collection, card_id, &error);

  g_assert_no_error (error);
  g_assert_cmpfloat (card->stability, ==, STABILITY);
  g_assert_cmpint (card->reps, ==, 3);
  g_assert_cmpint (card->type, ==, SD_CARD_REVIEW);
  g_assert_cmpint (card->queue, ==, SD_QUEUE_REVIEW);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpint (card_int (f, card_id, "retired"), ==, retired);
}

static gint64
file_id (Fixture    *f,
         const char *relpath)
{
  g_autofree char *path = g_build_filename (f->notes, relpath, NULL);
  g_autoptr(SdNoteFile) file = sd_library_find_file (f->collection, path);

  g_assert_nonnull (file);
  return file->id;
}

static gboolean
ids_contain (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static const char three_cards[] =
  "---\n"
  "deck: Bio::Cells\n"
  "tags: [bio]\n"
  "---\n"
  "# Cells\n"
  "\n"
  "## Organelles\n"
  "\n"
  "What is the powerhouse of the cell?::The mitochondrion\n"
  "\n"
  "Which organelle makes proteins?::The ribosome #protein\n"
  "\n"
  "What does the cell membrane do?\n"
  "?\n"
  "It controls what enters and leaves the cell.\n";

static void
test_first_scan (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, NULL);
  gint64 card;

  write_note (f, "cells.md", three_cards);
  write_note (f, "plain.md", "# Nothing\n\nNo cards here.\n");
  scan (f);

  g_assert_cmpint (count (f, "notes"), ==, 3);
  g_assert_cmpint (count (f, "cards"), ==, 3);
  g_assert_cmpint (count (f, "note_anchors"), ==, 3);
  g_assert_cmpint (sd_deck_find (f->collection, "Bio::Cells"), >, 0);
  g_assert_cmpint (count (f, "cards WHERE retired = 0"), ==, 3);

  card = card_for (f, "proteins", 0);
  note = sd_note_load (f->collection, card_int (f, card, "note_id"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (note->notetype_id, ==, basic->id);
  g_assert_cmpstr (note->fields[0], ==, "Which organelle makes proteins?");
  g_assert_cmpstr (note->fields[1], ==, "The ribosome");
  g_assert_cmpstr (note->tags[0], ==, "bio");
  g_assert_cmpstr (note->tags[1], ==, "protein");
  g_assert_cmpint (note->source_file, ==, file_id (f, "cells.md"));
  g_assert_cmpstr (note->source_heading, ==, "Cells › Organelles");
  g_assert_cmpint (card_int (f, card, "deck_id"), ==, sd_deck_find (f->collection, "Bio::Cells"));

  anchors = sd_note_cards_for_file (f->collection, file_id (f, "cells.md"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (anchors->len, ==, 3);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[0])->line_start, ==, 9);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[1])->card_id, ==, card);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[2])->line_start, ==, 13);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[2])->line_end, ==, 15);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[2])->type, ==, SD_CARD_NEW);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[2])->due_time, ==, 0);

  ids = sd_note_cards_card_ids_for_file (f->collection, file_id (f, "cells.md"), &error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, card);

  /* A scan that finds nothing changed changes nothing. */
  scan (f);
  g_assert_cmpint (card_for (f, "proteins", 0), ==, card);
  g_assert_cmpint (count (f, "notes"), ==, 3);
}

static void
test_edit_typo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (three_cards);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = NULL;
  gint64 card, other;

  write_note (f, "cells.md", text->str);
  scan (f);
  card = card_for (f, "powerhouse", 0);
  other = card_for (f, "membrane", 0);
  review (f, card);
  review (f, other);

  g_string_replace (text, "powerhouse of the cell?::The mitochondrion",
                    "powerhuose of teh cell?::The mitochondrion (plural mitochondria)", 0);
  g_string_replace (text, "It controls what enters", "It controls what comes in", 0);
  write_note (f, "cells.md", text->str);
  scan (f);

  g_assert_cmpint (card_for (f, "powerhuose", 0), ==, card);
  g_assert_cmpint (card_for (f, "membrane", 0), ==, other);
  assert_history (f, card, FALSE);
  assert_history (f, other, FALSE);
  note = sd_note_load (f->collection, card_int (f, card, "note_id"), &error);
  g_assert_cmpstr (note->fields[1], ==, "The mitochondrion (plural mitochondria)");
  g_assert_cmpint (count (f, "notes"), ==, 3);
  g_assert_cmpint (count (f, "cards"), ==, 3);
}

static void
test_insert_lines_above (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (three_cards);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNoteCardAnchor) anchor = NULL;
  gint64 card;

  write_note (f, "cells.md", text->str);
  scan (f);
  card = card_for (f, "membrane", 0);
  review (f, card);

  g_string_replace (text, "## Organelles\n",
                    "Cells were first seen in cork.\n\n"
                    "Who first saw cells?::Robert Hooke\n\n"
                    "## Organelles\n", 0);
  write_note (f, "cells.md", text->str);
  scan (f);

  g_assert_cmpint (count (f, "notes"), ==, 4);
  g_assert_cmpint (card_for (f, "membrane", 0), ==, card);
  assert_history (f, card, FALSE);
  anchor = sd_note_cards_anchor_for_card (f->collection, card, &error);
  g_assert_no_error (error);
  g_assert_cmpint (anchor->line_start, ==, 17);
  g_assert_cmpint (anchor->line_end, ==, 19);
}

static void
test_rename_heading (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (three_cards);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNoteCardAnchor) anchor = NULL;
  gint64 card;

  write_note (f, "cells.md", text->str);
  scan (f);
  card = card_for (f, "proteins", 0);
  review (f, card);

  g_string_replace (text, "## Organelles", "## Parts of a cell", 0);
  write_note (f, "cells.md", text->str);
  scan (f);

  g_assert_cmpint (card_for (f, "proteins", 0), ==, card);
  assert_history (f, card, FALSE);
  anchor = sd_note_cards_anchor_for_card (f->collection, card, &error);
  g_assert_cmpuint (g_strv_length (anchor->heading), ==, 2);
  g_assert_cmpstr (anchor->heading[1], ==, "Parts of a cell");
  g_assert_cmpint (count (f, "notes"), ==, 3);
}

static void
test_move_file (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (three_cards);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNoteCardAnchor) anchor = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *moved = NULL;
  SdScanStats stats;
  gint64 card, edited;

  write_note (f, "cells.md", text->str);
  scan (f);
  card = card_for (f, "proteins", 0);
  edited = card_for (f, "powerhouse", 0);
  review (f, card);
  review (f, edited);

  /* Renamed into a subfolder and edited in the same go. */
  move_note (f, "cells.md", "biology/cell-notes.md");
  g_string_replace (text, "powerhouse of the cell", "power house of a cell", 0);
  write_note (f, "biology/cell-notes.md", text->str);
  stats = scan (f);
  g_assert_cmpuint (stats.added, ==, 1);
  g_assert_cmpuint (stats.removed, ==, 1);

  g_assert_cmpint (card_for (f, "proteins", 0), ==, card);
  g_assert_cmpint (card_for (f, "power house", 0), ==, edited);
  assert_history (f, card, FALSE);
  assert_history (f, edited, FALSE);
  g_assert_cmpint (count (f, "notes"), ==, 3);
  g_assert_cmpint (count (f, "cards WHERE retired = 1"), ==, 0);
  g_assert_cmpint (count (f, "note_anchors WHERE file_id IS NULL"), ==, 0);

  anchor = sd_note_cards_anchor_for_card (f->collection, card, &error);
  moved = g_build_filename (f->notes, "biology", "cell-notes.md", NULL);
  g_assert_cmpstr (anchor->path, ==, moved);
  files = sd_library_list_files (f->collection, &error);
  g_assert_cmpuint (files->len, ==, 1);
}

static void
test_move_across_scans (Fixture       *f,
                        gconstpointer  data)
{
  gint64 card;

  write_note (f, "cells.md", three_cards);
  scan (f);
  card = card_for (f, "proteins", 0);
  review (f, card);

  /* Moved out of the library, then back under another name. */
  remove_note (f, "cells.md");
  scan (f);
  assert_history (f, card, TRUE);
  g_assert_cmpint (count (f, "cards WHERE retired = 1"), ==, 3);
  g_assert_cmpint (count (f, "note_anchors WHERE file_id IS NULL AND retired = 1"), ==, 3);

  write_note (f, "renamed.md", three_cards);
  scan (f);
  g_assert_cmpint (card_for (f, "proteins", 0), ==, card);
  assert_history (f, card, FALSE);
  g_assert_cmpint (count (f, "notes"), ==, 3);
  g_assert_cmpint (count (f, "cards WHERE retired = 1"), ==, 0);
  g_assert_cmpint (count (f, "note_anchors WHERE file_id IS NULL"), ==, 0);
}

static void
test_copy_is_new (Fixture       *f,
                  gconstpointer  data)
{
  gint64 card;

  write_note (f, "cells.md", three_cards);
  scan (f);
  card = card_for (f, "Which organelle", 0);
  review (f, card);

  /* A copy beside a file that still exists holds cards of its own. */
  write_note (f, "copy.md", three_cards);
  scan (f);
  g_assert_cmpint (count (f, "notes"), ==, 6);
  assert_history (f, card, FALSE);
  g_assert_cmpint (count (f, "cards WHERE retired = 1"), ==, 0);
}

static void
test_cut_and_paste (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNoteCardAnchor) anchor = NULL;
  g_autoptr(SdNoteCardAnchor) again = NULL;
  g_autofree char *b_path = g_build_filename (f->notes, "b.md", NULL);
  g_autofree char *d_path = g_build_filename (f->notes, "d.md", NULL);
  g_autofree char *f_path = g_build_filename (f->notes, "f.md", NULL);
  g_autoptr(SdNoteCardAnchor) last = NULL;
  gint64 card, other, third;

  write_note (f, "a.md", "Moving card question::its answer\n\nStaying card::stays\n");
  write_note (f, "b.md", "Other note card::other\n");
  write_note (f, "c.md", "Another travelling card::goes to d\n");
  write_note (f, "d.md", "# D\n");
  write_note (f, "e.md", "Third wandering card::to f\n");
  write_note (f, "f.md", "# F\n");
  scan (f);
  card = card_for (f, "Moving card", 0);
  other = card_for (f, "Another travelling", 0);
  review (f, card);
  review (f, other);

  /* Cut, saved and scanned; then pasted, saved and scanned. */
  write_note (f, "a.md", "Staying card::stays\n");
  scan (f);
  assert_history (f, card, TRUE);
  write_note (f, "b.md", "Other note card::other\n\nMoving card question::its answer\n");
  scan (f);
  assert_history (f, card, FALSE);
  anchor = sd_note_cards_anchor_for_card (f->collection, card, &error);
  g_assert_cmpstr (anchor->path, ==, b_path);
  g_assert_cmpint (anchor->line_start, ==, 3);

  /* Both saved before one scan, read in whatever order. */
  write_note (f, "c.md", "# C\n");
  write_note (f, "d.md", "# D\n\nAnother travelling card::goes to d\n");
  scan (f);
  assert_history (f, other, FALSE);
  again = sd_note_cards_anchor_for_card (f->collection, other, &error);
  g_assert_cmpstr (again->path, ==, d_path);
  g_assert_cmpint (count (f, "notes"), ==, 5);

  /* The same, the destination read first: the unstudied copy there gives
   * way to the card with the history. */
  third = card_for (f, "Third wandering", 0);
  review (f, third);
  g_assert_true (sd_collection_begin (f->collection, &error));
  g_assert_true (sd_note_cards_sync_file (f->collection, file_id (f, "f.md"),
                                          "# F\n\nThird wandering card::to f\n", &error));
  g_assert_cmpint (count (f, "notes"), ==, 6);
  g_assert_true (sd_note_cards_sync_file (f->collection, file_id (f, "e.md"), "# E\n", &error));
  g_assert_true (sd_collection_commit (f->collection, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "notes"), ==, 5);
  g_assert_cmpint (card_for (f, "Third wandering", 0), ==, third);
  assert_history (f, third, FALSE);
  last = sd_note_cards_anchor_for_card (f->collection, third, &error);
  g_assert_cmpstr (last->path, ==, f_path);
  g_assert_cmpint (last->line_start, ==, 3);
}

static void
test_delete_and_restore (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (three_cards);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  const char *line = "Which organelle makes proteins?::The ribosome #protein\n\n";
  gint64 card, today = NOW_S / 86400 + 30;
  g_autofree char *due_sql = g_strdup_printf ("cards WHERE retired = 0 AND queue = 2 AND due <= %"
                                              G_GINT64_FORMAT, today);

  write_note (f, "cells.md", text->str);
  scan (f);
  card = card_for (f, "proteins", 0);
  review (f, card);
  g_assert_cmpint (count (f, due_sql), ==, 1);

  g_string_replace (text, line, "", 0);
  write_note (f, "cells.md", text->str);
  scan (f);

  /* Retired: kept with its history, but not due and not the file's. */
  assert_history (f, card, TRUE);
  g_assert_cmpint (count (f, due_sql), ==, 0);
  g_assert_cmpint (count (f, "note_anchors WHERE retired = 1"), ==, 1);
  ids = sd_note_cards_card_ids_for_file (f->collection, file_id (f, "cells.md"), &error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_false (ids_contain (ids, card));
  anchors = sd_note_cards_for_file (f->collection, file_id (f, "cells.md"), &error);
  g_assert_cmpuint (anchors->len, ==, 2);

  /* The text comes back (somewhere else in the note): so does the card. */
  g_string_append (text, "\n");
  g_string_append (text, line);
  write_note (f, "cells.md", text->str);
  scan (f);
  g_assert_cmpint (card_for (f, "proteins", 0), ==, card);
  assert_history (f, card, FALSE);
  g_assert_cmpint (count (f, due_sql), ==, 1);
  g_assert_cmpint (count (f, "notes"), ==, 3);
  g_assert_cmpint (count (f, "note_anchors WHERE retired = 1"), ==, 0);
}

static void
test_cloze_numbers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SdNotetype) cloze = sd_notetype_find_stock (f->collection, SD_STOCK_CLOZE, NULL);
  gint64 c1, c2, note_id;

  write_note (f, "cloze.md", "The {{c1::mitochondrion}} makes {{c2::ATP}}.\n");
  scan (f);
  c1 = card_for (f, "mitochondrion", 0);
  c2 = card_for (f, "mitochondrion", 1);
  note_id = card_int (f, c1, "note_id");
  g_assert_cmpint (query_int (f, "SELECT notetype_id FROM notes"), ==, cloze->id);
  review (f, c2);

  write_note (f, "cloze.md", "The {{c1::mitochondrion}} makes {{c2::ATP}} from {{c3::glucose}}.\n");
  scan (f);
  g_assert_cmpint (card_for (f, "mitochondrion", 1), ==, c2);
  g_assert_cmpint (card_int (f, card_for (f, "mitochondrion", 2), "note_id"), ==, note_id);
  assert_history (f, c2, FALSE);

  /* c2 gone: its card retires, the note stays. */
  write_note (f, "cloze.md", "The {{c1::mitochondrion}} makes ATP from {{c3::glucose}}.\n");
  scan (f);
  assert_history (f, c2, TRUE);
  g_assert_cmpint (card_int (f, c1, "retired"), ==, 0);
  g_assert_cmpint (count (f, "notes"), ==, 1);
  g_assert_cmpint (count (f, "cards WHERE retired = 0"), ==, 2);

  /* And back. */
  write_note (f, "cloze.md", "The {{c1::mitochondrion}} makes {{c2::ATP}} from {{c3::glucose}}.\n");
  scan (f);
  assert_history (f, c2, FALSE);
  g_assert_cmpint (count (f, "cards"), ==, 3);
  g_assert_cmpint (count (f, "cards WHERE retired = 0"), ==, 3);
}

static void
test_block_id_wins (Fixture       *f,
                    gconstpointer  data)
{
  gint64 a, b;

  write_note (f, "ids.md",
              "Alpha question::alpha answer ^one\n"
              "Beta question::beta answer ^two\n");
  scan (f);
  a = card_for (f, "Alpha", 0);
  b = card_for (f, "Beta", 0);
  review (f, b);

  /* Rewritten beyond recognition and reordered: the ids still tell. */
  write_note (f, "ids.md",
              "Completely different wording::new ^two\n"
              "Something else entirely::other ^one\n");
  scan (f);
  g_assert_cmpint (card_for (f, "Completely different", 0), ==, b);
  g_assert_cmpint (card_for (f, "Something else", 0), ==, a);
  assert_history (f, b, FALSE);
  g_assert_cmpint (count (f, "notes"), ==, 2);
}

static void
test_reversed_toggle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SdNotetype) reversed = sd_notetype_find_stock (f->collection,
                                                           SD_STOCK_BASIC_AND_REVERSED, NULL);
  gint64 card;

  write_note (f, "r.md", "Default Service type::ClusterIP\n");
  scan (f);
  card = card_for (f, "Default Service", 0);
  review (f, card);

  write_note (f, "r.md", "Default Service type:::ClusterIP\n");
  scan (f);
  g_assert_cmpint (card_for (f, "Default Service", 0), ==, card);
  g_assert_cmpint (query_int (f, "SELECT notetype_id FROM notes"), ==, reversed->id);
  g_assert_cmpint (count (f, "cards WHERE retired = 0"), ==, 2);
  assert_history (f, card, FALSE);

  write_note (f, "r.md", "Default Service type::ClusterIP\n");
  scan (f);
  g_assert_cmpint (count (f, "cards WHERE retired = 0"), ==, 1);
  g_assert_cmpint (card_int (f, card_for (f, "Default Service", 1), "retired"), ==, 1);
  assert_history (f, card, FALSE);
}

static void
test_decks (Fixture       *f,
            gconstpointer  data)
{
  gint64 card, moved_by_hand;
  g_autoptr(GError) error = NULL;

  write_note (f, "sub/dir/n.md", "Q one::A\nQ two::B #flashcards/tagged/deck\n");
  scan (f);
  card = card_for (f, "Q one", 0);
  g_assert_cmpint (card_int (f, card, "deck_id"), ==,
                   sd_deck_find (f->collection, "notes::sub::dir"));
  g_assert_cmpint (card_int (f, card_for (f, "Q two", 0), "deck_id"), ==,
                   sd_deck_find (f->collection, "tagged::deck"));

  /* A card moved by hand stays while the note keeps naming the same deck. */
  moved_by_hand = sd_deck_ensure (f->collection, "Elsewhere", &error);
  g_assert_no_error (error);
  g_assert_true (sd_collection_exec (f->collection,
                                     "UPDATE cards SET deck_id ="
                                     " (SELECT id FROM decks WHERE name = 'Elsewhere')",
                                     &error));
  write_note (f, "sub/dir/n.md", "Q one::A edited\nQ two::B #flashcards/tagged/deck\n");
  scan (f);
  g_assert_cmpint (card_int (f, card, "deck_id"), ==, moved_by_hand);

  /* The note names another deck: its cards follow. */
  write_note (f, "sub/dir/n.md", "---\ndeck: Front::Matter\n---\nQ one::A edited\n");
  scan (f);
  g_assert_cmpint (card_for (f, "Q one", 0), ==, card);
  g_assert_cmpint (card_int (f, card, "deck_id"), ==,
                   sd_deck_find (f->collection, "Front::Matter"));

  /* A deck name the note gets wrong falls back to the folder's. */
  write_note (f, "sub/dir/n.md", "---\ndeck: Broken::::Name\n---\nQ one::A edited\n");
  scan (f);
  g_assert_cmpint (card_int (f, card, "deck_id"), ==,
                   sd_deck_find (f->collection, "notes::sub::dir"));
}

static void
test_file_and_folder_removed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 card;

  write_note (f, "a.md", "Q a::A\n");
  write_note (f, "b.md", "Q b::B\n");
  scan (f);
  card = card_for (f, "Q b", 0);
  review (f, card);

  remove_note (f, "a.md");
  scan (f);
  g_assert_cmpint (card_int (f, card_for (f, "Q a", 0), "retired"), ==, 1);
  g_assert_cmpint (card_int (f, card, "retired"), ==, 0);

  g_assert_true (sd_library_remove_folder (f->collection, f->folder_id, &error));
  assert_history (f, card, TRUE);
  g_assert_null (sd_note_cards_anchor_for_card (f->collection, card, &error));
  g_assert_no_error (error);

  /* The folder comes back: so do its cards. */
  f->folder_id = sd_library_add_folder (f->collection, f->notes, &error);
  scan (f);
  assert_history (f, card, FALSE);
  g_assert_cmpint (count (f, "notes"), ==, 2);
}

static void
test_no_cards (Fixture       *f,
               gconstpointer  data)
{
  write_note (f, "plain.md",
              "# Plain\n\nA note about `std::vector` and https://a::b with no cards.\n");
  scan (f);
  g_assert_cmpint (count (f, "notes"), ==, 0);
  g_assert_cmpint (count (f, "note_anchors"), ==, 0);

  write_note (f, "plain.md", "# Plain\n\nNow::one card\n");
  scan (f);
  g_assert_cmpint (count (f, "notes"), ==, 1);
  write_note (f, "plain.md", "# Plain\n\nNone again.\n");
  scan (f);
  g_assert_cmpint (count (f, "cards WHERE retired = 1"), ==, 1);
}

static void
test_fields (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNote) note = NULL;
  g_autoptr(SdNote) cloze = NULL;
  gint64 card;

  write_note (f, "f.md",
              "What is **bold** <script>x</script>?\n"
              "?\n"
              "- one\n"
              "- two\n"
              "\n"
              "Anki writes `{{c1::text}}` for a {{c2::deletion}}.\n");
  scan (f);
  card = card_for (f, "bold", 0);
  note = sd_note_load (f->collection, card_int (f, card, "note_id"), &error);
  g_assert_cmpstr (note->fields[0], ==, "What is <strong>bold</strong> <!-- raw HTML omitted -->x"
                                        "<!-- raw HTML omitted -->?");
  g_assert_cmpstr (note->fields[1], ==, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>");

  /* The cloze in code is text: only c2 makes a card. */
  card = card_for (f, "deletion", 1);
  g_assert_cmpint (count (f, "cards c JOIN notes n ON n.id = c.note_id"
                             " WHERE n.fields LIKE '%deletion%'"), ==, 1);
  cloze = sd_note_load (f->collection, card_int (f, card, "note_id"), &error);
  g_assert_cmpstr (cloze->fields[0], ==, "Anki writes <code>&#123;{c1::text}}</code> for a "
                                         "{{c2::deletion}}.");
  g_assert_cmpstr (cloze->fields[1], ==, "");
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SdCardSyntaxSettings) settings = sd_note_cards_get_settings (f->collection);
  g_autoptr(SdCardSyntaxSettings) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 card;

  g_assert_cmpstr (settings->inline_separator, ==, "::");
  write_note (f, "s.md",
              "Capital of France::Paris\n\nLargest planet;;Jupiter\n\nMark ==this== word\n");
  scan (f);
  card = card_for (f, "Capital of France", 0);
  g_assert_cmpint (count (f, "notes"), ==, 1);

  g_free (settings->inline_separator);
  settings->inline_separator = g_strdup (";;");
  settings->highlight_clozes = TRUE;
  g_assert_true (sd_note_cards_set_settings (f->collection, settings, &error));
  stored = sd_note_cards_get_settings (f->collection);
  g_assert_cmpstr (stored->inline_separator, ==, ";;");
  g_assert_true (stored->highlight_clozes);

  g_assert_true (sd_note_cards_sync_all (f->collection, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (card_int (f, card, "retired"), ==, 1);
  g_assert_cmpint (card_int (f, card_for (f, "Largest planet", 0), "retired"), ==, 0);
  g_assert_cmpint (card_int (f, card_for (f, "{{c1::this}}", 0), "retired"), ==, 0);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  sd_note_cards_apply_settings_finish (SD_COLLECTION (source), result, error);
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static gboolean
apply_settings (Fixture              *f,
                SdCardSyntaxSettings *settings,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GError) result = NULL;

  sd_note_cards_apply_settings_async (f->collection, settings, cancellable, applied_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (result, G_IO_ERROR, G_IO_ERROR_EXISTS))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&result));
  return FALSE;
}

/* A new syntax and the cards read with it land together, or not at all. */
static void
test_apply_settings_async (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SdCardSyntaxSettings) settings = sd_note_cards_get_settings (f->collection);
  g_autoptr(SdCardSyntaxSettings) stored = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 card;

  write_note (f, "s.md", "Capital of France::Paris\n\nLargest planet;;Jupiter\n");
  scan (f);
  card = card_for (f, "Capital of France", 0);
  g_free (settings->inline_separator);
  settings->inline_separator = g_strdup (";;");

  g_cancellable_cancel (cancellable);
  g_assert_false (apply_settings (f, settings, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  stored = sd_note_cards_get_settings (f->collection);
  g_assert_cmpstr (stored->inline_separator, ==, "::");
  g_assert_cmpint (card_int (f, card, "retired"), ==, 0);

  g_assert_true (apply_settings (f, settings, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, sd_card_syntax_settings_free);
  stored = sd_note_cards_get_settings (f->collection);
  g_assert_cmpstr (stored->inline_separator, ==, ";;");
  g_assert_cmpint (card_int (f, card, "retired"), ==, 1);
  g_assert_cmpint (card_int (f, card_for (f, "Largest planet", 0), "retired"), ==, 0);
}

static void
test_anchor_api (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNoteCardAnchor) anchor = NULL;
  g_autoptr(SdNoteCardAnchor) none = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(SdNotetype) basic = sd_notetype_find_stock (f->collection, SD_STOCK_BASIC, NULL);
  g_autoptr(SdNote) loose = NULL;
  g_autofree char *path = g_build_filename (f->notes, "cells.md", NULL);
  const char *fields[] = { "front", "back", NULL };
  gint64 card, loose_card;
  g_autoptr(GPtrArray) loose_cards = NULL;

  write_note (f, "cells.md", three_cards);
  scan (f);
  card = card_for (f, "membrane", 0);
  review (f, card);

  anchor = sd_note_cards_anchor_for_card (f->collection, card, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (anchor->path, ==, path);
  g_assert_cmpint (anchor->line_start, ==, 13);
  g_assert_cmpint (anchor->line_end, ==, 15);
  g_assert_cmpstr (anchor->heading[0], ==, "Cells");
  g_assert_cmpstr (anchor->heading[1], ==, "Organelles");
  g_assert_null (anchor->heading[2]);
  g_assert_null (anchor->block_id);
  g_assert_cmpint (anchor->kind, ==, SD_CARD_SYNTAX_BASIC);
  g_assert_false (anchor->retired);

  anchors = sd_note_cards_for_file (f->collection, file_id (f, "cells.md"), &error);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[2])->type, ==, SD_CARD_REVIEW);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[2])->due_time, ==,
                   sd_clock_day_start (NOW_S / 86400 + 10, 4));

  /* A card that comes from no note has no anchor. */
  loose = sd_note_new (basic->id, fields);
  g_assert_true (sd_note_insert (f->collection, loose, &error));
  g_assert_true (sd_card_generate (f->collection, loose, SD_DECK_DEFAULT_ID, NULL, &error));
  loose_cards = sd_card_list_for_note (f->collection, loose->id, &error);
  loose_card = ((SdCard *) loose_cards->pdata[0])->id;
  none = sd_note_cards_anchor_for_card (f->collection, loose_card, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static char *
samples_dir (void)
{
  const char *env = g_getenv ("SAMPLES_DIR");

  if (env != NULL)
    return g_strdup (env);
  return g_test_build_filename (G_TEST_DIST, "..", "data", "samples", NULL);
}

static gint64
cards_in_deck (Fixture    *f,
               const char *deck)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM cards"
                                          " WHERE deck_id = %" G_GINT64_FORMAT,
                                          sd_deck_find (f->collection, deck));
  return query_int (f, sql);
}

static void
test_samples (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *samples = samples_dir ();
  g_autofree char *lab = g_build_filename (samples, "lab", "lab-1-first-deployment.md", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdNoteFile) file = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(SdNote) note = NULL;
  gint64 card;

  g_assert_cmpint (sd_library_add_folder (f->collection, samples, &error), >, 0);
  scan (f);

  g_assert_cmpint (count (f, "notes"), ==, 19);
  g_assert_cmpint (count (f, "cards"), ==, 25);
  g_assert_cmpint (cards_in_deck (f, "Containers::Basics"), ==, 6);
  g_assert_cmpint (cards_in_deck (f, "Containers::Registries"), ==, 4);
  g_assert_cmpint (cards_in_deck (f, "Containers::Kubernetes"), ==, 13);
  g_assert_cmpint (cards_in_deck (f, "Containers::Kubernetes::Labs"), ==, 2);
  g_assert_cmpint (count (f, "notes n JOIN notetypes t ON t.id = n.notetype_id"
                             " WHERE t.stock_kind = 0"), ==, 13);
  g_assert_cmpint (count (f, "notes n JOIN notetypes t ON t.id = n.notetype_id"
                             " WHERE t.stock_kind = 1"), ==, 4);
  g_assert_cmpint (count (f, "notes n JOIN notetypes t ON t.id = n.notetype_id"
                             " WHERE t.stock_kind = 4"), ==, 2);

  card = card_for (f, "Which Dockerfile instructions", 0);
  note = sd_note_load (f->collection, card_int (f, card, "note_id"), &error);
  g_assert_cmpstr (note->fields[1], ==, "<code>RUN</code>, <code>COPY</code> and <code>ADD</code>");

  file = sd_library_find_file (f->collection, lab);
  g_assert_nonnull (file);
  anchors = sd_note_cards_for_file (f->collection, file->id, &error);
  g_assert_cmpuint (anchors->len, ==, 2);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[0])->line_start, ==, 70);
  g_assert_cmpint (((SdNoteCardAnchor *) anchors->pdata[0])->line_end, ==, 73);
  g_assert_cmpstr (((SdNoteCardAnchor *) anchors->pdata[1])->heading[1], ==, "Questions");
  g_assert_true (sd_collection_check_integrity (f->collection, &error));
  g_assert_no_error (error);
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
  gsize len;

  g_assert_true (g_file_get_contents (fixture, &contents, &len, &error));
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  collection = sd_collection_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_collection_get_schema_version (collection), >=, 3);
  g_assert_cmpint (sd_collection_scalar (collection,
                                         "SELECT count(*) FROM cards WHERE retired = 0", -1),
                   ==, 1);
  g_assert_cmpint (sd_collection_scalar (collection,
                                         "SELECT count(*) FROM note_anchors", -1), ==, 0);
  g_assert_true (sd_collection_check_integrity (collection, &error));
  g_clear_object (&collection);
  sd_test_rm_rf (dir);
}

#define ADD(name, func) \
  g_test_add ("/studydeck/note-cards/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("first-scan", test_first_scan);
  ADD ("edit-typo", test_edit_typo);
  ADD ("insert-lines-above", test_insert_lines_above);
  ADD ("rename-heading", test_rename_heading);
  ADD ("move-file", test_move_file);
  ADD ("move-across-scans", test_move_across_scans);
  ADD ("copy-is-new", test_copy_is_new);
  ADD ("cut-and-paste", test_cut_and_paste);
  ADD ("delete-and-restore", test_delete_and_restore);
  ADD ("cloze-numbers", test_cloze_numbers);
  ADD ("block-id-wins", test_block_id_wins);
  ADD ("reversed-toggle", test_reversed_toggle);
  ADD ("decks", test_decks);
  ADD ("file-and-folder-removed", test_file_and_folder_removed);
  ADD ("no-cards", test_no_cards);
  ADD ("fields", test_fields);
  ADD ("settings", test_settings);
  ADD ("apply-settings-async", test_apply_settings_async);
  ADD ("anchor-api", test_anchor_api);
  ADD ("samples", test_samples);
  g_test_add_func ("/studydeck/note-cards/upgrade-from-v1", test_upgrade_from_v1);

  return g_test_run ();
}
