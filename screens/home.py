"""The home menu (device role "home"): one big button per visitor function, each with a
pictogram (a face, a person at a desk, the information sign) beside its word."""
from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen

from screens import widgets  # noqa: F401 - TopBar, BigButton
from screens.kvload import load_kv_for
from screens.widgets import BigButton


class MenuButton(BigButton):
    """A BigButton with a large pictogram at its left (`icon`: "face", or a place kind)."""


class HomeScreen(Screen):
    def audio_view(self):
        from kiosk.audio.focus import FocusItem
        from screens.audio_mode import AudioView
        app = App.get_running_app()
        items = [(FocusItem(f"home.{k}", self.ids[k].text,
                            activate=lambda k=k: self.ids[k].dispatch("on_release")), self.ids[k])
                 for k in ("feedback", "tickets", "wayfinding")]
        return AudioView(self.ids.title.text, "", items, on_back=app.audio_back(self.name),
                         start=self.name == app.start_screen())


load_kv_for(__file__)
