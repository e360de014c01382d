"""The device's SQLite store: connection and migrations, the outbox, the writer thread."""
