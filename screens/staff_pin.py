"""Staff mode, step 1: the PIN on a big keypad. Wrong PINs lock out with growing delays."""
from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from screens.kvload import load_kv_for


class StaffPinScreen(Screen):
    entered = StringProperty("")
    message = StringProperty("")

    def on_pre_enter(self, *_):
        self.entered = ""
        app = App.get_running_app()
        self.message = "" if app.core.staff.gate.pin_hash else app.tr("staff.pin_none")
        self._show_lock()

    def key(self, digit: str):
        App.get_running_app().staff_touch()
        if len(self.entered) < 8:
            self.entered += digit

    def clear(self):
        self.entered = ""

    def submit(self):
        app = App.get_running_app()
        result = app.core.staff.gate.attempt(self.entered)
        self.entered = ""
        if result.ok:
            app.open_staff()
        elif result.locked_for_s:
            self._show_lock()
        else:
            self.message = app.translator.ngettext("staff.pin_wrong", result.tries_left, app.lang,
                                                  n=result.tries_left)

    def _show_lock(self):
        app = App.get_running_app()
        left = app.core.staff.gate.locked_for()
        if left > 0:
            self.message = app.tr("staff.pin_locked", s=int(left + 0.999))


load_kv_for(__file__)
