"""Wayfinding: route computation on a generated 5-floor, 2,000-node building (target p95
<= 5 ms), the full directions text, building the router once, and the map screen's first
draw (measured in a child process so Kivy starts headless and fresh).
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench import APPLIANCE_ENV
from bench.report import ROOT, percentile

QUERIES = 400
MAP_RUNS = 5   # a first draw happens once per process: several processes, the median
PASSES = 3


def run(report) -> None:
    from kiosk.wayfinding.compact import generated_plan
    from kiosk.wayfinding.directions import get_directions
    from kiosk.wayfinding.routing import Router

    plan = generated_plan(floors=5, nodes=2000)
    t0 = time.perf_counter()
    router = Router(plan)
    index_ms = (time.perf_counter() - t0) * 1000
    router.prepare()  # landmark bounds; else done by the first route on a plan this big
    build_ms = (time.perf_counter() - t0) * 1000
    report.add("wayfinding.router_build", build_ms, "ms", target="<= 1000 ms", met=build_ms <= 1000,
               note=f"once per start: {len(plan.nodes)} nodes, {len(plan.edges)} edges, 5 floors; "
                    f"indexing {index_ms:.0f} ms, the rest landmark bounds")

    rng = random.Random(4)
    ids = list(plan.nodes)
    pairs = [(rng.choice(ids), rng.choice(ids), i % 2 == 1) for i in range(QUERIES)]
    plain = Router(plan, bounds=False)  # baseline: Dijkstra stopping at the goal
    passes = []
    for _ in range(PASSES):  # best of a few passes: other processes on the machine add noise
        times, base, found = [], [], 0
        for a, b, step_free in pairs:  # interleaved, so machine load hits both alike
            t0 = time.perf_counter()
            route = router.route(a, b, step_free)
            times.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            plain.route(a, b, step_free)
            base.append((time.perf_counter() - t0) * 1000)
            found += route is not None
        passes.append((percentile(times, 95), percentile(base, 95), percentile(times, 50), found))
    p95, base95, p50, found = min(passes)
    report.add("wayfinding.route_p95", p95, "ms", baseline=base95, target="<= 5 ms", met=p95 <= 5,
               note=f"{QUERIES} random pairs, half step-free, {found} found; p50 {p50:.2f} ms; "
                    f"best of {PASSES} passes (p95 of each: "
                    f"{', '.join(f'{p[0]:.2f}' for p in passes)} ms); baseline: plain Dijkstra "
                    f"on the same pairs; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    t0 = time.perf_counter()
    router.warm(plan.here_node)
    warm_ms = (time.perf_counter() - t0) * 1000
    times = []
    for _, b, step_free in pairs:
        t0 = time.perf_counter()
        router.route(plan.here_node, b, step_free)
        times.append((time.perf_counter() - t0) * 1000)
    p95 = percentile(times, 95)
    report.add("wayfinding.route_from_kiosk_p95", p95, "ms", target="<= 5 ms", met=p95 <= 5,
               note=f"after Router.warm(kiosk) at start ({warm_ms:.1f} ms, both modes)")

    places = list(plan.places)
    text_times = []
    for i in range(QUERIES // 4):
        goal = places[i % len(places)]
        t0 = time.perf_counter()
        get_directions(plan, "here", goal, "nl" if i % 2 else "en", i % 3 == 0, router)
        text_times.append((time.perf_counter() - t0) * 1000)
    p95 = percentile(text_times, 95)
    report.add("wayfinding.directions_p95", p95, "ms", target="<= 10 ms", met=p95 <= 10,
               note="route from the kiosk + B1 step texts")

    runs = [_map_first_draw() for _ in range(MAP_RUNS)]
    if runs[0] is not None:
        runs.sort(key=lambda r: r["ms"] / r["steady_ms"])
        mid = runs[len(runs) // 2]   # the run with the median ratio
        ratio = mid["ms"] / mid["steady_ms"]
        ratios = ", ".join(f"{r['ms'] / r['steady_ms']:.2f}" for r in runs)
        report.add("wayfinding.map_first_draw", mid["ms"], "ms", baseline=mid["steady_ms"],
                   target="ratio <= 1.5", met=ratio <= 1.5,
                   note=mid["note"] + f"; baseline: redrawing the same screen unchanged in the same "
                        f"process; median ratio of {MAP_RUNS} fresh processes "
                        f"({ratios})")


def _map_first_draw() -> dict | None:
    """Run the map widget once headless in a child process; None if the screen is absent."""
    script = ROOT / "bench" / "wayfinding_map_draw.py"
    if not script.exists():
        return None
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_NO_CONSOLELOG="1",
               KIVY_NO_FILELOG="1", KIVY_HOME=str(ROOT / "build" / "kivy-home"), **APPLIANCE_ENV)
    Path(env["KIVY_HOME"]).mkdir(parents=True, exist_ok=True)
    res = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    if res.returncode != 0:
        raise RuntimeError(f"map draw bench failed: {res.stderr.strip()[-400:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])
