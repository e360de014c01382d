"""The printed ticket read back from its bytes (devices/escpos_reader.py), for every service
of the example site in Dutch and English: ESC @ first; no line wider than the profile's
columns for its font and size; no word split across lines; the QR code opens the mobile
ticket (/t/<token>) with error correction M and 4 modules of white above and below; paper
within 90 mm without directions and 120 mm with them. And the preview shows the same line
breaks and length as the job."""
import dataclasses
import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from devices.capabilities import capabilities_for
from devices.escpos_reader import UnknownCommand, read_job
from kiosk.clock import FakeClock
from kiosk.config.loader import Layer, validate_layers
from kiosk.storage.store import Store
from kiosk.tickets.issue import TicketIssuer
from kiosk.tickets.layout import wrap_columns
from kiosk.tickets.preview import render_preview
from kiosk.tickets.render import text_job, ticket_layout
from kiosk.tickets.setup import make_directions

ROOT = Path(__file__).resolve().parents[2]
CENTRAL = "https://wachtrij.example.nl"
CAPS = capabilities_for("TM-T20II")


def example_config(**sync):
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    plan = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8"))
    site["wayfinding"] = plan["wayfinding"]
    for service in site["services"]:
        service.pop("hours", None)
    site["devices"] = {"printer": {"url": "dummy://", "profile": "TM-T20II"}}
    site["sync"] = sync
    return validate_layers([Layer("site.toml", site)])[0], [s["id"] for s in site["services"]]


@pytest.fixture(scope="module")
def tickets(tmp_path_factory):
    """{(service, lang): IssueResult} for every service of the example site, nl and en."""
    cfg, services = example_config(url=CENTRAL)
    clock = FakeClock(dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.timezone.utc))
    store = Store(tmp_path_factory.mktemp("paper"), device_id="kiosk-hall", clock=clock)
    issuer = TicketIssuer(store, cfg, directions=make_directions(cfg), clock=clock)
    out = {}
    for lang in ("nl", "en"):
        for service in services:
            out[service, lang] = issuer.issue(service, lang, appointment=True)
            clock.advance(5)
    store.close()
    return out


def words_of(text):
    """Words, without the brackets the ticket puts around the Dutch service name."""
    return [w.strip("()") for w in re.findall(r"\S+", text)]


def check_job(result, job, limit_mm):
    printed = read_job(job, CAPS)
    assert printed.starts_with_reset and job.startswith(b"\x1b@")
    for line in printed.lines:
        # columns used in font A cells: font B cells are narrower, magnified ones wider
        assert line.columns_used <= CAPS.columns("a"), (line.text, line.columns_used)
    # no word split: every printed word is a word of the ticket's texts (a word longer
    # than a line would be the only exception; the example site has none)
    source = set(w for t in result.content.texts() for w in words_of(t))
    for line in printed.lines:
        for word in words_of(line.text):
            assert word in source, f"{word!r} in {line.text!r} is not a whole word"
    [qr] = printed.qr_codes
    assert re.fullmatch(re.escape(CENTRAL) + r"/t/[A-Za-z0-9_-]{16}", qr.data)
    assert qr.data.endswith("/t/" + result.ticket.token)
    assert qr.ec == "M"
    assert qr.blank_above >= 4 * qr.module and qr.blank_after >= 4 * qr.module
    assert printed.pictures[0][0] >= 15 * CAPS.dots_per_mm - 1      # the pictogram: 15 mm
    assert printed.cut and printed.cut_feed > 0                      # feed, then cut
    assert printed.length_mm <= limit_mm, (result.ticket.label, printed.length_mm)
    return printed


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_service_prints_within_the_paper_limits(tickets, lang):
    for (service, l), result in tickets.items():
        if l != lang:
            continue
        assert result.content.directions, service           # the example site has a plan
        with_directions = check_job(result, text_job(result.content, CAPS), 120)
        plain = dataclasses.replace(result.content, directions="")
        without = check_job(result, text_job(plain, CAPS), 90)
        assert without.length_mm < with_directions.length_mm
        texts = [line.text for line in with_directions.lines]
        assert result.ticket.label in " ".join(texts)
        steps = result.content.directions.splitlines()[1:]
        assert 2 <= len(steps) <= 3                           # the decisive steps only


def test_the_token_has_96_random_bits_and_travels_with_the_event(tickets):
    tokens = {r.ticket.token for r in tickets.values()}
    assert len(tokens) == len(tickets)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", t) for t in tokens)   # 16 x 6 bits


def test_preview_line_breaks_and_length_equal_the_printed_job(tickets):
    for result in tickets.values():
        layout = ticket_layout(result.content, CAPS)
        preview = render_preview(layout)
        printed = read_job(text_job(result.content, CAPS), CAPS)
        gap = round(15.0 * CAPS.dots_per_mm)
        assert preview.lines == [(line.text, line.top + gap) for line in printed.lines]
        assert preview.image.height == printed.length_dots
        assert preview.image.width == CAPS.paper_px
        # ink where the job prints: the QR code's rows are black somewhere in the preview
        qr = printed.qr_codes[0]
        band = preview.image.crop((0, gap + qr.top, CAPS.paper_px, gap + qr.top + qr.module))
        assert band.getextrema()[0] == 0


def test_no_central_service_no_qr_and_no_keep_this_code_line(tmp_path):
    cfg, _ = example_config()
    clock = FakeClock(dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.timezone.utc))
    with Store(tmp_path, clock=clock) as store:
        result = TicketIssuer(store, cfg, clock=clock).issue("passport", "nl")
    printed = read_job(text_job(result.content, CAPS), CAPS)
    assert printed.qr_codes == [] and result.content.qr_hint == ""
    assert not any("code" in line.text.lower() for line in printed.lines)
    assert printed.length_mm < 70


def test_wrapping_never_splits_a_word_only_an_overlong_one():
    assert wrap_columns("U komt langs de koffieautomaat.", 12) == ["U komt langs", "de", "koffieautoma", "at."]
    assert wrap_columns("Ga naar links en loop ongeveer 5 meter.", 20) == ["Ga naar links en", "loop ongeveer 5", "meter."]
    text = "Ga rechtdoor en loop ongeveer 5 meter tot aan de informatiebalie. " * 3
    for cols in (10, 24, 48):
        for line in wrap_columns(text, cols):
            assert len(line) <= cols
            long_words = [w for w in text.split() if len(w) > cols]
            assert all(w in text.split() or any(w in big for big in long_words)
                       for w in line.split())


def test_the_reader_refuses_a_command_it_does_not_know():
    with pytest.raises(UnknownCommand, match="byte"):
        read_job(b"\x1b@\x1b\x99", CAPS)
