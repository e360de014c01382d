"""What POST /login does (the route is in central/dashboard.py): throttle, check the password
off the event loop, start a session, and write it all to the audit log.

An unknown or disabled name is checked against a dummy argon2id hash, so it costs the same
work and takes the same path as a wrong password; the throttle counts it the same way too.
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool

from central import accounts, audit, passwords, throttle


@dataclass
class Outcome:
    token: str | None = None        # the new session's cookie value when the login succeeded
    wait_s: float | None = None     # set when refused by the throttle (429, Retry-After)
    locked: bool = False            # refused because of a lock (not a short delay)


def get_throttle(state) -> throttle.LoginThrottle:
    if getattr(state, "login_throttle", None) is None:
        state.login_throttle = throttle.LoginThrottle()
    return state.login_throttle


async def attempt(state, name: str, password: str, client: str | None) -> Outcome:
    engine, settings = state.engine, state.settings
    gate = get_throttle(state)
    name = name.strip()[:64]
    block = gate.blocked(name, client)
    if block is not None:
        await run_in_threadpool(audit.write, engine, name or "-", "login.refused", name,
                                {"reason": block.reason, "retry_after_s": round(block.seconds)}, client,
                                settings.audit_days)
        return Outcome(wait_s=block.seconds, locked=block.reason == "locked")
    row = await run_in_threadpool(accounts.stored_hash, engine, name) if name else None
    stored = row[0] if row and not row[2] else passwords.dummy_hash()
    ok, rehash = await passwords.verify_async(stored, password)
    if not ok or row is None or row[2]:
        locks = gate.failed(name, client)
        why = "unknown user" if row is None else "disabled" if row[2] else "wrong password"
        await run_in_threadpool(_failed, engine, name, why, locks, client, settings.audit_days,
                                round(gate.lock_s / 60))
        if locks:
            return Outcome(wait_s=gate.lock_s, locked=True)
        return Outcome()
    gate.succeeded(name)
    if rehash:
        await run_in_threadpool(accounts.store_rehash, engine, name, stored, rehash)
    token = await run_in_threadpool(accounts.start_session, engine, name, client)
    return Outcome(token=token)


def _failed(engine, name: str, why: str, locks: list[str], client: str | None, days: int,
            lock_min: int) -> None:
    with engine.begin() as conn:
        audit.record(conn, name or "-", "login.failed", name, {"reason": why}, client)
        for kind in locks:
            audit.record(conn, name or "-", "login.locked", name if kind == "account" else client,
                         {"what": kind, "minutes": lock_min}, client)
    if audit.purge_due():
        audit.purge(engine, days)
