"""POST /t/{token}/feedback: the answer to the satisfaction question on a served ticket's page
(central/phone_feedback.py stores it; docs/insight.md). A plain HTML form, so it works without
JavaScript; public like the page itself (the token is the capability), rate limited with it,
no cookie. Form fields (application/x-www-form-urlencoded, at most MAX_BYTES):

    answer   the smiley, 1..scale (worst first)
    reason   zero or more reason ids, each one offered for that answer's kind
    action   "done" (store the answer with its reasons) or "skip" (the answer without reasons)

Every refusal is a page that says what is wrong, never a traceback: 404 unknown or expired
ticket, 409 not served yet or answered before (whatever the form holds), 400 an answer or reason not on offer, 413 too
large, 415 not a form, 429 over the rate limit.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from central import i18n, phone_feedback as pf, ticket_page
from central.ticket_page import LANGUAGES, Token

router = APIRouter(tags=["public"])
MAX_BYTES = 4096  # a full answer is under 200 bytes
MAX_FIELDS = 40
ACTIONS = ("done", "skip")
FORM = "application/x-www-form-urlencoded"
_HTML = {"content": {"text/html": {}}}
BODY = {"requestBody": {"required": True, "content": {FORM: {"schema": {
    "type": "object", "required": ["answer"], "properties": {
        "answer": {"type": "string", "description": "The smiley chosen, 1..scale (1 = worst)."},
        "reason": {"type": "array", "items": {"type": "string"},
                   "description": "Reason ids offered for the answer's kind (as the pillar's)."},
        "action": {"type": "string", "enum": list(ACTIONS), "description": "done (default) or skip."}}}}}}}


class Refused(Exception):
    def __init__(self, status: int, msgid: str):
        super().__init__(msgid)
        self.status, self.msgid = status, msgid


async def _form(request: Request) -> list[tuple[str, str]]:
    """The form's fields; Refused when it is not a small url-encoded form."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
        raise Refused(415, "feedback.error.form")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise Refused(413, "feedback.error.form")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BYTES:
            raise Refused(413, "feedback.error.form")
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                         max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "feedback.error.form") from None


def _choice(fs, fields: list[tuple[str, str]]) -> tuple[int, list[str]]:
    """(answer, reasons) from the form; Refused naming what is not on offer."""
    got: dict[str, list[str]] = {}
    for k, v in fields:
        got.setdefault(k, []).append(v)
    answers, action = got.get("answer", []), got.get("action", ["done"])
    answer = pf.parse_answer(fs, answers[0]) if len(answers) == 1 else None
    if answer is None:
        raise Refused(400, "feedback.error.answer")
    if len(action) != 1 or action[0] not in ACTIONS:
        raise Refused(400, "feedback.error.form")
    reasons = list(dict.fromkeys(got.get("reason", [])))
    offered = pf.reasons_for(fs, pf.sentiment(answer, fs.scale))
    if any(r not in offered for r in reasons):
        raise Refused(400, "feedback.error.reason")
    return answer, [] if action[0] == "skip" else reasons


@router.post("/t/{token}/feedback", response_class=Response, openapi_extra=BODY,
             summary="Answer the satisfaction question of a served ticket (HTML form; stored anonymously)",
             responses={code: _HTML for code in (200, 400, 404, 409, 413, 415, 429)})
async def answer_question(request: Request, token: str = Token):
    retry = ticket_page.over_limit(request)
    if retry:
        return ticket_page.limited(request, retry)
    doc = await ticket_page.load(request, token)
    if doc is None:
        return ticket_page.unknown(request)
    asked = request.query_params.get("lang", "")
    lang = asked if asked in LANGUAGES else doc["lang"]
    back = f"/t/{token}?lang={lang}"
    st = request.app.state
    poll = st.settings.public.poll_s
    if doc["state"] == "served" and await run_in_threadpool(pf.answered, st.engine, st.settings.queue, token):
        return ticket_page.ticket_html(lang, doc, token, poll, {"state": "already"}, status=409)
    try:
        if doc["state"] != "served":
            raise Refused(409, "feedback.not_served")
        answer, reasons = _choice(st.settings.feedback, await _form(request))
        outcome = await run_in_threadpool(pf.record, st.engine, st.settings.queue, st.settings.feedback, token,
                                          answer, reasons)
    except Refused as r:
        return ticket_page.message(lang, "feedback.error.title", [i18n.visitor_t(lang, r.msgid)], "refused",
                                   r.status, back=back)
    if outcome == pf.STORED:
        return ticket_page.ticket_html(lang, doc, token, poll, {"state": "thanks"})
    if outcome == pf.ALREADY:
        return ticket_page.ticket_html(lang, doc, token, poll, {"state": "already"}, status=409)
    status, msgid = {pf.NOT_SERVED: (409, "feedback.not_served"), pf.INVALID: (400, "feedback.error.answer")}.get(
        outcome, (404, "unknown.text"))  # UNKNOWN: the day ended in between
    return ticket_page.message(lang, "feedback.error.title", [i18n.visitor_t(lang, msgid)], "refused", status,
                               back=back)
