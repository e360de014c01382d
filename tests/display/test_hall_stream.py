"""The hall display and the live waits read central's queue stream (server-sent events) on
their own thread, fall back to polling when the stream breaks or the service has none, and
go back to the stream. Against a real kiosk-central process (and the test queue server,
which has no stream)."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import requests
from display_kit import build_config, sync_table

from central_kit import (CentralProcess, device_add, free_port, issued_payload, make_event,
                         midday_zone, rfc3339, staff_session, wait_for)
from fault_proxy import FaultProxy
from kiosk.clock import FakeClock
from kiosk.hall.calls import Connection, HallPoller
from kiosk.hall.client import sse_lines
from kiosk.hall.live_wait import LiveWaits

PASSWORD = "a desk password"
STAFF = [("dora", "desk", PASSWORD)]


class Updates:
    def __init__(self):
        self.lock = threading.Lock()
        self.views, self.announced = [], []

    def __call__(self, view, announce):
        with self.lock:
            self.views.append(view)
            self.announced.extend(c.ticket for c in announce)

    def latest(self):
        with self.lock:
            return self.views[-1] if self.views else None


@pytest.fixture
def central(tmp_path):
    zone = midday_zone()
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": zone, "KIOSK_CENTRAL_LIVE_HEARTBEAT_S": "0.5"}
    proc = CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log").start()
    proc.zone, proc.token = zone, device_add(db, "hall-1")
    yield proc
    proc.stop()


def ticket(central, n: int) -> None:
    ev = make_event("hall-1", n, "ticket.issued", issued_payload("passport", n),
                    rfc3339(dt.datetime.now(dt.timezone.utc)))
    r = requests.post(central.url + "/api/v1/events", json={"events": [ev]}, timeout=30,
                      headers={"Authorization": f"Bearer {central.token}"})
    assert r.json()["accepted"] == 1, r.text


def call_next(central, desk: str = "4") -> str:
    r = staff_session(central.url, "dora", PASSWORD).post(
        central.url + "/api/v1/desk/call-next", json={"desk": desk, "services": ["passport"]}, timeout=30)
    return r.json()["ticket"]["label"]


def display(central, url=None, **display):
    cfg = build_config(device={"timezone": central.zone}, sync={"url": url or central.url, "token": central.token},
                       display={"poll_interval_s": 60, **display})
    updates = Updates()
    return HallPoller(cfg.sync, cfg.display, updates, tz=central.zone), updates


def test_a_call_reaches_the_display_through_the_stream(central):
    """Polling every 60 s: the call can only arrive this soon through the stream."""
    ticket(central, 1)
    poller, updates = display(central)
    poller.start()
    try:
        wait_for(lambda: poller.mode == "stream", what="the stream")
        assert call_next(central) == "A001"
        wait_for(lambda: updates.latest() and updates.latest().calls, what="the call on the display")
        view = updates.latest()
        assert (view.latest.ticket, view.latest.desk) == ("A001", "4") and updates.announced == ["A001"]
        assert view.connection(poller.clock()) is Connection.ONLINE
        n = len(updates.views)
        wait_for(lambda: len(updates.views) > n + 1, what="keep-alives")  # nothing new: still online
        assert updates.latest().calls == view.calls
    finally:
        poller.stop()


def test_a_broken_stream_falls_back_to_polling(central):
    """The fault proxy passes plain requests but cuts streamed answers short, so the stream
    never gets past its first event: the display polls, and calls still arrive."""
    proxy = FaultProxy(central.port).start()
    poller, updates = display(central, url=proxy.url, poll_interval_s=0.2, offline_after_s=2)
    poller.start()
    try:
        wait_for(lambda: poller.stream_message != "", what="the stream to fail")
        assert poller.mode == "poll"
        ticket(central, 1)
        call_next(central, "2")
        wait_for(lambda: updates.latest() and updates.latest().calls, what="the call through polling")
        assert updates.latest().latest.desk == "2"
    finally:
        poller.stop()
        proxy.stop()


def test_after_a_server_restart_polling_bridges_and_the_stream_comes_back(central):
    poller, updates = display(central, poll_interval_s=0.2)
    poller.start()
    try:
        wait_for(lambda: poller.mode == "stream", what="the stream")
        central.stop()
        wait_for(lambda: poller.mode == "poll", what="the fallback")
        wait_for(lambda: "cannot reach" in (updates.latest().message if updates.latest() else ""),
                 what="polling to find central gone")
        central.start()
        wait_for(lambda: poller.mode == "stream", what="the stream again")
        ticket(central, 1)
        call_next(central, "3")
        wait_for(lambda: updates.latest().calls, what="a call after the restart")
        assert updates.latest().latest.desk == "3" and updates.latest().message == ""
    finally:
        poller.stop()


def test_a_service_without_a_stream_is_polled(queue_server):
    """The test queue server has no /stream (404): polling, as before; with
    sync.queue_stream = false the stream is not even asked for."""
    got = threading.Event()
    cfg = build_config(sync=sync_table(queue_server), display={"poll_interval_s": 0.2})
    p = HallPoller(cfg.sync, cfg.display, lambda v, a: v.calls and got.set(), clock=FakeClock().monotonic)
    queue_server.call("B007", "5")
    p.start()
    try:
        assert got.wait(15)
        wait_for(lambda: "no queue stream" in p.stream_message, what="the 404 to be noted")
    finally:
        p.stop()
    assert "/api/v1/queue/stream" in queue_server.paths and p.mode == "poll"
    queue_server.paths.clear()
    off = build_config(sync=sync_table(queue_server, queue_stream=False), display={"poll_interval_s": 0.2})
    got.clear()
    p = HallPoller(off.sync, off.display, lambda v, a: v.calls and got.set(), clock=FakeClock().monotonic)
    p.start()
    try:
        assert got.wait(15)
    finally:
        p.stop()
    assert set(queue_server.paths) == {"/api/v1/queue"}


def test_offline_the_display_says_lost_and_the_reader_keeps_trying():
    clock = FakeClock()
    cfg = build_config(sync={"url": f"http://127.0.0.1:{free_port()}", "token": "t"},
                       display={"poll_interval_s": 0.2, "offline_after_s": 10})
    updates = Updates()
    p = HallPoller(cfg.sync, cfg.display, updates, clock=clock.monotonic)
    p.start()
    try:
        wait_for(lambda: len(updates.views) >= 2, what="polls while offline")
        assert "cannot open the queue stream" in p.stream_message and p.mode == "poll"
        clock.advance(10)
        assert updates.latest().connection(clock.monotonic()) is Connection.LOST
    finally:
        p.stop()


def test_live_waits_follow_the_stream_and_keep_alives_keep_them_fresh(central):
    clock = FakeClock()
    cfg = build_config(device={"timezone": central.zone}, sync={"url": central.url, "token": central.token},
                       tickets={"live_wait_interval_s": 3600, "live_wait_max_age_s": 120})
    waits = LiveWaits(cfg.sync, cfg.tickets, clock=clock.monotonic)
    waits.start()
    try:
        wait_for(lambda: waits.mode == "stream", what="the stream")
        assert waits.current("passport") is None          # nobody waits yet
        ticket(central, 1)
        wait_for(lambda: waits.current("passport") is not None, what="the live wait from the stream")
        clock.advance(121)                                  # older than live_wait_max_age_s ...
        wait_for(lambda: waits.current("passport") is not None, what="a keep-alive")  # ... until a keep-alive
    finally:
        waits.stop()


@pytest.mark.parametrize("chunks,expect", [
    ([b"retry: 2000\n\nevent: queue\ndata: {}\n\n"], [("queue", "{}")]),
    ([b"event: que", b"ue\r\ndata: {\"a\"", b":1}\r\n\r\n: keep-alive\r\n\r\n"], [("queue", '{"a":1}'),
                                                                                   ("comment", "keep-alive")]),
    ([b"data: one\ndata: two\n\n", b"data:x\n"], [("message", "one\ntwo")]),  # an unfinished event is not given
])
def test_server_sent_events_are_read_across_chunks(chunks, expect):
    assert list(sse_lines(chunks)) == expect
