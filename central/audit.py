"""The audit log: who did what, when, from where (docs/central.md, "Audit log").

  record(conn, "alice", "desk.call", "A012 @ desk 4", {"ticket": 17}, client="10.0.0.5")

Rows are written in the caller's transaction where there is one (a login and its session, a
password change and the sessions it ends), so the log and the change agree. Rows older than
`audit_days` go at start and then at most once a day, on the next write (`purge_due`).
"""
from __future__ import annotations

import datetime as dt
import time
from typing import Iterator

import sqlalchemy as sa

from central.db import audit_log, utcnow

ACTIONS = ("login", "login.failed", "login.locked", "login.refused", "logout", "password.change",
           "user.add", "user.disable", "device.add", "device.new-token", "device.rotate", "device.revoke",
           "export",
           "desk.call-next", "desk.call", "desk.recall", "desk.served", "desk.no-show", "desk.put-back",
           "help.coming", "help.done",
           "desk.transfer", "desk.priority", "desk.pause", "desk.resume",
           "alert.acknowledge", "alert.comment")
DAY_S = 86400.0
_next_purge = 0.0  # monotonic time of the next purge in this process


def now() -> dt.datetime:
    return utcnow()


def record(conn: sa.Connection, actor: str, action: str, target: str | None = None,
           detail: dict | None = None, client: str | None = None, at: dt.datetime | None = None) -> None:
    conn.execute(audit_log.insert().values(at=at or now(), actor=actor[:64], action=action[:64],
                                           target=None if target is None else target[:128],
                                           detail=detail, client=None if client is None else client[:64]))


def write(engine: sa.Engine, actor: str, action: str, target: str | None = None,
          detail: dict | None = None, client: str | None = None, days: int | None = None) -> None:
    """One row in a transaction of its own; purges old rows first when a day has passed."""
    with engine.begin() as conn:
        record(conn, actor, action, target, detail, client)
    if days is not None and purge_due():
        purge(engine, days)


def purge_due(clock=time.monotonic) -> bool:
    global _next_purge
    t = clock()
    if t < _next_purge:
        return False
    _next_purge = t + DAY_S
    return True


def purge(engine: sa.Engine, days: int) -> int:
    """Remove rows older than `days`; the number removed. The next daily purge is a day later."""
    global _next_purge
    _next_purge = time.monotonic() + DAY_S
    with engine.begin() as conn:
        return conn.execute(audit_log.delete().where(audit_log.c.at < now() - dt.timedelta(days=days))).rowcount


def rows(engine: sa.Engine, *, actor: str | None = None, action: str | None = None,
         before: int | None = None, limit: int | None = 200) -> list[sa.Row]:
    """Newest first; `before` an id for the next page."""
    q = sa.select(audit_log).order_by(audit_log.c.id.desc())
    if actor:
        q = q.where(audit_log.c.actor == actor)
    if action:
        q = q.where(audit_log.c.action == action)
    if before is not None:
        q = q.where(audit_log.c.id < before)
    if limit is not None:
        q = q.limit(limit)
    with engine.connect() as conn:
        return conn.execute(q).all()


def csv_rows(engine: sa.Engine) -> Iterator[list]:
    import json
    yield ["id", "at_utc", "actor", "action", "target", "detail", "client"]
    with engine.connect() as conn:
        for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)):
            yield [r.id, r.at.isoformat(timespec="seconds") + "Z", _cell(r.actor), _cell(r.action),
                   _cell(r.target or ""),
                   _cell("" if r.detail is None else json.dumps(r.detail, ensure_ascii=False, sort_keys=True)),
                   _cell(r.client or "")]


def _cell(v: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ as a formula; such text gets a leading '."""
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
