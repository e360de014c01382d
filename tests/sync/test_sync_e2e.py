"""End to end: kiosk Store -> sync worker -> (fault proxy) -> real kiosk-central process.
Events from feedback answers and tickets arrive exactly once, whatever the network does."""
from __future__ import annotations

import random
import uuid

import sqlalchemy as sa

from central.db import devices
from central_kit import CentralProcess, free_port, ticket_payload, wait_for
from fault_proxy import FaultProxy
from kiosk.clock import FakeClock
from kiosk.feedback.flow import Answer
from kiosk.feedback.store import FeedbackRecorder
from kiosk.storage.store import Store
from kiosk.sync.worker import SyncState, SyncWorker, drain
from kiosk.sync.settings import SyncSection
from kiosk.sync.transport import Transport

FAST = dict(interval_s=0.1, jitter_s=0.05, backoff_base_s=0.05, backoff_cap_s=0.4, connect_timeout_s=0.5,
            read_timeout_s=1.0, heartbeat_interval_s=0)


def cfg(url: str, token: str, **over) -> SyncSection:
    return SyncSection(url=url, token=token, **{**FAST, **over})


def answer_feedback(store: Store, n: int, rng: random.Random) -> None:
    """What the feedback screen does: open the answer on the tap, close it with reasons."""
    rec = FeedbackRecorder(store)
    for _ in range(n):
        a = Answer(str(uuid.uuid4()), rng.randint(1, 5), 5, "nl", 0.0, reasons=["clarity"])
        rec.begin(a)
        rec.finish(a, rng.choice(["done", "skip", "timeout"]), rng.randint(500, 9000))


def issue_tickets(store: Store, n: int) -> None:
    for i in range(1, n + 1):
        store.record_event("ticket.issued", ticket_payload("passport", i))
        store.record_event("ticket.printed", {"service": "passport", "number": i})


def test_feedback_and_tickets_arrive_exactly_once_with_heartbeats(central, tmp_path):
    dev, token = central.new_device()
    store = Store(tmp_path, device_id=dev)
    w = SyncWorker(store, cfg(central.url, token, heartbeat_interval_s=0.3), printer_state=lambda: "online")
    w.start()
    try:
        rng = random.Random(1)
        for _ in range(5):
            answer_feedback(store, 6, rng)
            issue_tickets(store, 4)
            w.wake()
        wait_for(lambda: store.outbox_stats()["pending"] == 0 and
                 len(store.outbox_events("heartbeat")) >= 2, what="outbox drained with heartbeats")
    finally:
        w.stop()
    wait_for(lambda: store.outbox_stats()["pending"] == 0, 5, "last heartbeat sent")
    if store.outbox_stats()["pending"]:
        drain(store, Transport(central.url, token))
    central.assert_exactly_once(store, dev)
    assert len(store.outbox_events("feedback.given")) == 30
    assert len(store.outbox_events("ticket.issued")) == 20
    with central.engine.connect() as c:
        hb = c.execute(sa.select(devices.c.heartbeat).where(devices.c.id == dev)).scalar_one()
    assert hb["printer_state"] == "online" and hb["app_version"] and "outbox_pending" in hb
    assert w.status.state in (SyncState.IDLE, SyncState.SENDING)
    store.close()


def test_central_down_for_a_while_then_up(tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    port = free_port()
    from central import auth
    from central.db import make_engine, upgrade
    eng = make_engine(db)
    upgrade(eng)
    token = auth.add_device(eng, "pillar-down")
    store = Store(tmp_path / "kiosk", device_id="pillar-down")
    w = SyncWorker(store, cfg(f"http://127.0.0.1:{port}", token))
    w.start()
    proc = CentralProcess(db, port=port, log_path=tmp_path / "central.log")
    try:
        answer_feedback(store, 40, random.Random(2))
        w.wake()
        # the state is read between two tries (with this config's short back-off the worker is
        # often in the middle of the next one, SENDING, when the third failure is counted)
        wait_for(lambda: w.status.consecutive_failures >= 3 and w.status.state is SyncState.BACKING_OFF,
                 what="failed attempts while central is down")
        assert "cannot reach" in w.status.message
        assert store.outbox_stats()["pending"] == 40
        proc.start()
        issue_tickets(store, 10)
        wait_for(lambda: store.outbox_stats()["pending"] == 0, what="outbox drained after central came up")
    finally:
        w.stop()
        proc.stop()
    import sqlalchemy as sa
    from central.db import events
    with eng.connect() as c:
        ids = [r[0] for r in c.execute(sa.select(events.c.id))]
    assert sorted(ids) == sorted(e.id for e in store.outbox_events()) and len(ids) == 60
    store.close()


def test_through_a_fault_injecting_proxy_exactly_once(central, tmp_path):
    dev, token = central.new_device()
    rng = random.Random(7)
    weights = {"pass": 4, "500": 1, "500_after": 1, "503_retry": 1, "reset": 1, "reset_after": 1,
               "hang": 1, "hang_after": 1, "slow": 2}
    plan = ["500", "500_after", "reset", "reset_after", "hang", "hang_after", "slow", "503_retry"]
    proxy = FaultProxy(central.proc.port, plan=plan, hang_s=1.5, slow_s=0.3,
                       chooser=lambda: rng.choices(list(weights), list(weights.values()))[0]).start()
    store = Store(tmp_path, device_id=dev)
    answer_feedback(store, 1500, random.Random(3))
    issue_tickets(store, 250)
    w = SyncWorker(store, cfg(proxy.url, token, batch_size=100, read_timeout_s=0.8, backoff_cap_s=0.3))
    w.start()
    try:
        wait_for(lambda: store.outbox_stats()["pending"] == 0, 120, "outbox drained through the proxy")
    finally:
        w.stop()
        proxy.stop()
    central.assert_exactly_once(store, dev, expect=2000)
    for fault in plan:
        assert proxy.applied[fault] >= 1, proxy.applied
    # the server stored batches whose answer was lost; the resend was counted as duplicates
    assert w.status.totals["duplicates"] >= 100 and w.status.totals["failures"] >= len(plan)
    store.close()


def test_rejected_events_are_set_aside_and_never_block(central, tmp_path):
    dev, token = central.new_device()
    store = Store(tmp_path, device_id=dev)
    issue_tickets(store, 3)
    bad = store.record_event("feedback.given", {"answer": 9, "scale": 5, "sentiment": "positive"})
    nan = store.record_event("device.status", {"temperature": float("nan")})  # not valid JSON: 400 for a batch
    issue_tickets(store, 3)
    res = drain(store, Transport(central.url, token))
    assert res.failure is None and res.rejected == 2 and res.sent == 12
    rows = {r["id"]: r for r in store.query("SELECT id, state, error FROM outbox")}
    assert rows[bad.id]["state"] == "set_aside" and "1..5" in rows[bad.id]["error"]
    assert rows[nan.id]["state"] == "set_aside" and "400" in rows[nan.id]["error"]
    assert sorted(central.ids(dev)) == sorted(i for i, r in rows.items() if r["state"] == "sent")
    assert drain(store, Transport(central.url, token)).batches == 0  # nothing retried
    store.close()


def test_wrong_token_stops_sending_as_a_config_fault(central, tmp_path):
    dev, _ = central.new_device()
    proxy = FaultProxy(central.proc.port).start()
    store = Store(tmp_path, device_id=dev)
    issue_tickets(store, 5)
    w = SyncWorker(store, cfg(proxy.url, "not-the-token"))
    w.start()
    try:
        wait_for(lambda: w.status.state is SyncState.CONFIG_FAULT, what="config fault")
        for _ in range(5):
            w.wake()
    finally:
        w.stop()
        proxy.stop()
    assert proxy.applied["pass"] == 1  # one refused request, then no more
    assert "401" in w.status.message and store.outbox_stats()["pending"] == 10
    # another device's token (403) is the same fault
    _, other = central.new_device()
    res = drain(store, Transport(central.url, other))
    assert res.failure.kind.value == "auth" and "403" in res.failure.message
    store.close()


def test_retry_after_is_honoured(central, tmp_path):
    dev, token = central.new_device()
    proxy = FaultProxy(central.proc.port, plan=["503_retry"]).start()
    store = Store(tmp_path, device_id=dev, clock=FakeClock())
    issue_tickets(store, 2)
    w = SyncWorker(store, cfg(proxy.url, token, backoff_base_s=0.01, backoff_cap_s=60))
    delay = w.step()  # not started: one pass on this thread
    assert w.status.state is SyncState.BACKING_OFF and delay >= 1.0  # Retry-After: 1, backoff alone < 0.02
    assert w.step() >= FAST["interval_s"] and store.outbox_stats()["pending"] == 0
    proxy.stop()
    w.stop()
    store.close()


def test_check_connection_before_saving(central, tmp_path):
    from kiosk.sync.worker import check_connection
    dev, token = central.new_device()
    ok, msg = check_connection(cfg(central.url, token))
    assert ok and "accepts this device" in msg
    ok, msg = check_connection(cfg(central.url, "wrong"))
    assert not ok and "401" in msg
    ok, msg = check_connection(cfg(f"http://127.0.0.1:{free_port()}", token))
    assert not ok and "cannot reach" in msg
    ok, msg = check_connection(SyncSection(url=central.url, token_file=str(tmp_path / "missing")))
    assert not ok and "token_file" in msg
    store = Store(tmp_path / "k", device_id=dev)
    w = SyncWorker(store, SyncSection(url=central.url, token_file=str(tmp_path / "missing")))
    assert w.status.state is SyncState.CONFIG_FAULT and w.step() > 0
    assert w.status.state is SyncState.CONFIG_FAULT  # stays a fault, does not crash the app
    store.close()


def test_heartbeats_and_wakes_do_not_cut_a_retry_after_short(central, tmp_path):
    import time
    dev, token = central.new_device()
    proxy = FaultProxy(central.proc.port, chooser=lambda: "503_retry").start()  # Retry-After: 1
    store = Store(tmp_path, device_id=dev)
    issue_tickets(store, 2)
    w = SyncWorker(store, cfg(proxy.url, token, heartbeat_interval_s=0.05, backoff_cap_s=60))
    w.start()
    try:
        wait_for(lambda: w.status.state is SyncState.BACKING_OFF, what="first refusal")
        for _ in range(8):
            w.wake()
            time.sleep(0.05)
    finally:
        w.stop()
        proxy.stop()
    assert sum(proxy.applied.values()) <= 2  # about 0.4 s passed: no second try before the 1 s asked for
    assert len(store.outbox_events("heartbeat")) >= 3  # heartbeats went on being recorded meanwhile
    store.close()
