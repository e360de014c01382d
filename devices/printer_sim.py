"""A thermal-printer simulator on a pseudo-terminal or a TCP port, and the sim:// printer.

`PrinterSimulator(mode="pty"|"tcp")` plays the printer in a thread: it records every byte
(`raw`; `received` is the same without status queries), splits jobs at the cut command,
answers DLE EOT 1/2/4 like an ESC/POS printer in its current `state`, and can be told to
  state = "paper_out" | "cover_open" | "paper_low" | "online" | "offline"
  silent = True                 never answer status queries
  drop_after = N                hang up after N job bytes (mid-ticket)
  paper_out_after = N           run out of paper after N job bytes
`url` is what a printer backend connects to (serial:///dev/pts/N or tcp://127.0.0.1:P).
What it records is bounded, so a simulated kiosk can run for months: `received` keeps at
least the last whole job and is cut back at a job boundary once it passes HISTORY_BYTES,
`raw` keeps its last HISTORY_BYTES, `jobs` its last HISTORY_JOBS.

  sim://[?dir=build/sim-printer]   starts a pty simulator in this process and prints to it;
      every job is written to DIR as ticket-NNNN.bin (and a PNG preview by the issuer).
"""
from __future__ import annotations

import logging
import os
import select
import socket
import threading
import time
import tty
from pathlib import Path
from devices.printer_serial import SerialPrinter
from devices.serial_url import parse_serial_url

log = logging.getLogger(__name__)

# GS V m: a cut ends a job (m 0/1: cut; 65/66 + n: feed to the cutter plus n, then cut)
CUT = {b"\x1dV\x00": 3, b"\x1dV\x01": 3, b"\x1dVA": 4, b"\x1dVB": 4}
_REPLIES = {  # state -> (DLE EOT 1, DLE EOT 2, DLE EOT 4)
    "online": (0x12, 0x12, 0x12),
    "paper_low": (0x12, 0x12, 0x1E),
    "paper_out": (0x1A, 0x32, 0x72),
    "cover_open": (0x1A, 0x16, 0x12),
    "offline": (0x1A, 0x12, 0x12),
}
HISTORY_BYTES = 64 * 1024  # what the simulator keeps of `raw` and `received` (plus the last job)
HISTORY_JOBS = 32


class PrinterSimulator:
    def __init__(self, mode: str = "pty", record_dir: str | os.PathLike | None = None):
        if mode not in ("pty", "tcp"):
            raise ValueError("mode must be 'pty' or 'tcp'")
        self.mode = mode
        self.record_dir = Path(record_dir) if record_dir else None
        self.state = "online"
        self.silent = False
        self.drop_after: int | None = None
        self.paper_out_after: int | None = None
        self.raw = bytearray()
        self.received = bytearray()
        self.jobs: list[bytes] = []
        self.queries = 0
        self.first_byte_at: float | None = None
        self.dropped = threading.Event()
        self._job_start = 0
        self._pending = b""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ------------------------------------------------------------
    def start(self) -> "PrinterSimulator":
        if self.mode == "pty":
            self._master, self._slave = os.openpty()
            tty.setraw(self._slave)
            self.url = f"serial://{os.ttyname(self._slave)}?baudrate=115200"
            target = self._run_pty
        else:
            self._server = socket.socket()
            self._server.bind(("127.0.0.1", 0))
            self._server.listen(4)
            self.url = f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
            target = self._run_tcp
        self._thread = threading.Thread(target=target, name="printer-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        for name in ("_master", "_slave"):
            fd = getattr(self, name, None)
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
                setattr(self, name, None)
        if getattr(self, "_server", None):
            self._server.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset(self) -> None:
        """Back to a healthy, empty printer (e.g. after `drop_after`)."""
        self.state, self.silent, self.drop_after, self.paper_out_after = "online", False, None, None
        self.dropped.clear()

    # -- the printer ----------------------------------------------------------
    def _run_pty(self) -> None:
        while not self._stop.is_set():
            if self.dropped.is_set():
                time.sleep(0.02)
                continue
            r, _, _ = select.select([self._master], [], [], 0.05)
            if not r:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                time.sleep(0.02)  # no one has the port open
                continue
            self._feed(data, lambda b: os.write(self._master, b))
            if self.dropped.is_set():
                self._hang_up_pty()

    def _hang_up_pty(self) -> None:
        os.close(self._master)
        self._master = None
        os.close(self._slave)
        self._slave = None

    def _run_tcp(self) -> None:
        self._server.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (socket.timeout, OSError):
                continue
            with conn:
                conn.settimeout(0.05)
                while not self._stop.is_set() and not self.dropped.is_set():
                    try:
                        data = conn.recv(4096)
                    except socket.timeout:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    self._feed(data, conn.sendall)

    def _feed(self, data: bytes, reply) -> None:
        """Split the stream into job bytes and real-time status queries (DLE EOT n)."""
        buf = self._pending + data
        self._pending = b""
        i = 0
        while i < len(buf) and not self.dropped.is_set():
            j = buf.find(b"\x10", i)
            if j < 0:
                self._job_bytes(buf[i:])
                return
            if j > i:
                self._job_bytes(buf[i:j])
                if self.dropped.is_set():
                    return
            if len(buf) - j < 3:
                self._pending = buf[j:]
                return
            if buf[j + 1] == 0x04 and buf[j + 2] in (1, 2, 3, 4):
                self.raw.extend(buf[j:j + 3])
                del self.raw[:-HISTORY_BYTES]
                self.queries += 1
                self._answer(buf[j + 2], reply)
                i = j + 3
            else:
                self._job_bytes(buf[j:j + 1])
                i = j + 1

    def _job_bytes(self, chunk: bytes) -> None:
        if self.first_byte_at is None:
            self.first_byte_at = time.monotonic()
        if self.drop_after is not None:
            room = self.drop_after - (len(self.received) - self._job_start)
            if len(chunk) >= room:
                chunk = chunk[:max(room, 0)]
                self.dropped.set()
        before = len(self.received)
        self.raw.extend(chunk)
        del self.raw[:-HISTORY_BYTES]
        self.received.extend(chunk)
        if self.paper_out_after is not None and \
                len(self.received) - self._job_start >= self.paper_out_after:
            self.state = "paper_out"
        pos = max(self._job_start, before - 2)
        while True:
            hits = [(k, c) for c in CUT if (k := self.received.find(c, pos)) >= 0]
            if not hits:
                break
            k, c = min(hits)
            end = k + CUT[c]
            if end > len(self.received):
                break               # the cut's last byte is still on its way
            job = bytes(self.received[self._job_start:end])
            self.jobs.append(job)
            del self.jobs[:-HISTORY_JOBS]
            if len(self.received) > HISTORY_BYTES:  # forget older jobs, keep this one whole
                del self.received[:self._job_start]
                end -= self._job_start
            self._job_start = pos = end
            if self.record_dir:
                self._record(job)

    def _record(self, job: bytes) -> None:
        self.record_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        n = 1
        while (self.record_dir / f"job-{stamp}-{n:03d}.bin").exists():
            n += 1
        (self.record_dir / f"job-{stamp}-{n:03d}.bin").write_bytes(job)

    def _answer(self, n: int, reply) -> None:
        if self.silent:
            return
        s1, s2, s4 = _REPLIES[self.state]
        try:
            reply(bytes([{1: s1, 2: s2, 3: 0x12, 4: s4}[n]]))
        except OSError:
            pass


class SimPrinter(SerialPrinter):
    """sim:// - a serial printer talking to an in-process PrinterSimulator."""

    scheme = "sim"

    @classmethod
    def check_url(cls, url: str):
        return parse_serial_url(url, "printer", options=("dir",), sim=True)

    @classmethod
    def from_url(cls, url: str, **options) -> "SimPrinter":
        record = cls.check_url(url).options.get("dir")
        sim = PrinterSimulator("pty", record_dir=record or None).start()
        printer = cls(url, parse_serial_url(sim.url, "printer"), True, **options)
        printer.simulator = sim
        printer.preview_dir = record or None
        return printer

    def close(self) -> None:
        super().close()
        self.simulator.stop()
