"""Wayfinding step 2: the map with the route, "you are here" turned the way the visitor
stands, floor buttons, the step list beside it, the step-free toggle and (when a speech
device is there) a button that reads the directions aloud.

The map is drawn with canvas instructions from the plan data (kiosk.wayfinding.mapgeom
computes every point); nothing is loaded from image files unless a floor names one.
"""
from __future__ import annotations

import logging

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import (Color, Ellipse, Line, PopMatrix, PushMatrix, Rectangle, Rotate,
                           Translate, Triangle)
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget

from kiosk.wayfinding.directions import get_directions, no_route_text
from kiosk.wayfinding.mapgeom import MapFrame
from kiosk.wayfinding.routing import route_floors, router_for
from screens import looks, textures, widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens.kvload import load_kv_for
from screens.wayfinding_audio import map_audio_view
from screens.wayfinding_shared import draw_icon, wayfinding_plan

log = logging.getLogger(__name__)


def speech_device(app):
    """The speech device in config (devices.speech.url; the simulator with --simulate), opened
    once by the kiosk core and shared with the ticket screens; None when there is none."""
    return app.core.speech()


def show_route(app, place_id: str, step_free: bool | None = None, back_to: str | None = None):
    """Open the map with the route from this kiosk to `place_id` (the ticket screen's
    "show me the way" calls this too, with `back_to` its own screen). Returns the screen."""
    screen = app.show("wayfinding_map")
    screen.back_to = back_to or "wayfinding_destinations"
    screen.set_goal(place_id, step_free)
    return screen


class RouteMap(Widget):
    """Draws one floor: outline (or image), corridors, the route, markers.

    `provider(widget)` gives the FloorDrawing for the widget's current size; the map asks
    again whenever it moves or resizes.
    """

    provider = ObjectProperty(None, allownone=True)
    drawing = ObjectProperty(None, allownone=True)
    here_text = StringProperty("")
    goal_text = StringProperty("")

    def __init__(self, **kw):
        super().__init__(**kw)
        self.here_label = Label(bold=True)   # reused, never re-created (texture leaks)
        self.goal_label = Label(bold=True)
        for label in (self.here_label, self.goal_label):
            label.bind(texture_size=self._place_labels)
            self.add_widget(label)
        self.draw_count = 0
        # once per frame at most, before the frame is drawn (after the layout that sized it):
        # the map shows in the same frame as the rest of the screen, not one frame later
        self._refresh_soon = Clock.create_trigger(self.refresh, -1)
        self.bind(pos=self._refresh_soon, size=self._refresh_soon)

    def refresh(self, *_):
        self.drawing = self.provider(self) if self.provider else None
        self._draw(self.drawing)

    def _draw(self, d):
        c = self.canvas.before  # the marker labels (children) draw on top of it
        c.clear()
        if d is None:
            return
        app = App.get_running_app()
        self.draw_count += 1
        c.add(Color(*app.c_panel))
        c.add(Rectangle(pos=self.pos, size=self.size))
        if d.image:
            src, ix, iy, zoom, angle = d.image
            image = Rectangle(source=src)
            tw, th = image.texture.size if image.texture else (0, 0)
            image.size = (tw * zoom, th * zoom)
            c.add(PushMatrix())
            c.add(Translate(ix, iy))
            c.add(Rotate(angle=angle, origin=(0, 0)))
            c.add(Color(1, 1, 1, 1))
            c.add(image)
            c.add(PopMatrix())
        c.add(Color(*app.c_outline))
        if d.outline:
            c.add(Line(points=d.outline, close=True, width=dp(2.5)))
        c.add(Color(*app.c_text_muted[:3], 0.35))
        for seg in d.corridors:
            c.add(Line(points=seg, width=dp(5), cap="round"))
        c.add(Color(*app.c_primary))
        for piece in d.route:
            c.add(Line(points=piece, width=dp(9), cap="round", joint="round"))
        r = dp(26)
        for x, y, kind in d.places:  # small pictograms help to recognise the hall
            draw_icon(c, kind, x - r * 0.5, y - r * 0.5, r, app.c_text_muted)
        for x, y, kind in d.transfers:
            c.add(Color(*app.c_panel))
            c.add(Ellipse(pos=(x - r, y - r), size=(2 * r, 2 * r)))
            c.add(Color(*app.c_primary))
            c.add(Line(circle=(x, y, r), width=dp(3)))
            draw_icon(c, "lift" if kind == "lift" else "stairs", x - r * 0.6, y - r * 0.6, r * 1.2,
                      app.c_primary)
        self._marker_labels(d)
        if d.goal:
            gx, gy = d.goal
            c.add(Color(*app.c_warn))
            c.add(Ellipse(pos=(gx - r * 0.7, gy - r * 0.7), size=(r * 1.4, r * 1.4)))
            c.add(Line(circle=(gx, gy, r * 1.2), width=dp(4)))
        if d.here:
            hx, hy, heading = d.here
            c.add(Color(*app.c_text))
            c.add(Ellipse(pos=(hx - r * 0.8, hy - r * 0.8), size=(r * 1.6, r * 1.6)))
            c.add(PushMatrix())
            c.add(Translate(hx, hy))
            c.add(Rotate(angle=-heading, origin=(0, 0)))  # heading is clockwise from up
            c.add(Triangle(points=[0, r * 2.2, -r * 0.8, r * 0.7, r * 0.8, r * 0.7]))
            c.add(PopMatrix())

    def _marker_labels(self, d):
        app = App.get_running_app()
        self._spots = {self.here_label: d.here, self.goal_label: d.goal}
        for label, text, colour in ((self.here_label, self.here_text, app.c_text),
                                    (self.goal_label, self.goal_text, app.c_warn)):
            label.opacity = 1 if self._spots[label] else 0
            label.text = text
            label.font_size = app.fs_small
            label.color = colour
        self._place_labels()

    def _place_labels(self, *_):
        """Beside their markers once their texture size is known (never forced: rendering a
        label's texture inside a canvas update stalled the next frame by about a second)."""
        for label, spot in getattr(self, "_spots", {}).items():
            if not spot:
                continue
            label.size = label.texture_size
            x = min(max(spot[0] - label.width / 2, self.x), self.right - label.width)
            # "you are here" under its marker (the arrow points up), the goal's name above it
            y = spot[1] - dp(30) - label.height if label is self.here_label else spot[1] + dp(34)
            label.pos = (x, min(max(y, self.y), self.top - label.height))


class StepButton(Button):
    floor_id = StringProperty("")


class FloorButton(ToggleButton):
    floor_id = StringProperty("")
    route_passes = BooleanProperty(False)  # not "on_...": Kivy reads that as an event


class WayfindingMapScreen(Screen):
    goal = StringProperty("")
    floor = StringProperty("")
    step_free = BooleanProperty(False)
    can_speak = BooleanProperty(False)
    _prepared = None   # (place, step_free, lang) the screen was made ready for on a press

    def __init__(self, **kw):
        super().__init__(**kw)
        self.app = App.get_running_app()
        self.plan = wayfinding_plan(self.app)
        self.directions = None
        self.back_to = "wayfinding_destinations"
        self._floor_buttons: dict[str, FloorButton] = {}
        self._step_pool: list[StepButton] = []
        for fid in self.plan.floors:
            btn = FloorButton(floor_id=fid, group=f"floors-{id(self)}", allow_no_selection=False)
            btn.bind(on_release=lambda b: self.set_floor(b.floor_id))
            self._floor_buttons[fid] = btn
            self.ids.floors.add_widget(btn)
        self.ids.map.provider = self.floor_drawing
        # the step buttons the longest route needs, made with the screen (built ahead, while
        # nobody waits) rather than on the tap that shows the first route (issue #19)
        while len(self._step_pool) < self._most_steps():
            self._step_pool.append(self._step_button())
        self._speak_button = self.ids.speak.__self__
        looks.current(self.app).bind(lang=lambda *_: self._refresh(), accessible=lambda *_: self._redraw_later())
        self.bind(floor=lambda *_: self._redraw_later())

    def on_pre_enter(self, *_):
        self._speak_button_placed()

    def _speak_button_placed(self):
        """The "read aloud" button only when a speech device is there."""
        self.can_speak = speech_device(self.app) is not None
        speak, box = self._speak_button, self.ids.buttons
        if self.can_speak and speak.parent is None:
            box.add_widget(speak)
        elif not self.can_speak and speak.parent is not None:
            box.remove_widget(speak)

    # -- what the visitor does --------------------------------------------------------
    def prepare(self, place_id: str) -> None:
        """A finger is down on a destination (screens/wayfinding_destinations.py): the route,
        its steps and the map are made on this screen, still hidden, and laid out and rendered
        at once (screens/textures.py), so that the release only shows them (issue #19)."""
        if self.manager is None or self.manager.current == self.name \
                or self._prepared == (place_id, self.step_free, self.app.lang):
            return   # shown, or ready for it already (a second finger, or "show me the way")
        self._speak_button_placed()
        self.goal = place_id
        self._refresh()
        self._start_floor()
        self._prepared = (place_id, self.step_free, self.app.lang)
        textures.warm(self)

    def set_goal(self, place_id: str, step_free: bool | None = None):
        if step_free is not None:
            self.step_free = step_free
        ready = self._prepared == (place_id, self.step_free, self.app.lang)
        self._prepared = None
        self.goal = place_id
        if ready:   # made while the finger was down: only the record is left
            self._record(self.directions)
        else:
            self._refresh(record=True)
            self._start_floor()
        if self.app.sm.current == self.name:
            self.app.audio.entered(self)   # the route is read, step by step

    def _start_floor(self):
        """The floor the route starts on (else the kiosk's own)."""
        if self.directions is not None:
            self.set_floor(self.plan.nodes[self.directions.route.nodes[0]].floor)
        elif self.plan.here_node in self.plan.nodes:
            self.set_floor(self.plan.nodes[self.plan.here_node].floor)

    def set_step_free(self, on: bool):
        if on != self.step_free:
            self.step_free = on
            self._refresh(record=True)
            if self.app.sm.current == self.name:
                self.app.audio.entered(self)   # the new route is read

    def set_floor(self, floor_id: str):
        self.floor = floor_id
        for fid, btn in self._floor_buttons.items():
            btn.state = "down" if fid == floor_id else "normal"

    def speak(self):
        dev = speech_device(self.app)
        if dev is None or self.directions is None:
            return
        try:
            dev.say(" ".join(self.directions.lines), self.app.lang)
        except Exception as e:  # noqa: BLE001 - speech must never break the screen
            log.error("could not speak the directions: %s", e)

    def back(self):
        back_to, self.back_to = self.back_to, "wayfinding_destinations"
        self.app.show(back_to)

    def audio_view(self):
        return map_audio_view(self)

    def reset(self):
        """For the app's idle reset: forget the destination and the step-free choice, so the
        next visitor starts afresh."""
        self._prepared = None
        self.goal = ""
        self.step_free = False
        self.directions = None
        self.ids.steps.clear_widgets()
        self.ids.total.text = ""
        self.ids.title.text = ""
        self.floor = ""
        self.ids.map.refresh()

    # -- building the view --------------------------------------------------------------
    def _refresh(self, record: bool = False):
        self._prepared = None   # what it was made ready for may change (language, step-free)
        if not self.goal:
            return
        lang = self.app.lang
        place = self.plan.places.get(self.goal)
        self.ids.title.text = place.name(lang) if place else self.goal
        self.ids.map.here_text = self.app.tr("wayfinding.you_are_here")
        self.ids.map.goal_text = self.ids.title.text
        d = None
        if self.plan.here_node in self.plan.nodes:
            d = get_directions(self.plan, "here", self.goal, lang, self.step_free,
                               router_for(self.plan))
        self.directions = d
        lines = d.lines[:-1] if d else [no_route_text(self.plan, self.goal, lang, self.step_free)]
        floors_of_steps = [s.floor for s in d.steps] if d else [""]
        self._fill_steps(lines, floors_of_steps)
        self.ids.total.text = d.total_text if d else ""
        on_route = set(route_floors(self.plan, d.route)) if d else set()
        for fid, btn in self._floor_buttons.items():
            name = self.plan.floors[fid].name(lang)
            btn.text = name[:1].upper() + name[1:]
            btn.route_passes = fid in on_route
        if self.floor:
            self.set_floor(self.floor)
        self._redraw_later()
        if record:
            self._record(d)

    def _most_steps(self) -> int:
        """The number of steps of the longest route from this kiosk, either mode (~0.3 ms a
        route)."""
        if self.plan.here_node not in self.plan.nodes:
            return 1
        router, most = router_for(self.plan), 1
        for place in self.plan.places:
            for step_free in (False, True):
                d = get_directions(self.plan, "here", place, self.app.lang, step_free, router)
                most = max(most, len(d.lines) - 1 if d else 1)
        return most

    def _step_button(self) -> StepButton:
        btn = StepButton()
        btn.bind(on_release=lambda b: b.floor_id and self.set_floor(b.floor_id))
        return btn

    def _fill_steps(self, lines: list[str], floors: list[str]):
        box = self.ids.steps
        box.clear_widgets()
        while len(self._step_pool) < len(lines):
            self._step_pool.append(self._step_button())
        for i, (text, fid) in enumerate(zip(lines, floors)):
            btn = self._step_pool[i]
            btn.width = box.width   # the width it will have: its text is laid out once, not twice
            btn.text = f"{i + 1}. {text}" if len(lines) > 1 else text
            btn.floor_id = fid
            box.add_widget(btn)

    def _redraw_later(self, *_):
        self.ids.map._refresh_soon()   # before the next frame is drawn

    def floor_drawing(self, widget: RouteMap):
        if not self.floor:
            return None
        frame = MapFrame(self.plan, self.plan.here_facing, widget.x, widget.y, widget.width,
                         widget.height, margin=dp(36))
        route = self.directions.route if self.directions else None
        return frame.floor_drawing(self.floor, route, self.goal)

    def _record(self, d):
        payload = {"to": self.goal, "step_free": self.step_free, "lang": self.app.lang,
                   "found": d is not None}
        if d is not None:
            payload.update(metres=round(d.route.metres), steps=len(d.steps),
                           floors=route_floors(self.plan, d.route))
        self.app.core.record_event("route.shown", payload)


load_kv_for(__file__)
