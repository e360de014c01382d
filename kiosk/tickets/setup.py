"""Building the ticket function from config: devices by URL (devices/factory.py) and the
TicketIssuer. Used by `kiosk ticket ...` and by the app (screens) alike.

  devices = open_ticket_devices(cfg, data_dir, simulate=False)
  issuer = TicketIssuer(store, cfg, printer=devices.printer, speech=devices.speech, ...)
  ...
  devices.close()

With `simulate`, the printer is a pty simulator (jobs and PNG previews in
DATA_DIR/sim-printer), speech goes to WAV files in DATA_DIR/sim-speech and the scanner
is sim:// (a localhost port). A device whose URL cannot be opened is logged and left
out (None): tickets then go to the screen and QR only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from devices.factory import DeviceUrlError, open_device

log = logging.getLogger(__name__)


@dataclass
class TicketDevices:
    printer: object = None
    scanner: object = None
    speech: object = None
    problems: tuple[str, ...] = ()

    def close(self) -> None:
        for dev in (self.scanner, self.speech, self.printer):
            if dev is not None:
                try:
                    dev.close()
                except Exception:  # noqa: BLE001 - closing must not hide the real exit
                    log.exception("closing %s", dev)


def make_directions(cfg, plan_source=None):
    """A `directions(place_id, lang) -> str` for the printed ticket, from the wayfinding
    floor plan (kiosk.wayfinding.directions.short_directions from `here`), or None when the
    config has no floor plan. `plan_source()` gives the plan already built (the kiosk core's);
    without it the plan is built from `cfg`."""
    try:
        from kiosk.wayfinding import plan_from_config
        from kiosk.wayfinding.directions import short_directions
        plan = plan_source() if plan_source is not None else plan_from_config(cfg)
    except Exception as e:  # noqa: BLE001 - no directions is fine, no ticket is not
        log.warning("no floor plan for ticket directions: %s", e)
        return None
    if plan.empty or plan.here_node not in plan.nodes:
        return None

    def directions(place_id: str, lang: str) -> str:
        return short_directions(plan, "here", place_id, lang)
    return directions


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


def open_ticket_devices(cfg, data_dir: str | Path, simulate: bool = False,
                        kinds=("printer", "speech")) -> TicketDevices:
    """Open the devices named in `kinds` (the scanner is started by whoever reads it)."""
    urls = device_urls(cfg, data_dir, simulate)
    out = TicketDevices()
    problems = []
    options = device_options(cfg)
    for kind in kinds:
        url = urls[kind]
        if not url:
            continue
        try:
            setattr(out, kind, open_device(kind, url, **options.get(kind, {})))
        except (DeviceUrlError, ValueError, OSError) as e:
            log.warning("%s %s not available: %s", kind, url, e)
            problems.append(f"{kind}: {e}")
    out.problems = tuple(problems)
    return out
