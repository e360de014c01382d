"""Wayfinding screens driven with real touches (headless): choose a destination, see the
route, switch floors, step-free, language, speech. Screenshots go to build/screenshots/."""
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8"))
SITE["devices"] = {"speech": {"url": ""}}  # no speech unless a test gives the app a device

on_example_site = pytest.mark.parametrize("ui", [SITE], indirect=True)


def shown(ui):
    return [e.payload for e in ui.store.outbox_events("route.shown")]


def step_texts(screen):
    return [w.text for w in reversed(screen.ids.steps.children)]


@on_example_site
def test_choose_a_destination_and_see_the_route(ui):
    assert ui.current == "wayfinding_destinations"
    dest = ui.screen()
    assert ui.screenshot("destinations").exists()
    for place_id in ("desk-1", "toilets", "room-1", "entrance", "side-exit"):
        btn = dest.button(place_id)
        icon = btn.ids.icon
        x, y, side = icon.drawn_at  # each pictogram is drawn inside its own button
        assert btn.x <= x and x + side <= btn.right and btn.y <= y and y + side <= btn.top
    ui.tap(dest.button("desk-5"))
    assert ui.current == "wayfinding_map"
    m = ui.screen()
    assert m.ids.title.text == "Balie 5 (Vergunningen)"
    steps = step_texts(m)
    assert steps[0] == "1. Ga rechtdoor en loop ongeveer 5 meter tot aan de informatiebalie."
    assert "4. Neem de roltrap naar de 1e verdieping." in steps
    assert m.ids.total.text == "Totaal ongeveer 30 meter, minder dan 1 minuut."
    ui.frames(3)
    drawing = m.ids.map.drawing
    assert m.floor == "0" and drawing.here is not None and drawing.route
    assert drawing.here[2] == 0.0  # the kiosk faces up the plan: the arrow points up the screen
    assert drawing.goal is None  # desk 5 is upstairs
    mp = m.ids.map
    points = [drawing.here[:2]] + [tuple(p[i:i + 2]) for p in drawing.route for i in (0, len(p) - 2)]
    assert all(mp.x <= x <= mp.right and mp.y <= y <= mp.top for x, y in points)
    assert ui.screenshot("route-ground-floor").exists()
    assert shown(ui) == [{"to": "desk-5", "step_free": False, "lang": "nl", "found": True,
                          "metres": 28, "steps": 7, "floors": ["0", "1"]}]
    ui.tap(m.ids.back)
    assert ui.current == "wayfinding_destinations"


@on_example_site
def test_switch_floors(ui):
    ui.tap(ui.screen().button("toilets-1"))
    m = ui.screen()
    floor_buttons = {b.floor_id: b for b in m.ids.floors.children}
    assert floor_buttons["0"].state == "down" and floor_buttons["1"].state == "normal"
    assert floor_buttons["0"].route_passes and floor_buttons["1"].route_passes
    ui.tap(floor_buttons["1"])
    ui.frames(3)
    assert m.floor == "1" and floor_buttons["1"].state == "down"
    drawing = m.ids.map.drawing
    assert drawing.goal is not None and drawing.here is None and drawing.route
    assert [k for _, _, k in drawing.transfers] == ["escalator"]
    assert ui.screenshot("route-first-floor").exists()
    ui.tap(m.ids.steps.children[-1])  # the first step is on the ground floor
    ui.frames(2)
    assert m.floor == "0"


@on_example_site
def test_step_free_toggle_takes_the_lift(ui):
    ui.tap(ui.screen().button("desk-6"))
    m = ui.screen()
    assert not any("lift" in s for s in step_texts(m))
    ui.tap(m.ids.step_free)
    assert m.step_free
    assert "4. Neem de lift naar de 1e verdieping." in step_texts(m)
    ui.frames(3)
    assert ui.screenshot("step-free").exists()
    assert [(e["to"], e["step_free"]) for e in shown(ui)] == [("desk-6", False), ("desk-6", True)]
    m.reset()  # what the idle reset does for the next visitor
    ui.frames(2)
    assert not m.step_free and step_texts(m) == [] and m.ids.map.drawing is None


@on_example_site
def test_language_and_large_text(ui):
    dest = ui.screen()
    ui.app.set_language("en")
    ui.frames(2)
    assert dest.button("desk-5").label == "Desk 5 (Permits)"
    assert dest.ids.title.text == "Where do you want to go?"
    ui.app.set_accessible(True)
    ui.frames(3)
    assert ui.screenshot("destinations-large-text").exists()
    btn = dest.button("toilet-accessible")      # large text: below the fold, scrolled to
    next(w for w in dest.walk() if hasattr(w, "scroll_to")).scroll_to(btn, animate=False)
    ui.frames(3)
    ui.tap(btn)
    m = ui.screen()
    assert step_texts(m)[-1].endswith("Accessible toilet is on your left.")
    ui.frames(3)
    assert ui.screenshot("map-large-text").exists()


@on_example_site
def test_speak_reads_the_directions_when_there_is_a_speech_device(ui):
    from devices.speech import DummySpeech
    ui.tap(ui.screen().button("info"))
    m = ui.screen()
    assert not m.can_speak and m.ids.speak.disabled
    speech = DummySpeech()
    ui.app.core.devices.put("speech", speech)
    ui.tap(m.ids.back)
    ui.tap(ui.screen().button("info"))
    assert m.can_speak
    ui.tap(m.ids.speak)
    assert speech.said == [("Ga rechtdoor en loop ongeveer 5 meter. Informatiebalie is aan uw "
                            "rechterkant. Totaal ongeveer 5 meter, minder dan 1 minuut.", "nl")]



def _site_with_speech() -> dict:
    import copy
    site = copy.deepcopy(SITE)
    site.setdefault("devices", {})["speech"] = {"url": "dummy://"}
    return site


@pytest.mark.parametrize("ui", [_site_with_speech()], indirect=True)
def test_speech_device_from_config(ui):
    ui.tap(ui.screen().button("wait-0"))
    m = ui.screen()
    assert m.can_speak
    ui.app.set_language("en")
    ui.frames(2)
    ui.tap(m.ids.speak)
    (text, lang), = ui.app.core.devices.get("speech").said
    assert lang == "en" and text.startswith("Go straight on and walk about 10 metres.")
