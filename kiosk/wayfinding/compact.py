"""Plans written compactly in Python: for tests, the benchmark and demos.

`compact_plan(nodes, edges, places, here=...)` takes tuples instead of TOML tables and
goes through the same schema and `build_plan` as a config file, so what it builds is
what a site would get. `generated_plan(...)` makes a large regular building.
"""
from __future__ import annotations

from common.schema import build
from kiosk.wayfinding.plan import Plan, build_plan
from kiosk.wayfinding.settings import WayfindingSection

GROUND = {"nl": "begane grond", "en": "ground floor"}


def floor_name(level: int) -> dict[str, str]:
    if level == 0:
        return dict(GROUND)
    suffix = "th" if 10 <= level % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(level % 10, "th")
    return {"nl": f"{level}e verdieping", "en": f"{level}{suffix} floor"}


def section_data(nodes, edges, places=(), here=None, facing=0.0,
                 floors=(("0", 0), ("1", 1)), **settings) -> dict:
    """A [wayfinding] table. nodes: (id, floor, x, y[, extra]); edges: (a, b[, kind[, one_way]]);
    places: (id, kind, node[, extra]); floors: (id, level)."""
    data = {
        "floors": [{"id": fid, "level": lvl, "name": floor_name(lvl)} for fid, lvl in floors],
        "nodes": [{"id": n[0], "floor": n[1], "x": n[2], "y": n[3], **(n[4] if len(n) > 4 else {})}
                  for n in nodes],
        "edges": [{"between": [e[0], e[1]], "kind": e[2] if len(e) > 2 else "walk",
                   "one_way": bool(e[3]) if len(e) > 3 else False} for e in edges],
        "places": [{"id": p[0], "kind": p[1], "node": p[2],
                    "name": {"nl": p[0].capitalize(), "en": p[0].capitalize()},
                    **(p[3] if len(p) > 3 else {})} for p in places],
        **settings,
    }
    if here:
        data["here"] = {"node": here, "facing": facing}
    return data


class PlanDataError(ValueError):
    pass


def compact_plan(*args, **kwargs) -> Plan:
    """A Plan from tuples; raises PlanDataError listing the problems of a bad one."""
    section, problems = build(WayfindingSection, section_data(*args, **kwargs))
    if not problems:
        plan, problems = build_plan(section)
    if problems:
        raise PlanDataError("; ".join(p.render() for p in problems))
    return plan


def generated_plan(floors: int = 5, nodes: int = 2000, spacing: float = 3.0) -> Plan:
    """A building of `floors` storeys with about `nodes` nodes in all: a square corridor
    grid per floor, stairs at one corner, lifts at two others, desks spread about."""
    per = max(4, nodes // floors)
    side = max(2, int(per ** 0.5))
    ns, es, ps = [], [], []
    for f in range(floors):
        for i in range(side):
            for j in range(side):
                ns.append((f"f{f}-{i}-{j}", str(f), i * spacing, j * spacing))
                if i:
                    es.append((f"f{f}-{i - 1}-{j}", f"f{f}-{i}-{j}"))
                if j:
                    es.append((f"f{f}-{i}-{j - 1}", f"f{f}-{i}-{j}"))
        if f:
            last = side - 1
            es.append((f"f{f - 1}-0-0", f"f{f}-0-0", "stairs"))
            es.append((f"f{f - 1}-{last}-0", f"f{f}-{last}-0", "lift"))
            es.append((f"f{f - 1}-0-{last}", f"f{f}-0-{last}", "lift"))
        for k in range(4):
            ps.append((f"desk-{f}-{k}", "desk", f"f{f}-{(k * 7 + 3) % side}-{(k * 11 + 5) % side}"))
    return compact_plan(ns, es, ps, here="f0-0-0",
                        floors=tuple((str(f), f) for f in range(floors)))
