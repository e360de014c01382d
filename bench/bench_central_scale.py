"""A year of a 20-device site on PostgreSQL (`python -m bench central_scale`, issue #17).

Generates 365 days (2025) of events in the site's opening hours (mon-fri 08:30-17:00, sat
09:00-12:00, Europe/Amsterdam): 10 ticket kiosks (ticket.issued, ticket.printed or
ticket.print_failed, heartbeat) and 10 feedback pillars (feedback.given, feedback.suppressed,
heartbeat), about 5,000,000 events, plus the matching queue_tickets rows (served or no-show,
with real waits); loaded with COPY, then the roll-ups are counted by the migration's builder
(central.rollups.rebuild, timed). Then through the real service over HTTP on loopback, logged
in as an analyst: the dashboard for the whole year and every statistics endpoint, each against
`SELECT count(*) FROM events` in the same run; and the ingest rate (bench_sync) with the
roll-ups kept up to date.
"""
from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
import zoneinfo
from pathlib import Path

YEAR = 2025
ZONE = "Europe/Amsterdam"
HOURS = {5: (9 * 60, 12 * 60)}  # saturday; mon-fri below
WEEKDAY = (8 * 60 + 30, 17 * 60)
TICKET_KIOSKS = [f"tk-{i:02d}" for i in range(1, 11)]
PILLARS = [f"fb-{i:02d}" for i in range(1, 11)]
SERVICES = [("passport", 0.35), ("id_card", 0.2), ("parking", 0.2), ("moving", 0.15), ("waste", 0.1)]
REASONS = ["clarity", "friendliness", "waiting_time", "accessibility", "information"]
PEAK = {8: 0.6, 9: 1.4, 10: 1.5, 11: 1.3, 12: 0.9, 13: 1.0, 14: 1.1, 15: 0.9, 16: 0.6}
PASSWORD = "an analyst password for the scale bench"
RUNS = 5


class Gen:
    """The year's rows, written as COPY text (tab-separated; the JSON has no tabs or backslashes)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seq = {d: 0 for d in TICKET_KIOSKS + PILLARS}
        self.n = 0
        self.events: list[str] = []
        self.tickets: list[str] = []

    def _minute(self, lo: int, hi: int) -> float:
        """A minute of the day in [lo, hi), busier in the late morning."""
        rng = self.rng
        while True:
            m = rng.uniform(lo, hi)
            if rng.random() * 1.5 < PEAK.get(int(m // 60), 0.5):
                return m

    def event(self, dev: str, type_: str, day: str, utc_s: float, payload: str) -> str:
        self.seq[dev] += 1
        self.n += 1
        i = self.n
        ev_id = f"{i:08x}-0000-4000-8000-{i:012x}"
        h, rest = divmod(utc_s, 3600)
        m, s = divmod(rest, 60)
        t = f"{day} {int(h):02d}:{int(m):02d}:{s:09.6f}"
        self.events.append(f"{ev_id}\t{dev}\t{self.seq[dev]}\t{type_}\t{t}\t{t}\t{t}\tboot\t{utc_s:.3f}\t{payload}\n")
        return ev_id

    @staticmethod
    def _ts(day: str, utc_s: float) -> str:
        h, rest = divmod(utc_s, 3600)
        m, s = divmod(rest, 60)
        return f"{day} {int(h):02d}:{int(m):02d}:{s:09.6f}"

    def day(self, date: dt.date, offset_min: int, per_kiosk: int, per_pillar: int) -> None:
        rng, day = self.rng, date.isoformat()
        lo, hi = HOURS.get(date.weekday(), WEEKDAY)
        for dev in TICKET_KIOSKS + PILLARS:  # a heartbeat every 5 minutes while open
            for m in range(lo, hi, 5):
                self.event(dev, "heartbeat", day, (m - offset_min) * 60 + 7,
                           '{"outbox_pending": 0, "printer_state": "ok", "app_version": "1.4"}')
        for k, dev in enumerate(TICKET_KIOSKS):
            times = sorted(self._minute(lo, hi) for _ in range(per_kiosk))
            for num, m in enumerate(times, 1):
                svc = rng.choices([s for s, _ in SERVICES], [w for _, w in SERVICES])[0]
                low = rng.choice((0, 5, 10, 15, 20))
                appt = rng.random() < 0.15
                s = (m - offset_min) * 60
                label = f"{'ABCDEFGHIJ'[k]}{num:03d}"
                ev = self.event(dev, "ticket.issued", day, s,
                                f'{{"ticket_id": {num}, "service": "{svc}", "day": "{day}", "number": {num}, '
                                f'"label": "{label}", "lang": "nl", "appointment": {"true" if appt else "false"}, '
                                f'"people_ahead": {low // 5}, "estimated_wait_min": [{low}, {low + 10}], '
                                '"wait_source": "configured"}')
                if rng.random() < 0.02:
                    self.event(dev, "ticket.print_failed", day, s + 1,
                               f'{{"service": "{svc}", "number": {num}, "reason": "paper_out"}}')
                else:
                    self.event(dev, "ticket.printed", day, s + 1, f'{{"service": "{svc}", "number": {num}}}')
                wait = rng.uniform(0, 40 * 60)
                called = s + wait
                no_show = rng.random() < 0.08
                done = called + (120 if no_show else rng.uniform(180, 900))
                desk = str(rng.randint(1, 8))
                self.tickets.append(
                    f"{dev}\t{num}\t{day}\t{ev}\t{svc}\t{label}\tnl\t{'t' if appt else 'f'}\t{low}\t{low + 10}\t"
                    f"configured\t{low // 5}\t{self._ts(day, s)}\t{'no_show' if no_show else 'served'}\t{desk}\t"
                    f"{self._ts(day, called)}\t{self._ts(day, called)}\t{wait:.3f}\t{self._ts(day, done)}\n")
        for dev in PILLARS:
            for m in sorted(self._minute(lo, hi) for _ in range(per_pillar)):
                s = (m - offset_min) * 60
                if rng.random() < 0.05:
                    self.event(dev, "feedback.suppressed", day, s, '{"answer": 5, "since_last_ms": 700}')
                    continue
                answer = rng.choices((1, 2, 3, 4, 5), (0.07, 0.08, 0.15, 0.35, 0.35))[0]
                sent = "positive" if answer > 3 else "negative" if answer < 3 else "neutral"
                reasons = ", ".join(f'"{r}"' for r in rng.sample(REASONS, rng.choice((0, 1, 1, 2))))
                ended = "done" if rng.random() < 0.9 else "timeout"
                self.event(dev, "feedback.given", day, s,
                           f'{{"answer": {answer}, "scale": 5, "sentiment": "{sent}", "reasons": [{reasons}], '
                           f'"language": "nl", "time_to_answer_ms": {rng.randint(800, 9000)}, "ended_by": "{ended}"}}')


EVENT_COLS = "id, device_id, seq, type, occurred_at, effective_at, received_at, boot_id, monotonic, payload"
TICKET_COLS = ("device_id, ticket_ref, day, event_id, service, label, lang, appointment, est_low_min, est_high_min, "
               "wait_source, people_ahead, issued_at, state, desk, called_at, first_called_at, real_wait_s, finished_at")


def load_year(url: str) -> tuple[int, int, float]:
    """Generate and COPY the year; (events, tickets, seconds)."""
    import psycopg
    zone = zoneinfo.ZoneInfo(ZONE)
    rng = random.Random(17)
    t0 = time.perf_counter()
    n_ev = n_tk = 0
    seqs = None
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        day = dt.date(YEAR, 1, 1)
        while day.year == YEAR:
            g = Gen(rng)
            if seqs:
                g.seq, g.n = seqs
            for _ in range(14):  # two weeks per COPY
                if day.weekday() != 6 and day.year == YEAR:
                    off = int(dt.datetime.combine(day, dt.time(12), zone).utcoffset().total_seconds() // 60)
                    third = 3 if day.weekday() == 5 else 1  # saturday: open three hours
                    g.day(day, off, per_kiosk=480 // third, per_pillar=640 // third)
                day += dt.timedelta(days=1)
            with conn.cursor() as cur:
                with cur.copy(f"COPY events ({EVENT_COLS}) FROM STDIN") as cp:
                    cp.write("".join(g.events))
                with cur.copy(f"COPY queue_tickets ({TICKET_COLS}) FROM STDIN") as cp:
                    cp.write("".join(g.tickets))
            conn.commit()
            n_ev, n_tk, seqs = g.n, n_tk + len(g.tickets), (g.seq, g.n)
    return n_ev, n_tk, time.perf_counter() - t0


def _ms(fn, runs: int = RUNS) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bench_year(report) -> None:
    import psycopg
    from pgserver import PgServer

    from bench.report import percentile
    from central import auth, db, rollups
    from central_kit import CentralProcess, staff_session

    pg = PgServer().start()
    try:
        url = pg.create_db("scale")
        engine = db.make_engine(url)
        db.upgrade(engine, ZONE)
        for dev in TICKET_KIOSKS + PILLARS:
            auth.add_device(engine, dev)
        n_ev, n_tk, load_s = load_year(url)
        print(f"loaded {n_ev} events and {n_tk} queue tickets in {load_s:.0f} s", flush=True)
        t0 = time.perf_counter()
        with engine.begin() as conn:
            rollups.rebuild(conn, ZONE)
        rebuild_s = time.perf_counter() - t0
        engine.dispose()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            counts = _ms(lambda: conn.execute("SELECT count(*) FROM events").fetchone())
        baseline = statistics.median(counts)
        report.add("central.rollups_rebuild_s", rebuild_s, "s", target="",
                   note=f"central.rollups.rebuild over {n_ev} events (the migration's backfill)")
        period = {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp, \
                CentralProcess(url, log_path=Path(tmp) / "central.log", users=[("anna", "analyst", PASSWORD)],
                               env={"KIOSK_CENTRAL_TIMEZONE": ZONE}) as c:
            s = staff_session(c.url, "anna", PASSWORD)

            def get(path: str) -> None:
                r = s.get(c.url + path, params=period, timeout=120)
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
            pages, first = {}, {}
            for path in ("/dashboard", "/api/v1/stats/feedback", "/api/v1/stats/tickets", "/api/v1/stats/desks",
                         "/api/v1/stats/help"):
                # the first request of each imports and plans; for desks it also keeps the year's closed
                # days (central/desk_days.py, once): timed and noted, not in the figure
                first[path] = _ms(lambda: get(path), 1)[0]
                pages[path] = _ms(lambda: get(path))
        dash = pages.pop("/dashboard")
        samples = [v for vs in pages.values() for v in vs]
        p95 = percentile(samples, 95)
        each = "; ".join(f"{p.rsplit('/', 1)[1]} median {statistics.median(v):.0f}" for p, v in pages.items())
        report.add("central.dashboard_year_ms", statistics.median(dash), "ms", baseline=baseline,
                   target="<= 1000 ms", met=statistics.median(dash) <= 1000,
                   note=f"GET /dashboard for {YEAR} over HTTP, median of {RUNS} (max {max(dash):.0f}); "
                        f"{n_ev} events, {n_tk} queue tickets; baseline SELECT count(*) FROM events")
        report.add("central.stats_year_p95_ms", p95, "ms", baseline=baseline, target="<= 500 ms", met=p95 <= 500,
                   note=f"p95 of {len(samples)} requests to /api/v1/stats/{{feedback,tickets,desks,help}} for "
                        f"{YEAR} ({each} ms), after one first request each (desks, keeping {YEAR}'s days: "
                        f"{first['/api/v1/stats/desks']:.0f} ms); baseline SELECT count(*) FROM events")
    finally:
        pg.stop()


def bench_ingest(report) -> None:
    from bench import bench_sync
    bench_sync.bench_pg_ingest(report)
    rate = report.rows["central: ingest rate on PostgreSQL, batches of 500"]["value"]
    report.add("central.ingest_events_per_s", rate, "ev/s", target=">= 20000", met=rate >= 20000,
               note="bench_sync's PostgreSQL ingest (8 devices, batches of 500, fsync on) with the roll-ups "
                    "kept up to date in each batch's transaction")


def run(report) -> None:
    bench_year(report)
    bench_ingest(report)
