"""The stopwatch of bench/ui_taps.py: frames pumped by hand, each frame's pixels read back, a
tap from the finger lifting to the first frame of the screen at rest, and the bare Kivy
baseline. Imported after ui_taps has set Kivy's window size and environment."""
from __future__ import annotations

import cProfile
import os
import time
import zlib

from kivy.base import EventLoop
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glFinish, glReadPixels
from finger import Finger
from kivy.uix.label import Label

TAP_S = 0.1   # how long a finger rests on the glass in a tap
LOOK_S = 0.5  # a visitor looks at a screen at least this long before tapping on it
MAX_WAIT_S = 15.0   # a screen not shown by then is an error

class RealTime:
    """Kivy's clock runs on real time here (a scheduled callback such as the scroll list's
    touch timeout takes as long as it would for a visitor); the test driver's frame helper moves
    its `t`, which is ignored."""

    @property
    def t(self) -> float:
        return time.perf_counter()

    @t.setter
    def t(self, _value) -> None:
        pass


class Meter:
    """Frames pumped by hand; counts flips (frames drawn) and label renders."""

    def __init__(self):
        self.flips = 0
        self.raster = 0.0   # seconds in glFinish: the software rasterizer's share
        self.renders = 0
        Window.bind(on_flip=self._flip)
        real = LabelBase._render_real

        def counted(label, *a, **kw):
            self.renders += 1
            return real(label, *a, **kw)
        LabelBase._render_real = counted
        self.profile_name = os.environ.get("UI_TAPS_PROFILE", "")
        self.profiler = cProfile.Profile() if self.profile_name else None

    describe = staticmethod(lambda: "")   # what the path knows of its state, for an error

    def _flip(self, *_):
        self.flips += 1

    def frame(self) -> bool:
        n = self.flips
        EventLoop.idle()
        t = time.perf_counter()
        glFinish()
        self.raster += time.perf_counter() - t
        return self.flips != n

    def quiet(self, limit: int = 600) -> None:
        """Pump until a frame has nothing to draw (start each tap from rest)."""
        for _ in range(limit):
            if not self.frame():
                return

    def pump(self, seconds: float) -> None:
        """Frames for `seconds` of real time (the Kivy clock's callbacks come due)."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            if not self.frame():
                time.sleep(0.002)

    def until_shown(self, ready, t0, name: str = "", settle: bool = True) -> tuple[float, int, float]:
        """(ms, label renders, wall ms) from t0 to the end of the first frame whose pixels are
        those of the screen at rest. The screen is at rest when `ready()` holds and a frame has
        nothing to draw. Each drawn frame is read back (glReadPixels) and hashed; the read-back
        time is left out of both times.

        `ms` is the Kivy thread's time: the wall time less the time spent in glFinish, which is
        Mesa's software rasterizer filling the frame's pixels on this machine's CPU (35-55 ms
        for a full 1080x1920 frame, the bare switch's as much as the app's) and a GPU's work on
        a Raspberry Pi. `wall ms` includes it.

        settle=False (the issued ticket, whose print status follows the printer): the first frame
        drawn once `ready()` holds."""
        renders0, raster0 = self.renders, self.raster
        drawn: list[tuple[float, int, float]] = []   # (frame's end less read-back so far, pixels' hash, raster so far)
        skipped = 0.0
        prof = self.profiler if name and name == self.profile_name else None
        if prof:
            prof.enable()
        try:
            give_up = time.perf_counter() + MAX_WAIT_S
            while time.perf_counter() < give_up:
                drew = self.frame()
                if drew:
                    end = time.perf_counter()
                    drawn.append((end - skipped, self.pixels(), self.raster - raster0))
                    skipped += time.perf_counter() - end
                if not settle and drawn and ready():
                    return self._times(drawn[-1], t0, 0.0, self.renders - renders0)
                if settle and not drew and drawn and ready():
                    final = drawn[-1][1]
                    start = t0() if callable(t0) else t0   # the idle reset's tick: known afterwards
                    before = max((d[2] for d in drawn if d[0] <= start), default=0.0)
                    first = next(d for d in drawn if d[1] == final and d[0] > start)
                    return self._times(first, start, before, self.renders - renders0)
                else:
                    time.sleep(0.0002)  # a worker thread's answer comes back by the Kivy clock
        finally:
            if prof:
                prof.disable()
        raise RuntimeError(f"{name or 'screen'}: not shown after {MAX_WAIT_S:g} s "
                           f"({len(drawn)} drawn, ready={ready()}; {self.describe()})")

    @staticmethod
    def _times(frame, start: float, raster_before: float, renders: int) -> tuple[float, int, float]:
        end, _pixels, raster = frame
        wall = (end - start) * 1000
        return wall - (raster - raster_before) * 1000, renders, wall

    @staticmethod
    def pixels() -> int:
        w, h = Window.size
        return zlib.crc32(glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE))

    def center(self, widget) -> tuple[float, float]:
        last = None
        for _ in range(60):
            self.frame()
            pos = (widget.to_window(*widget.center), tuple(widget.size))
            if pos == last:
                break
            last = pos
        return last[0]

    def tap(self, widget, ready, name: str = "", settle: bool = True) -> tuple[float, int, float]:
        """A visitor's tap: a look at the screen (LOOK_S of frames: the app's idle-time work
        runs as it would), the finger down for TAP_S, then up; timed from the finger lifting."""
        x, y = self.center(widget)
        self.pump(LOOK_S)
        self.quiet()
        touch = Finger(x, y)
        touch.touch_down()
        self.pump(TAP_S)      # the finger rests on the glass (the pressed look is drawn)
        self.quiet()
        t0 = time.perf_counter()
        touch.touch_up()
        return self.until_shown(ready, t0, name, settle)


def pct(values, p):
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary(samples: list[tuple[float, int, float]], **extra) -> dict:
    ms = [s[0] for s in samples]
    wall = [s[2] for s in samples]
    return {"p95": pct(ms, 95), "p50": pct(ms, 50), "max": max(ms), "n": len(ms),
            "wall_p95": pct(wall, 95), "wall_p50": pct(wall, 50),
            "renders": sum(s[1] for s in samples) / len(samples), "samples": [round(v, 2) for v in ms],
            **extra}


# -- the bare baseline ----------------------------------------------------------------------
class BareSwitch:
    """Two built screens of `labels` labels each (one of them the button), switched by a tap;
    swapped into the window in place of the app for one sample at a time, so the baseline is
    measured interleaved with the app's taps (the same machine load for both)."""

    def __init__(self, meter: Meter, labels: int):
        from kivy.uix.boxlayout import BoxLayout
        from kivy.uix.button import Button
        from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager
        self.m, self.labels, self.samples = meter, labels, []
        self.sm = sm = ScreenManager(transition=NoTransition())
        self.buttons = {}
        for name, other in (("a", "b"), ("b", "a")):
            box = BoxLayout(orientation="vertical", padding=40, spacing=8)
            for i in range(labels - 1):
                box.add_widget(Label(text=f"Screen {name}: label number {i + 1}", font_size=44,
                                     color=(0, 0, 0, 1)))
            btn = Button(text=f"Go to screen {other}", font_size=60)
            btn.bind(on_release=lambda _b, o=other: setattr(sm, "current", o))
            box.add_widget(btn)
            self.buttons[name] = btn
            screen = Screen(name=name)
            screen.add_widget(box)
            sm.add_widget(screen)
        self.first = True

    def sample(self) -> None:
        app_widgets = list(Window.children)
        for w in app_widgets:
            Window.remove_widget(w)
        Window.add_widget(self.sm)
        try:
            if self.first:   # both screens built and drawn once
                for name in ("b", "a"):
                    self.sm.current = name
                    self.m.quiet()
                self.first = False
            here = self.sm.current
            goal = "b" if here == "a" else "a"
            self.samples.append(self.m.tap(self.buttons[here], lambda: self.sm.current == goal))
        finally:
            Window.remove_widget(self.sm)
            for w in reversed(app_widgets):
                Window.add_widget(w)
            self.m.quiet()


# -- the app ------------------------------------------------------------------------------------
