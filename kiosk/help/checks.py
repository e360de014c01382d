"""`kiosk config check` for [help]: the information desk a visitor is sent to must be a place
of the floor plan (kiosk/config/checks.py runs this for every load)."""
from __future__ import annotations

from kiosk.config import KioskConfig, Problem


def check_help(cfg: KioskConfig, problems: list[Problem]) -> None:
    place = cfg.help.info_place
    if not place:
        return
    from kiosk.wayfinding.settings import WayfindingSection
    if cfg.wayfinding == WayfindingSection():
        problems.append(Problem("help.info_place", f"{place!r} needs a floor plan ([wayfinding]), "
                                "and this config has none"))
        return
    from kiosk.wayfinding import plan_from_config
    plan = plan_from_config(cfg)
    if place not in plan.places:
        known = ", ".join(p.id for p in plan.places.values() if p.kind == "information")
        problems.append(Problem("help.info_place", f"{place!r} is not a place of the floor plan"
                                + (f"; information desks: {known}" if known else "")))
