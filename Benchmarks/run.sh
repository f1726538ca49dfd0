#!/usr/bin/env bash
# Mailroom benchmarks (issue 7): `make bench` = `Benchmarks/run.sh full`, `make bench-quick` = `Benchmarks/run.sh quick`.
#
#   full   release build (.build-release), 20,000-job throughput, 1,000-job latency, 10,000 vs 1,000,000 scale,
#          3 runs each; prints the table and rewrites the generated section of BENCHMARKS.md. ~20 minutes,
#          ~5 GB of disk and ~1.1M inodes under $TMPDIR (default /tmp) for the 1M spool.
#   quick  the same pipeline at small sizes, 1 run, under 2 minutes; for CI. It uses the debug build in .build
#          (what `make test` has just built, so CI builds nothing twice) unless MAILROOM_BIN is set; its figures
#          are not representative and are never compared with the targets in a way that can fail: it fails only
#          when the pipeline is broken (a command fails, jobs are not delivered, a wait runs out).
#
# Installs what is missing: wrk, hyperfine and GNU time from Debian (apt-get), and the official sendgrid Python
# library (6.12.5) from PyPI into Benchmarks/.venv (ignored by git). Everything talks to 127.0.0.1 only.
# Environment: MAILROOM_BIN (a prebuilt binary), BENCH_RUNS (runs per figure), BENCH_KEEP=1 (keep the work folder).
set -euo pipefail

mode=${1:-quick}
case $mode in
full | quick) ;;
*)
    echo "usage: $0 full|quick" >&2
    exit 64
    ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PYTHONDONTWRITEBYTECODE=1

apt_install() {
    echo "bench: installing $* (apt-get)" >&2
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
}

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

venv=Benchmarks/.venv
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        apt_install python3-venv
        python3 -m venv "$venv"
    fi
fi
if [ "$("$venv/bin/python" -c 'import sendgrid; print(sendgrid.__version__)' 2>/dev/null)" != "6.12.5" ]; then
    echo "bench: installing sendgrid==6.12.5 into $venv (pip)" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check sendgrid==6.12.5
fi

if [ -n "${MAILROOM_BIN:-}" ]; then
    bin=$MAILROOM_BIN
elif [ "$mode" = full ]; then
    echo "bench: swift build -c release --scratch-path .build-release --product mailroom" >&2
    swift build -c release --scratch-path .build-release --product mailroom
    bin=.build-release/release/mailroom
else
    echo "bench: swift build --product mailroom (debug, .build; a no-op after make test)" >&2
    swift build --product mailroom
    bin=.build/debug/mailroom
fi
[ -x "$bin" ] || {
    echo "bench: no mailroom binary at $bin" >&2
    exit 66
}

args=(--mode "$mode" --bin "$bin" --python "$venv/bin/python")
[ -n "${BENCH_RUNS:-}" ] && args+=(--runs "$BENCH_RUNS")
[ -n "${BENCH_KEEP:-}" ] && args+=(--keep)
[ "$mode" = full ] && args+=(--write-md BENCHMARKS.md)
exec "$venv/bin/python" Benchmarks/bench.py "${args[@]}"
