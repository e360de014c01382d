"""Scanner input that is not clean: binary junk, 10 KB lines, partial lines, CR/LF
variants, and the device vanishing. Logged and ignored, never a crash."""
import logging
import os
import threading
import time

import pytest

from devices.factory import open_device
from devices.scanner import LineAssembler, SerialScanner, SimScanner, WedgeBuffer


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


@pytest.mark.parametrize("chunks,codes", [
    ([b"APPT-12345\r\n"], ["APPT-12345"]),
    ([b"APPT-12345\n"], ["APPT-12345"]),
    ([b"APPT-12345\r"], ["APPT-12345"]),
    ([b"AB", b"CD-1", b"234\r\n"], ["ABCD-1234"]),                 # partial lines join
    ([b"ONE\r\nTWO\r\n"], ["ONE", "TWO"]),                         # two in one read
    ([b"\r\n\r\n\n"], []),                                         # empty lines: nothing
    ([b"\x00\xff\xfeAB\x1b[2JCD\x07\r\n"], ["AB[2JCD"]),           # control/binary bytes dropped
    ([bytes(range(256)) + b"\n"], [bytes(range(0x20, 0x7F)).decode()[:256]]),
    ([b"caf\xc3\xa9\n"], ["caf"]),                                 # non-ASCII dropped
])
def test_line_assembler_table(chunks, codes):
    la = LineAssembler()
    got = []
    for c in chunks:
        got += la.feed(c)
    assert got == codes


def test_ten_kilobyte_line_is_thrown_away_whole_and_the_next_code_works(caplog):
    la = LineAssembler(max_len=256)
    with caplog.at_level(logging.WARNING, logger="devices.scanner"):
        assert la.feed(b"X" * 10_240) == []
        assert la.feed(b"Y" * 100 + b"\r\n") == []     # the tail of the same long line
        assert la.feed(b"GOOD-1234\r\n") == ["GOOD-1234"]
    assert la.dropped_lines == 1
    assert "longer than 256 bytes ignored" in caplog.text


def test_stale_partial_line_is_discarded():
    clock = Clock()
    la = LineAssembler(idle_s=1.0, clock=clock)
    assert la.feed(b"HALF-") == []
    clock.t = 5.0
    assert la.feed(b"ABCD-1234\n") == ["ABCD-1234"]    # not "HALF-ABCD-1234"


def test_partial_line_within_idle_time_is_kept():
    clock = Clock()
    la = LineAssembler(idle_s=1.0, clock=clock)
    la.feed(b"ABCD-")
    clock.t = 0.3
    assert la.feed(b"1234\n") == ["ABCD-1234"]


def test_wedge_buffer_keypad_and_usb_scanner():
    w = WedgeBuffer(max_len=12)
    for ch in "abcd-12345\t":
        w.key(ch)
    w.backspace()
    assert w.text == "abcd-1234"
    assert w.enter() == "abcd-1234" and w.text == ""
    assert w.enter() is None
    for ch in "X" * 50:
        w.key(ch)
    assert w.text == "X" * 12
    w.key("ab")      # not one key
    w.key("\x1b")    # escape
    assert w.text == "X" * 12


def collect():
    got = []
    ev = threading.Event()

    def on_code(code):
        got.append(code)
        ev.set()
    return got, ev, on_code


def wait_for(pred, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def test_serial_scanner_on_loop_url():
    got, ev, on_code = collect()
    sc = open_device("scanner", "loop://?baudrate=9600")
    assert isinstance(sc, SerialScanner) and sc.port == "loop://"
    sc.start(on_code)
    assert wait_for(lambda: sc.ser is not None)
    sc.lines.idle_s = 0.05
    sc.ser.write(b"\xff\x00junk")          # junk without a line end, then a real scan
    time.sleep(0.3)                        # the junk goes stale
    sc.ser.write(b"ABCD-1234\r\n")
    assert wait_for(lambda: got == ["ABCD-1234"]), got
    sc.stop()


def test_serial_scanner_on_a_pty_survives_the_device_vanishing(caplog):
    master, slave = os.openpty()
    name = os.ttyname(slave)
    got, ev, on_code = collect()
    sc = SerialScanner.from_url(f"serial://{name}?baudrate=9600", reopen_s=0.05)
    with caplog.at_level(logging.WARNING, logger="devices.scanner"):
        sc.start(on_code)
        assert wait_for(lambda: sc.ser is not None)
        time.sleep(0.1)
        os.write(master, b"FIRS-T123\r\n")
        assert wait_for(lambda: got == ["FIRS-T123"]), got
        os.close(master)      # the scanner is unplugged
        os.close(slave)
        assert wait_for(lambda: sc.errors >= 1)
        assert sc._thread.is_alive()       # still running, retrying
    assert "retrying" in caplog.text
    sc.stop()
    assert not sc._thread.is_alive()


def test_handler_exception_does_not_stop_the_reader(caplog):
    calls = []

    def bad(code):
        calls.append(code)
        raise RuntimeError("screen bug")
    sc = SimScanner()
    sc.start(bad)
    sc.inject("ONE\n")
    sc.inject("TWO\n")
    assert wait_for(lambda: calls == ["ONE", "TWO"]), calls
    sc.stop()


def test_sim_scanner_from_a_local_socket():
    import socket
    got, ev, on_code = collect()
    sc = open_device("scanner", "sim://")
    sc.start(on_code)
    with socket.create_connection(("127.0.0.1", sc.port)) as s:
        s.sendall(b"ABCD-")
        time.sleep(0.05)
        s.sendall(b"5678\n" + b"\x00" * 20 + b"Z" * 10_000 + b"\nEFGH-0001\n")
        assert wait_for(lambda: got == ["ABCD-5678", "EFGH-0001"]), got
    sc.stop()


def test_bad_scanner_urls():
    with pytest.raises(ValueError, match="has no port"):
        open_device("scanner", "serial://")
    with pytest.raises(ValueError, match="baudrate must be a number"):
        open_device("scanner", "serial:///dev/ttyACM0?baudrate=x")


def test_missing_port_is_retried_not_fatal(caplog):
    sc = SerialScanner.from_url("serial:///dev/no-such-scanner", reopen_s=0.02)
    with caplog.at_level(logging.WARNING, logger="devices.scanner"):
        sc.start(lambda code: None)
        assert wait_for(lambda: sc.errors >= 2)
    sc.stop()
    assert "no-such-scanner" in caplog.text
