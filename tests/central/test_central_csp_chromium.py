"""The browser tests' watch itself (the `browser` fixture, central_kit.Browser): with the service's
own Content-Security-Policy (central/headers.py), Chromium blocks an inline script, an inline
handler and an inline style, and each is reported, as are a console error and an uncaught
exception; a page of the service's kind (its script and style from files) reports nothing."""
from __future__ import annotations

import pytest

from central.headers import CSP

SITE = "http://csp.test"
FILES = {"/app.js": ("text/javascript", "document.body.dataset.ran = 'yes';"),
         "/app.css": ("text/css", "p { color: #111; }")}


def serve(page, pages: dict[str, str], files: dict = FILES) -> None:
    """Answer requests to SITE from `pages` (HTML) and `files`, every answer with the CSP."""
    def handle(route):
        path = route.request.url[len(SITE):] or "/"
        kind, body = files[path] if path in files else ("text/html", pages[path])
        route.fulfill(status=200, body=body, headers={"Content-Type": kind, "Content-Security-Policy": CSP})
    page.route(SITE + "/**", handle)


def test_a_clean_page_reports_nothing(browser):
    page = browser.page
    serve(page, {"/": '<!doctype html><html><head><link rel="icon" href="data:,"><link rel="stylesheet" '
                      'href="/app.css"><script src="/app.js" defer></script></head><body><p>ok</p></body></html>'})
    page.goto(SITE + "/")
    page.wait_for_function("document.body.dataset.ran === 'yes'")
    browser.check()


@pytest.mark.parametrize("html,what", [
    ("<script>document.title = 'ran'</script>", "script-src"),
    ('<img src="data:," onload="document.title = \'ran\'">', "script-src"),
    ('<p style="color: red">x</p>', "style-src"),
    ("<style>p { color: red }</style>", "style-src"),
    ('<script src="http://elsewhere.test/x.js"></script>', "script-src"),
])
def test_inline_code_is_blocked_and_reported(browser, html, what):
    page = browser.page
    serve(page, {"/": f'<!doctype html><html><head><link rel="icon" href="data:,"></head><body>{html}</body></html>'})
    page.goto(SITE + "/")
    page.wait_for_timeout(200)
    assert page.title() != "ran"
    assert any("Content Security Policy" in p and what in p for p in browser.problems), browser.problems
    with pytest.raises(AssertionError, match="Content Security Policy"):
        browser.check()


def test_console_errors_and_uncaught_exceptions_are_reported(browser):
    page = browser.page
    serve(page, {"/": '<!doctype html><html><head><link rel="icon" href="data:,"><script src="/bad.js">'
                      '</script></head><body></body></html>'},
          {"/bad.js": ("text/javascript", "console.error('something broke'); null.x;")})
    page.goto(SITE + "/")
    page.wait_for_timeout(200)
    with pytest.raises(AssertionError) as e:
        browser.check()
    assert "something broke" in str(e.value) and "uncaught" in str(e.value)
