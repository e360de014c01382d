"""Settings of the central service: defaults -> optional TOML file ([central] table) ->
environment (KIOSK_CENTRAL_<KEY>, e.g. KIOSK_CENTRAL_DB) -> command-line flags.

Uses the project's typed-schema engine, so a bad file gets one clear line per problem.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path

from common.passwords import hash_problem
from common.schema import Problem, build, setting

ENV_PREFIX = "KIOSK_CENTRAL_"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_PREFIX + "DATA_DIR") or os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    return Path(env) if env else Path.home() / ".local" / "share" / "kiosk-central"


def _db_url(v: str) -> str | None:
    if v and not (v.startswith("sqlite") or v.startswith("postgresql")):
        return f"{v!r} is not a database URL (sqlite:///FILE or postgresql://user@host/db)"
    return None


def _zone(v: str) -> str | None:
    import zoneinfo
    try:
        zoneinfo.ZoneInfo(v)
    except Exception:  # noqa: BLE001 - ValueError, ZoneInfoNotFoundError, bad paths
        return f"{v!r} is not a known time zone (for example Europe/Amsterdam)"
    return None


def _url(v: str) -> str | None:
    if v and not (v.startswith("http://") or v.startswith("https://")):
        return f"{v!r} is not an http:// or https:// address"
    return None


def _pw_hash(v: str) -> str | None:
    why = hash_problem(v) if v else None
    if why:
        return f"expected a hash made by `kiosk-central admin hash-password`, not a plain password ({why})"
    return None


@dataclass
class QueueSettings:
    """[central.queue]: calling tickets (see docs/calling.md)."""
    timezone: str = setting("Europe/Amsterdam", "Time zone of the site; the queue offers only tickets "
                                                "issued on today's local day.", check=_zone)
    walk_in_max_wait_min: float = setting(20.0, "Appointments go ahead of walk-ins, unless the longest-"
                                                "waiting walk-in has waited longer than this (minutes).",
                                          min=0, max=1440)
    default_service_min: float = setting(10.0, "Minutes one visitor takes at a desk, used for the "
                                               "estimated wait when no ticket was served in the last 2 hours.",
                                         min=0.5, max=480)
    priority: dict[str, float] = setting({}, "Weight per service id for \"call next\" (default 1): the "
                                             "effective wait is the minutes waited times the weight "
                                             "(docs/calling.md).", check=lambda v: _weights(v))
    priority_weight: float = setting(2.0, "Weight a ticket gets when staff mark it as priority on the "
                                          "desk page (times its service's weight).", min=1, max=100)
    max_passed: int = setting(3, "A waiting ticket is never passed by more than this many later-issued "
                                 "tickets by \"call next\"; then it goes first.", min=0, max=1000)
    service_names: dict[str, str] = setting({}, "Name per service id, shown on the mobile ticket page "
                                                "after a transfer to that service (else the id).")


def _weights(v: dict) -> str | None:
    bad = [k for k, w in v.items() if not 0.1 <= w <= 100]
    return f"weights must be between 0.1 and 100 ({', '.join(bad)})" if bad else None


@dataclass
class LiveSettings:
    """[central.live]: the queue pushed as server-sent events (see docs/calling.md)."""
    heartbeat_s: float = setting(3.0, "Seconds between keep-alive comments on a quiet stream (clients "
                                      "take about three missed ones as a broken stream).", min=0.5, max=60)
    refresh_s: float = setting(30.0, "A stream sends the state at least this often, even unchanged "
                                     "(estimated waits move with time), and checks the token or login again.",
                               min=1, max=3600)
    max_streams: int = setting(200, "Most open streams per server process; above it 503 (clients poll).",
                               min=0, max=100000)
    send_timeout_s: float = setting(10.0, "A client that takes longer than this to accept an event is "
                                          "dropped.", min=0.5, max=600)
    retry_ms: int = setting(2000, "The reconnect delay a browser's EventSource is told (SSE `retry:`).",
                            min=100, max=600000)


@dataclass
class PublicSettings:
    """[central.public]: the mobile ticket page /t/<token> and GET /api/v1/tickets/<token>
    (see docs/mobile-ticket.md); public, so each client address is rate limited."""
    rate_burst: int = setting(30, "Requests a client address may make at once to the mobile ticket "
                                  "page and its JSON (a token bucket of this size).", min=1, max=100000)
    rate_per_s: float = setting(3.0, "Requests per second the bucket refills (30 per 10 s by default); "
                                     "over it: 429 with Retry-After.", min=0.001, max=100000)
    rate_clients: int = setting(10000, "Most client addresses remembered per server process; the one "
                                       "seen longest ago is forgotten first.", min=10, max=10000000)
    poll_s: float = setting(5.0, "Seconds between the mobile page's own updates (JavaScript).",
                            min=1, max=600)


def _scale(v: int) -> str | None:
    return None if v in (3, 4, 5) else f"the pillar's scale is 3, 4 or 5 smileys, not {v}"


@dataclass
class ReasonLists:
    """[central.feedback.reasons]: the reasons offered after each kind of answer; keep them the
    same as the pillars' `[feedback.reasons]` so that phone and pillar answers compare."""
    positive: list[str] = setting(["friendliness", "clarity", "result", "waiting_time"],
                                  "Reasons offered after a positive answer.")
    neutral: list[str] = setting(["waiting_time", "friendliness", "clarity", "result", "opening_hours"],
                                 "Reasons offered after a neutral answer.")
    negative: list[str] = setting(["waiting_time", "friendliness", "clarity", "result", "opening_hours",
                                           "building"], "Reasons offered after a negative answer.")


@dataclass
class FeedbackSettings:
    """[central.feedback]: the question on the mobile ticket page after service (docs/insight.md);
    the same question, scale and reasons as the feedback pillar."""
    scale: int = setting(5, "Number of smileys (3, 4 or 5), as the pillars' feedback.scale.", check=_scale)
    reasons: ReasonLists = setting(ReasonLists, "Reason lists per kind of answer (as the pillars').")
    reason_labels: dict[str, dict[str, str]] = setting({}, "Words for reasons the catalogs do not know: "
                                                             "reason id -> language -> text.")
    min_answers: int = setting(5, "Satisfaction against the real wait: a cell (wait band, service) with "
                                  "fewer phone answers than this shows its count only, not its average "
                                  "or positive share, so no one visitor's answer can be read off.",
                               min=1, max=100000)


def _hours(v: str) -> str | None:
    from central.hours import parse_hours
    try:
        parse_hours(v)
    except ValueError as e:
        return str(e)
    return None


@dataclass
class AlertSettings:
    """[central.alerts]: rules checked every `interval_s` within opening hours; each fires once
    until it clears, by e-mail and webhook (docs/insight.md)."""
    enabled: bool = setting(True, "Check the rules in the background while the service runs.")
    interval_s: float = setting(60.0, "Seconds between checks.", min=1, max=86400)
    hours: str = setting("mon-fri 08:30-17:00", "Opening hours: rules are checked (and alerts sent) only "
                                                "then; e.g. \"mon-fri 08:30-17:00; sat 09:00-12:00\"; "
                                                "empty: always.", check=_hours)
    negative_share_max: float = setting(0.4, "Alert when the share of negative answers (pillar and phone) "
                                             "in the window is above this (0..1).", min=0, max=1)
    negative_window_min: float = setting(60.0, "The window of the negative share (minutes).", min=1, max=10080)
    average_min: float = setting(3.0, "Alert when the average satisfaction (1..5) over its window is below "
                                      "this; 0: off.", min=0, max=5)
    average_window_min: float = setting(120.0, "The window of the average (minutes).", min=1, max=10080)
    min_answers: int = setting(5, "Fewer answers than this in a window: no satisfaction alert.", min=1,
                               max=100000)
    wait_max_min: float = setting(30.0, "Alert when a service's real wait (waiting now, or called within "
                                        "the last 30 minutes) is above this; 0: off.", min=0, max=1440)
    device_offline: bool = setting(True, "Alert when a device sent no heartbeat for stale_after_min.")
    paper_out: bool = setting(True, "Alert when a device's printer reports paper_out.")
    email_to: list[str] = setting([], "Addresses alerts are mailed to; empty: no e-mail.")
    email_from: str = setting("kiosk-central@localhost", "The sender of alert e-mails.")
    smtp_host: str = setting("localhost", "SMTP server for alert e-mails.")
    smtp_port: int = setting(25, "Its port.", min=1, max=65535)
    smtp_timeout_s: float = setting(10.0, "Seconds to wait on the SMTP server.", min=0.1, max=600)
    webhook_url: str = setting("", "An address alerts are POSTed to as JSON; empty: none.", check=_url)
    webhook_attempts: int = setting(4, "Tries of one webhook delivery.", min=1, max=20)
    webhook_backoff_s: float = setting(1.0, "Wait before the second try, doubled for each next one.",
                                       min=0, max=600)
    webhook_timeout_s: float = setting(10.0, "Seconds to wait on the webhook receiver.", min=0.1, max=600)


@dataclass
class HelpSettings:
    """[central.help]: help calls from the kiosks and the hosts' page /host (see docs/help.md)."""
    missed_after_min: float = setting(10.0, "A help call that reaches central this long after it was "
                                            "made is stored as missed (nobody can come for it any more).",
                                      min=0.5, max=1440)
    prominent_after_s: float = setting(60.0, "On /host and the desk page, a call waiting longer than this "
                                             "is shown more prominently (seconds).", min=0, max=86400)


@dataclass
class CentralSettings:
    db: str = setting("", "Database URL. Empty: a SQLite file central.sqlite3 in the data dir. "
                          "PostgreSQL: postgresql://user:password@host/dbname.", check=_db_url)
    host: str = setting("127.0.0.1", "Address to listen on.")
    port: int = setting(8080, "TCP port to listen on.", min=1, max=65535)
    workers: int = setting(1, "Worker processes (PostgreSQL only; SQLite uses one).", min=1, max=64)
    timezone: str = setting("Europe/Amsterdam", "Time zone that defines a 'day' in stats.")
    admin_user: str = setting("admin", "Older installs: the name of the one dashboard login. Staff now "
                                       "have personal accounts (`kiosk-central user add`).")
    admin_password_hash: str = setting("", "Older installs: hash of the one dashboard password. When set "
                                           "and there is no user `admin`, one is made with this hash at "
                                           "start (role admin).", check=_pw_hash)
    session_secret: str = setting("", "No longer used: sessions are kept in the database.")
    session_hours: float = setting(12.0, "A login ends this long after it began, however active "
                                         "(hours).", min=0.1, max=720)
    session_idle_min: float = setting(30.0, "A login ends after this long without a request (minutes).",
                                      min=1, max=1440)
    public_url: str = setting("", "The address staff open, e.g. https://kiosk.example.nl. When it "
                                  "starts with https://, login cookies are marked Secure.", check=_url)
    audit_days: int = setting(365, "Days the audit log is kept; older rows are removed at start and "
                                   "daily.", min=1, max=36500)
    max_body_bytes: int = setting(8 * 1024 * 1024, "Largest request body accepted (413 above).",
                                  min=1024, max=256 * 1024 * 1024)
    max_batch: int = setting(500, "Most events in one POST /api/v1/events (413 above).",
                             min=1, max=10000)
    max_payload_bytes: int = setting(16384, "Largest payload of one event as JSON (rejected above).",
                                     min=256, max=1024 * 1024)
    body_timeout_s: float = setting(10.0, "Seconds a request body may take to arrive, counted from the "
                                          "request's start (408 after it).", min=0.5, max=600)
    device_events_per_min: int = setting(12000, "Events one device token may post per minute, per server "
                                                "process (a bucket of one minute's worth; 429 with "
                                                "Retry-After above it).", min=1, max=100_000_000)
    stale_after_min: float = setting(15.0, "A device with no heartbeat for this long is shown as "
                                           "stale on the dashboard.", min=1, max=10080)
    queue: QueueSettings = setting(QueueSettings, "Calling tickets: the queue, the desk page and "
                                                  "GET /api/v1/queue.")
    live: LiveSettings = setting(LiveSettings, "The queue pushed to desks, displays and kiosks as "
                                                "server-sent events.")
    help: HelpSettings = setting(HelpSettings, "Help calls from the kiosks (\"Hulp nodig?\") and the "
                                               "hosts' page /host.")
    public: PublicSettings = setting(PublicSettings, "The public mobile ticket page (the ticket's QR "
                                                     "code) and its JSON: rate limit and updates.")
    feedback: FeedbackSettings = setting(FeedbackSettings, "The satisfaction question on the mobile ticket "
                                                           "page after service.")
    alerts: AlertSettings = setting(AlertSettings, "Alerts on satisfaction, waits and devices.")

    def db_url(self) -> str:
        if self.db:
            return self.db
        d = default_data_dir()
        d.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{d / 'central.sqlite3'}"


class SettingsError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


def _from_env(cls=CentralSettings, prefix: str = ENV_PREFIX) -> dict:
    """KIOSK_CENTRAL_<KEY>; keys of a table as KIOSK_CENTRAL_<TABLE>_<KEY> (QUEUE_TIMEZONE)."""
    hints = typing.get_type_hints(cls)
    out: dict = {}
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            sub = _from_env(tp, prefix + f.name.upper() + "_")
            if sub:
                out[f.name] = sub
            continue
        raw = os.environ.get(prefix + f.name.upper())
        if raw is None:
            continue
        try:
            out[f.name] = tp(raw) if tp in (int, float) else raw
        except ValueError:
            out[f.name] = raw  # the schema engine names the problem
    return out


def _merge(base: dict, top: dict) -> None:
    """Layer `top` over `base`; tables are merged key by key."""
    for k, v in top.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            base[k] = {**base[k]}
            _merge(base[k], v)
        else:
            base[k] = v


def load(path: str | None = None, overrides: dict | None = None) -> CentralSettings:
    """Build the settings; raises SettingsError naming every problem."""
    data: dict = {}
    problems: list[Problem] = []
    src = path or os.environ.get(ENV_PREFIX + "CONFIG")
    if src:
        try:
            doc = tomllib.loads(Path(src).read_text(encoding="utf-8"))
            data.update(doc.get("central", {}) if isinstance(doc.get("central", {}), dict) else {})
            if not isinstance(doc.get("central", {}), dict):
                problems.append(Problem("central", "expected a table", src))
        except FileNotFoundError:
            problems.append(Problem("", "file not found", src))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            problems.append(Problem("", f"cannot read settings: {e}", src))
    _merge(data, _from_env())
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    cfg, probs = build(CentralSettings, data, "central")
    problems.extend(probs)
    if problems or cfg is None:
        raise SettingsError(problems)
    return cfg
