"""The events API on SQLite and on a real PostgreSQL: idempotent ingest, per-event
rejection, auth and size limits, health and the OpenAPI document."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import sqlalchemy as sa

from central import auth
from central.db import devices, events


def ev(device_id="pillar-1", seq=1, type_="feedback.given", payload=None, **over):
    e = {"id": str(uuid.uuid4()), "device_id": device_id, "seq": seq, "type": type_,
         "occurred_at": "2026-03-02T09:00:00.000Z",
         "payload": payload if payload is not None else
         {"answer": 5, "scale": 5, "sentiment": "positive", "reasons": ["clarity"], "language": "nl",
          "time_to_answer_ms": 1200, "ended_by": "done"},
         "boot_id": "b1", "monotonic": 100.0}
    e.update(over)
    return e


def post(client, token, events_, **kw):
    return client.post("/api/v1/events", content=json.dumps({"events": events_}),  # ASCII: escapes surrogates
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                **kw.pop("headers", {})}, **kw)


def count(engine, **where):
    q = sa.select(sa.func.count()).select_from(events)
    for k, v in where.items():
        q = q.where(events.c[k] == v)
    with engine.connect() as c:
        return c.execute(q).scalar_one()


def test_batch_is_stored_once_and_resend_counts_duplicates(client, device, engine):
    dev, token = device
    batch = [ev(seq=i) for i in range(1, 51)]
    r = post(client, token, batch)
    assert r.status_code == 200, r.text
    assert r.json() == {"accepted": 50, "duplicates": 0, "rejected": []}
    r = post(client, token, batch[:30] + [ev(seq=51)])
    assert r.json() == {"accepted": 1, "duplicates": 30, "rejected": []}
    assert count(engine) == 51
    # the same id twice in one batch is stored once
    one = ev(seq=60)
    assert post(client, token, [one, dict(one)]).json() == {"accepted": 1, "duplicates": 1, "rejected": []}
    assert count(engine) == 52


def test_stored_fields_and_receive_time(client, device, engine):
    dev, token = device
    e = ev(seq=7, type_="custom.thing", payload={"x": [1, 2, {"y": "z"}]})
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    assert post(client, token, [e]).json()["accepted"] == 1
    with engine.connect() as c:
        row = c.execute(sa.select(events).where(events.c.id == e["id"])).one()
    assert row.device_id == dev and row.seq == 7 and row.type == "custom.thing"
    assert row.payload == {"x": [1, 2, {"y": "z"}]}
    assert row.occurred_at == dt.datetime(2026, 3, 2, 9, 0)
    assert row.received_at >= before - dt.timedelta(seconds=1)
    assert row.boot_id == "b1" and row.monotonic == 100.0


def test_bad_events_are_rejected_alone(client, device, engine):
    dev, token = device
    good = [ev(seq=1), ev(seq=2)]
    bad = [
        ("not an object", 42),
        ("id", ev(id="nope")),
        ("id", ev(id=None)),
        ("seq", ev(seq=-1)),
        ("seq", ev(seq=True)),
        ("type", ev(type_="Bad Type!")),
        ("occurred_at", ev(occurred_at="yesterday")),
        ("time zone", ev(occurred_at="2026-03-02T09:00:00")),
        ("payload", ev(payload=[1])),
        ("payload.answer", ev(payload={"answer": 9, "scale": 5, "sentiment": "positive"})),
        ("payload.sentiment", ev(payload={"answer": 1, "scale": 5, "sentiment": "meh"})),
        ("payload.service", ev(type_="ticket.issued", payload={"number": 3})),
        ("NUL", ev(type_="x.y", payload={"t": "a\x00b"})),
        ("device_id", ev(device_id=5)),
        ("monotonic", ev(monotonic="soon")),
        ("lone surrogate", ev(type_="x.y", payload={"t": "\ud800"})),
        ("huge integer", ev(type_="x.y", payload={"n": 2 ** 70})),
        ("monotonic beyond floats", ev(monotonic=10 ** 400)),  # was a 500 (float() overflowed)
        ("type with a newline", ev(type_="x.y\n")),
        ("before year 1 in UTC", ev(occurred_at="0001-01-01T00:30:00+01:00")),
        ("after year 9999 in UTC", ev(occurred_at="9999-12-31T23:30:00-01:00")),
    ]
    r = post(client, token, [good[0]] + [b for _, b in bad] + [good[1]])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 2 and body["duplicates"] == 0
    assert [x["index"] for x in body["rejected"]] == list(range(1, len(bad) + 1))
    for (what, _), rej in zip(bad, body["rejected"]):
        assert rej["error"], what
    assert "UUID" in body["rejected"][1]["error"]
    assert "1..5" in body["rejected"][9]["error"]
    assert "years 1..9999" in body["rejected"][-1]["error"]
    assert count(engine) == 2


def test_auth_401_and_403(client, device, engine):
    dev, token = device
    e = ev()
    assert client.post("/api/v1/events", json={"events": [e]}).status_code == 401
    r = post(client, "not-a-token", [e])
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/v1/events", json={"events": [e]}, headers={"Authorization": f"Basic {token}"})
    assert r.status_code == 401
    other = auth.add_device(engine, "pillar-2")
    r = post(client, other, [ev(seq=1, device_id="pillar-2"), e])  # e claims to be pillar-1
    assert r.status_code == 403 and "pillar-1" in r.json()["detail"]
    assert count(engine) == 0  # nothing of a forbidden batch is stored


def test_413_for_big_batches_and_bodies(client, device, settings):
    dev, token = device
    r = post(client, token, [ev(seq=i) for i in range(settings.max_batch + 1)])
    assert r.status_code == 413 and "batch limit" in r.json()["detail"]
    big = ev(type_="x.y", payload={"blob": "a" * (settings.max_body_bytes + 10)})
    r = post(client, token, [big])
    assert r.status_code == 413 and "body" in r.json()["detail"]
    # a payload over the per-event limit is rejected alone
    r = post(client, token, [ev(type_="x.y", payload={"blob": "a" * 20000}), ev(seq=2)])
    assert r.status_code == 200 and r.json()["accepted"] == 1
    assert "over the limit" in r.json()["rejected"][0]["error"]


def test_malformed_bodies_get_4xx_with_a_message(client, device):
    dev, token = device
    h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for body in [b"", b"{", b"[]", b'{"events": 5}', b'{"events": [NaN]}', b"\xff\xfe", b"null",
                 b'{"events": {}}', b"[" * 5000 + b"]" * 5000]:
        r = client.post("/api/v1/events", content=body, headers=h)
        assert 400 <= r.status_code < 500, (body[:20], r.status_code)
        assert r.json()["detail"]


def test_wrong_clock_is_corrected_from_monotonic_time(client, device, engine):
    dev, token = device
    # the device booted without a clock: its wall time says 1970, but it sent its monotonic reading
    e = ev(occurred_at="1970-01-01T00:10:00.000Z", boot_id="boot-a", monotonic=500.0)
    same_boot_ok = ev(seq=2, occurred_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                      boot_id="boot-a", monotonic=590.0)
    r = post(client, token, [e, same_boot_ok], headers={"X-Kiosk-Boot-Id": "boot-a", "X-Kiosk-Monotonic": "600.0"})
    assert r.json()["accepted"] == 2
    with engine.connect() as c:
        rows = {r.id: r for r in c.execute(sa.select(events))}
    fixed = rows[e["id"]]
    assert fixed.occurred_at.year == 1970  # what the device said is kept
    assert abs((fixed.received_at - fixed.effective_at).total_seconds() - 100) < 2
    ok = rows[same_boot_ok["id"]]
    assert ok.effective_at == ok.occurred_at


def test_heartbeat_updates_the_device_row(client, device, engine):
    dev, token = device
    hb = ev(type_="heartbeat", payload={"outbox_pending": 3, "printer_state": "paper_low"},
            occurred_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    old = ev(seq=0, type_="heartbeat", payload={"outbox_pending": 99}, occurred_at="2026-01-01T00:00:00.000Z")
    assert post(client, token, [hb]).json()["accepted"] == 1
    assert post(client, token, [old]).json()["accepted"] == 1  # late arrival does not overwrite
    with engine.connect() as c:
        row = c.execute(sa.select(devices).where(devices.c.id == dev)).one()
    assert row.heartbeat == {"outbox_pending": 3, "printer_state": "paper_low"}
    assert row.last_seen_at is not None


def test_healthz_and_openapi(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["revision"] == "0010_rollups"
    doc = client.get("/openapi.json").json()
    for path in ["/api/v1/events", "/api/v1/stats/feedback", "/api/v1/stats/tickets", "/healthz",
                 "/dashboard", "/api/v1/export/events.csv", "/api/v1/export/daily.csv",
                 "/api/v1/tickets/{token}", "/t/{token}"]:
        assert path in doc["paths"], path
    assert "EventBatch" in doc["components"]["schemas"]
    assert doc["paths"]["/api/v1/events"]["post"]["requestBody"]["content"]["application/json"]


def test_unknown_paths_and_methods_are_4xx(client):
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.get("/api/v1/events").status_code == 405
