"""The config a command runs with: the layered load that stops with every problem listed
(`load_config`), and the one `kiosk run` uses, where broken local overrides start safe mode
and a validated config is cached for the next start (`load_config_safe`)."""
from __future__ import annotations

import logging
import sys

log = logging.getLogger("kiosk.config")


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
