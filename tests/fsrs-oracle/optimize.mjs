// optimize.mjs
//
// Copyright 2026 The StudyDeck Developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs the fsrs-rs optimizer (through @open-spaced-repetition/binding) on a
// review log CSV and records what tests/test-fsrs-optimizer.c compares
// against: the reference parameters, the binding's own metrics for them and
// for the defaults, and how long computeParameters takes.
//
//   npm ci
//   node optimize.mjs LOG.csv [--day-start-hour 4] [--tz-offset-min 0]
//                    [--runs 5] [--out FIXTURE.json] [--items-out FILE]
//   node optimize.mjs --synthesize OUT.csv [--cards 3000] [--seed 7]
//
// LOG.csv has a header naming card_id, review_time (epoch ms), review_rating
// and optionally review_state (0 new, 1 learning, 2 review, 3 relearning,
// 4 filtered, 5 manual) and review_duration, in any order.
//
// Training items are built here rather than with the binding's
// convertCsvToFsrsItems, which needs a review_state column (the josh log has
// none). The rules are Anki's (rslib scheduler/fsrs/params.rs
// reviews_for_fsrs, training = true), the same as src/core/sd-fsrs-items.c,
// and the items are sorted by the time of their last review, so both sides
// train on identical items in the same order (fsrs-rs weights items by
// recency); the fixture records a hash of the item list that the C test
// recomputes. When the log has a review_state column, the list is also
// checked against the binding's converter.
//
// The binding's FSRSBinding.evaluate does not score the items it is given
// as they are: like fsrs-rs's own tests it first applies the outlier filter
// to (items with one long-term review, the others) and concatenates the
// two (ts-fsrs packages/binding/src/convert.rs prepare_items), so its
// recency weights follow that order. tests/test-fsrs-optimizer.c rebuilds
// the same list to compare evaluators.

import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  FSRSBinding, FSRSBindingItem, FSRSBindingReview, BindingMemoryState,
  computeParameters, convertCsvToFsrsItems,
} from '@open-spaced-repetition/binding';

const versionOf = (name) => JSON.parse(
  readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const DAY_MS = 86400000;

// Anki's revlog kinds.
const LEARNING = 0, REVIEW = 1, RELEARNING = 2, FILTERED = 3, MANUAL = 4, RESCHEDULED = 5;

function parseCsv(text) {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const col = (name) => header.indexOf(name);
  const cCard = col('card_id'), cTime = col('review_time'), cRating = col('review_rating');
  const cState = col('review_state');
  if (cCard < 0 || cTime < 0 || cRating < 0)
    throw new Error('the header must name card_id, review_time and review_rating');
  const rows = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '')
      continue;
    const f = lines[i].split(',');
    rows.push({
      card: f[cCard].trim(),
      time: Number(f[cTime]),
      rating: Number(f[cRating]),
      state: cState >= 0 ? Number(f[cState]) : null,
      line: i + 1,
    });
  }
  return { rows, hasState: cState >= 0 };
}

function kindOfState(state) {
  switch (state) {
    case 0: case 1: return LEARNING;
    case 2: return REVIEW;
    case 3: return RELEARNING;
    case 4: return FILTERED;
    case 5: return MANUAL;
    default: throw new Error(`review_state ${state} is not 0..5`);
  }
}

const dayNumber = (ms, hour, tz) => Math.floor((ms + tz * 60000 - hour * 3600000) / DAY_MS);

// Anki's reviews_for_fsrs (training): keep the last contiguous run of graded
// learning rows and what follows, drop manual/ungraded/cram/rescheduled rows,
// delta_t in local days, one item per review whose delta_t > 0. A CSV has no
// ease factor, so neither cram rows nor resets can be recognised (ease -1).
function cardItems(entries, hour, tz) {
  let first = null;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.kind === FILTERED && e.ease === 0)
      continue;
    const graded = e.rating >= 1 && e.rating <= 4;
    if (graded && e.kind === LEARNING)
      first = i;
    else if (first !== null)
      break;
    else if (e.kind === MANUAL && e.ease === 0)
      return [];
  }
  if (first === null)
    return [];
  const kept = entries.slice(first).filter((e) => !(e.kind === MANUAL || e.rating === 0 ||
    (e.kind === FILTERED && e.ease === 0) || e.kind === RESCHEDULED));
  const reviews = [];
  const items = [];
  let prevDay = 0;
  kept.forEach((e, i) => {
    const day = dayNumber(e.time, hour, tz);
    const deltaT = i === 0 ? 0 : Math.max(0, day - prevDay);
    prevDay = day;
    reviews.push({ rating: e.rating, deltaT });
    if (i > 0 && deltaT > 0)
      items.push({ time: e.time, reviews: reviews.slice() });
  });
  return items;
}

function buildItems(rows, hasState, hour, tz) {
  const byCard = new Map();
  for (const r of rows) {
    if (!byCard.has(r.card))
      byCard.set(r.card, []);
    byCard.get(r.card).push(r);
  }
  // Cards in numeric id order, reviews in time order, as Anki reads them.
  const byId = (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  const cards = [...byCard.keys()].sort(byId);
  let items = [];
  for (const card of cards) {
    const entries = byCard.get(card).slice().sort((a, b) => a.time - b.time);
    entries.forEach((e, i) => {
      e.kind = hasState ? kindOfState(e.state) : (i === 0 ? LEARNING : REVIEW);
      e.ease = -1;
    });
    items = items.concat(cardItems(entries, hour, tz));
  }
  // Stable: ties keep card order.
  items.sort((a, b) => a.time - b.time);
  return items;
}

const serialiseItem = (it) => it.reviews.map((r) => `${r.rating},${r.deltaT}`).join(';');

function itemsHash(items) {
  const h = createHash('sha256');
  for (const it of items)
    h.update(serialiseItem(it) + '\n');
  return h.digest('hex');
}

const toBinding = (items) => items.map((it) =>
  new FSRSBindingItem(it.reviews.map((r) => new FSRSBindingReview(r.rating, r.deltaT))));

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The binding's evaluate: recency-weighted log loss and RMSE(bins) with
// bins weighted by summed recency weights (fsrs-rs FSRS::evaluate).
function evaluate(params, bindingItems) {
  const m = new FSRSBinding(params).evaluate(bindingItems);
  return { log_loss_weighted: m.logLoss, rmse_bins: m.rmseBins };
}

async function optimize(csvPath) {
  const hour = Number(option('--day-start-hour', 4));
  const tz = Number(option('--tz-offset-min', 0));
  const runs = Number(option('--runs', 5));
  const text = readFileSync(csvPath);
  const { rows, hasState } = parseCsv(text.toString('utf8'));
  const items = buildItems(rows, hasState, hour, tz);
  const bindingItems = toBinding(items);

  const itemsOut = option('--items-out', null);
  if (itemsOut)
    writeFileSync(itemsOut, items.map(serialiseItem).join('\n') + '\n');

  let converterCheck = 'not run (no review_state column)';
  if (hasState) {
    const offsetProvider = () => tz;
    const converted = convertCsvToFsrsItems(text, hour, 'UTC', offsetProvider)
      .map((it) => it.reviews.map((r) => `${r.rating},${r.deltaT}`).join(';'));
    const ours = items.map(serialiseItem);
    const sameOrder = ours.length === converted.length && ours.every((s, i) => s === converted[i]);
    const a = ours.slice().sort(), b = converted.slice().sort();
    const sameSet = a.length === b.length && a.every((s, i) => s === b[i]);
    converterCheck = sameOrder ? `identical item list (${ours.length} items)`
      : sameSet ? `identical item multiset, different order of equal times (${ours.length} items)`
        : `DIFFERENT: ours ${ours.length} items, convertCsvToFsrsItems ${converted.length}`;
  }

  // timeout is the binding's progress-poll period in ms; computeParameters
  // joins the poller before it returns, so the default 500 would add up to
  // half a second of sleeping to every measured run.
  const options = { enableShortTerm: true, numRelearningSteps: 1, timeout: 1 };
  const seconds = [];
  let params = null;
  for (let run = 0; run < runs; run++) {
    const t0 = process.hrtime.bigint();
    const p = await computeParameters(bindingItems, options);
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (params !== null && p.some((x, i) => x !== params[i]))
      throw new Error('computeParameters is not deterministic');
    params = p;
  }

  const defaults = new FSRSBinding().evaluate(bindingItems);
  const result = {
    meta: {
      what: 'fsrs-rs optimizer reference for tests/test-fsrs-optimizer.c (written by optimize.mjs)',
      binding: `@open-spaced-repetition/binding ${versionOf('@open-spaced-repetition/binding')}`,
      log: basename(csvPath),
      log_sha256: createHash('sha256').update(text).digest('hex'),
      day_start_hour: hour,
      tz_offset_min: tz,
      reviews: rows.length,
      items: items.length,
      items_sha256: itemsHash(items),
      converter_check: converterCheck,
      options,
    },
    reference: {
      params,
      ...evaluate(params, bindingItems),
      seconds_min: Math.min(...seconds),
      seconds_median: median(seconds),
      runs,
    },
    defaults: { log_loss_weighted: defaults.logLoss, rmse_bins: defaults.rmseBins },
  };

  const out = option('--out', null);
  const json = JSON.stringify(result, null, 2) + '\n';
  if (out)
    writeFileSync(out, json);
  process.stdout.write(json);
}

// A realistic synthetic log: cards learnt over a year and reviewed for two,
// recall drawn from FSRS-6 with perturbed "true" parameters, intervals from
// the default parameters (the scheduler a user would have had).
function synthesize(outPath) {
  const nCards = Number(option('--cards', 3000));
  let seed = Number(option('--seed', 7)) >>> 0;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const truth = new FSRSBinding([0.3, 1.6, 3.2, 12.0, 6.8, 0.7, 2.6, 0.01, 1.6, 0.14,
    0.9, 1.7, 0.1, 0.3, 1.9, 0.5, 2.2, 0.4, 0.2, 0.1, 0.2]);
  const scheduler = new FSRSBinding();
  const start = Date.UTC(2024, 0, 1, 9);
  const horizonDays = 730;
  const out = ['card_id,review_time,review_rating,review_state,review_duration'];
  const pickRating = (pass) => {
    if (!pass)
      return 1;
    const x = rand();
    return x < 0.12 ? 2 : x < 0.92 ? 3 : 4;
  };
  for (let c = 0; c < nCards; c++) {
    const cardId = 1700000000000 + c;
    let day = Math.floor(rand() * 365);
    let t = start + day * DAY_MS + Math.floor(rand() * 12 * 3600000);
    const first = pickRating(rand() > 0.25);
    const emit = (rating, state, ms) =>
      out.push(`${cardId},${ms},${rating},${state},${1000 + Math.floor(rand() * 20000)}`);
    emit(first, 0, t);
    let real = truth.nextStates(null, 0.9, 0);
    let sched = scheduler.nextStates(null, 0.9, 0);
    const pickState = (ns, g) => [ns.again, ns.hard, ns.good, ns.easy][g - 1].memory;
    let realMem = pickState(real, first);
    let schedMem = pickState(sched, first);
    // Learning steps: Again/Hard get a same-day Good ten minutes later.
    if (first <= 2) {
      t += 600000;
      emit(3, 1, t);
      realMem = pickState(truth.nextStates(realMem, 0.9, 0), 3);
      schedMem = pickState(scheduler.nextStates(schedMem, 0.9, 0), 3);
    }
    for (;;) {
      const interval = Math.max(1, Math.round(schedMem.stability * (0.95 + 0.1 * rand())));
      const late = rand() < 0.2 ? Math.floor(rand() * interval * 0.5) : 0;
      day += interval + late;
      if (day >= horizonDays)
        break;
      t = start + day * DAY_MS + Math.floor(rand() * 14 * 3600000);
      const elapsed = interval + late;
      const r = Math.pow(1 + (Math.pow(0.9, -1 / 0.2) - 1) * elapsed / realMem.stability, -0.2);
      const rating = pickRating(rand() < r);
      emit(rating, 2, t);
      const memory = (m) => new BindingMemoryState(m.stability, m.difficulty);
      realMem = pickState(truth.nextStates(memory(realMem), 0.9, elapsed), rating);
      schedMem = pickState(scheduler.nextStates(memory(schedMem), 0.9, elapsed), rating);
      if (rating === 1) {
        t += 600000;
        emit(3, 3, t);
        realMem = pickState(truth.nextStates(realMem, 0.9, 0), 3);
        schedMem = pickState(scheduler.nextStates(schedMem, 0.9, 0), 3);
      }
    }
  }
  writeFileSync(outPath, out.join('\n') + '\n');
  process.stderr.write(`${outPath}: ${out.length - 1} reviews of ${nCards} cards\n`);
}

const synthOut = option('--synthesize', null);
if (synthOut !== null) {
  synthesize(synthOut);
} else {
  const csv = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') &&
    (i === 0 || !all[i - 1].startsWith('--')));
  if (!csv) {
    process.stderr.write('usage: node optimize.mjs LOG.csv [--day-start-hour H] [--tz-offset-min M] ' +
      '[--runs N] [--out FILE] [--items-out FILE] | --synthesize OUT.csv [--cards N] [--seed S]\n');
    process.exit(2);
  }
  await optimize(csv);
}
