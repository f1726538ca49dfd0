"""The real parts the browser suite drives: the built `mailroom` binary (sandbox, integrations,
enqueue, worker) in a temporary home, on 127.0.0.1 only, and a scan of everything they print for
the API key."""

import base64
import json
import os
import random
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def fake_key():
    """A random key shaped like SendGrid's (SG. + 22 + . + 43), never committed anywhere."""
    alphabet = string.ascii_letters + string.digits + "_-"
    part = lambda n: "".join(random.choice(alphabet) for _ in range(n))
    return f"SG.{part(22)}.{part(43)}"


class Failure(Exception):
    pass


class Outputs:
    """Everything the suite captured (process output, page sources, console logs), scanned at the end."""

    def __init__(self, secrets):
        self.secrets = secrets
        self.texts = []

    def add(self, label, text):
        self.texts.append((label, text if isinstance(text, str) else text.decode("utf-8", "replace")))

    def leaks(self):
        return [(label, secret[:3] + "…") for label, text in self.texts for secret in self.secrets if secret in text]


class Mailroom:
    """Runs `mailroom` commands in one temporary home."""

    def __init__(self, binary, outputs):
        self.binary = os.path.abspath(binary)
        self.outputs = outputs
        self.home = tempfile.mkdtemp(prefix="mailroom-browser-")
        self.env = dict(os.environ, MAILROOM_HOME=self.home)
        self.env.pop("MAILROOM_SANDBOX_TOKEN", None)

    def run(self, *arguments):
        result = subprocess.run([self.binary, *arguments], env=self.env, capture_output=True, text=True, timeout=120)
        self.outputs.add("mailroom " + " ".join(arguments), result.stdout + result.stderr)
        if result.returncode != 0:
            raise Failure(f"mailroom {' '.join(arguments)} exited {result.returncode}: {result.stderr[-800:]}")
        return result.stdout

    def write(self, name, payload):
        path = os.path.join(self.home, name)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        return path


class Sandbox:
    """`mailroom sandbox --listen 127.0.0.1:0`, ready once it printed its listening line."""

    def __init__(self, mailroom, token):
        self.mailroom = mailroom
        self.token = token
        self.out = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [mailroom.binary, "sandbox", "--listen", "127.0.0.1:0", "--token", token],
            env=mailroom.env, stdout=subprocess.PIPE, stderr=self.out, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("mailroom sandbox listening on "):
            self.stop()
            raise Failure(f"the sandbox did not start: {line!r}")
        self.url = "http://" + line.strip().rsplit(" ", 1)[1]

    def request(self, method, path, body=None, headers=None, token=True):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def send(self, key, payload):
        status, _, body = self.request(
            "POST", "/v3/mail/send", json.dumps(payload).encode(),
            {"Authorization": "Bearer " + key, "Content-Type": "application/json"}, token=False)
        if status not in (200, 202):
            raise Failure(f"POST /v3/mail/send answered {status}: {body[:300]!r}")

    def messages(self):
        status, _, body = self.request("GET", "/messages")
        if status != 200:
            raise Failure(f"GET /messages answered {status}")
        return json.loads(body)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        rest = self.process.stdout.read() if self.process.stdout else ""
        self.out.seek(0)
        self.mailroom.outputs.add("mailroom sandbox", rest + self.out.read().decode("utf-8", "replace"))


def wait_for(condition, what, timeout=15):
    """Polls `condition` until it returns a true value; raises naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - stale elements and the like: try again
            last_error = error
        time.sleep(0.1)
    raise Failure(f"timed out waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def attachment_bytes(job_path, index=0):
    with open(job_path, encoding="utf-8") as handle:
        return base64.b64decode(json.load(handle)["attachments"][index]["content"])
