"""The low-reach layout (`ui.layout = "low"`): on a portrait screen every control, the
language and large-text buttons included, sits in the lower part, within reach from a
wheelchair or for a person of short stature (EN 301 549 8.3; mounting heights in
docs/accessibility.md). Each visitor screen is one vertical BoxLayout with the top bar first;
here the top bar moves to the bottom and a free band (no controls) goes on top, so the title
and everything under it move down. Applied once, when a screen is built."""
from __future__ import annotations

from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

TOP_FREE = 0.38    # the upper part of a portrait screen left free of controls

VISITOR = ("feedback_", "ticket_", "wayfinding_", "home")


class FreeBand(Widget):
    """The empty band at the top of a low-reach screen."""


def applies(app, name: str) -> bool:
    return app.kcfg.ui.layout == "low" and name.startswith(VISITOR)


def apply(screen) -> None:
    from screens.widgets import TopBar
    root = screen.children[0] if screen.children else None
    if not isinstance(root, BoxLayout) or root.orientation != "vertical":
        return
    bar = next((w for w in root.children if isinstance(w, TopBar)), None)
    if bar is not None:
        root.remove_widget(bar)
        root.add_widget(bar, index=0)               # children[0] is drawn at the bottom
    band = FreeBand(size_hint_y=None)

    def size(*_):
        band.height = Window.height * TOP_FREE if Window.height >= Window.width else 0
    Window.bind(size=size)
    size()
    root.add_widget(band, index=len(root.children))  # at the top
