"""Calling tickets: the state changes a desk makes, each in one transaction.

    waiting --call--> called --served--> served
                        |  \\--no-show--> no_show
                        |--recall--> called (a new call row, recall = true)
                        |--put back--> waiting
                        \\--transfer--> waiting (another service and/or one desk; a transfer row)

"Call next" takes the first waiting ticket of the desk's services by the fair rule
(`order_key`, docs/calling.md "Order for call next"): a ticket passed `max_passed` times
first, then a ticket transferred "to the front", then walk-ins that waited longer than
`walk_in_max_wait_min`, then appointments and priority tickets, then the other walk-ins;
within a group the largest effective wait (minutes waited x weight) first. Each call adds one
to `passed` of every waiting candidate issued before the called ticket.
Two desks calling at once never get the same ticket: on PostgreSQL the calls take one
transaction-level advisory lock (the `passed` counts are read and written by every call) and
the pick is `SELECT ... FOR UPDATE SKIP LOCKED`, on SQLite the transaction is `BEGIN IMMEDIATE`
(one writer at a time), and every change is a conditional UPDATE on the expected state.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from central import live, queue, rollups
from central.db import desk_pauses, queue_calls as qc, queue_desks, queue_tickets as qt, utcnow
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


def order_key(appointment: bool, issued_at: dt.datetime, entry_id: int, overdue_before: dt.datetime, *,
              now: dt.datetime | None = None, weight: float = 1.0, priority: bool = False, passed: int = 0,
              max_passed: int | None = None, front: bool = False) -> tuple:
    """Sort key of a waiting ticket for "call next" (smallest first). Without `now` (or with
    every weight 1) the order within a group is the issue time."""
    group = _group(appointment, issued_at, overdue_before, priority, passed, max_passed, front)
    if group in (0, 2) or now is None:
        return group, 0.0, issued_at, entry_id  # at the bound or overdue: strictly by issue time
    return group, -(now - issued_at).total_seconds() * weight, issued_at, entry_id


def _group(appointment, issued_at, overdue_before, priority, passed, max_passed, front) -> int:
    if max_passed is not None and passed >= max_passed:
        return 0  # the hard bound: passed often enough
    if front:
        return 1  # transferred to the front of this queue
    if not (appointment or priority) and issued_at < overdue_before:
        return 2  # a walk-in that waited too long
    return 3 if appointment or priority else 4


REASONS = {0: "passed", 1: "transferred", 2: "waited_longest", 4: "waited_longest"}


def weight(qs: QueueSettings, service: str, priority: bool) -> float:
    """A ticket's weight: its service's (`queue.priority`, 1 without one), times
    `priority_weight` for a ticket staff marked as priority."""
    return qs.priority.get(service, 1.0) * (qs.priority_weight if priority else 1.0)


def rank(rows, qs: QueueSettings, now: dt.datetime) -> list[tuple]:
    """Waiting rows (with id, service, appointment, priority, passed, front, issued_at) in call
    order, each as (row, reason): why it is where it is ("passed", "transferred",
    "waited_longest", "appointment", "priority")."""
    overdue = now - dt.timedelta(minutes=qs.walk_in_max_wait_min)
    keyed = []
    for r in rows:
        k = order_key(r.appointment, r.issued_at, r.id, overdue, now=now, weight=weight(qs, r.service, r.priority),
                      priority=r.priority, passed=r.passed, max_passed=qs.max_passed, front=r.front)
        reason = REASONS.get(k[0]) or ("priority" if r.priority else "appointment")
        keyed.append((k, r, reason))
    keyed.sort(key=lambda x: x[0])
    return [(r, reason) for _, r, reason in keyed]


CANDIDATE = (qt.c.id, qt.c.service, qt.c.appointment, qt.c.priority, qt.c.passed, qt.c.front, qt.c.to_desk,
             qt.c.issued_at)


def touch_desk(conn: sa.Connection, desk: str, services: list[str], now: dt.datetime) -> None:
    """Remember a desk and its services (the desk is 'signed in' for today)."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(queue_desks)
    conn.execute(ins.values(name=desk, services=services, seen_at=now).on_conflict_do_update(
        index_elements=["name"], set_={"services": services, "seen_at": now}))


def serialize(conn: sa.Connection) -> None:
    """On PostgreSQL: one queue change at a time (a transaction-level advisory lock), so the
    `passed` counts two desks update never deadlock; SQLite has BEGIN IMMEDIATE already."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(742118)"))


def check_not_paused(conn: sa.Connection, desk: str) -> None:
    reason = conn.execute(sa.select(desk_pauses.c.reason).where(
        desk_pauses.c.desk == desk, desk_pauses.c.ended_at.is_(None))).scalar()
    if reason is not None:
        raise Conflict(f"desk {desk} is paused ({reason}); resume it before calling tickets")


def call_next(engine: sa.Engine, qs: QueueSettings, desk: str, services: list[str],
              now: dt.datetime | None = None) -> dict | None:
    """Call the next ticket for `services` at `desk`; None when nobody is waiting. A paused
    desk gets Conflict. Tickets transferred to another desk are left out; those transferred
    to this desk are in, whatever their service."""
    now = now or utcnow()
    _, lo, hi = queue.today(qs.timezone, now)
    with transaction(engine) as conn:
        serialize(conn)
        check_not_paused(conn, desk)
        rows = conn.execute(sa.select(*CANDIDATE).where(
            qt.c.state == "waiting", qt.c.issued_at >= lo, qt.c.issued_at < hi,
            sa.or_(sa.and_(qt.c.service.in_(services), sa.or_(qt.c.to_desk.is_(None), qt.c.to_desk == desk)),
                   qt.c.to_desk == desk))).all()
        picked = None
        for r, _ in rank(rows, qs, now):
            if _pick(conn, sa.select(qt.c.id).where(qt.c.id == r.id, qt.c.state == "waiting")) is not None:
                picked = r
                break
        called = None
        if picked is not None:
            _passing(conn, picked, rows)
            called = _call(conn, picked.id, desk, now, recall=False)
        touch_desk(conn, desk, services, now)
        return called


def _passing(conn: sa.Connection, picked, candidates) -> None:
    """Every waiting candidate issued before the called ticket was passed once more."""
    ids = [r.id for r in candidates if r.id != picked.id and r.issued_at < picked.issued_at]
    for i in range(0, len(ids), 500):
        conn.execute(qt.update().where(qt.c.id.in_(ids[i:i + 500]), qt.c.state == "waiting")
                     .values(passed=qt.c.passed + 1))


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
    values = {"state": "called", "desk": desk, "called_at": now, "front": False}
    if row.first_called_at is None:
        values.update(first_called_at=now, real_wait_s=max(0.0, (now - row.issued_at).total_seconds()))
    expect = "called" if recall else "waiting"
    done = conn.execute(qt.update().where(qt.c.id == entry_id, qt.c.state == expect).values(**values)).rowcount
    if not done:
        raise Conflict(_wrong_state(row.label, row.state if row.state != expect else "changed",
                                    "recalled" if recall else "called", expect))
    if row.first_called_at is None:  # the real wait, for the stats (central/rollups.py)
        rollups.first_call(conn, row, values["real_wait_s"])
    call_id = conn.execute(qc.insert().values(ticket_id=entry_id, desk=desk, service=row.service,
                                              label=row.label, lang=row.lang, called_at=now, recall=recall)
                           .returning(qc.c.id)).scalar_one()
    return {**ticket_dict(_row(conn, entry_id)), "call_id": call_id, "recall": recall}


def _wrong_state(label: str, state: str, verb: str, expect: str) -> str:
    if state == "changed":
        return f"ticket {label} was just changed at another desk; it can no longer be {verb}"
    return f"ticket {label} is {state.replace('_', '-')}; only a {expect} ticket can be {verb}"


def call(engine: sa.Engine, qs: QueueSettings, entry_id: int, desk: str, now: dt.datetime | None = None) -> dict:
    """Call a chosen waiting ticket of today (out of turn: the earlier-issued waiting tickets
    of its service count it as passing them)."""
    now = now or utcnow()
    _, lo, hi = queue.today(qs.timezone, now)
    with transaction(engine) as conn:
        serialize(conn)
        check_not_paused(conn, desk)
        row = _row(conn, entry_id)
        if not lo <= row.issued_at < hi:
            raise Conflict(f"ticket {row.label} is from an earlier day; only today's tickets can be called")
        if row.state == "waiting" and row.to_desk is not None and row.to_desk != desk:
            raise Conflict(f"ticket {row.label} was transferred to desk {row.to_desk}; only that desk can call it")
        if row.state == "waiting":
            _passing(conn, row, conn.execute(sa.select(*CANDIDATE).where(
                qt.c.state == "waiting", qt.c.service == row.service, qt.c.issued_at >= lo,
                qt.c.issued_at < row.issued_at)).all())
        return _call(conn, entry_id, desk, now, recall=False)


POSITIONS = ("original", "front")


def transfer(engine: sa.Engine, qs: QueueSettings, entry_id: int, desk: str, to_service: str | None,
             to_desk: str | None, position: str = "original", now: dt.datetime | None = None) -> dict:
    """A called ticket goes to another service's queue and/or to one desk (only that desk may
    call it), keeping its number: at its original issue time or at the front. The hall display
    hears of it through a transfer row in queue_calls (kind "transfer")."""
    if position not in POSITIONS:
        raise QueueError(f"position must be one of {', '.join(POSITIONS)}")
    if not (to_service or to_desk):
        raise QueueError("give to_service, to_desk or both")
    now = now or utcnow()
    with transaction(engine) as conn:
        serialize(conn)
        row = _row(conn, entry_id)
        service = to_service or row.service
        moved = service != row.service
        values = {"state": "waiting", "desk": None, "service": service, "to_desk": to_desk,
                  "front": position == "front", "passed": 0,
                  "transferred_from": (row.transferred_from or row.service) if moved else row.transferred_from}
        done = conn.execute(qt.update().where(qt.c.id == entry_id, qt.c.state == "called").values(**values)).rowcount
        if not done:
            raise Conflict(_wrong_state(row.label, row.state, "transferred", "called"))
        call_id = conn.execute(qc.insert().values(
            ticket_id=entry_id, desk=to_desk or "", service=service, label=row.label, lang=row.lang, called_at=now,
            recall=False, kind="transfer", to_service=service).returning(qc.c.id)).scalar_one()
        return {**ticket_dict(_row(conn, entry_id)), "transfer_id": call_id, "from_desk": desk}


def set_priority(engine: sa.Engine, entry_id: int, priority: bool) -> dict:
    """Staff mark a waiting ticket as priority (or not); its weight is `priority_weight`."""
    with transaction(engine) as conn:
        row = _row(conn, entry_id)
        done = conn.execute(qt.update().where(qt.c.id == entry_id, qt.c.state == "waiting")
                            .values(priority=priority)).rowcount
        if not done:
            raise Conflict(_wrong_state(row.label, row.state, "marked as priority", "waiting"))
        return ticket_dict(_row(conn, entry_id))


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
            "real_wait_min": None if r.real_wait_s is None else round(r.real_wait_s / 60, 1),
            "priority": bool(r.priority), "passed": r.passed, "transferred_from": r.transferred_from,
            "to_desk": r.to_desk, "front": bool(r.front)}
