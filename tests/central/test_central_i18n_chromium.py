"""The desk page's language in real headless Chromium with a Dutch browser (Accept-Language
nl): the login and desk page come in Dutch, the script's messages too; the "English" link
switches the page to English and the choice stays after a reload. Screenshot: build/desk-nl.png."""
from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import requests

from central_kit import CentralProcess, device_add, issued_payload, make_event, midday_zone, rfc3339, wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a desk password"
STAFF = [("ada", "admin", PASSWORD)]  # the desk page, then the dashboard
BROWSER_WINDOW = "1280,1400"
BROWSER_LANGUAGE = "nl-NL,nl;q=0.9,en;q=0.8"  # the `browser` fixture (conftest.py) reads it


def text(b, element_id: str) -> str:
    return b.js(f"document.getElementById({json.dumps(element_id)}).textContent")


def click(b, element_id: str) -> None:
    b.js(f"document.getElementById({json.dumps(element_id)}).click()")


def test_desk_page_in_dutch_then_english(browser, tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone()}
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        token = device_add(db, "kiosk-hall")
        now = dt.datetime.now(dt.timezone.utc)
        r = requests.post(central.url + "/api/v1/events", headers={"Authorization": f"Bearer {token}"}, timeout=30,
                          json={"events": [make_event("kiosk-hall", n, "ticket.issued", issued_payload("passport", n),
                                                      rfc3339(now - dt.timedelta(minutes=10 - n)))
                                           for n in (1, 2)]})
        assert r.json()["accepted"] == 2, r.text
        b = browser
        b.call("Page.enable")
        b.call("Page.navigate", url=central.url + "/desk")
        wait_for(lambda: b.js("location.pathname + document.readyState") == "/logincomplete", 20, "login page")
        assert b.js("document.documentElement.lang") == "nl" and b.js("document.title") == "Inloggen"
        b.js("document.querySelector('input[name=username]').value = 'ada';"
             f"document.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};"
             "document.querySelector('form.login').submit()")
        wait_for(lambda: b.js("location.pathname + document.readyState") == "/deskcomplete", 20, "desk page")
        assert b.js("document.documentElement.lang") == "nl"
        wait_for(lambda: b.js("document.querySelectorAll('#service-list input').length") == 1, 20, "services")
        click(b, "save-desk")
        wait_for(lambda: text(b, "error") == "Typ de naam van de balie.", 10, "a Dutch error")
        b.js("document.getElementById('desk-name').value = '4';"
             "document.getElementById('svc-passport').checked = true")
        click(b, "save-desk")
        wait_for(lambda: b.js("document.querySelectorAll('#queue tbody tr').length") == 2, 20, "the queue")
        assert text(b, "call-next") == "Volgende oproepen"
        assert b.js("document.querySelector('#queue tbody tr').cells[5].textContent") == "wacht"
        click(b, "call-next")
        wait_for(lambda: text(b, "status") == "Opgeroepen: A001", 20, "called, in Dutch")
        assert text(b, "counts") == "Wachtend 1, opgeroepen 1, geholpen 0, niet gekomen 0"
        shot = b.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)

        b.js("document.querySelector('a.lang-switch').click()")  # "English"
        wait_for(lambda: b.js("document.readyState") == "complete" and
                 b.js("document.documentElement && document.documentElement.lang") == "en" and
                 b.js("document.querySelectorAll('#queue tbody tr').length") == 2, 20, "the English page")
        assert text(b, "call-next") == "Call next" and b.js("document.title") == "Desk: call tickets"
        wait_for(lambda: text(b, "counts") == "Waiting 1, called 1, served 0, no-show 0", 20, "English counts")
        click(b, "served")
        wait_for(lambda: text(b, "status") == "Served A001", 20, "served, in English")
        b.call("Page.navigate", url=central.url + "/desk")  # no ?lang= now: the cookie decides
        wait_for(lambda: b.js("location.pathname + document.readyState") == "/deskcomplete", 20, "desk again")
        assert b.js("document.documentElement.lang") == "en" and text(b, "call-next") == "Call next"
        b.call("Page.navigate", url=central.url + "/dashboard")
        wait_for(lambda: b.js("location.pathname + document.readyState") == "/dashboardcomplete", 20, "dashboard")
        assert b.js("document.documentElement.lang") == "en" and b.js("document.querySelector('h1').textContent") \
            == "Public hall: feedback and tickets"
    out = ROOT / "build" / "desk-nl.png"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(base64.b64decode(shot["data"]))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
