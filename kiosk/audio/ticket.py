"""The whole ticket as one spoken text, for audio-guided mode.

  text = spoken_ticket(tr, "nl", label="A012", service="Paspoort", people_ahead=3,
                       wait=(5, 15), place="wachtruimte B", print_status="printed", route=...)
  text = spoken_issued(result, tr, "nl", catalog, print_status)   # from an IssueResult

What it says, in order: the number as it is called ("A twaalf", kiosk.tickets.spoken) and then
character by character ("A, 0, 1, 2": every character of the printed label, commas so a voice
reads each letter by its name); the service; the people ahead; the wait range; where to wait;
whether the paper ticket was printed (or is being printed, or was not); the walking
directions, one sentence per step. Every sentence comes from the catalogs: the ticket's own
lines (kiosk/locale/*/tickets.po, the same words the screen shows) and audio.ticket.* in
audio.po.
"""
from __future__ import annotations

from kiosk.audio.focus import sentences
from kiosk.tickets.render import people_line, wait_line
from kiosk.tickets.spoken import spoken_number

PRINT_STATUS = {"printing": "ticket.printing", "printed": "ticket.take_ticket",
                "failed": "audio.ticket.not_printed", "none": "audio.ticket.not_printed"}


def spoken_characters(label: str, lang: str, tr) -> str:
    """'A012' -> 'A, 0, 1, 2' (a letter the voice misreads by its catalog name: nl S -> Es)."""
    out = []
    for ch in label.strip():
        if ch.isalpha() and tr.has(f"speech.letter.{ch}", lang):
            out.append(tr(f"speech.letter.{ch}", lang))
        elif not ch.isspace():
            out.append(ch)
    return ", ".join(out)


def spoken_ticket(tr, lang: str, *, label: str, service: str, people_ahead: int,
                  wait: tuple[int, int], place: str = "", print_status: str = "",
                  route: str = "") -> str:
    """`print_status`: "printing", "printed", "failed", "none" (no printer, no paper) or ""
    (not said). `route`: the directions, a step a line."""
    steps = sentences(*route.splitlines())
    return sentences(
        tr("audio.ticket.number", lang, number=spoken_number(label, lang, tr),
           chars=spoken_characters(label, lang, tr)),
        tr("audio.ticket.service", lang, service=service) if service else "",
        people_line(tr, people_ahead, lang),
        wait_line(tr, wait[0], wait[1], lang),
        tr("ticket.spoken_wait_at", lang, place=place) if place else "",
        tr(PRINT_STATUS[print_status], lang) if print_status in PRINT_STATUS else "",
        tr("audio.ticket.route", lang, route=steps) if steps else "",
    )


def spoken_issued(result, tr, lang: str, catalog, print_status: str = "") -> str:
    """The spoken ticket of a kiosk.tickets.issue.IssueResult (the issued screen's ticket);
    `catalog` is the ServiceCatalog (names and places per language)."""
    return spoken_ticket(tr, lang, label=result.ticket.label,
                         service=catalog.name(result.service, lang),
                         people_ahead=result.people_ahead, wait=tuple(result.wait),
                         place=catalog.wait_at(result.service, lang),
                         print_status=print_status, route=getattr(result, "route", ""))
