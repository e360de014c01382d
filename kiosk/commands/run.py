"""`kiosk run [--config FILE] [--simulate]`: the touchscreen app.

--simulate uses simulated devices (physical buttons are keys 1-9) and works on any
machine; with no screen, SDL renders offscreen. SIGTERM and SIGINT end cleanly:
the open answer is recorded, pending writes are flushed, the database is closed.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("kiosk.run")


def register(sub, common) -> None:
    p = sub.add_parser("run", parents=[common], help="start the touchscreen app")
    p.add_argument("--simulate", action="store_true",
                   help="simulated devices (keys 1-9 are the physical smiley buttons)")
    p.set_defaults(func=cmd_run)


def load_config(args):
    """Config for a command: site file + local overrides; exits 2 listing problems."""
    from kiosk.errors import UserError
    from kiosk.config import ConfigError, load
    from kiosk.config.loader import site_path
    try:
        cfg, _layers = load(site_path(args.config), args.data_dir)
    except ConfigError as e:
        for p in e.problems:
            print(p.render(), file=sys.stderr)
        raise UserError(f"{len(e.problems)} problem(s) in the configuration") from None
    return cfg


def load_config_safe(args):
    """Like load_config, but broken local overrides start safe mode instead of stopping:
    the last good overrides are used and staff see why (see kiosk.config.local).
    A start without problems keeps the validated config for the next one, which reuses it
    while no file it depends on has changed (kiosk/config/cache.py)."""
    from kiosk.config import cache
    from kiosk.config.paths import site_path
    site = site_path(args.config)
    before = cache.key(site, args.data_dir)
    cfg = cache.get(args.data_dir, before)
    if cfg is not None:
        return cfg, site, []
    from kiosk.config import ConfigError
    from kiosk.errors import UserError
    from kiosk.config.local import load_or_safe_mode
    try:
        cfg, _layers, problems = load_or_safe_mode(site, args.data_dir)
    except ConfigError as e:
        for p in e.problems:
            print(p.render(), file=sys.stderr)
        raise UserError(f"{len(e.problems)} problem(s) in the configuration") from None
    for p in problems:
        log.error("safe mode: %s", p.render())
    if not problems:
        after = cache.key(site, args.data_dir)  # the load may have refreshed the last good file
        if after[1] == before[1]:  # no layer changed while it was read
            cache.put(args.data_dir, after, cfg)
    return cfg, site, problems


def cmd_run(args) -> int:
    cfg, site, safe_problems = load_config_safe(args)
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    from screens import launch  # the Kivy side lives in screens/
    launch.prepare(cfg, args.data_dir)
    from kiosk.storage.store import Store

    store = Store(args.data_dir, device_id=cfg.device.id or None)
    log.info("kiosk starting: device %s, role %s, data in %s%s", store.device_id, cfg.device.role,
             args.data_dir, " (simulated devices)" if args.simulate else "")
    try:
        restart = launch.run(cfg, store, simulate=args.simulate, site=site,
                             safe_problems=safe_problems)
    finally:
        store.close()
    log.info("kiosk stopped")
    if restart:
        log.info("restarting as staff asked")
        os.execv(sys.executable, [sys.executable, "-m", "kiosk"] + sys.argv[1:])
    return 0
