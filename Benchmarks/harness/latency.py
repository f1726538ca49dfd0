"""Workload 2: an idle daemon; jobs published one at a time; rename into new/ → the sandbox receiving the request."""

import json
import math
import os
import subprocess
import time

from .homes import ROOT
from .processes import PipelineError, load_average, log, stop_daemon, wait_until

PUBLISHER = os.path.join(ROOT, "Benchmarks", "latency_publisher.py")


def percentile(sorted_values, q):
    """Nearest-rank percentile of a sorted list."""
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def run(ctx):
    """Returns one dict per run: p50, p99, max, min (ms) and n."""
    count, runs, interval = ctx.profile["latency_jobs"], ctx.profile["runs"], ctx.profile["latency_interval_ms"]
    results = []
    for index in range(runs):
        log(f"latency run {index + 1}/{runs}: {count:,} jobs, {interval} ms apart (load {load_average()})")
        home = ctx.homes.make(f"latency-r{index}")
        ctx.sandbox.reset()
        argv = ctx.homes.mailroom("run", "--api-url", ctx.sandbox.url, "--home", home, "--log-level", "warning")
        ctx.commands.show(argv, "the daemon; one warm-up job, then idle until the publisher starts")
        stderr_path = os.path.join(home, "daemon.err")
        with open(stderr_path, "w") as err:
            daemon = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        try:
            spool = os.path.join(home, "spool")
            wait_until(lambda: all(os.path.isdir(os.path.join(spool, name)) for name in ("tmp", "new")) or daemon.poll() is not None, 30,
                       "latency: the daemon created the spool")
            publish(ctx, home, 1, f"warm{index}")
            wait_until(lambda: ctx.sandbox.accepted() >= 1 or daemon.poll() is not None, 30, "latency: the warm-up job delivered")
            time.sleep(0.3)
            ctx.sandbox.reset()
            published = publish(ctx, home, count, f"lat{index}")
            wait_until(lambda: ctx.sandbox.accepted() >= count or daemon.poll() is not None, 60, f"latency: {count} jobs delivered",
                       interval=0.05)
            ctx.sandbox.expect(count, "latency")
            received = {message["request"]["custom_args"]["mailroom_job"]: message["received_at_unix_ns"] for message in ctx.sandbox.messages()}
        finally:
            stop_daemon(daemon, "the latency daemon", stderr_path)
        missing = [job for job in published if job not in received]
        if missing:
            raise PipelineError(f"latency: {len(missing)} jobs never reached the sandbox (first: {missing[0]})")
        values = sorted((received[job] - published[job]) / 1e6 for job in published)
        result = dict(p50=percentile(values, 0.50), p99=percentile(values, 0.99), max=values[-1], min=values[0], n=len(values))
        log(f"  p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, max {result['max']:.2f} ms")
        results.append(result)
        ctx.homes.remove(home)
    return results


def publish(ctx, home, count, prefix):
    argv = [ctx.python, PUBLISHER, "--spool", os.path.join(home, "spool"), "--count", count,
            "--interval-ms", ctx.profile["latency_interval_ms"], "--prefix", prefix]
    done = ctx.runner.run(argv, count * ctx.profile["latency_interval_ms"] / 1000 + 60, "latency publisher")
    return json.loads(done.stdout)
