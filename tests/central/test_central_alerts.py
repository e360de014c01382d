"""Alerts (central/alerts/) against a real SMTP server (aiosmtpd) and a real webhook receiver
(http.server), both on loopback: fires once, clears, fires again; nothing outside opening hours;
each rule; one failing channel does not stop the other; acknowledge and comment with the audit
log. Checks run at explicit times (tests/alert_kit.py), never the machine's clock; storage on
SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from alert_kit import (SUNDAY_03, TUESDAY_10, SmtpSink, WebhookReceiver, add_answers, add_phone_answer,
                       add_ticket, heartbeat)
from central import audit
from central.alerts import engine as alerts
from central.alerts.engine import AlertLoop, check
from central.insight_tables import alerts as alerts_table
from central.settings import AlertSettings, CentralSettings, QueueSettings
from central_kit import login, wait_for

MIN = dt.timedelta(minutes=1)
NEGATIVES = [(1, ["waiting_time", "clarity"]), (2, ["waiting_time"]), (1, ["friendliness", "waiting_time"]),
             (2, ["clarity"]), (1, ["building"]), (5, []), (4, ["result"])]


@pytest.fixture
def smtp():
    with SmtpSink() as s:
        yield s


@pytest.fixture
def hook():
    with WebhookReceiver() as h:
        yield h


def config(smtp: SmtpSink | None, hook: WebhookReceiver | None, only: str | None = None, **kw) -> CentralSettings:
    """Alert settings that send to the test's servers; `only`: the one satisfaction rule to keep."""
    a = dict(email_to=["team@gemeente.example"] if smtp else [], smtp_host="127.0.0.1",
             smtp_port=smtp.port if smtp else 25, smtp_timeout_s=5, webhook_url=hook.url if hook else "",
             webhook_attempts=3, webhook_backoff_s=0, webhook_timeout_s=5, min_answers=5)
    if only == "negative_share":
        a.update(average_min=0, wait_max_min=0, device_offline=False, paper_out=False)
    a.update(kw)
    return CentralSettings(alerts=AlertSettings(**a), queue=QueueSettings(timezone="Europe/Amsterdam"))


def rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(alerts_table).order_by(alerts_table.c.id)).all()


def test_fires_once_clears_and_fires_again(engine, smtp, hook):
    cfg = config(smtp, hook, only="negative_share")
    hook.fail_first = 1  # the first POST gets a 500: delivered on the second try
    add_answers(engine, TUESDAY_10 - 20 * MIN, NEGATIVES)
    add_phone_answer(engine, TUESDAY_10 - 10 * MIN, 1, "negative", ["clarity", "waiting_time"])

    first = check(engine, cfg, TUESDAY_10)
    assert first.checked and len(first.opened) == 1 and first.cleared == []
    assert first.sent[first.opened[0]] == {"email": "sent", "webhook": "sent after 2 tries"}
    assert len(smtp.messages) == 1 and len(hook.received) == 1 and hook.attempts == 2
    mail = smtp.bodies()[0]
    # 6 of 8 negative (pillar and phone); top 3 reasons of the negatives with their counts
    assert "75% negatieve antwoorden" in mail and "75% negative answers" in mail
    assert "waiting_time (4), clarity (3), building (1)" in mail
    doc = hook.received[0]
    assert doc["key"] == "negative_share:all" and doc["detail"]["top_reasons"] == [
        ["waiting_time", 4], ["clarity", 3], ["building", 1]]
    assert "Meest genoemde redenen: waiting_time (4), clarity (3), building (1)" in doc["message"]["nl"]

    again = check(engine, cfg, TUESDAY_10 + 5 * MIN)  # still holds: nothing new, nothing sent
    assert again.opened == [] and again.cleared == [] and again.sent == {}
    assert len(smtp.messages) == 1 and len(hook.received) == 1

    later = TUESDAY_10 + 90 * MIN  # the answers left the 60-minute window: cleared
    cleared = check(engine, cfg, later)
    assert cleared.cleared == first.opened and cleared.sent == {}
    (row,) = rows(engine)
    assert row.cleared_at == later and row.delivery == {"email": "sent", "webhook": "sent after 2 tries"}

    add_answers(engine, later + 10 * MIN, NEGATIVES)
    second = check(engine, cfg, later + 15 * MIN)  # holds again: a new row, sent again
    assert len(second.opened) == 1 and second.opened != first.opened
    assert len(smtp.messages) == 2 and len(hook.received) == 2 and hook.received[1]["id"] == second.opened[0]
    assert [r.cleared_at is None for r in rows(engine)] == [False, True]


def test_nothing_outside_opening_hours(engine, smtp, hook):
    cfg = config(smtp, hook, only="negative_share")
    add_answers(engine, SUNDAY_03 - 20 * MIN, NEGATIVES)  # the same data, before a Sunday 03:00
    result = check(engine, cfg, SUNDAY_03)
    assert not result.checked and rows(engine) == [] and smtp.messages == [] and hook.attempts == 0
    # the same data before a Tuesday 10:00 does fire: it is the hours that kept it quiet
    add_answers(engine, TUESDAY_10 - 20 * MIN, NEGATIVES)
    assert len(check(engine, cfg, TUESDAY_10).opened) == 1 and len(smtp.messages) == 1


def test_an_alert_open_at_closing_time_stays_open_unsent_until_the_next_opening(engine, smtp, hook):
    cfg = config(smtp, hook, only="negative_share")
    close = dt.datetime(2026, 3, 3, 15, 55)  # Tuesday 16:55 local
    add_answers(engine, close - 10 * MIN, NEGATIVES)
    assert len(check(engine, cfg, close).opened) == 1
    evening = check(engine, cfg, close + 60 * MIN)  # 17:55: closed; the condition is gone but nothing changes
    assert not evening.checked and rows(engine)[0].cleared_at is None and len(smtp.messages) == 1
    morning = dt.datetime(2026, 3, 4, 7, 45)  # Wednesday 08:45 local
    assert check(engine, cfg, morning).cleared == [rows(engine)[0].id] and len(smtp.messages) == 1


def test_each_rule(engine, smtp, hook):
    cfg = config(smtp, hook, average_min=3.5, wait_max_min=30)
    now = TUESDAY_10
    add_answers(engine, now - 30 * MIN, [(3, ["result"])] * 4)  # neutral: average 3.0, no negatives
    add_phone_answer(engine, now - 20 * MIN, 3, "neutral", [])
    add_ticket(engine, "passport", now - 45 * MIN)  # waiting 45 minutes
    add_ticket(engine, "parking", now - 50 * MIN, now - 40 * MIN)  # waited 10 minutes
    add_ticket(engine, "waste", now - 70 * MIN, now - 20 * MIN)  # waited 50, called 20 minutes ago
    add_ticket(engine, "permits", now - 100 * MIN, now - 40 * MIN)  # waited 60, called 40 minutes ago
    add_ticket(engine, "passport", now - 24 * 60 * MIN)  # yesterday's: not today's queue
    add_ticket(engine, "permits", now - 120 * MIN, now - 45 * MIN, state="waiting")  # put back after its call
    heartbeat(engine, "pillar-a", now - 30 * MIN)  # stale (15 minutes)
    heartbeat(engine, "tickets-b", now - MIN, printer_state="paper_out")
    heartbeat(engine, "display-c", now - 2 * MIN)
    heartbeat(engine, "old-d", now - 600 * MIN)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE devices SET revoked_at = :t WHERE id = 'old-d'"), {"t": now})
    result = check(engine, cfg, now)
    assert sorted(r.key for r in rows(engine)) == ["average_low:all", "device_offline:pillar-a",
                                                  "paper_out:tickets-b", "wait:passport", "wait:waste"]
    assert len(result.opened) == 5 and len(smtp.messages) == 5 and len(hook.received) == 5
    mails = "\n".join(smtp.bodies())
    for text in ("Gemiddelde tevredenheid 3.00 in de laatste 120 minuten (5 antwoorden; grens 3.5)",
                 "Wachttijd bij passport: 45 minuten (grens 30 minuten)", "Wachttijd bij waste: 50 minuten",
                 "Apparaat pillar-a is offline: 30 minuten", "Printer van tickets-b: papier op",
                 "Waiting time at passport: 45 minutes", "Printer of tickets-b: out of paper"):
        assert text in mails
    heartbeat(engine, "pillar-a", now + 4 * MIN)
    heartbeat(engine, "tickets-b", now + 4 * MIN)
    assert len(check(engine, cfg, now + 5 * MIN).cleared) == 2  # device back, paper in
    assert {r.key for r in rows(engine) if r.cleared_at is None} == {"average_low:all", "wait:passport", "wait:waste"}


def test_one_failing_channel_does_not_stop_the_other(engine, hook):
    from central_kit import free_port
    cfg = config(None, hook, only="negative_share", email_to=["team@gemeente.example"], smtp_port=free_port())
    hook.fail_all = True
    add_answers(engine, TUESDAY_10 - 20 * MIN, NEGATIVES)
    (outcome,) = check(engine, cfg, TUESDAY_10).sent.values()
    assert outcome["email"].startswith("failed: ") and outcome["webhook"] == "failed: HTTP 500 (tries: 3)"
    assert hook.attempts == 3
    assert rows(engine)[0].delivery == outcome
    with SmtpSink() as smtp:  # the mail server is up: the next firing is mailed, the webhook tried again
        hook.fail_all = False
        cfg.alerts.smtp_port = smtp.port
        add_answers(engine, TUESDAY_10 + 100 * MIN, NEGATIVES)
        check(engine, cfg, TUESDAY_10 + 90 * MIN)  # clears
        assert check(engine, cfg, TUESDAY_10 + 101 * MIN).sent.popitem()[1] == {"email": "sent", "webhook": "sent"}
        assert len(smtp.messages) == 1


def test_the_loop_checks_with_its_clock_until_stopped(engine, hook):
    cfg = config(None, hook, only="negative_share")
    cfg.alerts.interval_s = 0.05
    add_answers(engine, TUESDAY_10 - 20 * MIN, NEGATIVES)
    loop = AlertLoop(engine, cfg, clock=lambda: TUESDAY_10).start()
    try:
        wait_for(lambda: loop.checks >= 3, 10, "three checks")
    finally:
        loop.stop()
    assert len(hook.received) == 1 and len(rows(engine)) == 1  # three checks, one firing
    n = loop.checks
    assert not loop._thread.is_alive() and loop.checks == n


def test_analysts_acknowledge_and_comment_and_the_audit_log_has_it(client, engine, staff_users):
    check(engine, config(None, None, only="negative_share"), TUESDAY_10)  # nothing yet
    add_answers(engine, TUESDAY_10 - 20 * MIN, NEGATIVES)
    (alert_id,) = check(engine, config(None, None, only="negative_share"), TUESDAY_10).opened
    login(client, *staff_users["desk"])
    assert client.get("/api/v1/alerts").status_code == 403
    login(client, *staff_users["analyst"])
    doc = client.get("/api/v1/alerts").json()["alerts"]
    assert [a["id"] for a in doc] == [alert_id] and doc[0]["open"] and doc[0]["delivery"] == {
        "email": "off", "webhook": "off"}
    r = client.post(f"/api/v1/alerts/{alert_id}/acknowledge")
    assert r.status_code == 200 and r.json()["acknowledged_by"] == "anna"
    r = client.post(f"/api/v1/alerts/{alert_id}/comment", json={"comment": "  Extra balie open  "})
    assert r.status_code == 200 and r.json()["comment"] == "Extra balie open" and r.json()["comment_by"] == "anna"
    # bad input: clear 4xx, nothing stored
    assert client.post("/api/v1/alerts/999/acknowledge").json()["detail"] == "no alert with id 999"
    assert client.post("/api/v1/alerts/999/comment", json={"comment": "x"}).status_code == 404
    r = client.post(f"/api/v1/alerts/{alert_id}/comment", json={"comment": "   "})
    assert r.status_code == 422 and "comment must not be empty" in r.json()["detail"]
    r = client.post(f"/api/v1/alerts/{alert_id}/comment", json={"comment": "x" * 1001})
    assert r.status_code == 422 and "at most 1000 characters" in r.json()["detail"]
    r = client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "not from this service" in r.json()["detail"]
    # the dashboard's forms: a redirect back, or back with the error shown
    r = client.post(f"/dashboard/alerts/{alert_id}/comment", data={"comment": ""}, follow_redirects=False)
    assert r.status_code == 303 and "alert_error" in r.headers["location"]
    page = client.get(r.headers["location"].split("#")[0]).text
    assert "De opmerking is niet opgeslagen: schrijf 1 tot 1000 tekens." in page and 'id="alert-error"' in page
    assert client.post("/dashboard/alerts/999/acknowledge", follow_redirects=False).status_code == 404
    r = client.post(f"/dashboard/alerts/{alert_id}/acknowledge", headers={"Sec-Fetch-Site": "cross-site"},
                    follow_redirects=False)
    assert r.status_code == 403
    r = client.post(f"/dashboard/alerts/{alert_id}/acknowledge", follow_redirects=False,
                    headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})  # Chromium's form post here
    assert r.status_code == 303 and r.headers["location"] == f"/dashboard#alert-{alert_id}"
    logged = [(r.actor, r.action, r.detail) for r in audit.rows(engine) if r.action.startswith("alert.")]
    assert logged == [("anna", "alert.acknowledge", {"alert": alert_id}),
                      ("anna", "alert.comment", {"alert": alert_id, "comment": "Extra balie open"}),
                      ("anna", "alert.acknowledge", {"alert": alert_id})]
    assert {"alert.acknowledge", "alert.comment"} <= set(audit.ACTIONS)
    assert alerts.is_open_at(config(None, None), TUESDAY_10) and not alerts.is_open_at(config(None, None), SUNDAY_03)
