"""Time sources. Timers use a monotonic clock (the Pi has no RTC and NTP jumps);
data carries UTC wall time. Tests pass a FakeClock."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

_BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc)


class FakeClock:
    """A clock tests move by hand: `advance(seconds)` moves both readings."""

    def __init__(self, start: dt.datetime | None = None, mono: float = 1000.0):
        self._wall = start or dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
        self._mono = mono

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> dt.datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += dt.timedelta(seconds=seconds)

    def set_wall(self, when: dt.datetime) -> None:
        self._wall = when


def utc_rfc3339(when: dt.datetime) -> str:
    """RFC 3339 in UTC with milliseconds and a Z, e.g. 2026-03-02T09:00:00.000Z."""
    return when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"  # -"+00:00"


def boot_id() -> str:
    """The kernel's id for this boot (lets the central side correct clocks later)."""
    try:
        return _BOOT_ID_FILE.read_text().strip()
    except OSError:
        import uuid  # here: uuid imports platform, not needed to start
        return "nb-" + uuid.uuid4().hex
