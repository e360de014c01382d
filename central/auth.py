"""Secrets: device tokens (random, stored as SHA-256), the admin password (common.passwords:
salted scrypt) and signed login cookies (HMAC; the key lives in the database so every
process agrees)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as pysecrets
import time

import sqlalchemy as sa
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from central.db import devices, secrets, utcnow
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


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def hash_password(password: str) -> str:
    """The admin password's stored form: common.passwords' salted scrypt."""
    return passwords.hash_password(password)


def check_password(password: str, stored: str) -> bool:
    """Constant-time check against a stored scrypt string; False (never an error) when the
    string is malformed."""
    return passwords.verify_password(password, stored)


def session_key(engine: sa.Engine, configured: str) -> bytes:
    """The configured secret, else one kept in the database (made once, by whoever is first)."""
    if configured:
        return configured.encode()
    with engine.begin() as conn:
        row = conn.execute(sa.select(secrets.c.value).where(secrets.c.name == "session")).first()
        if row:
            return row[0].encode()
    try:
        with engine.begin() as conn:
            conn.execute(secrets.insert().values(name="session", value=pysecrets.token_urlsafe(48)))
    except sa.exc.IntegrityError:
        pass  # another process made it first
    with engine.begin() as conn:
        return conn.execute(sa.select(secrets.c.value).where(secrets.c.name == "session")).scalar_one().encode()


def make_cookie(key: bytes, user: str, hours: float, now: float | None = None) -> str:
    expires = int((now or time.time()) + hours * 3600)
    body = f"{_b64(user.encode())}.{expires}"
    sig = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(sig)}"


def read_cookie(key: bytes, cookie: str | None, now: float | None = None) -> str | None:
    """The user a cookie was made for, or None if it is missing, forged or expired."""
    if not cookie:
        return None
    try:
        user_b64, expires, sig = cookie.split(".")
        body = f"{user_b64}.{expires}"
        good = hmac.new(key, body.encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(good, _unb64(sig)) or int(expires) < (now or time.time()):
            return None
        return _unb64(user_b64).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def bearer(request: Request) -> str:
    h = request.headers.get("authorization", "")
    scheme, _, token = h.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise StarletteHTTPException(401, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    return token.strip()
