"""The one parser for serial-device URLs (printer, scanner, buttons), and opening them.

  serial:///dev/ttyUSB0?baudrate=19200[&bytesize=8&parity=N&stopbits=1&xonxoff=0&rtscts=0]
  loop://[?logging=debug]                  pyserial's loop-back (tests: what is written is read)
  socket://host:port                       a raw TCP port (ser2net, a test server)
  rfc2217://host:port[?timeout=3...]       a telnet COM-port server
  spy:///dev/ttyUSB0[?file=/tmp/log]       wraps a port and logs the traffic
  sim://[?option=value]                    only for drivers with a simulator (`sim=True`)

`parse_serial_url(url, kind, baudrate=..., options=(...))` returns a `SerialUrl`: `port` is
what `serial.serial_for_url` opens (our options removed), `baudrate` and `settings` are typed
line settings, `options` the driver's own (e.g. the printer's `status=0`). Every problem is a
`SerialUrlError` (a ValueError) naming the device kind, the URL and what is wrong with it.
The line settings may be given on every scheme; pyserial's own options of loop://,
socket://, rfc2217:// and spy:// are checked here and passed through as written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

SCHEMES = ("serial", "loop", "socket", "rfc2217", "spy")
# pyserial's own options per URL handler (serial/urlhandler/protocol_*.py, serial/rfc2217.py)
PYSERIAL_OPTIONS = {
    "serial": (),
    "loop": ("logging",),
    "socket": ("logging",),
    "rfc2217": ("logging", "ign_set_control", "poll_modem", "timeout"),
    "spy": ("file", "color", "raw", "all"),
}
LINE_SETTINGS = ("baudrate", "bytesize", "parity", "stopbits", "xonxoff", "rtscts", "dsrdtr")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class SerialUrlError(ValueError):
    """A serial URL that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class SerialUrl:
    url: str
    scheme: str
    port: str                        # for serial_for_url ('' for sim://)
    baudrate: int
    settings: dict = field(default_factory=dict)   # bytesize, parity, ... as pyserial wants them
    options: dict = field(default_factory=dict)    # the driver's own options, as strings
    kind: str = "serial"

    @property
    def simulated(self) -> bool:
        return self.scheme == "sim"

    def flag(self, name: str, default: bool) -> bool:
        """A yes/no option of the driver (1/0, true/false, yes/no, on/off)."""
        value = self.options.get(name)
        if value is None or value == "":
            return default
        return _boolean(self, name, value)

    def number(self, name: str, default: int) -> int:
        """A whole-number option of the driver."""
        value = self.options.get(name)
        if value is None or value == "":
            return default
        if not value.isdigit():
            raise self.error(f"{name} must be a whole number (got {value!r})")
        return int(value)

    def error(self, what: str) -> SerialUrlError:
        return SerialUrlError(f"{self.kind} URL {self.url!r}: {what}")

    def open(self, **kwargs):
        """`serial.serial_for_url` on this URL; kwargs (timeout, ...) win over the URL."""
        import serial  # pyserial: only when a serial device is really opened
        if self.simulated:
            raise self.error("sim:// is not a serial port")
        args = {"baudrate": self.baudrate, **self.settings, **kwargs}
        return serial.serial_for_url(self.port, **args)


def _boolean(u: SerialUrl, name: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise u.error(f"{name} must be 1 or 0 (got {value!r})")


def _settings(u: SerialUrl, given: dict[str, str]) -> tuple[int, dict]:
    baud = u.baudrate
    if "baudrate" in given:
        v = given["baudrate"]
        if not v.isdigit() or int(v) <= 0:
            raise u.error(f"baudrate must be a number, e.g. 9600 (got {v!r})")
        baud = int(v)
    out: dict = {}
    if "bytesize" in given:
        if given["bytesize"] not in ("5", "6", "7", "8"):
            raise u.error(f"bytesize must be 5, 6, 7 or 8 (got {given['bytesize']!r})")
        out["bytesize"] = int(given["bytesize"])
    if "parity" in given:
        if given["parity"].upper() not in ("N", "E", "O", "M", "S"):
            raise u.error(f"parity must be N, E, O, M or S (got {given['parity']!r})")
        out["parity"] = given["parity"].upper()
    if "stopbits" in given:
        stops = {"1": 1, "1.5": 1.5, "2": 2}
        if given["stopbits"] not in stops:
            raise u.error(f"stopbits must be 1, 1.5 or 2 (got {given['stopbits']!r})")
        out["stopbits"] = stops[given["stopbits"]]
    for name in ("xonxoff", "rtscts", "dsrdtr"):
        if name in given:
            out[name] = _boolean(u, name, given[name])
    return baud, out


def _host_port(u: SerialUrl, netloc: str) -> None:
    host, _, port = netloc.rpartition(":")
    example = f"{u.scheme}://192.0.2.10:4001"
    if not host or not port:
        raise u.error(f"needs a host and a port, e.g. {example}")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise u.error(f"port must be a number from 1 to 65535 (got {port!r})")


def parse_serial_url(url: str, kind: str = "serial", *, baudrate: int = 9600,
                     options: tuple[str, ...] = (), sim: bool = False) -> SerialUrl:
    """Check a serial URL and split it into what pyserial opens and what the driver reads.

    `baudrate`: the default when the URL gives none. `options`: the driver's own query
    options (taken out before pyserial sees the URL). `sim`: whether sim:// is allowed."""
    if not isinstance(url, str) or not url.strip():
        raise SerialUrlError(f"{kind} URL is empty; e.g. serial:///dev/ttyUSB0?baudrate={baudrate}")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    allowed = SCHEMES + (("sim",) if sim else ())
    u = SerialUrl(url, scheme, "", baudrate, kind=kind)
    if "://" not in url:
        raise u.error("has no scheme; use one of: " + ", ".join(f"{s}://" for s in allowed))
    if scheme not in allowed:
        raise u.error(f"unknown scheme '{scheme}://'; use one of: "
                      + ", ".join(f"{s}://" for s in allowed))
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in pairs if k in options}
    if scheme == "sim":
        unknown = [k for k, _ in pairs if k not in options]
        if unknown:
            raise u.error(f"unknown option {unknown[0]!r}; sim:// takes: "
                          + (", ".join(options) or "no options"))
        return SerialUrl(url, scheme, "", baudrate, {}, ours, kind)
    passthrough = PYSERIAL_OPTIONS[scheme]
    for k, _ in pairs:
        if k not in LINE_SETTINGS and k not in options and k not in passthrough:
            known = LINE_SETTINGS + tuple(options) + passthrough
            raise u.error(f"unknown option {k!r}; {scheme}:// takes: " + ", ".join(known))
    baud, settings = _settings(u, {k: v for k, v in pairs if k in LINE_SETTINGS})
    if scheme == "serial":
        if parts.netloc:
            raise u.error(f"a local port needs three slashes: serial:///{parts.netloc}{parts.path}")
        if not parts.path or parts.path == "/":
            raise u.error("has no port; use serial:///dev/ttyUSB0")
        port = parts.path
    else:
        if scheme in ("socket", "rfc2217"):
            _host_port(u, parts.netloc)
        if scheme == "spy" and not (parts.netloc or parts.path.strip("/")):
            raise u.error("names no port to watch; use spy:///dev/ttyUSB0")
        # pyserial's options kept exactly as written (spy's `color` has no value)
        keep = [seg for seg in parts.query.split("&") if seg and seg.split("=", 1)[0] in passthrough]
        base = url.strip().split("?", 1)[0]
        port = f"{base}?{'&'.join(keep)}" if keep else base
    return SerialUrl(url, scheme, port, baud, settings, ours, kind)
