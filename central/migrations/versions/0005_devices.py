"""Least privilege for devices (docs/central.md, "Device roles"): `devices.role` (what the
device's token may post; existing devices become `home`, which posts every visitor type, so
they keep working) and `devices.revoked_at` (set by `kiosk-central device revoke`; the
token hash is replaced at the same time, so the old token matches nothing).

Revision ID: 0005_devices
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_devices"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("role", sa.String(16), nullable=False, server_default="home"))
    op.add_column("devices", sa.Column("revoked_at", sa.DateTime()))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:  # SQLite rebuilds the table
        batch.drop_column("revoked_at")
        batch.drop_column("role")
