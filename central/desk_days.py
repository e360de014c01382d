"""The desk figures of closed local days, kept (issue #17): a year of visits answers at once
while the 90th percentile stays exact (nearest rank over every visit).

A local day (in the zone the figures are asked in) that has ended is counted once, on the
first request that covers it (or by `kiosk-central rollups rebuild`): per desk and service its
no-shows, the served visits without a call time, and every service time (minutes, sorted,
as float64) in `rollup_desks`; `rollup_desk_days` lists the days kept. A finished visit never
changes (finishing is from "called" only, at the time it happens), so a kept day stays right;
the parts of a range that are not whole closed days (today, ranges not on local midnights)
are read from `queue_tickets` every time. Both give the same numbers: the same Python counts
each visit (max(0, finished - latest call) in minutes), on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import array
import bisect
import datetime as dt
import math
import struct
import sys
import zoneinfo
from collections import defaultdict

import sqlalchemy as sa

from central.db import queue_tickets as qt
from central.rollup_tables import rollup_desk_days as dd, rollup_desks as rd
from central.rollups import LocalTime

FINISHED = ("served", "no_show")
SETTLE = dt.timedelta(minutes=10)  # a day is kept once it ended at least this long ago


class Group:
    """The visits of one desk ("d", name; "-" for none) or service ("s", name): no-shows, visits
    served with a service time, their minutes, and those minutes as sorted runs."""
    __slots__ = ("no_shows", "served", "total", "runs")

    def __init__(self):
        self.no_shows, self.served, self.total, self.runs = 0, 0, 0.0, []

    def add_run(self, minutes: list[float]) -> None:
        if minutes:
            self.served += len(minutes)
            self.total += sum(minutes)
            self.runs.append(array.array("d", sorted(minutes)))

    def nearest_rank(self, p: float = 0.9) -> float | None:
        """The smallest time that at least p of the visits do not exceed (k = ceil(p n))."""
        return kth(self.runs, max(1, math.ceil(p * self.served))) if self.served else None


def _bits(v: float) -> int:
    return struct.unpack("<q", struct.pack("<d", v))[0]


def _float(b: int) -> float:
    return struct.unpack("<d", struct.pack("<q", b))[0]


def kth(runs: list, k: int) -> float:
    """The k-th smallest (1-based) of sorted runs of floats >= 0, exactly: a binary search over the
    floats' bit patterns (ordered like the values), counting with bisect in every run."""
    if len(runs) == 1:
        return runs[0][k - 1]
    lo, hi = _bits(min(r[0] for r in runs)), _bits(max(r[-1] for r in runs))
    right = bisect.bisect_right
    while lo < hi:
        mid = (lo + hi) // 2
        v = _float(mid)
        if sum(right(r, v) for r in runs) >= k:
            hi = mid
        else:
            lo = mid + 1
    return _float(lo)


def read_raw(conn: sa.Connection, lo: dt.datetime | None, hi: dt.datetime | None,
             local: LocalTime | None = None) -> dict[str, dict]:
    """Finished visits within [lo, hi) from queue_tickets: {local day of finishing (or "" without
    `local`): {(kind, name): [no_shows, [service minutes]]}}."""
    q = sa.select(qt.c.desk, qt.c.service, qt.c.state, qt.c.called_at, qt.c.finished_at).where(
        qt.c.state.in_(FINISHED))
    if lo is not None:
        q = q.where(qt.c.finished_at >= lo)
    if hi is not None:
        q = q.where(qt.c.finished_at < hi)
    days: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: [0, []]))
    for desk, service, st, called, finished in conn.execute(q):
        groups = days[local(finished)[0] if local else ""]
        for key in (("d", desk or "-"), ("s", service)):
            v = groups[key]
            if st == "no_show":
                v[0] += 1
            elif called is not None and finished is not None:
                v[1].append(max(0.0, (finished - called).total_seconds() / 60))
    return days


def _add_raw(out: dict, raw: dict[str, dict]) -> None:
    for groups in raw.values():
        for key, (no_shows, minutes) in groups.items():
            g = out[key]
            g.no_shows += no_shows
            g.add_run(minutes)


def _start(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.timezone.utc).replace(tzinfo=None)


def closed_days(conn: sa.Connection, lo: dt.datetime, hi: dt.datetime, zone: str,
                now: dt.datetime) -> list[dt.date]:
    """The whole local days within [lo, hi) that ended before today (local) began, between the
    first and the last finished visit."""
    first, last = conn.execute(sa.select(sa.func.min(qt.c.finished_at), sa.func.max(qt.c.finished_at)).where(
        qt.c.state.in_(FINISHED))).one()
    if first is None:
        return []
    z = zoneinfo.ZoneInfo(zone)
    local = LocalTime(zone)
    try:
        d = max(dt.date.fromisoformat(local(max(lo, first))[0]) - dt.timedelta(days=1), dt.date(1, 1, 2))
        cutoff = now - SETTLE  # a visit finished a moment ago on another server is in by now
        end = dt.date.fromisoformat(local(min(hi, last, cutoff))[0])
        out = []
        while d <= end:
            if _start(d, z) >= lo and _start(d + dt.timedelta(days=1), z) <= min(hi, cutoff):
                out.append(d)
            d += dt.timedelta(days=1)
        return out
    except OverflowError:  # ends of the calendar: such ranges are read from queue_tickets
        return []


def keep(engine: sa.Engine, days: list[dt.date], zone: str) -> None:
    """Count the days not kept yet (in one read of queue_tickets) into rollup_desks."""
    with engine.begin() as conn:
        have = set(conn.execute(sa.select(dd.c.day).where(
            dd.c.zone == zone, dd.c.day >= days[0].isoformat(), dd.c.day <= days[-1].isoformat())).scalars())
        missing = [d for d in days if d.isoformat() not in have]
        if not missing:
            return
        z = zoneinfo.ZoneInfo(zone)
        per_day = read_raw(conn, _start(missing[0], z), _start(missing[-1] + dt.timedelta(days=1), z),
                           LocalTime(zone))
        wanted = {d.isoformat() for d in missing}
        rows = [{"zone": zone, "day": day, "kind": kind, "name": name, "no_shows": no_shows, "served": len(m),
                 "total_min": sum(m), "minutes": _pack(m)}
                for day, groups in per_day.items() if day in wanted
                for (kind, name), (no_shows, m) in groups.items()]
        _insert_new(conn, rd, rows)
        _insert_new(conn, dd, [{"zone": zone, "day": d.isoformat()} for d in missing])


def read_kept(conn: sa.Connection, days: list[dt.date], zone: str, out: dict) -> None:
    q = sa.select(rd.c.kind, rd.c.name, rd.c.no_shows, rd.c.served, rd.c.total_min, rd.c.minutes).where(
        rd.c.zone == zone, rd.c.day >= days[0].isoformat(), rd.c.day <= days[-1].isoformat())
    for kind, name, no_shows, served, total, minutes in conn.execute(q):
        g = out[(kind, name)]
        g.no_shows += no_shows
        if served:
            g.served += served
            g.total += total
            g.runs.append(_unpack(minutes))


def _pack(minutes: list[float]) -> bytes:
    a = array.array("d", sorted(minutes))
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def _unpack(raw: bytes) -> array.array:
    a = array.array("d")
    a.frombytes(raw)
    if sys.byteorder != "little":
        a.byteswap()
    return a


def _insert_new(conn: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (another request kept the same day meanwhile)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    for i in range(0, len(rows), 500):
        conn.execute(insert(table).on_conflict_do_nothing(), rows[i:i + 500])


def groups(engine: sa.Engine, lo: dt.datetime | None, hi: dt.datetime | None, zone: str | None,
           now: dt.datetime) -> dict[tuple[str, str], Group]:
    """Every finished visit within [lo, hi) per desk and per service: kept days from
    rollup_desks (counted first when new), the rest from queue_tickets. Without a zone (or an
    open range) all from queue_tickets."""
    out: dict[tuple[str, str], Group] = defaultdict(Group)
    with engine.connect() as conn:
        days = closed_days(conn, lo, hi, zone, now) if zone and lo is not None and hi is not None else []
    if days:
        keep(engine, days, zone)
    with engine.connect() as conn:
        if not days:
            _add_raw(out, read_raw(conn, lo, hi))
            return out
        read_kept(conn, days, zone, out)
        z = zoneinfo.ZoneInfo(zone)
        for a, b in ((lo, _start(days[0], z)), (_start(days[-1] + dt.timedelta(days=1), z), hi)):
            if a < b:
                _add_raw(out, read_raw(conn, a, b))
    return out
