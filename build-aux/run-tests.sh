#!/bin/sh
# Runs the whole test suite of a configured build directory under a headless
# X server and a private session bus. Extra arguments go to `meson test`.
set -u

builddir=${1:-build}
shift || true

xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- meson test -C "$builddir" --print-errorlogs "$@"
