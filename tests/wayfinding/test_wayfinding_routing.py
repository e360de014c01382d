"""Routing on small graphs: quickest vs step-free, one-way edges, floors, unreachable."""
from __future__ import annotations

import heapq
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.wayfinding.compact import compact_plan as make_plan
from kiosk.wayfinding.compact import section_data
from common.schema import build
from kiosk.wayfinding.plan import STEP_KINDS, build_plan
from kiosk.wayfinding.routing import Router, route_floors
from kiosk.wayfinding.settings import WayfindingSection

# Stairs close by, lift far away: quickest takes the stairs, step-free the lift.
STAIRS_OR_LIFT = dict(
    nodes=[("start", "0", 0, 0), ("st0", "0", 10, 0), ("lf0", "0", 40, 0),
           ("st1", "1", 10, 0), ("lf1", "1", 40, 0), ("goal", "1", 10, 5)],
    edges=[("start", "st0"), ("start", "lf0"), ("st0", "st1", "stairs"), ("lf0", "lf1", "lift"),
           ("lf1", "goal"), ("st1", "goal")])
# a -> b is one-way; back from b to a goes round by c.
ONE_WAY = dict(nodes=[("a", "0", 0, 0), ("b", "0", 10, 0), ("c", "0", 5, 20)],
               edges=[("a", "b", "walk", True), ("b", "c"), ("c", "a")])
# Escalator up only; stairs both ways; lift both ways but slow.
ESCALATOR = dict(
    nodes=[("e0", "0", 0, 0), ("e1", "1", 0, 0), ("s0", "0", 5, 0), ("s1", "1", 5, 0),
           ("l0", "0", 30, 0), ("l1", "1", 30, 0)],
    edges=[("e0", "e1", "escalator", True), ("e0", "s0"), ("s0", "s1", "stairs"), ("e1", "s1"),
           ("e0", "l0"), ("l0", "l1", "lift"), ("l1", "e1")])
# Only stairs to the upper floor; an island nobody can reach.
STAIRS_ONLY = dict(nodes=[("a", "0", 0, 0), ("b", "1", 0, 0), ("island", "0", 50, 50)],
                   edges=[("a", "b", "stairs")])
# Three floors joined by one lift shaft and a long ramp on the ground floor.
THREE_FLOORS = dict(
    nodes=[("in", "0", 0, 0), ("r", "0", 20, 0), ("l0", "0", 20, 10), ("l1", "1", 20, 10),
           ("l2", "2", 20, 10), ("desk", "2", 10, 10)],
    edges=[("in", "r", "ramp"), ("r", "l0"), ("l0", "l1", "lift"), ("l1", "l2", "lift"),
           ("l2", "desk")],
    floors=(("0", 0), ("1", 1), ("2", 2)))

CASES = [
    # (id, graph, from, to, step_free, expected node path or None)
    ("quickest takes the stairs", STAIRS_OR_LIFT, "start", "goal", False,
     ["start", "st0", "st1", "goal"]),
    ("step-free takes the lift", STAIRS_OR_LIFT, "start", "goal", True,
     ["start", "lf0", "lf1", "goal"]),
    ("one-way forward is direct", ONE_WAY, "a", "b", False, ["a", "b"]),
    ("one-way backward goes round", ONE_WAY, "b", "a", False, ["b", "c", "a"]),
    ("escalator up when allowed", ESCALATOR, "e0", "e1", False, ["e0", "e1"]),
    ("no escalator down: stairs", ESCALATOR, "e1", "e0", False, ["e1", "s1", "s0", "e0"]),
    ("step-free up: lift, not escalator", ESCALATOR, "e0", "e1", True, ["e0", "l0", "l1", "e1"]),
    ("step-free down: lift", ESCALATOR, "e1", "e0", True, ["e1", "l1", "l0", "e0"]),
    ("stairs-only floor, quickest", STAIRS_ONLY, "a", "b", False, ["a", "b"]),
    ("stairs-only floor, step-free", STAIRS_ONLY, "a", "b", True, None),
    ("island unreachable", STAIRS_ONLY, "a", "island", False, None),
    ("three floors by lift and ramp", THREE_FLOORS, "in", "desk", True,
     ["in", "r", "l0", "l1", "l2", "desk"]),
    ("same node: empty route", ONE_WAY, "a", "a", False, ["a"]),
]


@pytest.mark.parametrize("graph,src,dst,step_free,expected",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_route_nodes(graph, src, dst, step_free, expected):
    plan = make_plan(**graph)
    route = Router(plan).route(src, dst, step_free)
    if expected is None:
        assert route is None
    else:
        assert route is not None and list(route.nodes) == expected


def test_costs_and_metres_follow_the_plan_settings():
    plan = make_plan(**STAIRS_OR_LIFT, lift_time_s=30.0, stairs_factor=3.0, walking_speed_mps=1.0)
    router = Router(plan)
    quick = router.route("start", "goal")
    # 10 m walk + 4 m of stairs (one 4 m storey straight up) x3 + 5 m walk
    assert quick.metres == pytest.approx(10 + 4 + 5)
    assert quick.seconds == pytest.approx(10 + 12 + 5)
    free = router.route("start", "goal", step_free=True)
    assert free.metres == pytest.approx(40 + math.hypot(30, 5))  # the lift ride walks 0 m
    assert free.seconds == pytest.approx(40 + 30 + math.hypot(30, 5))
    assert [e.kind for e in free.edges] == ["walk", "lift", "walk"]


def test_given_length_overrides_geometry():
    plan = make_plan(nodes=[("a", "0", 0, 0), ("b", "0", 3, 4)], edges=[("a", "b")])
    assert plan.edges[0].metres == pytest.approx(5.0)
    data = dict(nodes=[("a", "0", 0, 0), ("b", "0", 3, 4)], edges=[("a", "b")])
    raw = section_data(**data)
    raw["edges"][0]["length"] = 12.5
    plan2, problems = build_plan(build(WayfindingSection, raw)[0])
    assert problems == [] and plan2.edges[0].metres == 12.5


def test_route_floors_in_order_of_visit():
    plan = make_plan(**THREE_FLOORS)
    route = Router(plan).route("in", "desk")
    assert route_floors(plan, route) == ["0", "1", "2"]


def test_reachable_respects_step_free_and_one_way():
    plan = make_plan(**ESCALATOR)
    router = Router(plan)
    assert router.reachable("e0") == {"e0", "e1", "s0", "s1", "l0", "l1"}
    plan2 = make_plan(**STAIRS_ONLY)
    assert Router(plan2).reachable("a", step_free=True) == {"a"}


# -- the A* search must give exactly the plain Dijkstra optimum --------------------------
def _reference(plan, src, dst, step_free):
    adj: dict[str, list[tuple[str, float]]] = {n: [] for n in plan.nodes}
    for e in plan.edges:
        if step_free and e.kind in STEP_KINDS:
            continue
        adj[e.a].append((e.b, plan.seconds(e)))
        if not e.one_way:
            adj[e.b].append((e.a, plan.seconds(e)))
    dist = {src: 0.0}
    heap = [(0.0, src)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist.get(u, math.inf):
            continue
        for v, c in adj[u]:
            if d + c < dist.get(v, math.inf):
                dist[v] = d + c
                heapq.heappush(heap, (d + c, v))
    return dist.get(dst)


KINDS = ["walk", "walk", "walk", "door", "ramp", "stairs", "escalator", "lift"]


@st.composite
def random_plans(draw):
    n = draw(st.integers(2, 12))
    nodes = [(f"n{i}", draw(st.sampled_from(["0", "1"])), draw(st.integers(0, 30)),
              draw(st.integers(0, 30))) for i in range(n)]
    edges = []
    for _ in range(draw(st.integers(1, 3 * n))):
        a, b = draw(st.sampled_from(range(n))), draw(st.sampled_from(range(n)))
        if a == b:
            continue
        kind = draw(st.sampled_from(KINDS))
        if kind == "lift" and nodes[a][1] == nodes[b][1]:
            kind = "walk"
        edges.append((f"n{a}", f"n{b}", kind, draw(st.booleans())))
    return dict(nodes=nodes, edges=edges), draw(st.booleans())


@settings(max_examples=200, deadline=None)
@given(random_plans())
def test_router_matches_reference_dijkstra(case):
    """Every way of answering is exact: A* per query, A* with landmark bounds, and a tree
    warmed for the start."""
    graph, step_free = case
    plan = make_plan(**graph)
    cold, landmarks, warm = Router(plan), Router(plan), Router(plan)
    landmarks.prepare(count=3)
    warm.warm("n0")
    forward = {(e.a, e.b) for e in plan.edges}
    for dst in plan.nodes:
        want = _reference(plan, "n0", dst, step_free)
        for router in (cold, landmarks, warm):
            route = router.route("n0", dst, step_free)
            if want is None:
                assert route is None
                continue
            assert route is not None and route.seconds == pytest.approx(want)
            assert sum(plan.seconds(e) for e in route.edges) == pytest.approx(want)
            assert route.nodes[0] == "n0" and route.nodes[-1] == dst
            for e, (u, v) in zip(route.edges, zip(route.nodes, route.nodes[1:])):
                assert (e.a, e.b) == (u, v)
                assert not (step_free and e.kind in STEP_KINDS)
                assert not e.one_way or (e.a, e.b) in forward


def test_big_plan_uses_landmarks_and_stays_exact():
    from kiosk.wayfinding.compact import generated_plan
    plan = generated_plan(floors=3, nodes=450)
    router = Router(plan)
    ids = sorted(plan.nodes)
    pairs = [(ids[(i * 37) % len(ids)], ids[(i * 91 + 5) % len(ids)], i % 2 == 1)
             for i in range(40)]
    for src, dst, step_free in pairs:
        route = router.route(src, dst, step_free)
        assert route.seconds == pytest.approx(_reference(plan, src, dst, step_free))
    assert router._landmarks[False] is not None and router._landmarks[True] is not None
