"""The staff test slip: built with python-escpos on the configured profile, sent by the
configured driver; read back byte by byte."""
from devices.factory import open_device
from devices.printer_sim import PrinterSimulator
from kiosk.staff import actions   # the module, not its test_* functions (pytest would collect them)

INIT = b"\x1b@"


def ruler(n):
    return "".join(str(i % 10) for i in range(1, n + 1)).encode()


def test_slip_starts_initialised_holds_the_text_and_ends_cut():
    job = actions.test_job("Testbon kiosk-1 café", "TM-T20II")
    assert job.startswith(INIT)
    assert "Testbon kiosk-1 café".encode("cp437") in job        # via the magic encoder
    assert b"TM-T20II: 576 dots, 48/64 columns" in job
    assert ruler(48) + b"\n" in job and ruler(49) not in job
    assert job.endswith(b"\x1dV\x01")                            # partial cut, after a feed
    assert job.index(b"\x1bd\x06") < job.index(b"\x1dV\x01")


def test_slip_follows_the_profile():
    t88 = actions.test_job("x", "TM-T88V")
    assert ruler(42) + b"\n" in t88 and ruler(43) not in t88
    assert b"TM-T88V: 512 dots, 42/56 columns" in t88
    no_cutter = actions.test_job("x", "POS-5890")                 # a 58 mm printer without cutter
    assert no_cutter.startswith(INIT) and ruler(32) + b"\n" in no_cutter
    assert b"\x1dV" not in no_cutter and no_cutter.endswith(b"\x1bd\x06")


def test_test_print_sends_exactly_those_bytes_through_the_driver():
    with PrinterSimulator("pty") as sim:
        res = actions.test_print(sim.url, "TM-T88V", "Testbon", status_timeout=0.5)
    assert res.ok and res.message == "online"
    assert sim.jobs == [actions.test_job("Testbon", "TM-T88V")]


def test_test_print_to_a_dummy_records_the_slip():
    p = open_device("printer", "dummy://")
    p.print_job(actions.test_job("Testbon", "default"))
    assert p.jobs[0].startswith(INIT) and b"Testbon" in p.jobs[0]


def test_a_wrong_profile_fails_the_test_before_any_port_is_opened():
    res = actions.test_print("serial:///dev/does-not-exist", "TM-NOPE", "Testbon")
    assert not res.ok and "'TM-NOPE' is not a python-escpos printer profile" in res.message


def test_a_printer_that_is_not_there_fails_the_test():
    res = actions.test_print("tcp://127.0.0.1:9", "TM-T20II", "Testbon", status_timeout=0.1)
    assert not res.ok and res.message
