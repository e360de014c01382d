"""Staff mode as part of the app (a mixin of KioskApp): opening and closing it, settings
saved through kiosk.staff.actions (validated, atomic, audited), reprint, restart."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.staff import gate as staff

if TYPE_CHECKING:
    from kiosk.staff.actions import ActionResult

log = logging.getLogger(__name__)


class StaffMode:
    def open_staff(self):
        self.staff_session = staff.StaffSession(self.kclock, self.kcfg.staff.idle_timeout_s)
        log.info("staff mode opened")
        self.show("staff_home")

    def close_staff(self):
        self.staff_session = None
        self.flow.touch()
        self.show(self.start_screen())

    def staff_touch(self):
        if self.staff_session:
            self.staff_session.touch()

    def _config_changed(self):
        self.kcfg_role = self.kcfg.device.role
        self.kcfg_language = self.translator.language_name(self.kcfg.ui.default_language)
        self.kcfg_volume = self.speech_volume()
        pad = self.kcfg.staff.corner_size_px
        self.corner_pad_left = pad if self.kcfg.staff.corner == "top-left" else 0
        self.corner_pad_right = pad if self.kcfg.staff.corner == "top-right" else 0

    def has_volume_setting(self) -> bool:
        return hasattr(self.kcfg.devices.speech, "volume")

    def speech_volume(self) -> int:
        return int(getattr(self.kcfg.devices.speech, "volume", 100))

    def save_settings(self, changes: dict) -> ActionResult:
        """Called on the Kivy thread: a small local file write plus one event."""
        from kiosk.staff.actions import save_settings  # staff-only code: not loaded at start
        data_dir = self.store.data_dir
        res, cfg = save_settings(self.store, self.site, data_dir, changes)
        if res.ok:
            self.kcfg = cfg
            self.flow.s.default_language = cfg.ui.default_language
            self._config_changed()
            log.info("staff changed %s", ", ".join(changes))
        else:
            log.warning("staff change refused: %s", res.detail or res.message)
        return res

    def printer_state_text(self) -> str:
        """Called from the sync worker's heartbeat too: never imports the ticket part."""
        import sys
        mod = sys.modules.get("screens.ticket_controller")
        ctl = mod._controllers.get(self) if mod is not None else None
        if ctl is None or ctl.issuer is None:
            return "-"
        try:
            return ctl.issuer.printer_state().value
        except Exception:  # noqa: BLE001 - status is informative only
            return "?"

    def _ticket_controller(self):
        from screens.ticket_controller import ticket_controller
        return ticket_controller(self)

    def reprint_last(self) -> ActionResult:
        """Runs on a worker thread."""
        from kiosk.staff.actions import ActionResult
        rows = self.store.query("SELECT id FROM tickets ORDER BY id DESC LIMIT 1") \
            if self.store.query("SELECT 1 FROM sqlite_master WHERE name='tickets'") else []
        if not rows:
            return ActionResult(False, "no ticket yet")
        ctl = self._ticket_controller()
        if not ctl.worker.flush(10) or ctl.issuer is None:
            return ActionResult(False, "no printer")
        outcome = ctl.issuer.reprint(rows[0]["id"])
        ok = getattr(outcome, "printed", False)
        return ActionResult(bool(ok), getattr(outcome, "reason", "") or outcome.state.value)

    def confirm(self, text: str, on_yes):
        screen = self.show("staff_confirm")
        screen.text = text
        screen.on_yes = on_yes

    def reset_numbers(self) -> ActionResult:
        """Restart today's ticket numbers (history kept; see kiosk.tickets.book.reset_today).
        A small local write, like saving a setting."""
        from kiosk.staff.actions import ActionResult
        from kiosk.tickets.book import TicketBook
        try:
            series = TicketBook.from_config(self.store, self.kcfg).reset_today()
        except Exception as e:  # noqa: BLE001 - shown to staff, never a traceback
            log.exception("resetting numbers failed")
            return ActionResult(False, str(e))
        log.info("staff restarted today's numbers (series %d)", series)
        return ActionResult(True, f"series {series}")

    def _start_sync(self):
        """The store-and-forward sender (kiosk.sync.worker) on its own thread: heartbeats, bounds
        on the outbox, and sending when sync.url is set."""
        from kiosk.sync.worker import SyncWorker
        worker = SyncWorker(self.store, self.kcfg.sync, printer_state=self.printer_state_text)
        if getattr(self, "_stopping", False):
            return
        self.sync = worker
        worker.start()

    def restart_app(self):
        """Stop cleanly; `kiosk run` then starts itself again (systemd would too)."""
        self.restart_requested = True
        self.stop()
