"""Shared bits of the appliance tests: a real kiosk process with a clean environment,
and a real AF_UNIX datagram socket playing systemd's notify socket."""
import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("kiosk_driver.py")


def kiosk_env(tmp_path, **extra) -> dict:
    e = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIOSK_DATA_DIR=str(tmp_path / "data"),
             KIVY_HOME=str(tmp_path / "kivy"), KIVY_NO_ARGS="1", KIVY_LOG_MODE="PYTHON",
             KIOSK_LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    for k in ("KIOSK_CONFIG", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"):
        e.pop(k, None)
    e.update(extra)
    return e


class Proc:
    """A subprocess whose stdout+stderr lines are collected by a thread, so a test can
    wait for a line without blocking on a pipe."""

    def __init__(self, argv, env):
        self.p = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._done = False
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            with self._cv:
                self.lines.append(line)
                self._cv.notify_all()
        with self._cv:
            self._done = True
            self._cv.notify_all()

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                for line in self.lines:
                    if text in line:
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self._done:
                    raise AssertionError(f"{text!r} not seen; output:\n{self.output()[-4000:]}")
                self._cv.wait(min(left, 0.2))

    def output(self) -> str:
        return "".join(self.lines)

    def stop(self, sig, timeout: float = 30) -> int:
        if self.p.poll() is None:
            self.p.send_signal(sig)
        return self.p.wait(timeout)

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait(10)


def kiosk_argv(*args) -> list[str]:
    return [sys.executable, "-m", "screens", *args]


def driver_argv(*action, kiosk_args=("run", "--simulate")) -> list[str]:
    return [sys.executable, str(DRIVER), *action, "--", *kiosk_args]


class NotifySocket:
    """systemd's side of sd_notify: a bound AF_UNIX datagram socket."""

    def __init__(self, address: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.address = address

    @property
    def env_value(self) -> str:
        return "@" + self.address[1:] if self.address.startswith("\0") else self.address

    def recv(self, timeout: float) -> str | None:
        r, _, _ = select.select([self.sock], [], [], timeout)
        if not r:
            return None
        return self.sock.recv(4096).decode()

    def drain(self) -> list[str]:
        out = []
        while (msg := self.recv(0)) is not None:
            out.append(msg)
        return out

    def wait_for(self, field: str, timeout: float = 60) -> list[str]:
        """Messages up to and including the first one holding `field` (a whole line)."""
        got = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.recv(max(0.0, deadline - time.monotonic()))
            if msg is None:
                break
            got.append(msg)
            if field in msg.split("\n"):
                return got
        raise AssertionError(f"no {field} within {timeout} s; got {got}")

    def close(self):
        self.sock.close()
