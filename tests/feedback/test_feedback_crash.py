"""SIGKILL at random moments while recording a burst of answers: after restart every
answer that was acknowledged is in the store exactly once, and seq has no duplicates."""
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from kiosk.feedback.store import FeedbackRecorder
from kiosk.storage.store import Store

WORKER = Path(__file__).with_name("crash_worker.py")


def run_and_kill(data_dir, seconds):
    """Start the worker, read ACK lines for `seconds`, then SIGKILL it."""
    p = subprocess.Popen([sys.executable, str(WORKER), str(data_dir)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    os.set_blocking(p.stdout.fileno(), False)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    buf = b""
    started = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for _key, _ in sel.select(timeout=0.01):
            chunk = p.stdout.read()
            if chunk:
                buf += chunk
        if started is None and b"RECOVERED" in buf:
            started = time.monotonic()
        if started is not None and time.monotonic() - started >= seconds:
            break
    p.send_signal(signal.SIGKILL)
    p.wait()
    rest = p.stdout.read() or b""
    buf += rest
    lines = buf.split(b"\n")
    complete = lines[:-1]  # a last line without newline may be cut mid-write
    acks = [ln.split()[1].decode() for ln in complete if ln.startswith(b"ACK ")]
    recovered = [int(ln.split()[1]) for ln in complete if ln.startswith(b"RECOVERED ")]
    assert p.returncode == -signal.SIGKILL
    assert started is not None, p.stderr.read().decode()[-2000:]
    return acks, recovered


def test_sigkill_loses_nothing_and_counts_nothing_twice(tmp_path):
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    acked = []
    for _ in range(8):
        acks, _ = run_and_kill(tmp_path, rnd.uniform(0.05, 0.6))
        acked.extend(acks)
    assert len(acked) > 50, "the worker recorded too little to test anything"
    store = Store(tmp_path)
    FeedbackRecorder(store).recover()
    events = store.outbox_events("feedback.given")
    ids = Counter(e.id for e in events)
    assert all(n == 1 for n in ids.values()), "an answer was counted twice"
    missing = [a for a in acked if a not in ids]
    assert not missing, f"{len(missing)} acknowledged answers were lost"
    assert len(set(acked)) == len(acked)
    seqs = [r["seq"] for r in store.query("SELECT seq FROM outbox")]
    assert len(seqs) == len(set(seqs))
    open_rows = store.query("SELECT COUNT(*) AS n FROM feedback WHERE state='open'")[0]["n"]
    assert open_rows == 0
    closed = store.query("SELECT COUNT(*) AS n FROM feedback WHERE state='closed'")[0]["n"]
    assert closed == len(events)
    store.close()
