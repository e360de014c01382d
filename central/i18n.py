"""The staff pages' language: Dutch by default, English when chosen.

Texts come from gettext catalogs, central/locale/<lang>/LC_MESSAGES/central.po, with symbolic
msgids (`login.title`) as the kiosk's catalogs have. `make catalogs` compiles them to .mo (the
kiosk's compiler, `python -m kiosk.i18n compile kiosk/locale central/locale`); a .mo that is
missing or older than its .po is compiled in memory with Babel (common/catalogs.py, shared with
the kiosk: the central service imports nothing else of it).

The language of a page, first that applies:
1. `?lang=nl` or `?lang=en` in the address (the "English / Nederlands" link); it is kept in
   the cookie `lang` for the next pages;
2. the cookie `lang`;
3. the browser's Accept-Language, English only when it prefers English over Dutch;
4. Dutch.

The public pages (the mobile ticket, central/ticket_page.py) use the domain `mobile` in every
visitor language (`visitor_t`, `visitor_n` with plurals; Dutch fills gaps) and set no cookie.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from common.catalogs import fill, translations
from common.catalogs import read_po_file as read_po_texts  # noqa: F401 - for checks and tests


LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "central"
LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "lang"
COOKIE_DAYS = 365


@lru_cache(maxsize=None)
def _parsed(lang: str, domain: str):
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    return translations(po) if po.exists() else None


@lru_cache(maxsize=None)
def catalog(lang: str, domain: str = DOMAIN) -> dict[str, str]:
    """msgid -> text of one language (empty texts left out; a plural message: its first form)."""
    parsed = _parsed(lang, domain)
    items = parsed._catalog.items() if parsed else ()
    return {(k[0] if isinstance(k, tuple) else k): v for k, v in items
            if v and (isinstance(k, str) and k or isinstance(k, tuple) and k[1] == 0)}


def plural(lang: str, msgid: str, n: int, domain: str) -> str | None:
    """The form of plural message `msgid` for `n` by the language's Plural-Forms (the plural
    msgid is the singular's with ".plural" appended, as in the kiosk); None when missing."""
    parsed = _parsed(lang, domain)
    text = parsed.ngettext(msgid, msgid + ".plural", n) if parsed else None
    return None if text in (None, "", msgid, msgid + ".plural") else text


VISITOR = "mobile"  # the public pages' domain, in every visitor language; Dutch fills gaps


def visitor_t(lang: str, msgid: str, **fmt) -> str:
    return fill(catalog(lang, VISITOR).get(msgid) or catalog(DEFAULT, VISITOR).get(msgid) or msgid,
                fmt, lang, msgid)


def visitor_n(lang: str, msgid: str, n: int, **fmt) -> str:
    text = plural(lang, msgid, n, VISITOR) or plural(DEFAULT, msgid, n, VISITOR) or msgid
    return fill(text, {"n": n, **fmt}, lang, msgid)


def _ranked(accept_language: str, languages) -> list[tuple[str, float, int]]:
    """(language, q, position) for each of `languages` an Accept-Language header names
    (its first 40 parts; a bad q counts as 0)."""
    out = []
    for pos, part in enumerate(accept_language.split(",")[:40]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in languages:
            continue
        q = 1.0
        for p in params.split(";"):
            name, _, value = p.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((primary, q, pos))
    return out


def preferred(accept_language: str, languages: tuple[str, ...], default: str = DEFAULT) -> str:
    """The language of `languages` an Accept-Language header ranks highest (on a tie the one
    named first); `default` when it names none of them."""
    best, best_q = default, 0.0
    for primary, q, _ in _ranked(accept_language, languages):
        if q > best_q:
            best, best_q = primary, q
    return best


def t(lang: str, msgid: str, **fmt) -> str:
    """The text of `msgid` in `lang` (English, then the msgid itself, when it is missing)."""
    return fill(catalog(lang).get(msgid) or catalog("en").get(msgid) or msgid, fmt, lang, msgid)


def prefers_english(accept_language: str) -> bool:
    """True when an Accept-Language header ranks English above Dutch (a missing language
    counts as 0; on a tie the one named first wins)."""
    best: dict[str, tuple[float, int]] = {}
    for primary, q, pos in _ranked(accept_language, LANGUAGES):
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
