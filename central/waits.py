"""Estimated against real wait, per local hour of the day the ticket was issued.

Each queue entry keeps the estimate the visitor was shown ([low, high] minutes) and its
real wait (first call - issue time). Only tickets with both are compared.

Summed in SQL per UTC quarter hour (an index covers the columns read), each quarter hour
then put in its local hour in Python (every zone's offset is whole quarter hours), so a
year of tickets answers at once and SQLite and PostgreSQL agree.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from central.db import queue_tickets as qt
from central.filters import Filters
from central.rollups import LocalTime


def _quarter(dialect: str) -> tuple:
    """(the UTC hour, the quarter within it) of issued_at, as SQL."""
    if dialect == "postgresql":
        return (sa.func.date_trunc("hour", qt.c.issued_at),
                sa.cast(sa.func.floor(sa.extract("minute", qt.c.issued_at) / 15), sa.Integer))
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff"
    return sa.func.substr(qt.c.issued_at, 1, 13), sa.cast(sa.func.substr(qt.c.issued_at, 15, 2), sa.Integer) // 15


def wait_by_hour(engine: sa.Engine, f: Filters) -> list[dict]:
    lo, hi = f.utc_bounds()
    real_min = qt.c.real_wait_s / 60.0
    hour, quarter = _quarter(engine.dialect.name)
    q = sa.select(hour, quarter, sa.cast(sa.func.count(), sa.BigInteger),
                  sa.func.sum((qt.c.est_low_min + qt.c.est_high_min) / 2), sa.func.sum(real_min),
                  sa.cast(sa.func.sum(sa.case((real_min.between(qt.c.est_low_min, qt.c.est_high_min), 1), else_=0)),
                          sa.BigInteger)).where(qt.c.est_low_min.is_not(None), qt.c.real_wait_s.is_not(None))
    if lo:
        q = q.where(qt.c.issued_at >= lo)
    if hi:
        q = q.where(qt.c.issued_at < hi)
    if f.device:
        q = q.where(qt.c.device_id == f.device)
    local = LocalTime(f.tz)
    hours: dict[int, list] = defaultdict(lambda: [0, 0.0, 0.0, 0])
    with engine.connect() as conn:
        for utc_hour, qu, n, est, real, within in conn.execute(q.group_by(hour, quarter)):
            if isinstance(utc_hour, str):
                utc_hour = dt.datetime.strptime(utc_hour, "%Y-%m-%d %H")
            h = hours[local(utc_hour.replace(minute=15 * qu))[1]]
            h[0] += n
            h[1] += est
            h[2] += real
            h[3] += within
    return [{"hour": h, "tickets": n, "avg_estimated_wait_min": round(est / n, 1),
             "avg_real_wait_min": round(real / n, 1), "within_estimate_share": round(within / n, 4)}
            for h, (n, est, real, within) in sorted(hours.items())]
