"""Staff mode: "are you sure?" for actions that cannot be undone (restart today's numbers).
`app.confirm(text, on_yes)` shows it; Yes runs on_yes and goes back to the staff menu."""
from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from screens.kvload import load_kv_for


class StaffConfirmScreen(Screen):
    text = StringProperty("")
    on_yes = None

    def answer(self, yes: bool):
        app = App.get_running_app()
        app.staff_touch()
        action, self.on_yes = self.on_yes, None
        app.show("staff_home")
        if yes and action is not None:
            action()


load_kv_for(__file__)
