"""Cross-field config checks that need more than one key (or the catalogs).

`CHECKS` lists every one of them, explicitly, in the order they run: the languages here,
then each feature's own (feedback reasons, services and ticket devices, the floor plan, help).
kiosk.config.loader runs them after the typed build, for every load.
`CHECKS_ON_REQUEST` look at this machine (folders a file:// printer URL names); only
`kiosk config check` runs them (and `kiosk doctor` its own, stricter, device checks), so a
kiosk whose printer is unplugged at boot still starts.
"""
from __future__ import annotations

from kiosk.config import KioskConfig, Problem
from kiosk.feedback.checks import check_reasons
from kiosk.help.checks import check_help
from kiosk.i18n import available_languages
from kiosk.tickets.checks import (check_device_urls, check_printer_profile, check_printer_target,
                                  check_services)
from kiosk.wayfinding.settings import WayfindingSection


def check_languages(cfg: KioskConfig, problems: list[Problem]) -> None:
    have = available_languages()
    for i, lang in enumerate(cfg.ui.languages):
        if lang not in have:
            problems.append(Problem(f"ui.languages[{i}]",
                                    f"no catalog for language {lang!r}; available: {', '.join(have)}"))
    if len(set(cfg.ui.languages)) != len(cfg.ui.languages):
        problems.append(Problem("ui.languages", "lists a language twice"))
    if cfg.ui.default_language not in cfg.ui.languages:
        problems.append(Problem("ui.default_language",
                                f"{cfg.ui.default_language!r} is not in ui.languages "
                                f"({', '.join(cfg.ui.languages)})"))


def check_floor_plan(cfg: KioskConfig, problems: list[Problem]) -> None:
    """The floor-plan checks (kiosk.wayfinding.checks), loaded only for a config that has a
    floor plan: a device without one starts without importing the route planner."""
    if cfg.wayfinding == WayfindingSection():
        return
    from kiosk.wayfinding.checks import check_wayfinding
    check_wayfinding(cfg, problems)


CHECKS = (check_languages, check_reasons, check_services, check_device_urls, check_printer_profile,
          check_floor_plan, check_help)
CHECKS_ON_REQUEST = (check_printer_target,)


def run_checks(cfg: KioskConfig, problems: list[Problem]) -> None:
    for check in CHECKS:
        check(cfg, problems)
