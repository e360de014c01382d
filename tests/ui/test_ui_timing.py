"""Timing (WCAG 2.2.1, issue 13): every visitor screen that goes back to the start by itself
warns at least 20 s before, says so in audio mode, and "more time" (the button, or any key)
extends it; nothing resets while the kiosk speaks."""
import pytest

from audio_helpers import key, said
from audio_sites import full_site
from test_ui_tickets import drain
from test_ui_tickets import top_bar

FULL = full_site()


def open_screen(ui, name):
    app = ui.app
    if name == "ticket_issued":
        app.show("ticket_services")
        ui.screen("ticket_services").ctl.take("passport")
    elif name == "wayfinding_map":
        app.show("wayfinding_destinations")
        ui.screen().choose("desk-5")
    else:
        app.show(name)
    drain(ui)
    assert ui.current == name
    return ui.screen()


RESETTING = ["ticket_services", "ticket_appointment", "ticket_issued",
             "wayfinding_destinations", "wayfinding_map"]


def idle_before_warning(ui, name):
    return (ui.app.kcfg.tickets.show_s if name == "ticket_issued"
            else ui.app.kcfg.ui.idle_timeout_s)


@pytest.mark.parametrize("name", RESETTING)
@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_warning_20_s_before_the_reset_and_more_time(ui, name):
    app = ui.app
    screen = open_screen(ui, name)
    before = idle_before_warning(ui, name)
    ui.advance(before - 1)
    assert app.countdown_text == "" and ui.current == name
    ui.advance(1.2)                                   # the warning starts ...
    assert app.countdown_text == app.tr("idle.countdown", n=20)   # ... 20 s before the reset
    bar = top_bar(screen)
    assert bar.ids.more_time.opacity == 1 and not bar.ids.more_time.disabled
    ui.screenshot("warning")
    ui.tap(bar.ids.more_time)                         # more time: the idle time starts again
    assert app.countdown_text == "" and ui.current == name
    ui.advance(before + 19)
    assert ui.current == name and app.countdown_text
    ui.advance(1.5)
    assert ui.current == "home"                       # nobody asked for more time


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_the_warning_is_spoken_and_any_key_gives_more_time(ui):
    app = ui.app
    key(ui, "help", drain=drain)                      # audio mode
    open_screen(ui, "wayfinding_map")
    ui.advance(app.kcfg.ui.idle_timeout_s + 0.5)
    warning = said(ui)[-1]
    assert warning.startswith(app.tr("idle.countdown", n=20)) and app.tr("idle.more_time_hint") in warning
    key(ui, "down")                                   # any key: more time
    assert app.countdown_text == ""
    ui.advance(app.kcfg.ui.idle_timeout_s + 19)
    assert ui.current == "wayfinding_map"
    # "more time" is in the focus order while the warning shows
    assert app.core.audio.screen.index_of("common.more_time") >= 0
    ui.advance(1.5)
    assert ui.current == "home" and not app.core.session.audio


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_nothing_resets_while_speaking(ui):
    app = ui.app
    key(ui, "help", drain=drain)
    open_screen(ui, "ticket_issued")
    speech = app.core.speech()
    speech.busy = True                                # the ticket is still being read
    for _ in range(10):
        ui.advance(30)
        assert ui.current == "ticket_issued" and app.countdown_text == ""
    speech.busy = False
    ui.advance(app.kcfg.tickets.show_s + app.kcfg.ui.warn_s + 0.5)
    assert ui.current == "home"


@pytest.mark.parametrize("ui", [FULL], indirect=True, ids=["home"])
def test_audio_mode_ends_for_the_next_visitor_on_the_start_screen(ui):
    app = ui.app
    key(ui, "help", drain=drain)
    assert ui.current == "home" and app.core.session.audio
    ui.advance(app.kcfg.ui.idle_timeout_s + 0.5)
    assert said(ui)[-1].startswith(app.tr("idle.countdown", n=20))     # warned, and said
    ui.advance(app.kcfg.ui.warn_s)
    assert not app.core.session.audio and app.audio.ring_widget is None
    home = ui.screen()
    ui.tap(home.ids.tickets)                  # the next visitor's tap acts at once
    drain(ui)
    assert ui.current == "ticket_services"


def test_feedback_reasons_warn_20_s_before_they_time_out(ui):
    """The feedback pillar (default config): the reasons screen records what was given and goes
    back to the smileys only after a 20 s warning with "more time"."""
    app = ui.app
    ui.tap(ui.screen().face(2))
    reasons = ui.screen("feedback_reasons")
    ui.advance(app.kcfg.ui.idle_timeout_s - 1)
    assert app.countdown_text == "" and ui.current == "feedback_reasons"
    ui.advance(1.2)
    assert app.countdown_text == app.tr("idle.countdown", n=20)
    bar = top_bar(reasons)
    assert bar.ids.more_time.opacity == 1 and not bar.ids.more_time.disabled
    ui.tap(bar.ids.more_time)
    assert app.countdown_text == "" and ui.current == "feedback_reasons"
    ui.advance(app.kcfg.ui.idle_timeout_s + 19)
    assert ui.current == "feedback_reasons" and app.countdown_text
    ui.advance(1.5)
    assert ui.current == "feedback_question"


def test_a_chosen_language_stays_until_the_warning_is_over(ui):
    """On the start screen a visitor's language goes back to the default only after the
    warning (a visitor reading the question in their language is not cut off)."""
    app = ui.app
    app.core.session.set_language("en")
    drain(ui)
    ui.advance(app.kcfg.ui.idle_timeout_s + 0.5)
    assert app.countdown_text == app.tr("idle.countdown", n=20)
    ui.advance(app.kcfg.ui.warn_s - 1)
    assert app.lang == "en"
    ui.advance(1.0)
    assert app.lang == app.kcfg.ui.default_language and app.countdown_text == ""
