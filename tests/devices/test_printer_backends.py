"""Every printer backend by URL through the factory, and the exact bytes each one sends."""

import pytest

from devices.factory import DeviceUrlError, open_device, schemes
from devices.printer import DLE_EOT, PrinterState, PrintFailed
from devices.printer_basic import CupsPrinter, DummyPrinter, FilePrinter
from devices.printer_net import TcpPrinter, UsbPrinter
from devices.printer_serial import SerialPrinter
from devices.printer_sim import PrinterSimulator, SimPrinter

JOB = b"\x1b@\x1ba\x01Uw nummer\nA012\n\x1dV\x00"


def test_factory_knows_every_scheme_of_the_issue():
    assert set(schemes("printer")) >= {"dummy", "file", "serial", "loop", "socket", "usb", "tcp",
                                       "cups", "sim"}


@pytest.mark.parametrize("url,cls", [
    ("dummy://", DummyPrinter), ("dummy://?state=paper_out", DummyPrinter),
    ("file:///tmp/x.bin", FilePrinter), ("serial:///dev/ttyUSB0?baudrate=19200", SerialPrinter),
    ("loop://", SerialPrinter), ("socket://127.0.0.1:4000", SerialPrinter),
    ("usb://04b8:0e15", UsbPrinter), ("tcp://192.0.2.1:9100", TcpPrinter),
    ("cups://TM-T20", CupsPrinter),
])
def test_urls_pick_the_backend(url, cls):
    p = open_device("printer", url)
    assert type(p) is cls
    p.close()


@pytest.mark.parametrize("url,message", [
    ("lpt://1", "unknown scheme 'lpt://'"),
    ("/dev/ttyUSB0", "has no scheme"),
    ("dummy://?state=jammed", "unknown state 'jammed'"),
    ("serial://?baudrate=19200", "has no port"),
    ("serial:///dev/ttyUSB0?baudrate=fast", "baudrate must be a number"),
    ("usb://epson", "usb://VID:PID"),
    ("tcp://:9100", "has no host"),
    ("cups://", "give a CUPS queue name"),
    ("file://", "has no path"),
])
def test_bad_urls_say_what_is_wrong(url, message):
    with pytest.raises((DeviceUrlError, ValueError)) as e:
        open_device("printer", url)
    assert message in str(e.value)


def test_serial_options_are_read_from_the_url():
    p = open_device("printer", "serial:///dev/ttyS9?baudrate=115200&status=0", status_timeout=0.2)
    assert (p.port, p.baudrate, p.answers_status, p.status_timeout) == ("/dev/ttyS9", 115200,
                                                                        False, 0.2)


def test_dummy_records_jobs():
    p = DummyPrinter.from_url("dummy://")
    assert p.status() == PrinterState.UNKNOWN  # it has nothing to ask
    p.print_job(JOB)
    assert p.jobs == [JOB]


def test_file_backend_appends_exact_bytes(tmp_path):
    out = tmp_path / "lp0"
    p = open_device("printer", f"file://{out}")
    p.print_job(JOB)
    p.print_job(JOB)
    assert out.read_bytes() == JOB + JOB


def test_file_backend_failure_is_a_print_failure(tmp_path):
    p = open_device("printer", f"file://{tmp_path}/missing-dir/lp0")
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert "stopped after 0 of" in str(e.value)


def test_serial_backend_on_a_pty_sends_status_queries_and_the_job():
    with PrinterSimulator("pty") as sim:
        p = open_device("printer", sim.url)
        assert p.print_job(JOB) == PrinterState.ONLINE
        p.close()
    assert sim.jobs == [JOB]
    assert sim.received == JOB
    # before and after the job: DLE EOT 1 then DLE EOT 4
    q = DLE_EOT + b"\x01" + DLE_EOT + b"\x04"
    assert bytes(sim.raw) == q + JOB + q


def test_tcp_backend_sends_the_job():
    with PrinterSimulator("tcp") as sim:
        p = open_device("printer", sim.url)
        assert p.print_job(JOB) == PrinterState.ONLINE
        p.close()
    assert sim.jobs == [JOB]


def test_socket_url_goes_through_serial_for_url():
    """socket:// is pyserial's; the same simulator over TCP answers it."""
    with PrinterSimulator("tcp") as sim:
        port = sim.url.rsplit(":", 1)[1]
        p = open_device("printer", f"socket://127.0.0.1:{port}")
        assert p.status() == PrinterState.ONLINE
        p.print_job(JOB)
        p.close()
    assert sim.jobs == [JOB]


def test_loop_url_echo_is_not_mistaken_for_an_answer():
    p = open_device("printer", "loop://", status_timeout=0.05)
    assert p.status() == PrinterState.UNKNOWN
    with pytest.raises(PrintFailed):
        p.print_job(JOB)
    p.close()


def test_loop_url_without_status_just_sends():
    p = open_device("printer", "loop://?status=0")
    p.print_job(JOB)
    assert p.ser.read(len(JOB)) == JOB  # the loop hands our bytes back
    p.close()


def test_sim_url_runs_its_own_simulator(tmp_path):
    p = open_device("printer", f"sim://?dir={tmp_path}")
    assert isinstance(p, SimPrinter)
    assert p.print_job(JOB) == PrinterState.ONLINE
    p.simulator.state = "paper_out"
    assert p.status() == PrinterState.PAPER_OUT
    p.close()
    assert [f.read_bytes() for f in tmp_path.glob("job-*.bin")] == [JOB]


def test_cups_backend_hands_the_raw_job_to_lp(tmp_path):
    fake_lp = tmp_path / "lp"
    got = tmp_path / "got.bin"
    fake_lp.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path}/args\ncat > {got}\n")
    fake_lp.chmod(0o755)
    p = open_device("printer", "cups://TM-T20")
    p.lp_command = str(fake_lp)
    p.print_job(JOB)
    assert got.read_bytes() == JOB
    assert (tmp_path / "args").read_text().split() == ["-d", "TM-T20", "-o", "raw"]


def test_cups_refusal_is_a_print_failure(tmp_path):
    fake_lp = tmp_path / "lp"
    fake_lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    fake_lp.chmod(0o755)
    p = open_device("printer", "cups://nope")
    p.lp_command = str(fake_lp)
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert "does not exist" in str(e.value)


def test_usb_without_a_device_is_offline_not_a_crash():
    p = open_device("printer", "usb://04b8:0e15", status_timeout=0.05)
    assert p.status() == PrinterState.OFFLINE
    with pytest.raises(PrintFailed):
        p.print_job(JOB)


def test_serial_port_that_does_not_exist():
    p = open_device("printer", "serial:///dev/does-not-exist?baudrate=19200")
    assert p.status() == PrinterState.OFFLINE
    with pytest.raises(PrintFailed) as e:
        p.print_job(JOB)
    assert "could not open port" in str(e.value)
