"""Personal staff accounts and their sessions (docs/central.md, "Accounts").

Roles: `desk` (the desk page and its API), `analyst` (dashboard, stats, CSV exports) and
`admin` (everything, plus the audit log). A session is a random id in an HttpOnly cookie;
the database keeps its SHA-256 only, so a copy of the database opens no session. A session
ends at logout, after `session_idle_min` without a request, `session_hours` after login,
and when its user is disabled or gets a new password.

Times come from `now()` (tests replace it); they are naive UTC like every stored time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from central import audit, passwords
from central.db import sessions, users, utcnow

ROLES = ("desk", "analyst", "admin")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
TOUCH_S = 30  # last_seen_at is written at most this often per session


class AccountError(Exception):
    """A one-line reason for the person at the command line or the form."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def may(self, role: str) -> bool:
        """True when this user may do what `role` does (admin may do everything)."""
        return self.role == role or self.role == "admin"


def now() -> dt.datetime:
    return utcnow()


def id_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise AccountError(f"{name!r} is not a user name: use letters, digits, '.', '_', '@' or '-' "
                           "(at most 64, starting with a letter or digit)")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"{role!r} is not a role: use one of {', '.join(ROLES)}")
    return role


def check_password(name: str, password: str) -> None:
    why = passwords.policy_problem(name, password)
    if why:
        raise AccountError(why)


# -- accounts ---------------------------------------------------------------------------

def add_user(engine: sa.Engine, name: str, role: str, password: str, actor: str = "cli") -> None:
    check_name(name)
    check_role(role)
    check_password(name, password)
    stored = passwords.hash_password(password)
    t = now()
    try:
        with engine.begin() as conn:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                raise AccountError(f"user {name!r} already exists")
            conn.execute(users.insert().values(name=name, role=role, password_hash=stored, disabled=False,
                                               created_at=t, password_changed_at=t))
            audit.record(conn, actor, "user.add", name, {"role": role}, at=t)
    except sa.exc.IntegrityError:
        raise AccountError(f"user {name!r} already exists") from None


def _end_all(conn: sa.Connection, name: str, t: dt.datetime) -> int:
    return conn.execute(sessions.update().where(sessions.c.user_name == name, sessions.c.ended_at.is_(None))
                        .values(ended_at=t)).rowcount


def disable_user(engine: sa.Engine, name: str, actor: str = "cli") -> int:
    """Disable `name` and end its sessions; the number of sessions ended."""
    t = now()
    with engine.begin() as conn:
        if not conn.execute(users.update().where(users.c.name == name).values(disabled=True)).rowcount:
            raise AccountError(f"no user {name!r}")
        ended = _end_all(conn, name, t)
        audit.record(conn, actor, "user.disable", name, {"sessions_ended": ended}, at=t)
    return ended


def set_password(engine: sa.Engine, name: str, password: str, actor: str = "cli") -> int:
    """A new password for `name`; every session of the user ends. The number ended."""
    check_password(name, password)
    stored = passwords.hash_password(password)
    t = now()
    with engine.begin() as conn:
        if not conn.execute(users.update().where(users.c.name == name)
                            .values(password_hash=stored, password_changed_at=t)).rowcount:
            raise AccountError(f"no user {name!r}")
        ended = _end_all(conn, name, t)
        audit.record(conn, actor, "password.change", name, {"sessions_ended": ended}, at=t)
    return ended


def list_users(engine: sa.Engine) -> list[dict]:
    """Name, role, disabled and last login of every user (never a hash)."""
    last = (sa.select(sessions.c.user_name, sa.func.max(sessions.c.created_at).label("last_login"))
            .group_by(sessions.c.user_name).subquery())
    q = (sa.select(users.c.name, users.c.role, users.c.disabled, last.c.last_login)
         .outerjoin(last, last.c.user_name == users.c.name).order_by(users.c.name))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def adopt_admin(engine: sa.Engine, stored_hash: str, name: str = "admin") -> bool:
    """An older install's one login (`admin_password_hash`) becomes the user `name` with role
    admin, once: nothing happens when that user exists. Its scrypt hash keeps working and is
    replaced by an argon2id one at the first login. True when the user was made."""
    if not stored_hash or not NAME.match(name):
        return False
    t = now()
    try:
        with engine.begin() as conn:
            if conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
                return False
            conn.execute(users.insert().values(name=name, role="admin", password_hash=stored_hash,
                                               disabled=False, created_at=t, password_changed_at=t))
            audit.record(conn, "system", "user.add", name, {"role": "admin", "from": "admin_password_hash"}, at=t)
    except sa.exc.IntegrityError:
        return False  # another process made it first
    return True


def stored_hash(engine: sa.Engine, name: str) -> tuple[str, str, bool] | None:
    """(password hash, role, disabled) of `name`, or None."""
    with engine.connect() as conn:
        r = conn.execute(sa.select(users.c.password_hash, users.c.role, users.c.disabled)
                         .where(users.c.name == name)).first()
    return tuple(r) if r else None


def store_rehash(engine: sa.Engine, name: str, old: str, new: str) -> None:
    """Replace the hash after a login, unless it was changed meanwhile."""
    with engine.begin() as conn:
        conn.execute(users.update().where(users.c.name == name, users.c.password_hash == old)
                     .values(password_hash=new))


# -- sessions ---------------------------------------------------------------------------

def start_session(engine: sa.Engine, name: str, client: str | None) -> str:
    """A new session for `name` (the login is audited with it); returns the cookie value."""
    token = secrets.token_urlsafe(32)
    t = now()
    with engine.begin() as conn:
        conn.execute(sessions.insert().values(id_hash=id_hash(token), user_name=name, created_at=t,
                                              last_seen_at=t, client=None if client is None else client[:64]))
        audit.record(conn, name, "login", name, None, client, at=t)
    return token


def session_user(engine: sa.Engine, token: str | None, idle_min: float, max_hours: float) -> User | None:
    """The user of a live session, or None. A session past its idle or absolute limit is
    ended here; a live one has its last_seen_at moved on (at most every TOUCH_S seconds)."""
    if not token or len(token) > 128:
        return None
    h, t = id_hash(token), now()
    with engine.connect() as conn:
        r = conn.execute(sa.select(sessions.c.created_at, sessions.c.last_seen_at, users.c.name, users.c.role,
                                   users.c.disabled)
                         .join(users, users.c.name == sessions.c.user_name)
                         .where(sessions.c.id_hash == h, sessions.c.ended_at.is_(None))).first()
    if r is None:
        return None
    if r.disabled or t - r.last_seen_at > dt.timedelta(minutes=idle_min) \
            or t - r.created_at > dt.timedelta(hours=max_hours):
        with engine.begin() as conn:
            conn.execute(sessions.update().where(sessions.c.id_hash == h, sessions.c.ended_at.is_(None))
                         .values(ended_at=t))
        return None
    if t - r.last_seen_at > dt.timedelta(seconds=TOUCH_S):
        with engine.begin() as conn:
            conn.execute(sessions.update().where(sessions.c.id_hash == h).values(last_seen_at=t))
    return User(r.name, r.role)


def end_session(engine: sa.Engine, token: str | None, client: str | None = None) -> str | None:
    """Log out: end the session of this cookie; the user's name, or None for no live session."""
    if not token or len(token) > 128:
        return None
    h, t = id_hash(token), now()
    with engine.begin() as conn:
        name = conn.execute(sa.select(sessions.c.user_name).where(sessions.c.id_hash == h,
                                                                  sessions.c.ended_at.is_(None))).scalar()
        if name is None:
            return None
        conn.execute(sessions.update().where(sessions.c.id_hash == h).values(ended_at=t))
        audit.record(conn, name, "logout", name, None, client, at=t)
    return name
