"""The optional fields of a `ticket.issued` payload for the mobile ticket page
(docs/mobile-ticket.md), checked in one place: ingest rejects an event whose field has the
wrong shape (`problem`), the queue projection keeps what is right (`token_hash`, `texts`).

    token        16..64 characters of A-Z a-z 0-9 _ -  (the kiosk sends 16: 96 random bits)
    service_name text, at most 120 characters            (in the ticket's language)
    wait_at      text, at most 200 characters            (where to wait)
    route        at most 20 texts of at most 300 each    (kiosk -> waiting place, step by step)
    desk_routes  at most 40 desks (name <= 32 characters) -> a route as above (kiosk -> desk)

A field that is absent or null is simply not there; old events have none of them.

The token is never stored: ingest keeps the event with `token_sha256` (its hash) in its place
(`without_token`), and the queue keeps the same hash in `queue_tickets.token_hash`.
"""
from __future__ import annotations

import hashlib
import re

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")
HASH_RE = re.compile(r"^[0-9a-f]{64}\Z")
NAME_MAX, WAIT_AT_MAX = 120, 200
STEPS_MAX, STEP_MAX = 20, 300
DESKS_MAX, DESK_MAX = 40, 32
FIELDS = ("token", "service_name", "wait_at", "route", "desk_routes")


def token_ok(token: object) -> bool:
    return token.__class__ is str and TOKEN_RE.match(token) is not None


def token_hash(token: str) -> str:
    """What is stored and looked up: SHA-256 hex (the token has 96+ random bits, so a plain
    hash cannot be reversed by guessing)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def without_token(p: dict) -> dict:
    """The payload to store: `token` replaced by `token_sha256` (a checked token)."""
    out = {k: v for k, v in p.items() if k != "token"}
    out["token_sha256"] = token_hash(p["token"])
    return out


def stored_hash(p: dict) -> str | None:
    """The token hash of a payload as stored (`token_sha256`), or of an event stored with
    its token before ingest replaced it; None without a usable one."""
    h, token = p.get("token_sha256"), p.get("token")
    if token_ok(token):
        return token_hash(token)
    return h if h.__class__ is str and HASH_RE.match(h) else None


def _text(v: object, most: int) -> bool:
    return v.__class__ is str and len(v) <= most


def _route(v: object) -> bool:
    return v.__class__ is list and len(v) <= STEPS_MAX and all(_text(s, STEP_MAX) for s in v)


def _desk_routes(v: object) -> bool:
    return v.__class__ is dict and len(v) <= DESKS_MAX and all(
        len(k) <= DESK_MAX and _route(r) for k, r in v.items())


ROUTE_RULE = f"a list of at most {STEPS_MAX} texts of at most {STEP_MAX} characters"
CHECKS = {
    "token": (token_ok, "payload.token must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -"),
    "service_name": (lambda v: _text(v, NAME_MAX), f"payload.service_name must be a text of at most "
                                                   f"{NAME_MAX} characters"),
    "wait_at": (lambda v: _text(v, WAIT_AT_MAX), f"payload.wait_at must be a text of at most "
                                                 f"{WAIT_AT_MAX} characters"),
    "route": (_route, f"payload.route must be {ROUTE_RULE}"),
    "desk_routes": (_desk_routes, f"payload.desk_routes must be an object of at most {DESKS_MAX} desks "
                                  f"(names of at most {DESK_MAX} characters), each {ROUTE_RULE}"),
}


def problem(p: dict) -> str | None:
    """The first field of `p` in the wrong shape, as a message naming it; None when all fit."""
    for name in FIELDS:
        v = p.get(name)
        if v is not None:
            ok, message = CHECKS[name]
            if not ok(v):
                return message
    return None


def texts(p: dict) -> dict | None:
    """The page's texts of `p` (the fields in the right shape only), or None when it has none."""
    out = {}
    for name in FIELDS[1:]:
        v = p.get(name)
        if v is not None and CHECKS[name][0](v):
            out[name] = v
    return out or None
