/* sd-collection-schema.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-collection-private.h"
#include "sd-notetype.h"

/* Units: ids are epoch milliseconds at creation (as in Anki, so exported ids
 * stay stable), mtime columns are epoch seconds, review due dates are local
 * day numbers (days since 1970-01-01 in the collection's rollover-shifted
 * local time), learning due dates are epoch seconds. Columns named anki_*
 * keep what we do not interpret so an export gives Anki back what it gave. */
static const char schema_v1[] =
  "CREATE TABLE config ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE presets ("
  "  id                INTEGER PRIMARY KEY,"
  "  name              TEXT NOT NULL,"
  "  fsrs_params       TEXT NOT NULL DEFAULT '',"   /* JSON array of 21 numbers, '' = defaults */
  "  desired_retention REAL NOT NULL DEFAULT 0.9 CHECK (desired_retention > 0 AND desired_retention < 1),"
  "  learn_steps       TEXT NOT NULL DEFAULT '60 600',"  /* seconds, space-separated */
  "  relearn_steps     TEXT NOT NULL DEFAULT '600',"
  "  new_per_day       INTEGER NOT NULL DEFAULT 20 CHECK (new_per_day >= 0),"
  "  reviews_per_day   INTEGER NOT NULL DEFAULT 200 CHECK (reviews_per_day >= 0),"
  "  max_interval      INTEGER NOT NULL DEFAULT 36500 CHECK (max_interval >= 1),"
  "  rollover_hour     INTEGER NOT NULL DEFAULT 4 CHECK (rollover_hour BETWEEN 0 AND 23),"
  "  leech_threshold   INTEGER NOT NULL DEFAULT 8 CHECK (leech_threshold >= 0),"
  "  leech_suspend     INTEGER NOT NULL DEFAULT 1,"
  "  bury_new          INTEGER NOT NULL DEFAULT 0,"
  "  bury_reviews      INTEGER NOT NULL DEFAULT 0,"
  "  bury_interday     INTEGER NOT NULL DEFAULT 0,"
  "  mtime             INTEGER NOT NULL,"
  "  anki_extra        TEXT NOT NULL DEFAULT ''"
  ");"

  "CREATE TABLE decks ("
  "  id          INTEGER PRIMARY KEY,"
  "  parent_id   INTEGER REFERENCES decks (id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL CHECK (name <> '' AND instr (name, '::') = 0),"
  "  preset_id   INTEGER NOT NULL DEFAULT 1 REFERENCES presets (id) ON DELETE SET DEFAULT,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  collapsed   INTEGER NOT NULL DEFAULT 0,"
  "  mtime       INTEGER NOT NULL,"
  "  anki_extra  TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE UNIQUE INDEX decks_name ON decks (coalesce (parent_id, 0), name);"
  "CREATE INDEX decks_parent ON decks (parent_id);"

  "CREATE TABLE notetypes ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT NOT NULL,"
  "  kind        INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1)),"  /* 0 standard, 1 cloze */
  "  css         TEXT NOT NULL DEFAULT '',"
  "  sort_field  INTEGER NOT NULL DEFAULT 0,"
  "  stock_kind  INTEGER NOT NULL DEFAULT -1,"
  "  latex_pre   TEXT NOT NULL DEFAULT '',"
  "  latex_post  TEXT NOT NULL DEFAULT '',"
  "  mtime       INTEGER NOT NULL,"
  "  anki_extra  TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE TABLE notetype_fields ("
  "  notetype_id INTEGER NOT NULL REFERENCES notetypes (id) ON DELETE CASCADE,"
  "  ord         INTEGER NOT NULL,"
  "  name        TEXT NOT NULL,"
  "  font        TEXT NOT NULL DEFAULT 'Arial',"
  "  size        INTEGER NOT NULL DEFAULT 20,"
  "  rtl         INTEGER NOT NULL DEFAULT 0,"
  "  sticky      INTEGER NOT NULL DEFAULT 0,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  anki_extra  TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (notetype_id, ord)"
  ") WITHOUT ROWID;"
  "CREATE TABLE notetype_templates ("
  "  notetype_id INTEGER NOT NULL REFERENCES notetypes (id) ON DELETE CASCADE,"
  "  ord         INTEGER NOT NULL,"
  "  name        TEXT NOT NULL,"
  "  front       TEXT NOT NULL,"
  "  back        TEXT NOT NULL,"
  "  browser_front TEXT NOT NULL DEFAULT '',"
  "  browser_back  TEXT NOT NULL DEFAULT '',"
  "  deck_override INTEGER NOT NULL DEFAULT 0,"
  "  anki_extra  TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (notetype_id, ord)"
  ") WITHOUT ROWID;"

  "CREATE TABLE note_folders ("
  "  id     INTEGER PRIMARY KEY,"
  "  path   TEXT NOT NULL UNIQUE,"
  "  added  INTEGER NOT NULL"
  ");"
  "CREATE TABLE note_files ("
  "  id         INTEGER PRIMARY KEY,"
  "  folder_id  INTEGER NOT NULL REFERENCES note_folders (id) ON DELETE CASCADE,"
  "  relpath    TEXT NOT NULL,"
  "  title      TEXT NOT NULL,"
  "  mtime      INTEGER NOT NULL,"   /* microseconds, as GFileInfo gives them */
  "  size       INTEGER NOT NULL,"
  "  hash       TEXT NOT NULL,"      /* SHA-256 of the content */
  "  error      TEXT NOT NULL DEFAULT '',"
  "  UNIQUE (folder_id, relpath)"
  ");"
  "CREATE TABLE note_headings ("
  "  file_id INTEGER NOT NULL REFERENCES note_files (id) ON DELETE CASCADE,"
  "  ord     INTEGER NOT NULL,"
  "  level   INTEGER NOT NULL,"
  "  text    TEXT NOT NULL,"
  "  line    INTEGER NOT NULL,"
  "  PRIMARY KEY (file_id, ord)"
  ") WITHOUT ROWID;"

  "CREATE TABLE notes ("
  "  id          INTEGER PRIMARY KEY,"
  "  guid        TEXT NOT NULL UNIQUE,"
  "  notetype_id INTEGER NOT NULL REFERENCES notetypes (id),"
  "  fields      TEXT NOT NULL,"      /* values joined by U+001F, as in Anki */
  "  sort_field  TEXT NOT NULL DEFAULT '',"
  "  checksum    INTEGER NOT NULL DEFAULT 0,"
  "  tags        TEXT NOT NULL DEFAULT '',"  /* ' tag1 tag2 ' */
  "  mtime       INTEGER NOT NULL,"
  "  source_file INTEGER REFERENCES note_files (id) ON DELETE SET NULL,"
  "  source_heading TEXT NOT NULL DEFAULT '',"
  "  anki_extra  TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX notes_notetype ON notes (notetype_id);"
  "CREATE INDEX notes_checksum ON notes (checksum);"
  "CREATE INDEX notes_source ON notes (source_file) WHERE source_file IS NOT NULL;"

  "CREATE TABLE cards ("
  "  id          INTEGER PRIMARY KEY,"
  "  note_id     INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,"
  "  deck_id     INTEGER NOT NULL REFERENCES decks (id),"
  "  ord         INTEGER NOT NULL,"
  "  type        INTEGER NOT NULL DEFAULT 0 CHECK (type BETWEEN 0 AND 3),"   /* new, learning, review, relearning */
  "  queue       INTEGER NOT NULL DEFAULT 0 CHECK (queue BETWEEN -3 AND 3),"  /* Anki's queue numbers */
  "  due         INTEGER NOT NULL DEFAULT 0,"
  "  interval    INTEGER NOT NULL DEFAULT 0,"
  "  ease        INTEGER NOT NULL DEFAULT 0,"
  "  stability   REAL,"
  "  difficulty  REAL,"
  "  last_review INTEGER,"         /* epoch seconds */
  "  reps        INTEGER NOT NULL DEFAULT 0,"
  "  lapses      INTEGER NOT NULL DEFAULT 0,"
  "  step        INTEGER NOT NULL DEFAULT 0,"  /* learning steps done */
  "  flags       INTEGER NOT NULL DEFAULT 0,"
  "  position    INTEGER NOT NULL DEFAULT 0,"  /* original new-queue position */
  "  desired_retention REAL,"
  "  mtime       INTEGER NOT NULL,"
  "  anki_extra  TEXT NOT NULL DEFAULT '',"
  "  UNIQUE (note_id, ord)"
  ");"
  "CREATE INDEX cards_queue ON cards (deck_id, queue, due);"

  "CREATE TABLE revlog ("
  "  id          INTEGER PRIMARY KEY,"     /* epoch ms of the answer */
  "  card_id     INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,"
  "  rating      INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),"
  "  kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 5),"
  "  interval    INTEGER NOT NULL,"        /* days if > 0, seconds if < 0 */
  "  last_interval INTEGER NOT NULL,"
  "  ease        INTEGER NOT NULL DEFAULT 0,"
  "  stability   REAL,"
  "  difficulty  REAL,"
  "  duration_ms INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX revlog_card ON revlog (card_id, id);"

  "CREATE TABLE media ("
  "  name   TEXT PRIMARY KEY NOT NULL,"
  "  sha1   TEXT NOT NULL,"
  "  size   INTEGER NOT NULL,"
  "  mtime  INTEGER NOT NULL"
  ") WITHOUT ROWID;"

  "INSERT INTO presets (id, name, mtime) VALUES (1, 'Default', strftime ('%s', 'now'));"
  "INSERT INTO decks (id, name, mtime) VALUES (1, 'Default', strftime ('%s', 'now'));";

/* Version 2: notes are cut into sections (a heading and its text) with a
 * full-text index over titles, headings and text. The outline is the
 * sections' headings, so note_headings goes; every note is read again on
 * the next scan to fill the index. */
static const char schema_v2[] =
  "DROP TABLE note_headings;"
  "CREATE TABLE note_sections ("
  "  id      INTEGER PRIMARY KEY,"
  "  file_id INTEGER NOT NULL REFERENCES note_files (id) ON DELETE CASCADE,"
  "  ord     INTEGER NOT NULL,"
  "  level   INTEGER NOT NULL,"   /* 0 for the text before the first heading */
  "  heading TEXT NOT NULL,"
  "  line    INTEGER NOT NULL,"
  "  UNIQUE (file_id, ord)"
  ");"
  "CREATE VIRTUAL TABLE note_fts USING fts5 ("
  "  title, heading, body,"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TRIGGER note_sections_delete AFTER DELETE ON note_sections BEGIN"
  "  DELETE FROM note_fts WHERE rowid = old.id;"
  "END;"
  "UPDATE note_files SET hash = '', mtime = 0;";

/* Version 3: cards written inside notes. A note made from a card in a
 * Markdown file has an anchor: where the card is (file, heading path, lines,
 * block id), its normalised text to recognise it after an edit, and whether
 * its text is gone from the file. A retired card keeps its schedule and
 * review log but is never studied; cards.retired lets the scheduler skip it
 * on the row it already reads. A note file that goes away (removed, or its
 * folder removed) retires the cards it held: its anchors lose their file
 * through ON DELETE SET NULL and the trigger retires them; a later scan can
 * bring them back when their text shows up again. Every note is read again
 * on the next scan to find the cards it already holds. */
static const char schema_v3[] =
  "ALTER TABLE cards ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE note_anchors ("
  "  note_id     INTEGER PRIMARY KEY REFERENCES notes (id) ON DELETE CASCADE,"
  "  file_id     INTEGER REFERENCES note_files (id) ON DELETE SET NULL,"
  "  folder_id   INTEGER REFERENCES note_folders (id) ON DELETE SET NULL,"
  "  relpath     TEXT NOT NULL,"       /* where the file was, kept when it goes */
  "  kind        INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 2),"  /* basic, reversed, cloze */
  "  deck        TEXT NOT NULL,"       /* the deck the note named, as written */
  "  heading     TEXT NOT NULL DEFAULT '[]',"  /* JSON array, outermost heading first */
  "  line_start  INTEGER NOT NULL,"    /* 1-based, in the whole file */
  "  line_end    INTEGER NOT NULL,"
  "  block_id    TEXT,"                /* ^id written after the card, without the ^ */
  "  fingerprint TEXT NOT NULL,"       /* normalised front | back */
  "  position    INTEGER NOT NULL,"    /* order among the file's cards */
  "  retired     INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX note_anchors_file ON note_anchors (file_id, line_start);"
  /* Every new card asks for max(position): a note with many cards must not
   * make that a scan of all cards per card. */
  "CREATE INDEX cards_position ON cards (position);"
  "CREATE INDEX note_anchors_orphans ON note_anchors (relpath) WHERE file_id IS NULL;"
  "CREATE INDEX note_anchors_fingerprint ON note_anchors (fingerprint, retired);"
  "CREATE INDEX note_anchors_block ON note_anchors (block_id, retired) WHERE block_id IS NOT NULL;"
  "CREATE TRIGGER note_anchors_orphaned AFTER UPDATE OF file_id ON note_anchors"
  "  WHEN new.file_id IS NULL AND old.file_id IS NOT NULL BEGIN"
  "  UPDATE note_anchors SET retired = 1 WHERE note_id = new.note_id;"
  "  UPDATE cards SET retired = 1 WHERE note_id = new.note_id;"
  "END;"
  "UPDATE note_files SET hash = '', mtime = 0;";

static gboolean
seed_v1 (SdCollection  *self,
         GError       **error)
{
  return sd_notetype_add_stock (self, error);
}

const SdMigration sd_collection_migrations[] = {
  { 1, schema_v1, seed_v1 },
  { 2, schema_v2, NULL },
  { 3, schema_v3, NULL },
};

const guint sd_collection_n_migrations = G_N_ELEMENTS (sd_collection_migrations);
