"""Desk pauses and the figures per desk and per service for analysts (docs/calling.md).

  pause(engine, "4", "lunch")        # the desk gets no "call next" until resume(engine, "4")
  figures(engine, lo, hi, now)        # served, service times, no-shows, paused minutes

A pause is one row in `desk_pauses` (start, end, reason; the end is null while it lasts).
A visit's service time here is its latest call to served (the visit at the desk that served
it; a transferred ticket's earlier visits are not in it). The 90th percentile is the nearest
rank (the smallest time that at least 90 % of the visits do not exceed).
`GET /api/v1/stats/desks` (role analyst) gives the figures of a range of local days.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from central import calling, queue
from central.db import desk_pauses as dp, queue_tickets as qt, utcnow
from central.filters import Filters
from central.staff import require_role


def current(conn: sa.Connection, desk: str):
    """The open pause of `desk` (a row) or None."""
    return conn.execute(sa.select(dp).where(dp.c.desk == desk, dp.c.ended_at.is_(None))).first()


def pause(engine: sa.Engine, desk: str, reason: str, now: dt.datetime | None = None) -> dict:
    """Start a pause; Conflict when the desk is paused already."""
    now = now or utcnow()
    with calling.transaction(engine) as conn:
        calling.serialize(conn)
        open_ = current(conn, desk)
        if open_ is not None:
            raise calling.Conflict(f"desk {desk} is paused already ({open_.reason})")
        conn.execute(dp.insert().values(desk=desk, reason=reason, started_at=now))
        return state(conn, desk)


def resume(engine: sa.Engine, desk: str, now: dt.datetime | None = None) -> dict:
    """End the desk's pause; Conflict when it is not paused."""
    now = now or utcnow()
    with calling.transaction(engine) as conn:
        calling.serialize(conn)
        done = conn.execute(dp.update().where(dp.c.desk == desk, dp.c.ended_at.is_(None))
                            .values(ended_at=now)).rowcount
        if not done:
            raise calling.Conflict(f"desk {desk} is not paused")
        return state(conn, desk)


def state(conn: sa.Connection, desk: str) -> dict:
    """{"desk", "paused", "reason", "since"} for the desk page."""
    p = current(conn, desk)
    return {"desk": desk, "paused": p is not None, "reason": p.reason if p else None,
            "since": queue.iso(p.started_at) if p else None}


# -- figures ---------------------------------------------------------------------------------

class Figures(BaseModel):
    served: int = Field(description="Tickets served.")
    avg_service_min: float | None = Field(description="Average minutes from the latest call to served.")
    p90_service_min: float | None = Field(description="90th percentile of the same (nearest rank).")
    no_shows: int = Field(description="Tickets marked no-show.")
    paused_min: float = Field(description="Minutes paused within the range (a pause still going counts "
                                          "up to now). Per service: always 0 (a pause is a desk's).")


class DeskFigures(BaseModel):
    start: str | None = Field(description="First local day, as asked.", alias="from")
    end: str | None = Field(description="Last local day, as asked.", alias="to")
    desks: dict[str, Figures] = Field(description="Per desk (the desk that served or marked the no-show).")
    services: dict[str, Figures] = Field(description="Per service (after any transfer: the service served).")


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(p * len(v)) - 1)]


def _service_s(dialect: str) -> sa.ColumnElement:
    """Seconds from the latest call to finished, as SQL (null without both)."""
    if dialect == "postgresql":
        return sa.cast(sa.extract("epoch", qt.c.finished_at - qt.c.called_at), sa.Float)
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff": whole seconds, then the fractions
    whole = sa.func.strftime("%s", qt.c.finished_at) - sa.func.strftime("%s", qt.c.called_at)
    return sa.cast(whole, sa.Float) + (sa.cast(sa.func.substr(qt.c.finished_at, 20), sa.Float)
                                       - sa.cast(sa.func.substr(qt.c.called_at, 20), sa.Float))


def figures(engine: sa.Engine, lo: dt.datetime | None, hi: dt.datetime | None,
            now: dt.datetime | None = None) -> dict:
    """Per desk and per service, for tickets finished (and pause time) within [lo, hi).
    Counted in SQL (a year of tickets answers at once): sums per desk and service, and the
    90th percentile as the row of nearest rank, ceil(0.9 n) = (9 n + 9) // 10, of each."""
    now = now or utcnow()
    secs = _service_s(engine.dialect.name)
    minutes = sa.case((secs < 0, 0.0), else_=secs) / 60.0
    base = sa.select(sa.func.coalesce(qt.c.desk, "-").label("desk"), qt.c.service, qt.c.state,
                     minutes.label("m")).where(qt.c.state.in_(("served", "no_show")))
    p = sa.select(dp.c.desk, dp.c.started_at, dp.c.ended_at)
    if lo is not None:
        base, p = base.where(qt.c.finished_at >= lo), p.where(sa.or_(dp.c.ended_at.is_(None), dp.c.ended_at > lo))
    if hi is not None:
        base, p = base.where(qt.c.finished_at < hi), p.where(dp.c.started_at < hi)
    v = base.subquery()
    served = sa.and_(v.c.state == "served", v.c.m.is_not(None))
    sums: dict[tuple, list] = {}
    p90: dict[tuple, float] = {}
    paused: dict[str, float] = defaultdict(float)
    with engine.connect() as conn:
        for kind, col in (("d", v.c.desk), ("s", v.c.service)):
            q = sa.select(col, sa.cast(sa.func.sum(sa.case((v.c.state == "no_show", 1), else_=0)), sa.BigInteger),
                          sa.cast(sa.func.sum(sa.case((served, 1), else_=0)), sa.BigInteger),
                          sa.func.sum(sa.case((served, v.c.m), else_=None))).group_by(col)
            for name, missed, n, total in conn.execute(q):
                sums[(kind, name)] = [n, total, missed]
            ranked = sa.select(col.label("k"), v.c.m, sa.func.row_number().over(partition_by=col, order_by=v.c.m)
                               .label("rn"), sa.func.count().over(partition_by=col).label("c")).where(served).subquery()
            for name, m in conn.execute(sa.select(ranked.c.k, ranked.c.m).where(
                    ranked.c.rn == (9 * ranked.c.c + 9) // 10)):
                p90[(kind, name)] = m
        for desk, start, end in conn.execute(p):
            a = max(start, lo) if lo is not None else start
            b = min(end or now, hi) if hi is not None else (end or now)
            paused[desk] += max(0.0, (b - a).total_seconds())
    keys = set(sums) | {("d", d) for d in paused}
    out: dict[str, dict] = {"desks": {}, "services": {}}
    for kind, name in sorted(keys):
        n, total, missed = sums.get((kind, name), (0, None, 0))
        out["desks" if kind == "d" else "services"][name] = {
            "served": n, "avg_service_min": round(total / n, 2) if n else None,
            "p90_service_min": round(p90[(kind, name)], 2) if n else None, "no_shows": missed,
            "paused_min": round((paused.get(name, 0.0) if kind == "d" else 0.0) / 60, 1)}
    return out


router = APIRouter(tags=["stats"], dependencies=[Depends(require_role("analyst"))],
                   responses={400: {"description": "bad filter"}, 401: {"description": "not logged in"},
                              403: {"description": "logged in without the analyst (or admin) role"}})


def _day(v: str | None, name: str) -> dt.date | None:
    if not v:
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise HTTPException(400, f"'{name}' must be a date like 2026-03-02, got {v[:40]!r}") from None


@router.get("/api/v1/stats/desks", response_model=DeskFigures, response_model_by_alias=True,
            summary="Per desk and per service: served, service times, no-shows, paused minutes")
async def desk_figures(request: Request,
                       start: str | None = Query(None, alias="from", description="First local day (YYYY-MM-DD), inclusive."),
                       end: str | None = Query(None, alias="to", description="Last local day (YYYY-MM-DD), inclusive.")):
    f = Filters(_day(start, "from"), _day(end, "to"), None, request.app.state.settings.queue.timezone)
    if f.start and f.end and f.start > f.end:
        raise HTTPException(400, "'from' is after 'to'")
    lo, hi = f.utc_bounds()
    doc = await run_in_threadpool(figures, request.app.state.engine, lo, hi)
    return {"from": start or None, "to": end or None, **doc}
