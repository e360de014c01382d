"""Serial ticket printers, opened with pyserial's `serial_for_url`.

  serial:///dev/ttyUSB0?baudrate=19200[&status=0]   a local port (baudrate default 19200)
  loop:// socket://host:port rfc2217://host:port spy://...   passed to serial_for_url as is
  status=0 turns status queries off for printers that never answer (state stays unknown
  and jobs are sent anyway).
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

import serial

from devices.printer import DLE_EOT, Printer
from devices.printer_basic import url_options


def strip_options(url: str, ours: tuple[str, ...]) -> str:
    """The URL without our own query options (pyserial rejects options it does not know)."""
    base, _, query = url.partition("?")
    rest = [(k, v) for k, v in parse_qsl(query) if k not in ours]
    return f"{base}?{urlencode(rest)}" if rest else base


class SerialPrinter(Printer):
    scheme = "serial"
    answers_status = True

    def __init__(self, url: str, port: str, baudrate: int = 19200, status: bool = True, **kw):
        super().__init__(url, **kw)
        self.port = port
        self.baudrate = baudrate
        self.answers_status = status
        self.ser = None

    @classmethod
    def from_url(cls, url: str, **options) -> "SerialPrinter":
        parts = urlsplit(url)
        opts = url_options(url)
        try:
            baud = int(opts.get("baudrate", "19200"))
        except ValueError:
            raise ValueError(f"printer URL {url!r}: baudrate must be a number") from None
        status = opts.get("status", "1") not in ("0", "false", "no")
        if parts.scheme == "serial":
            if not parts.path:
                raise ValueError(f"printer URL {url!r} has no port; use serial:///dev/ttyUSB0")
            port = parts.path
        else:
            port = strip_options(url, ("baudrate", "status"))
        return cls(url, port, baud, status, **options)

    def _open(self) -> None:
        if self.ser is None:
            self.ser = serial.serial_for_url(self.port, baudrate=self.baudrate,
                                             timeout=self.status_timeout,
                                             write_timeout=self.write_timeout)

    def _write(self, data: bytes) -> None:
        self.ser.write(data)

    def _ask(self, n: int, timeout: float) -> int | None:
        self.ser.reset_input_buffer()
        self.ser.write(DLE_EOT + bytes([n]))
        self.ser.flush()
        self.ser.timeout = timeout
        b = self.ser.read(1)
        return b[0] if b else None

    def _drop(self) -> None:
        if self.ser is not None:
            try:
                self.ser.close()
            except Exception:  # noqa: BLE001 - closing a dead port
                pass
            self.ser = None
