"""The low-reach layout (`ui.layout = "low"`): on a portrait screen every control, the
language and large-text buttons included, sits in the lower part, within reach from a
wheelchair or for a person of short stature (EN 301 549 8.3; mounting heights in
docs/accessibility.md). Each visitor screen is one vertical BoxLayout with the top bar first;
here the top bar moves to the bottom and a free band goes on top, as high as it takes to put
the first control under the upper TOP_FREE of the screen: texts above the first control
(title, instruction) count towards it, so a screen with much text (the appointment keypad,
the issued ticket) keeps its room. Applied once, when a screen is built."""
from __future__ import annotations

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

TOP_FREE = 0.38    # the upper part of a portrait screen left free of controls

VISITOR = ("feedback_", "ticket_", "wayfinding_", "home", "help")


class FreeBand(Widget):
    """The empty band at the top of a low-reach screen."""


def applies(app, name: str) -> bool:
    return app.kcfg.ui.layout == "low" and name.startswith(VISITOR)


def _has_control(widget) -> bool:
    return any(isinstance(w, ButtonBehavior) for w in widget.walk(restrict=True))


def fitted(app, screen):
    """The screen, with its bar and controls moved within reach when the layout asks for it."""
    if applies(app, screen.name):
        apply(screen)
    return screen


def apply(screen) -> None:
    from screens.widgets import TopBar
    root = screen.children[0] if screen.children else None
    if not isinstance(root, BoxLayout) or root.orientation != "vertical":
        return
    bar = next((w for w in root.children if isinstance(w, TopBar)), None)
    if bar is not None:
        root.remove_widget(bar)
        root.add_widget(bar, index=0)               # children[0] is drawn at the bottom
    band = FreeBand(size_hint_y=None, height=0)

    def fit(*_):
        if Window.height < Window.width:
            band.height = 0
            return
        above = 0.0
        for w in reversed(root.children):           # from the top down
            if w is band:
                continue
            if _has_control(w) or w.size_hint_y is not None:
                break                               # the first control (or a stretching part)
            above += w.height + root.spacing
        band.height = max(0.0, Window.height * TOP_FREE - root.padding[1] - above)

    soon = Clock.create_trigger(fit, -1)
    for w in root.children:
        w.bind(height=soon)
    Window.bind(size=soon)
    root.add_widget(band, index=len(root.children))  # at the top
    screen.bind(on_pre_enter=soon)
    fit()
