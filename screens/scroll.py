"""KioskScrollView: Kivy's ScrollView without its observer leak and without the fading scroll bar,
for every scrolling list.

The scroll bar is always shown in one colour (bar_color = bar_inactive_color, the theme's muted text):
a visitor sees at once that a list goes on. Kivy fades the bar with a 0.5 s animation half a
second after every layout: about 30 full redraws of an unchanged screen after each screen
change (measured: frames of 20-60 ms each on the software renderer), which delayed the answer
to the next tap. Here the bar takes its resting colour at once, and no frame is drawn for it.

Kivy 2.3's ScrollView.update_from_scroll binds `bar_color` to `_change_bar_color` on every
scroll or layout update and unbinds it once, when the scroll bar starts to fade 0.5 s later.
Every burst of updates (each screen change lays its list out several times) left bindings
behind that nothing ever removes: about five a visit in the soak bench, for the life of the
process. Here a callback is bound at most once per property, which is what the fade expects.
"""
from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.scrollview import ScrollView

from kiosk.theme import PALETTES, hex_to_rgba

_BAR = ("bar_color", "bar_inactive_color")


class KioskScrollView(ScrollView):
    def __init__(self, **kw):
        bar = hex_to_rgba(PALETTES["default"]["text_muted"])
        kw.setdefault("bar_color", bar)
        kw.setdefault("bar_inactive_color", bar)
        kw.setdefault("bar_width", dp(8))
        super().__init__(**kw)

    def fbind(self, name, func, *args, **kwargs):
        if name in _BAR and not args and not kwargs and func == self._change_bar_color:
            self.funbind(name, func)  # a no-op when it was not bound
        return super().fbind(name, func, *args, **kwargs)

    def _bind_inactive_bar_color(self, *_):
        self.funbind("bar_color", self._change_bar_color)
        self.fbind("bar_inactive_color", self._change_bar_color)
        self._bar_color = self.bar_inactive_color   # no animation: unchanged when the colours agree
