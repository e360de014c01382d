"""sd_notify and the watchdog: kiosk/watchdog.py against a real AF_UNIX datagram socket, and
the real app sending READY / WATCHDOG / STOPPING from its Kivy main loop - pings that stop
while the main loop is frozen, although the process is alive."""
import os
import signal
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from appliance_helpers import (NotifySocket, Proc, driver_argv, kiosk_argv,  # noqa: E402
                               kiosk_env)

from kiosk.watchdog import Watchdog  # noqa: E402

PING_USEC = 200_000  # WatchdogSec=0.2 s: pings every 0.1 s


@pytest.fixture
def abstract_socket():
    s = NotifySocket("\0kiosk-test-" + uuid.uuid4().hex)
    yield s
    s.close()


@pytest.fixture
def path_socket():
    d = tempfile.mkdtemp(prefix="kn-")  # short: AF_UNIX paths are limited to 107 bytes
    s = NotifySocket(os.path.join(d, "notify"))
    yield s
    s.close()
    os.unlink(s.address)
    os.rmdir(d)


# -- the module ------------------------------------------------------------------------

def test_no_notify_socket_is_a_no_op():
    wd = Watchdog.from_env({"WATCHDOG_USEC": "1000000"})
    assert not wd.enabled and wd.interval_s is None
    assert wd.ready() is False and wd.ping() is False and wd.stopping() is False


@pytest.mark.parametrize("env, interval", [
    ({"WATCHDOG_USEC": "30000000"}, 15.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 15.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # meant for another process
    ({"WATCHDOG_USEC": "0"}, None),
    ({"WATCHDOG_USEC": "soon"}, None),
    ({}, None),
])
def test_ping_interval_is_half_the_watchdog_time(env, interval):
    wd = Watchdog.from_env({"NOTIFY_SOCKET": "@x", **env})
    assert wd.enabled
    assert wd.interval_s == interval


def test_messages_reach_an_abstract_socket(abstract_socket):
    wd = Watchdog.from_env({"NOTIFY_SOCKET": abstract_socket.env_value})
    assert wd.ready("serving visitors")
    assert wd.ping()
    assert wd.status("printer: paper low")
    assert wd.stopping()
    assert abstract_socket.drain() == ["READY=1\nSTATUS=serving visitors", "WATCHDOG=1",
                                       "STATUS=printer: paper low", "STOPPING=1"]


def test_messages_reach_a_path_socket(path_socket):
    wd = Watchdog.from_env({"NOTIFY_SOCKET": path_socket.address})
    assert wd.ping()
    assert path_socket.recv(1) == "WATCHDOG=1"


def test_a_vanished_socket_never_raises(path_socket):
    wd = Watchdog.from_env({"NOTIFY_SOCKET": path_socket.address + "-gone"})
    assert wd.ping() is False
    assert wd.ping() is False
    assert wd.errors == 2


def test_status_text_stays_one_field(abstract_socket):
    wd = Watchdog.from_env({"NOTIFY_SOCKET": abstract_socket.env_value})
    wd.status("two\nlines")
    assert abstract_socket.recv(1) == "STATUS=two lines"


# -- the real app ------------------------------------------------------------------------

def test_app_sends_ready_pings_and_stopping(tmp_path, path_socket):
    env = kiosk_env(tmp_path, NOTIFY_SOCKET=path_socket.address, WATCHDOG_USEC=str(PING_USEC))
    proc = Proc(kiosk_argv("run", "--simulate"), env)
    try:
        before_ready = path_socket.wait_for("READY=1")
        assert all("WATCHDOG=1" in m or "READY=1" in m for m in before_ready)
        ready = before_ready[-1]
        assert "STATUS=serving visitors (feedback)" in ready.split("\n")
        for _ in range(3):
            assert path_socket.recv(30) == "WATCHDOG=1"
        assert proc.stop(signal.SIGTERM) == 0
    finally:
        proc.kill()
    rest = path_socket.drain()
    assert any("STOPPING=1" in m.split("\n") for m in rest), rest
    assert "kiosk stopped" in proc.output()
    assert "Traceback" not in proc.output()


def test_app_without_watchdog_sends_ready_but_no_pings(tmp_path, abstract_socket):
    env = kiosk_env(tmp_path, NOTIFY_SOCKET=abstract_socket.env_value)
    proc = Proc(kiosk_argv("run", "--simulate"), env)
    try:
        assert abstract_socket.wait_for("READY=1")[-1].startswith("READY=1")
        assert abstract_socket.recv(1.0) is None  # no WatchdogSec: nothing to ping
        assert proc.stop(signal.SIGTERM) == 0
    finally:
        proc.kill()
    assert abstract_socket.drain() == ["STOPPING=1\nSTATUS=stopping"]


def test_frozen_main_loop_stops_the_pings(tmp_path, abstract_socket):
    """The main loop blocks (a callback on the Kivy thread that does not return); the
    process lives on, but no WATCHDOG=1 arrives for many ping intervals, so systemd would
    restart it. When the loop runs again, the pings come back."""
    release = tmp_path / "release"
    env = kiosk_env(tmp_path, NOTIFY_SOCKET=abstract_socket.env_value,
                    WATCHDOG_USEC=str(PING_USEC))
    proc = Proc(driver_argv("freeze", str(release)), env)
    try:
        abstract_socket.wait_for("READY=1")
        assert abstract_socket.recv(30) == "WATCHDOG=1"  # pinging while the loop runs
        proc.wait_for("FREEZE begin")
        abstract_socket.drain()  # sent before the freeze began
        interval = PING_USEC / 2 / 1e6
        assert abstract_socket.recv(10 * interval) is None, "a ping arrived while frozen"
        assert proc.p.poll() is None, "the process must still be alive while frozen"
        release.touch()
        proc.wait_for("FREEZE end")
        assert abstract_socket.recv(30) == "WATCHDOG=1"
        assert proc.stop(signal.SIGTERM) == 0
    finally:
        proc.kill()
    assert "Traceback" not in proc.output()
