"""The roll-ups (central/rollup_tables.py): counted from a batch of events in Python, then one
upsert per key (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike).

  add(conn, rows, zone)        at ingest, in the batch's own transaction, for the events that
                               were actually inserted (a duplicate never counts twice)
  first_call(conn, row, real_s) a queue ticket's first call (central/calling.py), its real wait
  rebuild(conn, zone)          every roll-up again from the stored events and queue tickets (the migration's
                               backfill; `kiosk-central rollups rebuild` after a zone change)
  stored_zone(conn)            the zone the roll-ups were counted in

Days and hours are site-local (settings.timezone). The roll-ups keep the zone they were
counted in: after changing settings.timezone run `kiosk-central rollups rebuild`, or the days
before the change stay counted in the old zone. Keys are upserted in sorted order, and every
key holds its device, so batches of different devices never wait for each other.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo

import sqlalchemy as sa

from central.db import events, queue_tickets as qt
from central.rollup_tables import TABLES, rollup_desk_days, rollup_desks, rollup_meta

DEFAULT_ZONE = "Europe/Amsterdam"  # settings.timezone's default
PAYLOAD_TYPES = ("feedback.given", "ticket.issued")  # the types whose payload is counted
UTC = dt.timezone.utc
CHUNK = 400  # keys per upsert statement


class LocalTime:
    """UTC -> (local day, local hour), cached per UTC quarter hour (every zone's offset since
    2000 is a whole number of quarter hours, so a quarter hour never straddles a local hour)."""

    def __init__(self, zone: str):
        self.zone = zoneinfo.ZoneInfo(zone)
        self.cache: dict[tuple, tuple[str, int]] = {}

    def __call__(self, t: dt.datetime) -> tuple[str, int]:
        k = (t.year, t.month, t.day, t.hour, t.minute // 15)
        v = self.cache.get(k)
        if v is None:
            if len(self.cache) > 200_000:
                self.cache.clear()
            q = dt.datetime(t.year, t.month, t.day, t.hour, t.minute - t.minute % 15, tzinfo=UTC)
            local = q.astimezone(self.zone)
            v = self.cache[k] = (local.date().isoformat(), local.hour)
        return v


_clocks: dict[str, LocalTime] = {}  # one per zone, kept from batch to batch


class Counts:
    """What a set of events adds to each roll-up, key -> values."""

    def __init__(self, zone: str):
        self.local = _clocks.get(zone) or _clocks.setdefault(zone, LocalTime(zone))
        self.events: dict[tuple, int] = {}
        self.feedback: dict[tuple, int] = {}
        self.reasons: dict[tuple, int] = {}
        self.tickets: dict[tuple, list] = {}
        self.waits: dict[tuple, list] = {}

    def __len__(self) -> int:
        return len(self.events) + len(self.feedback) + len(self.reasons) + len(self.tickets) + len(self.waits)

    def add(self, type_: str, device: str, when: dt.datetime, p: dict | None) -> None:
        """One event; its payload (p) is counted only for PAYLOAD_TYPES, and only when not None."""
        day, hour = self.local(when)
        k = (type_, day, hour, device)
        self.events[k] = self.events.get(k, 0) + 1
        if p is None:
            return
        if type_ == "feedback.given":
            answer, sentiment = p["answer"], p["sentiment"]
            k = (day, device, answer, p["scale"], sentiment, str(p.get("ended_by", "unknown"))[:64])
            self.feedback[k] = self.feedback.get(k, 0) + 1
            for r in p.get("reasons") or []:
                k = (day, device, answer, sentiment, r)
                self.reasons[k] = self.reasons.get(k, 0) + 1
        elif type_ == "ticket.issued":
            k = (day, hour, device, p["service"])
            s = self.tickets.get(k)
            if s is None:
                s = self.tickets[k] = [0, 0, 0, 0.0, None]
            s[0] += 1
            if p.get("appointment") is True:
                s[1] += 1
            w = p.get("estimated_wait_min")
            if w:
                mid = sum(w) / 2
                s[2] += 1
                s[3] += mid
                if s[4] is None or mid > s[4]:
                    s[4] = mid

    def add_wait(self, device: str, issued: dt.datetime, low: float, high: float, real_s: float) -> None:
        """A queue ticket's first call: the estimate it was shown against its real wait."""
        day, hour = self.local(issued)
        k = (day, hour, device)
        s = self.waits.get(k)
        if s is None:
            s = self.waits[k] = [0, 0.0, 0.0, 0]
        real = real_s / 60
        s[0] += 1
        s[1] += (low + high) / 2
        s[2] += real
        s[3] += 1 if low <= real <= high else 0

    def write(self, conn: sa.Connection) -> None:
        """Upsert every key (sorted), then forget them."""
        pg = conn.dialect.name == "postgresql"
        for table, rows in (("rollup_events", [(*k, n) for k, n in sorted(self.events.items())]),
                            ("rollup_feedback", [(*k, n) for k, n in sorted(self.feedback.items())]),
                            ("rollup_reasons", [(*k, n) for k, n in sorted(self.reasons.items())]),
                            ("rollup_tickets", [(*k, *v) for k, v in sorted(self.tickets.items())]),
                            ("rollup_waits", [(*k, *v) for k, v in sorted(self.waits.items())])):
            keys, adds, maxes = SHAPES[table]
            for i in range(0, len(rows), CHUNK):
                part = rows[i:i + CHUNK]
                conn.exec_driver_sql(_upsert_sql(table, keys, adds, maxes, len(part), pg),
                                     tuple(v for row in part for v in row))
        self.events, self.feedback, self.reasons, self.tickets, self.waits = {}, {}, {}, {}, {}


SHAPES = {  # table: (key columns, columns added up, columns kept at their largest)
    "rollup_events": (("type", "day", "hour", "device_id"), ("n",), ()),
    "rollup_feedback": (("day", "device_id", "answer", "scale", "sentiment", "ended_by"), ("n",), ()),
    "rollup_reasons": (("day", "device_id", "answer", "sentiment", "reason"), ("n",), ()),
    "rollup_tickets": (("day", "hour", "device_id", "service"), ("tickets", "appointments", "est_n", "est_sum"),
                       ("est_max",)),
    "rollup_waits": (("day", "hour", "device_id"), ("n", "est_sum", "real_sum", "within"), ()),
}
_sql_cache: dict[tuple, str] = {}


def _upsert_sql(table: str, keys: tuple, adds: tuple, maxes: tuple, n: int, pg: bool) -> str:
    k = (table, n, pg)
    sql = _sql_cache.get(k)
    if sql is None:
        cols = keys + adds + maxes
        mark = "%s" if pg else "?"
        row = "(" + ", ".join([mark] * len(cols)) + ")"
        sets = [f"{c} = {table}.{c} + excluded.{c}" for c in adds]
        sets += [f"{c} = CASE WHEN excluded.{c} IS NULL OR ({table}.{c} IS NOT NULL AND {table}.{c} >= "
                 f"excluded.{c}) THEN {table}.{c} ELSE excluded.{c} END" for c in maxes]
        sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES {', '.join([row] * n)} "
               f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(sets)}")
        if len(_sql_cache) < 200:
            _sql_cache[k] = sql
    return sql


def _number(v) -> bool:
    return v.__class__ is int or v.__class__ is float


def countable(type_: str, p) -> bool:
    """Whether a stored payload has the shape the roll-ups read (what central.ingest checks
    now; events stored before those checks existed may not)."""
    if p.__class__ is not dict:
        return False
    if type_ == "feedback.given":
        reasons = p.get("reasons") or []
        return (p.get("answer").__class__ is int and p.get("scale").__class__ is int and 2 <= p["scale"] <= 10
                and 1 <= p["answer"] <= p["scale"]
                and p.get("sentiment") in ("positive", "neutral", "negative") and reasons.__class__ is list
                and all(r.__class__ is str and 0 < len(r) <= 64 for r in reasons))
    w = p.get("estimated_wait_min")
    return (p.get("service").__class__ is str and 0 < len(p["service"]) <= 64
            and (w is None or (w.__class__ is list and len(w) == 2 and all(_number(x) for x in w))))


def add(conn: sa.Connection, rows, zone: str = DEFAULT_ZONE) -> None:
    """Count stored event rows (dicts of central.ingest.check_event) into the roll-ups."""
    c = Counts(zone)
    for r in rows:
        c.add(r["type"], r["device_id"], r["effective_at"], r["payload"])
    c.write(conn)


def rebuild(conn: sa.Connection, zone: str = DEFAULT_ZONE, chunk: int = 50_000) -> int:
    """Every roll-up again from the stored events, counted in `zone`; returns how many events.
    Streams the events (no more than about `chunk` keys are held before they are written)."""
    zoneinfo.ZoneInfo(zone)  # a bad zone fails before anything is deleted
    if conn.dialect.name == "postgresql":  # no batch stored meanwhile (it would count twice or not at all)
        conn.exec_driver_sql("LOCK TABLE events IN SHARE MODE")
    for t in TABLES + (rollup_desks, rollup_desk_days):  # desk days are kept again as they are asked for
        conn.execute(t.delete())
    payload = sa.case((events.c.type.in_(PAYLOAD_TYPES), events.c.payload), else_=sa.null())
    q = sa.select(events.c.type, events.c.device_id, events.c.effective_at, payload)
    c, n = Counts(zone), 0
    result = conn.execute(q.execution_options(stream_results=True, yield_per=chunk))
    for part in result.partitions():
        for type_, device, when, p in part:
            c.add(type_, device, when, p if type_ not in PAYLOAD_TYPES or countable(type_, p) else None)
        n += len(part)
        if len(c) >= chunk:
            c.write(conn)
    q = sa.select(qt.c.device_id, qt.c.issued_at, qt.c.est_low_min, qt.c.est_high_min, qt.c.real_wait_s).where(
        qt.c.est_low_min.is_not(None), qt.c.est_high_min.is_not(None), qt.c.real_wait_s.is_not(None))
    for part in conn.execute(q.execution_options(stream_results=True, yield_per=chunk)).partitions():
        for device, issued, low, high, real_s in part:
            c.add_wait(device, issued, low, high, real_s)
        if len(c) >= chunk:
            c.write(conn)
    c.write(conn)
    set_zone(conn, zone)
    return n


def first_call(conn: sa.Connection, row, real_s: float) -> None:
    """A queue ticket (a queue_tickets row) called for the first time, `real_s` after its issue:
    counted in rollup_waits (in the zone the roll-ups are in) when it was shown an estimate."""
    if row.est_low_min is None or row.est_high_min is None:
        return
    c = Counts(stored_zone(conn) or DEFAULT_ZONE)
    c.add_wait(row.device_id, row.issued_at, row.est_low_min, row.est_high_min, real_s)
    c.write(conn)


def set_zone(conn: sa.Connection, zone: str) -> None:
    conn.execute(rollup_meta.delete().where(rollup_meta.c.name == "zone"))
    conn.execute(rollup_meta.insert().values(name="zone", value=zone))


def stored_zone(conn: sa.Connection) -> str | None:
    return conn.execute(sa.select(rollup_meta.c.value).where(rollup_meta.c.name == "zone")).scalar()
