"""Addresses a person types or bookmarks: a nested path lands on a page, never a blank screen.

Streamlit's page loads its scripts relative to the address, so `/audits/x` (a mistyped or
old bookmark) would load `/audits/static/...`, find nothing and stay blank. Such an address
is redirected to its first part (`/audits`, keeping any `?lang=` and the like); the app then
opens that page, or the Overview for a part it does not know.
"""

from __future__ import annotations

from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# First parts of the paths Streamlit (and our own routes) serve below the root.
SERVED = frozenset({"_stcore", "static", "media", "component", "app", "auth", "~"})


def landing_path(path: str) -> str | None:
    """Where a nested page address should go instead (None: serve it as it is)."""
    parts = [part for part in path.split("/") if part]
    # The browser looks for Streamlit's own paths below the page's address too (as if the
    # app were served under a base path): `/audits/_stcore/health` must get its 404.
    if len(parts) < 2 or SERVED.intersection(parts) or "." in parts[-1]:
        return None  # a page, one of Streamlit's own paths, or a file
    return f"/{parts[0]}"


class NestedPathRedirect:
    """ASGI middleware: a browser asking for a page at a nested path is sent to its page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            target = landing_path(scope["path"])
            if target is not None:
                url = URL(scope=scope).replace(path=target)
                response = RedirectResponse(url.path + (f"?{url.query}" if url.query else ""))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
