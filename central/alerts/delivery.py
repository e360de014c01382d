"""Sending one alert: a plain-text e-mail over SMTP (smtplib) and a JSON POST to a webhook
(requests), each on its own: a failing channel never stops the other. Both block, so they run
in the alert loop's thread, never on the event loop.

The webhook is tried `webhook_attempts` times; after a connection error, a timeout or a 5xx it
waits `webhook_backoff_s`, doubled for each next try. A 4xx is the receiver refusing the body:
not tried again. The outcome per channel ("sent", "sent after N tries", "failed: why", "off")
is what `delivery` records.
"""
from __future__ import annotations

import logging
import smtplib
import time
from email.message import EmailMessage

import requests

from central.alerts.rules import text
from central.settings import AlertSettings

log = logging.getLogger("central.alerts")
OFF = "off"


def document(row) -> dict:
    """The webhook's JSON (and the facts of the e-mail): no personal data, only the alert."""
    return {"id": row.id, "key": row.key, "rule": row.rule, "subject": row.subject,
            "opened_at": row.opened_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "detail": row.detail or {},
            "message": {"nl": text("nl", row.rule, row.subject, row.detail or {}),
                        "en": text("en", row.rule, row.subject, row.detail or {})}}


def email(cfg: AlertSettings, row) -> str:
    if not cfg.email_to:
        return OFF
    doc = document(row)
    msg = EmailMessage()
    msg["From"] = cfg.email_from
    msg["To"] = ", ".join(cfg.email_to)
    msg["Subject"] = f"[kiosk-central] {doc['message']['nl']}"[:200]
    msg.set_content(f"{doc['message']['nl']}\n\n{doc['message']['en']}\n\n"
                    f"alert {row.id} ({row.key}), {doc['opened_at']}\n")
    try:
        with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.smtp_timeout_s) as smtp:
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as e:
        log.warning("alert %s: e-mail failed: %s", row.id, e)
        return f"failed: {e}"[:300]
    return "sent"


def webhook(cfg: AlertSettings, row, sleep=time.sleep) -> str:
    if not cfg.webhook_url:
        return OFF
    doc, why = document(row), ""
    for attempt in range(1, cfg.webhook_attempts + 1):
        if attempt > 1:
            sleep(cfg.webhook_backoff_s * 2 ** (attempt - 2))
        try:
            r = requests.post(cfg.webhook_url, json=doc, timeout=cfg.webhook_timeout_s)
        except requests.RequestException as e:
            why = f"{type(e).__name__}"
            continue
        if r.status_code < 300:
            return "sent" if attempt == 1 else f"sent after {attempt} tries"
        why = f"HTTP {r.status_code}"
        if r.status_code < 500:
            break
    log.warning("alert %s: webhook failed: %s", row.id, why)
    return f"failed: {why} (tries: {attempt})"


def deliver(cfg: AlertSettings, row, sleep=time.sleep) -> dict:
    """Both channels, each whatever the other did."""
    return {"email": email(cfg, row), "webhook": webhook(cfg, row, sleep)}
