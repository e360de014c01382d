"""The audio keypad: serial bytes over loop:// and a pty, input events from a file and a
FIFO, the simulator; junk is named in the log and never stops the reader."""
import os
import time

import pytest

from devices.factory import DeviceUrlError, check_url, open_device
from devices.keypad import EV_KEY, EVENT, KEYS, HidKeypad, SimulatedKeypad, pack_event

EV_SYN, EV_MSC = 0x00, 0x04


def wait_for(pred, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def press(code):
    """What the kernel sends for one press and release of a key."""
    return (pack_event(EV_MSC, 4, 0x70000 + code) + pack_event(EV_KEY, code, 1)
            + pack_event(EV_SYN, 0, 0) + pack_event(EV_KEY, code, 0) + pack_event(EV_SYN, 0, 0))


# -- serial -------------------------------------------------------------------------------
def test_loop_every_key_and_junk_named(caplog):
    got = []
    dev = open_device("keypad", "loop://", on_key=got.append)
    try:
        dev.port.write(b"8\r\n25 0 79 46-+*" + b"A")
        assert wait_for(lambda: len(got) >= 11)
        time.sleep(0.1)
        assert got == ["up", "down", "select", "back", "repeat", "help", "rate_down",
                       "rate_up", "volume_down", "volume_up", "call_help"]
        assert sorted(set(got)) == sorted(KEYS)
        assert dev.unknown == 1
        assert "sent byte 0x41 ('A'), which is not a key here" in caplog.text
    finally:
        dev.close()


def test_loop_binary_junk_is_ignored():
    got = []
    dev = open_device("keypad", "loop://", on_key=got.append)
    try:
        dev.port.write(bytes(range(256)) + b"5")
        assert wait_for(lambda: got[-1:] == ["select"])
        # inside 0..255: * + - 0 2 4 5 6 7 8 9 are keys, the rest is junk
        assert len(got) == 12 and dev.unknown == 256 - 11 - 4  # CR LF space tab ignored
        assert dev._thread.is_alive()
    finally:
        dev.close()


def test_pty_keys_and_a_vanishing_port(caplog):
    master, slave = os.openpty()
    name = os.ttyname(slave)
    got = []
    dev = open_device("keypad", f"serial://{name}?baudrate=9600", on_key=got.append, reopen_s=0.1)
    try:
        time.sleep(0.1)
        os.write(master, b"82")
        assert wait_for(lambda: got == ["up", "down"])
        os.close(master)
        time.sleep(0.4)
        assert dev._thread.is_alive()
    finally:
        dev.close()
        os.close(slave)


# -- input layer --------------------------------------------------------------------------
def test_hid_file_of_input_events(tmp_path, caplog):
    f = tmp_path / "events"
    codes = [72, 80, 76, 96, 82, 14, 71, 73, 75, 77, 74, 78, 103, 108, 115, 114]
    data = b"".join(press(c) for c in codes)
    data += pack_event(EV_KEY, 72, 2)          # auto-repeat of a held 8: ignored
    data += press(30)                          # KEY_A: not a keypad key
    data += b"\x01\x02\x03"                    # a torn event at the end
    f.write_bytes(data)
    got = []
    dev = open_device("keypad", f"hid://{f}", on_key=got.append)
    try:
        assert wait_for(lambda: not dev._thread.is_alive())
        assert got == ["up", "down", "select", "select", "back", "back", "repeat", "help",
                       "rate_down", "rate_up", "volume_down", "volume_up", "up", "down",
                       "volume_up", "volume_down"]
        assert "sent key code 30, which is not a key here" in caplog.text
        assert "3 stray bytes at the end" in caplog.text
    finally:
        dev.close()


def test_hid_fifo_events_split_across_reads(tmp_path):
    fifo = tmp_path / "keypad"
    os.mkfifo(fifo)
    got = []
    dev = open_device("keypad", f"hid://{fifo}", on_key=got.append, reopen_s=0.1)
    w = os.open(fifo, os.O_WRONLY)
    try:
        event = press(72)
        os.write(w, event[:EVENT.size + 5])       # one and a bit events
        time.sleep(0.05)
        os.write(w, event[EVENT.size + 5:] + press(80))
        assert wait_for(lambda: got == ["up", "down"])
        os.close(w)                               # the writer goes: the reader waits for it
        w = None
        time.sleep(0.3)
        assert dev._thread.is_alive()
        w = os.open(fifo, os.O_WRONLY)
        os.write(w, press(76))
        assert wait_for(lambda: got == ["up", "down", "select"], timeout=5)
    finally:
        if w is not None:
            os.close(w)
        dev.close()


def test_hid_handler_errors_do_not_stop_the_reader(tmp_path, caplog):
    f = tmp_path / "events"
    f.write_bytes(press(72) + press(80))
    got = []

    def handler(key):
        got.append(key)
        raise RuntimeError("boom")
    dev = open_device("keypad", f"hid://{f}", on_key=handler)
    assert wait_for(lambda: not dev._thread.is_alive())
    dev.close()
    assert got == ["up", "down"] and "keypad handler failed" in caplog.text


def test_hid_missing_device_is_an_error_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_device("keypad", f"hid://{tmp_path}/nothing", on_key=lambda k: None)


@pytest.mark.parametrize("url,msg", [
    ("hid://dev/input/event3", "needs three slashes"),
    ("hid://", "names no input device"),
    ("hid:///dev/input/event3?grab=maybe", "grab must be 1 or 0"),
    ("hid:///dev/input/event3?speed=2", "unknown option 'speed'"),
    ("serial:///dev/ttyUSB0?baudrate=fast", "baudrate must be a number"),
    ("sim://?x=1", "unknown option 'x'"),
])
def test_bad_urls_are_named(url, msg):
    with pytest.raises(ValueError, match=msg):
        check_url("keypad", url)


def test_unknown_scheme_lists_the_keypad_schemes():
    with pytest.raises(DeviceUrlError, match="hid://.*sim://"):
        open_device("keypad", "usb://x", on_key=lambda k: None)


def test_hid_url_options():
    assert HidKeypad.check_url("hid:///dev/input/event3") == ("/dev/input/event3", True)
    assert HidKeypad.check_url("hid:///dev/input/by-id/usb-kp-event-kbd?grab=0") == \
        ("/dev/input/by-id/usb-kp-event-kbd", False)


def test_sim_keypad():
    got = []
    dev = open_device("keypad", "sim://", on_key=got.append)
    assert isinstance(dev, SimulatedKeypad)
    dev.press("down")
    dev.press("select")
    assert got == ["down", "select"] and dev.presses == ["down", "select"]
    with pytest.raises(ValueError, match="'left' is not a keypad key"):
        dev.press("left")


def test_config_names_a_bad_keypad_url_and_a_keypad_without_speech():
    from kiosk.config.loader import ConfigError
    from testkit import build_config
    with pytest.raises(ConfigError, match="devices.keypad.url: .*grab must be 1 or 0"):
        build_config([], devices={"keypad": {"url": "hid:///dev/input/event3?grab=2"},
                                  "speech": {"url": "dummy://"}})
    with pytest.raises(ConfigError, match="devices.keypad.url: a keypad is only useful with speech"):
        build_config([], devices={"keypad": {"url": "serial:///dev/ttyUSB1"}})
    cfg = build_config([], devices={"keypad": {"url": "hid:///dev/input/by-id/usb-kp-event-kbd"},
                                    "speech": {"url": "espeak://"}})
    assert cfg.devices.keypad.url.startswith("hid://")
    assert build_config([]).devices.keypad.url == ""
