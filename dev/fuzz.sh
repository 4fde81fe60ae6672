#!/usr/bin/env bash
# Run the fuzz targets longer than dev/test.sh does, one at a time:
#
#   bash dev/fuzz.sh SECONDS [TARGET...]     (default: every target)
#
# Builds build-fuzz/ with clang first.  What the targets find is kept in
# build-fuzz/corpus/ for the next run; failing inputs in build-fuzz/crashes/.
# See fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/lib.sh
if [ $# -lt 1 ]; then
  echo "usage: $0 SECONDS [TARGET...]  (targets: ${PROCLUA_FUZZ_TARGETS[*]})" >&2
  exit 2
fi
build_fuzz
run_fuzz "$@"
