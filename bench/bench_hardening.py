"""The central service under a slow-upload attack (`python -m bench hardening`).

40 sockets each start a POST /api/v1/events with an 8 MB Content-Length and no valid token,
send a few bytes and stall (tests/central_kit.py SlowUploads). Figures:
- central.healthz_under_attack_p95: p95 of 40 GET /healthz, one after another, while the 40
  uploads are open; baseline: the same 40 requests on the same idle process just before
  (target <= 50 ms);
- central.rss_growth_under_attack: resident memory after minus before (target < 50 MB;
  tests/central/test_central_hardening_process.py asserts the same bound).
The service checks the token before reading a byte of a body, so such uploads are refused
with 401 at once instead of holding 8 MB buffers or the event loop.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from bench.report import percentile


def run(report) -> None:
    from central_kit import CentralProcess, SlowUploads, device_add, healthz_latencies, rss_kib

    with tempfile.TemporaryDirectory(prefix="bench-hardening-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'central.sqlite3'}"
        device_add(db_url, "bench-1")
        with CentralProcess(db_url, log_path=Path(tmp) / "central.log") as c:
            healthz_latencies(c.url, 20)  # warm up
            idle = healthz_latencies(c.url, 40)
            before = rss_kib(c.proc.pid)
            attack = SlowUploads(c.port, n=40, content_length=8_000_000)
            try:
                busy = healthz_latencies(c.url, 40)
                after = rss_kib(c.proc.pid)
                refused = sum(a.startswith("HTTP/1.1 401") for a in attack.answers())
            finally:
                attack.close()
    p95_idle, p95_busy = percentile(idle, 95) * 1000, percentile(busy, 95) * 1000
    report.add("central.healthz_under_attack_p95", p95_busy, "ms", baseline=p95_idle, target="<= 50 ms",
               met=p95_busy <= 50, note=f"40 slow unauthenticated 8 MB uploads open; {refused}/40 refused "
                                        "with 401 before their body; baseline: idle p95 in the same run")
    growth = (after - before) / 1024
    report.add("central.rss_growth_under_attack", growth, "MiB", target="< 50 MiB", met=growth < 50,
               note=f"VmRSS {before / 1024:.0f} -> {after / 1024:.0f} MiB")
