"""The whole ticket spoken: number as called and character by character, service, people
ahead, wait, where to wait, printed or not, directions - in Dutch and English, from the
catalogs and a real issued ticket."""
import pytest

from kiosk.audio.ticket import spoken_characters, spoken_issued, spoken_ticket
from kiosk.i18n import Translator
from kiosk.tickets.issue import TicketIssuer
from kiosk.tickets.services import ServiceCatalog
from testkit import build_config

SERVICES = [{"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
             "pictogram": "passport", "place": "desk4",
             "wait_at": {"nl": "wachtruimte B", "en": "waiting area B"}}]
ROUTE = {"nl": "Loop rechtdoor\nBalie 4 is rechts", "en": "Walk straight on\nDesk 4 is on the right"}


def test_spoken_ticket_in_both_languages():
    tr = Translator()
    nl = spoken_ticket(tr, "nl", label="S012", service="Paspoort", people_ahead=3, wait=(5, 15),
                       place="wachtruimte B", print_status="failed", route=ROUTE["nl"])
    assert nl == ("Uw nummer is Es 12. Nog een keer, teken voor teken: Es, 0, 1, 2. "
                  "U komt voor: Paspoort. Er zijn 3 mensen voor u. Wachttijd: 5 tot 15 minuten. "
                  "Wacht bij wachtruimte B. Er is geen bon geprint. Onthoud uw nummer goed. "
                  "Zo loopt u erheen. Loop rechtdoor. Balie 4 is rechts.")
    en = spoken_ticket(tr, "en", label="A001", service="Passport", people_ahead=0, wait=(0, 0),
                       print_status="printed")
    assert en == ("Your number is A1. Once more, one by one: A, 0, 0, 1. You came for: Passport. "
                  "You are next. You will hardly have to wait. Take your ticket from the printer.")


@pytest.mark.parametrize("status,nl", [("printing", "Uw bon wordt geprint"),
                                       ("none", "Er is geen bon geprint"), ("", "")])
def test_print_status_is_said(status, nl):
    tr = Translator()
    text = spoken_ticket(tr, "nl", label="A1", service="", people_ahead=1, wait=(5, 10),
                         print_status=status)
    if nl:
        assert nl in text
    else:
        assert "bon" not in text


def test_characters():
    tr = Translator()
    assert spoken_characters("B120", "nl", tr) == "B, 1, 2, 0"
    assert spoken_characters("S003", "nl", tr) == "Es, 0, 0, 3"
    assert spoken_characters("S003", "en", tr) == "S, 0, 0, 3"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_spoken_from_an_issued_ticket_with_its_route(store, clock, lang):
    cfg = build_config(SERVICES)
    issuer = TicketIssuer(store, cfg, clock=clock, translator=Translator(),
                          directions=lambda place, lang: ROUTE[lang])
    assert issuer.issue("passport", lang).route == ROUTE[lang]
    result = issuer.issue("passport", lang)       # the same tap again: the same ticket
    assert result.repeated and result.route == ROUTE[lang]
    text = spoken_issued(result, Translator(), lang, ServiceCatalog.from_config(cfg), "printed")
    first = {"nl": "Uw nummer is A 1. Nog een keer, teken voor teken: A, 0, 0, 1. "
                   "U komt voor: Paspoort.",
             "en": "Your number is A1. Once more, one by one: A, 0, 0, 1. You came for: Passport."}
    assert text.startswith(first[lang])
    assert text.endswith({"nl": "Zo loopt u erheen. Loop rechtdoor. Balie 4 is rechts.",
                          "en": "How to walk there. Walk straight on. Desk 4 is on the right."}[lang])
    assert ("wachtruimte B" if lang == "nl" else "waiting area B") in text
