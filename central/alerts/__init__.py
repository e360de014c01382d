"""Alerts (issue #17, docs/insight.md "Alerts"): rules over the stored data, checked within
opening hours; each fires once until it clears and is delivered by e-mail and webhook.

    rules.py     the conditions that hold at a time (negative share, low average, long real
                 wait, device offline, paper out) and their texts in the staff languages
    state.py     fire once / clear: the `alerts` table; acknowledge and comment
    delivery.py  plain-text e-mail over SMTP and a JSON POST to a webhook (retried)
    engine.py    one check at an explicit time (`check(engine, settings, now)`) and the
                 background loop that runs it every `interval_s` off the event loop
    web.py       GET /api/v1/alerts, acknowledge and comment (JSON and the dashboard's forms)
"""
