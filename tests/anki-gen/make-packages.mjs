// make-packages.mjs
//
// Copyright 2026 The StudyDeck Developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Builds small Anki packages with two independent npm generators, so the
// importer is tested on files it did not write itself:
//
//   genanki-js.apkg        genanki-js 2.0.0: Basic + Cloze note types, a
//                          subdeck, tags, one image
//   anki-apkg-export.apkg  anki-apkg-export 4.0.3: its own note type,
//                          millisecond mod values, 40-hex guids, one image
//
// Usage: npm ci && node make-packages.mjs ../data/anki

import { register, createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

register('./loader-hooks.mjs', import.meta.url);

const out = process.argv[2] || '.';
const require = createRequire(import.meta.url);
// A 1x1 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
                        'base64');

async function genankiJs () {
  const g = await import('genanki-js');
  const genankiRequire = createRequire(require.resolve('genanki-js'));
  const initSqlJs = genankiRequire('sql.js');
  const JSZip = genankiRequire('jszip');
  const SQL = await initSqlJs();

  const basic = new g.Model({
    id: '1700000001001',
    name: 'Basic (genanki-js)',
    flds: [{ name: 'Front' }, { name: 'Back' }],
    req: [[0, 'all', [0]]],
    tmpls: [{ name: 'Card 1', qfmt: '{{Front}}', afmt: '{{FrontSide}}<hr id=answer>{{Back}}' }],
  });
  const cloze = new g.ClozeModel({
    id: '1700000001002',
    name: 'Cloze (genanki-js)',
    flds: [{ name: 'Text' }, { name: 'Extra' }],
    tmpls: [{ name: 'Cloze', qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}<br>{{Extra}}' }],
  });

  const deck = new g.Deck(1700000001100, 'Generated::genanki-js');
  deck.addNote(basic.note(['hello', 'bonjour'], ['greeting', 'fr'], 'gj-hello'));
  deck.addNote(basic.note(['cat <img src="pixel.png">', 'chat'], ['animal'], 'gj-cat'));
  deck.addNote(basic.note(['dog', 'chien'], null, 'gj-dog'));
  deck.addNote(cloze.note(['{{c1::Paris}} is the capital of {{c3::France}}', 'geo'], null,
                          'gj-cloze'));

  const pkg = new g.Package();
  pkg.addDeck(deck);
  pkg.addMedia(png, 'pixel.png');
  const db = new SQL.Database();
  db.run(g.APKG_SCHEMA);
  pkg.setSqlJs(db);
  pkg.write(db);

  // Package.writeToFile() only knows the browser download; zip the same way.
  const zip = new JSZip();
  zip.file('collection.anki2', db.export());
  zip.file('0', png);
  zip.file('media', JSON.stringify({ 0: 'pixel.png' }));
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  writeFileSync(join(out, 'genanki-js.apkg'), data);
}

async function ankiApkgExport () {
  const AnkiExport = require('anki-apkg-export').default;
  const apkg = new AnkiExport('Generated anki-apkg-export');

  apkg.addMedia('pixel.png', png);
  apkg.addCard('water', 'eau', { tags: ['noun', 'liquid'] });
  apkg.addCard('fire <img src="pixel.png" />', 'feu');
  apkg.addCard('a < b & c', '<b>bold</b> answer');
  const zip = await apkg.save();
  writeFileSync(join(out, 'anki-apkg-export.apkg'), zip, 'binary');
}

await genankiJs();
await ankiApkgExport();
