"""Checking and storing event batches. One bad event is rejected alone; storing is
idempotent on the event id (INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL).

Clock sanity: the central side keeps its own receive time. When the device sends its
current boot id and monotonic reading (headers X-Kiosk-Boot-Id / X-Kiosk-Monotonic), an
event from the same boot gets `effective_at = received_at - (now_mono - event_mono)` if its
own `occurred_at` is more than CLOCK_TOLERANCE off (a Pi that booted without a clock).
Headers that cannot be a monotonic reading (not a number, NaN, negative, more than
MAX_UPTIME_S) are ignored, as is a correction that would leave the years 1..9999: the event
then keeps its own time (or the receive time, when that is plainly wrong).

Least privilege (central/device_roles.py): an event of a type the device's role does not
produce is rejected alone; an id already stored by another device is rejected alone ("event
id already used by another device"), never counted as a duplicate. The HTTP side,
POST /api/v1/events, is central/events_api.py.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from dataclasses import dataclass, field

import orjson
import sqlalchemy as sa

from central import device_roles, help_calls, live, queue, rollups, ticket_fields
from central.db import devices, events, utcnow

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,4}\Z")
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
EARLIEST = dt.datetime(2000, 1, 1)
LATEST_AHEAD = dt.timedelta(days=2)
SENTIMENTS = ("positive", "neutral", "negative")
MONO_RE = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,9})?\Z")
MAX_UPTIME_S = 10 * 365.25 * 86400  # a monotonic reading (seconds since boot) beyond this is not one
FOREIGN_ID = "event id already used by another device"
log = logging.getLogger("central.ingest")


class Forbidden(Exception):
    """An event names another device than the token's (the whole request gets 403)."""


@dataclass
class DeviceClock:
    boot_id: str | None = None
    monotonic: float | None = None

    @classmethod
    def from_headers(cls, boot: str | None, mono: str | None) -> "DeviceClock":
        """X-Kiosk-Boot-Id / X-Kiosk-Monotonic as sent; anything implausible is ignored."""
        # what kiosks send (f"{time.monotonic():.3f}"); float() would also take NaN, inf,
        # 1e400, "1_000" and non-ASCII digits
        value = float(mono) if mono and MONO_RE.match(mono) else None
        if value is not None and value > MAX_UPTIME_S:
            value = None
        boot = boot[:64] if boot else None
        return cls(boot if boot and boot.isprintable() else None, value)


@dataclass
class Outcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)
    queued: int = 0  # new queue entries (tickets) from this batch; not part of the answer
    helped: int = 0  # help calls added or closed by this batch (central.help_calls); not part of it either

    def as_dict(self) -> dict:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


def parse_time(v: object) -> dt.datetime:
    if not isinstance(v, str) or not (20 <= len(v) <= 40) or "T" not in v.upper():
        raise ValueError("occurred_at must be an RFC 3339 time like 2026-03-02T09:00:00.000Z")
    try:
        if v[-1] in "Zz":  # UTC, the form devices send: no offset arithmetic needed
            t = dt.datetime.fromisoformat(v[:-1])
            if t.tzinfo is None:
                return t
            raise ValueError("two zones")
        t = dt.datetime.fromisoformat(v)
    except ValueError:
        raise ValueError("occurred_at is not a valid RFC 3339 time") from None
    off = t.utcoffset()
    if off is None:
        raise ValueError("occurred_at must carry a time zone (Z for UTC)")
    try:
        return (t - off).replace(tzinfo=None)  # UTC, as astimezone gives, without its cost
    except OverflowError:
        raise ValueError("occurred_at is outside the years 1..9999 in UTC") from None


def _int(v: object) -> bool:
    return v.__class__ is int  # JSON gives exact types: a bool is not a number here


def _number(v: object) -> bool:
    return v.__class__ is int or v.__class__ is float


def _check_payload(type_: str, p: dict) -> str | None:
    """Shape checks for the types the stats read; other types are stored as they come."""
    if type_ == "feedback.given":
        scale, answer = p.get("scale"), p.get("answer")
        if not (scale.__class__ is int and 2 <= scale <= 10):
            return "payload.scale must be a whole number 2..10"
        if not (answer.__class__ is int and 1 <= answer <= scale):
            return f"payload.answer must be a whole number 1..{scale}"
        if p.get("sentiment") not in SENTIMENTS:
            return "payload.sentiment must be positive, neutral or negative"
        reasons = p.get("reasons", [])
        if reasons.__class__ is not list or len(reasons) > 50:
            return "payload.reasons must be a list of short texts"
        for r in reasons:
            if r.__class__ is not str or not 0 < len(r) <= 64:
                return "payload.reasons must be a list of short texts"
    elif type_ == "ticket.issued":
        service = p.get("service")
        if not (service.__class__ is str and 0 < len(service) <= 64):
            return "payload.service must be a service id"
        wait = p.get("estimated_wait_min")
        if wait is not None and not (wait.__class__ is list and len(wait) == 2 and _number(wait[0])
                                     and _number(wait[1]) and 0 <= wait[0] < 10000 and 0 <= wait[1] < 10000):
            return "payload.estimated_wait_min must be [low, high] in minutes"
        return ticket_fields.problem(p)  # the mobile ticket page's optional fields
    return None


_good_types: set[str] = set()  # types already checked against TYPE_RE (bounded below)
FLOAT_MAX = sys.float_info.max
TOLERANCE_S = CLOCK_TOLERANCE.total_seconds()


def check_event(ev: object, device_id: str, max_payload: int, clock: DeviceClock,
                now: dt.datetime) -> dict:
    """A row for the events table; raises ValueError (reject) or Forbidden (403).

    Runs for every event (about 5 us): exact class tests instead of isinstance (parsed JSON
    has no subclasses), a set of types already seen instead of the regular expression."""
    if ev.__class__ is not dict:
        raise ValueError("an event must be a JSON object")
    get = ev.get
    ev_id = get("id")
    if ev_id.__class__ is not str:
        raise ValueError("id must be a UUID string")
    norm = ev_id.lower()
    if not UUID_RE.match(norm):
        raise ValueError("id must be a UUID in the usual 8-4-4-4-12 hex form")
    dev = get("device_id")
    if dev.__class__ is not str:
        raise ValueError("device_id must be a string")
    if dev != device_id:
        raise Forbidden(f"event {ev_id} is for device {dev[:64]!r}, the token is for {device_id!r}")
    seq = get("seq")
    if seq.__class__ is not int or not 0 <= seq < 2 ** 62:
        raise ValueError("seq must be a whole number >= 0")
    type_ = get("type")
    if type_.__class__ is not str or (type_ not in _good_types and not _new_type(type_)):
        raise ValueError("type must be a dotted lower-case name like feedback.given")
    occurred = parse_time(get("occurred_at"))
    payload = get("payload")
    if payload.__class__ is not dict:
        raise ValueError("payload must be a JSON object")
    try:  # orjson: ten times faster than json.dumps here, and strict (no lone surrogates, no NaN)
        raw = orjson.dumps(payload)
    except (orjson.JSONEncodeError, RecursionError):
        raise ValueError("payload is not plain JSON (lone surrogates, integers beyond 64 bits, "
                         "or nested too deep)") from None
    if len(raw) > max_payload:
        raise ValueError(f"payload is {len(raw)} bytes, over the limit of {max_payload}")
    if b"\\u0000" in raw:
        raise ValueError("payload text must not contain NUL characters")
    if type_ == "feedback.given" or type_ == "ticket.issued":
        problem = _check_payload(type_, payload)
        if problem:
            raise ValueError(problem)
        if type_ == "ticket.issued" and payload.get("token") is not None:
            payload = ticket_fields.without_token(payload)  # kept as its hash only, never as it came
            raw = orjson.dumps(payload)
    boot = get("boot_id")
    if boot is not None and not (boot.__class__ is str and len(boot) <= 64 and boot.isprintable()
                                 and boot.isascii()):
        raise ValueError("boot_id must be a short string")
    mono = get("monotonic")
    if mono is not None:
        if not (_number(mono) and 0 <= mono <= FLOAT_MAX):  # NaN, inf and ints beyond floats fail
            raise ValueError("monotonic must be a number of seconds >= 0")
        mono = float(mono)
    effective = occurred
    if boot and mono is not None and boot == clock.boot_id and clock.monotonic is not None \
            and clock.monotonic >= mono:
        ago = clock.monotonic - mono  # seconds since the event by the device's monotonic clock
        if abs((now - occurred).total_seconds() - ago) > TOLERANCE_S:
            try:
                effective = now - dt.timedelta(seconds=ago)
            except OverflowError:  # before the year 1: no better estimate than the event's own
                pass
    if not EARLIEST <= effective <= now + LATEST_AHEAD:
        effective = now  # a wall clock that is plainly wrong and nothing better known
    return {"id": norm, "device_id": device_id, "seq": seq, "type": type_, "occurred_at": occurred,
            "effective_at": effective, "received_at": now, "boot_id": boot, "monotonic": mono,
            "payload": payload, "payload_text": raw.decode()}


def _new_type(type_: str) -> bool:
    if len(type_) > 64 or not TYPE_RE.match(type_):
        return False
    if len(_good_types) < 1000:  # event types are few; fuzzing cannot grow this without bound
        _good_types.add(type_)
    return True


COLUMNS = ("id", "device_id", "seq", "type", "occurred_at", "effective_at", "received_at", "boot_id",
           "monotonic", "payload")


# device_id and received_at are the same for the whole batch: sent once, not as arrays.
_PER_ROW = ("id", "seq", "type", "occurred_at", "effective_at", "boot_id", "monotonic", "payload")
PG_INSERT = (
    f"INSERT INTO events ({', '.join(COLUMNS)}) SELECT t.id, %b::varchar, t.seq, t.type, t.occurred_at, "
    "t.effective_at, %b::timestamp, t.boot_id, t.monotonic, t.payload::jsonb FROM unnest("
    "%b::varchar[], %b::bigint[], %b::varchar[], %b::timestamp[], %b::timestamp[], "
    "%b::varchar[], %b::float8[], %b::text[]) "
    f"AS t({', '.join(_PER_ROW)}) ON CONFLICT (id) DO NOTHING RETURNING id")
SQLITE_CHUNK = 1000  # rows per statement: 10 parameters each, well under SQLite's limit


def _insert_rows(conn: sa.Connection, rows: list[dict]) -> list[str]:
    """INSERT ... ON CONFLICT (id) DO NOTHING for a whole batch; returns the ids that were new.

    Written at the driver level because SQLAlchemy's per-value type processing cost more
    than the database did (see bench/bench_sync.py). Values always go as parameters:
    PostgreSQL gets one array per column (unnest), SQLite multi-row VALUES.
    """
    if conn.dialect.name == "postgresql":
        cols = list(zip(*[(r["id"], r["seq"], r["type"], r["occurred_at"], r["effective_at"],
                           r["boot_id"], r["monotonic"], r["payload_text"]) for r in rows]))
        raw = conn.connection.driver_connection  # same transaction; binary arrays need no escaping
        with raw.cursor() as cur:  # %b: parameters in binary format
            cur.execute(PG_INSERT, (rows[0]["device_id"], rows[0]["received_at"],
                                    *(list(c) for c in cols)))
            return [r[0] for r in cur.fetchall()]
    inserted: list[str] = []
    for i in range(0, len(rows), SQLITE_CHUNK):
        chunk = rows[i:i + SQLITE_CHUNK]
        params: list = []
        for r in chunk:  # the text form SQLAlchemy's SQLite DateTime uses, so reads and range queries agree
            params.extend((r["id"], r["device_id"], r["seq"], r["type"],
                           r["occurred_at"].isoformat(" ", "microseconds"),
                           r["effective_at"].isoformat(" ", "microseconds"),
                           r["received_at"].isoformat(" ", "microseconds"), r["boot_id"], r["monotonic"],
                           r["payload_text"]))
        sql = (f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES "
               + ", ".join(["(" + ", ".join("?" * len(COLUMNS)) + ")"] * len(chunk)) + " ON CONFLICT (id) DO NOTHING RETURNING id")
        inserted.extend(conn.exec_driver_sql(sql, tuple(params)).scalars())
    return inserted


HELP_MISSED_AFTER = dt.timedelta(minutes=10)  # settings.help.missed_after_min's default


def store_batch(engine: sa.Engine, device_id: str, batch: list, max_payload: int,
                clock: DeviceClock | None = None, role: str | None = None,
                help_missed_after: dt.timedelta = HELP_MISSED_AFTER, timezone: str = rollups.DEFAULT_ZONE) -> Outcome:
    """Check every event, store the good ones once, report the rest. Raises Forbidden."""
    with engine.begin() as conn:
        return store_batch_on(conn, device_id, batch, max_payload, clock, role, help_missed_after, timezone)


def store_batch_on(conn: sa.Connection, device_id: str, batch: list, max_payload: int,
                   clock: DeviceClock | None = None, role: str | None = None,
                   help_missed_after: dt.timedelta = HELP_MISSED_AFTER,
                   timezone: str = rollups.DEFAULT_ZONE) -> Outcome:
    """store_batch inside the caller's transaction. `role`: only the event types that role
    produces are stored (central.device_roles); None: any type (tools and tests). The events
    actually inserted are counted into the roll-ups (central.rollups), days in `timezone`."""
    now = utcnow()
    allowed = None if role is None else device_roles.allowed_types(role)
    out = Outcome()
    rows: dict[str, dict] = {}
    clock = clock or DeviceClock()
    where: dict[str, int] = {}  # event id -> its index in the batch
    for i, ev in enumerate(batch):
        try:
            row = check_event(ev, device_id, max_payload, clock, now)
            if allowed is not None and row["type"] not in allowed:
                raise ValueError(device_roles.problem(role, row["type"]))
        except ValueError as e:
            out.rejected.append({"index": i, "id": _shown_id(ev), "error": str(e)})
            continue
        if row["id"] in rows:
            out.duplicates += 1
        else:
            rows[row["id"]] = row
            where[row["id"]] = i
    if rows:
        # in id order: two transactions with overlapping batches take row locks in the same order
        ordered = [rows[k] for k in sorted(rows)]
        new = _insert_rows(conn, ordered)
        out.accepted = len(new)
        rollups.add(conn, (rows[i] for i in sorted(new)), timezone)  # only these: a duplicate never counts twice
        if out.accepted < len(rows):
            foreign = set(_foreign(conn, device_id, list(rows)))
            for ev_id in foreign:
                del rows[ev_id]
                out.rejected.append({"index": where[ev_id], "id": ev_id, "error": FOREIGN_ID})
            out.rejected.sort(key=lambda r: r["index"])
        out.duplicates += len(rows) - out.accepted
        _note_heartbeat(conn, device_id, rows.values())
        # in batch order (ticket ids follow it); a lost race here is retried (db.retrying)
        out.queued = queue.project(conn, rows.values())  # one set-based INSERT for the ticket.issued rows
        if any(r["type"] in help_calls.TYPES for r in rows.values()):
            out.helped = help_calls.project(conn, rows.values(), help_missed_after, now)
        if out.queued or out.helped:
            live.notify_in(conn)  # other server processes hear of it at commit
    conn.execute(devices.update().where(devices.c.id == device_id).values(last_seen_at=now))
    return out


def _foreign(conn: sa.Connection, device_id: str, ids: list[str]) -> list[str]:
    """Those of `ids` stored for another device (asked only when some id was there already)."""
    out: list[str] = []
    for i in range(0, len(ids), 500):
        out.extend(conn.execute(sa.select(events.c.id).where(
            events.c.id.in_(ids[i:i + 500]), events.c.device_id != device_id)).scalars())
    return out


def _shown_id(ev: object) -> str | None:
    """A rejected event's id as the answer may show it: text only, at most 100 characters,
    lone surrogates and other unencodable characters escaped (the answer is UTF-8 JSON)."""
    ev_id = ev.get("id") if ev.__class__ is dict else None
    if ev_id.__class__ is not str or not ev_id:
        return None
    return ev_id[:100].encode("utf-8", "backslashreplace").decode("utf-8")


def _note_heartbeat(conn: sa.Connection, device_id: str, rows) -> None:
    beats = [r for r in rows if r["type"] == "heartbeat"]
    if not beats:
        return
    latest = max(beats, key=lambda r: r["effective_at"])
    conn.execute(devices.update().where(devices.c.id == device_id).where(
        sa.or_(devices.c.heartbeat_at.is_(None), devices.c.heartbeat_at <= latest["effective_at"])
    ).values(heartbeat=latest["payload"], heartbeat_at=latest["effective_at"]))
