"""Device tokens (random, stored as SHA-256) and the old single admin password's scrypt hash
(common.passwords). Staff accounts, their argon2id passwords and sessions: central/accounts.py."""
from __future__ import annotations

import hashlib
import secrets as pysecrets

import sqlalchemy as sa
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from central.db import devices, utcnow
from common import passwords


class DeviceExists(Exception):
    pass


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a plain hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def add_device(engine: sa.Engine, device_id: str) -> str:
    """Register a device; returns its token (only its hash is stored)."""
    token = pysecrets.token_urlsafe(32)
    with engine.begin() as conn:
        if conn.execute(sa.select(devices.c.id).where(devices.c.id == device_id)).first():
            raise DeviceExists(device_id)
        conn.execute(devices.insert().values(id=device_id, token_hash=token_hash(token),
                                             created_at=utcnow()))
    return token


def new_token(engine: sa.Engine, device_id: str) -> str | None:
    """Give a device a new token (the old one stops working at once); None if unknown."""
    token = pysecrets.token_urlsafe(32)
    with engine.begin() as conn:
        done = conn.execute(devices.update().where(devices.c.id == device_id)
                            .values(token_hash=token_hash(token))).rowcount
    return token if done else None


def device_for_token(conn: sa.Connection, token: str) -> str | None:
    row = conn.execute(sa.select(devices.c.id).where(devices.c.token_hash == token_hash(token))).first()
    return row[0] if row else None


def hash_password(password: str) -> str:
    """The old admin_password_hash setting's form: common.passwords' salted scrypt."""
    return passwords.hash_password(password)


def check_password(password: str, stored: str) -> bool:
    """Constant-time check against a stored scrypt string; False (never an error) when the
    string is malformed."""
    return passwords.verify_password(password, stored)


def bearer(request: Request) -> str:
    h = request.headers.get("authorization", "")
    scheme, _, token = h.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise StarletteHTTPException(401, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    return token.strip()
