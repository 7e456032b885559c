// loader-hooks.mjs
//
// Copyright 2026 The StudyDeck Developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// genanki-js ships browser ES modules: it imports FileSaver's saveAs (only
// used by its browser download path) and its package.json does not say
// "type": "module". These hooks let Node load it unchanged.

import { readFile } from 'node:fs/promises';

export async function resolve (specifier, context, nextResolve) {
  if (specifier === 'file-saver')
    return { url: 'data:text/javascript,export function saveAs () {}', shortCircuit: true };
  return nextResolve(specifier, context);
}

export async function load (url, context, nextLoad) {
  if (url.endsWith('/genanki-js/dist/genanki.js'))
    return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
  return nextLoad(url, context);
}
