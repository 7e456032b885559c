#!/usr/bin/env python3
# test-fsrs-replay.py
#
# Copyright 2026 The StudyDeck Developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the `studydeck-cli fsrs replay` interface and compares it with the
# fsrs-rs values in fsrs-oracle/histories.jsonl. Prints TAP.
#
#   test-fsrs-replay.py PATH/TO/studydeck-cli

import json
import os
import subprocess
import sys
import tempfile

REL_TOL = 1e-4
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.environ.get('G_TEST_SRCDIR', HERE), 'fsrs-oracle', 'histories.jsonl')

cli = sys.argv[1] if len(sys.argv) > 1 else None
results = []


def check(name, condition, detail=''):
    results.append((name, bool(condition), detail))


def replay(lines, *options):
    proc = subprocess.run([cli, 'fsrs', 'replay', *options],
                          input=''.join(line + '\n' for line in lines),
                          capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def rel_err(ours, ref):
    if ours == ref:
        return 0.0
    return abs(ours - ref) / max(abs(ref), 1e-12)


def card(card_id, *reviews):
    return json.dumps({'id': card_id,
                       'reviews': [{'t': t, 'rating': rating} for t, rating in reviews]})


DAY = 86400000
T0 = 1704103200000  # 2024-01-01 10:00 UTC


def test_interface():
    good1 = card(1, (T0, 3), (T0 + 3600000, 1), (T0 + 5 * DAY, 3))
    good2 = card('card-b', (T0, 4))
    good3 = json.dumps({'id': {'note': 7, 'ord': [0, 1]}, 'reviews': []})
    lines = [
        good1,
        card(2, (T0, 3), (T0 + DAY, 5)),
        '{"id": 3, "reviews": [',
        good2,
        '',
        json.dumps({'reviews': []}),
        json.dumps({'id': 4, 'reviews': [{'t': 'yesterday', 'rating': 3}]}),
        json.dumps({'id': 5, 'reviews': {}}),
        json.dumps({'id': 6, 'reviews': [{'t': T0 + DAY, 'rating': 3}, {'t': T0, 'rating': 3}]}),
        good3,
        '[1, 2]',
    ]
    rc, out, err = replay(lines)
    outputs = [json.loads(line) for line in out.splitlines()]
    check('malformed lines give a non-zero exit status', rc != 0, f'rc={rc}')
    check('only the well-formed cards are written, in order',
          [o['id'] for o in outputs] == [1, 'card-b', {'note': 7, 'ord': [0, 1]}],
          out)
    for expected in ('line 2: rating must be 1..4', 'line 3: not valid JSON',
                     'line 6: missing "id"', 'line 7: "t" must be an integer',
                     'line 8: "reviews" must be an array',
                     'line 9: review 2 is earlier than the review before it',
                     'line 11: expected a JSON object'):
        check(f'stderr reports "{expected}"', expected in err, err)
    check('a blank line is not reported', 'line 5' not in err, err)

    first = outputs[0]['steps']
    check('one step per review', len(first) == 3)
    check('first step: delta_t 0 and r null',
          first[0]['delta_t'] == 0 and first[0]['r'] is None)
    check('first Good gives the default S0 and D0',
          rel_err(first[0]['s'], 2.3065) < 1e-9 and rel_err(first[0]['d'], 2.1181039) < 1e-6,
          str(first[0]))
    check('same-day review: delta_t 0, r 1', first[1]['delta_t'] == 0 and first[1]['r'] == 1)
    check('five days later: delta_t 5, 0 < r < 1',
          first[2]['delta_t'] == 5 and 0 < first[2]['r'] < 1, str(first[2]))
    check('every step has delta_t, r, s, d, interval',
          all(set(s) == {'delta_t', 'r', 's', 'd', 'interval'} for s in first))
    check('empty review list gives no steps', outputs[2]['steps'] == [])

    rc, out, err = replay([good1, good2])
    check('well-formed input exits 0 with nothing on stderr', rc == 0 and err == '',
          f'rc={rc} {err}')
    rc, out, err = replay([])
    check('empty input writes nothing', rc == 0 and out == '')


def test_options():
    # 03:00 and 05:00 UTC on the same date.
    t1 = 1704078000000  # 2024-01-01 03:00 UTC
    t2 = t1 + 2 * 3600000
    line = card('x', (t1, 3), (t2, 3))
    _, out, _ = replay([line], '--day-start-hour', '4')
    check('--day-start-hour 4 puts 03:00 on the previous day',
          json.loads(out)['steps'][1]['delta_t'] == 1, out)
    _, out, _ = replay([line], '--day-start-hour', '0')
    check('--day-start-hour 0 keeps both on one day',
          json.loads(out)['steps'][1]['delta_t'] == 0, out)
    # UTC+2: local 05:00 and 07:00, both after the 4 a.m. rollover.
    _, out, _ = replay([line], '--day-start-hour', '4', '--tz-offset-min', '120')
    check('--tz-offset-min 120 shifts both after the rollover',
          json.loads(out)['steps'][1]['delta_t'] == 0, out)
    _, out, _ = replay([line], '--day-start-hour=4', '--tz-offset-min=-300')
    check('--tz-offset-min -300 (22:00 and 00:00 local) gives one day',
          json.loads(out)['steps'][1]['delta_t'] == 0, out)

    easy = card('e', (T0, 4), (T0 + 10 * DAY, 4), (T0 + 100 * DAY, 4))
    _, out9, _ = replay([easy])
    _, out8, _ = replay([easy], '--retention', '0.8')
    i9 = json.loads(out9)['steps'][-1]['interval']
    i8 = json.loads(out8)['steps'][-1]['interval']
    check('--retention 0.8 gives a longer interval than 0.9', i8 > i9 > 1, f'{i8} {i9}')
    _, out, _ = replay([easy], '--max-interval', '30')
    check('--max-interval caps the interval',
          json.loads(out)['steps'][-1]['interval'] == 30, out)

    for options, message in (
            (['--params', '[1, 2, 3, 4, 5]'], 'expected 17, 19 or 21 numbers, got 5'),
            (['--retention', '1.5'], '--retention'),
            (['--day-start-hour', '24'], '--day-start-hour'),
            (['--max-interval', '0'], '--max-interval'),
            (['--params', '/nonexistent/params.json'], 'params.json'),
            (['stray'], 'stray')):
        rc, out, err = replay([easy], *options)
        check(f'{" ".join(options)} is refused', rc != 0 and out == '' and message in err,
              f'rc={rc} {err}')


def test_fixture():
    with open(FIXTURE, encoding='utf-8') as f:
        histories = [json.loads(line) for line in f if line.strip()]
    histories = [h for h in histories if 'meta' not in h]

    # A few histories of every parameter set, grouped by command-line options.
    chosen = {}
    for h in histories:
        per_set = chosen.setdefault(h['params_name'], [])
        if len(per_set) < 4:
            per_set.append(h)

    groups = {}
    for per_set in chosen.values():
        for h in per_set:
            key = (json.dumps(h['params']), h['retention'], h['day_start_hour'],
                   h['tz_offset_min'], h['max_interval'])
            groups.setdefault(key, []).append(h)

    n_steps = 0
    worst = 0.0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (key, hs) in enumerate(sorted(groups.items())):
            params, retention, day_start, tz, max_interval = key
            options = ['--retention', repr(retention), '--day-start-hour', str(day_start),
                       f'--tz-offset-min={tz}', '--max-interval', str(max_interval)]
            if params != 'null':
                if n % 2:
                    options += ['--params', params]
                else:
                    path = os.path.join(tmp, f'params-{n}.json')
                    with open(path, 'w', encoding='utf-8') as f:
                        f.write(params)
                    options += ['--params', path]
            lines = [json.dumps({'id': h['id'], 'reviews': h['reviews']}) for h in hs]
            rc, out, err = replay(lines, *options)
            if rc != 0:
                failures.append(f'{options}: rc={rc} {err}')
                continue
            for h, line in zip(hs, out.splitlines()):
                o = json.loads(line)
                if o['id'] != h['id']:
                    failures.append(f'id {o["id"]} != {h["id"]}')
                rs = h['rs']
                for i, step in enumerate(o['steps']):
                    n_steps += 1
                    err_s = rel_err(step['s'], rs['s'][i])
                    err_d = rel_err(step['d'], rs['d'][i])
                    worst = max(worst, err_s, err_d)
                    where = f'history {h["id"]} step {i}'
                    if step['delta_t'] != h['delta_t'][i]:
                        failures.append(f'{where}: delta_t {step["delta_t"]}')
                    if err_s > REL_TOL or err_d > REL_TOL:
                        failures.append(f'{where}: s {step["s"]} d {step["d"]}, '
                                        f'rs {rs["s"][i]} {rs["d"][i]}')
                    # fsrs-rs is f32: an unrounded interval within the tolerance
                    # of a .5 boundary may round either way.
                    raw = rs['interval_raw'][i]
                    near_half = abs(raw - int(raw) - 0.5) <= REL_TOL * raw
                    if step['interval'] != rs['interval'][i] and not (
                            near_half and abs(step['interval'] - rs['interval'][i]) == 1):
                        failures.append(f'{where}: interval {step["interval"]}, '
                                        f'rs {rs["interval"][i]}')
                    if h['params'] is None and i > 0:
                        if rel_err(step['r'], h['ts']['r'][i]) > REL_TOL:
                            failures.append(f'{where}: r {step["r"]}, ts {h["ts"]["r"][i]}')
    check(f'{sum(len(v) for v in groups.values())} fixture histories, {n_steps} steps '
          f'match fsrs-rs (max relative error {worst:.2g})',
          not failures and n_steps > 0, '\n'.join(failures[:20]))
    lengths = {len(h['params']) for v in chosen.values() for h in v if h['params'] is not None}
    check('the fixture covers 17- and 19-number parameter vectors', {17, 19} <= lengths,
          str(lengths))


def main():
    if cli is None or not os.access(cli, os.X_OK):
        print('1..0 # SKIP usage: test-fsrs-replay.py PATH/TO/studydeck-cli')
        return 0
    for test in (test_interface, test_options, test_fixture):
        try:
            test()
        except Exception as e:  # report and go on with the next group
            check(f'{test.__name__} ran', False, repr(e))
    print(f'1..{len(results)}')
    for n, (name, ok, detail) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {n} - {name}')
        if not ok and detail:
            for line in str(detail).splitlines():
                print(f'# {line}')
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == '__main__':
    sys.exit(main())
