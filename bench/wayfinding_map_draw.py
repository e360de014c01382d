"""Child process of bench_wayfinding: the map screen's first draw, headless.

Starts the real KioskApp on the example site (config/example-floorplan.toml), waits until
the destination screen is up, then times from the tap's action (`show_route`) to the end of
the first frame that shows the drawn map, with glFinish before and after, so the time
includes the GPU's work (llvmpipe here) and no backlog of earlier frames. Also times a floor
switch (a redraw). Prints one
JSON line: {"ms": ..., "steady_ms": a plain redraw of the same screen, "note": ...}.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "1080")
Config.set("graphics", "height", "1920")

from kivy.base import EventLoop  # noqa: E402
from kivy.core.window import Window  # noqa: E402 - the window at the size above
from kivy.graphics.opengl import glFinish  # noqa: E402

from kiosk.config.loader import Layer, validate_layers  # noqa: E402
from kiosk.storage.store import Store  # noqa: E402


def frames_until(cond, limit: int = 200) -> int:
    for n in range(1, limit + 1):
        EventLoop.idle()
        if cond():
            return n
    raise RuntimeError("the map was not drawn")


def main() -> None:
    from kiosk.appliance.core import Kiosk
    from screens.app import KioskApp
    from screens.wayfinding_map import show_route
    site = ROOT / "config" / "example-floorplan.toml"
    cfg, _ = validate_layers([Layer(str(site), tomllib.loads(site.read_text(encoding="utf-8")))])
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        app = KioskApp(Kiosk(cfg, store=store))
        EventLoop.ensure_window()
        app._run_prepare()
        flips = []
        Window.bind(on_flip=lambda *_: flips.append(1))
        # the kiosk at rest, as a visitor finds it: started, and the screens it leads to built
        # ahead (screens/app.py _prebuild, from 1 s after the first frame)
        end = time.perf_counter() + 10
        while app.screen("wayfinding_map") is None and time.perf_counter() < end:
            EventLoop.idle()
            time.sleep(0.01)
        for _ in range(10):
            EventLoop.idle()
        glFinish()  # start with the GPU idle (llvmpipe renders behind the CPU)
        t0 = time.perf_counter()
        screen = show_route(app, "desk-5")
        frames = frames_until(lambda: screen.ids.map.draw_count > 0
                              and screen.ids.map.drawing is not None)
        glFinish()        # ... until its pixels are done
        first = (time.perf_counter() - t0) * 1000
        drawn = len(flips)
        EventLoop.idle()  # a frame after it: nothing left to draw (else it counts)
        if len(flips) > drawn:
            glFinish()
            first = (time.perf_counter() - t0) * 1000
            frames += 1
        before = screen.ids.map.draw_count
        for _ in range(5):
            EventLoop.idle()
        glFinish()
        t0 = time.perf_counter()
        screen.set_floor("1")
        frames_until(lambda: screen.ids.map.draw_count > before)
        EventLoop.idle()
        glFinish()
        switch = (time.perf_counter() - t0) * 1000
        steady = []
        for _ in range(5):  # a plain redraw of the same screen, nothing changed
            t0 = time.perf_counter()
            Window.canvas.ask_update()
            EventLoop.idle()
            glFinish()
            steady.append((time.perf_counter() - t0) * 1000)
        app.dispatch("on_stop")
        store.close()
    print(json.dumps({"ms": first, "steady_ms": sorted(steady)[2], "note": f"example site, 1080x1920 offscreen (llvmpipe): "
                                           f"tap to the frame showing route, steps and map "
                                           f"({frames} frame{'s' if frames > 1 else ''}); "
                                           f"floor switch {switch:.1f} ms"}))


if __name__ == "__main__":
    main()
