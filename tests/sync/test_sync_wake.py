"""Writing an event wakes the sync worker: it sends after gathering for `sync.gather_s`,
not on the `interval_s` schedule; backoff, Retry-After and offline behave as before."""
from __future__ import annotations

import sqlalchemy as sa

from central.db import events
from central_kit import free_port, ticket_payload, wait_for
from fault_proxy import FaultProxy
from kiosk.storage.store import Store
from kiosk.sync.settings import SyncSection
from kiosk.sync.worker import SyncState, SyncWorker

HOUR = dict(interval_s=3600, jitter_s=0, heartbeat_interval_s=0, connect_timeout_s=0.5, read_timeout_s=2)


def types_at_central(central, dev: str) -> list[str]:
    with central.engine.connect() as c:
        return [r[0] for r in c.execute(sa.select(events.c.type).where(events.c.device_id == dev)
                                        .order_by(events.c.seq))]


def test_a_written_ticket_reaches_central_without_waiting_for_the_schedule(central, tmp_path):
    dev, token = central.new_device()
    store = Store(tmp_path, device_id=dev)
    w = SyncWorker(store, SyncSection(url=central.url, token=token, **HOUR))  # no wake() anywhere
    w.start()
    try:
        wait_for(lambda: w.status.state is SyncState.IDLE, what="the first (empty) look")
        store.record_event("ticket.issued", ticket_payload("passport", 1))
        wait_for(lambda: types_at_central(central, dev) == ["ticket.issued"], what="the ticket at central")
        store.record_event("ticket.printed", {"service": "passport", "number": 1})
        wait_for(lambda: len(types_at_central(central, dev)) == 2, what="the second event")
    finally:
        w.stop()
    central.assert_exactly_once(store, dev, expect=2)
    store.close()


def test_events_written_together_go_in_one_batch(central, tmp_path):
    dev, token = central.new_device()
    store = Store(tmp_path, device_id=dev)
    w = SyncWorker(store, SyncSection(url=central.url, token=token, gather_s=3, **HOUR))
    w.start()
    try:
        wait_for(lambda: w.status.state is SyncState.IDLE, what="the first look")
        before, sent = w.status.totals["batches"], w.status.totals["sent"]
        for i in range(5):  # well inside the 3 s gathering window
            store.record_event("ticket.issued", ticket_payload("passport", i + 1))
        # the worker counts a pass once it is over: wait for its count, not only for central's rows
        wait_for(lambda: w.status.totals["sent"] - sent >= 5, what="the worker to have sent the five")
        assert len(types_at_central(central, dev)) == 5
        assert w.status.totals["batches"] == before + 1
    finally:
        w.stop()
    store.close()


def test_offline_writes_stay_queued_and_wakes_do_not_defeat_the_backoff(tmp_path):
    port = free_port()  # nobody listens
    store = Store(tmp_path, device_id="offline-1")
    w = SyncWorker(store, SyncSection(url=f"http://127.0.0.1:{port}", token="t", backoff_base_s=60,
                                      backoff_cap_s=600, **HOUR))
    store.record_event("ticket.issued", ticket_payload("passport", 1))
    w.start()
    try:
        wait_for(lambda: w.status.state is SyncState.BACKING_OFF, what="the first failure")
        failures = w.status.totals["failures"]
        for i in range(19):
            store.record_event("ticket.issued", ticket_payload("passport", i + 2))
        wait_for(lambda: not w._wake.is_set(), what="the worker to see the wakes")
        assert w.status.state is SyncState.BACKING_OFF and w.status.totals["failures"] == failures
    finally:
        w.stop()
    assert store.outbox_stats()["pending"] == 20
    store.close()


def test_after_a_retry_after_the_gathered_events_go(central, tmp_path):
    dev, token = central.new_device()
    proxy = FaultProxy(central.proc.port, plan=["503_retry"]).start()  # Retry-After: 1
    store = Store(tmp_path, device_id=dev)
    w = SyncWorker(store, SyncSection(url=proxy.url, token=token, backoff_base_s=0.01, backoff_cap_s=5, **HOUR))
    w.start()
    try:
        wait_for(lambda: w.status.state is SyncState.IDLE, what="the first look")
        store.record_event("ticket.issued", ticket_payload("passport", 1))  # refused: Retry-After 1 s
        wait_for(lambda: types_at_central(central, dev) == ["ticket.issued"], what="the retry")
        assert proxy.applied["503_retry"] == 1
    finally:
        w.stop()
        proxy.stop()
    store.close()


def test_without_a_url_the_worker_does_not_listen(tmp_path):
    store = Store(tmp_path, device_id="d")
    w = SyncWorker(store, SyncSection())
    store.record_event("ticket.issued", ticket_payload("passport", 1))
    assert not w._wake.is_set() and store._listeners == ()
    w.stop()
    store.close()
