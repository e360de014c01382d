"""Many visitors in one process (what the soak bench does for thousands of visits): after one
visitor has been through every function, more visitors doing the same must leave no more
widgets and no more textures alive. A screen that rebuilds widgets per visit and keeps the
old ones bound somewhere, or a texture kept per ticket or per map, shows up here."""
import collections
import gc
import tomllib
from pathlib import Path

import pytest
from kivy.graphics.texture import Texture
from kivy.uix.widget import Widget

ROOT = Path(__file__).resolve().parents[2]


def home_site():
    from kiosk.config.loader import merge
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    site = merge(site, tomllib.loads((ROOT / "config" / "example-floorplan.toml")
                                     .read_text(encoding="utf-8")))
    site["device"]["role"] = "home"
    site["devices"] = {"printer": {"url": "dummy://?state=online"}, "speech": {"url": "dummy://"},
                       "scanner": {"url": ""}, "buttons": {"url": ""}}
    return site


def alive():
    """Live widgets per class and live textures (by type(): isinstance on a dead weak proxy,
    which earlier tests leave in gc's lists, raises ReferenceError)."""
    gc.collect()
    types = [type(o) for o in gc.get_objects()]
    return (collections.Counter(t.__name__ for t in types if issubclass(t, Widget)),
            sum(1 for t in types if issubclass(t, Texture)))


def top_bar(screen):
    from screens.widgets import TopBar
    return next(w for w in screen.walk() if isinstance(w, TopBar))


def one_visitor(ui):
    from screens.ticket_controller import ticket_controller
    home = ui.screen("home")
    # wayfinding: a destination, the other floor, English, large text, then walk away
    ui.tap(home.ids.wayfinding)
    ui.tap(ui.screen().button("desk-5"))
    m = ui.screen()
    assert ui.current == "wayfinding_map"
    ui.tap(next(b for b in m.ids.floors.children if b.floor_id != m.floor))
    ui.tap(top_bar(m).ids.lang_button)
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
    widgets0, textures0 = alive()
    for _ in range(3):
        one_visitor(ui)
    widgets1, textures1 = alive()
    grown = {k: widgets1[k] - widgets0[k] for k in widgets1 if widgets1[k] > widgets0[k]}
    assert grown == {}
    assert textures1 <= textures0
