"""Fixtures for the hall display and live-wait tests: the loopback queue server, a typed
config built from dicts, and a store on a fake clock."""
import copy
import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queue_server import TOKEN, QueueServer  # noqa: E402

from kiosk.clock import FakeClock  # noqa: E402

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
     "handling_minutes": 10, "desks_open": 2},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
     "handling_minutes": 6, "desks_open": 1},
]


def build_config(**sections):
    """A validated KioskConfig from TOML-like dicts (services default to SERVICES)."""
    import kiosk.validators  # noqa: F401 - the cross-field checks
    from kiosk.config.loader import Layer, validate_layers
    data = {"services": copy.deepcopy(SERVICES)}
    data.update(copy.deepcopy(sections))
    cfg, _ = validate_layers([Layer("test.toml", data)])
    return cfg


@pytest.fixture
def queue_server():
    s = QueueServer().start()
    yield s
    s.stop()


def sync_table(server, **extra):
    return {"url": server.url, "token": TOKEN, **extra}


@pytest.fixture
def clock():
    # Monday 2 March 2026, 10:00 in Amsterdam (09:00 UTC)
    return FakeClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc))


@pytest.fixture
def store(tmp_path, clock):
    from kiosk.store import Store
    s = Store(tmp_path / "data", device_id="kiosk-test", clock=clock)
    yield s
    s.close()
