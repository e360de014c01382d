"""A tactile keypad for audio-guided mode: ten keys, each handed to a callback by name.

Keys: up, down, select, back, repeat, help, volume_up, volume_down, rate_up, rate_down,
call_help (ask for a person: the screens' "Hulp nodig?" button).

URLs:
  hid:///dev/input/event3                       a USB HID keypad read from the Linux input layer
  hid:///dev/input/by-id/usb-...-event-kbd      (the by-id name survives re-plugging)
      [?grab=0]  by default the keypad is grabbed (EVIOCGRAB) so its keys reach only us,
                 never the app's window as typed digits; grab=0 leaves it shared.
  serial:///dev/ttyUSB0?baudrate=9600, loop://, socket://host:port, rfc2217://, spy://...
      (devices/serial_url.py, opened with pyserial's serial_for_url): one byte per key.
  sim://                                        in-process simulator: `press("down")`.

Key mapping on the input layer (a numeric keypad; the kernel sends the keypad codes whatever
Num Lock says). Only a press counts: releases and auto-repeat of a held key are ignored, so a
key held down never races through a list.

  key          numeric keypad           also
  up           8                        arrow up
  down         2                        arrow down
  select       5, Enter                 Enter, Space
  back         0                        Backspace, Esc
  repeat       7
  help         9                        Help
  rate_down    4 (slower)
  rate_up      6 (faster)
  volume_down  - (minus)                Volume down
  volume_up    + (plus)                 Volume up
  call_help    * (asterisk)

Serial protocol: one ASCII byte per key press, the same characters as the keypad's keys:
"8" up, "2" down, "5" select, "0" back, "7" repeat, "9" help, "4" slower, "6" faster,
"-" quieter, "+" louder, "*" call a person. CR, LF, space and tab are ignored. Any other byte, or a key code
without a meaning here, is logged with the byte or code it was (rate-limited) and ignored;
nothing a keypad sends can stop the reader. If the port or input device vanishes (USB
unplugged) the reader logs it once and tries to reopen it every `reopen_s` seconds; a
regular file (tests, replays) is read to its end once.

Options: on_key (callback with the key's name, called on the reader thread), reopen_s
(default 3).
"""
from __future__ import annotations

import errno
import logging
import os
import select
import stat
import struct
import threading
import time
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from devices.port_reader import PortReader
from devices.serial_url import parse_serial_url

log = logging.getLogger(__name__)

KEYS = ("up", "down", "select", "back", "repeat", "help",
        "volume_up", "volume_down", "rate_up", "rate_down", "call_help")

# Linux input layer (linux/input-event-codes.h)
EV_KEY = 0x01
PRESS = 1            # 0 = release, 2 = auto-repeat
KEY_CODES = {
    72: "up", 103: "up",                       # KEY_KP8, KEY_UP
    80: "down", 108: "down",                   # KEY_KP2, KEY_DOWN
    76: "select", 96: "select", 28: "select", 57: "select",   # KP5, KPENTER, ENTER, SPACE
    82: "back", 14: "back", 1: "back",         # KEY_KP0, KEY_BACKSPACE, KEY_ESC
    71: "repeat",                              # KEY_KP7
    73: "help", 138: "help",                   # KEY_KP9, KEY_HELP
    75: "rate_down",                           # KEY_KP4
    77: "rate_up",                             # KEY_KP6
    74: "volume_down", 114: "volume_down",     # KEY_KPMINUS, KEY_VOLUMEDOWN
    78: "volume_up", 115: "volume_up",         # KEY_KPPLUS, KEY_VOLUMEUP
    55: "call_help",                           # KEY_KPASTERISK
}
# struct input_event: struct timeval (two C longs), __u16 type, __u16 code, __s32 value;
# 24 bytes on a 64-bit system, 16 on a 32-bit one (the kernel's own layout either way)
EVENT = struct.Struct("llHHi")
EVIOCGRAB = 0x40044590   # _IOW('E', 0x90, int)

SERIAL_BYTES = {ord("8"): "up", ord("2"): "down", ord("5"): "select", ord("0"): "back",
                ord("7"): "repeat", ord("9"): "help", ord("4"): "rate_down",
                ord("6"): "rate_up", ord("-"): "volume_down", ord("+"): "volume_up",
                ord("*"): "call_help"}
IGNORED = b"\r\n \t"


class _Reader:
    """What both real keypads share: the reader thread, the callback, rate-limited warnings."""

    name = "keypad"

    def __init__(self, url: str, on_key: Callable[[str], None], reopen_s: float):
        self.url = url
        self.on_key = on_key
        self.reopen_s = reopen_s
        self.unknown = 0           # bytes or key codes that meant nothing
        self._last_warn = -1e9
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="keypad", daemon=True)

    def _key(self, key: str) -> None:
        try:
            self.on_key(key)
        except Exception:  # noqa: BLE001 - a handler bug must not stop the keypad
            log.exception("keypad handler failed on %r", key)

    def _unknown(self, what: str) -> None:
        self.unknown += 1
        now = time.monotonic()
        if now - self._last_warn > 10:
            self._last_warn = now
            log.warning("keypad at %s sent %s, which is not a key here (ignored; %d so far)",
                        self.url, what, self.unknown)

    def _run(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        self._release()

    def _release(self) -> None:
        pass


class SerialKeypad(_Reader):
    def __init__(self, url: str, on_key: Callable[[str], None], reopen_s: float = 3.0):
        super().__init__(url, on_key, reopen_s)
        self.link = self.check_url(url)
        self.reader = PortReader(self.link, url, "keypad", self.feed_byte, reopen_s)
        self._thread = self.reader._thread   # the reader thread (tests look at it)

    @property
    def port(self):
        return self.reader.port

    @classmethod
    def check_url(cls, url: str):
        return parse_serial_url(url, "keypad", baudrate=9600)

    @classmethod
    def from_url(cls, url: str, **options) -> "SerialKeypad":
        return cls(url, **options)

    def feed_byte(self, b: int) -> None:
        key = SERIAL_BYTES.get(b)
        if key is not None:
            self._key(key)
        elif bytes([b]) not in IGNORED:
            shown = f" ({chr(b)!r})" if 0x20 < b < 0x7f else ""
            self._unknown(f"byte 0x{b:02x}{shown}")

    def close(self) -> None:
        self.reader.close()


class HidKeypad(_Reader):
    """A keypad on the Linux input layer: struct input_event records from an evdev node."""

    def __init__(self, url: str, on_key: Callable[[str], None], reopen_s: float = 3.0):
        super().__init__(url, on_key, reopen_s)
        self.path, self.grab = self.check_url(url)
        self.fd: int | None = None
        self._pending = b""
        self._open()
        self._thread.start()

    @classmethod
    def check_url(cls, url: str) -> tuple[str, bool]:
        parts = urlsplit(url.strip())
        if parts.netloc:
            raise ValueError(f"keypad URL {url!r}: a device path needs three slashes: "
                             f"hid:///{parts.netloc}{parts.path}")
        if not parts.path or parts.path == "/":
            raise ValueError(f"keypad URL {url!r}: names no input device; e.g. "
                             "hid:///dev/input/event3 or hid:///dev/input/by-id/...-event-kbd")
        grab = True
        for k, v in parse_qsl(parts.query, keep_blank_values=True):
            if k != "grab":
                raise ValueError(f"keypad URL {url!r}: unknown option {k!r}; hid:// takes: grab")
            if v not in ("0", "1"):
                raise ValueError(f"keypad URL {url!r}: grab must be 1 or 0 (got {v!r})")
            grab = v == "1"
        return parts.path, grab

    @classmethod
    def from_url(cls, url: str, **options) -> "HidKeypad":
        return cls(url, **options)

    def _open(self) -> None:
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self.regular = stat.S_ISREG(os.fstat(fd).st_mode)
        if self.grab and stat.S_ISCHR(os.fstat(fd).st_mode):
            import fcntl
            try:
                fcntl.ioctl(fd, EVIOCGRAB, 1)
            except OSError as e:
                log.warning("keypad at %s: cannot take it for this app alone (%s); its keys may "
                            "also reach the window", self.url, e)
        self.fd = fd
        self._pending = b""

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.fd is None:
                    self._open()
                    log.info("keypad at %s is back", self.url)
                ready, _, _ = select.select([self.fd], [], [], 0.2)
                if not ready:
                    continue
                data = os.read(self.fd, EVENT.size * 64)
            except BlockingIOError:
                continue
            except OSError as e:
                if self._stop.is_set():
                    return
                gone = "is gone" if e.errno == errno.ENODEV else str(e)
                log.warning("keypad at %s: %s; retrying in %.0f s", self.url, gone, self.reopen_s)
                self._release()
                self._stop.wait(self.reopen_s)
                continue
            if not data:
                if self._pending:
                    log.warning("keypad at %s: %d stray bytes at the end, not a whole input "
                                "event (%d bytes); ignored", self.url, len(self._pending),
                                EVENT.size)
                    self._pending = b""
                if self.regular:       # a file is read once, to its end
                    log.info("keypad at %s: end of file", self.url)
                    return
                log.warning("keypad at %s closed; retrying in %.0f s", self.url, self.reopen_s)
                self._release()
                self._stop.wait(self.reopen_s)
                continue
            self.feed(data)

    def feed(self, data: bytes) -> None:
        """Whole input events from `data` (a partial one waits for the rest)."""
        buf = self._pending + data
        whole = len(buf) - len(buf) % EVENT.size
        self._pending = buf[whole:]
        for _sec, _usec, type_, code, value in EVENT.iter_unpack(buf[:whole]):
            self.feed_event(type_, code, value)

    def feed_event(self, type_: int, code: int, value: int) -> None:
        if type_ != EV_KEY or value != PRESS:
            return                 # sync, scan codes, LEDs, releases, auto-repeat
        key = KEY_CODES.get(code)
        if key is None:
            self._unknown(f"key code {code}")
        else:
            self._key(key)

    def _release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


# Simulate mode (`make run`): the computer's keyboard plays the keypad. Keys by the window's
# key codes (SDL): arrows up/down, Enter (and the numeric keypad's) or Space select, Backspace
# back, F1 help, F2 repeat, F3 slower, F4 faster, - quieter, + louder, F5 call a person. Escape is left alone
# (it closes a development window).
SIM_KEYBOARD = {273: "up", 274: "down", 13: "select", 271: "select", 32: "select", 8: "back",
                282: "help", 283: "repeat", 284: "rate_down", 285: "rate_up",
                45: "volume_down", 269: "volume_down", 43: "volume_up", 270: "volume_up",
                286: "call_help"}


class SimulatedKeypad:
    """sim:// - presses come from `press(key)` (tests, and simulate mode's keyboard:
    SIM_KEYBOARD)."""

    def __init__(self, url: str, on_key: Callable[[str], None]):
        self.url = url
        self.on_key = on_key
        self.presses: list[str] = []

    @classmethod
    def check_url(cls, url: str):
        return parse_serial_url(url, "keypad", sim=True)

    @classmethod
    def from_url(cls, url: str, **options) -> "SimulatedKeypad":
        cls.check_url(url)
        return cls(url, **options)

    def keyboard(self, keycode: int) -> bool:
        """A key of the computer's keyboard in simulate mode: pressed when it plays a keypad
        key (SIM_KEYBOARD); returns whether it did."""
        key = SIM_KEYBOARD.get(keycode)
        if key is None:
            return False
        self.press(key)
        return True

    def press(self, key: str) -> None:
        if key not in KEYS:
            raise ValueError(f"{key!r} is not a keypad key; keys: {', '.join(KEYS)}")
        self.presses.append(key)
        del self.presses[:-50]  # the last presses only: a simulated kiosk runs for months
        self.on_key(key)

    def close(self) -> None:
        pass


def pack_event(type_: int, code: int, value: int, sec: int = 0, usec: int = 0) -> bytes:
    """One struct input_event as the kernel writes it (tests and replays)."""
    return EVENT.pack(sec, usec, type_, code, value)
