"""The throw-away PostgreSQL of the test setup: a server left by a killed test run is
stopped and deleted by the next run, so killed runs do not pile up servers."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pgserver as pgtest

ROOT = Path(__file__).resolve().parents[2]


def test_server_of_a_dead_run_is_reaped():
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); from pgserver import PgServer; "
            "print(PgServer().start().base, flush=True)")  # exits without stopping its server
    base = Path(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                               check=True).stdout.strip())
    assert (base / "data" / "postmaster.pid").exists()
    pid = int((base / "data" / "postmaster.pid").read_text().split()[0])
    assert pgtest.reap_orphans() >= 1
    assert not base.exists()
    assert not Path(f"/proc/{pid}").exists() or "postgres" not in Path(f"/proc/{pid}/cmdline").read_text()
