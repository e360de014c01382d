"""Shared widgets: the top bar on every screen, big buttons, the drawn smiley face,
reason toggles. Their look is in widgets.kv; colours and sizes come from the App."""
from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.togglebutton import ToggleButton

from screens.kvload import load_kv_for

# Mouth curvature per answer word: +1 big smile, -1 deep frown.
CURVE = {"very_bad": -1.0, "bad": -0.5, "neutral": 0.0, "good": 0.5, "very_good": 1.0}


class BigButton(Button):
    """A large, solid button: at least the minimum touch target in both directions."""


class SecondaryButton(Button):
    """Outlined button for the less important choice (e.g. Skip)."""


class ReasonToggle(ToggleButton):
    reason_id = StringProperty("")


class TopBar(BoxLayout):
    """Language button, idle countdown and the large-text / high-contrast toggle."""


class SmileyButton(ButtonBehavior, BoxLayout):
    """A drawn face with its word under it. `value` is the answer (1 = worst)."""

    value = NumericProperty(1)
    word = StringProperty("neutral")
    label = StringProperty("")
    curve = NumericProperty(0.0)
    pressed = BooleanProperty(False)

    def on_word(self, _inst, word):
        self.curve = CURVE.get(word, 0.0)

    def on_state(self, _inst, state):
        self.pressed = state == "down"


load_kv_for(__file__)
