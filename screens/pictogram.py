"""Pictograms on buttons: the drawing of shape data (kiosk.button_icons,
kiosk.wayfinding.icons) and the smiley face as Kivy instructions, and `PictogramButton`, a
button with a pictogram beside its word.

    <BigButton>: ...            # in kv, any visitor button:
    BigButton:
        icon: 'done'            # an action (kiosk.button_icons) or a place kind

The pictogram sits at the start of the button (the left; the right in a right-to-left
language) and the word is centred in the rest; on a button too narrow for both side by side
it sits above the word: a word is never squeezed to make room for a picture."""
from __future__ import annotations

from kivy.graphics import Color, Ellipse, InstructionGroup, Line, Rectangle, Triangle
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.button_icons import button_icon

# Beside the word only when the word keeps at least this many pictogram widths of room (and
# its widest word fits); else the pictogram goes above the word.
MIN_WORD_ROOM = 2.0
TEXT_MARGIN = dp(24)   # the buttons' text_size leaves this much of the width (widgets.kv)


def draw_shapes(canvas, shapes, x: float, y: float, size: float, rgba) -> None:
    """Draw shape data (unit square, y up) into `canvas`, scaled to size x size at (x, y)."""
    w = max(2.0, size * 0.05)
    canvas.add(Color(*rgba))
    for shape in shapes:
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


def draw_face(canvas, x: float, y: float, side: float, rgba) -> None:
    """A smiling face outline (the home menu's feedback button)."""
    w = max(2.0, side * 0.045)
    canvas.add(Color(*rgba))
    canvas.add(Line(circle=(x + side / 2, y + side / 2, side * 0.45), width=w))
    for ex in (0.35, 0.65):
        canvas.add(Ellipse(pos=(x + side * ex - side * 0.05, y + side * 0.58),
                           size=(side * 0.1, side * 0.13)))
    canvas.add(Line(bezier=(x + side * 0.28, y + side * 0.38, x + side * 0.5, y + side * 0.15,
                            x + side * 0.72, y + side * 0.38), width=w, cap="round"))


class PictogramButton:
    """Mixin for a Button: `icon` draws a pictogram beside the word, or above it on a button
    too narrow for both side by side. `icon_room` is the width the word gives up on each side
    (0 when the pictogram is above or absent), for the kv rule's text_size; above the word the
    pictogram takes the label's top padding, so the button's height grows with it."""

    icon = StringProperty("")
    icon_size = NumericProperty(dp(40))   # side of the pictogram's square
    mirrored = BooleanProperty(False)     # right to left: the pictogram at the right
    icon_room = NumericProperty(0)

    def __init__(self, **kw):
        from kivy.clock import Clock
        self._icon_group = None
        self._above = 0.0
        # the shapes before the next frame: a large-text toggle or a layout pass changes a
        # button's font size, size, position and text size one after another (529 drawings
        # of 61 pictograms for a toggle on the home role, ~14 ms of the tap, when each change
        # drew them; 177 now)
        self._shapes_soon = Clock.create_trigger(self._draw_shapes, -1)
        super().__init__(**kw)
        from kivy.app import App
        app = App.get_running_app()
        if app is not None and hasattr(app, "rtl"):      # right to left: at the right
            self.mirrored = app.rtl
            app.bind(rtl=self._on_rtl)    # bind: a weak reference (a list's buttons come and go)
        for name in ("pos", "size", "texture_size", "icon", "icon_size", "mirrored", "color",
                     "text", "font_size", "bold"):
            self.fbind(name, self._draw_icon)
        self._draw_icon()

    def _place(self) -> tuple[str, float]:
        """("beside", room taken on each side) or ("above", padding on top) or ("", 0): from
        the button's width and `icon_size` only, never its height (the height follows the
        word's lines; a place that followed the height would move the word back and forth)."""
        if not self.icon:
            return "", 0.0
        room = self.icon_size * 1.3
        text_room = self.width - TEXT_MARGIN - 2 * room
        if text_room >= MIN_WORD_ROOM * room and text_room >= self.longest_word():
            return "beside", room
        return "above", self.icon_size * 1.2

    def _on_rtl(self, _app, rtl):
        self.mirrored = rtl

    def longest_word(self) -> float:
        """Width of the text's widest word as it would render (a word wider than the room
        beside the pictogram would be split mid-word: the pictogram goes above instead)."""
        key = (self.text, self.font_size, self.bold, self.font_name)
        if getattr(self, "_longest", (None,))[0] != key:
            from kivy.core.text import Label as CoreLabel
            measure = CoreLabel(font_size=self.font_size, bold=self.bold, font_name=self.font_name)
            widest = max((measure.get_extents(w)[0] for w in self.text.split()), default=0)
            self._longest = (key, widest)
        return self._longest[1]

    def icon_box(self):
        """(x, y, side) of the pictogram as drawn, or None without one."""
        place, room = self._place()
        if place == "beside":
            side = min(self.icon_size, self.height * 0.7)
            margin = room - self.icon_size
            x = self.x + self.width - margin - side if self.mirrored else self.x + margin
            return x, self.y + (self.height - side) / 2, side
        if place == "above":
            side = self.icon_size
            # (from x, y, width and height, not center_y or right: an alias may still hold an old value when
            # the size's observers run)
            top = self.y + (self.height + self.texture_size[1]) / 2   # the label's top, padding in
            return self.x + (self.width - side) / 2, top - room + (room - side) * 0.3, side
        return None

    def _draw_icon(self, *_):
        """Where the pictogram goes (the room the word gives up, at once: the layout needs it);
        its shapes are drawn before the next frame."""
        place, room = self._place()
        self.icon_room = room if place == "beside" else 0
        above = room if place == "above" else 0.0
        if above != self._above:
            self._above = above
            self.padding = [self.padding[0], above, self.padding[2], self.padding[3]]
        self._shapes_soon()

    def _draw_shapes(self, *_):
        box = self.icon_box()
        if self._icon_group is None:
            if box is None:
                return
            self._icon_group = InstructionGroup()
            self.canvas.after.add(self._icon_group)
        g = self._icon_group
        g.clear()
        if box is None:
            return
        x, y, side = box
        if self.icon == "face":
            draw_face(g, x, y, side, self.color)
        else:
            name = self.icon
            if self.mirrored:   # an arrow that means back or onwards points the other way
                name = {"back": "next", "next": "back"}.get(name, name)
            shapes = button_icon(name)
            if shapes:
                draw_shapes(g, shapes, x, y, side, self.color)
