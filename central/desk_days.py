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
import datetime as dt
import sys
import zoneinfo
from collections import defaultdict

import sqlalchemy as sa

from central.db import queue_tickets as qt
from central.rollup_tables import rollup_desk_days as dd, rollup_desks as rd
from central.rollups import LocalTime

Visits = dict  # (desk, service) -> [no_shows, untimed, [service minutes]]
FINISHED = ("served", "no_show")
SETTLE = dt.timedelta(minutes=10)  # a day is kept once it ended at least this long ago


def _visits() -> Visits:
    return defaultdict(lambda: [0, 0, []])


def read_raw(conn: sa.Connection, lo: dt.datetime | None, hi: dt.datetime | None, out: Visits,
             local: LocalTime | None = None) -> dict[str, Visits]:
    """Finished visits within [lo, hi) from queue_tickets into `out`; with `local`, into one
    Visits per local day of finishing instead (returned)."""
    q = sa.select(qt.c.desk, qt.c.service, qt.c.state, qt.c.called_at, qt.c.finished_at).where(
        qt.c.state.in_(FINISHED))
    if lo is not None:
        q = q.where(qt.c.finished_at >= lo)
    if hi is not None:
        q = q.where(qt.c.finished_at < hi)
    days: dict[str, Visits] = defaultdict(_visits)
    for desk, service, st, called, finished in conn.execute(q):
        v = (days[local(finished)[0]] if local else out)[(desk or "-", service)]
        if st == "no_show":
            v[0] += 1
        elif called is not None and finished is not None:
            v[2].append(max(0.0, (finished - called).total_seconds() / 60))
        else:
            v[1] += 1
    return days


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
        per_day = read_raw(conn, _start(missing[0], z), _start(missing[-1] + dt.timedelta(days=1), z), {},
                           LocalTime(zone))
        rows = [{"zone": zone, "day": day, "desk": desk, "service": service, "no_shows": v[0], "untimed": v[1],
                 "minutes": _pack(v[2])}
                for day, visits in per_day.items() if day in {d.isoformat() for d in missing}
                for (desk, service), v in visits.items()]
        _insert_new(conn, rd, rows)
        _insert_new(conn, dd, [{"zone": zone, "day": d.isoformat()} for d in missing])


def read_kept(conn: sa.Connection, days: list[dt.date], zone: str, out: Visits) -> None:
    q = sa.select(rd.c.desk, rd.c.service, rd.c.no_shows, rd.c.untimed, rd.c.minutes).where(
        rd.c.zone == zone, rd.c.day >= days[0].isoformat(), rd.c.day <= days[-1].isoformat())
    for desk, service, no_shows, untimed, minutes in conn.execute(q):
        v = out[(desk, service)]
        v[0] += no_shows
        v[1] += untimed
        v[2].extend(_unpack(minutes))


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


def visits(engine: sa.Engine, lo: dt.datetime | None, hi: dt.datetime | None, zone: str | None,
           now: dt.datetime) -> Visits:
    """Every finished visit within [lo, hi): kept days from rollup_desks (counted first when
    new), the rest from queue_tickets. Without a zone (or an open range) all from queue_tickets."""
    out = _visits()
    with engine.connect() as conn:
        days = closed_days(conn, lo, hi, zone, now) if zone and lo is not None and hi is not None else []
    if days:
        keep(engine, days, zone)
    z = zoneinfo.ZoneInfo(zone) if days else None
    with engine.connect() as conn:
        if not days:
            read_raw(conn, lo, hi, out)
            return out
        read_kept(conn, days, zone, out)
        for a, b in ((lo, _start(days[0], z)), (_start(days[-1] + dt.timedelta(days=1), z), hi)):
            if a < b:
                read_raw(conn, a, b, out)
    return out
