"""Queue settings ([central.queue] and KIOSK_CENTRAL_QUEUE_*) and the 0002 upgrade, which
projects ticket.issued events stored before it into the queue (on SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from central import db, settings as s
from central.db import queue_tickets
from central_kit import issued_payload


def test_queue_settings_defaults_file_and_environment(tmp_path, monkeypatch):
    for k in ("QUEUE_TIMEZONE", "QUEUE_WALK_IN_MAX_WAIT_MIN", "QUEUE_DEFAULT_SERVICE_MIN", "CONFIG"):
        monkeypatch.delenv(s.ENV_PREFIX + k, raising=False)
    q = s.load().queue
    assert (q.timezone, q.walk_in_max_wait_min, q.default_service_min) == ("Europe/Amsterdam", 20.0, 10.0)
    f = tmp_path / "central.toml"
    f.write_text('[central]\nport = 9000\n[central.queue]\ntimezone = "Europe/Lisbon"\nwalk_in_max_wait_min = 30\n')
    monkeypatch.setenv("KIOSK_CENTRAL_QUEUE_DEFAULT_SERVICE_MIN", "7.5")
    cfg = s.load(str(f))
    assert (cfg.port, cfg.queue.timezone, cfg.queue.walk_in_max_wait_min, cfg.queue.default_service_min) == (
        9000, "Europe/Lisbon", 30.0, 7.5)
    monkeypatch.setenv("KIOSK_CENTRAL_QUEUE_WALK_IN_MAX_WAIT_MIN", "12")
    assert s.load(str(f)).queue.walk_in_max_wait_min == 12.0  # the environment is over the file, key by key


@pytest.mark.parametrize("env, text", [
    ({"KIOSK_CENTRAL_QUEUE_TIMEZONE": "Mars/Olympus"},
     "central.queue.timezone: 'Mars/Olympus' is not a known time zone"),
    ({"KIOSK_CENTRAL_QUEUE_WALK_IN_MAX_WAIT_MIN": "soon"},
     "central.queue.walk_in_max_wait_min: expected a number, got text 'soon'"),
    ({"KIOSK_CENTRAL_QUEUE_DEFAULT_SERVICE_MIN": "0"},
     "central.queue.default_service_min: 0.0 is below the minimum 0.5"),
])
def test_bad_queue_settings_are_named(monkeypatch, env, text):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(s.SettingsError) as e:
        s.load()
    assert text in str(e.value)


def test_bad_queue_table_in_file(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[central.queue]\nwalk_in_max_wait = 5\n')
    with pytest.raises(s.SettingsError) as e:
        s.load(str(f))
    assert "central.queue.walk_in_max_wait: unknown key (did you mean 'walk_in_max_wait_min'?)" in str(e.value)


def test_upgrade_projects_tickets_stored_before_it(db_url):
    engine = db.make_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    at = dt.datetime(2026, 3, 2, 9, 0)
    rows = [{"id": f"00000000-0000-4000-8000-{i:012d}", "device_id": "k1", "seq": i, "type": t, "occurred_at": at,
             "effective_at": at + dt.timedelta(minutes=i), "received_at": at, "payload": p}
            for i, (t, p) in enumerate([("ticket.issued", issued_payload("passport", 1)),
                                        ("ticket.issued", issued_payload("passport", 1)),  # the same ticket again
                                        ("feedback.given", {"answer": 1, "scale": 5, "sentiment": "negative"}),
                                        ("ticket.issued", {"service": 7}),  # stored before checks existed
                                        ("ticket.issued", issued_payload("parking", 2, appointment=True))])]
    with engine.begin() as conn:
        conn.execute(db.events.insert(), rows)
    db.upgrade(engine)
    assert db.current_revision(engine) == "0010_rollups"
    with engine.connect() as conn:
        got = conn.execute(sa.select(queue_tickets.c.label, queue_tickets.c.service, queue_tickets.c.appointment,
                                     queue_tickets.c.state, queue_tickets.c.issued_at)
                           .order_by(queue_tickets.c.id)).all()
    assert [tuple(r) for r in got] == [("A001", "passport", False, "waiting", at),
                                       ("A002", "parking", True, "waiting", at + dt.timedelta(minutes=4))]
    engine.dispose()
