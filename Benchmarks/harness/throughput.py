"""Workloads 1 and 4: throughput over copies of one spool, and the TCP connections each client opened."""

import json
import os
import re
import subprocess

from .homes import CONFIG, ROOT
from .processes import PipelineError, load_average, log

PEER = os.path.join(ROOT, "Benchmarks", "peers", "sendgrid_peer.py")
WRK_SCRIPT = os.path.join(ROOT, "Benchmarks", "wrk", "mail_send.lua")


def run(ctx):
    """Returns {"mailroom:C" | "peer_a:1" | "peer_b:16" | "wrk:C": [one dict per run]}."""
    profile = ctx.profile
    jobs, runs = profile["jobs"], profile["runs"]
    log(f"throughput: seeding {jobs:,} jobs into a template spool")
    template = ctx.homes.make("throughput-template")
    ctx.homes.seed(template, jobs)
    body = warm_up(ctx)
    rows = {}
    for index in range(runs):
        log(f"throughput run {index + 1}/{runs} (load {load_average()})")
        for concurrency in profile["concurrencies"]:
            rows.setdefault(f"mailroom:{concurrency}", []).append(mailroom_drain(ctx, template, jobs, concurrency, index))
        for label, threads in (("peer_a", 1), ("peer_b", profile["peer_threads"])):
            rows.setdefault(f"{label}:{threads}", []).append(sendgrid_peer(ctx, template, jobs, label, threads, index))
        for connections in profile["wrk_connections"]:
            rows.setdefault(f"wrk:{connections}", []).append(wrk(ctx, connections, body))
    ctx.homes.remove(template)
    return rows


def warm_up(ctx):
    """A short drain that proves the pipeline works, warms the sandbox, and yields Mailroom's own body for wrk."""
    home = ctx.homes.make("warm-up")
    ctx.homes.seed(home, 200, prefix="warm")
    ctx.sandbox.reset()
    ctx.runner.run(ctx.homes.mailroom("run", "--drain", "--api-url", ctx.sandbox.url, "--home", home, "--log-level", "warning"), 300,
                   "warm-up drain", note="warm-up: 200 jobs; the first request body Mailroom sent becomes wrk's body")
    ctx.sandbox.expect(200, "warm-up drain")
    body_path = os.path.join(ctx.work, "wrk-body.json")
    with open(body_path, "w") as handle:
        json.dump(ctx.sandbox.messages()[0]["request"], handle, separators=(",", ":"))
    ctx.homes.remove(home)
    return body_path


def mailroom_drain(ctx, template, jobs, concurrency, index):
    home = ctx.homes.copy(template, f"throughput-r{index}-c{concurrency}")
    ctx.sandbox.reset()
    argv = ctx.homes.mailroom("run", "--drain", "--concurrency", concurrency, "--api-url", ctx.sandbox.url, "--home", home,
                              "--log-level", "warning")
    seconds, rss, cpu, _ = ctx.runner.timed(argv, 600, f"mailroom run --drain --concurrency {concurrency}",
                                            note="on a fresh copy (cp -a) of the template spool")
    stats = ctx.sandbox.expect(jobs, f"mailroom --concurrency {concurrency}")
    left, sent = ctx.homes.ready(home), ctx.homes.sent_events(home)
    if left or sent != jobs:
        raise PipelineError(f"mailroom --concurrency {concurrency}: {left} jobs left in new/, {sent} sent events of {jobs}")
    ctx.homes.remove(home)
    log(f"  mailroom c={concurrency}: {jobs / seconds:,.0f} jobs/s, {stats['connections']} connection(s), {rss / 1024:.0f} MiB")
    return dict(rate=jobs / seconds, seconds=seconds, rss=rss, cpu_us=cpu / jobs * 1e6, connections=stats["connections"])


def sendgrid_peer(ctx, template, jobs, label, threads, index):
    home = ctx.homes.copy(template, f"throughput-r{index}-{label}")
    ctx.sandbox.reset()
    argv = [ctx.python, PEER, "--spool", os.path.join(home, "spool", "new"), "--host", ctx.sandbox.url, "--threads", threads, "--config", CONFIG]
    seconds, rss, cpu, done = ctx.runner.timed(argv, 1800, f"sendgrid peer, {threads} thread(s)", stdout=subprocess.PIPE,
                                               note="on a fresh copy of the template spool")
    stats = ctx.sandbox.expect(jobs, f"sendgrid peer, {threads} thread(s)")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["sent"] != jobs or ctx.homes.ready(home):
        raise PipelineError(f"sendgrid peer, {threads} thread(s): sent {report['sent']} of {jobs}")
    ctx.homes.remove(home)
    log(f"  {label} ({threads} thread(s)): {jobs / seconds:,.0f} jobs/s, {stats['connections']} connections")
    return dict(rate=jobs / seconds, seconds=seconds, rss=rss, cpu_us=cpu / jobs * 1e6, connections=stats["connections"])


def wrk(ctx, connections, body_path):
    with open(CONFIG) as handle:
        key = json.load(handle)["data"]["api_key"]
    env = dict(os.environ, WRK_AUTHORIZATION="Bearer " + key)
    seconds = ctx.profile["wrk_seconds"]
    ctx.sandbox.reset()
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", WRK_SCRIPT, ctx.sandbox.url + "/v3/mail/send", "--", body_path]
    done = ctx.runner.run(argv, seconds + 60, f"wrk -c{connections}", env=env,
                          note="WRK_AUTHORIZATION='Bearer <the fixture key>' in the environment")
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if not found:
        raise PipelineError(f"wrk -c{connections}: no Requests/sec in its output: {done.stdout[-500:]}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", done.stdout)
    stats = ctx.sandbox.stats()
    accepted = stats["requests"].get("200", 0) + stats["requests"].get("202", 0)
    if bad or accepted == 0 or accepted < stats["total"]:
        raise PipelineError(f"wrk -c{connections}: the sandbox did not accept every request ({stats}); {bad and bad.group(0)}")
    errors = re.search(r"Socket errors:.*", done.stdout)
    if errors:
        log(f"  wrk: {errors.group(0)}")
    rate = float(found.group(1))
    log(f"  wrk c={connections}: {rate:,.0f} requests/s")
    return dict(rate=rate, seconds=seconds, rss=None, cpu_us=None, connections=stats["connections"])
