"""Feedback step 3: thank you (a few seconds), then back to the question."""
from __future__ import annotations

from kivy.uix.screenmanager import Screen

from screens.kvload import load_kv_for


class FeedbackThanksScreen(Screen):
    def audio_view(self):
        from screens.audio_mode import AudioView
        return AudioView(self.ids.thanks.text, self.ids.sub.text)


load_kv_for(__file__)
