"""Child process of bench_ui: what the visitor sees after a tap, headless.

For each visitor path it times from the touch (the finger lifted: buttons act on release) to
the end of the first frame that shows the next screen complete: the first frame whose pixels
are those of the screen at rest (the expected screen with its content, `ready`, and a frame
after it with nothing left to draw). Every frame is followed by glFinish, so a frame's time
includes the GPU's work (Mesa llvmpipe here) and no backlog of queued frames.

The issued ticket is complete when it shows the number, the QR and the print status the printer
is in at that moment ("printing" turns into "printed" when the printer says so; on a printer
known to be out of paper it is "failed" with the QR from the first frame).

The baseline, in the same process and window: a bare Kivy ScreenManager switching between two
built screens of the same number of labels as the path's target screen, by a tap on a button,
timed the same way. One baseline tap follows every app tap (the bare screens are swapped into
the window for it), so both see the same load on the machine.

The kiosk is measured at rest, as a visitor finds it: started a few seconds before, the screens
it leads to built ahead (screens/app.py), one warm-up round not counted. The Kivy clock runs on
real time (a callback due in 0.2 s takes 0.2 s); the kiosk's own clock is the test driver's
fake one (Monday 10:00, the example site open), moved by hand for the idle reset.

Prints one JSON line: {"paths": {name: {p95, p50, samples, labels, renders, baseline: {...}}}}.
Set UI_TAPS_PROFILE=<path name> to print a cProfile of that path's taps to stderr, and
UI_TAPS_ONLY=<groups> (comma-separated: feedback, ticket, route, top_bar, idle_reset,
fallback) to time only those groups of paths.
"""
from __future__ import annotations

import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]
TMP = Path(tempfile.mkdtemp(prefix="ui-taps-"))
os.environ.update(SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "offscreen"), KIVY_NO_ARGS="1",
                  KIVY_LOG_MODE="PYTHON",  # tracebacks stay on stderr
                  KIVY_NO_CONSOLELOG="1", KIVY_NO_FILELOG="1", KIVY_HOME=str(TMP / "kivy"),
                  ESCPOS_CAPABILITIES_PICKLE_DIR=str(ROOT / "build" / "escpos-cache"))
(ROOT / "build" / "escpos-cache").mkdir(parents=True, exist_ok=True)
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "1080")
Config.set("graphics", "height", "1920")
Config.set("kivy", "exit_on_escape", "0")
from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402
from kivy.uix.label import Label  # noqa: E402

from bench.ui_meter import BareSwitch, Meter, RealTime, summary  # noqa: E402,F401 - Meter: rss_probe

SAMPLES = int(os.environ.get("UI_TAPS_SAMPLES", "20"))
ONLY = {g for g in os.environ.get("UI_TAPS_ONLY", "").split(",") if g}
PREBUILT_S = 2.5   # after the start: screens/app.py builds the reachable screens ahead


# -- the app ------------------------------------------------------------------------------------
def site(printer: str) -> dict:
    import tomllib
    from kiosk.config.loader import merge
    cfg = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    cfg = merge(cfg, tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8")))
    cfg["device"] = {**cfg.get("device", {}), "role": "home"}
    # the QR a kiosk with a central service prints and shows (without one there is none: the
    # example site has no [sync] url); a fixed pattern, so no sync worker runs in the bench
    cfg["tickets"] = {**cfg.get("tickets", {}), "qr_url": "https://kiosk.example.org/t/{token}"}
    cfg["devices"] = {"printer": {"url": printer}, "speech": {"url": "dummy://"},
                      "scanner": {"url": "sim://"}, "buttons": {"url": ""}}
    return cfg


def label_count(screen) -> int:
    return sum(isinstance(w, Label) for w in screen.walk(restrict=True))


class AppPaths:
    """Drives the real app along the visitor paths; every timed tap is followed by one tap of a
    bare baseline with as many labels as the screen the tap led to."""

    def __init__(self, meter: Meter, printer: str, tag: str, bares: dict, results: dict):
        from ui_helpers import UiDriver
        self.m = meter
        self.bares = bares        # labels -> BareSwitch, shared by both apps
        self.results = results    # path -> {"app": [...], "bare": [...], "labels": n}
        self.measuring = False
        (TMP / tag).mkdir(parents=True, exist_ok=True)
        self.ui = UiDriver(TMP / tag, RealTime(), site(printer), f"bench-{tag}").start()
        self.app = self.ui.app
        self.opened = self.ui.clock.wall()   # Monday 10:00: the example site's services open
        self.m.pump(PREBUILT_S)   # at rest, as a visitor finds it: the screens built ahead
        self.m.quiet()

    def stop(self):
        self.ui.stop()
        self.m.quiet()

    def record(self, name: str, sample: tuple[float, int], screen: str) -> None:
        if not self.measuring:
            return
        labels = label_count(self.app.screen(screen))
        row = self.results.setdefault(name, {"app": [], "bare": [], "labels": labels})
        row["app"].append(sample)
        bare = self.bares.get(labels) or self.bares.setdefault(labels, BareSwitch(self.m, labels))
        bare.sample()
        row["bare"].append(bare.samples[-1])

    # helpers, not timed
    def go(self, name: str):
        self.app.show(name)
        self.app.sm.do_layout()
        self.m.quiet()

    def at(self, name: str):
        return lambda: self.app.sm.current == name

    def rest(self, seconds: float):
        """The kiosk's clock moves on by `seconds`; the app's idle tick (every 0.25 s) sees it."""
        self.ui.clock.advance(seconds)
        self.m.pump(0.3)
        self.app.core.writer.flush(5)
        self.m.quiet()

    def home(self):
        """Back to the start screen for the next visitor (the idle reset), not timed."""
        if self.app.sm.current == "ticket_issued":   # it goes by its own timer (tickets.show_s)
            from screens.ticket_controller import ticket_controller
            ticket_controller(self.app).done()
            self.m.quiet()
        if self.app.sm.current != "home":
            self.rest(400)
            if self.app.sm.current != "home":   # not assert: the kiosk runs with -O (bench.APPLIANCE_ENV)
                raise RuntimeError(f"no idle reset: on {self.app.sm.current}")
        self.ui.clock.set_wall(self.opened)   # the idle resets moved the day on: back to 10:00

    # the paths
    def feedback(self, i: int) -> None:
        self.home()
        self.go("feedback_question")
        q = self.app.screen("feedback_question")
        r = self.m.tap(q.face((1, 5, 3, 4, 2)[i % 5]), self.at("feedback_reasons"), "smiley_to_reasons")
        self.record("smiley_to_reasons", r, "feedback_reasons")
        reasons = self.app.screen("feedback_reasons")
        r = self.m.tap(reasons.ids.done, self.at("feedback_thanks"), "reasons_to_thanks")
        self.record("reasons_to_thanks", r, "feedback_thanks")
        self.rest(6)   # past the thank-you screen and the interval in which a repeat is not counted

    def ticket(self, i: int, name: str = "service_to_ticket_printed",
               statuses: tuple[str, ...] = ("printing", "printed")) -> None:
        """The issued screen complete: the number, and the print status the printer is in."""
        from screens.ticket_controller import ticket_controller
        ctl = ticket_controller(self.app)
        self.home()
        self.go("ticket_services")
        ctl.flush(10)
        self.m.quiet()
        s = self.app.screen("ticket_services")
        before = ctl.result

        def ready():
            res = ctl.result
            if self.app.sm.current != "ticket_issued" or res is None or res is before:
                return False
            t = self.app.screen("ticket_issued")
            return (t.ids.number.text == res.ticket.label and ctl.print_status in statuses
                    and t.ids.qr.texture is not None)
        tile = s.tiles[("passport", "moving", "driving_licence")[i % 3]]
        self.m.describe = lambda: (f"screen {self.app.sm.current}, busy {ctl.busy}, message {ctl.message!r}, "
                                   f"print {ctl.print_status!r}, tile {tile.service_id} state {tile.state} "
                                   f"open {tile.is_open}")
        self.record(name, self.m.tap(tile, ready, name, settle=False), "ticket_issued")
        ctl.flush(10)
        self.rest(400)

    def route(self, i: int) -> None:
        self.home()
        self.go("wayfinding_destinations")
        d = self.app.screen("wayfinding_destinations")

        def ready():
            if self.app.sm.current != "wayfinding_map":
                return False
            mp = self.app.screen("wayfinding_map").ids.map
            return mp.drawing is not None and mp.draw_count > 0
        place = ("desk-5", "toilets", "desk-1", "room-1")[i % 4]
        self.record("destination_to_route", self.m.tap(d.button(place), ready, "destination_to_route"),
                    "wayfinding_map")

    def top_bar(self, i: int) -> None:
        from screens.widgets import TopBar
        self.home()
        self.go("ticket_services")
        bar = next(w for w in self.app.screen("ticket_services").walk() if isinstance(w, TopBar))
        for _ in range(2):   # there and back: the other paths stay in Dutch, normal text
            # more than two languages: the bar's button opens the list, a tap in it switches
            r = self.m.tap(bar.ids.lang_button, lambda: self.chooser() is not None, "language_list")
            self.record("language_list", r, "ticket_services")
            want = "en" if self.app.lang == "nl" else "nl"
            choice = next(b for b in self.chooser().buttons if b.lang_code == want)
            r = self.m.tap(choice, lambda: self.app.lang == want and self.chooser() is None,
                           "language_switch")
            self.record("language_switch", r, "ticket_services")
        for _ in range(2):
            large = not self.app.accessible
            r = self.m.tap(bar.ids.large_text, lambda: self.app.accessible == large, "large_text_toggle")
            self.record("large_text_toggle", r, "ticket_services")

    @staticmethod
    def chooser():
        """The language list when it is open."""
        from kivy.core.window import Window
        from screens.language_chooser import LanguageChooser
        return next((w for w in Window.children if isinstance(w, LanguageChooser)), None)

    def idle_reset(self, i: int) -> None:
        """From the app's idle tick that finds the visitor gone to the start screen shown."""
        app = self.app
        self.home()
        self.go("wayfinding_destinations")
        d = app.screen("wayfinding_destinations")
        self.m.tap(d.button("desk-5"), lambda: app.sm.current == "wayfinding_map")
        real_tick, began = app._tick, []

        def tick(dt=None):
            t, before = time.perf_counter(), app.sm.current
            real_tick(dt)
            if app.sm.current != before:
                began.append(t)
        app._tick_ev.cancel()
        app._tick_ev = Clock.schedule_interval(tick, 0.25)
        try:
            self.ui.clock.advance(400)   # the visitor walked away; the next tick resets
            r = self.m.until_shown(lambda: bool(began) and app.sm.current == "home",
                                   lambda: began[-1], "idle_reset")
        finally:
            app._tick_ev.cancel()
            app._tick_ev = Clock.schedule_interval(real_tick, 0.25)
        self.record("idle_reset", r, "home")


def main() -> int:
    Clock._max_fps = 0     # frames as fast as they come: the times are the work, not a frame rate
    EventLoop.ensure_window()
    meter = Meter()
    bares: dict[int, BareSwitch] = {}
    results: dict[str, dict] = {}
    app = AppPaths(meter, "dummy://?state=online", "printed", bares, results)
    try:
        for i in range(2 + SAMPLES):   # the first rounds warm up (not counted)
            app.measuring = i >= 2
            for group in ("feedback", "ticket", "route", "top_bar", "idle_reset"):
                if not ONLY or group in ONLY:
                    getattr(app, group)(i)
    finally:
        app.stop()
    if not ONLY or "fallback" in ONLY:
        app = AppPaths(meter, "dummy://?state=paper_out", "fallback", bares, results)
        try:
            for i in range(2 + SAMPLES):
                app.measuring = i >= 2
                app.ticket(i, "service_to_ticket_fallback", ("failed",))
        finally:
            app.stop()
    paths = {name: summary(row["app"], labels=row["labels"], baseline=summary(row["bare"]))
             for name, row in results.items()}
    if meter.profiler:
        pstats.Stats(meter.profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    print(json.dumps({"paths": paths, "cpus": len(os.sched_getaffinity(0))}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
