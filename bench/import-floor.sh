#!/bin/sh
# import-floor.sh
#
# Copyright 2026 The StudyDeck Developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The floor for bench-import: unzip the package's collection and copy the same
# rows into a fresh database with the sqlite3 shell, no checks, no mapping.
#
#   sh bench/import-floor.sh /tmp/big.apkg

set -e
pkg=${1:?usage: import-floor.sh PACKAGE.apkg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s.%N)
unzip -q -o "$pkg" collection.anki21 -d "$tmp"
sqlite3 "$tmp/out.db" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
ATTACH '$tmp/collection.anki21' AS src;
BEGIN;
CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT UNIQUE, notetype_id INTEGER,
  fields TEXT, sort_field TEXT, checksum INTEGER, tags TEXT, mtime INTEGER);
CREATE TABLE cards (id INTEGER PRIMARY KEY, note_id INTEGER, deck_id INTEGER, ord INTEGER,
  type INTEGER, queue INTEGER, due INTEGER, interval INTEGER, ease INTEGER, reps INTEGER,
  lapses INTEGER, flags INTEGER, mtime INTEGER, anki_extra TEXT, UNIQUE (note_id, ord));
CREATE INDEX cards_queue ON cards (deck_id, queue, due);
CREATE TABLE revlog (id INTEGER PRIMARY KEY, card_id INTEGER, rating INTEGER, kind INTEGER,
  interval INTEGER, last_interval INTEGER, ease INTEGER, duration_ms INTEGER);
CREATE INDEX revlog_card ON revlog (card_id, id);
INSERT INTO notes SELECT id, guid, mid, flds, sfld, csum, tags, mod FROM src.notes;
INSERT INTO cards SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses,
  flags, mod, data FROM src.cards;
INSERT INTO revlog SELECT id, cid, ease, type, ivl, lastIvl, factor, time FROM src.revlog;
COMMIT;
SQL
end=$(date +%s.%N)
echo "floor (unzip + sqlite3 copy): $(echo "$end - $start" | bc) s"
