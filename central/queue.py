"""The queue projection: every ingested `ticket.issued` becomes one queue entry.

`project(conn, rows)` runs inside the ingest transaction with the batch's checked rows
(central.ingest). It keeps only the ticket.issued rows and stores them with ONE set-based
INSERT ... ON CONFLICT DO NOTHING on the key (device_id, ticket_ref, day), so a duplicate
or replayed event never makes a second entry, and a batch costs one round trip however
many tickets it holds. Time helpers for "today" in the site zone live here too.
"""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Iterable

import sqlalchemy as sa

from central.db import queue_tickets

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})?\Z")
WAIT_SOURCES = ("live", "configured")
STATES = ("waiting", "called", "served", "no_show")

COLUMNS = ("device_id", "ticket_ref", "day", "event_id", "service", "label", "lang", "appointment",
           "est_low_min", "est_high_min", "wait_source", "people_ahead", "issued_at")
PG_INSERT = (
    f"INSERT INTO queue_tickets ({', '.join(COLUMNS)}, state) SELECT *, 'waiting' FROM unnest("
    "%b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], "
    "%b::varchar[], %b::bool[], %b::float8[], %b::float8[], %b::varchar[], %b::int[], %b::timestamp[]) "
    "ON CONFLICT ON CONSTRAINT queue_tickets_key DO NOTHING")
SQLITE_CHUNK = 500  # 13 parameters a row


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def entry(row: dict) -> tuple | None:
    """The queue_tickets values for one checked ticket.issued row (None if it has no service)."""
    p = row["payload"]
    service = p.get("service")
    if not (isinstance(service, str) and 0 < len(service) <= 64):
        return None  # ingest rejects these; rows stored before that check are skipped
    tid = p.get("ticket_id")
    ref = str(tid) if _int(tid) and 0 <= tid < 2 ** 63 else "e:" + row["id"]
    day = p.get("day")
    day = day if isinstance(day, str) and DAY_RE.match(day) else ""
    label = p.get("label")
    if isinstance(label, str) and 0 < len(label.strip()) <= 32 and label.isprintable():
        label = label.strip()
    else:
        n = p.get("number")
        label = str(n) if _int(n) and 0 <= n < 10 ** 9 else "?"
    lang = p.get("lang", p.get("language"))
    lang = lang if isinstance(lang, str) and LANG_RE.match(lang) else None
    wait = p.get("estimated_wait_min")
    low, high = (float(wait[0]), float(wait[1])) if _wait_ok(wait) else (None, None)
    source = p.get("wait_source") if p.get("wait_source") in WAIT_SOURCES else None
    ahead = p.get("people_ahead")
    ahead = ahead if _int(ahead) and 0 <= ahead < 10 ** 6 else None
    return (row["device_id"], ref, day, row["id"], service, label, lang, p.get("appointment") is True,
            low, high, source, ahead, row["effective_at"])


def _wait_ok(w: object) -> bool:
    return isinstance(w, list) and len(w) == 2 and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and 0 <= x < 10000 for x in w)


def project(conn: sa.Connection, rows: Iterable[dict]) -> int:
    """Add a waiting entry for each new ticket in `rows` (checked event rows); returns how many."""
    values = [v for v in (entry(r) for r in rows if r["type"] == "ticket.issued") if v is not None]
    if not values:
        return 0
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection  # the same transaction as the events insert
        with raw.cursor() as cur:
            cur.execute(PG_INSERT, tuple(list(c) for c in zip(*values)))
            return cur.rowcount
    added = 0
    marks = "(" + ", ".join("?" * (len(COLUMNS) + 1)) + ")"
    for i in range(0, len(values), SQLITE_CHUNK):
        chunk = values[i:i + SQLITE_CHUNK]
        params: list = []
        for v in chunk:  # times as the text SQLAlchemy's SQLite DateTime reads back
            params.extend((*v[:-1], v[-1].isoformat(" ", "microseconds"), "waiting"))
        sql = (f"INSERT INTO queue_tickets ({', '.join(COLUMNS)}, state) VALUES "
               + ", ".join([marks] * len(chunk)) + " ON CONFLICT DO NOTHING")
        added += conn.exec_driver_sql(sql, tuple(params)).rowcount
    return added


def backfill(conn: sa.Connection) -> int:
    """Project every ticket.issued already stored (the 0002 upgrade), 5000 at a time."""
    from central.db import events
    added, last = 0, ""
    while True:
        rows = [dict(r) for r in conn.execute(
            sa.select(events.c.id, events.c.device_id, events.c.type, events.c.effective_at, events.c.payload)
            .where(events.c.type == "ticket.issued", events.c.id > last).order_by(events.c.id).limit(5000)
        ).mappings()]
        if not rows:
            return added
        added += project(conn, rows)
        last = rows[-1]["id"]


# -- time -----------------------------------------------------------------------------

def utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.timezone.utc).replace(tzinfo=None)


def today(tz: str, now: dt.datetime) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The local day of `now` (naive UTC) in zone `tz`, with its bounds in naive UTC."""
    zone = zoneinfo.ZoneInfo(tz)
    day = now.replace(tzinfo=dt.timezone.utc).astimezone(zone).date()
    lo = dt.datetime.combine(day, dt.time(), zone)
    hi = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    return day, utc(lo), utc(hi)


def iso(t: dt.datetime | None) -> str | None:
    """Naive UTC -> 2026-11-28T08:59:58.000Z."""
    return None if t is None else t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
