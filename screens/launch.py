"""Starting the Kivy app for `kiosk run` (kiosk/ stays free of Kivy; this is its one door).

Kivy reads its settings at import, so `prepare(cfg, data_dir)` must run before anything imports
Kivy; `run(core)` then builds the KioskApp on the kiosk core, stops it cleanly on SIGTERM/SIGINT, logs the first
frame (the cold-start benchmark and tests look for that line) and returns when it has stopped.
"""
from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

log = logging.getLogger("kiosk.run")


def prepare(cfg, data_dir: str) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_HOME", str(Path(data_dir) / "kivy"))
    from kivy.config import Config
    Config.set("graphics", "width", str(cfg.ui.width))
    Config.set("graphics", "height", str(cfg.ui.height))
    Config.set("kivy", "exit_on_escape", "0")  # no way out by keyboard
    if cfg.ui.fullscreen:
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("graphics", "show_cursor", "0")


def run(core) -> bool:
    """Run the app on the kiosk core (kiosk.appliance.core.Kiosk) until it stops; True when
    staff asked for a restart. The app closes the core when it stops."""
    from kivy.clock import Clock
    from kivy.core.window import Window
    from screens.app import KioskApp

    app = KioskApp(core)

    def _terminate(signum, _frame):
        log.info("signal %d: stopping", signum)
        Clock.schedule_once(lambda _dt: app.stop(), 0)

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)

    def _first_frame(*_):
        Window.unbind(on_flip=_first_frame)
        log.info("first frame drawn")

    Window.bind(on_flip=_first_frame)
    app.run()
    return app.restart_requested
