"""The feedback pillar driven with real touches on the real screens (headless)."""
import pytest
from kivy.core.window import Window

from kiosk.feedback.store import counts


def given(ui):
    return [e.payload for e in ui.store.outbox_events("feedback.given")]


def test_happy_path(ui):
    assert ui.current == "feedback_question"
    ui.screenshot("question")
    q = ui.screen()
    ui.tap(q.face(5))
    assert ui.current == "feedback_reasons"
    r = ui.screen()
    assert r.ids.title.text == "Wat ging goed?"
    ui.tap(r.toggle("friendliness"))
    ui.tap(r.toggle("result"))
    assert r.toggle("result").state == "down"
    ui.screenshot("reasons")
    ui.tap(r.ids.done)
    assert ui.current == "feedback_thanks"
    ui.screenshot("thanks")
    ev = given(ui)
    assert len(ev) == 1
    assert ev[0]["answer"] == 5 and ev[0]["reasons"] == ["friendliness", "result"]
    assert ev[0]["ended_by"] == "done" and ev[0]["language"] == "nl"
    ui.advance(3.1)
    assert ui.current == "feedback_question"


def test_skip(ui):
    ui.tap(ui.screen().face(1))
    r = ui.screen()
    assert r.ids.title.text == "Wat kan beter?"
    ui.tap(r.toggle("waiting_time"))
    ui.tap(r.ids.skip)
    assert ui.current == "feedback_thanks"
    ui.screenshot()
    ev = given(ui)
    assert ev[0]["answer"] == 1 and ev[0]["reasons"] == [] and ev[0]["ended_by"] == "skip"


def test_idle_timeout_with_countdown(ui):
    ui.tap(ui.screen().face(2))
    r = ui.screen("feedback_reasons")
    ui.tap(r.toggle("building"))
    ui.advance(14.0)
    assert ui.app.countdown_text == ""
    ui.advance(2.0)  # 16 s idle: the warning shows, 19 s left
    assert ui.app.countdown_text == "Terug naar het begin over 19 s"
    assert "19 s" in r.ids.title.parent.children[-1].ids.countdown.text
    ui.screenshot("countdown")
    assert given(ui) == []
    ui.advance(19.1)
    assert ui.current == "feedback_question"
    assert ui.app.countdown_text == ""
    ev = given(ui)
    assert ev[0]["answer"] == 2 and ev[0]["reasons"] == ["building"] and ev[0]["ended_by"] == "timeout"


def test_repeat_taps_are_suppressed(ui):
    q = ui.screen()
    ui.tap(q.face(5))
    ui.tap(ui.screen().ids.skip)
    ui.advance(3.1)  # thanks over, back at the question 3.1 s after the answer
    assert ui.current == "feedback_question"
    for _ in range(4):
        ui.tap(q.face(1))
    assert ui.current == "feedback_question"
    ui.screenshot()
    c = counts(ui.store)
    assert c == {"answers": {5: 1}, "suppressed": 4}
    ui.advance(2.0)  # now 5.1 s after the accepted answer
    ui.tap(q.face(1))
    assert ui.current == "feedback_reasons"


def test_language_switch(ui):
    q = ui.screen()
    bar = q.children[0].children[-1]
    assert bar.ids.lang_button.text == "English"
    ui.tap(bar.ids.lang_button)
    assert ui.app.lang == "en"
    assert bar.ids.lang_button.text == "Nederlands"
    assert q.face(5).label == "Very good"
    ui.screenshot("en")
    ui.tap(q.face(4))
    r = ui.screen()
    assert r.ids.title.text == "What went well?"
    assert r.toggle("clarity").text == "Clear explanation"
    assert r.ids.done.text == "Done"
    ui.tap(r.ids.done)
    assert given(ui)[0]["language"] == "en"
    ui.advance(3.1)  # the next visitor starts in Dutch again
    assert ui.app.lang == "nl" and q.face(5).label == "Heel goed"


def test_large_text_mode(ui):
    q = ui.screen()
    bar = q.children[0].children[-1]
    before = ui.app.fs_title
    ui.tap(bar.ids.large_text)
    assert ui.app.accessible is True
    assert ui.app.fs_title > before * 1.3
    assert list(Window.clearcolor)[:3] == [0, 0, 0]
    ui.screenshot("large")
    ui.tap(q.face(3))
    assert ui.current == "feedback_reasons"
    assert ui.app.accessible is True  # stays on for this visitor
    ui.screenshot("large-reasons")


@pytest.mark.parametrize("ui", [{"feedback": {"scale": 3}}, {"feedback": {"scale": 4}}],
                         indirect=True, ids=["scale3", "scale4"])
def test_scales(ui):
    faces = ui.screen().ids.faces.children
    assert len(faces) == ui.cfg.feedback.scale
    ui.screenshot()
    ui.tap(ui.screen().face(1))
    assert ui.current == "feedback_reasons"


def test_every_button_is_a_big_target(ui):
    from kivy.uix.behaviors import ButtonBehavior
    ui.tap(ui.screen().face(3))
    for name in ("feedback_question", "feedback_reasons"):
        screen = ui.app.show(name)
        ui.frames(3)
        buttons = [w for w in screen.walk() if isinstance(w, ButtonBehavior)]
        assert buttons
        for b in buttons:
            assert b.width >= 60 and b.height >= 60, (name, type(b).__name__, b.size)


@pytest.mark.parametrize("ui", [{"devices": {"buttons": {"url": "loop://"}}}], indirect=True,
                         ids=["loop"])
def test_physical_buttons_over_loop(ui, caplog):
    import time
    dev = ui.app.core.devices.get("buttons")
    dev.port.write(b"\xff\x00junk\r\n")  # garbage: logged and ignored
    dev.port.write(b"2")
    for _ in range(100):  # the reader thread hands the digit to the UI thread
        ui.frames(2)
        ui.settle()
        if ui.current == "feedback_reasons":
            break
        time.sleep(0.01)
    assert ui.current == "feedback_reasons"
    assert "unexpected byte" in caplog.text
    ui.screenshot()
    ui.tap(ui.screen().ids.done)
    ev = given(ui)
    assert ev[0]["answer"] == 2 and ev[0]["source"] == "button"
    dev.port.write(b"5")  # within the response interval: suppressed, not an answer
    time.sleep(0.3)
    ui.frames(4)
    ui.settle()
    assert counts(ui.store) == {"answers": {2: 1}, "suppressed": 1}


def test_language_list_for_more_than_two_languages(ui):
    from screens.language_chooser import open_chooser
    view = open_chooser(ui.app, ["nl", "en"])
    ui.frames(3)
    names = [b.text for b in view.ids.list.children][::-1]
    assert names == ["Nederlands", "English"]
    ui.screenshot("chooser")
    ui.tap(view.ids.list.children[0])  # English
    assert ui.app.lang == "en"
