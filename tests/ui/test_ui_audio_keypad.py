"""Audio-guided mode, keypad only (issue 13): each visitor function done by a blind visitor
with the tactile keypad (the sim:// keypad) who only listens. The tests press keys and read
only the speech log (and the stored events), never the screen; every label they wait for is
taken from the catalogs, as the visitor would hear it. In Dutch and in English (the English
visitor changes the language with the keypad first)."""
import copy

import pytest

from audio_helpers import audio_site, choose, focus_to, heard, key, said, said_langs
from test_ui_tickets import SERVICES, drain
from test_ui_wayfinding import SITE as FLOOR_SITE

LANGS = ["nl", "en"]
TICKETS = audio_site({"device": {"role": "tickets"}, "services": SERVICES,
                      "devices": {"printer": {"url": "dummy://?state=online"},
                                  "scanner": {"url": "sim://"}}})
ROUTE = audio_site(copy.deepcopy(FLOOR_SITE))


def tr(ui, msgid, lang, **kw):
    return ui.app.core.translator(msgid, lang, **kw)


def start(ui, lang, drain_fn=None):
    """The first key starts audio mode with the welcome; the English visitor then moves to
    the language button and selects it."""
    key(ui, "select", drain=drain_fn)
    welcome = said(ui)[-1]
    assert welcome.startswith("Welkom.") and tr(ui, "audio.help.keys", "nl") in welcome
    if lang == "en":
        choose(ui, "English", drain=drain_fn)
        assert said_langs(ui)[-1] == "en"
    return len(said(ui))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ui", [audio_site()], indirect=True)
def test_feedback_with_two_reasons_by_keypad(ui, lang):
    start(ui, lang)
    choose(ui, tr(ui, "feedback.answer.very_good", lang))
    ui.settle()
    assert said(ui)[-1].startswith(tr(ui, "feedback.reasons.positive", lang))
    for reason in ("friendliness", "result"):
        choose(ui, tr(ui, f"reason.{reason}", lang))
        assert said(ui)[-1].startswith(tr(ui, f"reason.{reason}", lang) + ", "
                                       + tr(ui, "audio.state.chosen", lang))
    choose(ui, tr(ui, "feedback.done", lang))
    assert tr(ui, "feedback.thanks", lang) in said(ui)[-1]
    ev = [e.payload for e in ui.store.outbox_events("feedback.given")]
    assert ev[0]["answer"] == 5 and ev[0]["reasons"] == ["friendliness", "result"]
    assert ev[0]["language"] == lang
    assert set(said_langs(ui)[-3:]) == {lang}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ui", [TICKETS], indirect=True)
def test_ticket_for_a_service_by_keypad(ui, lang):
    drain(ui)
    start(ui, lang, drain)
    mark = len(said(ui))
    # a closed service says so when chosen, and gives no ticket
    text = choose(ui, "Parkeren" if lang == "nl" else "Parking", drain=drain)
    assert tr(ui, "tickets.closed", lang) in text
    assert said(ui)[-1] == tr(ui, "tickets.closed", lang)
    choose(ui, "Paspoort" if lang == "nl" else "Passport", drain=drain)
    drain(ui)
    ticket = heard(ui, mark)
    assert "A, 0, 0, 1" in ticket and ("Paspoort" if lang == "nl" else "Passport") in ticket
    assert ("Wachtruimte B" if lang == "nl" else "Waiting area B") in ticket
    assert [e.payload["service"] for e in ui.store.outbox_events("ticket.issued")] == ["passport"]
    choose(ui, tr(ui, "ticket.done", lang), drain=drain)
    assert said(ui)[-1].startswith(tr(ui, "tickets.title", lang))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ui", [TICKETS], indirect=True)
def test_appointment_check_in_by_typing_the_code(ui, lang):
    drain(ui)
    start(ui, lang, drain)
    choose(ui, tr(ui, "tickets.appointment", lang), drain=drain)
    assert said(ui)[-1].startswith(tr(ui, "appointment.title", lang))

    def type_code(code):
        for ch in code:
            choose(ui, ch, drain=drain)
            assert said(ui)[-1].endswith(", ".join(code[:code.index(ch) + 1]) + ".")

    type_code("ABC1")
    choose(ui, tr(ui, "appointment.check", lang), drain=drain)
    drain(ui)
    assert said(ui)[-1] == tr(ui, "appointment.bad_format", lang)   # the error is said
    choose(ui, tr(ui, "appointment.clear", lang), drain=drain)
    assert said(ui)[-1] == tr(ui, "audio.code_empty", lang)
    type_code("WXYZ2468")
    mark = len(said(ui))
    choose(ui, tr(ui, "appointment.check", lang), drain=drain)
    drain(ui)
    assert "F, 0, 0, 1" in heard(ui, mark)
    issued = ui.store.outbox_events("ticket.issued")[0].payload
    assert issued["appointment"] is True and issued["lang"] == lang


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ui", [ROUTE], indirect=True)
def test_route_to_a_desk_by_keypad(ui, lang):
    start(ui, lang)
    place = ui.app.core.floor_plan().places["desk-5"].name(lang)
    mark = len(said(ui))
    choose(ui, place)
    route = heard(ui, mark)
    from kiosk.wayfinding.directions import get_directions
    from kiosk.wayfinding.routing import router_for
    plan = ui.app.core.floor_plan()
    d = get_directions(plan, "here", "desk-5", lang, False, router_for(plan))
    for i, step in enumerate(d.steps):     # every step, in order
        assert f"{i + 1}. {step.text}" in route
    assert route.index(f"1. {d.steps[0].text}") < route.index(f"2. {d.steps[1].text}")
    assert d.total_text in route
    # the step-free route is one key away, and read again
    mark = len(said(ui))
    choose(ui, tr(ui, "wayfinding.step_free", lang))
    assert tr(ui, "wayfinding.steps_title", lang) in heard(ui, mark)
    shown = [e.payload for e in ui.store.outbox_events("route.shown")]
    assert [s["to"] for s in shown] == ["desk-5", "desk-5"] and shown[1]["step_free"]
    assert {s["lang"] for s in shown} == {lang}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ui", [audio_site({"device": {"role": "home"}})], indirect=True,
                         ids=["home"])
def test_changing_the_language_by_keypad(ui, lang):
    other = "en" if lang == "nl" else "nl"
    start(ui, lang)
    assert said_langs(ui)[-1] == lang
    name = ui.app.core.translator.language_name(other)
    choose(ui, name)
    assert said_langs(ui)[-1] == other
    assert said(ui)[-1].startswith(tr(ui, "home.title", other))
    # the focus stays on the language button, now named for the first language again
    key(ui, "repeat")
    key(ui, "select")
    assert said_langs(ui)[-1] == lang and said(ui)[-1].startswith(tr(ui, "home.title", lang))
    focus_to(ui, tr(ui, "home.tickets", lang))
    assert said_langs(ui)[-1] == lang
