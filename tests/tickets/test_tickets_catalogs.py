"""The tickets catalogs: Dutch and English complete and in step, and every message id the
ticket code and screens use exists in both."""
import re
from pathlib import Path

import pytest

from kiosk.i18n import read_po_file

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "kiosk" / "locale"
SOURCES = [*ROOT.glob("kiosk/tickets/*.py"),
           *ROOT.glob("screens/ticket_*.py"), *ROOT.glob("screens/ticket_*.kv")]
MSGID = re.compile(r"""["']((?:tickets?|appointment)\.[a-z_.]+)["']""")
# strings of that shape that are not messages: event types and config keys
NOT_MESSAGES = {"ticket.issued", "ticket.printed", "ticket.print_failed", "ticket.numbers_reset",
                "tickets.appointments.service"}


def catalog(lang):
    return read_po_file(LOCALE / lang / "LC_MESSAGES" / "tickets.po")


def test_dutch_and_english_have_the_same_ids_and_no_empty_text():
    nl, en = catalog("nl"), catalog("en")
    assert set(nl) == set(en)
    assert [k for k, v in {**nl, **en}.items() if not v.strip()] == []
    assert all(nl[k] != "" for k in nl)


def test_placeholders_match_between_languages():
    nl, en = catalog("nl"), catalog("en")
    for k in nl:
        assert set(re.findall(r"{(\w+)}", nl[k])) == set(re.findall(r"{(\w+)}", en[k])), k


def used_ids():
    ids = set()
    for src in SOURCES:
        ids |= set(MSGID.findall(src.read_text(encoding="utf-8")))
    return ids - NOT_MESSAGES


def test_sources_were_found():
    assert len(SOURCES) >= 8 and len(used_ids()) >= 20


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_used_id_is_translated(lang):
    have = catalog(lang)
    # ids built with a prefix in code (ticket.people_ahead.<n>, ticket.wait.<kind>)
    missing = sorted(i for i in used_ids() if i not in have and not i.endswith("."))
    assert missing == []
