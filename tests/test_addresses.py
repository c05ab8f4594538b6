"""Nested addresses (a mistyped bookmark such as /audits/x) go to their page, and Streamlit's
own paths, looked for below a page's address too, are left alone."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.responses import PlainTextResponse

from addresses import NestedPathRedirect, landing_path
from tests.conftest import open_app
from tests.factories import make_facility


@pytest.mark.parametrize(
    ("path", "landing"),
    [
        ("/audits/x", "/audits"),
        ("/testing/round/3/", "/testing"),
        ("/nope/deeper", "/nope"),  # the app then opens the Overview for an unknown page
        ("/", None),
        ("/audits", None),
        ("/_stcore/health", None),
        ("/audits/_stcore/health", None),  # the browser probing for a base path: a 404
        ("/audits/static/js/main.js", None),
        ("/app/static/logo.png", None),
        ("/auth/session", None),
        ("/media/abc.png", None),
    ],
)
def test_a_nested_page_address_lands_on_its_first_part(path: str, landing: str | None) -> None:
    assert landing_path(path) == landing


def _get(method: str, path: str, query: str = "") -> tuple[int, dict[str, str], bytes]:
    """Send one request through the middleware (in front of an app that echoes the path)."""

    async def echo(scope, receive, send) -> None:  # noqa: ANN001
        await PlainTextResponse(scope["path"])(scope, receive, send)

    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8501")],
        "scheme": "http",
        "server": ("127.0.0.1", 8501),
    }
    asyncio.run(NestedPathRedirect(echo)(scope, receive, send))
    headers = {key.decode(): value.decode() for key, value in sent[0]["headers"]}
    return sent[0]["status"], headers, sent[1]["body"]


def test_the_redirect_keeps_the_query_and_only_page_loads_move() -> None:
    status, headers, _ = _get("GET", "/audits/x", "lang=en")
    assert (status, headers["location"]) == (307, "/audits?lang=en")
    assert _get("GET", "/audits")[2] == b"/audits"
    assert _get("POST", "/audits/x")[2] == b"/audits/x"


# --- A view's filters live in the address -----------------------------------------------------


def test_a_views_filters_open_from_the_address_and_follow_the_choice(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        make_facility(session, kind="general_hospital", district_code="440104")
    app = open_app("pages/audits.py")
    app.query_params["lang"] = "en"
    app.query_params["audits_district"] = "440104"
    app.query_params["audits_kinds"] = ["general_hospital", "no_such_kind"]
    app.run()
    assert not app.exception
    # Codes, not names, in the address: the same bookmark in either language.
    assert app.selectbox(key="audits_district").value == "440104"
    assert app.multiselect(key="audits_kinds").value == ["general_hospital"]
    assert app.query_params["audits_kinds"] == "general_hospital"  # the unknown one dropped
    app.selectbox(key="audits_district").set_value("440103").run()
    assert app.query_params["audits_district"] == "440103"
    app.selectbox(key="audits_district").set_value("").run()  # the whole city: a clean address
    assert "audits_district" not in app.query_params
