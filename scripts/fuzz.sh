#!/usr/bin/env bash
# `npm run fuzz`: every cargo-fuzz target in fuzz/ for a bounded time (FUZZ_SECONDS each,
# default 300; or FUZZ_RUNS executions each), one after another on FUZZ_JOBS workers (default
# 1), then a table of executions per target. `fuzz.sh smoke` runs each for 3 s (what `npm test` does);
# `fuzz.sh <target>...` runs only those. Needs the nightly
# toolchain and cargo-fuzz (`bootstrap.sh` installs cargo-fuzz). A crash stops the run: libFuzzer
# leaves the input in fuzz/artifacts/<target>/; fix it and keep the input as a regression test.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-300}
[ "${1:-}" = smoke ] && seconds=3
jobs=()
if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
bound=(-max_total_time="$seconds")
[ -n "${FUZZ_RUNS:-}" ] && [ "${1:-}" != smoke ] && bound=(-runs="$FUZZ_RUNS") && seconds="?"
targets=$(cargo +nightly fuzz list)
if [ $# -gt 0 ] && [ "$1" != smoke ]; then targets="$*"; fi
cargo +nightly fuzz build -O 2>&1 | grep -v '^\s*Compiling' || true
report=()
for t in $targets; do
  mkdir -p "corpus/$t"
  log=$(mktemp)
  start=$SECONDS
  # Inputs up to 1 KiB: every document the parsers read is reached well below that, and
  # longer inputs only slow the search down.
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- "${bound[@]}" "${jobs[@]}" \
    -max_len="${FUZZ_MAX_LEN:-1024}" -print_final_stats=1 >"$log" 2>&1 || { tail -40 "$log"; echo "[fuzz] $t FAILED: see fuzz/artifacts/$t/" >&2; exit 1; }
  # With several jobs each writes fuzz-<n>.log; alone, libFuzzer reports to our log.
  runs=$({ cat "$log"; cat fuzz-*.log 2>/dev/null || true; } | sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' | awk '{ s += $1 } END { print s + 0 }')
  rm -f "$log"
  if [ ${#jobs[@]} -gt 0 ]; then rm -f fuzz-*.log; fi
  report+=("$(printf '%-16s %12s executions in %5ss, corpus %s inputs' "$t" "$runs" "$((SECONDS - start))" "$(ls "corpus/$t" | wc -l)")")
done
printf '\n[fuzz] no crash:\n'
printf '  %s\n' "${report[@]}"
