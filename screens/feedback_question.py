"""Feedback step 1: "How was your visit today?" with 3, 4 or 5 drawn smileys."""
from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen

from kiosk.feedback.flow import ANSWER_WORDS, Outcome, sentiment
from screens import looks
from screens.kvload import load_kv_for
from screens.widgets import SmileyButton


class FeedbackQuestionScreen(Screen):
    def __init__(self, **kw):
        super().__init__(**kw)
        self._built_for = None
        self.app = App.get_running_app()
        looks.current(self.app).bind(lang=lambda *_: self._relabel())

    def on_pre_enter(self, *_):
        self.build_faces()
        self.release_faces()

    def release_faces(self):
        for btn in self.ids.faces.children:
            btn.release()

    def build_faces(self):
        scale = self.app.kcfg.feedback.scale
        key = (scale, self.app.kcfg.feedback.best_first)
        box = self.ids.faces
        if self._built_for != key:
            box.clear_widgets()
            values = list(range(1, scale + 1))
            if self.app.kcfg.feedback.best_first:
                values.reverse()
            for v in values:
                btn = SmileyButton(value=v, word=ANSWER_WORDS[scale][v - 1])
                btn.bind(on_press=self._pressed, on_release=self._tapped)
                box.add_widget(btn)
            self._built_for = key
        self._relabel()

    def _relabel(self):
        for btn in self.ids.faces.children:
            btn.label = self.app.tr(f"feedback.answer.{btn.word}")
        self.app.audio.refresh(self)

    def _pressed(self, btn):
        """The finger is down on a face: the reasons screen gets ready for its kind of answer
        meanwhile (it only has to be shown on release)."""
        reasons = self.app.screen("feedback_reasons")
        if reasons is not None:
            reasons.prepare(sentiment(int(btn.value), self.app.kcfg.feedback.scale).value)

    def _tapped(self, btn):
        if self.app.on_answer(int(btn.value), "touch") is not Outcome.ACCEPTED:
            btn.release()   # not taken (e.g. a repeat): the face looks as before

    def face(self, value: int) -> SmileyButton:
        """The button for an answer value (tests and the physical-button path use this)."""
        for btn in self.ids.faces.children:
            if btn.value == value:
                return btn
        raise KeyError(value)

    def show_error(self, text: str):
        self.release_faces()
        self.ids.message.text = text
        self.app.core.audio.announce(text)
        self.app.audio.refresh(self)

    def audio_view(self):
        from kiosk.audio.focus import FocusItem
        from screens.audio_mode import AudioView, text_item
        items = [(FocusItem(f"face.{b.value}", b.label, activate=lambda b=b: self._chosen(b)), b)
                 for b in reversed(self.ids.faces.children)]
        items.append(text_item("message", self.ids.message))
        return AudioView(self.ids.question.text, self.ids.hint.text, items,
                         on_back=self.app.audio_back(self.name),
                         start=self.name == self.app.start_screen())

    def _chosen(self, btn):
        btn.pressed = True   # the look of a tap
        self._tapped(btn)


load_kv_for(__file__)
