"""Estimated against real wait per hour of the day: stored per ticket, in the tickets stats
JSON and on the dashboard (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
import re

from central import calling
from central.db import queue_tickets
from central_kit import issued_payload, login, make_event

PASSWORD = "correct horse battery"  # tests/central/conftest.py
DAY = "2026-03-02"  # Europe/Amsterdam is UTC+1 then


def utc(hh_mm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{DAY}T{hh_mm}:00")


def seed(client, engine, device, settings):
    dev, token = device
    specs = [  # label, issued (UTC), estimate, called after (min)
        ("A001", "08:10", (5, 15), 12), ("A002", "08:40", (10, 20), 30), ("B001", "12:05", (0, 5), 4),
        ("B002", "12:20", None, 3), ("B003", "12:30", (5, 10), None)]
    batch = [make_event(dev, i + 1, "ticket.issued",
                        {**issued_payload("passport", i + 1, wait=wait), "label": label},
                        f"{DAY}T{at}:00.000Z") for i, (label, at, wait, _) in enumerate(specs)]
    r = client.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"})
    assert r.json()["accepted"] == 5
    with engine.connect() as conn:
        ids = dict(conn.execute(queue_tickets.select().with_only_columns(queue_tickets.c.label, queue_tickets.c.id)).all())
    for label, at, _, after in specs:
        if after is not None:
            calling.call(engine, settings.queue, ids[label], "3", now=utc(at) + dt.timedelta(minutes=after))
    return ids


def test_real_wait_is_stored_per_ticket(client, engine, device, settings):
    seed(client, engine, device, settings)
    with engine.connect() as conn:
        got = {r.label: (r.est_low_min, r.est_high_min, r.real_wait_s)
               for r in conn.execute(queue_tickets.select())}
    assert got == {"A001": (5, 15, 720), "A002": (10, 20, 1800), "B001": (0, 5, 240), "B002": (None, None, 180),
                   "B003": (5, 10, None)}


EXPECTED = [
    {"hour": 9, "tickets": 2, "avg_estimated_wait_min": 12.5, "avg_real_wait_min": 21.0, "within_estimate_share": 0.5},
    {"hour": 13, "tickets": 1, "avg_estimated_wait_min": 2.5, "avg_real_wait_min": 4.0, "within_estimate_share": 1.0},
]


def test_stats_json_has_estimated_vs_real_wait_per_hour(client, engine, device, settings):
    seed(client, engine, device, settings)
    auth = login(client, "admin", PASSWORD, keep=False)
    s = client.get("/api/v1/stats/tickets", params={"from": DAY, "to": DAY}, headers=auth).json()
    assert s["wait_by_hour"] == EXPECTED
    assert client.get("/api/v1/stats/tickets", params={"from": "2026-03-03"}, headers=auth).json()["wait_by_hour"] == []
    assert client.get("/api/v1/stats/tickets", params={"device": "other"}, headers=auth).json()["wait_by_hour"] == []


def test_dashboard_shows_estimated_vs_real_wait_per_hour(client, engine, device, settings):
    r = client.post("/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    empty = client.get("/dashboard", params={"from": DAY, "to": DAY}).text
    assert "Geschatte en echte wachttijd per uur van de dag" in empty and "Geen opgeroepen tickets" in empty  # Dutch by default
    seed(client, engine, device, settings)
    html = client.get("/dashboard", params={"from": DAY, "to": DAY}).text
    table = re.search(r'<table id="wait-by-hour">(.*?)</table>', html).group(1)
    rows = [re.findall(r"<td>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
    assert rows == [["09:00", "2", "12.5", "21.0", "50%"], ["13:00", "1", "2.5", "4.0", "100%"]]
    chart = html[html.index('id="waits"'):html.index('<table id="wait-by-hour">')]
    assert "Echte wachttijd (staven) en geschatte wachttijd (lijn)" in chart
    assert len(re.findall(r'<rect class="bar"', chart)) == 2 and '<polyline class="line"' in chart
    assert '<a href="/desk">' in html
