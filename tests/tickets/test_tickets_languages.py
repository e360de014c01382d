"""Tickets and directions in the six languages of the example site, through the commands
staff and scripts use: `kiosk ticket issue` into a file:// printer and `kiosk route`.
Polish, Turkish and Ukrainian print as text in one code page of the TM-T20II (ESC t n
once, the catalog text decodes with that page); Arabic lines go as pictures, the rest of
the Arabic ticket stays text."""
import tempfile
import tomllib
from pathlib import Path

import pytest

from devices.capabilities import capabilities_for
from devices.escpos_reader import read_job
from kiosk.config.local import dumps
from kiosk.i18n import Translator
from test_tickets_cli import kiosk

ROOT = Path(__file__).resolve().parents[2]
LIMIT = {"nl": 2048, "en": 2048, "pl": 2048, "tr": 2048, "uk": 2048, "ar": 16384}
CODE_PAGE = {"pl": ("CP852", "cp852"), "tr": ("CP857", "cp857"), "uk": ("CP1251", "cp1251")}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """The example site and floor plan as one file, printing into a file, open all hours."""
    tmp = tmp_path_factory.mktemp("site")
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    plan = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8"))
    site["wayfinding"] = plan["wayfinding"]
    for service in site["services"]:
        service.pop("hours", None)
    site["devices"] = {"printer": {"url": "file://" + str(tmp / "PRINTER"), "profile": "TM-T20II"}}
    site["sync"] = {"url": "https://wachtrij.example.nl"}      # the QR opens the mobile ticket
    return tmp, site


def issue(example_site, lang, service="moving"):
    """One ticket into a printer file of its own; (its bytes, the config file)."""
    tmp, site = example_site
    tmp = Path(tempfile.mkdtemp(dir=tmp))
    out = tmp / f"printer-{lang}-{service}.bin"
    site = {**site, "devices": {"printer": {**site["devices"]["printer"], "url": f"file://{out}"}}}
    conf = tmp / f"site-{lang}-{service}.toml"
    conf.write_text(dumps(site), encoding="utf-8")
    r = kiosk("ticket", "issue", "--config", str(conf), "--data-dir", str(tmp / f"data-{lang}-{service}"),
              "--service", service, "--lang", lang)
    assert (r.returncode, r.stdout) == (0, f"{service_prefix(site, service)}001\n"), r.stderr
    return out.read_bytes(), conf


def service_prefix(site, service):
    return next(s["prefix"] for s in site["services"] if s["id"] == service)


@pytest.mark.parametrize("lang", ["nl", "en", "pl", "tr", "ar", "uk"])
def test_a_ticket_in_each_language_is_small(example_site, lang):
    job, _ = issue(example_site, lang)          # the longest ticket: directions to the 1st floor
    assert 0 < len(job) <= LIMIT[lang]
    assert b"C001" in job and b"\x1d(k" in job and job.endswith(b"\x1dVA\x08")  # number, QR, cut
    pictures = job.count(b"\x1dv0")
    assert (pictures > 1) == (lang == "ar")     # only Arabic lines are pictures (+ the pictogram)


@pytest.mark.parametrize("lang", ["pl", "tr", "uk"])
def test_code_page_selected_once_and_text_decodes(example_site, lang):
    job, _ = issue(example_site, lang)
    name, codec = CODE_PAGE[lang]
    select = b"\x1bt" + bytes([capabilities_for("TM-T20II").code_page_slots[name]])
    assert job.count(b"\x1bt") == 1 and select in job     # one page for all the text
    tr = Translator(lang)
    _, site = example_site
    moving = next(s for s in site["services"] if s["id"] == "moving")
    for line in (tr("ticket.your_number", lang), moving["names"][lang], tr("ticket.qr_hint", lang)):
        assert line.encode(codec) in job                   # one byte a letter, in that page
    printed = [line.text for line in read_job(job, capabilities_for("TM-T20II")).lines]
    assert any(line.startswith(tr("ticket.your_number", lang)) for line in printed)
    assert any(line.startswith(moving["names"][lang]) for line in printed)
    assert tr("ticket.qr_hint", lang) in printed


@pytest.mark.parametrize("lang", ["nl", "en", "pl", "tr", "ar", "uk"])
def test_route_in_each_language(example_site, lang):
    _, conf = issue(example_site, lang, "passport")
    r = kiosk("route", "here", "wait-1", "--config", str(conf), "--lang", lang)
    assert r.returncode == 0, r.stderr
    tr = Translator(lang)
    assert tr("wayfinding.here") in r.stdout.splitlines()[0]
    assert r.stdout.count("\n") >= 3
