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
