#!/usr/bin/env python3
# make-corpus.py
#
# Copyright 2026 The StudyDeck Developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the hand-made Anki packages the import tests use.

Positive packages exercise media selection, note updates, due dates and
FSRS replay; the negative corpus holds one defect each (not a zip, a
truncated zip, zip bombs, unsafe media names, a missing or corrupt
collection, unknown versions, invalid UTF-8, a wrong field count).

Run from anywhere: python3 tests/data/anki/make-corpus.py
Needs Python 3 (sqlite3, zipfile, zlib) and the zstd command for the
schema-18 packages. The output is deterministic, so the committed files only
change when this script does.
"""

import io
import json
import os
import sqlite3
import struct
import subprocess
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_DATE = (2024, 1, 1, 0, 0, 0)

SCHEMA11 = """
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
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""

BASIC_ID = 1700000000001
CRT = 1700006400          # 2023-11-15 00:00 UTC
CONF = {"schedVer": 2, "sched2021": True, "creationOffset": 0, "rollover": 4,
        "nextPos": 1, "curDeck": 1, "activeDecks": [1]}


def basic_model(mid=BASIC_ID, name="Basic (test)", fields=("Front", "Back")):
    return {
        "id": mid, "name": name, "type": 0, "mod": 1700000000, "usn": -1, "sortf": 0,
        "did": None, "css": ".card { color: black; }", "latexPre": "", "latexPost": "",
        "latexsvg": False, "req": [[0, "any", [0]]], "originalStockKind": 1,
        "flds": [{"name": f, "ord": i, "sticky": False, "rtl": False, "font": "Arial",
                  "size": 20} for i, f in enumerate(fields)],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{%s}}" % fields[0],
                   "afmt": "{{FrontSide}}<hr id=answer>{{%s}}" % fields[1],
                   "bqfmt": "", "bafmt": "", "did": None}],
    }


def deck(did, name, conf=1):
    return {"id": did, "name": name, "mod": 1700000000, "usn": -1, "lrnToday": [0, 0],
            "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": False,
            "browserCollapsed": False, "desc": "", "dyn": 0, "conf": conf, "extendNew": 0,
            "extendRev": 0}


def dconf(cid, name):
    return {"id": cid, "name": name, "mod": 1700000000, "usn": -1, "maxTaken": 60,
            "autoplay": True, "timer": 0, "replayq": True, "dyn": False,
            "new": {"delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1,
                    "perDay": 15, "bury": False},
            "rev": {"perDay": 150, "ease4": 1.3, "ivlFct": 1, "maxIvl": 3650, "hardFactor": 1.2,
                    "bury": False},
            "lapse": {"delays": [10], "leechAction": 1, "leechFails": 6, "minInt": 1,
                      "mult": 0},
            "desiredRetention": 0.85, "fsrsParams6": []}


def make_db(path, notes, cards=(), revlog=(), models=None, decks=None, dconfs=None,
            ver=11, conf=None, raw_sql=()):
    if os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA11)
    models = models or {str(BASIC_ID): basic_model()}
    decks = decks or {"1": deck(1, "Default")}
    dconfs = dconfs or {"1": dconf(1, "Default")}
    db.execute("INSERT INTO col VALUES (1, ?, 1700000000000, 1700000000000, ?, 0, 0, 0,"
               " ?, ?, ?, ?, '{}')",
               (CRT, ver, json.dumps(conf or CONF), json.dumps(models), json.dumps(decks),
                json.dumps(dconfs)))
    for n in notes:
        nid, guid, mid, mod, tags, flds = n
        if isinstance(flds, bytes):
            db.execute("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, CAST(? AS TEXT), '', 0, 0, '')",
                       (nid, guid, mid, mod, tags, flds))
        else:
            db.execute("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, '', 0, 0, '')",
                       (nid, guid, mid, mod, tags, "\x1f".join(flds)))
    for c in cards:
        db.execute("INSERT INTO cards VALUES (?, ?, ?, ?, 1700000000, -1, ?, ?, ?, ?, ?, ?, ?,"
                   " ?, ?, ?, ?, ?)", c)
    for r in revlog:
        db.execute("INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", r)
    for sql in raw_sql:
        db.execute(sql)
    db.commit()
    db.execute("PRAGMA journal_mode = DELETE")
    db.close()


def new_card(cid, nid, did=1, ord_=0, due=1):
    return (cid, nid, did, ord_, 0, 0, due, 0, 0, 0, 0, 0, 0, 0, 0, "")


def write_zip(name, members, compression=zipfile.ZIP_DEFLATED):
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, "w") as z:
        for member, data in members:
            info = zipfile.ZipInfo(member, FIXED_DATE)
            info.compress_type = compression
            z.writestr(info, data)
    return path


def db_bytes(**kwargs):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "c.db")
        make_db(path, **kwargs)
        with open(path, "rb") as f:
            return f.read()


def zstd(data):
    return subprocess.run(["zstd", "-q", "-c", "-3", "--no-check"], input=data,
                          stdout=subprocess.PIPE, check=True).stdout


def one_note(**extra):
    args = dict(notes=[(1700000000100, "guid-one", BASIC_ID, 1700000000, " test ",
                        ["front one", "back one"])],
                cards=[new_card(1700000000200, 1700000000100)])
    args.update(extra)
    return db_bytes(**args)


def positive():
    # Media: two referenced files, one unreferenced, one static "_" file.
    notes = [
        (1700000000101, "media-1", BASIC_ID, 1700000000, "",
         ['<img src="cat.png">', "[sound:meow.mp3]"]),
        (1700000000102, "media-2", BASIC_ID, 1700000000, "",
         ["<img src='dog &amp; bone.jpg' alt=x>", "plain"]),
    ]
    cards = [new_card(1700000000201, 1700000000101), new_card(1700000000202, 1700000000102)]
    db = db_bytes(notes=notes, cards=cards)
    media = {"0": "cat.png", "1": "meow.mp3", "2": "unused.png", "3": "_style.css",
             "4": "dog & bone.jpg"}
    write_zip("media.apkg", [("collection.anki2", db), ("media", json.dumps(media)),
                             ("0", b"PNG cat"), ("1", b"MP3 meow"), ("2", b"PNG unused"),
                             ("3", b".x { }"), ("4", b"JPG dog")])

    # The same in the v3 layout: zstd collection, protobuf map, zstd members.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "c.db")
        make_db(path, notes=notes, cards=cards, ver=11)
        with open(path, "rb") as f:
            raw = f.read()

    def entry(name, data):
        import hashlib
        body = (b"\x0a" + bytes([len(name.encode())]) + name.encode()
                + b"\x10" + bytes([len(data)])
                + b"\x1a\x14" + hashlib.sha1(data).digest())
        return b"\x0a" + bytes([len(body)]) + body
    files = [("cat.png", b"PNG cat"), ("meow.mp3", b"MP3 meow"), ("unused.png", b"PNG unused")]
    pb = b"".join(entry(n, d) for n, d in files)
    write_zip("media-v3.apkg",
              [("meta", b"\x08\x03"), ("collection.anki21b", zstd(raw)),
               ("collection.anki2", one_note()), ("media", zstd(pb))]
              + [(str(i), zstd(d)) for i, (n, d) in enumerate(files)],
              compression=zipfile.ZIP_STORED)

    # A note and its newer version (same guid, later mod).
    for name, mod, back in (("update-old.apkg", 1700000000, "old back"),
                            ("update-new.apkg", 1800000000, "new back")):
        db = db_bytes(notes=[(1700000000100, "guid-update", BASIC_ID, mod, " v ",
                              ["same front", back])],
                      cards=[new_card(1700000000200, 1700000000100)])
        write_zip(name, [("collection.anki2", db), ("media", "{}")])

    # Scheduling: crt 2023-11-15 00:00 UTC, creationOffset 0, rollover 4.
    # The tests pin "now" to crt + 100 days + 12 hours, when Anki's day is 100.
    notes = [(1700000000100 + i, "sched-%d" % i, BASIC_ID, 1700000000, "", ["q%d" % i, "a"])
             for i in range(6)]
    cards = [
        # review, due today + 5, with FSRS memory in data
        (1700000000200, 1700000000100, 1700000000500, 0, 2, 2, 105, 20, 2500, 5, 0, 0, 0, 0, 0,
         '{"s":21.5,"d":4.25,"lrt":1708000000,"pos":7}'),
        # review without memory state: replayed from the log below
        (1700000000201, 1700000000101, 1700000000500, 0, 2, 2, 98, 10, 2300, 3, 1, 0, 0, 0, 0,
         ""),
        # learning, due in epoch seconds, one of two steps left
        (1700000000202, 1700000000102, 1700000000500, 0, 1, 1, 1708700000, 0, 0, 1, 0, 1001,
         0, 0, 0, ""),
        # suspended review card, due as a day number
        (1700000000203, 1700000000103, 1700000000500, 0, 2, -1, 90, 7, 2500, 2, 0, 0, 0, 0, 0,
         ""),
        # in a filtered deck: goes home with its original due
        (1700000000204, 1700000000104, 1700000000600, 0, 2, 2, -100000, 4, 2500, 2, 0, 0, 103,
         1700000000500, 0, ""),
        # new, flagged red
        (1700000000205, 1700000000105, 1700000000500, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0, 1, ""),
    ]
    day = 86400 * 1000
    revlog = [
        (CRT * 1000 + 10 * day + 3600000, 1700000000201, 3, -600, 0, 0, 5000, 0),
        (CRT * 1000 + 10 * day + 4200000, 1700000000201, 3, 1, -600, 2500, 4000, 0),
        (CRT * 1000 + 11 * day + 3600000, 1700000000201, 1, -600, 1, 2300, 6000, 1),
        (CRT * 1000 + 11 * day + 4200000, 1700000000201, 3, 10, -600, 2300, 3000, 2),
        (CRT * 1000 + 20 * day, 1700000000200, 3, 20, 5, 550, 3000, 1),
    ]
    decks = {"1": deck(1, "Default"), "1700000000500": deck(1700000000500, "Sched::Home",
                                                            1700000000700),
             "1700000000600": dict(deck(1700000000600, "Sched::Filtered"), dyn=1,
                                   terms=[["deck:Sched", 100, 0]], resched=True)}
    dconfs = {"1": dconf(1, "Default"), "1700000000700": dconf(1700000000700, "Exam prep")}
    db = db_bytes(notes=notes, cards=cards, revlog=revlog, decks=decks, dconfs=dconfs)
    write_zip("scheduling.apkg", [("collection.anki2", db), ("media", "{}")])


def negative():
    good = one_note()

    with open(os.path.join(HERE, "not-a-zip.apkg"), "w") as f:
        f.write("This is a text file, not an Anki package.\n")

    path = write_zip("truncated.apkg", [("collection.anki2", good), ("media", "{}")])
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])

    # 300 MiB of zeros deflated to a few hundred KiB: the headers give it away.
    path = os.path.join(HERE, "bomb-deflate.apkg")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("collection.anki2", FIXED_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as out:
            chunk = bytes(1 << 20)
            for _ in range(300):
                out.write(chunk)
        z.writestr(zipfile.ZipInfo("media", FIXED_DATE), "{}")

    # 2 GiB of zeros in a zstd frame stored in the zip: only decoding shows it.
    cmd = "head -c 2147483648 /dev/zero | zstd -q -c -19 --long=27"
    bomb = subprocess.run(["sh", "-c", cmd], stdout=subprocess.PIPE, check=True).stdout
    write_zip("bomb-zstd.apkg", [("meta", b"\x08\x03"), ("collection.anki21b", bomb),
                                 ("collection.anki2", good), ("media", zstd(b""))],
              compression=zipfile.ZIP_STORED)

    # A member whose header claims 1000 bytes but inflates to 8 MiB.
    path = write_zip("bomb-lying-size.apkg",
                     [("collection.anki2", bytes(8 << 20)), ("media", "{}")])
    with open(path, "rb") as f:
        data = bytearray(f.read())
    local = data.find(b"PK\x03\x04")
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 1000)
    struct.pack_into("<I", data, central + 24, 1000)
    with open(path, "wb") as f:
        f.write(bytes(data))

    referenced = db_bytes(notes=[(1700000000100, "guid-media", BASIC_ID, 1700000000, "",
                                  ['<img src="x.png">', "b"])],
                          cards=[new_card(1700000000200, 1700000000100)])
    for name, media_name in (("media-slash.apkg", "sub/x.png"),
                             ("media-dotdot.apkg", "../x.png"),
                             ("media-dotdot-only.apkg", ".."),
                             ("media-absolute.apkg", "/tmp/x.png")):
        write_zip(name, [("collection.anki2", referenced),
                         ("media", json.dumps({"0": media_name})), ("0", b"evil")])

    write_zip("no-collection.apkg", [("media", "{}"), ("0", b"lonely")])

    # A real database with its pages overwritten after the header.
    corrupt = bytearray(good)
    for i in range(100, len(corrupt), 7):
        corrupt[i] = (corrupt[i] * 31 + 17) & 0xFF
    write_zip("corrupt-collection.apkg", [("collection.anki2", bytes(corrupt)),
                                          ("media", "{}")])
    write_zip("garbage-collection.apkg", [("collection.anki2", b"\x00garbage" * 512),
                                          ("media", "{}")])

    write_zip("schema-too-new.apkg", [("collection.anki2", one_note(ver=19)),
                                      ("media", "{}")])
    write_zip("meta-unknown.apkg", [("meta", b"\x08\x07"), ("collection.anki21b", b""),
                                    ("collection.anki2", good), ("media", "{}")],
              compression=zipfile.ZIP_STORED)
    write_zip("meta-zero.apkg", [("meta", b"\x08\x00"), ("collection.anki2", good),
                                 ("media", "{}")], compression=zipfile.ZIP_STORED)
    write_zip("placeholder-only.apkg",
              [("collection.anki2",
                db_bytes(notes=[(1700000000100, "placeholder", BASIC_ID, 1700000000, "",
                                 ["Please update to the latest Anki version, then import "
                                  "the .colpkg/.apkg file again.", ""])],
                         cards=[new_card(1700000000200, 1700000000100)])),
               ("media", "{}")])

    write_zip("invalid-utf8.apkg",
              [("collection.anki2",
                db_bytes(notes=[(1700000000100, "guid-ok", BASIC_ID, 1700000000, "",
                                 ["fine", "also fine"]),
                                (1700000000101, "guid-bad-utf8", BASIC_ID, 1700000000, "",
                                 b"caf\xe9 au lait\x1fback")],
                         cards=[new_card(1700000000200, 1700000000100),
                                new_card(1700000000201, 1700000000101)])),
               ("media", "{}")])
    write_zip("field-count.apkg",
              [("collection.anki2",
                db_bytes(notes=[(1700000000100, "guid-ok", BASIC_ID, 1700000000, "",
                                 ["fine", "also fine"]),
                                (1700000000101, "guid-three-fields", BASIC_ID, 1700000000, "",
                                 ["one", "two", "three"])],
                         cards=[new_card(1700000000200, 1700000000100),
                                new_card(1700000000201, 1700000000101)])),
               ("media", "{}")])


if __name__ == "__main__":
    positive()
    negative()
