"""The stats' roll-ups (central/rollups.py) on SQLite and PostgreSQL: kept up to date at ingest
exactly once (duplicates in a batch, a batch sent again, a batch whose transaction failed and was
retried), equal to counting everything again and to the migration's backfill; the weekday x hour
heat map for known events in a fixed zone; `kiosk-central rollups rebuild` after a zone change."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from central import aggregate, calling, cli, db, ingest, rollups
from central.filters import Filters
from central.rollup_tables import TABLES, rollup_desk_days
from central.settings import QueueSettings
from central_kit import feedback_payload as fb, make_event, ticket_payload as tk

ROWS = [  # (type, payload, occurred_at): Europe/Amsterdam is UTC+1 in March
    ("feedback.given", fb(5, reasons=["clarity", "friendliness"]), "2026-03-02T09:00:00.000Z"),
    ("feedback.given", fb(1, reasons=["waiting_time"]), "2026-03-02T23:30:00.000Z"),
    ("feedback.given", {**fb(2, scale=3), "ended_by": "timeout"}, "2026-03-03T10:00:00.000Z"),
    ("feedback.suppressed", {"answer": 5, "since_last_ms": 800}, "2026-03-02T09:00:01.000Z"),
    ("ticket.issued", tk("passport", 1, (5, 15)), "2026-03-02T08:10:00.000Z"),
    ("ticket.issued", tk("passport", 2, (10, 20), appointment=True), "2026-03-02T08:40:00.000Z"),
    ("ticket.issued", {"service": "parking", "number": 1}, "2026-03-02T12:05:00.000Z"),
    ("ticket.printed", {"service": "passport", "number": 1}, "2026-03-02T08:10:01.000Z"),
    ("heartbeat", {"outbox_pending": 0}, "2026-03-02T08:00:00.000Z"),
]


def snapshot(conn: sa.Connection) -> dict:
    return {t.name: sorted(tuple(r) for r in conn.execute(sa.select(t))) for t in TABLES}


def recounted(engine: sa.Engine, zone: str = rollups.DEFAULT_ZONE) -> dict:
    """The roll-ups counted from scratch, in a transaction that is rolled back."""
    with engine.connect() as conn:
        with conn.begin() as tx:
            rollups.rebuild(conn, zone)
            out = snapshot(conn)
            tx.rollback()
    return out


def test_ingest_counts_each_event_once_and_equals_a_recount(engine):
    evs = [make_event("k1", i + 1, t, p, at) for i, (t, p, at) in enumerate(ROWS)]
    first = ingest.store_batch(engine, "k1", evs[:5] + [evs[0]], 16384)  # the same event twice in a batch
    assert (first.accepted, first.duplicates) == (5, 1)
    again = ingest.store_batch(engine, "k1", evs, 16384)  # sent again with the rest: only the rest is new
    assert (again.accepted, again.duplicates) == (4, 5)
    crashed = make_event("k1", 99, "ticket.issued", tk("passport", 3), "2026-03-02T09:15:00.000Z")
    with pytest.raises(RuntimeError):
        with engine.begin() as conn:  # stored and counted, then the transaction fails: neither stays
            ingest.store_batch_on(conn, "k1", [crashed], 16384)
            raise RuntimeError("connection lost before commit")
    assert ingest.store_batch(engine, "k1", [crashed], 16384).accepted == 1  # the device sends it again
    with engine.connect() as conn:
        first = conn.execute(sa.select(db.queue_tickets).order_by(db.queue_tickets.c.issued_at)).first()
    qs = QueueSettings(timezone="Europe/Amsterdam")
    calling.call(engine, qs, first.id, "3", now=first.issued_at + dt.timedelta(minutes=12))  # waited 12 min
    calling.recall(engine, first.id, "3", now=first.issued_at + dt.timedelta(minutes=14))  # not a first call
    with engine.connect() as conn:
        live = snapshot(conn)
    assert live == recounted(engine)
    events = {(t, d, h, dev): n for t, d, h, dev, n in live["rollup_events"]}
    assert events[("ticket.issued", "2026-03-02", 10, "k1")] == 1  # 09:15Z is 10:15 in Amsterdam
    assert events[("feedback.given", "2026-03-03", 0, "k1")] == 1  # 23:30Z on the 2nd is the 3rd locally
    tickets = {(d, h, svc): rest for d, h, _dev, svc, *rest in live["rollup_tickets"]}
    assert tickets[("2026-03-02", 9, "passport")] == [2, 1, 2, 25.0, 15.0]  # estimates (5+15)/2 and (10+20)/2
    assert tickets[("2026-03-02", 13, "parking")] == [1, 0, 0, 0.0, None]
    s = aggregate.ticket_stats(engine, Filters())
    assert s["total"] == {"tickets": 4, "printed": 1, "print_failed": 0}
    assert s["wait_by_hour"] == [{"hour": 9, "tickets": 1, "avg_estimated_wait_min": 10.0, "avg_real_wait_min": 12.0,
                                  "within_estimate_share": 1.0}]  # 08:10Z, shown 5-15 min


def test_migration_backfill_equals_ingest(engine, db_url, tmp_path, request):
    """Events stored before revision 0010 are counted by its upgrade exactly as ingest counts them."""
    from alembic import command
    from alembic.config import Config
    evs = [make_event("k1", i + 1, t, p, at) for i, (t, p, at) in enumerate(ROWS)]
    ingest.store_batch(engine, "k1", evs, 16384)
    with engine.connect() as conn:
        counted_at_ingest = snapshot(conn)
        stored = [dict(r._mapping) for r in conn.execute(sa.select(db.events))]
    if db_url.startswith("sqlite"):
        old_url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        old_url = request.getfixturevalue("pg").create_db(db_url.rsplit("/", 1)[1] + "_old")
    old = db.make_engine(old_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with old.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009_insight")
        conn.execute(db.events.insert(), stored)
    db.upgrade(old)  # 0010_rollups: the backfill
    with old.connect() as conn:
        assert snapshot(conn) == counted_at_ingest
        assert rollups.stored_zone(conn) == "Europe/Amsterdam"
    old.dispose()


def test_heat_map_cells_in_a_fixed_zone_and_a_rebuild_after_a_zone_change(engine, db_url, monkeypatch):
    zone = "Asia/Kolkata"  # UTC+5:30: a quarter hour that is not a whole hour from UTC
    at = [("2026-03-02T03:29:00.000Z", "passport"),   # Monday 08:59 local
          ("2026-03-02T03:31:00.000Z", "passport"),   # Monday 09:01
          ("2026-03-09T03:45:00.000Z", "parking"),    # the next Monday 09:15
          ("2026-03-07T18:40:00.000Z", "passport")]   # Sunday 00:10 (still Saturday in UTC)
    evs = [make_event("k1", i + 1, "ticket.issued", tk(svc, i + 1), t) for i, (t, svc) in enumerate(at)]
    ingest.store_batch(engine, "k1", evs, 16384, timezone=zone)
    cells = {(c["weekday"], c["hour"]): c["tickets"] for c in aggregate.ticket_stats(engine, Filters(tz=zone))
             ["busiest_hours"]}
    assert cells == {(1, 8): 1, (1, 9): 2, (7, 0): 1}
    monkeypatch.setenv("KIOSK_CENTRAL_TIMEZONE", "Europe/Amsterdam")  # the site's zone changes: count again
    assert cli.main(["rollups", "rebuild", "--db", db_url]) == 0
    cells = {(c["weekday"], c["hour"]): c["tickets"] for c in aggregate.ticket_stats(engine, Filters())
             ["busiest_hours"]}
    assert cells == {(1, 4): 3, (6, 19): 1}  # UTC+1: 04:29, 04:31, 04:45 on Mondays; 19:40 Saturday


def test_heat_map_shades_keep_text_readable():
    """Every shade of the busiest hours (static/staff.css) against its text colour: >= 4.5:1."""
    import re
    from pathlib import Path

    from central import heatmap

    def luminance(hex_: str) -> float:
        c = [int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    css = (Path(heatmap.__file__).parent / "static" / "staff.css").read_text()
    shades = re.findall(r"\.heat-(\d) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css)
    assert [int(n) for n, _, _ in shades] == list(range(heatmap.LEVELS + 1))
    for _, bg, fg in shades:
        hi, lo = sorted((luminance(bg), luminance(fg)), reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (bg, fg)
    assert [heatmap.level(n, 40) for n in (0, 1, 8, 9, 40)] == [0, 1, 1, 2, 5]


def test_desk_figures_of_kept_days_equal_those_read_from_the_tickets(engine):
    """Whole closed local days are kept (central/desk_days.py) and give the same figures,
    also for a range that does not start at local midnight; today is read afresh."""
    from central import desk_stats
    from central.db import queue_tickets as qt
    zone, t0 = "Asia/Kolkata", dt.datetime(2026, 3, 1, 18, 25)  # 23:55 local on 1 March
    rows = []
    for i in range(40):  # visits every 47 minutes from then on, at three desks and two services
        called = t0 + dt.timedelta(minutes=47 * i)
        rows.append({"device_id": "k1", "ticket_ref": str(i), "day": "", "event_id": f"e{i}",
                     "service": ("passport", "parking")[i % 2], "label": f"A{i:03d}", "appointment": False,
                     "issued_at": called - dt.timedelta(minutes=9), "state": "no_show" if i % 7 == 3 else "served",
                     "desk": (None, "1", "2")[i % 3], "called_at": None if i == 5 else called,
                     "finished_at": called + dt.timedelta(seconds=61 * (i % 11) + 0.25)})
    with engine.begin() as conn:
        conn.execute(qt.insert(), rows)
    now = t0 + dt.timedelta(days=2)  # 2 March ended (and 1 March); 3 March is today
    ranges = [(dt.datetime(2026, 2, 28, 18, 30), dt.datetime(2026, 3, 3, 18, 30)),  # 1..3 March local
              (dt.datetime(2026, 3, 1, 20, 0), dt.datetime(2026, 3, 2, 22, 0))]  # not on local midnights
    for lo, hi in ranges:
        fresh = desk_stats.figures(engine, lo, hi, now)
        assert fresh["desks"] and fresh == desk_stats.figures(engine, lo, hi, now, zone)  # keeps the days
        assert fresh == desk_stats.figures(engine, lo, hi, now, zone)  # reads them
    with engine.connect() as conn:
        kept = sorted(conn.execute(sa.select(rollup_desk_days.c.day)).scalars())
    assert kept == ["2026-03-01", "2026-03-02"]
