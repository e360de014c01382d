"""`kiosk ticket issue` and `kiosk ticket preview` as staff and scripts use them."""
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from kiosk.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
SITE = """
[device]
timezone = "Europe/Amsterdam"

[devices.printer]
url = "{printer}"

[[services]]
id = "passport"
prefix = "A"
names = {{ nl = "Paspoort", en = "Passport" }}
pictogram = "passport"
wait_at = {{ nl = "Wachtruimte B", en = "Waiting area B" }}

[[services]]
id = "closed"
prefix = "Z"
names = {{ nl = "Dicht", en = "Closed" }}
desks_open = 0
"""


def kiosk(*args, env=None, stdin=None):
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env, input=stdin)


@pytest.fixture
def site(tmp_path):
    def make(printer="dummy://"):
        p = tmp_path / "site.toml"
        p.write_text(SITE.format(printer=printer))
        return str(p)
    return make


def test_issue_prints_the_number_and_records_it(tmp_path, site):
    data = tmp_path / "data"
    out_file = tmp_path / "printer.bin"
    conf = site(f"file://{out_file}")
    r1 = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data), "--service", "passport")
    r2 = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data), "--service", "passport",
               "--lang", "en")
    assert (r1.returncode, r1.stdout) == (0, "A001\n"), r1.stderr
    assert (r2.returncode, r2.stdout) == (0, "A002\n"), r2.stderr
    printed = out_file.read_bytes()
    assert printed.count(b"\x1dVA\x08") == 2 and b"A001" in printed and b"A002" in printed
    assert b"Waiting area B" in printed and b"Wachtruimte B" in printed
    with Store(data) as s:
        assert [e.type for e in s.outbox_events()] == [
            "ticket.issued", "ticket.printed", "ticket.issued", "ticket.printed"]


def test_issue_with_printer_out_of_paper_still_gives_the_number(tmp_path, site):
    data = tmp_path / "data"
    r = kiosk("ticket", "issue", "--config", site("dummy://?state=paper_out"), "--data-dir",
              str(data), "--service", "passport")
    assert r.returncode == 3
    assert r.stdout == "A001\n"
    assert "A001 not printed: printer is paper_out" in r.stderr
    assert "Traceback" not in r.stderr
    with Store(data) as s:
        assert [e.type for e in s.outbox_events()] == [
            "ticket.issued", "device.status", "ticket.print_failed"]


def test_issue_with_the_simulator(tmp_path, site):
    data = tmp_path / "data"
    r = kiosk("ticket", "issue", "--config", site(), "--data-dir", str(data), "--service",
              "passport", "--simulate")
    assert (r.returncode, r.stdout) == (0, "A001\n"), r.stderr
    jobs = list((data / "sim-printer").glob("job-*.bin"))
    previews = list((data / "sim-printer").glob("ticket-*.png"))
    assert len(jobs) == 1 and b"A001" in jobs[0].read_bytes()
    assert len(previews) == 1


@pytest.mark.parametrize("args,message", [
    (["--service", "nope"], "unknown service 'nope' (known: passport, closed)"),
    (["--service", "closed"], "service 'closed' is closed now"),
    (["--service", "passport", "--lang", "xx"], "no catalog for language 'xx'"),
])
def test_issue_refusals_are_one_clear_line(tmp_path, site, args, message):
    r = kiosk("ticket", "issue", "--config", site(), "--data-dir", str(tmp_path / "d"), *args)
    assert r.returncode == 2
    assert r.stdout == ""
    assert message in r.stderr and "Traceback" not in r.stderr


def test_issue_with_a_bad_config_names_the_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[services]]\nid = "x"\nprefix = "ab"\nnames = { nl = "X" }\n')
    r = kiosk("ticket", "issue", "--config", str(bad), "--data-dir", str(tmp_path / "d"),
              "--service", "x")
    assert r.returncode == 2
    assert "services[0].prefix" in r.stderr and "'ab' is not one capital letter" in r.stderr
    assert "Traceback" not in r.stderr


def test_preview_writes_the_ticket_picture_without_issuing(tmp_path, site):
    data = tmp_path / "data"
    out = tmp_path / "prev" / "ticket.png"
    r = kiosk("ticket", "preview", "--config", site(), "--data-dir", str(data), "--service",
              "passport", "--lang", "en", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "preview of A001 (en)" in r.stdout and "as it prints on TM-T20II" in r.stdout
    img = Image.open(out)
    mm = int(r.stdout.split(", ")[1].split(" mm")[0])      # "..., 63 mm of paper, ..."
    assert img.width == 576 and abs(img.height / 8 - mm) <= 1   # 8 dots a mm: the paper's length
    # mostly white paper with black print: a real ticket picture, not an empty canvas
    hist = img.convert("L").histogram()
    dark = sum(hist[:64]) / (img.width * img.height)
    assert 0.03 < dark < 0.5
    with Store(data) as s:
        assert s.outbox_events() == []  # a preview issues nothing
        assert s.query("SELECT COUNT(*) AS n FROM tickets")[0]["n"] == 0


def test_preview_follows_a_restart_of_todays_numbers(tmp_path, site):
    """Issue #12 item 8: after staff restart today's numbers the preview shows A001 (the number
    the next ticket gets), not A003. Every step runs as its own process on the machine's clock."""
    data, conf = str(tmp_path / "data"), site()

    def preview():
        r = kiosk("ticket", "preview", "--config", conf, "--data-dir", data, "--service", "passport",
                  "--out", str(tmp_path / "t.png"))
        assert r.returncode == 0, r.stderr
        return r.stdout.split()[3]  # "<file>: preview of A001 (nl)"

    for n in (1, 2):
        r = kiosk("ticket", "issue", "--config", conf, "--data-dir", data, "--service", "passport")
        assert (r.returncode, r.stdout) == (0, f"A00{n}\n"), r.stderr
    assert preview() == "A003"
    reset = ("import sys; from kiosk.storage.store import Store; from kiosk.tickets.book import "
             "TicketBook; s = Store(sys.argv[1]); print(TicketBook(s).reset_today()); s.close()")
    r = subprocess.run([sys.executable, "-c", reset, data], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert (r.returncode, r.stdout) == (0, "1\n"), r.stderr
    assert preview() == "A001"
    r = kiosk("ticket", "issue", "--config", conf, "--data-dir", data, "--service", "passport")
    assert (r.returncode, r.stdout) == (0, "A001\n"), r.stderr
    assert preview() == "A002"


def test_preview_refuses_a_non_png_name(tmp_path, site):
    r = kiosk("ticket", "preview", "--config", site(), "--data-dir", str(tmp_path / "d"),
              "--service", "passport", "--out", str(tmp_path / "t.jpg"))
    assert r.returncode == 2 and "must end in .png" in r.stderr


def test_reprint_and_status_for_staff(tmp_path, site):
    data = tmp_path / "data"
    out_file = tmp_path / "printer.bin"
    r = kiosk("ticket", "issue", "--config", site("dummy://?state=paper_out"), "--data-dir",
              str(data), "--service", "passport")
    assert r.returncode == 3 and r.stdout == "A001\n"
    # paper is back (here: the site file now names a working printer); staff reprint
    conf = site(f"file://{out_file}")
    r = kiosk("ticket", "reprint", "1", "--config", conf, "--data-dir", str(data))
    assert (r.returncode, r.stdout) == (0, "ticket 1 printed again\n"), r.stderr
    assert b"A001" in out_file.read_bytes()
    r = kiosk("ticket", "reprint", "99", "--config", conf, "--data-dir", str(data))
    assert r.returncode == 2 and "no ticket with id 99" in r.stderr
    with Store(data) as s:
        printed = s.outbox_events("ticket.printed")
        assert [e.payload["reprint"] for e in printed] == [True]


def test_status_command(tmp_path, site):
    r = kiosk("ticket", "status", "--config", site("dummy://?state=cover_open"), "--data-dir",
              str(tmp_path / "d"))
    assert r.returncode == 1 and r.stdout == "printer dummy://?state=cover_open: cover_open\n"
    r = kiosk("ticket", "status", "--config", site("dummy://?state=online"), "--data-dir",
              str(tmp_path / "d"))
    assert r.returncode == 0 and r.stdout.endswith(": online\n")


# -- kiosk ticket issue --appointment: the appointment screen's check-in ------------------

APPOINTMENTS = """
[[services]]
id = "afspraak"
prefix = "F"
names = {{ nl = "Afspraak", en = "Appointment" }}
needs_appointment = true

[tickets.appointments]
url = "{url}"
timeout_s = 2
service = "{service}"
"""


@pytest.fixture
def appointment_site(tmp_path):
    """A site with an appointment-only service; `url`: an appointment checker, or none (the
    pattern alone); `service`: the service appointments check in for."""
    def make(printer, url="", service="afspraak"):
        p = tmp_path / "site.toml"
        p.write_text(SITE.format(printer=printer) + APPOINTMENTS.format(url=url, service=service))
        return str(p)
    return make


def _issued(data):
    with Store(data) as s:
        return s.outbox_events("ticket.issued"), "\n".join(s.conn.iterdump())


def test_issue_for_an_appointment_checks_in_prints_and_keeps_no_code(tmp_path, appointment_site):
    data = tmp_path / "data"
    out_file = tmp_path / "printer.bin"
    conf = appointment_site(f"file://{out_file}")
    r = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data),
              "--appointment", "qwer-7788", "--lang", "en")
    assert (r.returncode, r.stdout) == (0, "F001\n"), r.stderr
    assert "QWER" not in r.stderr.upper() and "7788" not in r.stderr
    printed = out_file.read_bytes()
    assert b"F001" in printed and b"Appointment" in printed and b"\x1dVA\x08" in printed
    assert b"QWER" not in printed and b"7788" not in printed
    events, dump = _issued(data)
    assert [(e.payload["service"], e.payload["appointment"]) for e in events] == [
        ("afspraak", True)]
    assert "QWER" not in dump and "7788" not in dump
    # the same code from stdin (kept out of the process list)
    r = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data),
              "--appointment", "-", stdin="ZXCV-1234\n")
    assert (r.returncode, r.stdout) == (0, "F002\n"), r.stderr


def test_issue_for_an_appointment_with_a_bad_code(tmp_path, appointment_site):
    data = tmp_path / "data"
    r = kiosk("ticket", "issue", "--config", appointment_site("dummy://"), "--data-dir",
              str(data), "--appointment", "nope")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines()[-1] == (
        "kiosk ticket: the code does not match tickets.appointments.pattern; no ticket issued "
        "(the screen asks the visitor to look at the confirmation again)")
    assert "nope" not in r.stderr and "Traceback" not in r.stderr
    assert _issued(data)[0] == []


def test_issue_for_an_appointment_at_a_closed_service(tmp_path, appointment_site):
    r = kiosk("ticket", "issue", "--config", appointment_site("dummy://", service="closed"),
              "--data-dir", str(tmp_path / "d"), "--appointment", "ABCD1234")
    assert r.returncode == 2 and r.stdout == ""
    assert "service 'closed' is closed now" in r.stderr and "Traceback" not in r.stderr


def test_service_and_appointment_exclude_each_other(tmp_path, appointment_site):
    conf = appointment_site("dummy://")
    both = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(tmp_path / "d"),
                 "--service", "passport", "--appointment", "ABCD1234")
    neither = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(tmp_path / "d"))
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    assert neither.returncode == 2 and "one of the arguments --service --appointment is required" \
        in neither.stderr


def test_issue_for_an_appointment_asks_the_checker(tmp_path, appointment_site, endpoint):
    """A real loopback HTTP checker: a known code gets the service it names, an unknown one
    no ticket, and a checker that is not there no ticket either (as on the screen)."""
    data = tmp_path / "data"
    out_file = tmp_path / "printer.bin"
    known = {"ABCD-1234": "passport"}
    e = endpoint(lambda b: (200, {"valid": b["code"] in known, "service": known.get(b["code"])}))
    conf = appointment_site(f"file://{out_file}", url=e.url)
    found = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data),
                  "--appointment", "abcd-1234")
    assert (found.returncode, found.stdout) == (0, "A001\n"), found.stderr
    assert b"A001" in out_file.read_bytes()
    missing = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data),
                    "--appointment", "ZZZZ9999")
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.strip().splitlines()[-1] == (
        "kiosk ticket: the appointment checker does not know this code; no ticket issued "
        "(the screen sends the visitor to a member of staff)")
    assert e.seen == [{"code": "ABCD-1234"}, {"code": "ZZZZ9999"}]
    events, _ = _issued(data)
    assert [(e.payload["service"], e.payload["appointment"]) for e in events] == [
        ("passport", True)]
    e.close()  # the checker goes away: nobody listens on its port any more
    gone = kiosk("ticket", "issue", "--config", conf, "--data-dir", str(data),
                 "--appointment", "ABCD1234")
    assert gone.returncode == 2 and gone.stdout == ""
    assert "appointment checker at tickets.appointments.url did not answer; no ticket issued" \
        in gone.stderr and "Traceback" not in gone.stderr
    assert "ABCD" not in gone.stderr
