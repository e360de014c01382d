"""Stats from stored events, computed in Python from one indexed range query per type,
so SQLite and PostgreSQL give identical answers. Days are local days in the site zone."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa

from central import waits as wait_stats
from central.db import devices, events, utcnow
from central.filters import Filters


def fetch(engine: sa.Engine, types: list[str], f: Filters) -> list[tuple[dt.datetime, str, str, dict]]:
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


def _score(p: dict) -> float:
    """Answer on a 1..5 footing whatever the scale (1 = worst)."""
    return 1 + 4 * (p["answer"] - 1) / (p["scale"] - 1)


def _summary(answers: list[dict], suppressed: int) -> dict:
    n = len(answers)
    by = Counter(a["sentiment"] for a in answers)
    return {"answers": n, "positive": by["positive"], "neutral": by["neutral"], "negative": by["negative"],
            "positive_share": round(by["positive"] / n, 4) if n else None,
            "average_score": round(sum(_score(a) for a in answers) / n, 3) if n else None,
            "suppressed": suppressed}


def feedback_stats(engine: sa.Engine, f: Filters) -> dict:
    rows = fetch(engine, ["feedback.given", "feedback.suppressed"], f)
    per_day: dict[dt.date, list[dict]] = defaultdict(list)
    supp_day: Counter = Counter()
    reasons: Counter = Counter()
    per_answer: dict[int, Counter] = defaultdict(Counter)
    answer_count: Counter = Counter()
    ended: Counter = Counter()
    for when, _dev, type_, p in rows:
        day = _local(f, when).date()
        if type_ == "feedback.suppressed":
            supp_day[day] += 1
            continue
        per_day[day].append(p)
        answer_count[p["answer"]] += 1
        ended[str(p.get("ended_by", "unknown"))] += 1
        for r in p.get("reasons") or []:
            reasons[(p["sentiment"], r)] += 1
            per_answer[p["answer"]][r] += 1
    days = sorted(set(per_day) | set(supp_day))
    weeks: dict[str, list] = defaultdict(list)
    week_supp: Counter = Counter()
    for d in days:
        weeks[_week(d)].extend(per_day.get(d, []))
        week_supp[_week(d)] += supp_day.get(d, 0)
    all_answers = [a for d in days for a in per_day.get(d, [])]
    return {
        "filters": _filters(f),
        "total": _summary(all_answers, sum(supp_day.values())),
        "days": [{"day": d.isoformat(), **_summary(per_day.get(d, []), supp_day.get(d, 0))} for d in days],
        "weeks": [{"week": w, **_summary(weeks[w], week_supp[w])} for w in sorted(weeks)],
        "answers": [{"answer": a, "count": answer_count[a],
                     "reasons": dict(per_answer[a].most_common())} for a in sorted(answer_count)],
        "reasons": [{"sentiment": s, "reason": r, "count": n}
                    for (s, r), n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))],
        "ended_by": dict(ended),
    }


def ticket_stats(engine: sa.Engine, f: Filters) -> dict:
    rows = fetch(engine, ["ticket.issued", "ticket.printed", "ticket.print_failed"], f)
    services: dict[str, dict] = {}
    hours: Counter = Counter()
    days: Counter = Counter()
    printed = failed = 0
    for when, _dev, type_, p in rows:
        if type_ == "ticket.printed":
            printed += 1
            continue
        if type_ == "ticket.print_failed":
            failed += 1
            continue
        local = _local(f, when)
        svc = p["service"]
        s = services.setdefault(svc, {"service": svc, "tickets": 0, "appointments": 0, "waits": []})
        s["tickets"] += 1
        s["appointments"] += 1 if p.get("appointment") is True else 0
        if p.get("estimated_wait_min"):
            s["waits"].append(sum(p["estimated_wait_min"]) / 2)
        hours[(local.date(), local.hour, svc)] += 1
        days[(local.date(), svc)] += 1
    out_services = []
    for svc in sorted(services):
        s = services[svc]
        waits = s.pop("waits")
        s["avg_estimated_wait_min"] = round(sum(waits) / len(waits), 1) if waits else None
        s["max_estimated_wait_min"] = max(waits) if waits else None
        out_services.append(s)
    return {
        "filters": _filters(f),
        "total": {"tickets": sum(s["tickets"] for s in out_services), "printed": printed,
                  "print_failed": failed},
        "services": out_services,
        "days": [{"day": d.isoformat(), "service": s, "tickets": n} for (d, s), n in sorted(days.items())],
        "hours": [{"day": d.isoformat(), "hour": h, "service": s, "tickets": n}
                  for (d, h, s), n in sorted(hours.items())],
        "wait_by_hour": wait_stats.wait_by_hour(engine, f),
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
