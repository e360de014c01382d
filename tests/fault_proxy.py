"""A fault-injecting HTTP proxy to put between a device and a real kiosk-central process
(tests of store-and-forward sync): each request passes, or gets a 500, a 503 with
Retry-After, a reset connection or a hang, before or after the service saw it."""
from __future__ import annotations

import socket
import struct
import threading
from collections import Counter
from typing import Callable, Iterable

FAULTS = ("pass", "500", "500_after", "503_retry", "reset", "reset_after", "hang", "hang_after", "slow")


def _read_http(sock: socket.socket) -> bytes | None:
    """One HTTP/1.1 message with a Content-Length body (what requests and uvicorn send here)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head + b"\r\n\r\n" + rest


def _reset(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _canned(status: int, extra: str = "") -> bytes:
    body = b'{"detail":"injected by the test proxy"}'
    return (f"HTTP/1.1 {status} Injected\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            f"{extra}\r\n").encode() + body


class FaultProxy:
    """HTTP proxy on loopback that applies one fault per request, taken from `plan`
    (an iterable of FAULTS, then "pass") or from `chooser()`. `applied` counts them.

    pass: forward; 500 / 503_retry: answer without forwarding; 500_after: forward, then
    answer 500 (the server stored it, the device does not know); reset / reset_after:
    TCP reset before / after forwarding; hang / hang_after: say nothing for `hang_s`;
    slow: forward, then answer after `slow_s`.
    """

    def __init__(self, upstream_port: int, plan: Iterable[str] = (), chooser: Callable[[], str] | None = None,
                 hang_s: float = 3.0, slow_s: float = 0.5):
        self.upstream = ("127.0.0.1", upstream_port)
        self._plan = iter(plan)
        self.chooser = chooser
        self.hang_s, self.slow_s = hang_s, slow_s
        self.applied: Counter = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FaultProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.sock.close()

    def _next_fault(self) -> str:
        with self._lock:
            fault = next(self._plan, None)
            if fault is None:
                fault = self.chooser() if self.chooser else "pass"
            self.applied[fault] += 1
            return fault

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _forward(self, request: bytes) -> bytes | None:
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(request)
            return _read_http(up)

    def _serve(self, client: socket.socket) -> None:
        try:
            while not self._stop.is_set():
                request = _read_http(client)
                if request is None:
                    break
                fault = self._next_fault()
                answer = None
                if fault in ("500_after", "reset_after", "hang_after", "slow", "pass"):
                    answer = self._forward(request)
                    if answer is None:
                        break
                if fault in ("reset", "reset_after"):
                    _reset(client)
                    return
                if fault in ("hang", "hang_after"):
                    self._stop.wait(self.hang_s)
                    break
                if fault in ("500", "500_after"):
                    answer = _canned(500)
                elif fault == "503_retry":
                    answer = _canned(503, "retry-after: 1\r\n")
                elif fault == "slow":
                    self._stop.wait(self.slow_s)
                client.sendall(answer)
        except OSError:
            pass
        finally:
            try:
                client.close()
            except OSError:
                pass
