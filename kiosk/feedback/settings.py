"""The [feedback] config section: the smiley scale, timing and the reasons offered.

Plugged into KioskConfig in kiosk/config/model.py. The check that every reason has words in
every offered language is kiosk/feedback/checks.py.
"""
from __future__ import annotations

from common.schema import section, setting

REASON_IDS_DEFAULT_POSITIVE = ["friendliness", "clarity", "result", "waiting_time"]
REASON_IDS_DEFAULT_NEUTRAL = ["waiting_time", "friendliness", "clarity", "result", "opening_hours"]
REASON_IDS_DEFAULT_NEGATIVE = ["waiting_time", "friendliness", "clarity", "result", "opening_hours",
                               "building"]


@section
class FeedbackReasons:
    positive: list[str] = setting(REASON_IDS_DEFAULT_POSITIVE,
                                  "Reasons offered after a positive answer.", nonempty=True)
    neutral: list[str] = setting(REASON_IDS_DEFAULT_NEUTRAL,
                                 "Reasons offered after a neutral answer.", nonempty=True)
    negative: list[str] = setting(REASON_IDS_DEFAULT_NEGATIVE,
                                  "Reasons offered after a negative answer.", nonempty=True)


@section
class FeedbackSection:
    scale: int = setting(5, "Number of smileys: 3, 4 or 5.", min=3, max=5)
    best_first: bool = setting(True, "Show the happiest face first (left or top).")
    response_interval_s: float = setting(5.0, "Answers within this many seconds of an accepted "
                                         "answer are counted as suppressed, not as answers.",
                                         min=0, max=120)
    thanks_s: float = setting(3.0, "How long the thank-you screen stays.", min=0.5, max=30)
    reasons: FeedbackReasons = setting(FeedbackReasons, "Reason lists per kind of answer.")
    reason_labels: dict[str, dict[str, str]] = setting(
        {}, "Words for reasons the catalogs do not know: reason id -> language -> text, "
            "e.g. [feedback.reason_labels.parking] nl = \"Parkeren\".")
