"""Soak run for `make bench` (see bench_appliance.py): one process, the real app with the
example site in the "home" role, random taps on whatever buttons the current screen shows,
the kiosk clock moved by hand (idle resets, thank-you screens, ticket screens time out).
Prints key=value lines: visits, taps, screens, rss_start_mib, rss_end_mib, growth_mib_per_10k,
errors_logged. A visit ends whenever the app is back on its start screen."""
from __future__ import annotations

import gc
import logging
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]
TMP = Path(tempfile.mkdtemp(prefix="soak-"))
os.environ.update(SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "offscreen"), KIVY_NO_ARGS="1",
                  KIVY_NO_CONSOLELOG="1", KIVY_NO_FILELOG="1", KIVY_HOME=str(TMP / "kivy"),
                  ESCPOS_CAPABILITIES_PICKLE_DIR=str(ROOT / "build" / "escpos-cache"))
(ROOT / "build" / "escpos-cache").mkdir(parents=True, exist_ok=True)
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", os.environ.get("SOAK_WIDTH", "540"))  # a quarter of the pixels:
Config.set("graphics", "height", os.environ.get("SOAK_HEIGHT", "960"))  # memory, not drawing, is measured
from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402,F401
from kivy.uix.behaviors import ButtonBehavior  # noqa: E402

VISITS = int(os.environ.get("SOAK_VISITS", "300"))
WARMUP = int(os.environ.get("SOAK_WARMUP", str(VISITS // 3)))  # every screen built and warm by then


class Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


class KivyTime:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


def fast_tap(ui, widget):
    """A real touch down/up on the widget, with fewer frames than the test driver uses."""
    from kivy.tests.common import UnitTestTouch
    x, y = widget.to_window(*widget.center)
    t = UnitTestTouch(x, y)
    t.touch_down()
    t.touch_up()
    ui.frames(2)
    ui.app.writer.flush(5)
    ui.frames(1)


def main() -> int:
    import tomllib
    from ui_helpers import UiDriver
    kt = KivyTime(Clock.time() + 1)
    Clock.time = kt
    Clock._max_fps = 0
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text())
    plan_path = ROOT / "config" / "example-floorplan.toml"
    if plan_path.exists():
        from kiosk.config.loader import merge
        site = merge(site, tomllib.loads(plan_path.read_text()))
    site.setdefault("device", {})["role"] = "home"
    site.setdefault("devices", {})
    for kind in ("printer", "scanner", "buttons"):
        site["devices"].setdefault(kind, {})["url"] = "sim://" if kind != "printer" else \
            f"sim://?dir={TMP / 'printer'}"
    site["devices"].setdefault("speech", {})["url"] = "dummy://"
    errors = Errors()
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)
    ui = UiDriver(TMP, kt, site, "soak").start()
    rnd = random.Random(1)
    start = ui.app.start_screen()
    visits = taps = 0
    seen = set()
    rss0 = None
    while visits < VISITS:
        # one visit: a function from the home menu, a few random taps, then walk away
        for _ in range(rnd.randint(2, 9)):
            screen = ui.screen()
            seen.add(ui.current)
            buttons = [w for w in screen.walk(restrict=True) if isinstance(w, ButtonBehavior)
                       and not getattr(w, "disabled", False) and w.get_root_window() is not None
                       and w.width > 0]
            if not buttons or rnd.random() < 0.1:
                ui.advance(rnd.choice([1.0, 4.0]))
                continue
            fast_tap(ui, rnd.choice(buttons))
            taps += 1
        ui.advance(40.0)  # nobody touches it: every screen goes back to the start
        if ui.current != start:
            ui.advance(40.0)
        seen.add(ui.current)
        visits += 1
        if visits % 50 == 0:
            print(f"... {visits} visits, {taps} taps, RSS {rss_mib():.1f} MiB", file=sys.stderr, flush=True)
        if visits == WARMUP:
            gc.collect()
            rss0 = rss_mib()
    gc.collect()
    rss1 = rss_mib()
    ui.stop()
    growth = (rss1 - rss0) / (VISITS - WARMUP) * 10000  # scaled to 10,000 visits
    print(f"visits={visits}\ntaps={taps}\nscreens={len(seen)}\nrss_start_mib={rss0:.1f}\n"
          f"rss_end_mib={rss1:.1f}\ngrowth_mib_per_10k={growth:.2f}\nerrors_logged={len(errors.records)}")
    for rec in errors.records[:5]:
        print("error:", rec.getMessage(), file=sys.stderr)
    print("screens seen:", ", ".join(sorted(seen)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
