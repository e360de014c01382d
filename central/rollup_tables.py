"""Roll-ups of the events per site-local day (and hour), kept up to date at ingest in the same
transaction as the events (central/rollups.py; revision 0010_rollups, docs/central.md).
The statistics read these instead of the raw events, so a year of a busy site answers at once.

rollup_events    every event: type, local day, local hour, device -> count (heat maps,
                 suppressed answers, printed and failed tickets)
rollup_feedback  feedback.given: local day, device, answer, scale, sentiment, ended_by -> count
rollup_reasons   feedback.given reasons: local day, device, answer, sentiment, reason -> count
rollup_tickets   ticket.issued: local day, local hour, device, service -> tickets, appointments,
                 estimates shown (count, sum and largest of the middle of [low, high] minutes)
rollup_waits     queue tickets at their first call (central/calling.py): local day and hour of
                 issue, device -> tickets, sums of the estimate's middle and of the real wait
                 (minutes), how many waited within the estimate (central/waits.py)
rollup_desks     desk figures of a closed local day (central/desk_days.py): per desk and per service,
                 no-shows, visits served, their minutes and every service time (for the exact 90th
                 percentile); rollup_desk_days
                 lists the days kept
rollup_meta      name -> value; "zone": the time zone the days and hours are in
"""
from __future__ import annotations

import sqlalchemy as sa

from central.db import metadata

Day = sa.String(10)  # YYYY-MM-DD, site-local
Count = sa.BigInteger()

rollup_events = sa.Table(
    "rollup_events", metadata,
    sa.Column("type", sa.String(64), primary_key=True),
    sa.Column("day", Day, primary_key=True),
    sa.Column("hour", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("n", Count, nullable=False),
)

rollup_feedback = sa.Table(
    "rollup_feedback", metadata,
    sa.Column("day", Day, primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("answer", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("scale", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("sentiment", sa.String(10), primary_key=True),
    sa.Column("ended_by", sa.String(64), primary_key=True),
    sa.Column("n", Count, nullable=False),
)

rollup_reasons = sa.Table(
    "rollup_reasons", metadata,
    sa.Column("day", Day, primary_key=True),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("answer", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("sentiment", sa.String(10), primary_key=True),
    sa.Column("reason", sa.String(64), primary_key=True),
    sa.Column("n", Count, nullable=False),
)

rollup_tickets = sa.Table(
    "rollup_tickets", metadata,
    sa.Column("day", Day, primary_key=True),
    sa.Column("hour", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("service", sa.String(64), primary_key=True),
    sa.Column("tickets", Count, nullable=False),
    sa.Column("appointments", Count, nullable=False),
    sa.Column("est_n", Count, nullable=False),
    sa.Column("est_sum", sa.Float(), nullable=False),
    sa.Column("est_max", sa.Float()),
)

rollup_waits = sa.Table(
    "rollup_waits", metadata,
    sa.Column("day", Day, primary_key=True),
    sa.Column("hour", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("n", Count, nullable=False),
    sa.Column("est_sum", sa.Float(), nullable=False),
    sa.Column("real_sum", sa.Float(), nullable=False),
    sa.Column("within", Count, nullable=False),
)

rollup_desk_days = sa.Table(  # the closed local days (in `zone`) whose desk figures are kept
    "rollup_desk_days", metadata,
    sa.Column("zone", sa.String(64), primary_key=True),
    sa.Column("day", Day, primary_key=True),
)

rollup_desks = sa.Table(  # central/desk_days.py: one closed day's visits per desk and per service
    "rollup_desks", metadata,
    sa.Column("zone", sa.String(64), primary_key=True),
    sa.Column("day", Day, primary_key=True),
    sa.Column("kind", sa.String(1), primary_key=True),  # d: a desk ("-": none), s: a service
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("no_shows", Count, nullable=False),
    sa.Column("served", Count, nullable=False),  # with a service time
    sa.Column("total_min", sa.Float(), nullable=False),
    sa.Column("minutes", sa.LargeBinary(), nullable=False),  # every service time, sorted float64 (little-endian)
)

rollup_meta = sa.Table(
    "rollup_meta", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.String(64), nullable=False),
)

TABLES = (rollup_events, rollup_feedback, rollup_reasons, rollup_tickets, rollup_waits)


def in_period(q, table: sa.Table, f):
    """`q` limited to the local days (the roll-ups' own) and the device of a central.filters.Filters."""
    if f.start:
        q = q.where(table.c.day >= f.start.isoformat())
    if f.end:
        q = q.where(table.c.day <= f.end.isoformat())
    if f.device:
        q = q.where(table.c.device_id == f.device)
    return q
