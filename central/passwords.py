"""Staff passwords: argon2id hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane), a
policy for new passwords, and verification that never runs on the event loop.

  problem = policy_problem("alice", pw)        # None, or why the password is refused
  stored = hash_password(pw)                   # '$argon2id$v=19$m=19456,t=2,p=1$...'
  ok, new = verify(stored, pw)                 # new: a fresh argon2id hash to store, or None
  ok, new = await verify_async(stored, pw)     # the same in a worker thread, at most SLOTS at once

Stored strings of older installs (common.passwords' salted scrypt) keep verifying; `verify`
hands back an argon2id hash for them (and for argon2 hashes with weaker parameters) so the
caller stores it after a successful login. A hash costs ~19 MiB and tens of milliseconds:
the async path holds one of SLOTS permits while it runs, so guessing clients queue for a
permit instead of filling the thread pool and starving every other request.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import anyio
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from common import passwords as legacy

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16,
                        type=Type.ID)
SLOTS = max(1, min(4, os.cpu_count() or 1))  # hashes at once per process
MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON = Path(__file__).parent / "data" / "common-passwords.txt"
_WORDS = re.compile(r"^[\d\W_]*(password|passw0rd|wachtwoord|welkom|welcome|gemeente|admin|geheim)[\d\W_]*$")
_SEQUENCES = ("0123456789" * 4, "abcdefghijklmnopqrstuvwxyz" * 2, "qwertyuiopasdfghjklzxcvbnm" * 2,
              "azertyuiopqsdfghjklmwxcvbn" * 2, "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p" * 2)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def policy_problem(user: str, password: str) -> str | None:
    """Why `password` may not be used by `user` (one sentence), or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"use a password of at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use a password of at most {MAX_LENGTH} characters"
    low = password.lower()
    if len(set(low)) < 4:
        return "that password repeats one or a few characters; choose a less predictable one"
    if user and len(user) >= 3 and user.lower() in low:
        return "the password must not contain the user name"
    bare = low.strip("0123456789!@#$%^&*()-_=+.,;:?~ ")
    compact = re.sub(r"[\s._-]", "", low)
    if low in common_passwords() or bare in common_passwords() or compact in common_passwords() \
            or _WORDS.match(low):
        return "that is one of the most common passwords; choose a less predictable one"
    for seq in _SEQUENCES:
        if compact in seq or compact in seq[::-1]:
            return "that password is a keyboard or number sequence; choose a less predictable one"
    return None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify(stored: str, password: str) -> tuple[bool, str | None]:
    """(matches, a new hash to store or None). Never raises for a malformed stored string."""
    if stored.startswith("$argon2"):
        try:
            HASHER.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False, None
        return True, (hash_password(password) if HASHER.check_needs_rehash(stored) else None)
    if legacy.verify_password(password, stored):
        return True, hash_password(password)
    return False, None


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """What a login for an unknown user is checked against, so it costs what a real one does."""
    return hash_password(os.urandom(16).hex())


_slots: dict[int, anyio.Semaphore] = {}


def _semaphore() -> anyio.Semaphore:
    # One per event loop (anyio primitives belong to the loop they were made on).
    import asyncio
    key = id(asyncio.get_running_loop())
    sem = _slots.get(key)
    if sem is None:
        _slots.clear()  # a new loop (tests start several); the old one is gone
        sem = _slots[key] = anyio.Semaphore(SLOTS)
    return sem


async def verify_async(stored: str, password: str) -> tuple[bool, str | None]:
    async with _semaphore():
        return await anyio.to_thread.run_sync(verify, stored, password)


async def hash_async(password: str) -> str:
    async with _semaphore():
        return await anyio.to_thread.run_sync(hash_password, password)
