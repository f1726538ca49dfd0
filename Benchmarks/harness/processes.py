"""Running commands, bounded in time: plain runs, runs under /usr/bin/time -v, and a record of every command shape."""

import os
import re
import signal
import subprocess
import sys
import time


class PipelineError(Exception):
    """The benchmark could not run as designed (not a slow result): the harness exits 1."""


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average():
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def tail(path, lines=5):
    """The last lines of a log file, for an error message."""
    try:
        with open(path, errors="replace") as handle:
            return " | ".join(handle.read().strip().splitlines()[-lines:])
    except OSError:
        return ""


class Commands:
    """Remembers each distinct command shape, with paths replaced by $BIN, $WORK, $PORT, … for BENCHMARKS.md."""

    def __init__(self):
        self.substitutions = []
        self.seen = []

    def define(self, name, value):
        self.substitutions.append((str(value), "$" + name))
        self.substitutions.sort(key=lambda pair: -len(pair[0]))

    def show(self, argv, note=None):
        text = " ".join(f"'{part}'" if " " in str(part) and str(part) != "|" else str(part) for part in argv)
        for value, name in self.substitutions:
            text = text.replace(value, name)
        text = re.sub(r"\$WORK/([a-z]+)-[A-Za-z0-9_-]+", r"$WORK/\1-…", text)
        text = re.sub(r"--concurrency \d+", "--concurrency $C", text)
        text = re.sub(r" -c\d+ ", " -c$C ", text)
        text = re.sub(r"--prefix ([a-z]+)\d+", r"--prefix \1…", text)
        entry = (text, note)
        if entry not in self.seen:
            self.seen.append(entry)
        return text


class Runner:
    """Runs commands with a timeout; a failure or timeout is a PipelineError naming what was run."""

    def __init__(self, work, commands):
        self.work = work
        self.commands = commands

    def run(self, argv, timeout, what, stdout=subprocess.PIPE, env=None, note=None):
        argv = [str(part) for part in argv]
        self.commands.show(argv, note)
        try:
            done = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout, env=env, text=True)
        except subprocess.TimeoutExpired:
            raise PipelineError(f"{what}: no answer within {timeout:.0f} s")
        if done.returncode != 0:
            raise PipelineError(f"{what}: exit {done.returncode}: {(done.stderr or '').strip()[-800:]}")
        return done

    def timed(self, argv, timeout, what, stdout=subprocess.DEVNULL, env=None, note=None):
        """Runs argv under /usr/bin/time -v; returns wall seconds, peak RSS KiB, CPU seconds and the result."""
        argv = [str(part) for part in argv]
        self.commands.show(["/usr/bin/time", "-v"] + argv, note)
        report = os.path.join(self.work, "time.txt")
        started = time.monotonic()
        try:
            done = subprocess.run(["/usr/bin/time", "-v", "-o", report] + argv, stdout=stdout, stderr=subprocess.PIPE,
                                  timeout=timeout, env=env, text=True)
        except subprocess.TimeoutExpired:
            raise PipelineError(f"{what}: not finished within {timeout:.0f} s")
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise PipelineError(f"{what}: exit {done.returncode}: {(done.stderr or '').strip()[-800:]}")
        rss, cpu = parse_time(report)
        return seconds, rss, cpu, done

    def start_timed(self, argv, stderr_path, note=None):
        """Starts argv under /usr/bin/time -v in the background; stop it with `stop_timed`."""
        argv = [str(part) for part in argv]
        self.commands.show(["/usr/bin/time", "-v"] + argv, note)
        report = os.path.join(self.work, "time-background.txt")
        with open(stderr_path, "w") as err:
            process = subprocess.Popen(["/usr/bin/time", "-v", "-o", report] + argv, stdout=subprocess.DEVNULL, stderr=err)
        process.time_report = report
        return process

    def stop_timed(self, process, what, timeout=90):
        """SIGTERM to the program /usr/bin/time runs (time does not forward it); returns its exit status, peak RSS KiB, CPU s."""
        if process.poll() is None:
            child = child_of(process.pid)
            os.kill(child if child else process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
            raise PipelineError(f"{what}: did not stop within {timeout} s of SIGTERM")
        with open(process.time_report) as handle:
            text = handle.read()
        found = re.search(r"Exit status: (\d+)", text)
        signalled = re.search(r"Command terminated by signal (\d+)", text)
        status = -int(signalled.group(1)) if signalled else int(found.group(1)) if found else None
        rss, cpu = parse_time(process.time_report)
        return status, rss, cpu


def parse_time(path):
    """Peak RSS (KiB) and user+system CPU seconds from a GNU time -v report."""
    with open(path) as handle:
        text = handle.read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    return rss, user + system


def child_of(pid):
    """The first process whose parent is `pid` (the program /usr/bin/time started), or None."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            return int(entry)
    return None


def wait_until(condition, timeout, what, interval=0.02):
    """Polls `condition` until true; returns the monotonic time it became true. Bounded by `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(interval)
    raise PipelineError(f"{what}: not within {timeout:.0f} s")


def stop_daemon(daemon, what, stderr_path=None, timeout=60):
    """SIGTERM to a daemon started with Popen; it must exit 0 within `timeout` s."""
    if daemon.poll() is not None:
        raise PipelineError(f"{what} exited early with {daemon.returncode}: {tail(stderr_path) if stderr_path else ''}")
    daemon.send_signal(signal.SIGTERM)
    try:
        status = daemon.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait(timeout=10)
        raise PipelineError(f"{what} did not stop within {timeout} s of SIGTERM")
    if status != 0:
        raise PipelineError(f"{what} exited {status} after SIGTERM: {tail(stderr_path) if stderr_path else ''}")
