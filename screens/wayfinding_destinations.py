"""Wayfinding step 1: where do you want to go? Places grouped (desks, facilities, way out),
each a big button with a pictogram and its name; no typing. A tap opens the map."""
from __future__ import annotations


from kivy.app import App
from kivy.clock import Clock
from kivy.properties import ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.wayfinding.plan import place_groups
from screens import looks, widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens.kvload import load_kv_for
from screens.wayfinding_audio import destinations_audio_view
from screens.wayfinding_shared import draw_icon, wayfinding_plan

class PlaceIcon(Widget):
    kind = StringProperty("other")
    rgba = ListProperty([0, 0, 0, 1])

    def __init__(self, **kw):
        super().__init__(**kw)
        self.drawn_at: tuple[float, float, float] | None = None  # x, y, side of the last drawing
        self._redraw = Clock.create_trigger(self._draw)  # once per frame, at the final place
        self.bind(pos=self._redraw, size=self._redraw, kind=self._redraw, rgba=self._redraw)

    def _draw(self, *_):
        self.canvas.clear()
        side = min(self.size) * 0.9
        self.drawn_at = (self.center_x - side / 2, self.center_y - side / 2, side)
        draw_icon(self.canvas, self.kind, *self.drawn_at, self.rgba)


class DestinationButton(ButtonBehavior, BoxLayout):
    place_id = StringProperty("")
    kind = StringProperty("other")
    label = StringProperty("")
    anticipate = None   # callable(button): a finger came down on it (screens/scroll.py)


class WayfindingDestinationsScreen(Screen):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.app = App.get_running_app()
        self.plan = wayfinding_plan(self.app)
        self._buttons: dict[str, DestinationButton] = {}  # built once, relabelled on language
        self._headers: dict[str, Widget] = {}
        # in another language the groups may come in another order: rebuilt, when next shown
        # (the screen's look follows the app's language then: screens/looks.py)
        looks.current(self.app).bind(lang=lambda *_: self._fill())
        self._fill()

    def _fill(self):
        with looks.building(looks.of(self)):   # the new grids' rules read the screen's look
            self._fill_groups()
        self.app.audio.refresh(self)

    def _fill_groups(self):
        box = self.ids.groups
        box.clear_widgets()
        lang = self.app.lang
        if not self.plan.places:
            self.ids.hint.text = self.app.tr("wayfinding.no_plan")
            return
        self.ids.hint.text = ""
        for group, places in place_groups(self.plan, lang):
            header = self._headers.get(group)
            if header is None:
                header = self._headers[group] = GroupHeader()
            header.text = self.app.tr(f"wayfinding.group.{group}")
            box.add_widget(header)
            grid = DestinationGrid()
            for place in places:
                btn = self._buttons.get(place.id)
                if btn is None:
                    btn = DestinationButton(place_id=place.id, kind=place.kind)
                    btn.bind(on_release=lambda b: self.choose(b.place_id))
                    btn.anticipate = self._finger_down
                    self._buttons[place.id] = btn
                if btn.parent is not None:
                    btn.parent.remove_widget(btn)
                btn.label = place.name(lang)
                grid.add_widget(btn)
            box.add_widget(grid)

    def button(self, place_id: str) -> DestinationButton:
        return self._buttons[place_id]

    def audio_view(self):
        return destinations_audio_view(self)

    def _finger_down(self, btn):
        """The map gets the route ready while the finger is down; a tap shows it on release."""
        screen = self.app.screen("wayfinding_map")
        if screen is not None:
            screen.prepare(btn.place_id)

    def choose(self, place_id: str):
        self.app.show("wayfinding_map").set_goal(place_id, None)


class GroupHeader(BoxLayout):
    text = StringProperty("")


class DestinationGrid(GridLayout):
    pass


load_kv_for(__file__)
