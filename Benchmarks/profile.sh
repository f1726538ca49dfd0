#!/usr/bin/env bash
# Where does `mailroom run --drain` spend its time? Seeds JOBS jobs, drains them against a local sandbox under
# `perf record` (cpu-clock sampling with call graphs: this VM has no hardware counters, and valgrind 3.19 cannot
# run the worker), and prints the hottest functions by self and by inclusive time, plus syscalls per job (strace -c).
#
#   Benchmarks/profile.sh [JOBS] [CONCURRENCY]      # defaults 10000 16
#   MAILROOM_BIN=… WORK_PARENT=/dev/shm Benchmarks/profile.sh   # e.g. the spool on tmpfs, to take the disk out
#
# Everything stays on 127.0.0.1; the work folder is removed at the end (the perf data is kept in Benchmarks/out/).
set -euo pipefail
jobs=${1:-10000}
concurrency=${2:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MAILROOM_BIN:-$root/.build-release/release/mailroom}
out=$root/Benchmarks/out
work=$(mktemp -d "${WORK_PARENT:-/tmp}/mailroom-profile.XXXXXX")
mkdir -p "$out"
[ -x "$bin" ] || { echo "no binary at $bin (swift build -c release --scratch-path .build-release --product mailroom)" >&2; exit 66; }
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 69; }

cleanup() {
    [ -n "${sandbox_pid:-}" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

"$bin" sandbox --listen 127.0.0.1:0 >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.05; done
port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/sandbox.out" | sed 's/.*://')
[ -n "$port" ] || { echo "the sandbox did not start" >&2; exit 69; }

prepare() {
    rm -rf "$work/home"
    "$bin" integrations add "$root/fixtures/integrations/create-request.json" --home "$work/home" >/dev/null
    "$bin" debug-spool seed --home "$work/home" --count "$jobs" >/dev/null
    sync
}
drain=("$bin" run --drain --concurrency "$concurrency" --api-url "http://127.0.0.1:$port" --home "$work/home" --log-level warning)

echo "== $jobs jobs, concurrency $concurrency, spool on $(df -T "$work" | awk 'NR==2 {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
prepare
start=$(date +%s.%N)
perf record -q -e cpu-clock -F 2000 -g -o "$out/perf.data" "${drain[@]}" 2>/dev/null
end=$(date +%s.%N)
python3 -c "print(f'drain under perf: {$jobs / ($end - $start):,.0f} jobs/s')"

echo "== hottest functions, self time (all threads, kernel included)"
perf report -i "$out/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep '%' | head -40 | cut -c1-200 || true
echo "== hottest call paths, inclusive time (user space)"
perf report -i "$out/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep '%' | grep -v '\[k\]' | head -60 | cut -c1-220 || true

echo "== system calls per job (strace -c -f)"
prepare
strace -f -c -o "$work/strace.txt" "${drain[@]}" 2>/dev/null
awk -v jobs="$jobs" 'NR > 2 && $4 ~ /^[0-9]+$/ { printf "%-18s %8.2f per job  %6.1f%% of syscall time\n", $NF, $4 / jobs, $1 }' "$work/strace.txt" | sort -k2 -nr | head -20 || true
