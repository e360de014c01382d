"""Appointment codes: the format rule, the optional HTTP endpoint, and no code kept."""
import pytest

from kiosk.tickets.appointments import (CheckInRefused, FormatRule, HttpCheck,
                                        checker_from_config, normalise, service_for)
from kiosk.tickets.services import ServiceCatalog

PATTERN = r"^[A-Z0-9]{4}-?[A-Z0-9]{4}$"


@pytest.mark.parametrize("raw,norm", [
    (" abcd-1234\r\n", "ABCD-1234"), ("ab cd 12 34", "ABCD1234"), ("\x00ABCD\t1234", "ABCD1234"),
])
def test_normalise(raw, norm):
    assert normalise(raw) == norm


@pytest.mark.parametrize("code,ok", [
    ("ABCD-1234", True), ("abcd1234", True), (" abcd-1234\n", True),
    ("ABC-1234", False), ("", False), ("ABCD-12345", False), ("X" * 5000, False),
    ("ABCD_1234", False), ("'; DROP TABLE tickets; --", False),
])
def test_format_rule(code, ok):
    r = FormatRule(PATTERN, "appointment").check(code)
    assert r.ok is ok
    assert r.message == ("appointment.ok" if ok else "appointment.bad_format")
    if ok:
        assert r.service_id == "appointment"


def test_http_endpoint_confirms_and_names_the_service(endpoint):
    e = endpoint(lambda b: (200, {"valid": b["code"] == "ABCD1234", "service": "passport"}))
    chk = HttpCheck(e.url, FormatRule(PATTERN, "appointment"), timeout=2)
    ok = chk.check("abcd 1234")
    assert ok.ok and ok.service_id == "passport"
    assert e.seen == [{"code": "ABCD1234"}]
    no = chk.check("ZZZZ9999")
    assert not no.ok and no.message == "appointment.unknown"


@pytest.mark.parametrize("status,answer,message", [
    (404, {}, "appointment.unknown"),
    (500, {}, "appointment.unreachable"),
    (200, "not json", "appointment.unreachable"),
    (200, [1, 2], "appointment.unknown"),
    (200, {"valid": False}, "appointment.unknown"),
])
def test_http_endpoint_odd_answers(endpoint, status, answer, message):
    e = endpoint(lambda b: (status, answer))
    r = HttpCheck(e.url, FormatRule(PATTERN), timeout=2).check("ABCD1234")
    assert not r.ok and r.message == message


def test_bad_format_never_reaches_the_endpoint(endpoint):
    e = endpoint(lambda b: (200, {"valid": True}))
    r = HttpCheck(e.url, FormatRule(PATTERN), timeout=2).check("nope")
    assert r.message == "appointment.bad_format" and e.seen == []


def test_unreachable_endpoint_gives_a_clear_message():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()   # nothing listens here
    r = HttpCheck(f"http://127.0.0.1:{port}/check", FormatRule(PATTERN), timeout=0.5).check(
        "ABCD1234")
    assert not r.ok and r.message == "appointment.unreachable"


def test_checker_from_config(make_config):
    cfg = make_config()
    chk = checker_from_config(cfg, ServiceCatalog.from_config(cfg))
    assert isinstance(chk, FormatRule) and chk.service_id == "appointment"
    cfg2 = make_config(tickets={"appointments": {"url": "http://127.0.0.1:1/x",
                                                 "service": "passport"}})
    chk2 = checker_from_config(cfg2, ServiceCatalog.from_config(cfg2))
    assert isinstance(chk2, HttpCheck) and chk2.rule.service_id == "passport"


def test_the_code_is_not_stored(store, make_config):
    from kiosk.tickets.issue import TicketIssuer
    cfg = make_config()
    issuer = TicketIssuer(store, cfg, clock=store.clock)
    chk = checker_from_config(cfg, issuer.catalog)
    r = chk.check("QWER-7788")
    issuer.issue(r.service_id, "nl", appointment=True)
    dump = "\n".join(store.conn.iterdump())
    assert "QWER" not in dump and "7788" not in dump


def test_service_for_is_the_check_in_decision(endpoint):
    """The decision the screen (TicketService.check_in) and `kiosk ticket issue --appointment`
    share: a service id, or a refusal with the visitor's message and a line for staff."""
    assert service_for(FormatRule(PATTERN, "appointment"), "abcd 1234") == "appointment"
    with pytest.raises(CheckInRefused) as bad:
        service_for(FormatRule(PATTERN, "appointment"), "nope")
    assert bad.value.message == "appointment.bad_format"
    assert "tickets.appointments.pattern" in bad.value.detail and "nope" not in bad.value.detail
    with pytest.raises(CheckInRefused) as nowhere:
        service_for(FormatRule(PATTERN, ""), "ABCD1234")  # no appointment service configured
    assert nowhere.value.message == "appointment.no_service"
    e = endpoint(lambda b: (404, {}))
    with pytest.raises(CheckInRefused) as unknown:
        service_for(HttpCheck(e.url, FormatRule(PATTERN, "appointment"), timeout=2), "ABCD1234")
    assert unknown.value.message == "appointment.unknown"
    assert "ABCD" not in unknown.value.detail
