"""Wayfinding: the floor plan as data, routes over it, and directions in plain language.

Plain Python, no Kivy. Modules: `settings` (the [wayfinding] config keys), `plan`
(run-time model built from config), `routing` (quickest and step-free routes),
`directions` (step texts), `checks` (config validation). For the ticket printer:
`short_directions(plan, from_id, to_id, lang)`; for a loaded config: `plan_from_config(cfg)`.

Names are resolved on first use so that kiosk.config can import `settings` without a cycle.
"""
from __future__ import annotations

# kiosk.config's model imports our settings module; loading kiosk.config first (a no-op when
# it is already loading) keeps `import kiosk.wayfinding.settings` from running into the cycle.
import kiosk.config  # noqa: F401,E402

_EXPORTS = {
    "build_plan": "kiosk.wayfinding.plan", "Plan": "kiosk.wayfinding.plan",
    "Router": "kiosk.wayfinding.routing", "Route": "kiosk.wayfinding.routing",
    "get_directions": "kiosk.wayfinding.directions", "short_directions": "kiosk.wayfinding.directions",
    "UnknownPlace": "kiosk.wayfinding.directions", "Directions": "kiosk.wayfinding.directions",
}


def plan_from_config(cfg):
    """The Plan of a loaded, checked KioskConfig (its problems were reported by the loader)."""
    from kiosk.wayfinding.plan import build_plan
    plan, _ = build_plan(cfg.wayfinding)
    return plan


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kiosk.wayfinding' has no attribute {name!r}")
