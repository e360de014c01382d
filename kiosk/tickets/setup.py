"""The short directions printed on a ticket, from the wayfinding floor plan. (The ticket
devices are opened by kiosk.appliance.devices.KioskDevices, for the app and for
`kiosk ticket ...` alike.)"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def make_directions(cfg, plan_source=None):
    """A `directions(place_id, lang) -> str` for the printed ticket, from the wayfinding
    floor plan (kiosk.wayfinding.directions.short_directions from `here`), or None when the
    config has no floor plan. `plan_source()` gives the plan already built (the kiosk core's);
    without it the plan is built from `cfg`."""
    try:
        from kiosk.wayfinding import plan_from_config
        from kiosk.wayfinding.directions import short_directions
        plan = plan_source() if plan_source is not None else plan_from_config(cfg)
    except Exception as e:  # noqa: BLE001 - no directions is fine, no ticket is not
        log.warning("no floor plan for ticket directions: %s", e)
        return None
    if plan.empty or plan.here_node not in plan.nodes:
        return None

    def directions(place_id: str, lang: str) -> str:
        return short_directions(plan, "here", place_id, lang)
    return directions
