#!/bin/sh
# Copyright 2026 The StudyDeck Developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-flatpak-manifest.sh FLATPAK-BUILDER MANIFEST
#
# flatpak-builder --show-manifest fails on syntax errors, but an unknown or misspelt key
# only prints a warning on stderr and still exits 0. Fail on any stderr output too.
set -u

if [ "$#" -ne 2 ]; then
  echo "usage: $0 FLATPAK-BUILDER MANIFEST" >&2
  exit 2
fi

err=$(mktemp) || exit 1
trap 'rm -f "$err"' EXIT

"$1" --show-manifest "$2" >/dev/null 2>"$err"
rc=$?
if [ -s "$err" ]; then
  cat "$err" >&2
  echo "check-flatpak-manifest: flatpak-builder printed diagnostics for $2" >&2
  exit 1
fi
if [ "$rc" -ne 0 ]; then
  echo "check-flatpak-manifest: flatpak-builder --show-manifest exited with $rc" >&2
  exit 1
fi
echo "$2: OK"
