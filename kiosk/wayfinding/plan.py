"""The floor plan at run time: floors, graph nodes, edges with their lengths, places.

`build_plan(section)` turns the `[wayfinding]` config section (or the file its
`plan_file` names) into a `Plan` and lists every structural problem with its dotted
key: duplicate ids, references to unknown floors or nodes, lift edges that stay on one
floor. A plan with problems is still built from the parts that make sense, so the
checks can go on (reachability) and report everything at once.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field

from common.schema import Problem, build
from kiosk.wayfinding.settings import WayfindingSection

STEP_KINDS = frozenset({"stairs", "escalator"})  # never on a step-free route
VERTICAL_KINDS = frozenset({"stairs", "escalator", "lift"})
LANG_FALLBACK = ("en", "nl")


def pick(names: dict[str, str], lang: str, default: str = "") -> str:
    """The name in `lang`, else English, else Dutch, else any, else `default`."""
    for lg in (lang, *LANG_FALLBACK):
        if names.get(lg):
            return names[lg]
    return next((v for v in names.values() if v), default)


@dataclass(frozen=True)
class Floor:
    id: str
    level: int
    names: dict[str, str]
    outline: tuple[tuple[float, float], ...] = ()
    image: str = ""
    image_scale: float = 0.05
    image_origin: tuple[float, float] = (0.0, 0.0)

    def name(self, lang: str) -> str:
        return pick(self.names, lang, self.id)


@dataclass(frozen=True)
class Node:
    id: str
    floor: str
    x: float
    y: float
    landmarks: dict[str, str] = field(default_factory=dict)
    facing: float | None = None

    def landmark(self, lang: str) -> str:
        return pick(self.landmarks, lang)


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str
    metres: float
    one_way: bool = False

    def reversed(self) -> "Edge":
        return Edge(self.b, self.a, self.kind, self.metres, self.one_way)


@dataclass(frozen=True)
class Place:
    id: str
    kind: str
    node: str
    names: dict[str, str]
    x: float
    y: float
    floor: str
    listed: bool = True

    def name(self, lang: str) -> str:
        return pick(self.names, lang, self.id)


@dataclass
class Plan:
    floors: dict[str, Floor] = field(default_factory=dict)  # in level order
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    here_node: str = ""
    here_facing: float = 0.0
    walking_speed_mps: float = 1.0
    stairs_factor: float = 2.0
    lift_time_s: float = 40.0
    source: str = ""  # the plan_file it came from, "" when written in the config itself
    place_index: dict[str, int] = field(default_factory=dict)  # place id -> its places[i]

    def problem(self, path: str, reason: str) -> Problem:
        """A problem at `path` inside the plan (e.g. places[3].node), reported where the
        plan was written: the config key, or `wayfinding.plan_file` naming the file."""
        if self.source:
            return Problem("wayfinding.plan_file", f"{self.source}: {path}: {reason}")
        return Problem(f"wayfinding.{path}", reason)

    @property
    def empty(self) -> bool:
        return not self.places and not self.nodes

    def floor_of(self, node_id: str) -> Floor:
        return self.floors[self.nodes[node_id].floor]

    def resolve(self, ref: str) -> str | None:
        """Node id for a place id, a node id, or 'here' (the kiosk); None if unknown."""
        if ref == "here" and self.here_node in self.nodes:
            return self.here_node
        if ref in self.places:
            return self.places[ref].node
        return ref if ref in self.nodes else None

    def seconds(self, edge: Edge) -> float:
        """Time to walk/ride one edge; the route cost."""
        if edge.kind == "lift":
            return self.lift_time_s + edge.metres / self.walking_speed_mps
        factor = self.stairs_factor if edge.kind == "stairs" else 1.0
        return edge.metres * factor / self.walking_speed_mps


def plan_data(section: WayfindingSection) -> tuple[WayfindingSection, list[Problem]]:
    """The section with its plan tables, read from `plan_file` when one is named.

    Problems inside the plan file are reported at `wayfinding.plan_file`, with the plan
    file's own line and key in the reason (the loader only knows the site file's lines).
    """
    if not section.plan_file:
        return section, []
    from kiosk.config.layers import read_layer
    inline = [k for k in ("floors", "nodes", "edges", "places") if getattr(section, k)]
    problems: list[Problem] = []
    if inline:
        problems.append(Problem("wayfinding.plan_file", "give the plan either here or in "
                                f"plan_file, not both (also set here: {', '.join(inline)})"))
    layer, read_problems = read_layer(section.plan_file)
    for p in read_problems:
        where = f"{p.file}:{p.line}" if p.line else p.file
        problems.append(Problem("wayfinding.plan_file", f"{where}: {p.reason}"))
    if layer is None:
        return section, problems
    allowed = {"floors", "nodes", "edges", "places"}
    data = {k: v for k, v in layer.data.items() if k in allowed}
    for key in layer.data:
        if key not in allowed:
            line = layer.lines.get(key)
            problems.append(Problem("wayfinding.plan_file", f"{layer.file}:{line}: {key}: unknown "
                                    "key; a plan file holds floors, nodes, edges and places"))
    plan_only, inner = build(WayfindingSection, data)
    for p in inner:
        problems.append(Problem("wayfinding.plan_file",
                                f"{layer.file}:{_line(layer.lines, p.path)}: {p.path}: {p.reason}"))
    if plan_only is None:
        return section, problems
    return dataclasses.replace(section, floors=plan_only.floors, nodes=plan_only.nodes,
                               edges=plan_only.edges, places=plan_only.places), problems


def _line(lines: dict[str, int], path: str) -> str:
    while path:
        if path in lines:
            return str(lines[path])
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return "?"


def build_plan(section: WayfindingSection) -> tuple[Plan, list[Problem]]:
    """A Plan from the config section, with every structural problem found."""
    section, problems = plan_data(section)
    plan = Plan(here_node=section.here.node, here_facing=section.here.facing,
                walking_speed_mps=section.walking_speed_mps, stairs_factor=section.stairs_factor,
                lift_time_s=section.lift_time_s, source=section.plan_file)

    def problem(path: str, reason: str) -> None:
        problems.append(plan.problem(path, reason))

    levels: dict[int, str] = {}
    for i, f in _fresh(section.floors, plan.floors, "floor", problem):
        if f.level in levels:
            problem(f"floors[{i}].level", f"level {f.level} is also floor {levels[f.level]!r}")
        levels[f.level] = f.id
        plan.floors[f.id] = Floor(f.id, f.level, dict(f.name), tuple(tuple(p) for p in f.outline),
                                  f.image, f.image_scale, tuple(f.image_origin))
    plan.floors = dict(sorted(plan.floors.items(), key=lambda kv: kv[1].level))
    for i, n in _fresh(section.nodes, plan.nodes, "node", problem):
        if n.floor not in plan.floors:
            problem(f"nodes[{i}].floor", f"unknown floor {n.floor!r}{_known(plan.floors)}")
            continue
        plan.nodes[n.id] = Node(n.id, n.floor, n.x, n.y, dict(n.landmark), n.facing)
    for i, e in enumerate(section.edges):
        if e is None:  # an entry the schema already reported as broken
            continue
        bad = [ref for ref in e.between if ref not in plan.nodes]
        if bad:
            problem(f"edges[{i}].between", f"unknown node {', '.join(map(repr, bad))}"
                    f"{_known(plan.nodes)}")
            continue
        a, b = (plan.nodes[r] for r in e.between)
        if e.kind == "lift" and a.floor == b.floor:
            problem(f"edges[{i}].kind", f"a lift joins two floors, but {a.id!r} and {b.id!r} are "
                    f"both on floor {a.floor!r}")
            continue
        metres = e.length or _length(a, b, e.kind, plan.floors, section.floor_height_m)
        plan.edges.append(Edge(a.id, b.id, e.kind, metres, e.one_way))
    for i, p in _fresh(section.places, plan.places, "place", problem):
        node = plan.nodes.get(p.node)
        if node is None:
            problem(f"places[{i}].node", f"unknown node {p.node!r}{_known(plan.nodes)}")
            continue
        x, y = p.position if p.position else (node.x, node.y)
        plan.places[p.id] = Place(p.id, p.kind, p.node, dict(p.name), x, y, node.floor, p.listed)
        plan.place_index[p.id] = i
    if plan.places and not section.here.node:
        problems.append(Problem("wayfinding.here.node", "is required when the plan has places: "
                                "the graph node where this kiosk stands"))
    elif section.here.node and section.here.node not in plan.nodes:
        problems.append(Problem("wayfinding.here.node", f"unknown node {section.here.node!r}"
                                f"{_known(plan.nodes)}"))
    return plan, problems


def _fresh(entries, seen: dict, what: str, problem):
    """(index, entry) for each entry worth building: not one the schema already reported as
    broken (None), and not a second entry with an id already taken (reported here)."""
    for i, entry in enumerate(entries):
        if entry is None:
            continue
        if entry.id in seen:
            problem(f"{what}s[{i}].id", f"duplicate {what} id {entry.id!r}")
            continue
        yield i, entry


def _length(a: Node, b: Node, kind: str, floors: dict[str, Floor], storey_m: float) -> float:
    flat = math.hypot(b.x - a.x, b.y - a.y)
    if kind == "lift":
        return 0.0
    rise = abs(floors[a.floor].level - floors[b.floor].level) * storey_m
    return math.hypot(flat, rise)


def _known(ids) -> str:
    ids = list(ids)
    if not ids:
        return " (none defined)"
    shown = ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "")
    return f" (known: {shown})"


# Groups on the destination screen, in order, and the place kinds in each.
PLACE_GROUPS: dict[str, tuple[str, ...]] = {
    "desks": ("desk", "information", "waiting_area"),
    "facilities": ("toilet", "accessible_toilet", "baby_changing", "lift", "stairs", "cafe",
                   "seating", "other"),
    "exits": ("entrance", "exit"),
}


def place_groups(plan: Plan, lang: str) -> list[tuple[str, list[Place]]]:
    """Listed places by group (desks, facilities, exits); within a group by kind, then name.

    Names sort with their numbers as numbers ("Balie 2" before "Balie 10"). Empty groups
    are left out.
    """
    def key(p: Place, kinds: tuple[str, ...]):
        parts = re.split(r"(\d+)", p.name(lang).lower())
        return kinds.index(p.kind), [int(x) if x.isdigit() else x for x in parts]

    out = []
    for group, kinds in PLACE_GROUPS.items():
        members = [p for p in plan.places.values() if p.listed and p.kind in kinds]
        if members:
            out.append((group, sorted(members, key=lambda p: key(p, kinds))))
    return out
