"""Ticket printer interface: the state Enum, DLE EOT status decoding and the base class.

Backends (devices/printer_*.py) implement two small methods: `_write(data)` sends bytes
and `_ask(n, timeout)` sends DLE EOT n and returns the one status byte, or None when the
printer did not answer in time. Jobs are built as bytes by kiosk/tickets/render.py with a
python-escpos `Dummy` on the configured profile, so every backend prints the same bytes.

State from status bytes (ESC/POS real-time status, fixed bits 0x12 checked):
  DLE EOT 1 bit 3 set -> offline; then DLE EOT 2: bit 2 cover open, bit 5 paper end.
  DLE EOT 4 bits 5+6 -> paper out, bits 2+3 -> paper low; otherwise online.
No answer, or a byte without the fixed bits, means UNKNOWN - never "paper OK".
After a status query `last_error` says why the state is not known ("" when it is): no
answer within the timeout, a byte that is not a status, or the connection's error.
"""
from __future__ import annotations

import enum
import logging
import threading

log = logging.getLogger(__name__)

DLE_EOT = b"\x10\x04"
CHUNK = 256
SETTLE_S = 1.0


class PrinterState(str, enum.Enum):
    ONLINE = "online"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.ONLINE, PrinterState.PAPER_LOW)


_ON, _LOW, _OUT, _COVER, _OFF, _UNK = (PrinterState.ONLINE, PrinterState.PAPER_LOW,
                                       PrinterState.PAPER_OUT, PrinterState.COVER_OPEN,
                                       PrinterState.OFFLINE, PrinterState.UNKNOWN)
# The allowed changes of what the kiosk knows about its printer (moved by one owner,
# kiosk/tickets/printer_watch.py, with common.states.move). The states are observed, not
# commanded: a roll runs low or out, a cover is opened, a cable pulled, in any order and
# between any two polls, so a printer that answers status queries may go from any state to
# any other.
PRINTER_TRANSITIONS = {
    _ON: frozenset({_LOW, _OUT, _COVER, _OFF, _UNK}),
    _LOW: frozenset({_ON, _OUT, _COVER, _OFF, _UNK}),
    _OUT: frozenset({_ON, _LOW, _COVER, _OFF, _UNK}),
    _COVER: frozenset({_ON, _LOW, _OUT, _OFF, _UNK}),
    _OFF: frozenset({_ON, _LOW, _OUT, _COVER, _UNK}),
    _UNK: frozenset({_ON, _LOW, _OUT, _COVER, _OFF}),
}
# A printer without a status channel (file://, cups://, dummy:// without a state) is only
# ever seen to take a job (online), to refuse the bytes (offline), or not at all (unknown):
# paper and cover states cannot be reached; they can only be left (a state stored while an
# earlier, answering printer was configured).
BLIND_PRINTER_TRANSITIONS = {
    _ON: frozenset({_OFF, _UNK}),
    _LOW: frozenset({_ON, _OFF, _UNK}),
    _OUT: frozenset({_ON, _OFF, _UNK}),
    _COVER: frozenset({_ON, _OFF, _UNK}),
    _OFF: frozenset({_ON, _UNK}),
    _UNK: frozenset({_ON, _OFF}),
}


class PrintFailed(Exception):
    """Printing did not (fully) happen; `state` is the printer state when known."""

    def __init__(self, message: str, state: PrinterState = PrinterState.UNKNOWN, sent: int = 0):
        super().__init__(message)
        self.state = state
        self.sent = sent


def _valid(b: int | None) -> bool:
    return b is not None and (b & 0x93) == 0x12


def decode_status(ask) -> PrinterState:
    """Run the status conversation with `ask(n) -> byte | None`."""
    s1 = ask(1)
    if not _valid(s1):
        return PrinterState.UNKNOWN
    if s1 & 0x08:
        s2 = ask(2)
        if not _valid(s2):
            return PrinterState.OFFLINE
        if s2 & 0x04:
            return PrinterState.COVER_OPEN
        if s2 & 0x20:
            return PrinterState.PAPER_OUT
        return PrinterState.OFFLINE
    s4 = ask(4)
    if not _valid(s4):
        return PrinterState.UNKNOWN
    if s4 & 0x60 == 0x60:
        return PrinterState.PAPER_OUT
    if s4 & 0x0C == 0x0C:
        return PrinterState.PAPER_LOW
    return PrinterState.ONLINE


def io_reason(e: BaseException) -> str:
    """A connection error in a few plain words ("connection refused"), else its text."""
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, TimeoutError):
        return "no connection (timed out)"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror[:1].lower() + e.strerror[1:]
    return str(e)


class Printer:
    """Base class. `answers_status`: whether this backend can ask the printer at all; when it
    can, no answer means the printer is not there and nothing is sent."""

    scheme = ""
    answers_status = False

    def __init__(self, url: str = "", profile: str = "TM-T20II", status_timeout: float = 0.3,
                 write_timeout: float = 10.0):
        self.url = url
        self.profile = profile
        self.status_timeout = status_timeout
        self.write_timeout = write_timeout
        self.lock = threading.Lock()
        self.preview_dir = None  # set by simulators: where to keep PNG previews of jobs
        self.last_error = ""

    @property
    def capabilities(self):
        """What this printer can do (columns, code pages, QR, cutter), from its profile."""
        from devices.capabilities import capabilities_for
        return capabilities_for(self.profile)

    # -- backend hooks ------------------------------------------------------
    def _write(self, data: bytes) -> None:
        raise NotImplementedError

    def _ask(self, n: int, timeout: float) -> int | None:
        return None

    def _open(self) -> None:
        """(Re)open the connection if needed; may raise OSError."""

    # -- public -------------------------------------------------------------
    def status(self, settle: bool = False) -> PrinterState:
        """Ask the printer. `settle`: just after a job, allow SETTLE_S for the answer to come
        back behind the job's bytes (the visitor already has their number by then)."""
        if not self.answers_status:
            return PrinterState.UNKNOWN
        timeout = max(self.status_timeout, SETTLE_S) if settle else self.status_timeout
        answers: list[int | None] = []

        def ask(n: int) -> int | None:
            answers.append(self._ask(n, timeout))
            return answers[-1]
        with self.lock:
            self.last_error = ""
            try:
                self._open()
                state = decode_status(ask)
            except Exception as e:  # noqa: BLE001 - any I/O problem means we do not know
                log.info("printer %s: status query failed: %s", self.url, e)
                self.last_error = io_reason(e)
                self._drop()
                return PrinterState.OFFLINE
        if state is PrinterState.UNKNOWN and answers:
            b = answers[-1]
            self.last_error = (f"no answer within {timeout:g} s" if b is None
                               else f"answered 0x{b:02x}, not an ESC/POS status")
        return state

    def print_job(self, job: bytes) -> PrinterState:
        """Check, send, check again. Returns the final state; raises PrintFailed."""
        self.last_error = ""
        before = self.status()
        if self.answers_status and not before.can_print:
            why = f" ({self.last_error})" if self.last_error else ""
            raise PrintFailed(f"printer is {before.value}{why}", before)
        sent = 0
        with self.lock:
            try:
                self._open()
                for i in range(0, len(job), CHUNK):
                    part = job[i:i + CHUNK]
                    self._write(part)
                    sent += len(part)
            except Exception as e:  # noqa: BLE001 - driver errors become one error type
                self._drop()
                raise PrintFailed(f"printer stopped after {sent} of {len(job)} bytes: {e}",
                                  PrinterState.OFFLINE, sent) from None
        after = self.status(settle=True)
        if self.answers_status and not after.can_print:
            raise PrintFailed(f"printer is {after.value} after printing", after, sent)
        return after

    def _drop(self) -> None:
        """Forget a broken connection so the next call reopens it."""

    def close(self) -> None:
        self._drop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def describe(self) -> str:
        return f"{type(self).__name__}({self.url})"
