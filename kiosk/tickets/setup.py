"""The directions a ticket carries, from the wayfinding floor plan. (The ticket devices are
opened by kiosk.appliance.devices.KioskDevices, for the app and for `kiosk ticket ...`.)

  routes = make_directions(cfg)       # None without a floor plan
  routes(place, lang)                 # the printed part: the 2-3 decisive steps
  routes.full(place, lang)            # every step and the total: screen, speech, phone
  routes.desks(place, lang)           # {"4": [steps from the waiting place to desk 4], ...}

The desks are the floor plan's places whose id fits `display.desk_place` ("desk-{desk}");
their routes travel with `ticket.issued` so the mobile ticket can show the way once a desk
calls. Routes are computed once per (place, language): the plan does not change while the
kiosk runs (a new config builds a new one).
"""
from __future__ import annotations

import functools
import logging
import re

log = logging.getLogger(__name__)


class TicketDirections:
    def __init__(self, plan, desk_place: str = "desk-{desk}"):
        self.plan = plan
        head, _, tail = desk_place.partition("{desk}")
        self.desk_re = re.compile(re.escape(head) + r"(.+)" + re.escape(tail) + r"\Z")

    @functools.lru_cache(maxsize=256)
    def _get(self, start: str, goal: str, lang: str):
        from kiosk.wayfinding.directions import get_directions
        return get_directions(self.plan, start, goal, lang)

    def __call__(self, place_id: str, lang: str) -> str:
        from kiosk.wayfinding.directions import decisive_steps, no_route_text
        d = self._get("here", place_id, lang)
        if d is None:
            return no_route_text(self.plan, place_id, lang, False)
        return "\n".join(decisive_steps(self.plan, d))

    def full(self, place_id: str, lang: str) -> list[str]:
        d = self._get("here", place_id, lang)
        return list(d.lines) if d is not None else []

    @functools.lru_cache(maxsize=64)
    def desks(self, place_id: str, lang: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for pid in sorted(self.plan.places):
            m = self.desk_re.match(pid)
            if not m:
                continue
            try:
                d = self._get(place_id, pid, lang)
            except ValueError:     # the waiting place is not on the plan
                return {}
            if d is not None:
                out[m.group(1)] = [s.text for s in d.steps]
        return out


def make_directions(cfg, plan_source=None) -> TicketDirections | None:
    """The ticket's directions from the floor plan, or None when the config has none.
    `plan_source()` gives the plan already built (the kiosk core's); without it the plan is
    built from `cfg`."""
    try:
        from kiosk.wayfinding import plan_from_config
        plan = plan_source() if plan_source is not None else plan_from_config(cfg)
    except Exception as e:  # noqa: BLE001 - no directions is fine, no ticket is not
        log.warning("no floor plan for ticket directions: %s", e)
        return None
    if plan.empty or plan.here_node not in plan.nodes:
        return None
    return TicketDirections(plan, cfg.display.desk_place)
