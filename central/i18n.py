"""The staff pages' language: Dutch by default, English when chosen.

Texts come from gettext catalogs, central/locale/<lang>/LC_MESSAGES/central.po, with symbolic
msgids (`login.title`) as the kiosk's catalogs have. `make catalogs` compiles them to .mo (the
kiosk's compiler, `python -m kiosk.i18n compile kiosk/locale central/locale`); a .mo that is
missing or older than its .po is compiled in memory with Babel. The central service imports
nothing of the kiosk, so this is its own small reader.

The language of a page, first that applies:
1. `?lang=nl` or `?lang=en` in the address (the "English / Nederlands" link); it is kept in
   the cookie `lang` for the next pages;
2. the cookie `lang`;
3. the browser's Accept-Language, English only when it prefers English over Dutch;
4. Dutch.
"""
from __future__ import annotations

import gettext
import io
import logging
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "central"
LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "lang"
COOKIE_DAYS = 365


def _compile_in_memory(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with po.open("rb") as f:
        catalog = read_po(f, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """msgid -> text of one language (empty texts left out)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        data = mo.read_bytes()
    else:
        log.warning("%s is not compiled (or older than its .po): compiled in memory; run `make catalogs`", po)
        data = _compile_in_memory(po)
    parsed = gettext.GNUTranslations(io.BytesIO(data))._catalog  # the parsed .mo (stdlib gettext)
    return {k: v for k, v in parsed.items() if isinstance(k, str) and k and v}


def t(lang: str, msgid: str, **fmt) -> str:
    """The text of `msgid` in `lang` (English, then the msgid itself, when it is missing)."""
    text = catalog(lang).get(msgid) or catalog("en").get(msgid) or msgid
    if fmt:
        try:
            text = text.format(**fmt)
        except (KeyError, IndexError, ValueError):
            log.warning("bad placeholders in the %s text of %r", lang, msgid)
    return text


def prefers_english(accept_language: str) -> bool:
    """True when an Accept-Language header ranks English above Dutch (a missing language
    counts as 0; on a tie the one named first wins)."""
    best: dict[str, tuple[float, int]] = {}
    for pos, part in enumerate(accept_language.split(",")[:40]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if primary not in best or q > best[primary][0]:
            best[primary] = (q, pos)
    en, nl = best.get("en", (0.0, 0)), best.get("nl", (0.0, 0))
    return en[0] > 0 and (en[0] > nl[0] or (en[0] == nl[0] and "nl" in best and en[1] < nl[1]))


def choose(request: Request) -> str:
    """The language of the page this request asks for (see the module's text)."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(COOKIE, "")
    if kept in LANGUAGES:
        return kept
    return "en" if prefers_english(request.headers.get("accept-language", "")) else DEFAULT


def remember(request: Request, response: Response) -> Response:
    """Keep a language picked with ?lang= in the cookie; the page varies by these headers."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_DAYS * 86400, samesite="lax",
                            secure=request.url.scheme == "https")
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def switch_link(request: Request, lang: str) -> str:
    """The "English" link on a Dutch page, "Nederlands" on an English one; the address keeps
    its other parameters (a dashboard period, the page after login)."""
    other = "en" if lang == "nl" else "nl"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    href = request.url.path + "?" + urlencode(params)
    return (f'<a class="lang-switch" href="{escape(href)}" lang="{other}" hreflang="{other}">'
            f'{escape(t(other, "language.name"))}</a>')


def read_po_texts(path: str | Path) -> dict[str, str]:
    """A .po file as msgid -> text (for checks and tests)."""
    from babel.messages.pofile import read_po
    with open(path, "rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}
