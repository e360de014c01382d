"""The mobile ticket end to end: the kiosk issues a ticket whose QR opens
<central>/t/<token>; after the outbox is sent to a real kiosk-central process, that token
opens the ticket there (the JSON twin of the page): number, service and route in the
ticket's language. Both sides take today's date from the same system clock."""
from __future__ import annotations

import tomllib
from pathlib import Path

import requests

from kiosk.config.loader import Layer, validate_layers
from kiosk.storage.store import Store
from kiosk.sync.transport import Transport
from kiosk.sync.worker import drain
from kiosk.tickets.issue import TicketIssuer
from kiosk.tickets.setup import make_directions

ROOT = Path(__file__).resolve().parents[2]


def example_site(url: str):
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    plan = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8"))
    site["wayfinding"] = plan["wayfinding"]
    for service in site["services"]:
        service.pop("hours", None)
    site["devices"] = {"printer": {"url": "dummy://"}}
    site["sync"] = {"url": url}
    return validate_layers([Layer("site.toml", site)])[0]


def test_the_qr_code_opens_the_ticket_on_the_central_service(central, tmp_path):
    dev, token = central.new_device()
    cfg = example_site(central.url)
    with Store(tmp_path, device_id=dev) as store:
        issuer = TicketIssuer(store, cfg, directions=make_directions(cfg))
        result = issuer.issue("moving", "en")
        assert result.content.qr_url == f"{central.url}/t/{result.ticket.token}"
        drain(store, Transport(central.url, token))
        assert store.outbox_stats()["pending"] == 0
    r = requests.get(f"{central.url}/api/v1/tickets/{result.ticket.token}", timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["label"], body["service_name"], body["lang"]) == (result.ticket.label, "Moving house", "en")
    assert body["state"] == "waiting" and body["wait_at"] == "Waiting area, 1st floor"
    assert body["route"][0] == result.route.splitlines()[0]       # the whole route, as on screen
    page = requests.get(result.content.qr_url, timeout=10)
    assert page.status_code == 200 and result.ticket.label in page.text
    other = result.ticket.token[:-1] + ("B" if result.ticket.token.endswith("A") else "A")
    wrong = requests.get(f"{central.url}/api/v1/tickets/{other}", timeout=10)
    assert wrong.status_code == 404
