"""Gettext catalogs as the kiosk (kiosk/i18n.py) and the central service (central/i18n.py)
both read them: a .po compiled to .mo with Babel (`make catalogs`, at install and build), read
with the standard library's gettext; a .mo missing or older than its .po (a translator's
checkout) is compiled in memory, with a warning to run `make catalogs`."""
from __future__ import annotations

import gettext
import io
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class PoError(ValueError):
    """A .po file that does not compile; the message names the file and what is wrong."""


def compile_po(po: Path) -> bytes:
    """The .mo bytes of one .po (Babel), or PoError."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    try:
        with po.open("rb") as f:
            catalog = read_po(f, abort_invalid=True)
    except Exception as exc:   # Babel raises several kinds for a broken file
        raise PoError(f"{po}: {exc}") from None
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _fresh_mo(po: Path) -> Path | None:
    mo = po.with_suffix(".mo")
    return mo if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime else None


def compile_catalogs(locale_dir: str | os.PathLike) -> list[Path]:
    """Write <domain>.mo next to every <domain>.po that has no up-to-date one; returns them."""
    written = []
    for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        if _fresh_mo(po) is None:
            mo = po.with_suffix(".mo")
            mo.write_bytes(compile_po(po))
            written.append(mo)
    return written


def translations(po: Path) -> gettext.GNUTranslations:
    """The catalog of one .po: its compiled .mo, or the .po compiled in memory."""
    mo = _fresh_mo(po)
    if mo is not None:
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    log.warning("%s is not compiled (or older than its .po): compiled in memory; run `make catalogs`", po)
    return gettext.GNUTranslations(io.BytesIO(compile_po(po)))


def fill(text: str, fmt: dict, lang: str, msgid: str) -> str:
    """`text` with its {placeholders} filled; a translation whose placeholders do not match is
    shown as it is (with a warning), never an error in front of a visitor or staff member."""
    if fmt:
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            log.warning("bad placeholders in the %s text of %r", lang, msgid)
    return text


def read_po_file(path: str | os.PathLike) -> dict[str, str]:
    """A .po file as msgid -> text (a plural message: its last form), for checks and tests."""
    from babel.messages.pofile import read_po
    with open(path, "rb") as f:
        catalog = read_po(f)
    out = {}
    for m in catalog:
        if m.id:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            out[key] = m.string[-1] if isinstance(m.string, tuple) else m.string
    return out
