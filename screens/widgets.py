"""Shared widgets: the top bar on every screen, big buttons, the drawn smiley face,
reason toggles. Their look is in widgets.kv; colours and sizes come from the App."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.graphics import Color, Ellipse, Line
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget

from screens import fonts
from screens.kvload import load_kv_for
from screens.pictogram import PictogramButton

# Mouth curvature per answer word: +1 big smile, -1 deep frown.
CURVE = {"very_bad": -1.0, "bad": -0.5, "neutral": 0.0, "good": 0.5, "very_good": 1.0}


class BigButton(PictogramButton, Button):
    """A large, solid button: at least the minimum touch target in both directions; `icon`
    puts a pictogram beside its word (screens/pictogram.py)."""


class SecondaryButton(PictogramButton, Button):
    """Outlined button for the less important choice (e.g. Skip), with an optional `icon`."""


class HelpButton(PictogramButton, Button):
    """The top bar's "Hulp nodig?" with a person beside it (screens/help_mode.py)."""


class IconToggle(PictogramButton, ToggleButton):
    """A toggle with a pictogram beside its word (the route's step-free choice)."""


class ReasonToggle(ToggleButton):
    reason_id = StringProperty("")
    box_x = NumericProperty(0)   # where the check box is drawn (widgets.kv)


class TopBar(BoxLayout):
    """Language button, idle countdown, the large-text / high-contrast toggle and the help
    button ("Hulp nodig?", when help.enabled). The help button sits at the end of the row
    while everything fits in it (the countdown and "more time" included when they show), and
    else in a second row of its own, at the same end: no button is ever pushed off the bar or
    under another one (large text, "Taal / Language", a long language name)."""

    one_row = BooleanProperty(True)

    def on_kv_post(self, _base):
        self._fit_soon = Clock.create_trigger(self._fit, -1)
        ids = self.ids
        self.bind(width=self._fit_soon)
        for w in (ids.lang_button, ids.large_text, ids.help_button, ids.more_time):
            w.bind(width=self._fit_soon)
        ids.more_time.bind(opacity=self._fit_soon)
        ids.countdown.bind(text=self._fit_soon, font_size=self._fit_soon)

    def room_needed(self) -> float:
        """Width the first row needs with the help button in it."""
        ids = self.ids
        row, help_b = ids.row, ids.help_button
        need = (row.padding[0] + row.padding[2] + ids.lang_button.width + ids.large_text.width
                + help_b.width + 3 * row.spacing)
        if ids.more_time.opacity:
            from kivy.core.text import Label as CoreLabel
            label = ids.countdown
            measure = CoreLabel(font_size=label.font_size, bold=True, font_name=label.font_name)
            need += ids.more_time.width + measure.get_extents(label.text)[0] + dp(16)
        return need

    def _fit(self, *_):
        ids = self.ids
        help_b = ids.help_button
        one = help_b.width == 0 or self.room_needed() <= self.width
        target = ids.row if one else ids.row2
        if help_b.parent is not target:
            help_b.parent.remove_widget(help_b)
            target.add_widget(help_b, index=0)       # at the end of the row
        self.one_row = one


class SmileyFace(Widget):
    """The drawn face: a disc in `fill` with a ring, two eyes and a mouth in `line`; the
    mouth curves up for `curve` > 0. Drawn here rather than in kv: one update per change
    of size, position or curve instead of twelve kv expressions each evaluated on every
    layout pass, and the ring as a disc under the fill instead of a wide Line circle, whose
    joints are built on the CPU (both before the first frame: see docs/performance.md)."""

    fill = ListProperty([1, 1, 1, 1])
    line = ListProperty([0, 0, 0, 1])
    curve = NumericProperty(0.0)

    def __init__(self, **kw):
        super().__init__(**kw)
        with self.canvas:
            self._line_color = Color(rgba=self.line)
            self._ring = Ellipse()
            self._fill_color = Color(rgba=self.fill)
            self._disc = Ellipse()
            self._features_color = Color(rgba=self.line)
            self._eyes = (Ellipse(), Ellipse())
            self._mouth = Line(cap="round")
        self.bind(pos=self._redraw, size=self._redraw, curve=self._redraw,
                  fill=self._recolor, line=self._recolor)
        self._redraw()

    def _recolor(self, *_):
        self._line_color.rgba = self._features_color.rgba = self.line
        self._fill_color.rgba = self.fill

    def _redraw(self, *_):
        m = min(self.size)
        cx, cy = self.center
        r, w = m * 0.45, max(2, m * 0.02)  # the ring: a stroke of 2w centred on radius r
        self._ring.pos, self._ring.size = (cx - r - w, cy - r - w), (2 * (r + w), 2 * (r + w))
        self._disc.pos, self._disc.size = (cx - r + w, cy - r + w), (2 * (r - w), 2 * (r - w))
        left, right = self._eyes
        left.pos, left.size = (cx - m * 0.2, cy + m * 0.08), (m * 0.09, m * 0.12)
        right.pos, right.size = (cx + m * 0.11, cy + m * 0.08), (m * 0.09, m * 0.12)
        c = self.curve
        self._mouth.width = max(2, m * 0.035)
        self._mouth.bezier = (cx - m * 0.22, cy - m * (0.15 - 0.05 * c), cx, cy - m * (0.15 + 0.2 * c),
                              cx + m * 0.22, cy - m * (0.15 - 0.05 * c))


PRESS_LOOK_DELAY_S = 0.05


class HeldPress:
    """A button that leads to another screen: its pressed look comes 50 ms after the touch and
    stays after the finger lifts.

    - Stays: the next screen follows once the answer or ticket is stored (a frame or a few); a
      look changed back in between would be a whole frame drawn for nothing.
    - 50 ms later: in a scrolling list Kivy hands a quick tap to the button only when the finger
      lifts, and the ticket or answer is usually back within those 50 ms, so the next screen is
      the first frame drawn. A finger that rests on the glass sees the pressed look at once.
    The screen calls `release()` when the tap is refused and whenever it is shown again."""

    pressed = BooleanProperty(False)
    _look = None
    # callable(button) or None: told when a finger comes down on the button in a scrolling
    # list (screens/scroll.py), before Kivy decides whether the touch is a tap or a scroll
    anticipate = None

    def on_state(self, _inst, state):
        if state == "down" and not self.pressed and self._look is None:
            self._look = Clock.schedule_once(self._show_pressed, PRESS_LOOK_DELAY_S)

    def _show_pressed(self, _dt=None):
        self._look = None
        if self.get_root_window() is not None:   # the screen is still on the glass
            self.pressed = True

    def release(self):
        if self._look is not None:
            self._look.cancel()
            self._look = None
        self.pressed = False


class SmileyButton(HeldPress, ButtonBehavior, BoxLayout):
    """A drawn face with its word under it. `value` is the answer (1 = worst)."""

    value = NumericProperty(1)
    word = StringProperty("neutral")
    label = StringProperty("")
    curve = NumericProperty(0.0)

    def on_word(self, _inst, word):
        self.curve = CURVE.get(word, 0.0)


# Every scrolling list in the .kv files is a KioskScrollView (Kivy's ScrollView leaks observers:
# screens/scroll.py). Registered by module, so it is imported when a list is first built, not
# with this module before the first frame.
Factory.register("KioskScrollView", module="screens.scroll")
Factory.register("ButtonRow", module="screens.button_row")

fonts.register()   # before the rules that name it
load_kv_for(__file__)
