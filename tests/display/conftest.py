"""Fixtures for the hall display and live-wait tests: the loopback queue server (the config
builder is in display_kit.py; clock and store come from tests/conftest.py)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queue_server import QueueServer  # noqa: E402


@pytest.fixture
def queue_server():
    s = QueueServer().start()
    yield s
    s.stop()
