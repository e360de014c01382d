"""Pictograms for place kinds as drawing data (no Kivy, no image files).

Each icon is a list of shapes in a unit square (0..1, y up): ("circle", cx, cy, r),
("disc", cx, cy, r), ("line", x0, y0, x1, y1, ...), ("rect", x, y, w, h) outlined,
("box", x, y, w, h) filled, ("tri", x0, y0, x1, y1, x2, y2) filled. The screen scales
them to the button; the word is always shown beside the picture.
"""
from __future__ import annotations

Shape = tuple

_PERSON = [("disc", 0.5, 0.8, 0.1), ("line", 0.5, 0.68, 0.5, 0.35), ("line", 0.3, 0.55, 0.7, 0.55),
           ("line", 0.5, 0.35, 0.35, 0.08), ("line", 0.5, 0.35, 0.65, 0.08)]

ICONS: dict[str, list[Shape]] = {
    "desk": [("disc", 0.5, 0.78, 0.12), ("line", 0.5, 0.64, 0.5, 0.45),
             ("box", 0.1, 0.3, 0.8, 0.12), ("line", 0.18, 0.3, 0.18, 0.06),
             ("line", 0.82, 0.3, 0.82, 0.06)],
    "information": [("circle", 0.5, 0.5, 0.42), ("disc", 0.5, 0.73, 0.06),
                    ("line", 0.5, 0.58, 0.5, 0.22)],
    "waiting_area": [("line", 0.25, 0.9, 0.25, 0.45, 0.7, 0.45, 0.7, 0.08),
                     ("line", 0.25, 0.45, 0.25, 0.08)],
    "toilet": [("disc", 0.28, 0.82, 0.09), ("box", 0.2, 0.3, 0.16, 0.4),
               ("line", 0.24, 0.3, 0.24, 0.06), ("line", 0.32, 0.3, 0.32, 0.06),
               ("disc", 0.72, 0.82, 0.09), ("tri", 0.72, 0.7, 0.58, 0.3, 0.86, 0.3),
               ("line", 0.68, 0.3, 0.68, 0.06), ("line", 0.76, 0.3, 0.76, 0.06),
               ("line", 0.5, 0.95, 0.5, 0.05)],
    "accessible_toilet": [("disc", 0.45, 0.85, 0.09), ("line", 0.45, 0.74, 0.45, 0.45, 0.72, 0.45,
                                                         0.8, 0.15),
                          ("circle", 0.4, 0.32, 0.24)],
    "baby_changing": [("disc", 0.35, 0.7, 0.12), ("rect", 0.15, 0.3, 0.7, 0.18),
                      ("line", 0.5, 0.55, 0.8, 0.55)],
    "lift": [("rect", 0.15, 0.05, 0.7, 0.9), ("tri", 0.5, 0.85, 0.32, 0.6, 0.68, 0.6),
             ("tri", 0.5, 0.15, 0.32, 0.4, 0.68, 0.4)],
    "stairs": [("line", 0.08, 0.12, 0.3, 0.12, 0.3, 0.35, 0.52, 0.35, 0.52, 0.58, 0.74, 0.58,
                0.74, 0.82, 0.95, 0.82)],
    "entrance": [("rect", 0.45, 0.05, 0.45, 0.9), ("line", 0.05, 0.5, 0.4, 0.5),
                 ("tri", 0.42, 0.5, 0.28, 0.62, 0.28, 0.38)],
    "exit": [("rect", 0.1, 0.05, 0.45, 0.9), ("line", 0.35, 0.5, 0.85, 0.5),
             ("tri", 0.95, 0.5, 0.8, 0.62, 0.8, 0.38)],
    "cafe": [("rect", 0.2, 0.2, 0.45, 0.45), ("circle", 0.75, 0.45, 0.1),
             ("line", 0.3, 0.75, 0.35, 0.9), ("line", 0.45, 0.75, 0.5, 0.9)],
    "seating": [("line", 0.3, 0.9, 0.3, 0.45, 0.75, 0.45, 0.75, 0.08), ("line", 0.3, 0.45, 0.3, 0.08)],
    "other": _PERSON,
}


def icon(kind: str) -> list[Shape]:
    return ICONS.get(kind, ICONS["other"])
