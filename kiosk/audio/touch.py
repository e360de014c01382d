"""Explore-by-touch as a small state machine over touch-down and touch-up, on an injected time.

  explorer = TouchExplorer(double_tap_s=0.5, long_press_s=2.0)
  explorer.down("reason.waiting_time", now)
  gesture, item = explorer.up("reason.waiting_time", now)

- A touch on an item, released before `long_press_s`: SPEAK it (it does not activate).
- A second touch on the same item whose down comes within `double_tap_s` of the first one's
  up: ACTIVATE it. A touch on another item in between starts over.
- A touch held `long_press_s` or longer (anywhere, on an item or not): LONG_PRESS (the start
  screen uses it to enter audio mode). `long_press_due(now)` says whether the finger still
  down has been held that long, for a UI that reacts before the finger lifts.
- A touch that lifts somewhere else than it went down (the finger slid): SPEAK the item under
  the finger at the end, if any; it never activates.
Nothing here reads a clock: the caller passes `now` (monotonic seconds).
"""
from __future__ import annotations

import enum


class Gesture(str, enum.Enum):
    NONE = "none"
    SPEAK = "speak"
    ACTIVATE = "activate"
    LONG_PRESS = "long_press"


class TouchExplorer:
    def __init__(self, double_tap_s: float = 0.5, long_press_s: float = 2.0):
        if not 0 < double_tap_s < long_press_s:
            raise ValueError("double_tap_s must be above 0 and below long_press_s")
        self.double_tap_s = double_tap_s
        self.long_press_s = long_press_s
        self._down: tuple[str | None, float] | None = None   # item and time of the finger down
        self._tapped: tuple[str, float] | None = None        # the last spoken tap: item, up time
        self._tap_pending = False                            # this touch may be a second tap

    def down(self, item: str | None, now: float) -> None:
        t = self._tapped
        self._tap_pending = (t is not None and item is not None and item == t[0]
                             and now - t[1] <= self.double_tap_s)
        self._down = (item, now)

    def long_press_due(self, now: float) -> bool:
        return self._down is not None and now - self._down[1] >= self.long_press_s

    def up(self, item: str | None, now: float) -> tuple[Gesture, str | None]:
        down, self._down = self._down, None
        second, self._tap_pending = self._tap_pending, False
        if down is None:
            return Gesture.NONE, None
        if now - down[1] >= self.long_press_s:
            self._tapped = None
            return Gesture.LONG_PRESS, None
        if item is None:
            self._tapped = None
            return Gesture.NONE, None
        if second and item == down[0]:
            self._tapped = None
            return Gesture.ACTIVATE, item
        self._tapped = (item, now) if item == down[0] else None
        return Gesture.SPEAK, item

    def reset(self) -> None:
        self._down = self._tapped = None
        self._tap_pending = False
