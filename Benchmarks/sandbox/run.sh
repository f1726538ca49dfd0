#!/bin/sh
# Throughput of `mailroom sandbox` under wrk: valid one-recipient sends over 64 keep-alive connections.
# Usage: Benchmarks/sandbox/run.sh [path/to/release/mailroom] [duration]
# Build first (release, separate scratch folder):
#   swift build -c release --scratch-path .build-release --product mailroom
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-"$here/../../.build-release/release/mailroom"}
duration=${2:-10s}
out=$(mktemp)
"$binary" sandbox --listen 127.0.0.1:0 --max-messages 100000 >"$out" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$out" && break; sleep 0.05; done
port=$(sed -n 's/^mailroom sandbox listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$out")
wrk -t1 -c64 -d"$duration" -s "$here/post.lua" "http://127.0.0.1:$port/v3/mail/send"
curl -s "http://127.0.0.1:$port/stats"; echo
