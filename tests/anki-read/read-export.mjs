// read-export.mjs
//
// Copyright 2026 The StudyDeck Developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Reads StudyDeck's Anki exports with npm anki-reader 0.3.0, a reader we did
// not write (it opens collection.anki2 only, so it also proves that the real
// data is there and not a placeholder). For each package below that keeps
// its data in collection.anki2: the package itself is read, then imported
// into a scratch collection with studydeck-cli, exported with scheduling and
// media, and the export is read; the two readings must agree card by card
// (deck name, note type, every field by name) and media file by media file.
//
//   node read-export.mjs STUDYDECK_CLI DATA_DIR      (TAP; exit 77 = skipped)
//
// Needs `npm ci` in this folder first; without node_modules it skips.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

let readAnkiPackage;
try {
  ({ readAnkiPackage } = await import('anki-reader'));
} catch (error) {
  console.log('1..0 # SKIP anki-reader is not installed (run npm ci in tests/anki-read)');
  process.exit(77);
}

const [cli, dataDir] = process.argv.slice(2);
if (!cli || !dataDir) {
  console.error('usage: node read-export.mjs STUDYDECK_CLI DATA_DIR');
  process.exit(2);
}

let n = 0;
let failed = 0;
function check (ok, description, detail) {
  n++;
  if (ok) {
    console.log(`ok ${n} - ${description}`);
  } else {
    failed++;
    console.log(`not ok ${n} - ${description}`);
    if (detail !== undefined) {
      for (const line of String(detail).split('\n').slice(0, 20)) console.log(`#   ${line}`);
    }
  }
  return ok;
}

// Every card the reader sees: id -> { deck, model, fields }, and the media.
// A card in one of Anki's filtered decks counts in its home deck (odid),
// where importing puts it back.
async function read (path) {
  const { collection, media } = await readAnkiPackage(new Blob([readFileSync(path)]));
  const cards = new Map();
  const decks = [];
  const all = collection.getDecks();
  for (const deck of Object.values(all)) {
    decks.push(deck.getName());
    for (const [id, card] of Object.entries(deck.getCards())) {
      const home = all[String(card.getRawCard().odid)];
      cards.set(id, {
        deck: home !== undefined ? home.getName() : deck.getName(),
        model: card.getModel().getName(),
        fields: card.getFields()
      });
    }
  }
  const sizes = {};
  for (const [name, blob] of Object.entries(media)) sizes[name] = blob.size;
  return { cards, decks, media: sizes, models: Object.keys(collection.getModels()).length };
}

function run (args) {
  return execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const sources = ['genanki-js.apkg', 'anki-apkg-export.apkg', 'media.apkg', 'scheduling.apkg']
  .map((name) => join(dataDir, name));
const shared = process.env.SHARED_DIR && join(process.env.SHARED_DIR, 'fixtures', 'anki');
if (shared && existsSync(shared)) {
  // Only packages whose data is in collection.anki2: anki-reader reads
  // nothing else.
  for (const name of readdirSync(shared).sort()) {
    if (name === 'ankidroid-templates.apkg') sources.push(join(shared, name));
  }
} else {
  console.log('# shared fixtures not found (SHARED_DIR): generated packages only');
}

const scratch = mkdtempSync(join(tmpdir(), 'anki-read-'));
try {
  for (const source of sources) {
    if (!existsSync(source)) continue;
    const name = basename(source, '.apkg');
    const db = join(scratch, name, 'collection.db');
    const out = join(scratch, `${name}-export.apkg`);

    const before = await read(source);
    const imported = JSON.parse(run(['--collection', db, 'import', source, '--json']));
    const stats = JSON.parse(run(['--collection', db, 'export', out,
      '--with-scheduling', '--with-media', '--json']));
    const after = await read(out);

    check(after.cards.size === stats.cards && stats.cards === imported.cards,
      `${name}: the reader sees all ${stats.cards} exported cards`,
      `reader ${after.cards.size}, exported ${stats.cards}, imported ${imported.cards}`);
    check(after.models === stats.notetypes, `${name}: ${stats.notetypes} note types`,
      `reader ${after.models}`);
    check(after.decks.includes('Default'), `${name}: the Default deck is there`, after.decks);
    check(Object.keys(after.media).length === stats.media, `${name}: ${stats.media} media files`,
      JSON.stringify(after.media));

    const problems = [];
    for (const [id, card] of before.cards) {
      const exported = after.cards.get(id);
      if (exported === undefined) {
        problems.push(`card ${id} is missing`);
      } else if (exported.deck !== card.deck || exported.model !== card.model ||
                 JSON.stringify(exported.fields) !== JSON.stringify(card.fields)) {
        problems.push(`card ${id}: ${JSON.stringify(card)} became ${JSON.stringify(exported)}`);
      }
    }
    check(problems.length === 0,
      `${name}: every card has its deck, note type and fields as in the original package`,
      problems.slice(0, 5).join('\n'));

    const mediaProblems = [];
    for (const [file, size] of Object.entries(after.media)) {
      if (before.media[file] !== size) mediaProblems.push(`${file}: ${before.media[file]} -> ${size}`);
    }
    check(mediaProblems.length === 0, `${name}: media files keep their names and sizes`,
      mediaProblems.join('\n'));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`1..${n}`);
process.exit(failed > 0 ? 1 : 0);
