"""`kiosk ticket issue|preview|reprint|status`: the ticket function from the command line.

  issue --service ID [--lang CODE] [--simulate]   issue one ticket exactly as the ticket
      screen does and print its number on stdout. Exit 0 printed, 3 issued but not printed
      (the reason on stderr), 2 refused (unknown or closed service, bad language).
  issue --appointment CODE [--lang CODE] [--simulate]   check in for an appointment as the
      appointment screen does (kiosk.tickets.appointments.service_for: the pattern, then the
      endpoint if configured), then issue as above. Also exit 2 when the code is refused (bad
      format, unknown, checker unreachable: no ticket, as on the screen). CODE "-" reads the
      code from stdin, keeping it out of the process list and shell history. The code itself
      is never printed, logged or stored.
  preview --service ID [--lang CODE] --out FILE.png   the next ticket as a picture.
  reprint TICKET_ID   staff: print an existing ticket again.
  status              ask the printer (DLE EOT, bounded) and print its state.
"""
from __future__ import annotations

import sys
from pathlib import Path


def register(sub, common) -> None:
    p = sub.add_parser("ticket", parents=[common], help="issue, preview or reprint queue tickets")
    tsub = p.add_subparsers(dest="ticket_command", metavar="ACTION", required=True)
    i = tsub.add_parser("issue", parents=[common], help="issue one ticket (as the screen does)")
    what = i.add_mutually_exclusive_group(required=True)
    what.add_argument("--service", metavar="ID", help="service id from config")
    what.add_argument("--appointment", metavar="CODE",
                      help="appointment code to check in with ('-': read it from stdin)")
    i.add_argument("--lang", metavar="CODE", help="visitor language (default: ui.default_language)")
    i.add_argument("--simulate", action="store_true", help="print to the printer simulator")
    i.set_defaults(func=cmd_issue)
    v = tsub.add_parser("preview", parents=[common], help="render the next ticket to a PNG")
    v.add_argument("--service", required=True, metavar="ID")
    v.add_argument("--lang", metavar="CODE")
    v.add_argument("--out", required=True, metavar="FILE.png")
    v.set_defaults(func=cmd_preview)
    r = tsub.add_parser("reprint", parents=[common], help="staff: print a ticket again")
    r.add_argument("ticket_id", type=int, metavar="TICKET_ID")
    r.add_argument("--simulate", action="store_true")
    r.set_defaults(func=cmd_reprint)
    s = tsub.add_parser("status", parents=[common], help="ask the printer for its state")
    s.add_argument("--simulate", action="store_true")
    s.set_defaults(func=cmd_status)


def _setup(args, devices=True):
    from kiosk.cli import UserError
    from kiosk.commands.loading import load_config
    from kiosk.i18n import available_languages
    from kiosk.storage.store import Store
    from kiosk.tickets.issue import TicketIssuer
    from kiosk.appliance.devices import KioskDevices
    from kiosk.tickets.setup import make_directions

    cfg = load_config(args)
    lang = getattr(args, "lang", None) or cfg.ui.default_language
    if lang not in available_languages():
        raise UserError(f"no catalog for language {lang!r}; available: "
                        f"{', '.join(available_languages())}")
    if not cfg.services:
        raise UserError("the config has no [[services]]; see config/example-site.toml")
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    store = Store(args.data_dir, device_id=cfg.device.id or None)
    devs = KioskDevices(cfg, args.data_dir, getattr(args, "simulate", False))
    printer = devs.open("printer") if devices else None
    for kind, why in devs.problems.items():
        print(f"warning: {kind}: {why}", file=sys.stderr)
    from kiosk.config.loader import site_path
    site = site_path(args.config)
    issuer = TicketIssuer(store, cfg, printer=printer,
                          config_dir=Path(site).parent if site else None,
                          directions=make_directions(cfg))
    return issuer, devs, store, lang


def _appointment_service(args, issuer) -> str:
    """The service an appointment code checks in for, decided as on the appointment screen."""
    from kiosk.cli import UserError
    from kiosk.tickets.appointments import CheckInRefused, checker_from_config, service_for
    code = sys.stdin.readline() if args.appointment == "-" else args.appointment
    try:
        return service_for(checker_from_config(issuer.cfg, issuer.catalog), code)
    except CheckInRefused as e:
        raise UserError(e.detail) from None


def cmd_issue(args) -> int:
    from kiosk.cli import UserError
    from kiosk.tickets.issue import IssueError
    issuer, devs, store, lang = _setup(args)
    try:
        try:
            if args.appointment is not None:
                result = issuer.issue(_appointment_service(args, issuer), lang, appointment=True)
            else:
                result = issuer.issue(args.service, lang)
        except IssueError as e:
            raise UserError(e.detail) from None
        print(result.ticket.label, flush=True)
        outcome = issuer.print(result)
        if outcome.printed:
            return 0
        print(f"ticket {result.ticket.label} not printed: {outcome.reason}", file=sys.stderr)
        return 3
    finally:
        devs.close()
        store.close()


def cmd_preview(args) -> int:
    from kiosk.cli import UserError
    from devices.capabilities import capabilities_for
    from kiosk.tickets.render import ticket_layout
    from kiosk.tickets.preview import preview_image
    issuer, devs, store, lang = _setup(args, devices=False)
    try:
        try:
            result = issuer.preview(args.service, lang)
        except KeyError as e:
            raise UserError(str(e.args[0])) from None
        out = Path(args.out)
        if out.suffix.lower() != ".png":
            raise UserError(f"--out {args.out!r} must end in .png")
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            layout = ticket_layout(result.content,
                                   capabilities_for(issuer.cfg.devices.printer.profile))
            preview_image(layout).save(out)
        except OSError as e:
            raise UserError(f"cannot write {out}: {e.strerror or e}") from None
        print(f"{out}: preview of {result.ticket.label} ({lang}), {layout.length_mm():.0f} mm "
              f"of paper, {len(layout.text_lines())} text lines, as it prints on "
              f"{layout.caps.profile}")
        return 0
    finally:
        store.close()


def cmd_reprint(args) -> int:
    from kiosk.cli import UserError
    from kiosk.tickets.issue import IssueError
    issuer, devs, store, _ = _setup(args)
    try:
        try:
            outcome = issuer.reprint(args.ticket_id)
        except (IssueError, KeyError) as e:
            raise UserError(getattr(e, "detail", None) or str(e.args[0])) from None
        if outcome.printed:
            print(f"ticket {args.ticket_id} printed again")
            return 0
        print(f"ticket {args.ticket_id} not printed: {outcome.reason}", file=sys.stderr)
        return 3
    finally:
        devs.close()
        store.close()


def cmd_status(args) -> int:
    issuer, devs, store, _ = _setup(args)
    try:
        if devs.get("printer") is None:
            print("printer: none configured")
            return 1
        state = issuer.printer_state()
        print(f"printer {devs.get('printer').url}: {state.value}")
        return 0 if state.can_print else 1
    finally:
        devs.close()
        store.close()
