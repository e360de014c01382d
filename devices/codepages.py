"""Text for an ESC/POS printer in one of its own code pages: choose the page, encode, select.

  cp = choose_code_page(caps, ["Numer w kolejce", "Przeprowadzka", ...])   # "CP852"
  select_code_page(caps, cp)          # ESC t n, n = the page's slot in the printer's profile
  encode(text, cp)                    # one byte per character; ValueError if one is missing
  can_encode(text, cp)

One code page for the whole ticket when one holds every line (so ESC t is sent once and
each line decodes with that page alone), else a page per line; None when no page of the
profile holds a line (then that line is printed as a picture, see kiosk/tickets/lines.py).
Pages are tried in PREFERRED order first (the pages a language's readers know: PC852 for
Polish, PC857 for Turkish, CP1251 for Ukrainian, since PC866 lacks і), then in the
profile's slot order. python-escpos' magic encoder picks a page per character in slot
order instead: a Polish line switches between CP437 and CP852 mid-word, a Ukrainian one
from CP866 to the rare CP855 at the first і; this module replaces it for tickets.
Characters of bytes 128-255 come from escpos-printer-db (a Python codec or its own table),
the data python-escpos uses too. Writes nothing; no Kivy.
"""
from __future__ import annotations

import functools

ESC_T = b"\x1bt"
PREFERRED = ("CP437", "CP858", "CP850", "CP852", "CP857", "CP1251", "CP866", "CP1125",
             "CP1252", "CP1250", "CP1254", "ISO_8859-2", "ISO_8859-15")


@functools.lru_cache(maxsize=None)
def charmap(code_page: str) -> dict[str, int]:
    """Character -> byte for bytes 128-255 of a code page of escpos-printer-db."""
    from escpos.codepages import CodePages
    try:
        data = CodePages.get_encoding(code_page)
    except KeyError:
        return {}
    out: dict[str, int] = {}
    if "data" in data:
        for i, ch in enumerate("".join(data["data"])):
            if ch != " ":
                out.setdefault(ch, 128 + i)
        return out
    codec = data.get("python_encode")
    for b in range(128, 256):
        try:
            out.setdefault(bytes([b]).decode(codec), b)
        except (UnicodeDecodeError, LookupError, TypeError):
            continue
    return out


def can_encode(text: str, code_page: str) -> bool:
    table = charmap(code_page)
    return all(ord(ch) < 128 or ch in table for ch in text)


def encode(text: str, code_page: str) -> bytes:
    """`text` as bytes of `code_page`; ValueError naming a character it lacks."""
    table = charmap(code_page)
    out = bytearray()
    for ch in text:
        if ord(ch) < 128:
            out.append(ord(ch))
        elif ch in table:
            out.append(table[ch])
        else:
            raise ValueError(f"{ch!r} (U+{ord(ch):04X}) is not in code page {code_page}")
    return bytes(out)


def _candidates(caps) -> list[str]:
    have = set(caps.code_pages)
    return [cp for cp in PREFERRED if cp in have] + [cp for cp in caps.code_pages
                                                    if cp not in PREFERRED]


def choose_code_page(caps, texts) -> str | None:
    """The first page (PREFERRED, then slot order) of `caps` holding every text, or None."""
    texts = list(texts)
    for cp in _candidates(caps):
        if all(can_encode(t, cp) for t in texts):
            return cp
    return None


def select_code_page(caps, code_page: str) -> bytes:
    """ESC t n for `code_page` on this printer (KeyError if its profile lacks the page)."""
    return ESC_T + bytes([caps.code_page_slots[code_page]])
