#!/usr/bin/env python3
"""Schemathesis (from PyPI) against a real `mailroom sandbox`, with Twilio's Mail Send OpenAPI
document (fixtures/openapi/sendgrid-mail-v3.openapi.yaml): every request the schema forbids must be
refused (negative_data_rejection) and nothing may answer 5xx (not_a_server_error). Closes with
"schemathesis: N passed, N failed" and exits non-zero on a failure.

    python3 Tests/Schemathesis/run.py --binary .build/debug/mailroom
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Browser"))
from harness import Mailroom, Outputs, fake_key  # noqa: E402 - the browser suite's process helpers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(ROOT, "fixtures/openapi/sendgrid-mail-v3.openapi.yaml")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/mailroom"))
    parser.add_argument("--max-examples", default="25")
    parser.add_argument("--seed", default=str(int(time.time())), help="schemathesis's seed (printed, to reproduce a failure)")
    arguments = parser.parse_args()
    key = fake_key()
    outputs = Outputs([key])
    mailroom = Mailroom(arguments.binary, outputs)
    err = tempfile.TemporaryFile()
    sandbox = subprocess.Popen([mailroom.binary, "sandbox", "--listen", "127.0.0.1:0", "--max-bytes", "64M"],
                               env=mailroom.env, stdout=subprocess.PIPE, stderr=err, text=True)
    line = sandbox.stdout.readline()
    failed = 0
    try:
        if not line.startswith("mailroom sandbox listening on "):
            print(f"✘ the sandbox did not start: {line!r}")
            return finish(1, 0)
        url = "http://" + line.strip().rsplit(" ", 1)[1]
        command = [sys.executable, "-m", "schemathesis.cli", "run", SCHEMA, "--url", url,
                   "-H", "Authorization: Bearer " + key,
                   "--checks", "not_a_server_error,negative_data_rejection",
                   "--max-examples", arguments.max_examples, "--seed", arguments.seed, "--request-timeout", "10",
                   "--report-dir", tempfile.mkdtemp(prefix="schemathesis-")]
        print("schemathesis run fixtures/openapi/sendgrid-mail-v3.openapi.yaml --checks not_a_server_error,negative_data_rejection "
              f"--max-examples {arguments.max_examples} --seed {arguments.seed}", flush=True)
        # Run from a scratch folder: schemathesis keeps a cache (.schemathesis/) in its working directory.
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tempfile.mkdtemp(prefix="schemathesis-cwd-"),
                                env=dict(os.environ, SCHEMATHESIS_HOOKS="", NO_COLOR="1"))
        outputs.add("schemathesis", result.stdout + result.stderr)
        summary = [l for l in result.stdout.splitlines() if " generated, " in l or l.startswith("Seed")]
        if result.returncode != 0:
            failed += 1
            print(result.stdout[-6000:] + result.stderr[-2000:])
            print("✘ schemathesis found a request the sandbox mishandled")
        else:
            print("✔ " + "; ".join(s.strip() for s in summary))
    finally:
        sandbox.terminate()
        try:
            sandbox.wait(timeout=20)
        except subprocess.TimeoutExpired:
            sandbox.kill()
        err.seek(0)
        outputs.add("mailroom sandbox", sandbox.stdout.read() + err.read().decode("utf-8", "replace"))
        shutil.rmtree(mailroom.home, ignore_errors=True)
    leaks = outputs.leaks()
    if leaks:
        failed += 1
        print(f"✘ the key appeared in {leaks}")
    return finish(failed, 2 - failed)


def finish(failed, passed):
    print(f"schemathesis: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
