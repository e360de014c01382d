"""Pydantic models that document the API in /openapi.json. The events endpoint checks
bodies itself (one bad event is rejected alone), so these describe, not enforce."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class EventIn(BaseModel):
    id: str = Field(description="UUID made on the device; the service stores each id once.")
    device_id: str = Field(description="Must be the device the bearer token belongs to (else 403).")
    seq: int = Field(ge=0, description="Per-device sequence number, increasing.")
    type: str = Field(description="Dotted type, e.g. feedback.given, ticket.issued, heartbeat.")
    occurred_at: str = Field(description="RFC 3339 time in UTC, e.g. 2026-03-02T09:00:00.000Z.")
    payload: dict[str, Any] = Field(description="Type-specific data; no personal data.")
    boot_id: str | None = Field(None, description="Kernel boot id when the event was made.")
    monotonic: float | None = Field(None, description="Device monotonic clock (s) at the event.")


class EventBatch(BaseModel):
    events: list[EventIn] = Field(description="Up to max_batch (default 500) events.")


class Rejected(BaseModel):
    index: int = Field(description="Position of the event in the batch.")
    id: str | None = Field(description="The event's id when it had one.")
    error: str = Field(description="Why it was rejected; the device sets it aside.")


class IngestResult(BaseModel):
    accepted: int
    duplicates: int
    rejected: list[Rejected]


class Health(BaseModel):
    status: str = Field(description="ok when the database answers.")
    version: str
    database: str = Field(description="sqlite or postgresql")
    revision: str | None = Field(description="Alembic schema revision.")


class Problem(BaseModel):
    detail: str


class MobileTicket(BaseModel):
    """One visitor's own ticket, found by the token in its QR code (docs/mobile-ticket.md).
    Nothing else: no device, no ids, no other tickets."""
    label: str = Field(description="The ticket number as printed, e.g. A012.")
    service: str = Field(description="The service id, e.g. passport.")
    service_name: str | None = Field(description="The service's name in the ticket's language, as the kiosk sent it.")
    lang: str = Field(description="The ticket's language (nl, en, pl, tr, ar, uk); nl when it had none.")
    day: str | None = Field(description="The site-local day of the ticket (YYYY-MM-DD); valid on that day only.")
    state: str = Field(description="waiting, called, served or no_show.")
    people_ahead: int | None = Field(description="While waiting: waiting tickets of the same service that the "
                                                 "desks will call first (their own priority order); else null.")
    wait_min: list[int] | None = Field(description="While waiting: [low, high] whole minutes, a live estimate from "
                                                   "the people ahead, recent visit times and open desks; else null.")
    wait_at: str | None = Field(description="Where to wait, in the ticket's language.")
    route: list[str] = Field(description="The route from the kiosk to the waiting place, step by step (may be empty).")
    desk: str | None = Field(description="When called: the desk, as staff typed it (e.g. \"4\"); else null.")
    desk_route: list[str] | None = Field(description="When called: the route from the kiosk to that desk, if the "
                                                     "kiosk sent one for it; else null.")
    called_at: str | None = Field(description="When called: the latest call, RFC 3339 UTC; else null.")
    server_time: str = Field(description="The service's clock, RFC 3339 UTC.")
