"""Staff actions as plain functions: try a printer (a test slip), save settings with an
audited `config.changed` event. kiosk.staff.desk.StaffDesk calls them and enforces that a
printer or central change is saved only after its test passed."""
from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class ActionResult:
    ok: bool
    message: str
    detail: str = ""


def test_job(text: str, profile="TM-T20II") -> bytes:
    """The test slip, built with python-escpos on the printer's profile (a name or its
    devices.capabilities.PrinterCapabilities): initialise, the text centred, what the profile
    says about the printer, a ruler exactly one line of font A wide (when it wraps, the
    profile does not fit this paper), then a partial cut (or a feed without a cutter)."""
    from escpos.printer import Dummy  # python-escpos: only when staff test a printer
    from devices.capabilities import as_capabilities
    caps = as_capabilities(profile)
    p = Dummy(profile=caps.profile)
    p.hw("INIT")
    p.set(align="center")
    p.text(text + "\n")
    p.set(align="left", font="a", normal_textsize=True)
    p.text(caps.summary() + "\n")
    p.text("".join(str(i % 10) for i in range(1, caps.columns("a") + 1)) + "\n")
    caps.finish(p, cut="PART")
    return p.output


def test_print(url: str, profile: str, text: str, status_timeout: float = 0.5) -> ActionResult:
    """Open the printer by URL and print a test slip. Never raises."""
    from devices.factory import DeviceUrlError, open_device
    from devices.capabilities import UnknownProfile
    from devices.printer import PrintFailed
    try:
        job = test_job(text, profile)
    except UnknownProfile as e:
        return ActionResult(False, str(e))
    try:
        printer = open_device("printer", url, profile=profile, status_timeout=status_timeout)
    except DeviceUrlError as e:
        return ActionResult(False, str(e))
    except Exception as e:  # noqa: BLE001 - any driver error is a failed test
        return ActionResult(False, f"cannot open {url}: {e}")
    try:
        state = printer.print_job(job)
        return ActionResult(True, state.value)
    except PrintFailed as e:
        return ActionResult(False, str(e))
    except Exception as e:  # noqa: BLE001
        return ActionResult(False, f"{type(e).__name__}: {e}")
    finally:
        try:
            printer.close()
        except Exception:  # noqa: BLE001
            pass


def save_settings(store, site: str | None, data_dir, changes: dict) -> tuple[ActionResult, object]:
    """Validate, write atomically, and record `config.changed` (secrets hidden)."""
    # imported here: the loader (TOML parser, checks) is not needed to start the app
    from kiosk.config import ConfigError
    from kiosk.config.local import apply_changes
    try:
        cfg, audit = apply_changes(site, data_dir, changes)
    except ConfigError as e:
        return ActionResult(False, "; ".join(p.reason for p in e.problems), str(e)), None
    except OSError as e:
        return ActionResult(False, f"cannot write the settings: {e.strerror}"), None
    if audit:
        store.record_event("config.changed", {"changes": audit, "by": "staff"})
    return ActionResult(True, "saved"), cfg
