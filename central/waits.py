"""Estimated against real wait, per local hour of the day the ticket was issued.

Each queue entry keeps the estimate the visitor was shown ([low, high] minutes) and its
real wait (first call - issue time). Only tickets with both are compared. Read from the
roll-up `rollup_waits` (counted at each ticket's first call, central/rollups.py), so a year
of tickets answers at once and SQLite and PostgreSQL agree.
"""
from __future__ import annotations

import sqlalchemy as sa

from central.filters import Filters
from central.rollup_tables import in_period, rollup_waits as rw


def wait_by_hour(engine: sa.Engine, f: Filters) -> list[dict]:
    q = sa.select(rw.c.hour, sa.cast(sa.func.sum(rw.c.n), sa.BigInteger), sa.func.sum(rw.c.est_sum),
                  sa.func.sum(rw.c.real_sum), sa.cast(sa.func.sum(rw.c.within), sa.BigInteger))
    q = in_period(q, rw, f)
    with engine.connect() as conn:
        rows = conn.execute(q.group_by(rw.c.hour).order_by(rw.c.hour)).all()
    return [{"hour": h, "tickets": n, "avg_estimated_wait_min": round(est / n, 1),
             "avg_real_wait_min": round(real / n, 1), "within_estimate_share": round(within / n, 4)}
            for h, n, est, real, within in rows if n]
