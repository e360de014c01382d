"""Numbering per service per local day: format, start, midnight, both DST change days,
history kept, and the lazy roll-over."""
import datetime as dt

import pytest

from kiosk.tickets.book import TicketBook, format_label, local_day, wait_range

UTC = dt.timezone.utc


def at(y, mo, d, h, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=UTC)


@pytest.mark.parametrize("prefix,n,fmt,width,expected", [
    ("A", 1, "padded", 3, "A001"),
    ("A", 12, "padded", 3, "A012"),
    ("A", 999, "padded", 3, "A999"),
    ("A", 1000, "padded", 3, "A1000"),
    ("B", 7, "padded", 2, "B07"),
    ("A", 1, "plain", 3, "A1"),
    ("C", 120, "plain", 3, "C120"),
])
def test_format_label(prefix, n, fmt, width, expected):
    assert format_label(prefix, n, fmt, width) == expected


@pytest.mark.parametrize("utc,expected", [
    # ordinary winter day: CET = UTC+1
    (at(2026, 3, 1, 22, 59), "2026-03-01"),
    (at(2026, 3, 1, 23, 0), "2026-03-02"),
    # spring forward 29 March 2026: 02:00 CET -> 03:00 CEST at 01:00 UTC
    (at(2026, 3, 28, 22, 59), "2026-03-28"),
    (at(2026, 3, 28, 23, 0), "2026-03-29"),
    (at(2026, 3, 29, 0, 59), "2026-03-29"),
    (at(2026, 3, 29, 1, 0), "2026-03-29"),
    (at(2026, 3, 29, 21, 59), "2026-03-29"),   # 23:59 CEST
    (at(2026, 3, 29, 22, 0), "2026-03-30"),    # midnight CEST
    # fall back 25 October 2026: 03:00 CEST -> 02:00 CET at 01:00 UTC (a 25-hour day)
    (at(2026, 10, 24, 21, 59), "2026-10-24"),
    (at(2026, 10, 24, 22, 0), "2026-10-25"),
    (at(2026, 10, 25, 0, 30), "2026-10-25"),   # 02:30 CEST
    (at(2026, 10, 25, 1, 30), "2026-10-25"),   # 02:30 CET, the same wall time again
    (at(2026, 10, 25, 22, 59), "2026-10-25"),  # 23:59 CET
    (at(2026, 10, 25, 23, 0), "2026-10-26"),
])
def test_local_day_amsterdam(utc, expected):
    assert local_day(utc, "Europe/Amsterdam") == expected


def test_local_day_rejects_naive_time():
    with pytest.raises(ValueError):
        local_day(dt.datetime(2026, 3, 2, 9, 0), "Europe/Amsterdam")


def test_numbers_count_up_per_service_and_start_from_config(store):
    book = TicketBook(store, first_number=5)
    got = [book.issue("passport", "A", "nl").label for _ in range(3)]
    other = book.issue("moving", "C", "nl").label
    assert got == ["A005", "A006", "A007"]
    assert other == "C005"


def test_plain_format(store):
    book = TicketBook(store, number_format="plain")
    assert [book.issue("passport", "A", "nl").label for _ in range(2)] == ["A1", "A2"]


def test_local_midnight_starts_again_and_keeps_history(store, clock):
    book = TicketBook(store)
    clock.set_wall(at(2026, 3, 2, 22, 58))  # 23:58 local
    a = book.issue("passport", "A", "nl")
    b = book.issue("passport", "A", "nl")
    clock.set_wall(at(2026, 3, 2, 23, 1))   # 00:01 local, next day
    c = book.issue("passport", "A", "nl")
    assert (a.label, b.label, c.label) == ("A001", "A002", "A001")
    assert (a.day, c.day) == ("2026-03-02", "2026-03-03")
    rows = store.query("SELECT day, number FROM tickets ORDER BY id")
    assert [(r["day"], r["number"]) for r in rows] == [
        ("2026-03-02", 1), ("2026-03-02", 2), ("2026-03-03", 1)]


def test_utc_midnight_is_not_a_new_day(store, clock):
    book = TicketBook(store)
    clock.set_wall(at(2026, 3, 2, 23, 30))  # 00:30 local on the 3rd
    first = book.issue("passport", "A", "nl")
    clock.set_wall(at(2026, 3, 3, 0, 30))   # UTC date changes, local date does not
    second = book.issue("passport", "A", "nl")
    assert (first.label, second.label) == ("A001", "A002")


def test_spring_forward_day(store, clock):
    book = TicketBook(store)
    labels = []
    for when in (at(2026, 3, 28, 22, 59),   # 23:59 CET on the 28th
                 at(2026, 3, 28, 23, 0),    # 00:00 CET on the 29th: new day
                 at(2026, 3, 29, 0, 59),    # 01:59 CET
                 at(2026, 3, 29, 1, 0),     # 03:00 CEST (02:xx never happens)
                 at(2026, 3, 29, 21, 59),   # 23:59 CEST
                 at(2026, 3, 29, 22, 0)):   # 00:00 CEST on the 30th: new day
        clock.set_wall(when)
        t = book.issue("passport", "A", "nl")
        labels.append((t.day, t.label))
    assert labels == [("2026-03-28", "A001"), ("2026-03-29", "A001"), ("2026-03-29", "A002"),
                      ("2026-03-29", "A003"), ("2026-03-29", "A004"), ("2026-03-30", "A001")]


def test_fall_back_day_repeated_hour_does_not_restart(store, clock):
    book = TicketBook(store)
    labels = []
    for when in (at(2026, 10, 24, 22, 0),   # 00:00 CEST on the 25th
                 at(2026, 10, 25, 0, 30),   # 02:30 CEST
                 at(2026, 10, 25, 1, 30),   # 02:30 CET: same wall time, one hour later
                 at(2026, 10, 25, 22, 59),  # 23:59 CET
                 at(2026, 10, 25, 23, 0)):  # 00:00 CET on the 26th
        clock.set_wall(when)
        t = book.issue("passport", "A", "nl")
        labels.append((t.day, t.label))
    assert labels == [("2026-10-25", "A001"), ("2026-10-25", "A002"), ("2026-10-25", "A003"),
                      ("2026-10-25", "A004"), ("2026-10-26", "A001")]


def test_clock_jumping_back_never_repeats_a_number(store, clock):
    book = TicketBook(store)
    clock.set_wall(at(2026, 3, 2, 12, 0))
    a = book.issue("passport", "A", "nl")
    clock.set_wall(at(2026, 3, 2, 9, 0))    # NTP correction backwards, same local day
    b = book.issue("passport", "A", "nl")
    assert (a.label, b.label) == ("A001", "A002")


def test_issue_writes_ticket_and_event_together(store):
    book = TicketBook(store)
    t = book.issue("passport", "A", "en", appointment=True)
    events = store.outbox_events("ticket.issued")
    assert len(events) == 1
    p = events[0].payload
    assert p == {"ticket_id": t.id, "service": "passport", "day": t.day, "number": 1,
                 "label": "A001", "lang": "en", "appointment": True, "token": t.token}
    # the token travels to the central service: it is the key of the mobile ticket page


def test_people_ahead_counts_recent_earlier_tickets_of_same_service(store, clock):
    book = TicketBook(store)
    clock.set_wall(at(2026, 3, 2, 9, 0))
    book.issue("passport", "A", "nl")            # 90 minutes before the last one
    clock.set_wall(at(2026, 3, 2, 10, 0))
    book.issue("passport", "A", "nl")
    book.issue("moving", "C", "nl")              # another service
    clock.set_wall(at(2026, 3, 2, 10, 30))
    t = book.issue("passport", "A", "nl")
    assert book.people_ahead(t, assume_served_after_min=120) == 2
    assert book.people_ahead(t, assume_served_after_min=60) == 1


@pytest.mark.parametrize("ahead,minutes,desks,expected", [
    (0, 10, 1, (0, 0)),
    (1, 10, 1, (5, 30)),      # 7 -> 5, 26 -> 30
    (3, 10, 2, (10, 30)),     # 10.5 -> 10, 26 -> 30
    (10, 6, 1, (40, 90)),     # 42 -> 40, 85.8 -> 90
    (1, 2, 4, (0, 5)),        # tiny waits still give a range
])
def test_wait_range(ahead, minutes, desks, expected):
    assert wait_range(ahead, minutes, desks) == expected


def test_wait_range_needs_a_desk():
    with pytest.raises(ValueError):
        wait_range(2, 10, 0)
