"""The [sync] config section: where and how the outbox is sent to the central service.

kiosk.config.model imports this module, so import `kiosk.config` (or `kiosk.sync.worker`) before
importing this one directly; importing it first would close an import cycle."""
from __future__ import annotations


from common.schema import section, setting


def _url(v: str) -> str | None:
    if v and not (v.startswith("https://") or v.startswith("http://")) or " " in v:
        return f"{v!r} is not an http(s) URL like https://central.example.org"
    return None


@section
class SyncSection:
    url: str = setting("", "Base URL of the central service, e.g. https://kiosk-central.example.org "
                           "(events go to <url>/api/v1/events). Empty: events stay in the outbox.",
                       check=_url)
    public_url: str = setting("", "The central service's address as visitors' phones reach it, when it "
                                  "differs from url (e.g. url is an internal address): the ticket's "
                                  "QR code opens <public_url>/t/<token>. Empty: url.", check=_url)
    token: str = setting("", "This device's token, printed once by `kiosk-central device add`.")
    token_file: str = setting("", "Or: a file holding the token (read at start), e.g. a systemd "
                                  "credential. Used when token is empty.")
    verify_tls: bool = setting(True, "Check the server's TLS certificate. Turn off only for tests.")
    ca_file: str = setting("", "Extra CA bundle (PEM) for a server with a private certificate.")
    queue_stream: bool = setting(True, "Hall display and live waits read the central queue as a live "
                                       "stream (GET /api/v1/queue/stream), polling only while it is "
                                       "unavailable. False: poll only.")
    batch_size: int = setting(500, "Most events per request.", min=1, max=500)
    interval_s: float = setting(30.0, "Seconds between looks at the outbox when all was sent.",
                                min=0.05, max=3600)
    gather_s: float = setting(0.2, "After an event is written, wait this long for more before "
                                   "sending them together (0: send at once). Events are sent as "
                                   "they happen; interval_s is the fallback look.", min=0, max=60)
    jitter_s: float = setting(10.0, "Random extra seconds (0..this) before each scheduled send, so "
                                    "a fleet does not send in the same second.", min=0, max=600)
    connect_timeout_s: float = setting(5.0, "Seconds to wait for a connection.", min=0.1, max=120)
    read_timeout_s: float = setting(30.0, "Seconds to wait for the answer.", min=0.1, max=600)
    backoff_base_s: float = setting(2.0, "First retry delay after a failure; doubles each time "
                                         "(full jitter: a random delay up to it).", min=0.01, max=600)
    backoff_cap_s: float = setting(300.0, "Longest retry delay (also caps Retry-After).",
                                   min=0.05, max=86400)
    heartbeat_interval_s: float = setting(300.0, "Seconds between heartbeat events; 0 for none.",
                                          min=0, max=86400)
    keep_sent_days: float = setting(7.0, "Sent events are deleted from the device after this many "
                                         "days.", min=0, max=3650)
    max_unsent_events: int = setting(200000, "Most unsent events kept; above it the oldest are "
                                             "dropped and the drop is reported.", min=100, max=10000000)
    max_unsent_age_days: float = setting(90.0, "Unsent events older than this are dropped (and "
                                               "reported).", min=1, max=3650)
    warn_fraction: float = setting(0.5, "Warn (log, heartbeat, staff screen) when the outbox passes "
                                        "this share of either limit.", min=0.05, max=0.99)
