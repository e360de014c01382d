"""Transfers in the hall's queue answer: read tolerantly (a bad entry is skipped, never the
answer), share the call id sequence for `since`, are announced once, and are not listed as calls."""
from central import hall
from kiosk.hall.calls import HallBoard
from kiosk.hall.client import parse_answer

CALL = {"call_id": 5, "ticket": "A012", "service": "passport", "desk": "4", "lang": "nl",
        "called_at": "2026-03-02T09:00:00.000Z", "recall": False}
MOVED = {"call_id": 6, "ticket": "A012", "service": "parking", "desk": "", "lang": "en",
         "called_at": "2026-03-02T09:00:30.000Z"}


def doc(**extra):
    return {"server_time": "2026-03-02T09:00:40.000Z", "services": {}, "calls": [CALL], **extra}


def test_transfers_are_read_tolerantly():
    a = parse_answer(doc(transfers=[MOVED, {"call_id": "x"}, "nonsense"]))
    assert [(t.ticket, t.service, t.desk, t.transfer) for t in a.transfers] == [("A012", "parking", "", True)]
    assert parse_answer(doc(transfers="nope")).transfers == () and parse_answer(doc()).transfers == ()


def test_a_transfer_is_announced_once_and_not_listed():
    board = HallBoard(keep=6)
    first = board.apply(parse_answer(doc(transfers=[MOVED])), 0.0)
    assert [(c.call_id, c.transfer) for c in first] == [(5, False), (6, True)]
    assert [c.call_id for c in board.view().calls] == [5] and board.last_id == 6
    assert board.apply(parse_answer(doc(transfers=[MOVED])), 1.0) == []


def test_the_streams_cursor_covers_transfers():
    assert hall.last_call_id(doc(transfers=[MOVED]), 0) == 6
    assert hall.last_call_id({"calls": []}, 3) == 3
