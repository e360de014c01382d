"""The device's tickets table: its versioned migration steps (registered with
kiosk.storage.migrations). Kept apart from kiosk.tickets.book so that opening the store, which applies every
component's steps, does not import the ticket logic on a device that gives no tickets."""
from __future__ import annotations

from kiosk.storage import migrations

MIGRATIONS = [
    """
    CREATE TABLE tickets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        day TEXT NOT NULL,
        number INTEGER NOT NULL,
        label TEXT NOT NULL,
        lang TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        appointment INTEGER NOT NULL DEFAULT 0,
        print_state TEXT NOT NULL DEFAULT 'pending',
        print_error TEXT,
        printed_at TEXT,
        reprints INTEGER NOT NULL DEFAULT 0,
        owner TEXT NOT NULL DEFAULT '',
        UNIQUE(service_id, day, number)
    );
    CREATE INDEX tickets_pending ON tickets(print_state);
    """,
]
# Step 2: staff can restart today's numbers ("reset"). Tickets keep their history; a reset
# starts a new `series` for the day, so A001 may be given again in the new series only.
MIGRATIONS.append("""
    CREATE TABLE tickets_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        day TEXT NOT NULL,
        series INTEGER NOT NULL DEFAULT 0,
        number INTEGER NOT NULL,
        label TEXT NOT NULL,
        lang TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        appointment INTEGER NOT NULL DEFAULT 0,
        print_state TEXT NOT NULL DEFAULT 'pending',
        print_error TEXT,
        printed_at TEXT,
        reprints INTEGER NOT NULL DEFAULT 0,
        owner TEXT NOT NULL DEFAULT '',
        UNIQUE(service_id, day, series, number)
    );
    INSERT INTO tickets_v2 (id, token, service_id, day, series, number, label, lang, issued_at,
        appointment, print_state, print_error, printed_at, reprints, owner)
        SELECT id, token, service_id, day, 0, number, label, lang, issued_at, appointment,
        print_state, print_error, printed_at, reprints, owner FROM tickets;
    DROP TABLE tickets;
    ALTER TABLE tickets_v2 RENAME TO tickets;
    CREATE INDEX tickets_pending ON tickets(print_state);
    CREATE TABLE number_series (day TEXT PRIMARY KEY, series INTEGER NOT NULL);
""")
migrations.register("tickets", MIGRATIONS)
