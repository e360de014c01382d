"""Feedback step 3: thank you (a few seconds), then back to the question."""
from __future__ import annotations

from kivy.uix.screenmanager import Screen

from screens.kvload import load_kv_for


class FeedbackThanksScreen(Screen):
    pass


load_kv_for(__file__)
