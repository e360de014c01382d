"""Transfers, priority and pauses through the desk API, on SQLite and PostgreSQL: a transfer
goes desk API -> GET /api/v1/queue ("transfers") -> the hall display's board and spoken text
-> the mobile ticket's JSON with the new service; the reason per waiting ticket; a paused desk
gets a clear 409 and the pause shows in GET /api/v1/stats/desks (times given, not the clock's)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from central import audit, desk_stats
from central.db import desk_pauses, queue_tickets as qt, utcnow
from central.settings import QueueSettings
from central_kit import issued_payload, login, make_event, midday_zone, rfc3339
from kiosk.hall.announce import call_texts
from kiosk.hall.calls import HallBoard
from kiosk.hall.client import parse_answer
from kiosk.i18n import Translator

PASSWORD = "correct horse battery"  # tests/central/conftest.py
TOKEN = "Tk_001-abcdefghij"


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, queue=QueueSettings(
        timezone=midday_zone(), service_names={"parking": "Parkeren"}, max_passed=3))


def post_tickets(client, device, zone):
    """A001 passport walk-in (token, 10 min ago), A002 passport appointment (5 min), A003 walk-in (2 min)."""
    dev, token = device
    now = utcnow()
    from central import queue
    day = queue.today(zone, now)[0].isoformat()
    specs = [(1, 10, False), (2, 5, True), (3, 2, False)]
    batch = []
    for n, ago, appt in specs:
        p = issued_payload("passport", n, ticket_id=n, appointment=appt, lang="en", day=day)
        if n == 1:
            p.update(token=TOKEN, service_name="Passport")
        batch.append(make_event(dev, n, "ticket.issued", p, rfc3339(now - dt.timedelta(minutes=ago))))
    r = client.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"})
    assert r.json()["accepted"] == 3


def ids(client) -> dict:
    return {t["label"]: t["id"] for t in client.get("/api/v1/desk/queue").json()["tickets"]}


def test_transfer_reaches_the_display_and_the_mobile_page(client, engine, device, settings):
    post_tickets(client, device, settings.queue.timezone)
    login(client, "admin", PASSWORD)
    auth = {"Authorization": f"Bearer {device[1]}"}
    waiting = client.get("/api/v1/desk/queue").json()["tickets"]
    assert [(t["label"], t["reason"]) for t in waiting] == [
        ("A002", "appointment"), ("A001", "waited_longest"), ("A003", "waited_longest")]
    board = HallBoard(keep=6)
    board.apply(parse_answer(client.get("/api/v1/queue", headers=auth).json()), 0.0)

    # desk 4 calls the appointment, then A001; A001 goes to parking at desk 5, to the front
    for label in ("A002", "A001"):
        assert client.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]}
                           ).json()["ticket"]["label"] == label
    a1 = ids(client)["A001"]
    bad = client.post("/api/v1/desk/transfer", json={"desk": "4", "entry_id": a1})
    assert bad.status_code == 422 and "to_service, to_desk or both" in bad.text
    r = client.post("/api/v1/desk/transfer", json={"desk": "4", "entry_id": a1, "to_service": "parking",
                                                   "to_desk": "5", "position": "front"})
    assert r.status_code == 200, r.text
    t = r.json()["ticket"]
    assert (t["label"], t["state"], t["service"], t["transferred_from"], t["to_desk"], t["front"]) == (
        "A001", "waiting", "parking", "passport", "5", True)
    again = client.post("/api/v1/desk/transfer", json={"desk": "4", "entry_id": a1, "to_desk": "6"})
    assert again.status_code == 409 and "A001 is waiting; only a called ticket can be transferred" in again.text
    assert [(a.action, a.target, a.detail) for a in audit.rows(engine, action="desk.transfer")] == [
        ("desk.transfer", "A001 @ desk 4", {"ticket": a1, "to_service": "parking", "to_desk": "5", "position": "front"})]

    # the hall: the snapshot marks the transfer; the display speaks it, and does not list it as a call
    snap = client.get("/api/v1/queue", headers=auth, params={"since": board.last_id or 0}).json()
    assert [(m["ticket"], m["service"], m["desk"]) for m in snap["transfers"]] == [("A001", "parking", "5")]
    assert snap["services"]["parking"]["waiting"] == 1
    answer = parse_answer(snap)
    said = board.apply(answer, 1.0)
    assert [c.ticket for c in board.view().calls] == ["A001", "A002"]  # the two calls, not the transfer
    tr = Translator("nl")
    assert [call_texts(c, tr, "nl") for c in said if c.transfer] == [
        [("Nummer A 1, ga naar balie 5", "nl"), ("Number A1, please go to desk 5", "en")]]
    by_service = dataclasses.replace(said[-1], desk="")
    assert call_texts(by_service, tr, "nl", service_name=lambda s, lang: {"nl": "Parkeren"}.get(lang)) == [
        ("Nummer A 1, u wacht nu voor Parkeren", "nl"), ("Number A1, you are now waiting for parking", "en")]

    # the mobile page: the new service, by the name in queue.service_names
    m = client.get(f"/api/v1/tickets/{TOKEN}").json()
    assert (m["label"], m["state"], m["service"], m["service_name"]) == ("A001", "waiting", "parking", "Parkeren")

    # only desk 5 may call it: desk 6 (parking) gets nobody and a clear 409 for the chosen call
    assert client.post("/api/v1/desk/call-next", json={"desk": "6", "services": ["parking"]}).json() == {"ticket": None}
    r = client.post(f"/api/v1/desk/tickets/{a1}/call", json={"desk": "6"})
    assert r.status_code == 409 and "transferred to desk 5; only that desk can call it" in r.json()["detail"]
    r = client.post("/api/v1/desk/call-next", json={"desk": "5", "services": ["waste"]}).json()["ticket"]
    assert (r["label"], r["desk"], r["service"]) == ("A001", "5", "parking")


def test_priority_flag_and_reasons(client, engine, device, settings):
    post_tickets(client, device, settings.queue.timezone)
    login(client, "admin", PASSWORD)
    a3 = ids(client)["A003"]
    r = client.post(f"/api/v1/desk/tickets/{a3}/priority", json={"desk": "4", "priority": True})
    assert r.status_code == 200 and r.json()["ticket"]["priority"] is True
    waiting = client.get("/api/v1/desk/queue").json()["tickets"]
    # priority goes with the appointments, by effective wait (A002: 5 min x 1, A003: 2 min x 2)
    assert [(t["label"], t["reason"]) for t in waiting] == [
        ("A002", "appointment"), ("A003", "priority"), ("A001", "waited_longest")]
    # two calls pass A001 (issued first); its passed count and reason show it
    for _ in range(2):
        client.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]})
    rest = [t for t in client.get("/api/v1/desk/queue").json()["tickets"] if t["state"] == "waiting"]
    assert [(t["label"], t["passed"]) for t in rest] == [("A001", 2)]
    with engine.begin() as conn:
        conn.execute(qt.update().where(qt.c.label == "A001").values(passed=3))
    rest = [t for t in client.get("/api/v1/desk/queue").json()["tickets"] if t["state"] == "waiting"]
    assert [(t["label"], t["reason"]) for t in rest] == [("A001", "passed")]


def test_a_paused_desk_gets_no_call_next_and_the_pause_is_in_the_figures(client, engine, device, settings,
                                                                         staff_users):
    post_tickets(client, device, settings.queue.timezone)
    login(client, "admin", PASSWORD)
    r = client.post("/api/v1/desk/pause", json={"desk": "4", "reason": "lunch"})
    assert r.status_code == 200 and r.json()["desk_state"]["paused"] is True
    r = client.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]})
    assert r.status_code == 409 and r.json()["detail"] == "desk 4 is paused (lunch); resume it before calling tickets"
    state = client.get("/api/v1/desk/queue", params={"desk": "4"}).json()["desk_state"]
    assert (state["paused"], state["reason"]) == (True, "lunch")
    assert client.post("/api/v1/desk/pause", json={"desk": "4", "reason": "x"}).status_code == 409
    assert client.get("/api/v1/desk/queue", params={"desk": "4\x01"}).status_code == 422
    assert client.post("/api/v1/desk/resume", json={"desk": "4"}).json()["desk_state"]["paused"] is False
    assert client.post("/api/v1/desk/resume", json={"desk": "4"}).status_code == 409
    assert client.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]}).status_code == 200
    assert [a.detail for a in audit.rows(engine, action="desk.pause")] == [{"reason": "lunch"}]

    # figures at given times: a day with one served visit of 6 min at desk 7 and a 15-minute pause
    t0 = dt.datetime(2026, 3, 2, 9, 0)
    with engine.begin() as conn:
        conn.execute(sa.delete(desk_pauses))
        conn.execute(qt.update().where(qt.c.label == "A003").values(
            state="served", desk="7", called_at=t0, first_called_at=t0, finished_at=t0 + dt.timedelta(minutes=6)))
        conn.execute(qt.update().where(qt.c.label == "A001").values(
            state="no_show", desk="7", called_at=t0, finished_at=t0 + dt.timedelta(minutes=2)))
    desk_stats.pause(engine, "7", "coffee", now=t0 + dt.timedelta(minutes=10))
    desk_stats.resume(engine, "7", now=t0 + dt.timedelta(minutes=25))
    figs = desk_stats.figures(engine, dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 3))
    assert figs["desks"]["7"] == {"served": 1, "avg_service_min": 6.0, "p90_service_min": 6.0, "no_shows": 1,
                                  "paused_min": 15.0}
    assert figs["services"]["passport"]["served"] == 1 and figs["services"]["passport"]["paused_min"] == 0

    # over HTTP, for analysts only, described in OpenAPI
    login(client, *staff_users["desk"])
    assert client.get("/api/v1/stats/desks").status_code == 403
    login(client, *staff_users["analyst"])
    r = client.get("/api/v1/stats/desks", params={"from": "2026-03-02", "to": "2026-03-02"})
    assert r.status_code == 200, r.text
    assert r.json()["desks"]["7"]["paused_min"] == 15.0 and r.json()["from"] == "2026-03-02"
    assert client.get("/api/v1/stats/desks", params={"from": "2026-03-03", "to": "2026-03-02"}).status_code == 400
    doc = client.get("/openapi.json").json()
    assert "/api/v1/stats/desks" in doc["paths"] and "DeskFigures" in doc["components"]["schemas"]
    assert "/api/v1/desk/transfer" in doc["paths"] and "/api/v1/desk/pause" in doc["paths"]


def test_percentile_is_the_nearest_rank():
    assert desk_stats.percentile([], 0.9) is None
    assert desk_stats.percentile([5.0], 0.9) == 5.0
    assert desk_stats.percentile([float(i) for i in range(1, 11)], 0.9) == 9.0
