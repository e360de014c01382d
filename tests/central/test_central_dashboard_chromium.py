"""The dashboard in real headless Chromium (Debian's chromium), driven by Playwright: log in
through the form, see the charts drawn with data, the busiest hours in Dutch, save a screenshot to
build/dashboard.png.
No console error and no Content-Security-Policy violation on the way (the `browser` fixture)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import requests

from central_kit import (CentralProcess, device_add, feedback_payload, make_event, midday_zone,
                         staff_session, ticket_payload)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a dashboard password"
STAFF = [("anna", "analyst", PASSWORD), ("dora", "desk", PASSWORD)]  # the dashboard; the desk calls


def seed(db: str, url: str) -> None:
    token = device_add(db, "pillar-hall")
    device_add(db, "pillar-silent")  # never reports: shown as stale
    now = dt.datetime.now(dt.timezone.utc)
    batch, seq = [], 0
    for day in range(10):
        for k in range(12):
            seq += 1
            at = (now - dt.timedelta(days=day, hours=k % 6)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            answer = [5, 4, 4, 3, 2, 1, 5, 5, 4, 1, 3, 5][k]
            reasons = [["clarity"], ["friendliness"], [], ["waiting_time"], ["opening_hours"], ["waiting_time"]][k % 6]
            batch.append(make_event("pillar-hall", seq, "feedback.given", feedback_payload(answer, reasons=reasons), at))
            seq += 1
            svc = ["passport", "parking", "waste"][k % 3]
            batch.append(make_event("pillar-hall", seq, "ticket.issued", ticket_payload(svc, k, (5 + k, 10 + k)), at))
        seq += 1
        batch.append(make_event("pillar-hall", seq, "feedback.suppressed", {"answer": 5, "since_last_ms": 900},
                                (now - dt.timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%S.000Z")))
    seq += 1
    batch.append(make_event("pillar-hall", seq, "heartbeat", {"outbox_pending": 0, "printer_state": "online",
                                                              "app_version": "0.1.0"},
                            now.strftime("%Y-%m-%dT%H:%M:%S.000Z")))
    for i in range(0, len(batch), 500):
        r = requests.post(url + "/api/v1/events", json={"events": batch[i:i + 500]},
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert r.status_code == 200 and not r.json()["rejected"], r.text


def call_some(url: str) -> int:
    """Desk 4 calls and serves today's passport and parking tickets: their real waits."""
    desk = staff_session(url, "dora", PASSWORD)
    n = 0
    while True:
        r = desk.post(url + "/api/v1/desk/call-next", json={"desk": "4", "services": ["passport", "parking"]},
                      timeout=30)
        t = r.json()["ticket"]
        if t is None:
            return n
        assert desk.post(url + f"/api/v1/desk/tickets/{t['id']}/served", json={"desk": "4"},
                         timeout=30).status_code == 200
        n += 1


def test_dashboard_in_headless_chromium(browser, tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone()}  # today's tickets stay on today
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        seed(db, central.url)
        called = call_some(central.url)
        page = browser.page
        page.goto(central.url + "/dashboard")
        page.wait_for_url(re.compile(r"/login\?next="))
        browser.expect("status of 401")  # the wrong password's page
        page.fill("input[name=username]", "anna")
        page.fill("input[name=password]", "wrong")
        page.click("form.login button[type=submit]")
        page.locator(".error").wait_for()
        page.fill("input[name=username]", "anna")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_url("**/dashboard")
        facts = page.evaluate("""() => ({
            charts: document.querySelectorAll('svg.chart').length,
            bars: [...document.querySelectorAll('svg.chart rect.bar')].filter(r => +r.getAttribute('height') > 0
                  || +r.getAttribute('width') > 0).length,
            lines: document.querySelectorAll('svg.chart polyline.line').length,
            answers: document.getElementById('kpi-answers').textContent,
            tickets: document.getElementById('kpi-tickets').textContent,
            stale: [...document.querySelectorAll('#devices tr.stale')].map(r => r.cells[0].textContent),
            fresh: [...document.querySelectorAll('#devices tr.ok')].map(r => r.cells[0].textContent),
            width: document.querySelector('svg.chart').getBoundingClientRect().width,
            waitChart: !!document.querySelector('#waits ~ svg.chart polyline.line'),
            waitRows: [...document.querySelectorAll('#wait-by-hour tr')].slice(1).map(r => +r.cells[1].textContent),
            filterWidth: document.querySelector('form.filters input[name=from]').getBoundingClientRect().width,
            height: document.body.scrollHeight})""")
        page.click("a.lang-switch")  # Dutch: the busiest hours as a weekday x hour table (issue #17)
        page.wait_for_url(re.compile(r"lang=nl"))
        heat = page.evaluate("""() => ({
            heading: document.getElementById('busiest').textContent,
            days: [...document.querySelectorAll('#heat-map tr')].slice(1).map(r => r.cells[0].textContent),
            total: [...document.querySelectorAll('#heat-map td')].reduce((s, c) => s + +c.textContent, 0),
            darkest: getComputedStyle(document.querySelector('#heat-map td.heat-5')).backgroundColor,
            ink: getComputedStyle(document.querySelector('#heat-map td.heat-5')).color})""")
        out = ROOT / "build" / "dashboard.png"
        out.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        browser.check()  # no console error, CSP violation or script error on any page
    assert facts["answers"] == "120" and facts["tickets"] == "120"
    assert facts["charts"] >= 8 and facts["bars"] >= 40 and facts["lines"] >= 2
    assert facts["stale"] == ["pillar-silent"] and facts["fresh"] == ["pillar-hall"]
    assert facts["width"] > 500 and facts["filterWidth"] < 400  # staff.css applied (not blocked by the CSP)
    # estimated against real wait per hour, for the tickets desk 4 called today
    assert called == 8 and facts["waitChart"] and sum(facts["waitRows"]) == called
    assert heat["heading"] == "Drukste uren" and heat["days"] == ["maandag", "dinsdag", "woensdag", "donderdag",
                                                                 "vrijdag", "zaterdag", "zondag"]
    assert heat["total"] == 120 and (heat["darkest"], heat["ink"]) == ("rgb(11, 61, 110)", "rgb(255, 255, 255)")
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000
