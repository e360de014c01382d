"""Fixtures for the ticket tests: a typed config built from a dict, a store on a fake clock."""
import copy
import datetime as dt

import pytest

from kiosk.clock import FakeClock

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
     "pictogram": "passport", "wait_at": {"nl": "Wachtruimte B", "en": "Waiting area B"},
     "handling_minutes": 10, "desks_open": 2},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
     "pictogram": "moving", "handling_minutes": 6, "desks_open": 1,
     "hours": ["mon-fri 09:00-12:30"]},
    {"id": "appointment", "prefix": "F", "names": {"nl": "Afspraak", "en": "Appointment"},
     "pictogram": "appointment", "needs_appointment": True},
]


def build_config(**sections):
    """A validated KioskConfig from TOML-like dicts (services default to SERVICES)."""
    import kiosk.validators  # noqa: F401 - the cross-field checks, ours included
    from kiosk.config.loader import Layer, validate_layers
    data = {"services": copy.deepcopy(SERVICES)}
    data.update(copy.deepcopy(sections))
    cfg, _ = validate_layers([Layer("test.toml", data)])
    return cfg


@pytest.fixture
def make_config():
    return build_config


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
