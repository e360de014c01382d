"""The hosts' page /host (staff login, role desk or admin) and its API under /api/v1/help/:
open help calls from the kiosks (docs/help.md), pushed live, with "Ik kom eraan" and "Klaar".

    GET  /host                         the page (templates/host.html, static/host.js, host.css)
    GET  /api/v1/help/calls            open and coming calls, oldest first (JSON)
    GET  /api/v1/help/stream           the same as server-sent events (central.streams)
    POST /api/v1/help/{call_id}/coming a host is on the way (state coming, host = the user)
    POST /api/v1/help/{call_id}/done   the call is over

Every answer is written to the audit log (help.coming, help.done) and wakes the queue
streams, so the kiosk that asked hears it on its next queue event (the snapshot's `help`).
The desk page shows the same list (templates/_help_calls.html; the same script).
"""
from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Path as PathParam, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from central import accounts, audit, help_calls, i18n, live, pages, streams
from central.db import utcnow
from central.help_calls import State
from central.staff import client_address, current_user, page_user, require_role

page_router = APIRouter(include_in_schema=False)
router = APIRouter(prefix="/api/v1/help", tags=["help"], dependencies=[Depends(require_role("desk"))],
                   responses={401: {"description": "not logged in"},
                              403: {"description": "logged in without the desk (or admin) role"}})
CallId = PathParam(description="The call's id (`id` in /api/v1/help/calls).", min_length=1, max_length=64,
                   pattern=r"^[A-Za-z0-9._-]+$")  # as help_calls.CALL_ID: every stored call can be answered
ACTIONS = {State.COMING: "help.coming", State.DONE: "help.done"}


def strings(lang: str) -> dict[str, str]:
    """The script's texts (help.js.* without the prefix) in `lang`, English filling gaps."""
    out = {}
    for cat in (i18n.catalog("en"), i18n.catalog(lang)):
        out.update({k[len("help.js."):]: v for k, v in cat.items() if k.startswith("help.js.")})
    return out


def strings_json(lang: str) -> str:
    return json.dumps(strings(lang), ensure_ascii=False, sort_keys=True)


# templates/_help_calls.html is included by host.html and desk.html: its texts come from this
# template global, so the desk page (central/desk.py) needs nothing new in its context
pages.env.globals["help_strings"] = strings_json


@page_router.get("/host", response_class=HTMLResponse)
def host_page(request: Request):
    who = page_user(request, "desk", "/host")
    if not isinstance(who, accounts.User):
        return i18n.remember(request, who)
    lang = i18n.choose(request)
    return i18n.remember(request, pages.html("host.html", user=who.name, **pages.staff_context(request, lang)))


@page_router.get("/host/host.js")
def host_js():
    return pages.static("host.js", "text/javascript")


@page_router.get("/host/host.css")
def host_css():
    return pages.static("host.css", "text/css")


def calls_doc(engine, prominent_after_s: float) -> dict:
    from central.queue import iso
    now = utcnow()
    return {"server_time": iso(now), "prominent_after_s": prominent_after_s,
            "calls": help_calls.open_calls(engine, now)}


@router.get("/calls", summary="Help calls a host can still answer (open or coming), oldest first")
async def calls(request: Request) -> dict:
    st = request.app.state
    return await run_in_threadpool(calls_doc, st.engine, st.settings.help.prominent_after_s)


@router.get("/stream", summary="The open help calls as a live stream (server-sent events), for /host",
            response_class=streams.EventStream, status_code=200, response_description=streams.DOC,
            responses=streams.stream_responses("call list (as GET /api/v1/help/calls)"))
async def calls_stream(request: Request):
    engine, prominent = request.app.state.engine, request.app.state.settings.help.prominent_after_s
    streams.check_room(request)
    bus = live.bus(request.app.state)
    version = bus.version  # before the state: a change meanwhile is sent after it
    first = await run_in_threadpool(calls_doc, engine, prominent)

    async def read() -> dict:
        return await run_in_threadpool(calls_doc, engine, prominent)

    async def allowed() -> bool:
        user = await run_in_threadpool(current_user, request)
        return user is not None and user.may("desk")
    cfg = request.app.state.settings.live
    return streams.open_stream(request, lambda b: streams.pushing(b, cfg, first, version, read, allowed, True))


async def _move(request: Request, call_id: str, to: State) -> dict:
    user = request.state.user
    engine = request.app.state.engine

    def run():
        try:
            return help_calls.move(engine, call_id, to, user.name, utcnow())
        except help_calls.HelpError as e:
            raise HTTPException(e.status, e.message) from None
    call = await run_in_threadpool(run)
    live.bus(request.app.state).changed()
    await run_in_threadpool(audit.write, engine, user.name, ACTIONS[to], f"{call['device']} {call['screen']}"[:128],
                            {"call": call["id"], "place": call["place"]}, client_address(request),
                            request.app.state.settings.audit_days)
    return {"call": call}


@router.post("/{call_id}/coming", summary="I am coming: the kiosk shows and says a host is on the way",
             responses={404: {"description": "no such call"}, 409: {"description": "the call is closed"}})
async def coming(request: Request, call_id: str = CallId) -> dict:
    return await _move(request, call_id, State.COMING)


@router.post("/{call_id}/done", summary="Done: the call is over (the kiosk's help screen goes back)",
             responses={404: {"description": "no such call"}, 409: {"description": "the call is closed"}})
async def done(request: Request, call_id: str = CallId) -> dict:
    return await _move(request, call_id, State.DONE)
