"""The queue on SQLite and PostgreSQL: projection of ticket.issued (exactly once), states,
the appointment priority rule, earlier days, and GET /api/v1/queue (auth and shape)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
import sqlalchemy as sa

from central import calling, hall, queue
from central.db import queue_calls, queue_tickets, utcnow
from central.settings import QueueSettings
from central_kit import issued_payload, make_event, midday_zone, rfc3339


@pytest.fixture
def qs():
    return QueueSettings(timezone=midday_zone(), walk_in_max_wait_min=20, default_service_min=6)


@pytest.fixture
def settings(settings, qs):  # the shared settings, with a queue zone where it is about noon now
    return dataclasses.replace(settings, queue=qs)


class Kiosk:
    """Posts ticket.issued events like a ticket kiosk does."""

    def __init__(self, client, device):
        self.client, (self.dev, self.token) = client, device
        self.seq = 0

    def events(self, *payload_times) -> list[dict]:
        out = []
        for payload, at in payload_times:
            self.seq += 1
            out.append(make_event(self.dev, self.seq, "ticket.issued", payload, rfc3339(at)))
        return out

    def post(self, events: list[dict]) -> dict:
        r = self.client.post("/api/v1/events", json={"events": events},
                             headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 200, r.text
        return r.json()


def entries(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(queue_tickets).order_by(queue_tickets.c.id)).all()


def test_each_ticket_issued_makes_one_entry_exactly_once(client, engine, device):
    k = Kiosk(client, device)
    now = utcnow()
    first = k.events((issued_payload("passport", 1, wait=(5, 15)), now - dt.timedelta(minutes=3)),
                     (issued_payload("passport", 2, appointment=True, lang="en"), now - dt.timedelta(minutes=2)),
                     (issued_payload("parking", 1, ticket_id=3, prefix="B", wait=None), now))
    feedback = make_event(k.dev, 99, "feedback.given", {"answer": 5, "scale": 5, "sentiment": "positive"},
                          rfc3339(now))
    assert k.post(first + [feedback])["accepted"] == 4
    rows = entries(engine)
    assert [(r.label, r.service, r.state, r.appointment, r.lang) for r in rows] == [
        ("A001", "passport", "waiting", False, "nl"), ("A002", "passport", "waiting", True, "en"),
        ("B001", "parking", "waiting", False, "nl")]
    assert (rows[0].est_low_min, rows[0].est_high_min, rows[0].wait_source, rows[0].people_ahead) == (5, 15,
                                                                                                       "configured", 0)
    assert rows[2].est_low_min is None and rows[2].ticket_ref == "3" and rows[2].day == "2026-03-02"
    assert abs((rows[0].issued_at - (now - dt.timedelta(minutes=3))).total_seconds()) < 0.01
    # the same events again, a replay of ticket 1 under a new event id, and two copies in one batch
    assert k.post(first)["duplicates"] == 3
    replay = k.events((issued_payload("passport", 1), now))
    twice = k.events((issued_payload("waste", 7), now))
    twice.append({**twice[0], "id": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "seq": 1000})
    assert k.post(replay + twice)["accepted"] == 3
    rows = entries(engine)
    assert [r.label for r in rows] == ["A001", "A002", "B001", "A007"]


def test_ticket_issued_without_ticket_id_or_day_is_keyed_by_its_event(client, engine, device):
    k = Kiosk(client, device)
    bare = {"service": "passport", "number": 4, "estimated_wait_min": [1, 2]}
    evs = k.events((bare, utcnow()), (bare, utcnow()))
    k.post(evs)
    k.post(evs)
    rows = entries(engine)
    assert [(r.ticket_ref, r.day, r.label, r.lang) for r in rows] == [
        ("e:" + evs[0]["id"], "", "4", None), ("e:" + evs[1]["id"], "", "4", None)]


PREFIX = {"passport": "A", "parking": "B"}
_ids = itertools.count(1000)


def seed(client, device, *specs, now):
    """specs: (service, number, minutes ago, appointment) -> queue entry ids by label."""
    k = Kiosk(client, device)
    k.post(k.events(*[(issued_payload(s, n, ticket_id=next(_ids), prefix=PREFIX[s], appointment=a),
                       now - dt.timedelta(minutes=m)) for s, n, m, a in specs]))
    return {r.label: r.id for r in entries(client.app.state.engine)}


def test_states_call_recall_served_no_show_put_back(client, engine, device, qs):
    now = utcnow()
    ids = seed(client, device, ("passport", 1, 10, False), ("passport", 2, 8, False), ("passport", 3, 6, False),
               now=now)
    t = calling.call_next(engine, qs, "4", ["passport"], now=now)
    assert (t["label"], t["state"], t["desk"], t["recall"], t["real_wait_min"]) == ("A001", "called", "4", False, 10.0)
    later = now + dt.timedelta(minutes=1)
    r = calling.recall(engine, ids["A001"], "4", now=later)
    assert r["recall"] is True and r["call_id"] > t["call_id"] and r["real_wait_min"] == 10.0
    assert calling.finish(engine, ids["A001"], "served", now=later)["state"] == "served"
    with pytest.raises(calling.Conflict, match="A001 is served; only a called ticket can be recalled"):
        calling.recall(engine, ids["A001"], "4")
    with pytest.raises(calling.Conflict, match="A002 is waiting"):
        calling.finish(engine, ids["A002"], "served")
    with pytest.raises(calling.NotFound, match="no ticket with id 999999"):
        calling.finish(engine, 999999, "no_show")
    b = calling.call(engine, qs, ids["A003"], "5", now=later)
    assert b["label"] == "A003" and b["desk"] == "5"
    with pytest.raises(calling.Conflict, match="A003 is called; only a waiting ticket can be called"):
        calling.call(engine, qs, ids["A003"], "4", now=later)
    assert calling.finish(engine, ids["A003"], "waiting")["state"] == "waiting"  # put back
    n = calling.call_next(engine, qs, "4", ["passport"], now=later)
    assert n["label"] == "A002"  # A003 went back by its issue time, after A002
    assert calling.finish(engine, ids["A002"], "no_show", now=later)["state"] == "no_show"
    again = calling.call_next(engine, qs, "4", ["passport"], now=later)
    assert again["label"] == "A003" and again["real_wait_min"] == 7.0  # real wait counts from the first call
    calling.finish(engine, ids["A003"], "served", now=later)
    assert calling.call_next(engine, qs, "4", ["passport"], now=later) is None
    with engine.connect() as conn:
        calls = conn.execute(sa.select(queue_calls.c.label, queue_calls.c.desk, queue_calls.c.recall)
                             .order_by(queue_calls.c.id)).all()
    assert [tuple(c) for c in calls] == [("A001", "4", False), ("A001", "4", True), ("A003", "5", False),
                                         ("A002", "4", False), ("A003", "4", False)]
    assert {r.label: r.state for r in entries(engine)} == {"A001": "served", "A002": "no_show", "A003": "served"}


@pytest.mark.parametrize("waits, expected", [
    # (label, minutes waited, appointment) ... -> call order with walk_in_max_wait_min = 20
    ([("W1", 15, False), ("P1", 5, True), ("W2", 10, False)], ["P1", "W1", "W2"]),
    ([("W1", 25, False), ("P1", 30, True), ("W2", 10, False)], ["W1", "P1", "W2"]),
    ([("W1", 25, False), ("W2", 21, False), ("P1", 2, True), ("P2", 1, True)], ["W1", "W2", "P1", "P2"]),
    ([("P1", 2, True), ("P2", 40, True), ("W1", 19, False)], ["P2", "P1", "W1"]),
    ([("W1", 5, False), ("W2", 9, False)], ["W2", "W1"]),
])
def test_order_key_appointments_first_unless_a_walk_in_waited_too_long(waits, expected):
    now = dt.datetime(2026, 3, 2, 11, 0)
    over = now - dt.timedelta(minutes=20)
    keyed = sorted(waits, key=lambda w: calling.order_key(w[2], now - dt.timedelta(minutes=w[1]), 0, over))
    assert [w[0] for w in keyed] == expected


def test_call_next_follows_the_appointment_rule_and_services(client, engine, device, qs):
    now = utcnow()
    k = Kiosk(client, device)
    k.post(k.events((issued_payload("passport", 1), now - dt.timedelta(minutes=15)),
                    (issued_payload("passport", 2, appointment=True), now - dt.timedelta(minutes=5)),
                    (issued_payload("parking", 3, prefix="B"), now - dt.timedelta(minutes=50)),
                    (issued_payload("passport", 4), now - dt.timedelta(minutes=10))))
    order = [calling.call_next(engine, qs, "1", ["passport"], now=now)["label"] for _ in range(3)]
    assert order == ["A002", "A001", "A004"]
    assert calling.call_next(engine, qs, "1", ["passport"], now=now) is None
    # ten minutes on, the walk-in B003 has waited an hour; a new appointment does not pass it
    k.post(k.events((issued_payload("parking", 5, prefix="B", appointment=True), now)))
    later = now + dt.timedelta(minutes=10)
    assert calling.call_next(engine, qs, "2", ["parking", "passport"], now=later)["label"] == "B003"
    assert calling.call_next(engine, qs, "2", ["parking"], now=later)["label"] == "B005"


def test_tickets_of_earlier_days_are_not_offered(client, engine, device, qs):
    now = utcnow()
    ids = seed(client, device, ("passport", 1, 60 * 26, False), ("passport", 2, 1, False), now=now)
    assert calling.call_next(engine, qs, "1", ["passport"], now=now)["label"] == "A002"
    assert calling.call_next(engine, qs, "1", ["passport"], now=now) is None
    with pytest.raises(calling.Conflict, match="earlier day"):
        calling.call(engine, qs, ids["A001"], "1", now=now)


def test_queue_needs_a_device_token(client, device):
    assert client.get("/api/v1/queue").status_code == 401
    r = client.get("/api/v1/queue", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401 and r.json()["detail"] == "unknown device token"
    assert client.get("/api/v1/queue", headers={"Authorization": "Basic YWRtaW46eA=="}).status_code == 401
    auth = {"Authorization": f"Bearer {device[1]}"}
    for bad in ("-1", "x", "1.5", "9" * 30, ""):
        r = client.get("/api/v1/queue", params={"since": bad}, headers=auth)
        assert r.status_code == 400 and "'since' must be a call id" in r.json()["detail"], (bad, r.text)
    assert client.get("/api/v1/queue", headers=auth).status_code == 200


def test_queue_shape_waiting_estimate_desks_and_calls(client, engine, device, qs):
    auth = {"Authorization": f"Bearer {device[1]}"}
    empty = client.get("/api/v1/queue", headers=auth).json()
    assert set(empty) == {"server_time", "services", "calls", "help"} and empty["services"] == {} \
        and empty["calls"] == [] and empty["help"] == []
    now = utcnow()
    seed(client, device, *[("passport", n, 30 - n, False) for n in range(1, 8)], ("parking", 1, 5, False), now=now)
    with calling.transaction(engine) as conn:
        calling.touch_desk(conn, "9", ["waste"], now)  # a desk signed in for a service without tickets
    first = calling.call_next(engine, qs, "4", ["passport"], now=now)
    calling.call_next(engine, qs, "5", ["passport"], now=now)
    calling.recall(engine, first["id"], "4", now=now)
    body = client.get("/api/v1/queue", headers=auth).json()
    assert body["services"] == {
        # 5 waiting x 6 min (default, nothing served yet) / 2 desks = 15 -> [11, 19]
        "passport": {"waiting": 5, "est_wait_min": [11, 19], "desks": 2},
        "parking": {"waiting": 1, "est_wait_min": [4, 8], "desks": 0},   # 6 min, one desk assumed
        "waste": {"waiting": 0, "est_wait_min": [0, 0], "desks": 0}}
    calls = body["calls"]
    assert [(c["ticket"], c["desk"], c["recall"], c["service"], c["lang"]) for c in calls] == [
        ("A001", "4", False, "passport", "nl"), ("A002", "5", False, "passport", "nl"),
        ("A001", "4", True, "passport", "nl")]
    assert all(set(c) == {"call_id", "ticket", "service", "desk", "lang", "called_at", "recall"} for c in calls)
    assert calls[0]["call_id"] < calls[1]["call_id"] < calls[2]["call_id"]
    assert calls[0]["called_at"] == queue.iso(now) and calls[0]["called_at"].endswith("Z")
    dt.datetime.strptime(body["server_time"], "%Y-%m-%dT%H:%M:%S.%fZ")
    since = client.get("/api/v1/queue", params={"since": calls[1]["call_id"]}, headers=auth).json()["calls"]
    assert [c["call_id"] for c in since] == [calls[2]["call_id"]]
    assert client.get("/api/v1/queue", params={"since": calls[2]["call_id"]}, headers=auth).json()["calls"] == []


def test_estimate_uses_served_visits_of_the_last_two_hours(engine, client, device, qs):
    now = utcnow()
    ids = seed(client, device, *[("passport", n, 40 - n, False) for n in range(1, 7)], now=now)
    t0 = now - dt.timedelta(minutes=25)
    calling.call(engine, qs, ids["A001"], "1", now=t0)
    calling.finish(engine, ids["A001"], "served", now=t0 + dt.timedelta(minutes=4))
    calling.call(engine, qs, ids["A002"], "1", now=t0 + dt.timedelta(minutes=4))
    calling.finish(engine, ids["A002"], "served", now=t0 + dt.timedelta(minutes=16))
    snap = hall.snapshot(engine, qs, now=now)
    # 4 waiting x 8 min average (4 and 12) / 1 desk = 32 -> [24, 40]
    assert snap["services"]["passport"] == {"waiting": 4, "est_wait_min": [24, 40], "desks": 1}
    three_hours_on = hall.snapshot(engine, qs, now=now + dt.timedelta(hours=3))
    assert three_hours_on["services"]["passport"]["est_wait_min"] == [18, 30]  # default 6 min again, 0 desks -> 1


def test_latest_ten_calls_without_since(engine, client, device, qs):
    now = utcnow()
    seed(client, device, *[("passport", n, 60 - n, False) for n in range(1, 15)], now=now)
    for _ in range(14):
        calling.call_next(engine, qs, "2", ["passport"], now=now)
    calls = hall.snapshot(engine, qs, now=now)["calls"]
    assert [c["ticket"] for c in calls] == [f"A{n:03d}" for n in range(5, 15)]
    assert len(hall.snapshot(engine, qs, since=0, now=now)["calls"]) == 14


AT = dt.datetime(2026, 3, 2, 9, 0)


@pytest.mark.parametrize("payload, expected", [
    # payload -> (ticket_ref, day, label, lang, appointment, low, high, wait_source, people_ahead)
    (issued_payload("passport", 12, ticket_id=40, lang="en", appointment=True, wait=(3, 9.5)),
     ("40", "2026-03-02", "A012", "en", True, 3.0, 9.5, "configured", 0)),
    ({"service": "s", "ticket_id": True, "day": "2 March", "label": "", "number": 7, "lang": "english!",
      "appointment": "yes", "estimated_wait_min": [True, 3], "wait_source": "guess", "people_ahead": -1},
     ("e:EV", "", "7", None, False, None, None, None, None)),
    ({"service": "s", "ticket_id": -5, "label": "x" * 33, "number": "7", "language": "nl-BE",
      "estimated_wait_min": [1, 2, 3], "wait_source": "live", "people_ahead": 3},
     ("e:EV", "", "?", "nl-BE", False, None, None, "live", 3)),
    ({"service": "s", "label": " B7 ", "lang": "tr", "estimated_wait_min": [20000, 1]},
     ("e:EV", "", "B7", "tr", False, None, None, None, None)),
    ({"service": "s", "label": "A\n1", "number": 1}, ("e:EV", "", "1", None, False, None, None, None, None)),
])
def test_entry_keeps_what_is_well_formed_and_leaves_out_the_rest(payload, expected):
    got = queue.entry({"id": "EV", "device_id": "k", "effective_at": AT, "payload": payload})
    ref, day, event_id, service, label, lang, appt, low, high, source, ahead, token_hash, texts, issued = got
    assert (ref, day, label, lang, appt, low, high, source, ahead) == expected
    assert (event_id, service, issued, token_hash, texts) == ("EV", payload["service"], AT, None, None)


@pytest.mark.parametrize("service", [None, 7, "", "x" * 65])
def test_entry_without_a_usable_service_is_skipped(service):
    assert queue.entry({"id": "EV", "device_id": "k", "effective_at": AT, "payload": {"service": service}}) is None
