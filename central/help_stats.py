"""Help calls on the dashboard and as CSV (issue #18): calls per screen, per kiosk and per
hour of the day, how long until a host came (median and average), and how many were missed.
Read from `help_calls` (central.help_calls) in Python, so SQLite and PostgreSQL agree.

    GET /api/v1/stats/help      the figures as JSON (analyst)
    GET /api/v1/export/help.csv one line per call (analyst; in the audit log like every export)
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Iterator

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from central import aggregate, stats
from central.filters import Filters
from central.help_calls import help_calls
from central.staff import require_role

router = APIRouter(tags=["stats"], dependencies=[Depends(require_role("analyst"))],
                   responses={400: {"description": "bad filter"}, 401: {"description": "not logged in"},
                              403: {"description": "logged in without the analyst (or admin) role"}})


def fetch(engine: sa.Engine, f: Filters) -> list:
    lo, hi = f.utc_bounds()
    q = sa.select(help_calls)
    if lo:
        q = q.where(help_calls.c.requested_at >= lo)
    if hi:
        q = q.where(help_calls.c.requested_at < hi)
    if f.device:
        q = q.where(help_calls.c.device_id == f.device)
    with engine.connect() as conn:
        return conn.execute(q.order_by(help_calls.c.requested_at, help_calls.c.id)).all()


def _came_s(r) -> float | None:
    """Seconds from the call until a host said they were coming (None: nobody did)."""
    return None if r.taken_at is None else max(0.0, (r.taken_at - r.requested_at).total_seconds())


def _group(key: str, value, rows: list) -> dict:
    came = [s for s in (_came_s(r) for r in rows) if s is not None]
    return {key: value, "calls": len(rows), "came": len(came),
            "missed": sum(1 for r in rows if r.state == "missed"),
            "cancelled": sum(1 for r in rows if r.state == "cancelled"),
            "median_came_s": round(statistics.median(came), 1) if came else None,
            "avg_came_s": round(sum(came) / len(came), 1) if came else None}


def help_stats(engine: sa.Engine, f: Filters) -> dict:
    rows = fetch(engine, f)
    by: dict[str, dict] = {"screen": defaultdict(list), "device": defaultdict(list), "hour": defaultdict(list)}
    for r in rows:
        by["screen"][r.screen].append(r)
        by["device"][r.device_id].append(r)
        by["hour"][aggregate._local(f, r.requested_at).hour].append(r)
    return {"total": _group("all", None, rows),
            "screens": [_group("screen", k, v) for k, v in sorted(by["screen"].items())],
            "devices": [_group("device", k, v) for k, v in sorted(by["device"].items())],
            "hours": [_group("hour", k, v) for k, v in sorted(by["hour"].items())]}


@router.get("/api/v1/stats/help", summary="Help calls per screen, kiosk and hour; time until a host came")
async def help_json(request: Request, start: str | None = Query(None, alias="from", description=stats.FROM_DOC),
                    end: str | None = Query(None, alias="to", description=stats.TO_DOC),
                    device: str | None = Query(None, description=stats.DEVICE_DOC)) -> dict:
    f = stats.filters(request, start, end, device)
    return stats.json_response(await run_in_threadpool(help_stats, request.app.state.engine, f))


CSV_HEAD = ["call_id", "device_id", "place", "screen", "lang", "offline", "requested_at", "state", "host",
            "taken_at", "closed_at", "came_after_s"]


@router.get("/api/v1/export/help.csv", summary="Every help call as CSV (one line per call)")
def export_help(request: Request, start: str | None = Query(None, alias="from", description=stats.FROM_DOC),
                end: str | None = Query(None, alias="to", description=stats.TO_DOC),
                device: str | None = Query(None, description=stats.DEVICE_DOC)):
    f = stats.filters(request, start, end, device)
    engine = request.app.state.engine
    stats._audit_export(request, "help.csv")

    def rows() -> Iterator[list]:
        yield CSV_HEAD
        for r in fetch(engine, f):
            came = _came_s(r)
            yield [_cell(r.call_id), r.device_id, _cell(r.place), _cell(r.screen), r.lang or "", str(bool(r.offline)).lower(),
                   aggregate._iso(r.requested_at), r.state, _cell(r.host or ""), aggregate._iso(r.taken_at) or "",
                   aggregate._iso(r.closed_at) or "", "" if came is None else round(came, 1)]
    return stats._csv_response(rows(), "help.csv")


def _cell(v: str) -> str:
    from central.audit import _cell as cell
    return cell(v)
