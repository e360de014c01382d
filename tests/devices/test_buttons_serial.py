"""Physical buttons over loop:// and a pseudo-terminal: digits pass, junk is ignored."""
import os
import time

import pytest

from devices.factory import DeviceUrlError, open_device


def wait_for(pred, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def test_loop_digits_and_junk_ignored(caplog):
    got = []
    dev = open_device("buttons", "loop://", on_digit=got.append)
    try:
        dev.port.write(b"5\r\n\x00\xff garbage 1" + bytes(range(256)) + b"3")
        assert wait_for(lambda: len(got) >= 12)
        time.sleep(0.1)
        # 5, 1, then the digits 1..9 inside bytes(range(256)), then 3
        assert got == [5, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3]
        assert dev.garbage > 200
        assert "unexpected byte" in caplog.text
    finally:
        dev.close()


def test_pty_device_vanishing_is_survived(caplog):
    master, slave = os.openpty()
    name = os.ttyname(slave)
    got = []
    dev = open_device("buttons", f"serial://{name}?baudrate=9600", on_digit=got.append, reopen_s=0.1)
    try:
        time.sleep(0.1)
        os.write(master, b"4")
        assert wait_for(lambda: got == [4])
        os.close(master)  # the device vanishes: reads now fail
        time.sleep(0.5)
        assert dev._thread.is_alive()
    finally:
        dev.close()
        os.close(slave)


@pytest.mark.parametrize("url,msg", [
    ("bogus://x", "unknown scheme 'bogus://'"),
    ("/dev/ttyUSB0", "has no scheme"),
])
def test_unknown_urls_are_named(url, msg):
    with pytest.raises(DeviceUrlError, match=msg):
        open_device("buttons", url, on_digit=lambda d: None)


def test_bad_baudrate_is_named():
    with pytest.raises(ValueError, match="baudrate must be a number"):
        open_device("buttons", "serial:///dev/null?baudrate=fast", on_digit=lambda d: None)


def test_sim_buttons_press():
    got = []
    dev = open_device("buttons", "sim://", on_digit=got.append)
    dev.press(2)
    assert got == [2] and dev.presses == [2]
