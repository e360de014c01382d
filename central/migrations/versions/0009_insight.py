"""Satisfaction against the real wait (phone answers from the mobile ticket page) and alerts
(docs/insight.md; the tables: central/insight_tables.py).

Revision ID: 0009_insight
Revises: 0008_queue_fair
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_insight"
down_revision = "0008_queue_fair"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "phone_feedback",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("real_wait_min", sa.Float()),
        sa.Column("service_min", sa.Float()),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("sentiment", sa.String(10), nullable=False),
        sa.Column("reasons", JSONType, nullable=False),
    )
    op.create_index("phone_feedback_at", "phone_feedback", ["at"])
    op.create_table(
        "phone_feedback_answered",
        sa.Column("ticket_id", Id, primary_key=True, autoincrement=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", JSONType),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_at", sa.DateTime()),
        sa.Column("delivery", JSONType),
        sa.Column("acknowledged_by", sa.String(64)),
        sa.Column("acknowledged_at", sa.DateTime()),
        sa.Column("comment", sa.Text()),
        sa.Column("comment_by", sa.String(64)),
        sa.Column("comment_at", sa.DateTime()),
        sqlite_autoincrement=True,
    )
    op.create_index("alerts_open", "alerts", ["cleared_at", "key"])


def downgrade() -> None:
    op.drop_index("alerts_open", "alerts")
    op.drop_table("alerts")
    op.drop_table("phone_feedback_answered")
    op.drop_index("phone_feedback_at", "phone_feedback")
    op.drop_table("phone_feedback")
