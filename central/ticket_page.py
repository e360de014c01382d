"""The mobile ticket: `GET /t/{token}` (the page the ticket's QR code opens) and its JSON twin
`GET /api/v1/tickets/{token}` (docs/mobile-ticket.md). Public: no login, no cookies.

The page is rendered from templates/ticket.html, whole, and works without JavaScript (a 30 s refresh inside
<noscript>). With JavaScript, /mobile/ticket.js polls the JSON every `public.poll_s` and,
when what it shows changed, fetches this page again and swaps its <main>: one renderer, so
the live page and the plain one never disagree. A served ticket's page asks the satisfaction
question (templates/_phone_question.html; the answer's POST: central/phone_page.py).
Texts: the `mobile` catalogs (central/i18n.py) in the ticket's language, `?lang=xx` to
override; an unknown ticket's page in the language the browser prefers, Dutch by default. Each client address is rate limited (central/ratelimit.py).
"""
from __future__ import annotations

from fastapi import APIRouter, Path as PathParam, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from central import i18n, models, pages, phone_feedback, ratelimit, ticket_view
from central.ticket_view import LANGUAGES

# The security headers (no-referrer: the token is in the address; no-store) come from central/headers.py.
HEADERS = {"Vary": "Accept-Language"}
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


def over_limit(request: Request) -> str | None:
    """None when this client may go ahead, else its Retry-After (whole seconds)."""
    wait = _limits(request).take(request.client.host if request.client else "?")
    return None if wait is None else ratelimit.retry_after(wait)


async def load(request: Request, token: str) -> dict | None:
    """The ticket's public document (central/ticket_view.py), or None: unknown or not of today."""
    st = request.app.state
    return await run_in_threadpool(ticket_view.view, st.engine, st.settings.queue, token)


@router.get("/api/v1/tickets/{token}", response_model=models.MobileTicket,
            summary="A visitor's own ticket by the token in its QR code (valid on the day it was taken)",
            responses={404: {"model": models.Problem, "description": "unknown, malformed or expired token"},
                       429: {"model": models.Problem, "description": "too many requests from this address; "
                                                                     "see Retry-After"}})
async def ticket_json(request: Request, token: str = Token):
    retry = over_limit(request)
    if retry:
        return JSONResponse({"detail": f"too many requests; try again in {retry} s"}, 429,
                            headers={**HEADERS, "Retry-After": retry})
    doc = await load(request, token)
    if doc is None:
        return JSONResponse({"detail": NOT_FOUND}, 404, headers=HEADERS)
    return JSONResponse(doc, headers=HEADERS)


@router.get("/t/{token}", response_class=Response, summary="The mobile ticket page (HTML; works without JavaScript)",
            responses={200: {"content": {"text/html": {}}}, 404: {"content": {"text/html": {}}},
                       429: {"content": {"text/html": {}}}})
async def ticket_page(request: Request, token: str = Token):
    asked = request.query_params.get("lang", "")
    retry = over_limit(request)
    if retry:
        return limited(request, retry)
    doc = await load(request, token)
    if doc is None:
        return unknown(request)
    lang = asked if asked in LANGUAGES else doc["lang"]
    return ticket_html(lang, doc, token, request.app.state.settings.public.poll_s,
                       await _question(request, token, doc, lang))


async def _question(request: Request, token: str, doc: dict, lang: str) -> dict | None:
    """The satisfaction question of a served ticket (central/phone_feedback.py): None before
    service, {"state": "thanks"} once answered, else the smileys (and a chosen one's reasons)."""
    if doc["state"] != "served":
        return None
    st = request.app.state
    if await run_in_threadpool(phone_feedback.answered, st.engine, st.settings.queue, token):
        return {"state": "thanks"}
    asked = request.query_params.get("lang", "")
    keep = f"lang={asked}&" if asked in LANGUAGES else ""
    return phone_feedback.question(st.settings.feedback, lang, keep, request.query_params.get("answer"))


@router.get("/mobile/ticket.js", include_in_schema=False)
def ticket_js():
    return pages.static("ticket.js", "text/javascript")


@router.get("/mobile/ticket.css", include_in_schema=False)
def ticket_css():
    return pages.static("ticket.css", "text/css")


def limited(request: Request, retry: str) -> Response:
    """The 429 page (over the rate limit), with its Retry-After."""
    lang = _other_lang(request)
    return message(lang, "limit.title", [i18n.visitor_n(lang, "limit.text", int(retry))], "limited", 429,
                   {"Retry-After": retry})


def unknown(request: Request) -> Response:
    """The 404 page: a token that is malformed, unknown or not of today."""
    lang = _other_lang(request)
    return message(lang, "unknown.title", [i18n.visitor_t(lang, k) for k in
                                           ("unknown.text", "unknown.valid", "unknown.hint")], "unknown", 404)


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


def _page(lang: str, status: int, extra: dict | None = None, **context) -> Response:
    """templates/ticket.html in `lang`: a ticket (`doc`) or a message (`doc` None)."""
    return pages.html(
        "ticket.html", status, {**HEADERS, **(extra or {})}, lang=lang,
        t=lambda msgid, **kw: i18n.visitor_t(lang, msgid, **kw), n=lambda msgid, k: i18n.visitor_n(lang, msgid, k),
        languages=[{"code": x, "name": i18n.visitor_t(x, "language.name")} for x in LANGUAGES], **context)


def ticket_html(lang: str, doc: dict, token: str, poll_s: float, question: dict | None = None,
                status: int = 200) -> Response:
    """The ticket page; `question`: the satisfaction question's part of it (see _question)."""
    live = doc["state"] not in FINAL
    ahead, wait = doc["people_ahead"] or 0, doc["wait_min"]
    text = None
    if wait and ahead and wait[1] > 0:
        text = (i18n.visitor_n(lang, "wait.about", wait[1]) if wait[0] == wait[1] else
                i18n.visitor_n(lang, "wait.range", wait[1], low=wait[0], high=wait[1]))
    return _page(lang, status, title=i18n.visitor_t(lang, "page.title") + " " + doc["label"], doc=doc, live=live,
                 api=f"/api/v1/tickets/{token}", poll=f"{poll_s:g}", sig=signature(doc), ahead=ahead, wait=text,
                 question=question, action=f"/t/{token}/feedback?lang={lang}")


def message(lang: str, heading: str, lines: list[str], state: str, status: int,
            extra: dict | None = None, back: str | None = None) -> Response:
    """A page with a heading and lines (`back`: a link back to the ticket)."""
    return _page(lang, status, extra, title=i18n.visitor_t(lang, heading), doc=None, live=False,
                 heading=heading, lines=lines, state=state, back=back)
