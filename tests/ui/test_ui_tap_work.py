"""What a tap costs the Kivy thread (issue #19's stall): no label texture is rewritten in place
(a rewrite waits for every queued frame still reading it: 0.4-1.2 s measured here, see
screens/textures.py), no database work runs on the Kivy thread (the writer thread does it),
hidden screens wait for the tap's frame, pictograms are drawn once a layout pass. What is made
while the finger rests: test_ui_tap_ahead.py."""
import threading

import pytest

from kivy.core.text import LabelBase

from kiosk.storage.store import Store
from tap_kit import hall, spy


def test_a_smiley_tap_renders_no_label_and_leaves_the_disk_to_the_writer(ui, monkeypatch):
    """From the finger lifting off a smiley to the reasons screen drawn, the Kivy thread renders
    no label (the reasons screen was laid out and rendered while the finger was on the glass:
    screens/feedback_reasons.py `prepare`, screens/textures.py) and makes no database call (the
    writer thread stores the answer). No texture is ever rewritten in place."""
    from kivy.tests.common import UnitTestTouch
    q = ui.screen()
    in_place, renders, db_on_kivy = [], [], []
    real_refresh = LabelBase.refresh

    def refresh(self):
        before = self.texture
        real_refresh(self)
        if before is not None and self.texture is before and before is not self.texture_1px:
            in_place.append(self.text)
    monkeypatch.setattr(LabelBase, "refresh", refresh)
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))
    for name in ("query", "transaction", "execute_durable"):
        spy(monkeypatch, Store, name, lambda _s, n: db_on_kivy.append(n)
             if threading.current_thread() is threading.main_thread() else None)
    ui.frames(120)   # the start screen is up and the screens ahead are built and rendered
    while_down = []
    for value in (1, 5, 3):   # negative, positive and neutral: the reasons screen's words change
        touch = UnitTestTouch(*ui._stable_center(q.face(value)))
        renders.clear()
        touch.touch_down()
        ui.frames(6)          # a tap: the finger rests on the glass for 0.1 s
        while_down.append(list(renders))
        renders.clear()
        touch.touch_up()
        assert ui.until(lambda: ui.current == "feedback_reasons")
        ui.frames(2)
        assert renders == [], f"answer {value}: rendered after the release: {renders}"
        title = ui.screen().ids.title
        assert title.text == ui.app.tr(title.msgid) and title.texture_size[0] > 0
        ui.tap(ui.screen().ids.skip)
        ui.advance(6)             # past the interval in which a new answer is not counted
        assert ui.until(lambda: ui.current == "feedback_question")
        q = ui.screen()
    # the spy sees renders: the reasons screen's title was rendered for each new kind of answer
    assert all(any("?" in text for text in seen) for seen in while_down), while_down
    assert in_place == []
    assert db_on_kivy == []


def test_a_smiley_tap_draws_one_frame_and_it_is_the_reasons_screen(ui):
    """Kivy's NoTransition drew a frame with both screens, and the smiley's look changed back
    on release: three frames where one is enough (screens/transition.py, widgets.HeldPress)."""
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch
    q = ui.screen()
    face = q.face(5)
    x, y = ui._stable_center(face)
    shown = []
    record = lambda *_: shown.append(ui.current)  # noqa: E731
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    ui.frames(6)            # the finger rests 0.1 s: the pressed look is drawn meanwhile
    assert face.pressed
    Window.bind(on_flip=record)
    try:
        touch.touch_up()
        assert ui.until(lambda: ui.current == "feedback_reasons")
        ui.frames(4)
    finally:
        Window.unbind(on_flip=record)
    assert shown and set(shown) == {"feedback_reasons"}, shown   # nothing drawn in between
    assert len(shown) == 1, f"{len(shown)} frames drawn for one tap"


@pytest.mark.parametrize("ui", [hall(languages=["nl", "en"])], indirect=True, ids=["hall"])
def test_a_language_switch_renders_the_screen_in_view_and_the_hidden_ones_after_its_frame(ui, monkeypatch):
    """The screens a visitor can reach are built ahead. A language switch renders the screen in
    view in the tap's frame; the hidden screens follow in the time the visitor looks at it
    (screens/textures.py), so the next tap shows a screen already rendered: no label render in
    that tap at all, pixels included (Kivy fills a label's texture when it is first drawn)."""
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.label import Label

    from screens import textures
    from screens.registry import REACHABLE
    from screens.wayfinding_destinations import WayfindingDestinationsScreen
    for name in REACHABLE["home"]:
        ui.app._build(name)
    ui.frames(60)
    home = ui.screen()
    visible = sum(isinstance(w, Label) for w in home.walk())
    renders, fills = [], []
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))
    spy(monkeypatch, WayfindingDestinationsScreen, "_fill", lambda _s, _n: fills.append(ui.app.lang))
    bar = next(w for w in home.walk() if type(w).__name__ == "TopBar")
    touch = UnitTestTouch(*ui._stable_center(bar.ids.lang_button))
    touch.touch_down()
    ui.frames(1)
    renders.clear()
    touch.touch_up()
    ui.frames(1)                             # the tap's frame
    assert ui.app.lang == "en"
    assert 0 < len(renders) <= visible, (len(renders), visible, renders)
    assert textures.pending() > 0            # the hidden screens wait for the frame to be drawn
    assert fills == []                       # the destinations' list too
    renders.clear()
    ui.frames(60)                            # a second in which the visitor reads the screen
    assert textures.pending() == 0
    assert len(renders) > visible, renders   # the hidden screens were rendered meanwhile
    assert fills == ["en"]
    dest = ui.screen("wayfinding_destinations")
    place = next(iter(dest.plan.places.values()))
    assert dest.button(place.id).label == place.name("en") != place.name("nl")
    renders.clear()
    ui.tap(home.ids.tickets)                 # a hidden screen shows in English at once
    services = ui.screen()
    assert ui.current == "ticket_services"
    assert renders == [], renders
    title = next(w for w in services.walk() if isinstance(w, Label) and w.text == "What are you here for?")
    assert title._label.text == title.text and title.texture_size[0] > 0   # rendered, not stale


@pytest.mark.parametrize("ui", [{"ui": {"languages": ["nl", "en", "pl", "tr", "ar", "uk"]}}],
                         indirect=True, ids=["six"])
def test_the_language_list_comes_back_rendered_and_a_choice_draws_one_frame(ui, monkeypatch):
    """The list is kept with its label textures: opened again, it renders no label and builds
    no widget. A language chosen shows the screen in it, list gone, in the first frame drawn
    (it faded out for 0.1 s: more frames of full-window blending)."""
    from kivy.core.window import Window
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.widget import Widget

    from screens.language_chooser import LanguageChooser

    def chooser():
        return next((w for w in Window.children if isinstance(w, LanguageChooser)), None)
    bar = next(w for w in ui.screen().walk() if type(w).__name__ == "TopBar")
    ui.tap(bar.ids.lang_button)
    first = chooser()
    assert first is not None
    ui.tap(next(b for b in first.buttons if b.lang_code == "en"))
    assert ui.app.lang == "en" and chooser() is None

    renders, built = [], []
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))
    spy(monkeypatch, Widget, "__init__", lambda s, _n: built.append(type(s).__name__))
    ui.tap(bar.ids.lang_button)
    assert chooser() is first
    assert renders == [] and built == [], (renders, built)

    x, y = ui._stable_center(next(b for b in first.buttons if b.lang_code == "nl"))
    shown = []
    record = lambda *_: shown.append((ui.app.lang, chooser() is None))  # noqa: E731
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    ui.frames(2)
    Window.bind(on_flip=record)
    try:
        touch.touch_up()
        ui.frames(8)
    finally:
        Window.unbind(on_flip=record)
    assert shown and shown[0] == ("nl", True), shown   # Dutch, the list gone, from the first frame
    assert len(shown) == 1, f"{len(shown)} frames drawn for one choice"


@pytest.mark.parametrize("ui", [{"ui": {"languages": ["nl", "en", "pl", "tr", "ar", "uk"]}}],
                         indirect=True, ids=["six"])
def test_the_language_list_is_rendered_in_large_text_before_it_opens_again(ui, monkeypatch):
    """The kept list is out of the window while closed: a large-text toggle renders its
    buttons at the new size, and their pixels are made between taps (screens/textures.py),
    not in the frame that opens the list."""
    from kivy.core.window import Window

    from screens.language_chooser import LanguageChooser

    def chooser():
        return next((w for w in Window.children if isinstance(w, LanguageChooser)), None)
    bar = next(w for w in ui.screen().walk() if type(w).__name__ == "TopBar")
    ui.tap(bar.ids.lang_button)
    ui.tap(next(b for b in chooser().buttons if b.lang_code == "en"))
    assert chooser() is None
    ui.tap(bar.ids.large_text)
    assert ui.app.accessible
    ui.frames(60)                        # the visitor looks at the screen in large text
    renders = []
    spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))
    ui.tap(bar.ids.lang_button)
    assert chooser() is not None
    names = {b.text for b in chooser().buttons}
    assert [t for t in renders if t in names] == []


@pytest.mark.parametrize("ui", [hall()], indirect=True, ids=["hall"])
def test_a_large_text_toggle_draws_the_pictograms_once_a_layout_pass(ui, monkeypatch):
    """A toggle changes every pictogram button's font size, then its size, position and text
    size as the layouts follow. The pictogram's shapes are drawn before the frame, not at each
    change (screens/pictogram.py): measured 177 drawings of 61 pictograms over the toggle and
    the second after it (the hidden screens laid out one by one), against 529 when every
    change drew them."""
    from screens.pictogram import PictogramButton
    from screens.registry import REACHABLE
    for name in REACHABLE["home"]:
        ui.app._build(name)
    ui.frames(60)
    drawn = []
    spy(monkeypatch, PictogramButton, "icon_box", lambda b, _n: drawn.append(id(b)))
    bar = next(w for w in ui.screen().walk() if type(w).__name__ == "TopBar")
    ui.tap(bar.ids.large_text)
    assert ui.app.accessible
    ui.frames(60)                # the hidden screens are laid out between taps
    assert len(set(drawn)) >= 25, "the pictograms were not drawn again"
    assert len(drawn) <= 4 * len(set(drawn)), f"{len(drawn)} drawings of {len(set(drawn))} pictograms"


@pytest.mark.parametrize("ui", [hall()], indirect=True, ids=["hall"])
def test_a_large_text_toggle_resizes_the_screen_in_view_and_the_hidden_ones_after_its_frame(ui):
    """The kv rules of a screen read its own look (screens/looks.py): a toggle runs those of the
    screen in view before its frame, and a hidden screen's after it, between taps (measured on
    the eight screens of the home role: 14-17 ms of rules in the tap before, 2-3 after)."""
    from kivy.tests.common import UnitTestTouch
    from kivy.uix.label import Label

    from screens.registry import REACHABLE
    for name in REACHABLE["home"]:
        ui.app._build(name)
    ui.frames(60)
    home, hidden = ui.screen(), ui.app.screen("feedback_question")

    def sizes(screen):
        return [w.font_size for w in screen.walk() if isinstance(w, Label)]
    home_before, hidden_before = sizes(home), sizes(hidden)
    question_before = hidden.ids.question.font_size
    bar = next(w for w in home.walk() if type(w).__name__ == "TopBar")
    touch = UnitTestTouch(*ui._stable_center(bar.ids.large_text))
    touch.touch_down()
    ui.frames(1)
    touch.touch_up()
    ui.frames(1)                                    # the tap's frame
    assert ui.app.accessible
    assert max(sizes(home)) > max(home_before)      # the screen in view is in large text
    assert sizes(hidden) == hidden_before           # the hidden one waits
    ui.frames(60)                                   # a second in which the visitor reads
    assert max(sizes(hidden)) > max(hidden_before)  # and follows meanwhile
    question = hidden.ids.question.font_size
    ui.tap(home.ids.feedback)
    assert ui.current == "feedback_question" and ui.screen().ids.question.font_size == question
    assert question > question_before
