"""What the visitor sees (issue #19): `ui.tap_to_frame_p95` for every visitor path, from the touch
to the end of the first frame that shows the next screen complete, against a bare Kivy screen
switch with as many labels, measured interleaved in the same process (bench/ui_taps.py says
how). Target per path: ratio <= 3 and <= 50 ms. Run twice: on the machine's cores, and pinned to
one core (`..._one_core`, a stand-in for a Raspberry Pi, which has about a quarter of this
machine's single-core speed; no absolute target there, the ratio <= 3 holds).

The times are the Kivy thread's: the software rasterizer's fill of each frame (glFinish, 35-55 ms
for a full 1080x1920 frame on this machine, as long for the bare switch as for the app; a GPU's
work on a Pi) is left out, and given in each line's note as the wall time ("with the fill").
Counted with it, the bare switch alone takes ~50 ms, so the 50 ms bound could not be met by any
screen switch here; the issue's own figure for the bare switch (1-2 ms) is the Kivy thread's.

`ui.tap_to_frame_p95` itself is the slowest path's p95 (and its ratio), so one line says whether
every path is met."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from bench import APPLIANCE_ENV
from bench.report import ROOT

TARGET_RATIO = 3.0
TARGET_MS = 50.0
PATHS = ("smiley_to_reasons", "reasons_to_thanks", "service_to_ticket_printed",
         "service_to_ticket_fallback", "destination_to_route", "language_list", "language_switch",
         "large_text_toggle", "idle_reset")


def _child(one_core: bool) -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", **APPLIANCE_ENV)
    cmd = [sys.executable, str(ROOT / "bench" / "ui_taps.py")]
    if one_core:
        cmd = ["taskset", "-c", str(min(os.sched_getaffinity(0))), *cmd]
        env["LP_NUM_THREADS"] = "1"   # the software renderer's threads on the same core
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if res.returncode != 0:
        raise RuntimeError(f"ui taps bench failed ({'one core' if one_core else 'all cores'}):\n"
                           f"{res.stderr.strip()[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _report(report, data: dict, suffix: str, absolute: bool) -> None:
    paths = data["paths"]
    rows = []
    for name in PATHS:
        p = paths[name]
        base = p["baseline"]["p95"]
        ratio = p["p95"] / base
        met = ratio <= TARGET_RATIO and (p["p95"] <= TARGET_MS or not absolute)
        target = f"ratio <= {TARGET_RATIO:g}" + (f", <= {TARGET_MS:g} ms" if absolute else "")
        report.add(f"ui.tap_to_frame_p95{suffix}.{name}", p["p95"], "ms", baseline=base, target=target,
                   met=met, note=f"p50 {p['p50']:.1f} ms, {p['n']} taps, next screen {p['labels']} labels, "
                                 f"{p['renders']:.1f} label renders a tap; baseline p50 "
                                 f"{p['baseline']['p50']:.1f} ms; with the fill: p95 {p['wall_p95']:.0f} ms, "
                                 f"baseline {p['baseline']['wall_p95']:.0f} ms")
        rows.append((name, p["p95"], ratio, base, met))
    name, p95, _ratio, base, _met = max(rows, key=lambda r: (not r[4], r[2]))  # a missed one first
    all_met = all(r[4] for r in rows)
    report.add(f"ui.tap_to_frame_p95{suffix}", p95, "ms", baseline=base,
               target=f"each path ratio <= {TARGET_RATIO:g}" + (f", <= {TARGET_MS:g} ms" if absolute else ""),
               met=all_met, note=f"the worst of {len(PATHS)} paths: {name}; {data['cpus']} cpu(s)")


def run(report) -> None:
    _report(report, _child(one_core=False), "", absolute=True)
    _report(report, _child(one_core=True), "_one_core", absolute=False)
