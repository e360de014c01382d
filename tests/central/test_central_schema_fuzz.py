"""schemathesis over the app's own /openapi.json: every operation gets EXAMPLES generated requests,
valid and invalid ones (schemathesis' positive and negative modes), derandomized (the same
requests on every run), sent as a logged-in member of staff who also holds a device token; no
answer may be a 5xx (schemathesis' `not_a_server_error` check). On SQLite and on PostgreSQL,
which is stricter about text (NUL characters). Event streams are read to their first event.

KNOWN lists the 5xx the fuzzing found before they were fixed (hall's `since`, the statistics'
date range, NUL characters in query strings on PostgreSQL): each is one exact request that
must now get a 4xx or a normal answer."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from central import auth, queue  # noqa: E402
from central.settings import CentralSettings, LiveSettings, QueueSettings  # noqa: E402
from central_kit import issued_payload, make_event, midday_zone, rfc3339  # noqa: E402

EXAMPLES = 25  # per operation and database: the whole file in about 30 s on 2 cores
PASSWORD = "fuzzing password"
OPERATIONS = [
    "POST /api/v1/events", "GET /healthz", "GET /api/v1/stats/feedback", "GET /api/v1/stats/tickets",
    "GET /api/v1/devices", "GET /api/v1/export/events.csv", "GET /api/v1/export/daily.csv", "GET /login",
    "POST /login", "GET /logout", "GET /dashboard", "GET /api/v1/queue/stream", "GET /api/v1/queue",
    "GET /api/v1/desk/services", "POST /api/v1/desk/signin", "GET /api/v1/desk/queue", "GET /api/v1/desk/stream",
    "POST /api/v1/desk/call-next", "POST /api/v1/desk/tickets/{entry_id}/call",
    "POST /api/v1/desk/tickets/{entry_id}/recall", "POST /api/v1/desk/tickets/{entry_id}/served",
    "POST /api/v1/desk/tickets/{entry_id}/no-show", "POST /api/v1/desk/tickets/{entry_id}/put-back",
    "GET /api/v1/tickets/{token}", "GET /t/{token}",
    "GET /api/v1/help/calls", "GET /api/v1/help/stream", "POST /api/v1/help/{call_id}/coming",  # help calls (issue #18)
    "POST /api/v1/help/{call_id}/done", "GET /api/v1/stats/help", "GET /api/v1/export/help.csv",
    "GET /admin/audit.csv", "POST /logout",
    "POST /api/v1/desk/tickets/{entry_id}/priority", "POST /api/v1/desk/transfer", "POST /api/v1/desk/pause",
    "POST /api/v1/desk/resume", "GET /api/v1/stats/desks",
    "POST /t/{token}/feedback", "GET /api/v1/stats/wait-bands", "GET /api/v1/export/wait_bands.csv",
    "GET /api/v1/alerts", "POST /api/v1/alerts/{alert_id}/acknowledge", "POST /api/v1/alerts/{alert_id}/comment"]  # issue 17
KNOWN = [  # (database or None for both, operation, query): answered 500 once
    (None, "GET /api/v1/queue", {"since": "\u00b2"}),  # central/hall.py parse_since: '²'.isdigit(), int() fails
    (None, "GET /api/v1/queue/stream", {"since": "\u00b2"}),
    (None, "GET /api/v1/stats/feedback", {"from": "9999-12-31", "to": "9999-12-31"}),  # filters.py: end + 1 day
    (None, "GET /api/v1/stats/tickets", {"to": "9999-12-31"}),
    (None, "GET /api/v1/stats/feedback", {"from": "0001-01-01"}),  # filters.py: local midnight before year 1 UTC
    (None, "GET /api/v1/export/daily.csv", {"from": "9999-12-31", "to": "9999-12-31"}),
    (None, "GET /api/v1/export/events.csv", {"from": "0001-01-01", "to": "0001-01-01"}),
    ("postgres", "GET /api/v1/stats/feedback", {"device": "a\x00b"}),  # NUL in a query parameter: PostgreSQL error
    ("postgres", "GET /api/v1/desk/queue", {"services": "a\x00"}),
    ("postgres", "GET /api/v1/desk/stream", {"services": "a\x00"}),
]
_names = itertools.count()


@dataclasses.dataclass
class Target:
    db: str
    app: object
    schema: object
    headers: dict
    cookies: dict


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def target(request, tmp_path_factory):
    """The app on one database, with a device, today's tickets to act on and a staff login."""
    from fastapi.testclient import TestClient

    from central.app import create_app
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'central.sqlite3'}"
    else:
        url = request.getfixturevalue("pg").create_db(f"fuzz{os.getpid()}_{next(_names)}")
    zone = midday_zone()
    settings = CentralSettings(db=url, admin_password_hash=auth.hash_password(PASSWORD), max_body_bytes=200_000,
                               queue=QueueSettings(timezone=zone), live=LiveSettings(heartbeat_s=0.5))
    app = create_app(settings)
    token = auth.add_device(app.state.engine, "pillar-1")
    now = dt.datetime.now(dt.timezone.utc)
    day = queue.today(zone, now.replace(tzinfo=None))[0].isoformat()
    with TestClient(app) as c:
        batch = [make_event("pillar-1", n, "ticket.issued",
                            {**issued_payload("passport", n, day=day), "token": f"Fuzz{n:03d}_abcdefghijk"},
                            rfc3339(now - dt.timedelta(minutes=30 - n))) for n in range(1, 9)]
        r = c.post("/api/v1/events", json={"events": batch}, headers={"Authorization": f"Bearer {token}"})
        assert r.json()["accepted"] == 8, r.text
        assert c.post("/login", data={"username": "admin", "password": PASSWORD},
                      follow_redirects=False).status_code == 303
        cookies = {"kc_session": c.cookies["kc_session"]}
    config = SchemathesisConfig.from_dict({"max-stream-events": 1})  # a stream: its head and first event
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    yield Target(request.param, app, schema, {"Authorization": f"Bearer {token}"}, cookies)
    app.state.queue_bus.close()
    app.state.engine.dispose()


def test_every_operation_is_fuzzed(target):
    found = sorted(r.ok().label for r in target.schema.get_all_operations())
    assert found == sorted(OPERATIONS), "a new operation: add it to OPERATIONS"


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_operation_answers_5xx(target, label):
    op = target.schema.find_operation_by_label(label)
    cases = st.one_of(op.as_strategy(GenerationMode.POSITIVE), op.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def run(case):
        headers = {**target.headers, **(case.headers or {})}
        # logging out would end the session the other operations are fuzzed with
        cookies = {} if label.endswith("/logout") else target.cookies
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=[not_a_server_error])
    run()


@pytest.mark.parametrize("db,label,query", [
    pytest.param(db, label, query, id=f"{db or 'any'}-{label}-{query!r}") for db, label, query in KNOWN])
def test_once_found_5xx_are_gone(target, db, label, query):
    """`db` is where the 500 was found; every database must answer these without one."""
    op = target.schema.find_operation_by_label(label)
    case = op.Case(query=query)
    response = case.call(headers=target.headers, cookies=target.cookies)
    case.validate_response(response, checks=[not_a_server_error])
