"""Ticket layout: text-mode bytes (code pages for Dutch accents, native QR, size), raster
mode for scripts without a code page, and the picture."""

from escpos.printer import Dummy

from kiosk.i18n import Translator
from kiosk.tickets.pictograms import PICTOGRAMS, pictogram, pictogram_png
from devices.capabilities import capabilities_for
from devices.escpos_reader import read_job
from kiosk.tickets.render import (job_for, text_job, text_printable, ticket_preview)
from kiosk.tickets.services import ServiceCatalog
from kiosk.tickets.book import PrintState, Ticket
from kiosk.tickets.render import build_content
from ticket_kit import content


def test_text_job_has_the_number_big_qr_and_cut():
    job = text_job(content())
    printed = read_job(job, capabilities_for("TM-T20II"))
    number = next(line for line in printed.lines if "A012" in line.text)
    assert number.text == "Uw nummer A012" and (number.width, number.height) == (4, 4)
    assert [q.data for q in printed.qr_codes] == ["https://www.example.nl/wachtrij?t=abc123"]
    assert printed.cut and job.endswith(b"\x1dVA\x08")     # feed to the cutter + 1 mm, cut
    assert "Wacht bij: Wachtruimte B" in [line.text for line in printed.lines]


def test_text_job_is_small():
    assert len(text_job(content())) <= 2048


def test_dutch_accents_use_a_code_page_the_printer_has():
    c = content(service_name="Verhuizing naar België", wait_at="Wacht bij: café-ruimte",
                people_line="Één persoon", service_name_nl="Verhuizing naar België")
    job = text_job(c, "TM-T20II")
    # the magic encoder selects a code page (ESC t n) and sends one byte per accented letter
    assert b"\x1bt" in job
    assert "é".encode("utf-8") not in job
    for word, cp in (("België", "cp437"), ("café", "cp437"), ("Één", "cp437")):
        assert word.encode(cp) in job


def test_visitor_language_and_dutch_name_both_printed():
    job = text_job(content(lang="en", service_name="Passport", service_name_nl="Paspoort"))
    assert b"Passport" in job and b"Paspoort" in job


def test_right_to_left_lines_go_as_pictures_the_rest_stays_text():
    arabic = content(lang="ar", service_name="جواز السفر", your_number="رقمك")
    assert not text_printable(arabic)
    job, mode = job_for(arabic, "TM-T20II", "text")
    assert mode == "text+pictures"
    assert job.count(b"\x1dv0") == 3 and job.endswith(b"\x1dVA\x08")  # pictogram + 2 lines, cut
    assert b"A012" in job and b"\x1d(k" in job and b"Paspoort" in job  # number, QR, Dutch: text
    latin, mode2 = job_for(content(), "TM-T20II", "text")
    assert mode2 == "text"


def test_raster_mode_on_request_sends_the_preview_as_one_picture():
    job, mode = job_for(content(), "TM-T20II", "raster")
    caps = capabilities_for("TM-T20II")
    printed = read_job(job, caps)
    assert mode == "raster" and len(job) > 5000 and printed.lines == []
    assert len(printed.pictures) == 1 and printed.pictures[0][0] == 576
    assert printed.length_dots == read_job(text_job(content(), caps), caps).length_dots


def test_preview_picture_width_and_ink():
    img = ticket_preview(content(), "TM-T20II")
    assert img.width == 576 and 500 < img.height < 1000
    hist = img.histogram()
    assert 0.03 < sum(hist[:64]) / (img.width * img.height) < 0.5


def test_profile_width_is_used_for_raster():
    p = Dummy(profile="TM-T20II")
    assert p.profile.profile_data["media"]["width"]["pixels"] == 576


def test_every_builtin_pictogram_draws_something(tmp_path):
    for name in PICTOGRAMS:
        img = pictogram(name, 96)
        ink = sum(img.histogram()[:128]) / (96 * 96)
        assert 0.02 < ink < 0.6, name
    path = pictogram_png("passport", 64, tmp_path)
    assert path.exists() and pictogram_png("passport", 64, tmp_path) == path


def test_build_content_uses_local_time_and_the_catalog(make_config):
    cfg = make_config()
    cat = ServiceCatalog.from_config(cfg)
    t = Ticket(1, "tok123", "passport", "2026-07-01", 5, "A005", "en",
               "2026-07-01T07:05:00.000Z", False, PrintState.PENDING)
    c = build_content(t, cat.get("passport"), cat, Translator("en"),
                      qr_pattern="https://x.example/t/{token}", ahead=1, wait=(5, 30),
                      tz="Europe/Amsterdam", directions="lift to floor 1, then left")
    assert c.time_line == "Taken at 09:05 on 01-07-2026"   # CEST in summer
    assert c.qr_url == "https://x.example/t/tok123"
    assert c.people_line == "There is 1 person ahead of you"
    assert c.wait_line == "Waiting time: 5 to 30 minutes"
    assert c.directions == "How to get there:\nlift to floor 1, then left"
    assert c.service_name_nl == "Paspoort"


def test_directions_to_the_waiting_area_from_the_floor_plan():
    """With the example site and its floor plan, the ticket carries the walking directions
    from this kiosk to the service's waiting area, and text mode stays small."""
    from pathlib import Path

    from kiosk.clock import FakeClock
    from kiosk.config.loader import read_layer, validate_layers
    from kiosk.storage.store import Store
    from kiosk.tickets.issue import TicketIssuer
    from kiosk.tickets.setup import make_directions
    import tempfile
    root = Path(__file__).resolve().parents[2] / "config"
    layers = [read_layer(root / n)[0] for n in ("example-site.toml", "example-floorplan.toml")]
    cfg, _ = validate_layers(layers)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()   # Monday 10:00 local: open
        store = Store(tmp, clock=clock)
        issuer = TicketIssuer(store, cfg, directions=make_directions(cfg), clock=clock)
        c = issuer.issue("moving", "en").content       # waiting area on the 1st floor
        store.close()
    lines = c.directions.splitlines()
    assert lines[0] == "How to get there:"
    assert lines[1:] == ["Take the escalator to the 1st floor.",
                         "Turn right and walk about 15 metres. You pass the coffee machine.",
                         "You are at Waiting area, 1st floor."]   # the decisive steps
    job = text_job(c)
    printed = " ".join(line.text for line in read_job(job, capabilities_for("TM-T20II")).lines)
    assert all(line in printed for line in lines)
    assert len(job) <= 2600


def test_no_floor_plan_no_directions(make_config):
    from kiosk.tickets.setup import make_directions
    assert make_directions(make_config()) is None
