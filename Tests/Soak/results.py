"""Writes Tests/Soak/RESULTS.md from what Tests/Soak/run.sh collected (figures the suites wrote as JSON,
the fuzzers' summary lines, the sanitizer runs). Reads only its environment and the figures folder."""

import datetime
import glob
import json
import os
import platform
import re
import subprocess


def figures(name):
    path = os.path.join(os.environ["SOAK_FIGURES"], name + ".json")
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def swift_version():
    try:
        line = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
        return line.strip()
    except (OSError, IndexError):
        return "unknown"


crash = figures("crash")
faults = figures("faults")
hostile = figures("hostile")
secrets = figures("secrets")

fuzz_rows = []
fuzz_total = 0
for line in os.environ.get("SOAK_FUZZ_LINES", "").splitlines():
    match = re.match(r"fuzz (\w+): (\d+) executions in (\d+) s, corpus (\d+) inputs, (\d+) crashes", line)
    if match:
        target, runs, seconds, corpus, crashes = match.groups()
        fuzz_total += int(runs)
        fuzz_rows.append(f"| {target} | {int(runs):,} | {seconds} s | {int(corpus):,} | {crashes} |")
seeds = {
    folder: len(glob.glob(os.path.join(os.environ["SOAK_CORPUS_DIR"], folder, "*")))
    for folder in ("job", "registry")
}
def number(value):
    return f"{value:,}" if isinstance(value, int) else "?"


suites_passed = os.environ.get("SOAK_SUITES") == "passed"
sanitizer_rows = [row for row in os.environ.get("SOAK_SANITIZER_LINES", "").splitlines() if row.strip()]
phases = crash.get("phases", {})

print(f"""# Soak results

The figures of the last `make soak` (`Tests/Soak/run.sh`), written by the script itself; the README's
reliability section quotes them.

- When: {datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}, {os.environ.get("SOAK_TOTAL_SECONDS", "?")} s in all
- Where: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, {swift_version()}
- Reliability suites at soak sizes: **{os.environ.get("SOAK_SUITES", "?")}** in {os.environ.get("SOAK_SUITES_SECONDS", "?")} s

## Crash (kill -9)

| figure | value |
|---|---|
| worker kill cycles | {crash.get("worker_kills", "?")} |
| jobs in the run | {crash.get("jobs", "?")} |
| jobs lost | **{crash.get("lost", "?")}** |
| jobs re-sent (each visible in the log as `requeued`) | {crash.get("resent", "?")} |
| kills by phase | {", ".join(f"{name}: {count}" for name, count in sorted(phases.items())) or "?"} |
| `enqueue` killed mid-read or mid-write | {crash.get("enqueue_kills", "?")} (no partial job ever visible in `new/`) |
| `integrations add` killed mid-write | {crash.get("registry_kills", "?")} (registry always whole, no key left beside it) |

## Fault matrix

| figure | value |
|---|---|
| fault cases | {faults.get("cases", "?")} (500, 502, 503, 504, 429 with X-RateLimit-Reset, with Retry-After and with neither, 401, 403, 400, 404, 413, a timeout, a dropped connection, a stalled response, a non-JSON answer) |
| concurrencies | {", ".join(str(c) for c in faults.get("concurrencies", [])) or "?"} |
| worker runs | {faults.get("runs", "?")} |
| jobs | {faults.get("jobs", "?")}, each in the state docs/spool.md#outcomes gives it, with the right reason |

## Hostile input

| figure | value |
|---|---|
| corpus size (`fixtures/bad-jobs/`) | {hostile.get("corpus_files", "?")} files, plus a generated 25 MiB file |
| refused by `enqueue` (exit 65, field named) | {hostile.get("through_enqueue", "?")} |
| dropped into `new/` under a running worker (failed, field named) | {hostile.get("dropped_into_new", "?")} |
| unsafe entries and hostile names | {hostile.get("unsafe_entries", "?")} |

## Fuzzing (libFuzzer, {os.environ.get("SOAK_FUZZ_SECONDS", "?")} s per target; {os.environ.get("SOAK_FUZZ", "?")})

| target | executions | time | corpus | crashes |
|---|---|---|---|---|
{chr(10).join(fuzz_rows) or "| (no fuzz run) | | | | |"}

Committed seed corpus: {seeds["job"]} job files, {seeds["registry"]} registry files; {fuzz_total:,} executions in all.

## Sanitizers (the whole test suite)

| sanitizer | result | tests | reports |
|---|---|---|---|
{chr(10).join(sanitizer_rows) or "| (skipped) | | | |"}

## Secrets

Every byte the suites produced was scanned for every key they used: {number(secrets.get("bytes_scanned"))} bytes, including
{number(secrets.get("files_scanned"))} files, over {number(secrets.get("scans"))} scans — {"no key found outside the registry file" if suites_passed else "see the failures above"}.
""")
