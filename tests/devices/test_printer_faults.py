"""Every printer fault of the issue, on the simulator over a pty and over TCP:
paper out, cover open, silent, dropping off mid-ticket, running out mid-ticket."""
import pytest

from devices.printer import PrinterState, PrintFailed
from devices.printer_net import TcpPrinter
from devices.printer_serial import SerialPrinter
from devices.printer_sim import PrinterSimulator

JOB = b"\x1b@" + b"Wachtruimte B\n" * 300 + b"\x1dV\x00"   # ~4 KB, several chunks


@pytest.fixture(params=["pty", "tcp"])
def sim_printer(request):
    sim = PrinterSimulator(request.param).start()
    cls = SerialPrinter if request.param == "pty" else TcpPrinter
    printer = cls.from_url(sim.url, status_timeout=0.1, write_timeout=2)
    yield sim, printer
    printer.close()
    sim.stop()


def test_healthy_printer_gets_the_whole_job(sim_printer):
    sim, p = sim_printer
    assert p.print_job(JOB) == PrinterState.ONLINE
    assert sim.jobs == [JOB]


@pytest.mark.parametrize("state,expected", [("paper_out", PrinterState.PAPER_OUT),
                                            ("cover_open", PrinterState.COVER_OPEN),
                                            ("offline", PrinterState.OFFLINE)])
def test_fault_before_printing_sends_nothing(sim_printer, state, expected):
    sim, p = sim_printer
    sim.state = state
    assert p.status() == expected
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert e.value.state == expected and e.value.sent == 0
    assert sim.received == b""


def test_paper_low_still_prints(sim_printer):
    sim, p = sim_printer
    sim.state = "paper_low"
    assert p.print_job(JOB) == PrinterState.PAPER_LOW
    assert sim.jobs == [JOB]


def test_silent_printer_is_unknown_and_gets_nothing(sim_printer):
    sim, p = sim_printer
    sim.silent = True
    assert p.status() == PrinterState.UNKNOWN
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert e.value.state == PrinterState.UNKNOWN
    assert sim.received == b"" and sim.queries >= 2


def test_paper_running_out_mid_ticket_is_a_failure(sim_printer):
    sim, p = sim_printer
    sim.paper_out_after = 1000
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert e.value.state == PrinterState.PAPER_OUT
    assert "after printing" in str(e.value)


def test_printer_dropping_off_mid_ticket_is_a_failure(sim_printer):
    sim, p = sim_printer
    sim.drop_after = 1000
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert e.value.state in (PrinterState.OFFLINE, PrinterState.UNKNOWN)
    assert 1000 <= len(sim.received) < len(JOB)
    assert sim.jobs == []  # the cut never arrived


def test_printer_recovers_after_refill(sim_printer):
    sim, p = sim_printer
    sim.state = "paper_out"
    with pytest.raises(PrintFailed):
        p.print_job(JOB)
    sim.state = "online"
    assert p.print_job(JOB) == PrinterState.ONLINE
    assert sim.jobs == [JOB]


def test_tcp_printer_that_is_not_there():
    sim = PrinterSimulator("tcp").start()
    url = sim.url
    sim.stop()   # nothing listens on that port any more
    p = TcpPrinter.from_url(url, status_timeout=0.1)
    assert p.status() == PrinterState.OFFLINE
    with pytest.raises(PrintFailed):
        p.print_job(JOB)
