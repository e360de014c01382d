"""Outbox housekeeping for the sync worker, as functions over a `Store`: delete old sent
events, keep unsent ones within bounds (count and age), and never drop silently: every
drop is counted in meta, logged as an error and recorded as an `outbox.dropped` event.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from kiosk.clock import utc_rfc3339
from common.states import move
from kiosk.storage.store import OUTBOX_TRANSITIONS, OutboxState, Store

log = logging.getLogger("kiosk.sync.worker")
DROPPED_KEY = "sync.dropped_total"
PLAUSIBLE = "2020-01-01T00:00:00.000Z"  # a wall clock before this was not set; never age-drop by it


@dataclass
class OutboxHealth:
    pending: int
    set_aside: int
    oldest_pending_at: str | None
    oldest_age_s: float | None
    dropped_total: int
    dropped_now: int
    warning: str | None  # a sentence for logs, heartbeat and the staff screen


def dropped_total(store: Store) -> int:
    return int(store.meta_get(DROPPED_KEY, "0") or 0)


def prune_sent(store: Store, keep_days: float) -> int:
    cutoff = utc_rfc3339(store.clock.wall() - dt.timedelta(days=keep_days))
    with store.transaction() as c:
        return c.execute("DELETE FROM outbox WHERE state=? AND sent_at < ?", (OutboxState.SENT, cutoff)).rowcount


def _drop(store: Store, where: str, params: tuple, reason: str) -> int:
    with store.transaction() as c:
        row = c.execute(f"SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi, MIN(occurred_at) AS oldest "
                        f"FROM outbox WHERE state='pending' AND {where}", params).fetchone()
        n = row["n"]
        if not n:
            return 0
        c.execute(f"DELETE FROM outbox WHERE state='pending' AND {where}", params)
        total = dropped_total(store) + n
        c.execute("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                  (DROPPED_KEY, str(total)))
        store.append_event(c, "outbox.dropped", {"count": n, "reason": reason, "first_seq": row["lo"],
                                                 "last_seq": row["hi"], "oldest_occurred_at": row["oldest"],
                                                 "dropped_total": total})
    log.error("outbox: DROPPED %d unsent event(s) (seq %s..%s): %s", n, row["lo"], row["hi"], reason)
    return n


def enforce_bounds(store: Store, max_events: int, max_age_days: float, warn_fraction: float) -> OutboxHealth:
    """Drop what is over the bounds (reported), then say how full the outbox is."""
    now = store.clock.wall()
    dropped = 0
    cutoff = utc_rfc3339(now - dt.timedelta(days=max_age_days))
    dropped += _drop(store, "occurred_at < ? AND occurred_at >= ?", (cutoff, PLAUSIBLE),
                     f"older than the limit of {max_age_days:g} days (sync.max_unsent_age_days)")
    pending = store.outbox_stats()["pending"]
    if pending > max_events:
        over = pending - max_events
        dropped += _drop(store, "seq IN (SELECT seq FROM outbox WHERE state='pending' ORDER BY seq LIMIT ?)",
                         (over,), f"more than {max_events} unsent events (sync.max_unsent_events)")
    stats = store.outbox_stats()
    oldest = stats["oldest_pending_at"]
    dated = store.query("SELECT MIN(occurred_at) AS t FROM outbox WHERE state='pending' AND occurred_at >= ?",
                        (PLAUSIBLE,))[0]["t"]  # events made before the clock was set have no usable age
    age = None
    if dated:
        try:
            age = max(0.0, (now - dt.datetime.fromisoformat(dated.replace("Z", "+00:00"))).total_seconds())
        except ValueError:
            age = None
    warning = None
    if stats["pending"] >= warn_fraction * max_events:
        warning = (f"outbox holds {stats['pending']} unsent events; at {max_events} the oldest are dropped "
                   "- is the central service reachable?")
    elif age is not None and age >= warn_fraction * max_age_days * 86400:
        warning = (f"oldest unsent event is {age / 86400:.1f} days old; at {max_age_days:g} days events are "
                   "dropped - is the central service reachable?")
    if warning:
        log.warning("outbox: %s", warning)
    return OutboxHealth(stats["pending"], stats["set_aside"], oldest, age, dropped_total(store), dropped, warning)


@dataclass
class OutBatch:
    """Pending events after a given seq, already encoded as the request body."""
    ids: list[str]
    first_seq: int
    last_seq: int
    body: bytes

    def __len__(self) -> int:
        return len(self.ids)


def read_batch(store: Store, after_seq: int, limit: int) -> OutBatch:
    """The next `limit` pending events with seq > after_seq, as {"events": [...]} bytes.

    Same envelope as `Event.envelope()`; the stored payload text is embedded as it is
    (it was written by json.dumps), which saves decoding and re-encoding every event.
    """
    rows = store.query("SELECT seq, id, type, occurred_at, payload, boot_id, monotonic FROM outbox "
                       "WHERE state=? AND seq > ? ORDER BY seq LIMIT ?", (OutboxState.PENDING, after_seq, limit))
    dev = json.dumps(store.device_id)
    parts = [f'{{"id":{json.dumps(r["id"])},"device_id":{dev},"seq":{r["seq"]},"type":{json.dumps(r["type"])},'
             f'"occurred_at":{json.dumps(r["occurred_at"])},"payload":{r["payload"]},'
             f'"boot_id":{json.dumps(r["boot_id"] or "")},"monotonic":{json.dumps(r["monotonic"] or 0.0)}}}'
             for r in rows]
    body = ('{"events":[' + ",".join(parts) + "]}").encode("utf-8", "surrogatepass")
    return OutBatch([r["id"] for r in rows], rows[0]["seq"] if rows else after_seq,
                    rows[-1]["seq"] if rows else after_seq, body)


def mark_sent(store: Store, batch: OutBatch, except_ids: set[str]) -> int:
    """Mark a sent batch in one statement: every pending row in its seq range is one of
    its events (a batch takes all pending rows in seq order, new rows get higher seqs).
    The one move it makes, pending -> sent, is checked against the outbox's transition table
    once; the WHERE clause keeps every other row where it is."""
    new = move(OUTBOX_TRANSITIONS, OutboxState.PENDING, OutboxState.SENT, "a sent batch")
    now = utc_rfc3339(store.clock.wall())
    with store.transaction() as c:
        if except_ids:
            marks = ",".join("?" * len(except_ids))
            return c.execute(f"UPDATE outbox SET state=?, sent_at=?, attempts=attempts+1 WHERE state=? "
                             f"AND seq BETWEEN ? AND ? AND id NOT IN ({marks})",
                             (new, now, OutboxState.PENDING, batch.first_seq, batch.last_seq,
                              *except_ids)).rowcount
        return c.execute("UPDATE outbox SET state=?, sent_at=?, attempts=attempts+1 WHERE state=? "
                         "AND seq BETWEEN ? AND ?", (new, now, OutboxState.PENDING,
                                                     batch.first_seq, batch.last_seq)).rowcount
