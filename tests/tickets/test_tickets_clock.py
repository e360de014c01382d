"""The ticket function runs on the clock it is given, never on the machine's behind it
(issue #12): "open now", "today" and the issue time come from the injected clock, so these
tests give the same answers at any real date, time, weekday or time zone. The machine's
clock (SystemClock) is pinned to the opposite moment to show that it is not what decides."""
import pytest

from kiosk.clock import FakeClock, SystemClock
from kiosk.tickets.issue import IssueError, TicketIssuer
from testkit import SUNDAY_3AM, TUESDAY_10AM, pin_system_clock

OPPOSITE = {SUNDAY_3AM: TUESDAY_10AM, TUESDAY_10AM: SUNDAY_3AM}


@pytest.mark.parametrize("when,is_open,day", [(SUNDAY_3AM, False, "2026-03-01"),
                                              (TUESDAY_10AM, True, "2026-03-03")],
                         ids=["sunday-3am", "tuesday-10am"])
def test_open_now_and_today_follow_the_injected_clock(store, make_config, monkeypatch, when, is_open,
                                                      day):
    pin_system_clock(monkeypatch, OPPOSITE[when])  # the machine says the other moment
    issuer = TicketIssuer(store, make_config(), clock=FakeClock(when))
    assert issuer.book.today() == day
    if is_open:
        result = issuer.issue("moving", "nl")       # hours mon-fri 09:00-12:30
        assert result.ticket.day == day and result.ticket.issued_at == "2026-03-03T09:00:00.000Z"
    else:
        with pytest.raises(IssueError) as e:
            issuer.issue("moving", "nl")
        assert e.value.message == "tickets.closed"
    walk_in = issuer.issue("passport", "nl")        # no hours: open at any moment
    assert walk_in.ticket.day == day
    assert store.outbox_events("ticket.issued")[-1].payload["day"] == day


@pytest.mark.parametrize("when,is_open", [(SUNDAY_3AM, False), (TUESDAY_10AM, True)])
def test_without_a_clock_the_issuer_follows_its_store(tmp_path, make_config, monkeypatch, when,
                                                      is_open):
    """Without a clock of its own the issuer decides on its store's clock, so the ticket's data
    and "open now" never disagree (the composition root gives both the same clock)."""
    pin_system_clock(monkeypatch, OPPOSITE[when])   # the machine says the other moment
    issuer = _issuer_on(tmp_path, make_config(), FakeClock(when))
    assert issuer.clock is issuer.store.clock
    _decides_as(issuer, when, is_open)


@pytest.mark.parametrize("machine,is_open", [(SUNDAY_3AM, False), (TUESDAY_10AM, True)])
def test_with_the_system_clock_the_issuer_reads_the_machine(tmp_path, make_config, monkeypatch,
                                                            machine, is_open):
    """A store on the system clock (as `kiosk ticket issue` has) makes the machine's clock the
    one that decides; the pinned machine clock shows it is read, not assumed."""
    pin_system_clock(monkeypatch, machine)
    issuer = _issuer_on(tmp_path, make_config(), None)
    assert isinstance(issuer.clock, SystemClock)
    _decides_as(issuer, machine, is_open)


_OPENED = []


@pytest.fixture(autouse=True)
def _close_stores():
    yield
    while _OPENED:
        _OPENED.pop().close()


def _issuer_on(tmp_path, cfg, clock):
    """An issuer without a clock of its own, on a store with `clock` (None: the system's)."""
    from kiosk.storage.store import Store
    store = Store(tmp_path / "data", clock=clock) if clock else Store(tmp_path / "data")
    _OPENED.append(store)
    return TicketIssuer(store, cfg)


def _decides_as(issuer, when, is_open):
    assert issuer.book.today() == when.date().isoformat()
    if is_open:
        assert issuer.issue("moving", "nl").ticket.day == "2026-03-03"
    else:
        with pytest.raises(IssueError):
            issuer.issue("moving", "nl")



def test_double_tap_window_uses_the_injected_monotonic_clock(store, make_config):
    clock = FakeClock(TUESDAY_10AM)
    issuer = TicketIssuer(store, make_config(tickets={"double_tap_s": 3.0}), clock=clock)
    first = issuer.issue("passport", "nl")
    clock.advance(2.9)
    assert issuer.issue("passport", "nl").repeated
    clock.advance(0.2)
    assert issuer.issue("passport", "nl").ticket.label == "A002" != first.ticket.label


def test_preview_shows_the_number_the_next_ticket_gets_after_a_restart_of_numbers(store, make_config,
                                                                                  clock):
    """Issue #12 item 8: after staff restart today's numbers, the preview says A001, like the
    next ticket, not the next number of the old series."""
    issuer = TicketIssuer(store, make_config(tickets={"double_tap_s": 0}), clock=clock)
    assert issuer.preview("passport", "nl").ticket.label == "A001"
    for _ in range(3):
        issuer.issue("passport", "nl")
    issuer.issue("moving", "nl")
    assert issuer.preview("passport", "nl").ticket.label == "A004"
    assert issuer.book.reset_today() == 1
    assert issuer.preview("passport", "nl").ticket.label == "A001"
    assert issuer.preview("moving", "nl").ticket.label == "C001"
    assert issuer.issue("passport", "nl").ticket.label == "A001"
    assert issuer.preview("passport", "nl").ticket.label == "A002"
    assert issuer.book.next_number("passport") == 2
