"""Serial ticket printers, opened with pyserial's `serial_for_url`.

  serial:///dev/ttyUSB0?baudrate=19200[&status=0]   a local port (baudrate default 19200)
  loop:// socket://host:port rfc2217://host:port spy://...   (devices/serial_url.py parses
  every form and its line settings; the port is opened with serial_for_url)
  status=0 turns status queries off for printers that never answer (state stays unknown
  and jobs are sent anyway).
"""
from __future__ import annotations

from devices.printer import DLE_EOT, Printer
from devices.serial_url import SerialUrl, parse_serial_url


class SerialPrinter(Printer):
    scheme = "serial"
    answers_status = True

    def __init__(self, url: str, link: SerialUrl, status: bool = True, **kw):
        super().__init__(url, **kw)
        self.link = link
        self.port = link.port
        self.baudrate = link.baudrate
        self.answers_status = status
        self.ser = None

    @classmethod
    def check_url(cls, url: str) -> SerialUrl:
        """The parsed URL (SerialUrlError when it is wrong); opens nothing."""
        link = parse_serial_url(url, "printer", baudrate=19200, options=("status",))
        link.flag("status", True)
        return link

    @classmethod
    def from_url(cls, url: str, **options) -> "SerialPrinter":
        link = cls.check_url(url)
        return cls(url, link, link.flag("status", True), **options)

    def _open(self) -> None:
        if self.ser is None:
            self.ser = self.link.open(timeout=self.status_timeout,
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
