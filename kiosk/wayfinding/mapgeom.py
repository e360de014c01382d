"""What the map screen draws, in screen pixels, computed without Kivy.

The map is turned so that the way the visitor faces at the kiosk points up the screen
("you are here" oriented as they stand): plan points are rotated counter-clockwise by the
kiosk's facing, then scaled to fit the widget with a margin. One scale for all floors, so
switching floors does not jump. `floor_drawing` lists the lines and markers of one floor.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from kiosk.wayfinding.plan import VERTICAL_KINDS, Plan
from kiosk.wayfinding.routing import Route


@dataclass
class FloorDrawing:
    outline: list[float] = field(default_factory=list)          # closed polyline x0, y0, x1, ...
    corridors: list[list[float]] = field(default_factory=list)  # every walkable edge, faint
    route: list[list[float]] = field(default_factory=list)      # route pieces on this floor
    here: tuple[float, float, float] | None = None  # x, y, screen heading (deg, 0 = up)
    goal: tuple[float, float] | None = None
    transfers: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, kind
    places: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, kind (listed)
    # background image: source, screen x, y of its bottom-left corner, screen pixels per image
    # pixel, rotation (deg, counter-clockwise) about that corner
    image: tuple[str, float, float, float, float] | None = None


class MapFrame:
    def __init__(self, plan: Plan, facing: float, x: float, y: float, width: float, height: float,
                 margin: float = 40.0):
        self.plan = plan
        self.angle = math.radians(facing)
        self._cos, self._sin = math.cos(self.angle), math.sin(self.angle)
        pts = [p for f in plan.floors.values() for p in f.outline]
        pts += [(n.x, n.y) for n in plan.nodes.values()]
        pts += [(p.x, p.y) for p in plan.places.values()]
        rot = [self._rotate(px, py) for px, py in pts] or [(0.0, 0.0)]
        xs, ys = [p[0] for p in rot], [p[1] for p in rot]
        span_x = max(max(xs) - min(xs), 1.0)
        span_y = max(max(ys) - min(ys), 1.0)
        self.scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        self.scale = max(self.scale, 0.01)
        # centre the drawing in the widget
        self.ox = x + width / 2 - (min(xs) + max(xs)) / 2 * self.scale
        self.oy = y + height / 2 - (min(ys) + max(ys)) / 2 * self.scale

    def _rotate(self, px: float, py: float) -> tuple[float, float]:
        c, s = self._cos, self._sin
        return px * c - py * s, px * s + py * c

    def to_screen(self, px: float, py: float) -> tuple[float, float]:
        rx, ry = self._rotate(px, py)
        return self.ox + rx * self.scale, self.oy + ry * self.scale

    def screen_heading(self, heading: float) -> float:
        """A plan heading (0 = up the plan) as a screen heading (0 = up the screen)."""
        return (heading - math.degrees(self.angle)) % 360

    def _flat(self, points) -> list[float]:
        out: list[float] = []
        for px, py in points:
            out.extend(self.to_screen(px, py))
        return out

    def floor_drawing(self, floor_id: str, route: Route | None = None,
                      goal_place: str | None = None) -> FloorDrawing:
        plan = self.plan
        floor = plan.floors[floor_id]
        d = FloorDrawing()
        if floor.outline:
            d.outline = self._flat(floor.outline)
        if floor.image:
            sx, sy = self.to_screen(*floor.image_origin)
            d.image = (floor.image, sx, sy, floor.image_scale * self.scale,
                       math.degrees(self.angle))
        nodes = plan.nodes
        for e in plan.edges:
            a, b = nodes[e.a], nodes[e.b]
            if a.floor == floor_id and b.floor == floor_id:
                d.corridors.append(self._flat([(a.x, a.y), (b.x, b.y)]))
        if route is not None:
            piece: list[tuple[float, float]] = []
            for e in route.edges:
                a, b = nodes[e.a], nodes[e.b]
                if e.kind in VERTICAL_KINDS and a.floor != b.floor:
                    if a.floor == floor_id or b.floor == floor_id:
                        n = a if a.floor == floor_id else b
                        d.transfers.append((*self.to_screen(n.x, n.y), e.kind))
                    if len(piece) > 1:
                        d.route.append(self._flat(piece))
                    piece = []
                    continue
                if a.floor != floor_id:
                    continue
                if not piece:
                    piece = [(a.x, a.y)]
                piece.append((b.x, b.y))
            if len(piece) > 1:
                d.route.append(self._flat(piece))
        here = nodes.get(plan.here_node)
        if here is not None and here.floor == floor_id:
            d.here = (*self.to_screen(here.x, here.y), self.screen_heading(plan.here_facing))
        d.places = [(*self.to_screen(p.x, p.y), p.kind) for p in plan.places.values()
                    if p.floor == floor_id and p.listed and p.id != goal_place]
        place = plan.places.get(goal_place or "")
        if place is not None and place.floor == floor_id:
            d.goal = self.to_screen(place.x, place.y)
        return d
