"""Audio-guided mode on every visitor screen (issue 13): no visible text is left unspoken
(said on entry, or when the focus reaches it), explore-by-touch (one touch speaks and does not
activate, a double tap activates), the long press on the start screen, and the focus ring."""
import pytest
from kivy.uix.label import Label

from audio_helpers import hidden_by_opacity, key, said
from audio_sites import full_site
from test_ui_tickets import drain

FULL = full_site()


def visible_texts(root):
    """Every text a sighted visitor sees in `root`: labels (buttons too) with text, shown
    (no transparent ancestor) and on the window."""
    from kivy.core.window import Window
    out = []
    for w in root.walk(restrict=True):
        if not isinstance(w, Label) or not (w.text or "").strip():
            continue
        if w.get_root_window() is None or w.width <= 1 or w.height <= 1:
            continue
        shown = not hidden_by_opacity(w)
        x, y = w.to_window(*w.pos)
        if shown and x < Window.width and y < Window.height and x + w.width > 0 and y + w.height > 0:
            out.append(" ".join(w.text.split()))
    return out


def walk_focus(ui, drain_fn=None):
    """Press down through the whole focus order (and once around)."""
    guide = ui.app.core.audio
    n = len(guide.screen.items) if guide.screen is not None else 0
    key(ui, "down", n + 1, drain=drain_fn)


def unspoken(ui, root, mark):
    heard = " ".join(" ".join(t.split()) for t in said(ui)[mark:])
    return [t for t in visible_texts(root) if t not in heard]


def check_screen(ui, root=None, drain_fn=drain, mark=None):
    if mark is None:
        mark = len(said(ui)) - 1 if said(ui) else 0   # the entry's speech counts
    walk_focus(ui, drain_fn)
    root = root or ui.screen()
    missing = unspoken(ui, root, max(0, mark))
    assert missing == [], (ui.current, missing)


def enter_audio(ui):
    drain(ui)
    key(ui, "help", drain=drain)     # the first key starts audio mode
    assert ui.app.core.session.audio


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_every_visible_text_is_spoken(ui):
    from screens.language_chooser import open_chooser
    app = ui.app
    enter_audio(ui)
    seen = set()

    def visit(name, setup=None):
        mark = len(said(ui))
        if setup is not None:
            setup()
        else:
            app.show(name)
        drain(ui)
        ui.settle()
        assert ui.current == name
        assert len(said(ui)) > mark, f"nothing said on entering {name}"
        check_screen(ui, mark=mark)
        seen.add(name)

    assert ui.current == "home"          # the welcome read the start screen
    check_screen(ui)
    seen.add("home")
    visit("feedback_question")
    visit("feedback_reasons", lambda: (app.show("feedback_question"),
                                       app.on_answer(2, "touch")))
    visit("feedback_thanks", lambda: app.feedback_done())
    visit("ticket_services")
    visit("ticket_appointment")
    visit("ticket_issued", lambda: (app.show("ticket_services"),
                                    ui.screen("ticket_services").ctl.take("passport")))
    visit("wayfinding_destinations")
    visit("wayfinding_map", lambda: ui.screen("wayfinding_destinations").choose("desk-5"))
    # the issued ticket's "show me the way" opens the route to its waiting area
    app.show("ticket_services")
    ui.screen("ticket_services").ctl.take("moving")
    drain(ui)
    issued = ui.screen("ticket_issued")
    assert issued.place == "wait-1" and issued.ids.directions.text
    mark = len(said(ui))
    issued.show_way()
    drain(ui)
    assert ui.current == "wayfinding_map" and ui.screen().goal == "wait-1"
    check_screen(ui, mark=mark)
    # the language list (devices with more than two languages)
    app.show("home")
    drain(ui)
    view = open_chooser(app, ["nl", "en"])
    ui.frames(3)
    mark = len(said(ui))
    assert said(ui)[-1].startswith(app.tr("common.language"))
    walk_focus(ui)
    assert unspoken(ui, view, mark - 1) == []
    view.dismiss()
    assert seen >= {"home", "feedback_question", "feedback_reasons", "feedback_thanks",
                    "ticket_services", "ticket_appointment", "ticket_issued",
                    "wayfinding_destinations", "wayfinding_map"}


@pytest.mark.parametrize("ui", [full_site(printer="dummy://?state=paper_out")], indirect=True,
                         ids=["paper-out"])
def test_the_fallback_ticket_is_spoken_in_full(ui):
    app = ui.app
    enter_audio(ui)
    app.show("ticket_services")
    drain(ui)
    mark = len(said(ui))
    ui.screen("ticket_services").ctl.take("passport")
    drain(ui)
    assert ui.current == "ticket_issued"
    ticket = " ".join(said(ui)[mark:])
    assert "A, 0, 0, 1" in ticket
    assert app.tr("audio.ticket.not_printed") in ticket
    check_screen(ui, mark=mark)


def touch(ui, widget, up_after=0.05):
    from kivy.tests.common import UnitTestTouch
    x, y = ui._stable_center(widget)
    t = UnitTestTouch(x, y)
    t.touch_down()
    ui.frames(1)
    ui.clock.advance(up_after)
    t.touch_up()
    ui.frames(2)
    ui.settle()


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_explore_by_touch(ui):
    app = ui.app
    enter_audio(ui)
    home = ui.screen()
    mark = len(said(ui))
    touch(ui, home.ids.tickets)                    # one touch: said, not activated
    assert ui.current == "home"
    assert said(ui)[mark].startswith(home.ids.tickets.text + ", 2 van ")
    assert app.core.audio.focus_key == "home.tickets"
    ui.screenshot("audio-focus")                   # the focus ring on "take a number"
    ring = app.audio.ring_widget
    assert ring is home.ids.tickets.__self__
    ui.clock.advance(1.0)                          # too slow for a double tap: said again
    touch(ui, home.ids.tickets)
    assert ui.current == "home"
    ui.clock.advance(0.2)                          # the double tap: activated
    touch(ui, home.ids.tickets)
    drain(ui)
    assert ui.current == "ticket_services"
    assert said(ui)[-1].startswith(app.tr("tickets.title"))
    assert ui.store.outbox_events("ticket.issued") == []
    # a single touch on a service tile says it (with its pictogram) and takes no ticket
    tile = ui.screen().tiles["passport"]
    touch(ui, tile)
    drain(ui)
    assert said(ui)[-1].startswith(tile.label + ",")
    assert ui.current == "ticket_services" and ui.store.outbox_events("ticket.issued") == []


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_long_press_on_the_start_screen_enters_audio_mode(ui):
    from kivy.tests.common import UnitTestTouch
    app = ui.app
    home = ui.screen()
    x, y = ui._stable_center(home.ids.feedback)
    t = UnitTestTouch(x, y)
    t.touch_down()
    for _ in range(25):                             # 2.5 s held
        ui.clock.advance(0.1)
        ui.kivy_time.t += 0.1
        ui.frames(1)
    assert app.core.session.audio
    assert app.tr("audio.help.touch") in said(ui)[-1]
    t.touch_up()
    ui.frames(3)
    assert ui.current == "home"                     # the button under the finger did nothing
    assert not home.ids.feedback.state == "down"


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_focus_ring_is_visible(ui):
    from kiosk import theme
    app = ui.app
    enter_audio(ui)
    key(ui, "down", 2)
    w = app.audio.ring_widget
    assert w is ui.screen().ids.tickets.__self__
    from kivy.graphics import Line
    lines = [i for i in app.audio._ring.children if isinstance(i, Line)]
    assert len(lines) == 2 and all(line.width * 2 >= 3 for line in lines)
    for pal in ("default", "high_contrast"):
        p = theme.PALETTES[pal]
        assert theme.contrast(p["text"], p["bg"]) >= 3
    ui.screenshot("audio-focus-ring")
    app.set_accessible(True)
    ui.frames(3)
    ui.screenshot("audio-focus-ring-large")


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_simulate_mode_keyboard_plays_the_keypad(ui):
    """`make run` has no keypad: the computer's keyboard plays the simulated one."""
    from kivy.core.window import Window
    said(ui)
    pad = ui.app.core.devices.get("keypad")

    def press(keycode):
        Window.dispatch("on_key_down", keycode, 0, None, [])
        ui.frames(2)
        drain(ui)
        ui.settle()

    press(282)                                      # F1: help (the first key starts audio mode)
    assert ui.app.core.session.audio
    mark = len(said(ui))
    press(274)                                      # arrow down: the next item is said
    assert pad.presses[-2:] == ["help", "down"]
    assert said(ui)[mark:] and ui.app.core.audio.focus_key
    press(ord("x"))                                 # not a keypad key: nothing pressed
    assert pad.presses[-1] == "down"
