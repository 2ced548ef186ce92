#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang, with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs each for a bounded time, starting from its seed corpus
# and every input that ever crashed it. Fails on any crash, sanitizer report, leak, timeout
# (an input that takes more than 10 s) or out-of-memory, and prints a table of executions.
#
# A failing input is saved under BUILD/fuzz/artifacts/TARGET/. Once the bug is fixed, copy it
# to tests/fuzz/regressions/TARGET/: every build replays that directory as a test from then on.
#
# usage: install/fuzz.sh [--build-dir DIR] [TARGET...]     (default: every target, build-asan)
#   LEAKGATE_FUZZ_SECONDS  seconds per target (default 30)
#   LEAKGATE_FUZZ_JOBS     targets fuzzed at once (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-asan
targets=()
while (($#)); do
  case "$1" in
    --build-dir) build="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  targets=(matcher config rules pre_push paths ignore objects)
fi
seconds="${LEAKGATE_FUZZ_SECONDS:-30}"
parallel="${LEAKGATE_FUZZ_JOBS:-2}"
cores=$(nproc 2>/dev/null || echo 2)
((cores > 2)) && cores=2

if ! grep -q '^LEAKGATE_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLEAKGATE_SANITIZE=ON -DLEAKGATE_FUZZ=ON >/dev/null
fi
cmake --build "$build" -j"$cores" --target "${targets[@]/#/fuzz_}"

out="$build/fuzz"
rm -rf "$out/logs"
mkdir -p "$out/logs"
# LeakSanitizer and UBSan findings are failures too; the exit codes tell them from a clean run.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}"

fuzz_one() {
  local t="$1"
  local work="$out/corpus/$t" artifacts="$out/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  local dirs=("$work" "tests/fuzz/corpus/$t")
  [[ -d "tests/fuzz/regressions/$t" ]] && dirs+=("tests/fuzz/regressions/$t")
  local dict=()
  case "$t" in
    config | rules) dict=(-dict=tests/fuzz/dict/toml.dict) ;;
    paths) dict=(-dict=tests/fuzz/dict/glob.dict) ;;
  esac
  # The seed and regression directories are read only; what the run learns goes to $work.
  local rc=0
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "${dirs[@]}" \
    >"$out/logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$out/logs/$t.rc"
}

for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  fuzz_one "$t" &
done
wait

failed=()
printf '%-10s %10s %10s %8s  %s\n' target execs "execs/s" corpus result
for t in "${targets[@]}"; do
  if [[ "$(cat "$out/logs/$t.rc")" == 0 ]]; then result=ok; else result=FAILED; failed+=("$t"); fi
  log="$out/logs/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$out/corpus/$t" -type f | wc -l)
  printf '%-10s %10s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "$result"
done

if ((${#failed[@]})); then
  for t in "${failed[@]}"; do
    echo "== fuzz_$t failed; its input is in $out/artifacts/$t/; the end of its log:" >&2
    grep -v '^#\|^ *NEW_FUNC' "$out/logs/$t.log" | tail -40 >&2
  done
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash, leak or timeout"
