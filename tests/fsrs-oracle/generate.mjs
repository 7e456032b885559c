// generate.mjs
//
// Copyright 2026 The StudyDeck Developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes histories.jsonl: random review histories replayed through two
// reference FSRS-6 implementations, for tests/test-fsrs.c and
// tests/test-fsrs-replay.py. Reproducible: same seed, same package versions,
// same file.
//
//   npm ci && node generate.mjs [--count N] [--seed S] [--out FILE]

import { readFileSync, writeFileSync } from 'node:fs';
import { FSRSBinding, BindingMemoryState } from '@open-spaced-repetition/binding';
import { FSRSAlgorithm } from 'ts-fsrs';

// Both packages hide package.json behind "exports"; read it from node_modules.
const versionOf = (name) => JSON.parse(
  readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const bindingVersion = versionOf('@open-spaced-repetition/binding');
const tsVersion = versionOf('ts-fsrs');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const COUNT = Number(option('--count', 1200));
const SEED = Number(option('--seed', 20260101));
const OUT = option('--out', new URL('histories.jsonl', import.meta.url).pathname);

// mulberry32: small, seeded, good enough to spread test cases.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const uniform = (lo, hi) => lo + (hi - lo) * rand();
const intIn = (lo, hi) => Math.floor(uniform(lo, hi + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];
function weighted(weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i];
    if (x < 0) return i;
  }
  return weights.length - 1;
}

// Parameter bounds of fsrs-rs clip_parameters (short-term off).
const LOW = [0.001, 0.001, 0.001, 0.001, 1, 0.001, 0.001, 0.001, 0, 0, 0.001,
  0.001, 0.001, 0.001, 0, 0, 1, 0, 0, 0, 0.1];
const HIGH = [100, 100, 100, 100, 10, 4, 4, 0.75, 4.5, 0.8, 3.5,
  5, 0.25, 0.9, 4, 1, 6, 2, 2, 0.8, 0.8];

function randomParams() {
  const w = [];
  const s0 = [uniform(0.1, 2), uniform(0.5, 5), uniform(1, 15), uniform(5, 60)].sort((a, b) => a - b);
  w.push(...s0);
  for (let i = 4; i < 21; i++) {
    let lo = LOW[i];
    let hi = HIGH[i];
    if (i === 17 || i === 18) hi = 1.2;
    if (i === 19) lo = 0.01; // ts clips w19 to >= 0.01 with short-term on
    w.push(Number(uniform(lo, hi).toFixed(4)));
  }
  return w.map((x) => Number(x.toFixed(4)));
}

const PARAM_SETS = [
  { name: 'default', w: null },
  { name: 'trained-like', w: [0.3197, 1.1742, 3.0, 13.4, 6.9, 0.61, 2.2, 0.004, 1.61, 0.12,
    0.95, 1.72, 0.09, 0.31, 1.88, 0.45, 2.3, 0.62, 0.14, 0.11, 0.2] },
  { name: 'strong-short-term', w: [0.5, 2.0, 4.0, 20.0, 5.5, 1.2, 1.5, 0.05, 2.2, 0.3,
    1.4, 2.5, 0.2, 0.5, 2.5, 0.3, 3.5, 1.5, 0.9, 0.4, 0.5] },
  { name: 'fsrs5-19', w: [0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046,
    1.54575, 0.1192, 1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621] },
  { name: 'fsrs4.5-17', w: [0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86, 0.01, 1.49, 0.14, 0.94, 2.18,
    0.05, 0.34, 1.26, 0.29, 2.61] },
  { name: 'low-s0', w: [0.05, 0.08, 1.5, 6.0, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
    0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542] },
  { name: 'out-of-bounds', w: [0.212, 1.2931, 2.3065, 150.0, 12.0, 0.8334, 3.0194, 0.9, 1.8722,
    -0.1, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 1.3, 0.5, 0.5425, 0.0912, 0.0658, 0.05] },
];
for (let i = 0; i < 5; i++) PARAM_SETS.push({ name: `random-${i}`, w: randomParams() });

const RETENTIONS = [0.9, 0.9, 0.8, 0.85, 0.95, 0.7, 0.97];
const DAY_START_HOURS = [4, 4, 0, 2, 6, 12, 23];
const TZ_OFFSETS = [0, 60, 120, -300, -420, 330, 345, 540, 600, -600, 780];
const MAX_INTERVALS = [36500, 36500, 36500, 36500, 365, 100, 30];
const RATING_MODES = {
  normal: [0.15, 0.15, 0.55, 0.15],
  struggling: [0.4, 0.3, 0.25, 0.05],
  easy: [0.03, 0.05, 0.35, 0.57],
  uniform: [0.25, 0.25, 0.25, 0.25],
};

const DAY_MS = 86400000;
function dayNumber(ms, dayStartHour, tzMin) {
  return Math.floor((ms + tzMin * 60000 - dayStartHour * 3600000) / DAY_MS);
}

// Rust f32::round / C round: half away from zero (intervals are positive).
function roundInterval(raw, max) {
  if (!(raw >= 1)) return 1;
  if (raw >= max) return max;
  return Math.min(Math.max(Math.floor(raw + 0.5), 1), max);
}

// f32 values printed with 9 significant digits round-trip exactly.
const f32 = (x) => Number(x.toPrecision(9));
const f64 = (x) => Number(x.toPrecision(15));

function makeHistory(id) {
  const set = PARAM_SETS[id < PARAM_SETS.length * 20 ? id % PARAM_SETS.length : intIn(0, PARAM_SETS.length - 1)];
  const retention = pick(RETENTIONS);
  const dayStartHour = pick(DAY_START_HOURS);
  const tzMin = pick(TZ_OFFSETS);
  const maxInterval = pick(MAX_INTERVALS);
  const mode = pick(Object.keys(RATING_MODES));
  const lengthKind = weighted([0.08, 0.6, 0.27, 0.05]);
  const n = [intIn(1, 2), intIn(3, 15), intIn(16, 40), intIn(41, 120)][lengthKind];

  const rs = set.w === null ? new FSRSBinding() : new FSRSBinding(set.w);
  const ts = new FSRSAlgorithm({
    w: set.w === null ? undefined : set.w,
    request_retention: retention,
    maximum_interval: maxInterval,
    enable_fuzz: false,
    enable_short_term: true,
  });

  const reviews = [];
  const deltaT = [];
  const rsOut = { s: [], d: [], interval_raw: [], interval: [] };
  const tsOut = { w: Array.from(ts.parameters.w, f64), r: [], s: [], d: [], interval_raw: [], interval: [] };

  let t = Date.UTC(2018, 0, 1) + Math.floor(uniform(0, 7 * 365)) * DAY_MS + Math.floor(uniform(0, DAY_MS));
  let rsState = null;
  let tsState = null;
  let lastInterval = 0;

  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const kind = weighted([0.22, 0.45, 0.1, 0.23]);
      let gapMs;
      if (kind === 0) gapMs = uniform(60e3, 6 * 3600e3); // same session, may cross a day start
      else if (kind === 1) gapMs = lastInterval * uniform(0.3, 2.0) * DAY_MS + uniform(-6, 6) * 3600e3;
      else if (kind === 2) gapMs = uniform(100, 1500) * DAY_MS;
      else gapMs = uniform(1, 30) * DAY_MS;
      t += Math.max(60e3, Math.floor(gapMs));
    }
    const rating = weighted(RATING_MODES[mode]) + 1;
    const dt = i === 0 ? 0 : dayNumber(t, dayStartHour, tzMin) - dayNumber(reviews[i - 1].t, dayStartHour, tzMin);
    reviews.push({ t, rating });
    deltaT.push(dt);

    // fsrs-rs: next_states() from the previous f32 state, then the chosen rating.
    const next = rs.nextStates(rsState, retention, dt);
    const chosen = [next.again, next.hard, next.good, next.easy][rating - 1];
    const s = chosen.memory.stability;
    const d = chosen.memory.difficulty;
    rsState = new BindingMemoryState(s, d);
    rsOut.s.push(f32(s));
    rsOut.d.push(f32(d));
    rsOut.interval_raw.push(f32(chosen.interval));
    rsOut.interval.push(roundInterval(chosen.interval, maxInterval));

    // ts-fsrs: next_state() and its own rounding (max(1, round(S·modifier)), capped).
    tsOut.r.push(tsState === null ? null : f64(ts.forgetting_curve(dt, tsState.stability)));
    tsState = ts.next_state(tsState, dt, rating);
    tsOut.s.push(f64(tsState.stability));
    tsOut.d.push(f64(tsState.difficulty));
    tsOut.interval_raw.push(f64(tsState.stability * ts.interval_modifier));
    tsOut.interval.push(ts.next_interval(tsState.stability, dt));

    lastInterval = Math.max(rsOut.interval[i], 0.02);
  }

  return {
    id,
    params_name: set.name,
    params: set.w,
    retention,
    day_start_hour: dayStartHour,
    tz_offset_min: tzMin,
    max_interval: maxInterval,
    reviews,
    delta_t: deltaT,
    rs: rsOut,
    ts: tsOut,
  };
}

const lines = [];
lines.push(JSON.stringify({
  meta: {
    generator: 'tests/fsrs-oracle/generate.mjs',
    seed: SEED,
    count: COUNT,
    node: process.version,
    references: {
      rs: `@open-spaced-repetition/binding ${bindingVersion} (fsrs-rs, f32): FSRSBinding.nextStates per review; interval_raw is its unrounded interval, interval = round half away from zero, clamped to [1, max_interval] by this script`,
      ts: `ts-fsrs ${tsVersion} (f64, 8-decimal rounding): FSRSAlgorithm.next_state / next_interval with enable_short_term, no fuzz; w is its effective parameter vector, r its retrievability before the review, interval_raw = S * interval_modifier`,
    },
    delta_t: 'local calendar day of (t + tz_offset_min minutes - day_start_hour hours), difference to the previous review',
  },
}));
let steps = 0;
for (let id = 0; id < COUNT; id++) {
  const h = makeHistory(id);
  steps += h.reviews.length;
  lines.push(JSON.stringify(h));
}
writeFileSync(OUT, lines.join('\n') + '\n');
console.log(`wrote ${COUNT} histories, ${steps} reviews to ${OUT}`);
