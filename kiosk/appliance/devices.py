"""The kiosk's devices, each opened at most once and closed together.

  devices = KioskDevices(cfg, data_dir, simulate=False)
  printer = devices.open("printer")        # opened now, or the same object again, or None
  devices.open("buttons", on_digit=fn)     # options only matter the first time
  devices.open("keypad", on_key=fn)        # the audio keypad (devices/keypad.py)
  devices.get("speech")                    # what is open, never opens
  devices.close()

URLs come from config (devices/factory.py maps them to drivers); with `simulate` the printer
is a pty simulator (jobs and PNG previews in DATA_DIR/sim-printer), speech goes to WAV files in
DATA_DIR/sim-speech, and the scanner, buttons and keypad are sim://. A device that cannot be
opened is logged and stays None (tickets then go to the screen and QR only), and is not tried
again. Opening is lazy: nothing is imported or opened before the first `open` of that kind. Thread-safe: the
ticket worker, the hall display's helper thread and the Kivy thread may ask at once.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

log = logging.getLogger(__name__)

KINDS = ("printer", "scanner", "speech", "buttons", "keypad")
CLOSE_ORDER = ("keypad", "buttons", "scanner", "speech", "printer")  # inputs first, then outputs


class KioskDevices:
    def __init__(self, cfg, data_dir: str | Path, simulate: bool = False):
        self.cfg = cfg
        self.data_dir = Path(data_dir)
        self.simulate = simulate
        self._open: dict[str, object] = {}
        self._tried: set[str] = set()
        self.problems: dict[str, str] = {}
        self._lock = threading.Lock()
        self._closed = False

    def url(self, kind: str) -> str:
        if kind in ("buttons", "keypad"):
            return getattr(self.cfg.devices, kind).url or ("sim://" if self.simulate else "")
        return device_urls(self.cfg, self.data_dir, self.simulate)[kind]

    def open(self, kind: str, **options):
        """The device of `kind`, opened on the first call; None when none is configured or it
        could not be opened (then it is not tried again)."""
        if kind not in KINDS:
            raise ValueError(f"unknown device kind {kind!r}; known: {', '.join(KINDS)}")
        with self._lock:
            if kind in self._tried or self._closed:
                return self._open.get(kind)
            self._tried.add(kind)
            url = self.url(kind)
            if not url:
                return None
            from devices.factory import open_device
            opts = {**device_options(self.cfg).get(kind, {}), **options}
            try:
                dev = open_device(kind, url, **opts)
            except Exception as e:  # noqa: BLE001 - a missing device must not stop the app
                log.error("%s at %s not available: %s", kind, url, e)
                self.problems[kind] = str(e)
                return None
            self._open[kind] = dev
            return dev

    def get(self, kind: str):
        """The device of `kind` if it is open; never opens one."""
        return self._open.get(kind)

    def put(self, kind: str, dev) -> None:
        """Use a device opened elsewhere (a test's fake, a tool's); closed with the rest."""
        with self._lock:
            self._tried.add(kind)
            self._open[kind] = dev

    def close(self) -> None:
        """Close every open device, inputs first; idempotent, never raises."""
        with self._lock:
            self._closed = True
            devs = [(k, self._open.pop(k)) for k in CLOSE_ORDER if k in self._open]
        for kind, dev in devs:
            try:
                dev.close()
            except Exception:  # noqa: BLE001 - closing must not stop shutdown
                log.exception("closing the %s failed", kind)


def device_urls(cfg, data_dir: str | Path, simulate: bool = False) -> dict[str, str]:
    d = cfg.devices
    if simulate:
        base = Path(data_dir)
        return {"printer": f"sim://?dir={base / 'sim-printer'}",
                "scanner": "sim://",
                "speech": f"espeak://?out={base / 'sim-speech'}"}
    return {"printer": d.printer.url, "scanner": d.scanner.url, "speech": d.speech.url}


def device_options(cfg) -> dict[str, dict]:
    """The driver options config gives each kind of device (passed to open_device)."""
    p = cfg.devices.printer
    return {"printer": {"profile": p.profile, "status_timeout": p.status_timeout_s,
                        "write_timeout": p.write_timeout_s},
            "speech": {"volume": cfg.devices.speech.volume}}
