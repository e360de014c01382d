"""The mobile ticket page (docs/mobile-ticket.md): queue_tickets gains `token_hash` (SHA-256
hex of the token in the ticket's QR code; unique; the token itself is never stored) and
`mobile` (JSON: the ticket's service name, where to wait, the route there and the routes to
the desks, in the ticket's language). Existing tickets get them from their events.

Columns on queue_tickets rather than a table of their own: a ticket has at most one token
and one set of texts, the queue projection stays ONE set-based INSERT per batch (no second
statement, no ids to carry over), the page reads one indexed row, and the texts go when the
ticket's row goes. Both columns are nullable: tickets from kiosks that send no token simply
have no page (NULLs do not collide in a unique index, on SQLite or PostgreSQL).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("queue_tickets", sa.Column("token_hash", sa.String(64)))
    op.add_column("queue_tickets", sa.Column("mobile", JSONType))
    op.create_index("queue_tickets_token", "queue_tickets", ["token_hash"], unique=True)
    from central import queue
    queue.backfill_mobile(op.get_bind())


def downgrade() -> None:
    op.drop_index("queue_tickets_token", "queue_tickets")
    with op.batch_alter_table("queue_tickets") as batch:  # SQLite rebuilds the table
        batch.drop_column("mobile")
        batch.drop_column("token_hash")
