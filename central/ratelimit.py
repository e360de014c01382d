"""A token bucket per client key (an IP address, later a user name for login throttling).

    limits = RateLimiter(burst=30, per_s=3.0, max_keys=10000)
    wait = limits.take("203.0.113.7")   # None: go ahead; else seconds until a request is allowed

Each key may spend `burst` requests at once; its bucket refills at `per_s` requests a second.
Memory is bounded: at most `max_keys` buckets, kept in least-recently-used order; past that
the key seen longest ago is forgotten (it starts again with a full bucket, which only ever
errs on the visitor's side). Time is a monotonic clock (`clock`, replaceable in tests), so a
wall-clock jump neither blocks nor frees anyone. Thread-safe: one lock, held for a dict
operation and a little arithmetic.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from typing import Callable


class RateLimiter:
    def __init__(self, burst: int, per_s: float, max_keys: int = 10000,
                 clock: Callable[[], float] = time.monotonic):
        if burst < 1 or per_s <= 0 or max_keys < 1:
            raise ValueError("burst and max_keys must be >= 1 and per_s > 0")
        self.burst, self.per_s, self.max_keys = float(burst), float(per_s), max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Spend one request of `key`: None when allowed, else the seconds to wait (> 0)."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + max(0.0, now - at) * self.per_s)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)  # now the most recently used
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return None if allowed else (1.0 - tokens) / self.per_s

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after(wait_s: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(wait_s)))
