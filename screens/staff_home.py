"""Staff mode, the menu: status, safe-mode reason, and the settings staff can change."""
from __future__ import annotations

import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.config.model import ROLES
from screens.kvload import load_kv_for


class StaffHomeScreen(Screen):
    status = StringProperty("")
    message = StringProperty("")
    safe_text = StringProperty("")
    sync_text = StringProperty("")
    scanner_text = StringProperty("")

    def on_pre_enter(self, *_):
        self.message = ""
        self.refresh()
        self.build_offered()

    def refresh(self):
        """The status lines: the database and the printer are asked on a thread (a printer
        status query can wait for its time-out), the texts set back on the Kivy thread."""
        app = App.get_running_app()
        core = app.core

        def gather():
            try:
                facts = (core.store.outbox_stats(), core.printer_state_text(), core.last_scan())
            except Exception as e:  # noqa: BLE001 - shown to staff, never a traceback
                facts = e
            Clock.schedule_once(lambda _dt: self._show(app, core, facts))
        threading.Thread(target=gather, name="staff-status", daemon=True).start()

    def _show(self, app, core, facts):
        if isinstance(facts, Exception):
            self.status = app.tr("staff.test_failed", why=str(facts))
            return
        st, printer, scan = facts
        self.scanner_text = app.tr("staff.scanner", code=scan or "-")
        self.status = app.tr("staff.status", device=core.store.device_id, role=app.kcfg.device.role,
                             printer=printer, pending=st["pending"], aside=st["set_aside"])
        sync = core.sync
        if sync is not None:
            s = sync.status
            self.sync_text = app.tr("staff.sync", state=s.state.value, last=s.last_success_wall or "-",
                                    message=s.message or "")
        problems = core.safe_problems
        self.safe_text = ("\n".join([app.tr("staff.safe_mode")] + [p.render() for p in problems])
                          if problems else "")

    def cycle_role(self):
        app = App.get_running_app()
        roles = list(ROLES)
        cur = app.kcfg.device.role
        nxt = roles[(roles.index(cur) + 1) % len(roles)] if cur in roles else roles[0]
        self._save({"device.role": nxt})

    def toggle_offered(self, lang: str):
        """Offer or stop offering a language (the default language always stays offered)."""
        app = App.get_running_app()
        langs = list(app.kcfg.ui.languages)
        if lang in langs:
            langs.remove(lang)
        else:
            langs.append(lang)
        self._save({"ui.languages": langs})
        self.build_offered()

    def build_offered(self):
        from kiosk.i18n import available_languages
        from screens.widgets import ReasonToggle
        app = App.get_running_app()
        box = self.ids.offered
        box.clear_widgets()
        for code in available_languages():
            btn = ReasonToggle(reason_id=code, text=app.translator.language_name(code),
                               state="down" if code in app.kcfg.ui.languages else "normal")
            btn.bind(on_release=lambda b: self.toggle_offered(b.reason_id))
            box.add_widget(btn)

    def cycle_language(self):
        app = App.get_running_app()
        langs = app.kcfg.ui.languages
        cur = app.kcfg.ui.default_language
        self._save({"ui.default_language": langs[(langs.index(cur) + 1) % len(langs)]})

    def volume(self, delta: int):
        app = App.get_running_app()
        v = min(100, max(0, app.speech_volume() + delta))
        self._save({"devices.speech.volume": v} if app.has_volume_setting() else {})

    def _save(self, changes: dict):
        app = App.get_running_app()
        app.staff_touch()
        if not changes:
            return
        res = app.core.staff.save(changes)
        self.message = app.tr("staff.saved") if res.ok else app.tr("staff.not_saved", why=res.message)
        self.refresh()

    def ask_reset_numbers(self):
        app = App.get_running_app()
        app.confirm(app.tr("staff.reset_confirm"), self._reset_numbers)

    def _reset_numbers(self):
        app = App.get_running_app()
        res = app.core.staff.reset_numbers()
        self.message = app.tr("staff.done") if res.ok else app.tr("staff.failed", why=res.message)
        self.refresh()

    def reprint(self):
        app = App.get_running_app()
        app.staff_touch()

        def work():
            from kiosk.staff.actions import ActionResult
            res = ActionResult(*app.core.tickets.reprint_last())
            Clock.schedule_once(lambda _dt: self._done(res))
        threading.Thread(target=work, daemon=True).start()

    def _done(self, res):
        app = App.get_running_app()
        self.message = app.tr("staff.done") if res.ok else app.tr("staff.failed", why=res.message)
        self.refresh()


load_kv_for(__file__)
