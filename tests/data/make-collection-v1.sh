#!/bin/sh
# Writes collection-v1.db: a collection in schema version 1 with a deck tree,
# a note, its card and two reviews, for the test that opens and upgrades a
# file written by an older StudyDeck. It needs a studydeck-cli that writes
# schema 1 (any build of commit 7cfa91f, "Add make run/test, CI with a
# sanitizer pass, …"); later builds write newer schemas.
#   tests/data/make-collection-v1.sh path/to/studydeck-cli
set -eu

cli=$1
out=$(dirname "$0")/collection-v1.db
rm -f "$out" "$out-wal" "$out-shm"

"$cli" --collection "$out" info --json | grep -q '"schema":1'

sqlite3 "$out" <<'SQL'
PRAGMA foreign_keys = ON;
INSERT INTO decks (id, parent_id, name, mtime) VALUES (1700000000001, NULL, 'Biology', 1700000000);
INSERT INTO decks (id, parent_id, name, mtime) VALUES (1700000000002, 1700000000001, 'Cells', 1700000000);
INSERT INTO notes (id, guid, notetype_id, fields, sort_field, checksum, tags, mtime)
  SELECT 1700000000100, 'v1guid', id, 'What is the powerhouse of the cell?' || char (31) || 'The mitochondrion',
         'What is the powerhouse of the cell?', 0, ' biology cells ', 1700000000
  FROM notetypes WHERE stock_kind = 0;
INSERT INTO cards (id, note_id, deck_id, ord, type, queue, due, interval, stability, difficulty,
                   last_review, reps, lapses, mtime)
  VALUES (1700000000200, 1700000000100, 1700000000002, 0, 2, 2, 19700, 12, 12.5, 4.2,
          1700000000, 2, 0, 1700000000);
INSERT INTO revlog (id, card_id, rating, kind, interval, last_interval, duration_ms)
  VALUES (1699000000000, 1700000000200, 3, 0, -600, 0, 4000),
         (1700000000000, 1700000000200, 3, 1, 12, -600, 3000);
PRAGMA wal_checkpoint (TRUNCATE);
PRAGMA journal_mode = DELETE;
SQL
rm -f "$out-wal" "$out-shm"
echo "wrote $out"
