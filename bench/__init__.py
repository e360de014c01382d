"""Benchmarks for `make bench`. Each bench/bench_*.py has `run(report)`; `python -m bench`
runs them all (or those named on the command line) and writes build/bench.json."""

import sys as _sys
from pathlib import Path as _Path

# the helpers that run a real central service and PostgreSQL live with the tests
_TESTS = str(_Path(__file__).resolve().parents[1] / "tests")
if _TESTS not in _sys.path:
    _sys.path.append(_TESTS)

# The appliance runs Python with asserts and `if __debug__:` blocks compiled out
# (systemd/kiosk.service): the kiosk processes the benchmarks start run the same way.
APPLIANCE_ENV = {"PYTHONOPTIMIZE": "1"}
