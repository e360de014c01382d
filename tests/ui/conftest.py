"""Headless Kivy for UI tests (see shared/HEADLESS.md): SDL offscreen, a 1080x1920
window made before any test, one fake Kivy clock for the whole run, and an `ui`
fixture that starts the real KioskApp on a fresh data dir and drives it."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
SHOTS = BUILD / "screenshots"
KIVY_HOME = BUILD / "kivy-home"
KIVY_HOME.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_HOME"] = str(KIVY_HOME)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", "1080")
Config.set("graphics", "height", "1920")
Config.set("kivy", "exit_on_escape", "0")

from kivy.core.window import Window  # noqa: E402,F401 - create the window at this size now

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from ui_helpers import UiDriver  # noqa: E402


class FakeKivyTime:
    """Kivy's clock time, moved by hand. It starts at the real clock's current reading:
    starting below it (e.g. at a fixed 1000.0 on a machine up longer than that) leaves
    every "next frame" trigger, layouts included, waiting forever."""

    def __init__(self, start: float):
        self.t = start

    def __call__(self):
        return self.t


@pytest.fixture(scope="session")
def kivy_time():
    from kivy.clock import Clock
    fake = FakeKivyTime(Clock.time() + 1.0)
    Clock.time = fake
    Clock._max_fps = 0
    return fake


@pytest.fixture(autouse=True)
def system_clock_at_a_closed_hour(monkeypatch):
    """The app runs on the driver's FakeClock (Monday 10:00); the machine's clock, as any
    SystemClock reads it, says Sunday 03:00. A screen or service that reads the machine's
    clock instead of the injected one then finds the hall closed, on another day, at any
    real time (issue #12: tests independent of the wall clock)."""
    from testkit import pin_system_clock
    pin_system_clock(monkeypatch)


@pytest.fixture
def ui(tmp_path, kivy_time, request):
    """Start a KioskApp (config overrides by `request.param` dict if parametrized)."""
    overrides = getattr(request, "param", None) or {}
    driver = UiDriver(tmp_path, kivy_time, overrides, request.node.name)
    driver.start()
    yield driver
    driver.stop()
