"""Ticket numbers as text for espeak-ng, so they are heard the way people say them.

'A012' is written 'A 12' in Dutch ("A twaalf") and 'A12' in English ("ay twelve"): an
English voice reads a lone 'A' as the article ("uh"), a Dutch voice reads a lone 'S' as
the "'s" of 's-Hertogenbosch. How a language writes it comes from the catalogs:
`speech.ticket_number` ({letters}, {number}) and `speech.letter.<X>` for a letter the
voice would otherwise misread (nl: S -> "Es"). tests/tickets/test_tickets_speech.py
checks every letter A-Z in both languages against espeak-ng's own letter names.
"""
from __future__ import annotations


def split_label(label: str) -> tuple[str, str]:
    """'A012' -> ('A', '012')."""
    letters = label.rstrip("0123456789")
    return letters, label[len(letters):]


def spoken_number(label: str, lang: str, tr) -> str:
    """The ticket label as text a speech engine in `lang` reads naturally."""
    letters, digits = split_label(label.strip())
    if not digits:
        return label
    said = " ".join(tr.gettext(f"speech.letter.{ch}", lang) if tr.has(f"speech.letter.{ch}", lang)
                    else ch for ch in letters)
    return tr.gettext("speech.ticket_number", lang, letters=said, number=int(digits)).strip()
