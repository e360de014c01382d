"""The desk JSON endpoints (/api/v1/desk/...) behind the staff login, on SQLite and
PostgreSQL: the flow, clear 4xx for bad input, fuzzed bodies never a 500, OpenAPI."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from central.db import utcnow
from central.settings import QueueSettings
from central_kit import issued_payload, login, make_event, midday_zone, rfc3339

PASSWORD = "correct horse battery"  # tests/central/conftest.py
PREFIX = {"passport": "A", "parking": "B"}
FUZZ = hsettings(max_examples=60, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, queue=QueueSettings(timezone=midday_zone()))


@pytest.fixture
def staff(client):
    """The test client logged in through the form (session cookie)."""
    r = client.post("/login", data={"username": "admin", "password": PASSWORD, "next": "/desk"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/desk"
    return client


def issue(client, device, specs):
    dev, token = device
    now = utcnow()
    batch = [make_event(dev, i + 1, "ticket.issued", issued_payload(svc, n, ticket_id=i + 1, prefix=PREFIX[svc],
                                                                    appointment=appt),
                        rfc3339(now - dt.timedelta(minutes=ago))) for i, (svc, n, ago, appt) in enumerate(specs)]
    r = client.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"})
    assert r.json()["accepted"] == len(specs)


def test_desk_needs_a_login(client):
    r = client.get("/desk", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/desk"
    for method, path in [("GET", "/api/v1/desk/queue"), ("GET", "/api/v1/desk/services"),
                         ("POST", "/api/v1/desk/call-next"), ("POST", "/api/v1/desk/tickets/1/served")]:
        r = client.request(method, path, json={"desk": "1", "services": ["a"]})
        assert r.status_code == 401, (path, r.text)
    assert client.post("/api/v1/desk/call-next", json={"desk": "1", "services": ["a"]},
                       headers={"Authorization": "Basic " + "YWRtaW46Y29ycmVjdCBob3JzZSBiYXR0ZXJ5"}).status_code == 401
    login(client, "admin", PASSWORD)  # HTTP Basic is gone: scripts log in with POST /login
    assert client.post("/api/v1/desk/call-next", json={"desk": "1", "services": ["a"]}).json() == {"ticket": None}


def test_desk_page_is_served_by_the_service_itself(staff):
    page = staff.get("/desk")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert 'src="/desk/desk.js"' in html and 'href="/desk/desk.css"' in html
    assert "http://" not in html and "https://" not in html  # nothing from outside
    for path, kind in [("/desk/desk.js", "javascript"), ("/desk/desk.css", "css")]:
        r = staff.get(path)
        assert r.status_code == 200 and kind in r.headers["content-type"] and "https://" not in r.text
    for field in ("desk-name", "new-service"):
        assert f'<label for="{field}">' in html


def test_desk_flow_over_http(staff, device):
    issue(staff, device, [("passport", 1, 12, False), ("passport", 2, 3, True), ("parking", 1, 8, False)])
    assert staff.get("/api/v1/desk/services").json() == {"services": ["parking", "passport"]}
    assert staff.post("/api/v1/desk/signin", json={"desk": " 4 ", "services": ["passport", "passport"]}).json() == {
        "desk": "4", "services": ["passport"]}
    t = staff.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]}).json()["ticket"]
    assert (t["label"], t["state"], t["desk"], t["appointment"]) == ("A002", "called", "4", True)
    path = f"/api/v1/desk/tickets/{t['id']}"
    assert staff.post(path + "/recall", json={"desk": "4"}).json()["ticket"]["recall"] is True
    assert staff.post(path + "/served", json={"desk": "4"}).json()["ticket"]["state"] == "served"
    r = staff.post(path + "/no-show", json={"desk": "4"})
    assert r.status_code == 409 and r.json()["detail"] == "ticket A002 is served; only a called ticket can be marked no-show"
    q = staff.get("/api/v1/desk/queue", params={"services": "passport,parking"}).json()
    assert [(x["label"], x["state"]) for x in q["tickets"]] == [("A001", "waiting"), ("B001", "waiting"),
                                                                ("A002", "served")]
    assert q["counts"] == {"waiting": 2, "called": 0, "served": 1, "no_show": 0}
    chosen = q["tickets"][1]
    c = staff.post(f"/api/v1/desk/tickets/{chosen['id']}/call", json={"desk": "7"}).json()["ticket"]
    assert (c["label"], c["desk"], c["service"]) == ("B001", "7", "parking")
    back = staff.post(f"/api/v1/desk/tickets/{chosen['id']}/put-back", json={"desk": "7"}).json()["ticket"]
    assert back["state"] == "waiting" and back["desk"] is None
    only = staff.get("/api/v1/desk/queue", params={"services": "parking"}).json()
    assert [x["service"] for x in only["tickets"]] == ["parking"] and only["tickets"][0]["waited_min"] > 7.9
    calls = staff.get("/api/v1/queue", headers={"Authorization": f"Bearer {device[1]}"}).json()["calls"]
    assert [(x["ticket"], x["desk"], x["recall"]) for x in calls] == [("A002", "4", False), ("A002", "4", True),
                                                                     ("B001", "7", False)]


@pytest.mark.parametrize("path, body, status, message", [
    ("call-next", {"desk": "", "services": ["a"]}, 422, "body.desk: Value error, desk must not be empty"),
    ("call-next", {"desk": "4"}, 422, "body.services: Field required"),
    ("call-next", {"desk": "4", "services": []}, 422, "pick at least one service"),
    ("call-next", {"desk": "x" * 33, "services": ["a"]}, 422, "desk must be at most 32 characters"),
    ("call-next", {"desk": "4\x00", "services": ["a"]}, 422, "without control characters"),
    ("call-next", {"desk": 4, "services": ["a"]}, 422, "body.desk: Input should be a valid string"),
    ("call-next", {"desk": "4", "services": "passport"}, 422, "body.services: Input should be a valid list"),
    ("call-next", {"desk": "4", "services": ["a"], "dsek": 1}, 422, "body.dsek: Extra inputs are not permitted"),
    ("call-next", [1, 2], 422, "Input should be a valid dictionary"),
    ("signin", {"desk": "4", "services": ["\ud800"]}, 422, "a service id must be plain text"),
    ("tickets/0/served", {"desk": "4"}, 422, "path.entry_id: Input should be greater than or equal to 1"),
    ("tickets/abc/served", {"desk": "4"}, 422, "path.entry_id: Input should be a valid integer"),
    ("tickets/99999999999999999999/call", {"desk": "4"}, 422, "path.entry_id"),
    ("tickets/12345/recall", {"desk": "4"}, 404, "there is no ticket with id 12345"),
    ("tickets/12345/put-back", {}, 422, "body.desk: Field required"),
])
def test_bad_desk_input_gets_a_clear_4xx(staff, path, body, status, message):
    r = staff.post("/api/v1/desk/" + path, content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert message in r.json()["detail"]


def test_bad_json_and_queries(staff):
    r = staff.post("/api/v1/desk/call-next", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON decode error" in r.json()["detail"]
    r = staff.get("/api/v1/desk/queue", params={"services": "a" * 5000})
    assert r.status_code == 422 and "query.services" in r.json()["detail"]


def test_openapi_describes_the_desk_and_queue(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    assert "/api/v1/queue" in paths and paths["/api/v1/queue"]["get"]["tags"] == ["devices"]
    desk = [p for p in paths if p.startswith("/api/v1/desk/")]
    assert set(desk) >= {"/api/v1/desk/call-next", "/api/v1/desk/queue", "/api/v1/desk/signin",
                         "/api/v1/desk/services", "/api/v1/desk/tickets/{entry_id}/recall",
                         "/api/v1/desk/tickets/{entry_id}/served", "/api/v1/desk/tickets/{entry_id}/no-show",
                         "/api/v1/desk/tickets/{entry_id}/put-back", "/api/v1/desk/tickets/{entry_id}/call"}
    schema = doc["components"]["schemas"]
    assert {"DeskIn", "DeskOnly", "QueueState", "Call", "ServiceState"} <= set(schema)
    assert set(schema["Call"]["properties"]) == {"call_id", "ticket", "service", "desk", "lang", "called_at",
                                                 "recall"}


scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2 ** 70, max_value=2 ** 70),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40))
values = st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                   st.dictionaries(st.text(max_size=8), c, max_size=4)),
                      max_leaves=10)
bodies = st.one_of(
    st.fixed_dictionaries({"desk": st.one_of(st.text(max_size=40), values),
                           "services": st.one_of(st.lists(st.text(max_size=70), max_size=5), values)},
                          optional={"extra": values}),
    values)
paths = st.sampled_from(["call-next", "signin", "tickets/1/call", "tickets/1/recall", "tickets/1/served",
                         "tickets/1/no-show", "tickets/1/put-back", "tickets/-1/call", "tickets/1e3/served"])


def test_fuzzed_desk_bodies_never_500(staff, device):
    issue(staff, device, [("passport", 1, 5, False), ("passport", 2, 4, False)])

    @FUZZ
    @given(paths, bodies)
    def run(path, body):
        r = staff.post("/api/v1/desk/" + path, content=json.dumps(body), headers={"Content-Type": "application/json"})
        assert r.status_code < 500, (path, body, r.text)
        assert isinstance(r.json()["detail" if r.status_code >= 400 else "ticket"], (str, dict, type(None)))
    run()

    @FUZZ
    @given(st.binary(max_size=200), st.text(max_size=60))
    def raw(body, services):
        r = staff.post("/api/v1/desk/call-next", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code < 500, r.text
        r = staff.get("/api/v1/desk/queue", params={"services": services})
        assert r.status_code < 500, r.text
    raw()
