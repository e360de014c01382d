"""The whole hall end to end, every part real: a ticket kiosk issues tickets (its own core,
live waits read from central), its sync worker sends them to a real kiosk-central process, a
desk calls them over the desk API, and the hall display's own poller shows the call with the
direction from its place in the floor plan and the words it speaks. Served tickets then show
their estimated and real wait in the ticket statistics."""
from __future__ import annotations

import tomllib
from pathlib import Path

from display_kit import build_config

from central_kit import CentralProcess, device_add, midday_zone, staff_session
from kiosk.hall.announce import call_texts
from kiosk.hall.calls import Connection, HallPoller
from kiosk.hall.directions import DeskFinder
from kiosk.i18n import Translator
from kiosk.hall.live_wait import LiveWaits
from kiosk.storage.store import Store
from kiosk.sync.worker import drain
from kiosk.sync.transport import Transport
from kiosk.tickets.issue import TicketIssuer

PASSWORD = "desk password for the hall test"
STAFF = [("ada", "admin", PASSWORD)]  # calls tickets, then reads the stats
PLAN = Path(__file__).resolve().parents[2] / "config" / "example-floorplan.toml"


def hall_config(zone: str, url: str, token: str):
    wayfinding = tomllib.loads(PLAN.read_text(encoding="utf-8"))["wayfinding"]
    return build_config(device={"timezone": zone}, sync={"url": url, "token": token},
                        wayfinding=wayfinding, display={"poll_interval_s": 0.2},
                        tickets={"double_tap_s": 0})  # one visitor after another, no double taps


def test_ticket_issued_called_shown_spoken_and_its_waits_compared(tmp_path):
    zone = midday_zone()  # 'today' is the same local day for kiosk and central during the test
    db = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    env = {"KIOSK_CENTRAL_QUEUE_TIMEZONE": zone, "KIOSK_CENTRAL_QUEUE_DEFAULT_SERVICE_MIN": "5"}
    with CentralProcess(db, users=STAFF, env=env, log_path=tmp_path / "central.log") as central:
        kiosk_cfg = hall_config(zone, central.url, device_add(db, "tickets-hall"))
        display_cfg = hall_config(zone, central.url, device_add(db, "display-hall"))
        store = Store(tmp_path / "kiosk", device_id="tickets-hall")
        waits = LiveWaits(kiosk_cfg.sync, kiosk_cfg.tickets)
        issuer = TicketIssuer(store, kiosk_cfg, live_waits=waits)
        transport = Transport(central.url, kiosk_cfg.sync.token)

        # 1. Before central knows anybody, the kiosk's tickets carry its own estimate.
        first = [issuer.issue("passport", lang) for lang in ("nl", "en", "nl")]
        assert [r.ticket.label for r in first] == ["A001", "A002", "A003"]
        drain(store, transport)

        # 2. Now central's queue has them: the next ticket shows the live wait.
        assert waits.refresh(), waits.message
        live = waits.current("passport")
        assert live is not None and live[1] > 0            # 3 waiting x 5 min / 1 desk
        fourth = issuer.issue("passport", "nl")
        assert fourth.wait_source == "live" and fourth.wait == live
        drain(store, transport)
        events = {e.payload["label"]: e.payload for e in store.outbox_events("ticket.issued")}
        assert events["A001"]["wait_source"] == "configured"
        assert events["A004"]["wait_source"] == "live" and events["A004"]["estimated_wait_min"] == list(live)

        # 3. The display starts; desk 4 calls the next ticket: A002 was issued in English.
        poller = HallPoller(display_cfg.sync, display_cfg.display, lambda *_: None)
        view, new = poller.poll_once()
        assert view.connection(poller.clock()) is Connection.ONLINE and view.calls == ()
        assert view.waiting["passport"] == 4
        desk = staff_session(central.url, "ada", PASSWORD)
        called = [desk.post(central.url + "/api/v1/desk/call-next",
                            json={"desk": "4", "services": ["passport"]}, timeout=30).json()["ticket"]
                  for _ in range(2)]
        assert [t["label"] for t in called] == ["A001", "A002"]
        view, new = poller.poll_once()
        assert [(c.ticket, c.desk) for c in new] == [("A001", "4"), ("A002", "4")]
        assert view.latest.ticket == "A002" and view.waiting["passport"] == 2

        # 4. What the display shows and says for it: the way from its own place to desk-4.
        tr = Translator("nl")
        way = DeskFinder.from_config(display_cfg, tr).direction(view.latest.desk, "nl")
        assert way.place == "desk-4" and 0 < way.angle < 90 and way.text.startswith("Rechts")
        assert call_texts(view.latest, tr, "nl") == [("Nummer A 2, balie 4", "nl"),
                                                     ("Number A2, desk 4", "en")]

        # 5. Served and no-show; the ticket statistics compare estimated with real waits.
        for t, action in ((called[0], "served"), (called[1], "no-show")):
            r = desk.post(central.url + f"/api/v1/desk/tickets/{t['id']}/{action}", json={"desk": "4"},
                          timeout=30)
            assert r.status_code == 200, r.text
        stats = desk.get(central.url + "/api/v1/stats/tickets", timeout=30).json()
        hours = stats["wait_by_hour"]
        assert sum(h["tickets"] for h in hours) == 2, hours      # the two called tickets
        assert all(h["avg_estimated_wait_min"] >= 0 and h["avg_real_wait_min"] >= 0 for h in hours)
        poller.stop()
        waits.stop()
        store.close()
