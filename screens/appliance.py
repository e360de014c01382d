"""The kiosk as an appliance, on the Kivy side: systemd watchdog pings from the Kivy main
loop and, in kiosk mode (`ui.fullscreen = true`), no way out by keyboard.

KioskApp calls `start(app)` in on_start and `stop()` on the returned object in on_stop.

Watchdog (kiosk/watchdog.py): READY=1 once the first frame is on screen, WATCHDOG=1 every
half WatchdogSec from a Kivy clock callback - so when the main loop freezes, the pings stop
and systemd restarts the app - and STOPPING=1 on a clean stop. No-op outside systemd.

Lockdown: the window refuses to close (SDL quit from Alt+F4 or a window manager) and
swallows Escape, Alt+F4, Ctrl+C, Ctrl+Q, Ctrl+W and Meta+Q. Only `app.stop()` ends the app
(SIGTERM from systemd, SIGINT, or staff mode), which never asks the window to close.
The screensaver is switched off (Kivy otherwise allows it at window creation).
"""
from __future__ import annotations

import logging

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.watchdog import Watchdog

log = logging.getLogger(__name__)

# Kivy key codes (kivy.core.window.Keyboard.keycodes); F4 = 285.
_KEY_ESCAPE, _KEY_F4 = 27, 285
_BLOCKED = {  # (key, modifier) -> name; Escape is refused with any modifier
    (_KEY_F4, "alt"): "Alt+F4",
    (ord("c"), "ctrl"): "Ctrl+C",
    (ord("q"), "ctrl"): "Ctrl+Q",
    (ord("w"), "ctrl"): "Ctrl+W",
    (ord("q"), "meta"): "Meta+Q",
}


def blocked_combo(key: int, modifiers) -> str | None:
    """The name of a window-closing key combination, or None for any other key."""
    mods = set(modifiers or ())
    if key == _KEY_ESCAPE:
        return "Escape"
    for mod in ("alt", "ctrl", "meta"):
        if mod in mods and (key, mod) in _BLOCKED:
            return _BLOCKED[(key, mod)]
    return None


class Appliance:
    def __init__(self, app, lockdown: bool):
        self.app = app
        self.watchdog = Watchdog.from_env()
        self.lockdown = lockdown
        self.refused = 0  # close requests and key combinations refused (for tests and logs)
        self._ping_ev = None
        self._stopped = False

    def start(self) -> "Appliance":
        if self.watchdog.interval_s:
            self._ping_ev = Clock.schedule_interval(self._ping, self.watchdog.interval_s)
        if self.watchdog.enabled:
            Window.bind(on_flip=self._first_frame)
        if self.lockdown:
            Window.allow_screensaver = False
            Window.bind(on_key_down=self._key_down, on_request_close=self._request_close)
            log.info("kiosk mode: fullscreen, keyboard exits and window close refused")
        return self

    def _ping(self, _dt) -> None:
        self.watchdog.ping()

    def _first_frame(self, *_):
        Window.unbind(on_flip=self._first_frame)
        role = getattr(getattr(self.app.kcfg, "device", None), "role", "")
        self.watchdog.ready(f"serving visitors ({role})" if role else "serving visitors")

    def _key_down(self, _win, key, _scancode, _codepoint, modifiers):
        combo = blocked_combo(key, modifiers)
        if combo is None:
            return False
        self.refused += 1
        log.info("kiosk mode: %s ignored", combo)
        return True  # consumed: Kivy's own on_keyboard (exit on Escape) never sees it

    def _request_close(self, *_args, **_kw):
        self.refused += 1
        log.info("kiosk mode: request to close the window refused")
        return True

    def stop(self) -> None:
        """Idempotent: Kivy calls on_stop again after app.stop() has ended the loop."""
        if self._stopped:
            return
        self._stopped = True
        if self._ping_ev is not None:
            self._ping_ev.cancel()
            self._ping_ev = None
        Window.unbind(on_flip=self._first_frame)
        if self.lockdown:
            Window.unbind(on_key_down=self._key_down, on_request_close=self._request_close)
        self.watchdog.stopping("stopping")
        self.watchdog.close()


def start(app) -> Appliance:
    """Start watchdog pings and, when the config asks for fullscreen, the lockdown."""
    return Appliance(app, lockdown=bool(app.kcfg.ui.fullscreen)).start()


def give_back_memory(_dt=None) -> None:
    """Hand memory freed during a visit back to the system (glibc keeps freed heap; label
    textures made and dropped during a visit left ~20 MiB behind in the probe, see
    docs/performance.md). Called a second after an idle reset, when nobody is at the kiosk."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: nothing to do
        pass
