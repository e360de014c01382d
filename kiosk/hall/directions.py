"""Which way to a desk, seen from the hall display: an arrow angle and a short text.

  finder = DeskFinder.from_config(cfg)
  d = finder.direction("4", "nl")   # DeskDirection(place="desk-4", angle=63.4, text="Rechts, ...")

The desk name from a call becomes a floor-plan place with `display.desk_place`
("desk-{desk}"). The display stands at `wayfinding.here`; a visitor reading it looks in
`wayfinding.here.facing`. On the same floor the arrow points at the desk itself (degrees
clockwise from straight ahead, i.e. from "up" on the screen) and the text says left, right,
straight on or behind you with the walking distance. On another floor the arrow points at
the first stairs, escalator or lift of the route and the text names the floor. With no
plan, no `here`, or a desk the plan does not know, there is no arrow and no text.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from kiosk.i18n import Translator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeskDirection:
    place: str
    angle: float | None = None   # clockwise from straight ahead; None: no arrow
    text: str = ""


def relative_angle(bearing: float, facing: float) -> float:
    """A compass bearing seen by someone facing `facing`: -180..180, positive = to the right."""
    return (bearing - facing + 540) % 360 - 180


class DeskFinder:
    def __init__(self, plan, desk_place: str = "desk-{desk}", tr: Translator | None = None):
        self.plan = plan
        self.desk_place = desk_place
        self.tr = tr or Translator()

    @classmethod
    def from_config(cls, cfg, tr: Translator | None = None) -> "DeskFinder":
        try:
            from kiosk.wayfinding import plan_from_config
            plan = plan_from_config(cfg)
        except Exception as e:  # noqa: BLE001 - no arrow is fine, no display is not
            log.warning("hall display: no floor plan for directions: %s", e)
            plan = None
        return cls(plan, cfg.display.desk_place, tr)

    def place_of(self, desk: str) -> str:
        return self.desk_place.format(desk=desk.strip())

    def direction(self, desk: str, lang: str) -> DeskDirection:
        place_id = self.place_of(desk)
        plan = self.plan
        if plan is None or plan.here_node not in plan.nodes or place_id not in plan.places:
            return DeskDirection(place_id)
        try:
            return self._direction(plan, place_id, lang)
        except Exception:  # noqa: BLE001 - a plan oddity must not stop the display
            log.exception("hall display: no direction to %s", place_id)
            return DeskDirection(place_id)

    def _direction(self, plan, place_id: str, lang: str) -> DeskDirection:
        from kiosk.wayfinding.directions import distance_text, heading, turn
        from kiosk.wayfinding.plan import VERTICAL_KINDS, Node
        here = plan.nodes[plan.here_node]
        place = plan.places[place_id]
        from kiosk.wayfinding.routing import router_for
        route = router_for(plan).route(plan.here_node, place.node, False)
        facing = plan.here_facing
        if place.floor == here.floor:
            bearing = heading(here, Node("", place.floor, place.x, place.y))
            if bearing is None:
                return DeskDirection(place_id, None, self.tr("display.dir.here", lang))
            metres = route.metres if route else math.hypot(place.x - here.x, place.y - here.y)
            way = turn(facing, bearing)
            return DeskDirection(place_id, relative_angle(bearing, facing),
                                 self.tr(f"display.dir.{way}", lang,
                                         distance=distance_text(metres, lang)))
        floor = plan.floors[place.floor].name(lang)
        if route is None:
            return DeskDirection(place_id, None, self.tr("display.dir.floor", lang, floor=floor))
        via = next((plan.nodes[e.a] for e in route.edges if e.kind in VERTICAL_KINDS), None)
        bearing = heading(here, via) if via is not None else None
        angle = relative_angle(bearing, facing) if bearing is not None else None
        return DeskDirection(place_id, angle, self.tr("display.dir.floor", lang, floor=floor))
