"""Staff mode driven with real touches: hidden gesture + PIN, lockout, printer change that
is only saved after a good test print, language change, time-out, safe mode."""
import pytest
from kivy.core.window import Window

from kiosk.config.local import read_local
from kiosk.staff.gate import hash_pin

PIN_HASH = hash_pin("2468")
STAFF = {"staff": {"pin_hash": PIN_HASH}}


def corner_taps(ui, n=5):
    for _ in range(n):
        ui.tap_at(10, Window.height - 10)
        ui.clock.advance(0.3)


def enter_pin(ui, pin):
    pad = ui.screen("staff_pin")
    keys = {b.text: b for b in pad.ids.keypad.children}
    for d in pin:
        ui.tap(keys[d])
    ui.tap(pad.ids.ok)


def run_test(ui, scr):
    """Tap "test" and wait for the worker thread's answer to reach the screen."""
    import time
    ui.tap(scr.ids.test)
    for _ in range(200):
        ui.frames(2)
        if not scr.testing:
            return
        time.sleep(0.05)
    raise AssertionError("the test did not finish")


def changes(ui):
    return [c for e in ui.store.outbox_events("config.changed") for c in e.payload["changes"]]


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_open_with_gesture_and_pin(ui):
    corner_taps(ui, 4)
    assert ui.current == "feedback_question"  # four taps are not enough
    ui.clock.advance(4)
    corner_taps(ui, 5)
    assert ui.current == "staff_pin"
    enter_pin(ui, "2468")
    assert ui.current == "staff_home"
    assert ui.until(lambda: "kiosk-" in ui.screen().ids.status.text)   # asked off the Kivy thread
    ui.screenshot("home")
    ui.tap(ui.screen().ids.close)
    assert ui.current == "feedback_question"


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_wrong_pin_lockout(ui):
    corner_taps(ui)
    for i in range(4):
        enter_pin(ui, "1111")
        left = 4 - i
        word = "poging" if left == 1 else "pogingen"      # the catalog's plural forms
        assert ui.screen().ids.message.text == f"Verkeerde pincode. Nog {left} {word}."
    enter_pin(ui, "1111")
    assert ui.screen().ids.message.text == "Te vaak fout. Wacht 30 seconden."
    ui.screenshot("locked")
    enter_pin(ui, "2468")  # right PIN, but locked
    assert ui.current == "staff_pin"
    ui.clock.advance(31)
    enter_pin(ui, "2468")
    assert ui.current == "staff_home"


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_printer_change_saved_only_after_good_test(ui, tmp_path):
    corner_taps(ui)
    enter_pin(ui, "2468")
    ui.tap(ui.screen().ids.printer)
    scr = ui.screen()
    assert ui.current == "staff_printer"
    scr.ids.url.text = "tcp://127.0.0.1:9"  # nothing listens: the test print fails
    run_test(ui, scr)
    assert "Test mislukt" in scr.ids.message.text
    assert scr.ids.save.disabled
    ui.tap(scr.ids.save)
    ui.screenshot("failed")
    assert "printer" not in read_local(ui.tmp / "data").get("devices", {})
    assert changes(ui) == []
    out = tmp_path / "printer.bin"
    scr.ids.url.text = f"file://{out}"
    run_test(ui, scr)
    assert "Test gelukt" in scr.ids.message.text, scr.ids.message.text
    assert b"TESTAFDRUK" in out.read_bytes()
    scr.ids.url.text = f"file://{out}x"  # edited after the test: save is refused again
    ui.frames(2)
    assert scr.ids.save.disabled
    scr.ids.url.text = f"file://{out}"
    run_test(ui, scr)
    ui.tap(scr.ids.save)
    assert scr.ids.message.text == "Opgeslagen."
    assert read_local(ui.tmp / "data")["devices"]["printer"]["url"] == f"file://{out}"
    assert {"key": "devices.printer.url", "old": None, "new": f"file://{out}"} in changes(ui)
    ui.screenshot("saved")


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_language_change(ui):
    corner_taps(ui)
    enter_pin(ui, "2468")
    home = ui.screen()
    assert home.ids.language.text == "Standaardtaal: Nederlands"
    ui.tap(home.ids.language)
    assert home.ids.message.text == "Opgeslagen."
    assert home.ids.language.text == "Standaardtaal: English"
    assert read_local(ui.tmp / "data")["ui"]["default_language"] == "en"
    assert changes(ui) == [{"key": "ui.default_language", "old": None, "new": "en"}]
    assert all("pin" not in str(c) for c in changes(ui))
    ui.tap(home.ids.close)
    ui.advance(ui.app.kcfg.ui.idle_timeout_s + ui.app.kcfg.ui.warn_s + 1)  # the next visitor: new default
    assert ui.app.lang == "en"
    assert ui.screen().face(5).label == "Very good"


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_staff_mode_closes_itself(ui):
    corner_taps(ui)
    enter_pin(ui, "2468")
    ui.advance(100)
    assert ui.current == "staff_home"
    ui.advance(21)
    assert ui.current == "feedback_question"


@pytest.mark.parametrize("ui", [dict(STAFF, _local_toml=b"[feedback]\nscale = 42\n\xff\xfe")],
                         indirect=True, ids=["broken"])
def test_safe_mode_keeps_serving_visitors(ui):
    assert ui.app.core.safe_problems
    ui.tap(ui.screen().face(4))  # visitors are served as usual
    assert ui.current == "feedback_reasons"
    ui.tap(ui.screen().ids.done)
    assert len(ui.store.outbox_events("feedback.given")) == 1
    ui.advance(3.1)
    corner_taps(ui)
    enter_pin(ui, "2468")
    safe = ui.screen().ids.safe.text
    assert "Veilige modus" in safe and "local.toml" in safe
    ui.screenshot("safe")


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_central_change_needs_a_working_service(ui):
    corner_taps(ui)
    enter_pin(ui, "2468")
    ui.tap(ui.screen().ids.central)
    scr = ui.screen()
    scr.ids.url.text = "http://127.0.0.1:9"  # nothing listens there
    scr.ids.token.text = "secret-token"
    run_test(ui, scr)
    assert "Test mislukt" in scr.ids.message.text
    assert scr.ids.save.disabled and not scr.tested_ok
    ui.tap(scr.ids.save)
    assert "sync" not in read_local(ui.tmp / "data")
    ui.screenshot()


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_reset_numbers_with_confirmation(ui):
    from kiosk.tickets.book import TicketBook
    book = TicketBook.from_config(ui.store, ui.cfg)
    assert [book.issue("passport", "A", "nl").label for _ in range(2)] == ["A001", "A002"]
    corner_taps(ui)
    enter_pin(ui, "2468")
    ui.tap(ui.screen().ids.reset_numbers)
    assert ui.current == "staff_confirm"
    ui.screenshot("confirm")
    ui.tap(ui.screen().ids.no)  # "No" changes nothing
    assert ui.current == "staff_home"
    assert book.issue("passport", "A", "nl").label == "A003"
    ui.tap(ui.screen().ids.reset_numbers)
    ui.tap(ui.screen().ids.yes)
    assert ui.current == "staff_home" and ui.screen().ids.message.text == "Gedaan."
    assert book.issue("passport", "A", "nl").label == "A001"
    assert len(ui.store.outbox_events("ticket.numbers_reset")) == 1
    assert ui.store.query("SELECT COUNT(*) AS n FROM tickets")[0]["n"] == 4  # history kept


@pytest.mark.parametrize("ui", [STAFF], indirect=True, ids=["pin"])
def test_offered_languages(ui):
    corner_taps(ui)
    enter_pin(ui, "2468")
    home = ui.screen()
    toggles = {b.reason_id: b for b in home.ids.offered.children}
    from kiosk.i18n import available_languages
    assert set(toggles) == set(available_languages()) >= {"nl", "en", "pl", "tr", "ar", "uk"}
    assert {code for code, b in toggles.items() if b.state == "down"} == {"nl", "en"}
    ui.tap(toggles["nl"])  # the default language cannot be switched off
    assert "Niet opgeslagen" in home.ids.message.text
    assert ui.app.kcfg.ui.languages == ["nl", "en"]
    ui.tap({b.reason_id: b for b in home.ids.offered.children}["en"])
    assert home.ids.message.text == "Opgeslagen."
    assert ui.app.kcfg.ui.languages == ["nl"]
    assert read_local(ui.tmp / "data")["ui"]["languages"] == ["nl"]
    assert "Scanner" in home.ids.scanner.text
    ui.screenshot()
