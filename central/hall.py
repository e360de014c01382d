"""`GET /api/v1/queue`: what the hall display and the ticket kiosks read (docs/calling.md).

Any registered device may read it (Bearer device token, as for POST /api/v1/events).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from central import auth, help_calls, queue
from central.auth import bearer
from central.db import queue_calls as qc, queue_desks, queue_tickets as qt, utcnow
from central.settings import QueueSettings

router = APIRouter(tags=["devices"])

LATEST = 10        # calls without `since`
MOST = 50          # calls with `since` (the newest ones)
SERVICE_WINDOW = dt.timedelta(hours=2)
DESK_WINDOW = dt.timedelta(minutes=30)


class ServiceState(BaseModel):
    waiting: int = Field(description="Tickets of today waiting to be called.")
    est_wait_min: list[int] = Field(description="[low, high] whole minutes a ticket taken now can expect.")
    desks: int = Field(description="Desks that called for this service in the last 30 minutes.")


class Call(BaseModel):
    call_id: int = Field(description="Only grows; pass the largest seen as `since`.")
    ticket: str = Field(description="The ticket's label, e.g. A012.")
    service: str
    desk: str = Field(description="The desk's name as staff typed it.")
    lang: str | None = Field(description="The ticket's language.")
    called_at: str = Field(description="RFC 3339, UTC.")
    recall: bool = Field(description="True when the same ticket was called again.")


class HelpCall(BaseModel):
    id: str = Field(description="The call's id, made by the kiosk (help.requested's call_id).")
    device: str = Field(description="The kiosk that made it; a kiosk looks only at its own calls.")
    state: str = Field(description="open, coming, done, cancelled or missed.")
    host: str = Field(description="The user name of the host who is coming, or empty.")


class Transfer(BaseModel):
    call_id: int = Field(description="From the same sequence as the calls' call_id (pass the largest seen as `since`).")
    ticket: str = Field(description="The ticket's label, unchanged by the transfer.")
    service: str = Field(description="The service whose queue it joined.")
    desk: str = Field(description="The one desk that will call it, or \"\" when any desk of the service may.")
    lang: str | None = Field(description="The ticket's language.")
    called_at: str = Field(description="When it was transferred, RFC 3339, UTC.")


class QueueState(BaseModel):
    server_time: str
    services: dict[str, ServiceState]
    calls: list[Call] = Field(description="Ordered by call_id ascending.")
    help: list[HelpCall] = Field([], description="Today's help calls of every kiosk, but not those closed more "
                                                 "than 5 minutes ago (docs/help.md).")
    transfers: list[Transfer] | None = Field(None, description="Tickets a desk transferred (to another service "
                                             "or desk), in the same window as `calls`; absent when none.")


@router.get("/api/v1/queue", response_model=QueueState, response_model_exclude_unset=True, summary="The hall's queue: waiting per service and calls",
            responses={400: {"description": "bad `since`"}, 401: {"description": "no or unknown device token"}})
async def get_queue(request: Request, since: str | None = Query(
        None, description="Only calls with a larger call_id (today's; at most the newest 50). "
                          "Without it: the latest 10 calls of today.")):
    token = bearer(request)
    after = parse_since(since)
    st = request.app.state
    return await run_in_threadpool(snapshot_for_device, st.engine, st.settings.queue, token, after)


def parse_since(since: str | None) -> int | None:
    if since is None:
        return None
    # isascii: str.isdigit also says yes to "²" and other digits int() refuses
    if not (since.isascii() and since.isdigit() and len(since) <= 18):
        raise HTTPException(400, f"'since' must be a call id (a whole number >= 0), got {since[:40]!r}")
    return int(since)


def snapshot_for_device(engine: sa.Engine, qs: QueueSettings, token: str, since: int | None) -> dict:
    """The snapshot for a device token (401 for an unknown one); the GET and the stream's first event."""
    with engine.connect() as conn:
        if auth.device_for_token(conn, token) is None:
            raise HTTPException(401, "unknown device token", {"WWW-Authenticate": "Bearer"})
    return snapshot(engine, qs, since)


def snapshot(engine: sa.Engine, qs: QueueSettings, since: int | None = None, now: dt.datetime | None = None) -> dict:
    now = now or utcnow()
    _, lo, hi = queue.today(qs.timezone, now)
    with engine.connect() as conn:
        waiting = dict(conn.execute(
            sa.select(qt.c.service, sa.func.sum(sa.case((qt.c.state == "waiting", 1), else_=0)))
            .where(qt.c.issued_at >= lo, qt.c.issued_at < hi).group_by(qt.c.service)).all())
        for services in conn.execute(sa.select(queue_desks.c.services).where(queue_desks.c.seen_at >= lo)).scalars():
            for s in services if isinstance(services, list) else []:
                waiting.setdefault(s, 0)
        per, desks = pace(conn, qs, now)
        q = sa.select(qc).where(qc.c.called_at >= lo).order_by(qc.c.id.desc())
        q = q.limit(LATEST) if since is None else q.where(qc.c.id > since).limit(MOST)
        calls = conn.execute(q).all()[::-1]  # with transfers (kind "transfer", revision 0008_queue_fair)
        helps = help_calls.entries(conn, lo, now)
    services = {}
    for svc in sorted(waiting):
        n = int(waiting[svc] or 0)
        services[svc] = {"waiting": n, "est_wait_min": wait_range(n, per(svc), max(1, desks.get(svc, 0))),
                         "desks": desks.get(svc, 0)}
    doc = {"server_time": queue.iso(now), "services": services,
           "calls": [{"call_id": c.id, "ticket": c.label, "service": c.service, "desk": c.desk, "lang": c.lang,
                      "called_at": queue.iso(c.called_at), "recall": bool(c.recall)} for c in calls if c.kind is None],
           "help": helps}
    moved = [{"call_id": c.id, "ticket": c.label, "service": c.service, "desk": c.desk, "lang": c.lang,
              "called_at": queue.iso(c.called_at)} for c in calls if c.kind == "transfer"]
    return {**doc, "transfers": moved} if moved else doc


def last_call_id(doc: dict, default: int) -> int:
    """The largest call_id of a snapshot's calls and transfers (one sequence), else `default`."""
    return max([c["call_id"] for c in (*doc["calls"], *doc.get("transfers", ()))], default=default)


def pace(conn: sa.Connection, qs: QueueSettings, now: dt.datetime, service: str | None = None):
    """(minutes per visit of a service, desks per service): the average visit of the last 2
    hours (`default_service_min` without one), and the desks that called it in the last 30
    minutes; for every service, or only `service`."""
    spent = defaultdict(list)
    q = sa.select(qt.c.service, qt.c.first_called_at, qt.c.finished_at).where(
        qt.c.state == "served", qt.c.finished_at >= now - SERVICE_WINDOW)
    d = sa.select(qc.c.service, sa.func.count(sa.distinct(qc.c.desk))).where(qc.c.called_at >= now - DESK_WINDOW,
                                                                           qc.c.kind.is_(None))
    if service is not None:
        q, d = q.where(qt.c.service == service), d.where(qc.c.service == service)
    for svc, first, done in conn.execute(q):
        spent[svc].append(max(0.0, (done - first).total_seconds() / 60))
    desks = dict(conn.execute(d.group_by(qc.c.service)).all())

    def per(svc: str) -> float:
        return sum(spent[svc]) / len(spent[svc]) if spent.get(svc) else qs.default_service_min
    return per, desks


def wait_range(waiting: int, per_visit_min: float, desks: int) -> list[int]:
    """waiting x minutes per visit / desks, as whole minutes -25 % / +25 %."""
    est = waiting * per_visit_min / max(1, desks)
    return [math.floor(est * 0.75), math.ceil(est * 1.25)]
