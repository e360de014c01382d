"""The queue pushed as server-sent events against a real kiosk-central process: the device
stream (`GET /api/v1/queue/stream`) and the desk stream (`GET /api/v1/desk/stream`) send the
state at once, then every ticket ingested and every desk action; keep-alive comments; bounded
streams; on PostgreSQL a change made through another server process reaches the stream."""
from __future__ import annotations

import datetime as dt

import requests

from central_kit import (CentralProcess, QueueStreamReader, device_add, issued_payload, make_event,
                         midday_zone, rfc3339, staff_session, wait_for)

PASSWORD = "a desk password"
STAFF = [("dora", "desk", PASSWORD)]  # made before each server starts
ENV = {"KIOSK_CENTRAL_LIVE_HEARTBEAT_S": "0.5"}


def env(**extra) -> dict:
    return {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone(), **ENV, **extra}


def cookies(url: str):
    """The desk user's session cookie, from POST /login on the server at `url`."""
    return staff_session(url, "dora", PASSWORD).cookies


def ticket(url: str, token: str, device: str, n: int, service: str = "passport") -> None:
    ev = make_event(device, n, "ticket.issued", issued_payload(service, n),
                    rfc3339(dt.datetime.now(dt.timezone.utc)))
    r = requests.post(url + "/api/v1/events", json={"events": [ev]},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text


def desk(url: str, path: str, body: dict) -> dict:
    r = requests.post(url + "/api/v1/desk/" + path, json=body, cookies=cookies(url), timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_device_stream_pushes_new_tickets_and_calls(db_url, tmp_path):
    with CentralProcess(db_url, users=STAFF, env=env(), log_path=tmp_path / "central.log") as c:
        token = device_add(db_url, "display-1")
        assert requests.get(c.url + "/api/v1/queue/stream", timeout=10).status_code == 401
        bad = requests.get(c.url + "/api/v1/queue/stream", params={"since": "x"}, timeout=10,
                           headers={"Authorization": f"Bearer {token}"})
        assert bad.status_code == 400 and "since" in bad.json()["detail"]
        s = QueueStreamReader(c.url + "/api/v1/queue/stream", headers={"Authorization": f"Bearer {token}"})
        try:
            assert s.resp.headers["content-type"].startswith("text/event-stream")
            first = s.next_state()
            assert first["calls"] == [] and first["services"] == {}
            ticket(c.url, token, "display-1", 1)
            doc = s.next_state(lambda d: "passport" in d["services"])
            assert doc["services"]["passport"]["waiting"] == 1
            t = desk(c.url, "call-next", {"desk": "4", "services": ["passport"]})["ticket"]
            doc = s.next_state(lambda d: d["calls"])
            assert [(x["ticket"], x["desk"], x["recall"]) for x in doc["calls"]] == [("A001", "4", False)]
            desk(c.url, f"tickets/{t['id']}/recall", {"desk": "4"})
            doc = s.next_state(lambda d: d["calls"])
            assert [(x["call_id"], x["recall"]) for x in doc["calls"]] == [(2, True)]  # only the new call
            while s.comments < 2:  # keep-alives when nothing happens
                next_comment(s)
        finally:
            s.close()


def next_comment(s: QueueStreamReader) -> None:
    kind, _ = next(s.events)
    if kind == "comment":
        s.comments += 1


def test_desk_stream_needs_a_login_and_shows_each_new_ticket(db_url, tmp_path):
    with CentralProcess(db_url, users=STAFF, env=env(), log_path=tmp_path / "central.log") as c:
        token = device_add(db_url, "tickets-1")
        assert requests.get(c.url + "/api/v1/desk/stream", timeout=10).status_code == 401
        s = QueueStreamReader(c.url + "/api/v1/desk/stream?services=passport", cookies=cookies(c.url))
        try:
            assert s.next_state()["tickets"] == []
            for n in (1, 2):
                ticket(c.url, token, "tickets-1", n)
                doc = s.next_state(lambda d: len(d["tickets"]) == n)
                assert doc["counts"]["waiting"] == n
            ticket(c.url, token, "tickets-1", 3, service="parking")  # not this desk's service
            desk(c.url, "call-next", {"desk": "2", "services": ["passport"]})
            doc = s.next_state(lambda d: d["counts"]["called"] == 1)
            assert [t["label"] for t in doc["tickets"]] == ["A002", "A001"]  # waiting first, then called
        finally:
            s.close()


def test_streams_are_bounded_per_process(tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    with CentralProcess(db, users=STAFF, env=env(KIOSK_CENTRAL_LIVE_MAX_STREAMS="1"), log_path=tmp_path / "c.log") as c:
        token = device_add(db, "display-1")
        head = {"Authorization": f"Bearer {token}"}
        s = QueueStreamReader(c.url + "/api/v1/queue/stream", headers=head)
        s.next_state()
        full = requests.get(c.url + "/api/v1/queue/stream", headers=head, timeout=10)
        assert full.status_code == 503 and full.headers["retry-after"]
        assert requests.get(c.url + "/api/v1/queue", headers=head, timeout=10).status_code == 200  # poll instead
        s.close()                                   # the slot comes free once the server sees it gone

        def reopened() -> bool:
            r = requests.get(c.url + "/api/v1/queue/stream", headers=head, stream=True, timeout=10)
            r.close()
            return r.status_code == 200
        wait_for(reopened, what="a free stream slot")


def test_postgres_a_change_through_another_server_process_reaches_the_stream(pg, tmp_path):
    """Two servers on one database (as --workers N or several hosts): the stream is on the
    first, the ticket and the call go through the second. Only PostgreSQL's NOTIFY links them."""
    db = pg.create_db("stream_two_servers")
    e = env()
    with CentralProcess(db, users=STAFF, env=e, log_path=tmp_path / "a.log") as a, \
            CentralProcess(db, users=STAFF, env=e, log_path=tmp_path / "b.log") as b:
        token = device_add(db, "display-1")
        s = QueueStreamReader(a.url + "/api/v1/queue/stream", headers={"Authorization": f"Bearer {token}"})
        d = QueueStreamReader(a.url + "/api/v1/desk/stream", cookies=cookies(a.url))
        try:
            s.next_state()
            d.next_state()
            ticket(b.url, token, "display-1", 1)
            assert s.next_state(lambda x: "passport" in x["services"])["services"]["passport"]["waiting"] == 1
            assert d.next_state(lambda x: x["tickets"])["tickets"][0]["label"] == "A001"
            desk(b.url, "call-next", {"desk": "7", "services": ["passport"]})
            assert s.next_state(lambda x: x["calls"])["calls"][0]["desk"] == "7"
        finally:
            s.close()
            d.close()


def test_openapi_describes_the_streams(client):
    doc = client.get("/openapi.json").json()
    for path in ("/api/v1/queue/stream", "/api/v1/desk/stream"):
        ok = doc["paths"][path]["get"]["responses"]["200"]
        assert "text/event-stream" in ok["content"], path
        assert "keep-alive" in ok["description"]


def test_postgres_two_workers_every_stream_hears_and_stopping_ends_them_cleanly(pg, tmp_path):
    """`--workers 2`: streams sit on either worker, the ticket lands on one of them; every
    stream gets it. Stopping the server ends every stream at once (no wait, no traceback)."""
    db = pg.create_db("stream_workers")
    log = tmp_path / "central.log"
    c = CentralProcess(db, users=STAFF, env=env(), log_path=log, workers=2).start()
    try:
        token = device_add(db, "display-1")
        readers = [QueueStreamReader(c.url + "/api/v1/queue/stream", headers={"Authorization": f"Bearer {token}"})
                   for _ in range(6)]
        for r in readers:
            r.next_state()
        ticket(c.url, token, "display-1", 1)
        for r in readers:
            assert r.next_state(lambda x: "passport" in x["services"])["services"]["passport"]["waiting"] == 1
    finally:
        c.stop()
    for r in readers:
        assert [k for k, _ in r.events if k == "queue"] == []  # the stream ended (no exception)
        r.close()
    text = log.read_text()
    assert "Exception in ASGI application" not in text and "graceful shutdown exceeded" not in text, text


def test_a_client_that_stops_reading_never_holds_up_ingest_and_is_dropped(tmp_path):
    """A desk stream whose reader never reads: the server's socket buffer fills up, ingest
    and desk actions go on answering, and after live.send_timeout_s the stream is dropped
    (its slot, the only one here, comes free)."""
    import socket
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    e = env(KIOSK_CENTRAL_LIVE_MAX_STREAMS="1", KIOSK_CENTRAL_LIVE_SEND_TIMEOUT_S="1")
    with CentralProcess(db, users=STAFF, env=e, log_path=tmp_path / "c.log") as c:
        token = device_add(db, "tickets-1")
        stuck = socket.socket()
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect(("127.0.0.1", c.port))
        session = cookies(c.url)["kc_session"]
        stuck.sendall(f"GET /api/v1/desk/stream HTTP/1.1\r\nHost: x\r\nCookie: kc_session={session}\r\n\r\n".encode())
        try:
            assert stuck.recv(12).startswith(b"HTTP/1.1 200")  # then it never reads again
            head = {"Authorization": f"Bearer {token}"}
            wait_for(lambda: requests.get(c.url + "/api/v1/queue/stream", headers=head, timeout=10).status_code == 503,
                     what="the stuck stream to hold the only slot")
            n = 0

            def reopened() -> bool:
                nonlocal n
                n += 1
                ticket(c.url, token, "tickets-1", n)  # every ticket answers, and grows every desk event
                r = requests.get(c.url + "/api/v1/queue/stream", headers=head, stream=True, timeout=10)
                r.close()
                return r.status_code == 200
            wait_for(reopened, timeout=120, what="the stuck stream to be dropped")
            assert n > 1
        finally:
            stuck.close()


def test_postgres_a_lost_listening_connection_is_made_again(pg, tmp_path):
    """The LISTEN connection of the streaming server is killed: its streams still get the
    change made through the other server (they look every second until it is back)."""
    import sqlalchemy as sa
    from central.db import make_engine
    db = pg.create_db("stream_listener_lost")
    e = env()
    with CentralProcess(db, users=STAFF, env=e, log_path=tmp_path / "a.log") as a, \
            CentralProcess(db, users=STAFF, env=e, log_path=tmp_path / "b.log") as b:
        token = device_add(db, "display-1")
        s = QueueStreamReader(a.url + "/api/v1/queue/stream", headers={"Authorization": f"Bearer {token}"})
        engine = make_engine(db)
        try:
            s.next_state()
            listening = "SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN kiosk_queue%'"

            def listeners() -> list:  # a new transaction each time: pg_stat_activity is a snapshot per transaction
                with engine.connect() as conn:
                    return [r[0] for r in conn.execute(sa.text(listening))]
            wait_for(lambda: listeners(), what="the listener")
            before = listeners()
            with engine.begin() as conn:
                conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM ({listening}) AS l"))
            ticket(b.url, token, "display-1", 1)
            assert s.next_state(lambda x: "passport" in x["services"])["services"]["passport"]["waiting"] == 1
            wait_for(lambda: listeners() and not set(listeners()) & set(before), what="listening again")
        finally:
            s.close()
            engine.dispose()
