#!/usr/bin/env bash
# Builds the libFuzzer targets (a release build of MailroomCore and Registry with -sanitize=fuzzer, in
# ../.build-fuzz, never in the main .build) and runs each for SECONDS (default 180), starting from the committed
# seeds in Fuzz/corpus/ and the corpus grown by earlier runs. Prints one line per target:
#   fuzz TARGET: N executions in S s, corpus C inputs, 0 crashes
# and exits non-zero if a target crashed (the input is kept in .build-fuzz/artifacts/ and printed).
set -euo pipefail
seconds="${1:-180}"
here="$(cd "$(dirname "$0")" && pwd)"
scratch="$here/../.build-fuzz"
cd "$here"

swift build -c release --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer >"$scratch.log" 2>&1 || {
  cat "$scratch.log"; echo "fuzz: build failed"; exit 1; }
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

status=0
for pair in FuzzJob:job FuzzRegistry:registry; do
  target="${pair%%:*}" seeds="corpus/${pair##*:}"
  work="$scratch/corpus/${pair##*:}" artifacts="$scratch/artifacts"
  mkdir -p "$work" "$artifacts"
  log="$scratch/$target.log"
  # The Swift runtime's backtracer would catch the crash before libFuzzer can save the input.
  if SWIFT_BACKTRACE=enable=no "$bin/$target" "$work" "$seeds" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$artifacts/$target-" -print_final_stats=1 >"$log" 2>&1; then
    crashes=0
  else
    crashes=1 status=1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  took="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
  inputs="$(find "$work" -type f | wc -l)"
  echo "fuzz $target: ${runs:-0} executions in ${took:-$seconds} s, corpus $inputs inputs, $crashes crashes"
  if [ "$crashes" != 0 ]; then
    grep -E "Fatal error|ERROR|SUMMARY|Test unit written" "$log" | head -5
  fi
done
exit $status
