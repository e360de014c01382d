"""`make run`: the whole system on one machine - a simulated kiosk, a local central service,
and the command that opens a hall display on it.

  python scripts/demo.py [--site FILE] [--keep-hours] [--port N]

What it does, in order:
- starts `kiosk-central serve` on a free loopback port, on SQLite in DATA/demo/central
  (DATA is $KIOSK_DATA_DIR, else ~/.local/share/kiosk, as for `kiosk run`), and waits for /healthz;
- registers two devices, `demo-kiosk` and `demo-display` (their tokens are kept in
  DATA/demo/secrets.json and reused while the service accepts them);
- makes a login for the dashboard and desk page: user `demo` and a random password, kept only
  in DATA/demo/secrets.json (mode 0600) - for this local demo, nothing else;
- writes two site config layers from the site file (default config/example-site.toml, plus
  config/example-floorplan.toml when the site has no floor plan): DATA/demo/kiosk.toml
  (role `home`) and DATA/demo/display.toml (role `display`), both with [sync] on the service;
  opening hours are left out unless --keep-hours, so tickets can be taken at any hour;
- prints the URLs, the login and the one command that opens the hall display;
- runs the kiosk (`kiosk run --simulate`, data in DATA/demo/kiosk) until its window is
  closed, Ctrl+C or SIGTERM; then stops the service and exits 0 (or with the kiosk's own
  exit status when it failed).

Not part of the kiosk package: kiosk/ never starts or imports the central service.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.cli import default_data_dir  # noqa: E402
from kiosk.config.local import dumps, write_atomic  # noqa: E402

EXAMPLE_SITE = ROOT / "config" / "example-site.toml"
EXAMPLE_PLAN = ROOT / "config" / "example-floorplan.toml"
USER = "demo"
DEVICES = {"kiosk": "demo-kiosk", "display": "demo-display"}
HEALTH_TIMEOUT_S = 60.0


class DemoError(Exception):
    pass


def command(name: str) -> list[str]:
    """The console script next to this Python (the venv's), else its module."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", {"kiosk": "screens", "kiosk-central": "central.cli"}[name]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """Runs in the child before exec: on Linux it gets SIGTERM should this launcher die."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(argv: list[str], **kw) -> subprocess.Popen:
    """A child in its own process group: a Ctrl+C in the terminal reaches only this launcher,
    which then stops the kiosk first and the service after it."""
    return subprocess.Popen(argv, process_group=0, preexec_fn=_die_with_parent, **kw)


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


def run_cli(argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120)


def take_terminal():
    """Under make (`make run` in a terminal): become the terminal's foreground process group,
    so that Ctrl+C reaches this launcher only. make would otherwise get it too and report
    "Interrupt" with a failure status although everything stopped cleanly. Returns the
    function that gives the terminal back (the shell also takes it back when make ends)."""
    if not os.environ.get("MAKELEVEL"):
        return lambda: None
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return lambda: None
    try:
        before = os.getpgrp()
        if os.tcgetpgrp(fd) != before:  # not in the foreground: leave the terminal alone
            raise OSError("not the foreground process group")
        os.setpgid(0, 0)
        ttou = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may then hand it back
        os.tcsetpgrp(fd, os.getpgrp())
    except OSError:
        os.close(fd)
        return lambda: None

    def give_back() -> None:
        try:
            os.tcsetpgrp(fd, before)
        except OSError:
            pass
        finally:
            os.close(fd)
            signal.signal(signal.SIGTTOU, ttou)
    return give_back


# -- the service ----------------------------------------------------------------------------
def http_status(url: str, token: str | None = None) -> int:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0


def wait_healthy(proc: subprocess.Popen, url: str, log: Path, stopping) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline and not stopping():
        if proc.poll() is not None:
            raise DemoError(f"kiosk-central exited with status {proc.returncode}:\n{tail(log)}")
        if http_status(url + "/healthz") == 200:
            return
        time.sleep(0.1)
    if not stopping():
        raise DemoError(f"kiosk-central did not answer {url}/healthz within {HEALTH_TIMEOUT_S:.0f} s:\n"
                        f"{tail(log)}")


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def device_token(central: list[str], db: str, url: str, device: str, known: str | None) -> str:
    """The device's token: the one kept from an earlier run while the service accepts it,
    else a new registration (or a new token for a device registered before)."""
    if known and http_status(url + "/api/v1/queue", known) == 200:
        return known
    r = run_cli(central + ["device", "add", device, "--db", db])
    if r.returncode != 0 and "already registered" in r.stderr:
        r = run_cli(central + ["device", "new-token", device, "--db", db])
    if r.returncode != 0 or not r.stdout.split():
        raise DemoError(f"cannot register {device}: {r.stderr.strip() or r.stdout.strip()}")
    return r.stdout.split()[-1]


def login(central: list[str], kept: dict) -> tuple[str, str]:
    """(password, hash) of the demo login: kept from an earlier run, or made now."""
    if kept.get("password") and kept.get("password_hash", "").startswith("scrypt$"):
        return kept["password"], kept["password_hash"]
    password = secrets.token_urlsafe(12)
    r = run_cli(central + ["admin", "hash-password"], stdin=password + "\n")
    if r.returncode != 0:
        raise DemoError(f"cannot hash the demo password: {r.stderr.strip()}")
    return password, r.stdout.strip()


def read_secrets(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_secrets(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
    os.replace(tmp, path)


# -- the site layers --------------------------------------------------------------------------
def load_site(site: Path) -> dict:
    try:
        data = tomllib.loads(site.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise DemoError(f"cannot read the site file {site}: {e}") from None
    if "wayfinding" not in data and EXAMPLE_PLAN.exists():
        data["wayfinding"] = tomllib.loads(EXAMPLE_PLAN.read_text(encoding="utf-8"))["wayfinding"]
    return data


def site_layer(site: dict, role: str, device: str, url: str, token: str, keep_hours: bool) -> dict:
    """The site file for one demo device: the site with this role, id and [sync] added."""
    layer = json.loads(json.dumps(site))  # a deep copy of plain TOML data
    layer.setdefault("device", {}).update(role=role, id=device)
    if not keep_hours:
        for service in layer.get("services", []):
            service.pop("hours", None)
    # send at once (no 30 s wait, no jitter): a ticket reaches the desk page within seconds
    layer["sync"] = {**layer.get("sync", {}), "url": url, "token": token, "interval_s": 1.0,
                     "jitter_s": 0.0}
    return layer


HEADER = ("# Written by scripts/demo.py (`make run`) at each start, from {site}.\n"
          "# The demo's {role} device on the local central service; edit the site file instead.\n\n")


def write_layer(path: Path, layer: dict, site: Path, role: str) -> None:
    write_atomic(path, HEADER.format(site=site, role=role) + dumps(layer))


# -- the run --------------------------------------------------------------------------------
class Launcher:
    def __init__(self, args):
        self.site = Path(args.site).resolve()
        self.keep_hours = args.keep_hours
        self.port = args.port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(default_data_dir()).expanduser().resolve() / "demo"
        self.central_cmd = command("kiosk-central")
        self.kiosk_cmd = command("kiosk")
        self.central: subprocess.Popen | None = None
        self.kiosk: subprocess.Popen | None = None
        self.signals = 0

    def on_signal(self, signum, _frame) -> None:
        """First Ctrl+C/SIGTERM: stop the kiosk cleanly (it records what it holds); a second
        one while it is still stopping: kill it."""
        self.signals += 1
        if self.kiosk is not None and self.kiosk.poll() is None:
            self.kiosk.send_signal(signal.SIGTERM if self.signals == 1 else signal.SIGKILL)

    def stopping(self) -> bool:
        return self.signals > 0

    def prepare(self) -> dict:
        site = load_site(self.site)
        zone = site.get("device", {}).get("timezone", "Europe/Amsterdam")
        central_dir = self.dir / "central"
        central_dir.mkdir(parents=True, exist_ok=True)
        keep_path = self.dir / "secrets.json"
        kept = read_secrets(keep_path)
        db = f"sqlite:///{central_dir / 'central.sqlite3'}"
        password, pw_hash = login(self.central_cmd, kept)
        conf = self.dir / "central.toml"
        write_atomic(conf, "# Written by scripts/demo.py: the local demo service only.\n" + dumps(
            {"central": {"admin_user": USER, "admin_password_hash": pw_hash, "timezone": zone,
                         "queue": {"timezone": zone}}}))
        log = self.dir / "central.log"
        with open(log, "ab") as out:
            self.central = start(self.central_cmd + ["serve", "--config", str(conf), "--db", db,
                                                     "--host", "127.0.0.1", "--port", str(self.port)],
                                 stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_healthy(self.central, self.url, log, self.stopping)
        if self.stopping():
            return {}
        kept_tokens = kept.get("tokens") if isinstance(kept.get("tokens"), dict) else {}
        tokens = {role: device_token(self.central_cmd, db, self.url, device, kept_tokens.get(device))
                  for role, device in DEVICES.items()}
        write_secrets(keep_path, {"user": USER, "password": password, "password_hash": pw_hash,
                                  "tokens": {DEVICES[r]: t for r, t in tokens.items()}})
        paths = {}
        for role, device_role in (("kiosk", "home"), ("display", "display")):
            layer = site_layer(site, device_role, DEVICES[role], self.url, tokens[role], self.keep_hours)
            paths[role] = self.dir / f"{role}.toml"
            write_layer(paths[role], layer, self.site, device_role)
        return {"password": password, "log": log, "db": central_dir, "keep": keep_path, **paths}

    def banner(self, p: dict) -> str:
        display = self.kiosk_cmd + ["run", "--simulate", "--config", str(p["display"]),
                                    "--data-dir", str(self.dir / "display")]
        hours = ("kept" if self.keep_hours else
                 "left out, so tickets can be taken at any hour (--keep-hours keeps them)")
        return "\n".join([
            "",
            "The whole system on this machine (make run):",
            f"  central service  {self.url}   (SQLite in {p['db']}, log {p['log']})",
            f"  dashboard        {self.url}/dashboard",
            f"  desk page        {self.url}/desk",
            f"  login            user {USER}, password {p['password']}",
            f"                   (for this local demo only; kept in {p['keep']})",
            f"  kiosk            this window: role home, config {p['kiosk']}, data {self.dir / 'kiosk'}",
            f"  hall display     {shlex.join(display)}",
            f"  opening hours    of {self.site.name}: {hours}",
            "Take a ticket on the kiosk, call it on the desk page, see it on the hall display.",
            "Close the kiosk window or press Ctrl+C to stop the kiosk and the service.",
            "",
        ])

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self.on_signal)
        try:
            p = self.prepare()
            if self.stopping():
                return 0
            print(self.banner(p), flush=True)
            self.kiosk = start(self.kiosk_cmd + ["run", "--simulate", "--config", str(p["kiosk"]),
                                                 "--data-dir", str(self.dir / "kiosk")])
            if self.stopping():  # a signal came while it was being started
                self.kiosk.send_signal(signal.SIGTERM)
            rc = self.kiosk.wait()
        except DemoError as e:
            if self.stopping():
                return 0  # a Ctrl+C during start-up also stops a step that was under way
            print(f"make run: {e}", file=sys.stderr)
            return 1
        finally:
            stopped = stop(self.central)
            if self.central is not None:
                print("kiosk-central stopped" + ("" if stopped in (0, -signal.SIGTERM) else
                                                 f" (status {stopped})"), flush=True)
        if self.stopping() and rc in (0, -signal.SIGTERM):
            return 0  # stopped as asked
        return rc if rc >= 0 else 128 - rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", default=str(EXAMPLE_SITE), help="site config to base the demo on "
                    "(default: config/example-site.toml)")
    ap.add_argument("--keep-hours", action="store_true", help="keep the services' opening hours")
    ap.add_argument("--port", type=int, help="port of the local central service (default: a free one)")
    args = ap.parse_args(argv)
    give_back = take_terminal()
    try:
        return Launcher(args).run()
    finally:
        give_back()


if __name__ == "__main__":
    sys.exit(main())
