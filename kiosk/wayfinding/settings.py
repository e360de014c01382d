"""The `[wayfinding]` config section: the floor plan as data, and this kiosk's place in it.

Coordinates are metres on the plan: x grows to the right (east), y grows up the plan
(north). Directions in degrees are compass-like: 0 = up the plan, 90 = right.
The plan may be written inline here or in a separate TOML file named by `plan_file`
(that file holds the same `floors`, `nodes`, `edges` and `places` tables at its top level).

This module only declares keys; it imports nothing but the schema engine, so that
kiosk/config/model.py can plug it in without an import cycle.
"""
from __future__ import annotations

from typing import Optional

from common.schema import section, setting

EDGE_KINDS = ("walk", "door", "ramp", "stairs", "escalator", "lift")
PLACE_KINDS = ("desk", "waiting_area", "information", "toilet", "accessible_toilet",
               "baby_changing", "lift", "stairs", "entrance", "exit", "cafe", "seating", "other")


def _names(v: dict) -> str | None:
    if not v:
        return "needs a name in at least one language, e.g. { nl = \"Balie 1\", en = \"Desk 1\" }"
    empty = [lang for lang, text in v.items() if not str(text).strip()]
    if empty:
        return f"empty name for {', '.join(empty)}"
    return None


def _two_ids(v: list) -> str | None:
    if len(v) != 2:
        return f"needs exactly two node ids, got {len(v)}"
    if v[0] == v[1]:
        return f"joins node {v[0]!r} to itself"
    return None


def _point_list(v: list) -> str | None:
    for i, p in enumerate(v):
        if len(p) != 2:
            return f"point {i} must be [x, y] in metres, got {len(p)} numbers"
    if v and len(v) < 3:
        return "an outline needs at least 3 points (or none)"
    return None


def _pair(v: list) -> str | None:
    return None if len(v) == 2 else f"must be [x, y], got {len(v)} numbers"


@section
class FloorSpec:
    id: str = setting(doc="Short id used by nodes and places, e.g. \"0\" or \"bg\".", nonempty=True)
    level: int = setting(doc="Storey number: 0 = ground floor, 1 = first floor, -1 = basement.",
                         min=-10, max=100)
    name: dict[str, str] = setting({}, "Name per language as used in a sentence after 'to the', "
                                   "e.g. { nl = \"1e verdieping\", en = \"1st floor\" }.",
                                   check=_names)
    outline: list[list[float]] = setting([], "Walls of the floor as [[x, y], ...] in metres, drawn "
                                         "on the map; empty draws no outline.", check=_point_list)
    image: str = setting("", "Optional background image (PNG) for the map of this floor.")
    image_scale: float = setting(0.05, "Metres per image pixel of `image`.", min=0.0001, max=100)
    image_origin: list[float] = setting([0.0, 0.0], "Plan position [x, y] in metres of the "
                                        "image's bottom-left corner.", check=_pair)


@section
class NodeSpec:
    id: str = setting(doc="Unique id of this point of the walkable graph.", nonempty=True)
    floor: str = setting(doc="Id of the floor the point is on.", nonempty=True)
    x: float = setting(doc="Position across the plan, metres.")
    y: float = setting(doc="Position up the plan, metres.")
    landmark: dict[str, str] = setting({}, "Optional landmark at this point, per language, with "
                                       "its article: { nl = \"de informatiebalie\", en = \"the "
                                       "information desk\" }; named in directions.")
    # Optional[...] rather than `float | None`: the schema engine reads typing.Union only.
    facing: Optional[float] = setting(None, "Optional direction (degrees) a visitor faces when they "
                                   "arrive here from another floor, e.g. stepping out of a lift.",
                                   min=0, max=360)


@section
class EdgeSpec:
    between: list[str] = setting(doc="The two node ids it joins: [\"a\", \"b\"]. A one-way edge "
                                 "runs from the first to the second.", check=_two_ids)
    kind: str = setting("walk", "walk, door, ramp, stairs, escalator or lift. Step-free routes never "
                        "use stairs or escalators.", choices=EDGE_KINDS)
    length: float = setting(0.0, "Walking length in metres; 0 = computed from the node positions "
                            "(a lift ride walks 0 m and costs `lift_time_s`).", min=0, max=10000)
    one_way: bool = setting(False, "Walkable only from the first node to the second (escalators, "
                            "exit-only doors).")


@section
class PlaceSpec:
    id: str = setting(doc="Unique id used by `kiosk route`, tickets and the screens, e.g. desk-4.",
                      nonempty=True)
    kind: str = setting(doc="What it is; picks the pictogram and the group on the destination "
                        "screen: " + ", ".join(PLACE_KINDS) + ".", choices=PLACE_KINDS)
    node: str = setting(doc="Id of the graph node where a visitor reaches the place.",
                        nonempty=True)
    name: dict[str, str] = setting({}, "Name per language, e.g. { nl = \"Balie 4\", en = "
                                   "\"Desk 4\" }.", check=_names)
    position: list[float] = setting([], "Optional [x, y] of the place itself (e.g. the desk beside "
                                     "the corridor); default the node's position.",
                                    check=lambda v: None if not v else _pair(v))
    listed: bool = setting(True, "Offer it on the destination screen (false: reachable by id only).")


@section
class HereSpec:
    node: str = setting("", "Graph node where this kiosk stands (\"you are here\"). Required when "
                        "the plan has places.")
    facing: float = setting(0.0, "Direction in degrees the visitor looks while reading the screen "
                            "(0 = up the plan, 90 = right); the map is turned to match.",
                            min=0, max=360)


@section
class WayfindingSection:
    plan_file: str = setting("", "TOML file holding the floor plan (floors, nodes, edges, places at "
                             "its top level) instead of writing them here. Absolute, or relative "
                             "to the working directory.")
    here: HereSpec = setting(HereSpec, "This kiosk's position and facing.")
    walking_speed_mps: float = setting(1.0, "Walking speed for times, metres per second (1.0 is "
                                       "an unhurried pace).", min=0.2, max=3)
    stairs_factor: float = setting(2.0, "A metre on stairs takes this many times as long as a "
                                   "metre on the flat.", min=1, max=10)
    lift_time_s: float = setting(40.0, "Time for one lift ride including the wait, seconds.",
                                 min=0, max=600)
    floor_height_m: float = setting(4.0, "Height between two storeys, metres; used for the length "
                                    "of stairs and escalators.", min=1, max=20)
    floors: list[FloorSpec] = setting([], "The storeys.")
    nodes: list[NodeSpec] = setting([], "Points of the walkable graph.")
    edges: list[EdgeSpec] = setting([], "Walkable connections between two nodes.")
    places: list[PlaceSpec] = setting([], "Destinations a visitor can choose.")
