"""`kiosk-central`: serve the API and dashboard, register devices, make password hashes.

  kiosk-central serve [--db URL] [--host H] [--port P] [--workers N] [--config FILE]
  kiosk-central device add DEVICE_ID [--role feedback|tickets|wayfinding|home|display] [--db URL]
                                                    (prints the token as the last word; role: home)
  kiosk-central device rotate DEVICE_ID [--db URL]  (a new token; the old one stops working;
                                                    `device new-token` is the same)
  kiosk-central device revoke DEVICE_ID [--db URL]  (the token stops working for good)
  kiosk-central device list [--db URL]
  kiosk-central user add NAME --role desk|analyst|admin [--password-stdin]
  kiosk-central user set-password NAME [--password-stdin]   (ends the user's sessions)
  kiosk-central user disable NAME                   (ends the user's sessions)
  kiosk-central user list                           (name, role, disabled, last login)
  kiosk-central admin hash-password                 (older installs: reads the password from stdin)
  kiosk-central db upgrade [--db URL]
  kiosk-central rollups rebuild [--db URL]          (count the stats' roll-ups again from the events,
                                                    in settings.timezone: needed after changing it)

No traceback reaches the user: problems are one line and exit code 2.
"""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import re
import sys

DEVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
log = logging.getLogger("central")


class UserError(Exception):
    pass


def _settings(args, **extra):
    from central import settings as s
    try:
        return s.load(args.config, {"db": args.db, **extra})
    except s.SettingsError as e:
        raise UserError("bad settings:\n" + "\n".join(p.render() for p in e.problems)) from None


def _engine(cfg, upgrade: bool = True):
    from central import db
    engine = db.make_engine(cfg.db_url())
    if upgrade:
        db.upgrade(engine, cfg.timezone)
    return engine


def cmd_serve(args) -> int:
    import uvicorn
    cfg = _settings(args, host=args.host, port=args.port, workers=args.workers)
    url = cfg.db_url()
    workers = cfg.workers
    if workers > 1 and url.startswith("sqlite"):
        print("kiosk-central: SQLite is served by one process; use PostgreSQL for --workers > 1",
              file=sys.stderr)
        workers = 1
    engine = _engine(cfg)
    print(f"kiosk-central {_version()} serving on http://{cfg.host}:{cfg.port} "
          f"({engine.dialect.name}, {workers} worker(s))", flush=True)
    common = dict(host=cfg.host, port=cfg.port, log_level=os.environ.get("KIOSK_CENTRAL_LOG_LEVEL", "warning"),
                  access_log=False, timeout_graceful_shutdown=5)
    if workers > 1:
        from central import settings as s
        for k, v in {"db": url, "host": cfg.host, "port": cfg.port}.items():
            os.environ[s.ENV_PREFIX + k.upper()] = str(v)
        if args.config:
            os.environ[s.ENV_PREFIX + "CONFIG"] = args.config
        engine.dispose()
        uvicorn.run("central.app:app_from_env", factory=True, workers=workers, **common)
    else:
        from central.app import create_app, tune_gc
        app = create_app(cfg, engine)
        tune_gc()
        uvicorn.run(app, **common)
    return 0


def cmd_device_add(args) -> int:
    from central import device_roles
    if not DEVICE_ID.match(args.device_id):
        raise UserError(f"{args.device_id!r} is not a device id: use letters, digits, '.', '_' or '-' "
                        "(at most 64, starting with a letter or digit)")
    engine = _engine(_settings(args))
    try:
        token = device_roles.add(engine, args.device_id, args.role)
    except device_roles.DeviceExists:
        raise UserError(f"device {args.device_id!r} is already registered") from None
    _audit_cli(engine, "device.add", f"{args.device_id} ({args.role})")
    print(f"Registered device {args.device_id} with role {args.role}. Put this token in the device's "
          f"[sync] token; it is shown only once:\n{token}")
    return 0


def cmd_device_rotate(args) -> int:
    from central import device_roles
    engine = _engine(_settings(args))
    try:
        token = device_roles.rotate(engine, args.device_id)
    except device_roles.UnknownDevice:
        raise UserError(f"no device {args.device_id!r} is registered") from None
    except device_roles.Revoked:
        raise UserError(f"device {args.device_id!r} is revoked; register it again under a new id") from None
    _audit_cli(engine, "device.rotate", args.device_id)
    print(f"New token for {args.device_id}; the old one no longer works. Shown only once:\n{token}")
    return 0


def cmd_device_revoke(args) -> int:
    from central import device_roles
    engine = _engine(_settings(args))
    try:
        done = device_roles.revoke(engine, args.device_id)
    except device_roles.UnknownDevice:
        raise UserError(f"no device {args.device_id!r} is registered") from None
    if done:
        _audit_cli(engine, "device.revoke", args.device_id)
    print(f"Device {args.device_id} " + ("revoked: its token no longer works; its events stay."
                                          if done else "was revoked already."))
    return 0


def cmd_device_list(args) -> int:
    import sqlalchemy as sa

    from central import aggregate
    from central.db import devices
    cfg = _settings(args)
    engine = _engine(cfg)
    with engine.connect() as conn:
        roles = {r.id: (r.role, r.revoked_at) for r in conn.execute(
            sa.select(devices.c.id, devices.c.role, devices.c.revoked_at))}
    for d in aggregate.device_table(engine, cfg.stale_after_min):
        role, revoked = roles.get(d["device"], ("?", None))
        print(f"{d['device']}\t{role}\tlast heartbeat {d['last_heartbeat_at'] or 'never'}"
              f"{'  REVOKED' if revoked else '  STALE' if d['stale'] else ''}")
    return 0


def _audit_cli(engine, action: str, target: str) -> None:
    from central import audit
    audit.write(engine, "cli", action, target)


def _new_password(args) -> str:
    """From one line of stdin (--password-stdin), else asked twice without echo."""
    if args.password_stdin:
        pw = sys.stdin.readline().rstrip("\r\n")
        if not pw:
            raise UserError("no password on stdin")
        return pw
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask the password on: use --password-stdin")
    pw = getpass.getpass("New password: ")
    if getpass.getpass("Same password again: ") != pw:
        raise UserError("the two passwords differ; nothing changed")
    return pw


def cmd_user_add(args) -> int:
    from central import accounts
    try:
        accounts.check_name(args.name)
        accounts.check_role(args.role)
        pw = _new_password(args)
        accounts.add_user(_engine(_settings(args)), args.name, args.role, pw)
    except accounts.AccountError as e:
        raise UserError(str(e)) from None
    print(f"Added user {args.name} with the role {args.role}.")
    return 0


def cmd_user_set_password(args) -> int:
    from central import accounts
    try:
        engine = _engine(_settings(args))
        if not any(u["name"] == args.name for u in accounts.list_users(engine)):
            raise accounts.AccountError(f"no user {args.name!r}")
        ended = accounts.set_password(engine, args.name, _new_password(args))
    except accounts.AccountError as e:
        raise UserError(str(e)) from None
    print(f"New password for {args.name}; {ended} session(s) ended.")
    return 0


def cmd_user_disable(args) -> int:
    from central import accounts
    try:
        ended = accounts.disable_user(_engine(_settings(args)), args.name)
    except accounts.AccountError as e:
        raise UserError(str(e)) from None
    print(f"Disabled {args.name}; {ended} session(s) ended.")
    return 0


def cmd_user_list(args) -> int:
    from central import accounts
    rows = accounts.list_users(_engine(_settings(args)))
    print("name\trole\tdisabled\tlast login (UTC)")
    for u in rows:
        last = u["last_login"].isoformat(sep=" ", timespec="minutes") if u["last_login"] else "never"
        print(f"{u['name']}\t{u['role']}\t{'yes' if u['disabled'] else 'no'}\t{last}")
    return 0


def cmd_hash_password(args) -> int:
    from central import auth
    pw = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(pw) < 8:
        raise UserError("use a password of at least 8 characters")
    print(auth.hash_password(pw))
    return 0


def cmd_db_upgrade(args) -> int:
    from central import db
    engine = _engine(_settings(args))
    print(f"database at revision {db.current_revision(engine)}")
    return 0


def cmd_rollups_rebuild(args) -> int:
    import time

    from central import rollups
    cfg = _settings(args)
    engine = _engine(cfg)
    t0 = time.monotonic()
    with engine.begin() as conn:
        before = rollups.stored_zone(conn)
        n = rollups.rebuild(conn, cfg.timezone)
    print(f"roll-ups counted again from {n} events in {cfg.timezone} (were in {before or 'no zone'}), "
          f"{time.monotonic() - t0:.1f} s")
    return 0


def _version() -> str:
    from central import __version__
    return __version__


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", help="settings file with a [central] table "
                        "(default: $KIOSK_CENTRAL_CONFIG)")
    common.add_argument("--db", metavar="URL", help="database URL (default: $KIOSK_CENTRAL_DB or a "
                        "SQLite file in $KIOSK_CENTRAL_DATA_DIR)")
    p = argparse.ArgumentParser(prog="kiosk-central", description="Central service for the kiosks.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    s = sub.add_parser("serve", parents=[common], help="serve the API and dashboard")
    s.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default 8080)")
    s.add_argument("--workers", type=int, help="worker processes (PostgreSQL only)")
    s.set_defaults(func=cmd_serve)
    d = sub.add_parser("device", help="register and list devices")
    dsub = d.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    a = dsub.add_parser("add", parents=[common], help="register a device and print its token")
    a.add_argument("device_id")
    a.add_argument("--role", default="home", choices=["feedback", "tickets", "wayfinding", "home", "display"],
                   help="what the device's token may do (default home: every visitor function; "
                        "display: read the queue only)")
    a.set_defaults(func=cmd_device_add)
    for name, what in (("rotate", "replace a device's token (a lost or stolen device): print the new one"),
                       ("new-token", "the same as rotate")):
        nt = dsub.add_parser(name, parents=[common], help=what)
        nt.add_argument("device_id")
        nt.set_defaults(func=cmd_device_rotate)
    rv = dsub.add_parser("revoke", parents=[common], help="stop a device's token for good")
    rv.add_argument("device_id")
    rv.set_defaults(func=cmd_device_revoke)
    ls = dsub.add_parser("list", parents=[common], help="list devices")
    ls.set_defaults(func=cmd_device_list)
    us = sub.add_parser("user", help="personal staff accounts")
    usub = us.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    ua = usub.add_parser("add", parents=[common], help="add a user (asks the password twice)")
    ua.add_argument("name")
    ua.add_argument("--role", required=True, choices=["desk", "analyst", "admin"],
                    help="desk: the desk page; analyst: dashboard, stats, exports; admin: everything")
    ua.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    ua.set_defaults(func=cmd_user_add)
    up = usub.add_parser("set-password", parents=[common], help="give a user a new password (ends their sessions)")
    up.add_argument("name")
    up.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    up.set_defaults(func=cmd_user_set_password)
    ud = usub.add_parser("disable", parents=[common], help="disable a user (ends their sessions)")
    ud.add_argument("name")
    ud.set_defaults(func=cmd_user_disable)
    ul = usub.add_parser("list", parents=[common], help="list users: name, role, disabled, last login")
    ul.set_defaults(func=cmd_user_list)
    ad = sub.add_parser("admin", help="older installs' single dashboard login")
    asub = ad.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    h = asub.add_parser("hash-password", help="read a password, print its hash for admin_password_hash")
    h.set_defaults(func=cmd_hash_password)
    dbp = sub.add_parser("db", help="database schema")
    dbsub = dbp.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    u = dbsub.add_parser("upgrade", parents=[common], help="apply schema migrations")
    u.set_defaults(func=cmd_db_upgrade)
    ro = sub.add_parser("rollups", help="the statistics' daily roll-ups")
    rosub = ro.add_subparsers(dest="rollups_command", metavar="ACTION", required=True)
    rb = rosub.add_parser("rebuild", parents=[common], help="count them again from the stored events, in "
                          "settings.timezone (after changing the time zone)")
    rb.set_defaults(func=cmd_rollups_rebuild)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("config", "db"):
        if not hasattr(args, name):
            setattr(args, name, None)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=os.environ.get("KIOSK_CENTRAL_LOG_LEVEL", "WARNING").upper(),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        print(f"kiosk-central {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - last line of defence
        from sqlalchemy.exc import OperationalError
        if isinstance(e, OperationalError):
            print(f"kiosk-central {args.command}: cannot use the database: {str(e.orig)[:300]}",
                  file=sys.stderr)
            return 2
        log.exception("unexpected error in 'kiosk-central %s'", args.command)
        print(f"kiosk-central {args.command}: unexpected error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
