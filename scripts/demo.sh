#!/usr/bin/env bash
# The README's main job: the worker delivers the fixture jobs to a local SendGrid sandbox and
# prints the delivery log and the spool status. Everything stays on 127.0.0.1.
set -euo pipefail
bin=${1:-.build/debug/mailroom}
root=$(cd "$(dirname "$0")/.." && pwd)
home=$(mktemp -d "${TMPDIR:-/tmp}/mailroom-demo.XXXXXX")
sandbox_out="$home/sandbox.out"

cleanup() {
    [[ -n ${sandbox_pid:-} ]] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
}
trap cleanup EXIT

"$bin" sandbox --listen 127.0.0.1:0 --store "$home/sandbox-store" >"$sandbox_out" 2>"$home/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 200); do
    grep -q "listening on" "$sandbox_out" 2>/dev/null && break
    sleep 0.05
done
port=$(grep -o 'listening on [0-9.]*:[0-9]*' "$sandbox_out" | sed 's/.*://')
[[ -n $port ]] || { echo "the sandbox did not start:" >&2; cat "$home/sandbox.err" >&2; exit 69; }
echo "== sandbox listening on 127.0.0.1:$port (home: $home)"

echo "== registering the platform's stage config"
"$bin" integrations add "$root/fixtures/integrations/create-request.json" --home "$home"

echo "== enqueueing the fixture jobs"
for job in "$root"/fixtures/jobs/*.json; do
    printf '%-28s -> ' "$(basename "$job")"
    "$bin" enqueue "$job" --home "$home"
done

echo "== mailroom run --drain"
"$bin" run --drain --api-url "http://127.0.0.1:$port" --home "$home"

echo "== mailroom log"
"$bin" log --home "$home"
echo "== mailroom status"
"$bin" status --home "$home"
echo "== the sandbox accepted $(curl -s "http://127.0.0.1:$port/stats" | grep -o '"total":[0-9]*' | cut -d: -f2) request(s)"
