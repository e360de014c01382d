"""A throw-away PostgreSQL server for tests and benchmarks: initdb into a temp dir,
pg_ctl start on a free loopback port, stop and delete at the end. Works as root (runs
the server as the `postgres` user via runuser) and as an ordinary user."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from central_kit import free_port

HINT = ("PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH). "
        "Install Debian's postgresql package: `make test` does it when run as root, "
        "otherwise `sudo apt-get install -y postgresql`.")


class PostgresMissing(RuntimeError):
    pass


def bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which:
        return Path(which).parent
    raise PostgresMissing(HINT)


class PgServer:
    def __init__(self, fsync: bool = False):
        self.bin = bindir()
        self.port = free_port()
        self.fsync = fsync
        self.base = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresMissing("running as root but there is no 'postgres' user to run the server as; "
                                      + HINT) from None
            os.chown(self.base, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        out = subprocess.run(self.as_user + list(args), capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {out.stderr.strip() or out.stdout.strip()}"
                               f"\n(server log: {self.log})")

    def start(self) -> "PgServer":
        reap_orphans()
        (self.base / "owner.pid").write_text(str(os.getpid()))
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "kiosk", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c max_connections=200 "
                f"-c fsync={'on' if self.fsync else 'off'}")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.log), "-w",
                  "-t", "60", "start")
        return self

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://kiosk@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str) -> str:
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def reap_orphans() -> int:
    """Stop and delete servers left by test runs that were killed (their owner is gone)."""
    n = 0
    for base in Path(tempfile.gettempdir()).glob("kiosk-pg-*"):
        try:
            owner = int((base / "owner.pid").read_text())
        except (OSError, ValueError):
            continue  # not ours, or still starting
        try:
            os.kill(owner, 0)
            continue  # its test run is still going
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(as_user + [str(bindir() / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w",
                                  "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
        n += 1
    return n

