"""Cross-field config checks that need more than one key (or the catalogs).

Importing this module registers the checks with kiosk.config.VALIDATORS; other parts
(printer, services, floor plan) add their own in their modules the same way.
"""
from __future__ import annotations

from kiosk.config import VALIDATORS, KioskConfig, Problem
from kiosk.i18n import Translator, available_languages
import kiosk.ticket_checks  # noqa: E402,F401 - registers the services/printer checks
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


def check_reasons(cfg: KioskConfig, problems: list[Problem]) -> None:
    tr = Translator()
    langs = [lg for lg in cfg.ui.languages if lg in available_languages()]
    for kind in ("positive", "neutral", "negative"):
        reasons = getattr(cfg.feedback.reasons, kind)
        if len(set(reasons)) != len(reasons):
            problems.append(Problem(f"feedback.reasons.{kind}", "lists a reason twice"))
        for i, rid in enumerate(reasons):
            labels = cfg.feedback.reason_labels.get(rid, {})
            missing = [lg for lg in langs if not labels.get(lg) and not tr.has(f"reason.{rid}", lg)]
            if missing:
                problems.append(Problem(
                    f"feedback.reasons.{kind}[{i}]",
                    f"reason {rid!r} has no words in {', '.join(missing)}; add "
                    f"[feedback.reason_labels.{rid}] with {' and '.join(missing)} = \"...\""))


def check_floor_plan(cfg: KioskConfig, problems: list[Problem]) -> None:
    """The floor-plan checks (kiosk.wayfinding.checks), loaded only for a config that has a
    floor plan: a device without one starts without importing the route planner."""
    if cfg.wayfinding == WayfindingSection():
        return
    from kiosk.wayfinding.checks import check_wayfinding
    check_wayfinding(cfg, problems)


VALIDATORS.extend([check_languages, check_reasons, check_floor_plan])
