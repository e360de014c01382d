"""The wrapper that lets the suite run under libfaketime (tests/faketime_waits): with the clock
moved days ahead, a timed wait still ends after its timeout, and the moved date is what Python
sees. Without the wrapper the same wait does not end (shown with a short outer timeout)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import faketime_waits

BUILD = Path(__file__).resolve().parents[2] / "build"

PROBE = ("import threading, datetime; threading.Event().wait(0.2); "
         "print(datetime.date.today().isoformat())")


def _run(preload: str | None, timeout: float):
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if preload:
        env["LD_PRELOAD"] = preload
    return subprocess.run([shutil.which("faketime"), "-f", "+864000s", sys.executable, "-c", PROBE],
                          env=env, capture_output=True, text=True, timeout=timeout)


def test_a_timed_wait_ends_under_a_moved_clock_with_the_wrapper():
    assert shutil.which("faketime"), "faketime is missing: make test installs it (scripts/sysdeps.sh)"
    lib = faketime_waits.build(BUILD / "faketime")
    real = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    r = _run(str(lib), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() != real  # ten days ahead


def test_without_the_wrapper_the_wait_does_not_end():
    try:
        _run(None, timeout=5)
    except subprocess.TimeoutExpired:
        return
    raise AssertionError("a timed wait ended under faketime without the wrapper: "
                         "tests/faketime_waits may no longer be needed")


def test_needs_wrapper_only_under_faketime_without_it():
    assert faketime_waits.needs_wrapper({"LD_PRELOAD": "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"})
    assert not faketime_waits.needs_wrapper({})
    assert not faketime_waits.needs_wrapper(
        {"LD_PRELOAD": "/b/kiosk-faketime-waits-1.so:/usr/lib/faketime/libfaketime.so.1"})
