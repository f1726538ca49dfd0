"""Mailroom homes (registry + spool + log) for the workloads, and checks on what is left in them."""

import os
import shutil
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = os.path.join(ROOT, "fixtures", "integrations", "create-request.json")


class Homes:
    def __init__(self, binary, work, runner):
        self.binary = binary
        self.work = work
        self.runner = runner

    def mailroom(self, *arguments):
        return [self.binary] + [str(argument) for argument in arguments]

    def make(self, name):
        """A new home with the fixture stage config registered (key SG.xxxx…, accepted by the sandbox)."""
        home = os.path.join(self.work, name)
        self.remove(home)
        os.makedirs(home)
        self.runner.run(self.mailroom("integrations", "add", CONFIG, "--home", home), 60, "integrations add", stdout=subprocess.DEVNULL)
        return home

    def seed(self, home, count, prefix="bench"):
        """COUNT ready single-recipient jobs written straight into new/ by the spool's own generator; returns seconds."""
        started = time.monotonic()
        self.runner.run(self.mailroom("debug-spool", "seed", "--home", home, "--count", count, "--prefix", prefix),
                        max(60, count / 2000), f"seeding {count} jobs", stdout=subprocess.DEVNULL,
                        note="writes COUNT jobs {\"to\": \"userN@example.com\", \"subject\": …, \"text\": …} into new/")
        return time.monotonic() - started

    def copy(self, template, name):
        home = os.path.join(self.work, name)
        self.remove(home)
        subprocess.run(["cp", "-a", template, home], check=True, timeout=600)
        # Write the copies out now, so the measured run does not share the disk with their writeback.
        subprocess.run(["sync"], check=True, timeout=600)
        return home

    @staticmethod
    def remove(path):
        shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    def ready(home):
        """Entries left in spool/new/."""
        folder = os.path.join(home, "spool", "new")
        if not os.path.isdir(folder):
            return 0
        with os.scandir(folder) as entries:
            return sum(1 for entry in entries if not entry.name.startswith("."))

    @staticmethod
    def sent_events(home):
        """`sent` lines in the delivery log."""
        path = os.path.join(home, "log", "delivery.jsonl")
        if not os.path.exists(path):
            return 0
        with open(path, "rb") as handle:
            return sum(1 for line in handle if b'"event":"sent"' in line)
