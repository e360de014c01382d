"""The HTTP side of sync: one POST of a batch, every outcome turned into a `Reply`
(no exception escapes). Uses requests with connect/read timeouts and TLS verified."""
from __future__ import annotations

import email.utils
import enum
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__

if TYPE_CHECKING:
    import requests


class ReplyKind(enum.Enum):
    OK = "ok"                # 200 with a well-formed answer
    RETRY = "retry"          # network trouble, 5xx, 429, odd answers: try again later
    AUTH = "auth"            # 401/403: a configuration fault; stop sending
    SPLIT = "split"          # 413 or 400 for the whole batch: send smaller batches


@dataclass
class Reply:
    kind: ReplyKind
    message: str = ""
    status: int | None = None
    retry_after: float | None = None
    accepted: int = 0
    duplicates: int = 0
    rejected: list[dict] = field(default_factory=list)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now or time.time()))


def read_token(token: str, token_file: str) -> str:
    if token:
        return token.strip()
    if token_file:
        return Path(token_file).read_text(encoding="utf-8").strip()
    return ""


class Transport:
    def __init__(self, url: str, token: str, *, connect_timeout: float = 5.0, read_timeout: float = 30.0,
                 verify_tls: bool = True, ca_file: str = "", boot_id: str = ""):
        self.endpoint = url.rstrip("/") + "/api/v1/events"
        self.timeout = (connect_timeout, read_timeout)
        import requests   # here, not at the top: a kiosk that sends nowhere never loads it (~5 MiB)
        self.session = requests.Session()
        # passed with every request: a Session's own `verify` loses to REQUESTS_CA_BUNDLE in the environment
        self.verify: bool | str = ca_file if (verify_tls and ca_file) else verify_tls
        self.session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                     "User-Agent": f"publiekshal-kiosk/{__version__}"})
        self.boot_id = boot_id

    def close(self) -> None:
        self.session.close()

    def post(self, envelopes: list[dict]) -> Reply:
        return self.post_body(json.dumps({"events": envelopes}, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8", "surrogatepass"))

    def post_body(self, body: bytes) -> Reply:
        """POST an encoded {"events": [...]} body; every outcome becomes a Reply."""
        import requests   # loaded by __init__: a lookup here
        headers = {"X-Kiosk-Boot-Id": self.boot_id, "X-Kiosk-Monotonic": f"{time.monotonic():.3f}"}
        try:
            r = self.session.post(self.endpoint, data=body, headers=headers, timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as e:
            return Reply(ReplyKind.RETRY, f"TLS problem: {_short(e)}")
        except requests.exceptions.Timeout:
            return Reply(ReplyKind.RETRY, "the central service did not answer in time")
        except requests.exceptions.RequestException as e:
            return Reply(ReplyKind.RETRY, f"cannot reach the central service: {_short(e)}")
        return self._interpret(r)

    @staticmethod
    def _interpret(r: requests.Response) -> Reply:
        detail = _detail(r)
        if r.status_code in (401, 403):
            return Reply(ReplyKind.AUTH, f"the central service refused this device ({r.status_code}): {detail}",
                         r.status_code)
        if r.status_code in (400, 413):
            return Reply(ReplyKind.SPLIT, f"batch refused ({r.status_code}): {detail}", r.status_code)
        if r.status_code != 200:
            return Reply(ReplyKind.RETRY, f"central service answered {r.status_code}: {detail}", r.status_code,
                         parse_retry_after(r.headers.get("Retry-After")))
        try:
            doc = r.json()
            acc, dup, rej = int(doc["accepted"]), int(doc["duplicates"]), list(doc["rejected"])
            if not all(isinstance(x, dict) for x in rej):
                raise ValueError("rejected entries must be objects")
        except (ValueError, KeyError, TypeError) as e:
            return Reply(ReplyKind.RETRY, f"unexpected answer from the central service: {_short(e)}", 200)
        return Reply(ReplyKind.OK, "", 200, None, acc, dup, rej)


def _detail(r: requests.Response) -> str:
    try:
        return str(r.json().get("detail", ""))[:200]
    except (ValueError, AttributeError):
        return r.text[:200]


def _short(e: Exception) -> str:
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__
