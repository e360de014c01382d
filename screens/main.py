"""The `kiosk` command: the core's commands (kiosk/cli.py) plus `kiosk run`, the touchscreen
app, which is the UI's and so lives here (the core never imports screens/).

`kiosk run [--config FILE] [--simulate]`: --simulate uses simulated devices (physical buttons
are keys 1-9) and works on any machine; with no screen, SDL renders offscreen. SIGTERM and
SIGINT end cleanly: the open answer is recorded, pending writes are flushed, the database is
closed. Nothing here imports Kivy until the app is started (launch.prepare sets Kivy up first).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("kiosk.run")

UI_COMMANDS = {"run": "screens.main"}


def register(sub, common) -> None:
    p = sub.add_parser("run", parents=[common], help="start the touchscreen app")
    p.add_argument("--simulate", action="store_true",
                   help="simulated devices (keys 1-9 are the physical smiley buttons)")
    p.set_defaults(func=cmd_run)


def cmd_run(args) -> int:
    from kiosk.commands.loading import load_config_safe
    cfg, site, safe_problems = load_config_safe(args)
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    from screens import launch
    launch.prepare(cfg, args.data_dir)
    from kiosk.appliance.core import Kiosk

    core = Kiosk(cfg, data_dir=args.data_dir, simulate=args.simulate, site=site,
                 safe_problems=safe_problems)
    log.info("kiosk starting: device %s, role %s, data in %s%s", core.store.device_id,
             cfg.device.role, args.data_dir, " (simulated devices)" if args.simulate else "")
    try:
        restart = launch.run(core)
    finally:
        core.close()  # idempotent: the app closed it already unless it failed to start
    log.info("kiosk stopped")
    if restart:
        log.info("restarting as staff asked")
        os.execv(sys.executable, [sys.executable, "-m", "screens"] + sys.argv[1:])
    return 0


def main(argv: list[str] | None = None) -> int:
    from kiosk.cli import main as core_main
    return core_main(argv, extra=UI_COMMANDS)
