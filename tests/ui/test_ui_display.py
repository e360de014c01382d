"""The hall display role, headless: a call from the (loopback) central queue shows large
with its desk, an arrow and a direction from the floor plan, is announced (chime, Dutch,
then the ticket's language), and a lost connection shows a banner while the last calls
stay on screen. Screenshots in build/screenshots/."""
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "display"))
from queue_server import TOKEN, QueueServer  # noqa: E402
from ui_helpers import UiDriver  # noqa: E402

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort of ID-kaart", "en": "Passport"}},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"}},
]


@pytest.fixture
def hall(tmp_path, kivy_time, request):
    server = QueueServer().start()
    wayfinding = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text())["wayfinding"]
    overrides = {"device": {"role": "display"}, "services": SERVICES, "wayfinding": wayfinding,
                 "sync": {"url": server.url, "token": TOKEN, "heartbeat_interval_s": 0},
                 "display": {"poll_interval_s": 0.2, "offline_after_s": 10},
                 "devices": {"speech": {"url": "dummy://"}}}
    ui = UiDriver(tmp_path, kivy_time, overrides, request.node.name).start()
    yield ui, server
    ui.stop()
    server.stop()


def wait_for(ui, check, what, limit_s=20.0):
    """Pump frames until the poller's answer has reached the screen (a real thread)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        ui.frames(2)
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


def test_display_shows_and_announces_a_call_with_its_direction(hall):
    ui, server = hall
    assert ui.current == "hall_display"
    screen = ui.screen()
    wait_for(ui, lambda: screen.connection == "online" and screen.announcer is not None,
             "first answer and speech ready")
    assert screen.ids.desk.text == "Nog niemand opgeroepen"

    server.call("A011", "1", age_s=30)
    server.call("A012", "4", lang="en")
    server.services["passport"]["waiting"] = 7
    wait_for(ui, lambda: screen.ids.number.text == "A012", "the call on screen")
    assert screen.ids.desk.text == "Balie 4"
    assert screen.ids.arrow.shown and 0 < screen.ids.arrow.angle < 90     # desk 4: to the right
    assert screen.ids.direction.text.startswith("Rechts, ongeveer")
    prev = screen._prev_rows[0]
    assert (prev.name_text, prev.value_text) == ("A011", "Balie 1")
    rows = {service.id: row for service, row in screen._wait_rows.values()}
    assert (rows["passport"].name_text, rows["passport"].value_text) == ("Paspoort of ID-kaart", "7")
    assert rows["moving"].value_text == "0"
    assert screen.ids.banner.opacity == 0

    assert screen.announcer.wait_idle(10)
    speech = screen.announcer.speech
    assert speech.played == [str(ui.store.data_dir / "chime.wav")] * 2
    def way(desk, lang):          # the direction is said after the desk (issue 13)
        text = screen.finder.direction(desk, lang).text
        return text[:1].lower() + text[1:]
    assert way("4", "nl").startswith("rechts, ongeveer")
    assert speech.said == [(f"Nummer A 11, balie 1, {way('1', 'nl')}", "nl"),
                           (f"Nummer A 12, balie 4, {way('4', 'nl')}", "nl"),
                           (f"Number A12, desk 4, {way('4', 'en')}", "en")]
    ui.screenshot("call")

    ui.app.set_language("en")     # the texts follow the display language
    ui.frames(4)
    assert screen.ids.desk.text == "Desk 4"
    assert screen.ids.direction.text.startswith("To your right, about")


def test_connection_lost_banner_keeps_the_last_calls(hall):
    ui, server = hall
    screen = ui.screen()
    server.call("B003", "5", service="moving")
    wait_for(ui, lambda: screen.ids.number.text == "B003", "the call on screen")
    assert screen.ids.direction.text == "Op de 1e verdieping"
    server.status = 503
    ui.advance(9)
    ui.kivy_time.t += 1.1
    ui.frames(3)
    assert screen.connection == "online"           # 9 s without a good answer: not yet
    ui.advance(2)
    wait_for(ui, lambda: screen.connection == "lost", "the lost state")
    ui.frames(4)
    assert screen.ids.banner.opacity == 1
    assert screen.ids.banner.text == ("Geen verbinding. De nummers op dit scherm kunnen oud zijn.")
    assert screen.ids.number.text == "B003"        # still visible, greyed
    assert screen.ids.number.color == ui.app.c_text_muted
    ui.screenshot("lost")
    server.status = 200
    wait_for(ui, lambda: screen.connection == "online", "back online")
    ui.frames(4)
    assert screen.ids.banner.opacity == 0 and screen.ids.banner.height == 0


def test_landscape_layout(hall):
    """On a landscape panel the latest call sits left and the lists right, all on screen."""
    ui, server = hall
    screen = ui.screen()
    server.call("A001", "2")
    wait_for(ui, lambda: screen.ids.number.text == "A001", "the call on screen")
    ui.app.portrait = False
    # the offscreen window keeps its size (shared/HEADLESS.md); the screen need not
    screen.size_hint = (None, None)
    screen.size = (1920, 1080)
    ui.frames(6)
    assert tuple(screen.size) == (1920, 1080)
    main = screen.ids.main
    assert main.right <= screen.ids.previous.x + 1          # side by side
    for w in (screen.ids.number, screen.ids.desk, screen.ids.direction, screen.ids.previous,
              screen.ids.waiting):
        assert screen.y <= w.y and w.top <= screen.top + 1, w
    path = ui.screenshot("landscape")
    screen.export_to_png(str(path))


@pytest.mark.parametrize("ui", [{"device": {"role": "home"}}], indirect=True, ids=["home"])
def test_staff_can_pick_the_display_role(ui):
    """The staff role button cycles through every role, the display included; a display
    without [sync] says it has no connection once display.offline_after_s has passed."""
    ui.app.open_staff()
    ui.frames(2)
    staff = ui.screen("staff_home")
    ui.tap(staff.ids.role)
    assert ui.app.kcfg.device.role == "display"
    ui.app.close_staff()
    ui.frames(4)
    assert ui.current == "hall_display"
    screen = ui.screen()
    assert screen.connection == "connecting"
    assert screen.ids.connecting.text == "Verbinden ..."
    ui.advance(11)
    wait_for(ui, lambda: screen.connection == "lost", "the lost state")
    ui.frames(2)
    assert screen.ids.banner.opacity == 1
