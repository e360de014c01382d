"""Estimated against real wait, per local hour of the day the ticket was issued.

Each queue entry keeps the estimate the visitor was shown ([low, high] minutes) and its
real wait (first call - issue time). Only tickets with both are compared.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from central.db import queue_tickets as qt
from central.filters import Filters


def wait_by_hour(engine: sa.Engine, f: Filters) -> list[dict]:
    lo, hi = f.utc_bounds()
    q = sa.select(qt.c.issued_at, qt.c.est_low_min, qt.c.est_high_min, qt.c.real_wait_s).where(
        qt.c.est_low_min.is_not(None), qt.c.real_wait_s.is_not(None))
    if lo:
        q = q.where(qt.c.issued_at >= lo)
    if hi:
        q = q.where(qt.c.issued_at < hi)
    if f.device:
        q = q.where(qt.c.device_id == f.device)
    hours: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    with engine.connect() as conn:
        for issued, low, high, real_s in conn.execute(q):
            local = issued.replace(tzinfo=dt.timezone.utc).astimezone(f.zone)
            hours[local.hour].append((low, high, real_s / 60))
    out = []
    for h in sorted(hours):
        rows = hours[h]
        n = len(rows)
        out.append({"hour": h, "tickets": n,
                    "avg_estimated_wait_min": round(sum((lo_ + hi_) / 2 for lo_, hi_, _ in rows) / n, 1),
                    "avg_real_wait_min": round(sum(r for _, _, r in rows) / n, 1),
                    "within_estimate_share": round(sum(lo_ <= r <= hi_ for lo_, hi_, r in rows) / n, 4)})
    return out
