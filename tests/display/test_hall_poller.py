"""The hall display's poller against a real HTTP server on loopback: `since`, the latest
calls, waiting counts, which calls are announced, and the connection state."""
import threading

import pytest
from display_kit import build_config, sync_table
from queue_server import TOKEN

from kiosk.clock import FakeClock
from kiosk.hall.calls import Connection, HallPoller
from kiosk.hall.client import QueueClient, QueueError, parse_answer


def make_poller(server, clock, updates=None, **display):
    cfg = build_config(sync=sync_table(server), display={"poll_interval_s": 0.2, **display})
    on_update = (lambda v, a: updates.append((v, a))) if updates is not None else (lambda v, a: None)
    return HallPoller(cfg.sync, cfg.display, on_update, clock=clock.monotonic)


def test_first_look_takes_latest_calls_then_asks_since_the_last_id(queue_server):
    clock = FakeClock()
    queue_server.call("A010", "2", age_s=300)
    queue_server.call("A011", "3", age_s=5)
    p = make_poller(queue_server, clock)
    view, announce = p.poll_once()
    assert queue_server.asked == [{}]                        # no `since` on the first look
    assert queue_server.auth == [f"Bearer {TOKEN}"]
    assert [c.ticket for c in view.calls] == ["A011", "A010"]  # newest first
    assert view.latest.desk == "3"
    assert view.waiting == {"passport": 3, "moving": 0}
    assert [c.ticket for c in announce] == ["A011"]          # the old call is shown, not announced
    assert view.connection(clock.monotonic()) is Connection.ONLINE

    queue_server.call("A012", "4", lang="en")
    queue_server.services["passport"]["waiting"] = 2
    view, announce = p.poll_once()
    assert queue_server.asked[-1] == {"since": "2"}
    assert [c.ticket for c in announce] == ["A012"]
    assert announce[0].lang == "en"
    assert [c.ticket for c in view.calls] == ["A012", "A011", "A010"]
    assert view.waiting["passport"] == 2

    view, announce = p.poll_once()                           # nothing new
    assert queue_server.asked[-1] == {"since": "3"}
    assert announce == [] and len(view.calls) == 3


def test_a_recall_is_a_new_call_and_the_list_keeps_calls_shown_plus_one(queue_server):
    clock = FakeClock()
    p = make_poller(queue_server, clock, calls_shown=2)
    p.poll_once()
    for i in range(4):
        queue_server.call(f"A00{i}", "1")
    queue_server.call("A000", "1", recall=True)
    view, announce = p.poll_once()
    assert [c.ticket for c in announce] == ["A000", "A001", "A002", "A003", "A000"]
    assert announce[-1].recall is True
    assert [c.ticket for c in view.calls] == ["A000", "A003", "A002"]


def test_connection_lost_after_offline_after_s_without_a_good_answer(queue_server):
    clock = FakeClock()
    p = make_poller(queue_server, clock, offline_after_s=10)
    queue_server.call("A001", "1")
    view, _ = p.poll_once()
    assert view.connection(clock.monotonic()) is Connection.ONLINE
    queue_server.status = 503
    clock.advance(6)
    view, _ = p.poll_once()
    assert "503" in view.message
    assert view.connection(clock.monotonic()) is Connection.ONLINE   # 6 s: not yet
    clock.advance(4)
    view, _ = p.poll_once()
    assert view.connection(clock.monotonic()) is Connection.LOST
    assert [c.ticket for c in view.calls] == ["A001"]                # the last calls stay
    queue_server.status = 200
    view, _ = p.poll_once()
    assert view.connection(clock.monotonic()) is Connection.ONLINE


def test_never_connected_is_connecting_then_lost(queue_server):
    clock = FakeClock()
    queue_server.stop()
    p = make_poller(queue_server, clock, offline_after_s=10)
    view, _ = p.poll_once()
    assert "cannot reach" in view.message
    assert view.connection(clock.monotonic()) is Connection.CONNECTING
    clock.advance(10)
    assert view.connection(clock.monotonic()) is Connection.LOST


def test_a_hung_server_shows_as_lost_while_the_request_still_waits(queue_server):
    """The connection state is worked out from the time of the last good answer, so the
    screen says 'lost' even while a request hangs."""
    clock = FakeClock()
    updates = []
    p = make_poller(queue_server, clock, updates, offline_after_s=2)
    view, _ = p.poll_once()
    queue_server.hold.clear()            # the server stops answering
    worker = threading.Thread(target=p.poll_once, daemon=True)
    worker.start()
    clock.advance(2)
    assert view.connection(clock.monotonic()) is Connection.LOST
    queue_server.hold.set()
    worker.join(10)


def test_wrong_token_and_bad_answers_are_failures_with_a_clear_message(queue_server):
    clock = FakeClock()
    cfg = build_config(sync={"url": queue_server.url, "token": "wrong"})
    p = HallPoller(cfg.sync, cfg.display, lambda v, a: None, clock=clock.monotonic)
    view, _ = p.poll_once()
    assert "401" in view.message and view.last_good is None
    p = make_poller(queue_server, clock)
    queue_server.body = b'{"server_time": "x", "calls": [{"call_id": "seven"}]}'
    view, _ = p.poll_once()
    assert "calls[0].call_id" in view.message
    queue_server.body = b"<html>"
    view, _ = p.poll_once()
    assert "not JSON" in view.message


def test_no_sync_url_is_a_clear_failure():
    cfg = build_config()
    p = HallPoller(cfg.sync, cfg.display, lambda v, a: None, clock=FakeClock().monotonic)
    view, _ = p.poll_once()
    assert view.message == "sync.url is not set: the central queue cannot be read"


def test_calls_of_an_earlier_day_go(queue_server):
    clock = FakeClock()
    queue_server.call("A099", "1", age_s=11 * 3600)   # yesterday evening, local time
    queue_server.call("A001", "2", age_s=60)
    view, _ = make_poller(queue_server, clock).poll_once()
    assert [c.ticket for c in view.calls] == ["A001"]


@pytest.mark.parametrize("doc,why", [
    ([], "not a JSON object"),
    ({"services": []}, "'services' must be an object"),
    ({"services": {"p": {"waiting": -1}}}, "services.p.waiting"),
    ({"services": {"p": {"est_wait_min": [5]}}}, "services.p.est_wait_min"),
    ({"calls": [{"call_id": 1, "ticket": "A1", "desk": ""}]}, "calls[0].desk"),
])
def test_answers_outside_the_contract_are_named(doc, why):
    with pytest.raises(QueueError, match=rf".*{why.replace('[', '.').replace(']', '.')}"):
        parse_answer(doc)


def test_the_thread_delivers_updates(queue_server):
    clock = FakeClock()
    got = threading.Event()
    updates = []

    def on_update(view, announce):
        updates.append((view, announce))
        if view.calls:
            got.set()
    cfg = build_config(sync=sync_table(queue_server), display={"poll_interval_s": 0.2})
    p = HallPoller(cfg.sync, cfg.display, on_update, clock=clock.monotonic)
    p.start()
    try:
        queue_server.call("B007", "5")
        assert got.wait(15)
    finally:
        p.stop()
    assert updates[-1][0].latest.ticket == "B007"


def test_client_uses_the_sync_timeouts_capped():
    cfg = build_config(sync={"url": "http://127.0.0.1:9", "token": "t", "connect_timeout_s": 2,
                             "read_timeout_s": 30})
    assert QueueClient.from_sync(cfg.sync, 5).timeout == (2, 5)
