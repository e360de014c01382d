"""Stats read from the roll-ups (central/rollup_tables.py, kept up to date at ingest by
central/rollups.py), so a year of events answers at once and SQLite and PostgreSQL give
identical answers (counts are summed in SQL, scores and shares worked out in Python).
Days are local days in the site zone (the roll-ups' zone, settings.timezone).
Ties (reasons of an answer with the same count, ended_by) are listed by name."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa

from central import waits as wait_stats
from central.db import devices, events, utcnow
from central.filters import Filters
from central.rollup_tables import in_period, rollup_events as re_, rollup_feedback as rf, \
    rollup_reasons as rr, rollup_tickets as rt


def fetch(engine: sa.Engine, types: list[str], f: Filters) -> list[tuple[dt.datetime, str, str, dict]]:
    """The raw events of `types` in the period (oldest first); the stats read the roll-ups."""
    lo, hi = f.utc_bounds()
    q = sa.select(events.c.effective_at, events.c.device_id, events.c.type, events.c.payload).where(
        events.c.type.in_(types))
    if lo:
        q = q.where(events.c.effective_at >= lo)
    if hi:
        q = q.where(events.c.effective_at < hi)
    if f.device:
        q = q.where(events.c.device_id == f.device)
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(q.order_by(events.c.effective_at))]


def _local(f: Filters, when: dt.datetime) -> dt.datetime:
    return when.replace(tzinfo=dt.timezone.utc).astimezone(f.zone)


def _week(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _sum(col) -> sa.ColumnElement:
    return sa.cast(sa.func.sum(col), sa.BigInteger)  # PostgreSQL's sum of bigint is numeric


class _Answers:
    """Answers counted by (answer, scale, sentiment): the summary of a day, a week or all."""

    def __init__(self):
        self.n = 0
        self.by: Counter = Counter()
        self.score = 0  # exact, in 1/2520ths (2520 = lcm(1..9), every scale - 1): the same in any order

    def add(self, answer: int, scale: int, sentiment: str, n: int) -> None:
        self.n += n
        self.by[sentiment] += n
        self.score += n * (scale - 1 + 4 * (answer - 1)) * (2520 // (scale - 1))  # 1..5 footing whatever the scale

    def summary(self, suppressed: int) -> dict:
        n, by = self.n, self.by
        return {"answers": n, "positive": by["positive"], "neutral": by["neutral"], "negative": by["negative"],
                "positive_share": round(by["positive"] / n, 4) if n else None,
                "average_score": round(self.score / (2520 * n), 3) if n else None,
                "suppressed": suppressed}


def feedback_stats(engine: sa.Engine, f: Filters) -> dict:
    qa = in_period(sa.select(rf.c.day, rf.c.answer, rf.c.scale, rf.c.sentiment, rf.c.ended_by, _sum(rf.c.n)), rf, f)
    qs = in_period(sa.select(re_.c.day, _sum(re_.c.n)).where(re_.c.type == "feedback.suppressed"), re_, f)
    qr = in_period(sa.select(rr.c.answer, rr.c.sentiment, rr.c.reason, _sum(rr.c.n)), rr, f)
    with engine.connect() as conn:
        answer_rows = conn.execute(qa.group_by(rf.c.day, rf.c.answer, rf.c.scale, rf.c.sentiment,
                                               rf.c.ended_by)).all()
        supp_day = {d: n for d, n in conn.execute(qs.group_by(re_.c.day))}
        reason_rows = conn.execute(qr.group_by(rr.c.answer, rr.c.sentiment, rr.c.reason)).all()
    per_day: dict[str, _Answers] = defaultdict(_Answers)
    weeks: dict[str, _Answers] = defaultdict(_Answers)
    total = _Answers()
    answer_count: Counter = Counter()
    ended: Counter = Counter()
    for day, answer, scale, sentiment, ended_by, n in answer_rows:
        for acc in (per_day[day], weeks[_week(dt.date.fromisoformat(day))], total):
            acc.add(answer, scale, sentiment, n)
        answer_count[answer] += n
        ended[ended_by] += n
    week_supp: Counter = Counter()
    for d, n in supp_day.items():
        week_supp[_week(dt.date.fromisoformat(d))] += n
        weeks[_week(dt.date.fromisoformat(d))]  # noqa: B018 - a week with suppressed answers only
    reasons: Counter = Counter()
    per_answer: dict[int, Counter] = defaultdict(Counter)
    for answer, sentiment, reason, n in reason_rows:
        reasons[(sentiment, reason)] += n
        per_answer[answer][reason] += n
    days = sorted(set(per_day) | set(supp_day))
    return {
        "filters": _filters(f),
        "total": total.summary(sum(supp_day.values())),
        "days": [{"day": d, **per_day[d].summary(supp_day.get(d, 0))} for d in days],
        "weeks": [{"week": w, **weeks[w].summary(week_supp[w])} for w in sorted(weeks)],
        "answers": [{"answer": a, "count": answer_count[a],
                     "reasons": dict(sorted(per_answer[a].items(), key=lambda kv: (-kv[1], kv[0])))}
                    for a in sorted(answer_count)],
        "reasons": [{"sentiment": s, "reason": r, "count": n}
                    for (s, r), n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))],
        "ended_by": dict(sorted(ended.items())),
    }


def ticket_stats(engine: sa.Engine, f: Filters) -> dict:
    qt = in_period(sa.select(rt.c.day, rt.c.hour, rt.c.service, _sum(rt.c.tickets), _sum(rt.c.appointments),
                          _sum(rt.c.est_n), sa.func.sum(rt.c.est_sum), sa.func.max(rt.c.est_max)), rt, f)
    qp = in_period(sa.select(re_.c.type, _sum(re_.c.n)).where(re_.c.type.in_(("ticket.printed", "ticket.print_failed"))),
                re_, f)
    with engine.connect() as conn:
        rows = conn.execute(qt.group_by(rt.c.day, rt.c.hour, rt.c.service)).all()
        prints = dict(conn.execute(qp.group_by(re_.c.type)).all())
    services: dict[str, dict] = {}
    hours: Counter = Counter()
    days: Counter = Counter()
    busiest: Counter = Counter()
    for day, hour, svc, n, appts, est_n, est_sum, est_max in rows:
        s = services.setdefault(svc, {"service": svc, "tickets": 0, "appointments": 0, "est": [0, 0.0, None]})
        s["tickets"] += n
        s["appointments"] += appts
        e = s["est"]
        e[0] += est_n
        e[1] += est_sum or 0.0
        if est_max is not None and (e[2] is None or est_max > e[2]):
            e[2] = est_max
        hours[(day, hour, svc)] += n
        days[(day, svc)] += n
        busiest[(dt.date.fromisoformat(day).isoweekday(), hour)] += n
    out_services = []
    for svc in sorted(services):
        s = services[svc]
        est_n, est_sum, est_max = s.pop("est")
        s["avg_estimated_wait_min"] = round(est_sum / est_n, 1) if est_n else None
        s["max_estimated_wait_min"] = est_max if est_n else None
        out_services.append(s)
    return {
        "filters": _filters(f),
        "total": {"tickets": sum(s["tickets"] for s in out_services), "printed": prints.get("ticket.printed", 0),
                  "print_failed": prints.get("ticket.print_failed", 0)},
        "services": out_services,
        "days": [{"day": d, "service": s, "tickets": n} for (d, s), n in sorted(days.items())],
        "hours": [{"day": d, "hour": h, "service": s, "tickets": n} for (d, h, s), n in sorted(hours.items())],
        "wait_by_hour": wait_stats.wait_by_hour(engine, f),
        # the heat map: tickets issued per ISO weekday (1 = Monday) and local hour, over the period
        "busiest_hours": [{"weekday": w, "hour": h, "tickets": n} for (w, h), n in sorted(busiest.items())],
    }


def device_table(engine: sa.Engine, stale_after_min: float) -> list[dict]:
    now = utcnow()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(devices.c.id, devices.c.last_seen_at, devices.c.heartbeat,
                                      devices.c.heartbeat_at).order_by(devices.c.id)).all()
    out = []
    for dev_id, seen, hb, hb_at in rows:
        hb = hb or {}
        age = (now - hb_at).total_seconds() / 60 if hb_at else None
        out.append({"device": dev_id, "last_seen_at": _iso(seen), "last_heartbeat_at": _iso(hb_at),
                    "heartbeat_age_min": round(age, 1) if age is not None else None,
                    "stale": age is None or age > stale_after_min,
                    "outbox_pending": hb.get("outbox_pending"), "printer": hb.get("printer_state"),
                    "set_aside": hb.get("outbox_set_aside"), "version": hb.get("app_version"),
                    "disk_free_mb": hb.get("disk_free_mb"), "under_voltage": hb.get("under_voltage")})
    return out


def _iso(t: dt.datetime | None) -> str | None:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t else None


def _filters(f: Filters) -> dict:
    return {"from": f.start.isoformat() if f.start else None, "to": f.end.isoformat() if f.end else None,
            "device": f.device, "timezone": f.tz}
