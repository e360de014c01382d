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

The list is clipped with the scissor test instead of the stencil buffer. Kivy's StencilView
draws its whole area twice more each frame (into the stencil buffer and out of it again): on
the software renderer two full-area fills, ~10-20 ms a frame for a list that fills the screen.
A scissor box costs nothing; it is in window pixels, so it follows the list's place on screen.
"""
from __future__ import annotations

from kivy.graphics import BindTexture, StencilPop, StencilPush, StencilUnUse, StencilUse
from kivy.graphics.scissor_instructions import ScissorPop, ScissorPush
from kivy.metrics import dp
from kivy.uix.scrollview import ScrollView

from kiosk.theme import PALETTES, hex_to_rgba

_BAR = ("bar_color", "bar_inactive_color")


class KioskScrollView(ScrollView):
    _scissor = None   # set once the class rules have drawn the stencil (on_kv_post)

    def __init__(self, **kw):
        bar = hex_to_rgba(PALETTES["default"]["text_muted"])
        kw.setdefault("bar_color", bar)
        kw.setdefault("bar_inactive_color", bar)
        kw.setdefault("bar_width", dp(8))
        super().__init__(**kw)
        self.fbind("pos", self._place_scissor)
        self.fbind("size", self._place_scissor)
        self.fbind("parent", self._place_scissor)   # a window resize moves or resizes it too

    def on_touch_down(self, touch):
        """A finger comes down in the list: the button under it that leads on (`anticipate`
        set: screens/widgets.py HeldPress) hears it at once. Kivy hands the touch to the
        button only when the finger lifts or after scroll_timeout (250 ms), later than a
        visitor's tap; the screen it leads to gets ready meanwhile (issue #19)."""
        wheel = "button" in touch.profile and str(touch.button).startswith("scroll")
        if self.collide_point(*touch.pos) and not wheel:
            x, y = self.parent.to_window(*touch.pos) if self.parent is not None else touch.pos
            for w in self.walk(restrict=True):
                anticipate = getattr(w, "anticipate", None)
                if anticipate is not None and w.collide_point(*w.to_widget(x, y)):
                    anticipate(w)
                    break
        return super().on_touch_down(touch)

    def on_kv_post(self, base_widget):
        self._clip_with_scissor()
        return super().on_kv_post(base_widget)

    def _clip_with_scissor(self):
        """Replace StencilView's instructions (push, area, use ... unuse, area, pop) by a scissor."""
        if self._scissor is not None:
            return
        self._scissor = ScissorPush(x=0, y=0, width=1, height=1)
        for group, first, last in ((self.canvas.before, StencilPush, StencilUse),
                                   (self.canvas.after, StencilUnUse, StencilPop)):
            items = list(group.children)
            i = next(k for k, ins in enumerate(items) if isinstance(ins, first))
            j = next(k for k, ins in enumerate(items) if isinstance(ins, last))
            for ins in items[i:j + 1]:
                if not isinstance(ins, BindTexture):   # goes with its Rectangle
                    group.remove(ins)
            group.insert(i, self._scissor if group is self.canvas.before else ScissorPop())
        self._place_scissor()

    def _place_scissor(self, *_):
        if self._scissor is None:
            return
        x, y = self.to_window(*self.pos)
        w, h = self.size
        self._scissor.x, self._scissor.y = int(round(x)), int(round(y))
        self._scissor.width, self._scissor.height = max(0, int(round(w))), max(0, int(round(h)))

    def fbind(self, name, func, *args, **kwargs):
        if name in _BAR and not args and not kwargs and func == self._change_bar_color:
            self.funbind(name, func)  # a no-op when it was not bound
        return super().fbind(name, func, *args, **kwargs)

    def _bind_inactive_bar_color(self, *_):
        self.funbind("bar_color", self._change_bar_color)
        self.fbind("bar_inactive_color", self._change_bar_color)
        self._bar_color = self.bar_inactive_color   # no animation: unchanged when the colours agree
