"""The visitor keeps their number when the printer fails mid-ticket; staff and the next
visitor see the state."""
from devices.printer import PrinterState
from devices.printer_serial import SerialPrinter
from devices.printer_sim import PrinterSimulator
from kiosk.tickets.issue import TicketIssuer
from kiosk.tickets.book import PrintState


def test_drop_mid_ticket_then_recovery(store, make_config):
    cfg = make_config(tickets={"print_mode": "raster"})  # a big job, so it breaks midway
    with PrinterSimulator("pty") as sim:
        printer = SerialPrinter.from_url(sim.url, status_timeout=0.1)
        issuer = TicketIssuer(store, cfg, printer=printer, clock=store.clock)
        sim.drop_after = 2000
        result = issuer.issue("passport", "nl")
        outcome = issuer.print(result)
        assert not outcome.printed and outcome.mode == "raster" and outcome.size > 2000
        assert 2000 <= len(sim.received) < outcome.size
        assert issuer.book.get(result.ticket.id).print_state == PrintState.NOT_PRINTED
        assert not issuer.paper_tickets_available()
        failed = store.outbox_events("ticket.print_failed")[0].payload
        assert failed["label"] == "A001" and "printer" in failed["reason"]

    with PrinterSimulator("pty") as sim2:        # the printer is back (new port)
        printer2 = SerialPrinter.from_url(sim2.url, status_timeout=0.1)
        issuer2 = TicketIssuer(store, cfg, printer=printer2, clock=store.clock)
        assert not issuer2.paper_tickets_available()   # remembered across restarts
        assert issuer2.printer_state() == PrinterState.ONLINE
        assert issuer2.paper_tickets_available()
        nxt = issuer2.issue("passport", "nl")
        assert nxt.ticket.label == "A002" and issuer2.print(nxt).printed
        printer2.close()
    states = [e.payload["state"] for e in store.outbox_events("device.status")]
    assert states[0] in ("offline", "unknown") and states[-1] == "online"
    assert [e.type for e in store.outbox_events()].count("ticket.issued") == 2
