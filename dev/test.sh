#!/usr/bin/env bash
# The project's test command: installs the Debian packages it needs, builds
# with -Werror, and runs every spec through CTest.
#
#   sudo bash dev/test.sh              (or as root: bash dev/test.sh)
#   sudo bash dev/test.sh -R layout    extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/lib.sh
need_root "$@"
install_packages
check_fuse
build
ctest --test-dir build --output-on-failure "$@"
