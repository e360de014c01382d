"""Soak run for `make bench` (see bench_appliance.py): one process, the real app with the
example site in the "home" role, random taps on whatever buttons the current screen shows,
the kiosk clock moved by hand (idle resets, thank-you screens, ticket screens time out).
Prints key=value lines: visits, taps, screens, measured_visits, rss_start_mib, rss_end_mib,
rss_min_mib, rss_max_mib, growth_mib_per_10k, growth_se_mib_per_10k, errors_logged. A visit
ends whenever the app is back on its start screen.

Growth is the least-squares slope of RSS (sampled after every visit past the warm-up, after a
gc.collect(), averaged over 10 consecutive blocks of visits) scaled to 10,000 visits, with its
standard error. Two samples (start and end) are not enough: RSS moves
in steps (malloc's heap grows by at least 128 KiB at a time and sometimes shrinks), and with
llvmpipe's threads by tens of MiB (see LP_NUM_THREADS below), so the difference of two
readings said more about where they fell than about growth."""
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
# LP_NUM_THREADS=0: Mesa llvmpipe (the software renderer here; a Pi has a GPU driver) then
# rasterizes on the Kivy thread. With its worker threads, every texture drawn and then deleted
# leaves memory in use inside the driver (GL name gone, malloc still growing) up to a bound,
# given back in steps: a bare Kivy window swapping one 20x5 texture per frame grows ~38 MiB over
# 250 frames and then saw-tooths (0.2 KiB per frame with softpipe, 7.5 KiB with no threads).
# In the soak that moved RSS by tens of MiB with no change in the app. Live GL objects are
# still in this process's memory and counted. Set LP_NUM_THREADS to measure with threads.
os.environ.setdefault("LP_NUM_THREADS", "0")
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

# 3000 measured visits resolve the slope to about +-1.5 MiB/10k (1200: +-9, 600: +-20), some
# 30 minutes on one core; SOAK_VISITS=900 for a quick look that cannot tell 5 MiB from 0.
VISITS = int(os.environ.get("SOAK_VISITS", "3300"))
WARMUP = int(os.environ.get("SOAK_WARMUP", str(min(300, VISITS // 3))))  # every screen built and warm
BLOCKS = 10


class Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares slope of y over x and its standard error."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx
    resid = sum((y - my - b * (x - mx)) ** 2 for x, y in points)
    return b, (resid / (n - 2) / sxx) ** 0.5


def block_means(samples: list[tuple[int, float]], blocks: int = BLOCKS) -> list[tuple[float, float]]:
    """Mean visit and mean RSS of `blocks` consecutive runs of samples. RSS moves in steps, so
    neighbouring samples are not independent; the fit's error is honest on block means."""
    size = len(samples) / blocks
    out = []
    for i in range(blocks):
        part = samples[round(i * size):round((i + 1) * size)]
        out.append((sum(v for v, _ in part) / len(part), sum(r for _, r in part) / len(part)))
    return out


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
    from finger import Finger
    x, y = widget.to_window(*widget.center)
    t = Finger(x, y)
    t.touch_down()
    t.touch_up()
    ui.frames(2)
    ui.app.core.writer.flush(5)
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
    from bench.soak_probe import from_env
    probe = from_env(TMP)  # SOAK_PROBE=N: what holds the memory, every N visits (stderr)
    rnd = random.Random(1)
    start = ui.app.start_screen()
    visits = taps = 0
    seen = set()
    samples: list[tuple[int, float]] = []  # (visit, RSS MiB) from the end of the warm-up on
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
            print(f"... {visits} visits, {taps} taps, RSS {rss_mib():.1f} MiB", file=sys.__stderr__, flush=True)
        if visits >= WARMUP:
            gc.collect()
            samples.append((visits, rss_mib()))
            if probe:
                probe.visit(visits, WARMUP, samples[-1][1])
    if probe:
        probe.finish()
    ui.stop()
    per_visit, se = fit(block_means(samples))  # MiB per visit over the measured visits
    rss = [r for _, r in samples]
    if os.environ.get("SOAK_SAMPLES"):  # a CSV of the samples, to look at the curve
        Path(os.environ["SOAK_SAMPLES"]).write_text("visit,rss_mib\n" + "".join(
            f"{v},{r:.2f}\n" for v, r in samples))
    print(f"visits={visits}\ntaps={taps}\nscreens={len(seen)}\nmeasured_visits={len(samples) - 1}\n"
          f"rss_start_mib={rss[0]:.1f}\nrss_end_mib={rss[-1]:.1f}\nrss_min_mib={min(rss):.1f}\n"
          f"rss_max_mib={max(rss):.1f}\ngrowth_mib_per_10k={per_visit * 10000:.2f}\n"
          f"growth_se_mib_per_10k={se * 10000:.2f}\n"
          f"errors_logged={len(errors.records)}")
    for rec in errors.records[:5]:
        print("error:", rec.getMessage(), file=sys.__stderr__)
    print("screens seen:", ", ".join(sorted(seen)), file=sys.__stderr__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
