"""Queue numbers: per service, per local day, never given twice.

A number is taken inside `BEGIN IMMEDIATE` (Store.transaction) together with its
`ticket.issued` outbox event, so two processes can never hand out the same number and
a crash never loses one. The "day" is the site's local date (zoneinfo, so the short and
long daylight-saving days are just dates); it rolls over lazily on the first ticket of a
new date. History is kept: nothing here deletes tickets.

Print states (PrintState, moved only through PRINT_TRANSITIONS): pending -> printed |
not_printed; not_printed -> printed (a staff reprint worked); printed -> printed (printed
again). A ticket left pending by a process that died (power cut, SIGKILL) is marked
not_printed by `recover_interrupted()` at start-up. A failed reprint changes no state.
"""
from __future__ import annotations

import datetime as dt
import enum
import math
import os
import secrets
import sqlite3
import zoneinfo
from dataclasses import dataclass

from common.states import move
from kiosk.clock import utc_rfc3339
from kiosk.tickets.schema import MIGRATIONS  # noqa: F401 - registers the tickets table


class PrintState(str, enum.Enum):
    PENDING = "pending"
    PRINTED = "printed"
    NOT_PRINTED = "not_printed"


TOKEN_BYTES = 12   # 96 random bits: the ticket's token, the key of its mobile page


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)

PRINT_TRANSITIONS = {
    PrintState.PENDING: frozenset({PrintState.PRINTED, PrintState.NOT_PRINTED}),
    PrintState.NOT_PRINTED: frozenset({PrintState.PRINTED}),
    PrintState.PRINTED: frozenset({PrintState.PRINTED}),
}


def _move_print_state(c, ticket_id: int, new: PrintState) -> PrintState:
    """The ticket's print state moved to `new` (checked against PRINT_TRANSITIONS inside the
    caller's transaction; IllegalTransition rolls it back)."""
    row = c.execute("SELECT print_state FROM tickets WHERE id=?", (ticket_id,)).fetchone()
    if row is None:
        raise KeyError(f"no ticket with id {ticket_id}")
    return move(PRINT_TRANSITIONS, PrintState(row["print_state"]), new, f"ticket {ticket_id}")


@dataclass(frozen=True)
class Ticket:
    id: int
    token: str
    service_id: str
    day: str
    number: int
    label: str
    lang: str
    issued_at: str
    appointment: bool
    print_state: PrintState
    print_error: str | None = None

    @classmethod
    def from_row(cls, r: sqlite3.Row) -> "Ticket":
        return cls(r["id"], r["token"], r["service_id"], r["day"], r["number"], r["label"], r["lang"],
                   r["issued_at"], bool(r["appointment"]), PrintState(r["print_state"]),
                   r["print_error"])


# The day's current series (0 until staff restart the numbers) and the highest number of the
# service in it: one statement, so issue() and next_number() read one consistent snapshot.
_NEXT_SQL = ("SELECT cur.series AS series, (SELECT MAX(number) FROM tickets WHERE service_id=:service "
             "AND day=:day AND series=cur.series) AS n FROM (SELECT COALESCE((SELECT series FROM "
             "number_series WHERE day=:day), 0) AS series) AS cur")


# Earlier tickets of the service in the series that may still be waiting (issued within
# assume_served_after_min of now).
_AHEAD_SQL = ("SELECT COUNT(*) AS n FROM tickets WHERE service_id=? AND day=? AND series=? "
              "AND number<? AND issued_at>=?")


def _ahead_args(service_id: str, day: str, series: int, number: int, now: dt.datetime,
                assume_served_after_min: int) -> tuple:
    return (service_id, day, series, number,
            utc_rfc3339(now - dt.timedelta(minutes=assume_served_after_min)))


def _series(c, day: str) -> int:
    row = c.execute("SELECT series FROM number_series WHERE day=?", (day,)).fetchone()
    return row["series"] if row else 0


def local_day(when: dt.datetime, tz: str) -> str:
    """The site's local date for an aware datetime, as YYYY-MM-DD."""
    if when.tzinfo is None:
        raise ValueError("local_day needs an aware datetime")
    return when.astimezone(zoneinfo.ZoneInfo(tz)).date().isoformat()


def format_label(prefix: str, number: int, fmt: str = "padded", width: int = 3) -> str:
    """A001 (padded) or A1 (plain); numbers wider than `width` simply grow."""
    if fmt == "plain":
        return f"{prefix}{number}"
    return f"{prefix}{number:0{width}d}"


def owner_tag(boot: str, pid: int | None = None) -> str:
    return f"{boot}:{pid if pid is not None else os.getpid()}"


def _owner_alive(owner: str, boot: str) -> bool:
    b, _, pid = owner.rpartition(":")
    if b != boot or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class TicketBook:
    """The ticket table of one Store. All writes go through Store.transaction().
    "Today" and issue times come from `clock` (the store's clock when not given)."""

    def __init__(self, store, tz: str = "Europe/Amsterdam", number_format: str = "padded",
                 number_width: int = 3, first_number: int = 1, clock=None):
        self.store = store
        self.tz = tz
        self.number_format = number_format
        self.number_width = number_width
        self.first_number = first_number
        self.clock = clock if clock is not None else store.clock

    @classmethod
    def from_config(cls, store, cfg, clock=None) -> "TicketBook":
        t = cfg.tickets
        return cls(store, cfg.device.timezone, t.number_format, t.number_width, t.first_number,
                   clock=clock)

    def today(self) -> str:
        return local_day(self.clock.wall(), self.tz)

    def _numbering(self, row) -> tuple[int, int]:
        n = row["n"]
        return row["series"], self.first_number if n is None else max(self.first_number, n + 1)

    def next_number(self, service_id: str) -> int:
        """The number the next ticket of the service would get now (nothing is taken): in
        today's current series, so it restarts when staff restart the numbers."""
        return self._next(service_id, self.today())[1]

    def _next(self, service_id: str, day: str) -> tuple[int, int]:
        """(series, number) of the service's next ticket on `day`, read outside a transaction."""
        return self._numbering(self.store.query(_NEXT_SQL, {"service": service_id, "day": day})[0])

    def foresee(self, service_id: str, prefix: str,
                assume_served_after_min: int = 120) -> tuple[str, int]:
        """(label, people ahead) the next ticket of the service would get now, read as
        `issue` would count them; nothing is taken (the ticket screen shows them ahead)."""
        now = self.clock.wall()
        day = local_day(now, self.tz)
        series, number = self._next(service_id, day)
        ahead = self.store.query(_AHEAD_SQL, _ahead_args(service_id, day, series, number, now,
                                                         assume_served_after_min))[0]["n"]
        return format_label(prefix, number, self.number_format, self.number_width), ahead

    def issue(self, service_id: str, prefix: str, lang: str, appointment: bool = False,
              extra_payload: dict | None = None, estimate=None,
              assume_served_after_min: int = 120, token: str | None = None) -> Ticket:
        """Take the next number for the service today and record `ticket.issued`.

        `estimate(people_ahead) -> (low, high)` minutes, when given, puts `people_ahead` and
        `estimated_wait_min` in the event (counted in the same transaction). `token`: one drawn
        ahead by `new_token()` (its QR made before the tap), else a new one.
        """
        now = self.clock.wall()
        day = local_day(now, self.tz)
        issued_at = utc_rfc3339(now)
        token = token or new_token()
        owner = owner_tag(self.store.boot_id)
        with self.store.transaction() as c:
            series, number = self._numbering(
                c.execute(_NEXT_SQL, {"service": service_id, "day": day}).fetchone())
            label = format_label(prefix, number, self.number_format, self.number_width)
            cur = c.execute(
                "INSERT INTO tickets(token, service_id, day, series, number, label, lang, issued_at, "
                "appointment, owner) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (token, service_id, day, series, number, label, lang, issued_at, int(appointment),
                 owner))
            payload = {"ticket_id": cur.lastrowid, "service": service_id, "day": day,
                       "number": number, "label": label, "lang": lang,
                       "appointment": bool(appointment), "token": token}
            if estimate is not None:
                ahead = c.execute(_AHEAD_SQL, _ahead_args(service_id, day, series, number, now,
                                                          assume_served_after_min)).fetchone()["n"]
                payload["people_ahead"] = ahead
                payload["estimated_wait_min"] = list(estimate(ahead))
            payload.update(extra_payload or {})
            self.store.append_event(c, "ticket.issued", payload)
        return Ticket(cur.lastrowid, token, service_id, day, number, label, lang, issued_at,
                      bool(appointment), PrintState.PENDING)

    def get(self, ticket_id: int) -> Ticket | None:
        rows = self.store.query("SELECT * FROM tickets WHERE id=?", (ticket_id,))
        return Ticket.from_row(rows[0]) if rows else None

    def find(self, label: str, day: str | None = None) -> Ticket | None:
        rows = self.store.query("SELECT * FROM tickets WHERE label=? AND day=? ORDER BY id DESC",
                                (label, day or self.today()))
        return Ticket.from_row(rows[0]) if rows else None

    def mark_printed(self, ticket: Ticket, payload: dict | None = None, reprint: bool = False) -> None:
        now = utc_rfc3339(self.clock.wall())
        with self.store.transaction() as c:
            new = _move_print_state(c, ticket.id, PrintState.PRINTED)
            c.execute("UPDATE tickets SET print_state=?, printed_at=?, print_error=NULL, "
                      "reprints=reprints+? WHERE id=?",
                      (new.value, now, int(reprint), ticket.id))
            body = {"ticket_id": ticket.id, "service": ticket.service_id, "label": ticket.label,
                    "day": ticket.day, "reprint": reprint}
            body.update(payload or {})
            self.store.append_event(c, "ticket.printed", body)

    def mark_not_printed(self, ticket: Ticket, reason: str, payload: dict | None = None,
                         reprint: bool = False) -> None:
        with self.store.transaction() as c:
            if not reprint:
                new = _move_print_state(c, ticket.id, PrintState.NOT_PRINTED)
                c.execute("UPDATE tickets SET print_state=?, print_error=? WHERE id=?",
                          (new.value, reason[:300], ticket.id))
            body = {"ticket_id": ticket.id, "service": ticket.service_id, "label": ticket.label,
                    "day": ticket.day, "reason": reason[:300], "reprint": reprint}
            body.update(payload or {})
            self.store.append_event(c, "ticket.print_failed", body)

    def recover_interrupted(self) -> list[Ticket]:
        """Mark tickets left pending by a dead process as not printed (with their events)."""
        rows = self.store.query("SELECT * FROM tickets WHERE print_state=?",
                                (PrintState.PENDING.value,))
        dead = [Ticket.from_row(r) for r in rows if not _owner_alive(r["owner"], self.store.boot_id)]
        for t in dead:
            self.mark_not_printed(t, "interrupted before printing (restart)")
        return [self.get(t.id) for t in dead]

    def people_ahead(self, ticket: Ticket, assume_served_after_min: int = 120) -> int:
        """Earlier tickets of the same service today that may still be waiting."""
        issued = dt.datetime.fromisoformat(ticket.issued_at.replace("Z", "+00:00"))
        cutoff = utc_rfc3339(issued - dt.timedelta(minutes=assume_served_after_min))
        row = self.store.query(
            "SELECT COUNT(*) AS n FROM tickets WHERE service_id=? AND day=? AND number<? "
            "AND issued_at>=? AND series=(SELECT series FROM tickets WHERE id=?)",
            (ticket.service_id, ticket.day, ticket.number, cutoff, ticket.id))
        return int(row[0]["n"])

    def reset_today(self, by: str = "staff") -> int:
        """Start today's numbers again at the first number, for every service. Nothing is
        deleted: earlier tickets keep their numbers in the previous series. Returns the new
        series; records `ticket.numbers_reset`."""
        day = self.today()
        with self.store.transaction() as c:
            series = _series(c, day) + 1
            c.execute("INSERT INTO number_series(day, series) VALUES(?, ?) "
                      "ON CONFLICT(day) DO UPDATE SET series=excluded.series", (day, series))
            self.store.append_event(c, "ticket.numbers_reset", {"day": day, "series": series, "by": by})
        return series


def wait_range(people_ahead: int, handling_minutes: float, desks_open: int) -> tuple[int, int]:
    """Optimistic and pessimistic wait in whole minutes, rounded to 5 (0 when nobody is ahead).

    Expected wait = people ahead x handling minutes / desks. Optimistic assumes visits go 30%
    faster than average, pessimistic that one more visit is ahead and visits go 30% slower.
    """
    if desks_open <= 0:
        raise ValueError("no desks open")
    if people_ahead <= 0:
        return 0, 0
    per = handling_minutes / desks_open
    low = people_ahead * per * 0.7
    high = (people_ahead + 1) * per * 1.3
    return _round5(low, down=True), max(_round5(high), _round5(low, down=True) + 5)


def _round5(x: float, down: bool = False) -> int:
    return int(math.floor(x / 5) * 5) if down else int(math.ceil(x / 5) * 5)
