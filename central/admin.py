"""Admin pages (role admin): /admin/audit (the audit log, newest first, filtered by actor and
action) and /admin/audit.csv (all of it). The page is a Jinja2 template (central/pages.py, autoescape), with
its stylesheet as a file: no inline script or style.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterator

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from central import accounts, audit, pages
from central.staff import client_address, page_user, require_role

PAGE = 200
router = APIRouter(include_in_schema=False)
csv_router = APIRouter(tags=["admin"], dependencies=[Depends(require_role("admin"))],
                       responses={401: {"description": "not logged in"},
                                  403: {"description": "logged in without the admin role"}})


@router.get("/admin/audit", response_class=HTMLResponse)
async def audit_page(request: Request, actor: str | None = Query(None, max_length=64),
                     action: str | None = Query(None, max_length=64), before: int | None = Query(None, ge=1)):
    who = await run_in_threadpool(page_user, request, "admin", "/admin/audit")
    if not isinstance(who, accounts.User):
        return who
    rows = await run_in_threadpool(lambda: audit.rows(request.app.state.engine, actor=actor or None,
                                                      action=action or None, before=before, limit=PAGE))
    return pages.html("audit.html", user=who, rows=rows, actor=actor, action=action,
                      actions=audit.ACTIONS, days=request.app.state.settings.audit_days,
                      next_before=rows[-1].id if len(rows) == PAGE else None)


@router.get("/admin/admin.css")
def admin_css():
    return Response((Path(__file__).parent / "static" / "admin.css").read_bytes(),
                    media_type="text/css; charset=utf-8")


def _csv(rows: Iterator[list]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    for r in rows:
        w.writerow(r)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


@csv_router.get("/admin/audit.csv", summary="The whole audit log as CSV (oldest first, times in UTC)")
def audit_csv(request: Request):
    user = request.state.user
    engine = request.app.state.engine
    audit.write(engine, user.name, "export", "audit.csv", None, client_address(request))
    return StreamingResponse(_csv(audit.csv_rows(engine)), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="audit.csv"',
                                      "Cache-Control": "no-store"})
