"""Staff mode as plain Python: the PIN gate, the hidden corner gesture, the open session and
the settings staff may change - a printer or central service only after a successful test with
exactly those values (Home Assistant's test-before-configure), enforced here, not only by a
screen.

  desk = StaffDesk(store, clock, config=lambda: core.cfg, site=site, on_saved=core.config_saved)
  desk.gate.attempt("1234") -> desk.open() ... desk.touch() ... desk.close()
  desk.test_printer(url, profile, text)      # on a worker: prints a slip, remembers success
  desk.save({"devices.printer.url": url, "devices.printer.profile": profile})
"""
from __future__ import annotations

import dataclasses
import logging
from typing import Callable

from kiosk.staff import gate as staff
from kiosk.staff.actions import ActionResult

log = logging.getLogger(__name__)

# Staff PIN in --simulate when none is configured: 1234 (hashed once, here, to keep start-up fast)
SIMULATE_PIN_HASH = "scrypt$16384$8$1$cEvBSQyRrsGzYxTClWOzdQ==$L6yaZ97SMZvH0m0hrJJ9XDMbNAwux1bIkIbOMMLXWNI="

# Settings that must pass a test together before any of them is saved, and what to test.
TESTED_GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    "printer": (("devices.printer.url", "devices.printer.profile"), "a test print"),
    "central": (("sync.url", "sync.token"), "a connection test with the central service"),
}


def _current(cfg, key: str):
    value = cfg
    for part in key.split("."):
        value = getattr(value, part)
    return value


class TestedValues:
    """The last successful test per settings group, by exact values."""

    def __init__(self):
        self._ok: dict[str, tuple] = {}

    def record(self, group: str, values: tuple, ok: bool) -> None:
        if ok:
            self._ok[group] = tuple(values)
        else:
            self._ok.pop(group, None)   # a failed test: nothing of that group counts as tested

    def refusal(self, cfg, changes: dict) -> str | None:
        """Why `changes` may not be saved on top of `cfg`, or None when every tested group it
        touches was tested with exactly the values it would have after the save."""
        for group, (keys, test) in TESTED_GROUPS.items():
            if not any(k in changes for k in keys):
                continue
            after = tuple(changes.get(k, _current(cfg, k)) for k in keys)
            if after == tuple(_current(cfg, k) for k in keys):
                continue   # nothing of this group actually changes
            if self._ok.get(group) != after:
                return (f"not saved: {', '.join(keys)} must first pass {test} with exactly "
                        f"these values")
        return None


class StaffDesk:
    def __init__(self, store, clock, config: Callable[[], object], *, site: str | None = None,
                 simulate: bool = False, on_saved: Callable[[object, dict], None] | None = None):
        self.store = store
        self.clock = clock
        self.config = config            # () -> the current KioskConfig
        self.site = site
        self.on_saved = on_saved        # (new cfg, changes) after a successful save
        cfg = config()
        s = cfg.staff
        self.gate = staff.PinGate(s.pin_hash or (SIMULATE_PIN_HASH if simulate else ""), clock, store)
        self.gesture = staff.CornerGesture(clock, s.corner, s.corner_size_px, s.taps, s.taps_window_s)
        self.session: staff.StaffSession | None = None
        self.tested = TestedValues()

    # -- the session ------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.session is not None

    def open(self) -> None:
        self.session = staff.StaffSession(self.clock, self.config().staff.idle_timeout_s)
        log.info("staff mode opened")

    def close(self) -> None:
        self.session = None

    def touch(self) -> None:
        if self.session is not None:
            self.session.touch()

    def expired(self) -> bool:
        return self.session is not None and self.session.expired()

    # -- tests before saving -------------------------------------------------------------
    def test_printer(self, url: str, profile: str, text: str) -> ActionResult:
        """Print a test slip on the printer at `url` (blocks: call on a worker thread)."""
        from kiosk.staff.actions import test_print
        res = test_print(url, profile, text)
        self.tested.record("printer", (url, profile), res.ok)
        return res

    def test_central(self, url: str, token: str = "") -> ActionResult:
        """Have the central service at `url` accept `token` (empty: the token in use).
        Blocks: call on a worker thread."""
        from kiosk.sync.worker import check_connection
        current = self.config().sync
        token = token or current.token
        try:
            ok, msg = check_connection(dataclasses.replace(current, url=url, token=token))
        except Exception as e:  # noqa: BLE001 - a failed test, never a crash
            ok, msg = False, f"{type(e).__name__}: {e}"
        self.tested.record("central", (url, token), ok)
        return ActionResult(ok, msg)

    # -- saving ------------------------------------------------------------------------------
    def save(self, changes: dict) -> ActionResult:
        """Validate, write atomically, record `config.changed`; refused when a tested setting
        was not tested with exactly these values. A small local write (fine on the UI thread)."""
        refusal = self.tested.refusal(self.config(), changes)
        if refusal:
            log.warning("staff change refused: %s", refusal)
            return ActionResult(False, refusal)
        from kiosk.staff.actions import save_settings  # staff-only code: not loaded at start
        res, cfg = save_settings(self.store, self.site, self.store.data_dir, changes)
        if not res.ok:
            log.warning("staff change refused: %s", res.detail or res.message)
            return res
        log.info("staff changed %s", ", ".join(changes))
        if self.on_saved is not None:
            self.on_saved(cfg, changes)
        return res

    def reset_numbers(self) -> ActionResult:
        """Restart today's ticket numbers (history kept; see kiosk.tickets.book.reset_today)."""
        from kiosk.tickets.book import TicketBook
        try:
            series = TicketBook.from_config(self.store, self.config()).reset_today()
        except Exception as e:  # noqa: BLE001 - shown to staff, never a traceback
            log.exception("resetting numbers failed")
            return ActionResult(False, str(e))
        log.info("staff restarted today's numbers (series %d)", series)
        return ActionResult(True, f"series {series}")
