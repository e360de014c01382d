"""Network and USB ticket printers.

  tcp://host[:9100]   raw socket (JetDirect / port 9100); status by DLE EOT on the same socket
  usb://VID:PID       e.g. usb://04b8:0e15, through python-escpos's Usb (needs pyusb and
                      libusb-1.0 on the system); status by DLE EOT on its IN endpoint
"""
from __future__ import annotations

import select
import socket
from urllib.parse import urlsplit

from devices.printer import DLE_EOT, Printer


class TcpPrinter(Printer):
    scheme = "tcp"
    answers_status = True

    def __init__(self, url: str, host: str, port: int = 9100, **kw):
        super().__init__(url, **kw)
        self.host, self.port = host, port
        self.sock = None

    @classmethod
    def from_url(cls, url: str, **options) -> "TcpPrinter":
        p = urlsplit(url)
        try:
            port = p.port or 9100
        except ValueError:
            raise ValueError(f"printer URL {url!r}: port must be a number") from None
        if not p.hostname:
            raise ValueError(f"printer URL {url!r} has no host; use tcp://192.0.2.10:9100")
        return cls(url, p.hostname, port, **options)

    def _open(self) -> None:
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=2.0)
            self.sock.settimeout(self.write_timeout)

    def _write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _ask(self, n: int, timeout: float) -> int | None:
        while select.select([self.sock], [], [], 0)[0]:  # drop stale bytes
            if not self.sock.recv(256):
                raise ConnectionError("printer closed the connection")
        self.sock.sendall(DLE_EOT + bytes([n]))
        if not select.select([self.sock], [], [], timeout)[0]:
            return None
        b = self.sock.recv(1)
        if not b:
            raise ConnectionError("printer closed the connection")
        return b[0]

    def _drop(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None


class UsbPrinter(Printer):
    scheme = "usb"
    answers_status = True

    def __init__(self, url: str, vid: int, pid: int, **kw):
        super().__init__(url, **kw)
        self.vid, self.pid = vid, pid
        self.dev = None

    @classmethod
    def from_url(cls, url: str, **options) -> "UsbPrinter":
        ids = urlsplit(url).netloc
        try:
            vid, pid = (int(x, 16) for x in ids.split(":"))
        except ValueError:
            raise ValueError(f"printer URL {url!r}: use usb://VID:PID in hex, e.g. "
                             "usb://04b8:0e15") from None
        return cls(url, vid, pid, **options)

    def _open(self) -> None:
        if self.dev is None:
            try:
                import usb.core  # noqa: F401 - pyusb, only needed for this backend
            except ImportError:
                raise OSError("USB printers need pyusb: pip install pyusb (and apt install "
                              "libusb-1.0-0)") from None
            from escpos.printer import Usb
            dev = Usb(self.vid, self.pid, timeout=int(self.write_timeout * 1000),
                      profile=self.profile)
            dev.open()
            self.dev = dev

    def _write(self, data: bytes) -> None:
        self.dev._raw(data)

    def _ask(self, n: int, timeout: float) -> int | None:
        self.dev._raw(DLE_EOT + bytes([n]))
        try:
            b = self.dev.device.read(self.dev.in_ep, 1, int(timeout * 1000))
        except Exception:  # noqa: BLE001 - pyusb raises USBTimeoutError on no answer
            return None
        return b[0] if len(b) else None

    def _drop(self) -> None:
        if self.dev is not None:
            try:
                self.dev.close()
            except Exception:  # noqa: BLE001
                pass
            self.dev = None
