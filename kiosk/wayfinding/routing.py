"""Routes over the floor plan's graph: quickest, or step-free (never stairs or escalators).

The cost of an edge is the time it takes (see `Plan.seconds`): walking metres at the
walking speed, stairs slower, a lift ride a fixed time. "Shortest" therefore means
quickest for a visitor, which is what they care about; the route also reports metres.

The graph is indexed once into integer adjacency lists per mode; a query is A* with a
lower bound from the straight-line distance (via the nearest way off the floor when the
goal is on another one) and the storeys still to climb, scaled from the plan so it never
overestimates (it is plain Dijkstra when no safe scale exists), and on big plans also from
landmark costs (kiosk/wayfinding/landmarks.py). Routes from the kiosk
itself are looked up in a tree computed once (`warm`).
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from kiosk.wayfinding.landmarks import Landmarks
from kiosk.wayfinding.plan import STEP_KINDS, Edge, Plan

LANDMARK_MIN_NODES = 300
hypot_ = math.dist  # smaller plans are quick enough without landmark bounds


@dataclass(frozen=True)
class Route:
    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]  # oriented in walking order
    metres: float            # walked (a lift ride walks 0 m)
    seconds: float
    step_free: bool


class Router:
    def __init__(self, plan: Plan, bounds: bool = True):
        """`bounds=False` gives plain Dijkstra (no A* bounds): the baseline the bench compares with."""
        self.plan = plan
        self.bounds = bounds
        self.ids = list(plan.nodes)
        self.index = {nid: i for i, nid in enumerate(self.ids)}
        n = len(self.ids)
        self.xy = [(plan.nodes[nid].x, plan.nodes[nid].y) for nid in self.ids]
        self.level = [plan.floor_of(nid).level for nid in self.ids]
        self._adj: dict[bool, list[list[tuple[int, float, Edge]]]] = {
            False: [[] for _ in range(n)], True: [[] for _ in range(n)]}
        for e in plan.edges:
            i, j = self.index[e.a], self.index[e.b]
            cost = plan.seconds(e)
            modes = (False,) if e.kind in STEP_KINDS else (False, True)
            for mode in modes:
                self._adj[mode][i].append((j, cost, e))
                if not e.one_way:
                    self._adj[mode][j].append((i, cost, e.reversed()))
        self._scales = {mode: self._heuristic_scales(mode) if bounds else (0.0, 0.0)
                        for mode in (False, True)}
        self._trees: dict[tuple[str, bool], tuple[list[float], list[Edge | None]]] = {}
        self._landmarks: dict[bool, Landmarks | None] = {False: None, True: None}
        # floor of each node (as a small int), and per mode the nodes of each floor that have
        # an edge to another floor: every way off a floor starts at one of them
        floor_no = {fid: i for i, fid in enumerate(plan.floors)}
        self.floor = [floor_no[plan.nodes[nid].floor] for nid in self.ids]
        self._exits = {mode: [[] for _ in floor_no] for mode in (False, True)}
        for mode in (False, True):
            for u, entries in enumerate(self._adj[mode]):
                if any(self.floor[v] != self.floor[u] for v, _, _ in entries):
                    self._exits[mode][self.floor[u]].append(u)

    def _heuristic_scales(self, step_free: bool) -> tuple[float, float]:
        """(seconds per straight-line metre, seconds per storey) that no usable edge undercuts.

        Every edge a route of this mode may use costs at least h_flat * its plan distance +
        h_level * the storeys it climbs, so h(n) = h_flat * distance + h_level * storeys to
        the goal never overestimates and is consistent: A* then returns the true optimum.
        (Step-free routes can only climb by lift, so their bound per storey is much higher.)
        """
        flat_rates, edges = [], []
        for e in self.plan.edges:
            if step_free and e.kind in STEP_KINDS:
                continue
            i, j = self.index[e.a], self.index[e.b]
            flat = math.dist(self.xy[i], self.xy[j])
            rise = abs(self.level[i] - self.level[j])
            cost = self.plan.seconds(e)
            edges.append((cost, flat, rise))
            if flat > 0:
                flat_rates.append(cost / flat)
        k = min(flat_rates, default=0.0)
        level_rates = [(cost - k * flat) / rise for cost, flat, rise in edges if rise]
        return k, max(0.0, min(level_rates, default=0.0))

    def prepare(self, count: int = 8) -> None:
        """Compute landmark bounds for both modes now (else done at the first route on a big
        plan): a few exact all-node searches that make every later A* search much smaller."""
        first = max(range(len(self.ids)), key=lambda i: self.xy[i][0] + self.xy[i][1], default=0)
        for mode in (False, True):
            if self.ids:
                self._landmarks[mode] = Landmarks(self._adj[mode], count, first)

    def warm(self, src: str) -> None:
        """Compute every route from `src` (both modes) now, so later routes from it are lookups.

        The kiosk calls this for its own position at start: nearly every route starts there.
        """
        for mode in (False, True):
            self._trees[(src, mode)] = self._tree(self.index[src], mode)

    def _tree(self, s: int, step_free: bool) -> tuple[list[float], list[Edge | None]]:
        """Plain Dijkstra from s to every node: (best cost, edge each node is reached by)."""
        adj = self._adj[step_free]
        best = [math.inf] * len(self.ids)
        came: list[Edge | None] = [None] * len(self.ids)
        best[s] = 0.0
        heap = [(0.0, s)]
        while heap:
            g, u = heapq.heappop(heap)
            if g > best[u]:
                continue
            for v, cost, edge in adj[u]:
                if g + cost < best[v]:
                    best[v] = g + cost
                    came[v] = edge
                    heapq.heappush(heap, (g + cost, v))
        return best, came

    def route(self, src: str, dst: str, step_free: bool = False) -> Route | None:
        """The quickest route between two node ids, or None when there is none."""
        s, t = self.index[src], self.index[dst]
        if s == t:
            return Route((src,), (), 0.0, 0.0, step_free)
        tree = self._trees.get((src, step_free))
        if tree is not None:
            best, came = tree
            if best[t] == math.inf:
                return None
            return self._route_from(src, s, t, came, best[t], step_free)
        if self.bounds and self._landmarks[step_free] is None and \
                len(self.ids) >= LANDMARK_MIN_NODES:
            self.prepare()
        lm = self._landmarks[step_free]
        to_t, from_t = lm.terms(s, t) if lm else ([], [])
        adj = self._adj[step_free]
        k, kl = self._scales[step_free]
        tx, ty = self.xy[t]
        tl = self.level[t]
        xy, level, floor = self.xy, self.level, self.floor
        tf = floor[t]
        # Off the goal's floor a route must first reach one of that floor's exits, so the
        # straight line via the nearest exit is a bound too (never below the direct line).
        via = [[(xy[e][0], xy[e][1], hypot_(xy[e], xy[t])) for e in exits]
               for exits in self._exits[step_free]] if self.bounds else []
        n = len(xy)
        best = [math.inf] * n
        best[s] = 0.0
        came: list[Edge | None] = [None] * n   # the edge a node was best reached by
        done = bytearray(n)
        heap = [(0.0, 0.0, s)]
        pop, push, hypot = heapq.heappop, heapq.heappush, math.hypot
        while heap:
            u = pop(heap)[2]
            if u == t:
                break
            if done[u]:
                continue  # a stale entry: u was already settled by a cheaper one
            done[u] = 1
            g = best[u]  # the first pop of u carries its best cost (consistent heuristic)
            for v, cost, edge in adj[u]:
                ng = g + cost
                if ng < best[v]:
                    best[v] = ng
                    came[v] = edge
                    vx, vy = xy[v]
                    fv = floor[v]
                    if fv == tf or not via:
                        h = k * hypot(tx - vx, ty - vy)
                    elif via[fv]:
                        h = k * min(hypot(ex - vx, ey - vy) + d for ex, ey, d in via[fv]) + \
                            kl * abs(tl - level[v])
                    else:
                        continue  # no way off this floor: the goal is out of reach from v
                    for lt, lv in to_t:      # cost(L, t) - cost(L, v)
                        if lt - lv[v] > h:
                            h = lt - lv[v]
                    for tl_, vl in from_t:   # cost(v, L) - cost(t, L)
                        if vl[v] - tl_ > h:
                            h = vl[v] - tl_
                    if h < math.inf:  # inf: the goal cannot be reached from v at all
                        # among equal estimates, go on with the node furthest along
                        push(heap, (ng + h, -ng, v))
        else:
            return None
        return self._route_from(src, s, t, came, best[t], step_free)

    def _route_from(self, src: str, s: int, t: int, came: list, cost: float,
                    step_free: bool) -> Route:
        edges: list[Edge] = []
        u = t
        index = self.index
        while u != s:
            edge = came[u]
            edges.append(edge)
            u = index[edge.a]
        edges.reverse()
        nodes = (src, *(e.b for e in edges))
        metres = sum(e.metres for e in edges if e.kind != "lift")
        return Route(nodes, tuple(edges), metres, cost, step_free)

    def reachable(self, src: str, step_free: bool = False) -> set[str]:
        """Every node id that can be reached from `src`."""
        adj = self._adj[step_free]
        seen = {self.index[src]}
        todo = [self.index[src]]
        while todo:
            u = todo.pop()
            for v, _, _ in adj[u]:
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        return {self.ids[i] for i in seen}


def route_floors(plan: Plan, route: Route) -> list[str]:
    """Floor ids the route passes, in order, without repeats in a row."""
    out: list[str] = []
    for nid in route.nodes:
        f = plan.nodes[nid].floor
        if not out or out[-1] != f:
            out.append(f)
    return out


def router_for(plan: Plan) -> "Router":
    """The plan's Router, built once and kept with the plan (a plan is not changed after it
    is built)."""
    cached = plan.__dict__.get("_router")
    if cached is None:
        cached = plan.__dict__["_router"] = Router(plan)
    return cached
