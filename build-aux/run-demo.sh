#!/bin/sh
# Starts StudyDeck from the build directory on a demo collection kept inside
# it, with the sample notes folder added, so nothing of the user's own
# collection or settings is touched.
set -eu

builddir=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
demo="$builddir/demo"
mkdir -p "$demo/config"

"$builddir/src/cli/studydeck-cli" --collection "$demo/collection.db" \
  notes add-folder "$top/data/samples" >/dev/null

export GSETTINGS_SCHEMA_DIR="$builddir/data"
export GSETTINGS_BACKEND=keyfile
export XDG_CONFIG_HOME="$demo/config"
exec "$builddir/src/app/studydeck" --collection "$demo/collection.db"
