"""`kiosk route FROM TO [--step-free] [--lang CODE] [--json]`: directions on the floor plan.

FROM and TO are place ids or node ids from the config's [wayfinding] plan; `here` is
this kiosk's position. Prints the same steps and total the wayfinding screen shows;
with --json: {"from", "to", "lang", "step_free", "steps": [{from, to, kind, metres,
text}], "total": {metres, seconds, text}}.
Exit codes: 0 route printed, 1 no route, 2 bad config or unknown place.
"""
from __future__ import annotations

import json
import sys

from kiosk.i18n import Translator


def register(sub, common) -> None:
    p = sub.add_parser("route", parents=[common], help="print directions between two places",
                       description="Print step-by-step directions between two places of the "
                                   "floor plan, with the total distance and walking time.")
    p.add_argument("start", metavar="FROM", help="place id, node id, or 'here' (this kiosk)")
    p.add_argument("goal", metavar="TO", help="place id or node id")
    p.add_argument("--step-free", action="store_true",
                   help="never use stairs or escalators (lifts and ramps only)")
    p.add_argument("--lang", metavar="CODE", default=None,
                   help="language of the directions (default: ui.default_language)")
    p.add_argument("--json", action="store_true", help="machine-readable steps and total")
    p.set_defaults(func=cmd_route)


def cmd_route(args) -> int:
    from kiosk.errors import UserError
    from kiosk.config import ConfigError, load
    from kiosk.config.loader import site_path
    from kiosk.i18n import available_languages
    from kiosk.wayfinding import plan_from_config
    from kiosk.wayfinding.directions import UnknownPlace, get_directions, no_route_text

    site = site_path(args.config)
    try:
        cfg, _ = load(site, args.data_dir)
    except ConfigError as e:
        for p in e.problems:
            print(p.render(), file=sys.stderr)
        raise UserError(f"the config has {len(e.problems)} problem(s); see `kiosk config check`") \
            from None
    plan = plan_from_config(cfg)
    if plan.empty:
        raise UserError("the config has no floor plan: add a [wayfinding] section (see "
                        "config/example-floorplan.toml)")
    lang = args.lang or cfg.ui.default_language
    if lang not in available_languages():
        raise UserError(f"no catalog for language {lang!r}; available: "
                        f"{', '.join(available_languages())}")
    try:
        from kiosk.wayfinding.routing import router_for
        d = get_directions(plan, args.start, args.goal, lang, args.step_free, router_for(plan))
    except UnknownPlace as e:
        raise UserError(str(e)) from None
    if d is None:
        text = no_route_text(plan, args.goal, lang, args.step_free)
        if args.json:
            print(json.dumps({"from": args.start, "to": args.goal, "lang": lang,
                              "step_free": args.step_free, "error": text}, ensure_ascii=False))
        else:
            print(text)
        return 1
    if args.json:
        print(json.dumps(d.as_dict(), ensure_ascii=False, indent=2))
        return 0
    tr = Translator(lang)
    print(tr("wayfinding.route_header", start=_label(plan, args.start, lang, tr),
             goal=_label(plan, args.goal, lang, tr)))
    if args.step_free:
        print(f"({tr('wayfinding.step_free')})")
    for i, step in enumerate(d.steps, start=1):
        print(f"{i}. {step.text}")
    print(d.total_text)
    return 0


def _label(plan, ref: str, lang: str, tr: Translator) -> str:
    if ref == "here":
        return tr("wayfinding.here")
    place = plan.places.get(ref)
    return place.name(lang) if place else ref
