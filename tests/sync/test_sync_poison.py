"""One event the central service fails on (a 500 for every batch that holds it) never
stalls the outbox: the kiosk halves the batch until that event fails alone, sets it aside
like a rejected event, and sends the rest. A service that fails on everything sets nothing
aside. Against a real HTTP server on loopback."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import kiosk.sync.worker  # noqa: F401 - loads kiosk.config before kiosk.sync.settings
from kiosk.storage.store import Store
from kiosk.sync.transport import Transport
from kiosk.sync.worker import POISON_TRIES, drain


class FakeCentral:
    """Answers 500 for a batch holding any id in `poison` (or every batch when `down`),
    else accepts it all, remembering every id it accepted and the size of every batch."""

    def __init__(self, poison=(), down: bool = False, status: int = 500):
        self.poison, self.down, self.status = set(poison), down, status
        self.stored: list[str] = []
        self.sizes: list[int] = []
        central = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                ids = [e["id"] for e in json.loads(self.rfile.read(int(self.headers["Content-Length"])))["events"]]
                central.sizes.append(len(ids))
                if central.down or central.poison & set(ids):
                    self._answer(central.status, {"detail": "internal error (logged on the server)"})
                    return
                central.stored.extend(ids)
                self._answer(200, {"accepted": len(ids), "duplicates": 0, "rejected": []})

            def _answer(self, status, doc):
                body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path, device_id="kiosk-1")
    yield s
    s.close()


def fill(store: Store, n: int) -> list[str]:
    return [store.record_event("route.shown", {"to": f"desk-{i}"}).id for i in range(n)]


@pytest.mark.parametrize("n,at", [(40, 0), (40, 17), (40, 39), (7, 3), (200, 123)])
def test_one_poisoned_event_is_set_aside_and_the_rest_sent(store, n, at):
    ids = fill(store, n)
    bad = ids[at]
    extra = fill(store, 1) if at == n - 1 else []  # a later event shows the service works
    central = FakeCentral(poison={bad})
    try:
        res = drain(store, Transport(central.url, "t"), batch_size=50)
    finally:
        central.close()
    assert res.failure is None, res.failure
    assert res.rejected == 1
    assert sorted(central.stored) == sorted(set(ids + extra) - {bad})  # every other event, once
    rows = {r["id"]: r for r in store.query("SELECT id, state, error FROM outbox")}
    assert rows[bad]["state"] == "set_aside" and "failed on this event alone" in rows[bad]["error"]
    assert store.outbox_stats()["pending"] == 0
    # halving, not one by one: down in halves (two requests a step), the tries alone, back up
    # in doublings (one a step), and the full batches
    assert len(central.sizes) <= 3 * 6 + POISON_TRIES + n // 50 + 4, central.sizes


def test_two_poisoned_events_in_one_batch(store):
    ids = fill(store, 30)
    central = FakeCentral(poison={ids[4], ids[21]})
    try:
        res = drain(store, Transport(central.url, "t"), batch_size=30)
    finally:
        central.close()
    assert res.failure is None and res.rejected == 2
    assert sorted(central.stored) == sorted(set(ids) - {ids[4], ids[21]})


@pytest.mark.parametrize("status", [500, 501])
def test_a_service_that_fails_on_everything_sets_nothing_aside(store, status):
    fill(store, 20)
    central = FakeCentral(down=True, status=status)
    try:
        res = drain(store, Transport(central.url, "t"), batch_size=20)
    finally:
        central.close()
    assert res.failure is not None and res.failure.status == status
    assert res.rejected == 0 and store.outbox_stats() == {**store.outbox_stats(), "pending": 20, "set_aside": 0}
    assert len(central.sizes) < 20  # halves, a few tries, one look past it: then back off


@pytest.mark.parametrize("status", [502, 503, 504])
def test_down_or_busy_answers_are_not_split(store, status):
    fill(store, 20)
    central = FakeCentral(down=True, status=status)
    try:
        res = drain(store, Transport(central.url, "t"), batch_size=20)
    finally:
        central.close()
    assert res.failure is not None and central.sizes == [20]
    assert store.outbox_stats()["pending"] == 20


def test_the_last_event_failing_alone_waits_for_a_later_one(store):
    ids = fill(store, 5)
    central = FakeCentral(poison={ids[-1]})
    try:
        res = drain(store, Transport(central.url, "t"), batch_size=5)
        assert res.failure is not None and res.rejected == 0  # nothing after it proves the service works
        assert sorted(central.stored) == sorted(ids[:-1])
        later = fill(store, 1)
        res = drain(store, Transport(central.url, "t"), batch_size=5)
    finally:
        central.close()
    assert res.failure is None and res.rejected == 1
    assert sorted(central.stored) == sorted(ids[:-1] + later)
