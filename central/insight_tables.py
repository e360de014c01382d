"""The tables of satisfaction against the real wait and of alerts (revision 0009_insight,
docs/insight.md), on the service's one `metadata`.

phone_feedback           one anonymous answer from a mobile ticket page: the service, the real
                         wait and service time (minutes, one decimal), answer, scale, sentiment,
                         reasons, the site-local day and hour, and the time to the 10 minutes
                         (for the alert windows). No token, label, device or ticket id: a random id.
phone_feedback_answered  the queue tickets that answered (one answer per ticket); nothing else,
                         so an answer cannot be traced back to its ticket through this table.
alerts                   one row per firing of a rule: open until it clears; acknowledged and
                         commented by analysts.
"""
from __future__ import annotations

import sqlalchemy as sa

from central.db import Id, JSONType, metadata

phone_feedback = sa.Table(
    "phone_feedback", metadata,
    sa.Column("id", sa.String(36), primary_key=True),  # uuid4: no order that follows the tickets
    sa.Column("at", sa.DateTime(), nullable=False),  # UTC, down to 10 minutes
    sa.Column("day", sa.String(10), nullable=False),  # site-local
    sa.Column("hour", sa.Integer(), nullable=False),  # site-local 0..23
    sa.Column("service", sa.String(64), nullable=False),
    sa.Column("real_wait_min", sa.Float()),  # first call - issue
    sa.Column("service_min", sa.Float()),  # finished - first call
    sa.Column("answer", sa.Integer(), nullable=False),
    sa.Column("scale", sa.Integer(), nullable=False),
    sa.Column("sentiment", sa.String(10), nullable=False),
    sa.Column("reasons", JSONType, nullable=False),
    sa.Index("phone_feedback_at", "at"),
)

phone_feedback_answered = sa.Table(
    "phone_feedback_answered", metadata,
    sa.Column("ticket_id", Id, primary_key=True, autoincrement=False),  # queue_tickets.id
)

alerts = sa.Table(
    "alerts", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(200), nullable=False),  # rule:subject, e.g. wait:passport
    sa.Column("rule", sa.String(32), nullable=False),
    sa.Column("subject", sa.String(128), nullable=False),
    sa.Column("message", sa.Text(), nullable=False),
    sa.Column("detail", JSONType),
    sa.Column("opened_at", sa.DateTime(), nullable=False),
    sa.Column("cleared_at", sa.DateTime()),
    sa.Column("delivery", JSONType),  # {"email": "sent" | "failed: ...", "webhook": ...}
    sa.Column("acknowledged_by", sa.String(64)),
    sa.Column("acknowledged_at", sa.DateTime()),
    sa.Column("comment", sa.Text()),
    sa.Column("comment_by", sa.String(64)),
    sa.Column("comment_at", sa.DateTime()),
    sa.Index("alerts_open", "cleared_at", "key"),
    sqlite_autoincrement=True,
)
