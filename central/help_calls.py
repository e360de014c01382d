"""Help calls (issue #18, docs/help.md): the kiosk's `help.requested` / `help.cancelled`
events projected into `help_calls` at ingest, the snapshot's `help` list, and the host's
"coming" / "done".

    project(conn, rows, missed_after)   # in the ingest transaction (central.ingest)
    entries(conn, lo, now)              # the queue snapshot's "help" list (central.hall)
    open_calls(engine, now)             # the host page's list (central.host)
    move(engine, call_id, "coming", "anna", now)  # a host's answer; HelpError when it cannot

One row per (device_id, call_id): a replayed event never makes a second row (INSERT ... ON
CONFLICT DO NOTHING), a cancel only closes a call still open or coming. A call that can no
longer be answered when central hears of it is stored as `missed`: the kiosk promised no
host (`offline`), or the event is older than `missed_after` when it arrives.
Times are naive UTC; `requested_at` is the event's effective time (its occurred_at, unless
central corrected a kiosk clock that was off, central.ingest).
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from central.db import Id, metadata

help_calls = sa.Table(
    "help_calls", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("call_id", sa.String(64), nullable=False),  # made on the kiosk (a UUID 4)
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("place", sa.String(64), nullable=False),     # the kiosk's floor-plan node, "" without one
    sa.Column("screen", sa.String(64), nullable=False),
    sa.Column("lang", sa.String(16)),
    sa.Column("offline", sa.Boolean(), nullable=False),
    sa.Column("requested_at", sa.DateTime(), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),      # State below
    sa.Column("host", sa.String(64)),                       # the user who said "coming"
    sa.Column("taken_at", sa.DateTime()),
    sa.Column("closed_at", sa.DateTime()),                  # done, cancelled or missed
    sa.UniqueConstraint("device_id", "call_id", name="help_calls_key"),
    sa.Index("help_calls_requested", "requested_at"),
    sa.Index("help_calls_call", "call_id"),
    sqlite_autoincrement=True,
)


class State(str, enum.Enum):
    OPEN = "open"
    COMING = "coming"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


# who may move a call where: (from, to) pairs; a repeated move is answered as it is (idempotent)
MOVES = {(State.OPEN, State.COMING), (State.OPEN, State.DONE), (State.COMING, State.DONE)}
LIVE = (State.OPEN.value, State.COMING.value)
SHOWN_CLOSED = dt.timedelta(minutes=5)  # closed calls stay in the snapshot this long (the kiosk sees the end)
TYPES = ("help.requested", "help.cancelled")


class HelpError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


CALL_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}\Z")  # a UUID from the kiosk; what POST /api/v1/help/{id}/... takes


def _call_id(v: object) -> str:
    return v.strip() if v.__class__ is str and CALL_ID.match(v.strip()) else ""


def _text(v: object, most: int) -> str:
    return v.strip()[:most] if v.__class__ is str and v.isprintable() else ""


def requested_values(row: dict, now: dt.datetime, missed_after: dt.timedelta) -> dict | None:
    """The help_calls row for one checked help.requested event row; None without a call id."""
    p = row["payload"]
    call_id = _call_id(p.get("call_id"))
    if not call_id:
        return None  # the event is stored all the same; a call no host could answer is not listed
    at = row["effective_at"]
    offline = p.get("offline") is True
    missed = offline or now - at > missed_after
    return {"call_id": call_id, "device_id": row["device_id"], "place": _text(p.get("place"), 64),
            "screen": _text(p.get("screen"), 64) or "?", "lang": _text(p.get("lang"), 16) or None,
            "offline": offline, "requested_at": at, "state": (State.MISSED if missed else State.OPEN).value,
            "closed_at": now if missed else None}


def project(conn: sa.Connection, rows: Iterable[dict], missed_after: dt.timedelta,
            now: dt.datetime | None = None) -> int:
    """Store the help events among `rows` (checked event rows, in batch order); how many calls
    were added or closed. Help calls are rare: one statement per event is fine."""
    from central.db import utcnow
    now = now or utcnow()
    changed = 0
    for r in rows:
        t = r["type"]
        if t == "help.requested":
            v = requested_values(r, now, missed_after)
            if v is not None:
                changed += _insert(conn, v)
        elif t == "help.cancelled":
            call_id = _call_id(r["payload"].get("call_id"))
            if call_id:
                changed += conn.execute(help_calls.update().where(
                    help_calls.c.device_id == r["device_id"], help_calls.c.call_id == call_id,
                    help_calls.c.state.in_(LIVE)).values(state=State.CANCELLED.value, closed_at=now)).rowcount
    return changed


def _insert(conn: sa.Connection, values: dict) -> int:
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(help_calls)
    # RETURNING: rowcount of an INSERT ... ON CONFLICT is not reliable on every driver
    return len(conn.execute(ins.values(**values).on_conflict_do_nothing(
        index_elements=["device_id", "call_id"]).returning(help_calls.c.id)).all())


def backfill(conn: sa.Connection, now: dt.datetime | None = None) -> int:
    """Project the help events stored before revision 0007 (all old news: stored as missed)."""
    from central.db import events, utcnow
    now = now or utcnow()
    q = sa.select(events.c.id, events.c.device_id, events.c.type, events.c.effective_at, events.c.payload) \
        .where(events.c.type.in_(TYPES)).order_by(events.c.effective_at, events.c.id)
    rows = [dict(r) for r in conn.execute(q).mappings()]
    return project(conn, rows, dt.timedelta(0), now)


# -- reading ---------------------------------------------------------------------------------

def first_name(user: str | None) -> str:
    """What the kiosk says of a host ("Anna komt naar u toe."): the user name up to its first
    '.', '_' or '@' ("anna.de.vries" -> "Anna"), capitalised when written all in lower case."""
    if not user:
        return ""
    name = re.split(r"[._@]", user, maxsplit=1)[0] or user
    return name[:1].upper() + name[1:] if name.islower() else name


def entries(conn: sa.Connection, lo: dt.datetime, now: dt.datetime) -> list[dict]:
    """The snapshot's `help` list (docs/help.md): today's calls (requested since `lo`), but not
    those closed more than SHOWN_CLOSED ago; `host` the first name of who is coming, or ""."""
    q = sa.select(help_calls.c.call_id, help_calls.c.device_id, help_calls.c.state, help_calls.c.host) \
        .where(help_calls.c.requested_at >= lo,
               sa.or_(help_calls.c.closed_at.is_(None), help_calls.c.closed_at >= now - SHOWN_CLOSED)) \
        .order_by(help_calls.c.id)
    return [{"id": r.call_id, "device": r.device_id, "state": r.state, "host": first_name(r.host)}
            for r in conn.execute(q)]


def call_dict(r, now: dt.datetime) -> dict:
    from central.queue import iso
    return {"id": r.call_id, "device": r.device_id, "place": r.place, "screen": r.screen, "lang": r.lang,
            "state": r.state, "host": r.host or "", "requested_at": iso(r.requested_at),
            "taken_at": iso(r.taken_at)}


def open_calls(engine: sa.Engine, now: dt.datetime, since: dt.timedelta = dt.timedelta(hours=12)) -> list[dict]:
    """Calls a host can still answer (open or coming, of the last 12 hours), oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(help_calls).where(
            help_calls.c.state.in_(LIVE), help_calls.c.requested_at >= now - since)
            .order_by(help_calls.c.requested_at, help_calls.c.id)).all()
    return [call_dict(r, now) for r in rows]


# -- a host's answer ---------------------------------------------------------------------------

def move(engine: sa.Engine, call_id: str, to: State, host: str, now: dt.datetime) -> dict:
    """Move the newest call with this id to `to` ("coming": `host` is on the way; "done").
    Saying the same again is answered with the call as it is; HelpError 404 / 409 otherwise."""
    with engine.begin() as conn:
        r = conn.execute(sa.select(help_calls).where(help_calls.c.call_id == call_id)
                         .order_by(help_calls.c.requested_at.desc(), help_calls.c.id.desc()).limit(1)).first()
        if r is None:
            raise HelpError(404, f"no help call {call_id[:64]!r}")
        state = State(r.state)
        if state == to:
            return call_dict(r, now)
        if (state, to) not in MOVES:
            raise HelpError(409, f"the call is {state.value}; it cannot become {to.value}")
        values: dict = {"state": to.value}
        if to == State.COMING:
            values.update(host=host[:64], taken_at=now)
        else:
            values.update(closed_at=now)
            if state == State.OPEN:  # done without a "coming" first: the host came all the same
                values.update(host=host[:64], taken_at=now)
        # the state in the WHERE: two hosts at once, one wins, the other gets the call as it is then
        n = conn.execute(help_calls.update().where(help_calls.c.id == r.id, help_calls.c.state == r.state)
                         .values(**values)).rowcount
        r = conn.execute(sa.select(help_calls).where(help_calls.c.id == r.id)).first()
        if n == 0 and r.state != to.value:
            raise HelpError(409, f"the call is {r.state} now")
        from central import live
        live.notify_in(conn)
        return call_dict(r, now)
