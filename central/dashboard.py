"""Staff pages: /login, /logout and /dashboard (server-drawn SVG charts, no external files), drawn
from central/templates/ (login.html, dashboard.html) with /static/staff.css.

Dutch by default, English when chosen (central/i18n.py says how); every text from central.po."""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.exceptions import HTTPException

from central import accounts, aggregate, heatmap, login as login_flow, pages, svg
from central.i18n import choose, remember, t
from central.staff import COOKIE, client_address, page_user
from central.stats import filters

router = APIRouter(tags=["dashboard"])

def _login_form(request: Request, error: str = "", next_url: str = "/dashboard", **fmt) -> Response:
    lang = choose(request)
    return remember(request, pages.html("login.html", error=error, error_fmt=fmt, next_url=next_url,
                                        **pages.staff_context(request, lang)))


@router.get("/login", response_class=HTMLResponse, include_in_schema=True, summary="Login form")
def login_form(request: Request, next: str = "/dashboard"):  # noqa: A002
    return _login_form(request, next_url=next if next.startswith("/") and not next.startswith(("//", "/\\"))
                       else "/dashboard")


@router.post("/login", summary="Log in (form: username, password); sets a session cookie")
async def login(request: Request):
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - any unreadable form is just a failed login
        return _login_form(request, "login.error.form")
    user, pw = str(form.get("username", "")), str(form.get("password", ""))
    nxt = str(form.get("next", "/dashboard"))
    if not nxt.startswith("/") or nxt.startswith("//") or nxt.startswith("/\\"):
        nxt = "/dashboard"
    settings = request.app.state.settings
    outcome = await login_flow.attempt(request.app.state, user, pw, client_address(request))
    if outcome.wait_s is not None:  # throttled: even the right password waits
        minutes = max(1, math.ceil(outcome.wait_s / 60))
        resp = _login_form(request, "login.error.locked" if outcome.locked else "login.error.slow",
                           next_url=nxt, minutes=minutes)
        resp.status_code = 429
        resp.headers["Retry-After"] = str(max(1, math.ceil(outcome.wait_s)))
        return resp
    if outcome.token is None:
        resp = _login_form(request, "login.error.wrong", next_url=nxt)
        resp.status_code = 401
        return resp
    resp = RedirectResponse(nxt, status_code=303)
    resp.set_cookie(COOKIE, outcome.token, max_age=int(settings.session_hours * 3600), httponly=True,
                    samesite="lax", secure=settings.public_url.startswith("https://"), path="/")
    return resp


@router.get("/logout", summary="Log out (ends the session on the server)")
@router.post("/logout", summary="Log out (ends the session on the server)")
async def logout(request: Request):
    await run_in_threadpool(accounts.end_session, request.app.state.engine, request.cookies.get(COOKIE),
                            client_address(request))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/")
    return resp


FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9998, 12, 31)  # a period beyond them is a typing error


@router.get("/dashboard", response_class=HTMLResponse, summary="Satisfaction, tickets and devices")
async def dashboard(request: Request, start: str | None = Query(None, alias="from", description="First day, YYYY-MM-DD"),
                    end: str | None = Query(None, alias="to", description="Last day, YYYY-MM-DD"),
                    device: str | None = Query(None, description="Only this device")):
    who = await run_in_threadpool(page_user, request, "analyst", "/dashboard")
    if not isinstance(who, accounts.User):
        return remember(request, who)
    lang = choose(request)
    try:
        f = filters(request, start, end, device)
        if any(d and not FIRST_DAY <= d <= LAST_DAY for d in (f.start, f.end)) or not (device or "").isprintable():
            raise HTTPException(400, "period or device out of range")  # days the time zone cannot convert; NUL
    except HTTPException:
        return remember(request, pages.html("dashboard.html", error=True, **pages.staff_context(request, lang)))
    if f.start is None and f.end is None:
        today = dt.datetime.now(f.zone).date()
        f.start, f.end = today - dt.timedelta(days=27), today
    engine, settings = request.app.state.engine, request.app.state.settings
    fb = await run_in_threadpool(aggregate.feedback_stats, engine, f)
    before = _previous(f)  # the trend (issue #17)
    prev = None if before is None else await run_in_threadpool(aggregate.feedback_stats, engine, before)
    tk = await run_in_threadpool(aggregate.ticket_stats, engine, f)
    devs = await run_in_threadpool(aggregate.device_table, engine, settings.stale_after_min)
    from central import help_stats  # help calls (issue #18): templates/_help_dash.html
    hs = await run_in_threadpool(help_stats.help_stats, engine, f)
    from central import wait_bands  # satisfaction against the real wait (issue #17): templates/_wait_bands.html
    wb = await run_in_threadpool(wait_bands.wait_band_stats, engine, f, settings.feedback.min_answers, fb["total"])
    from central.alerts import web as alerts_web  # alerts (issue #17): templates/_alerts_dash.html
    al = await run_in_threadpool(alerts_web.dash_context, request, lang)
    return remember(request, pages.html("dashboard.html", error=False, **pages.staff_context(request, lang),
                                        **context(f, fb, tk, devs, lang, prev), help=hs, bands=wb, **al))


def _previous(f: aggregate.Filters) -> aggregate.Filters | None:
    """The period of equal length just before f's (f has both ends here); None before the year 1."""
    days = (f.end - f.start).days + 1
    try:
        return aggregate.Filters(f.start - dt.timedelta(days=days), f.start - dt.timedelta(days=1), f.device, f.tz)
    except OverflowError:
        return None


def context(f: aggregate.Filters, fb: dict, tk: dict, devs: list[dict], lang: str = "nl",
            prev: dict | None = None) -> dict:
    """What templates/dashboard.html shows: the figures, the table rows and the charts (SVG, drawn
    by central/svg.py, which escapes its texts). `prev`: the feedback of the period before, for
    the trend of the positive share (percentage points)."""
    tot = fb["total"]
    before = (prev or {}).get("total", {}).get("positive_share")
    trend = "-" if before is None or tot["positive_share"] is None else \
        t(lang, "dash.kpi.trend.points", points=f"{100 * (tot['positive_share'] - before):+.0f}")
    days, weeks = fb["days"], fb["weeks"]
    charts = {
        "days": svg.bars([d["day"][5:] for d in days], [None if d["positive_share"] is None else
                                                         100 * d["positive_share"] for d in days],
                         title=t(lang, "dash.day.chart"), unit="%", vmax=100,
                         line=[d["average_score"] for d in days], line_max=5),
        "weeks": svg.bars([w["week"] for w in weeks], [None if w["positive_share"] is None else
                                                        100 * w["positive_share"] for w in weeks],
                          title=t(lang, "dash.week.chart"), unit="%", vmax=100,
                          line=[w["average_score"] for w in weeks], line_max=5, height=200),
        "suppressed": svg.bars([d["day"][5:] for d in days], [d["suppressed"] for d in days],
                               title=t(lang, "dash.suppressed.chart"), height=180, color=svg.PALETTE[3]),
        "reasons": svg.hbars([(f"{_sentiment(lang, r['sentiment'])}: {r['reason']}", r["count"])
                              for r in fb["reasons"][:15]], title=t(lang, "dash.reasons.chart")),
        "per_service": _per_service(tk, lang),
        "estimates": svg.hbars([(s["service"], s["avg_estimated_wait_min"] or 0) for s in tk["services"]],
                               title=t(lang, "dash.estimates.chart"), color=svg.PALETTE[1]),
        "waits": _waits_chart(tk["wait_by_hour"], lang)}
    return {"start": f.start, "end": f.end, "device": f.device or "",
            "period": urlencode({"from": f.start, "to": f.end}), "total": tot,
            "share": "-" if tot["positive_share"] is None else f"{100 * tot['positive_share']:.0f}%",
            "average": "-" if tot["average_score"] is None else f"{tot['average_score']:.2f} / 5",
            "tickets_total": tk["total"]["tickets"], "trend": trend,
            "heat": heatmap.table(tk.get("busiest_hours", []), lang),
            "answers": [{"answer": a["answer"], "count": a["count"],
                         "reasons": ", ".join(f"{r} ({n})" for r, n in a["reasons"].items())} for a in fb["answers"]],
            "services": tk["services"], "waits": tk["wait_by_hour"], "devices": devs,
            "charts": {k: [Markup(c) for c in v] if isinstance(v, list) else Markup(v) for k, v in charts.items()}}


def _sentiment(lang: str, sentiment: str) -> str:
    msgid = f"dash.sentiment.{sentiment}"
    text = t(lang, msgid)
    return sentiment if text == msgid else text


def _per_service(tk: dict, lang: str) -> list[str]:
    """One chart per service: tickets per hour of the day."""
    per_hour: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for h in tk["hours"]:
        per_hour[h["service"]][h["hour"]] += h["tickets"]
    hours = list(range(7, 21))
    return [svg.bars([f"{h:02d}" for h in hours], [per_hour[svc].get(h, 0) for h in hours],
                     title=t(lang, "dash.tickets.chart", service=svc), height=180,
                     color=svg.PALETTE[i % len(svg.PALETTE)]) for i, svc in enumerate(sorted(per_hour))]


def _waits_chart(rows: list[dict], lang: str) -> str:
    """Estimated against real wait per hour of the day (tickets that were called)."""
    if not rows:
        return ""
    top = max([r["avg_real_wait_min"] for r in rows] + [r["avg_estimated_wait_min"] for r in rows] + [1])
    return svg.bars([f"{r['hour']:02d}" for r in rows], [r["avg_real_wait_min"] for r in rows],
                    title=t(lang, "dash.waits.chart"), vmax=top, line=[r["avg_estimated_wait_min"] for r in rows],
                    line_max=top, color=svg.PALETTE[2])
