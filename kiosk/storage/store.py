"""Durable storage: one SQLite file in the data dir, WAL, synchronous=FULL.

Every change a visitor makes is written together with its outbox event in ONE
transaction (`Store.transaction()` + `Store.append_event()`). Schema changes are
versioned migrations per component (see `kiosk.storage.migrations`), applied at open.
Whoever must know that events were committed (the sync worker) registers with
`add_commit_listener`; it is called after the COMMIT, never for a rolled-back write.
"""
from __future__ import annotations

import contextlib
import enum
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from common.states import move
from kiosk.storage import migrations
from kiosk.clock import SystemClock, boot_id, utc_rfc3339

DB_NAME = "kiosk.sqlite3"


class OutboxState(str, enum.Enum):
    """States of an outbox row: pending -> sent, or pending -> set_aside (refused by the
    central service). Both ends are final. Stored as the value ('pending', ...)."""

    PENDING = "pending"
    SENT = "sent"
    SET_ASIDE = "set_aside"


OUTBOX_TRANSITIONS = {
    OutboxState.PENDING: frozenset({OutboxState.SENT, OutboxState.SET_ASIDE}),
    OutboxState.SENT: frozenset(),
    OutboxState.SET_ASIDE: frozenset(),
}


@dataclass(frozen=True)
class Event:
    id: str
    device_id: str
    seq: int
    type: str
    occurred_at: str
    payload: dict
    boot_id: str
    monotonic: float

    def envelope(self) -> dict:
        """The event as sent to the central service (shared/DESIGN.md)."""
        return {
            "id": self.id,
            "device_id": self.device_id,
            "seq": self.seq,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "payload": self.payload,
            "boot_id": self.boot_id,
            "monotonic": self.monotonic,
        }


def connect(path: str | os.PathLike) -> sqlite3.Connection:
    """Open a connection with the durability settings every writer uses."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    # A bounded page cache of 512 KiB instead of SQLite's 2 MiB: what a tap, a ticket or a sync
    # batch touches is a few dozen pages at the tail of the tables, and the rest is in the OS
    # page cache anyway. The soak saw the 2 MiB fill at ~0.5 KiB a visit for thousands of
    # visits, which read as growth of the app.
    conn.execute("PRAGMA cache_size=-512")
    return conn


class Store:
    """The kiosk's database. Thread-safe: one connection guarded by a lock."""

    def __init__(self, data_dir: str | os.PathLike, device_id: str | None = None, clock=None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_NAME
        self.clock = clock or SystemClock()
        self._lock = threading.RLock()
        self._appended = 0  # events appended in the open transaction (under _lock)
        self._listeners: tuple = ()
        self.conn = connect(self.path)
        migrations.apply_all(self.conn)
        self.device_id = device_id or self._stored_device_id()
        self.boot_id = boot_id()

    # -- basics -----------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; rolls back on any exception, a failed COMMIT too
        (a full disk), so the connection is never left inside a transaction. After a
        COMMIT that added outbox events the commit listeners are told (outside the lock)."""
        with self._lock:
            self._appended = 0
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self._appended = 0
                self._rollback()
                raise
            added, self._appended = self._appended, 0
        if added and self._listeners:
            self._committed(added)

    # -- commit listeners ------------------------------------------------------
    def add_commit_listener(self, fn) -> None:
        """`fn(n)` after each COMMIT that added n > 0 outbox events, on the committing
        thread: keep it short (set an Event). An exception in it is logged, never raised."""
        with self._lock:
            self._listeners = (*self._listeners, fn)

    def remove_commit_listener(self, fn) -> None:
        with self._lock:
            self._listeners = tuple(f for f in self._listeners if f != fn)

    def _committed(self, n: int) -> None:
        for fn in self._listeners:
            try:
                fn(n)
            except Exception:  # noqa: BLE001 - a listener never undoes or fails a durable write
                import logging
                logging.getLogger(__name__).exception("commit listener failed")

    def execute_durable(self, sql: str, params: tuple = ()) -> int:
        """One statement in its own BEGIN IMMEDIATE ... COMMIT; returns the rowcount.
        The same as a one-statement `transaction()` without the generator machinery: the
        feedback tap's hot path, which runs with cold caches right after an fsync."""
        with self._lock:
            c = self.conn
            c.execute("BEGIN IMMEDIATE")
            try:
                n = c.execute(sql, params).rowcount
                c.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            return n

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key=?", (key,))
        return rows[0]["value"] if rows else default

    def meta_set(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO meta(key, value) VALUES(?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def _stored_device_id(self) -> str:
        existing = self.meta_get("device_id")
        if existing:
            return existing
        import uuid  # uuid (it imports platform) only when needed: not on every cold start
        new = "kiosk-" + uuid.uuid4().hex[:8]
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('device_id', ?)", (new,))
        return self.meta_get("device_id")  # another process may have won the race

    # -- outbox: write side -------------------------------------------------
    def append_event(self, conn: sqlite3.Connection, type_: str, payload: dict[str, Any],
                     event_id: str | None = None) -> Event:
        """Add an event to the outbox inside the caller's transaction."""
        import uuid
        ev_id = event_id or str(uuid.uuid4())
        occurred = utc_rfc3339(self.clock.wall())
        mono = round(time.monotonic(), 3)
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        cur = conn.execute(
            "INSERT INTO outbox(id, type, occurred_at, payload, boot_id, monotonic) "
            "VALUES(?, ?, ?, ?, ?, ?)", (ev_id, type_, occurred, body, self.boot_id, mono))
        self._appended += 1
        return Event(ev_id, self.device_id, cur.lastrowid, type_, occurred, payload, self.boot_id, mono)

    def record_event(self, type_: str, payload: dict[str, Any]) -> Event:
        """An event with no other state change (device.status, heartbeat, ...)."""
        with self.transaction() as c:
            return self.append_event(c, type_, payload)

    # -- outbox: read side (the sync worker) ----------------------------------
    def _row_event(self, r: sqlite3.Row) -> Event:
        return Event(r["id"], self.device_id, r["seq"], r["type"], r["occurred_at"],
                     json.loads(r["payload"]), r["boot_id"] or "", r["monotonic"] or 0.0)

    def outbox_pending(self, limit: int = 500) -> list[Event]:
        rows = self.query("SELECT * FROM outbox WHERE state=? ORDER BY seq LIMIT ?",
                          (OutboxState.PENDING.value, limit))
        return [self._row_event(r) for r in rows]

    def outbox_events(self, type_: str | None = None) -> list[Event]:
        """All events (any state), oldest first; for tests, export and staff screens."""
        if type_:
            rows = self.query("SELECT * FROM outbox WHERE type=? ORDER BY seq", (type_,))
        else:
            rows = self.query("SELECT * FROM outbox ORDER BY seq")
        return [self._row_event(r) for r in rows]

    def _outbox_move(self, c: sqlite3.Connection, ids: list[str], new: OutboxState) -> list[str]:
        """Check each row's move to `new` against OUTBOX_TRANSITIONS (IllegalTransition, and
        the caller's transaction rolls back); returns the ids that move. A row already in
        `new` stays as it is (told twice is not a second change)."""
        moving = []
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            rows = c.execute(f"SELECT id, state FROM outbox WHERE id IN ({','.join('?' * len(part))})",
                             part).fetchall()
            for r in rows:
                if r["state"] != new.value:
                    move(OUTBOX_TRANSITIONS, OutboxState(r["state"]), new, f"outbox event {r['id']}")
                    moving.append(r["id"])
        return moving

    def outbox_mark_sent(self, ids: list[str]) -> None:
        now = utc_rfc3339(self.clock.wall())
        with self.transaction() as c:
            c.executemany("UPDATE outbox SET state=?, sent_at=?, attempts=attempts+1 WHERE id=?",
                          [(OutboxState.SENT.value, now, i)
                           for i in self._outbox_move(c, list(ids), OutboxState.SENT)])

    def outbox_set_aside(self, ev_id: str, reason: str) -> None:
        with self.transaction() as c:
            for i in self._outbox_move(c, [ev_id], OutboxState.SET_ASIDE):
                c.execute("UPDATE outbox SET state=?, error=?, attempts=attempts+1 WHERE id=?",
                          (OutboxState.SET_ASIDE.value, reason[:500], i))

    def outbox_stats(self) -> dict[str, Any]:
        rows = self.query("SELECT state, COUNT(*) AS n, MIN(occurred_at) AS oldest "
                          "FROM outbox GROUP BY state")
        by = {r["state"]: r for r in rows}
        pending = by.get(OutboxState.PENDING.value)
        sent, aside = by.get(OutboxState.SENT.value), by.get(OutboxState.SET_ASIDE.value)
        return {
            "pending": pending["n"] if pending else 0,
            "oldest_pending_at": pending["oldest"] if pending else None,
            "sent": sent["n"] if sent else 0,
            "set_aside": aside["n"] if aside else 0,
        }
