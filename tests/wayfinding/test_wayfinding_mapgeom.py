"""What the map draws (no Kivy): turned as the visitor stands, fitted, per floor; groups and
pictograms for the destination screen; the package imports in any order."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.wayfinding.compact import compact_plan
from kiosk.wayfinding.routing import router_for
from kiosk.wayfinding.icons import ICONS, icon
from kiosk.wayfinding.mapgeom import MapFrame
from kiosk.wayfinding.plan import place_groups
from kiosk.wayfinding.settings import PLACE_KINDS

ROOT = Path(__file__).resolve().parents[2]


def square(facing):
    """Kiosk in the middle of a 20 m square, a desk due east of it, a lift up to floor 1."""
    return compact_plan(
        nodes=[("k", "0", 10, 10), ("e", "0", 18, 10), ("l0", "0", 10, 18), ("l1", "1", 10, 18),
               ("up", "1", 2, 18)],
        edges=[("k", "e"), ("k", "l0"), ("l0", "l1", "lift"), ("l1", "up")],
        places=[("east", "desk", "e"), ("upstairs", "toilet", "up")],
        here="k", facing=facing)


@pytest.mark.parametrize("facing,east_is", [
    (0, "right"),     # facing up the plan: east is to the right
    (90, "up"),       # facing east: east is straight ahead, up the screen
    (180, "left"),    # facing down the plan: east is to the left
    (270, "down"),    # facing west: east is behind, down the screen
])
def test_map_is_turned_so_the_visitor_faces_up(facing, east_is):
    plan = square(facing)
    frame = MapFrame(plan, plan.here_facing, 0, 0, 1000, 1000)
    kx, ky = frame.to_screen(10, 10)
    ex, ey = frame.to_screen(18, 10)
    dx, dy = ex - kx, ey - ky
    direction = {"right": dx > 0 and abs(dy) < 1e-6, "left": dx < 0 and abs(dy) < 1e-6,
                 "up": dy > 0 and abs(dx) < 1e-6, "down": dy < 0 and abs(dx) < 1e-6}
    assert direction[east_is]
    drawing = frame.floor_drawing("0")
    assert drawing.here[2] == pytest.approx(0.0)  # the "you are here" arrow points up


def test_everything_fits_inside_the_widget_with_its_margin():
    plan = square(30)
    frame = MapFrame(plan, plan.here_facing, 100, 200, 600, 400, margin=20)
    pts = [frame.to_screen(n.x, n.y) for n in plan.nodes.values()]
    assert all(120 - 1e-6 <= x <= 680 + 1e-6 and 220 - 1e-6 <= y <= 580 + 1e-6 for x, y in pts)


def test_floor_drawing_splits_the_route_by_floor():
    plan = square(0)
    route = router_for(plan).route("k", "up")
    frame = MapFrame(plan, 0, 0, 0, 1000, 1000)
    ground, first = frame.floor_drawing("0", route, "upstairs"), frame.floor_drawing("1", route, "upstairs")
    assert len(ground.route) == 1 and len(ground.route[0]) == 4  # k -> l0: two points
    assert len(first.route) == 1 and len(first.route[0]) == 4    # l1 -> up
    assert [t[2] for t in ground.transfers] == ["lift"] and [t[2] for t in first.transfers] == ["lift"]
    assert ground.here is not None and first.here is None
    assert ground.goal is None and first.goal == pytest.approx(frame.to_screen(2, 18))
    assert [p[2] for p in ground.places] == ["desk"]   # the goal itself is not repeated
    assert len(ground.corridors) == 2 and len(first.corridors) == 1


def test_place_groups_in_order_with_numbers_sorted_as_numbers():
    plan = compact_plan(
        nodes=[("a", "0", 0, 0)], edges=[],
        places=[("d10", "desk", "a", {"name": {"nl": "Balie 10"}}),
                ("d2", "desk", "a", {"name": {"nl": "Balie 2"}}),
                ("out", "exit", "a"), ("wc", "toilet", "a"),
                ("info", "information", "a", {"name": {"nl": "Informatie"}}),
                ("hidden", "desk", "a", {"listed": False})],
        here="a")
    groups = [(g, [p.id for p in ps]) for g, ps in place_groups(plan, "nl")]
    assert groups == [("desks", ["d2", "d10", "info"]), ("facilities", ["wc"]), ("exits", ["out"])]


def test_every_place_kind_has_a_pictogram_inside_its_square():
    assert set(PLACE_KINDS) <= set(ICONS)
    for kind in PLACE_KINDS:
        for name, *v in icon(kind):
            assert name in {"circle", "disc", "line", "rect", "box", "tri"}
            assert all(-0.01 <= c <= 1.01 for c in v), (kind, name, v)


@pytest.mark.parametrize("module", ["kiosk.wayfinding.settings", "kiosk.wayfinding.plan",
                                    "kiosk.wayfinding.directions", "kiosk.wayfinding.checks",
                                    "kiosk.commands.route_cmd", "kiosk.config"])
def test_any_module_can_be_imported_first(module):
    res = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
