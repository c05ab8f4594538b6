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


def _live(token: str) -> bool:
    with Session(_engine()) as session:
        return accounts.resolve_session(session, token) is not None


async def start_session(request: Request) -> Response:
    """Set the cookie for a session the sign-in form has just started."""
    try:
        token = (await request.json()).get("token")
    except ValueError:
        token = None
    if not isinstance(token, str) or not _same_origin(request):
        return JSONResponse({"ok": False}, status_code=400)
    if not await run_in_threadpool(_live, token):
        return JSONResponse({"ok": False}, status_code=403)
    response = JSONResponse({"ok": True})
    response.set_cookie(
        COOKIE_NAME,
        sign(token),
        max_age=int(get_settings().session_hours * 3600),
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
