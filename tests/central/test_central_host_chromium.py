"""The hosts' page /host in real headless Chromium against a real kiosk-central process
(issue #18): a help.requested event posted by a device appears without a reload, "Ik kom
eraan" makes it "coming" with the host's name in the hall's GET /api/v1/queue, "Klaar" takes
it off; the desk page lists it too. No console error and no CSP violation on the way.
Screenshot: build/host.png (a phone-sized window)."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import requests

from central_kit import CentralProcess, log_in, device_add, make_event, midday_zone, rfc3339, wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a host password for tests"
STAFF = [("henk", "desk", PASSWORD)]
BROWSER_WINDOW = "390,844"      # a phone in the host's hand
BROWSER_LANGUAGE = "nl-NL,nl"


def ask(url: str, token: str, device: str, seq: int, ago_s: float = 0.0) -> str:
    call_id = str(uuid.uuid4())
    at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=ago_s)
    ev = make_event(device, seq, "help.requested", {"call_id": call_id, "place": "g-kiosk", "screen": "ticket_services",
                                                    "lang": "nl", "offline": False}, rfc3339(at))
    r = requests.post(url + "/api/v1/events", json={"events": [ev]}, headers={"Authorization": f"Bearer {token}"},
                      timeout=10)
    assert r.json()["accepted"] == 1, r.text
    return call_id


def test_host_page_shows_a_call_live_and_coming_reaches_the_queue(browser, tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone(), "KIOSK_CENTRAL_HELP_PROMINENT_AFTER_S": "60"}
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        token = device_add(db, "kiosk-hal")
        page = browser.page
        log_in(page, central.url, "/host", "henk", PASSWORD)
        page.wait_for_selector("#help-live:has-text('live bijgewerkt')")
        assert page.is_visible("#help-none")
        old = ask(central.url, token, "kiosk-hal", 1, ago_s=90)      # waiting longer than 60 s
        new = ask(central.url, token, "kiosk-hal", 2)
        page.wait_for_selector(f"#help-{new}", timeout=2000)          # pushed: no reload
        assert page.get_attribute(f"#help-{old}", "class") == "prominent"
        assert page.get_attribute(f"#help-{new}", "class") == "open"
        text = page.text_content(f"#help-{new}")
        assert "Kiosk kiosk-hal" in text and "plek g-kiosk" in text and "ticket: diensten" in text
        assert "s geleden" in text and "Ik kom eraan" in text and not page.is_visible("#help-none")
        (ROOT / "build").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "build" / "host.png"), full_page=True)

        page.click(f"#help-{new} button.coming")
        page.wait_for_selector(f"#help-{new}.coming")
        assert "henk komt eraan" in page.text_content(f"#help-{new}")
        q = requests.get(central.url + "/api/v1/queue", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert {"id": new, "device": "kiosk-hal", "state": "coming", "host": "Henk"} in q["help"]

        desk = browser.new_page()                                      # the desk page lists them too
        log_in(desk, central.url, "/desk", "henk", PASSWORD)
        desk.wait_for_selector(f"#help-{old} button.coming")

        page.click(f"#help-{new} button.done")
        page.wait_for_selector(f"#help-{new}", state="detached")
        desk.wait_for_selector(f"#help-{new}", state="detached")      # pushed to the desk page as well
        wait_for(lambda: {"id": new, "device": "kiosk-hal", "state": "done", "host": "Henk"} in requests.get(
            central.url + "/api/v1/queue", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()["help"],
            5, "done in the queue")
