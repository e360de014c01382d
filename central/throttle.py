"""Login throttling per account and per client address (docs/central.md, "Login throttling").

    t = LoginThrottle()
    wait = t.blocked("alice", "10.0.0.5")   # None: check the password; else Block(seconds, reason)
    locks = t.failed("alice", "10.0.0.5")   # after a wrong password: the locks it started
    t.succeeded("alice")                    # after a right one: the account starts afresh

Failures are counted in a moving window (the `limits` library, in-memory storage): from the
DELAY_AFTER-th failure of an account on, the next attempt must wait 1, 2, 4 ... up to
MAX_DELAY_S seconds; ACCOUNT_LIMIT failures of an account (or ADDRESS_LIMIT from one
address) within WINDOW_S lock it for LOCK_S, during which even the right password is
refused. A lock clears that key's window, so counting starts afresh when it ends. Unknown
account names are counted like real ones, so the answers reveal nothing.

Waits and locks use `clock` (monotonic; tests replace it). Per process: several workers each
count on their own, which multiplies the limits by the number of workers at most.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
WINDOW_S = 15 * 60
LOCK_S = 15 * 60
DELAY_AFTER = 3
MAX_DELAY_S = 30.0
MAX_KEYS = 100_000


@dataclass(frozen=True)
class Block:
    seconds: float
    reason: str  # "locked" or "slow down"


class LoginThrottle:
    def __init__(self, account_limit: int = ACCOUNT_LIMIT, address_limit: int = ADDRESS_LIMIT,
                 window_s: int = WINDOW_S, lock_s: float = LOCK_S, delay_after: int = DELAY_AFTER,
                 max_delay_s: float = MAX_DELAY_S, clock: Callable[[], float] = time.monotonic):
        self.window = MovingWindowRateLimiter(MemoryStorage())
        self.items = {"account": RateLimitItemPerSecond(account_limit, window_s),
                      "address": RateLimitItemPerSecond(address_limit, window_s)}
        self.lock_s, self.delay_after, self.max_delay_s = lock_s, delay_after, max_delay_s
        self.clock = clock
        self._until: OrderedDict[tuple[str, str], float] = OrderedDict()  # lock or delay end per key
        self._locked: set[tuple[str, str]] = set()
        self._mutex = threading.Lock()

    def _keys(self, account: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("account", account.lower()[:128])]
        if address:
            keys.append(("address", address))
        return keys

    def blocked(self, account: str, address: str | None) -> Block | None:
        now = self.clock()
        worst: Block | None = None
        with self._mutex:
            for key in self._keys(account, address):
                until = self._until.get(key)
                if until is None:
                    continue
                if until <= now:
                    del self._until[key]
                    self._locked.discard(key)
                    continue
                b = Block(until - now, "locked" if key in self._locked else "slow down")
                if worst is None or b.seconds > worst.seconds:
                    worst = b
        return worst

    def failed(self, account: str, address: str | None) -> list[str]:
        """Count a wrong password; the kinds ("account", "address") locked by it."""
        now, locks = self.clock(), []
        with self._mutex:
            for key in self._keys(account, address):
                item = self.items[key[0]]
                if not self.window.hit(item, *key):  # over the limit: lock, start afresh after
                    self.window.clear(item, *key)
                    self._set(key, now + self.lock_s)
                    self._locked.add(key)
                    locks.append(key[0])
                    continue
                count = item.amount - self.window.get_window_stats(item, *key).remaining
                if count >= item.amount:
                    self.window.clear(item, *key)
                    self._set(key, now + self.lock_s)
                    self._locked.add(key)
                    locks.append(key[0])
                elif key[0] == "account" and count >= self.delay_after:
                    self._set(key, now + min(self.max_delay_s, 2.0 ** (count - self.delay_after)))
        return locks

    def succeeded(self, account: str) -> None:
        key = self._keys(account, None)[0]
        with self._mutex:
            self.window.clear(self.items["account"], *key)
            self._until.pop(key, None)

    def _set(self, key: tuple[str, str], until: float) -> None:
        self._until[key] = until
        self._until.move_to_end(key)
        while len(self._until) > MAX_KEYS:
            old, _ = self._until.popitem(last=False)
            self._locked.discard(old)
