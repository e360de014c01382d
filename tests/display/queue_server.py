"""A real HTTP server on loopback that answers `GET /api/v1/queue` the way docs/calling.md
says (the central endpoint is built in parallel). Tests change what it holds and read
what it was asked."""
from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "display-token"


def rfc3339(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class QueueServer:
    def __init__(self):
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
        self.services = {"passport": {"waiting": 3, "est_wait_min": [10, 20], "desks": 2},
                         "moving": {"waiting": 0, "est_wait_min": [0, 5], "desks": 1}}
        self.calls: list[dict] = []
        self.help: list | None = None        # the optional "help" list (docs/help.md)
        self.status = 200
        self.body: bytes | None = None      # a raw body instead of the JSON answer
        self.hold = threading.Event()        # cleared: requests wait until it is set
        self.hold.set()
        self.asked: list[dict] = []          # query of each request
        self.paths: list[str] = []           # path of every request (also those answered 404)
        self.auth: list[str] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> "QueueServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.hold.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def call(self, ticket: str, desk: str, service: str = "passport", lang: str = "nl",
             recall: bool = False, age_s: float = 2.0) -> dict:
        c = {"call_id": len(self.calls) + 1, "ticket": ticket, "service": service, "desk": desk,
             "lang": lang, "called_at": rfc3339(self.now - dt.timedelta(seconds=age_s)),
             "recall": recall}
        self.calls.append(c)
        return c

    def answer(self, since: int | None) -> dict:
        calls = [c for c in self.calls if since is None or c["call_id"] > since]
        doc = {"server_time": rfc3339(self.now), "services": self.services,
               "calls": calls if since is not None else calls[-10:]}
        if self.help is not None:
            doc["help"] = self.help
        return doc

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                server.paths.append(parts.path)
                server.hold.wait(30)
                if parts.path != "/api/v1/queue":
                    return self._send(404, b'{"detail": "not found"}')
                q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                server.asked.append(q)
                server.auth.append(self.headers.get("Authorization", ""))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, b'{"detail": "unknown device token"}')
                if server.status != 200:
                    return self._send(server.status, b'{"detail": "trouble"}')
                if server.body is not None:
                    return self._send(200, server.body)
                since = int(q["since"]) if "since" in q else None
                self._send(200, json.dumps(server.answer(since)).encode())

            def _send(self, status, body):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass
        return Handler
