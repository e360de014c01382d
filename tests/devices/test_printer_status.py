"""DLE EOT status decoding: table of recorded printer answers -> PrinterState."""
import pytest

from devices.printer import PrinterState, decode_status


def asker(replies):
    """replies: {n: byte or None}; records which queries were asked."""
    asked = []

    def ask(n):
        asked.append(n)
        return replies.get(n)
    ask.asked = asked
    return ask


@pytest.mark.parametrize("replies,expected", [
    ({1: 0x12, 4: 0x12}, PrinterState.ONLINE),
    ({1: 0x16, 4: 0x12}, PrinterState.ONLINE),          # bit 2 (drawer) is not a fault
    ({1: 0x12, 4: 0x1E}, PrinterState.PAPER_LOW),       # near-end sensor bits 2+3
    ({1: 0x12, 4: 0x72}, PrinterState.PAPER_OUT),       # paper-end bits 5+6
    ({1: 0x12, 4: 0x7E}, PrinterState.PAPER_OUT),       # both: out wins
    ({1: 0x1A, 2: 0x16}, PrinterState.COVER_OPEN),      # offline, cause: cover
    ({1: 0x1A, 2: 0x32}, PrinterState.PAPER_OUT),       # offline, cause: paper end
    ({1: 0x1A, 2: 0x12}, PrinterState.OFFLINE),         # offline, no cause given
    ({1: 0x1A, 2: None}, PrinterState.OFFLINE),         # offline, second question unanswered
    ({}, PrinterState.UNKNOWN),                         # silence is not "paper OK"
    ({1: 0x12, 4: None}, PrinterState.UNKNOWN),
    ({1: 0x10}, PrinterState.UNKNOWN),                  # loop:// echo of DLE: fixed bits wrong
    ({1: 0xFF, 4: 0x12}, PrinterState.UNKNOWN),         # line noise
    ({1: 0x00, 4: 0x00}, PrinterState.UNKNOWN),
])
def test_decode_status(replies, expected):
    assert decode_status(asker(replies)) == expected


def test_online_printer_is_asked_status_then_paper_only():
    ask = asker({1: 0x12, 4: 0x12})
    decode_status(ask)
    assert ask.asked == [1, 4]


def test_offline_printer_is_asked_for_the_cause():
    ask = asker({1: 0x1A, 2: 0x16})
    decode_status(ask)
    assert ask.asked == [1, 2]


@pytest.mark.parametrize("state,ok", [(PrinterState.ONLINE, True), (PrinterState.PAPER_LOW, True),
                                      (PrinterState.PAPER_OUT, False),
                                      (PrinterState.COVER_OPEN, False),
                                      (PrinterState.OFFLINE, False), (PrinterState.UNKNOWN, False)])
def test_can_print(state, ok):
    assert state.can_print is ok


# -- why the state is not known: FilePrinter targets, a silent or refusing printer ---------

def test_file_printer_target_problems(tmp_path, monkeypatch):
    from devices.printer_basic import FilePrinter
    here = f"file://{tmp_path}/p.bin"
    assert FilePrinter.target_problem(here) == ""
    missing = f"file://{tmp_path}/no/p.bin"
    assert FilePrinter.target_problem(missing) == f"folder {tmp_path}/no does not exist"
    assert FilePrinter.target_problem(missing, here=False) == f"folder {tmp_path}/no does not exist"
    assert FilePrinter.target_problem("file:///dev/kiosk-test-lp9") == \
        "no such device /dev/kiosk-test-lp9"
    assert FilePrinter.target_problem("file:///dev/kiosk-test-lp9", here=False) == ""
    (tmp_path / "p.bin").write_bytes(b"")
    monkeypatch.setattr("os.access", lambda *_a: False)  # root may write anything: pretend
    assert FilePrinter.target_problem(here) == f"{tmp_path}/p.bin is not writable"
    assert FilePrinter.target_problem(f"file://{tmp_path}/q.bin") == \
        f"cannot create {tmp_path}/q.bin: folder {tmp_path} is not writable"
    assert FilePrinter.target_problem(here, here=False) == ""


class _Asked:
    """A backend whose answers are given: `replies` per DLE EOT n, or an error on open."""

    def __new__(cls, replies=None, fails=None):
        from devices.printer import Printer

        class P(Printer):
            answers_status = True

            def _open(self):
                if fails:
                    raise fails

            def _ask(self, n, timeout):
                return (replies or {}).get(n)
        return P("test://", status_timeout=0.25)


@pytest.mark.parametrize("printer,state,why", [
    (lambda: _Asked({1: 0x12, 4: 0x12}), PrinterState.ONLINE, ""),
    (lambda: _Asked({}), PrinterState.UNKNOWN, "no answer within 0.25 s"),
    (lambda: _Asked({1: 0xFF}), PrinterState.UNKNOWN, "answered 0xff, not an ESC/POS status"),
    (lambda: _Asked(fails=ConnectionRefusedError(111, "Connection refused")), PrinterState.OFFLINE,
     "connection refused"),
    (lambda: _Asked(fails=OSError(113, "No route to host")), PrinterState.OFFLINE,
     "no route to host"),
])
def test_status_says_why_it_is_not_known(printer, state, why):
    p = printer()
    assert p.status() is state
    assert p.last_error == why
