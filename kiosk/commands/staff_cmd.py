"""`kiosk staff set-pin`: set the staff PIN (stored as a salted scrypt hash in the local
overrides, never the PIN itself). Reads the PIN twice without echo, or once from stdin
with --stdin (for provisioning scripts)."""
from __future__ import annotations

import getpass
import sys

from kiosk.errors import UserError


def register(sub, common) -> None:
    p = sub.add_parser("staff", parents=[common], help="staff mode settings")
    ssub = p.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    s = ssub.add_parser("set-pin", parents=[common], help="set the staff PIN")
    s.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    s.set_defaults(func=cmd_set_pin)


def cmd_set_pin(args) -> int:
    from kiosk.config import ConfigError
    from kiosk.config.loader import site_path
    from kiosk.config.local import apply_changes
    from kiosk.staff.gate import hash_pin, valid_pin
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New staff PIN (4-8 digits): ")
        if getpass.getpass("Again: ") != pin:
            raise UserError("the two PINs differ; nothing changed")
    why = valid_pin(pin)
    if why:
        raise UserError(f"{why}; nothing changed")
    try:
        apply_changes(site_path(args.config), args.data_dir, {"staff.pin_hash": hash_pin(pin)})
    except ConfigError as e:
        raise UserError("the configuration has problems, fix them first:\n" + str(e)) from None
    print(f"staff PIN set (stored as a hash in {args.data_dir}/local.toml)")
    return 0
