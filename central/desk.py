"""The desk page (/desk, staff login) and its JSON endpoints under /api/v1/desk/.

The page (templates/desk.html) is plain HTML + one small script, served by the service itself (no CDN). Bodies
are checked by the pydantic models below, so a bad one gets a 422 naming the field.
"""
from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException

from central import accounts, audit, calling, i18n, live, pages, queue, streams
from central.db import queue_desks, queue_tickets as qt, utcnow
from central.staff import client_address, current_user, page_user, require_role

page_router = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/api/v1/desk", tags=["desk"], dependencies=[Depends(require_role("desk"))],
                   responses={401: {"description": "not logged in"},
                              403: {"description": "logged in without the desk (or admin) role"}, 404: {"description": "no such ticket"},
                              409: {"description": "the ticket is not in a state that allows this"},
                              422: {"description": "the body or a parameter is wrong (the message says which)"}})
EntryId = PathParam(description="The ticket's id in the queue (`id` in /api/v1/desk/queue).", ge=1, le=2 ** 62)


def _text(v: str, what: str, most: int) -> str:
    v = v.strip()
    if not v:
        raise ValueError(f"{what} must not be empty")
    if len(v) > most:
        raise ValueError(f"{what} must be at most {most} characters")
    if not v.isprintable():
        raise ValueError(f"{what} must be plain text without control characters")
    return v


class DeskOnly(BaseModel):
    model_config = ConfigDict(extra="forbid")
    desk: str = Field(description="The desk's name as the hall display shows it, e.g. \"4\" (1-32 characters).")

    @field_validator("desk")
    @classmethod
    def _desk(cls, v: str) -> str:
        return _text(v, "desk", 32)


class DeskIn(DeskOnly):
    services: list[str] = Field(description="Service ids this desk serves (1-50 of them).")

    @field_validator("services")
    @classmethod
    def _services(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("pick at least one service")
        if len(v) > 50:
            raise ValueError("at most 50 services")
        return list(dict.fromkeys(_text(s, "a service id", 64) for s in v))


def strings(lang: str) -> dict[str, str]:
    """The desk script's own texts (desk.js.* without the prefix) in `lang`, English filling gaps."""
    out = {}
    for cat in (i18n.catalog("en"), i18n.catalog(lang)):
        out.update({k[len("desk.js."):]: v for k, v in cat.items() if k.startswith("desk.js.")})
    return out


@page_router.get("/desk", response_class=HTMLResponse)
def desk_page(request: Request):
    """The desk page in the chosen language (Dutch by default; central/i18n.py), from
    templates/desk.html; the script's texts go in as JSON in an attribute (no inline script)."""
    who = page_user(request, "desk", "/desk")
    if not isinstance(who, accounts.User):
        return i18n.remember(request, who)
    lang = i18n.choose(request)
    return i18n.remember(request, pages.html(
        "desk.html", strings=json.dumps(strings(lang), ensure_ascii=False, sort_keys=True),
        **pages.staff_context(request, lang)))


@page_router.get("/desk/desk.js")
def desk_js():
    return pages.static("desk.js", "text/javascript")


@page_router.get("/desk/desk.css")
def desk_css():
    return pages.static("desk.css", "text/css")


def _run(fn, *args):
    try:
        return fn(*args)
    except calling.QueueError as e:
        raise HTTPException(e.status, e.message) from None


async def _act(request: Request, fn, *args, action: str | None = None, desk: str | None = None):
    """A desk action in the thread pool; once it committed, this process's streams hear of it
    and the audit log records it (`action`) with the logged-in user as the actor."""
    result = await run_in_threadpool(_run, fn, *args)
    live.bus(request.app.state).changed()
    if action:
        ticket = result.get("ticket", result) if isinstance(result, dict) else None
        label = ticket.get("label") if isinstance(ticket, dict) else None
        target = f"{label or '-'} @ desk {desk}" if desk is not None else label
        detail = {"ticket": ticket.get("id")} if isinstance(ticket, dict) else None
        user = getattr(request.state, "user", None)
        await run_in_threadpool(audit.write, request.app.state.engine, user.name if user else "-", action, target,
                                detail, client_address(request), request.app.state.settings.audit_days)
    return result


def _st(request: Request):
    return request.app.state.engine, request.app.state.settings.queue


@router.get("/services", summary="Services to pick from: seen in the last 30 days or chosen by a desk")
async def services(request: Request) -> dict:
    engine, _ = _st(request)

    def read():
        since = utcnow() - dt.timedelta(days=30)
        with engine.connect() as conn:
            seen = set(conn.execute(sa.select(qt.c.service).where(qt.c.issued_at >= since).distinct()).scalars())
            for s in conn.execute(sa.select(queue_desks.c.services)).scalars():
                seen.update(x for x in (s if isinstance(s, list) else []) if isinstance(x, str))
        return {"services": sorted(seen)}
    return await run_in_threadpool(read)


@router.post("/signin", summary="Say which desk this is and which services it serves (for today)")
async def signin(request: Request, body: DeskIn) -> dict:
    engine, _ = _st(request)

    def write():
        with calling.transaction(engine) as conn:
            calling.touch_desk(conn, body.desk, body.services, utcnow())
        return {"desk": body.desk, "services": body.services}
    return await _act(request, write)


@router.get("/queue", summary="Today's queue: waiting in call order, then called, served and no-show")
async def day_queue(request: Request, services: str | None = Query(
        None, max_length=4000, description="Comma-separated service ids; all services without it.")) -> dict:
    engine, qs = _st(request)
    return await run_in_threadpool(day_list, engine, qs, _wanted(services))


def _wanted(services: str | None) -> list[str] | None:
    return [s.strip() for s in services.split(",") if s.strip()] if services else None


@router.get("/stream", summary="Today's queue as a live stream (server-sent events), for the desk page",
            response_class=streams.EventStream, status_code=200, response_description=streams.DOC,
            responses=streams.stream_responses("day list (as GET /api/v1/desk/queue)"))
async def day_stream(request: Request, services: str | None = Query(
        None, max_length=4000, description="Comma-separated service ids; all services without it.")):
    engine, qs = _st(request)
    wanted = _wanted(services)
    streams.check_room(request)
    bus = live.bus(request.app.state)
    version = bus.version  # read before the state: a change meanwhile is sent after it
    first = await run_in_threadpool(day_list, engine, qs, wanted)

    async def read() -> dict:
        return await run_in_threadpool(day_list, engine, qs, wanted)

    async def allowed() -> bool:
        user = await run_in_threadpool(current_user, request)
        return user is not None and user.may("desk")
    cfg = request.app.state.settings.live
    return streams.open_stream(request, lambda b: streams.pushing(b, cfg, first, version, read, allowed, True))


def day_list(engine, qs, services: list[str] | None, now: dt.datetime | None = None) -> dict:
    now = now or utcnow()
    day, lo, hi = queue.today(qs.timezone, now)
    q = sa.select(qt).where(qt.c.issued_at >= lo, qt.c.issued_at < hi)
    if services is not None:
        q = q.where(qt.c.service.in_(services))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    overdue = now - dt.timedelta(minutes=qs.walk_in_max_wait_min)
    rank = {"waiting": 0, "called": 1, "served": 2, "no_show": 2}
    def key(r):
        if r.state == "waiting":
            return 0, calling.order_key(r.appointment, r.issued_at, r.id, overdue)
        return rank.get(r.state, 3), (-(r.finished_at or r.called_at or r.issued_at).timestamp(), r.id)
    rows.sort(key=key)
    counts = {s: 0 for s in queue.STATES}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    return {"day": day.isoformat(), "server_time": queue.iso(now), "counts": counts,
            "tickets": [{**calling.ticket_dict(r), "waited_min": round(((r.first_called_at or now) - r.issued_at)
                                                                       .total_seconds() / 60, 1)} for r in rows]}


@router.post("/call-next", summary="Call the next ticket for the desk's services (null when nobody waits)")
async def call_next(request: Request, body: DeskIn) -> dict:
    engine, qs = _st(request)
    t = await _act(request, calling.call_next, engine, qs, body.desk, body.services, action="desk.call-next",
                   desk=body.desk)
    return {"ticket": t}


@router.post("/tickets/{entry_id}/call", summary="Call this waiting ticket")
async def call_one(request: Request, body: DeskOnly, entry_id: int = EntryId) -> dict:
    engine, qs = _st(request)
    return {"ticket": await _act(request, calling.call, engine, qs, entry_id, body.desk, action="desk.call",
                                 desk=body.desk)}


@router.post("/tickets/{entry_id}/recall", summary="Call this called ticket again")
async def recall(request: Request, body: DeskOnly, entry_id: int = EntryId) -> dict:
    engine, _ = _st(request)
    return {"ticket": await _act(request, calling.recall, engine, entry_id, body.desk, action="desk.recall",
                                 desk=body.desk)}


_FINISH = {"served": "desk.served", "no_show": "desk.no-show", "waiting": "desk.put-back"}


async def _finish(request: Request, entry_id: int, state: str, desk: str | None = None) -> dict:
    engine, _ = _st(request)
    return {"ticket": await _act(request, calling.finish, engine, entry_id, state, action=_FINISH[state], desk=desk)}


@router.post("/tickets/{entry_id}/served", summary="The called ticket was served")
async def served(request: Request, body: DeskOnly, entry_id: int = EntryId) -> dict:
    return await _finish(request, entry_id, "served", body.desk)


@router.post("/tickets/{entry_id}/no-show", summary="The called ticket did not come")
async def no_show(request: Request, body: DeskOnly, entry_id: int = EntryId) -> dict:
    return await _finish(request, entry_id, "no_show", body.desk)


@router.post("/tickets/{entry_id}/put-back", summary="Put the called ticket back to waiting (its place by issue time)")
async def put_back(request: Request, body: DeskOnly, entry_id: int = EntryId) -> dict:
    return await _finish(request, entry_id, "waiting", body.desk)
