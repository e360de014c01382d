"""The real `kiosk-central` command: device add, serve on loopback (SQLite and, with two
worker processes, PostgreSQL), hash-password, and clear messages instead of tracebacks."""
from __future__ import annotations

import subprocess
import threading

import requests

from central_kit import CentralProcess, central_cmd, device_add, feedback_payload, make_event, staff_session, user_add


def run(*args, stdin: str | None = None, env=None):
    return subprocess.run(central_cmd() + list(args), capture_output=True, text=True, input=stdin, timeout=60,
                          env=env)


def post(url, token, batch):
    return requests.post(url + "/api/v1/events", json={"events": batch},
                         headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_device_add_prints_token_last_and_refuses_twice(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    out = run("device", "add", "pillar-7", "--db", db)
    assert out.returncode == 0, out.stderr
    token = out.stdout.split()[-1]
    assert len(token) >= 40
    again = run("device", "add", "pillar-7", "--db", db)
    assert again.returncode == 2 and "already registered" in again.stderr and "Traceback" not in again.stderr
    bad = run("device", "add", "bad id!", "--db", db)
    assert bad.returncode == 2 and "not a device id" in bad.stderr
    listed = run("device", "list", "--db", db)
    assert "pillar-7" in listed.stdout and "never" in listed.stdout
    # the token is stored hashed, not as it was printed
    assert token.encode() not in (tmp_path / "c.sqlite3").read_bytes()


def test_bad_settings_are_one_clear_line(tmp_path):
    out = run("device", "add", "x", "--db", "mysql://nope")
    assert out.returncode == 2 and "central.db" in out.stderr and "Traceback" not in out.stderr
    cfg = tmp_path / "central.toml"
    cfg.write_text('[central]\nport = "eighty"\nadmin_password_hash = "plain"\n')
    out = run("device", "add", "x", "--config", str(cfg))
    assert out.returncode == 2 and "central.port" in out.stderr and "central.admin_password_hash" in out.stderr
    out = run("device", "add", "x", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert out.returncode == 2 and "cannot use the database" in out.stderr and "Traceback" not in out.stderr


def test_hash_password_reads_stdin():
    from central import auth
    out = run("admin", "hash-password", stdin="a long password\n")
    assert out.returncode == 0 and auth.check_password("a long password", out.stdout.strip())
    assert run("admin", "hash-password", stdin="short\n").returncode == 2


def test_serve_on_sqlite_ingests_and_answers_health(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    token = device_add(db, "pillar-1")
    with CentralProcess(db, log_path=tmp_path / "central.log") as c:
        assert requests.get(c.url + "/healthz", timeout=5).json()["database"] == "sqlite"
        batch = [make_event("pillar-1", i, "feedback.given", feedback_payload(5), "2026-03-02T09:00:00.000Z")
                 for i in range(1, 11)]
        assert post(c.url, token, batch).json()["accepted"] == 10
        assert post(c.url, token, batch).json()["duplicates"] == 10
        assert post(c.url, "wrong", batch).status_code == 401


def test_two_processes_serve_one_postgres_database(pg, tmp_path):
    """Stateless: two servers on one database, the same events sent to both at once, stored once."""
    db = pg.create_db("two_procs")
    token = device_add(db, "pillar-1")
    user_add(db, "anna", "analyst", "an analyst password")
    with CentralProcess(db, log_path=tmp_path / "a.log") as a, \
            CentralProcess(db, log_path=tmp_path / "b.log", workers=2) as b:
        batch = [make_event("pillar-1", i, "feedback.given", feedback_payload(4), "2026-03-02T09:00:00.000Z")
                 for i in range(1, 201)]
        results = {}

        def send(name, url):
            results[name] = post(url, token, batch).json()
        threads = [threading.Thread(target=send, args=(n, u)) for n, u in (("a", a.url), ("b", b.url))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results["a"]["accepted"] + results["b"]["accepted"] == 200
        assert results["a"]["duplicates"] + results["b"]["duplicates"] == 200
        # a login made on one process is valid on the other (sessions are in the database)
        cookie = staff_session(a.url, "anna", "an analyst password").cookies["kc_session"]
        for url in (a.url, b.url):
            r = requests.get(url + "/api/v1/stats/feedback", cookies={"kc_session": cookie}, timeout=10)
            assert r.status_code == 200 and r.json()["total"]["answers"] == 200


def test_chunked_body_over_the_limit_is_413_not_500(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    token = device_add(db, "pillar-1")
    with CentralProcess(db, env={"KIOSK_CENTRAL_MAX_BODY_BYTES": "10000"}) as c:
        def body():  # no Content-Length: the limit is enforced while streaming
            yield b'{"events": ['
            for _ in range(100):
                yield b'{"id": "x", "payload": {"a": "' + b"a" * 200 + b'"}},'
            yield b"1]}"
        r = requests.post(c.url + "/api/v1/events", data=body(), headers={"Authorization": f"Bearer {token}"},
                          timeout=30)
        assert r.status_code == 413 and "limit of 10000" in r.json()["detail"]
        assert requests.get(c.url + "/healthz", timeout=5).status_code == 200


def test_new_token_revokes_the_old_one(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    old = device_add(db, "pillar-lost")
    out = run("device", "new-token", "pillar-lost", "--db", db)
    assert out.returncode == 0, out.stderr
    new = out.stdout.split()[-1]
    assert new != old
    assert run("device", "new-token", "nobody", "--db", db).returncode == 2
    with CentralProcess(db, log_path=tmp_path / "central.log") as c:
        batch = [make_event("pillar-lost", 1, "route.shown", {}, "2026-03-02T09:00:00.000Z")]
        assert post(c.url, old, batch).status_code == 401
        assert post(c.url, new, batch).json()["accepted"] == 1
