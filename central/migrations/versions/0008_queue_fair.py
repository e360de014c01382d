"""Fair calling, transfers and desk pauses (docs/calling.md): per waiting ticket a `priority`
flag and a `passed` count; a transfer's `transferred_from` service, `to_desk` and `front`;
`queue_calls.kind` ("transfer" for a transfer shown on the hall display, null for a call)
and `to_service`; and `desk_pauses` (start, end, reason) for the desk figures.

Revision ID: 0008_queue_fair
Revises: 0007_help (0007_help is chained in at merge)
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_queue_fair"
down_revision = "0007_help"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("queue_tickets") as t:
        t.add_column(sa.Column("priority", sa.Boolean(), nullable=False, server_default=sa.false()))
        t.add_column(sa.Column("passed", sa.Integer(), nullable=False, server_default="0"))
        t.add_column(sa.Column("transferred_from", sa.String(64)))
        t.add_column(sa.Column("to_desk", sa.String(32)))
        t.add_column(sa.Column("front", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("queue_calls") as t:
        t.add_column(sa.Column("kind", sa.String(10)))
        t.add_column(sa.Column("to_service", sa.String(64)))
    op.create_table(
        "desk_pauses",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("desk", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime()),
        sqlite_autoincrement=True,
    )
    op.create_index("desk_pauses_desk", "desk_pauses", ["desk", "ended_at"])


def downgrade() -> None:
    op.drop_index("desk_pauses_desk", "desk_pauses")
    op.drop_table("desk_pauses")
    with op.batch_alter_table("queue_calls") as t:
        t.drop_column("to_service")
        t.drop_column("kind")
    with op.batch_alter_table("queue_tickets") as t:
        for c in ("front", "to_desk", "transferred_from", "passed", "priority"):
            t.drop_column(c)
