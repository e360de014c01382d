"""Drive the real KioskApp headless: real touches at widget coordinates, a fake
kiosk clock for idle timers, frames pumped by hand, screenshots under build/."""
from __future__ import annotations

import time
from pathlib import Path

from kivy.app import App
from kivy.base import EventLoop
from kivy.core.window import Window
from finger import Finger

from kiosk.clock import FakeClock
from kiosk.storage.store import Store

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


class UiDriver:
    def __init__(self, tmp: Path, kivy_time, overrides: dict, name: str):
        self.tmp = tmp
        self.kivy_time = kivy_time
        self.overrides = overrides
        self.name = name.replace("[", "-").replace("]", "").replace("/", "_")
        self.app = None

    def start(self):
        from kiosk.appliance.core import Kiosk
        from screens.app import KioskApp
        from kiosk.config.local import dumps, load_or_safe_mode
        overrides = dict(self.overrides)
        local_bytes = overrides.pop("_local_toml", None)  # raw local overrides, maybe broken
        site = self.tmp / "site.toml"
        site.write_text(dumps(overrides), encoding="utf-8")
        data = self.tmp / "data"
        data.mkdir(parents=True, exist_ok=True)
        if local_bytes is not None:
            (data / "local.toml").write_bytes(local_bytes)
        cfg, _layers, safe = load_or_safe_mode(str(site), data)
        self.cfg = cfg
        self.clock = FakeClock()   # Monday 10:00 in Amsterdam: the example site is open
        self.store = Store(data, clock=self.clock)  # one fake clock: no test depends on the wall clock
        self.core = Kiosk(cfg, store=self.store, clock=self.clock, site=str(site), safe_problems=safe)
        self.app = KioskApp(self.core)
        EventLoop.ensure_window()
        self.app._run_prepare()
        self.frames(10)
        return self

    def stop(self):
        app = self.app
        if app is None:
            return
        app.dispatch("on_stop")
        for child in list(Window.children):
            Window.remove_widget(child)
        App._running_app = None
        self.store.close()
        self.app = None

    # -- time and frames ---------------------------------------------------------
    def until(self, pred, timeout: float = 10.0) -> bool:
        """Pump frames until `pred()` holds (work a screen hands to a thread comes back by the
        Kivy clock); False after `timeout` real seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.frames(2)
            if pred():
                return True
            time.sleep(0.01)
        return pred()

    def frames(self, n: int = 2):
        for _ in range(n):
            self.kivy_time.t += 1 / 60
            EventLoop.idle()

    def settle(self, max_frames: int = 120):
        """Let background writes finish and their results reach the UI."""
        for _ in range(max_frames // 4):
            self.app.core.writer.flush(5)
            self.frames(4)
            if not self.app.busy:
                break
        self.app.core.writer.flush(5)
        self.frames(2)

    def advance(self, seconds: float):
        """Move the kiosk clock, then give the UI tick (every 0.25 s) a chance to run."""
        self.clock.advance(seconds)
        self.kivy_time.t += 0.3
        self.frames(3)
        self.settle()

    # -- input -------------------------------------------------------------------
    def tap(self, widget):
        x, y = self._stable_center(widget)
        touch = Finger(x, y)
        touch.touch_down()
        self.frames(1)
        touch.touch_up()
        self.frames(2)
        self.settle()

    def _stable_center(self, widget):
        """Pump frames until the layout has settled, so the touch lands on the widget."""
        last = None
        for _ in range(60):
            self.frames(1)
            pos = (widget.to_window(*widget.center), tuple(widget.size))
            if pos == last:
                break
            last = pos
        x, y = last[0]
        if widget.get_root_window() is None:   # not assert: the benchmarks run it with -O
            raise AssertionError(f"{widget} is not on screen")
        return x, y

    def tap_at(self, x: float, y: float):
        touch = Finger(x, y)
        touch.touch_down()
        self.frames(1)
        touch.touch_up()
        self.frames(2)
        self.settle()

    # -- looking -----------------------------------------------------------------
    @property
    def current(self) -> str:
        return self.app.sm.current

    def screen(self, name: str | None = None):
        return self.app.screen(name or self.current)

    def screenshot(self, label: str = "") -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.name}{'-' + label if label else ''}.png"
        self.frames(2)
        export_png(self.app.root, path, self.app.c_bg)
        return path


def export_png(widget, path: Path, background) -> None:
    """The widget as the visitor sees it: drawn into an offscreen buffer cleared to the window's
    colour (screens have no background of their own: the window's clear colour is it; Kivy's
    export_to_png would leave it transparent)."""
    from kivy.graphics import ClearBuffers, ClearColor, Fbo, Translate
    parent = widget.parent
    index = parent.canvas.indexof(widget.canvas) if parent is not None else -1
    if index > -1:
        parent.canvas.remove(widget.canvas)
    fbo = Fbo(size=widget.size, with_stencilbuffer=True)
    with fbo:
        ClearColor(*background)
        ClearBuffers()
        Translate(-widget.x, -widget.y, 0)   # not flipped here: scissor boxes are in window pixels
    fbo.add(widget.canvas)
    try:
        fbo.draw()
        from kivy.core.image import Image
        Image(fbo.texture).save(str(path), flipped=True)
    finally:
        fbo.remove(widget.canvas)
        if index > -1:
            parent.canvas.insert(index, widget.canvas)
