"""Every route the app has (walked from app.routes), asked as a logged-in member of staff with a
device token: every answer carries the security headers of central/headers.py, staff pages and
staff APIs are never cached, and no HTML page holds inline script or style (a <script> without
src, an on*= handler, a style= attribute or a <style> element), so the Content-Security-Policy
can forbid them. Plus the pages only seen on the way: the login form with its error, the
dashboard's bad-filter page, the unknown ticket's page."""
from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest

from central import queue
from central.db import utcnow
from central.headers import CSP
from central.settings import QueueSettings
from central_kit import issued_payload, make_event, midday_zone, rfc3339

PASSWORD = "correct horse battery"  # tests/central/conftest.py
TOKEN = "Hdr_0001-abcdefghij"
STAFF = re.compile(r"^/(dashboard|desk|login|logout|admin|stats)(/|$)|^/api/v1/(desk|stats|export|devices|admin)")
STATIC = ("/static/", "/mobile/", "/desk/desk.js", "/desk/desk.css")


class Inline(HTMLParser):
    """What a strict CSP would block in a page: inline scripts, handlers and styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {k.lower() for k, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"<{tag} {k}=>" for k in sorted(names) if k.startswith("on") or k == "style"]
        self.found += [f"<{tag} {k}=javascript:>" for k, v in attrs if v and v.strip().lower().startswith("javascript:")]


def inline(html: str) -> list[str]:
    p = Inline()
    p.feed(html)
    return p.found


@pytest.fixture
def db_url(tmp_path):  # headers do not depend on the database: SQLite only
    return f"sqlite:///{tmp_path / 'central.sqlite3'}"


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, queue=QueueSettings(timezone=midday_zone()))


@pytest.fixture
def staff(client, device, settings):
    """Logged in, with one ticket of today (its token TOKEN) so /t/{token} has a page."""
    dev, token = device
    day = queue.today(settings.queue.timezone, utcnow())[0].isoformat()
    p = {**issued_payload("passport", 1, day=day), "token": TOKEN, "route": ["Left."], "desk_routes": {"4": ["Up."]}}
    r = client.post("/api/v1/events", json={"events": [make_event(dev, 1, "ticket.issued", p, rfc3339(utcnow()))]},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.json()["accepted"] == 1, r.text
    assert client.post("/login", data={"username": "admin", "password": PASSWORD},
                       follow_redirects=False).status_code == 303
    return client


def routes(app) -> list[tuple[str, str]]:
    """(method, path) of every HTTP route, routers included ones and all (FastAPI 0.16x keeps
    included routers as one entry in app.routes: iter_route_contexts flattens them)."""
    try:
        from fastapi.routing import iter_route_contexts
        found = [(r.path, r.original_route) for r in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI: app.routes is already flat
        found = [(r.path, r) for r in app.routes]
    out = set()
    for path, route in found:
        for m in getattr(route, "methods", None) or ():
            if path and m != "HEAD":
                out.add((m, path))
    return sorted(out, key=lambda mp: (mp[1] == "/logout", mp))  # logging out last


def concrete(path: str, entry_id: int) -> str:
    return path.replace("{token}", TOKEN).replace("{entry_id}", str(entry_id))


def ask(client, method: str, path: str, bearer: str):
    """The response's status, headers and (for HTML) text; a stream is read to its first chunk."""
    headers = {"Authorization": f"Bearer {bearer}"}
    kw = {"json": {"desk": "4", "services": ["passport"]}} if method in ("POST", "PUT", "PATCH") else {}
    with client.stream(method, path, headers=headers, follow_redirects=False, **kw) as r:
        if r.headers.get("content-type", "").startswith("text/event-stream"):
            next(r.iter_bytes())
            return r.status_code, r.headers, ""
        r.read()
        return r.status_code, r.headers, r.text


def check(status: int, headers, text: str, where: str) -> bool:
    """Asserts the headers (and, for HTML, the body); True when it was an HTML page."""
    assert status < 500, (where, status, text[:300])
    assert headers.get("content-security-policy") == CSP, where
    assert (headers.get("x-content-type-options"), headers.get("x-frame-options"),
            headers.get("referrer-policy")) == ("nosniff", "DENY", "no-referrer"), where
    path = where.split(" ", 1)[1].split("?")[0]
    if STAFF.search(path) and not path.startswith(STATIC):
        assert headers.get("cache-control") == "no-store", where
    if not headers.get("content-type", "").startswith("text/html"):
        return False
    assert inline(text) == [], where
    return True


def test_every_route_answers_with_the_security_headers_and_no_inline_code(staff, device):
    app = staff.app
    entry = staff.get("/api/v1/desk/queue").json()["tickets"][0]["id"]
    all_routes = routes(app)
    assert len(all_routes) >= 20 and ("GET", "/dashboard") in all_routes and ("GET", "/t/{token}") in all_routes
    pages = []
    for method, path in all_routes:
        url = concrete(path, entry)
        status, headers, text = ask(staff, method, url, device[1])
        if check(status, headers, text, f"{method} {url}"):
            pages.append((url, status))
    # pages seen only with other input, or without a login
    extra = [("GET", "/dashboard?from=2026-99-99"), ("GET", "/dashboard?from=9999-12-31&to=9999-12-31"), ("GET", "/t/unknownunknown123"), ("GET", "/login?lang=en"),
             ("GET", "/desk?lang=en"), ("GET", "/dashboard?lang=en")]
    staff.post("/login", data={"username": "admin", "password": PASSWORD})
    for method, url in extra:
        status, headers, text = ask(staff, method, url, device[1])
        assert check(status, headers, text, f"{method} {url}"), url
        pages.append((url, status))
    r = staff.post("/login", data={"username": "admin", "password": "wrong"})  # the form again, with its error
    assert r.status_code == 401 and check(r.status_code, r.headers, r.text, "POST /login")
    staff.cookies.clear()
    for url in ("/login", "/dashboard", "/desk"):  # not logged in: the login form, or the way to it
        r = staff.get(url, follow_redirects=False)
        check(r.status_code, r.headers, r.text, f"GET {url}")
    seen = {u.split("?")[0] for u, _ in pages}
    assert {"/dashboard", "/desk", "/login", f"/t/{TOKEN}", "/t/unknownunknown123"} <= seen, pages


def test_the_body_limit_answer_has_them_too(staff, device):
    r = staff.post("/api/v1/events", content=b"x" * 300_000, headers={"Authorization": f"Bearer {device[1]}"})
    assert r.status_code == 413 and r.headers["content-security-policy"] == CSP
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"


def test_the_inline_checker_finds_what_the_csp_would_block():
    assert inline('<script src="/a.js"></script><a href="/x">x</a>') == []
    assert inline("<script>alert(1)</script>") == ["<script> without src"]
    assert inline('<p style="color:red" onclick="x()">') == ["<p onclick=>", "<p style=>"]
    assert inline("<style>p{}</style><a href=\"javascript:x()\">") == ["<style>", "<a href=javascript:>"]


@pytest.mark.parametrize("path,cache", [("/desk/desk.js", "no-cache"), ("/static/staff.css", "no-cache"),
                                        ("/mobile/ticket.js", "no-cache"), ("/healthz", "no-store"),
                                        ("/api/v1/desk/queue", "no-store"), ("/api/v1/export/daily.csv", "no-store")])
def test_caching_by_kind(staff, path, cache):
    assert staff.get(path).headers["cache-control"] == cache
