#!/usr/bin/env bash
# Spool benchmark (issue 3, acceptance 6): a spool of JOBS (default 1,000,000) ready jobs is counted
# (`status`), listed (`list --json`, streaming, recipients counted from each file) and claimed
# (`debug-spool claim-bench`, the worker's claimBatch path: rename into the claim folder, lstat, safe open,
# read, UTF-8 check, duplicate lookups, one fsync per batch). Reports wall time, jobs/s and peak RSS of
# each phase. Not part of `make test`.
#
#   swift build -c release --product mailroom
#   Benchmarks/spool/run.sh                      # JOBS=1000000 BATCH=256 MAILROOM_BIN=.build/release/mailroom
#
# Needs ~5 GB of free disk and ~1.1M free inodes in $WORK (default: a folder under /tmp), removed at the end.
set -euo pipefail

JOBS=${JOBS:-1000000}
BATCH=${BATCH:-256}
BIN=${MAILROOM_BIN:-.build/release/mailroom}
WORK=${WORK:-$(mktemp -d /tmp/mailroom-spool-bench.XXXXXX)}
SPOOL="$WORK/spool"
trap 'rm -rf "$WORK"' EXIT

[ -x "$BIN" ] || { echo "no mailroom binary at $BIN (build with: swift build -c release --product mailroom)" >&2; exit 66; }

# Runs a command with stdout to /dev/null and prints "seconds peak_rss_kib" (from getrusage of the child).
measure() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.monotonic()
with open("/dev/null", "w") as sink:
    status = subprocess.run(sys.argv[1:], stdout=sink).returncode
elapsed = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if status != 0:
    sys.exit(f"{sys.argv[1:]} exited {status}")
print(f"{elapsed:.2f} {peak}")
PY
}

report() {  # phase, seconds, rss
    local rate
    rate=$(python3 -c "print(int($JOBS / max($2, 1e-9)))")
    printf '%-34s %8s s %10s jobs/s %8s MiB peak RSS\n' "$1" "$2" "$rate" "$(( $3 / 1024 ))"
}

echo "mailroom spool benchmark: $JOBS jobs, batch $BATCH, $(nproc) cores, $(uname -r), $(df -T "$WORK" | awk 'NR==2 {print $2}') at $WORK"
"$BIN" debug-spool seed --spool "$SPOOL" --count "$JOBS"
sync

read -r secs rss < <(measure "$BIN" status --json --spool "$SPOOL")
report "status (count 1 folder entry/job)" "$secs" "$rss"
read -r secs rss < <(measure "$BIN" list --json --no-recipients --spool "$SPOOL")
report "list --json --no-recipients" "$secs" "$rss"
read -r secs rss < <(measure "$BIN" list --json --spool "$SPOOL")
report "list --json (reads + parses jobs)" "$secs" "$rss"
lines=$("$BIN" list --json --no-recipients --spool "$SPOOL" | wc -l)
[ "$lines" -eq "$JOBS" ] || { echo "list printed $lines lines, expected $JOBS" >&2; exit 1; }

claim_json=$("$BIN" debug-spool claim-bench --spool "$SPOOL" --batch "$BATCH")
read -r secs rss < <(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['seconds'], d['peak_rss_kib'])" "$claim_json")
report "claim (claimBatch, batch $BATCH)" "$secs" "$rss"
echo "claim-bench: $claim_json"
claimed=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['claimed'])" "$claim_json")
[ "$claimed" -eq "$JOBS" ] || { echo "claimed $claimed, expected $JOBS" >&2; exit 1; }
