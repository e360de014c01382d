"""Many visitors in one process (what the soak bench does for thousands of visits): after one
visitor has been through every function, more visitors doing the same must leave no more
widgets and no more textures alive. A screen that rebuilds widgets per visit and keeps the
old ones bound somewhere, or a texture kept per ticket or per map, shows up here."""
import collections
import gc
import tomllib
from pathlib import Path
from types import MethodType

import pytest
from kivy.event import EventDispatcher
from kivy.graphics.texture import Texture
from kivy.uix.widget import Widget

ROOT = Path(__file__).resolve().parents[2]


def home_site():
    from kiosk.config.loader import merge
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    site = merge(site, tomllib.loads((ROOT / "config" / "example-floorplan.toml")
                                     .read_text(encoding="utf-8")))
    site["device"]["role"] = "home"
    for service in site["services"]:  # open whatever the machine's clock says (the example's hours
        service.pop("hours", None)    # close the passport desk before 09:00 Amsterdam time)
    site["devices"] = {"printer": {"url": "dummy://?state=online"}, "speech": {"url": "dummy://"},
                       "scanner": {"url": ""}, "buttons": {"url": ""}}
    site["tickets"]["qr_url"] = "https://wachtrij.example.nl/t/{token}"   # as with a central service
    return site


def alive():
    """Live widgets per class, live textures, and bound methods of Kivy objects by name (by
    type(): isinstance on a dead weak proxy, which earlier tests leave in gc's lists, raises
    ReferenceError). A callback bound on every visit and never unbound is a bound method kept
    in the property's observer list: the widget count stays the same while that one grows.
    (Kivy's own weak entries for dead widgets, cleared lazily and bounded, are not methods of
    a Kivy object: not counted.)"""
    gc.collect()
    objs = gc.get_objects()
    types = [type(o) for o in objs]
    bound = collections.Counter(
        f"{type(o.__self__).__name__}.{o.__func__.__name__}" for o, t in zip(objs, types)
        if t is MethodType and isinstance(o.__self__, EventDispatcher))
    return (collections.Counter(t.__name__ for t in types if issubclass(t, Widget)),
            sum(1 for t in types if issubclass(t, Texture)), bound)


def top_bar(screen):
    from screens.widgets import TopBar
    return next(w for w in screen.walk() if isinstance(w, TopBar))


def language_list():
    from kivy.core.window import Window
    from screens.language_chooser import LanguageChooser
    return next(w for w in Window.children if isinstance(w, LanguageChooser))


def one_visitor(ui):
    from screens.ticket_controller import ticket_controller
    home = ui.screen("home")
    # wayfinding: a destination, the other floor, English, large text, then walk away
    ui.tap(home.ids.wayfinding)
    ui.tap(ui.screen().button("desk-5"))
    m = ui.screen()
    assert ui.current == "wayfinding_map"
    ui.tap(next(b for b in m.ids.floors.children if b.floor_id != m.floor))
    ui.tap(top_bar(m).ids.lang_button)          # six languages: the list opens
    chooser = language_list()
    ui.tap(next(b for b in chooser.buttons if b.lang_code == "en"))
    ui.tap(top_bar(m).ids.large_text)
    assert ui.app.lang == "en" and ui.app.accessible
    ui.advance(40)
    assert ui.current == "home" and ui.app.lang == "nl" and not ui.app.accessible
    # a ticket: number, QR, then done
    ui.tap(home.ids.tickets)
    ui.tap(ui.screen().tiles["passport"])
    ctl = ticket_controller(ui.app)
    for _ in range(6):
        ctl.flush(10)
        ui.app.sm.do_layout()
        ui.frames(3)
    assert ui.current == "ticket_issued" and ui.screen().ids.qr.texture is not None
    ui.tap(ui.screen().ids.done)
    ui.advance(40)
    assert ui.current == "home"
    # feedback: a face, a reason, done, the thank-you screen times out
    ui.tap(home.ids.feedback)
    ui.tap(ui.screen().face(2))
    reasons = ui.screen("feedback_reasons")
    assert ui.current == "feedback_reasons"
    ui.tap(reasons.ids.reasons.children[-1])
    ui.tap(reasons.ids.done)
    ui.advance(40)
    assert ui.current == "home"


@pytest.mark.parametrize("ui", [home_site()], indirect=True, ids=["home"])
def test_more_visitors_leave_no_more_widgets_or_textures(ui):
    one_visitor(ui)
    widgets0, textures0, bound0 = alive()
    for _ in range(3):
        one_visitor(ui)
    widgets1, textures1, bound1 = alive()
    grown = {k: widgets1[k] - widgets0[k] for k in widgets1 if widgets1[k] > widgets0[k]}
    assert grown == {}
    assert textures1 <= textures0
    assert dict(bound1 - bound0) == {}, "callbacks bound on every visit and never unbound"


def _bar_bindings(view):
    return sum(1 for cb in view.get_property_observers("bar_color")
               if cb == view._change_bar_color)


def test_scroll_views_bind_their_bar_colour_once_however_often_they_scroll():
    """Kivy's ScrollView binds bar_color on every update and unbinds once per fade (the leak
    the soak found); KioskScrollView, used for every list, keeps a single binding. If a Kivy
    release stops leaking, the first assertion says the workaround can go."""
    from kivy.uix.scrollview import ScrollView

    from screens.scroll import KioskScrollView
    plain, ours = ScrollView(), KioskScrollView()
    for view in (plain, ours):
        view.add_widget(Widget(size_hint_y=None, height=2000))  # something to scroll
    for _ in range(20):
        plain.update_from_scroll()
        ours.update_from_scroll()
    assert _bar_bindings(plain) > 1, "Kivy no longer leaks here: screens/scroll.py can go"
    assert _bar_bindings(ours) == 1
