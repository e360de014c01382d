"""QR/barcode scanners: serial (via serial_for_url), a simulator, and keyboard-wedge input.

  serial:///dev/ttyACM0?baudrate=9600   a local port (also loop://, socket://host:port,
                                         rfc2217://, spy://; parsed by devices/serial_url.py,
                                         opened with serial_for_url)
  sim://[?port=0]                        codes from `inject(code)` or from lines sent to a
                                         localhost TCP port (`port` attribute once started)

A scanner calls `on_code(text)` from its reader thread for every complete line (CR, LF or
CRLF ends a code). Bad input never crashes it: bytes outside printable ASCII are dropped,
lines longer than `max_len` are thrown away whole, a partial line idle for `idle_s` is
discarded, and a vanished device is logged and reopened every `reopen_s`.
`WedgeBuffer` does the same for USB scanners that type into the app like a keyboard.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from devices.serial_url import SerialUrl, parse_serial_url

log = logging.getLogger(__name__)

MAX_LEN = 256


class LineAssembler:
    """Bytes in, clean codes out. Never raises on content."""

    def __init__(self, max_len: int = MAX_LEN, idle_s: float = 1.0, clock=time.monotonic):
        self.max_len = max_len
        self.idle_s = idle_s
        self.clock = clock
        self.buf = bytearray()
        self.overflow = False
        self.last = 0.0
        self.dropped_bytes = 0
        self.dropped_lines = 0

    def feed(self, data: bytes) -> list[str]:
        now = self.clock()
        if self.buf and now - self.last > self.idle_s:
            log.info("scanner: incomplete code discarded (%d bytes, no line end)", len(self.buf))
            self.buf.clear()
        self.last = now
        out = []
        for b in data:
            if b in (0x0A, 0x0D):
                if self.overflow:
                    self.dropped_lines += 1
                    log.warning("scanner: line longer than %d bytes ignored", self.max_len)
                elif self.buf:
                    out.append(self.buf.decode("ascii"))
                self.buf.clear()
                self.overflow = False
            elif 0x20 <= b < 0x7F:
                if self.overflow:
                    continue
                if len(self.buf) >= self.max_len:
                    self.overflow = True
                    self.buf.clear()
                else:
                    self.buf.append(b)
            else:
                self.dropped_bytes += 1
        return out


class WedgeBuffer:
    """Keyboard-wedge scanners and the on-screen keypad: characters in, a code on Enter."""

    def __init__(self, max_len: int = MAX_LEN):
        self.max_len = max_len
        self.text = ""

    def key(self, ch: str) -> None:
        if len(ch) == 1 and ch.isprintable() and len(self.text) < self.max_len:
            self.text += ch

    def backspace(self) -> None:
        self.text = self.text[:-1]

    def clear(self) -> None:
        self.text = ""

    def enter(self) -> str | None:
        code, self.text = self.text.strip(), ""
        return code or None


class _Reader:
    """Shared thread plumbing: `_read_once()` returns bytes (b'' on timeout)."""

    def __init__(self, url: str, reopen_s: float = 2.0, max_len: int = MAX_LEN):
        self.url = url
        self.reopen_s = reopen_s
        self.lines = LineAssembler(max_len)
        self.on_code = None
        self.errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_code) -> "_Reader":
        self.on_code = on_code
        self._thread = threading.Thread(target=self._loop, name=f"scanner {self.url}", daemon=True)
        self._thread.start()
        return self

    def _emit(self, data: bytes) -> None:
        for code in self.lines.feed(data):
            try:
                self.on_code(code)
            except Exception:  # noqa: BLE001 - a bad handler must not kill the reader
                log.exception("scanner: handler failed")

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._read_once()
            except Exception as e:  # noqa: BLE001 - device gone: log, wait, reopen
                self.errors += 1
                log.warning("scanner %s: %s; retrying in %.0f s", self.url, e, self.reopen_s)
                self._close_device()
                self._stop.wait(self.reopen_s)
                continue
            if data:
                self._emit(data)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        self._close_device()

    close = stop

    def _close_device(self) -> None:
        pass


class SerialScanner(_Reader):
    def __init__(self, url: str, link: SerialUrl, **kw):
        super().__init__(url, **kw)
        self.link = link
        self.port = link.port
        self.baudrate = link.baudrate
        self.ser = None

    @classmethod
    def check_url(cls, url: str) -> SerialUrl:
        return parse_serial_url(url, "scanner", baudrate=9600)

    @classmethod
    def from_url(cls, url: str, **options) -> "SerialScanner":
        return cls(url, cls.check_url(url), **options)

    def _read_once(self) -> bytes:
        if self.ser is None:
            self.ser = self.link.open(timeout=0.2)
        n = self.ser.in_waiting
        return self.ser.read(max(1, min(n, 4096)))

    def _close_device(self) -> None:
        if self.ser is not None:
            try:
                self.ser.close()
            except Exception:  # noqa: BLE001
                pass
            self.ser = None


class SimScanner(_Reader):
    def __init__(self, url: str = "sim://", port: int = 0, **kw):
        super().__init__(url, **kw)
        self._want_port = port
        self._queue: list[bytes] = []
        self._cv = threading.Condition()
        self._server = None
        self._conn = None
        self.port = None

    @classmethod
    def from_url(cls, url: str, **options) -> "SimScanner":
        return cls(url, cls.check_url(url).number("port", 0), **options)

    @classmethod
    def check_url(cls, url: str) -> SerialUrl:
        link = parse_serial_url(url, "scanner", options=("port",), sim=True)
        link.number("port", 0)
        return link

    def start(self, on_code) -> "SimScanner":
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", self._want_port))
        self._server.listen(1)
        self._server.settimeout(0)
        self.port = self._server.getsockname()[1]
        log.info("scanner simulator: send codes as lines to 127.0.0.1:%d", self.port)
        super().start(on_code)
        return self

    def inject(self, data: bytes | str) -> None:
        """Play a scan (add the line end yourself to complete it)."""
        with self._cv:
            self._queue.append(data.encode() if isinstance(data, str) else data)
            self._cv.notify()

    def _read_once(self) -> bytes:
        with self._cv:
            if self._queue:
                return self._queue.pop(0)
        if self._conn is None:
            try:
                self._conn, _ = self._server.accept()
                self._conn.settimeout(0.05)
            except (BlockingIOError, socket.timeout):
                with self._cv:
                    self._cv.wait(0.05)
                return b""
        try:
            data = self._conn.recv(4096)
        except socket.timeout:
            return b""
        if not data:
            self._conn.close()
            self._conn = None
        return data

    def _close_device(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def stop(self) -> None:
        super().stop()
        if self._server is not None:
            self._server.close()
