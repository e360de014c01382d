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

from central import calling, desk_days, queue
from central.db import desk_pauses as dp, utcnow
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


def figures(engine: sa.Engine, lo: dt.datetime | None, hi: dt.datetime | None,
            now: dt.datetime | None = None, zone: str | None = None) -> dict:
    """Per desk and per service, for tickets finished (and pause time) within [lo, hi).
    `zone`: the zone of the local days asked for; whole closed days are then read from the
    kept figures (central/desk_days.py), which give the same numbers, only sooner."""
    now = now or utcnow()
    groups = desk_days.groups(engine, lo, hi, zone, now)
    p = sa.select(dp.c.desk, dp.c.started_at, dp.c.ended_at)
    if lo is not None:
        p = p.where(sa.or_(dp.c.ended_at.is_(None), dp.c.ended_at > lo))
    if hi is not None:
        p = p.where(dp.c.started_at < hi)
    paused: dict[str, float] = defaultdict(float)
    with engine.connect() as conn:
        for desk, start, end in conn.execute(p):
            a = max(start, lo) if lo is not None else start
            b = min(end or now, hi) if hi is not None else (end or now)
            paused[desk] += max(0.0, (b - a).total_seconds())
    keys = set(groups) | {("d", d) for d in paused}
    out: dict[str, dict] = {"desks": {}, "services": {}}
    for kind, name in sorted(keys):
        g = groups.get((kind, name)) or desk_days.Group()
        p90 = g.nearest_rank(0.9)
        out["desks" if kind == "d" else "services"][name] = {
            "served": g.served, "avg_service_min": round(g.total / g.served, 2) if g.served else None,
            "p90_service_min": None if p90 is None else round(p90, 2), "no_shows": g.no_shows,
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
    doc = await run_in_threadpool(figures, request.app.state.engine, lo, hi, None, f.tz)
    return {"from": start or None, "to": end or None, **doc}
