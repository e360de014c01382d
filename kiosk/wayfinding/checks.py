"""`kiosk config check` for the floor plan: structure, reachability, lifts.

Errors (the config is refused): duplicate ids, unknown floors or nodes, an unknown
kiosk position, places that cannot be reached from the kiosk at all, lifts that connect
no floors, ticket services naming a place the plan does not have. Warnings (reported,
the config is still used): places that cannot be reached without stairs or escalators.

The loader has no warning channel yet, so warnings go to the `kiosk.wayfinding` logger
(printed on stderr by the `kiosk` command) and are kept in `LAST_WARNINGS` for callers
that want to show them. kiosk/config/checks.py runs `check_wayfinding` for any config that has a
floor plan (importing this module only then).
"""
from __future__ import annotations

import difflib
import logging

from kiosk.config import KioskConfig, Problem
from kiosk.wayfinding.plan import Plan, build_plan
from kiosk.wayfinding.settings import WayfindingSection

log = logging.getLogger("kiosk.wayfinding")
LAST_WARNINGS: list[Problem] = []


def check_section(section: WayfindingSection) -> tuple[Plan, list[Problem], list[Problem]]:
    """(plan, errors, warnings) for one `[wayfinding]` section."""
    plan, errors = build_plan(section)
    warnings: list[Problem] = []
    if plan.here_node not in plan.nodes:
        return plan, errors, warnings

    def at(pid: str, reason: str) -> Problem:
        return plan.problem(f"places[{plan.place_index[pid]}].node", reason)

    from kiosk.wayfinding.routing import router_for
    router = router_for(plan)
    anyway = router.reachable(plan.here_node)
    step_free = router.reachable(plan.here_node, step_free=True)
    for pid, place in plan.places.items():
        if place.node not in anyway:
            errors.append(at(pid, f"place {pid!r} (node {place.node!r}) cannot be reached from "
                                  f"the kiosk (node {plan.here_node!r}); is an edge missing, or "
                                  "one-way the wrong way?"))
        elif place.node not in step_free:
            warnings.append(at(pid, f"place {pid!r} cannot be reached from the kiosk without "
                                    "stairs or escalators; wheelchair users get no route"))
    lift_nodes = {n for e in plan.edges if e.kind == "lift" for n in (e.a, e.b)}
    for pid, place in plan.places.items():
        if place.kind == "lift" and place.node not in lift_nodes:
            errors.append(at(pid, f"lift {pid!r} connects no floors: node {place.node!r} has no "
                                  "edge of kind 'lift' to another floor"))
    return plan, errors, warnings


def check_service_places(cfg: KioskConfig, plan: Plan) -> list[Problem]:
    """Ticket services that name a waiting place (for printed directions) must name one the
    floor plan has."""
    out = []
    if plan.empty:
        return out
    for i, service in enumerate(getattr(cfg, "services", None) or []):
        ref = getattr(service, "place", "") if service is not None else ""
        if ref and ref not in plan.places:
            close = difflib.get_close_matches(ref, list(plan.places), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(Problem(f"services[{i}].place", f"no place {ref!r} in the floor plan{hint}"))
    return out


def check_wayfinding(cfg: KioskConfig, problems: list[Problem]) -> None:
    plan, errors, warnings = check_section(cfg.wayfinding)
    problems.extend(errors)
    problems.extend(check_service_places(cfg, plan))
    LAST_WARNINGS[:] = warnings
    for w in warnings:
        log.warning("warning: %s", w.render().replace("<config>: ", "", 1))

