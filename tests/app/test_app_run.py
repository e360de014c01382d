"""`kiosk run --simulate` starts, draws, and ends cleanly on SIGTERM; a bad config
stops it with a clear message instead of a traceback."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def env(tmp_path):
    e = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIOSK_DATA_DIR=str(tmp_path / "data"),
             KIVY_HOME=str(tmp_path / "kivy"), KIOSK_LOG_LEVEL="INFO")
    e.pop("KIOSK_CONFIG", None)
    return e


def test_run_simulate_then_sigterm(tmp_path):
    p = subprocess.Popen([sys.executable, "-m", "screens", "run", "--simulate"], cwd=ROOT,
                         env=env(tmp_path), stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        lines.append(line)
        if "first frame drawn" in line:
            break
    assert any("first frame drawn" in ln for ln in lines), "".join(lines)[-3000:]
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err[-3000:]
    assert "kiosk stopped" in err
    assert "Traceback" not in err
    assert (tmp_path / "data" / "kiosk.sqlite3").exists()


def test_run_with_bad_config_says_why(tmp_path):
    bad = tmp_path / "site.toml"
    bad.write_text("[feedback]\nscale = 9\n")
    r = subprocess.run([sys.executable, "-m", "screens", "run", "--simulate", "--config", str(bad)],
                       cwd=ROOT, env=env(tmp_path), capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert f"{bad}:2: feedback.scale: 9 is above the maximum 5" in r.stderr
    assert "Traceback" not in r.stderr
