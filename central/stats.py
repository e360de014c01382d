"""Read side: JSON stats and CSV exports, for logged-in staff (see central.staff)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Iterator

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from starlette.exceptions import HTTPException

from central import aggregate, audit
from central.db import events
from central.staff import client_address, require_role

router = APIRouter(tags=["stats"], dependencies=[Depends(require_role("analyst"))],
                   responses={400: {"description": "bad filter"}, 401: {"description": "not logged in"},
                              403: {"description": "logged in without the analyst (or admin) role"}})

FROM_DOC = "First local day (YYYY-MM-DD), inclusive."
TO_DOC = "Last local day (YYYY-MM-DD), inclusive."
DEVICE_DOC = "Only this device."


def _day(v: str | None, name: str) -> dt.date | None:
    if v is None or v == "":
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise HTTPException(400, f"'{name}' must be a date like 2026-03-02, got {v[:40]!r}") from None


def filters(request: Request, start: str | None, end: str | None, device: str | None) -> aggregate.Filters:
    f = aggregate.Filters(_day(start, "from"), _day(end, "to"), device or None,
                          request.app.state.settings.timezone)
    if f.start and f.end and f.start > f.end:
        raise HTTPException(400, "'from' is after 'to'")
    if device is not None and len(device) > 64:
        raise HTTPException(400, "'device' is too long")
    return f


def json_response(doc: dict) -> Response:
    """A stats document as JSON, written by orjson: a year's tickets per day and hour are some
    10,000 objects, which FastAPI's own encoding walked for longer than the stats took."""
    return Response(orjson.dumps(doc), media_type="application/json")


@router.get("/api/v1/stats/feedback", summary="Satisfaction per day, week, answer and reason")
async def feedback(request: Request, start: str | None = Query(None, alias="from", description=FROM_DOC),
                   end: str | None = Query(None, alias="to", description=TO_DOC),
                   device: str | None = Query(None, description=DEVICE_DOC)) -> dict:
    f = filters(request, start, end, device)
    return json_response(await run_in_threadpool(aggregate.feedback_stats, request.app.state.engine, f))


@router.get("/api/v1/stats/tickets", summary="Tickets per service, day and hour; estimated waits")
async def tickets(request: Request, start: str | None = Query(None, alias="from", description=FROM_DOC),
                  end: str | None = Query(None, alias="to", description=TO_DOC),
                  device: str | None = Query(None, description=DEVICE_DOC)) -> dict:
    f = filters(request, start, end, device)
    return json_response(await run_in_threadpool(aggregate.ticket_stats, request.app.state.engine, f))


@router.get("/api/v1/devices", summary="Devices with their last heartbeat")
async def device_list(request: Request) -> list[dict]:
    return await run_in_threadpool(aggregate.device_table, request.app.state.engine,
                                   request.app.state.settings.stale_after_min)


def _csv(rows: Iterator[list]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in rows:
        w.writerow(row)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def _audit_export(request: Request, name: str) -> None:
    """An export is in the audit log: who, which file, with which filters."""
    user = getattr(request.state, "user", None)
    audit.write(request.app.state.engine, user.name if user else "-", "export", name,
                {k: v for k, v in request.query_params.items()} or None, client_address(request),
                request.app.state.settings.audit_days)


def _csv_response(rows: Iterator[list], name: str) -> StreamingResponse:
    return StreamingResponse(_csv(rows), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/api/v1/export/events.csv", summary="Every stored event as CSV (payload as JSON)")
def export_events(request: Request, start: str | None = Query(None, alias="from", description=FROM_DOC),
                  end: str | None = Query(None, alias="to", description=TO_DOC),
                  device: str | None = Query(None, description=DEVICE_DOC),
                  type: str | None = Query(None, description="Only this event type.")):  # noqa: A002
    f = filters(request, start, end, device)
    engine = request.app.state.engine
    lo, hi = f.utc_bounds()
    q = sa.select(events.c.id, events.c.device_id, events.c.seq, events.c.type, events.c.occurred_at,
                  events.c.effective_at, events.c.received_at, events.c.payload)
    if lo:
        q = q.where(events.c.effective_at >= lo)
    if hi:
        q = q.where(events.c.effective_at < hi)
    if f.device:
        q = q.where(events.c.device_id == f.device)
    if type:
        q = q.where(events.c.type == type)
    q = q.order_by(events.c.device_id, events.c.seq)
    _audit_export(request, "events.csv")

    def rows():
        yield ["id", "device_id", "seq", "type", "occurred_at", "effective_at", "received_at", "payload"]
        with engine.connect() as conn:
            for r in conn.execution_options(yield_per=2000).execute(q):
                yield [r.id, r.device_id, r.seq, r.type, aggregate._iso(r.occurred_at),
                       aggregate._iso(r.effective_at), aggregate._iso(r.received_at),
                       json.dumps(r.payload, ensure_ascii=False, sort_keys=True)]
    return _csv_response(rows(), "events.csv")


@router.get("/api/v1/export/daily.csv", summary="Daily aggregates (feedback and tickets) as CSV")
def export_daily(request: Request, start: str | None = Query(None, alias="from", description=FROM_DOC),
                 end: str | None = Query(None, alias="to", description=TO_DOC),
                 device: str | None = Query(None, description=DEVICE_DOC)):
    f = filters(request, start, end, device)
    engine = request.app.state.engine
    _audit_export(request, "daily.csv")
    fb = aggregate.feedback_stats(engine, f)
    tk = aggregate.ticket_stats(engine, f)
    per_day_tickets: dict[str, int] = {}
    for d in tk["days"]:
        per_day_tickets[d["day"]] = per_day_tickets.get(d["day"], 0) + d["tickets"]
    fb_days = {d["day"]: d for d in fb["days"]}

    def rows():
        yield ["day", "answers", "positive", "neutral", "negative", "positive_share", "average_score",
               "suppressed", "tickets"]
        for day in sorted(set(fb_days) | set(per_day_tickets)):
            d = fb_days.get(day, {})
            yield [day, d.get("answers", 0), d.get("positive", 0), d.get("neutral", 0), d.get("negative", 0),
                   "" if d.get("positive_share") is None else d["positive_share"],
                   "" if d.get("average_score") is None else d["average_score"],
                   d.get("suppressed", 0), per_day_tickets.get(day, 0)]
    return _csv_response(rows(), "daily.csv")
