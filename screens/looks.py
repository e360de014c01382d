"""Each built screen's own copy of the app's look: the sizes, colours, language and the other
app properties its .kv rules read as `app.<name>`.

A large-text toggle changes five sizes and thirteen colours, a language switch the language;
every kv rule bound to one of them ran at once, on every built screen: ~700 rules on the eight
screens of the home role, 14-17 ms of the tap before its frame was even begun, for one screen
in view (issue #19). Here the rules of a screen are bound to its `Look`, which follows the app
at once while the screen is in view, and otherwise when the screen is next warmed up or shown
(screens/textures.py `when_shown`: between taps, or in the frame that shows it). What the
visitor sees is the same; the work is done for the screen in view first.

How a screen's rules come to read its look: Kivy evaluates `app` in a kv rule from the
Builder's global names, where it is a proxy of the running app, captured when the rule is
applied to a widget. `building(look)` puts the screen's look there while the screen and its
widgets are made (screens/app.py `_build`, and a screen that makes widgets later, such as the
wayfinding destinations' list on a language change); everything else reads the app as before.
A look passes every other attribute (`app.tr`, `app.show`, `app.core`, ...) to the app.
"""
from __future__ import annotations

from contextlib import contextmanager
from weakref import WeakSet

from kivy.app import App
from kivy.event import EventDispatcher
from kivy.lang.parser import global_idmap
from kivy.properties import Property

from screens import textures


class _LookBase(EventDispatcher):
    """The app's properties, copied; anything else is the app's."""

    def __init__(self, app, **kw):
        super().__init__(**kw)
        object.__setattr__(self, "_app", app)
        self.follow()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(object.__getattribute__(self, "_app"), name)

    def follow(self, order=None) -> None:
        """Take the app's current values, in the order the app last changed them (a property
        whose value is unchanged sends nothing). The order matters where two of a widget's
        rules set the same property and the last one changed wins (screens/app.py
        `_update_metrics`: a title's own size after the body size)."""
        app = self._app
        for name in order or self.mirrored:
            value = getattr(app, name)
            if getattr(self, name) != value:
                setattr(self, name, value)


def look_class(app) -> type:
    """A Look class with one property of the same kind for each of the app's own properties
    (kv rules may read any of them)."""
    props = {name: prop for name, prop in app.properties().items()
             if isinstance(prop, Property) and not hasattr(App, name)}   # the kiosk's own
    attrs = {name: type(prop)(prop.defaultvalue) for name, prop in props.items()}
    return type("Look", (_LookBase,), {**attrs, "mirrored": tuple(props)})


class Looks:
    """The looks of one app's screens: each follows the app while its screen is in view, and
    is brought up to date when the screen is next warmed up or shown."""

    def __init__(self, app):
        self.app = app
        self._cls = look_class(app)
        self._screens = WeakSet()   # the screens that have a look
        self._order = dict.fromkeys(self._cls.mirrored)   # least recently changed first
        for name in self._cls.mirrored:
            app.fbind(name, self._changed, name)

    def build(self, make):
        """`make()` builds a screen, whose kv rules then read a look of its own."""
        look = self._cls(self.app)
        with building(look):
            screen = make()
        screen.look = look
        self._screens.add(screen)
        return screen

    def _changed(self, name, *_):
        del self._order[name]
        self._order[name] = None
        for screen in list(self._screens):
            textures.when_shown(screen, self._follow)

    def _follow(self, screen) -> None:
        screen.look.follow(list(self._order))   # a copy: a reaction may change the app meanwhile


@contextmanager
def building(look):
    """kv rules applied meanwhile read `app` as `look` (None: the app, as Kivy does)."""
    if look is None:
        yield
        return
    before = global_idmap["app"]
    global_idmap["app"] = look
    try:
        yield
    finally:
        global_idmap["app"] = before


def of(widget):
    """The look of the screen the widget is on, or None."""
    while widget is not None:
        look = getattr(widget, "look", None)
        if look is not None:
            return look
        parent = widget.parent
        widget = parent if parent is not widget else None
    return None


def current(app):
    """What a screen's code binds to for the app's properties, so that its own reactions wait
    with its rules: the look of the screen being built (call it from the screen's __init__),
    else the app itself."""
    look = global_idmap["app"]
    return look if isinstance(look, _LookBase) else app
