"""The ticket screens driven with real touches (headless): service choice, appointment
check-in by scan and by keypad, the paper-out fallback, speech on request."""
import time

import pytest
from kivy.core.window import Window

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
     "pictogram": "passport", "wait_at": {"nl": "Wachtruimte B", "en": "Waiting area B"},
     "handling_minutes": 10, "desks_open": 2},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
     "pictogram": "moving"},
    {"id": "parking", "prefix": "E", "names": {"nl": "Parkeren", "en": "Parking"},
     "pictogram": "parking", "desks_open": 0},
    {"id": "appointment", "prefix": "F", "names": {"nl": "Afspraak", "en": "Appointment"},
     "pictogram": "appointment", "needs_appointment": True},
]


def site(printer="dummy://?state=online", **tickets):
    tickets.setdefault("qr_url", "https://central.example.nl/t/{token}")   # as if central were set
    return {"device": {"role": "tickets"}, "services": SERVICES, "tickets": tickets,
            "devices": {"printer": {"url": printer}, "speech": {"url": "dummy://"},
                        "scanner": {"url": "sim://"}}}


def ctl(ui):
    from screens.ticket_controller import ticket_controller
    return ticket_controller(ui.app)


def device(ui, kind):
    """A device the core opened for the ticket service (started with the first ticket screen)."""
    ctl(ui)
    return ui.app.core.devices.get(kind)


def drain(ui, rounds=6):
    """Let the ticket worker finish and its results reach the screens. The screen manager
    is laid out by hand: under the headless driver a newly shown screen otherwise keeps
    Kivy's default 100x100 size and every tap would land on whatever sits at (50, 50)."""
    for _ in range(rounds):
        ctl(ui).flush(10)
        ui.app.sm.do_layout()
        ui.frames(3)


def wait_until(ui, pred, timeout=10.0):
    """Pump frames until `pred()` (the scanner thread runs in real time)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ctl(ui).flush(0.2)
        ui.app.sm.do_layout()
        ui.frames(2)
        if pred():
            return True
        time.sleep(0.01)
    return False


def top_bar(screen):
    from screens.widgets import TopBar
    return next(w for w in screen.walk() if isinstance(w, TopBar))


def types(ui):
    return [e.type for e in ui.store.outbox_events()]


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_choose_a_service_and_get_a_printed_ticket(ui):
    drain(ui)
    assert ui.current == "ticket_services"
    s = ui.screen()
    assert s.ids.no_paper.text == ""          # printer fine: no notice
    assert set(s.tiles) == {"passport", "moving", "parking"}   # appointment-only is not a tile
    assert s.tiles["parking"].note == "Nu gesloten"
    ui.screenshot("services")
    ui.tap(s.tiles["passport"])
    drain(ui)
    assert ui.current == "ticket_issued"
    t = ui.screen()
    assert t.ids.number.text == "A001"
    assert t.ids.service.text == "Paspoort"
    assert t.ids.wait_at.text == "Wacht bij: Wachtruimte B"
    assert t.ids.ahead.text == "U bent de volgende"
    assert t.ids.status.text == "Neem uw bon uit de printer"
    assert t.ids.qr.texture is not None and t.ids.qr.texture.size[0] > 100
    ui.screenshot("issued")
    assert types(ui) == ["ticket.issued", "ticket.printed"]
    # numbered on the app's clock (Monday 2 March), not the machine's (pinned to Sunday 1 March)
    issued = ui.store.outbox_events("ticket.issued")[0].payload
    assert issued["day"] == ctl(ui).result.ticket.day == "2026-03-02"
    printer = device(ui, "printer")
    assert len(printer.jobs) == 1 and b"A001" in printer.jobs[0]
    ui.tap(t.ids.done)
    assert ui.current == "ticket_services"


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_double_tap_gives_one_ticket_and_language_switch(ui):
    drain(ui)
    s = ui.screen()
    ui.tap(top_bar(s).ids.lang_button)
    assert ui.app.lang == "en"
    assert s.tiles["passport"].label == "Passport"
    tile = s.tiles["passport"]
    tile.dispatch("on_release")     # two taps before anything is drawn in between
    tile.dispatch("on_release")
    drain(ui)
    ui.tap(ui.screen().ids.done)
    drain(ui)
    ui.tap(s.tiles["passport"])     # and again right after the first ticket
    drain(ui)
    assert ui.screen().ids.number.text == "A001"
    assert ui.screen().ids.wait_at.text == "Wait at: Waiting area B"
    ui.screenshot("english")
    assert types(ui).count("ticket.issued") == 1
    assert len(device(ui, "printer").jobs) == 1


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_closed_service_tells_the_visitor(ui):
    drain(ui)
    s = ui.screen()
    ui.tap(s.tiles["parking"])
    drain(ui)
    assert ui.current == "ticket_services"
    assert s.ids.message.text == "Nu gesloten"
    assert types(ui) == []


@pytest.mark.parametrize("ui", [site(printer="dummy://?state=paper_out")], indirect=True)
def test_paper_out_fallback(ui):
    drain(ui)
    s = ui.screen()
    assert s.ids.no_paper.text.startswith("Er zijn nu geen papieren bonnen")
    ui.screenshot("no-paper-notice")
    ui.tap(s.tiles["moving"])
    drain(ui)
    t = ui.screen()
    assert ui.current == "ticket_issued" and t.ids.number.text == "C001"
    assert t.ids.status.text == ("Er is geen bon geprint. Onthoud uw nummer, of scan de code: "
                                 "dan opent uw ticket op uw telefoon.")
    assert t.ids.qr.texture is not None        # the ticket's QR: the mobile ticket instead
    assert t.ids.qr_hint.text == "Scan de code: uw ticket op uw telefoon"
    # decoded on the ticket worker (issue #19), shown as Kivy's image loader shows the PNG
    import io

    from kivy.core.image import Image as CoreImage
    def rows_top_down(tex):   # as drawn: a texture flipped by its coordinates has row 0 at the top
        w, h = tex.size
        rows = [tex.pixels[i * w * 4:(i + 1) * w * 4] for i in range(h)]
        return rows if tex.uvsize[1] < 0 else rows[::-1]
    kivy_loaded = CoreImage(io.BytesIO(t.ctl.qr_png), ext="png").texture
    assert rows_top_down(t.ids.qr.texture) == rows_top_down(kivy_loaded)
    ui.screenshot("paper-out-issued")
    assert types(ui) == ["device.status", "ticket.issued", "ticket.print_failed"]
    assert device(ui, "printer").jobs == []


@pytest.mark.parametrize("ui", [site(printer="dummy://?state=paper_out", qr_url="")], indirect=True)
def test_paper_out_without_a_central_service_shows_no_code(ui):
    """No central service configured: no QR leads anywhere, so none is shown or promised."""
    drain(ui)
    ui.tap(ui.screen().tiles["moving"])
    drain(ui)
    t = ui.screen()
    assert t.ids.number.text == "C001"
    assert t.ids.status.text == "Er is geen bon geprint. Onthoud uw nummer."
    assert t.ids.qr.texture is None and t.ids.qr_hint.text == ""


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_speech_requested_and_stopped(ui):
    drain(ui)
    ui.tap(ui.screen().tiles["passport"])
    drain(ui)
    t = ui.screen()
    assert t.ids.speak.text == "Lees voor"
    ui.tap(t.ids.speak)
    drain(ui)
    speech = device(ui, "speech")
    assert wait_until(ui, lambda: speech.said)
    assert speech.said == [("Uw nummer is A 1. Paspoort. Wacht bij Wachtruimte B.", "nl")]
    ui.screenshot("speech")


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_appointment_by_keypad(ui):
    drain(ui)
    ui.tap(ui.screen().ids.appointment)
    assert ui.current == "ticket_appointment"
    drain(ui, 2)
    a = ui.screen()
    for ch in "ABC1":
        ui.tap(a.key_buttons[ch])
    ui.tap(a.ids.check)
    drain(ui)
    assert a.ids.message.text.startswith("Deze code klopt niet")
    ui.screenshot("bad-code")
    ui.tap(a.ids.clear_code)
    for ch in "WXYZ2468":
        ui.tap(a.key_buttons[ch])
    assert a.ids.code.text == "WXYZ2468"
    ui.screenshot("keypad")
    ui.tap(a.ids.check)
    drain(ui)
    assert ui.current == "ticket_issued"
    assert ui.screen().ids.number.text == "F001"
    issued = ui.store.outbox_events("ticket.issued")[0].payload
    assert issued["appointment"] is True and issued["service"] == "appointment"
    dump = "\n".join(ui.store.conn.iterdump())
    assert "WXYZ" not in dump


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_appointment_by_serial_scan(ui):
    drain(ui)
    scanner = device(ui, "scanner")
    scanner.inject(b"\x00\xffjunk\r\n")           # junk line: wrong format, shown as such
    assert wait_until(ui, lambda: ui.current == "ticket_appointment" and ctl(ui).message)
    assert ui.screen().ids.message.text.startswith("Deze code klopt niet")
    scanner.inject(b"QRST-5678\r\n")
    assert wait_until(ui, lambda: ui.current == "ticket_issued")
    drain(ui)
    assert ui.screen().ids.number.text == "F001"
    ui.screenshot("scanned")


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_appointment_by_keyboard_wedge_scanner(ui):
    drain(ui)
    ui.tap(ui.screen().ids.appointment)
    drain(ui, 2)
    for ch in "abcd-9876":
        Window.dispatch("on_key_down", ord(ch), 0, ch, [])
    Window.dispatch("on_key_down", 13, 40, None, [])
    drain(ui)
    assert ui.current == "ticket_issued"
    assert ui.screen().ids.number.text == "F001"


@pytest.mark.parametrize("ui", [site(show_s=10.0)], indirect=True)
def test_number_screen_returns_to_the_start(ui):
    drain(ui)
    ui.tap(ui.screen().tiles["passport"])
    drain(ui)
    assert ui.current == "ticket_issued"
    ui.advance(11)       # tickets.show_s without a touch: the warning, 20 s before it goes
    assert ui.current == "ticket_issued" and ui.app.countdown_text.endswith(" 19 s")
    ui.advance(20)
    assert ui.current == "ticket_services"


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_large_text_high_contrast(ui):
    drain(ui)
    s = ui.screen()
    normal = s.tiles["passport"].height
    ui.app.set_accessible(True)
    ui.frames(4)
    assert s.tiles["passport"].height > normal
    ui.screenshot("large-text")


class BlockingPrinter:
    """A printer whose jobs take as long as the test says (a raster ticket on 19200 baud)."""

    answers_status = False
    profile = "TM-T20II"
    preview_dir = None
    url = "test://blocking"

    def __init__(self):
        import threading
        self.release = threading.Event()
        self.jobs = []

    def status(self, settle=False):
        from devices.printer import PrinterState
        return PrinterState.UNKNOWN

    def print_job(self, job):
        from devices.printer import PrinterState
        self.release.wait(20)
        self.jobs.append(job)
        return PrinterState.UNKNOWN

    def close(self):
        self.release.set()


@pytest.mark.parametrize("ui", [site()], indirect=True)
def test_a_slow_print_does_not_hold_up_the_next_number(ui):
    drain(ui)
    c = ctl(ui)
    slow = BlockingPrinter()
    c.service.issuer.printer = slow
    s = ui.screen("ticket_services")
    ui.tap(s.tiles["passport"])
    assert wait_until(ui, lambda: ui.current == "ticket_issued", timeout=5)
    assert ui.screen().ids.status.text == "Uw bon wordt geprint"     # still printing
    ui.tap(ui.screen().ids.done)
    assert wait_until(ui, lambda: ui.current == "ticket_services", timeout=5)
    ui.tap(s.tiles["moving"])                                        # the next visitor
    assert wait_until(ui, lambda: ui.current == "ticket_issued", timeout=5)
    assert ui.screen().ids.number.text == "C001"
    assert slow.jobs == []                                           # first job still going
    slow.release.set()
    drain(ui)
    assert len(slow.jobs) == 2
    assert ui.screen().ids.status.text == "Neem uw bon uit de printer"


@pytest.mark.parametrize("ui", [site(speak=True)], indirect=True)
def test_audio_on_reads_the_ticket_without_a_tap(ui):
    drain(ui)
    ui.tap(ui.app.root.current_screen.tiles["passport"])
    speech = device(ui, "speech")
    assert wait_until(ui, lambda: speech.said)
    assert speech.said[0][0].startswith("Uw nummer is A 1.")
