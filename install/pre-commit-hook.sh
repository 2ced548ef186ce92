#!/usr/bin/env bash
# The pre-commit framework's `leakgate` hooks (language: script). Builds leakgate from the
# sources of the clone this script is in the first time it runs, and again whenever those
# sources change; caches the binary inside the clone; then runs it with the hook's arguments.
# Needs what install/deps.sh --build-only installs (cmake, a C++20 compiler, the libraries).
#
# Usage: install/pre-commit-hook.sh staged|commit-msg [arguments...]
# Environment: LEAKGATE_HOOK_CACHE  where to cache the build (default: .cache/pre-commit-hook
#                                   inside the clone)
#              LEAKGATE_BUILD_JOBS  parallel build jobs (default: the number of processors)
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cache="${LEAKGATE_HOOK_CACHE:-$src/.cache/pre-commit-hook}"
bin="$cache/leakgate"
stamp="$cache/sources.sha256"

# What the binary is built from; any change to it means a rebuild.
sources_hash() {
  (cd "$src" && find CMakeLists.txt hook lib -type f -print0 | LC_ALL=C sort -z |
    xargs -0 sha256sum) | sha256sum | cut -c1-64
}

built_from() { [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$1" ]]; }

build() {
  local hash="$1" dir="$cache/build" log="$cache/build.log"
  local jobs="${LEAKGATE_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
  # A build directory configured for another source path (a moved clone) cannot be reused.
  if [[ -f "$dir/CMakeCache.txt" ]] &&
    ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$dir/CMakeCache.txt"; then
    rm -rf "$dir"
  fi
  echo "leakgate: building leakgate from $src (first use, or its sources changed);" \
    "later runs start at once" >&2
  # Git's variables name the repository being committed to, not this build.
  if ! env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_OBJECT_DIRECTORY \
    bash -c 'cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DLEAKGATE_BUILD_TESTS=OFF &&
             cmake --build "$2" --target leakgate -j "$3"' _ "$src" "$dir" "$jobs" \
    >"$log" 2>&1; then
    tail -n 25 "$log" >&2
    echo "leakgate: the build failed (full log: $log). It needs cmake, a C++20 compiler and" \
      "the libraries that install/deps.sh --build-only installs; or use the leakgate-system" \
      "hook with a leakgate on PATH." >&2
    exit 2
  fi
  cp "$dir/hook/leakgate" "$bin.tmp"
  mv -f "$bin.tmp" "$bin"
  printf '%s\n' "$hash" >"$stamp"
}

hash="$(sources_hash)"
if ! built_from "$hash"; then
  mkdir -p "$cache"
  # One build at a time: commits in two repositories may share this clone.
  exec 9>"$cache/lock"
  if command -v flock >/dev/null; then flock 9; fi
  built_from "$hash" || build "$hash"
  exec 9>&-
fi
exec "$bin" "$@"
