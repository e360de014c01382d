"""KioskScrollView: Kivy's ScrollView without its observer leak, for every scrolling list.

Kivy 2.3's ScrollView.update_from_scroll binds `bar_color` to `_change_bar_color` on every
scroll or layout update and unbinds it once, when the scroll bar starts to fade 0.5 s later.
Every burst of updates (each screen change lays its list out several times) left bindings
behind that nothing ever removes: about five a visit in the soak bench, for the life of the
process. Here a callback is bound at most once per property, which is what the fade expects.
"""
from __future__ import annotations

from kivy.uix.scrollview import ScrollView

_BAR = ("bar_color", "bar_inactive_color")


class KioskScrollView(ScrollView):
    def fbind(self, name, func, *args, **kwargs):
        if name in _BAR and not args and not kwargs and func == self._change_bar_color:
            self.funbind(name, func)  # a no-op when it was not bound
        return super().fbind(name, func, *args, **kwargs)
