"""Staff mode: change the printer. The new URL and profile are tried with a test print on
a worker thread; only a successful test enables Save, and only for exactly those values."""
from __future__ import annotations

import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.staff_actions import test_print
from screens.kvload import load_kv_for


class StaffPrinterScreen(Screen):
    message = StringProperty("")
    testing = BooleanProperty(False)
    tested_ok = BooleanProperty(False)
    _tested_values = None

    def on_pre_enter(self, *_):
        app = App.get_running_app()
        self.ids.url.text = app.kcfg.devices.printer.url
        self.ids.profile.text = app.kcfg.devices.printer.profile
        self.message = app.tr("staff.test_first")
        self.tested_ok = False
        self._tested_values = None

    def values(self) -> tuple[str, str]:
        return self.ids.url.text.strip(), self.ids.profile.text.strip()

    def on_edit(self):
        """Any edit after a test makes that test count no more."""
        App.get_running_app().staff_touch()
        if self._tested_values != self.values():
            self.tested_ok = False

    def run_test(self):
        app = App.get_running_app()
        app.staff_touch()
        url, profile = self.values()
        self.testing = True
        self.tested_ok = False
        self.message = app.tr("staff.testing")
        text = app.tr("staff.test_ticket", device=app.store.device_id)

        def work():
            res = test_print(url, profile, text)
            Clock.schedule_once(lambda _dt: self._tested(res, (url, profile)))
        threading.Thread(target=work, name="staff-test-print", daemon=True).start()

    def _tested(self, res, values):
        app = App.get_running_app()
        self.testing = False
        if res.ok and values == self.values():
            self._tested_values = values
            self.tested_ok = True
            self.message = app.tr("staff.test_ok", state=res.message)
        else:
            self.message = app.tr("staff.test_failed", why=res.message)

    def save(self):
        app = App.get_running_app()
        app.staff_touch()
        if not self.tested_ok or self._tested_values != self.values():
            self.message = app.tr("staff.test_first")
            return
        url, profile = self.values()
        res = app.save_settings({"devices.printer.url": url, "devices.printer.profile": profile})
        self.message = app.tr("staff.saved") if res.ok else app.tr("staff.not_saved", why=res.message)


load_kv_for(__file__)
