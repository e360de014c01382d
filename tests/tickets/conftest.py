"""Fixtures for the ticket tests: a typed config built from dicts (ticket_kit.py); clock and
store come from tests/conftest.py."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ticket_kit import Endpoint, build_config  # noqa: E402


@pytest.fixture(autouse=True)
def system_clock_at_a_closed_hour(monkeypatch):
    """In this process the machine's clock (SystemClock) says Sunday 03:00, so a ticket
    test only passes when the issuer and book use the clock the test gave them. Ticket
    commands run as subprocesses keep the real clock."""
    from testkit import pin_system_clock
    pin_system_clock(monkeypatch)


@pytest.fixture
def make_config():
    return build_config


@pytest.fixture
def endpoint():
    """endpoint(fn) -> a running loopback appointment checker (ticket_kit.Endpoint)."""
    made = []

    def make(fn):
        e = Endpoint(fn)
        made.append(e)
        return e
    yield make
    for e in made:
        e.close()
