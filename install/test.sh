#!/usr/bin/env bash
# Builds leakgate and runs every test: the unit and end-to-end suite (ctest), then leakgate's
# sweep of this repository's own history, which must find nothing outside the allowlisted test
# data; then the whole suite again, built with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), and every fuzz target for a bounded time
# (install/fuzz.sh). Installs what the build needs first.
#
# usage: install/test.sh
#   LEAKGATE_SANITIZE=0       skip the sanitizer build, its tests and the fuzzing
#   LEAKGATE_FUZZ_SECONDS=N   seconds per fuzz target (default 30; 0 skips fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."

./install/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLEAKGATE_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== leakgate sweeps its own history"
if [[ -d .git ]] && git rev-parse --verify -q HEAD >/dev/null; then
  ./build/hook/leakgate history --repo .
fi

if [[ "${LEAKGATE_SANITIZE:-1}" == 0 ]]; then
  exit 0
fi
echo "== the suite again under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan)"
cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLEAKGATE_SANITIZE=ON -DLEAKGATE_FUZZ=ON >/dev/null
cmake --build build-asan -j"$jobs"
# A sanitizer report exits 86, never 1 or 2, which are leakgate's own answers: a test that
# expects "findings" cannot pass on a memory error. tests/sanitizers/lsan.supp says which leak
# of a library is known.
export ASAN_OPTIONS=exitcode=86:detect_leaks=1
export UBSAN_OPTIONS=exitcode=86:halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

if [[ "${LEAKGATE_FUZZ_SECONDS:-30}" != 0 ]]; then
  echo "== fuzzing, ${LEAKGATE_FUZZ_SECONDS:-30}s a target"
  ./install/fuzz.sh --build-dir build-asan
fi
