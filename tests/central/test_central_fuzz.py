"""Fuzzing the API from its OpenAPI document with hypothesis: whatever arrives, the
answer is 2xx/3xx/4xx, never a 500. Runs on SQLite and PostgreSQL (which is stricter
about text, e.g. NUL characters and lone surrogates)."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

PASSWORD = "correct horse battery"
FUZZ = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30))
json_values = st.recursive(scalars, lambda c: st.one_of(st.lists(c, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), c, max_size=4)),
                           max_leaves=12)


def event_strategy(device_id: str):
    """Events built field by field from the schema, each field sometimes valid, sometimes not."""
    uuid_like = st.one_of(st.uuids().map(str), st.text(max_size=40), json_values)
    times = st.one_of(st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z")),
                      st.text(max_size=30), json_values)
    types = st.one_of(st.sampled_from(["feedback.given", "feedback.suppressed", "ticket.issued", "heartbeat",
                                       "route.shown", "device.status"]), st.text(max_size=20))
    payload = st.one_of(
        st.fixed_dictionaries({"answer": scalars, "scale": scalars, "sentiment": st.one_of(
            st.sampled_from(["positive", "neutral", "negative"]), scalars), "reasons": json_values}),
        st.fixed_dictionaries({"service": scalars, "estimated_wait_min": json_values}),
        st.dictionaries(st.text(max_size=8), json_values, max_size=5), json_values)
    return st.fixed_dictionaries(
        {"id": uuid_like, "device_id": st.one_of(st.just(device_id), json_values),
         "seq": st.one_of(st.integers(min_value=-5, max_value=2**64), json_values), "type": types,
         "occurred_at": times, "payload": payload},
        optional={"boot_id": st.one_of(st.text(max_size=70), json_values),
                  "monotonic": st.one_of(st.floats(), json_values), "extra": json_values})


def test_fuzzed_events_never_500(client, device):
    dev, token = device
    headers = {"Authorization": f"Bearer {token}"}

    @FUZZ
    @given(st.lists(event_strategy(dev), max_size=6))
    def run(batch):
        r = client.post("/api/v1/events", content=json.dumps({"events": batch}), headers={
            **headers, "Content-Type": "application/json"})
        assert r.status_code < 500, r.text
        if r.status_code == 200:
            body = r.json()
            assert body["accepted"] + body["duplicates"] + len(body["rejected"]) == len(batch)
    run()


def test_fuzzed_raw_bodies_and_headers_never_500(client, device):
    dev, token = device

    @FUZZ
    @given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())),
           st.sampled_from([f"Bearer {token}", "Bearer x", "", "Basic abc", f"bearer   {token}"]),
           st.one_of(st.none(), st.text(max_size=20)))
    def run(body, auth, mono):
        h = {"Authorization": auth, "Content-Type": "application/json"}
        if mono is not None and mono.isprintable() and mono.isascii():
            h["X-Kiosk-Monotonic"] = mono
        r = client.post("/api/v1/events", content=body, headers={k: v for k, v in h.items() if v})
        assert r.status_code < 500, r.text
    run()


def test_every_get_in_the_openapi_document_with_fuzzed_query(client, device):
    doc = client.get("/openapi.json").json()
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 200
    gets = [(p, [q["name"] for q in op["get"].get("parameters", []) if q["in"] == "query"])
            for p, op in doc["paths"].items() if "get" in op]
    streams = {p for p, op in doc["paths"].items() if "get" in op
               and "text/event-stream" in op["get"]["responses"].get("200", {}).get("content", {})}
    assert len(gets) >= 8
    texts = st.one_of(st.text(max_size=30), st.dates().map(str), st.just(""))

    @FUZZ
    @given(st.sampled_from(gets), st.data())
    def run(path_params, data):
        path, names = path_params
        params = {n: data.draw(texts) for n in names if data.draw(st.booleans())}
        if path in streams:  # an event stream never ends: its head and first event, then close it
            with client.stream("GET", path, params=params) as r:
                assert r.status_code < 500, (path, params)
                if r.status_code == 200:
                    assert next(r.iter_bytes()).startswith(b"retry:")
            return
        r = client.get(path, params=params)
        assert r.status_code < 500, (path, params, r.text[:300])
    run()
