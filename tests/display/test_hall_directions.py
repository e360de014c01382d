"""The arrow and short text from the hall display to a desk, on the example floor plan."""
import tomllib
from pathlib import Path

import pytest
from display_kit import build_config

from kiosk.hall.directions import DeskFinder, relative_angle
from kiosk.i18n import Translator

PLAN = Path(__file__).resolve().parents[2] / "config" / "example-floorplan.toml"


def example_wayfinding():
    return tomllib.loads(PLAN.read_text(encoding="utf-8"))["wayfinding"]


@pytest.fixture
def finder():
    cfg = build_config(wayfinding=example_wayfinding())
    assert cfg.wayfinding.here.node == "g-kiosk" and cfg.wayfinding.here.facing == 0
    return DeskFinder.from_config(cfg, Translator("nl"))


def test_desk_on_the_right(finder):
    d = finder.direction("4", "nl")       # desk-4 is up and to the right of the kiosk
    assert d.place == "desk-4"
    assert 0 < d.angle < 90
    assert d.text.startswith("Rechts, ongeveer")
    assert finder.direction("4", "en").text.startswith("To your right, about")


def test_desk_on_the_left(finder):
    d = finder.direction("1", "en")
    assert -90 < d.angle < 0 and d.text.startswith("To your left")


def test_desk_upstairs_points_at_the_way_up_and_names_the_floor(finder):
    d = finder.direction("5", "nl")
    assert d.text == "Op de 1e verdieping"
    assert d.angle is not None


def test_unknown_desk_or_no_plan_gives_no_arrow(finder):
    d = finder.direction("99", "nl")
    assert d.place == "desk-99" and d.angle is None and d.text == ""
    bare = DeskFinder.from_config(build_config(), Translator("nl"))
    assert bare.direction("4", "nl").angle is None


def test_desk_place_pattern_from_config():
    cfg = build_config(display={"desk_place": "balie-{desk}"})
    assert DeskFinder(None, cfg.display.desk_place).place_of(" 7 ") == "balie-7"


@pytest.mark.parametrize("bearing,facing,expect", [(90, 0, 90), (0, 90, -90), (350, 10, -20),
                                                   (180, 0, -180)])
def test_relative_angle(bearing, facing, expect):
    assert relative_angle(bearing, facing) == expect
