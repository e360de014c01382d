"""Feedback pillar benchmarks (issue 2):
- cold start to first frame of `kiosk run --simulate` vs a bare Kivy window of the same size;
- tap-to-durable-record latency (the answer committed, WAL + synchronous=FULL) vs a bare
  SQLite insert + commit with the same settings, in the same directory.
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.report import ROOT, percentile

RUNS = 5
WARMUP = 100


def _time_to_first_frame(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    try:
        for line in p.stderr:
            if "first frame drawn" in line:
                return time.perf_counter() - t0
        raise RuntimeError(f"{cmd} ended without drawing a frame")
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cold_start(report) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-start-"))
    env = dict(os.environ, SDL_VIDEODRIVER=os.environ.get("SDL_VIDEODRIVER", "offscreen"),
               KIVY_HOME=str(tmp / "kivy"), KIOSK_DATA_DIR=str(tmp / "data"), KIOSK_LOG_LEVEL="INFO",
               KIVY_NO_CONSOLELOG="1")
    env.pop("KIOSK_CONFIG", None)
    # An installed kiosk runs from bytecode compiled at install (pip does it; `make` does it for
    # the checkout); compile here too, so a PYTHONDONTWRITEBYTECODE shell does not time the
    # compiler instead of the start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "kiosk", "screens", "devices"],
                   cwd=ROOT, check=True)
    app_cmd = [sys.executable, "-m", "screens", "run", "--simulate"]
    bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_kivy.py"), "1080", "1920"]
    _time_to_first_frame(app_cmd, env)  # warm the page cache and create the database once
    _time_to_first_frame(bare_cmd, env)
    app, bare = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        bare.append(_time_to_first_frame(bare_cmd, env))
        app.append(_time_to_first_frame(app_cmd, env))
    a, b = statistics.median(app), statistics.median(bare)
    report.add("feedback.cold_start_first_frame", a, "s", baseline=b, target="ratio <= 1.3",
               met=a / b <= 1.3, note=f"median of {RUNS}, 1080x1920 offscreen; baseline bare Kivy window")


def tap_to_durable(report, n: int = 2000) -> None:
    """Rounds interleaved (one app tap, then one bare insert+commit), so a burst of other
    load on the machine lands on both sides alike instead of on one whole series."""
    from kiosk.clock import SystemClock
    from kiosk.feedback.flow import FeedbackFlow, Settings
    from kiosk.feedback.store import FeedbackRecorder, QueuedRecorder
    from kiosk.storage.store import Store, connect
    from kiosk.storage.writer import Writer

    tmp = Path(tempfile.mkdtemp(prefix="bench-tap-"))
    store = Store(tmp / "app")
    writer = Writer()
    done = threading.Event()
    stamps: list[float] = []

    def durable(_a):
        stamps.append(time.perf_counter())
        done.set()

    sink = QueuedRecorder(FeedbackRecorder(store), writer, on_begin_durable=durable)
    flow = FeedbackFlow(Settings(response_interval_s=0, reasons={"positive": ["a"], "neutral": ["a"],
                                                                  "negative": ["a"]}),
                        SystemClock(), sink)
    conn = connect(tmp / "bare.sqlite3")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, answer INTEGER, scale INTEGER, sentiment TEXT, "
                 "language TEXT, source TEXT, answered_at TEXT)")
    app_lat, bare_lat = [], []
    for i in range(-WARMUP, n):  # warm-up rounds first: both sides measured in steady state
        done.clear()
        t0 = time.perf_counter()
        flow.answer(1 + i % 5)
        done.wait(10)
        app = stamps[-1] - t0
        flow.skip()  # the visitor's close: not part of the tap's latency
        writer.flush()
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t VALUES (?, ?, 5, 'positive', 'nl', 'touch', '2026-01-01T00:00:00Z')",
                     (f"id-{i}", i % 5))
        conn.execute("COMMIT")
        bare = time.perf_counter() - t0
        if i >= 0:
            app_lat.append(app)
            bare_lat.append(bare)
    writer.close()
    store.close()
    conn.close()
    for p in (50, 99):
        a, b = percentile(app_lat, p) * 1000, percentile(bare_lat, p) * 1000
        report.add(f"feedback.tap_to_durable_p{p}", a, "ms", baseline=b, target="ratio <= 1.5",
                   met=a / b <= 1.5, note=f"{n} taps interleaved with {n} bare SQLite insert+commit "
                                          "(WAL, FULL) in the same directory")


def run(report) -> None:
    tap_to_durable(report)
    cold_start(report)
