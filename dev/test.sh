#!/usr/bin/env bash
# The project's test command: installs the Debian packages it needs, builds
# with -Werror, and runs every spec through CTest; then builds again with
# AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/) and runs
# every spec once more on that build.  A spec that fails is run once more
# before it counts as failed (a race with the rest of the machine does not
# repeat; a defect does).  Last, the fuzz targets (fuzz/) are built with
# clang (build-fuzz/) and each runs for 15 s over its corpus (eight
# targets: about two minutes and a half with the build, on 2 cores); any
# crash, sanitizer report, leak or hang fails the command.
#
#   sudo bash dev/test.sh              (or as root: bash dev/test.sh)
#   sudo bash dev/test.sh -R layout    extra arguments go to ctest
#   PROCLUA_SANITIZE=0 bash dev/test.sh   skip the sanitizer pass
#   PROCLUA_FUZZ=0 bash dev/test.sh       skip the fuzz pass
#   PROCLUA_FUZZ_SECONDS=60 bash dev/test.sh   fuzz each target longer
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/lib.sh
need_root "$@"
install_packages
check_fuse
build
ctest --test-dir build --output-on-failure --repeat until-pass:2 "$@"
if [ "${PROCLUA_SANITIZE:-1}" != 0 ]; then
  build_sanitized
  ctest --test-dir build-asan --output-on-failure --repeat until-pass:2 "$@"
fi
if [ "${PROCLUA_FUZZ:-1}" != 0 ]; then
  build_fuzz
  run_fuzz "${PROCLUA_FUZZ_SECONDS:-15}"
fi
