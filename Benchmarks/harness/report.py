"""The Markdown report: one set of tables (medians, ratios, targets), the machine and the commands."""

import os
import platform
import subprocess
from statistics import median

from .homes import ROOT

TARGETS = dict(vs_peer_a=15.0, vs_wrk=0.5, p50_ms=2.0, p99_ms=10.0, rss_mib_huge=64.0, scale_within=0.20)


def machine(binary, python, work):
    def first(path, prefix):
        with open(path) as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
        return "?"

    def output(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    memory_kib = int(first("/proc/meminfo", "MemTotal").split()[0])
    df = output(["df", "-T", work]).splitlines()
    commit = output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = output(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "Sources"])
    peer = output([python, "-c", "import sendgrid, python_http_client; print(sendgrid.__version__, python_http_client.__version__)"]).split()
    return dict(
        nproc=os.cpu_count(), cpu=first("/proc/cpuinfo", "model name"), memory_gib=round(memory_kib / 1024 / 1024, 1),
        kernel=platform.release(), filesystem=df[-1].split()[1] if len(df) > 1 else "?",
        commit=commit + (" with uncommitted changes in Sources/" if dirty else ""),
        swift=(output(["swift", "--version"]).splitlines() or ["?"])[0], wrk=(output(["wrk", "-v"]).splitlines() or ["?"])[0],
        hyperfine=output(["hyperfine", "--version"]), python=platform.python_version(),
        sendgrid=" / python-http-client ".join(peer) if peer else "?", binary=os.path.relpath(binary, ROOT),
    )


def render(results, commands):
    """Returns (markdown, targets) where targets is a list of (name, measured, met)."""
    profile, lines, checks = results["profile"], [], []
    add = lines.append
    info = results["machine"]
    add(f"Mode **{results['mode']}**: {profile['runs']} run(s) per figure, medians shown. Binary `{info['binary']}` built from {info['commit']}. "
        f"Load average {results['loads']['start']} at the start, {results['loads']['end']} at the end.")
    add("")
    if "throughput" in results:
        checks += throughput_section(add, results["throughput"], profile)
    if "latency" in results:
        checks += latency_section(add, results["latency"], profile)
    if "scale" in results:
        checks += scale_section(add, results["scale"], profile)
    add("### Targets")
    add("")
    add("| target | measured | met |")
    add("|---|---|:-:|")
    for name, measured, met in checks:
        add(f"| {name} | {measured} | {'yes' if met else '**no**'} |")
    add("")
    add("### Machine")
    add("")
    add(f"- {info['nproc']} CPUs ({info['cpu']}), {info['memory_gib']} GiB memory, Linux {info['kernel']}, work folder on {info['filesystem']};"
        " the sandbox, the client under test and the harness share these CPUs")
    add(f"- {info['swift']}; {info['wrk']}; {info['hyperfine']}; Python {info['python']} with sendgrid {info['sendgrid']}")
    add(f"- the whole benchmark took {results['seconds'] / 60:.1f} min")
    add("")
    add("### Commands")
    add("")
    add("`$BIN` is the mailroom binary, `$PY` the virtual environment's Python, `$ROOT` the checkout, `$WORK` a temporary folder, "
        "`$PORT` the sandbox's port, `$C` the concurrency; `…` stands for the run and client.")
    add("")
    add("```sh")
    for text, note in commands.seen:
        add(text + (f"    # {note}" if note else ""))
    add("```")
    return "\n".join(lines) + "\n", checks


def throughput_section(add, rows, profile):
    def med(key, field):
        values = [run[field] for run in rows.get(key, []) if run[field] is not None]
        return median(values) if values else None

    peer_a = med("peer_a:1", "rate")
    wrk_best = max(med(f"wrk:{c}", "rate") for c in profile["wrk_connections"])
    best_c = max(profile["concurrencies"], key=lambda c: med(f"mailroom:{c}", "rate"))
    best = med(f"mailroom:{best_c}", "rate")
    add(f"### 1 + 4. Throughput and connections: {profile['jobs']:,} single-recipient jobs already in new/, sandbox on 127.0.0.1")
    add("")
    add("| client | concurrency | jobs/s | × peer (a) | % of wrk | client CPU µs/job | client peak RSS MiB | TCP connections |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|")

    def row(label, key, concurrency):
        rate, cpu, rss = med(key, "rate"), med(key, "cpu_us"), med(key, "rss")
        add(f"| {label} | {concurrency} | {rate:,.0f} | {rate / peer_a:.1f}× | {rate / wrk_best * 100:.0f}% | "
            f"{'–' if cpu is None else f'{cpu:,.0f}'} | {'–' if rss is None else f'{rss / 1024:.1f}'} | {med(key, 'connections'):,.0f} |")

    for concurrency in profile["concurrencies"]:
        row("`mailroom run --drain`" + (" **best**" if concurrency == best_c else ""), f"mailroom:{concurrency}", concurrency)
    row("(a) sendgrid-python, sequential loop", "peer_a:1", 1)
    row(f"(b) sendgrid-python, {profile['peer_threads']} threads", f"peer_b:{profile['peer_threads']}", profile["peer_threads"])
    for connections in profile["wrk_connections"]:
        ceiling = med(f"wrk:{connections}", "rate") == wrk_best
        row(f"(c) wrk, the same valid body{' **ceiling**' if ceiling else ''}", f"wrk:{connections}", connections)
    add("")
    add(f"jobs/s = jobs ÷ wall time of the whole client process, start-up included; wrk: requests/s over {profile['wrk_seconds']} s. "
        "CPU and RSS: the client's own user+system time per job and peak RSS (`/usr/bin/time -v`); the sandbox runs on the same cores.")
    add("")
    connections_ok = all(med(f"mailroom:{c}", "connections") <= c for c in profile["concurrencies"])
    return [
        (f"throughput ≥ {TARGETS['vs_peer_a']:.0f}× peer (a)", f"{best / peer_a:.1f}× ({best:,.0f} vs {peer_a:,.0f} jobs/s, concurrency {best_c})",
         best >= TARGETS["vs_peer_a"] * peer_a),
        (f"throughput ≥ {TARGETS['vs_wrk'] * 100:.0f}% of wrk", f"{best / wrk_best * 100:.0f}% ({best:,.0f} jobs/s vs {wrk_best:,.0f} requests/s)",
         best >= TARGETS["vs_wrk"] * wrk_best),
        ("connections ≤ concurrency (per run of the whole spool)",
         ", ".join(f"{med(f'mailroom:{c}', 'connections'):.0f} at {c}" for c in profile["concurrencies"]), connections_ok),
    ]


def latency_section(add, runs, profile):
    p50, p99, worst = (median([run[key] for run in runs]) for key in ("p50", "p99", "max"))
    add(f"### 2. Latency: idle daemon, {profile['latency_jobs']:,} jobs published {profile['latency_interval_ms']} ms apart, "
        "rename into new/ → sandbox receipt")
    add("")
    add("| p50 ms | p99 ms | max ms | each run: p50 / p99 / max ms |")
    add("|---:|---:|---:|---|")
    add(f"| {p50:.2f} | {p99:.2f} | {worst:.2f} | " + "; ".join(f"{r['p50']:.2f} / {r['p99']:.2f} / {r['max']:.2f}" for r in runs) + " |")
    add("")
    return [(f"latency p50 ≤ {TARGETS['p50_ms']:g} ms", f"{p50:.2f} ms", p50 <= TARGETS["p50_ms"]),
            (f"latency p99 ≤ {TARGETS['p99_ms']:g} ms", f"{p99:.2f} ms", p99 <= TARGETS["p99_ms"])]


def scale_section(add, rows, profile):
    add(f"### 3. Scale: ready jobs generated straight into new/; the daemon at --concurrency {rows[0]['concurrency']} (the best above)")
    add("")
    add("| ready jobs | `status` s | `status` RSS MiB | `status --json` s | `list --json` s | `list --json` RSS MiB | delivered | jobs/s "
        "| daemon peak RSS MiB | daemon CPU µs/job |")
    add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def rate(row):
        return median([d["rate"] for d in row["deliveries"]])

    for row in rows:
        deliveries = row["deliveries"]
        add(f"| {row['size']:,} | {row['status_s']:.3f} | {row['status_rss'] / 1024:.1f} | {row['status_json_s']:.3f} | {row['list_s']:.2f} | "
            f"{row['list_rss'] / 1024:.1f} | first {row['target']:,} | {rate(row):,.0f} | {max(d['rss'] for d in deliveries) / 1024:.1f} | "
            f"{median([d['cpu_us'] for d in deliveries]):,.0f} |")
    add("")
    small, huge = rows[0], rows[-1]
    if profile["runs"] > 1 and huge["size"] > huge["target"]:
        add(f"The {huge['size']:,}-job spool is seeded once: delivery runs 2 and 3 continue on it, starting with about "
            f"{huge['size'] - huge['target']:,} and {huge['size'] - 2 * huge['target']:,} ready jobs. jobs/s = jobs ÷ time from "
            "starting the daemon to the sandbox counting them (start-up included).")
        add("")
    huge_rss = max([d["rss"] for d in huge["deliveries"]] + [huge["status_rss"], huge["status_json_rss"], huge["list_rss"]]) / 1024
    drift = rate(huge) / rate(small) - 1
    return [
        (f"peak RSS ≤ {TARGETS['rss_mib_huge']:.0f} MiB at {huge['size']:,} jobs", f"{huge_rss:.1f} MiB (the largest of status, list --json, the daemon)",
         huge_rss <= TARGETS["rss_mib_huge"]),
        (f"jobs/s at {huge['size']:,} within {TARGETS['scale_within'] * 100:.0f}% of {small['size']:,}",
         f"{rate(huge):,.0f} vs {rate(small):,.0f} ({drift * 100:+.0f}%)", drift >= -TARGETS["scale_within"]),
    ]
