#!/usr/bin/env bash
# Build proclua and mount it in the background to look around.
#
#   sudo bash dev/mount.sh [MOUNTPOINT] [proclua options...]
#   e.g. sudo bash dev/mount.sh /tmp/proclua -o allow_other --layout examples/x.lua
#
# MOUNTPOINT defaults to /tmp/proclua.
set -euo pipefail
cd "$(dirname "$0")/.."
. dev/lib.sh
need_root "$@"
mnt=${1:-/tmp/proclua}
[ "$#" -gt 0 ] && shift
install_packages
check_fuse
build
mkdir -p "$mnt"
if mountpoint -q "$mnt"; then
  echo "$mnt is already a mount point; unmount it first: fusermount3 -u $mnt" >&2
  exit 1
fi
build/proclua "$@" "$mnt"   # without -f it mounts, then runs in the background
for _ in $(seq 100); do
  mountpoint -q "$mnt" && break
  sleep 0.1
done
if ! mountpoint -q "$mnt"; then
  echo "proclua did not mount $mnt" >&2
  exit 1
fi
cat <<MSG

proclua is mounted at $mnt.  Look around:
  ls $mnt
  cat $mnt/self/status
  ls -l $mnt/self/ $mnt/self/ns/
Unmount (this also ends the daemon):
  fusermount3 -u $mnt
MSG
