"""The home menu (device role "home"): one big button per visitor function, each with a
pictogram (a face, a person at a desk, the information sign) beside its word."""
from __future__ import annotations

from kivy.app import App
from kivy.graphics import Color, Ellipse, InstructionGroup, Line
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from screens import widgets  # noqa: F401 - TopBar, BigButton
from screens.kvload import load_kv_for
from screens.widgets import BigButton


class MenuButton(BigButton):
    """A BigButton with a pictogram at its left (`kind`: "face", or a place icon kind)."""
    kind = StringProperty("")

    def __init__(self, **kw):
        super().__init__(**kw)
        self._icon = InstructionGroup()
        self.canvas.after.add(self._icon)
        self.bind(pos=self._draw, size=self._draw, kind=self._draw, color=self._draw)

    def icon_box(self):
        side = min(self.height * 0.62, self.width * 0.2)
        return self.x + self.height * 0.22, self.center_y - side / 2, side

    def _draw(self, *_):
        g = self._icon
        g.clear()
        if not self.kind:
            return
        x, y, side = self.icon_box()
        if self.kind == "face":
            w = max(2.0, side * 0.045)
            g.add(Color(*self.color))
            g.add(Line(circle=(x + side / 2, y + side / 2, side * 0.45), width=w))
            for ex in (0.35, 0.65):
                g.add(Ellipse(pos=(x + side * ex - side * 0.05, y + side * 0.58),
                              size=(side * 0.1, side * 0.13)))
            g.add(Line(bezier=(x + side * 0.28, y + side * 0.38, x + side * 0.5, y + side * 0.15,
                               x + side * 0.72, y + side * 0.38), width=w, cap="round"))
            return
        from screens.wayfinding_shared import draw_icon
        draw_icon(g, self.kind, x, y, side, self.color)


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
