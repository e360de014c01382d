"""Fire once until it clears, on the `alerts` table (central/insight_tables.py).

`apply(engine, conditions, now)`: a condition whose key has no open row opens one (opened_at =
now); an open row whose key no longer holds gets cleared_at = now; nothing else changes, so a
condition that keeps holding stays one row and is sent once. After clearing, the same key
holding again opens a new row. On PostgreSQL the step takes a transaction-level advisory lock,
so worker processes that check at the same moment cannot open the same alert twice.

A new row's `delivery` is null until a check claims it for sending (`claim`), then holds what
each channel answered. Staff acknowledge (`acknowledge`) and comment (`comment`; the latest
comment is kept on the row, every one in the audit log).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from central import audit
from central.alerts.rules import Condition, text
from central.insight_tables import alerts

LOCK = 742118  # pg_advisory_xact_lock key (central.db uses 742117 for upgrades)
COMMENT_MAX = 1000
SENDING = {"state": "sending"}


class AlertError(Exception):
    """An acknowledgement or comment that cannot be made: status 404 or 422, and why."""

    def __init__(self, status: int, why: str):
        super().__init__(why)
        self.status = status


def apply(engine: sa.Engine, conds: list[Condition], now: dt.datetime) -> tuple[list[int], list[int]]:
    """Open and clear rows for the conditions that hold at `now`: (opened ids, cleared ids)."""
    holding = {c.key: c for c in conds}
    opened, cleared = [], []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK})
        open_rows = conn.execute(sa.select(alerts.c.id, alerts.c.key).where(alerts.c.cleared_at.is_(None))).all()
        open_keys = {r.key for r in open_rows}
        for r in open_rows:
            if r.key not in holding:
                conn.execute(alerts.update().where(alerts.c.id == r.id).values(cleared_at=now))
                cleared.append(r.id)
        for key, c in holding.items():
            if key in open_keys:
                continue
            res = conn.execute(alerts.insert().values(key=key[:200], rule=c.rule, subject=c.subject[:128],
                                                      message=text("en", c.rule, c.subject, c.detail),
                                                      detail=c.detail, opened_at=now))
            opened.append(res.inserted_primary_key[0])
    return opened, cleared


def claim(engine: sa.Engine) -> list[sa.Row]:
    """Open rows nobody has sent yet, each claimed by this caller (delivery = sending)."""
    out = []
    with engine.begin() as conn:
        ids = conn.execute(sa.select(alerts.c.id).where(alerts.c.cleared_at.is_(None), alerts.c.delivery.is_(None))
                           .order_by(alerts.c.id)).scalars().all()
        for i in ids:
            if conn.execute(alerts.update().where(alerts.c.id == i, alerts.c.delivery.is_(None))
                            .values(delivery=SENDING)).rowcount == 1:
                out.append(conn.execute(sa.select(alerts).where(alerts.c.id == i)).one())
    return out


def delivered(engine: sa.Engine, alert_id: int, outcome: dict) -> None:
    with engine.begin() as conn:
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(delivery=outcome))


def listing(engine: sa.Engine, limit: int = 50) -> list[sa.Row]:
    """Open alerts first (newest first), then the most recent cleared ones."""
    with engine.connect() as conn:
        return conn.execute(sa.select(alerts).order_by(alerts.c.cleared_at.is_not(None), alerts.c.opened_at.desc(),
                                                       alerts.c.id.desc()).limit(limit)).all()


def _row(conn: sa.Connection, alert_id: int) -> sa.Row:
    row = conn.execute(sa.select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise AlertError(404, f"no alert with id {alert_id}")
    return row


def acknowledge(engine: sa.Engine, alert_id: int, user: str, client: str | None, now: dt.datetime) -> sa.Row:
    """Mark the alert seen by `user` (again: the newest acknowledgement counts); audited."""
    with engine.begin() as conn:
        row = _row(conn, alert_id)
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(acknowledged_by=user[:64],
                                                                           acknowledged_at=now))
        audit.record(conn, user, "alert.acknowledge", f"alert {alert_id} {row.key}"[:128], {"alert": alert_id},
                     client, at=now)
        return _row(conn, alert_id)


def check_comment(raw: str) -> str:
    v = (raw or "").strip()
    if not v:
        raise AlertError(422, "comment must not be empty")
    if len(v) > COMMENT_MAX:
        raise AlertError(422, f"comment must be at most {COMMENT_MAX} characters (it has {len(v)})")
    if not all(ch.isprintable() or ch in "\n\r\t" for ch in v) or "\x00" in v:
        raise AlertError(422, "comment must be plain text without control characters")
    return v


def comment(engine: sa.Engine, alert_id: int, user: str, raw: str, client: str | None, now: dt.datetime) -> sa.Row:
    """Keep `raw` (checked) as the alert's comment by `user`; audited with the comment's text."""
    v = check_comment(raw)
    with engine.begin() as conn:
        row = _row(conn, alert_id)
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(comment=v, comment_by=user[:64],
                                                                           comment_at=now))
        audit.record(conn, user, "alert.comment", f"alert {alert_id} {row.key}"[:128],
                     {"alert": alert_id, "comment": v}, client, at=now)
        return _row(conn, alert_id)
