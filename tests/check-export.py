#!/usr/bin/env python3
# check-export.py
#
# Copyright 2026 The StudyDeck Developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# An independent reader for StudyDeck's Anki exports, written from
# docs/anki-format.md (the shared copy) with nothing but Python's zipfile,
# sqlite3 and json: it shares no code with the exporter, so it catches what
# the exporter and our own importer could agree on wrongly.
#
#   check-export.py EXPORT.apkg EXPECTED.json
#       checks one package against the format rules and against what
#       EXPECTED.json says it must hold (see check_expected); prints TAP.
#   check-export.py --self-test STUDYDECK_CLI DATA_DIR
#       imports the packages in DATA_DIR (and the shared fixtures, when
#       SHARED_DIR has them) into scratch collections with the CLI, exports
#       them with and without scheduling and media, and checks each export.
#
# Exit status: 0 when every check passed, 1 otherwise.

import hashlib
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

# --------------------------------------------------------------------------
# TAP


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, description, detail=None):
        self.n += 1
        if ok:
            print(f"ok {self.n} - {description}")
        else:
            self.failed += 1
            print(f"not ok {self.n} - {description}")
            if detail is not None:
                for line in str(detail).splitlines()[:20]:
                    print(f"#   {line}")
        return ok

    def finish(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


# --------------------------------------------------------------------------
# Text rules (anki-format.md §4.2, §3, §7.3)

MEDIA_TAG = re.compile(
    r"<(?:img|audio|video|object|source)\b[^>]*?\b(?:src|data)\s*=\s*"
    r"(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))[^>]*>",
    re.IGNORECASE | re.DOTALL)
SOUND = re.compile(r"\[sound:(.+?)\]")
CLOZE = re.compile(r"\{\{c([\d,]+)::")


def media_refs(text):
    names = set()
    for m in MEDIA_TAG.finditer(text):
        name = m.group(1) or m.group(2) or m.group(3) or ""
        if name:
            names.add(html.unescape(name))
    for m in SOUND.finditer(text):
        names.add(m.group(1))
    return names


def strip_html_preserving_media(text):
    """§4.2: media tags become ' filename ', comments, style and script
    elements and every other tag go, entities are decoded, U+00A0 becomes a
    space."""
    def keep(m):
        return " " + (m.group(1) or m.group(2) or m.group(3) or "") + " "
    text = MEDIA_TAG.sub(keep, text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"<style\b.*?>.*?</style>", "", text, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<script\b.*?>.*?</script>", "", text, flags=re.DOTALL | re.IGNORECASE)
    text = re.sub(r"<.*?>", "", text, flags=re.DOTALL)
    return html.unescape(text).replace("\u00a0", " ")


def field_checksum(field):
    digest = hashlib.sha1(strip_html_preserving_media(field).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def cloze_ords(fields):
    ords = set()
    for field in fields:
        for m in CLOZE.finditer(field):
            for number in m.group(1).split(","):
                if number.isdigit() and int(number) > 0:
                    ords.add(min(int(number), 500) - 1)
    return ords


def media_name_is_normal(name):
    """§3: a single path component, NFC, none of [ ] < > : " / ? * ^ \\ |,
    no control characters, no trailing space or dot, at most 120 bytes."""
    if not name or name in (".", ".."):
        return False
    if unicodedata.normalize("NFC", name) != name:
        return False
    if any(c in '[]<>:"/?*^\\|' for c in name):
        return False
    if any(unicodedata.category(c) == "Cc" for c in name):
        return False
    if name.endswith(" ") or name.endswith("."):
        return False
    return len(name.encode("utf-8")) <= 120


# --------------------------------------------------------------------------
# Reading a package


def read_package(tap, path):
    """Returns (members, collection bytes, media map) or None."""
    if not tap.check(os.path.basename(path).lower() != "collection.apkg",
                     "the package is not called collection.apkg (§1)"):
        return None
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        tap.check(False, "the package is a zip archive", e)
        return None
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        tap.check(len(names) == len(set(names)), "zip member names are unique", names)
        tap.check(all(i.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for i in infos),
                  "every member is stored or deflated (§1)")
        tap.check("collection.anki2" in names, "collection.anki2 is there (§10)", names)
        tap.check("meta" not in names and "collection.anki21" not in names
                  and "collection.anki21b" not in names,
                  "no meta, collection.anki21 or collection.anki21b: the portable format (§10)",
                  names)
        tap.check("media" in names, "the media map is there (§3)", names)
        if "collection.anki2" not in names:
            return None
        collection = archive.read("collection.anki2")
        media_map = {}
        if "media" in names:
            try:
                media_map = json.loads(archive.read("media").decode("utf-8"))
                tap.check(isinstance(media_map, dict), "the media map is a JSON object (§3)")
            except (ValueError, UnicodeDecodeError) as e:
                tap.check(False, "the media map is UTF-8 JSON (§3)", e)
                media_map = {}
        numbered = sorted((n for n in names if n.isdigit()), key=int)
        tap.check(set(numbered) == set(media_map.keys()),
                  "numbered members and media map keys are the same (§3)",
                  f"members {numbered}, map {sorted(media_map)}")
        tap.check(set(names) == {"collection.anki2", "media"} | set(numbered),
                  "nothing but collection.anki2, media and numbered members", names)
        values = list(media_map.values())
        tap.check(len(values) == len(set(values)), "media names in the map are unique", values)
        bad = [v for v in values if not isinstance(v, str) or not media_name_is_normal(v)]
        tap.check(not bad, "media names are plain, normalized file names (§3)", bad)
        sizes = {k: archive.getinfo(k).file_size for k in numbered}
        return names, collection, media_map, sizes


def open_collection(data):
    handle, path = tempfile.mkstemp(suffix=".anki2")
    with os.fdopen(handle, "wb") as f:
        f.write(data)
    db = sqlite3.connect(path)
    db.text_factory = str
    return db, path


# --------------------------------------------------------------------------
# Checks on the collection

COL_COLUMNS = ["id", "crt", "mod", "scm", "ver", "dty", "usn", "ls", "conf", "models", "decks",
               "dconf", "tags"]
NOTE_COLUMNS = ["id", "guid", "mid", "mod", "usn", "tags", "flds", "sfld", "csum", "flags", "data"]
CARD_COLUMNS = ["id", "nid", "did", "ord", "mod", "usn", "type", "queue", "due", "ivl", "factor",
                "reps", "lapses", "left", "odue", "odid", "flags", "data"]
REVLOG_COLUMNS = ["id", "cid", "usn", "ease", "ivl", "lastIvl", "factor", "time", "type"]
INDEXES = ["ix_notes_usn", "ix_cards_usn", "ix_revlog_usn", "ix_cards_nid", "ix_cards_sched",
           "ix_revlog_cid", "ix_notes_csum"]

MODEL_KEYS = ["id", "name", "type", "mod", "usn", "sortf", "did", "tmpls", "flds", "css", "req",
              "originalStockKind"]
FIELD_KEYS = ["name", "ord", "sticky", "rtl", "font", "size"]
TEMPLATE_KEYS = ["name", "ord", "qfmt", "afmt", "bqfmt", "bafmt"]
DECK_KEYS = ["id", "name", "usn", "lrnToday", "revToday", "newToday", "timeToday", "collapsed",
             "dyn", "desc", "conf"]
DCONF_KEYS = ["id", "mod", "name", "usn", "maxTaken", "autoplay", "timer", "new", "rev", "lapse"]
CONF_KEYS = ["schedVer", "sched2021", "creationOffset", "nextPos", "curDeck", "activeDecks"]


def columns(db, table):
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def check_collection(tap, data, media_map, expected):
    tap.check(data[:16] == b"SQLite format 3\x00", "collection.anki2 is an SQLite file")
    tap.check(data[18] == 1 and data[19] == 1,
              "the database header says rollback journal, not WAL (§4)", (data[18], data[19]))
    db, path = open_collection(data)
    try:
        return check_tables(tap, db, media_map, expected)
    finally:
        db.close()
        os.unlink(path)


def check_tables(tap, db, media_map, expected):
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, cols in (("col", COL_COLUMNS), ("notes", NOTE_COLUMNS), ("cards", CARD_COLUMNS),
                        ("revlog", REVLOG_COLUMNS), ("graves", ["usn", "oid", "type"])):
        tap.check(table in tables and columns(db, table) == cols,
                  f"table {table} has the schema-11 columns (§4)",
                  columns(db, table) if table in tables else "missing")
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    tap.check(set(INDEXES) <= indexes, "Anki's indexes are there (§4)", sorted(indexes))
    tap.check(db.execute("SELECT count(*) FROM graves").fetchone()[0] == 0, "graves is empty")

    rows = db.execute("SELECT " + ", ".join(COL_COLUMNS) + " FROM col").fetchall()
    if not tap.check(len(rows) == 1 and rows[0][0] == 1, "col has exactly one row, id 1 (§4.1)"):
        return
    col = dict(zip(COL_COLUMNS, rows[0]))
    tap.check(col["ver"] == 11, "col.ver is 11", col["ver"])
    tap.check(col["usn"] == 0 and col["ls"] == 0 and col["dty"] == 0, "col usn, ls and dty are 0")
    tap.check(col["mod"] > 10 ** 11 and col["scm"] > 10 ** 11, "col.mod and col.scm are epoch ms",
              (col["mod"], col["scm"]))
    try:
        conf = json.loads(col["conf"])
        models = json.loads(col["models"])
        decks = json.loads(col["decks"])
        dconf = json.loads(col["dconf"])
        tags = json.loads(col["tags"])
    except ValueError as e:
        tap.check(False, "col JSON columns parse", e)
        return
    tap.check(tags == {}, "col.tags is {}", tags)

    # §4.6 and §6
    missing = [k for k in CONF_KEYS if k not in conf]
    tap.check(not missing, "col.conf has schedVer, sched2021, creationOffset, nextPos, curDeck, "
              "activeDecks (§10.3)", missing)
    tap.check(conf.get("schedVer") == 2 and conf.get("sched2021") is True,
              "schedVer 2 and sched2021 (§6)", conf)
    rollover = conf.get("rollover", 4)
    offset = conf.get("creationOffset", 0)
    tap.check(col["crt"] < 10 ** 11 and (col["crt"] - offset * 60) % 86400 == rollover * 3600,
              "crt is in seconds, at the rollover hour of its local day (§4.1)",
              (col["crt"], offset, rollover))
    tap.check(str(conf.get("curDeck")) in decks, "curDeck is a deck", conf.get("curDeck"))

    # §4.7
    for mid, model in models.items():
        missing = [k for k in MODEL_KEYS if k not in model]
        tap.check(not missing, f"note type {mid} has every required key (§4.7)", missing)
        tap.check(str(model.get("id")) == mid, f"note type {mid}: key and id agree")
        flds = model.get("flds", [])
        tmpls = model.get("tmpls", [])
        tap.check(all(not [k for k in FIELD_KEYS if k not in f] for f in flds)
                  and [f.get("ord") for f in flds] == list(range(len(flds))),
                  f"note type {mid}: fields have name, ord, sticky, rtl, font, size",
                  flds)
        tap.check(all(not [k for k in TEMPLATE_KEYS if k not in t] for t in tmpls)
                  and [t.get("ord") for t in tmpls] == list(range(len(tmpls))) and tmpls,
                  f"note type {mid}: templates have name, ord, qfmt, afmt, bqfmt, bafmt",
                  tmpls)
        req = model.get("req", [])
        tap.check(len(req) == len(tmpls)
                  and all(isinstance(r, list) and len(r) == 3 and r[0] == i
                          and r[1] in ("any", "all", "none")
                          and all(isinstance(o, int) and 0 <= o < len(flds) for o in r[2])
                          for i, r in enumerate(req)),
                  f"note type {mid}: req has one [ord, any|all|none, [field ords]] per template",
                  req)
        tap.check(model.get("type") in (0, 1) and 0 <= model.get("sortf", -1) < len(flds),
                  f"note type {mid}: type and sortf are valid")

    # §4.8
    names = {}
    for did, deck in decks.items():
        missing = [k for k in DECK_KEYS if k not in deck]
        tap.check(not missing, f"deck {did} “{deck.get('name')}” has every required key (§4.8)",
                  missing)
        tap.check(str(deck.get("id")) == did and deck.get("dyn") == 0,
                  f"deck {did}: key and id agree, a normal deck")
        tap.check(str(deck.get("conf")) in dconf, f"deck {did}: its options group is there",
                  deck.get("conf"))
        names[deck.get("name")] = did
    tap.check("1" in decks, "deck 1 (Default) is there (§10.5)", sorted(decks))
    orphans = [n for n in names if "::" in n and n.rsplit("::", 1)[0] not in names]
    tap.check(not orphans, "every deck's parent is there (§4.8)", orphans)

    # §4.9
    for cid, group in dconf.items():
        missing = [k for k in DCONF_KEYS if k not in group]
        for part, keys in (("new", ["delays", "initialFactor", "ints", "order", "perDay"]),
                           ("rev", ["ease4", "ivlFct", "maxIvl", "perDay", "hardFactor"]),
                           ("lapse", ["delays", "leechAction", "leechFails", "minInt", "mult"])):
            missing += [f"{part}.{k}" for k in keys if k not in group.get(part, {})]
        tap.check(not missing, f"options group {cid} is complete (§4.9)", missing)
    tap.check("1" in dconf, "options group 1 is there (§10.6)", sorted(dconf))

    # §4.2
    notes = db.execute("SELECT " + ", ".join(NOTE_COLUMNS) + " FROM notes ORDER BY id").fetchall()
    note_fields = {}
    bad_count, bad_csum, bad_sfld, bad_tags, bad_misc = [], [], [], [], []
    guids = set()
    referenced = set()
    for row in notes:
        note = dict(zip(NOTE_COLUMNS, row))
        model = models.get(str(note["mid"]))
        fields = note["flds"].split("\x1f")
        note_fields[note["id"]] = (fields, model, note)
        for f in fields:
            referenced |= media_refs(f)
        if model is None or len(fields) != len(model["flds"]):
            bad_count.append(note["id"])
            continue
        if field_checksum(fields[0]) != note["csum"]:
            bad_csum.append((note["id"], fields[0][:60], note["csum"], field_checksum(fields[0])))
        sort_text = strip_html_preserving_media(fields[model["sortf"]])
        if str(note["sfld"]) != sort_text and not (
                isinstance(note["sfld"], (int, float)) and sort_text.strip()
                and float(sort_text) == float(note["sfld"])):
            bad_sfld.append((note["id"], note["sfld"], sort_text))
        if note["tags"] and not (note["tags"].startswith(" ") and note["tags"].endswith(" ")):
            bad_tags.append((note["id"], note["tags"]))
        if (not note["guid"] or note["guid"] in guids or note["usn"] != -1
                or not (0 < note["mod"] < 10 ** 11)):
            bad_misc.append((note["id"], note["guid"], note["usn"], note["mod"]))
        guids.add(note["guid"])
    tap.check(not bad_count, "every note has its note type's field count (§4.2)", bad_count)
    tap.check(not bad_csum, "csum is the checksum of the stripped first field (§4.2)", bad_csum)
    tap.check(not bad_sfld, "sfld is the stripped sort field (§4.2)", bad_sfld[:5])
    tap.check(not bad_tags, "tags are written as \" a b \" (§4.2)", bad_tags[:5])
    tap.check(not bad_misc, "guids unique, usn -1, mod in seconds (§4.2)", bad_misc[:5])

    # §4.3, §7.3
    cards = db.execute("SELECT " + ", ".join(CARD_COLUMNS) + " FROM cards ORDER BY id").fetchall()
    pairs = set()
    bad_card, bad_ord, bad_sched, bad_data = [], [], [], []
    scheduling = expected.get("scheduling", True)
    for row in cards:
        card = dict(zip(CARD_COLUMNS, row))
        entry = note_fields.get(card["nid"])
        if (entry is None or str(card["did"]) not in decks or card["usn"] != -1
                or (card["nid"], card["ord"]) in pairs or not (0 <= card["mod"] < 10 ** 11)
                or card["odid"] != 0):
            bad_card.append(card["id"])
            continue
        pairs.add((card["nid"], card["ord"]))
        fields, model, _ = entry
        if model["type"] == 1:
            if card["ord"] not in cloze_ords(fields):
                bad_ord.append((card["id"], card["ord"], sorted(cloze_ords(fields))))
        elif not 0 <= card["ord"] < len(model["tmpls"]):
            bad_ord.append((card["id"], card["ord"]))
        if card["type"] not in (0, 1, 2, 3) or card["queue"] not in (-3, -2, -1, 0, 1, 2, 3, 4):
            bad_sched.append((card["id"], card["type"], card["queue"]))
        if not scheduling and (card["type"], card["queue"], card["ivl"], card["factor"],
                               card["reps"], card["lapses"], card["left"], card["data"],
                               card["flags"]) != (0, 0, 0, 0, 0, 0, 0, "", 0):
            bad_sched.append((card["id"], "not new"))
        if scheduling:
            if card["type"] in (2, 3) and card["factor"] < 1300:
                bad_sched.append((card["id"], "factor", card["factor"]))
            if card["queue"] == 1 and card["due"] < 10 ** 9:
                bad_sched.append((card["id"], "learning due not in seconds", card["due"]))
            if card["queue"] in (2, 3) and not (-36500 < card["due"] < 10 ** 6):
                bad_sched.append((card["id"], "review due not a day number", card["due"]))
        if card["data"]:
            try:
                parsed = json.loads(card["data"])
                if not isinstance(parsed, dict) or ("s" in parsed) != ("d" in parsed):
                    bad_data.append((card["id"], card["data"]))
                elif "d" in parsed and not 1 <= parsed["d"] <= 10:
                    bad_data.append((card["id"], card["data"]))
            except ValueError:
                bad_data.append((card["id"], card["data"]))
    tap.check(not bad_card, "every card has its note and deck, usn -1, one per (note, ord) (§4.3)",
              bad_card[:5])
    if expected.get("strict_ords", True):
        tap.check(not bad_ord, "card ords: template index, or cloze number - 1 (§7.3)",
                  bad_ord[:5])
    else:
        # Real decks keep cards whose cloze went from the text until "Empty
        # Cards" runs; an exporter passes them on as they are.
        for entry in bad_ord[:5]:
            print(f"# card without its cloze number (kept as the source had it): {entry}")
    tap.check(not bad_sched, "card types, queues and due values are consistent (§4.3, §6)",
              bad_sched[:5])
    tap.check(not bad_data, "cards.data is empty or a JSON object with s and d together (§5)",
              bad_data[:5])
    cardless = [nid for nid in note_fields if not any(p[0] == nid for p in pairs)]
    tap.check(not cardless, "every note has a card", cardless[:5])

    # §4.4
    revlog = db.execute("SELECT " + ", ".join(REVLOG_COLUMNS) + " FROM revlog").fetchall()
    card_ids = {c[0] for c in cards}
    bad_rev = [r[0] for r in revlog
               if r[1] not in card_ids or r[2] != -1 or not 0 <= r[3] <= 4 or not 0 <= r[8] <= 5
               or r[0] < 10 ** 11]
    tap.check(not bad_rev, "review log: card there, usn -1, ease 0-4, type 0-5, ms ids (§4.4)",
              bad_rev[:5])
    if not scheduling:
        tap.check(not revlog, "no review log without scheduling (§10.11)", len(revlog))

    # §3: the media map against the notes
    packaged = set(media_map.values())
    unused = [n for n in packaged
              if n not in referenced and not n.startswith("_") and not n.startswith("latex-")]
    tap.check(not unused, "every packaged file is referenced by a note or starts with _ (§3)",
              unused)

    check_expected(tap, expected, notes, cards, revlog, decks, models, media_map, note_fields)


def check_expected(tap, expected, notes, cards, revlog, decks, models, media_map, note_fields):
    """EXPECTED.json keys, all optional: notes, cards, revlog, media, decks
    (a list of full names), notetypes (a count), media_names (a list),
    media_sizes ({name: bytes}), scheduling (bool, default true: false
    requires every card new and no review log), strict_ords (bool, default
    true: false only reports cloze cards without their number, as real decks
    have), notes_by_guid ({guid: {"fields": [...], "tags": [...]}})."""
    for key, actual in (("notes", len(notes)), ("cards", len(cards)), ("revlog", len(revlog)),
                        ("media", len(media_map)), ("notetypes", len(models))):
        if key in expected:
            tap.check(actual == expected[key], f"{key}: {actual} as expected",
                      f"expected {expected[key]}")
    if "decks" in expected:
        names = sorted(d["name"] for d in decks.values())
        tap.check(names == sorted(expected["decks"]), "the decks are the expected ones",
                  f"got {names}, expected {sorted(expected['decks'])}")
    if "media_names" in expected:
        tap.check(sorted(media_map.values()) == sorted(expected["media_names"]),
                  "the media files are the expected ones",
                  f"got {sorted(media_map.values())}")
    by_guid = {n[1]: n for n in notes}
    for guid, want in expected.get("notes_by_guid", {}).items():
        note = by_guid.get(guid)
        if not tap.check(note is not None, f"note {guid} is there"):
            continue
        fields = note[6].split("\x1f")
        if "fields" in want:
            tap.check(fields == want["fields"], f"note {guid}: fields", f"got {fields}")
        if "tags" in want:
            tags = note[5].split()
            tap.check(sorted(tags) == sorted(want["tags"]), f"note {guid}: tags", f"got {tags}")


def check_package(tap, path, expected):
    read = read_package(tap, path)
    if read is None:
        return
    names, collection, media_map, sizes = read
    check_collection(tap, collection, media_map, expected)
    if "media_sizes" in expected:
        got = {media_map[k]: sizes[k] for k in media_map}
        tap.check(got == expected["media_sizes"], "media file sizes", got)


# --------------------------------------------------------------------------
# Self test: real and generated packages through the CLI


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {result.stderr.strip()}")
    return result.stdout


def self_test(cli, data_dir):
    tap = Tap()
    sources = [os.path.join(data_dir, n) for n in ("genanki-js.apkg", "anki-apkg-export.apkg",
                                                   "scheduling.apkg", "media.apkg")]
    shared = os.environ.get("SHARED_DIR")
    if shared and os.path.isdir(os.path.join(shared, "fixtures", "anki")):
        folder = os.path.join(shared, "fixtures", "anki")
        sources += [os.path.join(folder, n) for n in sorted(os.listdir(folder))
                    if n.endswith(".apkg")]
    else:
        print("# shared fixtures not found (SHARED_DIR): generated packages only")
    scratch = tempfile.mkdtemp(prefix="check-export-")
    try:
        for source in sources:
            if not os.path.exists(source):
                continue
            name = os.path.splitext(os.path.basename(source))[0]
            db = os.path.join(scratch, name, "collection.db")
            imported = json.loads(run([cli, "--collection", db, "import", source, "--json"]))
            for flags in ([], ["--with-scheduling"], ["--with-scheduling", "--with-media"]):
                out = os.path.join(scratch, f"{name}{''.join(flags)}.apkg")
                stats = json.loads(run([cli, "--collection", db, "export", out] + flags
                                       + ["--json"]))
                print(f"# {name} {' '.join(flags)}: {stats}")
                expected = {k: stats[k] for k in ("notes", "cards", "revlog", "media",
                                                  "notetypes")}
                expected["scheduling"] = "--with-scheduling" in flags
                expected["strict_ords"] = os.path.dirname(source) == data_dir
                tap.check(stats["notes"] == imported["notes"] and stats["cards"] == imported["cards"],
                          f"{name}: every imported note and card is exported",
                          f"imported {imported}, exported {stats}")
                check_package(tap, out, expected)
        cli_contract(tap, cli, scratch, data_dir)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return tap.finish()


def cli_contract(tap, cli, scratch, data_dir):
    """What other tools rely on: the JSON keys, errors on stderr with a
    non-zero status and no file left behind."""
    db = os.path.join(scratch, "contract", "collection.db")
    source = os.path.join(data_dir, "genanki-js.apkg")
    reserved = os.path.join(scratch, "collection.apkg")

    # An empty collection still makes a valid package.
    empty = os.path.join(scratch, "empty.apkg")
    stats = json.loads(run([cli, "--collection", db, "export", empty, "--json"]))
    tap.check(list(stats) == ["notes", "cards", "revlog", "media", "decks", "notetypes"],
              "export --json prints notes, cards, revlog, media, decks, notetypes", stats)
    tap.check(stats["notes"] == 0 and stats["decks"] == 1, "an empty collection exports Default only",
              stats)
    check_package(tap, empty, {"notes": 0, "cards": 0, "decks": ["Default"]})

    if not os.path.exists(source):
        return
    run([cli, "--collection", db, "import", source, "--json"])
    result = subprocess.run([cli, "--collection", db, "export", reserved, "--json"],
                            capture_output=True, text=True)
    tap.check(result.returncode != 0 and not result.stdout and "collection.apkg" in result.stderr
              and not os.path.exists(reserved),
              "exporting to collection.apkg fails on stderr and writes nothing",
              (result.returncode, result.stdout, result.stderr))
    missing = os.path.join(scratch, "missing.apkg")
    result = subprocess.run([cli, "--collection", db, "export", missing, "--deck", "No such deck"],
                            capture_output=True, text=True)
    tap.check(result.returncode != 0 and "No such deck" in result.stderr
              and not os.path.exists(missing),
              "an unknown --deck fails on stderr and writes nothing",
              (result.returncode, result.stderr))

    # --deck: the subtree only, with its parents and Default.
    whole = os.path.join(scratch, "whole.apkg")
    run([cli, "--collection", db, "export", whole])
    with zipfile.ZipFile(whole) as archive:
        data = archive.read("collection.anki2")
    conn, path = open_collection(data)
    try:
        decks = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
        leaf = max((d["name"] for d in decks.values()), key=lambda n: n.count("::"))
        leaf_id = next(int(k) for k, d in decks.items() if d["name"] == leaf)
        leaf_cards = conn.execute("SELECT count(*) FROM cards WHERE did = ?", (leaf_id,)).fetchone()[0]
    finally:
        conn.close()
        os.unlink(path)
    part = os.path.join(scratch, "part.apkg")
    stats = json.loads(run([cli, "--collection", db, "export", part, "--deck", leaf, "--json"]))
    parents = ["::".join(leaf.split("::")[:i]) for i in range(1, leaf.count("::") + 2)]
    tap.check(stats["cards"] == leaf_cards, f"--deck {leaf}: only its {leaf_cards} cards", stats)
    check_package(tap, part, {"cards": leaf_cards, "scheduling": False,
                              "decks": sorted(set(parents + ["Default"]))})


def main(argv):
    if len(argv) == 4 and argv[1] == "--self-test":
        return self_test(argv[2], argv[3])
    if len(argv) != 3:
        print(__doc__ if __doc__ else "usage: check-export.py EXPORT.apkg EXPECTED.json",
              file=sys.stderr)
        print("usage: check-export.py EXPORT.apkg EXPECTED.json\n"
              "       check-export.py --self-test STUDYDECK_CLI DATA_DIR", file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        expected = json.load(f)
    tap = Tap()
    check_package(tap, argv[1], expected)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
