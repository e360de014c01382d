"""Kiosks with least-privilege tokens (central/device_roles.py) against a real kiosk-central:
a feedback pillar's events arrive and anything its role does not produce is set aside
without blocking the rest; a hall display's token passes the connection check by reading
the queue, and its sync worker records and sends nothing."""
from __future__ import annotations

import time
import uuid

from central import device_roles
from central_kit import issued_payload
from kiosk.storage.store import Store
from kiosk.sync.settings import SyncSection
from kiosk.sync.transport import Transport
from kiosk.sync.worker import SyncState, SyncWorker, check_connection, drain


def register(central, role: str) -> tuple[str, str]:
    dev = f"{role}-{uuid.uuid4().hex[:6]}"
    return dev, device_roles.add(central.engine, dev, role)


def test_a_feedback_pillar_syncs_and_sets_aside_what_its_role_does_not_send(central, tmp_path):
    dev, token = register(central, "feedback")
    store = Store(tmp_path, device_id=dev)
    good = [store.record_event("feedback.given", {"answer": 4, "scale": 5, "sentiment": "positive",
                                                  "reasons": []}).id for _ in range(5)]
    stray = store.record_event("ticket.issued", issued_payload("passport", 1)).id
    good += [store.record_event("heartbeat", {"outbox_pending": 0}).id]
    ok, msg = check_connection(SyncSection(url=central.url, token=token))
    assert ok, msg
    res = drain(store, Transport(central.url, token))
    assert res.failure is None and res.rejected == 1 and res.sent == 6
    row = store.query("SELECT state, error FROM outbox WHERE id=?", (stray,))[0]
    assert row["state"] == "set_aside" and "role 'feedback'" in row["error"]
    assert sorted(central.ids(dev)) == sorted(good)
    store.close()


def test_a_hall_display_reads_but_never_posts(central, tmp_path):
    dev, token = register(central, "display")
    cfg = SyncSection(url=central.url, token=token, heartbeat_interval_s=0.01)
    ok, msg = check_connection(cfg)
    assert ok and "reads the queue" in msg
    ok, msg = check_connection(SyncSection(url=central.url, token="wrong"))
    assert not ok and "401" in msg
    store = Store(tmp_path, device_id=dev)
    w = SyncWorker(store, cfg, sends=False)
    assert w.transport is None and w.step() > 0 and w.status.state is SyncState.OFF
    w.start()
    w.wake()
    time.sleep(0.3)  # thirty heartbeat intervals: a sending worker would have recorded one
    w.stop()
    assert store.outbox_events("heartbeat") == [] and central.ids(dev) == []
    store.close()
