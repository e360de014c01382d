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

import orjson
import sqlalchemy as sa

from central import ticket_fields

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})?\Z")
WAIT_SOURCES = ("live", "configured")
STATES = ("waiting", "called", "served", "no_show")

BASE_COLUMNS = ("ticket_ref", "day", "event_id", "service", "label", "lang", "appointment",
                "est_low_min", "est_high_min", "wait_source", "people_ahead")
MOBILE_COLUMNS = ("token_hash", "mobile")  # revision 0004 (docs/mobile-ticket.md)
TOKEN_AT = len(BASE_COLUMNS)  # where token_hash sits in an entry
PG_TYPES = {"appointment": "bool", "est_low_min": "float8", "est_high_min": "float8", "people_ahead": "int",
            "issued_at": "timestamp"}  # the rest are varchar; mobile goes as text, cast to jsonb


def columns(mobile: bool = True) -> tuple[str, ...]:
    """The queue_tickets columns an entry fills after device_id (issued_at always last)."""
    return BASE_COLUMNS + (MOBILE_COLUMNS if mobile else ()) + ("issued_at",)


def pg_insert(mobile: bool = True) -> str:
    """A batch is from one device: device_id goes once, the other columns as arrays."""
    cols = columns(mobile)
    picked = ", ".join(f"t.{c}::jsonb" if c == "mobile" else f"t.{c}" for c in cols)
    arrays = ", ".join(f"%b::{PG_TYPES.get(c, 'varchar')}[]" for c in cols)
    return (f"INSERT INTO queue_tickets (device_id, {', '.join(cols)}, state) SELECT %b::varchar, {picked}, "
            f"'waiting' FROM unnest({arrays}) AS t({', '.join(cols)}) "
            "ON CONFLICT ON CONSTRAINT queue_tickets_key DO NOTHING")


PG_INSERT = pg_insert()
SQLITE_CHUNK = 400  # 16 parameters a row


def entry(row: dict, mobile: bool = True) -> tuple | None:
    """The queue_tickets values (after device_id, in `columns(mobile)` order) for one checked
    ticket.issued row; None if it has no service. Lenient: a field in the wrong shape is
    left out, never fatal."""
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
    values = (ref, day, row["id"], service, label, lang, get("appointment") is True, low, high, source, ahead)
    if mobile:
        texts = ticket_fields.texts(p)
        values += (ticket_fields.stored_hash(p), None if texts is None else orjson.dumps(texts).decode())
    return values + (row["effective_at"],)


def project(conn: sa.Connection, rows: Iterable[dict], mobile: bool = True) -> int:
    """Add a waiting entry for each new ticket in `rows` (checked event rows); returns how many.
    `mobile=False`: the schema before revision 0004 (its own upgrade step)."""
    by_device: dict[str, list[tuple]] = {}
    for r in rows:
        if r["type"] == "ticket.issued":
            v = entry(r, mobile)
            if v is not None:
                by_device.setdefault(r["device_id"], []).append(v)
    if mobile and by_device:
        _drop_taken_tokens(conn, by_device)
    return sum(_insert(conn, dev, values, mobile) for dev, values in by_device.items())


def _drop_taken_tokens(conn: sa.Connection, by_device: dict[str, list[tuple]]) -> None:
    """A token already stored or twice in the batch keeps its first ticket; the others are
    queued without one (no page), so the unique index never fails a batch. With 96 random
    bits this takes a faulty or hostile device; a replayed ticket is skipped by its key anyway."""
    from central.db import queue_tickets as qt
    hashes = [v[TOKEN_AT] for vs in by_device.values() for v in vs if v[TOKEN_AT] is not None]
    if not hashes:
        return
    taken = set()
    for i in range(0, len(hashes), 500):
        taken.update(conn.execute(sa.select(qt.c.token_hash).where(qt.c.token_hash.in_(hashes[i:i + 500])))
                     .scalars())
    for dev, values in by_device.items():
        for i, v in enumerate(values):
            h = v[TOKEN_AT]
            if h is not None:
                if h in taken:
                    values[i] = v[:TOKEN_AT] + (None,) + v[TOKEN_AT + 1:]
                taken.add(h)


def _insert(conn: sa.Connection, device_id: str, values: list[tuple], mobile: bool = True) -> int:
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection  # the same transaction as the events insert
        with raw.cursor() as cur:
            cur.execute(PG_INSERT if mobile else pg_insert(False), (device_id, *(list(c) for c in zip(*values))))
            return cur.rowcount
    added = 0
    cols = columns(mobile)
    marks = "(" + ", ".join("?" * (len(cols) + 2)) + ")"
    for i in range(0, len(values), SQLITE_CHUNK):
        chunk = values[i:i + SQLITE_CHUNK]
        params: list = []
        for v in chunk:  # times as the text SQLAlchemy's SQLite DateTime reads back
            params.extend((device_id, *v[:-1], v[-1].isoformat(" ", "microseconds"), "waiting"))
        sql = (f"INSERT INTO queue_tickets (device_id, {', '.join(cols)}, state) VALUES "
               + ", ".join([marks] * len(chunk)) + " ON CONFLICT DO NOTHING")
        added += conn.exec_driver_sql(sql, tuple(params)).rowcount
    return added


def _issued_events(conn: sa.Connection):
    """Every stored ticket.issued event as a checked row would be, 5000 at a time."""
    from central.db import events
    last = ""
    while True:
        rows = [dict(r) for r in conn.execute(
            sa.select(events.c.id, events.c.device_id, events.c.type, events.c.effective_at, events.c.payload)
            .where(events.c.type == "ticket.issued", events.c.id > last).order_by(events.c.id).limit(5000)
        ).mappings()]
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def backfill(conn: sa.Connection, mobile: bool = True) -> int:
    """Project every ticket.issued already stored (the 0002 upgrade)."""
    return sum(project(conn, rows, mobile) for rows in _issued_events(conn))


def backfill_mobile(conn: sa.Connection) -> int:
    """Give tickets already queued their token hash and texts from their events (the 0004
    upgrade); a token already taken is left out, as in `project`. Returns how many."""
    from central.db import queue_tickets as qt
    done, taken = 0, set()
    for rows in _issued_events(conn):
        for r in rows:
            v = entry(r)
            if v is None or (v[TOKEN_AT] is None and v[TOKEN_AT + 1] is None):
                continue
            h = v[TOKEN_AT] if v[TOKEN_AT] not in taken else None
            taken.add(h)
            done += conn.execute(qt.update().where(  # by the key (indexed): device, ticket, day
                qt.c.device_id == r["device_id"], qt.c.ticket_ref == v[0], qt.c.day == v[1],
                qt.c.event_id == r["id"]).values(token_hash=h, mobile=ticket_fields.texts(r["payload"]))).rowcount
    return done


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
