"""What both wayfinding screens use: the core's floor plan (built once) and the place
pictograms drawn as Kivy instructions."""
from __future__ import annotations

from kiosk.wayfinding.icons import icon
from kiosk.wayfinding.plan import Plan
from screens.pictogram import draw_shapes


def wayfinding_plan(app) -> Plan:
    """The floor plan, built from config once by the kiosk core, with routes from the kiosk
    ready."""
    return app.core.floor_plan()


def draw_icon(canvas, kind: str, x: float, y: float, size: float, rgba) -> None:
    """Draw the pictogram of a place kind into `canvas` in a size x size square at (x, y)."""
    draw_shapes(canvas, icon(kind), x, y, size, rgba)
