"""Direction texts: turns from geometry, rounding, floor changes, landmarks, per language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.i18n import load_language, read_po_file
from kiosk.wayfinding.compact import compact_plan
from kiosk.wayfinding.directions import (UnknownPlace, get_directions, short_directions,
                                         spoken_metres, time_text, turn)
from kiosk.wayfinding.settings import PLACE_KINDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("before,after,expected", [
    (0, 0, "straight"), (0, 30, "straight"), (0, 330, "straight"), (0, 90, "right"),
    (0, 270, "left"), (350, 80, "right"), (90, 0, "left"), (180, 270, "right"),
    (10, 200, "back"), (0, 180, "back"), (None, 90, None), (90, None, None),
])
def test_turn_from_headings(before, after, expected):
    assert turn(before, after) == expected


@pytest.mark.parametrize("metres,said", [
    (0, None), (4.9, None), (5, 5), (7.4, 5), (7.6, 10), (12, 10), (28, 30), (31, 30),
    (55, 60), (96, 100), (120, 100), (130, 150), (740, 700),
])
def test_distances_rounded_as_people_say_them(metres, said):
    assert spoken_metres(metres) == said


@pytest.mark.parametrize("seconds,lang,text", [
    (30, "nl", "minder dan 1 minuut"), (59, "en", "less than 1 minute"),
    (60, "nl", "ongeveer 1 minuut"), (89, "en", "about 1 minute"),
    (95, "nl", "ongeveer 2 minuten"), (300, "en", "about 5 minutes"),
])
def test_walking_time_text(seconds, lang, text):
    assert time_text(seconds, lang) == text


INFO = {"landmark": {"nl": "de informatiebalie", "en": "the information desk"}}
LIFT = {"landmark": {"nl": "de lift", "en": "the lift"}}


def l_shaped():
    """Kiosk facing up the plan; straight past the information desk, right, left to the lift,
    up one floor, out of the lift facing down the plan, right to desk 7 (north of the corridor)."""
    return compact_plan(
        nodes=[("k", "0", 0, 0), ("a", "0", 0, 10, INFO), ("b", "0", 0, 20), ("c", "0", 15, 20),
               ("l0", "0", 15, 25, LIFT), ("l1", "1", 15, 25, {"facing": 180}),
               ("e", "1", 15, 20), ("f", "1", 5, 20)],
        edges=[("k", "a"), ("a", "b"), ("b", "c"), ("c", "l0"), ("l0", "l1", "lift"), ("l1", "e"),
               ("e", "f")],
        places=[("desk-7", "desk", "f", {"position": [5, 23],
                                         "name": {"nl": "Balie 7", "en": "Desk 7"}})],
        here="k", facing=0)


EXPECTED = {
    "nl": ["Ga rechtdoor en loop ongeveer 20 meter. U komt langs de informatiebalie.",
           "Ga naar rechts en loop ongeveer 15 meter.",
           "Ga naar links en loop ongeveer 5 meter tot aan de lift.",
           "Neem de lift naar de 1e verdieping.",
           "Ga rechtdoor en loop ongeveer 5 meter.",
           "Ga naar rechts en loop ongeveer 10 meter.",
           "Balie 7 is aan uw rechterkant.",
           "Totaal ongeveer 60 meter, ongeveer 2 minuten."],
    "en": ["Go straight on and walk about 20 metres. You pass the information desk.",
           "Turn right and walk about 15 metres.",
           "Turn left and walk about 5 metres to the lift.",
           "Take the lift to the 1st floor.",
           "Go straight on and walk about 5 metres.",
           "Turn right and walk about 10 metres.",
           "Desk 7 is on your right.",
           "In total about 60 metres, about 2 minutes."],
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_full_directions_per_language(lang):
    d = get_directions(l_shaped(), "here", "desk-7", lang)
    assert d.lines == EXPECTED[lang]
    assert [s.kind for s in d.steps] == ["walk", "walk", "walk", "lift", "walk", "walk", "arrive"]
    assert d.route.metres == pytest.approx(55)
    assert d.route.seconds == pytest.approx(55 + 40)


def test_json_shape_of_steps():
    data = get_directions(l_shaped(), "here", "desk-7", "en").as_dict()
    assert data["steps"][0] == {"from": "k", "to": "b", "kind": "walk", "metres": 20.0,
                                "text": EXPECTED["en"][0]}
    assert data["steps"][3]["kind"] == "lift" and data["steps"][3]["metres"] == 0.0
    assert data["total"] == {"metres": 55.0, "seconds": 95, "text": EXPECTED["en"][-1]}


def test_without_a_facing_the_first_step_has_no_turn():
    d = get_directions(l_shaped(), "a", "desk-7", "nl")
    assert d.lines[0] == "Loop ongeveer 10 meter."
    assert d.lines[1] == "Ga naar rechts en loop ongeveer 15 meter."


def test_turn_at_a_landmark_names_it():
    plan = compact_plan(nodes=[("k", "0", 0, 0), ("a", "0", 0, 10, INFO), ("b", "0", -10, 10)],
                        edges=[("k", "a"), ("a", "b")], places=[("wc", "toilet", "b")],
                        here="k", facing=0)
    assert get_directions(plan, "here", "wc", "nl").lines[:2] == [
        "Ga rechtdoor en loop ongeveer 10 meter tot aan de informatiebalie.",
        "Ga bij de informatiebalie naar links en loop ongeveer 10 meter."]
    assert get_directions(plan, "here", "wc", "en").lines[1] == \
        "At the information desk, turn left and walk about 10 metres."


VERTICAL = dict(
    nodes=[("k", "0", 0, 0), ("l0", "0", 0, 3), ("l1", "1", 0, 3), ("l2", "2", 0, 3),
           ("s0", "0", 3, 0), ("s1", "1", 3, 0), ("s2", "2", 3, 0), ("d", "2", 1, 2)],
    edges=[("k", "l0"), ("l0", "l1", "lift"), ("l1", "l2", "lift"), ("l2", "d"),
           ("k", "s0"), ("s0", "s1", "escalator"), ("s1", "s2", "stairs"), ("s2", "d")],
    places=[("desk", "desk", "d")], here="k", floors=(("0", 0), ("1", 1), ("2", 2)))


@pytest.mark.parametrize("step_free,lang,floor_steps", [
    (True, "nl", ["Neem de lift naar de 2e verdieping."]),
    (True, "en", ["Take the lift to the 2nd floor."]),
    (False, "nl", ["Neem de roltrap naar de 1e verdieping.", "Neem de trap naar de 2e verdieping."]),
    (False, "en", ["Take the escalator to the 1st floor.", "Take the stairs to the 2nd floor."]),
])
def test_floor_changes_one_step_per_means(step_free, lang, floor_steps):
    plan = compact_plan(**VERTICAL, lift_time_s=60)
    d = get_directions(plan, "here", "desk", lang, step_free=step_free)
    vertical = [s.text for s in d.steps if s.kind in ("lift", "stairs", "escalator")]
    assert vertical == floor_steps


@pytest.mark.parametrize("position,lang,text", [
    ([10, 3], "nl", "Kamer is recht voor u."),
    ([8, 0], "en", "Kamer is on your right."),
    ([8, 6], "nl", "Kamer is aan uw linkerkant."),
    ([0, 3], "en", "Kamer is behind you."),
    ([8, 3], "en", "You are at Kamer."),
])
def test_arrival_says_on_which_side(position, lang, text):
    plan = compact_plan(nodes=[("k", "0", 0, 3), ("r", "0", 8, 3)], edges=[("k", "r")],
                        places=[("room", "other", "r", {"position": position,
                                                        "name": {"nl": "Kamer", "en": "Kamer"}})],
                        here="k", facing=90)
    assert get_directions(plan, "here", "room", lang).steps[-1].text == text


def test_doors_and_ramps_are_their_own_steps():
    plan = compact_plan(nodes=[("k", "0", 0, 0), ("d1", "0", 0, 2), ("d2", "0", 0, 3),
                               ("r", "0", 12, 3)],
                        edges=[("k", "d1"), ("d1", "d2", "door"), ("d2", "r", "ramp")],
                        places=[("hall", "other", "r")], here="k", facing=0)
    assert get_directions(plan, "here", "hall", "nl").lines[:3] == [
        "Ga rechtdoor en loop een paar meter.", "Ga door de deur.",
        "Ga naar rechts en loop ongeveer 10 meter over de helling."]


def test_already_there_and_no_route_and_unknown_place():
    plan = compact_plan(nodes=[("k", "0", 0, 0), ("a", "0", 5, 0), ("up", "1", 5, 0)],
                        edges=[("k", "a"), ("a", "up", "stairs")],
                        places=[("here-desk", "desk", "k"), ("upstairs", "desk", "up")], here="k")
    same = get_directions(plan, "here", "here-desk", "en")
    assert same.steps == () and same.total_text == "You are already there."
    assert get_directions(plan, "here", "upstairs", "en", step_free=True) is None
    assert short_directions(plan, "here", "upstairs", "nl", step_free=True) == \
        "Er is geen route zonder trappen naar Upstairs. Vraag het bij de informatiebalie."
    with pytest.raises(UnknownPlace, match="did you mean 'upstairs'"):
        get_directions(plan, "here", "upstair", "en")


def test_to_a_node_that_is_no_place():
    d = get_directions(l_shaped(), "here", "b", "en")
    assert d.lines == ["Go straight on and walk about 20 metres. You pass the information desk.",
                       "You have arrived.", "In total about 20 metres, less than 1 minute."]


def test_short_directions_for_the_ticket():
    text = short_directions(l_shaped(), "here", "desk-7", "nl")
    assert text.splitlines() == EXPECTED["nl"]


# -- the catalog ----------------------------------------------------------------------
def _catalog(lang):
    return read_po_file(ROOT / "kiosk" / "locale" / lang / "LC_MESSAGES" / "wayfinding.po")


def test_catalogs_have_the_same_messages_and_placeholders():
    nl, en = _catalog("nl"), _catalog("en")
    assert set(nl) == set(en)
    for msgid in nl:
        assert nl[msgid] and en[msgid], msgid
        assert set(re.findall(r"{(\w+)}", nl[msgid])) == set(re.findall(r"{(\w+)}", en[msgid])), msgid


EMITTED = (
    [f"wayfinding.turn.{w}{at}" for w in ("straight", "left", "right", "back") for at in ("", "_at")]
    + [f"wayfinding.{k}.{t}{to}" for k in ("walk", "ramp") for t in ("turn", "plain")
       for to in ("", "_to")]
    + [f"wayfinding.{k}.{w}" for k in ("lift", "stairs", "escalator")
       for w in ("to_floor", "same_floor")]
    + [f"wayfinding.arrive{s}" for s in ("", ".node", ".straight", ".left", ".right", ".back")]
    + [f"wayfinding.kind.{k}" for k in PLACE_KINDS]
    + ["wayfinding.door.turn", "wayfinding.door.plain", "wayfinding.passing", "wayfinding.and",
       "wayfinding.distance.few", "wayfinding.distance.about", "wayfinding.time.under_minute",
       "wayfinding.time.one_minute", "wayfinding.time.minutes", "wayfinding.total",
       "wayfinding.already_there", "wayfinding.no_route", "wayfinding.no_route.step_free",
       "wayfinding.route_header", "wayfinding.here", "wayfinding.step_free"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_message_the_code_can_use_is_in_the_catalog(lang):
    merged = load_language(lang)
    missing = [m for m in EMITTED if not merged.get(m)]
    assert missing == []
