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


def kiosk(*args, env=None):
    code = "import sys; from kiosk.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=env)


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
