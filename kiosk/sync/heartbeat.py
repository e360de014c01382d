"""What a `heartbeat` event says about the device: version, uptime, outbox, printer,
disk and (on a Raspberry Pi) under-voltage. Read-only; the worker records it."""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable

from kiosk import __version__
from kiosk.sync.outbox import OutboxHealth

HWMON = Path("/sys/class/hwmon")
_STARTED = time.monotonic()


def under_voltage(hwmon: Path = HWMON) -> bool | None:
    """True/False from the Pi's rpi_volt sensor; None where the board does not report it."""
    try:
        for d in hwmon.iterdir():
            if (d / "name").read_text().strip() == "rpi_volt":
                return (d / "in0_lcrit_alarm").read_text().strip() == "1"
    except OSError:
        return None
    return None


def system_uptime_s() -> float | None:
    try:
        return float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def payload(health: OutboxHealth, data_dir: str | Path, sync_state: str,
            printer_state: Callable[[], str] | None = None) -> dict:
    try:
        free_mb = round(shutil.disk_usage(data_dir).free / 1e6, 1)
    except OSError:
        free_mb = None
    try:
        printer = printer_state() if printer_state else "none"
    except Exception as e:  # noqa: BLE001 - a broken printer driver must not stop heartbeats
        printer = f"unknown ({type(e).__name__})"
    return {
        "app_version": __version__,
        "uptime_s": round(time.monotonic() - _STARTED, 1),
        "system_uptime_s": system_uptime_s(),
        "outbox_pending": health.pending,
        "oldest_unsent_age_s": None if health.oldest_age_s is None else round(health.oldest_age_s, 1),
        "outbox_set_aside": health.set_aside,
        "outbox_dropped_total": health.dropped_total,
        "outbox_warning": health.warning,
        "printer_state": str(printer),
        "disk_free_mb": free_mb,
        "under_voltage": under_voltage(),
        "sync_state": sync_state,
    }
