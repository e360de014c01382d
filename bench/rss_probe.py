"""Child process of bench_appliance's memory ratio: resident memory of the kiosk once a visitor
has been on every screen, or of a bare Kivy window of the same size (the baseline).

  python bench/rss_probe.py app    the real app (example site, "home" role, simulated devices):
                                   every visitor screen shown, a ticket taken, a route drawn,
                                   language and large text switched and back
  python bench/rss_probe.py bare   a Kivy window with one empty widget, a few frames drawn

Both draw at 1080x1920 with the same renderer settings. Prints one line: rss_mib=<MiB>.
"""
from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]
TMP = Path(tempfile.mkdtemp(prefix="rss-probe-"))
os.environ.update(SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "offscreen"), KIVY_NO_ARGS="1",
                  KIVY_LOG_MODE="PYTHON", KIVY_NO_CONSOLELOG="1", KIVY_NO_FILELOG="1",
                  KIVY_HOME=str(TMP / "kivy"),
                  ESCPOS_CAPABILITIES_PICKLE_DIR=str(ROOT / "build" / "escpos-cache"))
(ROOT / "build" / "escpos-cache").mkdir(parents=True, exist_ok=True)
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "1080")
Config.set("graphics", "height", "1920")
from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def pump(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        EventLoop.idle()
        time.sleep(0.005)


def bare() -> None:
    from kivy.uix.widget import Widget
    Window.add_widget(Widget())
    pump(1.0)


def app() -> None:
    from bench.ui_taps import Meter, AppPaths
    paths = AppPaths(Meter(), "dummy://?state=online", "rss", {}, {})
    for i in range(3):
        paths.feedback(i)
        paths.ticket(i, "ticket", ("printing", "printed"))
        paths.route(i)
        paths.top_bar(i)
        paths.idle_reset(i)
    a = paths.app
    for name in ("home", "feedback_question", "feedback_reasons", "feedback_thanks", "ticket_services",
                 "ticket_appointment", "wayfinding_destinations", "wayfinding_map"):
        a.show(name)
        pump(0.2)
    paths.home()
    pump(1.0)


def main() -> int:
    Clock._max_fps = 0
    EventLoop.ensure_window()
    {"app": app, "bare": bare}[sys.argv[1]]()
    gc.collect()
    print(f"rss_mib={rss_mib():.1f}", flush=True)
    os._exit(0)   # the reading is taken; no teardown to wait for


if __name__ == "__main__":
    sys.exit(main())
