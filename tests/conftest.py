"""Shared test setup. Kivy-specific setup lives in tests/ui/conftest.py so that
plain tests never import Kivy."""
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
for _p in (ROOT, ROOT / "tests"):  # the code, and tests/testkit.py
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
os.environ.setdefault("KIOSK_LOG_LEVEL", "WARNING")
# python-escpos re-parses its printer-profile YAML in a fresh temp dir unless told where its
# pickle lives (see kiosk/cli.py _escpos_cache); share one cache for the whole run.
(BUILD / "escpos-cache").mkdir(parents=True, exist_ok=True)
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(BUILD / "escpos-cache"))


@pytest.fixture
def clock():
    from kiosk.clock import FakeClock
    from testkit import MONDAY_10AM
    return FakeClock(MONDAY_10AM)


@pytest.fixture
def store(tmp_path, clock):
    from kiosk.storage.store import Store
    s = Store(tmp_path / "data", device_id="kiosk-test", clock=clock)
    yield s
    s.close()
