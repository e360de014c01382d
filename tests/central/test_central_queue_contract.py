"""The contract end to end: a real kiosk-central process, tickets sent by the kiosk's own
sync code path (POST /api/v1/events), calls made on the desk API, and the answer read by
the kiosk's own queue client (kiosk/hall/client.py, used by the hall display and live waits)."""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from central_kit import CentralProcess, device_add, issued_payload, make_event, midday_zone, rfc3339, staff_session
from kiosk.hall.client import QueueClient, QueueError

PASSWORD = "contract password"
STAFF = [("dora", "desk", PASSWORD)]


def test_kiosk_queue_client_reads_what_the_desks_call(tmp_path):
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": midday_zone(), "KIOSK_CENTRAL_QUEUE_DEFAULT_SERVICE_MIN": "4"}
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        token = device_add(db, "kiosk-hall")
        display = device_add(db, "display-hall")
        now = dt.datetime.now(dt.timezone.utc)
        batch = [make_event("kiosk-hall", n, "ticket.issued",
                            issued_payload("passport", n, lang=["nl", "en", "tr"][n % 3]),
                            rfc3339(now - dt.timedelta(minutes=10 - n))) for n in range(1, 6)]
        r = requests.post(central.url + "/api/v1/events", json={"events": batch},
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert r.json()["accepted"] == 5
        client = QueueClient(central.url, display)
        first = client.fetch()
        assert first.calls == () and first.services["passport"].waiting == 5
        assert first.services["passport"].est_wait_min == (15, 25)  # 5 x 4 min / 1 desk = 20
        desk = staff_session(central.url, "dora", PASSWORD)
        called = [desk.post(central.url + "/api/v1/desk/call-next", json={"desk": d, "services": ["passport"]},
                            timeout=30).json()["ticket"] for d in ("4", "12")]
        desk.post(central.url + f"/api/v1/desk/tickets/{called[0]['id']}/recall", json={"desk": "4"}, timeout=30)
        answer = client.fetch()
        assert [(c.ticket, c.desk, c.lang, c.recall) for c in answer.calls] == [
            ("A001", "4", "en", False), ("A002", "12", "tr", False), ("A001", "4", "en", True)]
        assert answer.services["passport"].waiting == 3 and answer.services["passport"].desks == 2
        assert answer.services["passport"].est_wait_min == (4, 8)  # 3 x 4 / 2 desks = 6
        later = client.fetch(since=answer.calls[1].call_id)
        assert [c.recall for c in later.calls] == [True]
        assert client.fetch(since=answer.calls[-1].call_id).calls == ()
        with pytest.raises(QueueError, match="answered 401"):
            QueueClient(central.url, "not-a-token").fetch()
        client.close()
