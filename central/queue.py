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

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})?\Z")
WAIT_SOURCES = ("live", "configured")
STATES = ("waiting", "called", "served", "no_show")

COLUMNS = ("ticket_ref", "day", "event_id", "service", "label", "lang", "appointment",
           "est_low_min", "est_high_min", "wait_source", "people_ahead", "issued_at")
PG_INSERT = (  # a batch is from one device: device_id goes once, the other columns as arrays
    f"INSERT INTO queue_tickets (device_id, {', '.join(COLUMNS)}, state) SELECT %b::varchar, *, 'waiting' "
    "FROM unnest(%b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], %b::varchar[], "
    "%b::bool[], %b::float8[], %b::float8[], %b::varchar[], %b::int[], %b::timestamp[]) "
    "ON CONFLICT ON CONSTRAINT queue_tickets_key DO NOTHING")
SQLITE_CHUNK = 500  # 14 parameters a row


def entry(row: dict) -> tuple | None:
    """The queue_tickets values (after device_id) for one checked ticket.issued row; None
    if it has no service. Lenient: a field in the wrong shape is left out, never fatal."""
    p = row["payload"]
    get = p.get
    service = get("service")
    if service.__class__ is not str or not 0 < len(service) <= 64:
        return None  # ingest rejects these; rows stored before that check are skipped
    tid = get("ticket_id")
    ref = str(tid) if tid.__class__ is int and 0 <= tid < 2 ** 63 else "e:" + row["id"]
    day = get("day")
    if day.__class__ is not str or not DAY_RE.match(day):
        day = ""
    label = get("label")
    if label.__class__ is str and 0 < len(label) <= 32 and label.isprintable() and label.strip():
        label = label.strip()
    else:
        n = get("number")
        label = str(n) if n.__class__ is int and 0 <= n < 10 ** 9 else "?"
    lang = get("lang") or get("language")
    if lang.__class__ is not str or not LANG_RE.match(lang):
        lang = None
    low = high = None
    wait = get("estimated_wait_min")
    if wait.__class__ is list and len(wait) == 2:
        lo_, hi_ = wait
        if lo_.__class__ in (int, float) and hi_.__class__ in (int, float) and 0 <= lo_ < 10000 and 0 <= hi_ < 10000:
            low, high = float(lo_), float(hi_)
    source = get("wait_source")
    if source not in WAIT_SOURCES:
        source = None
    ahead = get("people_ahead")
    if ahead.__class__ is not int or not 0 <= ahead < 10 ** 6:
        ahead = None
    return (ref, day, row["id"], service, label, lang, get("appointment") is True, low, high, source, ahead,
            row["effective_at"])


def project(conn: sa.Connection, rows: Iterable[dict]) -> int:
    """Add a waiting entry for each new ticket in `rows` (checked event rows); returns how many."""
    by_device: dict[str, list[tuple]] = {}
    for r in rows:
        if r["type"] == "ticket.issued":
            v = entry(r)
            if v is not None:
                by_device.setdefault(r["device_id"], []).append(v)
    return sum(_insert(conn, dev, values) for dev, values in by_device.items())


def _insert(conn: sa.Connection, device_id: str, values: list[tuple]) -> int:
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection  # the same transaction as the events insert
        with raw.cursor() as cur:
            cur.execute(PG_INSERT, (device_id, *(list(c) for c in zip(*values))))
            return cur.rowcount
    added = 0
    marks = "(" + ", ".join("?" * (len(COLUMNS) + 2)) + ")"
    for i in range(0, len(values), SQLITE_CHUNK):
        chunk = values[i:i + SQLITE_CHUNK]
        params: list = []
        for v in chunk:  # times as the text SQLAlchemy's SQLite DateTime reads back
            params.extend((device_id, *v[:-1], v[-1].isoformat(" ", "microseconds"), "waiting"))
        sql = (f"INSERT INTO queue_tickets (device_id, {', '.join(COLUMNS)}, state) VALUES "
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
