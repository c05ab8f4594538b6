"""The HTTP routes behind sign-in: the only place the session cookie is set or cleared.

Streamlit's scripts can read cookies but not set them. After a sign-in form succeeds, the
page posts the new session token (in the request body, never in a URL) to
`/auth/session`, which checks it against the database and answers with the signed,
expiring, HttpOnly cookie; `/auth/signout` clears it (the session itself is ended on the
server first). `app.py` mounts these routes with `st.App`.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from data import accounts
from data.cookies import COOKIE_NAME, sign
from data.db import make_engine
from data.settings import get_settings


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return make_engine(get_settings().database_url)


def _same_origin(request: Request) -> bool:
    """A cookie is only set for a page of this server (no sign-in forged by another site)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


# A wall screen stays signed in until an admin revokes its token (or this long untouched).
SCREEN_COOKIE_DAYS = 90


def _role(token: str) -> str | None:
    """The role a live session or screen token signs in as, or None."""
    with Session(_engine()) as session:
        actor = accounts.resolve(session, token)
    return None if actor is None else actor.role


async def start_session(request: Request) -> Response:
    """Set the cookie for a session the sign-in form has just started (or a wall screen's
    token it has just checked)."""
    try:
        token = (await request.json()).get("token")
    except ValueError:
        token = None
    if not isinstance(token, str) or not _same_origin(request):
        return JSONResponse({"ok": False}, status_code=400)
    role = await run_in_threadpool(_role, token)
    if role is None:
        return JSONResponse({"ok": False}, status_code=403)
    response = JSONResponse({"ok": True})
    hours = SCREEN_COOKIE_DAYS * 24 if role == "screen" else get_settings().session_hours
    response.set_cookie(
        COOKIE_NAME,
        sign(token),
        max_age=int(hours * 3600),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def end_session(request: Request) -> Response:
    """Clear the cookie (the page has already ended the session on the server)."""
    if not _same_origin(request):
        return JSONResponse({"ok": False}, status_code=400)
    response = JSONResponse({"ok": True})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [
    Route("/auth/session", start_session, methods=["POST"]),
    Route("/auth/signout", end_session, methods=["POST"]),
]
