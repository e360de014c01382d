"""Staff restart of today's numbers: A001 again, history kept, never a duplicate in a series."""
import datetime as dt

from kiosk.clock import FakeClock
from kiosk.storage.store import Store
from kiosk.tickets.book import TicketBook


def test_reset_starts_again_and_keeps_history(tmp_path):
    clock = FakeClock(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone.utc))
    store = Store(tmp_path, clock=clock)
    book = TicketBook(store)
    labels = [book.issue("passport", "A", "nl").label for _ in range(3)]
    assert labels == ["A001", "A002", "A003"]
    assert book.issue("parking", "P", "nl").label == "P001"
    assert book.reset_today() == 1
    again = book.issue("passport", "A", "nl")
    assert again.label == "A001"
    assert book.issue("passport", "A", "nl").label == "A002"
    assert book.people_ahead(again) == 0
    rows = store.query("SELECT label, series FROM tickets WHERE service_id='passport' ORDER BY id")
    assert [(r["label"], r["series"]) for r in rows] == [("A001", 0), ("A002", 0), ("A003", 0),
                                                         ("A001", 1), ("A002", 1)]
    ev = store.outbox_events("ticket.numbers_reset")
    assert len(ev) == 1 and ev[0].payload == {"day": "2026-11-28", "series": 1, "by": "staff"}
    clock.advance(24 * 3600)  # the next day starts at series 0 again
    assert book.issue("passport", "A", "nl").label == "A001"
    store.close()


def test_migration_keeps_old_tickets(tmp_path):
    """A database made before step 2 keeps its tickets after the upgrade."""
    from kiosk.storage import migrations
    steps = migrations._STEPS["tickets"]
    saved = list(steps)
    del steps[1:]
    try:
        s = Store(tmp_path)
        s.conn.execute("INSERT INTO tickets(token, service_id, day, number, label, lang, issued_at) "
                       "VALUES('t1', 'passport', '2026-03-02', 1, 'A001', 'nl', '2026-03-02T09:00:00Z')")
        s.close()
    finally:
        steps[:] = saved
    s = Store(tmp_path, clock=FakeClock())
    rows = s.query("SELECT label, series FROM tickets")
    assert [(r["label"], r["series"]) for r in rows] == [("A001", 0)]
    assert TicketBook(s).issue("passport", "A", "nl").label == "A002"
    s.close()
