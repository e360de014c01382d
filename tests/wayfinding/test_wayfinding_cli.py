"""`kiosk route FROM TO [--step-free] [--lang CODE] [--json]` on the example site."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "config" / "example-floorplan.toml")


def run(capsys, tmp_path, *args, config=EXAMPLE):
    rc = main(["route", "--config", config, "--data-dir", str(tmp_path), *args])
    out, err = capsys.readouterr()
    return rc, out, err


TEXT_CASES = [
    # (id, args, lines that must be printed in this order)
    ("step-free in Dutch", ["here", "desk-5", "--step-free"],
     ["Route van deze zuil naar Balie 5 (Vergunningen)", "(Zonder trappen)",
      "1. Ga rechtdoor en loop ongeveer 5 meter tot aan de informatiebalie.",
      "4. Neem de lift naar de 1e verdieping.", "Totaal ongeveer 60 meter, ongeveer 2 minuten."]),
    ("quickest in English takes the escalator", ["here", "desk-5", "--lang", "en"],
     ["Route from this kiosk to Desk 5 (Permits)", "4. Take the escalator to the 1st floor.",
      "7. Desk 5 (Permits) is on your right.", "In total about 30 metres, less than 1 minute."]),
    ("between two places", ["desk-1", "info", "--lang", "en"],
     ["Route from Desk 1 to Information desk", "1. Walk about 10 metres.",
      "2. Information desk is on your left."]),
]


@pytest.mark.parametrize("args,lines", [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES])
def test_route_text(capsys, tmp_path, args, lines):
    rc, out, err = run(capsys, tmp_path, *args)
    assert rc == 0, err
    printed = out.splitlines()
    positions = [printed.index(line) for line in lines]
    assert positions == sorted(positions)


def test_route_json(capsys, tmp_path):
    rc, out, _ = run(capsys, tmp_path, "here", "toilets-1", "--step-free", "--lang", "en", "--json")
    assert rc == 0
    data = json.loads(out)
    assert data["from"] == "here" and data["to"] == "toilets-1" and data["step_free"] is True
    assert all(set(s) == {"from", "to", "kind", "metres", "text"} for s in data["steps"])
    kinds = [s["kind"] for s in data["steps"]]
    assert "lift" in kinds and "stairs" not in kinds and "escalator" not in kinds
    assert kinds[-1] == "arrive"
    assert data["total"]["metres"] == pytest.approx(sum(s["metres"] for s in data["steps"]), abs=0.2)
    assert data["total"]["text"].startswith("In total about")


ERROR_CASES = [
    # (id, args, config text or None for the example, exit code, words on stderr or stdout)
    ("unknown place", ["here", "desk-77"], None, 2, "no place or node 'desk-77' (did you mean"),
    ("no route (exit-only door)", ["side-exit", "desk-1"], None, 1,
     "Er is geen route naar Balie 1."),
    ("unknown language", ["here", "desk-1", "--lang", "xx"], None, 2, "no catalog for language 'xx'"),
    ("config without a plan", ["here", "desk-1"], "[device]\nrole = \"wayfinding\"\n", 2,
     "has no floor plan"),
    ("bad plan in config", ["here", "desk-1"],
     "[wayfinding.here]\nnode = \"nowhere\"\n", 2, "wayfinding.here.node: unknown node 'nowhere'"),
]


@pytest.mark.parametrize("args,config,code,words", [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
def test_route_errors_are_one_clear_message(capsys, tmp_path, args, config, code, words):
    path = EXAMPLE
    if config is not None:
        path = str(tmp_path / "site.toml")
        Path(path).write_text(config, encoding="utf-8")
    rc, out, err = run(capsys, tmp_path, *args, config=path)
    assert rc == code
    assert words in out + err
    assert "Traceback" not in out + err
