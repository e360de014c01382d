"""Helpers for the alert tests (tests/central/test_central_alerts*.py): a real SMTP server and a
real webhook receiver on loopback, data written straight into a test database at fixed times,
and the two moments the tests check at (never the machine's clock)."""
from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
import uuid
from email import message_from_bytes, policy

import sqlalchemy as sa

from central.db import devices, events, queue_tickets
from central.insight_tables import phone_feedback

# Tuesday 3 March 2026 10:00 and Sunday 8 March 2026 03:00 in Amsterdam (CET, UTC+1), as naive UTC
TUESDAY_10 = dt.datetime(2026, 3, 3, 9, 0)
SUNDAY_03 = dt.datetime(2026, 3, 8, 2, 0)


class SmtpSink:
    """aiosmtpd on 127.0.0.1 (a free port); `messages` are the e-mails it received."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from central_kit import free_port
        self.messages: list = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def bodies(self) -> list[str]:
        return [m.get_content() for m in self.messages]


class WebhookReceiver:
    """http.server on 127.0.0.1 (a thread): `received` are the JSON bodies it accepted; the first
    `fail_first` requests (and all while `fail_all`) get a 500; `attempts` counts every POST."""

    def __init__(self, fail_first: int = 0):
        self.received: list[dict] = []
        self.attempts = 0
        self.fail_first, self.fail_all = fail_first, False
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.attempts += 1
                failing = outer.fail_all or outer.fail_first > 0
                outer.fail_first = max(0, outer.fail_first - 1)
                if not failing:
                    outer.received.append(json.loads(body))
                self.send_response(500 if failing else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def add_answers(engine: sa.Engine, at: dt.datetime, answers: list[tuple[int, list[str]]], scale: int = 5,
                device: str = "pillar-1") -> None:
    """feedback.given events at `at` (naive UTC): (answer, reasons) each."""
    from central_kit import feedback_payload
    with engine.begin() as conn:
        for answer, reasons in answers:
            conn.execute(events.insert().values(id=str(uuid.uuid4()), device_id=device, seq=0, type="feedback.given",
                                                occurred_at=at, effective_at=at, received_at=at,
                                                payload=feedback_payload(answer, scale, reasons)))


def add_phone_answer(engine: sa.Engine, at: dt.datetime, answer: int, sentiment: str, reasons: list[str],
                     service: str = "passport") -> None:
    with engine.begin() as conn:
        conn.execute(phone_feedback.insert().values(id=str(uuid.uuid4()), at=at, day=at.date().isoformat(),
                                                    hour=at.hour, service=service, answer=answer, scale=5,
                                                    sentiment=sentiment, reasons=reasons))


def add_ticket(engine: sa.Engine, service: str, issued: dt.datetime, first_called: dt.datetime | None = None,
               state: str | None = None) -> None:
    with engine.begin() as conn:
        ref = uuid.uuid4().hex[:12]
        conn.execute(queue_tickets.insert().values(
            device_id="tickets-1", ticket_ref=ref, day=issued.date().isoformat(), event_id=str(uuid.uuid4()),
            service=service, label="A001", appointment=False, issued_at=issued,
            state=state or ("waiting" if first_called is None else "called"), first_called_at=first_called,
            called_at=first_called))


def heartbeat(engine: sa.Engine, device: str, at: dt.datetime, printer_state: str = "online") -> None:
    """Register `device` (if new) with a last heartbeat at `at`."""
    with engine.begin() as conn:
        if conn.execute(sa.select(devices.c.id).where(devices.c.id == device)).first() is None:
            conn.execute(devices.insert().values(id=device, token_hash=uuid.uuid4().hex, created_at=at))
        conn.execute(devices.update().where(devices.c.id == device).values(
            heartbeat={"printer_state": printer_state, "outbox_pending": 0}, heartbeat_at=at, last_seen_at=at))
