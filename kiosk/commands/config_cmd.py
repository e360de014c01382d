"""`kiosk config check FILE` and `kiosk config defaults`.

check: exit 0 on a valid file; otherwise exit 2 and one line per problem:
`file:line: dotted.key: reason`. Never a traceback.
"""
from __future__ import annotations

import sys

from kiosk.config import check_file


def register(sub, common) -> None:
    p = sub.add_parser("config", parents=[common], help="check or show configuration")
    csub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    c = csub.add_parser("check", parents=[common], help="validate a site config file")
    c.add_argument("file", help="the TOML file to check")
    c.set_defaults(func=cmd_check)
    d = csub.add_parser("defaults", parents=[common],
                        help="print every key with its default and meaning (TOML)")
    d.set_defaults(func=cmd_defaults)


def cmd_check(args) -> int:
    problems = check_file(args.file)
    if not problems:
        print(f"{args.file}: OK")
        return 0
    for p in problems:
        print(p.render())
    print(f"{len(problems)} problem(s) in {args.file}", file=sys.stderr)
    return 2


def cmd_defaults(args) -> int:
    from kiosk.config.render import render_defaults
    sys.stdout.write(render_defaults())
    return 0
