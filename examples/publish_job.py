#!/usr/bin/env python3
"""Publishes a Mailroom job from Python, the safe way (docs/job-format.md, "Publishing a job").

The job is written in SPOOL/tmp/, fsynced, renamed into SPOOL/new/ (rename(2) is atomic: a worker sees the
whole job or nothing), and SPOOL/new/ is fsynced, so once publish_job() returns the job survives a crash.

As a library:

    from publish_job import publish_job
    job_id = publish_job("/var/lib/mailroom/spool",
                         {"to": "ana@example.com", "subject": "Hi", "text": "Hello"},
                         job_id="order-991-confirmation")

From the command line (prints the job's ID):

    publish_job.py SPOOL [FILE|-] [--id ID] [--schema fixtures/schemas/job.schema.json]

Give your own ID (an order number, say) so a retry cannot send twice: an ID already waiting in new/ is not
written again, and the worker drops a job whose ID was sent in the last 7 days. With --schema (and the
jsonschema package) the job is checked before it is written; Mailroom checks more than a schema can, and
refuses an invalid job into SPOOL/failed/ with the reason. Standard library only otherwise.
"""
import argparse
import datetime
import json
import os
import re
import secrets
import sys

JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
MAX_JOB_BYTES = 20 * 1024 * 1024


def new_job_id():
    """A time-sortable, unique ID: UTC time, then 48 random bits."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(6)


def publish_job(spool, job, job_id=None):
    """Publishes `job` (a dict, or the JSON text as str or bytes) to `spool`; returns its ID.

    Raises ValueError for a bad ID or job, FileNotFoundError when `spool` is not a spool, OSError on I/O errors.
    """
    job_id = job_id or new_job_id()
    if not JOB_ID.fullmatch(job_id):
        raise ValueError(f"invalid job ID {job_id!r}: 1-128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit")
    if isinstance(job, dict):
        data = json.dumps(job, ensure_ascii=False, allow_nan=False).encode("utf-8")
    elif isinstance(job, str):
        data = job.encode("utf-8")
    else:
        data = bytes(job)
    if not data.strip():
        raise ValueError("the job is empty")
    if len(data) > MAX_JOB_BYTES:
        raise ValueError(f"the job is {len(data)} bytes; at most {MAX_JOB_BYTES} (20 MiB)")

    tmp_folder = os.path.join(spool, "tmp")
    new_folder = os.path.join(spool, "new")
    if not (os.path.isdir(tmp_folder) and os.path.isdir(new_folder)):
        raise FileNotFoundError(f"{spool} is not a Mailroom spool (no tmp/ and new/; any mailroom command with --spool creates them)")
    final = os.path.join(new_folder, job_id + ".json")
    if os.path.exists(final):
        return job_id  # Same ID, same job: it is already waiting.

    # A name of our own in tmp/ (O_EXCL: never someone else's file); the worker never looks in tmp/.
    temporary = os.path.join(tmp_folder, f"{job_id}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o640)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)  # the job's bytes are on disk
    except BaseException:
        os.close(fd)
        os.unlink(temporary)
        raise
    os.close(fd)
    try:
        os.rename(temporary, final)  # published at once, whole
    except BaseException:
        os.unlink(temporary)
        raise
    folder = os.open(new_folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)  # the folder entry is on disk too
    finally:
        os.close(folder)
    return job_id


def check_against_schema(data, schema_path):
    """Raises ValueError when `data` is not a job by the JSON Schema at `schema_path`."""
    import jsonschema  # only needed for --schema

    with open(schema_path, encoding="utf-8") as handle:
        schema = json.load(handle)
    try:
        job = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"not JSON: {error}") from None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(job))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "job"
        raise ValueError(f"{where}: {error.message}")


def main():
    parser = argparse.ArgumentParser(description="Publish a Mailroom job to a spool folder.")
    parser.add_argument("spool", help="the spool folder (MAILROOM_HOME/spool)")
    parser.add_argument("file", nargs="?", default="-", help="the job file, or - for stdin (the default)")
    parser.add_argument("--id", dest="job_id", help="the job ID (default: a new time-sortable ID)")
    parser.add_argument("--schema", help="check the job against this JSON Schema first (needs jsonschema)")
    args = parser.parse_args()
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as handle:
                data = handle.read()
        if args.schema:
            check_against_schema(data, args.schema)
        print(publish_job(args.spool, data, args.job_id))
    except ValueError as error:
        print(f"publish_job.py: invalid job: {error}", file=sys.stderr)
        return 65
    except FileNotFoundError as error:
        print(f"publish_job.py: {error}", file=sys.stderr)
        return 66
    except OSError as error:
        print(f"publish_job.py: {error}", file=sys.stderr)
        return 74
    return 0


if __name__ == "__main__":
    sys.exit(main())
