"""The staff pages' language over real HTTP (the app with its database, SQLite and PostgreSQL):
Dutch by default, English when chosen with the link (?lang=, kept in the cookie `lang`) or,
without a cookie, when the browser's Accept-Language prefers English; <html lang> matches.
And the catalogs: every message in both languages, none empty, the same placeholders, and
every message the pages ask for exists."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from central import i18n
from central.desk import strings
from central.i18n import prefers_english, read_po_texts

PASSWORD = "correct horse battery"  # tests/central/conftest.py
CENTRAL = Path(i18n.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def html_lang(page) -> str:
    return re.search(r'<html lang="(\w+)"', page.text)[1]


@pytest.fixture
def staff(client):
    r = client.post("/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    return client


def test_login_is_dutch_by_default_and_english_after_choosing_it(client):
    page = client.get("/login")
    assert html_lang(page) == "nl" and "<title>Inloggen</title>" in page.text
    assert "Wachtwoord" in page.text and 'hreflang="en">English</a>' in page.text
    assert "lang" not in client.cookies  # nothing chosen yet: nothing stored
    page = client.get("/login", params={"next": "/desk", "lang": "en"})
    assert html_lang(page) == "en" and "<title>Log in</title>" in page.text and "Password" in page.text
    assert 'href="/login?next=%2Fdesk&amp;lang=nl"' in page.text and ">Nederlands</a>" in page.text
    assert client.cookies.get("lang") == "en"
    page = client.get("/login")  # the cookie keeps the choice
    assert html_lang(page) == "en"
    r = client.post("/login", data={"username": "admin", "password": "nope"})
    assert r.status_code == 401 and "Wrong user name or password." in r.text
    client.get("/login", params={"lang": "nl"})
    assert client.cookies.get("lang") == "nl" and html_lang(client.get("/login")) == "nl"


def test_accept_language_counts_only_without_a_cookie(client):
    english = {"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"}
    assert html_lang(client.get("/login", headers=english)) == "en"
    assert html_lang(client.get("/login", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.8"})) == "nl"
    assert html_lang(client.get("/login", headers={"Accept-Language": "fr-FR,fr"})) == "nl"
    page = client.get("/login", headers=english)
    assert "Accept-Language" in page.headers["vary"]
    client.get("/login", params={"lang": "nl"})  # a choice beats the browser
    assert html_lang(client.get("/login", headers=english)) == "nl"


def test_an_unknown_language_is_ignored(client):
    page = client.get("/login", params={"lang": "xx"})
    assert html_lang(page) == "nl" and "lang" not in client.cookies


@pytest.mark.parametrize("header, english", [
    ("", False), ("en", True), ("nl", False), ("en-US,en;q=0.9", True), ("nl,en;q=0.8", False),
    ("en;q=0.5,nl;q=0.9", False), ("de-DE,de;q=0.9,en;q=0.7", True), ("fr", False), ("en,nl", True),
    ("nl,en", False), ("en;q=0,nl;q=0.1", False), ("en;q=bad", False), ("*", False), ("EN-us", True)])
def test_prefers_english(header, english):
    assert prefers_english(header) is english


def test_dashboard_in_dutch_then_english(staff):
    page = staff.get("/dashboard", params={"from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200 and html_lang(page) == "nl"
    for text in ("Publiekshal: feedback en tickets", "Tevredenheid per dag", "<th>Apparaat</th>", "Antwoorden:",
                 "Geschatte wachttijden", "Uitloggen", ">Toon</button>"):
        assert text in page.text, text
    assert "Satisfaction per day" not in page.text
    # the link keeps the period
    assert 'href="/dashboard?from=2026-03-01&amp;to=2026-03-31&amp;lang=en"' in page.text
    page = staff.get("/dashboard", params={"from": "2026-03-01", "to": "2026-03-31", "lang": "en"})
    assert html_lang(page) == "en"
    for text in ("Public hall: feedback and tickets", "Satisfaction per day", "<th>Device</th>", "Answers:",
                 "Estimated waits", "Log out", ">Show</button>"):
        assert text in page.text, text
    assert html_lang(staff.get("/dashboard")) == "en"  # kept
    bad = staff.get("/dashboard", params={"from": "yesterday"})
    assert "The period or device is not right." in bad.text and 'role="alert"' in bad.text
    bad = staff.get("/dashboard", params={"from": "yesterday", "lang": "nl"})
    assert "De periode of het apparaat klopt niet." in bad.text


def test_a_choice_made_before_login_is_kept(client):
    r = client.get("/dashboard", params={"lang": "en"}, follow_redirects=False)
    assert r.status_code == 303 and client.cookies.get("lang") == "en"
    assert html_lang(client.get(r.headers["location"])) == "en"


def desk_strings(page) -> dict:
    return json.loads(html.unescape(re.search(r'<body data-strings="(.*?)">', page.text, re.S)[1]))


def test_desk_page_in_dutch_then_english(staff):
    page = staff.get("/desk")
    assert page.status_code == 200 and html_lang(page) == "nl"
    assert "<title>Balie: tickets oproepen</title>" in page.text and ">Volgende oproepen</button>" in page.text
    assert '<label for="desk-name">Naam van de balie' in page.text
    assert desk_strings(page) == strings("nl") and desk_strings(page)["done.called"] == "Opgeroepen: {ticket}"
    assert "{{" not in page.text
    page = staff.get("/desk", params={"lang": "en"})
    assert html_lang(page) == "en" and ">Call next</button>" in page.text and ">Nederlands</a>" in page.text
    assert desk_strings(page)["done.called"] == "Called {ticket}"
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_every_message_is_in_both_catalogs_with_the_same_placeholders():
    nl, en = (read_po_texts(CENTRAL / "locale" / lang / "LC_MESSAGES" / "central.po") for lang in ("nl", "en"))
    assert set(nl) == set(en) and len(en) > 100
    for msgid in en:
        assert nl[msgid].strip() and en[msgid].strip(), msgid
        assert sorted(PLACEHOLDER.findall(nl[msgid])) == sorted(PLACEHOLDER.findall(en[msgid])), msgid
    assert nl["language.name"] == "Nederlands" and en["language.name"] == "English"


def test_every_message_the_pages_ask_for_exists():
    en = read_po_texts(CENTRAL / "locale" / "en" / "LC_MESSAGES" / "central.po")
    pages = "".join(p.read_text() for p in [CENTRAL / "dashboard.py", *(CENTRAL / "templates").glob("*.html")])
    asked = {m for m in re.findall(r'"((?:login|dash|desk)\.[\w.]+)"', pages) if not m.endswith((".html", ".css"))}
    js = (CENTRAL / "static" / "desk.js").read_text()
    asked |= {"desk.js." + k for k in re.findall(r'\bt\("([\w.]+)"', js)}
    asked |= {"desk.js." + k for k in re.findall(r'"(done\.\w+)"', js)}
    assert len(asked) > 80
    assert sorted(asked - set(en)) == []
