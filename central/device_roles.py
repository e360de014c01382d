"""Least privilege for devices: what a device's token may post, in one table.

A device is registered with a role (`kiosk-central device add ID --role feedback|tickets|
wayfinding|home|display`, default home; revision 0005_devices). Its token may post only the
event types that role produces on the kiosk (grep kiosk/ and screens/ for record_event and
append_event); an event of another type is rejected alone, naming the role and the type. A
display posts nothing (403) and reads the queue as any device does. A revoked device's token
no longer works anywhere (its hash is replaced by a value no token hashes to).

Also here: the token lookup with the role, and add / rotate / revoke.
"""
from __future__ import annotations

import secrets as pysecrets
from dataclasses import dataclass

import sqlalchemy as sa

from central.db import devices, utcnow

# every role's device runs the sync worker, the staff menu and the outbox bounds
_DEVICE = frozenset({"heartbeat", "device.status", "config.changed", "outbox.dropped"})
# every visitor screen has the help button (docs/help.md)
_HELP = frozenset({"help.requested", "help.cancelled"})
_FEEDBACK = frozenset({"feedback.given", "feedback.suppressed"})
_WAYFINDING = frozenset({"route.shown"})
# a ticket kiosk also shows the way to the waiting place (route.shown) and calls a host
_TICKETS = frozenset({"ticket.issued", "ticket.printed", "ticket.print_failed", "ticket.numbers_reset",
                      "route.shown"})

ANY = None  # every well-formed type ("other types are stored as they come")
ROLES: dict[str, frozenset[str] | None] = {
    "feedback": _DEVICE | _FEEDBACK | _HELP,
    "tickets": _DEVICE | _TICKETS | _HELP,
    "wayfinding": _DEVICE | _WAYFINDING | _HELP,
    # a menu with every visitor function, and what devices registered before 0005_devices
    # became: they keep posting what they did (new kiosk event types included)
    "home": ANY,
    "display": frozenset(),  # reads the queue; posts nothing
}
DEFAULT_ROLE = "home"
REVOKED_PREFIX = "revoked:"  # token_hash of a revoked device: never a SHA-256 hex digest


@dataclass(frozen=True)
class Device:
    id: str
    role: str


class DeviceExists(Exception):
    pass


class UnknownDevice(Exception):
    pass


class Revoked(Exception):
    pass


def may_post(role: str) -> bool:
    return role in ROLES and ROLES[role] != frozenset()


def allowed_types(role: str) -> frozenset[str] | None:
    """The types a role may post; None: any type. An unknown role (a database edited by
    hand) may post nothing."""
    return ROLES.get(role, frozenset())


def problem(role: str, type_: str) -> str | None:
    """Why a device of `role` may not post an event of `type_`, or None when it may."""
    allowed = allowed_types(role)
    if allowed is ANY or type_ in allowed:
        return None
    return f"a device with role {role!r} does not send {type_!r} events"


def _hash(token: str) -> str:
    from central.auth import token_hash
    return token_hash(token)


def device_for_token(conn: sa.Connection, token: str) -> Device | None:
    """The registered, unrevoked device of a token, with its role; None for any other token."""
    row = conn.execute(sa.select(devices.c.id, devices.c.role).where(
        devices.c.token_hash == _hash(token), devices.c.revoked_at.is_(None))).first()
    return Device(row[0], row[1] or DEFAULT_ROLE) if row else None


def add(engine: sa.Engine, device_id: str, role: str = DEFAULT_ROLE) -> str:
    """Register a device with a role; returns its token (only its hash is stored)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    token = pysecrets.token_urlsafe(32)
    with engine.begin() as conn:
        if conn.execute(sa.select(devices.c.id).where(devices.c.id == device_id)).first():
            raise DeviceExists(device_id)
        conn.execute(devices.insert().values(id=device_id, token_hash=_hash(token), created_at=utcnow(),
                                             role=role))
    return token


def rotate(engine: sa.Engine, device_id: str) -> str:
    """A new token for a device; the old one stops working at once. A revoked device stays
    revoked (register it again under a new id)."""
    token = pysecrets.token_urlsafe(32)
    with engine.begin() as conn:
        row = conn.execute(sa.select(devices.c.revoked_at).where(devices.c.id == device_id)).first()
        if row is None:
            raise UnknownDevice(device_id)
        if row[0] is not None:
            raise Revoked(device_id)
        conn.execute(devices.update().where(devices.c.id == device_id).values(token_hash=_hash(token)))
    return token


def revoke(engine: sa.Engine, device_id: str) -> bool:
    """Stop a device's token for good (posting and reading); False if it was revoked already.
    Its events stay."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(devices.c.revoked_at).where(devices.c.id == device_id)).first()
        if row is None:
            raise UnknownDevice(device_id)
        if row[0] is not None:
            return False
        conn.execute(devices.update().where(devices.c.id == device_id).values(
            token_hash=REVOKED_PREFIX + pysecrets.token_hex(24), revoked_at=utcnow()))
    return True


class EventRate:
    """Events per minute per device: a token bucket holding one minute's worth, refilled
    continuously. A batch spends one token per event (at most a full bucket, so a batch
    larger than a minute's worth still goes through when the bucket is full). At most
    `max_devices` buckets, least recently used forgotten first. Monotonic clock; thread-safe."""

    def __init__(self, per_min: int, max_devices: int = 10000, clock=None):
        import threading
        import time
        from collections import OrderedDict
        self.burst, self.per_s, self.max_devices = float(per_min), per_min / 60.0, max_devices
        self.clock = clock or time.monotonic
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, device_id: str, events: int) -> float | None:
        """None: go ahead (the events are counted); else the seconds to wait (> 0)."""
        cost = min(float(max(events, 0)), self.burst)
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(device_id, (self.burst, now))
            tokens = min(self.burst, tokens + max(0.0, now - at) * self.per_s)
            ok = tokens >= cost
            if ok:
                tokens -= cost
            self._buckets[device_id] = (tokens, now)
            while len(self._buckets) > self.max_devices:
                self._buckets.popitem(last=False)
        return None if ok else (cost - tokens) / self.per_s
