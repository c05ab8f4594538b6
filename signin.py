"""Who is signed in, the sign-in form and signing out (where Streamlit meets data.accounts).

A sign-in lives in the database (data.accounts) and in two places of the browser: this
script run's session state, and the signed HttpOnly cookie that `auth_routes` sets, so that
a reload or a new tab keeps it for a working day. Signing out (or an admin disabling the
user) ends it on the server: a cookie left behind no longer opens anything.
"""

from __future__ import annotations

import json
from datetime import timedelta

import streamlit as st
from sqlmodel import Session

from components.signin import (
    demo_accounts_table,
    screen_token_form,
    sign_in_form,
    signed_in_caption,
)
from data import accounts
from data.cookies import COOKIE_NAME, unsign
from data.queries.common import get_scope_names
from data.settings import get_settings
from data.writes import Actor
from i18n import name, t
from shell import get_engine, read

TOKEN = "auth_token"
_COOKIE_PENDING = "auth_cookie_pending"
_PROBLEM = "auth_problem"


def _token() -> str | None:
    token = st.session_state.get(TOKEN)
    if token is None:
        token = unsign(st.context.cookies.get(COOKIE_NAME))
    return token


def current_actor() -> Actor | None:
    """The signed-in user or wall screen (from this session, or the browser's cookie), or
    None."""
    token = _token()
    if token is None:
        return None
    with Session(get_engine()) as session:
        actor = accounts.resolve(session, token)
    if actor is None:
        st.session_state.pop(TOKEN, None)
    else:
        st.session_state[TOKEN] = token
    return actor


def _client() -> str:
    """Where the sign-in comes from, for throttling (the browser's address)."""
    address = getattr(st.context, "ip_address", None)
    return address if isinstance(address, str) and address else "local"


def _submit() -> None:
    username = st.session_state.get("login_username", "").strip()
    password = st.session_state.get("login_password", "")
    with Session(get_engine()) as session:
        result = accounts.authenticate(
            session, username=username, password=password, client=_client()
        )
        if result.actor is None:
            st.session_state[_PROBLEM] = (result.problem, result.wait_seconds)
            return
        token = accounts.start_session(
            session,
            user_id=result.actor.user_id,
            lifetime=timedelta(hours=get_settings().session_hours),
        )
    st.session_state.pop(_PROBLEM, None)
    st.session_state["login_password"] = ""
    st.session_state[TOKEN] = token
    st.session_state[_COOKIE_PENDING] = True


def _submit_screen() -> None:
    token = st.session_state.get("screen_token", "").strip()
    with Session(get_engine()) as session:
        actor = accounts.resolve_screen_token(session, token) if token else None
    if actor is None:
        st.session_state[_PROBLEM] = ("bad_screen_token", 0)
        return
    st.session_state.pop(_PROBLEM, None)
    st.session_state["screen_token"] = ""
    st.session_state[TOKEN] = token
    st.session_state[_COOKIE_PENDING] = True


def sign_in_panel() -> None:
    """The sign-in page: the form, why a sign-in failed, and the demo's accounts."""
    st.title(t("signin.title"))
    st.caption(t("signin.intro"))
    problem = st.session_state.get(_PROBLEM)
    message = None
    if problem is not None:
        code, wait = problem
        message = t(f"signin.{code}", seconds=wait)
    screen_problem = message if problem is not None and problem[0] == "bad_screen_token" else None
    sign_in_form(on_submit=_submit, problem=None if screen_problem else message)
    screen_token_form(on_submit=_submit_screen, problem=screen_problem)
    with Session(get_engine()) as session:
        demo = accounts.demo_accounts(session)
    if demo:
        demo_accounts_table(demo)


def set_cookie_if_pending() -> None:
    """After a sign-in, have the browser ask `/auth/session` for the cookie: in each run
    until one finishes (`cookie_requested`). A run cut short (a wall screen's playlist
    switching to its first view) never reaches the browser with it."""
    if not st.session_state.get(_COOKIE_PENDING, False):
        return
    body = json.dumps({"token": st.session_state[TOKEN]})
    st.html(
        "<script>fetch('/auth/session', {method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}});"
        "</script>",
        unsafe_allow_javascript=True,
    )


def cookie_requested() -> None:
    """The run that asked the browser for its cookie finished: do not ask again."""
    st.session_state.pop(_COOKIE_PENDING, None)


def sign_out() -> None:
    """End the session on the server, then have the browser drop its cookie."""
    token = st.session_state.pop(TOKEN, None) or _token()
    if token is not None:
        with Session(get_engine()) as session:
            accounts.end_session(session, token)
    st.session_state["auth_signed_out"] = True


def clear_cookie_if_signed_out() -> None:
    """After signing out, the browser drops the cookie (the server already ended it)."""
    if st.session_state.pop("auth_signed_out", False):
        st.html(
            "<script>fetch('/auth/signout', {method: 'POST', credentials: 'same-origin'});"
            "</script>",
            unsafe_allow_javascript=True,
        )


def sidebar_account(actor: Actor) -> None:
    """Who is signed in, their role and scope, and the sign-out button."""
    districts, facilities = read(
        get_scope_names,
        district_codes=tuple(sorted(actor.district_codes)),
        facility_ids=tuple(sorted(actor.facility_ids)),
    )
    signed_in_caption(
        name=actor.name,
        role=actor.role,
        districts=[name(record) for record in districts],
        facilities=[name(record) for record in facilities],
    )
    st.button(t("signin.sign_out"), key="sign_out", on_click=sign_out, icon=":material/logout:")
