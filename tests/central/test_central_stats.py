"""Stats, CSV exports and the staff login, on SQLite and PostgreSQL, with known data."""
from __future__ import annotations

import csv
import io
import re

import pytest

from central_kit import feedback_payload as fb, login, make_event, ticket_payload as tk

PASSWORD = "correct horse battery"  # matches tests/central/conftest.py


def seed(client, token, dev="pillar-1"):
    # Europe/Amsterdam is UTC+1 in March: 23:30Z on 2 March is already 3 March locally.
    rows = [
        ("feedback.given", fb(5, reasons=["clarity", "friendliness"]), "2026-03-02T09:00:00.000Z"),
        ("feedback.given", fb(4, reasons=["clarity"]), "2026-03-02T10:00:00.000Z"),
        ("feedback.given", fb(1, reasons=["waiting_time"]), "2026-03-02T11:00:00.000Z"),
        ("feedback.given", fb(2, scale=3, reasons=[]), "2026-03-02T23:30:00.000Z"),
        ("feedback.suppressed", {"answer": 5, "since_last_ms": 800}, "2026-03-02T09:00:01.000Z"),
        ("feedback.given", fb(5), "2026-03-10T09:00:00.000Z"),
        ("ticket.issued", tk("passport", 1, (5, 15)), "2026-03-02T08:10:00.000Z"),
        ("ticket.issued", tk("passport", 2, (10, 20)), "2026-03-02T08:40:00.000Z"),
        ("ticket.issued", tk("parking", 1, (0, 5), appointment=True), "2026-03-02T12:05:00.000Z"),
        ("ticket.printed", {"service": "passport", "number": 1}, "2026-03-02T08:10:01.000Z"),
        ("ticket.print_failed", {"service": "passport", "number": 2, "reason": "paper_out"},
         "2026-03-02T08:40:01.000Z"),
        ("route.shown", {"from": "entrance", "to": "desk4"}, "2026-03-02T08:41:00.000Z"),
    ]
    batch = [make_event(dev, i + 1, t, p, at) for i, (t, p, at) in enumerate(rows)]
    r = client.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"})
    assert r.json()["accepted"] == len(rows), r.text


STAFF: dict = {}


@pytest.fixture(autouse=True)
def _staff_cookie(client):
    """A session of the admin user, sent by hand where a test says basic() (the client's own
    cookie jar stays empty, so the tests of logging in start logged out)."""
    STAFF.clear()
    STAFF.update(login(client, "admin", PASSWORD, keep=False))


def basic():
    return STAFF


def test_stats_need_a_login(client, device):
    assert client.get("/api/v1/stats/feedback").status_code == 401
    assert client.get("/api/v1/stats/tickets", headers={"Authorization": "Basic YWRtaW46Y29ycmVjdCBob3JzZSBiYXR0ZXJ5"}
                      ).status_code == 401  # HTTP Basic is gone, even with the right password
    assert client.get("/api/v1/export/events.csv").status_code == 401
    assert client.get("/api/v1/stats/feedback", headers=basic()).status_code == 200


def test_feedback_stats_per_day_week_answer_and_reason(client, device):
    seed(client, device[1])
    s = client.get("/api/v1/stats/feedback", params={"from": "2026-03-01", "to": "2026-03-08"},
                   headers=basic()).json()
    assert s["total"]["answers"] == 4 and s["total"]["suppressed"] == 1
    days = {d["day"]: d for d in s["days"]}
    assert set(days) == {"2026-03-02", "2026-03-03"}
    d2 = days["2026-03-02"]
    assert (d2["answers"], d2["positive"], d2["negative"], d2["suppressed"]) == (3, 2, 1, 1)
    assert d2["positive_share"] == round(2 / 3, 4)
    assert d2["average_score"] == round((5 + 4 + 1) / 3, 3)
    d3 = days["2026-03-03"]  # 2 on a 3-point scale is neutral, 3.0 on the 1..5 footing
    assert (d3["answers"], d3["neutral"], d3["average_score"]) == (1, 1, 3.0)
    assert [w["week"] for w in s["weeks"]] == ["2026-W10"]
    reasons = {(r["sentiment"], r["reason"]): r["count"] for r in s["reasons"]}
    assert reasons == {("positive", "clarity"): 2, ("positive", "friendliness"): 1, ("negative", "waiting_time"): 1}
    per_answer = {a["answer"]: a for a in s["answers"]}
    assert per_answer[5]["reasons"] == {"clarity": 1, "friendliness": 1}
    every = client.get("/api/v1/stats/feedback", headers=basic()).json()
    assert every["total"]["answers"] == 5 and len(every["weeks"]) == 2


def test_device_filter(client, device, engine):
    from central import auth
    seed(client, device[1])
    other = auth.add_device(engine, "pillar-2")
    seed(client, other, dev="pillar-2")
    both = client.get("/api/v1/stats/feedback", headers=basic()).json()
    one = client.get("/api/v1/stats/feedback", params={"device": "pillar-2"}, headers=basic()).json()
    none = client.get("/api/v1/stats/tickets", params={"device": "nobody"}, headers=basic()).json()
    assert both["total"]["answers"] == 10 and one["total"]["answers"] == 5
    assert none["total"]["tickets"] == 0 and none["services"] == []


def test_ticket_stats(client, device):
    seed(client, device[1])
    s = client.get("/api/v1/stats/tickets", params={"from": "2026-03-02", "to": "2026-03-02"},
                   headers=basic()).json()
    assert s["total"] == {"tickets": 3, "printed": 1, "print_failed": 1}
    svc = {x["service"]: x for x in s["services"]}
    assert svc["passport"]["tickets"] == 2 and svc["passport"]["avg_estimated_wait_min"] == 12.5
    assert svc["parking"]["appointments"] == 1
    hours = {(h["hour"], h["service"]): h["tickets"] for h in s["hours"]}
    assert hours == {(9, "passport"): 2, (13, "parking"): 1}  # local hours (UTC+1)


def test_bad_filters_are_400(client, device):
    for params in [{"from": "March"}, {"to": "2026-13-01"}, {"from": "2026-03-05", "to": "2026-03-01"},
                   {"device": "x" * 100}]:
        r = client.get("/api/v1/stats/feedback", params=params, headers=basic())
        assert r.status_code == 400 and r.json()["detail"], params


def test_csv_exports(client, device):
    seed(client, device[1])
    r = client.get("/api/v1/export/events.csv", params={"type": "feedback.given"}, headers=basic())
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 5 and {r["type"] for r in rows} == {"feedback.given"}
    assert '"answer": 5' in rows[0]["payload"]
    r = client.get("/api/v1/export/daily.csv", params={"from": "2026-03-02", "to": "2026-03-03"}, headers=basic())
    daily = {r["day"]: r for r in csv.DictReader(io.StringIO(r.text))}
    assert daily["2026-03-02"]["answers"] == "3" and daily["2026-03-02"]["tickets"] == "3"
    assert daily["2026-03-02"]["suppressed"] == "1" and daily["2026-03-03"]["answers"] == "1"



def test_events_csv_is_ordered_by_device_and_seq_whatever_the_arrival_order(client, device, engine):
    from central import auth
    other = auth.add_device(engine, "pillar-0")
    at = "2026-03-02T09:00:00.000Z"
    for dev, token, seqs in [("pillar-1", device[1], [3, 1]), ("pillar-0", other, [2, 1]),
                             ("pillar-1", device[1], [2])]:
        batch = [make_event(dev, s, "route.shown", {"to": "desk4"}, at) for s in seqs]
        r = client.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"})
        assert r.json()["accepted"] == len(seqs), r.text
    r = client.get("/api/v1/export/events.csv", headers=basic())
    got = [(row["device_id"], int(row["seq"])) for row in csv.DictReader(io.StringIO(r.text))]
    assert got == [("pillar-0", 1), ("pillar-0", 2), ("pillar-1", 1), ("pillar-1", 2), ("pillar-1", 3)]

def test_login_cookie_dashboard_and_logout(client, device):
    seed(client, device[1])
    r = client.get("/dashboard", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = client.post("/login", data={"username": "admin", "password": "nope"})
    assert r.status_code == 401 and "Gebruikersnaam of wachtwoord is fout." in r.text  # Dutch by default
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "next": "//evil.example"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"
    page = client.get("/dashboard", params={"from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200
    assert page.text.count("<svg") >= 5 and 'class="bar"' in page.text
    assert 'id="kpi-answers">5<' in page.text and 'id="kpi-tickets">3<' in page.text
    assert "pillar-1" in page.text  # device table
    assert not re.search(r'(src|href|url)\s*[=(]\s*["\']?(https?:)?//', page.text)  # nothing fetched from outside
    assert client.get("/docs").status_code == 404  # FastAPI's docs page would load a CDN script
    assert client.get("/api/v1/stats/feedback").status_code == 200  # the cookie works for the API too
    client.get("/logout")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_forged_cookie_is_refused(client, device):
    client.cookies.set("kc_session", "YWRtaW4.9999999999.forged")
    assert client.get("/api/v1/stats/feedback").status_code == 401
    client.cookies.set("kc_session", "x" * 500)
    assert client.get("/api/v1/stats/feedback").status_code == 401
