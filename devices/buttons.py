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
import time
from typing import Callable

from devices.port_reader import PortReader
from devices.serial_url import parse_serial_url

log = logging.getLogger(__name__)
IGNORED = b"\r\n \t"


class SerialButtons:
    def __init__(self, url: str, on_digit: Callable[[int], None], reopen_s: float = 3.0):
        self.url = url
        self.link = self.check_url(url)
        self.on_digit = on_digit
        self.garbage = 0
        self._last_warn = 0.0
        self.reader = PortReader(self.link, url, "buttons", self.feed_byte, reopen_s)
        self._thread = self.reader._thread   # the reader thread (tests look at it)

    @property
    def port(self):
        return self.reader.port

    @classmethod
    def check_url(cls, url: str):
        return parse_serial_url(url, "buttons", baudrate=9600)

    @classmethod
    def from_url(cls, url: str, **options) -> "SerialButtons":
        return cls(url, **options)

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

    def close(self) -> None:
        self.reader.close()


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
