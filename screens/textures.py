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

A screen's own reaction to a language change can wait the same way (`when_shown`): the
wayfinding destinations rebuild their grouped list (3-14 ms), which nobody sees until the
screen is shown.

Layouts on a hidden screen wait the same way (a large-text toggle resizes every label on every
built screen: ~90 layouts a tap): their `do_layout` is asked for again when the screen enters.

What waits is done in the time between taps, not at the next one (issue #19): WARM_S after
something was put off, once the tap's frame is on the glass, one hidden screen at a time is laid
out at the manager's size and its labels rendered, pixels and all, as if it were shown
(`_warming`), and the next one WARM_S later. Labels of a view kept out of the window (the
language list) have their pixels made in the same time. A visitor looks at a screen for more
than a second before the next tap; after a language switch the eight built screens of the home
role take ~0.4 s plus their renders. A screen entered before its turn gets the rest from
`entering`, as before.

`install()` is called once by the app (screens/app.py); it wraps Label.texture_update, which
every label and button (Button and ToggleButton are Labels) renders through, and the
do_layout of Kivy's layouts.
"""
from __future__ import annotations

from weakref import WeakKeyDictionary, WeakSet

from kivy.clock import Clock
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen

from screens.kivy_wrap import wrap_method

_installed = False
_waiting: WeakKeyDictionary = WeakKeyDictionary()   # hidden screen -> its labels not rendered yet
_waiting_layouts: WeakKeyDictionary = WeakKeyDictionary()   # hidden screen -> layouts not done
_warming: WeakSet = WeakSet()   # hidden screens laid out and rendered as if shown, just now
_unfilled: WeakSet = WeakSet()  # labels of views out of the window whose pixels are not made yet
_waiting_calls: WeakKeyDictionary = WeakKeyDictionary()   # hidden screen -> {fn(screen): None}
WARM_S = 0.05   # after the tap that put work off (its frame is drawn first), and between two
                # screens (the clock's layout and render triggers run meanwhile)
_warm_trigger = None


def _top(widget):
    while widget.parent is not None and widget.parent is not widget:   # the window is its own parent
        widget = widget.parent
    return widget


def _hidden(top) -> bool:
    """Whether `top` (a widget tree's root, `_top`) is a screen built but not shown (nor being
    warmed up)."""
    return isinstance(top, Screen) and top.manager is not None \
        and top.manager.current_screen is not top and top not in _warming


def _hidden_screen(widget):
    """The screen the widget is on when that screen is built but not shown (nor being warmed
    up), else None."""
    top = _top(widget)
    return top if _hidden(top) else None


def _put_off() -> None:
    global _warm_trigger
    if _warm_trigger is None:
        _warm_trigger = Clock.create_trigger(_warm_next, WARM_S)
    _warm_trigger()


def _warm_next(_dt=None) -> None:
    """The previous screen had its frames; lay out and render the next hidden screen with
    work put off, at the size its manager will give it."""
    _warming.clear()
    for label in list(_unfilled):
        texture = label._label.texture if label._label is not None else None
        if texture is not None and texture is label.texture:
            texture.bind()
    _unfilled.clear()
    for screen in list(_waiting_calls.keys()) + list(_waiting_layouts.keys()) + list(_waiting.keys()):
        manager = screen.manager
        if manager is None:   # taken out of the app: nothing to draw it for
            for waiting in (_waiting, _waiting_layouts, _waiting_calls):
                waiting.pop(screen, None)
            continue
        if manager.current_screen is screen:
            continue
        warm(screen)
        _put_off()
        return


def warm(screen) -> None:
    """Lay out and render the hidden screen in the coming frame, pixels and all, at the size
    its manager will give it, as if it were shown. `_warm_next` does this one screen at a time;
    a screen made ready during a tap (the finger still on the glass: the reasons for a smiley,
    the ticket for a service) calls it at once, not WARM_S later."""
    manager = screen.manager
    if manager is None or manager.current_screen is screen:
        return
    screen.pos, screen.size = manager.pos, manager.size
    _warming.add(screen)
    entering(screen)


def pending() -> int:
    """How many hidden screens still have work put off."""
    return len(set(_waiting_layouts.keys()) | set(_waiting.keys()) | set(_waiting_calls.keys()))


def when_shown(screen, fn) -> None:
    """`fn(screen)` now when the screen is in view (or being warmed up), else the next time it
    is warmed up or entered, once however often it was asked for: a language change that
    rebuilds a hidden screen's list (wayfinding destinations: 3-14 ms) waits until the tap's
    frame is drawn. `fn` is a plain function or a method of something that outlives the screen,
    never a method of the screen (no reference to the screen is kept beyond its own life)."""
    if _hidden(screen):
        _waiting_calls.setdefault(screen, {})[fn] = None
        _put_off()
    else:
        fn(screen)


def entering(screen) -> None:
    """The screen is about to be shown: work put off on it is done before the frame (calls,
    then renders and layouts)."""
    for fn in _waiting_calls.pop(screen, ()):
        fn(screen)
    for label in _waiting.pop(screen, ()):
        label._trigger_texture()
    for layout in _waiting_layouts.pop(screen, ()):
        layout._trigger_layout()


def _defer_layouts(keep):
    def do_layout(self, *largs, **kwargs):
        screen = _hidden_screen(self)
        if screen is not None:
            _waiting_layouts.setdefault(screen, WeakSet()).add(self)
            _put_off()
            return None
        return keep(self, *largs, **kwargs)
    return do_layout


def _fresh_texture(keep):
    def texture_update(self, *largs):
        top = _top(self)   # once: every label render comes through here
        if _hidden(top):
            _waiting.setdefault(top, WeakSet()).add(self)
            _put_off()
            return None
        core = self._label
        if core is not None and core.texture is not None and core.texture is not core.texture_1px:
            core.texture = None      # refresh() then creates a new texture instead of a blit
        result = keep(self, *largs)
        if core is not None and core.texture is not None and core.texture is not core.texture_1px:
            # Kivy fills a label's new texture with its pixels when a frame first draws it
            # (a callback run by Texture.bind): for a screen warmed up that would be the
            # frame of the tap that shows it. Filled now instead; for a view kept out of the
            # window (the language list), between taps.
            if top in _warming:
                core.texture.bind()
            elif top.parent is None:
                _unfilled.add(self)
                _put_off()
        return result
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
