"""Desks calling at the same moment never get the same ticket, on SQLite (BEGIN IMMEDIATE)
and PostgreSQL (FOR UPDATE SKIP LOCKED): threads hammer "call next" on their own
connections, and separate kiosk-central processes are hammered over HTTP."""
from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import requests
import sqlalchemy as sa

from central import auth, calling, ingest
from central.db import queue_calls, queue_tickets, utcnow
from central.settings import QueueSettings
from central_kit import CentralProcess, issued_payload, make_event, midday_zone, rfc3339, staff_session

TICKETS = 120
DESKS = 6


def fill(engine, n: int, now: dt.datetime) -> None:
    """n tickets of today: walk-ins and appointments, some waiting long, over two services."""
    batch = [make_event("kiosk-1", i, "ticket.issued",
                        issued_payload("passport" if i % 3 else "parking", i, appointment=i % 4 == 0),
                        rfc3339(now - dt.timedelta(minutes=(i * 7) % 45, seconds=i)))
             for i in range(1, n + 1)]
    out = ingest.store_batch(engine, "kiosk-1", batch, 16384)
    assert out.accepted == n and not out.rejected


def hammer(call_one, desks: int) -> tuple[list, list]:
    """Every desk calls next until nobody waits; returns (called ticket ids, errors)."""
    got, errors, lock = [], [], threading.Lock()
    start = threading.Barrier(desks)

    def desk(name: str):
        start.wait()
        while True:
            try:
                t = call_one(name)
            except Exception as e:  # noqa: BLE001 - any error is a failure of the test
                with lock:
                    errors.append(repr(e))
                return
            if t is None:
                return
            with lock:
                got.append(t)

    threads = [threading.Thread(target=desk, args=(str(d),)) for d in range(1, desks + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a desk thread hung"
    return got, errors


def check(engine, got: list) -> None:
    ids = Counter(got)
    assert [i for i, n in ids.items() if n > 1] == [], "a ticket was given to two desks"
    with engine.connect() as conn:
        states = Counter(conn.execute(sa.select(queue_tickets.c.state)).scalars())
        calls = conn.execute(sa.select(queue_calls.c.ticket_id)).scalars().all()
    assert len(ids) == TICKETS and states == {"called": TICKETS}
    assert sorted(calls) == sorted(got)  # one call row per ticket, none lost, none twice


def test_threads_calling_next_never_share_a_ticket(engine):
    now = utcnow()
    qs = QueueSettings(timezone=midday_zone(now))
    fill(engine, TICKETS, now)
    got, errors = hammer(lambda d: (calling.call_next(engine, qs, d, ["passport", "parking"]) or {}).get("id"),
                         DESKS)
    assert errors == []
    check(engine, got)


def test_desk_processes_over_http_never_share_a_ticket(db_url, tmp_path):
    """Two kiosk-central processes on one database; desks post call-next to either."""
    if db_url.startswith("sqlite"):
        servers_n = 1  # SQLite is served by one process (kiosk-central serve says so too)
    else:
        servers_n = 2
    password = "desk password"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone()}
    STAFF = [("dora", "desk", password)]
    servers = [CentralProcess(db_url, users=STAFF, env=env, log_path=tmp_path / f"central{i}.log").start()
               for i in range(servers_n)]
    try:
        engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
        auth.add_device(engine, "kiosk-1")
        fill(engine, TICKETS, utcnow())
        basic = {"Cookie": "kc_session=" + staff_session(servers[0].url, "dora", password).cookies["kc_session"]}
        sessions = threading.local()

        def call_one(desk: str):
            s = getattr(sessions, "s", None) or requests.Session()
            sessions.s = s
            url = servers[int(desk) % servers_n].url
            r = s.post(url + "/api/v1/desk/call-next", json={"desk": desk, "services": ["passport", "parking"]},
                       headers=basic, timeout=60)
            assert r.status_code == 200, r.text
            t = r.json()["ticket"]
            return t and t["id"]
        got, errors = hammer(call_one, DESKS)
        assert errors == []
        check(engine, got)
        engine.dispose()
    finally:
        for s in servers:
            s.stop()
