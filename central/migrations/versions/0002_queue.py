"""Calling tickets: queue entries, calls and desks (docs/calling.md); existing
ticket.issued events are projected into the queue.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "queue_tickets",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("ticket_ref", sa.String(64), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(16)),
        sa.Column("appointment", sa.Boolean(), nullable=False),
        sa.Column("est_low_min", sa.Float()),
        sa.Column("est_high_min", sa.Float()),
        sa.Column("wait_source", sa.String(16)),
        sa.Column("people_ahead", sa.Integer()),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("desk", sa.String(32)),
        sa.Column("called_at", sa.DateTime()),
        sa.Column("first_called_at", sa.DateTime()),
        sa.Column("real_wait_s", sa.Float()),
        sa.Column("finished_at", sa.DateTime()),
        sa.UniqueConstraint("device_id", "ticket_ref", "day", name="queue_tickets_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("queue_tickets_issued", "queue_tickets", ["issued_at"])
    op.create_index("queue_tickets_waiting", "queue_tickets", ["state", "service", "issued_at"])
    op.create_table(
        "queue_calls",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("ticket_id", Id, sa.ForeignKey("queue_tickets.id"), nullable=False),
        sa.Column("desk", sa.String(32), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(16)),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("recall", sa.Boolean(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("queue_calls_time", "queue_calls", ["called_at"])
    op.create_table(
        "queue_desks",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("services", JSONType, nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
    )
    from central import queue
    queue.backfill(op.get_bind(), mobile=False)  # the mobile columns come with 0004


def downgrade() -> None:
    op.drop_table("queue_desks")
    op.drop_index("queue_calls_time", "queue_calls")
    op.drop_table("queue_calls")
    op.drop_index("queue_tickets_waiting", "queue_tickets")
    op.drop_index("queue_tickets_issued", "queue_tickets")
    op.drop_table("queue_tickets")
