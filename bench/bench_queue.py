"""The live shared queue (issue 12, item 6): `python -m bench queue`.

Everything real, on loopback: `kiosk-central serve` (SQLite), a ticket kiosk (Store +
TicketIssuer as the ticket screen uses it, its SyncWorker with the shipped [sync] timings:
30 s schedule + jitter, 0.2 s gathering, and its LiveWaits reading the stream), a desk
reading `GET /api/v1/desk/stream` as desk.js does, and a hall display's HallPoller
(display defaults: stream, 2 s polling as fallback).

- `queue.ticket_to_desk_p95`: 200 tickets taken one by one; from the COMMIT of
  `ticket.issued` in the kiosk's store (a commit listener notes the time) to the desk
  stream's event that lists the ticket;
- `queue.call_to_display_p95`: 200 "call next" through the desk API (logged-in session);
  from just before the request is sent to the display's on_update that has the call.

Baseline for both, in the same run: one bare HTTP round trip to the same server
(`GET /healthz` on a kept-alive connection), p95 of 400 taken between the measurements.
Target: both <= 1000 ms.
"""
from __future__ import annotations

import random
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.report import percentile

N = 200
PASSWORD = "bench desk password"
SERVICES = [{"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
             "handling_minutes": 10, "desks_open": 2}]


class DeskStream(threading.Thread):
    """Reads the desk stream as the desk page does; notes when each ticket label first shows."""

    def __init__(self, url: str, cookies):
        super().__init__(name="bench-desk-stream", daemon=True)
        self.resp = requests.get(url + "/api/v1/desk/stream?services=passport", cookies=cookies,
                                 stream=True, timeout=(5, 30))
        assert self.resp.status_code == 200, self.resp.text
        self.seen: dict[str, float] = {}
        self.events = 0
        self.cond = threading.Condition()

    def run(self) -> None:
        import json
        from central_kit import sse_events
        try:
            for kind, data in sse_events(self.resp):
                if kind != "queue":
                    continue
                now = time.perf_counter()
                labels = [t["label"] for t in json.loads(data)["tickets"]]
                with self.cond:
                    self.events += 1
                    for label in labels:
                        self.seen.setdefault(label, now)
                    self.cond.notify_all()
        except Exception:  # noqa: BLE001 - closed at the end of the run
            pass

    def wait_for(self, label: str, timeout: float = 30.0) -> float:
        with self.cond:
            if not self.cond.wait_for(lambda: label in self.seen, timeout):
                raise RuntimeError(f"ticket {label} never reached the desk stream")
            return self.seen[label]


class Display:
    """on_update of the real HallPoller: notes when each call id first is on the display."""

    def __init__(self):
        self.seen: dict[int, float] = {}
        self.cond = threading.Condition()

    def __call__(self, view, announce) -> None:
        now = time.perf_counter()
        with self.cond:
            for c in view.calls:
                self.seen.setdefault(c.call_id, now)
            self.cond.notify_all()

    def wait_for(self, call_id: int, timeout: float = 30.0) -> float:
        with self.cond:
            if not self.cond.wait_for(lambda: call_id in self.seen, timeout):
                raise RuntimeError(f"call {call_id} never reached the display")
            return self.seen[call_id]


def _round_trip(s: requests.Session, url: str) -> float:
    t0 = time.perf_counter()
    r = s.get(url + "/healthz", timeout=10)
    dt = time.perf_counter() - t0
    assert r.status_code == 200
    return dt * 1000


def run(report) -> None:
    import kiosk.sync.worker  # noqa: F401 - loads kiosk.config first
    from central import auth
    from central_kit import CentralProcess, device_add, midday_zone
    from kiosk.config.loader import Layer, validate_layers
    from kiosk.hall.calls import HallPoller
    from kiosk.hall.live_wait import LiveWaits
    from kiosk.storage.store import Store
    from kiosk.sync.worker import SyncWorker
    from kiosk.tickets.issue import TicketIssuer

    zone = midday_zone()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        tmp = Path(tmp)
        db = f"sqlite:///{tmp / 'central.sqlite3'}"
        env = {"KIOSK_CENTRAL_ADMIN_PASSWORD_HASH": auth.hash_password(PASSWORD),
               "KIOSK_CENTRAL_QUEUE_TIMEZONE": zone}
        with CentralProcess(db, env=env, log_path=tmp / "central.log") as central:
            kiosk_token, display_token = device_add(db, "bench-tickets"), device_add(db, "bench-display")
            layers = lambda token: [Layer("bench", {  # noqa: E731
                "device": {"timezone": zone}, "services": SERVICES, "tickets": {"double_tap_s": 0},
                "sync": {"url": central.url, "token": token}})]
            kcfg, _ = validate_layers(layers(kiosk_token))  # raises ConfigError naming any problem
            dcfg, _ = validate_layers(layers(display_token))

            desk = requests.Session()
            r = desk.post(central.url + "/login", data={"username": "admin", "password": PASSWORD},
                          allow_redirects=False, timeout=30)
            assert r.status_code in (200, 303) and desk.cookies, r.status_code
            bare = requests.Session()
            base = [_round_trip(bare, central.url) for _ in range(20)]  # warm-up, not counted
            base.clear()

            store = Store(tmp / "kiosk", device_id="bench-tickets")
            committed = [0.0]
            store.add_commit_listener(lambda n: committed.__setitem__(0, time.perf_counter()))
            worker = SyncWorker(store, kcfg.sync)  # the shipped timings: 30 s + jitter, gather 0.2 s
            waits = LiveWaits(kcfg.sync, kcfg.tickets)
            issuer = TicketIssuer(store, kcfg, live_waits=waits)
            display = Display()
            poller = HallPoller(dcfg.sync, dcfg.display, display, tz=zone)
            stream = DeskStream(central.url, desk.cookies)
            for part in (worker, waits, poller, stream):
                part.start()
            try:
                time.sleep(1.0)  # the first looks (empty outbox, streams open)
                to_desk = []
                for _ in range(N):
                    label = issuer.issue("passport", "nl").ticket.label
                    t_commit = committed[0]
                    to_desk.append((stream.wait_for(label) - t_commit) * 1000)
                    base.append(_round_trip(bare, central.url))
                    time.sleep(rng.uniform(0, 0.05))
                live_mode_tickets = (waits.mode.value, poller.mode.value)
                to_display = []
                for _ in range(N):
                    t0 = time.perf_counter()
                    r = desk.post(central.url + "/api/v1/desk/call-next",
                                  json={"desk": str(rng.randint(1, 6)), "services": ["passport"]}, timeout=30)
                    ticket = r.json()["ticket"]
                    assert ticket is not None, r.text
                    to_display.append((display.wait_for(ticket["call_id"]) - t0) * 1000)
                    base.append(_round_trip(bare, central.url))
                    time.sleep(rng.uniform(0, 0.05))
                fallbacks = (poller.stream_message, waits.stream_message)
                live_wait = waits.current("passport")
            finally:
                for part in (poller, waits):
                    part.stop()
                worker.stop()
                stream.resp.close()
                store.close()
    rt95, rt50 = percentile(base, 95), percentile(base, 50)
    t95, c95 = percentile(to_desk, 95), percentile(to_display, 95)
    common = (f"baseline: p95 of {len(base)} bare GET /healthz round trips (median {rt50:.1f} ms); "
              f"kiosk-central on SQLite, loopback")
    report.add("queue.ticket_to_desk_p95", t95, "ms", baseline=rt95, target="<= 1000 ms", met=t95 <= 1000,
               note=f"{N} tickets (TicketIssuer -> SyncWorker, shipped [sync] timings with gather_s 0.2) to the "
                    f"desk stream; median {percentile(to_desk, 50):.0f} ms, max {max(to_desk):.0f} ms; "
                    f"{stream.events} desk events; live waits/display read by {live_mode_tickets}; {common}")
    report.add("queue.call_to_display_p95", c95, "ms", baseline=rt95, target="<= 1000 ms", met=c95 <= 1000,
               note=f"{N} call-next via the desk API to the HallPoller's on_update; median "
                    f"{percentile(to_display, 50):.0f} ms, max {max(to_display):.0f} ms; stream breaks seen: "
                    f"{[m for m in fallbacks if m] or 'none'}; live wait at the end {live_wait}; {common}")
