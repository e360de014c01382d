"""Help calls (issue #18, docs/help.md): `help_calls`, one row per kiosk call, projected at
ingest from help.requested / help.cancelled and moved on by hosts on /host. Existing
help events are projected too (as `missed`: they are old news by now).

Revision ID: 0007_help
Revises: 0006_accounts
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_help"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "help_calls",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("place", sa.String(64), nullable=False),
        sa.Column("screen", sa.String(64), nullable=False),
        sa.Column("lang", sa.String(16)),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("host", sa.String(64)),
        sa.Column("taken_at", sa.DateTime()),
        sa.Column("closed_at", sa.DateTime()),
        sa.UniqueConstraint("device_id", "call_id", name="help_calls_key"),
        sqlite_autoincrement=True,
    )
    op.create_index("help_calls_requested", "help_calls", ["requested_at"])
    op.create_index("help_calls_call", "help_calls", ["call_id"])
    from central import help_calls
    help_calls.backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("help_calls_call", "help_calls")
    op.drop_index("help_calls_requested", "help_calls")
    op.drop_table("help_calls")
