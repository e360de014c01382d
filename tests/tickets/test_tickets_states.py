"""A ticket's print state and the printer's state: explicit tables, one mover each, and
the code paths that change them go through it."""
import pytest

from common.states import IllegalTransition, check_table, move
from devices.printer import BLIND_PRINTER_TRANSITIONS, PRINTER_TRANSITIONS, PrinterState
from devices.printer_basic import DummyPrinter
from kiosk.tickets.book import PRINT_TRANSITIONS, PrintState
from kiosk.tickets.issue import TicketIssuer
from kiosk.tickets.printer_watch import PrinterWatch

P = PrintState


def test_tables_are_complete():
    assert check_table(PrintState, PRINT_TRANSITIONS) == []
    assert check_table(PrinterState, PRINTER_TRANSITIONS) == []
    assert check_table(PrinterState, BLIND_PRINTER_TRANSITIONS) == []


@pytest.mark.parametrize("current,new,ok", [
    (P.PENDING, P.PRINTED, True), (P.PENDING, P.NOT_PRINTED, True),
    (P.NOT_PRINTED, P.PRINTED, True),          # a staff reprint worked
    (P.PRINTED, P.PRINTED, True),              # printed again
    (P.PRINTED, P.NOT_PRINTED, False), (P.PRINTED, P.PENDING, False),
    (P.NOT_PRINTED, P.PENDING, False), (P.NOT_PRINTED, P.NOT_PRINTED, False),
    (P.PENDING, P.PENDING, False),
])
def test_print_state_transitions(current, new, ok):
    if ok:
        assert move(PRINT_TRANSITIONS, current, new) is new
    else:
        with pytest.raises(IllegalTransition, match=f"cannot go from '{current.value}' to "
                                                    f"'{new.value}'"):
            move(PRINT_TRANSITIONS, current, new)


def test_an_answering_printer_may_go_from_any_state_to_any_other():
    for a in PrinterState:
        for b in PrinterState:
            if a is not b:
                assert move(PRINTER_TRANSITIONS, a, b) is b


@pytest.mark.parametrize("target", [PrinterState.PAPER_OUT, PrinterState.PAPER_LOW,
                                    PrinterState.COVER_OPEN])
def test_a_printer_without_status_cannot_be_seen_out_of_paper(target):
    with pytest.raises(IllegalTransition, match=f"cannot go from 'online' to '{target.value}'"):
        move(BLIND_PRINTER_TRANSITIONS, PrinterState.ONLINE, target, "printer")
    assert move(BLIND_PRINTER_TRANSITIONS, target, PrinterState.ONLINE) is PrinterState.ONLINE


def test_the_book_moves_print_states_through_the_table(store, make_config):
    issuer = TicketIssuer(store, make_config(), printer=DummyPrinter(state=PrinterState.ONLINE))
    result, outcome = issuer.issue_and_print("passport", "nl")
    assert outcome.printed
    t = issuer.book.get(result.ticket.id)
    with pytest.raises(IllegalTransition, match=f"ticket {t.id}: cannot go from 'printed' to "
                                                "'not_printed'"):
        issuer.book.mark_not_printed(t, "late failure")
    assert issuer.book.get(t.id).print_state is P.PRINTED            # rolled back, no event
    assert [e.type for e in store.outbox_events()] == ["ticket.issued", "ticket.printed"]
    issuer.book.mark_not_printed(t, "reprint jammed", reprint=True)  # no state change: allowed
    issuer.book.mark_printed(t, reprint=True)
    assert issuer.book.get(t.id).print_state is P.PRINTED


def test_a_not_printed_ticket_printed_by_a_reprint(store, make_config):
    printer = DummyPrinter(state=PrinterState.PAPER_OUT)
    issuer = TicketIssuer(store, make_config(), printer=printer)
    result, outcome = issuer.issue_and_print("passport", "nl")
    assert issuer.book.get(result.ticket.id).print_state is P.NOT_PRINTED
    printer.state = PrinterState.ONLINE
    assert issuer.reprint(result.ticket.id).printed
    assert issuer.book.get(result.ticket.id).print_state is P.PRINTED


def test_printing_never_raises_even_on_a_refused_move(store, make_config, caplog):
    printer = DummyPrinter(state=PrinterState.ONLINE)
    issuer = TicketIssuer(store, make_config(), printer=printer)
    result, _ = issuer.issue_and_print("passport", "nl")
    printer.state = PrinterState.PAPER_OUT
    outcome = issuer.print(result)          # not a reprint, yet the ticket is printed already
    assert not outcome.printed
    assert issuer.book.get(result.ticket.id).print_state is P.PRINTED
    assert "cannot go from 'printed' to 'not_printed'" in caplog.text


def test_the_printer_state_has_one_owner(store, make_config):
    printer = DummyPrinter(state=PrinterState.ONLINE)
    issuer = TicketIssuer(store, make_config(), printer=printer)
    assert isinstance(issuer.watch, PrinterWatch)
    assert issuer.printer_state() is PrinterState.ONLINE and issuer.watch.state is PrinterState.ONLINE
    printer.state = PrinterState.COVER_OPEN
    issuer.printer_state()
    assert store.meta_get("printer.state") == "cover_open"
    assert [e.payload for e in store.outbox_events("device.status")] == [
        {"device": "printer", "state": "cover_open", "previous": "online", "detail": ""}]
    again = PrinterWatch(store, printer)               # a restart remembers it
    assert again.state is PrinterState.COVER_OPEN and not again.paper_tickets_available()


def test_watch_first_look_and_blind_printers(store):
    blind = DummyPrinter()                              # dummy:// without a state: no status
    watch = PrinterWatch(store, blind)
    assert watch.state is None and watch.paper_tickets_available()
    assert watch.observe(PrinterState.ONLINE) and store.outbox_events("device.status") == []
    assert not watch.observe(PrinterState.ONLINE)       # seen again: no change
    with pytest.raises(IllegalTransition, match="printer: cannot go from 'online' to 'paper_out'"):
        watch.observe(PrinterState.PAPER_OUT)
    assert watch.state is PrinterState.ONLINE and store.meta_get("printer.state") == "online"
    assert watch.observe(PrinterState.OFFLINE, "write failed")
    assert [e.payload["state"] for e in store.outbox_events("device.status")] == ["offline"]


def test_a_first_look_at_a_printer_that_cannot_print_is_reported(store):
    watch = PrinterWatch(store, DummyPrinter(state=PrinterState.PAPER_OUT))
    assert watch.poll() is PrinterState.PAPER_OUT
    assert [e.payload for e in store.outbox_events("device.status")] == [
        {"device": "printer", "state": "paper_out", "previous": None, "detail": ""}]
