"""The satisfaction question on the mobile ticket page after service (docs/insight.md).

When a ticket is served, its page /t/<token> asks the pillar's question with the pillar's scale
and reasons (`[central.feedback]`, by default the pillars' defaults). Without JavaScript:
a smiley is a GET of the same page with `?answer=N` (nothing stored yet), which shows the
reasons for that kind of answer; "Done" or "Skip" POSTs /t/<token>/feedback and stores the
answer. The token is the capability (as for the page itself): no login, no cookie, no CSRF
token needed, since a forged POST could only answer for a ticket whose token it already has.
One answer per ticket: the ticket's id goes into phone_feedback_answered in the same
transaction; a second answer is refused ("already answered").

Stored anonymously (central/insight_tables.py): the service, the real wait (first call - issue)
and the service time (finished - first call) in minutes to one decimal, answer, scale,
sentiment, reasons, the site-local day and hour, and the time to 10 minutes. Not the token,
the label, the device or the ticket's id.
"""
from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import sqlalchemy as sa

from central import i18n, ticket_view
from central.db import utcnow
from central.insight_tables import phone_feedback, phone_feedback_answered
from central.settings import FeedbackSettings, QueueSettings

# Answer words per scale, worst first (as the pillar's kiosk/feedback/flow.py); msgid feedback.answer.<word>
ANSWER_WORDS = {
    3: ("bad", "neutral", "good"),
    4: ("very_bad", "bad", "good", "very_good"),
    5: ("very_bad", "bad", "neutral", "good", "very_good"),
}
FACES = {"very_bad": "\U0001F61E", "bad": "\U0001F61F", "neutral": "\U0001F610", "good": "\U0001F60A",
         "very_good": "\U0001F600"}
MAX_REASONS = 20

STORED, ALREADY, NOT_SERVED, UNKNOWN, INVALID = "stored", "already", "not_served", "unknown", "invalid"


def sentiment(answer: int, scale: int) -> str:
    word = ANSWER_WORDS[scale][answer - 1]
    return "positive" if word in ("good", "very_good") else "neutral" if word == "neutral" else "negative"


def score(answer: int, scale: int) -> float:
    """An answer on the 1..5 footing whatever the scale (1 = worst), as the dashboard's figures
    (central/aggregate.py counts the same exactly, in integers)."""
    return 1 + 4 * (answer - 1) / (scale - 1)


def reasons_for(fs: FeedbackSettings, kind: str) -> list[str]:
    return list(getattr(fs.reasons, kind))


def reason_text(fs: FeedbackSettings, lang: str, reason: str) -> str:
    """A reason's words: the visitor catalogs' `reason.<id>` (the pillar's ids), else
    `reason_labels` in this language, Dutch or English, else the id itself."""
    msgid = f"reason.{reason}"
    text = i18n.visitor_t(lang, msgid)
    if text != msgid:
        return text
    labels = fs.reason_labels.get(reason, {})
    return labels.get(lang) or labels.get("nl") or labels.get("en") or reason


def question(fs: FeedbackSettings, lang: str, query: str, answer_raw: str | None) -> dict:
    """What templates/_phone_question.html shows: the smileys (each a link to this page with
    `?answer=N`; `query` is the rest of the address to keep, e.g. "lang=en&") and, once one is
    chosen, the reasons offered for its kind."""
    answer = parse_answer(fs, answer_raw)
    faces = [{"n": i, "face": FACES[w], "text": i18n.visitor_t(lang, f"feedback.answer.{w}"),
              "href": f"?{query}answer={i}", "chosen": i == answer}
             for i, w in enumerate(ANSWER_WORDS[fs.scale], start=1)]
    kind = sentiment(answer, fs.scale) if answer else None
    reasons = [{"id": r, "text": reason_text(fs, lang, r)} for r in reasons_for(fs, kind)] if kind else []
    return {"state": "ask", "faces": faces, "answer": answer, "kind": kind, "reasons": reasons}


def parse_answer(fs: FeedbackSettings, raw: str | None) -> int | None:
    """A smiley's number 1..scale from a form or address, else None."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 2:
        return None
    n = int(raw)
    return n if 1 <= n <= fs.scale else None


def answered(engine: sa.Engine, qs: QueueSettings, token: str, now: dt.datetime | None = None) -> bool:
    """Whether the (valid) ticket of `token` has answered already."""
    with engine.connect() as conn:
        row = ticket_view.find(conn, qs, token, now or utcnow())
        return row is not None and conn.execute(sa.select(phone_feedback_answered.c.ticket_id).where(
            phone_feedback_answered.c.ticket_id == row.id)).first() is not None


def _minutes(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    return None if a is None or b is None else round(max(0.0, (b - a).total_seconds()) / 60, 1)


def record(engine: sa.Engine, qs: QueueSettings, fs: FeedbackSettings, token: str, answer: int | None,
           reasons: list[str], now: dt.datetime | None = None) -> str:
    """Store one answer for the ticket of `token`: STORED, ALREADY (answered before), NOT_SERVED,
    UNKNOWN (malformed, unknown or expired token) or INVALID (no answer on the scale). Reasons
    not offered for the answer's kind are dropped."""
    now = now or utcnow()
    with engine.begin() as conn:
        row = ticket_view.find(conn, qs, token, now)
        if row is None:
            return UNKNOWN
        if row.state != "served":
            return NOT_SERVED
        if answer is None or not 1 <= answer <= fs.scale:
            return INVALID
        kind = sentiment(answer, fs.scale)
        offered = reasons_for(fs, kind)
        chosen = [r for r in dict.fromkeys(reasons) if r in offered][:MAX_REASONS]
        local = now.replace(tzinfo=dt.timezone.utc).astimezone(zoneinfo.ZoneInfo(qs.timezone))
        try:
            with conn.begin_nested():
                conn.execute(phone_feedback_answered.insert().values(ticket_id=row.id))
        except sa.exc.IntegrityError:
            return ALREADY
        conn.execute(phone_feedback.insert().values(
            id=str(uuid.uuid4()), at=now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0),
            day=local.date().isoformat(), hour=local.hour, service=row.service,
            real_wait_min=_minutes(row.issued_at, row.first_called_at),
            service_min=_minutes(row.first_called_at, row.finished_at),
            answer=answer, scale=fs.scale, sentiment=kind, reasons=chosen))
    return STORED
