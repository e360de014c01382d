"""The `kiosk` command line. Each subcommand lives in its own small module under
kiosk/commands/ and registers itself with `register(subparsers, common)`.
`kiosk run` (the touchscreen app) is the UI's command: the `kiosk` console script is
screens/main.py, which adds it to these (the core never imports the UI). `python -m kiosk`
offers the core's commands alone, for a machine without Kivy.

Every command takes --config FILE and --data-dir DIR (or KIOSK_CONFIG / KIOSK_DATA_DIR).
No traceback reaches the user: unexpected errors are logged and summarised in one line.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from pathlib import Path

from kiosk.errors import UserError  # noqa: F401 - re-exported for command modules

COMMAND_MODULES = [
    "kiosk.commands.config_cmd",
    "kiosk.commands.staff_cmd",
    "kiosk.commands.ticket_cmd",
    "kiosk.commands.sync_cmd",
    "kiosk.commands.route_cmd",
    "kiosk.commands.doctor_cmd",
]
# The command each module registers, so that a command imports only what it needs (`kiosk
# run`: the kiosk's cold start); help and unknown commands still import them all.
COMMAND_NAMES = {"config": "kiosk.commands.config_cmd",
                 "staff": "kiosk.commands.staff_cmd", "ticket": "kiosk.commands.ticket_cmd",
                 "sync": "kiosk.commands.sync_cmd", "route": "kiosk.commands.route_cmd",
                 "doctor": "kiosk.commands.doctor_cmd"}

log = logging.getLogger("kiosk")


def default_data_dir() -> str:
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return env
    state = os.environ.get("STATE_DIRECTORY")  # systemd StateDirectory=
    if state:
        return state.split(":")[0]
    return str(Path.home() / ".local" / "share" / "kiosk")


def _escpos_cache(data_dir: str) -> None:
    """python-escpos parses its 1.6 MB printer-profile YAML at import unless it finds its
    pickle; by default it looks in a new temp dir every time (over a second on a Pi).
    Keep the pickle in the data dir instead."""
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
        cache = Path(data_dir) / "cache"
        try:
            cache.mkdir(parents=True, exist_ok=True)
            os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
        except OSError:
            pass  # read-only data dir: escpos falls back to a temp dir


def _wanted_modules(argv: list[str] | None, extra: dict[str, str] | None = None) -> list[str]:
    names = {**COMMAND_NAMES, **(extra or {})}
    every = list(dict.fromkeys([*(extra or {}).values(), *COMMAND_MODULES]))
    if argv is None:
        return every
    skip_next = False
    for tok in argv:
        if skip_next:
            skip_next = False
            continue
        if tok in ("--config", "--data-dir"):
            skip_next = True
            continue
        if tok.startswith("-"):
            if tok in ("-h", "--help"):
                return every
            continue
        return [names[tok]] if tok in names else every
    return every


def build_parser(argv: list[str] | None = None,
                 extra: dict[str, str] | None = None) -> argparse.ArgumentParser:
    """The parser; given argv, only the chosen command's module is imported. `extra` adds
    command name -> module rows (the UI's `run`)."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a value given before the subcommand is not reset by the subcommand's own copy
    common.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="site config file (default: $KIOSK_CONFIG or /etc/kiosk/site.toml)")
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="where the database and local overrides live (default: $KIOSK_DATA_DIR)")
    parser = argparse.ArgumentParser(prog="kiosk", parents=[common],
                                     description="Public-hall kiosk: feedback, tickets, wayfinding.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _wanted_modules(argv, extra):
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: list[str] | None = None, extra: dict[str, str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv, extra)
    args = parser.parse_args(argv)
    args.config = getattr(args, "config", None)
    if getattr(args, "data_dir", None) is None:
        args.data_dir = default_data_dir()
    _escpos_cache(args.data_dir)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=os.environ.get("KIOSK_LOG_LEVEL", "INFO"),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except UserError as e:
        print(f"kiosk {args.command}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - last line of defence, logged in full
        log.exception("unexpected error in 'kiosk %s'", args.command)
        print(f"kiosk {args.command}: unexpected error: {type(e).__name__}: {e} "
              "(details in the log)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
