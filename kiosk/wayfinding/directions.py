"""Step-by-step directions in plain language (B1) from a route.

Turns come from the geometry: the angle between the way the visitor walks (or, at the
kiosk, the way they face) and the next stretch. Straight stretches are merged into one
step; landmarks on the way are named; lifts, stairs and escalators become one step
"to the <floor>". Distances are rounded the way people say them ("about 20 metres").
Every word comes from the `wayfinding` catalog.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from kiosk.i18n import Translator
from kiosk.wayfinding.plan import VERTICAL_KINDS, Edge, Node, Plan
from kiosk.wayfinding.routing import Route, Router, router_for

STRAIGHT_DEG = 35   # within this of the walking direction counts as straight on
BACK_DEG = 150      # beyond this is turning round
_tr = Translator()


class UnknownPlace(ValueError):
    """A FROM/TO that is no place or node id; the message lists what exists."""


@dataclass(frozen=True)
class Step:
    start: str          # node id
    end: str            # node id
    kind: str           # walk, door, ramp, stairs, escalator, lift, arrive
    metres: float
    text: str
    floor: str          # floor id where the step starts
    nodes: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"from": self.start, "to": self.end, "kind": self.kind,
                "metres": round(self.metres, 1), "text": self.text}


@dataclass(frozen=True)
class Directions:
    route: Route
    steps: tuple[Step, ...]
    total_text: str
    lang: str
    start: str   # as asked (place id, node id or 'here')
    goal: str

    @property
    def lines(self) -> list[str]:
        return [s.text for s in self.steps] + [self.total_text]

    def as_dict(self) -> dict:
        return {"from": self.start, "to": self.goal, "lang": self.lang,
                "step_free": self.route.step_free,
                "steps": [s.as_dict() for s in self.steps],
                "total": {"metres": round(self.route.metres, 1),
                          "seconds": round(self.route.seconds), "text": self.total_text}}


# -- geometry ------------------------------------------------------------------
def heading(a: Node, b: Node) -> float | None:
    """Compass direction from a to b in degrees (0 = up the plan), None if they coincide."""
    dx, dy = b.x - a.x, b.y - a.y
    if abs(dx) < 1e-9 and abs(dy) < 1e-9:
        return None
    return math.degrees(math.atan2(dx, dy)) % 360


def turn(before: float | None, after: float | None) -> str | None:
    """'straight', 'left', 'right' or 'back' for a change of heading; None if unknown."""
    if before is None or after is None:
        return None
    d = (after - before + 540) % 360 - 180  # -180..180, positive = clockwise = to the right
    if abs(d) <= STRAIGHT_DEG:
        return "straight"
    if abs(d) >= BACK_DEG:
        return "back"
    return "right" if d > 0 else "left"


def spoken_metres(m: float) -> int | None:
    """Metres as people say them: None for 'a few metres', else rounded to 5/10/50/100."""
    if m < 5:
        return None
    step = 5 if m < 30 else 10 if m < 100 else 50 if m < 500 else 100
    return max(step, int(m / step + 0.5) * step)


def distance_text(m: float, lang: str) -> str:
    said = spoken_metres(m)
    if said is None:
        return _tr("wayfinding.distance.few", lang)
    return _tr.ngettext("wayfinding.distance.about", said, lang, m=said)


def time_text(seconds: float, lang: str) -> str:
    if seconds < 60:
        return _tr("wayfinding.time.under_minute", lang)
    n = int(seconds / 60 + 0.5)
    if n == 1:
        return _tr("wayfinding.time.one_minute", lang)
    return _tr.ngettext("wayfinding.time.minutes", n, lang, n=n)


def join_names(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_tr('wayfinding.and', lang)} {names[-1]}"


# -- legs: runs of edges that make one step ----------------------------------------
def _legs(plan: Plan, edges: tuple[Edge, ...]) -> list[list[Edge]]:
    legs: list[list[Edge]] = []
    nodes = plan.nodes
    for e in edges:
        last = legs[-1] if legs else None
        if last and last[-1].kind == e.kind:
            if e.kind in VERTICAL_KINDS or e.kind == "ramp":
                last.append(e)
                continue
            if e.kind == "walk":
                before = _last_heading(plan, last)
                if turn(before, heading(nodes[e.a], nodes[e.b])) in ("straight", None):
                    last.append(e)
                    continue
        legs.append([e])
    return legs


def _last_heading(plan: Plan, leg: list[Edge]) -> float | None:
    for e in reversed(leg):
        h = heading(plan.nodes[e.a], plan.nodes[e.b])
        if h is not None:
            return h
    return None


def _first_heading(plan: Plan, leg: list[Edge]) -> float | None:
    for e in leg:
        h = heading(plan.nodes[e.a], plan.nodes[e.b])
        if h is not None:
            return h
    return None


def _turn_phrase(way: str | None, landmark: str, lang: str) -> str:
    if way is None:
        return ""
    if landmark:
        return _tr(f"wayfinding.turn.{way}_at", lang, landmark=landmark)
    return _tr(f"wayfinding.turn.{way}", lang)


def _leg_text(plan: Plan, leg: list[Edge], way: str | None, at_start: bool, is_last: bool,
              lang: str) -> str:
    kind = leg[0].kind
    first, end = plan.nodes[leg[0].a], plan.nodes[leg[-1].b]
    if kind in VERTICAL_KINDS:
        if plan.nodes[leg[0].a].floor == end.floor:
            return _tr(f"wayfinding.{kind}.same_floor", lang)
        return _tr(f"wayfinding.{kind}.to_floor", lang, floor=plan.floors[end.floor].name(lang))
    landmark_here = "" if at_start else first.landmark(lang)
    tphrase = _turn_phrase(way, landmark_here, lang)
    metres = sum(e.metres for e in leg)
    dist = distance_text(metres, lang)
    target = "" if is_last else end.landmark(lang)
    suffix = "_to" if target else ""
    if kind == "door":  # "go straight on and go through the door" says nothing extra
        turns = tphrase and (way != "straight" or landmark_here)
        return _tr("wayfinding.door.turn" if turns else "wayfinding.door.plain", lang, turn=tphrase)
    msg = "wayfinding.ramp" if kind == "ramp" else "wayfinding.walk"
    text = _tr(f"{msg}{'.turn' if tphrase else '.plain'}{suffix}", lang, turn=tphrase,
               distance=dist, landmark=target)
    passed = [plan.nodes[e.b].landmark(lang) for e in leg[:-1]]
    passed = [p for p in passed if p]
    if passed:
        text += " " + _tr("wayfinding.passing", lang, landmarks=join_names(passed, lang))
    return text


def _arrival(plan: Plan, goal_node: str, place_id: str | None, heading_now: float | None,
             lang: str) -> str:
    if place_id is None:
        return _tr("wayfinding.arrive.node", lang)
    place = plan.places[place_id]
    node = plan.nodes[goal_node]
    name = place.name(lang)
    side = turn(heading_now, heading(node, Node("", node.floor, place.x, place.y)))
    if math.hypot(place.x - node.x, place.y - node.y) < 0.5 or side is None:
        return _tr("wayfinding.arrive", lang, place=name)
    return _tr(f"wayfinding.arrive.{side}", lang, place=name)


# -- public API --------------------------------------------------------------------
def resolve(plan: Plan, ref: str) -> str:
    node = plan.resolve(ref)
    if node is None:
        known = sorted(plan.places) or sorted(plan.nodes)
        close = difflib.get_close_matches(ref, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        shown = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise UnknownPlace(f"no place or node {ref!r}{hint}; places: {shown or '(none)'}")
    return node


def get_directions(plan: Plan, start: str, goal: str, lang: str = "nl", step_free: bool = False,
                   router: Router | None = None) -> Directions | None:
    """Directions from `start` to `goal` (place id, node id or 'here'); None if no route."""
    src, dst = resolve(plan, start), resolve(plan, goal)
    router = router or router_for(plan)
    route = router.route(src, dst, step_free)
    if route is None:
        return None
    place_id = goal if goal in plan.places else None
    facing = plan.here_facing if src == plan.here_node else None
    current = facing
    steps: list[Step] = []
    legs = _legs(plan, route.edges)
    for i, leg in enumerate(legs):
        first = leg[0]
        if first.kind in VERTICAL_KINDS:
            way = None
        else:
            way = turn(current, _first_heading(plan, leg))
        text = _leg_text(plan, leg, way, i == 0, i == len(legs) - 1, lang)
        metres = 0.0 if first.kind == "lift" else sum(e.metres for e in leg)
        nodes = (first.a, *(e.b for e in leg))
        steps.append(Step(first.a, leg[-1].b, first.kind, metres, text,
                          plan.nodes[first.a].floor, nodes))
        if first.kind in VERTICAL_KINDS and plan.nodes[first.a].floor != plan.nodes[leg[-1].b].floor:
            current = plan.nodes[leg[-1].b].facing
        else:
            last = _last_heading(plan, leg)
            current = current if last is None else last
    if route.edges:
        steps.append(Step(dst, dst, "arrive", 0.0, _arrival(plan, dst, place_id, current, lang),
                          plan.nodes[dst].floor, (dst,)))
        total = _tr("wayfinding.total", lang, distance=distance_text(route.metres, lang),
                    time=time_text(route.seconds, lang))
    else:
        total = _tr("wayfinding.already_there", lang)
    return Directions(route, tuple(steps), total, lang, start, goal)


def no_route_text(plan: Plan, goal: str, lang: str, step_free: bool) -> str:
    place = plan.places.get(goal)
    name = place.name(lang) if place else goal
    return _tr("wayfinding.no_route.step_free" if step_free else "wayfinding.no_route", lang,
               place=name)


def short_directions(plan: Plan, from_id: str, to_id: str, lang: str = "nl",
                     step_free: bool = False) -> str:
    """The directions as plain lines for a printed ticket (one step a line, then the total).

    Raises UnknownPlace for an id the plan does not have.
    """
    d = get_directions(plan, from_id, to_id, lang, step_free)
    if d is None:
        return no_route_text(plan, to_id, lang, step_free)
    return "\n".join(d.lines)


def decisive_steps(plan: Plan, d: Directions, limit: int = 3) -> list[str]:
    """The few steps that decide the way, for a printed ticket (the whole route is on the
    screen and the phone): each change of floor, the last landmark after it (or the first
    step when there is none) and the arrival, which names the side; at most `limit`."""
    steps = [s for s in d.steps if s.kind != "arrive"]
    arrive = [s for s in d.steps if s.kind == "arrive"]
    floors = [s for s in steps
              if s.kind in VERTICAL_KINDS and plan.nodes[s.start].floor != plan.nodes[s.end].floor]
    after = steps[steps.index(floors[-1]) + 1:] if floors else steps
    marked = [s for s in after if any(plan.nodes[n].landmark(d.lang) for n in s.nodes[1:])]
    keep = floors[-(limit - 1):] if limit > 1 else []
    if len(keep) < limit - len(arrive):
        extra = marked[-1:] or (steps[:1] if not floors else [])
        keep += [s for s in extra if s not in keep]
    chosen = [s for s in d.steps if s in keep or s in arrive]
    return [s.text for s in chosen][:limit]
