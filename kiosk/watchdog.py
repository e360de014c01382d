"""systemd notifications (sd_notify) and the service watchdog, written by hand.

systemd passes `NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace) to a
`Type=notify` service and, with `WatchdogSec=`, `WATCHDOG_USEC` (and `WATCHDOG_PID`).
The service sends AF_UNIX datagrams such as `READY=1`, `WATCHDOG=1`, `STOPPING=1` and
`STATUS=text`. Without NOTIFY_SOCKET (a terminal, the tests, `make run`) every call is a
no-op, so the app never needs to know whether systemd runs it.

The kiosk pings from the Kivy main loop (screens/appliance.py schedules `ping()` on the
Kivy clock), never from a thread: a frozen screen stops the pings and systemd restarts
the app after WatchdogSec.

  wd = Watchdog.from_env()
  wd.ready("serving visitors")      # once the first frame is drawn
  every wd.interval_s: wd.ping()    # half of WATCHDOG_USEC, as sd_watchdog_enabled advises
  wd.stopping()                     # on a clean stop
"""
from __future__ import annotations

import logging
import os
import socket
from typing import Mapping

log = logging.getLogger(__name__)


def _address(raw: str) -> str | None:
    """NOTIFY_SOCKET -> a socket address; '@name' is the abstract namespace ('\\0name')."""
    if not raw:
        return None
    if raw.startswith("@"):
        return "\0" + raw[1:]
    if raw.startswith("/"):
        return raw
    return None  # vsock and other forms are not used on a kiosk


def _watchdog_usec(env: Mapping[str, str]) -> int | None:
    """WATCHDOG_USEC when it applies to this process (WATCHDOG_PID unset or ours)."""
    raw = env.get("WATCHDOG_USEC", "")
    pid = env.get("WATCHDOG_PID", "")
    if pid:
        try:
            if int(pid) != os.getpid():
                return None
        except ValueError:
            return None
    try:
        usec = int(raw)
    except ValueError:
        return None
    return usec if usec > 0 else None


class Watchdog:
    """Sends sd_notify messages. Never raises: a lost datagram must not stop the app."""

    def __init__(self, address: str | None = None, watchdog_usec: int | None = None):
        self.address = address
        self.watchdog_usec = watchdog_usec
        self.sent = 0
        self.errors = 0
        self._sock: socket.socket | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Watchdog":
        env = os.environ if env is None else env
        address = _address(env.get("NOTIFY_SOCKET", ""))
        return cls(address, _watchdog_usec(env) if address else None)

    @property
    def enabled(self) -> bool:
        """True when systemd listens (NOTIFY_SOCKET set)."""
        return self.address is not None

    @property
    def interval_s(self) -> float | None:
        """How often to ping: half the watchdog time-out; None without a watchdog."""
        if not self.watchdog_usec:
            return None
        return self.watchdog_usec / 2 / 1_000_000

    def notify(self, *fields: str) -> bool:
        """Send one datagram of `KEY=value` lines. Returns whether it was sent."""
        if self.address is None:
            return False
        msg = "\n".join(f.replace("\n", " ") for f in fields).encode("utf-8")
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(msg, self.address)
        except OSError as e:
            self.errors += 1
            if self.errors in (1, 10, 100) or self.errors % 1000 == 0:
                log.warning("sd_notify to %r failed (%d so far): %s", self.address, self.errors, e)
            self.close()
            return False
        self.sent += 1
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def stopping(self, status: str = "") -> bool:
        return self.notify("STOPPING=1", *([f"STATUS={status}"] if status else []))

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
