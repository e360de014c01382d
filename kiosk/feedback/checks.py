"""Cross-field config check of the feedback pillar: every reason has words in every offered
language (from the catalogs or [feedback.reason_labels])."""
from __future__ import annotations

from kiosk.config import KioskConfig, Problem
from kiosk.i18n import Translator, available_languages


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
