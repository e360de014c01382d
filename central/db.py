"""Tables, engine and schema upgrades (Alembic, run at start and by `kiosk-central db upgrade`).

All times are stored as naive UTC datetimes, which SQLite and PostgreSQL compare alike.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")

devices = sa.Table(
    "devices", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("last_seen_at", sa.DateTime()),
    sa.Column("heartbeat", JSONType),
    sa.Column("heartbeat_at", sa.DateTime()),
    # revision 0005_devices: what the token may post (central/device_roles.py), and revocation
    sa.Column("role", sa.String(16), nullable=False, server_default="home"),
    sa.Column("revoked_at", sa.DateTime()),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("occurred_at", sa.DateTime(), nullable=False),
    # occurred_at, or an estimate from the device's monotonic clock when its wall clock was off
    sa.Column("effective_at", sa.DateTime(), nullable=False),
    sa.Column("received_at", sa.DateTime(), nullable=False),
    sa.Column("boot_id", sa.String(64)),
    sa.Column("monotonic", sa.Float()),
    sa.Column("payload", JSONType, nullable=False),
    sa.Index("events_type_time", "type", "effective_at"),
)

secrets = sa.Table(
    "secrets", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

# -- calling tickets (docs/calling.md); revision 0002 --------------------------------------
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: the rowid itself

queue_tickets = sa.Table(
    "queue_tickets", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("device_id", sa.String(64), nullable=False),
    # payload.ticket_id as text, or "e:<event id>" for a ticket.issued without one
    sa.Column("ticket_ref", sa.String(64), nullable=False),
    sa.Column("day", sa.String(10), nullable=False),  # payload.day, "" when absent
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("service", sa.String(64), nullable=False),
    sa.Column("label", sa.String(32), nullable=False),
    sa.Column("lang", sa.String(16)),
    sa.Column("appointment", sa.Boolean(), nullable=False),
    sa.Column("est_low_min", sa.Float()),
    sa.Column("est_high_min", sa.Float()),
    sa.Column("wait_source", sa.String(16)),
    sa.Column("people_ahead", sa.Integer()),
    sa.Column("issued_at", sa.DateTime(), nullable=False),  # the event's effective_at
    sa.Column("state", sa.String(10), nullable=False),  # waiting, called, served, no_show
    sa.Column("desk", sa.String(32)),  # the desk of the latest call
    sa.Column("called_at", sa.DateTime()),  # the latest call
    sa.Column("first_called_at", sa.DateTime()),
    sa.Column("real_wait_s", sa.Float()),  # first_called_at - issued_at
    sa.Column("finished_at", sa.DateTime()),  # served or no_show
    # the mobile ticket page (revision 0004, docs/mobile-ticket.md): SHA-256 hex of the QR
    # token (never the token), and the ticket's texts {service_name, wait_at, route, desk_routes}
    sa.Column("token_hash", sa.String(64)),
    sa.Column("mobile", JSONType),
    # fair calling and transfers (revision 0008_queue_fair, docs/calling.md): staff's priority
    # flag, how often later-issued tickets were called past this one while it waited, the
    # service it was first queued for, the one desk that may call it, and "go first"
    sa.Column("priority", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("passed", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("transferred_from", sa.String(64)),
    sa.Column("to_desk", sa.String(32)),
    sa.Column("front", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("device_id", "ticket_ref", "day", name="queue_tickets_key"),
    sa.Index("queue_tickets_issued", "issued_at"),
    sa.Index("queue_tickets_waiting", "state", "service", "issued_at"),
    sa.Index("queue_tickets_token", "token_hash", unique=True),
    sqlite_autoincrement=True,
)

queue_calls = sa.Table(
    "queue_calls", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),  # call_id: only grows
    sa.Column("ticket_id", Id, sa.ForeignKey("queue_tickets.id"), nullable=False),
    sa.Column("desk", sa.String(32), nullable=False),
    sa.Column("service", sa.String(64), nullable=False),
    sa.Column("label", sa.String(32), nullable=False),
    sa.Column("lang", sa.String(16)),
    sa.Column("called_at", sa.DateTime(), nullable=False),
    sa.Column("recall", sa.Boolean(), nullable=False),
    # revision 0008_queue_fair: "transfer" for a transfer (desk = the target desk or ""), null for a call
    sa.Column("kind", sa.String(10)),
    sa.Column("to_service", sa.String(64)),
    sa.Index("queue_calls_time", "called_at"),
    sqlite_autoincrement=True,
)

desk_pauses = sa.Table(  # revision 0008_queue_fair: a desk's pauses, for the desk figures
    "desk_pauses", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("desk", sa.String(32), nullable=False),
    sa.Column("reason", sa.String(200), nullable=False),
    sa.Column("started_at", sa.DateTime(), nullable=False),
    sa.Column("ended_at", sa.DateTime()),  # null while paused
    sa.Index("desk_pauses_desk", "desk", "ended_at"),
    sqlite_autoincrement=True,
)

queue_desks = sa.Table(
    "queue_desks", metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("services", JSONType, nullable=False),
    sa.Column("seen_at", sa.DateTime(), nullable=False),
)

# -- staff accounts, their sessions and the audit log (docs/central.md); revision 0006_accounts
users = sa.Table(
    "users", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),  # desk, analyst, admin
    sa.Column("password_hash", sa.String(255), nullable=False),  # argon2id (or a migrated scrypt)
    sa.Column("disabled", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("password_changed_at", sa.DateTime(), nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),  # SHA-256 hex of the cookie's random id
    sa.Column("user_name", sa.String(64), sa.ForeignKey("users.name"), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(), nullable=False),
    sa.Column("ended_at", sa.DateTime()),
    sa.Column("client", sa.String(64)),
    sa.Index("sessions_user", "user_name", "ended_at"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", Id, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(128)),
    sa.Column("detail", JSONType),
    sa.Column("client", sa.String(64)),
    sa.Index("audit_log_at", "at"),
    sqlite_autoincrement=True,
)

MIGRATIONS = Path(__file__).parent / "migrations"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def make_engine(url: str) -> sa.Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # noqa: ANN001
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def upgrade(engine: sa.Engine, timezone: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision (safe to run from several processes).
    `timezone`: the site's (settings.timezone), for the roll-ups a migration counts (0010)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(742117)"))
        cfg.attributes["connection"] = conn
        cfg.attributes["timezone"] = timezone
        command.upgrade(cfg, "head")


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# -- retrying a transaction that lost a race ------------------------------------------------
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


class Contended(Exception):
    """A transaction lost a deadlock or serialization race every time it was tried."""


def is_retryable(exc: BaseException) -> bool:
    """A PostgreSQL deadlock or serialization failure (SQLAlchemy-wrapped or bare)."""
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def retrying(fn, attempts: int = 4, base_s: float = 0.02, cap_s: float = 0.5, *, sleep=None, rng=None):
    """`fn()` (which runs one whole transaction), again after a deadlock or serialization
    failure, up to `attempts` times with full-jitter backoff (so two workers that collided do
    not collide again in step); then Contended. Other errors pass through at once."""
    import random
    import time
    sleep = sleep or time.sleep
    rng = rng or random
    for attempt in range(attempts):
        try:
            return fn()
        except Exception as e:  # SQLAlchemy-wrapped, or the driver's own (ingest writes at driver level)
            if not is_retryable(e):
                raise
            if attempt == attempts - 1:
                why = str(getattr(e, "orig", e)).splitlines()[0][:200] if str(getattr(e, "orig", e)) else "?"
                raise Contended(f"gave up after {attempts} tries: {why}") from e
            sleep(rng.uniform(0, min(cap_s, base_s * 2 ** attempt)))
    raise AssertionError("unreachable")
