"""Physical smiley buttons.

URL: serial:///dev/ttyUSB0?baudrate=9600 (default 9600), loop://, socket://host:port,
rfc2217://, spy://... (devices/serial_url.py; opened with serial_for_url) - or sim:// for
an in-process simulator.
Protocol: each press sends the answer digit as one ASCII byte ("1" = worst);
CR, LF and spaces are ignored. Anything else is logged (rate-limited) and ignored,
never a crash. If the port vanishes (USB unplugged) the reader logs it once and
tries to reopen it every few seconds.
Options: on_digit (callback, called on the reader thread), reopen_s (default 3).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from devices.serial_url import parse_serial_url

log = logging.getLogger(__name__)
IGNORED = b"\r\n \t"


class SerialButtons:
    def __init__(self, url: str, on_digit: Callable[[int], None], reopen_s: float = 3.0):
        self.url = url
        self.link = self.check_url(url)
        self.on_digit = on_digit
        self.reopen_s = reopen_s
        self.port = None
        self.garbage = 0
        self._last_warn = 0.0
        self._stop = threading.Event()
        self._open()
        self._thread = threading.Thread(target=self._run, name="buttons", daemon=True)
        self._thread.start()

    @classmethod
    def check_url(cls, url: str):
        return parse_serial_url(url, "buttons", baudrate=9600)

    @classmethod
    def from_url(cls, url: str, **options) -> "SerialButtons":
        return cls(url, **options)

    def _open(self) -> None:
        self.port = self.link.open(timeout=0.2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.port is None:
                    self._open()
                    log.info("buttons at %s are back", self.url)
                data = self.port.read(64)
            except Exception as e:  # noqa: BLE001 - pyserial raises several kinds
                if self._stop.is_set():
                    return
                log.warning("buttons at %s: %s; retrying in %.0f s", self.url, e, self.reopen_s)
                self._drop_port()
                self._stop.wait(self.reopen_s)
                continue
            for b in data:
                self.feed_byte(b)

    def feed_byte(self, b: int) -> None:
        if 0x31 <= b <= 0x39:  # "1".."9"
            try:
                self.on_digit(b - 0x30)
            except Exception:  # noqa: BLE001
                log.exception("button handler failed")
        elif bytes([b]) in IGNORED:
            return
        else:
            self.garbage += 1
            now = time.monotonic()
            if now - self._last_warn > 10:
                self._last_warn = now
                log.warning("buttons at %s sent unexpected byte 0x%02x (ignored; %d so far)",
                            self.url, b, self.garbage)

    def _drop_port(self) -> None:
        try:
            if self.port is not None:
                self.port.close()
        except Exception:  # noqa: BLE001
            pass
        self.port = None

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._drop_port()


class SimulatedButtons:
    """sim:// - presses come from `press(digit)` (the app maps keys 1-9 to it)."""

    def __init__(self, url: str, on_digit: Callable[[int], None]):
        self.url = url
        self.on_digit = on_digit
        self.presses: list[int] = []

    @classmethod
    def check_url(cls, url: str):
        return parse_serial_url(url, "buttons", sim=True)

    @classmethod
    def from_url(cls, url: str, **options) -> "SimulatedButtons":
        return cls(url, **options)

    def press(self, digit: int) -> None:
        self.presses.append(digit)
        del self.presses[:-50]  # the last presses only: a simulated kiosk runs for months
        self.on_digit(digit)

    def close(self) -> None:
        pass
