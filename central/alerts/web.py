"""Alerts for analysts: JSON under /api/v1/alerts and the dashboard's section
(templates/_alerts_dash.html) with its two forms.

    GET  /api/v1/alerts                          open alerts first, then recent cleared ones
    POST /api/v1/alerts/{alert_id}/acknowledge   "Bevestigen": who and when, in the audit log
    POST /api/v1/alerts/{alert_id}/comment       body {"comment": "..."} (1-1000 characters)
    POST /dashboard/alerts/{alert_id}/acknowledge and .../comment: the same from the page's
         forms (form field `comment`), answered with a redirect back to /dashboard#alerts

All need the analyst (or admin) role. Cross-site requests: the session cookie is SameSite=Lax
(a browser does not send it with another site's POST), and a POST here that a browser marks as
coming from another site (Sec-Fetch-Site, else Origin) is refused with 403 as well.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path as PathParam, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException

from central import accounts
from central.alerts import state
from central.alerts.delivery import document
from central.alerts.rules import text
from central.db import utcnow
from central.staff import client_address, page_user, require_role


def same_site(request: Request) -> None:
    """403 for a POST a browser made from another site's page. Browsers send Sec-Fetch-Site (a
    header no page can set): it must say same-origin. Without it, an Origin must be this
    service's (the pages' Referrer-Policy no-referrer makes browsers send `Origin: null` on a form
    post; with Sec-Fetch-Site that does not matter). A client sending neither is not a browser."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site not in ("same-origin", "none"):
            raise HTTPException(403, f"refused: a request from another site's page (Sec-Fetch-Site: {fetch_site[:30]})")
        return
    origin = request.headers.get("origin")
    if origin is None:
        return
    mine = {f"{request.url.scheme}://{request.headers.get('host', '')}"}
    public = request.app.state.settings.public_url
    if public:
        p = urlsplit(public)
        mine.add(f"{p.scheme}://{p.netloc}")
    if origin not in mine:
        raise HTTPException(403, f"refused: a request from {origin[:100]!r}, not from this service's pages")


router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"], dependencies=[Depends(require_role("analyst"))],
                   responses={401: {"description": "not logged in"},
                              403: {"description": "logged in without the analyst (or admin) role, or a "
                                                   "request from another site"},
                              404: {"description": "no such alert"},
                              422: {"description": "the body or a parameter is wrong (the message says which)"}})
page_router = APIRouter(include_in_schema=False)
AlertId = PathParam(description="The alert's id (`id` in GET /api/v1/alerts).", ge=1, le=2 ** 62)


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str = Field(description=f"The analyst's comment (1-{state.COMMENT_MAX} characters, plain text).")

    @field_validator("comment")
    @classmethod
    def _comment(cls, v: str) -> str:
        try:
            return state.check_comment(v)
        except state.AlertError as e:
            raise ValueError(str(e)) from None


def _iso(t: dt.datetime | None) -> str | None:
    return None if t is None else t.strftime("%Y-%m-%dT%H:%M:%SZ")


def as_json(row) -> dict:
    return {**document(row), "cleared_at": _iso(row.cleared_at), "open": row.cleared_at is None,
            "delivery": row.delivery, "acknowledged_by": row.acknowledged_by,
            "acknowledged_at": _iso(row.acknowledged_at), "comment": row.comment, "comment_by": row.comment_by,
            "comment_at": _iso(row.comment_at)}


@router.get("", summary="Open alerts (newest first), then the most recent cleared ones")
async def list_alerts(request: Request) -> dict:
    rows = await run_in_threadpool(state.listing, request.app.state.engine)
    return {"alerts": [as_json(r) for r in rows]}


async def _act(request: Request, user: str, alert_id: int, comment: str | None):
    same_site(request)
    engine, client = request.app.state.engine, client_address(request)
    try:
        if comment is None:
            return await run_in_threadpool(state.acknowledge, engine, alert_id, user, client, utcnow())
        return await run_in_threadpool(state.comment, engine, alert_id, user, comment, client, utcnow())
    except state.AlertError as e:
        raise HTTPException(e.status, str(e)) from None


@router.post("/{alert_id}/acknowledge", summary="Acknowledge an alert (recorded with the user in the audit log)")
async def acknowledge(request: Request, alert_id: int = AlertId) -> dict:
    return as_json(await _act(request, request.state.user.name, alert_id, None))


@router.post("/{alert_id}/comment", summary="Comment on an alert (the latest is kept; each in the audit log)")
async def comment(request: Request, body: CommentIn, alert_id: int = AlertId) -> dict:
    return as_json(await _act(request, request.state.user.name, alert_id, body.comment))


@page_router.post("/dashboard/alerts/{alert_id}/{action}")
async def form_post(request: Request, alert_id: int, action: str):
    who = await run_in_threadpool(page_user, request, "analyst", "/dashboard")
    if not isinstance(who, accounts.User):
        return who
    if action not in ("acknowledge", "comment") or not 1 <= alert_id <= 2 ** 62:
        raise HTTPException(404, "no such alert action")
    text_in = None
    if action == "comment":
        try:
            text_in = str((await request.form()).get("comment", ""))
        except Exception:  # noqa: BLE001 - an unreadable form is an empty comment
            text_in = ""
    try:
        await _act(request, who.name, alert_id, text_in)
    except HTTPException as e:
        if e.status_code != 422:
            raise
        return RedirectResponse(f"/dashboard?alert_error={alert_id}#alerts", status_code=303)
    return RedirectResponse(f"/dashboard#alert-{alert_id}", status_code=303)


def _local(t: dt.datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    return "" if t is None else t.replace(tzinfo=dt.timezone.utc).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def dash_context(request: Request, lang: str) -> dict:
    """What templates/_alerts_dash.html shows (call in a thread: it reads the database)."""
    st = request.app.state
    zone = zoneinfo.ZoneInfo(st.settings.queue.timezone)
    rows = state.listing(st.engine, 30)
    return {"alerts": [{"id": r.id, "open": r.cleared_at is None, "text": text(lang, r.rule, r.subject, r.detail or {}),
                        "opened": _local(r.opened_at, zone), "cleared": _local(r.cleared_at, zone),
                        "ack_by": r.acknowledged_by, "ack_at": _local(r.acknowledged_at, zone),
                        "comment": r.comment, "comment_by": r.comment_by, "comment_at": _local(r.comment_at, zone)}
                       for r in rows],
            "alert_error": request.query_params.get("alert_error", "")[:20], "comment_max": state.COMMENT_MAX}
