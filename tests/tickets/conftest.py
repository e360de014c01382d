"""Fixtures for the ticket tests: a typed config built from dicts (ticket_kit.py); clock and
store come from tests/conftest.py."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ticket_kit import build_config  # noqa: E402


@pytest.fixture
def make_config():
    return build_config
