"""Calling tickets: the state changes a desk makes, each in one transaction.

    waiting --call--> called --served--> served
                        |  \\--no-show--> no_show
                        |--recall--> called (a new call row, recall = true)
                        \\--put back--> waiting

"Call next" takes the first waiting ticket of the desk's services by the priority rule
(`order_key`): checked-in appointments before walk-ins, unless the longest-waiting walk-in
has waited more than `walk_in_max_wait_min`; within a group the longest waiting first.
Two desks calling at once never get the same ticket: on PostgreSQL the pick is
`SELECT ... FOR UPDATE SKIP LOCKED`, on SQLite the transaction is `BEGIN IMMEDIATE`
(one writer at a time), and every change is a conditional UPDATE on the expected state.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from central import live, queue
from central.db import queue_calls as qc, queue_desks, queue_tickets as qt, utcnow
from central.settings import QueueSettings


class QueueError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(QueueError):
    status = 404


class Conflict(QueueError):
    status = 409


@contextlib.contextmanager
def transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction; on SQLite taken with BEGIN IMMEDIATE (the write lock first).
    Every desk action changes what the queue streams show: other processes are told at
    commit (central.live.notify_in); the caller tells its own process after it."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite then adds no BEGIN of its own
        try:
            yield conn
            live.notify_in(conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def order_key(appointment: bool, issued_at: dt.datetime, entry_id: int, overdue_before: dt.datetime) -> tuple:
    """Sort key of a waiting ticket for "call next" (smallest first)."""
    if not appointment and issued_at < overdue_before:
        group = 0  # a walk-in that waited too long
    else:
        group = 1 if appointment else 2
    return group, issued_at, entry_id


def touch_desk(conn: sa.Connection, desk: str, services: list[str], now: dt.datetime) -> None:
    """Remember a desk and its services (the desk is 'signed in' for today)."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(queue_desks)
    conn.execute(ins.values(name=desk, services=services, seen_at=now).on_conflict_do_update(
        index_elements=["name"], set_={"services": services, "seen_at": now}))


def call_next(engine: sa.Engine, qs: QueueSettings, desk: str, services: list[str],
              now: dt.datetime | None = None) -> dict | None:
    """Call the next ticket for `services` at `desk`; None when nobody is waiting."""
    now = now or utcnow()
    _, lo, hi = queue.today(qs.timezone, now)
    overdue_before = now - dt.timedelta(minutes=qs.walk_in_max_wait_min)
    with transaction(engine) as conn:
        base = sa.select(qt.c.id).where(qt.c.state == "waiting", qt.c.service.in_(services),
                                        qt.c.issued_at >= lo, qt.c.issued_at < hi)
        picked = _pick(conn, base.where(qt.c.appointment.is_(False), qt.c.issued_at < overdue_before)
                       .order_by(qt.c.issued_at, qt.c.id))
        if picked is None:
            picked = _pick(conn, base.order_by(qt.c.appointment.desc(), qt.c.issued_at, qt.c.id))
        called = None if picked is None else _call(conn, picked, desk, now, recall=False)
        touch_desk(conn, desk, services, now)
        return called


def _pick(conn: sa.Connection, q: sa.Select) -> int | None:
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)  # a ticket another desk is taking is skipped
    return conn.execute(q.limit(1)).scalar()


def _row(conn: sa.Connection, entry_id: int) -> sa.Row:
    row = conn.execute(sa.select(qt).where(qt.c.id == entry_id)).first()
    if row is None:
        raise NotFound(f"there is no ticket with id {entry_id}")
    return row


def _call(conn: sa.Connection, entry_id: int, desk: str, now: dt.datetime, recall: bool) -> dict:
    row = _row(conn, entry_id)
    values = {"state": "called", "desk": desk, "called_at": now}
    if row.first_called_at is None:
        values.update(first_called_at=now, real_wait_s=max(0.0, (now - row.issued_at).total_seconds()))
    expect = "called" if recall else "waiting"
    done = conn.execute(qt.update().where(qt.c.id == entry_id, qt.c.state == expect).values(**values)).rowcount
    if not done:
        raise Conflict(_wrong_state(row.label, row.state if row.state != expect else "changed",
                                    "recalled" if recall else "called", expect))
    call_id = conn.execute(qc.insert().values(ticket_id=entry_id, desk=desk, service=row.service,
                                              label=row.label, lang=row.lang, called_at=now, recall=recall)
                           .returning(qc.c.id)).scalar_one()
    return {**ticket_dict(_row(conn, entry_id)), "call_id": call_id, "recall": recall}


def _wrong_state(label: str, state: str, verb: str, expect: str) -> str:
    if state == "changed":
        return f"ticket {label} was just changed at another desk; it can no longer be {verb}"
    return f"ticket {label} is {state.replace('_', '-')}; only a {expect} ticket can be {verb}"


def call(engine: sa.Engine, qs: QueueSettings, entry_id: int, desk: str, now: dt.datetime | None = None) -> dict:
    """Call a chosen waiting ticket of today."""
    now = now or utcnow()
    _, lo, hi = queue.today(qs.timezone, now)
    with transaction(engine) as conn:
        row = _row(conn, entry_id)
        if not lo <= row.issued_at < hi:
            raise Conflict(f"ticket {row.label} is from an earlier day; only today's tickets can be called")
        return _call(conn, entry_id, desk, now, recall=False)


def recall(engine: sa.Engine, entry_id: int, desk: str, now: dt.datetime | None = None) -> dict:
    """Call a called ticket again (a new call with recall = true)."""
    with transaction(engine) as conn:
        return _call(conn, entry_id, desk, now or utcnow(), recall=True)


FINISH = {"served": "served", "no_show": "marked no-show", "waiting": "put back"}


def finish(engine: sa.Engine, entry_id: int, state: str, now: dt.datetime | None = None) -> dict:
    """called -> served, no_show, or back to waiting (put back keeps the first call time)."""
    if state not in FINISH:
        raise QueueError(f"unknown state {state!r}")
    now = now or utcnow()
    values = {"state": state, "finished_at": now if state != "waiting" else None}
    if state == "waiting":
        values["desk"] = None
    with transaction(engine) as conn:
        row = _row(conn, entry_id)
        done = conn.execute(qt.update().where(qt.c.id == entry_id, qt.c.state == "called")
                            .values(**values)).rowcount
        if not done:
            raise Conflict(_wrong_state(row.label, row.state, FINISH[state], "called"))
        return ticket_dict(_row(conn, entry_id))


def ticket_dict(r) -> dict:
    return {"id": r.id, "label": r.label, "service": r.service, "state": r.state, "appointment": r.appointment,
            "lang": r.lang, "issued_at": queue.iso(r.issued_at), "desk": r.desk,
            "called_at": queue.iso(r.called_at), "first_called_at": queue.iso(r.first_called_at),
            "finished_at": queue.iso(r.finished_at),
            "estimated_wait_min": None if r.est_low_min is None else [r.est_low_min, r.est_high_min],
            "real_wait_min": None if r.real_wait_s is None else round(r.real_wait_s / 60, 1)}
