# Shared by dev/test.sh and dev/mount.sh: become root, install what the
# project needs on Debian, build.  Source it from the repository root.

# Everything the build and the specs use: compiler and CMake, Lua 5.4 and
# LuaUnit, libfuse3 and fusermount3, liburing (FUSE over io_uring, -o
# io_uring; the build does without it), perl and ps for the test processes,
# setpriv and unshare (util-linux), timeout (coreutils); the tools the specs
# run against a mount: procps (ps, top, pgrep, pidof, pmap, free, uptime),
# python3-psutil (run by /usr/bin/python3) and bubblewrap (bwrap).  The fuzz
# targets: clang, libFuzzer and clang's sanitizer runtimes (libclang-rt-14-dev,
# only recommended by clang's packages), llvm-symbolizer for their stack
# traces (llvm-14).
PROCLUA_PACKAGES=(build-essential cmake pkg-config liblua5.4-dev lua5.4 lua-unit
                  libfuse3-dev fuse3 liburing-dev perl procps util-linux coreutils
                  python3 python3-psutil bubblewrap clang libclang-rt-14-dev llvm-14
                  man-db psmisc tmux htop sysstat)

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

# The fuzz targets (fuzz/), built with clang's libFuzzer in build-fuzz/.
PROCLUA_FUZZ_TARGETS=(task_parsers machine_parsers net_parsers kstrto aspace layout world writes)

build_fuzz() {
  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPROCLUA_FUZZ=ON -DCMAKE_C_FLAGS=-Werror
  cmake --build build-fuzz --target fuzz -j2
}

# run_fuzz SECONDS [TARGET...]: each target (default: all) for SECONDS over
# its seeds (fuzz/corpus/T, read only) and what earlier runs found
# (build-fuzz/corpus/T), one at a time.  A crash, a sanitizer report, a
# leak, an input slower than 10 s or over 2 GiB fails it; its input is kept
# in build-fuzz/crashes/.  Returns non-zero if any target failed.
run_fuzz() {
  local seconds=$1 t failed=()
  shift
  local targets=("$@")
  [ "${#targets[@]}" -gt 0 ] || targets=("${PROCLUA_FUZZ_TARGETS[@]}")
  local symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
  [ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer
  export UBSAN_OPTIONS=print_stacktrace=1
  mkdir -p build-fuzz/crashes
  for t in "${targets[@]}"; do
    local dict=()
    case $t in layout|world) dict=(-dict=fuzz/lua.dict) ;; esac
    mkdir -p "build-fuzz/corpus/$t"
    echo "== fuzz $t: ${seconds} s"
    if ! "build-fuzz/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
         -verbosity=0 -print_final_stats=1 "${dict[@]}" -artifact_prefix="build-fuzz/crashes/$t-" \
         "build-fuzz/corpus/$t" "fuzz/corpus/$t" </dev/null; then
      failed+=("$t")
    fi
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]} (inputs in build-fuzz/crashes/; see fuzz/README.md)" >&2
    return 1
  fi
}
