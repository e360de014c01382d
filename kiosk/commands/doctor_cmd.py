"""`kiosk doctor`: check config, database, disk, clock, devices and the central service.

One line per check, `LEVEL NAME DETAIL` (the printer's: kiosk/commands/doctor_printer.py), e.g.
  ok    config      /etc/kiosk/site.toml
  FAULT printer     paper out (serial:///dev/ticketprinter)
  warn  clock       2026-11-28 16:10 UTC, NTP not synchronised
Exit 0 when nothing is a FAULT (warnings allowed), 1 otherwise. Each check has a short
time-out and never shows a traceback. Run it as the service user on the service's data
dir, ideally with the app stopped (a serial printer answers one asker at a time):
  sudo -u kiosk /opt/kiosk/.venv/bin/kiosk doctor --data-dir /var/lib/kiosk
"""
from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk.commands.doctor_printer import check_printer
from kiosk.commands.doctor_result import Level, Result

log = logging.getLogger("kiosk.doctor")

MIN_YEAR = 2024
CENTRAL_TIMEOUT_S = 3.0


def register(sub, common) -> None:
    p = sub.add_parser("doctor", parents=[common],
                       help="check config, database, disk, clock, devices, central service")
    p.add_argument("--min-free-mb", type=float, default=200.0, metavar="MB",
                   help="free space in the data dir below this is a fault (default 200)")
    p.set_defaults(func=cmd_doctor)


# -- checks that need no config ----------------------------------------------------------

def check_disk(data_dir: str, min_free_mb: float) -> Result:
    path = Path(data_dir)
    probe = path if path.exists() else next((p for p in path.parents if p.exists()), Path("/"))
    free_mb = shutil.disk_usage(probe).free / 1e6
    text = f"{free_mb:,.0f} MB free in {data_dir}"
    if free_mb < min_free_mb:
        return Result(Level.FAULT, "disk", f"{text} (below {min_free_mb:,.0f} MB)")
    if free_mb < 2 * min_free_mb:
        return Result(Level.WARN, "disk", f"{text} (getting low)")
    return Result(Level.OK, "disk", text)


def check_database(data_dir: str) -> Result:
    from kiosk.storage.store import DB_NAME
    path = Path(data_dir) / DB_NAME
    if not path.exists():
        return Result(Level.WARN, "database", f"no {path} yet (made at the first start)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if rows != ["ok"]:
            return Result(Level.FAULT, "database", f"{path}: damaged: {'; '.join(rows[:3])}")
        stats = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    except sqlite3.DatabaseError as e:
        return Result(Level.FAULT, "database", f"{path}: {e}")
    finally:
        conn.close()
    pending, aside = stats.get("pending", 0), stats.get("set_aside", 0)
    text = f"{path}: intact, outbox {pending} pending, {aside} set aside"
    return Result(Level.WARN if aside else Level.OK, "database", text)


def check_clock(now: float | None = None, run=subprocess.run) -> Result:
    now = time.time() if now is None else now
    shown = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(now))
    if time.gmtime(now).tm_year < MIN_YEAR:
        return Result(Level.FAULT, "clock", f"{shown}: not set (no real-time clock, no NTP yet)")
    try:
        r = run(["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
                capture_output=True, text=True, timeout=3)
        answer = r.stdout.strip() if r.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        answer = ""
    if answer == "yes":
        return Result(Level.OK, "clock", f"{shown}, NTP synchronised")
    if answer == "no":
        return Result(Level.WARN, "clock", f"{shown}, not synchronised")
    return Result(Level.WARN, "clock", f"{shown}, synchronisation unknown (timedatectl failed)")


# -- checks that need the config --------------------------------------------------------

def _check_port(name: str, url: str, opener) -> Result:
    if not url:
        return Result(Level.OK, name, "none configured")
    if url.startswith("sim://"):
        return Result(Level.OK, name, "simulator (sim://)")
    try:
        opener(url)
    except Exception as e:  # noqa: BLE001 - pyserial and sockets raise several kinds
        return Result(Level.FAULT, name, f"{url}: cannot open: {e}")
    return Result(Level.OK, name, f"{url} opens")


def _open_scanner(url: str) -> None:
    from devices.factory import open_device
    open_device("scanner", url).link.open(timeout=0.2).close()  # the URL's line settings too


def _open_buttons(url: str) -> None:
    from devices.factory import open_device
    open_device("buttons", url, on_digit=lambda _d: None).close()


def _open_keypad(url: str) -> None:
    from devices.factory import open_device
    open_device("keypad", url, on_key=lambda _k: None).close()


def check_speech(cfg) -> Result:
    url = cfg.devices.speech.url
    if not url or not url.startswith("espeak:"):
        return Result(Level.OK, "speech", url or "none configured")
    exe = shutil.which("espeak-ng")
    if not exe:
        return Result(Level.FAULT, "speech", "espeak-ng is not installed (apt install espeak-ng)")
    return Result(Level.OK, "speech", f"espeak-ng at {exe}")


def check_central(cfg) -> Result:
    sc = cfg.sync
    if not sc.url:
        return Result(Level.WARN, "central", "sync.url not set: events stay on this device")
    import requests
    url = sc.url.rstrip("/") + "/healthz"
    verify = (sc.ca_file or True) if sc.verify_tls else False
    try:
        r = requests.get(url, timeout=(CENTRAL_TIMEOUT_S, CENTRAL_TIMEOUT_S), verify=verify)
    except requests.Timeout:
        return Result(Level.FAULT, "central", f"{url}: no answer within {CENTRAL_TIMEOUT_S:g} s")
    except requests.RequestException as e:
        why = re.search(r"\[Errno -?\d+\] [^'\")]+|certificate verify failed[^'\")]*", str(e))
        return Result(Level.FAULT, "central", f"{url}: unreachable: "
                                              f"{why.group(0) if why else type(e).__name__}")
    if r.status_code != 200:
        return Result(Level.FAULT, "central", f"{url}: answered HTTP {r.status_code}")
    try:
        body = r.json()
    except ValueError:
        body = {}
    version = body.get("version") if isinstance(body, dict) else None
    return Result(Level.OK, "central", f"{sc.url} healthy" + (f" (version {version})" if version else ""))


# -- the command ---------------------------------------------------------------------------

def _config(args) -> tuple[Result, object]:
    from kiosk.commands.loading import load_config
    from kiosk.config.loader import site_path
    from kiosk.errors import UserError
    site = site_path(args.config)
    try:
        cfg = load_config(args)  # lists each problem on stderr
    except UserError as e:
        return Result(Level.FAULT, "config", f"{site or 'shipped defaults'}: {e}"), None
    return Result(Level.OK, "config", site or "no site file, shipped defaults"), cfg


def _guard(name: str, check, *a) -> Result:
    try:
        return check(*a)
    except Exception as e:  # noqa: BLE001 - one broken check must not hide the others
        log.debug("check %s failed", name, exc_info=True)
        return Result(Level.FAULT, name, f"check failed: {type(e).__name__}: {e}")


def run_checks(args) -> list[Result]:
    try:
        config_result, cfg = _config(args)
    except Exception as e:  # noqa: BLE001 - e.g. an unreadable file: still run the rest
        log.debug("config check failed", exc_info=True)
        config_result, cfg = Result(Level.FAULT, "config", f"{type(e).__name__}: {e}"), None
    results = [config_result]
    results.append(_guard("database", check_database, args.data_dir))
    results.append(_guard("disk", check_disk, args.data_dir, args.min_free_mb))
    results.append(_guard("clock", check_clock))
    device_checks = [
        ("printer", check_printer, cfg),
        ("scanner", lambda c: _check_port("scanner", c.devices.scanner.url, _open_scanner), cfg),
        ("buttons", lambda c: _check_port("buttons", c.devices.buttons.url, _open_buttons), cfg),
        ("keypad", lambda c: _check_port("keypad", c.devices.keypad.url, _open_keypad), cfg),
        ("speech", check_speech, cfg),
        ("central", check_central, cfg),
    ]
    for name, check, c in device_checks:
        if c is None:
            results.append(Result(Level.WARN, name, "not checked (the config has problems)"))
        else:
            results.append(_guard(name, check, c))
    return results


def cmd_doctor(args) -> int:
    results = run_checks(args)
    for r in results:
        print(r.line(), flush=True)
    faults = sum(r.level is Level.FAULT for r in results)
    if faults:
        print(f"{faults} fault(s)", file=sys.stderr)
    return 1 if faults else 0
