""""Hulp nodig?" end to end (issue #18): the real kiosk UI (headless, the fake clock) with its
real sync worker and help watch against a real kiosk-central process on loopback, and the
hosts' page in headless Chromium. The visitor presses help on the services screen; the call
appears on /host without a reload; the host clicks "Ik kom eraan"; the kiosk's help screen
shows and says that someone is coming, with the host's name. Screenshots: build/screenshots/
(the kiosk) and build/host-e2e.png (the host's page)."""
import sys
import time
from pathlib import Path

import pytest

from audio_helpers import said
from test_ui_tickets import drain, site, top_bar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from central_kit import Browser, CentralProcess, device_add, log_in, midday_zone  # noqa: E402
from ui_helpers import UiDriver  # noqa: E402

PASSWORD = "a host password for tests"


def wait_for(ui, check, what, limit_s=20.0):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        ui.frames(2)
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def hall(tmp_path, kivy_time, request):
    """(ui, central, browser): a ticket kiosk syncing to a real central, and a host's browser."""
    from kiosk.storage.store import Store
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    central = CentralProcess(db, users=[("anna", "desk", PASSWORD)], log_path=tmp_path / "central.log",
                             env={"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone()}).start()
    data = tmp_path / "data"
    data.mkdir()
    first = Store(data)                         # the kiosk's own id, made as on a first start
    device_id = first.device_id
    first.close()
    overrides = site()
    overrides.update(sync={"url": central.url, "token": device_add(db, device_id), "heartbeat_interval_s": 0,
                           "gather_s": 0.05},
                     help={"poll_interval_s": 0.2})
    ui = UiDriver(tmp_path, kivy_time, overrides, request.node.name).start()
    try:
        browser = Browser(window="390,844", accept_language="nl-NL,nl").start()
    except RuntimeError as e:
        ui.stop()
        central.stop()
        pytest.fail(str(e), pytrace=False)
    yield ui, central, browser
    try:
        browser.check()
    finally:
        browser.stop()
        ui.stop()
        central.stop()


def test_help_pressed_on_the_kiosk_reaches_the_host_and_coming_comes_back(hall):
    ui, central, browser = hall
    page = browser.page
    log_in(page, central.url, "/host", "anna", PASSWORD)
    page.wait_for_selector("#help-live:has-text('live bijgewerkt')")

    drain(ui)
    ui.app.core.start_sync()                    # the sync worker and the help watch, as after start-up
    watch = ui.app.core.help_watch
    wait_for(ui, watch.online, "a first answer from the central queue")
    assert ui.current == "ticket_services"
    ui.tap(top_bar(ui.screen()).ids.help_button)
    assert ui.current == "help"
    screen = ui.screen()
    assert screen.ids.title.text == "Er komt iemand naar u toe."
    ui.app.core.writer.flush(5)
    (call,) = [e.payload for e in ui.store.outbox_events("help.requested")]
    assert call["offline"] is False and call["screen"] == "ticket_services"

    item = f"#help-{call['call_id']}"
    page.wait_for_selector(item, timeout=10_000)            # sent by the sync worker, pushed to the page
    text = page.text_content(item)
    assert ui.store.device_id in text and "ticket: diensten" in text
    mark = len(said(ui))
    page.click(f"{item} button.coming")
    page.wait_for_selector(f"{item}.coming")
    (ROOT / "build").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "build" / "host-e2e.png"), full_page=True)

    wait_for(ui, lambda: screen.ids.title.text == "Er is iemand onderweg naar u.", "coming shown on the kiosk")
    assert screen.ids.detail.text == "Anna komt naar u toe."
    wait_for(ui, lambda: any("Er is iemand onderweg naar u." in s for s in said(ui)[mark:]), "coming said")
    ui.screenshot("help-coming-from-central")
