"""The read loop a serial input device (smiley buttons, tactile keypad) shares: keep the port
open, hand every byte read to the device, and when the port vanishes (USB unplugged) log it and
reopen it every `reopen_s` seconds. Never raises on the reader thread."""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class PortReader:
    def __init__(self, link, url: str, kind: str, feed_byte: Callable[[int], None], reopen_s: float):
        self.link, self.url, self.kind = link, url, kind
        self.feed_byte = feed_byte
        self.reopen_s = reopen_s
        self.port = link.open(timeout=0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=kind, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.port is None:
                    self.port = self.link.open(timeout=0.2)
                    log.info("%s at %s is back", self.kind, self.url)
                data = self.port.read(64)
            except Exception as e:  # noqa: BLE001 - pyserial raises several kinds
                if self._stop.is_set():
                    return
                log.warning("%s at %s: %s; retrying in %.0f s", self.kind, self.url, e, self.reopen_s)
                self.drop_port()
                self._stop.wait(self.reopen_s)
                continue
            for b in data:
                self.feed_byte(b)

    def drop_port(self) -> None:
        try:
            if self.port is not None:
                self.port.close()
        except Exception:  # noqa: BLE001
            pass
        self.port = None

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self.drop_port()
