"""Wayfinding step 1: where do you want to go? Places grouped (desks, facilities, way out),
each a big button with a pictogram and its name; no typing. A tap opens the map."""
from __future__ import annotations

import weakref

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, Line, Rectangle, Triangle
from kivy.properties import ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.wayfinding import plan_from_config
from kiosk.wayfinding.icons import icon
from kiosk.wayfinding.plan import Plan, place_groups
from screens import widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens.kvload import load_kv_for

_plans: "weakref.WeakKeyDictionary[object, Plan]" = weakref.WeakKeyDictionary()


def wayfinding_plan(app) -> Plan:
    """The app's floor plan, built from its config once, with routes from the kiosk ready."""
    plan = _plans.get(app)
    if plan is None:
        plan = plan_from_config(app.kcfg)
        if plan.here_node in plan.nodes:
            plan.router().warm(plan.here_node)
        _plans[app] = plan
    return plan


def draw_icon(canvas, kind: str, x: float, y: float, size: float, rgba) -> None:
    """Draw the pictogram of a place kind into `canvas` in a size x size square at (x, y)."""
    w = max(2.0, size * 0.05)
    canvas.add(Color(*rgba))
    for shape in icon(kind):
        name, *v = shape
        pts = [x + v[i] * size if i % 2 == 0 else y + v[i] * size for i in range(len(v))]
        if name == "circle":
            canvas.add(Line(circle=(pts[0], pts[1], v[2] * size), width=w))
        elif name == "disc":
            r = v[2] * size
            canvas.add(Ellipse(pos=(pts[0] - r, pts[1] - r), size=(2 * r, 2 * r)))
        elif name == "line":
            canvas.add(Line(points=pts, width=w, cap="round", joint="round"))
        elif name == "rect":
            canvas.add(Line(rectangle=(pts[0], pts[1], v[2] * size, v[3] * size), width=w))
        elif name == "box":
            canvas.add(Rectangle(pos=(pts[0], pts[1]), size=(v[2] * size, v[3] * size)))
        elif name == "tri":
            canvas.add(Triangle(points=pts))


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


class WayfindingDestinationsScreen(Screen):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.app = App.get_running_app()
        self.plan = wayfinding_plan(self.app)
        self._buttons: dict[str, DestinationButton] = {}  # built once, relabelled on language
        self._headers: dict[str, Widget] = {}
        self.app.bind(lang=lambda *_: self._fill())
        self._fill()

    def _fill(self):
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
                    self._buttons[place.id] = btn
                if btn.parent is not None:
                    btn.parent.remove_widget(btn)
                btn.label = place.name(lang)
                grid.add_widget(btn)
            box.add_widget(grid)

    def button(self, place_id: str) -> DestinationButton:
        return self._buttons[place_id]

    def choose(self, place_id: str):
        from screens.wayfinding_map import show_route
        show_route(self.app, place_id)


class GroupHeader(BoxLayout):
    text = StringProperty("")


class DestinationGrid(GridLayout):
    pass


load_kv_for(__file__)
