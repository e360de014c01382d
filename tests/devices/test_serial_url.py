"""devices/serial_url.py: one parser for the serial URLs of the printer, scanner and buttons."""
import pytest

from devices.factory import open_device
from devices.serial_url import SerialUrlError, parse_serial_url


@pytest.mark.parametrize("url,kw,port,baud,settings,options", [
    ("serial:///dev/ttyUSB0", {}, "/dev/ttyUSB0", 9600, {}, {}),
    ("serial:///dev/ttyUSB0?baudrate=19200", {}, "/dev/ttyUSB0", 19200, {}, {}),
    ("serial:///dev/ttyUSB0", {"baudrate": 19200}, "/dev/ttyUSB0", 19200, {}, {}),
    ("serial:///dev/ttyS0?baudrate=115200&bytesize=7&parity=e&stopbits=2&rtscts=1&xonxoff=no",
     {}, "/dev/ttyS0", 115200,
     {"bytesize": 7, "parity": "E", "stopbits": 2, "rtscts": True, "xonxoff": False}, {}),
    ("serial:///dev/ttyS0?stopbits=1.5", {}, "/dev/ttyS0", 9600, {"stopbits": 1.5}, {}),
    ("serial:///dev/ttyUSB0?baudrate=19200&status=0", {"options": ("status",)},
     "/dev/ttyUSB0", 19200, {}, {"status": "0"}),
    ("loop://", {}, "loop://", 9600, {}, {}),
    ("loop://?baudrate=9600", {}, "loop://", 9600, {}, {}),
    ("loop://?status=0&logging=debug", {"options": ("status",)}, "loop://?logging=debug",
     9600, {}, {"status": "0"}),
    ("socket://127.0.0.1:4000", {}, "socket://127.0.0.1:4000", 9600, {}, {}),
    ("socket://printer.local:4001?baudrate=19200", {}, "socket://printer.local:4001", 19200, {}, {}),
    ("rfc2217://192.0.2.5:2217?ign_set_control&timeout=3", {},
     "rfc2217://192.0.2.5:2217?ign_set_control&timeout=3", 9600, {}, {}),
    ("spy:///dev/ttyUSB0?file=/tmp/spy.txt&color&baudrate=19200", {},
     "spy:///dev/ttyUSB0?file=/tmp/spy.txt&color", 19200, {}, {}),
    ("spy://loop://", {}, "spy://loop://", 9600, {}, {}),
    ("sim://", {"sim": True}, "", 9600, {}, {}),
    ("sim://?dir=/tmp/p", {"sim": True, "options": ("dir",)}, "", 9600, {}, {"dir": "/tmp/p"}),
])
def test_good_urls(url, kw, port, baud, settings, options):
    u = parse_serial_url(url, "printer", **kw)
    assert (u.port, u.baudrate, u.settings, u.options) == (port, baud, settings, options)
    assert u.scheme == url.split("://")[0]


@pytest.mark.parametrize("url,kw,message", [
    ("", {}, "printer URL is empty"),
    ("/dev/ttyUSB0", {}, "has no scheme; use one of: serial://, loop://"),
    ("lpt://1", {}, "unknown scheme 'lpt://'"),
    ("sim://", {}, "unknown scheme 'sim://'"),            # only where a simulator exists
    ("serial://", {}, "has no port; use serial:///dev/ttyUSB0"),
    ("serial://?baudrate=19200", {}, "has no port"),
    ("serial://dev/ttyUSB0", {}, "three slashes: serial:///dev/ttyUSB0"),
    ("serial:///dev/ttyUSB0?baudrate=fast", {}, "baudrate must be a number, e.g. 9600 (got 'fast')"),
    ("serial:///dev/ttyUSB0?baudrate=0", {}, "baudrate must be a number"),
    ("serial:///dev/ttyUSB0?baudrate=-9600", {}, "baudrate must be a number"),
    ("serial:///dev/ttyUSB0?bytesize=9", {}, "bytesize must be 5, 6, 7 or 8 (got '9')"),
    ("serial:///dev/ttyUSB0?parity=X", {}, "parity must be N, E, O, M or S"),
    ("serial:///dev/ttyUSB0?stopbits=3", {}, "stopbits must be 1, 1.5 or 2"),
    ("serial:///dev/ttyUSB0?rtscts=maybe", {}, "rtscts must be 1 or 0 (got 'maybe')"),
    ("serial:///dev/ttyUSB0?baud=9600", {}, "unknown option 'baud'; serial:// takes: baudrate"),
    ("serial:///dev/ttyUSB0?status=0", {}, "unknown option 'status'"),  # not this driver's
    ("loop://?logging=debug&colour=1", {}, "unknown option 'colour'; loop:// takes:"),
    ("socket://", {}, "needs a host and a port, e.g. socket://192.0.2.10:4001"),
    ("socket://127.0.0.1", {}, "needs a host and a port"),
    ("socket://127.0.0.1:port", {}, "port must be a number from 1 to 65535 (got 'port')"),
    ("socket://127.0.0.1:70000", {}, "port must be a number from 1 to 65535"),
    ("rfc2217://:2217", {}, "needs a host and a port"),
    ("spy://", {}, "names no port to watch"),
    ("sim://?speed=3", {"sim": True, "options": ("dir",)}, "unknown option 'speed'; sim:// takes: dir"),
])
def test_bad_urls_say_what_is_wrong(url, kw, message):
    with pytest.raises(SerialUrlError) as e:
        parse_serial_url(url, "printer", **kw)
    assert message in str(e.value)
    assert isinstance(e.value, ValueError)
    if url:
        assert f"printer URL {url!r}" in str(e.value)   # names the device and the URL


def test_own_options_as_flags_and_numbers():
    u = parse_serial_url("loop://?status=off&port=4001", options=("status", "port"))
    assert u.flag("status", True) is False and u.flag("other", True) is True
    assert u.number("port", 0) == 4001 and u.number("missing", 7) == 7
    with pytest.raises(SerialUrlError, match="status must be 1 or 0"):
        parse_serial_url("loop://?status=perhaps", options=("status",)).flag("status", True)
    with pytest.raises(SerialUrlError, match="port must be a whole number"):
        parse_serial_url("sim://?port=x", "scanner", options=("port",), sim=True).number("port", 0)


def test_open_uses_serial_for_url_with_the_settings():
    port = parse_serial_url("loop://?baudrate=19200&bytesize=7&parity=E").open(timeout=0.1)
    try:
        assert (port.baudrate, port.bytesize, port.parity, port.timeout) == (19200, 7, "E", 0.1)
        port.write(b"PING\n")
        assert port.readline() == b"PING\n"       # loop:// hands back what was written
    finally:
        port.close()


def test_sim_is_not_opened_as_a_port():
    with pytest.raises(SerialUrlError, match="not a serial port"):
        parse_serial_url("sim://", sim=True).open()


@pytest.mark.parametrize("kind,extra", [
    ("printer", {}), ("scanner", {}), ("buttons", {"on_digit": lambda d: None}),
])
def test_every_serial_driver_uses_the_same_parser(kind, extra):
    for url, message in (("serial://", "has no port"),
                         ("serial:///dev/ttyUSB0?baudrate=fast", "baudrate must be a number"),
                         ("socket://127.0.0.1:nope", "port must be a number"),
                         ("serial:///dev/ttyUSB0?parity=Q", "parity must be")):
        with pytest.raises(SerialUrlError) as e:
            open_device(kind, url, **extra)
        assert message in str(e.value) and str(e.value).startswith(f"{kind} URL ")


def test_drivers_keep_the_parsed_link():
    printer = open_device("printer", "loop://?baudrate=38400&status=0")
    scanner = open_device("scanner", "loop://?baudrate=4800")
    assert (printer.port, printer.baudrate, printer.answers_status) == ("loop://", 38400, False)
    assert (scanner.port, scanner.baudrate) == ("loop://", 4800)
    assert open_device("printer", "serial:///dev/ttyS1").baudrate == 19200   # printer default
    assert open_device("scanner", "serial:///dev/ttyS1").baudrate == 9600    # scanner default
    buttons = open_device("buttons", "loop://?baudrate=2400", on_digit=lambda d: None)
    try:
        assert buttons.port.baudrate == 2400
    finally:
        buttons.close()
    printer.close()


def test_check_url_finds_the_fault_without_opening_anything():
    from devices.factory import check_url
    check_url("printer", "serial:///dev/no-such-port?baudrate=19200&status=0")   # not opened
    check_url("scanner", "sim://?port=4001")
    check_url("buttons", "loop://")
    check_url("printer", "tcp://192.0.2.1:9100")          # no check for this driver: fine
    for kind, url, message in (("printer", "sim://?speed=2", "unknown option 'speed'"),
                               ("scanner", "sim://?port=x", "port must be a whole number"),
                               ("buttons", "serial:///dev/ttyUSB0?parity=Z", "parity must be")):
        with pytest.raises(SerialUrlError, match=message):
            check_url(kind, url)
