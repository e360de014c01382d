"""Staff pages: /login, /logout and /dashboard (server-drawn SVG charts, no external files).

Dutch by default, English when chosen (central/i18n.py says how); every text from central.po."""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from html import escape

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from central import accounts, aggregate, login as login_flow, svg
from central.i18n import choose, remember, switch_link, t
from central.staff import COOKIE, client_address, page_user
from central.stats import filters

router = APIRouter(tags=["dashboard"])

CSS = """body{font-family:sans-serif;margin:1.5rem;color:#111;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem .6rem;text-align:left}
tr.stale{background:#ffe0e0;font-weight:bold}.kpi{display:inline-block;margin-right:2rem;font-size:1.1rem}
form.login{max-width:20rem}input,button{font-size:1.1rem;padding:.5rem;margin:.3rem 0;width:100%}
.error{color:#a4343a;font-weight:bold}nav a{margin-right:1rem}.lang-switch{float:right}"""


def _page(request: Request, lang: str, title: str, body: str) -> HTMLResponse:
    """A whole page in `lang`, with the link to the other language; a ?lang= choice is kept."""
    return remember(request, HTMLResponse(
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<title>{escape(title)}</title><style>{CSS}</style></head><body>'
        f'{switch_link(request, lang)}{body}</body></html>'))


def _login_form(request: Request, error: str = "", next_url: str = "/dashboard", **fmt) -> HTMLResponse:
    lang = choose(request)
    err = f'<p class="error" role="alert">{escape(t(lang, error, **fmt))}</p>' if error else ""
    return _page(request, lang, t(lang, "login.title"),
                 f'<h1>{escape(t(lang, "login.heading"))}</h1>{err}'
                 f'<form class="login" method="post" action="/login">'
                 f'<label>{escape(t(lang, "login.user"))}'
                 f'<input name="username" autocomplete="username"></label>'
                 f'<label>{escape(t(lang, "login.password"))}'
                 f'<input name="password" type="password" autocomplete="current-password">'
                 f'</label><input type="hidden" name="next" value="{escape(next_url)}">'
                 f'<button type="submit">{escape(t(lang, "login.submit"))}</button></form>')


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


@router.get("/dashboard", response_class=HTMLResponse, summary="Satisfaction, tickets and devices")
async def dashboard(request: Request):
    who = await run_in_threadpool(page_user, request, "analyst", "/dashboard")
    if not isinstance(who, accounts.User):
        return remember(request, who)
    q, lang = request.query_params, choose(request)
    try:
        f = filters(request, q.get("from"), q.get("to"), q.get("device"))
    except HTTPException:
        return _page(request, lang, t(lang, "dash.title"), f'<p class="error" role="alert">'
                     f'{escape(t(lang, "dash.error.filters"))}</p><a href="/dashboard">{escape(t(lang, "dash.reset"))}</a>')
    if f.start is None and f.end is None:
        today = dt.datetime.now(f.zone).date()
        f.start, f.end = today - dt.timedelta(days=27), today
    engine, settings = request.app.state.engine, request.app.state.settings
    fb = await run_in_threadpool(aggregate.feedback_stats, engine, f)
    tk = await run_in_threadpool(aggregate.ticket_stats, engine, f)
    devs = await run_in_threadpool(aggregate.device_table, engine, settings.stale_after_min)
    return _page(request, lang, t(lang, "dash.title"), render(f, fb, tk, devs, lang))


def _th(lang: str, *msgids: str) -> str:
    return "<tr>" + "".join(f"<th>{escape(t(lang, m))}</th>" for m in msgids) + "</tr>"


def render(f: aggregate.Filters, fb: dict, tk: dict, devs: list[dict], lang: str = "nl") -> str:
    def tx(msgid: str, **fmt) -> str:
        return escape(t(lang, msgid, **fmt))
    tot = fb["total"]
    share = "-" if tot["positive_share"] is None else f"{100 * tot['positive_share']:.0f}%"
    avg = "-" if tot["average_score"] is None else f"{tot['average_score']:.2f} / 5"
    period = f"from={f.start}&amp;to={f.end}"
    parts = [f'<h1>{tx("dash.heading")}</h1><nav><a href="/logout">{tx("dash.nav.logout")}</a>'
             f'<a href="/desk">{tx("dash.nav.desk")}</a>'
             f'<a href="/api/v1/export/daily.csv?{period}">{tx("dash.nav.daily_csv")}</a>'
             f'<a href="/api/v1/export/events.csv?{period}">{tx("dash.nav.events_csv")}</a></nav>',
             f'<form method="get"><label>{tx("dash.filter.from")} <input name="from" type="date" value="{f.start}" '
             f'style="width:auto"></label> <label>{tx("dash.filter.to")} <input name="to" type="date" '
             f'value="{f.end}" style="width:auto"></label> <label>{tx("dash.filter.device")} <input name="device" '
             f'value="{escape(f.device or "")}" style="width:auto"></label> '
             f'<button type="submit" style="width:auto">{tx("dash.filter.show")}</button></form>',
             f'<p><span class="kpi">{tx("dash.kpi.answers")}: <b id="kpi-answers">{tot["answers"]}</b></span>'
             f'<span class="kpi">{tx("dash.kpi.positive")}: <b>{share}</b></span>'
             f'<span class="kpi">{tx("dash.kpi.average")}: <b>{avg}</b></span>'
             f'<span class="kpi">{tx("dash.kpi.suppressed")}: <b>{tot["suppressed"]}</b></span>'
             f'<span class="kpi">{tx("dash.kpi.tickets")}: <b id="kpi-tickets">{tk["total"]["tickets"]}</b></span></p>']
    days = fb["days"]
    parts.append(f"<h2>{tx('dash.day.heading')}</h2>" + svg.bars(
        [d["day"][5:] for d in days], [None if d["positive_share"] is None else 100 * d["positive_share"]
                                       for d in days],
        title=t(lang, "dash.day.chart"), unit="%", vmax=100,
        line=[d["average_score"] for d in days], line_max=5))
    weeks = fb["weeks"]
    parts.append(f"<h2>{tx('dash.week.heading')}</h2>" + svg.bars(
        [w["week"] for w in weeks], [None if w["positive_share"] is None else 100 * w["positive_share"]
                                     for w in weeks],
        title=t(lang, "dash.week.chart"), unit="%", vmax=100,
        line=[w["average_score"] for w in weeks], line_max=5, height=200))
    parts.append(f"<h2>{tx('dash.suppressed.heading')}</h2>" + svg.bars(
        [d["day"][5:] for d in days], [d["suppressed"] for d in days], title=t(lang, "dash.suppressed.chart"),
        height=180, color=svg.PALETTE[3]))
    rows = "".join(f"<tr><td>{a['answer']}</td><td>{a['count']}</td><td>"
                   + escape(", ".join(f"{r} ({n})" for r, n in a["reasons"].items())) + "</td></tr>"
                   for a in fb["answers"])
    parts.append(f"<h2>{tx('dash.reasons.heading')}</h2><table>"
                 + _th(lang, "dash.reasons.answer", "dash.reasons.count", "dash.reasons.reasons") + f"{rows}</table>")
    parts.append(svg.hbars([(f"{_sentiment(lang, r['sentiment'])}: {r['reason']}", r["count"])
                            for r in fb["reasons"][:15]], title=t(lang, "dash.reasons.chart")))
    parts.append(_tickets(tk, lang))
    parts.append(_devices(devs, lang))
    return "".join(parts)


def _sentiment(lang: str, sentiment: str) -> str:
    msgid = f"dash.sentiment.{sentiment}"
    text = t(lang, msgid)
    return sentiment if text == msgid else text


def _tickets(tk: dict, lang: str) -> str:
    per_hour: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for h in tk["hours"]:
        per_hour[h["service"]][h["hour"]] += h["tickets"]
    hours = list(range(7, 21))
    out = [f"<h2>{escape(t(lang, 'dash.tickets.heading'))}</h2>"]
    for i, svc in enumerate(sorted(per_hour)):
        out.append(svg.bars([f"{h:02d}" for h in hours], [per_hour[svc].get(h, 0) for h in hours],
                            title=t(lang, "dash.tickets.chart", service=svc), height=180,
                            color=svg.PALETTE[i % len(svg.PALETTE)]))
    rows = "".join(f"<tr><td>{escape(s['service'])}</td><td>{s['tickets']}</td><td>{s['appointments']}</td>"
                   f"<td>{'-' if s['avg_estimated_wait_min'] is None else s['avg_estimated_wait_min']}</td>"
                   f"<td>{'-' if s['max_estimated_wait_min'] is None else s['max_estimated_wait_min']}</td></tr>"
                   for s in tk["services"])
    out.append(f"<h2>{escape(t(lang, 'dash.estimates.heading'))}</h2><table>"
               + _th(lang, "dash.estimates.service", "dash.estimates.tickets", "dash.estimates.appointments",
                     "dash.estimates.avg", "dash.estimates.max") + f"{rows}</table>")
    out.append(svg.hbars([(s["service"], s["avg_estimated_wait_min"] or 0) for s in tk["services"]],
                         title=t(lang, "dash.estimates.chart"), color=svg.PALETTE[1]))
    out.append(_waits(tk["wait_by_hour"], lang))
    return "".join(out)


def _waits(rows: list[dict], lang: str) -> str:
    """Estimated against real wait per hour of the day (tickets that were called)."""
    out = [f'<h2 id="waits">{escape(t(lang, "dash.waits.heading"))}</h2>']
    if not rows:
        return out[0] + f"<p>{escape(t(lang, 'dash.waits.none'))}</p>"
    top = max([r["avg_real_wait_min"] for r in rows] + [r["avg_estimated_wait_min"] for r in rows] + [1])
    out.append(svg.bars([f"{r['hour']:02d}" for r in rows], [r["avg_real_wait_min"] for r in rows],
                        title=t(lang, "dash.waits.chart"),
                        vmax=top, line=[r["avg_estimated_wait_min"] for r in rows], line_max=top,
                        color=svg.PALETTE[2]))
    body = "".join(f"<tr><td>{r['hour']:02d}:00</td><td>{r['tickets']}</td><td>{r['avg_estimated_wait_min']}</td>"
                   f"<td>{r['avg_real_wait_min']}</td><td>{100 * r['within_estimate_share']:.0f}%</td></tr>"
                   for r in rows)
    out.append('<table id="wait-by-hour">' + _th(lang, "dash.waits.hour", "dash.waits.called",
                                                 "dash.waits.avg_estimated", "dash.waits.avg_real",
                                                 "dash.waits.within") + f"{body}</table>")
    return "".join(out)


def _devices(devs: list[dict], lang: str) -> str:
    def cell(v) -> str:
        return "-" if v is None else escape(str(v))
    stale = " " + escape(t(lang, "dash.devices.stale"))
    rows = "".join(f'<tr class="{"stale" if d["stale"] else "ok"}"><td>{escape(d["device"])}</td>'
                   f'<td>{cell(d["last_heartbeat_at"])}{stale if d["stale"] else ""}</td>'
                   f'<td>{cell(d["outbox_pending"])}</td><td>{cell(d["set_aside"])}</td>'
                   f'<td>{cell(d["printer"])}</td><td>{cell(d["version"])}</td></tr>' for d in devs)
    return (f"<h2>{escape(t(lang, 'dash.devices.heading'))}</h2><table id=\"devices\">"
            + _th(lang, "dash.devices.device", "dash.devices.heartbeat", "dash.devices.outbox",
                  "dash.devices.set_aside", "dash.devices.printer", "dash.devices.version") + rows + "</table>")
