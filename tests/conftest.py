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


def _escpos_profiles_once() -> None:
    """python-escpos writes that pickle in place the first time it is imported; two test runs
    started together on a fresh checkout (e.g. /work/shared/tools/clock_diff.sh, the same tests
    at two moments) could read it half-written. Make it under a lock, once."""
    import fcntl
    with open(BUILD / "escpos-cache" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        import escpos.capabilities  # noqa: F401 - reads the pickle, or makes it


_escpos_profiles_once()


def pytest_configure(config):
    """Under libfaketime (the machine clock moved to test clock independence), start again
    with the wrapper that keeps timed waits working (tests/faketime_waits)."""
    import faketime_waits
    if faketime_waits.needs_wrapper():
        faketime_waits.restart_with_wrapper(config, BUILD / "faketime")


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
