"""Help calls on central (issue #18), on SQLite and PostgreSQL: help.requested / help.cancelled
projected exactly once, cancel, missed (offline, or arriving late), the queue snapshot's `help`
list, the hosts' API (desk and admin may, analyst may not), the audit log, and the stats and
CSV. Times are relative to central's own clock and the queue zone is one where it is about
noon (central_kit.midday_zone), so no test depends on the machine's date or time of day."""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa

from central import hall, help_calls
from central.db import audit_log, utcnow
from central.help_calls import help_calls as table
from central.settings import HelpSettings, QueueSettings
from central_kit import login, make_event, midday_zone, rfc3339


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, queue=QueueSettings(timezone=midday_zone()),
                               help=HelpSettings(missed_after_min=10))


class Kiosk:
    def __init__(self, client, device):
        self.client, (self.dev, self.token) = client, device
        self.seq = 0

    def event(self, type_: str, payload: dict, at: dt.datetime, event_id: str | None = None) -> dict:
        self.seq += 1
        return make_event(self.dev, self.seq, type_, payload, rfc3339(at), event_id)

    def ask(self, at: dt.datetime | None = None, offline: bool = False, screen: str = "ticket_services") -> dict:
        return self.event("help.requested", {"call_id": str(uuid.uuid4()), "place": "g-kiosk", "screen": screen,
                                             "lang": "nl", "offline": offline}, at or utcnow())

    def post(self, *events: dict) -> dict:
        r = self.client.post("/api/v1/events", json={"events": list(events)},
                             headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 200, r.text
        return r.json()

    def queue(self) -> dict:
        r = self.client.get("/api/v1/queue", headers={"Authorization": f"Bearer {self.token}"})
        assert r.status_code == 200, r.text
        return r.json()


def rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(table).order_by(table.c.id)).all()


def test_a_help_call_is_stored_once_and_shown_in_the_snapshot(client, engine, device):
    k = Kiosk(client, device)
    at = utcnow() - dt.timedelta(seconds=30)
    ev = k.ask(at)
    assert k.post(ev)["accepted"] == 1
    assert k.post(ev)["duplicates"] == 1                     # the same event again
    again = k.event("help.requested", ev["payload"], at)      # the same call, another event id
    assert k.post(again)["accepted"] == 1
    (r,) = rows(engine)
    assert (r.call_id, r.device_id, r.place, r.screen, r.lang, r.offline, r.state, r.host) == \
        (ev["payload"]["call_id"], k.dev, "g-kiosk", "ticket_services", "nl", False, "open", None)
    assert abs((r.requested_at - at).total_seconds()) < 0.01 and r.closed_at is None
    doc = k.queue()
    assert doc["help"] == [{"id": ev["payload"]["call_id"], "device": k.dev, "state": "open", "host": ""}]
    from kiosk.hall.client import parse_help                  # exactly what the kiosk reads
    (entry,) = parse_help(doc["help"])
    assert entry.id == ev["payload"]["call_id"] and entry.state == "open"


def test_a_cancelled_call_is_closed_and_a_cancel_of_a_closed_call_changes_nothing(client, engine, device):
    k = Kiosk(client, device)
    ev = k.ask()
    cid = ev["payload"]["call_id"]
    k.post(ev, k.event("help.cancelled", {"call_id": cid}, utcnow()))
    (r,) = rows(engine)
    assert r.state == "cancelled" and r.closed_at is not None
    assert k.queue()["help"][0]["state"] == "cancelled"
    k.post(k.event("help.cancelled", {"call_id": cid}, utcnow()))   # again: nothing to do
    k.post(k.event("help.cancelled", {"call_id": "unknown"}, utcnow()))
    assert [x.state for x in rows(engine)] == ["cancelled"]
    for odd in ("", "a b", "x" * 65, 7, None, "<script>"):      # stored as events, never as calls
        assert k.post(k.event("help.requested", {"call_id": odd, "screen": "home"}, utcnow()))["accepted"] == 1
    assert len(rows(engine)) == 1


def test_offline_and_late_calls_are_missed(client, engine, device):
    k = Kiosk(client, device)
    now = utcnow()
    offline, late, fresh = k.ask(offline=True), k.ask(now - dt.timedelta(minutes=11)), k.ask(now - dt.timedelta(minutes=9))
    k.post(offline, late, fresh)
    got = {r.call_id: r.state for r in rows(engine)}
    assert got == {offline["payload"]["call_id"]: "missed", late["payload"]["call_id"]: "missed",
                   fresh["payload"]["call_id"]: "open"}
    assert all(r.closed_at is not None for r in rows(engine) if r.state == "missed")


def test_the_snapshot_leaves_out_calls_closed_a_while_ago_and_earlier_days(engine):
    qs = QueueSettings(timezone=midday_zone())
    now = utcnow()
    with engine.begin() as conn:
        for cid, req, state, closed in (("a", now - dt.timedelta(minutes=20), "done", now - dt.timedelta(minutes=10)),
                                        ("b", now - dt.timedelta(minutes=8), "done", now - dt.timedelta(minutes=2)),
                                        ("c", now - dt.timedelta(days=1), "open", None),
                                        ("d", now - dt.timedelta(minutes=1), "coming", None)):
            conn.execute(table.insert().values(call_id=cid, device_id="k1", place="", screen="home", lang="nl",
                                               offline=False, requested_at=req, state=state, closed_at=closed,
                                               host="anna" if state != "open" else None))
    doc = hall.snapshot(engine, qs, now=now)
    assert [(h["id"], h["state"], h["host"]) for h in doc["help"]] == [("b", "done", "Anna"), ("d", "coming", "Anna")]


@pytest.mark.parametrize("user, shown", [("anna", "Anna"), ("anna.de.vries", "Anna"), ("Jan-Willem", "Jan-Willem"),
                                         ("piet_k", "Piet"), ("els@hal", "Els"), ("DeVries", "DeVries"), (None, "")])
def test_the_kiosk_gets_the_host_s_first_name(user, shown):
    assert help_calls.first_name(user) == shown


def test_a_desk_user_says_coming_then_done_and_the_audit_log_has_both(client, engine, device, staff_users):
    k = Kiosk(client, device)
    ev = k.ask()
    cid = ev["payload"]["call_id"]
    k.post(ev)
    assert client.post(f"/api/v1/help/{cid}/coming").status_code == 401
    login(client, *staff_users["analyst"])
    assert client.post(f"/api/v1/help/{cid}/coming").status_code == 403
    assert client.get("/api/v1/help/calls").status_code == 403
    login(client, *staff_users["desk"])
    listed = client.get("/api/v1/help/calls").json()
    assert [c["id"] for c in listed["calls"]] == [cid] and listed["prominent_after_s"] == 60
    r = client.post(f"/api/v1/help/{cid}/coming")
    assert r.status_code == 200, r.text
    assert r.json()["call"]["state"] == "coming" and r.json()["call"]["host"] == "dora"
    assert client.post(f"/api/v1/help/{cid}/coming").status_code == 200   # said twice: the same
    assert k.queue()["help"] == [{"id": cid, "device": k.dev, "state": "coming", "host": "Dora"}]
    assert client.post(f"/api/v1/help/{cid}/done").json()["call"]["state"] == "done"
    assert client.post(f"/api/v1/help/{cid}/coming").status_code == 409
    assert client.post("/api/v1/help/no-such-call/coming").status_code == 404
    assert client.get("/api/v1/help/calls").json()["calls"] == []
    (r,) = rows(engine)
    assert (r.state, r.host) == ("done", "dora") and r.taken_at <= r.closed_at
    with engine.connect() as conn:
        audit = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.detail)
                             .where(audit_log.c.action.like("help.%")).order_by(audit_log.c.id)).all()
    assert [(a.actor, a.action, a.detail["call"]) for a in audit] == \
        [("dora", "help.coming", cid), ("dora", "help.coming", cid), ("dora", "help.done", cid)]
    # a cancel after the host came changes nothing
    k.post(k.event("help.cancelled", {"call_id": cid}, utcnow()))
    assert rows(engine)[0].state == "done"


def test_the_host_page_needs_the_desk_role(client, staff_users):
    r = client.get("/host", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/host"
    login(client, *staff_users["analyst"])
    assert client.get("/host").status_code == 403
    login(client, *staff_users["desk"])
    page = client.get("/host")
    assert page.status_code == 200 and "Open hulpvragen van de kiosken" in page.text
    assert "<script src=\"/host/host.js\"" in page.text and "<script>" not in page.text
    assert "Ik kom eraan" in page.text                        # the script's texts, in Dutch
    assert "I&#39;m coming" in client.get("/host?lang=en").text
    assert client.get("/host/host.js").headers["content-type"].startswith("text/javascript")
    assert "help-calls" in client.get("/desk").text            # the desk page shows the list too


def test_help_stats_and_csv(client, engine, device, staff_users):
    k = Kiosk(client, device)
    now = utcnow()
    a, b, c = k.ask(now - dt.timedelta(minutes=3)), k.ask(now - dt.timedelta(minutes=2), screen="home"), k.ask(offline=True)
    k.post(a, b, c)
    login(client, *staff_users["desk"])
    client.post(f"/api/v1/help/{a['payload']['call_id']}/coming")
    client.post(f"/api/v1/help/{b['payload']['call_id']}/coming")
    assert client.get("/api/v1/export/help.csv").status_code == 403
    login(client, *staff_users["analyst"])
    st = client.get("/api/v1/stats/help").json()
    assert (st["total"]["calls"], st["total"]["came"], st["total"]["missed"]) == (3, 2, 1)
    assert 110 <= st["total"]["median_came_s"] <= 190 and st["total"]["avg_came_s"] == pytest.approx(150, abs=10)
    assert {s["screen"]: s["calls"] for s in st["screens"]} == {"ticket_services": 2, "home": 1}
    assert [d["device"] for d in st["devices"]] == [k.dev] and sum(h["calls"] for h in st["hours"]) == 3
    r = client.get("/api/v1/export/help.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(r.text)))
    assert lines[0][:3] == ["call_id", "device_id", "place"] and len(lines) == 4
    assert sorted(line[7] for line in lines[1:]) == ["coming", "coming", "missed"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(audit_log.c.actor).where(audit_log.c.action == "export",
                                                               audit_log.c.target == "help.csv")).scalars().all() == ["anna"]
    page = client.get("/dashboard?lang=en").text
    assert "Help calls" in page and 'id="help-by-screen"' in page


def test_help_events_stored_before_0007_are_projected_as_missed(engine):
    now = utcnow()
    from central import ingest
    ingest.store_batch(engine, "k1", [make_event("k1", 1, "help.requested",
                                                 {"call_id": "x1", "place": "", "screen": "home", "lang": "nl",
                                                  "offline": False}, rfc3339(now))], 16384)
    with engine.begin() as conn:
        conn.execute(table.delete())
        assert help_calls.backfill(conn, now) == 1
    assert [(r.call_id, r.state) for r in rows(engine)] == [("x1", "missed")]


def test_every_text_the_help_list_asks_for_is_in_both_catalogs():
    import re
    from pathlib import Path
    from central.i18n import read_po_texts
    central = Path(help_calls.__file__).parent
    nl, en = (read_po_texts(central / "locale" / lang / "LC_MESSAGES" / "central.po") for lang in ("nl", "en"))
    js = (central / "static" / "host.js").read_text()
    asked = {"help.js." + k for k in re.findall(r'\bt\("([\w.]+)"', js)}
    pages = "".join((central / "templates" / n).read_text() for n in ("host.html", "_help_calls.html", "_help_dash.html"))
    asked |= set(re.findall(r'"((?:help|dash)\.[\w.]+)"', pages)) - {"help.total.calls"}
    assert len(asked) > 20 and sorted(asked - set(en)) == [] and sorted(asked - set(nl)) == []
