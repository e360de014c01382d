"""Personal accounts over HTTP, on SQLite and PostgreSQL: login throttling and locks, the
same path for unknown users, server-side sessions (logout, timeouts, set-password and
disable end them), roles, the audit log and its admin page, and older installs' admin
password. Time is moved by replacing the modules' clocks, never read from the machine."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import anyio
import pytest
import sqlalchemy as sa

from central import accounts, audit, passwords
from central.db import audit_log, users, utcnow
from central.settings import QueueSettings
from central.throttle import LoginThrottle
from central_kit import issued_payload, login, make_event, midday_zone, rfc3339

ADMIN_PASSWORD = "correct horse battery"  # tests/central/conftest.py
DESK_PW, ANALYST_PW = "a desk password for tests", "an analyst password for tests"


class Clock:
    """Stands in for accounts.now / audit.now (naive UTC) and the throttle's monotonic clock."""

    def __init__(self):
        self.t = utcnow()
        self.mono = 1000.0

    def now(self) -> dt.datetime:
        return self.t

    def monotonic(self) -> float:
        return self.mono

    def move(self, **kw) -> None:
        step = dt.timedelta(**kw)
        self.t += step
        self.mono += step.total_seconds()


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, queue=QueueSettings(timezone=midday_zone()))


@pytest.fixture
def clock(client, monkeypatch):
    c = Clock()
    monkeypatch.setattr(accounts, "now", c.now)
    monkeypatch.setattr(audit, "now", c.now)
    client.app.state.login_throttle = LoginThrottle(clock=c.monotonic)
    return c


def post_login(client, name, password):
    return client.post("/login", data={"username": name, "password": password}, follow_redirects=False)


def audit_rows(engine, action=None):
    q = sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.target, audit_log.c.detail).order_by(audit_log.c.id)
    if action:
        q = q.where(audit_log.c.action == action)
    with engine.connect() as conn:
        return conn.execute(q).all()


# -- throttling ---------------------------------------------------------------------------

def test_wrong_passwords_lock_the_account_even_for_the_right_one_until_the_lock_ends(client, engine, clock,
                                                                                      staff_users):
    statuses = []
    for _ in range(30):
        clock.move(seconds=31)  # past any growing delay: only the lock stops it
        r = post_login(client, "dora", "not the password")
        statuses.append(r.status_code)
        if r.status_code == 429:
            break
    assert statuses == [401] * 9 + [429]  # the 10th failure locks (and says so): long before the 30th
    assert 14 * 60 < int(r.headers["retry-after"]) <= 15 * 60 and "15 min" in r.text
    r = post_login(client, "dora", DESK_PW)
    assert r.status_code == 429 and "kc_session" not in r.cookies  # the right password is refused too
    clock.move(minutes=14)
    assert post_login(client, "dora", DESK_PW).status_code == 429
    clock.move(minutes=1, seconds=1)
    assert post_login(client, "dora", DESK_PW).status_code == 303
    got = [(a, t) for _, a, t, _ in audit_rows(engine) if a.startswith("login")]
    assert got == [("login.failed", "dora")] * 10 + [("login.locked", "dora")] + [("login.refused", "dora")] * 2 \
        + [("login", "dora")]
    assert audit_rows(engine, "login.locked")[0].detail == {"what": "account", "minutes": 15}


def test_failures_meet_growing_delays_before_the_lock(client, clock, staff_users):
    for _ in range(3):
        assert post_login(client, "dora", "wrong wrong wrong").status_code == 401
    r = post_login(client, "dora", DESK_PW)  # at once after the third failure: wait 1 s first
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    clock.move(seconds=1)
    assert post_login(client, "dora", "wrong wrong wrong").status_code == 401
    clock.move(seconds=1)
    assert post_login(client, "dora", "wrong wrong wrong").status_code == 429  # now 2 s
    clock.move(seconds=1)
    assert post_login(client, "dora", DESK_PW).status_code == 303  # and success starts afresh
    assert post_login(client, "dora", "wrong wrong wrong").status_code == 401


def test_one_address_trying_many_accounts_is_locked(client, clock, staff_users):
    for i in range(29):
        clock.move(seconds=1)
        assert post_login(client, f"user{i}", "a guess at a password").status_code == 401
    assert post_login(client, "user29", "a guess at a password").status_code == 429  # the 30th locks the address
    r = post_login(client, "admin", ADMIN_PASSWORD)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 14 * 60


def test_unknown_users_take_the_same_path_as_wrong_passwords(client, engine, clock, staff_users, monkeypatch):
    checked = []
    real = passwords.verify

    def counting(stored, password):
        checked.append(stored)
        return real(stored, password)
    monkeypatch.setattr(passwords, "verify", counting)
    unknown = post_login(client, "nobody", "some long password")
    wrong = post_login(client, "dora", "some long password")
    assert unknown.status_code == wrong.status_code == 401 and unknown.text == wrong.text
    with engine.connect() as conn:
        dora = conn.execute(sa.select(users.c.password_hash).where(users.c.name == "dora")).scalar()
    assert checked == [passwords.dummy_hash(), dora]  # one argon2id check each; a dummy for the unknown name
    assert passwords.dummy_hash().startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert [r.detail["reason"] for r in audit_rows(engine, "login.failed")] == ["unknown user", "wrong password"]


def test_hashes_run_in_threads_at_most_slots_at_once(monkeypatch):
    import threading
    import time
    running, most, lock = 0, 0, threading.Lock()

    def slow(stored, password):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return False, None
    monkeypatch.setattr(passwords, "verify", slow)

    async def main():
        loop_thread = threading.get_ident()
        seen = []

        async def one():
            await passwords.verify_async("x", "y")
            seen.append(threading.get_ident() == loop_thread)
        async with anyio.create_task_group() as tg:
            for _ in range(passwords.SLOTS * 4):
                tg.start_soon(one)
        return seen
    seen = anyio.run(main)
    assert len(seen) == passwords.SLOTS * 4 and most == passwords.SLOTS


# -- sessions -----------------------------------------------------------------------------

def test_after_logout_the_old_cookie_opens_nothing(client, engine, clock):
    cookie = login(client, "admin", ADMIN_PASSWORD)
    assert client.get("/api/v1/desk/queue").status_code == 200
    assert client.get("/api/v1/stats/feedback").status_code == 200
    r = client.post("/logout", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    client.cookies.clear()
    for path in ("/api/v1/desk/queue", "/api/v1/stats/feedback", "/api/v1/stats/tickets"):
        assert client.get(path, headers=cookie).status_code == 401, path
    for page in ("/dashboard", "/desk"):
        r = client.get(page, headers=cookie, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
    assert [a for _, a, _, _ in audit_rows(engine) if a in ("login", "logout")] == ["login", "logout"]


def test_set_password_and_disable_end_the_users_sessions(client, engine, clock, staff_users):
    dora = login(client, "dora", DESK_PW, keep=False)
    assert client.get("/api/v1/desk/queue", headers=dora).status_code == 200
    accounts.set_password(engine, "dora", "a brand new desk passphrase")
    assert client.get("/api/v1/desk/queue", headers=dora).status_code == 401
    assert post_login(client, "dora", DESK_PW).status_code == 401
    dora = login(client, "dora", "a brand new desk passphrase", keep=False)
    accounts.disable_user(engine, "dora")
    assert client.get("/api/v1/desk/queue", headers=dora).status_code == 401
    clock.move(minutes=1)
    assert post_login(client, "dora", "a brand new desk passphrase").status_code == 401  # disabled
    assert [a for _, a, t, _ in audit_rows(engine) if t == "dora" and a in ("password.change", "user.disable")] \
        == ["password.change", "user.disable"]


def test_idle_and_absolute_timeouts(client, clock, settings):
    cookie = login(client, "admin", ADMIN_PASSWORD, keep=False)
    for _ in range(3):
        clock.move(minutes=29)  # active: each request moves the idle limit on
        assert client.get("/api/v1/stats/feedback", headers=cookie).status_code == 200
    clock.move(minutes=31)
    assert client.get("/api/v1/stats/feedback", headers=cookie).status_code == 401  # idle too long
    cookie = login(client, "admin", ADMIN_PASSWORD, keep=False)
    for _ in range(int(settings.session_hours * 60 / 20) - 1):
        clock.move(minutes=20)
        assert client.get("/api/v1/stats/feedback", headers=cookie).status_code == 200
    clock.move(minutes=21)  # 12 h after login, however active
    assert client.get("/api/v1/stats/feedback", headers=cookie).status_code == 401


def test_the_cookie_and_only_a_hash_of_it_in_the_database(client, engine, db_url):
    r = post_login(client, "admin", ADMIN_PASSWORD)
    head = r.headers["set-cookie"]
    assert "HttpOnly" in head and "SameSite=lax" in head and "Path=/" in head and "Secure" not in head
    token = r.cookies["kc_session"]
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id_hash FROM sessions")).scalars().all()
    assert token not in stored and stored == [accounts.id_hash(token)]


def test_secure_cookie_when_the_public_url_is_https(settings, engine):
    from fastapi.testclient import TestClient

    from central.app import create_app
    from central_kit import add_user
    add_user(engine, "admin", "admin", ADMIN_PASSWORD)
    app = create_app(dataclasses.replace(settings, public_url="https://kiosk.example.nl"), engine)
    with TestClient(app) as c:
        # a proxy's X-Forwarded-Proto is not what decides it
        r = c.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD}, follow_redirects=False,
                   headers={"X-Forwarded-Proto": "http"})
        assert "Secure" in r.headers["set-cookie"]


# -- roles --------------------------------------------------------------------------------

def test_each_role_gets_its_own_pages_and_a_clear_403_elsewhere(client, staff_users):
    desk = login(client, "dora", DESK_PW, keep=False)
    analyst = login(client, "anna", ANALYST_PW, keep=False)
    admin = login(client, "admin", ADMIN_PASSWORD, keep=False)
    body = {"desk": "4", "services": ["passport"]}
    r = client.get("/api/v1/stats/feedback", headers=desk)
    assert r.status_code == 403 and "analyst role" in r.json()["detail"] and "dora" in r.json()["detail"]
    assert client.get("/api/v1/export/daily.csv", headers=desk).status_code == 403
    assert client.get("/dashboard", headers=desk).status_code == 403
    assert client.post("/api/v1/desk/call-next", json=body, headers=desk).status_code == 200
    r = client.post("/api/v1/desk/call-next", json=body, headers=analyst)
    assert r.status_code == 403 and "desk role" in r.json()["detail"]
    assert client.get("/desk", headers=analyst).status_code == 403
    assert client.get("/api/v1/stats/tickets", headers=analyst).status_code == 200
    assert client.get("/dashboard", headers=analyst).status_code == 200
    for who in (desk, analyst):
        assert client.get("/admin/audit", headers=who).status_code == 403
        assert client.get("/admin/audit.csv", headers=who).status_code == 403
    for path in ("/desk", "/dashboard", "/admin/audit", "/admin/audit.csv", "/api/v1/stats/feedback"):
        assert client.get(path, headers=admin).status_code == 200, path
    assert client.post("/api/v1/desk/call-next", json=body, headers=admin).status_code == 200


# -- the audit log ------------------------------------------------------------------------

def test_desk_actions_are_audited_with_the_user_and_ticket(client, engine, device, staff_users):
    dev, token = device
    r = client.post("/api/v1/events", headers={"Authorization": f"Bearer {token}"}, json={"events": [
        make_event(dev, 1, "ticket.issued", issued_payload("passport", 1), rfc3339(utcnow()))]})
    assert r.json()["accepted"] == 1
    dora = login(client, "dora", DESK_PW, keep=False)
    t = client.post("/api/v1/desk/call-next", json={"desk": "4", "services": ["passport"]}, headers=dora).json()
    path = f"/api/v1/desk/tickets/{t['ticket']['id']}"
    for action in ("recall", "put-back", "call", "served"):
        assert client.post(f"{path}/{action}", json={"desk": "4"}, headers=dora).status_code == 200, action
    got = [(r.actor, r.action, r.target) for r in audit_rows(engine) if r.action.startswith("desk.")]
    assert got == [("dora", f"desk.{a}", "A001 @ desk 4")
                   for a in ("call-next", "recall", "put-back", "call", "served")]
    assert audit_rows(engine, "desk.served")[0].detail == {"ticket": t["ticket"]["id"]}


def test_exports_and_the_admin_audit_page(client, engine, staff_users):
    anna = login(client, "anna", ANALYST_PW, keep=False)
    assert client.get("/api/v1/export/daily.csv", params={"from": "2026-03-01"}, headers=anna).status_code == 200
    assert client.get("/api/v1/export/events.csv", headers=anna).status_code == 200
    exports = audit_rows(engine, "export")
    assert [(r.actor, r.target, r.detail) for r in exports] == [("anna", "daily.csv", {"from": "2026-03-01"}),
                                                               ("anna", "events.csv", None)]
    post_login(client, "<script>alert(1)</script>", "x" * 12)  # the name shows on the page, escaped
    admin = login(client, "admin", ADMIN_PASSWORD, keep=False)
    page = client.get("/admin/audit", headers=admin)
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert not re.search(r"<script|<style|style=", page.text)  # nothing inline
    assert page.text.index("login.failed") < page.text.index("daily.csv")  # newest first
    only = client.get("/admin/audit", params={"action": "export"}, headers=admin).text
    assert "daily.csv" in only and "login.failed" not in only.split("<table")[1]
    assert client.get("/admin/admin.css").status_code == 200
    csv_text = client.get("/admin/audit.csv", headers=admin).text
    lines = csv_text.splitlines()
    assert lines[0] == "id,at_utc,actor,action,target,detail,client" and len(lines) >= 8
    assert "daily.csv" in csv_text and "argon2" not in csv_text


def test_old_audit_rows_are_purged_at_start(settings, engine):
    from fastapi.testclient import TestClient

    from central.app import create_app
    with engine.begin() as conn:
        audit.record(conn, "old", "login", at=utcnow() - dt.timedelta(days=settings.audit_days + 1))
        audit.record(conn, "recent", "login", at=utcnow() - dt.timedelta(days=settings.audit_days - 1))
    with TestClient(create_app(settings, engine)):
        pass
    assert [r.actor for r in audit_rows(engine)] == ["recent"]


# -- older installs -----------------------------------------------------------------------

def test_the_old_admin_password_becomes_an_admin_user_rehashed_at_login(settings, engine):
    from fastapi.testclient import TestClient

    from central import auth
    from central.app import create_app
    old = auth.hash_password("the old admin password")
    app = create_app(dataclasses.replace(settings, admin_password_hash=old), engine)
    with engine.connect() as conn:
        row = conn.execute(sa.select(users.c.role, users.c.password_hash).where(users.c.name == "admin")).first()
    assert tuple(row) == ("admin", old)
    with TestClient(app) as c:
        assert login(c, "admin", "the old admin password")
        with engine.connect() as conn:
            now_stored = conn.execute(sa.select(users.c.password_hash).where(users.c.name == "admin")).scalar()
        assert now_stored.startswith("$argon2id$")
        c.cookies.clear()
        assert login(c, "admin", "the old admin password")
    create_app(dataclasses.replace(settings, admin_password_hash=old), engine)  # once only
    with engine.connect() as conn:
        assert conn.execute(sa.select(users.c.password_hash).where(users.c.name == "admin")).scalar() == now_stored


@pytest.mark.parametrize("password, ok", [
    ("correct horse battery", True), ("Tr0mbone-Lantern", True), ("short", False), ("aaaaaaaaaaaaaaaa", False),
    ("abababababab", False), ("123456789012", False), ("098765432109", False), ("qwertyuiop123", False),
    ("password1234", False), ("Wachtwoord2024!", False), ("welkom123456", False), ("Gemeente2025", False),
    ("iloveyou1234", False), ("dora the desk worker", False)])
def test_password_policy(password, ok):
    assert (passwords.policy_problem("dora", password) is None) is ok


@pytest.mark.parametrize("nxt, to", [("/desk", "/desk"), ("//evil.example", "/dashboard"),
                                     ("/\\evil.example", "/dashboard"), ("https://evil.example", "/dashboard")])
def test_login_goes_only_to_a_page_of_this_service(client, nxt, to):
    r = client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD, "next": nxt},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == to
