"""The mobile ticket page in real headless Chromium against a real kiosk-central process: a
Dutch ticket shows its number and the people ahead, then changes by itself (JavaScript, no
reload) to "called at desk 4" with the route when a desk calls it through the API, then to
served, where the visitor answers the satisfaction question (a smiley, a reason, Done); an English ticket reads in English (right to left for Arabic); an unknown token gives
the 404 page; with JavaScript switched off the page still shows the ticket. Driven by Playwright;
no console error and no CSP violation on the way (only the 404 the unknown token is meant to give).
Screenshot: build/mobile-ticket.png."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import requests

from central import queue
from central_kit import (CentralProcess, device_add, issued_payload, make_event, midday_zone, rfc3339,
                         staff_session, wait_for)

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a desk password"
STAFF = [("dora", "desk", PASSWORD)]
BROWSER_WINDOW = "412,915"  # a phone (the `browser` fixture reads it)
ROUTE = {"nl": ["Loop rechtdoor naar de lift.", "De wachtruimte is links."],
         "en": ["Walk straight on to the lift.", "The waiting area is on your left."],
         "ar": ["امشِ مباشرة إلى المصعد.", "منطقة الانتظار على يسارك."]}
DESK4 = {"nl": ["Ga bij de lift naar rechts.", "Balie 4 is de derde balie."],
         "en": ["Turn right at the lift.", "Desk 4 is the third desk."], "ar": ["انعطف يمينًا عند المصعد."]}
# WCAG contrast of visible text against its (inherited) background; the worst offenders
CONTRAST_JS = """(() => {
  const lum = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]); };
  const bg = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
    if (c && !c.endsWith(', 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  return [...document.querySelectorAll('h1,h2,p,li,a')].filter(el => el.offsetParent && el.textContent.trim())
    .map(el => { const a = lum(getComputedStyle(el).color), b = lum(bg(el));
                 return [el.textContent.trim().slice(0, 20), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]; })
    .filter(x => x[1] < 4.5); })()"""


def token(n: int) -> str:
    return f"Mob{n:02d}_ticket-xyz"  # 16 characters of the token alphabet


def seed(db: str, url: str, zone: str) -> None:
    dev = device_add(db, "kiosk-hall")
    now = dt.datetime.now(dt.timezone.utc)
    day = queue.today(zone, now.replace(tzinfo=None))[0].isoformat()  # the site's day, as the kiosk says it
    batch = []
    for i, (n, lang) in enumerate([(1, "nl"), (2, "nl"), (3, "en"), (4, "ar")]):
        p = issued_payload("passport", n, lang=lang, day=day)
        p.update(token=token(n), service_name={"nl": "Paspoort", "en": "Passport", "ar": "جواز السفر"}[lang],
                 wait_at={"nl": "Wachtruimte, begane grond", "en": "Waiting area, ground floor",
                          "ar": "منطقة الانتظار، الطابق الأرضي"}[lang],
                 route=ROUTE[lang], desk_routes={"4": DESK4[lang]})
        batch.append(make_event("kiosk-hall", i + 1, "ticket.issued", p, rfc3339(now - dt.timedelta(minutes=10 - i))))
    r = requests.post(url + "/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {dev}"},
                      timeout=30)
    assert r.json()["accepted"] == 4, r.text


def text(page, element_id: str) -> str | None:
    return page.evaluate(f"(document.getElementById({json.dumps(element_id)}) || {{}}).textContent || null")


def js(page, expr: str):
    return page.evaluate(expr)


def open_page(page, url: str) -> None:
    page.goto(url)
    assert page.evaluate("location.href") == url


def desk(central, action: str, body: dict) -> dict:
    r = staff_session(central.url, "dora", PASSWORD).post(f"{central.url}/api/v1/desk/{action}", json=body,
                                                          timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["ticket"]


def test_mobile_ticket_in_headless_chromium(browser, tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    zone = midday_zone()
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": zone,
           "KIOSK_CENTRAL_PUBLIC_POLL_S": "1"}
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        seed(db, central.url, zone)
        b = browser.page
        # a Dutch ticket, waiting: the number and the people ahead
        open_page(b, f"{central.url}/t/{token(2)}")
        assert js(b, "document.documentElement.lang") == "nl" and js(b, "document.title") == "Uw ticket A002"
        assert text(b, "number") == "A002" and text(b, "service") == "Paspoort"
        assert text(b, "status") == "U wacht op uw beurt" and text(b, "ahead") == "Er is 1 persoon voor u."
        assert text(b, "wait-at") == "Wachtruimte, begane grond"
        assert js(b, "[...document.querySelectorAll('#route li')].map(li => li.textContent)") == ROUTE["nl"]
        wait_for(lambda: js(b, "document.body.dataset.live") == "poll", 20, "the page's script")
        js(b, "window.sameDocument = true")  # gone if the page were reloaded
        low_contrast = js(b, CONTRAST_JS)

        # A001 is called elsewhere: one fewer ahead, shown by itself
        first = desk(central, "call-next", {"desk": "7", "services": ["passport"]})
        assert first["label"] == "A001"
        wait_for(lambda: text(b, "ahead") == "U bent de volgende.", 20, "people ahead to drop")
        # A002 is called at desk 4: the page says so, large, with the route to desk 4
        called = desk(central, "call-next", {"desk": "4", "services": ["passport"]})
        assert called["label"] == "A002"
        wait_for(lambda: text(b, "desk") == "Opgeroepen: balie 4", 20, "the call on the page")
        assert text(b, "status") == "U bent aan de beurt!" and text(b, "number") == "A002"
        assert js(b, "[...document.querySelectorAll('#route li')].map(li => li.textContent)") == DESK4["nl"]
        assert js(b, "parseFloat(getComputedStyle(document.getElementById('desk')).fontSize)") >= 40
        low_contrast += js(b, CONTRAST_JS)
        out = ROOT / "build" / "mobile-ticket.png"
        out.parent.mkdir(exist_ok=True)
        b.screenshot(path=str(out), full_page=True)
        # served: the closing message, and the page stops following the ticket
        desk(central, f"tickets/{called['id']}/served", {"desk": "4"})
        wait_for(lambda: text(b, "status") == "U bent geholpen", 20, "served on the page")
        assert js(b, "window.sameDocument") is True  # all of it without a reload
        assert js(b, "document.getElementById('ticket').dataset.api") is None
        # the question after service (issue 17): a smiley, a reason, Done; then the thanks
        assert text(b, "question-text") == "Hoe was uw bezoek vandaag?"
        with b.expect_navigation():
            b.click("a.face[data-answer='4']")
        b.check("input[name='reason'][value='friendliness']")
        low_contrast += js(b, CONTRAST_JS)
        with b.expect_navigation():
            b.click("button[value='done']")
        assert text(b, "thanks") == "Bedankt voor uw mening!"

        # an English ticket (next in line now), and an Arabic one (right to left)
        open_page(b, f"{central.url}/t/{token(3)}")
        assert js(b, "document.documentElement.lang") == "en" and text(b, "status") == "Waiting for your turn"
        assert text(b, "ahead") == "You are next." and text(b, "service") == "Passport"
        assert text(b, "wait-at") == "Waiting area, ground floor"
        open_page(b, f"{central.url}/t/{token(4)}")
        assert js(b, "document.documentElement.dir + getComputedStyle(document.body).direction") == "rtlrtl"
        assert text(b, "status") == "انتظر دورك" and text(b, "ahead") == "يوجد شخص واحد (1) قبلك."

        # an unknown token: the 404 page, in the browser's language (English here)
        browser.expect("status of 404")  # the unknown token's page
        open_page(b, f"{central.url}/t/unknownunknown42")
        assert text(b, "status") == "Ticket not found"
        assert "A ticket is only valid on the day you took it." in js(b, "document.body.innerText")

        # without JavaScript the page still shows the ticket (and refreshes itself every 30 s)
        b = browser.new_page(java_script=False)
        open_page(b, f"{central.url}/t/{token(3)}?lang=nl")
        assert text(b, "number") == "A003" and text(b, "ahead") == "U bent de volgende."
        assert js(b, "document.body.dataset.live") is None  # the script did not run
    assert low_contrast == []
    browser.check()  # no console error, CSP violation or script error on the way
