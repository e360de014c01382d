"""POST /api/v1/events as a request: the device token is checked before a byte of the body is
read (401, and 403 for a role that posts nothing), then the body (its size and time limits
are central.body's), its shape (400, 413), the device's events per minute (429), and the batch
stored by central.ingest in one transaction, retried after a lost PostgreSQL deadlock or
serialization race (central.db.retrying; 503 + Retry-After when it keeps losing).
"""
from __future__ import annotations

import datetime as dt
import logging
import math

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from central import db, device_roles, ingest
from central.jsonbody import parse_json

log = logging.getLogger("central.ingest")


def _refuse(status: int, detail: str, **headers: str) -> HTTPException:
    # the body is left unread: close the connection rather than read it to keep it alive
    return HTTPException(status, detail, {"Connection": "close", **headers})


def _lookup(engine: sa.Engine, token: str) -> device_roles.Device | None:
    with engine.connect() as conn:
        return device_roles.device_for_token(conn, token)


async def post_events(request: Request, engine: sa.Engine, settings, rate: device_roles.EventRate) -> ingest.Outcome:
    """The whole request: token (401) and role (403) first, then the body (the size and
    time limits are central.body's), its shape (400, 413), the device's event rate (429),
    and the batch in one transaction, retried after a lost deadlock race (503 after that)."""
    h = request.headers.get("authorization", "")
    scheme, _, token = h.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse(401, "missing bearer token", **{"WWW-Authenticate": "Bearer"})
    device = await run_in_threadpool(_lookup, engine, token.strip())
    if device is None:
        raise _refuse(401, "unknown device token", **{"WWW-Authenticate": "Bearer"})
    if not device_roles.may_post(device.role):
        raise _refuse(403, f"a device with role {device.role!r} may not post events")
    body = await request.body()
    clock = ingest.DeviceClock.from_headers(request.headers.get("x-kiosk-boot-id"),
                                     request.headers.get("x-kiosk-monotonic"))
    doc = parse_json(body)
    if doc.__class__ is not dict or doc.get("events").__class__ is not list:
        raise HTTPException(400, 'body must be a JSON object {"events": [...]}')
    batch = doc["events"]
    if len(batch) > settings.max_batch:
        raise HTTPException(413, f"{len(batch)} events, over the batch limit of {settings.max_batch}")
    wait = rate.take(device.id, len(batch))
    if wait is not None:
        raise HTTPException(429, f"device {device.id!r} is over its limit of {settings.device_events_per_min} "
                                 "events a minute", {"Retry-After": str(max(1, math.ceil(wait)))})

    def store() -> ingest.Outcome:
        with engine.begin() as conn:
            return ingest.store_batch_on(conn, device.id, batch, settings.max_payload_bytes, clock, device.role,
                                  dt.timedelta(minutes=settings.help.missed_after_min), settings.timezone)
    try:
        return await run_in_threadpool(db.retrying, store)
    except db.Contended as e:
        log.warning("events of %s not stored: %s", device.id, e)
        raise HTTPException(503, "the database is busy, try again shortly", {"Retry-After": "1"}) from None
    except ingest.Forbidden as e:
        raise HTTPException(403, str(e)) from None
