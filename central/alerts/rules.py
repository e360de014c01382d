"""The alert rules: what holds at `now` (naive UTC). Each rule returns the conditions that hold,
one per subject; a condition's key (rule:subject) is what fires once until it clears.

  negative_share  pillar answers (feedback.given events) and phone answers (phone_feedback) in the
                  last negative_window_min: the negative share above negative_share_max, with at
                  least min_answers answers; the detail names the top 3 reasons of the negatives
  average_low     the same answers over average_window_min, on a 1..5 footing: the average below
                  average_min (0: off), with at least min_answers answers
  wait            per service, the longest real wait of today's tickets (still waiting: until now;
                  first called in the last 30 minutes: until that call) above wait_max_min (0: off)
  device_offline  a device that has sent a heartbeat, is not revoked and sent none for
                  stale_after_min (one never seen is not installed yet: no alert)
  paper_out       a device whose last heartbeat reports printer_state "paper_out"
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from central import i18n
from central.db import devices, events, queue_tickets as qt
from central.insight_tables import phone_feedback
from central.phone_feedback import score
from central.queue import today
from central.settings import CentralSettings

RULES = ("negative_share", "average_low", "wait", "device_offline", "paper_out")
CALLED_WITHIN = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Condition:
    rule: str
    subject: str
    detail: dict = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.subject}"


def text(lang: str, rule: str, subject: str, detail: dict) -> str:
    """The alert's sentence in `lang` (msgid alerts.msg.<rule>; detail fills the placeholders)."""
    reasons = ", ".join(f"{r} ({n})" for r, n in detail.get("top_reasons", [])) or "-"
    return i18n.t(lang, f"alerts.msg.{rule}", subject=subject, reasons=reasons,
                  **{k: v for k, v in detail.items() if k != "top_reasons"})


def answers(engine: sa.Engine, since: dt.datetime, until: dt.datetime) -> list[tuple[int, int, str, list]]:
    """(answer, scale, sentiment, reasons) of pillar and phone answers in [since, until)."""
    out = []
    q = sa.select(events.c.payload).where(events.c.type == "feedback.given", events.c.effective_at >= since,
                                          events.c.effective_at < until)
    p = sa.select(phone_feedback.c.answer, phone_feedback.c.scale, phone_feedback.c.sentiment,
                  phone_feedback.c.reasons).where(phone_feedback.c.at >= since, phone_feedback.c.at < until)
    with engine.connect() as conn:
        for (pl,) in conn.execute(q):
            try:
                out.append((int(pl["answer"]), int(pl["scale"]), str(pl["sentiment"]), list(pl.get("reasons") or [])))
            except (KeyError, TypeError, ValueError):
                continue  # ingest checks payloads; an odd old one is not counted
        out.extend((a, s, se, list(r or [])) for a, s, se, r in conn.execute(p))
    return out


def negative_share(engine: sa.Engine, cfg: CentralSettings, now: dt.datetime) -> list[Condition]:
    a = cfg.alerts
    got = answers(engine, now - dt.timedelta(minutes=a.negative_window_min), now)
    neg = [x for x in got if x[2] == "negative"]
    if len(got) < a.min_answers or len(neg) / len(got) <= a.negative_share_max:
        return []
    top = Counter(r for x in neg for r in dict.fromkeys(x[3])).most_common()
    top = sorted(top, key=lambda rn: (-rn[1], rn[0]))[:3]
    return [Condition("negative_share", "all", {
        "share": f"{100 * len(neg) / len(got):.0f}%", "negative": len(neg), "answers": len(got),
        "window": f"{a.negative_window_min:g}", "max": f"{100 * a.negative_share_max:.0f}%",
        "top_reasons": [[r, n] for r, n in top]})]


def average_low(engine: sa.Engine, cfg: CentralSettings, now: dt.datetime) -> list[Condition]:
    a = cfg.alerts
    if a.average_min <= 0:
        return []
    got = [x for x in answers(engine, now - dt.timedelta(minutes=a.average_window_min), now) if x[1] > 1]
    if len(got) < a.min_answers:
        return []
    avg = sum(score(x[0], x[1]) for x in got) / len(got)
    if avg >= a.average_min:
        return []
    return [Condition("average_low", "all", {"average": f"{avg:.2f}", "answers": len(got),
                                             "window": f"{a.average_window_min:g}", "min": f"{a.average_min:g}"})]


def long_waits(engine: sa.Engine, cfg: CentralSettings, now: dt.datetime) -> list[Condition]:
    a = cfg.alerts
    if a.wait_max_min <= 0:
        return []
    _day, lo, hi = today(cfg.queue.timezone, now)
    q = sa.select(qt.c.service, qt.c.state, qt.c.issued_at, qt.c.first_called_at).where(
        qt.c.issued_at >= lo, qt.c.issued_at < hi,
        sa.or_(qt.c.state == "waiting", qt.c.first_called_at >= now - CALLED_WITHIN))
    longest: dict[str, float] = {}
    with engine.connect() as conn:
        for svc, state, issued, called in conn.execute(q):
            if called is not None:  # its real wait ended at the first call (counted for 30 minutes)
                end = called if now - CALLED_WITHIN <= called <= now else None
            else:
                end = now if state == "waiting" else None
            if end is None:
                continue
            longest[svc] = max(longest.get(svc, 0.0), (end - issued).total_seconds() / 60)
    return [Condition("wait", svc, {"wait": f"{m:.0f}", "max": f"{a.wait_max_min:g}"})
            for svc, m in sorted(longest.items()) if m > a.wait_max_min]


def device_problems(engine: sa.Engine, cfg: CentralSettings, now: dt.datetime) -> list[Condition]:
    a = cfg.alerts
    if not (a.device_offline or a.paper_out):
        return []
    with engine.connect() as conn:
        rows = conn.execute(sa.select(devices.c.id, devices.c.heartbeat, devices.c.heartbeat_at).where(
            devices.c.revoked_at.is_(None), devices.c.heartbeat_at.is_not(None)).order_by(devices.c.id)).all()
    out = []
    for dev, hb, at in rows:
        age = (now - at).total_seconds() / 60
        if a.device_offline and age > cfg.stale_after_min:
            out.append(Condition("device_offline", dev, {"minutes": f"{age:.0f}",
                                                         "max": f"{cfg.stale_after_min:g}"}))
        if a.paper_out and isinstance(hb, dict) and hb.get("printer_state") == "paper_out":
            out.append(Condition("paper_out", dev, {}))
    return out


def conditions(engine: sa.Engine, cfg: CentralSettings, now: dt.datetime) -> list[Condition]:
    """Every condition that holds at `now`."""
    out: list[Condition] = []
    for rule in (negative_share, average_low, long_waits, device_problems):
        out.extend(rule(engine, cfg, now))
    return out
