"""One table, one JSON file (build/bench.json) for every benchmark.

Each figure: value, unit, baseline (measured in the same run, when there is one),
ratio (value / baseline) and target (text such as "ratio <= 1.3" or "<= 150 ms").
Figures from other bench modules already in the file are kept (merged by name).
"""
from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench.json"


class Report:
    def __init__(self, out: Path = OUT):
        self.out = out
        self.rows: dict[str, dict] = {}
        if out.exists():
            try:
                self.rows = json.loads(out.read_text()).get("figures", {})
            except (ValueError, OSError):
                self.rows = {}

    def add(self, name: str, value: float, unit: str, *, baseline: float | None = None,
            target: str = "", met: bool | None = None, note: str = "") -> dict:
        ratio = (value / baseline) if baseline else None
        row = {"value": round(value, 4), "unit": unit,
               "baseline": None if baseline is None else round(baseline, 4),
               "ratio": None if ratio is None else round(ratio, 3),
               "target": target, "met": met, "note": note,
               "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self.rows[name] = row
        print(self.format_row(name, row), flush=True)
        self.save()
        return row

    @staticmethod
    def format_row(name: str, r: dict) -> str:
        base = "" if r["baseline"] is None else f"{r['baseline']:.4g}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        return f"{name:<44} {r['value']:>12.4g} {r['unit']:<8} {base:>10} {ratio:>7} {r['target']:<18} {met}"

    def save(self) -> None:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        doc = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()},
               "figures": self.rows}
        tmp = self.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=2, sort_keys=True))
        os.replace(tmp, self.out)

    def table(self) -> str:
        head = f"{'figure':<44} {'value':>12} {'unit':<8} {'baseline':>10} {'ratio':>7} {'target':<18} met"
        return "\n".join([head, "-" * len(head)] + [self.format_row(n, r) for n, r in sorted(self.rows.items())])


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
