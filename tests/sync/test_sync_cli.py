"""`kiosk sync --once` as a real process: counts, exit codes, messages, and a device
killed with SIGKILL while sending that, after a restart, delivers everything exactly once."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from central_kit import free_port, ticket_payload, wait_for
from fault_proxy import FaultProxy
from kiosk.storage.store import Store


def kiosk_cmd() -> list[str]:
    script = Path(sys.executable).parent / "kiosk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kiosk.cli"]


def write_config(path: Path, device: str, url: str, token: str, **sync) -> Path:
    lines = ["[device]", f'id = "{device}"', "", "[sync]", f'url = "{url}"', f'token = "{token}"']
    lines += [f"{k} = {v}" for k, v in sync.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def sync_once(cfg: Path, data: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(kiosk_cmd() + ["sync", "--once", "--config", str(cfg), "--data-dir", str(data)],
                          capture_output=True, text=True, timeout=120, **kw)


def seed(data: Path, device: str, n: int) -> None:
    with Store(data, device_id=device) as store, store.transaction() as c:
        for i in range(n):
            store.append_event(c, "ticket.issued", ticket_payload("passport", i + 1))


def counts(out: str) -> dict:
    m = re.search(r"sent (\d+) \(new (\d+), duplicates (\d+)\), rejected (\d+), pending (\d+), set aside (\d+)", out)
    assert m, out
    return dict(zip(["sent", "new", "duplicates", "rejected", "pending", "set_aside"], map(int, m.groups())))


def test_sync_once_reports_counts_and_exit_codes(central, tmp_path):
    dev, token = central.new_device()
    data = tmp_path / "data"
    seed(data, dev, 25)
    cfg = write_config(tmp_path / "site.toml", dev, central.url, token)
    out = sync_once(cfg, data)
    assert out.returncode == 0, out.stderr
    assert counts(out.stdout) == {"sent": 25, "new": 25, "duplicates": 0, "rejected": 0, "pending": 0,
                                  "set_aside": 0}
    assert len(central.ids(dev)) == 25
    again = sync_once(cfg, data)
    assert again.returncode == 0 and counts(again.stdout)["sent"] == 0

    seed(data, dev, 3)
    down = write_config(tmp_path / "down.toml", dev, f"http://127.0.0.1:{free_port()}", token,
                        connect_timeout_s=0.5)
    out = sync_once(down, data)
    assert out.returncode == 1 and "cannot reach" in out.stdout and counts(out.stdout)["pending"] == 3
    assert "Traceback" not in out.stderr

    wrong = write_config(tmp_path / "wrong.toml", dev, central.url, "bad-token")
    out = sync_once(wrong, data)
    assert out.returncode == 2 and "refused this device (401)" in out.stderr and "Traceback" not in out.stderr

    nourl = tmp_path / "nourl.toml"
    nourl.write_text(f'[device]\nid = "{dev}"\n')
    out = sync_once(nourl, data)
    assert out.returncode == 2 and "sync.url is not set" in out.stderr

    bad = tmp_path / "bad.toml"
    bad.write_text('[sync]\nurl = "ftp://x"\nbatch_size = 5000\n')
    out = sync_once(bad, data)
    assert out.returncode == 2 and "sync.url" in out.stderr and "sync.batch_size" in out.stderr


def test_sigkill_while_sending_then_restart_delivers_exactly_once(central, tmp_path):
    dev, token = central.new_device()
    data = tmp_path / "data"
    seed(data, dev, 6000)
    # Every answer is held back 0.3 s after the server stored the batch: a kill then loses the answer.
    proxy = FaultProxy(central.proc.port, chooser=lambda: "slow", slow_s=0.3).start()
    cfg = write_config(tmp_path / "slow.toml", dev, proxy.url, token, batch_size=200)
    proc = subprocess.Popen(kiosk_cmd() + ["sync", "--once", "--config", str(cfg), "--data-dir", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = sqlite3.connect(data / "kiosk.sqlite3")

    def sent() -> int:
        return db.execute("SELECT COUNT(*) FROM outbox WHERE state='sent'").fetchone()[0]
    wait_for(lambda: sent() >= 400, 60, "some batches sent")
    time.sleep(0.1)  # the next batch is now stored on the server, its answer held by the proxy
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proxy.stop()
    assert proc.returncode == -signal.SIGKILL
    done_before = sent()
    assert 0 < done_before < 6000
    assert len(central.ids(dev)) > done_before  # the server has more than the device knows of
    db.close()

    direct = write_config(tmp_path / "direct.toml", dev, central.url, token)
    out = sync_once(direct, data)
    assert out.returncode == 0, out.stderr
    c = counts(out.stdout)
    assert c["sent"] == 6000 - done_before and c["duplicates"] >= 1 and c["pending"] == 0
    with Store(data, device_id=dev) as store:
        central.assert_exactly_once(store, dev, expect=6000)
