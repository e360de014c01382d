"""Staff mode rules, as plain Python: the PIN (salted scrypt hash), lockout after wrong
PINs with growing delays, the hidden corner gesture, and the staff session's inactivity
time-out. Timers use the monotonic clock passed in.
"""
from __future__ import annotations

from dataclasses import dataclass


FREE_TRIES = 5
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 900.0


def valid_pin(pin: str) -> str | None:
    """Why a new PIN is not acceptable, or None."""
    if not pin.isdigit():
        return "a PIN has digits only"
    if not 4 <= len(pin) <= 8:
        return "a PIN has 4 to 8 digits"
    if len(set(pin)) == 1:
        return "a PIN of one repeated digit is too easy to guess"
    return None


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """The stored form of a PIN (`staff.pin_hash`): common.passwords' salted scrypt."""
    from common.passwords import hash_password  # hashlib etc.: when a PIN is set, not at start
    return hash_password(pin, salt=salt)


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` matches `stored` (any scrypt string common.passwords reads, the
    kiosk's earlier padded-base64 ones too); False, never an exception, for anything else."""
    from common.passwords import verify_password
    return verify_password(pin, stored)


@dataclass
class PinResult:
    ok: bool
    locked_for_s: float = 0.0
    tries_left: int = 0


class PinGate:
    """Checks PINs; after FREE_TRIES wrong ones, each further wrong PIN locks for twice as
    long (30 s, 60 s, 120 s ... up to 15 min). The failure count survives a restart when a
    store is given (kept in its meta table)."""

    def __init__(self, pin_hash: str, clock, store=None):
        self.pin_hash = pin_hash
        self.clock = clock
        self.store = store
        self.failures = int(store.meta_get("staff_pin_failures", "0")) if store else 0
        self.locked_until = 0.0
        if self.failures >= FREE_TRIES:  # restarted while locked: lock again from now
            self.locked_until = clock.monotonic() + self._lock_s()

    def _lock_s(self) -> float:
        return min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** (self.failures - FREE_TRIES))

    def locked_for(self) -> float:
        return max(0.0, self.locked_until - self.clock.monotonic())

    def attempt(self, pin: str) -> PinResult:
        if self.locked_for() > 0:
            return PinResult(False, self.locked_for(), 0)
        if self.pin_hash and verify_pin(pin, self.pin_hash):
            self._set_failures(0)
            self.locked_until = 0.0
            return PinResult(True)
        self._set_failures(self.failures + 1)
        if self.failures >= FREE_TRIES:
            self.locked_until = self.clock.monotonic() + self._lock_s()
            return PinResult(False, self.locked_for(), 0)
        return PinResult(False, 0.0, FREE_TRIES - self.failures)

    def _set_failures(self, n: int) -> None:
        self.failures = n
        if self.store:
            self.store.meta_set("staff_pin_failures", str(n))


class CornerGesture:
    """`taps` touches inside the corner square within `window_s` seconds."""

    def __init__(self, clock, corner: str = "top-left", size_px: int = 120, taps: int = 5,
                 window_s: float = 3.0):
        self.clock = clock
        self.corner, self.size, self.taps, self.window_s = corner, size_px, taps, window_s
        self._times: list[float] = []

    def in_corner(self, x: float, y: float, width: float, height: float) -> bool:
        """Kivy coordinates: y grows upwards, (0, 0) is bottom-left."""
        left = x <= self.size
        right = x >= width - self.size
        top = y >= height - self.size
        bottom = y <= self.size
        return {"top-left": left and top, "top-right": right and top,
                "bottom-left": left and bottom, "bottom-right": right and bottom}[self.corner]

    def touch(self, x: float, y: float, width: float, height: float) -> bool:
        """Feed every touch; True when this touch completes the gesture."""
        if not self.in_corner(x, y, width, height):
            self._times.clear()
            return False
        now = self.clock.monotonic()
        self._times = [t for t in self._times if now - t <= self.window_s] + [now]
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False


class StaffSession:
    def __init__(self, clock, idle_timeout_s: float):
        self.clock = clock
        self.idle_timeout_s = idle_timeout_s
        self.last = clock.monotonic()

    def touch(self) -> None:
        self.last = self.clock.monotonic()

    def expired(self) -> bool:
        return self.clock.monotonic() - self.last >= self.idle_timeout_s
