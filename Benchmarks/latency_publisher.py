#!/usr/bin/env python3
"""Latency workload publisher: COUNT jobs, one at a time, INTERVAL ms apart, the way an app publishes.

Each job is written to spool/tmp/ID.json and fsynced (outside the measured interval), then
CLOCK_REALTIME is read and the file renamed into spool/new/. The harness later matches each job to
the sandbox's `received_at_unix_ns` through `custom_args.mailroom_job` and takes the difference.

The schedule is absolute (job i is due at start + i × interval), so a slow write does not stretch the
run. Prints one JSON object {ID: published_at_unix_ns, ...}. Bounded: COUNT jobs, and it gives up
after COUNT × interval + 30 s.
"""

import argparse
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spool", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--interval-ms", type=float, default=10.0)
    parser.add_argument("--prefix", default="lat")
    args = parser.parse_args()

    tmp, new = os.path.join(args.spool, "tmp"), os.path.join(args.spool, "new")
    interval = args.interval_ms / 1000.0
    deadline = time.monotonic() + args.count * interval + 30
    published = {}
    start = time.monotonic() + interval
    for index in range(args.count):
        due = start + index * interval
        job_id = f"{args.prefix}-{index}"
        body = json.dumps({"to": f"{job_id}@example.com", "subject": f"Latency {index}", "text": "Hello from the latency benchmark."})
        temporary = os.path.join(tmp, job_id + ".json")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, body.encode() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if time.monotonic() > deadline:
            sys.exit("latency publisher: out of time")
        published[job_id] = time.clock_gettime_ns(time.CLOCK_REALTIME)
        os.rename(temporary, os.path.join(new, job_id + ".json"))
    print(json.dumps(published))


if __name__ == "__main__":
    main()
