"""Helpers for tests and benchmarks: run a real `kiosk-central` process on loopback, log staff
in, make events, drive a browser, attack it with slow uploads. The fault-injecting HTTP proxy
to put between a device and it is tests/fault_proxy.py. Not part of the service (it lives
under tests/)."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def central_cmd() -> list[str]:
    script = Path(sys.executable).parent / "kiosk-central"
    return [str(script)] if script.exists() else [sys.executable, "-m", "central.cli"]


def device_add(db_url: str, device_id: str, env: dict | None = None) -> str:
    """Register a device with the real CLI; returns the token (the last word printed)."""
    out = subprocess.run(central_cmd() + ["device", "add", device_id, "--db", db_url], capture_output=True,
                         text=True, timeout=60, env={**os.environ, **(env or {})})
    if out.returncode != 0:
        raise RuntimeError(f"device add failed ({out.returncode}): {out.stderr.strip()}")
    return out.stdout.split()[-1]


def user_add(db_url: str, name: str, role: str, password: str, env: dict | None = None) -> None:
    """Add a staff user with the real CLI (password on stdin)."""
    out = subprocess.run(central_cmd() + ["user", "add", name, "--role", role, "--password-stdin", "--db", db_url],
                         input=password + "\n", capture_output=True, text=True, timeout=60,
                         env={**os.environ, **(env or {})})
    if out.returncode != 0:
        raise RuntimeError(f"user add failed ({out.returncode}): {out.stderr.strip()}")


def add_user(engine, name: str, role: str, password: str) -> None:
    """Add a staff user straight into a test database."""
    from central import accounts
    accounts.add_user(engine, name, role, password, actor="test")


def add_users(db_url: str, users: Iterable[tuple]) -> None:
    """Staff accounts (name, role, password) in the database at `db_url` (brought up to date
    first); one that exists already is left as it is."""
    from central import accounts, db
    engine = db.make_engine(db_url)
    try:
        db.upgrade(engine)
        for name, role, password in users:
            try:
                accounts.add_user(engine, name, role, password, actor="test")
            except accounts.AccountError as e:
                if "already exists" not in str(e):
                    raise
    finally:
        engine.dispose()


def login(client, name: str, password: str, keep: bool = True) -> dict:
    """Log a TestClient in through POST /login; returns the session cookie as headers.
    keep=False: the cookie is not kept in the client's jar (tests that send it by hand)."""
    r = client.post("/login", data={"username": name, "password": password}, follow_redirects=False)
    if r.status_code != 303:
        raise AssertionError(f"login as {name} failed: {r.status_code} {r.text[:200]}")
    token = r.cookies["kc_session"]
    if not keep:
        client.cookies.delete("kc_session")
    return {"Cookie": f"kc_session={token}"}


def staff_session(url: str, name: str, password: str) -> requests.Session:
    """A requests.Session logged in to the central service at `url` (cookie kept)."""
    s = requests.Session()
    r = s.post(url + "/login", data={"username": name, "password": password}, allow_redirects=False, timeout=30)
    if r.status_code != 303:
        raise AssertionError(f"login as {name} failed: {r.status_code} {r.text[:200]}")
    return s


def terminate(proc: subprocess.Popen | None) -> None:
    """SIGTERM, then SIGKILL if it has not ended within 10 s."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


class CentralProcess:
    """`kiosk-central serve` on 127.0.0.1:<free port>; start() waits for /healthz."""

    def __init__(self, db_url: str, *, port: int | None = None, env: dict | None = None,
                 log_path: str | Path | None = None, workers: int = 1, users: Iterable[tuple] = ()):
        self.db_url, self.port = db_url, port or free_port()
        self.users = list(users)  # (name, role, password): staff accounts made before it starts
        self.env = {**os.environ, **(env or {})}
        self.log_path = Path(log_path) if log_path else None
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "CentralProcess":
        if self.users:
            add_users(self.db_url, self.users)
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(central_cmd() + ["serve", "--db", self.db_url, "--port", str(self.port),
                                                      "--workers", str(self.workers)],
                                     stdout=out, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kiosk-central exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"kiosk-central did not answer /healthz within {timeout} s")

    def stop(self) -> None:
        terminate(self.proc)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def make_event(device_id: str, seq: int, type_: str, payload: dict, occurred_at: str,
               event_id: str | None = None) -> dict:
    """An event envelope as a device sends it (for tests and benchmarks)."""
    import uuid
    return {"id": event_id or str(uuid.uuid4()), "device_id": device_id, "seq": seq, "type": type_,
            "occurred_at": occurred_at, "payload": payload, "boot_id": "test-boot", "monotonic": float(seq)}


def feedback_payload(answer: int, scale: int = 5, reasons: list[str] | None = None) -> dict:
    sentiment = "positive" if answer > (scale + 1) / 2 else "negative" if answer < (scale + 1) / 2 else "neutral"
    return {"answer": answer, "scale": scale, "sentiment": sentiment, "reasons": reasons or [],
            "language": "nl", "time_to_answer_ms": 1500, "ended_by": "done"}


def ticket_payload(service: str, number: int, wait: tuple[int, int] = (5, 10), appointment: bool = False) -> dict:
    return {"service": service, "number": number, "day": "2026-03-02", "appointment": appointment,
            "estimated_wait_min": list(wait), "language": "nl", "token": f"tok{number:013d}"}


def wait_for(cond: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Poll `cond` until true; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def midday_zone(now=None) -> str:
    """An Etc/GMT zone where it is about noon now, so tests about 'today' never cross midnight."""
    import datetime as dt
    east = 12 - (now or dt.datetime.now(dt.timezone.utc)).hour  # hours east of UTC: -11..12
    return "Etc/GMT" + (f"-{east}" if east > 0 else f"+{-east}" if east < 0 else "")


def issued_payload(service: str, number: int, *, ticket_id: int | None = None, prefix: str = "A",
                   appointment: bool = False, wait: tuple[int, int] | None = (5, 10), lang: str = "nl",
                   day: str = "2026-03-02") -> dict:
    """A ticket.issued payload as kiosk/tickets/book.py makes it."""
    p = {"ticket_id": number if ticket_id is None else ticket_id, "service": service, "day": day,
         "number": number, "label": f"{prefix}{number:03d}", "lang": lang, "appointment": appointment}
    if wait is not None:
        p.update(people_ahead=0, estimated_wait_min=list(wait), wait_source="configured")
    return p


def rfc3339(t) -> str:
    """A naive-UTC or aware datetime as an RFC 3339 UTC time with milliseconds."""
    import datetime as dt
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Reported by the page itself: Playwright's console events carry CSP reports as plain text too,
# this makes each violation one clear line with its directive and what was blocked.
_CSP_REPORTER = """document.addEventListener('securitypolicyviolation', (e) =>
  console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));"""


def log_in(page, url: str, where: str, user: str, password: str) -> None:
    """Open `where` on the central service at `url`, be sent to the login form, log in as `user`
    and be back at `where` (the way staff meet it in a browser)."""
    page.goto(url + where)
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**" + where)


class Browser:
    """Headless Chromium (Debian's, never a downloaded one) driven by Playwright's sync API.
    `page` is its tab; `problems` collects every console error (CSP reports among them) and
    uncaught page exception; `check()` fails the test when there are any, except those a test
    said it expects (`expect("status of 401")`). window: "width,height"; accept_language: the
    browser's Accept-Language."""

    def __init__(self, window: str = "1280,2000", accept_language: str = "en-US,en"):
        self.exe = chromium()
        if not self.exe:
            raise RuntimeError("Chromium not found: install Debian's chromium (`make test` does it as root, "
                               "or `sudo apt-get install -y chromium`)")
        w, h = (int(x) for x in window.split(","))
        self.viewport = {"width": w, "height": h}
        self.accept_language = accept_language
        self.problems: list[str] = []
        self.expected: list[str] = []
        self._pw = self.browser = self.page = None

    def start(self) -> "Browser":
        from playwright.sync_api import sync_playwright
        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=self.exe, args=CHROMIUM_ARGS)
            self.page = self.new_page()
        except BaseException:
            self.stop()
            raise
        return self

    def new_page(self, java_script: bool = True):
        """A tab in a fresh context (own cookies), watched like the first one."""
        ctx = self.browser.new_context(viewport=self.viewport, java_script_enabled=java_script,
                                       locale=self.accept_language.split(",")[0],
                                       extra_http_headers={"Accept-Language": self.accept_language})
        ctx.add_init_script(_CSP_REPORTER)
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        page.on("console", lambda m: self._console(page, m))
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: uncaught {e}"))
        return page

    def _console(self, page, msg) -> None:
        if msg.type == "error" or "Content Security Policy" in msg.text:
            where = (msg.location or {}).get("url") or page.url
            self.problems.append(f"{page.url}: console {msg.type}: {msg.text} ({where})")

    def expect(self, text: str) -> None:
        """A console error containing `text` is part of the test (e.g. a wrong password's 401)."""
        self.expected.append(text)

    def check(self) -> None:
        """AssertionError listing the console errors, CSP violations and page errors seen."""
        bad = [p for p in self.problems if not any(x in p for x in self.expected)]
        self.problems = []
        assert bad == [], "the browser reported:\n" + "\n".join(bad)

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self._pw is not None:
            self._pw.stop()
            self._pw = None


def sse_events(resp: requests.Response):
    """(event, data) per server-sent event of a streamed response, ("comment", text) per
    comment line; written here apart from the kiosk's reader, as a second opinion."""
    buf = b""
    event, data = "message", []
    for chunk in resp.iter_content(chunk_size=None):
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            text = line.decode().rstrip("\r")
            if text == "":
                if data:
                    yield event, "\n".join(data)
                event, data = "message", []
            elif text.startswith(":"):
                yield "comment", text[1:].strip()
            elif text.startswith("event:"):
                event = text[6:].strip()
            elif text.startswith("data:"):
                data.append(text[5:].lstrip())


class QueueStreamReader:
    """A test's view of one open queue stream: `next_state(pred)` reads events until one's
    JSON satisfies `pred` (AssertionError after `most` events or a read timeout)."""

    def __init__(self, url: str, **kw):
        self.resp = requests.get(url, stream=True, timeout=(5, 20), **kw)
        self.events = sse_events(self.resp)
        self.comments = 0

    def next_state(self, pred=lambda doc: True, most: int = 200) -> dict:
        import json
        for _ in range(most):
            kind, data = next(self.events)
            if kind == "comment":
                self.comments += 1
                continue
            assert kind == "queue", kind
            doc = json.loads(data)
            if pred(doc):
                return doc
        raise AssertionError("no such state on the stream")

    def close(self) -> None:
        self.resp.close()


# -- slow uploads (tests/central/test_central_hardening_process.py, bench/bench_hardening.py) --

def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS in /proc/PID/status), KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def healthz_latencies(url: str, n: int = 40) -> list[float]:
    """Seconds per GET /healthz, one after another on one connection; AssertionError on a non-200."""
    out = []
    with requests.Session() as s:
        for _ in range(n):
            t0 = time.perf_counter()
            r = s.get(url + "/healthz", timeout=10)
            out.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
    return out


class SlowUploads:
    """`n` sockets that each start a POST /api/v1/events with a big Content-Length, send a
    few bytes of body and then stall (`token`: the Authorization to send, none by default).
    `answers()` reads what each socket got so far (its status line, or "" for none)."""

    def __init__(self, port: int, n: int = 40, content_length: int = 8_000_000, token: str | None = None,
                 first_bytes: bytes = b'{"events": ['):
        self.socks: list[socket.socket] = []
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        head = (f"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                f"{auth}Content-Length: {content_length}\r\n\r\n").encode()
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(head + first_bytes)
            self.socks.append(s)

    def answers(self, timeout: float = 5.0) -> list[str]:
        out = []
        for s in self.socks:
            s.settimeout(timeout)
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            out.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        return out

    def close(self) -> None:
        for s in self.socks:
            try:
                s.close()
            except OSError:
                pass
