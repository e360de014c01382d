"""Pictograms for what a visitor's button does (done, back, read aloud, show the way, ...), as
drawing data in the place pictograms' shape format (kiosk.wayfinding.icons): shapes in a unit
square, y up. A button shows one beside its word, so a visitor who reads with difficulty can
tell the buttons apart; the word is always there too."""
from __future__ import annotations

from kiosk.wayfinding.icons import ICONS as PLACES

ACTIONS: dict[str, list[tuple]] = {
    "done": [("line", 0.12, 0.52, 0.38, 0.24, 0.9, 0.8)],
    "back": [("line", 0.9, 0.5, 0.3, 0.5), ("tri", 0.08, 0.5, 0.38, 0.78, 0.38, 0.22)],
    "next": [("line", 0.1, 0.5, 0.7, 0.5), ("tri", 0.92, 0.5, 0.62, 0.78, 0.62, 0.22)],
    "speak": [("box", 0.06, 0.36, 0.18, 0.28), ("tri", 0.24, 0.36, 0.24, 0.64, 0.52, 0.9),
              ("tri", 0.24, 0.36, 0.52, 0.9, 0.52, 0.1), ("line", 0.66, 0.66, 0.72, 0.5, 0.66, 0.34),
              ("line", 0.8, 0.8, 0.9, 0.5, 0.8, 0.2)],
    "route": [("circle", 0.5, 0.66, 0.22), ("disc", 0.5, 0.66, 0.07),
              ("line", 0.31, 0.55, 0.5, 0.06, 0.69, 0.55)],
    "appointment": [("rect", 0.1, 0.08, 0.8, 0.72), ("box", 0.1, 0.64, 0.8, 0.16),
                    ("line", 0.3, 0.92, 0.3, 0.74), ("line", 0.7, 0.92, 0.7, 0.74),
                    ("line", 0.3, 0.36, 0.45, 0.22, 0.72, 0.5)],
    "erase": [("line", 0.3, 0.2, 0.06, 0.5, 0.3, 0.8, 0.94, 0.8, 0.94, 0.2, 0.3, 0.2),
              ("line", 0.5, 0.36, 0.76, 0.64), ("line", 0.5, 0.64, 0.76, 0.36)],
    "clear": [("circle", 0.5, 0.5, 0.42), ("line", 0.33, 0.33, 0.67, 0.67),
              ("line", 0.33, 0.67, 0.67, 0.33)],
    "step_free": PLACES["accessible_toilet"],
    # a person with a raised hand: "I need help" (the help button)
    "help": [("disc", 0.42, 0.78, 0.13), ("line", 0.14, 0.06, 0.14, 0.36, 0.26, 0.52, 0.58, 0.52,
                                          0.7, 0.36, 0.7, 0.06),
             ("line", 0.64, 0.5, 0.88, 0.94)],
}


def button_icon(name: str) -> list[tuple] | None:
    """The shapes of an action's pictogram, or of a place kind's; None for an unknown name."""
    return ACTIONS.get(name) or PLACES.get(name)
