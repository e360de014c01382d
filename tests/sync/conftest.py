"""Fixtures for sync tests: a real `kiosk-central` process (SQLite) for the session,
devices registered on it, kiosk Stores, and checks that every event arrived exactly once."""
from __future__ import annotations

import itertools
import uuid

import pytest
import sqlalchemy as sa

from central import auth
from central.db import events, make_engine
from central_kit import CentralProcess

_ids = itertools.count(1)


class Central:
    def __init__(self, proc: CentralProcess, db_url: str):
        self.proc, self.db_url = proc, db_url
        self.engine = make_engine(db_url)

    @property
    def url(self) -> str:
        return self.proc.url

    def new_device(self) -> tuple[str, str]:
        dev = f"dev-{next(_ids)}-{uuid.uuid4().hex[:6]}"
        return dev, auth.add_device(self.engine, dev)

    def assert_exactly_once(self, store, device_id: str, expect: int | None = None) -> None:
        """Every outbox event sent and stored once: same ids on both sides, none missing, none twice."""
        stats = store.outbox_stats()
        assert stats["pending"] == 0 and stats["set_aside"] == 0, stats
        got = self.ids(device_id)
        assert len(got) == len(set(got))
        assert sorted(got) == sorted(e.id for e in store.outbox_events())
        if expect is not None:
            assert len(got) == expect

    def ids(self, device_id: str) -> list[str]:
        with self.engine.connect() as c:
            return [r[0] for r in c.execute(sa.select(events.c.id).where(events.c.device_id == device_id))]


@pytest.fixture(scope="session")
def central(tmp_path_factory):
    d = tmp_path_factory.mktemp("central")
    db_url = f"sqlite:///{d / 'central.sqlite3'}"
    proc = CentralProcess(db_url, log_path=d / "central.log")
    proc.start()
    c = Central(proc, db_url)
    yield c
    proc.stop()
    c.engine.dispose()
