"""The low-reach layout (`ui.layout = "low"`, issue 13): on every visitor screen every control,
the language, large-text and help buttons included, is in the lower part of the portrait screen;
screenshots of each (and of audio mode with its focus ring) go to build/screenshots/."""
import pytest
from kivy.core.window import Window
from kivy.uix.behaviors import ButtonBehavior

from audio_helpers import hidden_by_opacity, key
from audio_sites import full_site
from test_ui_tickets import drain
from screens.low_reach import TOP_FREE

SCREENS = ["home", "feedback_question", "feedback_reasons", "feedback_thanks",
           "ticket_services", "ticket_appointment", "ticket_issued",
           "wayfinding_destinations", "wayfinding_map", "help"]


def controls(root):
    out = []
    for w in root.walk(restrict=True):
        if not isinstance(w, ButtonBehavior) or w.get_root_window() is None:
            continue
        shown = not hidden_by_opacity(w)
        if shown and w.width > 1 and w.height > 1:
            out.append(w)
    return out


def show(ui, name):
    app = ui.app
    if name == "ticket_issued":
        app.show("ticket_services").ctl.take("passport")
    elif name == "wayfinding_map":
        app.show("wayfinding_destinations").choose("desk-5")
    elif name == "feedback_reasons":
        app.show("feedback_question")
        app.on_answer(2)
    elif name == "help":                # "Hulp nodig?" (offline here: the way to the desk)
        app.show("home")
        app.help_ui.ask()
    else:
        app.show(name)
    drain(ui)
    ui.settle()
    ui.frames(4)
    assert ui.current == name
    return ui.screen()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("ui", [full_site(layout="low")], indirect=True, ids=["low"])
def test_every_control_is_in_the_lower_part(ui, large):
    from screens.language_chooser import open_chooser
    ui.app.set_accessible(large)
    limit = Window.height * (1 - TOP_FREE) + 1
    for name in SCREENS:
        screen = show(ui, name)
        found = controls(screen)
        assert len(found) >= 2, name
        high = [(type(w).__name__, getattr(w, "text", "")[:20], w.to_window(w.x, w.top)[1])
                for w in found if w.to_window(w.x, w.top)[1] > limit]
        assert high == [], (name, high)
        ui.screenshot(name)
    ui.app.show("home")
    view = open_chooser(ui.app, ["nl", "en"])
    ui.frames(4)
    assert all(w.to_window(w.x, w.top)[1] <= limit for w in view.buttons)
    ui.screenshot("language-list")
    view.dismiss()


@pytest.mark.parametrize("ui", [full_site(layout="low")], indirect=True, ids=["low"])
def test_audio_mode_in_the_low_layout_shows_the_focus(ui):
    drain(ui)
    key(ui, "help")
    key(ui, "down", 2)
    assert ui.app.audio.ring_widget is ui.screen().ids.tickets.__self__
    ui.screenshot("audio-focus")
