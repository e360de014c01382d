"""Label textures are never rewritten in place: a label that renders new text gets a new
texture.

Kivy's core label reuses its texture when the new text has the same pixel size and writes the
new pixels into it (Texture.ask_update -> blit). That texture is usually still read by frames
the GL driver has queued but not finished, so the write waits for them: measured in the UI
driver on Mesa's software renderer, the reasons screen's title ("Wat kan beter?", 1080x110)
took 400-1200 ms to re-render on a smiley tap, against about 1 ms into a fresh texture; the
pressed smiley's word, whose colour changes with the press, was the same case. A new texture
needs no wait; the old one is freed when the last frame using it is done with it.

Labels on a screen that is not shown are not rendered until it is shown. The screens a visitor
can reach are built ahead (screens/app.py), and a language switch or the large-text toggle
changes the text or size of every label on every one of them: ~120 label renders a tap
instead of the dozen on the screen in view. Their renders are kept (`_waiting`) and asked for
again when their screen enters (`entering`, called by screens/transition.py), in the same frame.

Layouts on a hidden screen wait the same way (a large-text toggle resizes every label on every
built screen: ~90 layouts a tap): their `do_layout` is asked for again when the screen enters.

`install()` is called once by the app (screens/app.py); it wraps Label.texture_update, which
every label and button (Button and ToggleButton are Labels) renders through, and the
do_layout of Kivy's layouts.
"""
from __future__ import annotations

from weakref import WeakKeyDictionary, WeakSet

from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen

from screens.kivy_wrap import wrap_method

_installed = False
_waiting: WeakKeyDictionary = WeakKeyDictionary()   # hidden screen -> its labels not rendered yet
_waiting_layouts: WeakKeyDictionary = WeakKeyDictionary()   # hidden screen -> layouts not done


def _hidden_screen(label):
    """The screen the label is on when that screen is built but not shown, else None."""
    top = label
    while top.parent is not None and top.parent is not top:   # the window is its own parent
        top = top.parent
    if isinstance(top, Screen) and top.manager is not None and top.manager.current_screen is not top:
        return top
    return None


def entering(screen) -> None:
    """The screen is about to be shown: its labels waiting for a render get it before the frame."""
    for label in _waiting.pop(screen, ()):
        label._trigger_texture()
    for layout in _waiting_layouts.pop(screen, ()):
        layout._trigger_layout()


def _defer_layouts(keep):
    def do_layout(self, *largs, **kwargs):
        screen = _hidden_screen(self)
        if screen is not None:
            _waiting_layouts.setdefault(screen, WeakSet()).add(self)
            return None
        return keep(self, *largs, **kwargs)
    return do_layout


def _fresh_texture(keep):
    def texture_update(self, *largs):
        screen = _hidden_screen(self)
        if screen is not None:
            _waiting.setdefault(screen, WeakSet()).add(self)
            return None
        core = self._label
        if core is not None and core.texture is not None and core.texture is not core.texture_1px:
            core.texture = None      # refresh() then creates a new texture instead of a blit
        return keep(self, *largs)
    return texture_update


def install() -> None:
    global _installed
    if _installed:
        return
    wrap_method(Label, "texture_update", _fresh_texture)
    from kivy.uix.anchorlayout import AnchorLayout
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.stacklayout import StackLayout
    for cls in (BoxLayout, GridLayout, FloatLayout, AnchorLayout, StackLayout):
        wrap_method(cls, "do_layout", _defer_layouts)
    _installed = True
