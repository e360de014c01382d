"""The desk page (/desk, staff login) and its JSON endpoints under /api/v1/desk/.

The page (templates/desk.html) is plain HTML + one small script, served by the service itself (no CDN). Bodies
are checked by the pydantic models below, so a bad one gets a 422 naming the field.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path as PathParam, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.exceptions import HTTPException

from central import accounts, audit, calling, desk_stats, i18n, live, pages, queue, streams
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


class TransferIn(DeskOnly):
    entry_id: int = Field(description="The called ticket's id (`id` in /api/v1/desk/queue).", ge=1, le=2 ** 62)
    to_service: str | None = Field(None, description="The service whose queue it joins (its own without it).")
    to_desk: str | None = Field(None, description="The one desk that may call it (any desk of the service "
                                                  "without it).")
    position: Literal["original", "front"] = Field("original", description="`original`: its place by its "
                                                   "issue time; `front`: before every other waiting ticket.")

    @field_validator("to_service")
    @classmethod
    def _to_service(cls, v: str | None) -> str | None:
        return None if v is None else _text(v, "to_service", 64)

    @field_validator("to_desk")
    @classmethod
    def _to_desk(cls, v: str | None) -> str | None:
        return None if v is None else _text(v, "to_desk", 32)

    @model_validator(mode="after")
    def _somewhere(self):
        if self.to_service is None and self.to_desk is None:
            raise ValueError("give to_service, to_desk or both")
        return self


class PauseIn(DeskOnly):
    reason: str = Field(description="Why the desk pauses (1-200 characters), e.g. \"lunch\".")

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        return _text(v, "reason", 200)


class PriorityIn(DeskOnly):
    priority: bool = Field(True, description="True: the ticket counts as priority (weight `priority_weight`).")


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


async def _act(request: Request, fn, *args, action: str | None = None, desk: str | None = None,
               more: dict | None = None):
    """A desk action in the thread pool; once it committed, this process's streams hear of it
    and the audit log records it (`action`) with the logged-in user as the actor."""
    result = await run_in_threadpool(_run, fn, *args)
    live.bus(request.app.state).changed()
    if action:
        ticket = result.get("ticket", result) if isinstance(result, dict) else None
        label = ticket.get("label") if isinstance(ticket, dict) else None
        target = f"{label or '-'} @ desk {desk}" if desk is not None else label
        detail = {"ticket": ticket.get("id")} if isinstance(ticket, dict) and "id" in ticket else None
        if more:
            detail = {**(detail or {}), **more}
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


@router.get("/queue", summary="Today's queue: waiting in call order (with the `reason`), then called, served "
                            "and no-show; with `desk`, that desk's pause state")
async def day_queue(request: Request, services: str | None = Query(
        None, max_length=4000, description="Comma-separated service ids; all services without it."),
        desk: str | None = Query(None, max_length=32, description="This desk: adds `desk_state` "
                                                                   "({desk, paused, reason, since}).")) -> dict:
    engine, qs = _st(request)
    if desk is not None and not desk.isprintable():
        raise HTTPException(422, "invalid request: query.desk: desk must be plain text without control characters")
    return await run_in_threadpool(day_list, engine, qs, _wanted(services), None, (desk or "").strip() or None)


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


def day_list(engine, qs, services: list[str] | None, now: dt.datetime | None = None,
             desk: str | None = None) -> dict:
    """Waiting tickets in call order (`calling.rank`), each with its `reason` ("passed",
    "transferred", "waited_longest", "appointment", "priority"), then the others, newest first."""
    now = now or utcnow()
    day, lo, hi = queue.today(qs.timezone, now)
    q = sa.select(qt).where(qt.c.issued_at >= lo, qt.c.issued_at < hi)
    if services is not None:
        q = q.where(qt.c.service.in_(services))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
        desk_state = desk_stats.state(conn, desk) if desk else None
    rank = {"called": 1, "served": 2, "no_show": 2}
    waiting = calling.rank([r for r in rows if r.state == "waiting"], qs, now)
    rest = sorted((r for r in rows if r.state != "waiting"), key=lambda r: (
        rank.get(r.state, 3), -(r.finished_at or r.called_at or r.issued_at).timestamp(), r.id))
    counts = {s: 0 for s in queue.STATES}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1

    def item(r, reason):
        return {**calling.ticket_dict(r), "reason": reason,
                "waited_min": round(((r.first_called_at or now) - r.issued_at).total_seconds() / 60, 1)}
    out = {"day": day.isoformat(), "server_time": queue.iso(now), "counts": counts,
           "tickets": [item(r, why) for r, why in waiting] + [item(r, None) for r in rest]}
    if desk_state is not None:
        out["desk_state"] = desk_state
    return out


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


@router.post("/tickets/{entry_id}/priority", summary="Mark a waiting ticket as priority (or not)")
async def priority(request: Request, body: PriorityIn, entry_id: int = EntryId) -> dict:
    engine, _ = _st(request)
    return {"ticket": await _act(request, calling.set_priority, engine, entry_id, body.priority,
                                 action="desk.priority", desk=body.desk, more={"priority": body.priority})}


@router.post("/transfer", summary="Send the called ticket to another service's queue and/or to one desk",
             description="The ticket keeps its number and label and waits again: at its original issue time "
                         "(`original`) or before everyone (`front`). With `to_desk` only that desk can call it. "
                         "The hall display announces the transfer (`transfers` in GET /api/v1/queue).")
async def transfer(request: Request, body: TransferIn) -> dict:
    engine, qs = _st(request)
    t = await _act(request, calling.transfer, engine, qs, body.entry_id, body.desk, body.to_service, body.to_desk,
                   body.position, action="desk.transfer", desk=body.desk,
                   more={"to_service": body.to_service, "to_desk": body.to_desk, "position": body.position})
    return {"ticket": t}


@router.post("/pause", summary="Pause the desk (no call-next until it resumes); the reason is kept for figures")
async def pause(request: Request, body: PauseIn) -> dict:
    engine, _ = _st(request)
    return {"desk_state": await _act(request, desk_stats.pause, engine, body.desk, body.reason, action="desk.pause",
                                     desk=body.desk, more={"reason": body.reason})}


@router.post("/resume", summary="End the desk's pause")
async def resume(request: Request, body: DeskOnly) -> dict:
    engine, _ = _st(request)
    return {"desk_state": await _act(request, desk_stats.resume, engine, body.desk, action="desk.resume",
                                     desk=body.desk)}
