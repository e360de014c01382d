"""Staff pages: /login, /logout and /dashboard (server-drawn SVG charts, no external files)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from html import escape

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from central import aggregate, auth, svg
from central.staff import COOKIE, current_user, key
from central.stats import filters

router = APIRouter(tags=["dashboard"])

CSS = """body{font-family:sans-serif;margin:1.5rem;color:#111;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem .6rem;text-align:left}
tr.stale{background:#ffe0e0;font-weight:bold}.kpi{display:inline-block;margin-right:2rem;font-size:1.1rem}
form.login{max-width:20rem}input,button{font-size:1.1rem;padding:.5rem;margin:.3rem 0;width:100%}
.error{color:#a4343a;font-weight:bold}nav a{margin-right:1rem}"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                        f'<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>')


def _login_form(error: str = "", next_url: str = "/dashboard") -> HTMLResponse:
    err = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return _page("Log in", f'<h1>Kiosk central: log in</h1>{err}<form class="login" method="post" action="/login">'
                 f'<label>User<input name="username" autocomplete="username" value="admin"></label>'
                 f'<label>Password<input name="password" type="password" autocomplete="current-password">'
                 f'</label><input type="hidden" name="next" value="{escape(next_url)}">'
                 f'<button type="submit">Log in</button></form>')


@router.get("/login", response_class=HTMLResponse, include_in_schema=True, summary="Login form")
def login_form(request: Request, next: str = "/dashboard"):  # noqa: A002
    return _login_form(next_url=next if next.startswith("/") and not next.startswith("//") else "/dashboard")


@router.post("/login", summary="Log in (form: username, password); sets a session cookie")
async def login(request: Request):
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - any unreadable form is just a failed login
        return _login_form("Could not read the form.")
    user, pw = str(form.get("username", "")), str(form.get("password", ""))
    nxt = str(form.get("next", "/dashboard"))
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/dashboard"
    settings = request.app.state.settings
    if not settings.admin_password_hash:
        return _login_form("No admin password is set on the server (admin_password_hash).")
    ok = user == settings.admin_user and await run_in_threadpool(auth.check_password, pw,
                                                                   settings.admin_password_hash)
    if not ok:
        resp = _login_form("Wrong user name or password.")
        resp.status_code = 401
        return resp
    resp = RedirectResponse(nxt, status_code=303)
    resp.set_cookie(COOKIE, auth.make_cookie(key(request), user, settings.session_hours),
                    max_age=int(settings.session_hours * 3600), httponly=True, samesite="strict",
                    secure=request.url.scheme == "https")
    return resp


@router.get("/logout", summary="Log out")
def logout():
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp


@router.get("/dashboard", response_class=HTMLResponse, summary="Satisfaction, tickets and devices")
async def dashboard(request: Request):
    if not current_user(request):
        return RedirectResponse("/login?next=/dashboard", status_code=303)
    q = request.query_params
    try:
        f = filters(request, q.get("from"), q.get("to"), q.get("device"))
    except HTTPException as e:
        return _page("Dashboard", f'<p class="error">{escape(str(e.detail))}</p><a href="/dashboard">reset</a>')
    if f.start is None and f.end is None:
        today = dt.datetime.now(f.zone).date()
        f.start, f.end = today - dt.timedelta(days=27), today
    engine, settings = request.app.state.engine, request.app.state.settings
    fb = await run_in_threadpool(aggregate.feedback_stats, engine, f)
    tk = await run_in_threadpool(aggregate.ticket_stats, engine, f)
    devs = await run_in_threadpool(aggregate.device_table, engine, settings.stale_after_min)
    return _page("Dashboard", render(f, fb, tk, devs))


def render(f: aggregate.Filters, fb: dict, tk: dict, devs: list[dict]) -> str:
    t = fb["total"]
    share = "-" if t["positive_share"] is None else f"{100 * t['positive_share']:.0f}%"
    avg = "-" if t["average_score"] is None else f"{t['average_score']:.2f} / 5"
    parts = [f'<h1>Public hall: feedback and tickets</h1><nav><a href="/logout">log out</a><a href="/desk">desk page</a>'
             f'<a href="/api/v1/export/daily.csv?from={f.start}&to={f.end}">daily CSV</a>'
             f'<a href="/api/v1/export/events.csv?from={f.start}&to={f.end}">events CSV</a></nav>',
             f'<form method="get"><label>From <input name="from" type="date" value="{f.start}" style="width:auto">'
             f'</label> <label>To <input name="to" type="date" value="{f.end}" style="width:auto"></label> '
             f'<label>Device <input name="device" value="{escape(f.device or "")}" style="width:auto"></label> '
             f'<button type="submit" style="width:auto">Show</button></form>',
             f'<p><span class="kpi">Answers: <b id="kpi-answers">{t["answers"]}</b></span>'
             f'<span class="kpi">Positive: <b>{share}</b></span><span class="kpi">Average: <b>{avg}</b></span>'
             f'<span class="kpi">Suppressed taps: <b>{t["suppressed"]}</b></span>'
             f'<span class="kpi">Tickets: <b id="kpi-tickets">{tk["total"]["tickets"]}</b></span></p>']
    days = fb["days"]
    parts.append("<h2>Satisfaction per day</h2>" + svg.bars(
        [d["day"][5:] for d in days], [None if d["positive_share"] is None else 100 * d["positive_share"]
                                       for d in days],
        title="Positive answers (%, bars) and average score (1-5, line)", unit="%", vmax=100,
        line=[d["average_score"] for d in days], line_max=5))
    weeks = fb["weeks"]
    parts.append("<h2>Satisfaction per week</h2>" + svg.bars(
        [w["week"] for w in weeks], [None if w["positive_share"] is None else 100 * w["positive_share"]
                                     for w in weeks],
        title="Positive answers per week (%) and average (line)", unit="%", vmax=100,
        line=[w["average_score"] for w in weeks], line_max=5, height=200))
    parts.append("<h2>Suppressed taps per day</h2>" + svg.bars(
        [d["day"][5:] for d in days], [d["suppressed"] for d in days], title="Taps too soon after an answer",
        height=180, color=svg.PALETTE[3]))
    rows = "".join(f"<tr><td>{a['answer']}</td><td>{a['count']}</td><td>"
                   + escape(", ".join(f"{r} ({n})" for r, n in a["reasons"].items())) + "</td></tr>"
                   for a in fb["answers"])
    parts.append("<h2>Reasons per answer</h2><table><tr><th>Answer</th><th>Count</th><th>Reasons</th></tr>"
                 f"{rows}</table>")
    parts.append(svg.hbars([(f"{r['sentiment']}: {r['reason']}", r["count"]) for r in fb["reasons"][:15]],
                           title="Most given reasons"))
    parts.append(_tickets(tk))
    parts.append(_devices(devs))
    return "".join(parts)


def _tickets(tk: dict) -> str:
    per_hour: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for h in tk["hours"]:
        per_hour[h["service"]][h["hour"]] += h["tickets"]
    hours = list(range(7, 21))
    out = ["<h2>Tickets per service per hour</h2>"]
    for i, svc in enumerate(sorted(per_hour)):
        out.append(svg.bars([f"{h:02d}" for h in hours], [per_hour[svc].get(h, 0) for h in hours],
                            title=f"{svc}: tickets by hour of day", height=180,
                            color=svg.PALETTE[i % len(svg.PALETTE)]))
    rows = "".join(f"<tr><td>{escape(s['service'])}</td><td>{s['tickets']}</td><td>{s['appointments']}</td>"
                   f"<td>{'-' if s['avg_estimated_wait_min'] is None else s['avg_estimated_wait_min']}</td>"
                   f"<td>{'-' if s['max_estimated_wait_min'] is None else s['max_estimated_wait_min']}</td></tr>"
                   for s in tk["services"])
    out.append("<h2>Estimated waits</h2><table><tr><th>Service</th><th>Tickets</th><th>Appointments</th>"
               f"<th>Avg. estimated wait (min)</th><th>Max (min)</th></tr>{rows}</table>")
    out.append(svg.hbars([(s["service"], s["avg_estimated_wait_min"] or 0) for s in tk["services"]],
                         title="Average estimated wait per service (min)", color=svg.PALETTE[1]))
    out.append(_waits(tk["wait_by_hour"]))
    return "".join(out)


def _waits(rows: list[dict]) -> str:
    """Estimated against real wait per hour of the day (tickets that were called)."""
    out = ['<h2 id="waits">Estimated vs real wait per hour of the day</h2>']
    if not rows:
        return out[0] + "<p>No called tickets with an estimate in this period.</p>"
    top = max([r["avg_real_wait_min"] for r in rows] + [r["avg_estimated_wait_min"] for r in rows] + [1])
    out.append(svg.bars([f"{r['hour']:02d}" for r in rows], [r["avg_real_wait_min"] for r in rows],
                        title="Real wait (bars) and estimated wait (line), minutes, by hour of issue",
                        vmax=top, line=[r["avg_estimated_wait_min"] for r in rows], line_max=top,
                        color=svg.PALETTE[2]))
    body = "".join(f"<tr><td>{r['hour']:02d}:00</td><td>{r['tickets']}</td><td>{r['avg_estimated_wait_min']}</td>"
                   f"<td>{r['avg_real_wait_min']}</td><td>{100 * r['within_estimate_share']:.0f}%</td></tr>"
                   for r in rows)
    out.append('<table id="wait-by-hour"><tr><th>Hour</th><th>Called tickets</th><th>Avg. estimated (min)</th>'
               f"<th>Avg. real (min)</th><th>Real within the estimate</th></tr>{body}</table>")
    return "".join(out)


def _devices(devs: list[dict]) -> str:
    def cell(v) -> str:
        return "-" if v is None else escape(str(v))
    rows = "".join(f'<tr class="{"stale" if d["stale"] else "ok"}"><td>{escape(d["device"])}</td>'
                   f'<td>{cell(d["last_heartbeat_at"])}{" (stale)" if d["stale"] else ""}</td>'
                   f'<td>{cell(d["outbox_pending"])}</td><td>{cell(d["set_aside"])}</td>'
                   f'<td>{cell(d["printer"])}</td><td>{cell(d["version"])}</td></tr>' for d in devs)
    return ("<h2>Devices</h2><table id=\"devices\"><tr><th>Device</th><th>Last heartbeat (UTC)</th>"
            "<th>Outbox</th><th>Set aside</th><th>Printer</th><th>Version</th></tr>" + rows + "</table>")
