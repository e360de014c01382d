"""Lower the frame rate while nobody touches the screen.

Kivy's main loop runs at `maxfps` (60) even when nothing changes; on a kiosk that stands idle
most of the day that is wasted CPU and heat. After IDLE_AFTER_S without a touch the loop runs
at IDLE_FPS; the first touch (picked up within 1/IDLE_FPS s) brings back the full rate before
it is handled. Under tests with a fake clock (`Clock._max_fps == 0`) nothing changes.
"""
from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window

IDLE_AFTER_S = 5.0
IDLE_FPS = 8


class IdleThrottle:
    def __init__(self, idle_for):
        self.idle_for = idle_for  # () -> seconds since the last touch
        self.full_fps = Clock._max_fps
        self.enabled = self.full_fps > 0
        if self.enabled:
            Window.bind(on_touch_down=self._wake, on_key_down=self._wake)

    def _wake(self, *_):
        if Clock._max_fps != self.full_fps:
            Clock._max_fps = self.full_fps
        return False

    def check(self) -> None:
        """Call a few times a second (the app's tick)."""
        if not self.enabled:
            return
        want = IDLE_FPS if self.idle_for() >= IDLE_AFTER_S else self.full_fps
        if Clock._max_fps != want:
            Clock._max_fps = want

    def stop(self) -> None:
        if self.enabled:
            Window.unbind(on_touch_down=self._wake, on_key_down=self._wake)
            Clock._max_fps = self.full_fps
