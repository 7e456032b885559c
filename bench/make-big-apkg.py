#!/usr/bin/env python3
# make-big-apkg.py
#
# Copyright 2026 The StudyDeck Developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a large schema-11 Anki package for bench-import.

100,000 notes of a two-template note type (200,000 cards: one reviewed
card per note with FSRS memory in cards.data and two review-log entries,
one new card), in 10 subdecks, collection.anki21 deflated, no media.
With --no-memory the cards carry no memory state, as from a collection
scheduled by SM-2, so the import replays every reviewed card's log.

Usage: python3 bench/make-big-apkg.py [--no-memory] [OUT.apkg] [N_NOTES]
"""

import json
import os
import random
import sqlite3
import sys
import tempfile
import zipfile

ARGS = [a for a in sys.argv[1:] if a != "--no-memory"]
MEMORY = "--no-memory" not in sys.argv[1:]
OUT = ARGS[0] if len(ARGS) > 0 else "big.apkg"
N = int(ARGS[1]) if len(ARGS) > 1 else 100000
CRT = 1700006400
MID = 1700000000001
BASE = 1700000000000

rng = random.Random(42)
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "collection.anki21")
db = sqlite3.connect(path)
db.executescript("""
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_revlog_cid ON revlog (cid);
""")

model = {
    "id": MID, "name": "Vocabulary", "type": 0, "mod": 1700000000, "usn": -1, "sortf": 0,
    "did": None, "css": ".card {}", "latexPre": "", "latexPost": "", "req": [],
    "flds": [{"name": n, "ord": i, "sticky": False, "rtl": False, "font": "Arial", "size": 20}
             for i, n in enumerate(("Word", "Meaning", "Example"))],
    "tmpls": [{"name": "Forward", "ord": 0, "qfmt": "{{Word}}", "afmt": "{{Meaning}}",
               "bqfmt": "", "bafmt": "", "did": None},
              {"name": "Reverse", "ord": 1, "qfmt": "{{Meaning}}", "afmt": "{{Word}}",
               "bqfmt": "", "bafmt": "", "did": None}],
}
decks = {"1": {"id": 1, "name": "Default", "dyn": 0, "conf": 1, "desc": ""}}
for d in range(10):
    did = BASE + 900 + d
    decks[str(did)] = {"id": did, "name": "Big::Part %d" % d, "dyn": 0, "conf": 1, "desc": ""}
dconf = {"1": {"id": 1, "name": "Default", "new": {"delays": [1, 10], "perDay": 20},
               "rev": {"perDay": 200, "maxIvl": 36500}, "lapse": {"delays": [10],
               "leechFails": 8, "leechAction": 0}}}
conf = {"schedVer": 2, "sched2021": True, "creationOffset": 0, "rollover": 4}
db.execute("INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
           (CRT, json.dumps(conf), json.dumps({str(MID): model}), json.dumps(decks),
            json.dumps(dconf)))

words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
notes, cards, revlog = [], [], []
for i in range(N):
    nid = BASE + 1000000 + i
    did = BASE + 900 + i % 10
    flds = "\x1f".join(("%s %d" % (words[i % 8], i),
                        "meaning <b>%d</b> of the word" % i,
                        "An example sentence number %d, long enough to look real." % i))
    notes.append((nid, "g%09d" % i, MID, 1700000000, -1, " big tag%d " % (i % 50), flds,
                  "", 0, 0, ""))
    rev_id = BASE + 3000000 + 2 * i
    new_id = rev_id + 1
    s = round(rng.uniform(1, 300), 4)
    d = round(rng.uniform(1, 10), 3)
    data = json.dumps({"s": s, "d": d, "lrt": CRT + 86400 * 50, "dr": 0.9}) if MEMORY else ""
    cards.append((rev_id, nid, did, 0, 1700000000, -1, 2, 2, 100 + i % 60, 20, 2500, 3, 0, 0,
                  0, 0, 0, data))
    cards.append((new_id, nid, did, 1, 1700000000, -1, 0, 0, i, 0, 0, 0, 0, 0, 0, 0, 0, ""))
    t = (CRT + 86400 * 10) * 1000 + i * 10
    revlog.append((t, rev_id, -1, 3, -600, 0, 0, 5000, 0))
    revlog.append((t + 86400 * 40 * 1000, rev_id, -1, 3, 20, 1, 500, 4000, 1))

db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
db.commit()
db.execute("VACUUM")
db.close()

with zipfile.ZipFile(OUT, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("collection.anki2", "placeholder: see collection.anki21")
    z.write(path, "collection.anki21")
    z.writestr("media", "{}")
os.unlink(path)
os.rmdir(tmp)
print("%s: %d notes, %d cards, %d review-log entries" % (OUT, len(notes), len(cards), len(revlog)))
