"""`make run` end to end (issue #12 item 7): the launcher (scripts/demo.py, what `make run`
runs) starts a simulated kiosk and a local central service and prints the desk URL, a login
and the hall display's command. Here, with every part a real process:
- the printed login opens the desk page in headless Chromium;
- a ticket taken on the kiosk appears there: `kiosk ticket issue` on the kiosk's own config and
  data dir (what DESIGN.md fixes as "issue one ticket exactly as the ticket screen does"; the
  screen's tap itself is covered by tests/ui/test_ui_tickets.py), recorded in the kiosk's
  outbox and sent by the running kiosk's own sync worker;
- the call made on the desk page shows on a display started with the printed command
  (through display_watch.py, which runs the same `kiosk` entry point and reports the screen);
- Ctrl+C stops the kiosk and the service, with exit status 0.
Clock: the launcher leaves the example site's opening hours out (what `make run` does), so a
ticket can be taken at any hour; the site's time zone is one where it is about noon now, so
"today" is the same day for the kiosk, the service and the display while the test runs.
"""
from __future__ import annotations

import json
import re
import shlex
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import requests

from central_kit import Browser, log_in, midday_zone, staff_session, wait_for
from kiosk.config.local import dumps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "appliance"))
from appliance_helpers import Proc, kiosk_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scripts" / "demo.py"
WATCH = Path(__file__).with_name("display_watch.py")


def printed(output: str, label: str, pattern: str = r"(.+)") -> tuple[str, ...]:
    m = re.search(rf"^  {label}\s+{pattern}$", output, re.M)
    assert m, f"no {label!r} line in:\n{output[-3000:]}"
    return m.groups()


def example_site_at_noon(path: Path) -> Path:
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    site["device"]["timezone"] = midday_zone()
    path.write_text(dumps(site), encoding="utf-8")
    return path


def rows(b) -> list:
    return b.evaluate("[...document.querySelectorAll('#queue tbody tr')].map(r => [r.cells[0].textContent, "
                "r.cells[5].textContent])")


def test_make_run_desk_page_kiosk_ticket_and_hall_display(tmp_path):
    env = kiosk_env(tmp_path)
    env.pop("MAKELEVEL", None)  # as run from a shell, not from `make test`
    demo = Proc([sys.executable, str(DEMO), "--site", str(example_site_at_noon(tmp_path / "site.toml"))],
                env)
    display = browser = None
    try:
        demo.wait_for("first frame drawn", 120)
        out = demo.output()
        (desk_url,) = printed(out, "desk page", r"(http://127\.0\.0\.1:\d+/desk)")
        user, password = printed(out, "login", r"user (\S+), password (\S+)")
        kiosk_config, kiosk_data = printed(out, "kiosk", r"this window: role home, config (\S+), data (\S+)")
        (display_cmd,) = printed(out, "hall display")
        base = desk_url.removesuffix("/desk")
        secrets = json.loads((tmp_path / "data" / "demo" / "secrets.json").read_text())
        assert secrets["password"] == password  # kept in the demo's data dir only

        # 1. a ticket on the kiosk, reaching the service through the kiosk's sync worker
        kiosk = shlex.split(display_cmd)[0]
        r = subprocess.run([kiosk, "ticket", "issue", "--service", "passport", "--simulate", "--config",
                            kiosk_config, "--data-dir", kiosk_data], env=env, capture_output=True,
                           text=True, timeout=120)
        assert (r.returncode, r.stdout) == (0, "A001\n"), r.stderr
        api = staff_session(base, user, password)  # the demo's login (admin_password_hash, adopted as a user)

        def waiting():
            q = api.get(base + "/api/v1/desk/queue", params={"services": "passport"}, timeout=10)
            assert q.status_code == 200, q.text  # the printed login is accepted
            return [t["label"] for t in q.json()["tickets"] if t["state"] == "waiting"]
        wait_for(lambda: waiting() == ["A001"], 60, "the kiosk's ticket at the service")

        # 2. the desk page with the printed login: the ticket is there
        browser = Browser(window="1280,1400").start()
        b = browser.page
        log_in(b, base, "/desk", user, password)
        b.locator("#svc-passport").wait_for(timeout=30_000)
        b.fill("#desk-name", "4")
        b.check("#svc-passport")
        b.click("#save-desk")
        wait_for(lambda: rows(b) == [["A001", "waiting"]], 30, "A001 waiting on the desk page")

        # 3. the hall display, started with the printed command, shows the call made there
        argv = shlex.split(display_cmd)
        assert Path(argv[0]).name == "kiosk" and argv[1:3] == ["run", "--simulate"], argv
        display = Proc([sys.executable, str(WATCH), "--", *argv[1:]], env)
        display.wait_for("connection=online", 120)
        b.click("#call-next")
        wait_for(lambda: b.text_content("#status") == "Called A001", 30,
                 "the call on the desk page")
        display.wait_for("SHOWN ticket=A001 desk=Balie 4 connection=online", 60)
        browser.check()  # no console error or CSP violation on the desk page

        # 4. Ctrl+C: the kiosk stops cleanly, then the service; status 0
        rc = demo.stop(signal.SIGINT, timeout=60)
        assert rc == 0, demo.output()[-3000:]
        assert "kiosk stopped" in demo.output() and "kiosk-central stopped" in demo.output()
        try:
            requests.get(base + "/healthz", timeout=5)
            answered = True
        except requests.ConnectionError:
            answered = False
        assert not answered, "the central service still answers after the launcher ended"
    finally:
        if browser is not None:
            browser.stop()
        if display is not None:
            display.stop(signal.SIGTERM)
        demo.kill()
