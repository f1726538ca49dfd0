"""Workload 3: a small and a huge spool of ready jobs: `status`, `list --json`, and delivering the first jobs."""

import json
import os
import statistics
import subprocess
import time

from .processes import PipelineError, load_average, log, parse_time, wait_until


def run(ctx, concurrency):
    """Returns one dict per spool size."""
    profile = ctx.profile
    rows = []
    for size in profile["scale_sizes"]:
        target = min(size, profile["scale_deliver"])
        log(f"scale: seeding {size:,} jobs (load {load_average()})")
        home = ctx.homes.make(f"scale-{size}")
        seed_seconds = ctx.homes.seed(home, size)
        subprocess.run(["sync"], timeout=600)
        row = dict(size=size, target=target, seed_seconds=seed_seconds, concurrency=concurrency)
        row["status_s"], row["status_rss"] = command_cost(ctx, ["status", "--home", home], size, "status")
        row["status_json_s"], row["status_json_rss"] = command_cost(ctx, ["status", "--json", "--home", home], size, "status --json")
        row["list_s"], row["list_rss"] = command_cost(ctx, ["list", "--json", "--home", home], size, "list --json", lines=size)
        row["deliveries"] = []
        for index in range(profile["runs"]):
            if index > 0 and size <= target:
                home = ctx.homes.make(f"scale-{size}")
                ctx.homes.seed(home, size)
            row["deliveries"].append(deliver_first(ctx, home, target, concurrency, f"scale {size:,}, run {index + 1}"))
        rates = [delivery["rate"] for delivery in row["deliveries"]]
        log(f"  {size:,} jobs: status {row['status_s']:.3f} s, list --json {row['list_s']:.2f} s, "
            f"delivery {statistics.median(rates):,.0f} jobs/s, daemon {max(d['rss'] for d in row['deliveries']) / 1024:.0f} MiB")
        rows.append(row)
        ctx.homes.remove(home)
    return rows


def command_cost(ctx, arguments, size, what, lines=None):
    """Median wall time over the runs from hyperfine; peak RSS from one more run under /usr/bin/time -v.

    With `lines`, that run's output is counted and must have exactly that many lines (the listing is complete).
    """
    argv = ctx.homes.mailroom(*arguments)
    export = os.path.join(ctx.work, "hyperfine.json")
    hyperfine = ["hyperfine", "--shell=none", "--style", "none", "--runs", ctx.profile["runs"], "--export-json", export, " ".join(argv)]
    ctx.runner.run(hyperfine, 3600, f"hyperfine {what} ({size:,} jobs)", stdout=subprocess.DEVNULL)
    with open(export) as handle:
        seconds = statistics.median(json.load(handle)["results"][0]["times"])
    if lines is None:
        _, rss, _, _ = ctx.runner.timed(argv, 3600, f"{what} ({size:,} jobs)")
        return seconds, rss
    report = os.path.join(ctx.work, "time.txt")
    ctx.commands.show(["/usr/bin/time", "-v"] + argv + ["|", "wc", "-l"], "peak RSS, and the listing must have one line per job")
    process = subprocess.Popen(["/usr/bin/time", "-v", "-o", report] + argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    count = 0
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        chunk = process.stdout.read(1 << 20)
        if not chunk:
            break
        count += chunk.count(b"\n")
    status = process.wait(timeout=60)
    if status != 0 or count != lines:
        raise PipelineError(f"{what} ({size:,} jobs): exit {status}, {count} lines, expected {lines}")
    rss, _ = parse_time(report)
    return seconds, rss


def deliver_first(ctx, home, target, concurrency, what):
    """Runs the daemon until the sandbox has accepted `target` jobs, then SIGTERM.

    jobs/s = target ÷ (time from starting the daemon to GET /stats showing `target`, polled every 20 ms).
    """
    ctx.sandbox.reset()
    argv = ctx.homes.mailroom("run", "--concurrency", concurrency, "--api-url", ctx.sandbox.url, "--home", home, "--log-level", "warning")
    stderr_path = os.path.join(ctx.work, "scale-daemon.err")
    started = time.monotonic()
    timer = ctx.runner.start_timed(argv, stderr_path, "the daemon, until GET /stats shows the first jobs accepted; then SIGTERM")
    try:
        finished = wait_until(lambda: ctx.sandbox.accepted() >= target or timer.poll() is not None, target / 50 + 120,
                              f"{what}: {target:,} jobs delivered")
        if timer.poll() is not None:
            raise PipelineError(f"{what}: the daemon exited before delivering {target:,} jobs")
    finally:
        status, rss, cpu = ctx.runner.stop_timed(timer, f"{what}: the daemon")
    if status != 0:
        raise PipelineError(f"{what}: the daemon exited {status} after SIGTERM")
    accepted = ctx.sandbox.accepted()
    seconds = finished - started
    return dict(rate=target / seconds, seconds=seconds, rss=rss, cpu_us=cpu / accepted * 1e6, accepted=accepted)
