"""Numbering across processes: 4 concurrent issuers, and SIGKILL between numbering and
printing (no duplicate after the restart, the ticket marked not printed)."""
import os
import signal
import subprocess
import sys
from pathlib import Path

from kiosk.clock import FakeClock
from kiosk.storage.store import Store
from kiosk.tickets.book import PrintState, TicketBook
from testkit import MONDAY_10AM

WORKER = str(Path(__file__).parent / "ticket_worker.py")


def test_four_processes_issue_without_duplicates_or_gaps(tmp_path):
    data = tmp_path / "data"
    Store(data).close()  # create the schema once, as the app does at start
    go = tmp_path / "go"
    per = 40
    procs = [subprocess.Popen([sys.executable, WORKER, "burst", str(data), str(per), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
    labels = [line for out, _ in outs for line in out.split()]
    assert len(labels) == 4 * per
    assert sorted(labels) == [f"A{n:03d}" for n in range(1, 4 * per + 1)]
    # every worker got some numbers: they really ran at the same time
    assert all(len(out.split()) == per for out, _ in outs)
    with Store(data) as s:
        rows = s.query("SELECT number FROM tickets ORDER BY number")
        assert [r["number"] for r in rows] == list(range(1, 4 * per + 1))
        assert len(s.outbox_events("ticket.issued")) == 4 * per


def test_sigkill_between_numbering_and_printing(tmp_path):
    data = tmp_path / "data"
    p = subprocess.Popen([sys.executable, WORKER, "stall", str(data)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    label = p.stdout.readline().strip()
    assert label == "A001", p.stderr.read() if not label else label
    os.kill(p.pid, signal.SIGKILL)
    p.wait(10)
    p.stdout.close()
    p.stderr.close()
    assert p.returncode == -signal.SIGKILL

    # restart: the app builds its issuer, which recovers the interrupted ticket
    from ticket_kit import build_config
    from devices.printer_basic import DummyPrinter
    from kiosk.tickets.issue import TicketIssuer
    with Store(data, clock=FakeClock(MONDAY_10AM)) as store:  # the worker's day and time
        printer = DummyPrinter()
        issuer = TicketIssuer(store, build_config(), printer=printer, clock=store.clock)
        book = TicketBook(store)
        first = book.find("A001")
        assert first.print_state == PrintState.NOT_PRINTED
        assert "interrupted" in first.print_error
        failed = store.outbox_events("ticket.print_failed")
        assert [e.payload["label"] for e in failed] == ["A001"]
        nxt = issuer.issue("passport", "nl")
        assert nxt.ticket.label == "A002"
        assert issuer.print(nxt).printed
        # a second start does not report the same ticket again
        TicketIssuer(store, build_config(), printer=printer, clock=store.clock)
        assert len(store.outbox_events("ticket.print_failed")) == 1


def test_recovery_leaves_a_live_process_pending_ticket_alone(store):
    book = TicketBook(store)
    t = book.issue("passport", "A", "nl")      # owned by this (live) process
    assert book.recover_interrupted() == []
    assert book.get(t.id).print_state == PrintState.PENDING
