"""`kiosk sync --once`: send what the outbox holds now and report counts.

Exit 0 when everything pending was sent (or set aside), 1 when the central service could
not be reached or answered with an error (events stay queued), 2 for a configuration
fault (no sync.url, token refused).
"""
from __future__ import annotations

from kiosk.cli import UserError


def register(sub, common) -> None:
    p = sub.add_parser("sync", parents=[common], help="send the outbox to the central service")
    p.add_argument("--once", action="store_true", required=True,
                   help="one pass: send what is queued now, print counts, exit")
    p.set_defaults(func=cmd_sync)


def cmd_sync(args) -> int:
    from kiosk.sync import worker as sync
    from kiosk.sync import outbox as sync_store
    from kiosk.config import ConfigError, load
    from kiosk.config.loader import site_path
    from kiosk.storage.store import Store
    from kiosk.sync.transport import ReplyKind, Transport, read_token

    try:
        cfg, _ = load(site_path(args.config), args.data_dir)
    except ConfigError as e:
        raise UserError("the config has problems:\n" + str(e)) from None
    sc = cfg.sync
    if not sc.url:
        raise UserError("sync.url is not set: nothing to send to (see `kiosk config defaults`)")
    try:
        token = read_token(sc.token, sc.token_file)
    except OSError as e:
        raise UserError(f"cannot read sync.token_file {sc.token_file!r}: {e.strerror}") from None
    if not token:
        raise UserError("sync.token is not set: register the device with `kiosk-central device add`")
    with Store(args.data_dir, device_id=cfg.device.id or None) as store:
        health = sync_store.enforce_bounds(store, sc.max_unsent_events, sc.max_unsent_age_days, sc.warn_fraction)
        transport = Transport(sc.url, token, connect_timeout=sc.connect_timeout_s, read_timeout=sc.read_timeout_s,
                              verify_tls=sc.verify_tls, ca_file=sc.ca_file, boot_id=store.boot_id)
        try:
            res = sync.drain(store, transport, sc.batch_size)
        finally:
            transport.close()
        stats = store.outbox_stats()
    print(f"sent {res.sent} (new {res.accepted}, duplicates {res.duplicates}), rejected {res.rejected}, "
          f"pending {stats['pending']}, set aside {stats['set_aside']}, dropped {health.dropped_total}")
    if health.warning:
        print(f"warning: {health.warning}")
    if res.failure is None:
        return 0
    if res.failure.kind is ReplyKind.AUTH:
        raise UserError(f"{res.failure.message}; check sync.token and device.id ({store.device_id})")
    print(f"not finished: {res.failure.message}")
    return 1
