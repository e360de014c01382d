"""Printer backends without a status channel: dummy://, file:///path and cups://QUEUE.

  dummy://[?state=online|paper_out|...]  keeps every job in memory (`jobs`); the state
      option makes it answer like a printer in that state (for tests and demos).
  file:///path/to/file                  appends each job to the file (a device node such
      as /dev/usb/lp0 works too); status unknown. `FilePrinter.target_problem(url)` says
      what would stop a job getting there (a missing folder, device node, or write access).
  cups://QUEUE                          hands each job raw to CUPS with `lp -d QUEUE -o raw`.
"""
from __future__ import annotations

import os
import subprocess
from urllib.parse import parse_qs, urlsplit

from devices.printer import Printer, PrinterState, PrintFailed


def url_options(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


class DummyPrinter(Printer):
    scheme = "dummy"

    def __init__(self, url: str = "dummy://", state: PrinterState | None = None, **kw):
        super().__init__(url, **kw)
        self.jobs: list[bytes] = []
        self.data = bytearray()
        self.state = state
        self.answers_status = state is not None

    @classmethod
    def from_url(cls, url: str, **options) -> "DummyPrinter":
        st = url_options(url).get("state")
        try:
            state = PrinterState(st) if st else None
        except ValueError:
            raise ValueError(f"printer URL {url!r}: unknown state {st!r}; use one of: "
                             + ", ".join(s.value for s in PrinterState)) from None
        return cls(url, state=state, **options)

    def status(self, settle: bool = False) -> PrinterState:
        return self.state if self.state is not None else PrinterState.UNKNOWN

    def _write(self, data: bytes) -> None:
        self.data.extend(data)

    def print_job(self, job: bytes) -> PrinterState:
        start = len(self.data)
        state = super().print_job(job)
        self.jobs.append(bytes(self.data[start:]))
        return state


class FilePrinter(Printer):
    scheme = "file"

    def __init__(self, url: str, path: str, **kw):
        super().__init__(url, **kw)
        self.path = path

    @classmethod
    def from_url(cls, url: str, **options) -> "FilePrinter":
        path = urlsplit(url).path
        if not path:
            raise ValueError(f"printer URL {url!r} has no path; use file:///path/to/file")
        return cls(url, path, **options)

    @classmethod
    def target_problem(cls, url: str, here: bool = True) -> str:
        """What stops a job reaching the URL's file, in a few words, or "". Always: its folder
        does not exist. With `here` (checking on the machine that prints; `kiosk config
        check` may run elsewhere): a device node (/dev/...) that is not there, or a file or
        folder this user cannot write."""
        path = urlsplit(url).path
        folder = os.path.dirname(path) or "/"
        if not os.path.isdir(folder):
            return f"folder {folder} does not exist"
        if not here:
            return ""
        if not os.path.exists(path):
            if path.startswith("/dev/"):
                return f"no such device {path}"
            if not os.access(folder, os.W_OK | os.X_OK):
                return f"cannot create {path}: folder {folder} is not writable"
            return ""
        if os.path.isdir(path):
            return f"{path} is a folder, not a file"
        if not os.access(path, os.W_OK):
            return f"{path} is not writable"
        return ""

    def _write(self, data: bytes) -> None:
        with open(self.path, "ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


class CupsPrinter(Printer):
    """Sends the whole job in one `lp` call (CUPS queues are not streamed)."""

    scheme = "cups"
    lp_command = "lp"

    def __init__(self, url: str, queue: str, **kw):
        super().__init__(url, **kw)
        self.queue = queue

    @classmethod
    def from_url(cls, url: str, **options) -> "CupsPrinter":
        queue = urlsplit(url).netloc or urlsplit(url).path.strip("/")
        if not queue or not all(ch.isalnum() or ch in "-_." for ch in queue):
            raise ValueError(f"printer URL {url!r}: give a CUPS queue name, e.g. cups://TM-T20")
        return cls(url, queue, **options)

    def print_job(self, job: bytes) -> PrinterState:
        try:
            r = subprocess.run([self.lp_command, "-d", self.queue, "-o", "raw"], input=job,
                               capture_output=True, timeout=self.write_timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise PrintFailed(f"cannot hand the ticket to CUPS: {e}") from None
        if r.returncode != 0:
            msg = r.stderr.decode("utf-8", "replace").strip().splitlines()
            raise PrintFailed(f"CUPS refused the ticket: {msg[-1] if msg else r.returncode}")
        return PrinterState.UNKNOWN
