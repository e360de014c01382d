"""Config of the ticket function: the example site is valid, and every mistake is named
by file, line and dotted key."""
import datetime as dt
from pathlib import Path

import pytest

from kiosk.config import check_file
from kiosk.tickets.services import HoursError, is_open, parse_hours_line

ROOT = Path(__file__).resolve().parents[2]

GOOD_SERVICE = '''
[[services]]
id = "passport"
prefix = "A"
names = { nl = "Paspoort", en = "Passport" }
'''


def problems(tmp_path, text):
    p = tmp_path / "site.toml"
    p.write_text(text)
    return [pr.render() for pr in check_file(str(p))]


def test_example_site_is_valid():
    assert check_file(str(ROOT / "config" / "example-site.toml")) == []


@pytest.mark.parametrize("extra,key,reason", [
    ('[[services]]\nid = "other"\nprefix = "A"\nnames = { nl = "X", en = "X" }\n',
     "services[1].prefix", "'A' is already used by services[0]"),
    ('[[services]]\nid = "passport"\nprefix = "B"\nnames = { nl = "X", en = "X" }\n',
     "services[1].id", "'passport' is already used by services[0]"),
    ('[[services]]\nid = "x"\nprefix = "B"\nnames = { nl = "X" }\n',
     "services[1].names", "no name in en"),
    ('[[services]]\nid = "x"\nprefix = "b"\nnames = { nl = "X", en = "X" }\n',
     "services[1].prefix", "'b' is not one capital letter A-Z"),
    ('[[services]]\nid = "x"\nprefix = "B"\nnames = { nl = "X", en = "X" }\n'
     'hours = ["mon-fri 9-17"]\n', "services[1].hours[0]", "is not like 'mon-fri 09:00-17:00'"),
    ('[[services]]\nid = "x"\nprefix = "B"\nnames = { nl = "X", en = "X" }\n'
     'pictogram = "unicorn"\n', "services[1].pictogram", "neither a built-in pictogram"),
    ('[devices.printer]\nurl = "lpt://1"\n', "devices.printer.url", "unknown kind of printer"),
    ('[devices.printer]\nprofile = "NoSuchPrinter"\n', "devices.printer.profile",
     "not a python-escpos printer profile"),
    ('[devices.scanner]\nurl = "usb://1:2"\n', "devices.scanner.url", "unknown kind of scanner"),
    ('[devices.printer]\nurl = "serial://dev/ttyUSB0"\n', "devices.printer.url",
     "a local port needs three slashes: serial:///dev/ttyUSB0"),
    ('[devices.printer]\nurl = "serial:///dev/ttyUSB0?status=maybe"\n', "devices.printer.url",
     "status must be 1 or 0 (got 'maybe')"),
    ('[devices.scanner]\nurl = "serial:///dev/ttyACM0?baud=9600"\n', "devices.scanner.url",
     "unknown option 'baud'"),
    ('[devices.buttons]\nurl = "socket://buttons.local"\n', "devices.buttons.url",
     "needs a host and a port"),
    ('[tickets]\nqr_url = "https://example.nl/q"\n', "tickets.qr_url", "must contain {token}"),
    ('[tickets]\nnumber_format = "roman"\n', "tickets.number_format", "is not one of"),
    ('[tickets.appointments]\npattern = "([A-Z"\n', "tickets.appointments.pattern",
     "not a valid regular expression"),
    ('[tickets.appointments]\nservice = "ghost"\n', "tickets.appointments.service",
     "'ghost' is not a service id"),
])
def test_mistakes_are_named(tmp_path, extra, key, reason):
    got = problems(tmp_path, GOOD_SERVICE + extra)
    assert any(f": {key}: " in p and reason in p for p in got), got
    assert all(p.startswith(str(tmp_path / "site.toml")) for p in got)


def test_line_numbers_point_at_the_entry(tmp_path):
    got = problems(tmp_path, GOOD_SERVICE + '\n[[services]]\nid = "x"\nprefix = "A"\n'
                                            'names = { nl = "X", en = "X" }\n')
    assert got == [f"{tmp_path / 'site.toml'}:9: services[1].prefix: 'A' is already used by "
                   "services[0]"]


@pytest.mark.parametrize("line,error", [
    ("mon-fri 09:00-17:00", None), ("thu 18:00-20:00", None), ("Sat 10:00-12:00", None),
    ("fri-mon 09:00-17:00", "runs backwards"), ("mon 17:00-09:00", "not after opening"),
    ("mon 25:00-26:00", "not a valid time"), ("xyz 09:00-10:00", "unknown day"),
    ("always", "is not like"),
])
def test_parse_hours_line(line, error):
    if error:
        with pytest.raises(HoursError, match=error):
            parse_hours_line(line)
    else:
        parse_hours_line(line)


@pytest.mark.parametrize("utc,open_", [
    (dt.datetime(2026, 3, 2, 7, 59), False),   # Mon 08:59 local
    (dt.datetime(2026, 3, 2, 8, 0), True),     # Mon 09:00
    (dt.datetime(2026, 3, 2, 15, 59), True),   # Mon 16:59
    (dt.datetime(2026, 3, 2, 16, 0), False),   # Mon 17:00
    (dt.datetime(2026, 3, 5, 17, 30), True),   # Thu 18:30 evening opening
    (dt.datetime(2026, 3, 7, 10, 0), False),   # Saturday
    (dt.datetime(2026, 7, 6, 7, 30), True),    # Mon 09:30 CEST (summer time)
])
def test_is_open_in_local_time(utc, open_):
    hours = ["mon-fri 09:00-17:00", "thu 18:00-20:00"]
    assert is_open(hours, utc.replace(tzinfo=dt.timezone.utc), "Europe/Amsterdam") is open_
    assert is_open([], utc.replace(tzinfo=dt.timezone.utc), "Europe/Amsterdam")
