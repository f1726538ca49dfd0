#!/usr/bin/env python3
"""Peer (a)/(b) of the throughput benchmark: the official `sendgrid` Python library (6.12.5).

What a typical task-queue job does, once per job file: read the file, build a `Mail`, send it, delete
the file. `--threads 1` is the sequential loop (peer a); `--threads 16` runs the same loop from 16
threads (peer b), each with its own client, since the library's client mutates its headers on every
call and is not safe to share.

The mail is built as Mailroom builds it for a stage config: the config's from address and name, the
job's recipient, subject and text, `custom_args.mailroom_job = ID` and sandbox mode on (so the sandbox
answers 200 to both). The host is the sandbox on 127.0.0.1; nothing else is ever contacted.

Prints one JSON line: {"sent": N, "failed": N, "seconds": S} (seconds from the first job to the last,
imports excluded; the harness times the whole process as well). Exits 1 if any job was not sent.
"""

import argparse
import json
import os
import sys
import threading
import time

from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import CustomArg, From, Mail, MailSettings, SandBoxMode


def build_mail(job_id, job, from_email, from_name):
    mail = Mail(
        from_email=From(from_email, from_name),
        to_emails=job["to"],
        subject=job["subject"],
        plain_text_content=job.get("text"),
        html_content=job.get("html"),
    )
    mail.custom_arg = CustomArg("mailroom_job", job_id)
    settings = MailSettings()
    settings.sandbox_mode = SandBoxMode(True)
    mail.mail_settings = settings
    return mail


def worker(names, lock, args, key, totals):
    client = SendGridAPIClient(api_key=key, host=args.host)
    sent = failed = 0
    while True:
        with lock:
            name = next(names, None)
        if name is None:
            break
        path = os.path.join(args.spool, name)
        try:
            with open(path, "rb") as handle:
                job = json.loads(handle.read())
            response = client.send(build_mail(name[: -len(".json")], job, args.from_email, args.from_name))
            if response.status_code in (200, 202):
                os.unlink(path)
                sent += 1
            else:
                failed += 1
        except Exception as error:  # a task-queue job would log and move on; the count makes the run fail
            failed += 1
            if failed <= 3:
                print(f"sendgrid peer: {name}: {type(error).__name__}: {error}", file=sys.stderr)
    with lock:
        totals["sent"] += sent
        totals["failed"] += failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spool", required=True, help="folder of ready job files (spool/new)")
    parser.add_argument("--host", required=True, help="sandbox base URL, http://127.0.0.1:PORT")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--config", required=True, help="integration create request (from_email, from_name, api_key)")
    args = parser.parse_args()
    if not args.host.startswith("http://127.0.0.1:"):
        sys.exit("sendgrid peer: --host must be http://127.0.0.1:PORT (loopback only)")
    with open(args.config) as handle:
        data = json.load(handle)["data"]
    key = data["api_key"]
    args.from_email, args.from_name = data["from_email"], data.get("from_name")

    names = iter(sorted(name for name in os.listdir(args.spool) if name.endswith(".json")))
    lock = threading.Lock()
    totals = {"sent": 0, "failed": 0}
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(names, lock, args, key, totals)) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    print(json.dumps({"sent": totals["sent"], "failed": totals["failed"], "seconds": round(seconds, 3)}))
    sys.exit(1 if totals["failed"] else 0)


if __name__ == "__main__":
    main()
