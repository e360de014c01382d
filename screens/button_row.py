"""ButtonRow: a row of visitor buttons that never splits a word. It takes as many columns (up
to `max_cols`) as leave every button room for its widest word in the current language and
text size, else fewer (two rows of two, ...): "Inchecken" in large text, or a long Polish or
Ukrainian word, gets a wider button instead of being broken. Right to left the row mirrors
like every layout (screens/rtl.py)."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty
from kivy.uix.gridlayout import GridLayout

from screens.pictogram import TEXT_MARGIN


class ButtonRow(GridLayout):
    max_cols = NumericProperty(4)

    def __init__(self, **kw):
        self._fit_ev = Clock.create_trigger(self._fit, -1)
        super().__init__(**kw)
        self.fbind("width", self._fit_ev)
        self.fbind("max_cols", self._fit_ev)
        self.fbind("children", self._watch)
        self._fit_ev()

    def _watch(self, *_):
        for b in self.children:
            for name in ("text", "font_size", "bold"):
                b.fbind(name, self._fit_ev)
        self._fit_ev()

    def _cell(self, cols: int) -> float:
        pad = self.padding[0] + self.padding[2]
        return (self.width - pad - self.spacing[0] * (cols - 1)) / cols

    def _fit(self, *_):
        buttons = list(self.children)
        if not buttons or self.width <= 1:
            return
        widest = max(_widest_word(b) for b in buttons)
        cols = max(1, min(int(self.max_cols), len(buttons)))
        while cols > 1 and self._cell(cols) - TEXT_MARGIN < widest:
            cols -= 1
        if cols != self.cols:
            self.cols = cols


def _widest_word(button) -> float:
    measure = getattr(button, "longest_word", None)
    if measure is not None:
        return measure()
    from kivy.core.text import Label as CoreLabel
    core = CoreLabel(font_size=button.font_size, bold=button.bold, font_name=button.font_name)
    return max((core.get_extents(w)[0] for w in (button.text or "").split()), default=0)
