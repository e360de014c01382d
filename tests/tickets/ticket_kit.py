"""Services and a config builder for the ticket tests (imported by name, not as
`conftest`, so they work whichever conftest pytest loaded first)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import testkit

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
     "pictogram": "passport", "wait_at": {"nl": "Wachtruimte B", "en": "Waiting area B"},
     "handling_minutes": 10, "desks_open": 2},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
     "pictogram": "moving", "handling_minutes": 6, "desks_open": 1,
     "hours": ["mon-fri 09:00-12:30"]},
    {"id": "appointment", "prefix": "F", "names": {"nl": "Afspraak", "en": "Appointment"},
     "pictogram": "appointment", "needs_appointment": True},
]


QR_URL = "https://www.example.nl/wachtrij?t={token}"


def build_config(**sections):
    """A validated KioskConfig (services default to SERVICES); tickets carry a QR code
    (tickets.qr_url) unless the test sets its own [tickets]."""
    sections.setdefault("tickets", {"qr_url": QR_URL})
    return testkit.build_config(SERVICES, **sections)


def content(**kw):
    """A ticket's content as the renderers get it (Dutch, passport, a QR); `kw` overrides."""
    from kiosk.tickets.pictograms import pictogram
    from kiosk.tickets.render import TicketContent
    base = dict(label="A012", lang="nl", your_number="Uw nummer", service_name="Paspoort",
                service_name_nl="Paspoort", wait_at="Wacht bij: Wachtruimte B",
                people_line="Er zijn 3 mensen voor u", wait_line="Wachttijd: 10 tot 30 minuten",
                time_line="Genomen om 10:00 op 02-03-2026",
                qr_url="https://www.example.nl/wachtrij?t=abc123", qr_hint="Bewaar deze code",
                pictogram=pictogram("passport", 128))
    base.update(kw)
    return TicketContent(**base)


class Endpoint:
    """A real loopback HTTP appointment checker: `handler_fn(body) -> (status, answer)`;
    what it was sent is in `seen`."""

    def __init__(self, handler_fn):
        seen = self.seen = []

        class H(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                seen.append(body)
                status, answer = handler_fn(body)
                data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass
        self.server = HTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_port}/check"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
