"""Reading the hall's queue from the central service: `GET /api/v1/queue` (docs/calling.md).

  client = QueueClient.from_sync(cfg.sync, timeout=4.0)
  answer = client.fetch(since=57)          # a QueueAnswer, or QueueError with a clear message
  for answer in client.stream(57, 5.0):    # GET /api/v1/queue/stream (server-sent events);
      ...                                  # None for a keep-alive; QueueError when it breaks

Uses the [sync] url, token (or token_file), TLS settings and requests, like the event
sender (kiosk/sync/transport.py). The answer is checked against the contract before anyone
uses it: a malformed call or service entry makes the whole answer bad (QueueError), so a
display never shows half-understood data. Import this module off the Kivy thread
(requests takes ~0.4 s to import).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import requests

from kiosk import __version__
from kiosk.sync.transport import read_token

log = logging.getLogger(__name__)
HELP_STATES = ("open", "coming", "done", "cancelled", "missed")


class QueueError(Exception):
    """No usable answer: network trouble, a refusal, or an answer outside the contract."""


class NoStream(QueueError):
    """The service has no queue stream (404/405: an older central): poll instead."""


@dataclass(frozen=True)
class Call:
    call_id: int
    ticket: str
    service: str
    desk: str
    lang: str
    called_at: str
    recall: bool = False
    transfer: bool = False  # from "transfers": the ticket was sent to `service` (and to `desk` when not "")


@dataclass(frozen=True)
class ServiceQueue:
    waiting: int
    est_wait_min: tuple[int, int] | None
    desks: int


@dataclass(frozen=True)
class HelpEntry:
    """One help call as central sees it (docs/help.md): `state` one of HELP_STATES."""
    id: str
    device: str
    state: str
    host: str = ""


@dataclass(frozen=True)
class QueueAnswer:
    server_time: str
    services: dict[str, ServiceQueue] = field(default_factory=dict)
    calls: tuple[Call, ...] = ()
    help: tuple[HelpEntry, ...] = ()
    transfers: tuple[Call, ...] = ()


def _int(v, what: str, lo: int = 0) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise QueueError(f"{what} must be a whole number >= {lo}, got {v!r}")
    return v


def _text(v, what: str, allow_empty: bool = False) -> str:
    if not isinstance(v, str) or (not allow_empty and not v.strip()):
        raise QueueError(f"{what} must be text, got {v!r}")
    return v.strip()


def parse_answer(doc) -> QueueAnswer:
    """A contract-shaped JSON document -> QueueAnswer; QueueError names what is wrong."""
    if not isinstance(doc, dict):
        raise QueueError("the answer is not a JSON object")
    services_doc = doc.get("services", {})
    calls_doc = doc.get("calls", [])
    if not isinstance(services_doc, dict):
        raise QueueError("'services' must be an object")
    if not isinstance(calls_doc, list):
        raise QueueError("'calls' must be a list")
    services = {}
    for sid, s in services_doc.items():
        if not isinstance(s, dict):
            raise QueueError(f"services.{sid} must be an object")
        est = s.get("est_wait_min")
        if est is not None:
            if not (isinstance(est, list) and len(est) == 2):
                raise QueueError(f"services.{sid}.est_wait_min must be [low, high], got {est!r}")
            low, high = (_int(x, f"services.{sid}.est_wait_min") for x in est)
            est = (min(low, high), max(low, high))
        services[sid] = ServiceQueue(_int(s.get("waiting", 0), f"services.{sid}.waiting"), est,
                                     _int(s.get("desks", 0), f"services.{sid}.desks"))
    calls = []
    for i, c in enumerate(calls_doc):
        if not isinstance(c, dict):
            raise QueueError(f"calls[{i}] must be an object")
        calls.append(Call(_int(c.get("call_id"), f"calls[{i}].call_id", 1),
                          _text(c.get("ticket"), f"calls[{i}].ticket"),
                          _text(c.get("service", ""), f"calls[{i}].service", True),
                          _text(c.get("desk"), f"calls[{i}].desk"),
                          _text(c.get("lang", "") or "", f"calls[{i}].lang", True),
                          _text(c.get("called_at", "") or "", f"calls[{i}].called_at", True),
                          bool(c.get("recall", False))))
    calls.sort(key=lambda c: c.call_id)
    return QueueAnswer(_text(doc.get("server_time", "") or "", "server_time", True), services,
                       tuple(calls), parse_help(doc.get("help")), parse_transfers(doc.get("transfers")))


def parse_transfers(doc) -> tuple[Call, ...]:
    """The optional "transfers" list (a desk sent a ticket to another service or desk), as
    Calls with transfer=True; read tolerantly like "help": a bad entry is skipped and logged."""
    if doc is None:
        return ()
    if not isinstance(doc, list):
        log.warning("queue answer: 'transfers' is not a list: ignored")
        return ()
    out = []
    for i, t in enumerate(doc):
        try:
            if not isinstance(t, dict):
                raise QueueError(f"transfers[{i}] must be an object")
            out.append(Call(_int(t.get("call_id"), f"transfers[{i}].call_id", 1),
                            _text(t.get("ticket"), f"transfers[{i}].ticket"),
                            _text(t.get("service"), f"transfers[{i}].service"),
                            _text(t.get("desk", "") or "", f"transfers[{i}].desk", True),
                            _text(t.get("lang", "") or "", f"transfers[{i}].lang", True),
                            _text(t.get("called_at", "") or "", f"transfers[{i}].called_at", True),
                            False, True))
        except QueueError as e:
            log.warning("queue answer: %s: skipped", e)
    return tuple(sorted(out, key=lambda c: c.call_id))


def parse_help(doc) -> tuple[HelpEntry, ...]:
    """The optional "help" list, read tolerantly: a missing key is no calls, and a bad entry
    (or a list that is not one) is skipped with a log line, never the whole answer: a help
    call must not take the hall display's calls down with it."""
    if doc is None:
        return ()
    if not isinstance(doc, list):
        log.warning("queue answer: 'help' is not a list (%s): ignored", type(doc).__name__)
        return ()
    out = []
    for i, e in enumerate(doc):
        if not isinstance(e, dict):
            log.warning("queue answer: help[%d] is not an object: skipped", i)
            continue
        cid, device, state, host = e.get("id"), e.get("device", ""), e.get("state"), e.get("host", "")
        host = "" if host is None else host
        if not (isinstance(cid, str) and cid.strip() and isinstance(device, str)
                and isinstance(host, str) and state in HELP_STATES):
            log.warning("queue answer: help[%d] is not {id, device, state, host} with state one "
                        "of %s: skipped", i, ", ".join(HELP_STATES))
            continue
        out.append(HelpEntry(cid.strip(), device.strip(), state, " ".join(host.split())[:40]))
    return tuple(out)


class QueueClient:
    def __init__(self, url: str, token: str, *, timeout: tuple[float, float] = (3.0, 5.0),
                 verify_tls: bool = True, ca_file: str = ""):
        self.endpoint = url.rstrip("/") + "/api/v1/queue"
        self.timeout = timeout
        self._live = None  # the open stream's response (closed by close() from another thread)
        self.verify: bool | str = ca_file if (verify_tls and ca_file) else verify_tls
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}",
                                     "User-Agent": f"publiekshal-kiosk/{__version__}"})

    @classmethod
    def from_sync(cls, sync, timeout: float) -> "QueueClient":
        """From the [sync] section; each wait is at most `timeout` (and the [sync] timeouts).
        Raises QueueError when sync.url is not set or the token file cannot be read."""
        if not sync.url:
            raise QueueError("sync.url is not set: the central queue cannot be read")
        try:
            token = read_token(sync.token, sync.token_file)
        except OSError as e:
            raise QueueError(f"cannot read sync.token_file {sync.token_file!r}: {e.strerror}") from None
        return cls(sync.url, token, timeout=(min(sync.connect_timeout_s, timeout),
                                             min(sync.read_timeout_s, timeout)),
                   verify_tls=sync.verify_tls, ca_file=sync.ca_file)

    def fetch(self, since: int | None = None) -> QueueAnswer:
        params = {"since": str(since)} if since is not None else None
        try:
            r = self.session.get(self.endpoint, params=params, timeout=self.timeout,
                                 verify=self.verify)
        except requests.exceptions.SSLError as e:
            raise QueueError(f"TLS problem: {_short(e)}") from None
        except requests.exceptions.Timeout:
            raise QueueError("the central service did not answer in time") from None
        except requests.exceptions.RequestException as e:
            raise QueueError(f"cannot reach the central service: {_short(e)}") from None
        if r.status_code != 200:
            raise QueueError(f"central service answered {r.status_code} for the queue: "
                             f"{r.text[:200]}")
        try:
            doc = r.json()
        except ValueError:
            raise QueueError("the queue answer is not JSON") from None
        return parse_answer(doc)

    def stream(self, since: int | None, read_timeout: float) -> Iterator[QueueAnswer | None]:
        """GET /api/v1/queue/stream: a QueueAnswer per event, None per keep-alive comment.
        Raises QueueError when it cannot be opened or breaks (no byte for `read_timeout`
        seconds counts as broken), NoStream when the service has none."""
        params = {"since": str(since)} if since is not None else None
        try:
            r = self.session.get(self.endpoint + "/stream", params=params, stream=True, verify=self.verify,
                                 timeout=(self.timeout[0], read_timeout), headers={"Accept": "text/event-stream"})
        except requests.exceptions.RequestException as e:
            raise QueueError(f"cannot open the queue stream: {_short(e)}") from None
        self._live = r
        try:
            if r.status_code in (404, 405):
                raise NoStream(f"the central service has no queue stream ({r.status_code})")
            if r.status_code != 200 or not r.headers.get("content-type", "").startswith("text/event-stream"):
                raise QueueError(f"central service answered {r.status_code} for the queue stream")
            for kind, data in sse_lines(r.iter_content(chunk_size=None)):
                if kind == "comment":
                    yield None
                elif kind == "queue":
                    try:
                        doc = json.loads(data)
                    except ValueError:
                        raise QueueError("a queue stream event is not JSON") from None
                    yield parse_answer(doc)
            raise QueueError("the central service ended the queue stream")
        except QueueError:
            raise
        except Exception as e:  # noqa: BLE001 - requests/urllib3/socket errors mid-stream, a close() meanwhile
            raise QueueError(f"the queue stream broke: {_short(e)}") from None
        finally:
            self._live = None
            r.close()

    def close(self) -> None:
        live = self._live
        if live is not None:
            try:
                live.close()  # wakes a thread blocked reading the stream
            except Exception:  # noqa: BLE001
                pass
        self.session.close()


def sse_lines(chunks: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """Server-sent events from byte chunks: (event name, data) per event, ("comment", text)
    per comment line. Lines end in LF, CRLF or CR; `retry:` and `id:` are not needed here."""
    buf = b""
    event, data = "message", []
    for chunk in chunks:
        buf += chunk
        *lines, buf = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace")
            if not line:
                if data:
                    yield event, "\n".join(data)
                event, data = "message", []
            elif line.startswith(":"):
                yield "comment", line[1:].strip()
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    event = value
                elif name == "data":
                    data.append(value)


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__
