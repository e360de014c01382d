"""The desk page's language in real headless Chromium with a Dutch browser (Accept-Language
nl): the login and desk page come in Dutch, the script's messages too; the "English" link
switches the page to English and the choice stays after a reload. Driven by Playwright; no console
error and no CSP violation on the way. Screenshot: build/desk-nl.png."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import requests

from central_kit import CentralProcess, device_add, issued_payload, make_event, midday_zone, rfc3339, wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a desk password"
STAFF = [("ada", "admin", PASSWORD)]  # the desk page, then the dashboard
BROWSER_WINDOW = "1280,1400"
BROWSER_LANGUAGE = "nl-NL,nl;q=0.9,en;q=0.8"  # the `browser` fixture (conftest.py) reads it


def text(page, element_id: str) -> str:
    return page.evaluate(f"document.getElementById({json.dumps(element_id)}).textContent")


def click(page, element_id: str) -> None:
    page.click(f"#{element_id}")


def js(page, expr: str):
    return page.evaluate(expr)


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
        b = browser.page
        b.goto(central.url + "/desk")
        b.wait_for_url(re.compile(r"/login\?next="))
        assert js(b, "document.documentElement.lang") == "nl" and js(b, "document.title") == "Inloggen"
        b.fill("input[name=username]", "ada")
        b.fill("input[name=password]", PASSWORD)
        b.click("form.login button[type=submit]")
        b.wait_for_url("**/desk")
        assert js(b, "document.documentElement.lang") == "nl"
        wait_for(lambda: js(b, "document.querySelectorAll('#service-list input').length") == 1, 20, "services")
        click(b, "save-desk")
        wait_for(lambda: text(b, "error") == "Typ de naam van de balie.", 10, "a Dutch error")
        js(b, "document.getElementById('desk-name').value = '4';"
             "document.getElementById('svc-passport').checked = true")
        click(b, "save-desk")
        wait_for(lambda: js(b, "document.querySelectorAll('#queue tbody tr').length") == 2, 20, "the queue")
        assert text(b, "call-next") == "Volgende oproepen"
        assert js(b, "document.querySelector('#queue tbody tr').cells[5].textContent") == "wacht"
        click(b, "call-next")
        wait_for(lambda: text(b, "status") == "Opgeroepen: A001", 20, "called, in Dutch")
        assert text(b, "counts") == "Wachtend 1, opgeroepen 1, geholpen 0, niet gekomen 0"
        out = ROOT / "build" / "desk-nl.png"
        out.parent.mkdir(exist_ok=True)
        b.screenshot(path=str(out), full_page=True)

        b.click("a.lang-switch")  # "English"
        b.wait_for_url(re.compile(r"[?&]lang=en"))
        wait_for(lambda: js(b, "document.readyState") == "complete" and
                 js(b, "document.documentElement.lang") == "en" and
                 js(b, "document.querySelectorAll('#queue tbody tr').length") == 2, 20, "the English page")
        assert text(b, "call-next") == "Call next" and js(b, "document.title") == "Desk: call tickets"
        wait_for(lambda: text(b, "counts") == "Waiting 1, called 1, served 0, no-show 0", 20, "English counts")
        click(b, "served")
        wait_for(lambda: text(b, "status") == "Served A001", 20, "served, in English")
        b.goto(central.url + "/desk")  # no ?lang= now: the cookie decides
        assert js(b, "document.documentElement.lang") == "en" and text(b, "call-next") == "Call next"
        b.goto(central.url + "/dashboard")
        assert b.evaluate("location.pathname") == "/dashboard"
        assert js(b, "document.documentElement.lang") == "en" and js(b, "document.querySelector('h1').textContent") \
            == "Public hall: feedback and tickets"
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    browser.check()  # no console error, CSP violation or script error on the way
