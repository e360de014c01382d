"""The store: durability settings, migrations, outbox envelope, feedback recorder."""
import json
import sqlite3
import uuid

import pytest

from kiosk.storage import migrations
from kiosk.clock import FakeClock
from kiosk.feedback.flow import Answer
from kiosk.feedback.store import FeedbackRecorder, counts
from kiosk.storage.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path, device_id="kiosk-test", clock=FakeClock())
    yield s
    s.close()


def test_wal_and_full_sync(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_migrations_are_recorded_and_idempotent(tmp_path):
    Store(tmp_path).close()
    s = Store(tmp_path)
    rows = s.query("SELECT component, version FROM schema_migrations ORDER BY component")
    comps = {(r["component"], r["version"]) for r in rows}
    assert ("core", 1) in comps and ("feedback", 1) in comps
    assert len(rows) == len(comps)
    s.close()


def test_new_migration_step_applies_once(tmp_path):
    Store(tmp_path).close()
    migrations.register("zz_test", ["CREATE TABLE zz (a INTEGER)", "ALTER TABLE zz ADD COLUMN b TEXT"])
    try:
        s = Store(tmp_path)
        s.conn.execute("INSERT INTO zz(a, b) VALUES (1, 'x')")
        s.close()
        s = Store(tmp_path)  # reopening must not re-run the steps
        assert s.query("SELECT COUNT(*) AS n FROM zz")[0]["n"] == 1
        s.close()
    finally:
        migrations._STEPS.pop("zz_test")


def test_device_id_made_once_and_kept(tmp_path):
    a = Store(tmp_path)
    first = a.device_id
    a.close()
    b = Store(tmp_path)
    assert b.device_id == first and first.startswith("kiosk-")
    b.close()


def test_envelope(store):
    ev = store.record_event("heartbeat", {"x": 1})
    env = ev.envelope()
    assert set(env) == {"id", "device_id", "seq", "type", "occurred_at", "payload", "boot_id", "monotonic"}
    uuid.UUID(env["id"])
    assert env["device_id"] == "kiosk-test" and env["type"] == "heartbeat"
    assert env["occurred_at"] == "2026-03-02T09:00:00.000Z"
    assert env["payload"] == {"x": 1}


def test_seq_increases_and_never_reused(store):
    a = store.record_event("t", {})
    b = store.record_event("t", {})
    store.conn.execute("DELETE FROM outbox WHERE seq=?", (b.seq,))
    c = store.record_event("t", {})
    assert a.seq < b.seq < c.seq


def test_transaction_rolls_back_state_and_event_together(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as c:
            store.append_event(c, "t", {})
            raise RuntimeError("power cut")
    assert store.outbox_events() == []


def test_outbox_states(store):
    evs = [store.record_event("t", {"i": i}) for i in range(3)]
    store.outbox_mark_sent([evs[0].id])
    store.outbox_set_aside(evs[1].id, "bad payload")
    assert [e.id for e in store.outbox_pending()] == [evs[2].id]
    st = store.outbox_stats()
    assert (st["pending"], st["sent"], st["set_aside"]) == (1, 1, 1)


def answer(v=4, reasons=()):
    return Answer(str(uuid.uuid4()), v, 5, "nl", 0.0, list(reasons))


def test_answer_and_event_written_together_once(store):
    rec = FeedbackRecorder(store)
    a = answer(4, ["clarity"])
    rec.begin(a)
    assert store.outbox_events() == []  # open: no event yet
    rec.finish(a, "done", 1234)
    rec.finish(a, "done", 1234)  # a second close never counts twice
    evs = store.outbox_events("feedback.given")
    assert len(evs) == 1 and evs[0].id == a.id
    assert evs[0].payload == {"answer": 4, "scale": 5, "sentiment": "positive", "reasons": ["clarity"],
                              "language": "nl", "time_to_answer_ms": 1234, "ended_by": "done",
                              "source": "touch"}
    assert counts(store)["answers"] == {4: 1}


def test_recover_closes_open_answers_with_their_reasons(tmp_path):
    s = Store(tmp_path)
    rec = FeedbackRecorder(s)
    a = answer(1)
    rec.begin(a)
    a.reasons.append("waiting_time")
    rec.reasons_changed(a)
    s.close()  # crash before finish
    s = Store(tmp_path)
    rec = FeedbackRecorder(s)
    assert rec.recover() == 1
    assert rec.recover() == 0
    ev = s.outbox_events("feedback.given")
    assert len(ev) == 1 and ev[0].payload["reasons"] == ["waiting_time"]
    assert ev[0].payload["ended_by"] == "recovered"
    s.close()


def test_database_is_plain_sqlite(store, tmp_path):
    store.record_event("t", {"ü": "é"})
    other = sqlite3.connect(store.path)
    payload = other.execute("SELECT payload FROM outbox").fetchone()[0]
    assert json.loads(payload) == {"ü": "é"}
    other.close()


@pytest.mark.parametrize("how", ["transaction", "execute_durable"])
def test_a_failed_commit_rolls_back_and_the_store_stays_usable(store, how):
    """A COMMIT can fail after every statement succeeded (a full disk; here a deferred
    foreign key): the store must not be left inside a half-done transaction."""
    store.conn.executescript(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER "
        "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);")
    orphan = "INSERT INTO child(id, parent) VALUES(1, 99)"
    with pytest.raises(sqlite3.IntegrityError):
        if how == "transaction":
            with store.transaction() as c:
                c.execute(orphan)
        else:
            store.execute_durable(orphan)
    assert not store.conn.in_transaction
    assert store.query("SELECT COUNT(*) AS n FROM child")[0]["n"] == 0
    assert store.execute_durable("INSERT INTO parent(id) VALUES(?)", (99,)) == 1
    assert store.execute_durable(orphan) == 1


def test_commit_listeners_hear_committed_events_only(tmp_path):
    from kiosk.storage.store import Store
    store = Store(tmp_path, device_id="d")
    heard = []

    def broken(n):
        raise RuntimeError("a listener that fails")
    store.add_commit_listener(broken)
    store.add_commit_listener(heard.append)
    store.record_event("route.shown", {})
    with store.transaction() as c:
        store.append_event(c, "a.b", {})
        store.append_event(c, "a.c", {})
    store.meta_set("k", "v")                      # a commit without events: nobody is told
    try:
        with store.transaction() as c:
            store.append_event(c, "a.d", {})
            raise ValueError("rolled back")
    except ValueError:
        pass
    assert heard == [1, 2]
    store.remove_commit_listener(heard.append)
    store.record_event("route.shown", {})
    assert heard == [1, 2] and len(store.outbox_events()) == 4
    store.close()
