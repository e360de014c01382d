"""The home menu role, and the idle reset back to the start screen for every role."""
import pytest


@pytest.mark.parametrize("ui", [{"device": {"role": "home"}}], indirect=True, ids=["home"])
def test_home_menu_and_idle_reset(ui):
    assert ui.current == "home"
    home = ui.screen()
    assert home.ids.feedback.text == "Uw mening"
    ui.screenshot("menu")
    ui.tap(home.ids.wayfinding)
    assert ui.current == "wayfinding_destinations"
    ui.app.set_language("en")
    ui.advance(10)
    assert ui.current == "wayfinding_destinations"  # still within the idle time
    ui.advance(6)
    assert ui.current == "wayfinding_destinations"  # 16 s: the warning shows (WCAG 2.2.1) ...
    assert ui.app.countdown_text == "Back to the start in 19 s"
    ui.advance(20)
    assert ui.current == "home"  # ... and 20 s after it nobody asked for more time: the start
    assert ui.app.lang == "nl"  # and the next visitor starts in the default language
    ui.tap(home.ids.feedback)
    assert ui.current == "feedback_question"
    ui.tap(ui.screen().face(4))
    ui.tap(ui.screen("feedback_reasons").ids.done)
    ui.advance(3.1)
    assert ui.current == "home"  # the feedback flow ends on the role's start screen
