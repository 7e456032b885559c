#!/usr/bin/env python3
# Counts test cases in meson's testlog.json files: TAP programs by their
# "ok"/"not ok" lines, other tests by their result. Prints one line per log
# and, last, the total as "N passed, N failed".
import json
import re
import sys

TAP_LINE = re.compile(r'^(not ok|ok)\b(.*)$')


def count(path):
    passed = failed = skipped = 0
    with open(path, encoding='utf-8') as log:
        for line in log:
            test = json.loads(line)
            result = test.get('result', '')
            out = test.get('stdout') or ''
            tap = [TAP_LINE.match(l) for l in out.splitlines()]
            tap = [m for m in tap if m]
            if tap:
                for m in tap:
                    directive = m.group(2)
                    if '# SKIP' in directive.upper():
                        skipped += 1
                    elif m.group(1) == 'ok' or '# TODO' in directive.upper():
                        passed += 1
                    else:
                        failed += 1
                # A program that died before printing its plan still failed.
                if result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and not any(
                        m.group(1) == 'not ok' for m in tap):
                    failed += 1
            elif result in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif result == 'SKIP':
                skipped += 1
            else:
                failed += 1
    return passed, failed, skipped


def main():
    total_p = total_f = total_s = 0
    for path in sys.argv[1:]:
        p, f, s = count(path)
        print(f'{path}: {p} passed, {f} failed, {s} skipped')
        total_p += p
        total_f += f
        total_s += s
    if total_s:
        print(f'({total_s} skipped)')
    print(f'{total_p} passed, {total_f} failed')
    return 1 if total_f else 0


if __name__ == '__main__':
    sys.exit(main())
