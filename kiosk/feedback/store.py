"""Making feedback durable: the `feedback` table and its outbox events.

On the smiley tap the answer is written as an open row (so it survives a crash
while the visitor picks reasons). On done/skip/timeout the row is closed and the
`feedback.given` event is added to the outbox in the SAME transaction; the event id
is the answer id, so closing twice can never count twice. At start-up
`recover()` closes rows left open by a crash or power cut (ended_by="recovered").
"""
from __future__ import annotations

import json
import logging

from kiosk.storage import migrations
from kiosk.clock import utc_rfc3339
from kiosk.feedback.flow import Answer, sentiment

log = logging.getLogger(__name__)

migrations.register("feedback", [
    """
    CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        answer INTEGER NOT NULL,
        scale INTEGER NOT NULL,
        sentiment TEXT NOT NULL,
        language TEXT NOT NULL,
        source TEXT NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL DEFAULT 'open',
        ended_by TEXT,
        time_to_answer_ms INTEGER,
        answered_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE INDEX feedback_state ON feedback(state);
    """,
    # Every tap paid for this index (one more B-tree page per commit, ~15-30 us) while only
    # recover(), once per start on the writer thread, reads by state: it scans instead.
    "DROP INDEX IF EXISTS feedback_state",
])


class FeedbackRecorder:
    """The FeedbackFlow sink that writes to the Store. Call from one writer thread."""

    def __init__(self, store):
        self.store = store

    def begin(self, a: Answer) -> None:
        self.store.execute_durable(
            "INSERT OR IGNORE INTO feedback(id, answer, scale, sentiment, language, source, "
            "answered_at) VALUES(?, ?, ?, ?, ?, ?, ?)",
            (a.id, a.answer, a.scale, a.sentiment.value, a.language, a.source,
             utc_rfc3339(self.store.clock.wall())))

    def reasons_changed(self, a: Answer) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE feedback SET reasons=? WHERE id=? AND state='open'",
                      (json.dumps(a.reasons), a.id))

    def finish(self, a: Answer, ended_by: str, time_to_answer_ms: int) -> None:
        with self.store.transaction() as c:
            self._close(c, a.id, a.answer, a.scale, list(a.reasons), a.language, a.source,
                        ended_by, time_to_answer_ms)

    def suppressed(self, answer: int, since_last_ms: int, source: str) -> None:
        self.store.record_event("feedback.suppressed",
                                {"answer": answer, "since_last_ms": since_last_ms, "source": source})

    def _close(self, c, ans_id, answer, scale, reasons, language, source, ended_by, ms) -> bool:
        cur = c.execute("UPDATE feedback SET state='closed', reasons=?, ended_by=?, "
                        "time_to_answer_ms=?, closed_at=? WHERE id=? AND state='open'",
                        (json.dumps(reasons), ended_by, ms, utc_rfc3339(self.store.clock.wall()),
                         ans_id))
        if cur.rowcount != 1:
            return False  # already closed: never count twice
        self.store.append_event(c, "feedback.given", {
            "answer": answer, "scale": scale, "sentiment": sentiment(answer, scale).value,
            "reasons": reasons, "language": language, "time_to_answer_ms": ms,
            "ended_by": ended_by, "source": source,
        }, event_id=ans_id)
        return True

    def recover(self) -> int:
        """Close answers left open by a crash; returns how many were recovered."""
        rows = self.store.query("SELECT * FROM feedback WHERE state='open' ORDER BY answered_at")
        n = 0
        for r in rows:
            with self.store.transaction() as c:
                if self._close(c, r["id"], r["answer"], r["scale"], json.loads(r["reasons"]),
                               r["language"], r["source"], "recovered", None):
                    n += 1
        if n:
            log.info("recovered %d feedback answer(s) left open by an unclean stop", n)
        return n


def counts(store) -> dict:
    """Closed answers per answer value, and suppressed taps (for staff screens and tests)."""
    per = {r["answer"]: r["n"] for r in store.query(
        "SELECT answer, COUNT(*) AS n FROM feedback WHERE state='closed' GROUP BY answer")}
    supp = store.query("SELECT COUNT(*) AS n FROM outbox WHERE type='feedback.suppressed'")[0]["n"]
    return {"answers": per, "suppressed": supp}


class QueuedRecorder:
    """A FeedbackFlow sink that hands every write to a background Writer.

    `on_begin_durable(answer)` is called (on the writer thread) once the tapped answer
    is on disk; the UI acknowledges the tap only then. `on_error(exc)` on failure.
    """

    def __init__(self, recorder: FeedbackRecorder, writer, on_begin_durable=None, on_error=None):
        self.recorder = recorder
        self.writer = writer
        self.on_begin_durable = on_begin_durable
        self.on_error = on_error

    @staticmethod
    def _snap(a: Answer) -> Answer:
        """A copy for the writer thread (the flow goes on changing its own): every field
        copied as it is, the reasons list copied too; cheaper than dataclasses.replace."""
        snap = object.__new__(Answer)
        snap.__dict__.update(a.__dict__)
        snap.reasons = list(a.reasons)
        return snap

    def begin(self, a: Answer) -> None:
        snap = self._snap(a)
        self.writer.submit(self.recorder.begin, snap,
                           callback=lambda _r: self.on_begin_durable and self.on_begin_durable(snap),
                           errback=self._error)

    def reasons_changed(self, a: Answer) -> None:
        self.writer.submit(self.recorder.reasons_changed, self._snap(a), errback=self._error)

    def finish(self, a: Answer, ended_by: str, ms: int) -> None:
        self.writer.submit(self.recorder.finish, self._snap(a), ended_by, ms, errback=self._error)

    def suppressed(self, answer: int, since_last_ms: int, source: str) -> None:
        self.writer.submit(self.recorder.suppressed, answer, since_last_ms, source,
                           errback=self._error)

    def _error(self, exc: BaseException) -> None:
        if self.on_error:
            self.on_error(exc)
