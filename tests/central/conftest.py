"""Fixtures for the central service: a real PostgreSQL server for the session (started
here; the tests fail with a clear message when PostgreSQL is missing), and databases
on SQLite and PostgreSQL so that the storage tests run on both."""
from __future__ import annotations

import itertools
import os

import pytest

from central import auth, db
from central.settings import CentralSettings
from central_kit import add_user

ADMIN_PASSWORD = "correct horse battery"  # the personal account "admin" (role admin) every client has
DESK_PASSWORD = "a desk password for tests"
ANALYST_PASSWORD = "an analyst password for tests"
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg():
    from pgserver import PgServer, PostgresMissing
    try:
        server = PgServer().start()
    except PostgresMissing as e:
        pytest.fail(str(e), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.sqlite3'}"
    pg = request.getfixturevalue("pg")
    return pg.create_db(f"t{os.getpid()}_{next(_counter)}")


@pytest.fixture
def engine(db_url):
    e = db.make_engine(db_url)
    db.upgrade(e)
    yield e
    e.dispose()


@pytest.fixture
def settings(db_url):
    return CentralSettings(db=db_url, max_body_bytes=200_000, max_batch=500)


@pytest.fixture
def client(settings, engine):
    from fastapi.testclient import TestClient

    from central.app import create_app
    add_user(engine, "admin", "admin", ADMIN_PASSWORD)
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def staff_users(client, engine):
    """A desk user and an analyst besides "admin": {role: (name, password)}."""
    add_user(engine, "dora", "desk", DESK_PASSWORD)
    add_user(engine, "anna", "analyst", ANALYST_PASSWORD)
    return {"desk": ("dora", DESK_PASSWORD), "analyst": ("anna", ANALYST_PASSWORD), "admin": ("admin", ADMIN_PASSWORD)}


@pytest.fixture
def device(engine):
    """(device_id, token) registered in the test database."""
    return "pillar-1", auth.add_device(engine, "pillar-1")


@pytest.fixture
def browser(request):
    """Headless Chromium (Debian's) through Playwright: `browser.page` is its tab. The test module
    may set BROWSER_WINDOW ("width,height") and BROWSER_LANGUAGE (its Accept-Language, English by
    default). A console error, a Content-Security-Policy violation or an uncaught exception in
    any page fails the test (`browser.expect(text)` for an error the test means to cause)."""
    from central_kit import Browser
    window = getattr(request.module, "BROWSER_WINDOW", "1280,2000")
    language = getattr(request.module, "BROWSER_LANGUAGE", "en-US,en")
    try:
        b = Browser(window=window, accept_language=language).start()
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)
    try:
        yield b
        b.check()
    finally:
        b.stop()
