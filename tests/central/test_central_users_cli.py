"""`kiosk-central user add | list | set-password | disable` through the real command: the
password from stdin, clear one-line refusals, no hashes shown, sessions ended, all audited."""
from __future__ import annotations

import subprocess

import sqlalchemy as sa

from central import accounts
from central.db import audit_log, make_engine, users
from central_kit import central_cmd

PW = "a long staff passphrase"


def run(*args, stdin: str | None = None):
    return subprocess.run(central_cmd() + list(args), capture_output=True, text=True, input=stdin, timeout=60)


def test_user_add_list_set_password_disable(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    out = run("user", "add", "alice", "--role", "desk", "--password-stdin", "--db", db, stdin=PW + "\n")
    assert out.returncode == 0 and "alice" in out.stdout, out.stderr
    assert run("user", "add", "bob", "--role", "analyst", "--password-stdin", "--db", db,
               stdin="another long passphrase\n").returncode == 0
    again = run("user", "add", "alice", "--role", "admin", "--password-stdin", "--db", db, stdin=PW + "\n")
    assert again.returncode == 2 and "already exists" in again.stderr and "Traceback" not in again.stderr
    engine = make_engine(db)
    token = accounts.start_session(engine, "alice", "127.0.0.1")  # as POST /login makes one
    listed = run("user", "list", "--db", db)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[1].split("\t")[:3] == ["alice", "desk", "no"] and lines[1].split("\t")[3] != "never"
    assert lines[2].split("\t") == ["bob", "analyst", "no", "never"]
    assert "argon2" not in listed.stdout and "$" not in listed.stdout  # never a hash
    with engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.password_hash).where(users.c.name == "alice")).scalar()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")

    out = run("user", "set-password", "alice", "--password-stdin", "--db", db, stdin="a new long passphrase\n")
    assert out.returncode == 0 and "1 session(s) ended" in out.stdout, out.stderr
    assert accounts.session_user(engine, token, 30, 12) is None
    token = accounts.start_session(engine, "alice", "127.0.0.1")
    out = run("user", "disable", "alice", "--db", db)
    assert out.returncode == 0 and "1 session(s) ended" in out.stdout
    assert accounts.session_user(engine, token, 30, 12) is None
    assert run("user", "list", "--db", db).stdout.splitlines()[1].split("\t")[2] == "yes"
    missing = run("user", "disable", "nobody", "--db", db)
    assert missing.returncode == 2 and "no user 'nobody'" in missing.stderr
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.target)
                            .order_by(audit_log.c.id)).all()
    assert [tuple(r) for r in rows if r.actor == "cli"] == [
        ("cli", "user.add", "alice"), ("cli", "user.add", "bob"), ("cli", "password.change", "alice"),
        ("cli", "user.disable", "alice")]


def test_weak_passwords_and_bad_names_are_refused_clearly(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    for pw, says in [("short", "at least 12 characters"), ("password2024!", "most common"),
                     ("123456789012", "sequence"), ("aaaaaaaaaaaaaa", "repeats"), ("Welkom12345678", "most common"),
                     ("carol-says-hello", "user name"), ("qwertyuiopasdf", "sequence")]:
        out = run("user", "add", "carol", "--role", "desk", "--password-stdin", "--db", db, stdin=pw + "\n")
        assert out.returncode == 2 and says in out.stderr and "Traceback" not in out.stderr, (pw, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1
    bad = run("user", "add", "bad name!", "--role", "desk", "--password-stdin", "--db", db, stdin=PW + "\n")
    assert bad.returncode == 2 and "not a user name" in bad.stderr
    role = run("user", "add", "carol", "--role", "boss", "--password-stdin", "--db", db, stdin=PW + "\n")
    assert role.returncode == 2 and "boss" in role.stderr and "Traceback" not in role.stderr
    empty = run("user", "add", "carol", "--role", "desk", "--password-stdin", "--db", db, stdin="")
    assert empty.returncode == 2 and "no password" in empty.stderr
    notty = run("user", "add", "carol", "--role", "desk", "--db", db, stdin=PW + "\n")
    assert notty.returncode == 2 and "--password-stdin" in notty.stderr
    assert run("user", "set-password", "nobody", "--password-stdin", "--db", db, stdin=PW + "\n").returncode == 2
    assert run("user", "list", "--db", db).stdout.splitlines()[1:] == []


def test_device_changes_are_audited_with_actor_cli(tmp_path):
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert run("device", "add", "pillar-1", "--db", db).returncode == 0
    assert run("device", "new-token", "pillar-1", "--db", db).returncode == 0
    with make_engine(db).connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.target)
                            .order_by(audit_log.c.id)).all()
    assert [tuple(r) for r in rows] == [("cli", "device.add", "pillar-1 (home)"), ("cli", "device.rotate", "pillar-1")]
