"""Base for staff screens that change a device setting: the new values are tried on a
worker thread first; only a passed test enables Save, and only for exactly those values
(Home Assistant's test-before-configure). The core's staff desk (kiosk.staff.desk) keeps the
last successful test and refuses to save anything else, so this screen only mirrors that rule.
Subclasses name their fields, test and keys."""
from __future__ import annotations

import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen


class TestedSettingsScreen(Screen):
    message = StringProperty("")
    testing = BooleanProperty(False)
    tested_ok = BooleanProperty(False)
    fields: tuple[str, ...] = ()       # ids of the TextInputs
    _tested_values = None

    # -- for subclasses -----------------------------------------------------------
    def current_values(self, app) -> tuple[str, ...]:
        raise NotImplementedError

    def run_check(self, app, values):
        """On a worker thread; returns kiosk.staff.actions.ActionResult."""
        raise NotImplementedError

    def changes(self, values) -> dict:
        raise NotImplementedError

    # -- common ---------------------------------------------------------------------
    def on_pre_enter(self, *_):
        app = App.get_running_app()
        for fid, value in zip(self.fields, self.current_values(app)):
            self.ids[fid].text = value
        self.message = app.tr("staff.test_first")
        self.tested_ok = False
        self._tested_values = None

    def values(self) -> tuple[str, ...]:
        return tuple(self.ids[f].text.strip() for f in self.fields)

    def on_edit(self):
        """Any edit after a test makes that test count no more."""
        App.get_running_app().staff_touch()
        if self._tested_values != self.values():
            self.tested_ok = False

    def run_test(self):
        app = App.get_running_app()
        app.staff_touch()
        values = self.values()
        self.testing = True
        self.tested_ok = False
        self.message = app.tr("staff.testing")

        def work():
            res = self.run_check(app, values)
            Clock.schedule_once(lambda _dt: self._tested(res, values))
        threading.Thread(target=work, name=f"staff-test-{self.name}", daemon=True).start()

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
        res = app.core.staff.save(self.changes(self.values()))   # the core refuses untested values too
        self.message = app.tr("staff.saved") if res.ok else app.tr("staff.not_saved", why=res.message)
