"""Who is logged in, and may they do this? A session cookie from POST /login (central/login.py);
there is no HTTP Basic: scripts log in with POST /login and keep the cookie.

  user = current_user(request)              # accounts.User or None (sync: call it in a thread)
  router = APIRouter(dependencies=[Depends(require_role("analyst"))])   # 401 / 403 for JSON and CSV
  who = page_user(request, "desk", "/desk")  # a User, or the redirect / 403 page to send instead
"""
from __future__ import annotations


from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from central import accounts

COOKIE = "kc_session"


def current_user(request: Request) -> accounts.User | None:
    st = request.app.state
    return accounts.session_user(st.engine, request.cookies.get(COOKIE), st.settings.session_idle_min,
                                 st.settings.session_hours)


def client_address(request: Request) -> str | None:
    """The peer's address as the server saw it (X-Forwarded-For is not trusted)."""
    return request.client.host if request.client else None


def _wrong_role(user: accounts.User, role: str) -> str:
    return (f"this needs the {role} role (or admin); {user.name} is logged in with the role {user.role}")


def require_role(role: str):
    """Dependency for JSON/CSV routes: 401 without a live session, 403 for the wrong role."""
    def check(request: Request) -> accounts.User:
        user = current_user(request)
        if user is None:
            raise HTTPException(401, "not logged in: POST /login (form fields username, password) and "
                                     "send the session cookie it sets")
        if not user.may(role):
            raise HTTPException(403, _wrong_role(user, role))
        request.state.user = user
        return user
    check.__name__ = f"require_{role}"
    return check


def page_user(request: Request, role: str, here: str) -> accounts.User | Response:
    """For pages: the user, or a redirect to the login page, or a 403 page for the wrong role."""
    user = current_user(request)
    if user is None:
        return RedirectResponse(f"/login?next={here}", status_code=303)
    if not user.may(role):
        from central import pages
        return pages.html("forbidden.html", 403, message=_wrong_role(user, role))
    request.state.user = user
    return user
