# Shared by dev/test.sh and dev/mount.sh: become root, install what the
# project needs on Debian, build.  Source it from the repository root.

# Everything the build and the specs use: compiler and CMake, Lua 5.4 and
# LuaUnit, libfuse3 and fusermount3, liburing (FUSE over io_uring, -o
# io_uring; the build does without it), perl and ps for the test processes,
# setpriv and unshare (util-linux), timeout (coreutils); the tools the specs
# run against a mount: procps (ps, top, pgrep, pidof, pmap, free, uptime),
# python3-psutil (run by /usr/bin/python3) and bubblewrap (bwrap).
PROCLUA_PACKAGES=(build-essential cmake pkg-config liblua5.4-dev lua5.4 lua-unit
                  libfuse3-dev fuse3 liburing-dev perl procps util-linux coreutils
                  python3 python3-psutil bubblewrap)

# Re-run the calling script as root (the specs mount FUSE filesystems and
# start processes as other users).
need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      exec sudo bash "$0" "$@"
    fi
    echo "$0: run this as root (sudo bash $0)" >&2
    exit 1
  fi
}

# apt-get update and install, only when a package is missing.
install_packages() {
  local missing=() p
  for p in "${PROCLUA_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$p")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# FUSE needs /dev/fuse (in a container: --device /dev/fuse --cap-add SYS_ADMIN).
check_fuse() {
  if [ ! -c /dev/fuse ]; then
    modprobe fuse 2>/dev/null || true
  fi
  if [ ! -c /dev/fuse ]; then
    echo "$0: /dev/fuse is missing: FUSE is not available here" \
         "(in a container, run it with --device /dev/fuse --cap-add SYS_ADMIN)" >&2
    exit 1
  fi
}

build() {
  cmake -S . -B build -DCMAKE_C_FLAGS=-Werror
  cmake --build build -j2
}

# The same with ASan and UBSan (any finding fails), in build-asan/.
build_sanitized() {
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPROCLUA_SANITIZE=ON -DCMAKE_C_FLAGS=-Werror
  cmake --build build-asan -j2
}
