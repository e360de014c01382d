"""The background writer: order, flush, failures reported, busy retries, close."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from kiosk.storage.writer import Writer


@pytest.fixture
def writer():
    w = Writer(name="test-writer", retries=3)
    yield w
    w.close()


def test_jobs_run_in_submission_order_and_flush_waits_for_all(writer):
    seen = []
    gate = threading.Event()
    writer.submit(gate.wait, 5)  # holds the writer until released
    for i in range(50):
        writer.submit(seen.append, i)
    assert not writer.flush(0.05), "flush returned while jobs were still queued"
    gate.set()
    assert writer.flush(5)
    assert seen == list(range(50))


def test_callback_gets_the_result_on_the_writer_thread(writer):
    got = []
    writer.submit(lambda a, b: a + b, 2, 3,
                  callback=lambda r: got.append((r, threading.current_thread().name)))
    assert writer.flush(5)
    assert got == [(5, "test-writer")]


def test_a_failing_job_is_reported_and_the_next_one_still_runs(writer, caplog):
    errors, seen = [], []

    def boom():
        raise ValueError("disk says no")

    writer.submit(boom, errback=errors.append)
    writer.submit(seen.append, "after")
    assert writer.flush(5)
    assert [str(e) for e in errors] == ["disk says no"]
    assert seen == ["after"]
    assert "write failed" in caplog.text


def test_busy_database_is_retried_then_succeeds(writer):
    tries = []

    def flaky():
        tries.append(time.monotonic())
        if len(tries) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "ok"

    got = []
    writer.submit(flaky, callback=got.append)
    assert writer.flush(5)
    assert got == ["ok"] and len(tries) == 3


def test_other_operational_errors_are_not_retried(writer):
    tries, errors = [], []

    def broken():
        tries.append(1)
        raise sqlite3.OperationalError("no such table: feedback")

    writer.submit(broken, errback=errors.append)
    assert writer.flush(5)
    assert len(tries) == 1 and isinstance(errors[0], sqlite3.OperationalError)


def test_a_failing_callback_does_not_stop_the_writer(writer):
    seen = []
    writer.submit(lambda: 1, callback=lambda _r: 1 / 0)
    writer.submit(seen.append, "still running")
    assert writer.flush(5)
    assert seen == ["still running"]


def test_close_runs_what_was_queued_and_can_be_called_twice():
    w = Writer(name="closing")
    seen = []
    for i in range(10):
        w.submit(seen.append, i)
    w.close()
    assert seen == list(range(10))
    w.close()  # a second close is harmless
    # A stopped writer has nothing left to run: flush says so at once instead of waiting
    # for a marker no thread will reach (which would return False after the timeout).
    assert w.flush(0.2)
