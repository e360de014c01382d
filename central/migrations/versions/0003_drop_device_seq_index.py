"""Drop the events (device_id, seq) index: every ingested row paid for it (about a tenth of
PostgreSQL's CPU per event, bench/bench_sync.py) and only the rare events.csv export used
it, which now sorts instead.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("events_device_seq", "events")


def downgrade() -> None:
    op.create_index("events_device_seq", "events", ["device_id", "seq"])
