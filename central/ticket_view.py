"""What the mobile ticket page and its JSON show about one ticket, found by its QR token.

`view(engine, qs, token)` gives the public document (central.models.MobileTicket) or None
for a token that is malformed, unknown, or of another day than today in the site's zone
(`queue.timezone`; a ticket is valid on the day it was taken). The document holds only what
the visitor's own ticket says: no device, no event or row ids, no other ticket's label.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from central import calling, hall, queue, ticket_fields
from central.db import queue_tickets as qt, utcnow
from central.settings import QueueSettings

LANGUAGES = ("nl", "en", "pl", "tr", "ar", "uk")  # the mobile.po catalogs
DEFAULT = "nl"


def page_language(ticket_lang: str | None) -> str:
    """The ticket's language as a catalog language (nl-BE -> nl); Dutch when there is none."""
    primary = (ticket_lang or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


def valid_today(row, qs: QueueSettings, now: dt.datetime) -> bool:
    """Whether a queue_tickets row is of today in the site's zone (its page and JSON exist)."""
    day, lo, hi = queue.today(qs.timezone, now)
    if row.day:
        return row.day == day.isoformat()
    return lo <= row.issued_at < hi  # a ticket.issued without a day: its issue time decides


def find(conn: sa.Connection, qs: QueueSettings, token: str, now: dt.datetime):
    """The queue_tickets row of `token` when it is of today, else None (also for a token that
    is not even the right shape: then without a database read)."""
    if not ticket_fields.token_ok(token):
        return None
    row = conn.execute(sa.select(qt).where(qt.c.token_hash == ticket_fields.token_hash(token))).first()
    return row if row is not None and valid_today(row, qs, now) else None


def _ahead(conn: sa.Connection, qs: QueueSettings, row, now: dt.datetime) -> int:
    """Waiting tickets of the same service that "call next" would take before this one: the
    desks' own fair order (`calling.rank`: passed often enough, transferred to the front,
    overdue walk-ins, appointments and priority, weights against the time waited)."""
    _, lo, hi = queue.today(qs.timezone, now)
    waiting = conn.execute(sa.select(*calling.CANDIDATE).where(
        qt.c.state == "waiting", qt.c.service == row.service, qt.c.issued_at >= lo, qt.c.issued_at < hi)).all()
    order = [r.id for r, _ in calling.rank(waiting, qs, now)]
    return order.index(row.id) if row.id in order else len(order)


def _desk_route(texts: dict, desk: str | None) -> list[str] | None:
    routes = texts.get("desk_routes") or {}
    if desk is None:
        return None
    if desk in routes:
        return routes[desk]
    loose = {k.strip().casefold(): v for k, v in routes.items()}  # "Desk 4 " typed as "desk 4"
    return loose.get(desk.strip().casefold())


def view(engine: sa.Engine, qs: QueueSettings, token: str, now: dt.datetime | None = None) -> dict | None:
    if not ticket_fields.token_ok(token):
        return None  # not even the right shape: no database read
    now = now or utcnow()
    with engine.connect() as conn:
        row = find(conn, qs, token, now)
        if row is None:
            return None
        texts = row.mobile if isinstance(row.mobile, dict) else {}
        ahead = wait = None
        if row.state == "waiting":
            ahead = _ahead(conn, qs, row, now)
            per, desks = hall.pace(conn, qs, now, row.service)
            wait = hall.wait_range(ahead, per(row.service), max(1, desks.get(row.service, 0)))
    called = row.state == "called"
    name = texts.get("service_name")
    if row.transferred_from is not None and row.service != row.transferred_from:  # a desk sent it on
        name = qs.service_names.get(row.service, row.service)
    return {"label": row.label, "service": row.service, "service_name": name,
            "lang": page_language(row.lang), "day": row.day or None, "state": row.state,
            "people_ahead": ahead, "wait_min": wait, "wait_at": texts.get("wait_at"),
            "route": texts.get("route") or [], "desk": row.desk if called else None,
            "desk_route": _desk_route(texts, row.desk) if called else None,
            "called_at": queue.iso(row.called_at) if called else None, "server_time": queue.iso(now)}
