""""Hulp nodig?" on the real screens, headless (issue #18): the button on every visitor screen
(a 9 mm target with a person beside the word, readable colours), a press on the services
screen records one call, the host's "coming" from the central queue (the hall display tests'
loopback queue server) is shown and said, offline the way to the information desk, and the
keypad's call_help key in audio mode. The fake clock only."""
import sys
import time
from pathlib import Path

import pytest

from audio_helpers import choose, hidden_by_opacity, key, said
from audio_sites import full_site
from test_ui_audio_screens import enter_audio
from test_ui_tickets import drain, site, top_bar
from test_ui_timing import open_screen

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "display"))
from queue_server import TOKEN, QueueServer  # noqa: E402
from ui_helpers import UiDriver  # noqa: E402

FULL = full_site()
VISITOR_SCREENS = ["home", "feedback_question", "feedback_reasons", "feedback_thanks",
                   "ticket_services", "ticket_appointment", "ticket_issued",
                   "wayfinding_destinations", "wayfinding_map", "help"]


def shown(ui, name):
    app = ui.app
    if name == "feedback_reasons":
        app.show("feedback_question")
        drain(ui)
        ui.tap(ui.screen().face(2))
    elif name == "help":
        app.show("home")
        drain(ui)
        app.help_ui.ask()
    elif name in ("ticket_issued", "wayfinding_map"):
        return open_screen(ui, name)
    else:
        app.show(name)
    drain(ui)
    assert ui.current == name
    return ui.screen()


def rgb_hex(rgba):
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgba[:3])


def help_events(ui, type_="help.requested"):
    ui.app.core.writer.flush(5)
    return [e.payload for e in ui.store.outbox_events(type_)]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_the_help_button_is_on_every_visitor_screen_as_a_big_target(ui, large):
    from kiosk.theme import contrast, min_target_px
    from screens.widgets import HelpButton
    if large:
        ui.app.core.session.set_accessible(True)
        drain(ui)
    nine_mm = min_target_px(ui.cfg.ui.screen_dpi)
    for name in VISITOR_SCREENS:
        screen = shown(ui, name)
        ui.settle()
        b = top_bar(screen).ids.help_button
        assert b.get_root_window() is not None and not hidden_by_opacity(b) and not b.disabled, name
        assert b.text == "Hulp nodig?", name
        assert b.width >= nine_mm and b.height >= nine_mm and min(b.size) >= 60, (name, b.size)
        bar = top_bar(screen)
        assert bar.x <= b.x and b.right <= bar.right + 0.5, (name, b.pos, b.size, bar.size)
        assert b.texture_size[0] <= b.width, name      # the word is not cut off
        box = b.icon_box()
        assert box is not None and b._icon_group is not None and len(b._icon_group.children) > 0
        x, y, side = box
        assert b.x <= x and x + side <= b.right and b.y <= y and y + side <= b.top, name
        assert contrast(rgb_hex(b.color), rgb_hex(b.background_color)) >= 4.5, name
        ui.screenshot(f"{name}-{'large' if large else 'normal'}")
    for name in ("staff_pin",):                            # not on staff screens
        screen = ui.app.show(name)
        ui.frames(3)
        assert not [w for w in screen.walk() if isinstance(w, HelpButton)]


@pytest.fixture
def central(tmp_path, kivy_time, request):
    """A ticket kiosk whose central queue is the loopback queue server."""
    server = QueueServer().start()
    overrides = site()
    overrides.update(sync={"url": server.url, "token": TOKEN, "heartbeat_interval_s": 0},
                     help={"poll_interval_s": 0.2})
    overrides["devices"]["speech"] = {"url": "dummy://"}
    ui = UiDriver(tmp_path, kivy_time, overrides, request.node.name).start()
    yield ui, server
    ui.stop()
    server.stop()


def wait_for(ui, check, what, limit_s=20.0):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        ui.frames(2)
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"never happened: {what}")


def test_a_press_on_the_services_screen_calls_a_host_once_and_coming_is_shown_and_said(central):
    ui, server = central
    drain(ui)
    watch = ui.app.core.start_help_watch()
    wait_for(ui, watch.online, "a first answer from the central queue")
    assert ui.current == "ticket_services"
    ui.tap(top_bar(ui.screen()).ids.help_button)
    assert ui.current == "help"
    screen = ui.screen()
    assert screen.ids.title.text == "Er komt iemand naar u toe."
    assert screen.ids.detail.text == "Blijf bij dit scherm."
    assert screen.ids.cancel.opacity == 1
    ui.screenshot("called")
    ui.tap(top_bar(screen).ids.help_button)             # again, at once: the same call
    events = help_events(ui)
    assert len(events) == 1
    call = events[0]
    assert call["screen"] == "ticket_services" and call["offline"] is False
    assert call["lang"] == "nl" and call["place"] == ""
    assert set(call) == {"call_id", "place", "screen", "lang", "offline"}

    mark = len(said(ui))
    server.help = [{"id": "another", "device": "kiosk-9", "state": "coming", "host": "Piet"},
                   {"id": call["call_id"], "device": ui.store.device_id, "state": "coming",
                    "host": "Anna"}]
    wait_for(ui, lambda: screen.ids.title.text == "Er is iemand onderweg naar u.", "coming shown")
    assert screen.ids.detail.text == "Anna komt naar u toe."
    wait_for(ui, lambda: any("Er is iemand onderweg naar u." in s for s in said(ui)[mark:]),
             "coming said")
    ui.screenshot("coming")

    ui.tap(screen.ids.cancel)
    assert ui.current == "ticket_services"
    assert help_events(ui, "help.cancelled") == [{"call_id": call["call_id"]}]


@pytest.mark.parametrize("ui", [full_site()], indirect=True, ids=["offline"])
def test_offline_the_kiosk_shows_the_way_to_the_information_desk(ui):
    shown(ui, "wayfinding_destinations")
    ui.tap(top_bar(ui.screen()).ids.help_button)
    screen = ui.screen()
    assert ui.current == "help"
    assert screen.ids.title.text == "Loop naar de informatiebalie."
    assert screen.ids.detail.text == "Wij kunnen nu niemand naar u toe sturen."
    assert screen.ids.steps.text.strip() and screen.ids.cancel.opacity == 0
    ui.screenshot("offline")
    (call,) = help_events(ui)
    assert call["offline"] is True and call["screen"] == "wayfinding_destinations"
    assert call["place"] == ui.cfg.wayfinding.here.node
    ui.tap(screen.ids.back)
    assert ui.current == "wayfinding_destinations"


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_the_call_help_key_in_audio_mode(ui):
    enter_audio(ui)
    app = ui.app
    app.show("ticket_services")
    drain(ui)
    mark = len(said(ui))
    key(ui, "call_help", drain=drain)
    assert ui.current == "help"
    heard = " ".join(said(ui)[mark:])
    assert "Loop naar de informatiebalie." in heard and "Wij kunnen nu niemand" in heard
    steps = ui.screen().ids.steps.text.splitlines()
    assert steps and steps[0] in heard                   # the route is said too
    (call,) = help_events(ui)
    assert call["screen"] == "ticket_services"
    key(ui, "back", drain=drain)
    assert ui.current == "ticket_services"
    mark = len(said(ui))
    choose(ui, "Hulp nodig?", drain=drain)               # the top bar's button, by the focus
    assert ui.current == "help" and "Loop naar de informatiebalie." in " ".join(said(ui)[mark:])
    assert len(help_events(ui)) == 1                     # within help.repeat_s: the same call
    key(ui, "help", drain=drain)                         # the keys' explanation names the key
    assert "Ster: een medewerker roepen." in said(ui)[-1]
