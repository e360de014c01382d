"""Roll-ups of the events per site-local day and hour (central/rollup_tables.py), backfilled
from the events already stored, counted in the zone the caller passes (settings.timezone;
central.db.upgrade) by the same builder as `kiosk-central rollups rebuild` (central/rollups.py).

Revision ID: 0010_rollups
Revises: 0009_insight
"""
import sqlalchemy as sa
from alembic import context, op

revision = "0010_rollups"
down_revision = "0009_insight"
branch_labels = None
depends_on = None

Day = sa.String(10)


def _key(name: str, type_=sa.String(64)) -> sa.Column:
    return sa.Column(name, type_, primary_key=True, autoincrement=False)


def upgrade() -> None:
    op.create_table("rollup_events", _key("type"), _key("day", Day), _key("hour", sa.SmallInteger()),
                    _key("device_id"), sa.Column("n", sa.BigInteger(), nullable=False))
    op.create_table("rollup_feedback", _key("day", Day), _key("device_id"), _key("answer", sa.SmallInteger()),
                    _key("scale", sa.SmallInteger()), _key("sentiment", sa.String(10)), _key("ended_by"),
                    sa.Column("n", sa.BigInteger(), nullable=False))
    op.create_table("rollup_reasons", _key("day", Day), _key("device_id"), _key("answer", sa.SmallInteger()),
                    _key("sentiment", sa.String(10)), _key("reason"), sa.Column("n", sa.BigInteger(), nullable=False))
    op.create_table("rollup_tickets", _key("day", Day), _key("hour", sa.SmallInteger()), _key("device_id"),
                    _key("service"), sa.Column("tickets", sa.BigInteger(), nullable=False),
                    sa.Column("appointments", sa.BigInteger(), nullable=False),
                    sa.Column("est_n", sa.BigInteger(), nullable=False),
                    sa.Column("est_sum", sa.Float(), nullable=False), sa.Column("est_max", sa.Float()))
    op.create_table("rollup_waits", _key("day", Day), _key("hour", sa.SmallInteger()), _key("device_id"),
                    sa.Column("n", sa.BigInteger(), nullable=False), sa.Column("est_sum", sa.Float(), nullable=False),
                    sa.Column("real_sum", sa.Float(), nullable=False),
                    sa.Column("within", sa.BigInteger(), nullable=False))
    op.create_table("rollup_desk_days", _key("zone"), _key("day", Day))
    op.create_table("rollup_desks", _key("zone"), _key("day", Day), _key("kind", sa.String(1)), _key("name"),
                    sa.Column("no_shows", sa.BigInteger(), nullable=False),
                    sa.Column("served", sa.BigInteger(), nullable=False),
                    sa.Column("total_min", sa.Float(), nullable=False),
                    sa.Column("minutes", sa.LargeBinary(), nullable=False))
    op.create_table("rollup_meta", sa.Column("name", sa.String(32), primary_key=True),
                    sa.Column("value", sa.String(64), nullable=False))
    # the desk figures read finished queue tickets by time (central/desk_days.py): only these columns
    op.create_index("queue_tickets_finished", "queue_tickets", ["finished_at", "state", "desk", "service", "called_at"])
    from central import rollups
    rollups.rebuild(op.get_bind(), context.config.attributes.get("timezone") or rollups.DEFAULT_ZONE)


def downgrade() -> None:
    op.drop_index("queue_tickets_finished", "queue_tickets")
    for t in ("rollup_meta", "rollup_desks", "rollup_desk_days", "rollup_waits", "rollup_tickets", "rollup_reasons", "rollup_feedback", "rollup_events"):
        op.drop_table(t)
