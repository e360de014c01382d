"""The issue flow: one tap one ticket, refusals, printing outcomes and their events,
the no-paper fallback, reprint, spoken text."""
import datetime as dt

import pytest

from devices.printer import PrinterState
from devices.printer_basic import DummyPrinter
from devices.printer_sim import PrinterSimulator
from devices.printer_serial import SerialPrinter
from devices.speech import DummySpeech
from kiosk.tickets.issue import IssueError, TicketIssuer, spoken_label
from kiosk.tickets.book import PrintState


def make_issuer(store, make_config, printer=None, speech=None, **cfg):
    return TicketIssuer(store, make_config(**cfg), printer=printer, speech=speech, clock=store.clock)


def types(store):
    return [e.type for e in store.outbox_events()]


def test_issued_event_carries_the_estimate_the_visitor_saw(store, make_config):
    issuer = make_issuer(store, make_config, tickets={"double_tap_s": 0})
    for _ in range(3):
        issuer.issue("passport", "nl")
    r = issuer.issue("passport", "nl")
    ev = store.outbox_events("ticket.issued")[-1].payload
    assert ev["people_ahead"] == r.people_ahead == 3
    assert ev["estimated_wait_min"] == list(r.wait) == [10, 30]
    assert store.outbox_events("ticket.issued")[0].payload["estimated_wait_min"] == [0, 0]


def test_foresee_tells_what_the_next_ticket_gets_and_takes_nothing(store, make_config, clock):
    """The ticket screen shows the foresight while the finger is down; the tap's ticket must
    then match it, and foreseeing must not take a number or record anything."""
    issuer = make_issuer(store, make_config, tickets={"double_tap_s": 0})
    issuer.issue("passport", "nl")
    events = len(store.outbox_events())
    seen = [issuer.foresee("passport", "nl") for _ in range(3)]
    assert len(store.outbox_events()) == events and issuer.book.next_number("passport") == 2
    r = issuer.issue("passport", "nl")
    assert {(f.label, f.people_ahead, f.wait, f.route) for f in seen} == {
        (r.ticket.label, r.people_ahead, r.wait, r.route)} == {("A002", 1, (0, 15), "")}
    clock.advance(3 * 3600)   # the earlier tickets count as served: nobody ahead any more
    f = issuer.foresee("passport", "nl")
    assert (f.label, f.people_ahead, f.wait) == ("A003", 0, (0, 0))
    with pytest.raises(IssueError) as e:
        issuer.foresee("nope", "nl")
    assert e.value.message == "tickets.unavailable"


def test_issue_and_print_on_a_healthy_printer(store, make_config):
    printer = DummyPrinter(state=PrinterState.ONLINE)
    issuer = make_issuer(store, make_config, printer)
    result, outcome = issuer.issue_and_print("passport", "en")
    assert result.ticket.label == "A001"
    assert outcome.printed and outcome.mode == "text"
    assert len(printer.jobs) == 1 and b"A001" in printer.jobs[0]
    assert printer.jobs[0].endswith(b"\x1dVA\x08")  # cut
    assert issuer.book.get(result.ticket.id).print_state == PrintState.PRINTED
    assert types(store) == ["ticket.issued", "ticket.printed"]
    printed = store.outbox_events("ticket.printed")[0].payload
    assert printed["label"] == "A001" and printed["bytes"] == len(printer.jobs[0])


def test_double_tap_gives_the_same_ticket(store, make_config, clock):
    printer = DummyPrinter()
    issuer = make_issuer(store, make_config, printer, tickets={"double_tap_s": 3.0})
    first, o1 = issuer.issue_and_print("passport", "nl")
    clock.advance(0.4)
    second, o2 = issuer.issue_and_print("passport", "nl")
    assert second.repeated and second.ticket.label == first.ticket.label
    assert o2 is None  # no second print: reprinting is a staff action
    assert len(printer.jobs) == 1
    clock.advance(3.0)
    third, _ = issuer.issue_and_print("passport", "nl")
    assert not third.repeated and third.ticket.label == "A002"
    # a different service straight away is a real choice, not a double tap
    other = issuer.issue("moving", "nl")
    assert other.ticket.label == "C001"


def test_unknown_service_is_refused_with_a_clear_message(store, make_config):
    issuer = make_issuer(store, make_config)
    with pytest.raises(IssueError) as e:
        issuer.issue("nope", "nl")
    assert e.value.message == "tickets.unavailable"
    assert "unknown service 'nope'" in e.value.detail and "passport" in e.value.detail
    assert store.outbox_events() == []


def test_closed_service_is_refused(store, make_config, clock):
    issuer = make_issuer(store, make_config)
    clock.set_wall(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc))  # 13:00, closed
    with pytest.raises(IssueError) as e:
        issuer.issue("moving", "nl")
    assert e.value.message == "tickets.closed"
    clock.set_wall(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone.utc))  # 11:00, open
    assert issuer.issue("moving", "nl").ticket.label == "C001"


def test_appointment_service_needs_a_check_in(store, make_config):
    issuer = make_issuer(store, make_config)
    with pytest.raises(IssueError) as e:
        issuer.issue("appointment", "nl")
    assert e.value.message == "tickets.appointment"
    t = issuer.issue("appointment", "nl", appointment=True).ticket
    assert t.label == "F001" and t.appointment


@pytest.mark.parametrize("state", [PrinterState.PAPER_OUT, PrinterState.COVER_OPEN,
                                   PrinterState.OFFLINE])
def test_printer_fault_keeps_the_number_and_records_it(store, make_config, state):
    printer = DummyPrinter(state=state)
    issuer = make_issuer(store, make_config, printer)
    result, outcome = issuer.issue_and_print("passport", "nl")
    assert result.ticket.label == "A001"                     # the visitor has a number
    assert result.content.qr_url.endswith(result.ticket.token)  # and a QR to photograph
    assert not outcome.printed and outcome.state == state
    assert printer.jobs == []
    assert issuer.book.get(result.ticket.id).print_state == PrintState.NOT_PRINTED
    assert types(store) == ["ticket.issued", "device.status", "ticket.print_failed"]
    status = store.outbox_events("device.status")[0].payload
    assert status["device"] == "printer" and status["state"] == state.value
    assert not issuer.paper_tickets_available()  # the next visitor sees the no-paper path


def test_device_status_only_on_change(store, make_config):
    printer = DummyPrinter(state=PrinterState.ONLINE)
    issuer = make_issuer(store, make_config, printer)
    assert issuer.printer_state() == PrinterState.ONLINE
    assert issuer.paper_tickets_available()
    printer.state = PrinterState.PAPER_LOW
    issuer.printer_state()
    issuer.printer_state()
    printer.state = PrinterState.ONLINE
    issuer.printer_state()
    states = [e.payload["state"] for e in store.outbox_events("device.status")]
    assert states == ["paper_low", "online"]


def test_no_printer_configured(store, make_config):
    issuer = make_issuer(store, make_config, printer=None)
    result, outcome = issuer.issue_and_print("passport", "nl")
    assert not outcome.printed and outcome.reason == "no printer configured"
    assert issuer.book.get(result.ticket.id).print_state == PrintState.NOT_PRINTED
    assert not issuer.paper_tickets_available()


def test_printer_that_goes_silent_costs_only_the_status_timeout(store, make_config):
    with PrinterSimulator("pty") as sim:
        sim.silent = True
        printer = SerialPrinter.from_url(sim.url, status_timeout=0.1)
        issuer = make_issuer(store, make_config, printer)
        result = issuer.issue("passport", "nl")
        outcome = issuer.print(result)
        printer.close()
    assert not outcome.printed and outcome.state == PrinterState.UNKNOWN
    assert sim.received == b""  # nothing sent to a printer that does not answer
    assert issuer.book.get(result.ticket.id).print_state == PrintState.NOT_PRINTED


def test_reprint_is_a_staff_action_with_its_own_event(store, make_config):
    printer = DummyPrinter(state=PrinterState.PAPER_OUT)
    issuer = make_issuer(store, make_config, printer)
    result, _ = issuer.issue_and_print("passport", "nl")
    printer.state = PrinterState.ONLINE
    outcome = issuer.reprint(result.ticket.id)
    assert outcome.printed and len(printer.jobs) == 1
    assert issuer.book.get(result.ticket.id).print_state == PrintState.PRINTED
    ev = store.outbox_events("ticket.printed")[-1].payload
    assert ev["reprint"] is True
    with pytest.raises(IssueError):
        issuer.reprint(999)


@pytest.mark.parametrize("label,spoken", [("A012", "A 12"), ("A001", "A 1"), ("B120", "B 120"),
                                          ("C7", "C 7"), ("A1000", "A 1000")])
def test_spoken_label_drops_leading_zeros(label, spoken):
    assert spoken_label(label) == spoken


def test_speak_uses_the_visitor_language(store, make_config):
    speech = DummySpeech()
    issuer = make_issuer(store, make_config, speech=speech)
    for _ in range(11):
        issuer.book.issue("passport", "A", "nl")
    result = issuer.issue("passport", "nl")
    assert result.ticket.label == "A012"
    assert issuer.speak(result)
    text, lang = speech.said[-1]
    assert lang == "nl"
    assert text.startswith("Uw nummer is A 12.") and "Wachtruimte B" in text
    other = make_issuer(store, make_config, speech=speech)  # a fresh screen: no double tap
    assert other.speak(other.issue("passport", "en"))
    assert speech.said[-1] == ("Your number is A13. Passport. Wait at Waiting area B.", "en")  # "ay thirteen"


def test_ticket_content_in_visitor_language_with_dutch_name(store, make_config):
    issuer = make_issuer(store, make_config)
    for _ in range(3):
        issuer.book.issue("passport", "A", "nl")
    c = issuer.issue("passport", "en").content
    assert (c.service_name, c.service_name_nl) == ("Passport", "Paspoort")
    assert c.wait_at == "Wait at: Waiting area B"
    assert c.people_line == "There are 3 people ahead of you"
    assert c.wait_line == "Waiting time: 10 to 30 minutes"   # 3 ahead, 10 min, 2 desks
    assert c.time_line == "Taken at 10:00 on 02-03-2026"    # local time, not UTC
    assert c.qr_url.startswith("https://www.example.nl/wachtrij?t=")


def test_a_driver_bug_is_a_failed_print_not_a_crash(store, make_config):
    class Broken(DummyPrinter):
        def print_job(self, job):
            raise RuntimeError("bug in a driver")
    issuer = make_issuer(store, make_config, Broken())
    result, outcome = issuer.issue_and_print("passport", "nl")
    assert not outcome.printed and "driver error: bug in a driver" in outcome.reason
    assert issuer.book.get(result.ticket.id).print_state == PrintState.NOT_PRINTED
