"""The one place that maps a device URL to a driver class.

The table is closed: a URL scheme can only pick one of the classes listed here,
never import an arbitrary module named in config (see pyserial PR #295).
Each entry: (kind, scheme) -> "module:Class". The class is built with
`Class.from_url(url, **options)`.
"""
from __future__ import annotations

import importlib
from urllib.parse import urlsplit

_TABLE: dict[tuple[str, str], str] = {
    # physical smiley buttons: anything pyserial's serial_for_url opens, plus a simulator
    ("buttons", "serial"): "devices.buttons:SerialButtons",
    ("buttons", "loop"): "devices.buttons:SerialButtons",
    ("buttons", "socket"): "devices.buttons:SerialButtons",
    ("buttons", "rfc2217"): "devices.buttons:SerialButtons",
    ("buttons", "spy"): "devices.buttons:SerialButtons",
    ("buttons", "sim"): "devices.buttons:SimulatedButtons",
    # the tactile keypad of audio-guided mode: the input layer, serial bytes, or a simulator
    ("keypad", "hid"): "devices.keypad:HidKeypad",
    ("keypad", "serial"): "devices.keypad:SerialKeypad",
    ("keypad", "loop"): "devices.keypad:SerialKeypad",
    ("keypad", "socket"): "devices.keypad:SerialKeypad",
    ("keypad", "rfc2217"): "devices.keypad:SerialKeypad",
    ("keypad", "spy"): "devices.keypad:SerialKeypad",
    ("keypad", "sim"): "devices.keypad:SimulatedKeypad",
    # ticket printers (issue 3): python-escpos jobs over these transports
    ("printer", "dummy"): "devices.printer_basic:DummyPrinter",
    ("printer", "file"): "devices.printer_basic:FilePrinter",
    ("printer", "cups"): "devices.printer_basic:CupsPrinter",
    ("printer", "serial"): "devices.printer_serial:SerialPrinter",
    ("printer", "loop"): "devices.printer_serial:SerialPrinter",
    ("printer", "socket"): "devices.printer_serial:SerialPrinter",
    ("printer", "rfc2217"): "devices.printer_serial:SerialPrinter",
    ("printer", "spy"): "devices.printer_serial:SerialPrinter",
    ("printer", "tcp"): "devices.printer_net:TcpPrinter",
    ("printer", "usb"): "devices.printer_net:UsbPrinter",
    ("printer", "sim"): "devices.printer_sim:SimPrinter",
    # QR/barcode scanners
    ("scanner", "serial"): "devices.scanner:SerialScanner",
    ("scanner", "loop"): "devices.scanner:SerialScanner",
    ("scanner", "socket"): "devices.scanner:SerialScanner",
    ("scanner", "rfc2217"): "devices.scanner:SerialScanner",
    ("scanner", "spy"): "devices.scanner:SerialScanner",
    ("scanner", "sim"): "devices.scanner:SimScanner",
    # speech
    ("speech", "espeak"): "devices.speech:EspeakSpeech",
    ("speech", "dummy"): "devices.speech:DummySpeech",
}


class DeviceUrlError(ValueError):
    """A device URL that names no known driver; the message says which exist."""


def schemes(kind: str) -> list[str]:
    return sorted(s for k, s in _TABLE if k == kind)


def driver_class(kind: str, url: str):
    scheme = urlsplit(url).scheme.lower()
    if not scheme:
        raise DeviceUrlError(f"{kind} URL {url!r} has no scheme; use one of: "
                             + ", ".join(f"{s}://" for s in schemes(kind)))
    target = _TABLE.get((kind, scheme))
    if target is None:
        raise DeviceUrlError(f"{kind} URL {url!r}: unknown scheme '{scheme}://'; use one of: "
                             + ", ".join(f"{s}://" for s in schemes(kind)))
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)


def check_url(kind: str, url: str) -> None:
    """Raise DeviceUrlError or ValueError (saying what is wrong) for a URL its driver would
    refuse; opens nothing. Drivers that can check a URL early have a `check_url` classmethod."""
    check = getattr(driver_class(kind, url), "check_url", None)
    if check is not None:
        check(url)


def open_device(kind: str, url: str, **options):
    """Build the driver for `url`. Raises DeviceUrlError for an unknown scheme."""
    return driver_class(kind, url).from_url(url, **options)
