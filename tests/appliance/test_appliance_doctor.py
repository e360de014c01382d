"""`kiosk doctor` as a real process against simulated devices (a TCP printer simulator, a
TCP "scanner", loop:// buttons), a real `kiosk-central serve` on loopback, a real SQLite
database, and a stand-in `timedatectl` on PATH. Plus the clock rules on their own."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from devices.printer_sim import PrinterSimulator
from kiosk.commands.doctor_cmd import Level, check_clock
from kiosk.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
CENTRAL = Path(sys.executable).parent / "kiosk-central"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    d = tmp_path_factory.mktemp("central")
    port = _free_port()
    env = dict(os.environ, KIOSK_CENTRAL_DATA_DIR=str(d))
    p = subprocess.Popen([str(CENTRAL), "serve", "--port", str(port), "--db", f"sqlite:///{d}/c.sqlite3"],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if p.poll() is not None or time.monotonic() > deadline:
            p.kill()
            raise AssertionError("kiosk-central did not start: " + (p.stdout.read() or ""))
        time.sleep(0.1)
    yield url
    p.send_signal(signal.SIGTERM)
    p.wait(20)


@pytest.fixture
def printer():
    sim = PrinterSimulator("tcp").start()
    yield sim
    sim.stop()


@pytest.fixture
def scanner_port():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    yield srv.getsockname()[1]
    srv.close()


def _fake_timedatectl(tmp_path, answer: str) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / "timedatectl"
    exe.write_text(f"#!/bin/sh\necho {answer}\n")
    exe.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}"


def doctor(tmp_path, site: str, *extra, ntp="yes", path_only_fakes=False):
    cfg = tmp_path / "site.toml"
    cfg.write_text(site)
    path = _fake_timedatectl(tmp_path, ntp)
    env = dict(os.environ, PATH=path.split(":")[0] if path_only_fakes else path)
    env.pop("KIOSK_CONFIG", None)
    env.pop("KIOSK_DATA_DIR", None)
    r = subprocess.run([sys.executable, "-m", "kiosk", "doctor", "--config", str(cfg),
                        "--data-dir", str(tmp_path / "data"), *extra],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in r.stdout + r.stderr
    lines = {ln[6:18].strip(): (ln[:6].strip(), ln[18:]) for ln in r.stdout.splitlines()}
    return r, lines


def _site(printer_url, scanner_url, central_url, buttons="loop://"):
    return (f'[devices.printer]\nurl = "{printer_url}"\nstatus_timeout_s = 0.3\n'
            f'[devices.scanner]\nurl = "{scanner_url}"\n'
            f'[devices.buttons]\nurl = "{buttons}"\n'
            f'[devices.speech]\nurl = "dummy://"\n'
            f'[sync]\nurl = "{central_url}"\n')


def _database(tmp_path):
    with Store(tmp_path / "data") as store:
        store.record_event("heartbeat", {})


def test_all_healthy(tmp_path, central, printer, scanner_port):
    _database(tmp_path)
    r, lines = doctor(tmp_path, _site(printer.url, f"socket://127.0.0.1:{scanner_port}", central))
    assert r.returncode == 0, r.stdout + r.stderr
    assert list(lines) == ["config", "database", "disk", "clock", "printer", "scanner",
                           "buttons", "keypad", "speech", "central"]
    assert all(level == "ok" for level, _ in lines.values()), r.stdout
    assert lines["config"][1] == str(tmp_path / "site.toml")
    assert "intact, outbox 1 pending, 0 set aside" in lines["database"][1]
    assert lines["clock"][1].endswith("NTP synchronised")
    assert lines["printer"][1] == f"online ({printer.url})"
    assert lines["central"][1].startswith(f"{central} healthy")
    assert printer.queries > 0  # the printer was really asked


def test_faults_are_named_and_exit_non_zero(tmp_path, printer):
    printer.state = "paper_out"
    dead = f"http://127.0.0.1:{_free_port()}"
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kiosk.sqlite3").write_bytes(b"this is not a database" * 100)
    r, lines = doctor(tmp_path, _site(printer.url, "serial:///dev/ttyNOPE0", dead),
                      "--min-free-mb", "1e12", ntp="no")
    assert r.returncode == 1
    assert lines["printer"] == ("FAULT", f"paper out ({printer.url}); load a new roll")
    assert lines["scanner"][0] == "FAULT" and "/dev/ttyNOPE0" in lines["scanner"][1]
    assert lines["central"] == ("FAULT", f"{dead}/healthz: unreachable: [Errno 111] Connection refused")
    assert lines["database"][0] == "FAULT"
    assert lines["disk"][0] == "FAULT" and "below" in lines["disk"][1]
    assert lines["clock"][0] == "warn" and lines["clock"][1].endswith("not synchronised")
    assert lines["buttons"][0] == "ok" and lines["config"][0] == "ok"
    assert "5 fault(s)" in r.stderr


def test_a_printer_that_does_not_answer_is_a_fault(tmp_path, printer, central):
    printer.silent = True
    r, lines = doctor(tmp_path, _site(printer.url, "", central))
    assert r.returncode == 1
    assert lines["printer"][0] == "FAULT"
    assert lines["printer"][1].startswith(f"no answer within 0.3 s ({printer.url}): it accepts")
    assert lines["database"][0] == "warn"  # no database yet: not a fault
    assert lines["scanner"] == ("ok", "none configured")


def test_missing_speech_program_and_buttons_port_are_faults(tmp_path):
    site = ('[devices.speech]\nurl = "espeak://"\n'
            '[devices.buttons]\nurl = "serial:///dev/ttyNOPE1?baudrate=9600"\n')
    r, lines = doctor(tmp_path, site, path_only_fakes=True)  # no espeak-ng on PATH
    assert r.returncode == 1
    assert lines["speech"] == ("FAULT", "espeak-ng is not installed (apt install espeak-ng)")
    assert lines["buttons"][0] == "FAULT" and "/dev/ttyNOPE1" in lines["buttons"][1]
    assert lines["central"] == ("warn", "sync.url not set: events stay on this device")


def test_a_broken_config_is_a_fault_and_the_rest_still_runs(tmp_path):
    r, lines = doctor(tmp_path, "[feedback]\nscale = 9\n")
    assert r.returncode == 1
    assert lines["config"][0] == "FAULT"
    assert "feedback.scale: 9 is above the maximum 5" in r.stderr
    assert lines["disk"][0] == "ok" and lines["clock"][0] == "ok"
    assert lines["printer"] == ("warn", "not checked (the config has problems)")


# -- printer mistakes: a file:// path that cannot work, a TCP printer that stays silent -----

class TcpPrinterStandIn:
    """A real loopback TCP server in place of a network printer: `answer` True replies to
    every DLE EOT n with 0x12 (online, ESC/POS fixed bits); False accepts and stays silent."""

    def __init__(self, answer: bool):
        self.answer = answer
        self.srv = socket.socket()
        self.srv.bind(("127.0.0.1", 0))
        self.srv.listen(4)
        self.url = f"tcp://127.0.0.1:{self.srv.getsockname()[1]}"
        self.conns = []
        self.asked = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.srv.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn):
        buf = b""
        while True:
            try:
                data = conn.recv(256)
            except OSError:
                return
            if not data:
                return
            buf += data
            while b"\x10\x04" in buf and len(buf) >= buf.index(b"\x10\x04") + 3:
                buf = buf[buf.index(b"\x10\x04") + 3:]
                self.asked += 1
                if self.answer:
                    conn.sendall(b"\x12")

    def close(self):
        self.srv.close()
        for c in self.conns:
            c.close()


@pytest.fixture
def tcp_printer():
    made = []

    def make(answer):
        made.append(TcpPrinterStandIn(answer))
        return made[-1]
    yield make
    for p in made:
        p.close()


def _printer_site(url, timeout=0.3):
    return f'[devices.printer]\nurl = "{url}"\nstatus_timeout_s = {timeout}\n'


def test_a_tcp_printer_that_answers_is_online(tmp_path, tcp_printer):
    p = tcp_printer(answer=True)
    r, lines = doctor(tmp_path, _printer_site(p.url))
    assert lines["printer"] == ("ok", f"online ({p.url})")
    assert r.returncode == 0, r.stdout
    assert p.asked == 2  # DLE EOT 1, then DLE EOT 4 (paper)


def test_a_tcp_printer_that_accepts_but_stays_silent(tmp_path, tcp_printer):
    p = tcp_printer(answer=False)
    started = time.monotonic()
    r, lines = doctor(tmp_path, _printer_site(p.url, timeout=0.5))
    took = time.monotonic() - started
    assert r.returncode == 1
    assert lines["printer"] == ("FAULT", f"no answer within 0.5 s ({p.url}): it accepts the "
                                         "connection but does not answer the status query; check "
                                         "that it is a switched-on ESC/POS printer")
    assert p.asked == 1 and took < 30   # asked once, waited the timeout, did not hang
    assert "1 fault(s)" in r.stderr


def test_a_tcp_printer_that_refuses_the_connection(tmp_path):
    url = f"tcp://127.0.0.1:{_free_port()}"   # nothing listens here
    r, lines = doctor(tmp_path, _printer_site(url))
    assert r.returncode == 1
    assert lines["printer"] == ("FAULT", f"connection refused ({url}): switch the printer on or "
                                         "correct host and port in devices.printer.url")


def test_the_silent_printer_check_is_bounded_by_the_status_timeout(tmp_path, tcp_printer):
    """In process: the check waits for the configured timeout once, not for ever."""
    from kiosk.commands.doctor_printer import check_printer
    from kiosk.config import load
    p = tcp_printer(answer=False)
    site = tmp_path / "s.toml"
    site.write_text(_printer_site(p.url, timeout=0.4))
    cfg, _ = load(str(site))
    started = time.monotonic()
    result = check_printer(cfg)
    took = time.monotonic() - started
    assert result.level is Level.FAULT and result.detail.startswith("no answer within 0.4 s")
    assert 0.4 <= took < 3.0


def test_a_file_printer_in_a_missing_folder(tmp_path):
    url = f"file://{tmp_path}/nowhere/printer.bin"
    r, lines = doctor(tmp_path, _printer_site(url))
    assert r.returncode == 1
    assert lines["printer"] == ("FAULT", f"devices.printer.url '{url}': folder {tmp_path}/nowhere "
                                         "does not exist; connect the printer or correct the path")


def test_a_device_node_that_is_not_there(tmp_path):
    r, lines = doctor(tmp_path, _printer_site("file:///dev/kiosk-test-lp9"))
    assert r.returncode == 1
    assert lines["printer"][0] == "FAULT"
    assert "no such device /dev/kiosk-test-lp9" in lines["printer"][1]


def test_a_file_printer_in_an_existing_folder(tmp_path):
    r, lines = doctor(tmp_path, _printer_site(f"file://{tmp_path}/printer.bin"))
    assert lines["printer"][0] == "warn" and "status unknown" in lines["printer"][1]


# -- the clock rules ---------------------------------------------------------------------

class _Answer:
    def __init__(self, stdout="", returncode=0, raises=None):
        self.stdout, self.returncode, self.raises = stdout, returncode, raises

    def __call__(self, *_a, **_kw):
        if self.raises:
            raise self.raises
        return self


NOW = 1_795_000_000.0  # 2026-11-18


@pytest.mark.parametrize("now, answer, level, ending", [
    (0.0, _Answer("yes\n"), Level.FAULT, "not set (no real-time clock, no NTP yet)"),
    (NOW, _Answer("yes\n"), Level.OK, "NTP synchronised"),
    (NOW, _Answer("no\n"), Level.WARN, "not synchronised"),
    (NOW, _Answer("", 1), Level.WARN, "synchronisation unknown (timedatectl failed)"),
    (NOW, _Answer(raises=FileNotFoundError("timedatectl")), Level.WARN,
     "synchronisation unknown (timedatectl failed)"),
])
def test_clock(now, answer, level, ending):
    r = check_clock(now=now, run=answer)
    assert r.level is level and r.detail.endswith(ending), r.detail
