"""HTML pages from Jinja2 templates (central/templates/, autoescaped) and the pages' own static
files (central/static/). The pages hold no inline script or style: the Content-Security-Policy
(central/headers.py) allows only the service's own files."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import Response

from central import i18n

HERE = Path(__file__).parent
STATIC = HERE / "static"
env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"


def html(name: str, status: int = 200, headers: dict | None = None, **context) -> Response:
    """Template `name` rendered with `context` as a whole HTML response."""
    return Response(env.get_template(name).render(**context).encode(), status, headers=headers, media_type=HTML)


def staff_context(request: Request, lang: str) -> dict:
    """What every staff page's template uses: the language, its texts and the language switch."""
    other = "en" if lang == "nl" else "nl"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    return {"lang": lang, "t": lambda msgid, **fmt: i18n.t(lang, msgid, **fmt),
            "switch": {"href": request.url.path + "?" + urlencode(params), "lang": other,
                       "text": i18n.t(other, "language.name")}}


@lru_cache(maxsize=None)
def _file(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def static(name: str, kind: str) -> Response:
    """One of the pages' own files; kind "text/css" or "text/javascript" (caching: headers.py)."""
    return Response(_file(name), media_type=f"{kind}; charset=utf-8")


@router.get("/static/staff.css")
def staff_css():
    return static("staff.css", "text/css")
