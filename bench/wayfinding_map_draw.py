"""Child process of bench_wayfinding: the map screen's first draw, headless.

Starts the real KioskApp on the example site (config/example-floorplan.toml), waits until
the destination screen is up, then times from the tap's action (`show_route`) to the end of
the first frame that shows the drawn map. Also times a floor switch (a redraw). Prints one
JSON line: {"ms": ..., "note": ...}.
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
from kivy.core.window import Window  # noqa: E402,F401 - the window at the size above

import kiosk.validators  # noqa: E402,F401
from kiosk.config.loader import Layer, validate_layers  # noqa: E402
from kiosk.store import Store  # noqa: E402


def frames_until(cond, limit: int = 200) -> None:
    for _ in range(limit):
        EventLoop.idle()
        if cond():
            return
    raise RuntimeError("the map was not drawn")


def main() -> None:
    from screens.app import KioskApp
    from screens.wayfinding_map import show_route
    site = ROOT / "config" / "example-floorplan.toml"
    cfg, _ = validate_layers([Layer(str(site), tomllib.loads(site.read_text(encoding="utf-8")))])
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        app = KioskApp(cfg, store)
        EventLoop.ensure_window()
        app._run_prepare()
        for _ in range(10):
            EventLoop.idle()
        t0 = time.perf_counter()
        screen = show_route(app, "desk-5")
        frames_until(lambda: screen.ids.map.draw_count > 0 and screen.ids.map.drawing is not None)
        EventLoop.idle()  # the frame that shows it
        first = (time.perf_counter() - t0) * 1000
        before = screen.ids.map.draw_count
        t0 = time.perf_counter()
        screen.set_floor("1")
        frames_until(lambda: screen.ids.map.draw_count > before)
        EventLoop.idle()
        switch = (time.perf_counter() - t0) * 1000
        app.dispatch("on_stop")
        store.close()
    print(json.dumps({"ms": first, "note": f"example site, 1080x1920 offscreen (llvmpipe); "
                                           f"route + steps + map; floor switch {switch:.1f} ms"}))


if __name__ == "__main__":
    main()
