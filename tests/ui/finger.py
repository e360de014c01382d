"""A finger on the glass, for the headless UI driver (ui_helpers.py) and the benchmarks that
drive the real app (bench/ui_meter.py, bench/soak.py).

Kivy has one in kivy.tests.common, but importing that module imports pytest, pygments and
pluggy: about 8 MiB in a benchmark's kiosk process that the kiosk itself never loads, counted
in `appliance.rss_ratio` (issue #19). Tests may use either; they run under pytest anyway."""
from __future__ import annotations

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent


class Finger(MotionEvent):
    """One touch at window pixel (x, y): `touch_down()`, `touch_move(x, y)` and `touch_up()`,
    each dispatched at once, as the window dispatches its input."""

    def __init__(self, x: float, y: float):
        super().__init__("finger", 1, _relative(x, y), is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args):
        self.sx, self.sy = args["x"], args["y"]   # 0..1 of the window, as a device gives them
        super().depack(args)

    def touch_down(self) -> None:
        EventLoop.post_dispatch_input("begin", self)

    def touch_move(self, x: float, y: float) -> None:
        self.move(_relative(x, y))
        EventLoop.post_dispatch_input("update", self)

    def touch_up(self) -> None:
        EventLoop.post_dispatch_input("end", self)


def _relative(x: float, y: float) -> dict:
    win = EventLoop.window
    return {"x": x / (win.width - 1.0), "y": y / (win.height - 1.0)}
