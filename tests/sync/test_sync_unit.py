"""Pure parts of sync: backoff, Retry-After, outbox bounds and drop reports, heartbeat
payload, and the [sync] config section."""
from __future__ import annotations

import datetime as dt
import email.utils
import random
import threading

import pytest

import kiosk.sync.worker  # noqa: F401 - loads kiosk.config before kiosk.sync.settings
from kiosk.clock import FakeClock
from kiosk.config import ConfigError, load
from kiosk.storage.store import Store
from kiosk.sync.worker import SyncWorker, backoff_delay
from kiosk.sync import heartbeat as sync_heartbeat
from kiosk.sync import outbox as sync_store
from kiosk.sync.transport import parse_retry_after


@pytest.mark.parametrize("attempt,base,cap,bound", [(0, 2, 300, 2), (3, 2, 300, 16), (10, 2, 300, 300),
                                                     (200, 0.5, 60, 60)])
def test_full_jitter_stays_within_the_capped_exponential(attempt, base, cap, bound):
    rng = random.Random(attempt)
    samples = [backoff_delay(attempt, base, cap, rng) for _ in range(2000)]
    assert all(0 <= s <= bound for s in samples)
    assert max(samples) > 0.9 * bound and min(samples) < 0.1 * bound  # spread over the whole range


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("7") == 7.0
    now = 1_800_000_000.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    for junk in (None, "", "soon", "-3", "1e9x"):
        assert parse_retry_after(junk) is None


def _fill(store: Store, n: int) -> None:
    with store.transaction() as c:
        for i in range(n):
            store.append_event(c, "ticket.issued", {"service": "s", "number": i})


def test_count_bound_drops_oldest_and_reports_it(tmp_path, caplog):
    clock = FakeClock(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    store = Store(tmp_path, device_id="d", clock=clock)
    _fill(store, 120)
    first_ids = [e.id for e in store.outbox_pending(20)]
    h = sync_store.enforce_bounds(store, max_events=100, max_age_days=30, warn_fraction=0.5)
    assert h.dropped_now == 20 and h.dropped_total == 20
    left = {e.id for e in store.outbox_events()}
    assert not left & set(first_ids)
    report = store.outbox_events("outbox.dropped")
    assert len(report) == 1 and report[0].payload["count"] == 20 and report[0].payload["first_seq"] == 1
    assert "DROPPED 20" in caplog.text
    assert h.warning and "drop" in h.warning  # 101 pending of 100 is past the warning share
    assert sync_store.dropped_total(store) == 20
    store.close()


def test_warning_well_before_the_bound_and_none_below(tmp_path):
    store = Store(tmp_path, device_id="d", clock=FakeClock(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)))
    _fill(store, 40)
    assert sync_store.enforce_bounds(store, 100, 30, 0.5).warning is None
    _fill(store, 15)
    h = sync_store.enforce_bounds(store, 100, 30, 0.5)
    assert h.dropped_now == 0 and "55 unsent" in h.warning
    store.close()


def test_age_bound_and_a_clock_that_was_not_set(tmp_path):
    clock = FakeClock(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    store = Store(tmp_path, device_id="d", clock=clock)
    _fill(store, 5)                           # made on 1 January
    clock.set_wall(dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    _fill(store, 3)                           # made while the clock was not set
    clock.set_wall(dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    _fill(store, 2)
    h = sync_store.enforce_bounds(store, 1000, max_age_days=50, warn_fraction=0.5)
    assert h.dropped_now == 5                 # only the plausibly dated old ones
    assert store.outbox_stats()["pending"] == 3 + 2 + 1  # + the outbox.dropped report
    clock.advance(30 * 86400)
    assert "days old" in sync_store.enforce_bounds(store, 1000, 50, 0.5).warning
    store.close()


def test_prune_sent_keeps_recent_and_unsent(tmp_path):
    clock = FakeClock(dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc))
    store = Store(tmp_path, device_id="d", clock=clock)
    _fill(store, 10)
    store.outbox_mark_sent([e.id for e in store.outbox_pending(6)])
    clock.advance(8 * 86400)
    _fill(store, 1)
    store.outbox_mark_sent([e.id for e in store.outbox_pending(1)])  # the oldest pending, sent today
    assert sync_store.prune_sent(store, keep_days=7) == 6
    assert store.outbox_stats() == {**store.outbox_stats(), "pending": 4, "sent": 1}
    store.close()


def test_heartbeat_payload(tmp_path):
    health = sync_store.OutboxHealth(3, 1, "2026-01-01T00:00:00.000Z", 12.34, 0, 0, None)
    p = sync_heartbeat.payload(health, tmp_path, "idle", printer_state=lambda: "paper_low")
    assert p["outbox_pending"] == 3 and p["outbox_set_aside"] == 1 and p["oldest_unsent_age_s"] == 12.3
    assert p["printer_state"] == "paper_low" and p["disk_free_mb"] > 0 and p["app_version"]
    assert p["uptime_s"] >= 0 and p["sync_state"] == "idle"

    def broken():
        raise OSError("usb gone")
    assert sync_heartbeat.payload(health, tmp_path, "idle", broken)["printer_state"] == "unknown (OSError)"


def test_under_voltage_from_the_pi_sensor(tmp_path):
    hw = tmp_path / "hwmon"
    (hw / "hwmon0").mkdir(parents=True)
    (hw / "hwmon0" / "name").write_text("cpu_thermal\n")
    assert sync_heartbeat.under_voltage(hw) is None
    (hw / "hwmon1").mkdir()
    (hw / "hwmon1" / "name").write_text("rpi_volt\n")
    (hw / "hwmon1" / "in0_lcrit_alarm").write_text("1\n")
    assert sync_heartbeat.under_voltage(hw) is True
    (hw / "hwmon1" / "in0_lcrit_alarm").write_text("0\n")
    assert sync_heartbeat.under_voltage(hw) is False
    assert sync_heartbeat.under_voltage(tmp_path / "absent") is None


def test_sync_config_section_defaults_and_problems(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text('[sync]\nurl = "https://central.example.org"\ntoken = "t"\n')
    cfg, _ = load(str(site))
    assert cfg.sync.verify_tls is True and cfg.sync.batch_size == 500 and cfg.sync.url.startswith("https")
    site.write_text('[sync]\nurl = "central"\nbatch_size = 0\nbackof_cap_s = 3\n')
    with pytest.raises(ConfigError) as e:
        load(str(site))
    text = str(e.value)
    assert "sync.url" in text and "sync.batch_size" in text and "did you mean 'backoff_cap_s'" in text


def test_read_batch_body_is_exactly_the_event_envelopes(tmp_path):
    import json
    store = Store(tmp_path, device_id="pillar-ä")
    store.record_event("feedback.given", {"answer": 4, "scale": 5, "reasons": ["wachttijd", "ü\"q"]})
    store.record_event("heartbeat", {"nested": {"x": [1, 2.5, None, True]}})
    store.record_event("route.shown", {})
    batch = sync_store.read_batch(store, 0, 2)
    assert json.loads(batch.body) == {"events": [e.envelope() for e in store.outbox_pending(2)]}
    rest = sync_store.read_batch(store, batch.last_seq, 10)
    assert [e["type"] for e in json.loads(rest.body)["events"]] == ["route.shown"]
    assert len(sync_store.read_batch(store, rest.last_seq, 10)) == 0
    store.close()


def test_scheduled_sends_get_a_random_offset(tmp_path):
    from kiosk.sync.worker import SyncState
    from kiosk.sync.settings import SyncSection
    store = Store(tmp_path, device_id="d")
    w = SyncWorker(store, SyncSection(url="http://127.0.0.1:9", token="t", interval_s=30, jitter_s=10),
                   rng=random.Random(5))
    delays = [w.step() for _ in range(300)]  # empty outbox: no request is made
    assert w.status.state is SyncState.IDLE
    assert all(30 <= d <= 40 for d in delays) and max(delays) - min(delays) > 8
    off = SyncWorker(store, SyncSection())
    assert off.step() == SyncSection().interval_s and off.status.state is SyncState.OFF
    assert "sync.url is not set" in off.status.message
    w.stop()
    store.close()


def test_mark_sent_marks_exactly_the_batch(tmp_path):
    store = Store(tmp_path, device_id="d")
    _fill(store, 10)
    batch = sync_store.read_batch(store, 0, 5)
    store.record_event("route.shown", {})  # made while the batch was on its way
    store.outbox_set_aside(batch.ids[2], "rejected by the service")
    assert sync_store.mark_sent(store, batch, {batch.ids[2]}) == 4
    states = {r["id"]: r["state"] for r in store.query("SELECT id, state FROM outbox")}
    assert [states[i] for i in batch.ids] == ["sent", "sent", "set_aside", "sent", "sent"]
    assert store.outbox_stats()["pending"] == 6
    store.close()


def test_start_and_stop_in_either_order_never_raise(tmp_path):
    """The app starts the worker from a helper thread while the window may be closing."""
    from kiosk.sync.settings import SyncSection
    store = Store(tmp_path)
    early = SyncWorker(store, SyncSection())
    early.stop()
    early.start()  # after stop: stays stopped, starts no thread
    assert early._thread is None
    normal = SyncWorker(store, SyncSection())
    normal.start()
    normal.start()  # a second start is a no-op too
    normal.stop()
    assert not normal._thread.is_alive()
    racing = [SyncWorker(store, SyncSection()) for _ in range(20)]
    starters = [threading.Thread(target=w.start) for w in racing]
    for t in starters:
        t.start()
    for w in racing:
        w.stop()  # while its start() may be half-way: must not raise
    for t in starters:
        t.join(5)
    assert all(w._thread is None or not w._thread.is_alive() for w in racing)
    store.close()


def test_requests_is_loaded_only_for_a_transport():
    """A kiosk without sync.url runs the worker (heartbeats, outbox bounds) but sends nowhere:
    it never loads requests (~5 MiB resident, issue #19). A transport loads it."""
    import subprocess
    import sys
    code = ("import sys, kiosk.sync.worker; assert 'requests' not in sys.modules, 'loaded by the worker'; "
            "from kiosk.sync.transport import Transport; Transport('http://127.0.0.1:9', 't').close(); "
            "assert 'requests' in sys.modules")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
