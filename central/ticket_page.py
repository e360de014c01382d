"""The mobile ticket: `GET /t/{token}` (the page the ticket's QR code opens) and its JSON twin
`GET /api/v1/tickets/{token}` (docs/mobile-ticket.md). Public: no login, no cookies.

The page is rendered here, whole, and works without JavaScript (a 30 s refresh inside
<noscript>). With JavaScript, /mobile/ticket.js polls the JSON every `public.poll_s` and,
when what it shows changed, fetches this page again and swaps its <main>: one renderer, so
the live page and the plain one never disagree. Texts: the `mobile` catalogs (central/i18n.py)
in the ticket's language, `?lang=xx` to override; an unknown ticket's page in the language the
browser prefers, Dutch by default. Each client address is rate limited (central/ratelimit.py).
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path

from fastapi import APIRouter, Path as PathParam, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from central import i18n, models, ratelimit, ticket_view
from central.ticket_view import LANGUAGES

STATIC = Path(__file__).parent / "static"
CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {"Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
           "Cache-Control": "no-store", "Vary": "Accept-Language"}
NOT_FOUND = "unknown or expired ticket (a ticket is valid on the day it was taken)"
FINAL = ("served", "no_show")
router = APIRouter(tags=["public"])
Token = PathParam(description="The token from the ticket's QR code (16-64 characters of A-Z a-z 0-9 _ -).")


def _limits(request: Request) -> ratelimit.RateLimiter:
    st = request.app.state
    if getattr(st, "public_limits", None) is None:  # made on the event loop: no race
        cfg = st.settings.public
        st.public_limits = ratelimit.RateLimiter(cfg.rate_burst, cfg.rate_per_s, cfg.rate_clients)
    return st.public_limits


def _over_limit(request: Request) -> str | None:
    """None when this client may go ahead, else its Retry-After (whole seconds)."""
    wait = _limits(request).take(request.client.host if request.client else "?")
    return None if wait is None else ratelimit.retry_after(wait)


async def _view(request: Request, token: str) -> dict | None:
    st = request.app.state
    return await run_in_threadpool(ticket_view.view, st.engine, st.settings.queue, token)


@router.get("/api/v1/tickets/{token}", response_model=models.MobileTicket,
            summary="A visitor's own ticket by the token in its QR code (valid on the day it was taken)",
            responses={404: {"model": models.Problem, "description": "unknown, malformed or expired token"},
                       429: {"model": models.Problem, "description": "too many requests from this address; "
                                                                     "see Retry-After"}})
async def ticket_json(request: Request, token: str = Token):
    retry = _over_limit(request)
    if retry:
        return JSONResponse({"detail": f"too many requests; try again in {retry} s"}, 429,
                            headers={**HEADERS, "Retry-After": retry})
    doc = await _view(request, token)
    if doc is None:
        return JSONResponse({"detail": NOT_FOUND}, 404, headers=HEADERS)
    return JSONResponse(doc, headers=HEADERS)


@router.get("/t/{token}", response_class=Response, summary="The mobile ticket page (HTML; works without JavaScript)",
            responses={200: {"content": {"text/html": {}}}, 404: {"content": {"text/html": {}}},
                       429: {"content": {"text/html": {}}}})
async def ticket_page(request: Request, token: str = Token):
    asked = request.query_params.get("lang", "")
    retry = _over_limit(request)
    if retry:
        lang = _other_lang(request)
        body = _message(lang, "limit.title", [i18n.visitor_n(lang, "limit.text", int(retry))], "limited")
        return _html(lang, i18n.visitor_t(lang, "limit.title"), body, 429, {"Retry-After": retry})
    doc = await _view(request, token)
    if doc is None:
        lang = _other_lang(request)
        body = _message(lang, "unknown.title", [i18n.visitor_t(lang, k) for k in
                                                ("unknown.text", "unknown.valid", "unknown.hint")], "unknown")
        return _html(lang, i18n.visitor_t(lang, "unknown.title"), body, 404)
    lang = asked if asked in LANGUAGES else doc["lang"]
    live = doc["state"] not in FINAL
    body = _ticket(lang, doc, f"/api/v1/tickets/{token}", request.app.state.settings.public.poll_s)
    return _html(lang, i18n.visitor_t(lang, "page.title") + " " + doc["label"], body, 200, refresh=live, live=live)


@router.get("/mobile/ticket.js", include_in_schema=False)
def ticket_js():
    return _static("ticket.js", "text/javascript")


@router.get("/mobile/ticket.css", include_in_schema=False)
def ticket_css():
    return _static("ticket.css", "text/css")


@lru_cache(maxsize=None)
def _file(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def _static(name: str, kind: str) -> Response:
    return Response(_file(name), media_type=f"{kind}; charset=utf-8",
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


def _other_lang(request: Request) -> str:
    """The language of a page without a ticket: ?lang=, else the browser's, else Dutch."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return i18n.preferred(request.headers.get("accept-language", ""), LANGUAGES)


def signature(doc: dict) -> str:
    """What the page shows that can change; ticket.js computes the same from the JSON."""
    wait = doc["wait_min"]
    return "|".join((doc["state"], "" if doc["people_ahead"] is None else str(doc["people_ahead"]),
                     "-".join(str(w) for w in wait) if wait else "", doc["desk"] or "", doc["called_at"] or ""))


def _route(heading: str, steps: list[str] | None) -> str:
    if not steps:
        return ""
    items = "".join(f"<li>{escape(s)}</li>" for s in steps)
    return f'<section class="route"><h2>{escape(heading)}</h2><ol id="route">{items}</ol></section>'


def _ticket(lang: str, doc: dict, api: str, poll_s: float) -> str:
    state = doc["state"]

    def t(msgid: str, **kw) -> str:
        return escape(i18n.visitor_t(lang, msgid, **kw))
    live = state not in FINAL
    attrs = (f' data-api="{escape(api)}" data-poll="{poll_s:g}" data-sig="{escape(signature(doc))}"'
             if live else "")
    out = [f'<main id="ticket" class="state-{escape(state)}" data-state="{escape(state)}" aria-live="polite"{attrs}>',
           '<div class="card">', f'<p class="number-label">{t("ticket.number")}</p>',
           f'<p class="number" id="number">{escape(doc["label"])}</p>']
    if doc["service_name"]:
        out.append(f'<p class="service" id="service">{escape(doc["service_name"])}</p>')
    out.append("</div>")
    if state == "called":
        out += [f'<h1 id="status">{t("called.heading")}</h1>',
                f'<p class="desk" id="desk">{t("called.desk", desk=doc["desk"])}</p>']
        out.append(_route(i18n.visitor_t(lang, "called.route_heading", desk=doc["desk"]), doc["desk_route"])
                   or f'<p class="big">{t("called.go")}</p>')
    elif state in FINAL:
        out += [f'<h1 id="status">{t(state + ".heading")}</h1>', f'<p class="big">{t(state + ".text")}</p>']
    else:
        ahead, wait = doc["people_ahead"] or 0, doc["wait_min"]
        out += [f'<h1 id="status">{t("waiting.heading")}</h1>', '<p class="big" id="ahead">'
                + (t("waiting.next") if ahead == 0 else escape(i18n.visitor_n(lang, "waiting.ahead", ahead)))
                + "</p>"]
        if wait and ahead and wait[1] > 0:
            text = (i18n.visitor_n(lang, "wait.about", wait[1]) if wait[0] == wait[1] else
                    i18n.visitor_n(lang, "wait.range", wait[1], low=wait[0], high=wait[1]))
            out.append(f'<p id="wait">{escape(text)}</p>')
        if doc["wait_at"]:
            out.append(f'<section class="wait-at"><h2>{t("wait_at.heading")}</h2>'
                       f'<p id="wait-at">{escape(doc["wait_at"])}</p></section>')
        out.append(_route(i18n.visitor_t(lang, "route.heading"), doc["route"]))
    out.append("</main>")
    return "".join(out)


def _message(lang: str, title: str, lines: list[str], state: str) -> str:
    paras = "".join(f'<p class="big">{escape(x)}</p>' for x in lines)
    return (f'<main id="ticket" class="state-{state}" data-state="{state}" aria-live="polite">'
            f'<h1 id="status">{escape(i18n.visitor_t(lang, title))}</h1>{paras}</main>')


def _languages(lang: str) -> str:
    current = ' aria-current="true"'
    links = "".join(f'<li><a href="?lang={x}" lang="{x}" hreflang="{x}"{current if x == lang else ""}>'
                    f'{escape(i18n.visitor_t(x, "language.name"))}</a></li>' for x in LANGUAGES)
    return f'<nav aria-label="{escape(i18n.visitor_t(lang, "page.languages"))}"><ul class="langs">{links}</ul></nav>'


def _html(lang: str, title: str, body: str, status: int, extra: dict | None = None, *,
          refresh: bool = False, live: bool = False) -> Response:
    def t(msgid: str) -> str:
        return escape(i18n.visitor_t(lang, msgid))
    direction = "rtl" if lang == "ar" else "ltr"
    noscript = '<noscript><meta http-equiv="refresh" content="30"></noscript>' if refresh else ""
    updates = f'<p id="updates">{t("page.updates")}</p>' if live else ""
    page = (f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="stylesheet" href="/mobile/ticket.css">'
            f'<script src="/mobile/ticket.js" defer></script>{noscript}</head><body>{body}'
            f'<footer>{updates}<p id="offline" role="status" hidden>{t("page.offline")}</p>'
            f'{_languages(lang)}</footer></body></html>')
    return Response(page.encode(), status, media_type="text/html; charset=utf-8", headers={**HEADERS, **(extra or {})})
