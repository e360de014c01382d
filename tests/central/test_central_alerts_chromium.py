"""The Dutch dashboard with alerts in real headless Chromium (Debian's, through Playwright): a real
`kiosk-central` process, an open alert made by the alert check at a fixed Tuesday 10:00, an
analyst who acknowledges and comments through the page's forms; the page then shows who
acknowledged and the comment, and the audit log has both. No console error and no CSP violation
(the `browser` fixture). Screenshot: build/dashboard-alerts.png."""
from __future__ import annotations

from pathlib import Path

from alert_kit import TUESDAY_10, heartbeat
from central import audit, db
from central.alerts.engine import check
from central.settings import AlertSettings, CentralSettings
from central_kit import CentralProcess, add_users, log_in

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "an analyst password here"
BROWSER_LANGUAGE = "nl-NL,nl;q=0.9,en;q=0.8"  # the `browser` fixture (conftest.py) reads it
ENV = {"KIOSK_CENTRAL_ALERTS_INTERVAL_S": "86400"}  # the service's own loop (real clock) stays out of it


def test_dutch_dashboard_acknowledge_and_comment_an_alert(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    add_users(url, [("anna", "analyst", PASSWORD)])
    engine = db.make_engine(url)
    try:
        heartbeat(engine, "pillar-hall", TUESDAY_10.replace(hour=8))  # an hour without a heartbeat
        (alert_id,) = check(engine, CentralSettings(alerts=AlertSettings()), TUESDAY_10).opened
        with CentralProcess(url, env=ENV, log_path=tmp_path / "central.log") as central:
            page = browser.page
            log_in(page, central.url, "/dashboard", "anna", PASSWORD)
            row = page.locator(f"#alert-{alert_id}")
            assert page.evaluate("document.documentElement.lang") == "nl"
            assert page.locator("#alerts").text_content() == "Meldingen"
            assert row.locator(".alert-text").text_content() == (
                "Apparaat pillar-hall is offline: 60 minuten geen teken van leven (grens 15 minuten)")
            assert "alert-open" in row.get_attribute("class") and "Open" in row.text_content()
            row.locator("button", has_text="Bevestigen").click()
            page.wait_for_url(f"**/dashboard#alert-{alert_id}")
            assert row.locator(".alert-ack").text_content().startswith("Bevestigd door anna op ")
            row.locator("textarea[name=comment]").fill("Conciërge gaat kijken")
            row.locator("button", has_text="Opmerking opslaan").click()
            page.wait_for_load_state()
            assert row.locator(".alert-comment p").first.text_content() == "Conciërge gaat kijken"
            assert row.locator(".alert-comment-by").text_content().startswith("anna, ")
            out = ROOT / "build" / "dashboard-alerts.png"
            out.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
            browser.check()
        logged = [(r.actor, r.action, r.detail) for r in audit.rows(engine) if r.action.startswith("alert.")]
        assert logged == [("anna", "alert.comment", {"alert": alert_id, "comment": "Conciërge gaat kijken"}),
                          ("anna", "alert.acknowledge", {"alert": alert_id})]
    finally:
        engine.dispose()
