"""The systemd units: `systemd-analyze verify` has nothing to say about them (warnings
count as failures), `systemd-analyze security` rates them well, and they keep the settings
the appliance relies on. The units name /opt/kiosk/.venv; the test verifies copies that
point at this checkout's .venv, whose binaries exist (verify checks ExecStart)."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "systemd"
NAMES = ("kiosk.service", "kiosk-central.service")
INSTALLED_BIN = "/opt/kiosk/.venv/bin/"
MAX_EXPOSURE = {"kiosk.service": 3.0, "kiosk-central.service": 2.0}


def _analyze() -> str:
    exe = shutil.which("systemd-analyze")
    assert exe, "systemd-analyze is missing: run `sh scripts/sysdeps.sh test` (package systemd)"
    return exe


@pytest.fixture
def unit_copies(tmp_path):
    venv_bin = Path(sys.executable).parent  # this checkout's .venv/bin
    for name in ("kiosk", "kiosk-central"):
        assert (venv_bin / name).exists(), f"{venv_bin / name} missing: pip install -e '.[kiosk,central]'"
    out = tmp_path / "units"
    out.mkdir()
    for name in NAMES:
        text = (UNITS / name).read_text()
        assert INSTALLED_BIN in text
        (out / name).write_text(text.replace(INSTALLED_BIN, f"{venv_bin}/"))
    return out


def _about_ours(output: str, units: Path) -> list[str]:
    """systemd-analyze may also talk about the machine's own units: keep lines naming ours."""
    keys = [str(units / n) for n in NAMES] + [f"{n}:" for n in NAMES] + [f" {n} " for n in NAMES]
    return [ln for ln in output.splitlines() if any(k in ln for k in keys)]


def test_units_verify_without_warnings(unit_copies):
    files = [str(unit_copies / n) for n in NAMES]
    r = subprocess.run([_analyze(), "verify", "--man=no", *files],
                       capture_output=True, text=True, timeout=60)
    ours = _about_ours(r.stdout + r.stderr, unit_copies)
    assert ours == [], "\n".join(ours)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_filter_sees_a_broken_unit(unit_copies):
    """The check above can fail: an unknown key and a missing binary are reported."""
    bad = unit_copies / "kiosk.service"
    bad.write_text(bad.read_text().replace("Restart=always", "Restart=always\nRestartSecs=3")
                   .replace(f"{Path(sys.executable).parent}/kiosk ", "/nonexistent/kiosk "))
    r = subprocess.run([_analyze(), "verify", "--man=no", str(bad)],
                       capture_output=True, text=True, timeout=60)
    ours = "\n".join(_about_ours(r.stdout + r.stderr, unit_copies))
    assert "RestartSecs" in ours
    assert "/nonexistent/kiosk" in ours


@pytest.mark.parametrize("name", NAMES)
def test_units_exposure_is_low(unit_copies, name):
    r = subprocess.run([_analyze(), "security", "--offline=yes", str(unit_copies / name)],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", r.stdout + r.stderr)
    assert m, r.stdout[-2000:] + r.stderr[-2000:]
    assert float(m.group(1)) <= MAX_EXPOSURE[name], m.group(0)


def _settings(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")) and "=" in line:
            k, v = line.split("=", 1)
            out.setdefault(k.strip(), []).append(v.strip())
    return out


def test_kiosk_unit_keeps_what_the_appliance_needs():
    s = _settings("kiosk.service")
    assert s["Type"] == ["notify"] and s["Restart"] == ["always"]
    assert int(s["WatchdogSec"][0]) > 0
    assert s["ExecStart"] == ["/opt/kiosk/.venv/bin/kiosk run"]
    assert s["StateDirectory"] == ["kiosk"]
    assert set(s["SupplementaryGroups"][0].split()) >= {"video", "render", "input", "dialout",
                                                         "lp", "audio"}
    assert set(s["RestrictAddressFamilies"][0].split()) == {"AF_UNIX", "AF_INET", "AF_INET6",
                                                             "AF_NETLINK"}
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "ProtectKernelTunables"):
        assert s[key] == ["yes"], key
    assert s["ProtectSystem"] == ["strict"]
    assert "PrivateDevices" not in s and "DeviceAllow" not in s  # devices via groups
    env = " ".join(s["Environment"])
    assert "SDL_VIDEODRIVER=kmsdrm" in env and "SDL_VIDEO_ALLOW_SCREENSAVER=0" in env
    assert "PYTHONOPTIMIZE=1" in env   # as the benchmarks run it (bench.APPLIANCE_ENV)


def test_central_unit_keeps_its_state_and_secrets_apart():
    s = _settings("kiosk-central.service")
    assert s["ExecStart"][0].startswith("/opt/kiosk/.venv/bin/kiosk-central serve")
    assert s["DynamicUser"] == ["yes"] and s["StateDirectory"] == ["kiosk-central"]
    assert s["EnvironmentFile"] == ["-/etc/kiosk-central/central.env"]
    assert s["PrivateDevices"] == ["yes"] and s["ProtectSystem"] == ["strict"]


def test_exec_start_command_lines_are_accepted_by_the_programs():
    """The arguments in ExecStart still exist in the command-line parsers."""
    import shlex

    from central.cli import build_parser as central_parser
    from kiosk.cli import build_parser
    from screens.main import UI_COMMANDS
    kiosk_args = shlex.split(_settings("kiosk.service")["ExecStart"][0])[1:]
    central_args = shlex.split(_settings("kiosk-central.service")["ExecStart"][0])[1:]
    assert build_parser(extra=UI_COMMANDS).parse_args(kiosk_args).command == "run"
    ns = central_parser().parse_args(central_args)
    assert (ns.command, ns.host, ns.port) == ("serve", "127.0.0.1", 8080)
