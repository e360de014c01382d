"""Live estimated waits on the ticket kiosk: central's est_wait_min when the last answer is
fresh, the configured estimate when it is stale or central cannot be reached; the
`ticket.issued` event says which; issuing never waits for the network."""
import threading

from display_kit import build_config, sync_table

from kiosk.hall.live_wait import LiveWaits
from kiosk.tickets.issue import TicketIssuer


def issued(store):
    return store.outbox_events("ticket.issued")[-1].payload


def setup(store, clock, server, **tickets):
    cfg = build_config(sync=sync_table(server), tickets=tickets)
    waits = LiveWaits(cfg.sync, cfg.tickets, clock=clock.monotonic)
    return cfg, waits, TicketIssuer(store, cfg, live_waits=waits, clock=clock)


def test_defaults():
    t = build_config().tickets
    assert (t.live_wait_interval_s, t.live_wait_max_age_s) == (30, 120)


def test_fresh_live_wait_is_used_and_recorded(store, clock, queue_server):
    cfg, waits, issuer = setup(store, clock, queue_server)
    assert waits.refresh()
    res = issuer.issue("passport", "nl")
    assert res.wait == (10, 20) and res.wait_source == "live"
    ev = issued(store)
    assert ev["estimated_wait_min"] == [10, 20] and ev["wait_source"] == "live"
    assert ev["people_ahead"] == 0       # the local count is still recorded
    assert "Wachttijd: 10 tot 20 minuten" in res.content.texts()  # printed and on screen


def test_stale_live_wait_falls_back_to_configured(store, clock, queue_server):
    cfg, waits, issuer = setup(store, clock, queue_server, live_wait_max_age_s=120)
    assert waits.refresh()
    clock.advance(119)
    assert waits.current("passport") == (10, 20)
    clock.advance(2)                                   # 121 s old now
    assert waits.current("passport") is None
    res = issuer.issue("passport", "nl")
    assert res.wait_source == "configured" and res.wait == (0, 0)   # nobody ahead locally
    ev = issued(store)
    assert ev["wait_source"] == "configured" and ev["estimated_wait_min"] == [0, 0]


def test_unreachable_central_uses_configured(store, clock, queue_server):
    queue_server.stop()
    cfg, waits, issuer = setup(store, clock, queue_server)
    assert not waits.refresh()
    assert "cannot reach" in waits.message
    issuer.issue("passport", "nl")
    res = issuer.issue("moving", "nl")
    assert res.wait_source == "configured"
    assert issued(store)["wait_source"] == "configured"


def test_service_central_does_not_know_uses_configured(store, clock, queue_server):
    del queue_server.services["moving"]
    cfg, waits, issuer = setup(store, clock, queue_server)
    assert waits.refresh()
    assert issuer.issue("moving", "nl").wait_source == "configured"
    assert issuer.issue("passport", "nl").wait_source == "live"


def test_a_failed_read_keeps_the_last_good_answer_until_it_is_too_old(store, clock, queue_server):
    cfg, waits, issuer = setup(store, clock, queue_server)
    assert waits.refresh()
    queue_server.status = 500
    clock.advance(60)
    assert not waits.refresh()
    assert issuer.issue("passport", "nl").wait_source == "live"


def test_issuing_never_waits_for_a_hanging_central(store, clock, queue_server):
    """The reader is stuck in a request the server holds; a ticket is still issued (the
    issuer only looks at what the reader stored)."""
    cfg, waits, issuer = setup(store, clock, queue_server)
    queue_server.hold.clear()
    reader = threading.Thread(target=waits.refresh, daemon=True)
    reader.start()
    try:
        res = issuer.issue("passport", "nl")
        assert reader.is_alive()                    # the request is still hanging
        assert res.ticket.label == "A001" and res.wait_source == "configured"
    finally:
        queue_server.hold.set()
        reader.join(10)


def test_the_reader_thread_fills_in_live_waits(store, clock, queue_server):
    cfg = build_config(sync=sync_table(queue_server), tickets={"live_wait_interval_s": 2})
    waits = LiveWaits(cfg.sync, cfg.tickets, clock=clock.monotonic)
    seen = threading.Event()
    orig = waits.refresh

    def refresh():
        ok = orig()
        if ok:
            seen.set()
        return ok
    waits.refresh = refresh
    waits.start()
    try:
        assert seen.wait(15)
    finally:
        waits.stop()
    assert waits.current("passport") == (10, 20)
