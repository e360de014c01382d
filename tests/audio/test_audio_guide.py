"""Audio-guided mode through the kiosk core, heard only through the speech log: the keypad
(simulated), explore-by-touch on a fake clock, the visitor's volume and rate, and the end of
the session. No Kivy: a "screen" here is what a screen registers with the guide."""
import pytest

from kiosk.appliance.core import Kiosk
from kiosk.audio.focus import FocusItem
from testkit import build_config

REASONS = {"nl": ["Wachttijd", "Vriendelijkheid", "Duidelijkheid", "Resultaat"],
           "en": ["Waiting time", "Friendliness", "Clarity", "Result"]}


@pytest.fixture
def core(tmp_path, clock):
    cfg = build_config([], device={"role": "feedback"}, devices={
        "speech": {"url": "dummy://"}, "keypad": {"url": "sim://"}})
    k = Kiosk(cfg, data_dir=tmp_path / "data", clock=clock)
    yield k
    k.close()


class ReasonsScreen:
    """What the reasons screen would register: four toggles and Done, back to the smileys."""

    def __init__(self, core, lang="nl"):
        self.core, self.lang = core, lang
        self.chosen: set[int] = set()
        self.done = self.backs = 0
        self.enter()

    def items(self):
        tr = self.core.translator
        out = [FocusItem(f"reason.{i}", label, role="toggle", chosen=i in self.chosen,
                         activate=lambda i=i: self.toggle(i))
               for i, label in enumerate(REASONS[self.lang])]
        out.append(FocusItem("done", "Klaar" if self.lang == "nl" else "Done",
                             activate=self.finish))
        out.append(FocusItem("skip", tr("audio.state.disabled", self.lang), enabled=False,
                             activate=self.finish))
        return out

    def enter(self):
        title = "Wat was de reden?" if self.lang == "nl" else "What was the reason?"
        hint = "Kies een of meer redenen" if self.lang == "nl" else "Choose one or more reasons"
        self.core.audio.enter("reasons", title, hint, self.items(), on_back=self.back)

    def toggle(self, i):
        self.chosen ^= {i}

    def finish(self):
        self.done += 1

    def back(self):
        self.backs += 1


def heard(core):
    return [text for text, _lang in core.speech().said]


def last(core):
    return core.speech().said[-1]


def test_first_key_starts_audio_mode_with_a_welcome(core):
    keypad = core.open_keypad()
    screen = ReasonsScreen(core)
    assert core.speech().said == [] and not core.session.audio   # nothing spoken before
    keypad.press("down")
    assert core.session.audio
    text, lang = last(core)
    assert lang == "nl"
    assert text.startswith("Welkom. Hier vertelt u hoe uw bezoek aan het gemeentehuis was. "
                           "U hoort nu alles wat op het scherm staat. Zo werken de toetsen.")
    assert "Toets 5: kiezen. Toets 0: terug." in text
    assert text.endswith("Wat was de reden? Kies een of meer redenen.")
    assert core.audio.focused is None and screen.chosen == set()   # the first key only starts it


@pytest.mark.parametrize("lang,second,wrapped", [
    ("nl", "Vriendelijkheid, niet gekozen, 2 van 6.", "kan nu niet, kan nu niet, 6 van 6."),
    ("en", "Friendliness, not chosen, 2 of 6.", "not possible now, not possible now, 6 of 6."),
])
def test_up_and_down_speak_the_item_with_its_state_and_place(core, lang, second, wrapped):
    core.session.set_language(lang)
    keypad = core.open_keypad()
    ReasonsScreen(core, lang)
    keypad.press("help")                    # starts audio mode
    keypad.press("down")
    keypad.press("down")
    assert last(core) == (second, lang)
    keypad.press("up")
    keypad.press("up")                      # from the first item up: wraps to the last
    assert last(core) == (wrapped, lang)
    keypad.press("down")                    # and down again to the first
    assert last(core)[0].startswith(REASONS[lang][0] + ",")


def test_select_toggles_and_speaks_the_new_state(core):
    keypad = core.open_keypad()
    screen = ReasonsScreen(core)
    keypad.press("select")                  # starts audio mode
    keypad.press("select")
    assert last(core)[0] == "Kies eerst iets met toets 8 of toets 2."
    keypad.press("down")
    keypad.press("select")
    assert screen.chosen == {0}
    assert last(core)[0] == "Wachttijd, gekozen, 1 van 6."
    keypad.press("select")
    assert screen.chosen == set() and last(core)[0] == "Wachttijd, niet gekozen, 1 van 6."


def test_screen_that_updates_its_items_during_activation_is_believed(core):
    keypad = core.open_keypad()
    screen = ReasonsScreen(core)
    screen.toggle = lambda i: (screen.chosen.symmetric_difference_update({i}),
                               core.audio.update(screen.items()))
    keypad.press("back")
    keypad.press("down")
    keypad.press("down")
    keypad.press("select")
    assert screen.chosen == {1} and last(core)[0] == "Vriendelijkheid, gekozen, 2 van 6."


def test_disabled_item_is_not_activated_and_back_goes_back(core):
    keypad = core.open_keypad()
    screen = ReasonsScreen(core)
    keypad.press("back")                    # starts audio mode only
    assert screen.backs == 0
    keypad.press("up")                      # the last item: disabled
    keypad.press("select")
    assert screen.done == 0 and last(core)[0] == "Dit kan nu niet."
    keypad.press("back")
    assert screen.backs == 1
    core.audio.enter("thanks", "Bedankt!", "")
    assert last(core)[0] == "Bedankt!"
    keypad.press("back")
    assert last(core)[0] == "Terug kan hier niet."


def test_repeat_help_and_every_key_interrupts(core):
    keypad = core.open_keypad()
    ReasonsScreen(core)
    keypad.press("repeat")
    keypad.press("down")
    item = last(core)
    stops = core.speech().stopped
    keypad.press("repeat")
    assert last(core) == item and core.speech().stopped == stops + 1
    keypad.press("help")
    assert last(core)[0].startswith("Zo werken de toetsen.")
    keypad.press("volume_up")
    keypad.press("repeat")                   # "Harder." is not what repeat repeats
    assert last(core)[0].startswith("Zo werken de toetsen.")


def test_volume_and_rate_are_the_visitors_own_until_the_session_ends(core):
    keypad = core.open_keypad()
    ReasonsScreen(core)
    keypad.press("down")
    sp = core.speech()
    keypad.press("volume_up")
    assert sp.spoken[-1].text == "Harder." and sp.spoken[-1].volume == 1.3
    keypad.press("rate_down")
    assert sp.spoken[-1].text == "Langzamer." and sp.spoken[-1].rate == 0.85
    keypad.press("down")
    assert (sp.spoken[-1].rate, sp.spoken[-1].volume) == (0.85, 1.3)
    for _ in range(10):
        keypad.press("rate_up")
    assert sp.spoken[-1].text == "Sneller kan niet." and core.session.speech_rate == 1.75
    for _ in range(10):
        keypad.press("volume_down")
    assert sp.spoken[-1].text == "Zachter kan niet." and core.session.speech_volume == 0.4
    stops = sp.stopped
    core.session.reset()                    # the idle reset: the next visitor
    assert not core.session.audio and sp.stopped == stops + 1
    assert (core.session.speech_rate, core.session.speech_volume) == (1.0, 1.0)
    keypad.press("down")                    # the next visitor's first key: the welcome again
    assert sp.spoken[-1].text.startswith("Welkom.") and sp.spoken[-1].rate == 1.0


def test_entering_and_leaving_screens(core):
    keypad = core.open_keypad()
    core.audio.enter("start", "Hoe was uw bezoek vandaag?", "Tik op een gezicht",
                     [FocusItem("5", "Heel goed"), FocusItem("1", "Heel slecht")], start=True)
    keypad.press("select")
    keypad.press("down")
    keypad.press("down")
    assert core.audio.focus_key == "1"
    ReasonsScreen(core)
    assert last(core)[0] == "Wat was de reden? Kies een of meer redenen."
    assert core.audio.focused is None       # focus starts before the first item
    stops = core.speech().stopped
    core.audio.leave("other")               # not the screen shown: nothing happens
    assert core.speech().stopped == stops and core.audio.screen.name == "reasons"
    core.audio.leave("reasons")
    assert core.speech().stopped == stops + 1 and core.audio.screen is None


def test_announce_only_in_audio_mode(core):
    assert core.audio.announce("De printer werkt niet.") is False
    assert core.speech().said == []
    core.audio.start()
    assert core.audio.announce("De printer werkt niet.") is True
    assert last(core) == ("De printer werkt niet.", "nl")


def test_focus_listeners_hear_every_move(core):
    seen = []
    core.audio.listen(lambda g: seen.append(g.focus_key))
    keypad = core.open_keypad()
    ReasonsScreen(core)
    keypad.press("down")
    keypad.press("down")
    keypad.press("down")
    assert seen[-2:] == ["reason.0", "reason.1"]


def test_keypad_only_feedback_with_two_reasons(core):
    """Two reasons chosen and Done, by keys alone, checked by what was said."""
    keypad = core.open_keypad()
    screen = ReasonsScreen(core, "en")
    core.session.set_language("en")
    for key in ["select", "down", "select", "down", "down", "select", "down", "down", "select"]:
        keypad.press(key)
    assert screen.chosen == {0, 2} and screen.done == 1
    said = heard(core)
    assert "Waiting time, chosen, 1 of 6." in said and "Clarity, chosen, 3 of 6." in said
    assert said[-1] == "Done, 5 of 6."


# -- explore by touch ------------------------------------------------------------------------
def tap(core, clock, item, held=0.1):
    core.audio.touch_down(item)
    clock.advance(held)
    return core.audio.touch_up(item)


def test_a_touch_speaks_and_a_double_tap_activates(core, clock):
    screen = ReasonsScreen(core)
    core.audio.start(by_touch=True)
    assert "Tik twee keer snel op dezelfde plek" in last(core)[0]
    assert tap(core, clock, "reason.1") is True
    assert screen.chosen == set() and last(core)[0] == "Vriendelijkheid, niet gekozen, 2 van 6."
    assert core.audio.focus_key == "reason.1"
    clock.advance(0.2)
    tap(core, clock, "reason.1")
    assert screen.chosen == {1} and last(core)[0] == "Vriendelijkheid, gekozen, 2 van 6."
    clock.advance(0.2)
    tap(core, clock, "reason.2")            # another item: speaks only
    clock.advance(1.0)
    tap(core, clock, "reason.2")            # too late for a double tap: speaks again
    assert screen.chosen == {1} and last(core)[0] == "Duidelijkheid, niet gekozen, 3 van 6."


def test_touches_pass_through_outside_audio_mode(core, clock):
    screen = ReasonsScreen(core)
    assert tap(core, clock, "reason.1") is False
    assert tap(core, clock, "reason.1") is False
    assert core.speech().said == [] and screen.chosen == set()


def test_long_press_on_the_start_screen_enters_audio_mode(core, clock):
    ReasonsScreen(core)                     # not the start screen: a long press does nothing
    assert tap(core, clock, None, held=3.0) is False and not core.session.audio
    core.audio.enter("start", "Hoe was uw bezoek vandaag?", "", [FocusItem("5", "Heel goed")],
                     start=True)
    assert tap(core, clock, "5", held=2.5) is True
    assert core.session.audio and last(core)[0].startswith("Welkom.")
    assert last(core)[0].endswith("Hoe was uw bezoek vandaag?")


def test_long_press_can_start_before_the_finger_lifts(core, clock):
    core.audio.enter("start", "Hoe was uw bezoek vandaag?", "", [], start=True)
    core.audio.touch_down(None)
    clock.advance(1.0)
    assert core.audio.long_press_due() is False
    clock.advance(1.0)
    assert core.audio.long_press_due() is True and core.session.audio
    assert core.audio.touch_up(None) is True   # the lift is the guide's, not the screen's


def test_keypad_keys_reach_the_guide_through_the_ui_thread_hop(core):
    queued = []
    keypad = core.open_keypad(queued.append)
    assert core.open_keypad() is keypad              # opened once
    keypad.press("down")
    assert core.speech().said == [] and len(queued) == 1   # nothing until the UI thread runs it
    queued.pop()()
    assert core.session.audio and last(core)[0].startswith("Welkom.")


def test_simulated_kiosk_has_a_sim_keypad_and_closes_it(tmp_path, clock):
    k = Kiosk(build_config([]), data_dir=tmp_path / "d", clock=clock, simulate=True)
    try:
        keypad = k.open_keypad()
        assert keypad.url == "sim://" and k.audio.voice.threaded   # espeak-ng into files
    finally:
        k.close()
    assert k.devices.get("keypad") is None


def test_audio_mode_set_on_the_session_directly_also_ends_with_it(core):
    core.session.set_audio(True)
    ReasonsScreen(core)
    assert last(core)[0] == "Wat was de reden? Kies een of meer redenen."
    stops = core.speech().stopped
    core.session.reset()
    assert core.speech().stopped == stops + 1 and core.audio.last == ""
