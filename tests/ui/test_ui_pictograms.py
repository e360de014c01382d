"""Pictograms beside the words (issue 13, reach and low literacy): the home menu and every
primary button of the visitor screens show one, in normal and in large text, drawn on the
rendered button; in audio mode a touch on the pictogram says the button's word."""
import pytest

from audio_helpers import hidden_by_opacity, said
from audio_sites import full_site
from test_ui_audio_screens import enter_audio
from test_ui_tickets import drain
from test_ui_timing import open_screen

FULL = full_site()

# every visitor screen with its buttons that act (the lists' own tiles have pictograms of
# their own: services, destinations); the smileys are pictures themselves
SCREENS = {"home": ["feedback", "tickets", "wayfinding"],
           "feedback_reasons": ["skip", "done"],
           "ticket_services": ["appointment"],
           "ticket_appointment": ["back", "backspace", "clear_code", "check"],
           "ticket_issued": ["show_way", "speak", "done"],
           "wayfinding_map": ["back", "step_free", "speak"]}


def shown(ui, name):
    if name == "feedback_reasons":
        ui.app.show("feedback_question")
        drain(ui)
        ui.tap(ui.screen().face(2))
        drain(ui)
        return ui.screen()
    if name == "home":
        ui.app.show("home")
        drain(ui)
        return ui.screen()
    return open_screen(ui, name)


def drawn_pictogram(button):
    """The pictogram as drawn: its box on the button, and instructions in its group."""
    box = button.icon_box()
    group = button._icon_group
    return box is not None and group is not None and len(group.children) > 0, box


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_every_primary_button_shows_a_pictogram(ui, large):
    if large:
        ui.app.core.session.set_accessible(True)
        drain(ui)
    missing = []
    for name, ids in SCREENS.items():
        screen = shown(ui, name)
        ui.settle()
        for i in ids:
            b = screen.ids[i]
            if hidden_by_opacity(b) or b.width <= 1:
                continue
            ok, box = drawn_pictogram(b)
            if not ok:
                missing.append(f"{name}.{i}")
                continue
            x, y, side = box
            # inside the button, beside or above the word, never over it
            assert b.x <= x and x + side <= b.right and b.y <= y and y + side <= b.top, (name, i)
            if b.icon_room:
                assert b.text_size[0] <= b.width - 2 * side, (name, i)
            else:
                assert b.padding[1] >= side, (name, i)
            assert side >= 0.8 * b.font_size, (name, i, side)
        ui.screenshot(f"{name}-{'large' if large else 'normal'}")
    assert missing == [], f"buttons without a pictogram: {missing}"


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_touching_a_pictogram_in_audio_mode_says_its_word(ui):
    from kivy.tests.common import UnitTestTouch
    enter_audio(ui)
    screen = open_screen(ui, "ticket_issued")
    for i in ("speak", "done"):
        b = screen.ids[i]
        x, y, side = b.icon_box()
        px, py = b.to_window(x + side / 2, y + side / 2)
        mark = len(said(ui))
        t = UnitTestTouch(px, py)
        t.touch_down()
        ui.frames(1)
        ui.clock.advance(0.05)
        t.touch_up()
        ui.frames(2)
        ui.settle()
        assert ui.current == "ticket_issued"                     # said, not activated
        assert said(ui)[mark].startswith(b.text + ","), said(ui)[mark:]
        ui.clock.advance(1.0)
