"""Bad floor plans in config: each gets one clear `file:line: dotted.key: reason` line."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import check_file, load
from kiosk.wayfinding import checks, plan_from_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "example-floorplan.toml"

FLOORS = '''
[[wayfinding.floors]]
id = "0"
level = 0
name = { nl = "begane grond", en = "ground floor" }

[[wayfinding.floors]]
id = "1"
level = 1
name = { nl = "1e verdieping", en = "1st floor" }
'''
NODES = [("a", "0", 0, 0), ("b", "0", 10, 0), ("c", "0", 10, 10), ("l0", "0", 0, 10),
         ("l1", "1", 0, 10), ("d", "1", 5, 10)]
EDGES = [("a", "b", "walk"), ("b", "c", "walk"), ("a", "l0", "walk"), ("l0", "l1", "lift"),
         ("l1", "d", "walk")]
PLACES = [("desk-1", "desk", "c"), ("desk-2", "desk", "d"), ("lift", "lift", "l0")]


def toml_plan(nodes=NODES, edges=EDGES, places=PLACES, here="a", floors=FLOORS, extra="") -> str:
    out = [f'[wayfinding.here]\nnode = "{here}"\nfacing = 90\n' if here is not None else "", floors]
    for n in nodes:
        out.append(f'[[wayfinding.nodes]]\nid = "{n[0]}"\nfloor = "{n[1]}"\nx = {n[2]}\ny = {n[3]}\n')
    for e in edges:
        one_way = "\none_way = true" if len(e) > 3 and e[3] else ""
        out.append(f'[[wayfinding.edges]]\nbetween = ["{e[0]}", "{e[1]}"]\nkind = "{e[2]}"{one_way}\n')
    for p in places:
        out.append(f'[[wayfinding.places]]\nid = "{p[0]}"\nkind = "{p[1]}"\nnode = "{p[2]}"\n'
                   f'name = {{ nl = "{p[0]}", en = "{p[0]}" }}\n')
    out.append(extra)
    return "\n".join(out)


def problems_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return [p.render() for p in check_file(str(path))]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


def test_the_small_base_plan_is_valid(tmp_path):
    assert problems_of(tmp_path, toml_plan()) == []


BAD = [
    # (id, toml text, dotted key, words in the reason)
    ("duplicate node", toml_plan(nodes=NODES + [("b", "1", 1, 1)]),
     "wayfinding.nodes[6].id", "duplicate node id 'b'"),
    ("edge to unknown node", toml_plan(edges=EDGES + [("c", "zz", "walk")]),
     "wayfinding.edges[5].between", "unknown node 'zz'"),
    ("node on unknown floor", toml_plan(nodes=NODES + [("e", "9", 0, 0)]),
     "wayfinding.nodes[6].floor", "unknown floor '9'"),
    ("duplicate place", toml_plan(places=PLACES + [("desk-1", "toilet", "b")]),
     "wayfinding.places[3].id", "duplicate place id 'desk-1'"),
    ("place at unknown node", toml_plan(places=PLACES + [("wc", "toilet", "nowhere")]),
     "wayfinding.places[3].node", "unknown node 'nowhere'"),
    ("place cut off from the kiosk", toml_plan(edges=[e for e in EDGES if e[:2] != ("b", "c")]),
     "wayfinding.places[0].node", "cannot be reached from the kiosk"),
    ("one-way the wrong way", toml_plan(edges=[("b", "a", "walk", True)] + EDGES[1:]),
     "wayfinding.places[0].node", "one-way the wrong way"),
    ("lift edge on one floor", toml_plan(edges=EDGES + [("a", "c", "lift")]),
     "wayfinding.edges[5].kind", "a lift joins two floors"),
    ("lift place that connects no floors", toml_plan(places=PLACES + [("lift-2", "lift", "b")]),
     "wayfinding.places[3].node", "connects no floors"),
    ("kiosk at unknown node", toml_plan(here="zz"), "wayfinding.here.node", "unknown node 'zz'"),
    ("kiosk position missing", toml_plan(here=None, extra="[wayfinding]\nlift_time_s = 30\n"),
     "wayfinding.here.node", "is required"),
    ("duplicate floor id", toml_plan(floors=FLOORS + '[[wayfinding.floors]]\nid = "0"\nlevel = 5\n'),
     "wayfinding.floors[2].id", "duplicate floor id '0'"),
    ("two floors on one level", toml_plan(floors=FLOORS + '[[wayfinding.floors]]\nid = "x"\nlevel = 1\n'),
     "wayfinding.floors[2].level", "level 1 is also floor '1'"),
    ("unknown edge kind", toml_plan(edges=EDGES + [("a", "c", "slide")]),
     "wayfinding.edges[5].kind", "'slide' is not one of: walk, door, ramp, stairs, escalator, lift"),
    ("node without a position (no crash in the later checks)",
     toml_plan(extra='[[wayfinding.nodes]]\nid = "z"\nfloor = "0"\ny = 1\n'),
     "wayfinding.nodes[6].x", "is required"),
    ("misspelt key", toml_plan(extra='[wayfinding]\nwalking_sped_mps = 1.2\n'),
     "wayfinding.walking_sped_mps", "did you mean 'walking_speed_mps'"),
]


@pytest.mark.parametrize("text,key,reason", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_plan_is_reported_with_key_and_reason(tmp_path, text, key, reason):
    lines = problems_of(tmp_path, text)
    hits = [line for line in lines if f": {key}: " in line and reason in line]
    assert hits, lines
    assert all(line.startswith(str(tmp_path / "site.toml")) for line in lines)


def test_problem_names_the_line_of_the_bad_entry(tmp_path):
    text = toml_plan(places=PLACES + [("desk-1", "toilet", "b")])
    (line,) = [p for p in problems_of(tmp_path, text) if "duplicate place" in p]
    want = line_of(text, 'id = "desk-1"', nth=2)  # the second place called desk-1
    assert line.startswith(f"{tmp_path / 'site.toml'}:{want}: wayfinding.places[3].id: ")


def test_step_free_gap_is_a_warning_not_an_error(tmp_path, caplog):
    edges = [("a", "b", "walk"), ("b", "c", "walk"), ("a", "l0", "walk"), ("l0", "l1", "stairs"),
             ("l1", "d", "walk")]
    text = toml_plan(edges=edges, places=PLACES[:2])
    with caplog.at_level(logging.WARNING, logger="kiosk.wayfinding"):
        assert problems_of(tmp_path, text) == []
    assert [w.path for w in checks.LAST_WARNINGS] == ["wayfinding.places[1].node"]
    assert "without stairs or escalators" in checks.LAST_WARNINGS[0].reason
    assert any("desk-2" in r.getMessage() and "warning" in r.getMessage() for r in caplog.records)


def test_config_check_prints_the_warning_and_exits_0(tmp_path):
    edges = [("a", "b", "walk"), ("b", "c", "walk"), ("a", "l0", "walk"), ("l0", "l1", "stairs"),
             ("l1", "d", "walk")]
    path = tmp_path / "site.toml"
    path.write_text(toml_plan(edges=edges, places=PLACES[:2]), encoding="utf-8")
    res = subprocess.run([sys.executable, "-c", "import sys; from kiosk.cli import main; "
                          "sys.exit(main(sys.argv[1:]))", "config", "check", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "wayfinding.places[1].node" in res.stderr and "without stairs" in res.stderr


def test_example_site_is_valid_and_complete():
    assert check_file(str(EXAMPLE)) == []
    assert checks.LAST_WARNINGS == []
    cfg, _ = load(str(EXAMPLE))
    plan = plan_from_config(cfg)
    assert len(plan.floors) >= 2
    kinds = {p.kind for p in plan.places.values()}
    assert {"desk", "toilet", "accessible_toilet", "lift", "stairs", "exit"} <= kinds
    assert sum(p.kind == "desk" for p in plan.places.values()) >= 3
    assert {e.kind for e in plan.edges} >= {"lift", "stairs"}
    assert plan.here_node in plan.nodes


def test_plan_in_a_separate_file(tmp_path):
    body = toml_plan(here=None).replace("wayfinding.", "")
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(body, encoding="utf-8")
    site = tmp_path / "site.toml"
    site.write_text(f'[wayfinding]\nplan_file = {json.dumps(str(plan_path))}\n'
                    '[wayfinding.here]\nnode = "a"\n', encoding="utf-8")
    assert check_file(str(site)) == []
    plan = plan_from_config(load(str(site))[0])
    assert set(plan.places) == {"desk-1", "desk-2", "lift"}


PLAN_FILE_BAD = [
    ("missing file", None, "file not found"),
    ("bad TOML", "nodes = [", "not valid TOML"),
    ("unknown node in plan file", toml_plan(here=None, edges=EDGES + [("a", "qq", "walk")])
     .replace("wayfinding.", ""), "edges[5].between: unknown node 'qq'"),
    ("bad value in plan file", toml_plan(here=None).replace("wayfinding.", "")
     .replace('kind = "desk"', 'kind = "dsk"', 1), "places[0].kind: 'dsk' is not one of"),
    ("stray key in plan file", "here = 1\n" + toml_plan(here=None).replace("wayfinding.", ""),
     "here: unknown key"),
    ("unreachable place in plan file",
     toml_plan(here=None, edges=[e for e in EDGES if e[:2] != ("b", "c")]).replace("wayfinding.", ""),
     "places[0].node: place 'desk-1' (node 'c') cannot be reached from the kiosk"),
]


@pytest.mark.parametrize("body,reason", [b[1:] for b in PLAN_FILE_BAD],
                         ids=[b[0] for b in PLAN_FILE_BAD])
def test_problems_in_the_plan_file_name_it(tmp_path, body, reason):
    plan_path = tmp_path / "plan.toml"
    if body is not None:
        plan_path.write_text(body, encoding="utf-8")
    site = tmp_path / "site.toml"
    site.write_text(f'[wayfinding]\nplan_file = {json.dumps(str(plan_path))}\n'
                    '[wayfinding.here]\nnode = "a"\n', encoding="utf-8")
    lines = [p.render() for p in check_file(str(site))]
    assert any(f"{site}:2: wayfinding.plan_file: " in line and str(plan_path) in line
               and reason in line for line in lines), lines


SERVICE = '''
[[services]]
id = "passport"
prefix = "A"
names = {{ nl = "Paspoort", en = "Passport" }}
place = "{place}"
'''


@pytest.mark.parametrize("place,expected", [
    ("desk-2", []),
    ("", []),
    ("desk-9", ["services[0].place: no place 'desk-9' in the floor plan (did you mean 'desk-2'?)"]),
])
def test_ticket_service_places_must_be_in_the_plan(tmp_path, place, expected):
    lines = problems_of(tmp_path, toml_plan() + SERVICE.format(place=place))
    assert [line.split(": ", 1)[1] for line in lines] == expected
