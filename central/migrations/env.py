"""Alembic environment: the caller passes an open connection in config.attributes."""
from alembic import context

from central.db import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
