"""The desk page in real headless Chromium against a real kiosk-central process: log in,
pick the desk and its services, call next, recall, served, put back, call a chosen ticket;
the choice is remembered after a reload; the hall's GET /api/v1/queue sees every call.
Driven by Playwright; no console error and no CSP violation on the way. Screenshot: build/desk.png."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import requests

from central_kit import (CentralProcess, log_in, device_add, issued_payload, make_event, midday_zone,
                             rfc3339, wait_for)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a desk password"
STAFF = [("dora", "desk", PASSWORD)]
BROWSER_WINDOW = "1280,1400"  # the `browser` fixture (conftest.py) reads it

# WCAG contrast of every visible text element and button against its (inherited) background
CONTRAST_JS = """(() => {
  const lum = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]); };
  const bg = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
    if (c && !c.endsWith(', 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const worst = [];
  for (const el of document.querySelectorAll('h1,h2,p,label,legend,button,td,th,a,strong,span')) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) worst.push(el.tagName + ' ' + el.textContent.trim().slice(0, 20) + ' ' + ratio.toFixed(2));
  }
  return worst; })()"""


def seed(db: str, url: str) -> str:
    token = device_add(db, "kiosk-hall")
    now = dt.datetime.now(dt.timezone.utc)
    specs = [("passport", 1, 10, False, "A"), ("passport", 2, 3, True, "A"), ("parking", 3, 5, False, "B")]
    batch = [make_event("kiosk-hall", i + 1, "ticket.issued",
                        issued_payload(svc, n, prefix=p, appointment=appt, lang="en" if appt else "nl"),
                        rfc3339(now - dt.timedelta(minutes=ago))) for i, (svc, n, ago, appt, p) in enumerate(specs)]
    r = requests.post(url + "/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"},
                      timeout=30)
    assert r.json()["accepted"] == 3, r.text
    return token


def click(page, element_id: str) -> None:
    page.click(f"#{element_id}")


def status(page) -> str:
    return page.text_content("#status")


def rows(page) -> list:
    return page.evaluate("[...document.querySelectorAll('#queue tbody tr')].map(r => [r.cells[0].textContent, "
                         "r.cells[5].textContent, r.cells[6].textContent])")


def js(page, expr: str):
    return page.evaluate(expr)


def test_desk_page_in_headless_chromium(browser, tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone()}
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        token = seed(db, central.url)
        b = browser.page
        log_in(b, central.url, "/desk", "dora", PASSWORD)
        # first visit: the setup form, with the services seen today
        wait_for(lambda: js(b, "document.querySelectorAll('#service-list input').length") == 2, 20, "services")
        click(b, "save-desk")  # nothing filled in yet: a clear message, nothing saved
        wait_for(lambda: js(b, "document.getElementById('error').textContent") == "Type the desk name.", 10, "error")
        js(b, "document.getElementById('desk-name').value = '4';"
             "document.getElementById('svc-passport').checked = true")
        click(b, "save-desk")
        wait_for(lambda: js(b, "!document.getElementById('work').hidden") and len(rows(b)) == 2, 20, "the queue")
        assert rows(b) == [["A002", "waiting", ""], ["A001", "waiting", ""]]  # appointment first
        assert js(b, "document.getElementById('error').hidden")

        click(b, "call-next")
        wait_for(lambda: status(b) == "Called A002", 20, "call next")
        assert js(b, "document.getElementById('current-label').textContent") == "A002"
        click(b, "recall")
        wait_for(lambda: status(b) == "Called again A002", 20, "recall")
        click(b, "served")
        wait_for(lambda: status(b) == "Served A002", 20, "served")
        wait_for(lambda: js(b, "document.getElementById('current-ticket').hidden"), 20, "no current ticket")
        click(b, "call-next")
        wait_for(lambda: status(b) == "Called A001", 20, "call next again")
        click(b, "put-back")
        wait_for(lambda: status(b) == "Put back A001" and rows(b)[0] == ["A001", "waiting", ""], 20, "put back")
        js(b, "document.querySelector('#queue tbody tr button.call-this').click()")  # call the chosen ticket
        wait_for(lambda: status(b) == "Called A001" and rows(b)[0] == ["A001", "called", "4"], 20, "call chosen")
        click(b, "no-show")
        wait_for(lambda: status(b) == "No-show A001", 20, "no-show")
        click(b, "call-next")
        wait_for(lambda: status(b) == "Nobody is waiting for passport.", 20, "nobody waiting")
        assert sorted(rows(b)) == [["A001", "no-show", "4"], ["A002", "served", "4"]]

        # the desk and its services are remembered by the browser
        b.reload()
        wait_for(lambda: js(b, "document.readyState") == "complete" and
                 js(b, "!document.getElementById('work').hidden") and len(rows(b)) == 2, 20, "reload")
        assert js(b, "document.getElementById('desk-label').textContent") == "4"
        assert js(b, "document.getElementById('counts').textContent") == "Waiting 0, called 0, served 1, no-show 1"

        # live: with the stream up the page does not poll; a new ticket still shows by itself
        wait_for(lambda: js(b, "document.body.dataset.live") == "stream", 20, "the desk stream")
        now = dt.datetime.now(dt.timezone.utc)
        r = requests.post(central.url + "/api/v1/events", headers={"Authorization": f"Bearer {token}"}, timeout=30,
                          json={"events": [make_event("kiosk-hall", 9, "ticket.issued",
                                                      issued_payload("passport", 9), rfc3339(now))]})
        assert r.json()["accepted"] == 1, r.text
        wait_for(lambda: ["A009", "waiting", ""] in rows(b), 20, "the new ticket pushed to the page")
        assert js(b, "document.getElementById('live').textContent").startswith("Live")
        assert js(b, "document.querySelector('#queue tbody tr').cells[7].textContent") == "waited longest"

        # a pause with its reason: shown, call next off; resume turns it on again
        b.fill("#pause-reason", "lunch")
        click(b, "pause")
        wait_for(lambda: status(b) == "Desk 4 is paused", 20, "pause")
        assert js(b, "document.getElementById('paused').textContent").startswith("Paused: lunch")
        assert js(b, "document.getElementById('call-next').disabled")
        click(b, "resume")
        wait_for(lambda: status(b) == "Desk 4 works again", 20, "resume")
        assert js(b, "document.getElementById('paused').hidden && !document.getElementById('call-next').disabled")

        facts = js(b, """({
            unlabelled: [...document.querySelectorAll('input')].filter(i => !i.labels || !i.labels.length).length,
            smallest_button: Math.min(...[...document.querySelectorAll('button')].filter(x => x.offsetParent)
                                      .map(x => x.getBoundingClientRect().height)),
            call_next: document.getElementById('call-next').getBoundingClientRect().height})""")
        low_contrast = js(b, CONTRAST_JS)
        out = ROOT / "build" / "desk.png"
        out.parent.mkdir(exist_ok=True)
        b.screenshot(path=str(out), full_page=True)
        hall = requests.get(central.url + "/api/v1/queue", headers={"Authorization": f"Bearer {token}"},
                            timeout=10).json()
    browser.check()  # no console error, CSP violation or script error on the way
    assert [(c["ticket"], c["desk"], c["recall"], c["lang"]) for c in hall["calls"]] == [
        ("A002", "4", False, "en"), ("A002", "4", True, "en"), ("A001", "4", False, "nl"), ("A001", "4", False, "nl")]
    assert hall["services"]["passport"]["waiting"] == 1 and hall["services"]["parking"]["waiting"] == 1
    assert facts["unlabelled"] == 0 and facts["smallest_button"] >= 48 and facts["call_next"] >= 80
    assert low_contrast == []
    png = out.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10000
