"""`mailroom sandbox` on 127.0.0.1: start, stop, and its admin API (/stats, /messages)."""

import json
import os
import re
import signal
import subprocess
import time
import urllib.request

from .processes import PipelineError, log, tail


class Sandbox:
    def __init__(self, binary, work, commands):
        self.binary = binary
        self.work = work
        self.commands = commands
        self.process = None
        self.url = None

    def start(self):
        out, err = os.path.join(self.work, "sandbox.out"), os.path.join(self.work, "sandbox.err")
        argv = [self.binary, "sandbox", "--listen", "127.0.0.1:0", "--max-messages", "300000"]
        self.commands.show(argv, "one sandbox for the whole run; DELETE /messages and /stats before each measurement")
        with open(out, "w") as stdout, open(err, "w") as stderr:
            self.process = subprocess.Popen(argv, stdout=stdout, stderr=stderr)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PipelineError(f"the sandbox exited {self.process.returncode}: {tail(err)}")
            with open(out) as handle:
                found = re.search(r"listening on 127\.0\.0\.1:(\d+)", handle.read())
            if found:
                self.port = found.group(1)
                self.url = f"http://127.0.0.1:{self.port}"
                self.commands.define("PORT", self.port)
                log(f"sandbox listening on {self.url}")
                return
            time.sleep(0.05)
        self.stop()
        raise PipelineError("the sandbox did not say it was listening within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def http(self, method, path, timeout=120):
        if self.process.poll() is not None:
            raise PipelineError(f"the sandbox died (exit {self.process.returncode}): {tail(os.path.join(self.work, 'sandbox.err'))}")
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def stats(self):
        return self.http("GET", "/stats")

    def messages(self):
        return self.http("GET", "/messages")

    def accepted(self):
        """Mail Send requests answered 200 or 202 since the last reset."""
        requests = self.stats()["requests"]
        return requests.get("200", 0) + requests.get("202", 0)

    def reset(self):
        """Forgets the stored messages and zeroes the counters (connections included)."""
        self.http("DELETE", "/messages")
        self.http("DELETE", "/stats")

    def expect(self, count, what):
        """Checks that exactly `count` Mail Send requests came, all accepted; returns the stats."""
        stats = self.stats()
        accepted = stats["requests"].get("200", 0) + stats["requests"].get("202", 0)
        if accepted != count or stats["total"] != count:
            raise PipelineError(f"{what}: the sandbox accepted {accepted} of {stats['total']} requests, expected {count}: {stats}")
        return stats
