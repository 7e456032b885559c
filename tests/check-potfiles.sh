#!/bin/sh
# Every source file with translatable strings must be listed in po/POTFILES.in,
# or its strings never reach translators.
set -u
top=${1:-.}
cd "$top" || exit 1

status=0
for file in $(grep -lE '\b_\(|N_\(|translatable="yes"|g_dngettext' \
                src/*/*.c src/*/*.ui src/app/gtk/*.ui 2>/dev/null); do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "not ok: $file has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done
for file in $(grep -v '^#' po/POTFILES.in); do
  if [ ! -f "$file" ]; then
    echo "not ok: po/POTFILES.in lists $file, which does not exist"
    status=1
  fi
done
[ $status -eq 0 ] && echo "every translatable file is listed"
exit $status
