"""The mobile ticket, GET /t/<token> and GET /api/v1/tickets/<token>, on SQLite and PostgreSQL:
people ahead in the desks' order, called with the desk and its route, served, unknown and
expired tokens (404), the payload fields checked at ingest, no cookies, security headers, the
rate limit, and the token never stored as it came. Times: the app's clock in a zone where it
is about noon (central_kit.midday_zone), moved by a day where a test needs it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from central import db, queue, ratelimit, ticket_view
from central.db import utcnow
from central.settings import PublicSettings, QueueSettings
from central_kit import issued_payload, login, make_event, midday_zone, rfc3339

PASSWORD = "correct horse battery"  # tests/central/conftest.py
ROUTE = ["Walk straight on to the lift.", "The waiting area is on your left."]
DESK4 = ["Turn right at the lift.", "Desk 4 is the third desk."]
FIELDS = {"label", "service", "service_name", "lang", "day", "state", "people_ahead", "wait_min", "wait_at",
          "route", "desk", "desk_route", "called_at", "server_time"}


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, queue=QueueSettings(timezone=midday_zone(), default_service_min=6))


def today(settings) -> str:
    return queue.today(settings.queue.timezone, utcnow())[0].isoformat()


def tok(n: int) -> str:
    return f"Tk_{n:03d}-abcdefghij"  # 16 characters of the token alphabet


def mobile_payload(service, number, *, prefix="A", day, appointment=False, lang="en", token=None, **extra):
    p = issued_payload(service, number, ticket_id=number, prefix=prefix, appointment=appointment, lang=lang, day=day)
    p.update(token=token or tok(number), service_name=service.title(), wait_at="Waiting area, ground floor",
             route=ROUTE, desk_routes={"4": DESK4, "7": ["Go up the stairs."]}, **extra)
    return p


def send(client, device, payloads, ago_min=None, at=None):
    dev, token = device
    now = at or utcnow()
    batch = [make_event(dev, i + 1, "ticket.issued", p, rfc3339(now - dt.timedelta(minutes=(ago_min or [0] * 99)[i])))
             for i, p in enumerate(payloads)]
    return client.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"}).json()


def ticket(client, n: int, **kw):
    return client.get(f"/api/v1/tickets/{tok(n)}", **kw)


@pytest.fixture
def hall(client, device, settings):
    """A001 walk-in (12 min), A002 appointment (5 min), A003 walk-in (2 min), B004 parking."""
    day = today(settings)
    got = send(client, device, [mobile_payload("passport", 1, day=day), mobile_payload("passport", 2, day=day,
                                                                                        appointment=True, lang="nl"),
                                mobile_payload("passport", 3, day=day, lang="ar"),
                                mobile_payload("parking", 4, prefix="B", day=day)], ago_min=[12, 5, 2, 1])
    assert got == {"accepted": 4, "duplicates": 0, "rejected": []}
    return client


def test_waiting_tickets_count_the_people_ahead_in_call_order(hall, settings):
    doc = ticket(hall, 1).json()
    assert set(doc) == FIELDS  # nothing else: no ids, no device
    assert {k: doc[k] for k in FIELDS - {"server_time", "wait_min"}} == {
        "label": "A001", "service": "passport", "service_name": "Passport", "lang": "en", "day": today(settings),
        "state": "waiting", "people_ahead": 1, "wait_at": "Waiting area, ground floor", "route": ROUTE,
        "desk": None, "desk_route": None, "called_at": None}
    assert doc["wait_min"] == [4, 8]  # 1 ahead x 6 min (nobody served yet), -25 % / +25 %
    # the appointment goes first; the parking ticket has its own queue
    assert [ticket(hall, n).json()["people_ahead"] for n in (1, 2, 3, 4)] == [1, 0, 2, 0]
    assert [ticket(hall, n).json()["lang"] for n in (1, 2, 3)] == ["en", "nl", "ar"]


def test_called_shows_the_desk_and_its_route_then_served(hall):
    staff = login(hall, "admin", PASSWORD, keep=False)
    t = hall.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]}, headers=staff).json()
    assert t["ticket"]["label"] == "A002"
    doc = ticket(hall, 2).json()
    assert (doc["state"], doc["desk"], doc["desk_route"], doc["people_ahead"], doc["wait_min"]) == (
        "called", "4", DESK4, None, None)
    assert doc["called_at"] == t["ticket"]["called_at"]
    assert [ticket(hall, n).json()["people_ahead"] for n in (1, 3)] == [0, 1]
    page = hall.get(f"/t/{tok(2)}")
    assert page.status_code == 200 and '<html lang="nl" dir="ltr">' in page.text
    assert '<p class="desk" id="desk">Opgeroepen: balie 4</p>' in page.text
    assert "<h2>Zo komt u bij balie 4</h2>" in page.text and "<li>Desk 4 is the third desk.</li>" in page.text
    assert hall.post(f"/api/v1/desk/tickets/{t['ticket']['id']}/served", json={"desk": "4"},
                     headers=staff).status_code == 200
    doc = ticket(hall, 2).json()
    assert (doc["state"], doc["desk"], doc["desk_route"], doc["people_ahead"]) == ("served", None, None, None)
    page = hall.get(f"/t/{tok(2)}")
    assert "U bent geholpen" in page.text and "data-api" not in page.text and "refresh" not in page.text
    # a desk without a route: the page says to go to the desk
    t = hall.post("/api/v1/desk/call-next", json={"desk": "9", "services": ["passport"]}, headers=staff).json()
    assert t["ticket"]["label"] == "A001"
    assert ticket(hall, 1).json()["desk_route"] is None
    assert "Called: desk 9" in hall.get(f"/t/{tok(1)}").text and "Go to the desk now." in hall.get(f"/t/{tok(1)}").text
    hall.post(f"/api/v1/desk/tickets/{t['ticket']['id']}/no-show", json={"desk": "9"}, headers=staff)
    assert ticket(hall, 1).json()["state"] == "no_show"
    assert "Your number has passed" in hall.get(f"/t/{tok(1)}").text


def test_the_page_speaks_the_tickets_language_or_the_one_asked_for(hall):
    page = hall.get(f"/t/{tok(3)}")
    assert '<html lang="ar" dir="rtl">' in page.text and "يوجد شخصان (2) قبلك." in page.text
    page = hall.get(f"/t/{tok(3)}", params={"lang": "pl"})
    assert '<html lang="pl" dir="ltr">' in page.text and "Przed Tobą są 2 osoby." in page.text
    page = hall.get(f"/t/{tok(1)}", params={"lang": "xx"})  # unknown: the ticket's own
    assert '<html lang="en"' in page.text and "There is 1 person before you." in page.text
    assert "Waiting time: about 4 to 8 minutes." in page.text and "<li>Walk straight on to the lift.</li>" in page.text
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in page.text
    assert 'data-api="/api/v1/tickets/' + tok(1) + '"' in page.text


@pytest.mark.parametrize("token", ["unknownunknown123", "x", "a" * 65, "abc!defghijklmnopq", "%00" * 6,
                                   "Tk_001-abcdefghiJ"])
def test_unknown_or_malformed_tokens_get_404(hall, token):
    r = hall.get(f"/api/v1/tickets/{token}")
    assert r.status_code == 404 and r.json() == {"detail": ticket_page_detail()}
    page = hall.get(f"/t/{token}")
    assert page.status_code == 404 and '<html lang="nl"' in page.text
    assert "Ticket niet gevonden" in page.text and "alleen geldig op de dag dat u het nam" in page.text
    page = hall.get(f"/t/{token}", headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})
    assert '<html lang="en"' in page.text and "A ticket is only valid on the day you took it." in page.text
    assert '<html lang="uk"' in hall.get(f"/t/{token}", params={"lang": "uk"}).text


def ticket_page_detail() -> str:
    from central.ticket_page import NOT_FOUND
    return NOT_FOUND


def test_a_ticket_is_valid_on_its_own_day_only(client, device, settings, monkeypatch):
    now = utcnow()
    yesterday = queue.today(settings.queue.timezone, now - dt.timedelta(days=1))[0].isoformat()
    got = send(client, device, [mobile_payload("passport", 1, day=yesterday), mobile_payload("passport", 2,
                                                                                              day=today(settings))],
               at=now, ago_min=[24 * 60, 1])
    assert got["accepted"] == 2
    assert ticket(client, 1).status_code == 404 and client.get(f"/t/{tok(1)}").status_code == 404
    assert ticket(client, 2).status_code == 200
    monkeypatch.setattr(ticket_view, "utcnow", lambda: now + dt.timedelta(days=1))  # the app's clock: tomorrow
    assert ticket(client, 2).status_code == 404 and client.get(f"/t/{tok(2)}").status_code == 404


@pytest.mark.parametrize("field, value, message", [
    ("token", "short", "payload.token must be 16 to 64 characters"),
    ("token", "a" * 65, "payload.token must be 16 to 64 characters"),
    ("token", "abcdefghijklmno+", "payload.token must be 16 to 64 characters"),
    ("token", 1234567890123456, "payload.token"),
    ("service_name", "x" * 121, "payload.service_name must be a text of at most 120 characters"),
    ("service_name", ["Passport"], "payload.service_name"),
    ("wait_at", "x" * 201, "payload.wait_at must be a text of at most 200 characters"),
    ("route", "Walk on", "payload.route must be a list of at most 20 texts of at most 300 characters"),
    ("route", ["step"] * 21, "payload.route"),
    ("route", ["x" * 301], "payload.route"),
    ("route", [1], "payload.route"),
    ("desk_routes", ["4"], "payload.desk_routes must be an object of at most 40 desks"),
    ("desk_routes", {"4": "Turn right"}, "payload.desk_routes"),
    ("desk_routes", {"x" * 33: []}, "payload.desk_routes"),
    ("desk_routes", {str(i): [] for i in range(41)}, "payload.desk_routes"),
    ("desk_routes", {"4": ["x" * 301]}, "payload.desk_routes"),
])
def test_bad_mobile_fields_reject_that_event_alone(client, device, settings, field, value, message):
    day = today(settings)
    bad = mobile_payload("passport", 1, day=day)
    bad[field] = value
    old = issued_payload("passport", 2, ticket_id=2, day=day)  # no mobile fields at all
    nulls = {**issued_payload("passport", 3, ticket_id=3, day=day), "token": None, "route": None, "desk_routes": None}
    got = send(client, device, [bad, old, nulls])
    assert got["accepted"] == 2 and len(got["rejected"]) == 1, got
    assert got["rejected"][0]["index"] == 0 and message in got["rejected"][0]["error"]


def test_no_cookies_and_the_security_headers(hall):
    for path in (f"/t/{tok(1)}", f"/api/v1/tickets/{tok(1)}", "/t/unknownunknown123", "/api/v1/tickets/nope"):
        r = hall.get(path, params={"lang": "en"})
        assert "set-cookie" not in r.headers, path
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
        assert (r.headers["referrer-policy"], r.headers["x-content-type-options"], r.headers["cache-control"]) == (
            "no-referrer", "nosniff", "no-store")
    page = hall.get(f"/t/{tok(1)}").text
    assert "<script>" not in page and "style=" not in page and "<style" not in page  # nothing inline for the CSP
    assert 'src="/mobile/ticket.js"' in page and 'href="/mobile/ticket.css"' in page
    for path, kind in [("/mobile/ticket.js", "javascript"), ("/mobile/ticket.css", "css")]:
        r = hall.get(path)
        assert r.status_code == 200 and kind in r.headers["content-type"] and "http" not in r.text.replace("HTTP", "")
    # the page shows nothing but this ticket: no device id, no other labels, no event ids
    for other in ("pillar-1", "A002", "A003", "B004", "event", "ticket_id"):
        assert other not in page, other


def test_over_the_rate_limit_gets_429_with_retry_after(hall):
    frozen = ratelimit.RateLimiter(burst=5, per_s=0.5, clock=lambda: 1000.0)  # no time passes
    hall.app.state.public_limits = frozen
    assert [ticket(hall, 1).status_code for _ in range(4)] + [hall.get(f"/t/{tok(1)}").status_code] == [200] * 5
    r = ticket(hall, 1)
    assert r.status_code == 429 and r.headers["retry-after"] == "2" and "too many requests" in r.json()["detail"]
    page = hall.get(f"/t/{tok(1)}", headers={"Accept-Language": "en"})
    assert page.status_code == 429 and page.headers["retry-after"] == "2"
    assert "You opened this page too often. Try again in 2 seconds." in page.text
    assert "set-cookie" not in page.headers and page.headers["cache-control"] == "no-store"


def test_the_rate_limiter_refills_and_forgets_the_oldest_client():
    now = [0.0]
    lim = ratelimit.RateLimiter(burst=3, per_s=1.0, max_keys=2, clock=lambda: now[0])
    assert [lim.take("a") for _ in range(3)] == [None] * 3
    assert lim.take("a") == pytest.approx(1.0)
    now[0] = 0.5
    assert lim.take("a") == pytest.approx(0.5)  # half a request back: not enough yet
    now[0] = 2.0
    assert lim.take("a") is None  # refilled
    lim.take("b"), lim.take("c")
    assert len(lim) == 2  # "a" was the one seen longest ago: forgotten
    assert ratelimit.retry_after(0.01) == "1" and ratelimit.retry_after(2.2) == "3"
    assert PublicSettings().rate_burst == 30 and PublicSettings().rate_per_s == 3.0  # 30 per 10 s


def test_the_token_is_stored_only_as_its_hash(hall, engine):
    with engine.connect() as conn:
        stored = [repr(tuple(r)) for t in (db.queue_tickets, db.events) for r in conn.execute(sa.select(t))]
        row = conn.execute(sa.select(db.queue_tickets).where(db.queue_tickets.c.label == "A001")).one()
    assert stored and not [s for s in stored if "abcdefghij" in s]
    assert re.fullmatch(r"[0-9a-f]{64}", row.token_hash) and row.mobile["desk_routes"]["4"] == DESK4


def test_a_token_already_taken_keeps_its_first_ticket(hall, device, settings):
    again = mobile_payload("passport", 9, day=today(settings), token=tok(1))  # a faulty kiosk repeats a token
    dev, token = device
    r = hall.post("/api/v1/events", json={"events": [make_event(dev, 50, "ticket.issued", again, rfc3339(utcnow()))]},
                  headers={"Authorization": f"Bearer {token}"}).json()
    assert r["accepted"] == 1
    assert ticket(hall, 1).json()["label"] == "A001"
    staff = login(hall, "admin", PASSWORD, keep=False)
    q = hall.get("/api/v1/desk/queue", headers=staff).json()
    assert "A009" in [t["label"] for t in q["tickets"]]  # queued all the same, without a page


def test_openapi_documents_the_public_json(client):
    doc = client.get("/openapi.json").json()
    op = doc["paths"]["/api/v1/tickets/{token}"]["get"]
    assert op["tags"] == ["public"] and {"404", "429"} <= set(op["responses"])
    props = doc["components"]["schemas"]["MobileTicket"]["properties"]
    assert set(props) == FIELDS and all(p.get("description") for p in props.values())


def test_the_upgrade_gives_tickets_stored_before_it_their_token(db_url):
    engine = db.make_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    at = dt.datetime(2026, 3, 2, 9, 0)
    payloads = [mobile_payload("passport", 1, day="2026-03-02"), issued_payload("passport", 2, day="2026-03-02")]
    with engine.begin() as conn:
        conn.execute(db.events.insert(), [
            {"id": f"00000000-0000-4000-8000-{i:012d}", "device_id": "k1", "seq": i, "type": "ticket.issued",
             "occurred_at": at, "effective_at": at, "received_at": at, "payload": p} for i, p in enumerate(payloads)])
    db.upgrade(engine)
    with engine.connect() as conn:
        got = conn.execute(sa.select(db.queue_tickets.c.label, db.queue_tickets.c.token_hash, db.queue_tickets.c.mobile)
                           .order_by(db.queue_tickets.c.id)).all()
    engine.dispose()
    assert [(r.label, r.token_hash is not None, (r.mobile or {}).get("wait_at")) for r in got] == [
        ("A001", True, "Waiting area, ground floor"), ("A002", False, None)]
    assert got[0].token_hash == ticket_view.ticket_fields.token_hash(tok(1))


def test_the_visitor_catalogs_are_complete_in_every_language():
    from babel.messages.pofile import read_po

    from central import i18n
    from central.ticket_page import __file__ as page_py
    placeholder = re.compile(r"\{(\w*)\}")
    forms = {}
    for lang in ticket_view.LANGUAGES:
        with open(i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "mobile.po", "rb") as f:
            cat = read_po(f)
        forms[lang] = {m.id[0] if isinstance(m.id, tuple) else m.id:
                       list(m.string) if isinstance(m.string, tuple) else [m.string] for m in cat if m.id}
        assert cat.num_plurals == {"nl": 2, "en": 2, "tr": 2, "pl": 3, "uk": 3, "ar": 6}[lang]
    assert all(set(forms[lang]) == set(forms["nl"]) for lang in forms) and len(forms["nl"]) >= 25
    for lang, msgs in forms.items():
        for msgid, texts in msgs.items():
            want = sorted(set(placeholder.findall(forms["en"][msgid][0])))
            assert all(t.strip() and sorted(set(placeholder.findall(t))) == want for t in texts), (lang, msgid)
    code = open(page_py).read() + (Path(page_py).parent / "templates" / "ticket.html").read_text()
    asked = set(re.findall(r'"((?:page|ticket|waiting|wait|wait_at|route|called|unknown|limit|language)\.[\w.]+)"',
                           code))
    asked = {m for m in asked if not m.endswith((".js", ".css", ".html"))}
    asked |= {f"{s}.{k}" for s in ("served", "no_show") for k in ("heading", "text")}
    assert len(asked) >= 20 and sorted(asked - set(forms["nl"])) == []
    assert i18n.visitor_n("uk", "waiting.ahead", 21) == "Перед вами 21 людина."
    assert i18n.visitor_n("pl", "waiting.ahead", 22) == "Przed Tobą są 22 osoby."
