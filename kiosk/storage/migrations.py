"""Versioned schema migrations, one ordered list per component.

Each component (core, feedback, tickets, sync, ...) owns its list; a list is
only ever appended to. Applied steps are recorded in `schema_migrations`, so
components can be added independently without clashing version numbers.
A module registers its steps with `register("tickets", [...])` at import time of
`kiosk.storage.migrations` users; `apply_all` imports the known component modules.
"""
from __future__ import annotations

import importlib
import sqlite3

# component -> ordered list of SQL scripts; index + 1 is the version.
_STEPS: dict[str, list[str]] = {}

# Modules that register migrations; imported by apply_all so that any Store has every table.
COMPONENT_MODULES = ["kiosk.feedback.store", "kiosk.tickets.schema"]

CORE = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        payload TEXT NOT NULL,
        boot_id TEXT,
        monotonic REAL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        sent_at TEXT
    );
    CREATE INDEX outbox_state ON outbox(state, seq);
    """,
]


def register(component: str, steps: list[str]) -> None:
    _STEPS[component] = steps


register("core", CORE)


def apply_all(conn: sqlite3.Connection) -> None:
    for name in COMPONENT_MODULES:
        importlib.import_module(name)
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 "component TEXT NOT NULL, version INTEGER NOT NULL, "
                 "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), "
                 "PRIMARY KEY(component, version))")
    applied = set(conn.execute("SELECT component, version FROM schema_migrations"))
    order = ["core"] + sorted(c for c in _STEPS if c != "core")
    for comp in order:
        for version, sql in enumerate(_STEPS[comp], start=1):
            if (comp, version) in applied:
                continue  # the common case at start-up: no write transaction at all
            conn.execute("BEGIN IMMEDIATE")
            try:
                done = conn.execute("SELECT 1 FROM schema_migrations WHERE component=? AND version=?",
                                    (comp, version)).fetchone()
                if not done:
                    for stmt in _split(sql):
                        conn.execute(stmt)
                    conn.execute("INSERT INTO schema_migrations(component, version) VALUES(?, ?)",
                                 (comp, version))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise


def _split(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside literals here)."""
    return [s.strip() for s in script.split(";") if s.strip()]
