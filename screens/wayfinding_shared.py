"""What both wayfinding screens use: the core's floor plan (built once) and the place
pictograms drawn as Kivy instructions."""
from __future__ import annotations

from kivy.graphics import Color, Ellipse, Line, Rectangle, Triangle

from kiosk.wayfinding.icons import icon
from kiosk.wayfinding.plan import Plan


def wayfinding_plan(app) -> Plan:
    """The floor plan, built from config once by the kiosk core, with routes from the kiosk
    ready."""
    return app.core.floor_plan()


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
