"""Issue #16, items 7 and 8, in process (SQLite and PostgreSQL): inputs that used to give a
500 now get a 4xx or a per-event rejection; device roles, revocation, the per-device event
rate and event ids already used by another device. The request-body middleware is tested
here against fake ASGI traffic; real sockets are in test_central_hardening_process.py.
No test reads the machine's date or time: event times are fixed strings."""
from __future__ import annotations

import asyncio
import json
import uuid

import pytest
import sqlalchemy as sa

from central import db, device_roles, ingest
from central.body import BodyLimit
from central.db import events
from central_kit import feedback_payload, issued_payload, make_event

PASSWORD = "correct horse battery"  # tests/central/conftest.py
AT = "2026-03-02T09:00:00.000Z"


def post_raw(client, token, text: str, **headers):
    return client.post("/api/v1/events", content=text.encode("utf-8", "surrogatepass"),
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers})


def post(client, token, batch, **headers):
    return post_raw(client, token, json.dumps({"events": batch}), **headers)


def fb(dev, seq, **over):
    e = make_event(dev, seq, "feedback.given", feedback_payload(5), AT)
    e.update(over)
    return e


def stored(engine, **where) -> list:
    q = sa.select(events.c.id, events.c.device_id)
    for k, v in where.items():
        q = q.where(events.c[k] == v)
    with engine.connect() as c:
        return c.execute(q).all()


# -- a. stats and dashboard at the ends of the calendar ---------------------------------------
@pytest.mark.parametrize("query", [{"from": "0001-01-01"}, {"to": "9999-12-31"},
                                   {"from": "0001-01-01", "to": "9999-12-31"},
                                   {"from": "9999-12-31", "to": "9999-12-31"}])
def test_dates_at_the_ends_of_the_calendar_are_clamped_not_a_500(client, device, query):
    dev, token = device
    assert post(client, token, [fb(dev, 1)]).json()["accepted"] == 1
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 200
    everything = query.get("from", "0001-01-01") == "0001-01-01"
    for path in ("/api/v1/stats/feedback", "/api/v1/stats/tickets", "/api/v1/export/daily.csv",
                 "/api/v1/export/events.csv", "/dashboard"):
        r = client.get(path, params=query)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
    answers = client.get("/api/v1/stats/feedback", params=query).json()
    assert sum(d["answers"] for d in answers["days"]) == (1 if everything else 0)


# -- b. `since` with digits int() refuses ----------------------------------------------------------
@pytest.mark.parametrize("since", ["²", "٣", "1²", "①", "１"])
def test_since_with_non_ascii_digits_is_a_400(client, device, since):
    h = {"Authorization": f"Bearer {device[1]}"}
    for path in ("/api/v1/queue", "/api/v1/queue/stream"):
        r = client.get(path, params={"since": since}, headers=h)
        assert r.status_code == 400 and "'since' must be a call id" in r.json()["detail"], (path, r.text)


# -- c. a lone surrogate as the event id --------------------------------------------------------------
def test_a_lone_surrogate_id_is_rejected_alone_and_again_on_resend(client, device, engine):
    dev, token = device
    good = [fb(dev, 1), fb(dev, 3)]
    text = json.dumps({"events": [good[0], fb(dev, 2, id="\ud800"), good[1]]})  # ASCII JSON: "\ud800"
    assert '"\\ud800"' in text
    first = post_raw(client, token, text)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["accepted"] == 2 and body["duplicates"] == 0
    assert [(r["index"], r["id"]) for r in body["rejected"]] == [(1, "\\ud800")]
    assert "UUID" in body["rejected"][0]["error"]
    again = post_raw(client, token, text)
    assert again.status_code == 200
    assert again.json() == {**body, "accepted": 0, "duplicates": 2}
    assert sorted(r.id for r in stored(engine)) == sorted(e["id"] for e in good)


def test_lone_surrogates_elsewhere_never_a_500(client, device):
    dev, token = device
    r = post_raw(client, token, json.dumps({"events": [fb(dev, 1, device_id="\udfff")]}))
    assert r.status_code == 403
    r = post_raw(client, token, json.dumps({"events": [fb(dev, 1, type="\ud800.x"), fb(dev, 2, boot_id="\ud800"),
                                                        fb(dev, 3, id="a" * 200 + "\ud800")]}))
    assert r.status_code == 200 and len(r.json()["rejected"]) == 3


# -- d. the device clock headers -----------------------------------------------------------------------
@pytest.mark.parametrize("mono", ["nan", "NaN", "inf", "-inf", "1e308", "1e400", "999999999999", "-5",
                                  "9" * 400, "0x10", "1_000", "٣".encode(), "3" + "0" * 20,
                                  "1e3", " 5", "5.0000000001"])
def test_device_clock_headers_far_off_are_ignored(client, device, engine, mono):
    dev, token = device
    e = fb(dev, 1, occurred_at="1970-01-01T00:10:00.000Z", boot_id="boot-a", monotonic=0.0)
    r = post(client, token, [e], **{"X-Kiosk-Boot-Id": "boot-a", "X-Kiosk-Monotonic": mono})
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    with engine.connect() as c:
        row = c.execute(sa.select(events).where(events.c.id == e["id"])).one()
    assert row.effective_at == row.received_at  # 1970 is plainly wrong; nothing better was known


def test_a_plausible_clock_header_still_corrects_the_time(client, device, engine):
    dev, token = device
    e = fb(dev, 1, occurred_at="1970-01-01T00:10:00.000Z", boot_id="boot-a", monotonic=500.0)
    assert post(client, token, [e], **{"X-Kiosk-Boot-Id": "boot-a", "X-Kiosk-Monotonic": "600.0"}).status_code == 200
    with engine.connect() as c:
        row = c.execute(sa.select(events).where(events.c.id == e["id"])).one()
    assert abs((row.received_at - row.effective_at).total_seconds() - 100) < 2


@pytest.mark.parametrize("header,value", [("5", None), ("nan", None), ("1e400", None), ("-1", None),
                                          ("315000000", 315000000.0), ("", None), ("12.5", 12.5)])
def test_device_clock_from_headers(header, value):
    assert ingest.DeviceClock.from_headers("b", header).monotonic == (5.0 if header == "5" else value)


# -- e. deadlocks and serialization failures: retried, then 503 ------------------------------------------
class _PgError(Exception):
    def __init__(self, sqlstate):
        super().__init__(f"simulated {sqlstate}")
        self.sqlstate = sqlstate


def _lost(sqlstate="40P01"):
    return sa.exc.OperationalError("INSERT", {}, _PgError(sqlstate))


def test_retrying_retries_races_only_with_jittered_waits():
    waits, calls = [], []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise _lost("40001" if len(calls) == 1 else "40P01")
        return "stored"
    assert db.retrying(flaky, attempts=4, sleep=waits.append) == "stored"
    assert len(calls) == 3 and len(waits) == 2 and all(0 <= w <= 0.5 for w in waits)
    calls.clear()
    with pytest.raises(db.Contended):
        db.retrying(lambda: calls.append(1) or (_ for _ in ()).throw(_lost()), attempts=4, sleep=waits.append)
    assert len(calls) == 4
    other = sa.exc.OperationalError("SELECT", {}, _PgError("08006"))  # connection lost: not retried here
    with pytest.raises(sa.exc.OperationalError):
        db.retrying(lambda: (_ for _ in ()).throw(other), sleep=waits.append)


def test_a_batch_that_keeps_losing_races_gets_503_with_retry_after(client, device, monkeypatch):
    dev, token = device
    tries = []

    def always_deadlocked(*a, **kw):
        tries.append(1)
        raise _lost()
    monkeypatch.setattr(ingest, "store_batch_on", always_deadlocked)
    r = post(client, token, [fb(dev, 1)])
    assert r.status_code == 503 and r.headers["Retry-After"] == "1" and len(tries) == 4


def test_a_batch_that_lost_one_race_is_stored_on_the_retry(client, device, engine, monkeypatch):
    dev, token = device
    real, tries = ingest.store_batch_on, []

    def once_deadlocked(*a, **kw):
        tries.append(1)
        if len(tries) == 1:
            raise _lost()
        return real(*a, **kw)
    monkeypatch.setattr(ingest, "store_batch_on", once_deadlocked)
    e = fb(dev, 1)
    assert post(client, token, [e]).json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert len(tries) == 2 and [r.id for r in stored(engine)] == [e["id"]]


# -- f. request bodies (the middleware on its own) ---------------------------------------------------------
def _run_asgi(mw, messages, headers):
    """Drive a middleware with a fake server: `messages` are what receive() gives (None:
    never answers); returns what was sent and any exception that escaped."""
    sent = []

    async def receive():
        if not messages:
            await asyncio.sleep(3600)
        m = messages.pop(0)
        if m is None:
            await asyncio.sleep(3600)
        return m

    async def send(m):
        sent.append(m)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/events", "headers": headers,
             "client": ("127.0.0.1", 5)}

    async def main():
        await mw(scope, receive, send)
    asyncio.run(main())
    return sent


async def _reads_body(scope, receive, send):
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    body = await Request(scope, receive).body()
    await JSONResponse({"got": len(body)})(scope, receive, send)


def test_body_time_limit_answers_408():
    mw = BodyLimit(_reads_body, limit=1000, timeout_s=0.2)
    sent = _run_asgi(mw, [{"type": "http.request", "body": b"{", "more_body": True}, None],
                     [(b"content-length", b"900")])
    assert sent[0]["status"] == 408 and b"within 0.2 s" in sent[1]["body"]


def test_body_size_limit_answers_413_while_streaming():
    mw = BodyLimit(_reads_body, limit=1000, timeout_s=5)
    chunk = {"type": "http.request", "body": b"x" * 600, "more_body": True}
    sent = _run_asgi(mw, [chunk, dict(chunk), None], [(b"transfer-encoding", b"chunked")])
    assert sent[0]["status"] == 413


def test_a_client_gone_mid_upload_is_one_log_line(caplog):
    mw = BodyLimit(_reads_body, limit=1000, timeout_s=5)
    with caplog.at_level("INFO", logger="central.body"):
        sent = _run_asgi(mw, [{"type": "http.request", "body": b"{", "more_body": True},
                              {"type": "http.disconnect"}], [(b"content-length", b"900")])
    assert sent == []
    lines = [r for r in caplog.records if r.name == "central.body"]
    assert len(lines) == 1 and "went away after 1 bytes" in lines[0].getMessage() and not lines[0].exc_info


def test_requests_without_a_body_are_not_timed():
    async def slow_get(scope, receive, send):
        await asyncio.sleep(0.3)
        assert (await receive())["type"] == "http.request"
        await send({"type": "http.response.start", "status": 204, "headers": []})
    sent = _run_asgi(BodyLimit(slow_get, limit=1000, timeout_s=0.1),
                     [{"type": "http.request", "body": b"", "more_body": False}], [])
    assert sent[0]["status"] == 204


def test_an_unknown_token_is_refused_before_the_body_is_read(client, device, monkeypatch):
    read = []
    from starlette.requests import Request
    real = Request.body

    async def spy(self):
        read.append(1)
        return await real(self)
    monkeypatch.setattr(Request, "body", spy)
    r = post(client, "not-a-token", [fb(device[0], 1)])
    assert r.status_code == 401 and r.headers["connection"] == "close" and read == []
    assert post(client, device[1], [fb(device[0], 1)]).status_code == 200 and read == [1]


# -- item 8: device roles -----------------------------------------------------------------------------------
def test_a_feedback_device_may_post_only_what_a_feedback_pillar_makes(client, engine):
    token = device_roles.add(engine, "pillar-f", "feedback")
    batch = [fb("pillar-f", 1), make_event("pillar-f", 2, "ticket.issued", issued_payload("passport", 1), AT),
             make_event("pillar-f", 3, "heartbeat", {"outbox_pending": 0}, AT)]
    r = post(client, token, batch)
    assert r.status_code == 200
    body = r.json()
    assert body["accepted"] == 2 and [x["index"] for x in body["rejected"]] == [1]
    assert body["rejected"][0]["error"] == "a device with role 'feedback' does not send 'ticket.issued' events"
    assert {r.id for r in stored(engine)} == {batch[0]["id"], batch[2]["id"]}


@pytest.mark.parametrize("role,type_,ok", [
    ("tickets", "ticket.issued", True), ("tickets", "route.shown", True), ("tickets", "help.requested", True),
    ("tickets", "feedback.given", False), ("wayfinding", "route.shown", True),
    ("wayfinding", "ticket.printed", False), ("feedback", "feedback.suppressed", True),
    ("feedback", "config.changed", True), ("feedback", "help.requested", True),
    ("wayfinding", "help.cancelled", True), ("home", "ticket.issued", True), ("home", "custom.thing", True)])
def test_role_table(role, type_, ok):
    assert (device_roles.problem(role, type_) is None) == ok


def test_every_kiosk_role_is_a_device_role():
    from kiosk.config.model import ROLES as KIOSK_ROLES
    assert set(KIOSK_ROLES) <= set(device_roles.ROLES)


def test_a_display_token_cannot_post_but_reads_the_queue(client, engine):
    token = device_roles.add(engine, "hall-screen", "display")
    r = post(client, token, [make_event("hall-screen", 1, "heartbeat", {}, AT)])
    assert r.status_code == 403 and "role 'display' may not post" in r.json()["detail"]
    assert post(client, token, []).status_code == 403
    assert client.get("/api/v1/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert stored(engine) == []


def test_rotate_and_revoke(client, engine):
    old = device_roles.add(engine, "pillar-r", "feedback")
    new = device_roles.rotate(engine, "pillar-r")
    assert post(client, old, [fb("pillar-r", 1)]).status_code == 401
    assert post(client, new, [fb("pillar-r", 1)]).json()["accepted"] == 1
    assert device_roles.revoke(engine, "pillar-r") is True
    assert device_roles.revoke(engine, "pillar-r") is False
    assert post(client, new, [fb("pillar-r", 2)]).status_code == 401
    assert client.get("/api/v1/queue", headers={"Authorization": f"Bearer {new}"}).status_code == 401
    with pytest.raises(device_roles.Revoked):
        device_roles.rotate(engine, "pillar-r")
    with pytest.raises(device_roles.UnknownDevice):
        device_roles.revoke(engine, "nobody")
    assert len(stored(engine, device_id="pillar-r")) == 1  # its events stay


def test_an_event_id_used_by_another_device_is_rejected_not_a_duplicate(client, engine, device):
    dev, token = device
    other = device_roles.add(engine, "pillar-2")
    e = fb(dev, 1)
    assert post(client, token, [e]).json()["accepted"] == 1
    copy = {**fb("pillar-2", 1), "id": e["id"]}
    fresh = fb("pillar-2", 2)
    r = post(client, other, [fresh, copy]).json()
    assert r == {"accepted": 1, "duplicates": 0,
                 "rejected": [{"index": 1, "id": e["id"], "error": "event id already used by another device"}]}
    assert post(client, token, [e]).json() == {"accepted": 0, "duplicates": 1, "rejected": []}
    assert [(x.id, x.device_id) for x in stored(engine, id=e["id"])] == [(e["id"], dev)]


def test_a_ticket_with_another_devices_event_id_is_not_queued(client, engine, device):
    from central.db import queue_tickets
    dev, token = device
    other = device_roles.add(engine, "kiosk-2", "tickets")
    first = make_event(dev, 1, "ticket.issued", issued_payload("passport", 1), AT)
    assert post(client, token, [first]).json()["accepted"] == 1
    copy = make_event("kiosk-2", 1, "ticket.issued", issued_payload("parking", 7), AT, event_id=first["id"])
    assert post(client, other, [copy]).json()["rejected"][0]["error"] == ingest.FOREIGN_ID
    with engine.connect() as c:
        assert c.execute(sa.select(queue_tickets.c.device_id)).scalars().all() == [dev]


def test_rate_limit_per_device_token(settings, engine):
    from fastapi.testclient import TestClient

    from central.app import create_app
    settings.device_events_per_min = 10
    a = device_roles.add(engine, "pillar-a", "feedback")
    b = device_roles.add(engine, "pillar-b", "feedback")
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
        assert post(client, a, [fb("pillar-a", i) for i in range(6)]).status_code == 200
        r = post(client, a, [fb("pillar-a", i) for i in range(6, 12)])
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert "10 events a minute" in r.json()["detail"]
        assert post(client, b, [fb("pillar-b", i) for i in range(6)]).status_code == 200  # its own bucket
    assert len(stored(engine, device_id="pillar-a")) == 6


def test_event_rate_refills_over_time():
    now = [1000.0]
    rate = device_roles.EventRate(60, clock=lambda: now[0])
    assert rate.take("d", 60) is None
    assert rate.take("d", 1) == pytest.approx(1.0)
    now[0] += 10
    assert rate.take("d", 10) is None and rate.take("d", 1) is not None
    assert rate.take("d", 0) is None
    now[0] += 120
    assert rate.take("d", 5000) is None  # a batch over a minute's worth passes when the bucket is full
    assert rate.take("e", 1) is None


def test_every_event_id_in_these_tests_is_a_uuid():
    assert uuid.UUID(fb("d", 1)["id"])
