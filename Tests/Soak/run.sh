#!/usr/bin/env bash
# make soak: the long reliability suites (see Tests/Soak/README.md). Minutes, not hours; works on a fresh clone.
#
#   1. the reliability suites at soak sizes (MAILROOM_SOAK=1): 20 kill -9 cycles over 5,000 jobs, the fault
#      matrix with 20 and 400 jobs per case, hostile input, unsafe entries, disk and permissions, secrets;
#   2. each libFuzzer target for SOAK_FUZZ_SECONDS (default 180) — Fuzz/run.sh;
#   3. the whole test suite under --sanitize=address and --sanitize=thread (.build-asan, .build-tsan);
#   4. Tests/Soak/RESULTS.md with the figures.
#
# Environment: SOAK_FUZZ_SECONDS (default 180), SOAK_SANITIZERS ("address thread"; "" skips them),
# SWIFT (default swift).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
swift="${SWIFT:-swift}"
fuzz_seconds="${SOAK_FUZZ_SECONDS:-180}"
sanitizers="${SOAK_SANITIZERS-address thread}"
out="$root/.build-soak"
figures="$out/figures"
rm -rf "$figures" && mkdir -p "$figures"
started=$(date +%s)
failures=()

step() { printf '\n=== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "build"
"$swift" build --build-tests >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; echo "soak: build failed"; exit 1; }

step "reliability suites at soak sizes"
suites_started=$(date +%s)
if MAILROOM_SOAK=1 MAILROOM_SOAK_FIGURES="$figures" "$swift" test --skip-build --filter ReliabilityTests >"$out/suites.log" 2>&1; then
  suites="passed"
else
  suites="FAILED"
  failures+=("reliability suites")
  grep -E "✘|recorded an issue" "$out/suites.log" | head -30
fi
suites_seconds=$(( $(date +%s) - suites_started ))
grep -E "^✔ Suite|^✘ Suite|Test run with" "$out/suites.log"

step "fuzzing, ${fuzz_seconds} s per target"
if "$root/Fuzz/run.sh" "$fuzz_seconds" | tee "$out/fuzz.txt"; then fuzz="passed"; else fuzz="FAILED"; failures+=("fuzzing"); fi

sanitizer_lines=()
# Tests whose only subject is a wall-clock budget (100 ms from publish to request, an abort within 5 s, a large
# body in under 900 ms, 400,000 recipients refused within 10 s): instrumented code runs several times slower, so
# under a sanitizer they measure the sanitizer. They run, unchanged, in step 1's build and in make test.
timing_tests="Within100ms|ReturnsPromptly|WithoutWaitingForA100Continue|RefusedQuickly"
for sanitizer in $sanitizers; do
  short="${sanitizer:0:1}san"
  step "test suite under --sanitize=$sanitizer (.build-$short)"
  scratch="$root/.build-$short"
  log="$out/$short.log"
  if ! "$swift" build --build-tests --scratch-path "$scratch" --sanitize="$sanitizer" >"$log.build" 2>&1; then
    tail -30 "$log.build"
    failures+=("$sanitizer sanitizer build")
    sanitizer_lines+=("| $sanitizer | build failed | – | – |")
    continue
  fi
  # Leak reports are not memory errors (the Swift runtime keeps some allocations for the life of the process);
  # every other ASan/TSan report fails the run: halt_on_error makes a report end the process with a failure.
  # TSan suppresses two things it cannot see ordered: Synchronization.Mutex's futex locking and swift-nio's
  # in-place ByteBuffer reallocation after a uniqueness check (Tests/Soak/tsan-suppressions.txt says why).
  if ASAN_OPTIONS="detect_leaks=0:halt_on_error=1" \
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/Tests/Soak/tsan-suppressions.txt" \
    "$swift" test --skip-build --scratch-path "$scratch" --sanitize="$sanitizer" --skip "$timing_tests" >"$log" 2>&1; then
    result="passed"
  else
    result="FAILED"
    failures+=("$sanitizer sanitizer")
    grep -E "✘|ERROR: (Address|Thread)Sanitizer|WARNING: ThreadSanitizer|SUMMARY" "$log" | head -30
  fi
  tests=$(sed -n 's/.*Test run with \([0-9]*\) tests.*/\1/p' "$log" | tail -1)
  # One SUMMARY line per report, the test process's own and those of the mailroom processes it ran (quoted in failures).
  reports=$(grep -cE "^SUMMARY: (Address|Thread)Sanitizer" "$log" || true)
  sanitizer_lines+=("| $sanitizer | $result | ${tests:-?} (all but the 4 wall-clock budget tests) | ${reports:-0} |")
  echo "sanitizer $sanitizer: $result, ${tests:-?} tests, ${reports:-0} reports"
done

total_seconds=$(( $(date +%s) - started ))
step "writing Tests/Soak/RESULTS.md"
SOAK_SUITES="$suites" SOAK_SUITES_SECONDS="$suites_seconds" SOAK_FUZZ="$fuzz" SOAK_TOTAL_SECONDS="$total_seconds" \
SOAK_FIGURES="$figures" SOAK_FUZZ_LINES="$(cat "$out/fuzz.txt" 2>/dev/null)" SOAK_FUZZ_SECONDS="$fuzz_seconds" \
SOAK_SANITIZER_LINES="$(printf '%s\n' "${sanitizer_lines[@]:-}")" SOAK_CORPUS_DIR="$root/Fuzz/corpus" \
  python3 "$root/Tests/Soak/results.py" >"$root/Tests/Soak/RESULTS.md"
cat "$root/Tests/Soak/RESULTS.md"

if [ ${#failures[@]} -gt 0 ]; then
  printf '\nsoak FAILED: %s (logs in %s)\n' "${failures[*]}" "$out"
  exit 1
fi
printf '\nsoak passed in %d min (logs in %s)\n' $(( total_seconds / 60 )) "$out"
