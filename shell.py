"""What every page shares: the engine, cached reads keyed on the change counter, the clock.

This is the only place where Streamlit meets the database: pages call `read(...)` with a
query function from `data.queries`, and hand the result to `components`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from typing import Any, TypeVar

import streamlit as st
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from components.banner import empty_database_notice, picked_moment_notice, simulated_notice
from components.forms import forget_problems, remember_problems
from data.bootstrap import prepare_database
from data.db import DatabaseUnavailable, make_engine
from data.queries.common import (
    Clock,
    Scenario,
    clock_for,
    get_change_counter,
    get_scenario,
    has_any_data,
)
from data.settings import get_settings
from data.timeutil import format_local, to_local, to_utc, utc_now
from data.writes import Actor, StaleEdit, WriteError, allowed, authorize
from i18n import LANGUAGES, describe_problem, set_language, t

T = TypeVar("T")
# The signed-in user of this run (an Actor), set by start_page for the page's update panels.
ACTOR = "_actor"
# The form saved in the last run, so that the next run says so.
SAVED = "_saved_form"
# The sidebar's one "as of" control: replay an earlier moment (on), its day and time.
AS_OF_ON, AS_OF_DAY, AS_OF_TIME = "as_of_on", "as_of_day", "as_of_time"
# The times the control offers (any minute may be typed).
AS_OF_STEP = timedelta(minutes=5)


@st.cache_resource(show_spinner="正在准备数据库… / Preparing the database…")
def get_engine() -> Engine:
    """The process-wide engine; on first start the schema is made and the demo seeded."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    prepare_database(engine, seed_demo_if_empty=settings.demo_data, scale=settings.demo_scale)
    return engine


def refresh_counter() -> int:
    """Read the database's change counter for this script run (cached reads key on it)."""
    with Session(get_engine()) as session:
        counter = get_change_counter(session=session)
    st.session_state["_counter"] = counter
    return counter


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_read(name: str, counter: int, arguments: tuple, _query: Callable[..., T]) -> T:
    with Session(get_engine()) as session:
        return _query(session=session, **dict(arguments))


def read(query: Callable[..., T], /, **arguments: Any) -> T:
    """Run a data-layer read, cached until anything in the database changes."""
    name = f"{query.__module__}.{query.__qualname__}"
    key = tuple(sorted(arguments.items()))
    return _cached_read(name, st.session_state["_counter"], key, _query=query)


def clock() -> Clock:
    """The moment T every figure of the page is read at: the moment picked in the sidebar's
    "as of" control, else REPLAY_AT, else the end of an ended demo scenario, else live (to
    the end of the current minute, so that reruns within a minute share cached reads)."""
    return clock_for(scenario(), picked=picked_moment())


def picked_moment() -> datetime | None:
    """The moment picked in the sidebar's "as of" control (UTC), or None when it is off."""
    state = st.session_state
    if not state.get(AS_OF_ON):
        return None
    day, moment = state.get(AS_OF_DAY), state.get(AS_OF_TIME)
    if day is None or moment is None:
        return None
    return to_utc(datetime.combine(day, moment.replace(second=0, microsecond=0)))


def as_of_control() -> Clock:
    """The one "as of" control of every view, in the sidebar: off, the views show the
    default moment (live, REPLAY_AT or the end of a demo scenario); on, any earlier moment
    to the minute. Returns the clock the page will use."""
    default = clock_for(scenario())
    latest = to_local(default.now)
    on = st.toggle(t("sidebar.as_of_pick"), key=AS_OF_ON, help=t("sidebar.as_of_pick_help"))
    if on:
        if AS_OF_DAY not in st.session_state:
            st.session_state[AS_OF_DAY] = latest.date()
        if AS_OF_TIME not in st.session_state:
            st.session_state[AS_OF_TIME] = time(latest.hour, latest.minute)
        left, right = st.columns(2)
        left.date_input(t("sidebar.as_of_day"), max_value=latest.date(), key=AS_OF_DAY)
        right.time_input(t("sidebar.as_of_time"), step=AS_OF_STEP, key=AS_OF_TIME)
    return clock()


def scenario() -> Scenario | None:
    """The demo scenario's description, when the data is simulated."""
    return read(get_scenario)


def choose_language() -> str:
    """The language from the sidebar switch, else `?lang=`, else Chinese; applied to strings."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", "zh")
    return set_language(lang if lang in LANGUAGES else "zh")


def _route_through_app() -> None:
    """Re-run through app.py when a fresh server's first request deep-links to a page.

    Until some run has called st.navigation, Streamlit treats a `pages/` folder beside the
    main script as old-style multipage and runs the page file alone, without app.py's layout
    and navigation (a wall screen bookmarked to /testing would hit this after a restart).
    Clearing that flag and re-running lets app.py route the same URL.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without it has no such mode either
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def settings_problem() -> str | None:
    """What is wrong with the settings (environment / .env), or None when they are valid."""
    try:
        get_settings()
    except ValidationError as error:
        return "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']).upper()}: {issue['msg']}"
            for issue in error.errors()
        )
    return None


def start_page(title_key: str) -> Clock | None:
    """Set up a page: language, database, counter, sign-in, title, simulated notice.

    Returns the clock, or None (after saying why) when there is nothing to show.
    """
    _route_through_app()
    choose_language()
    problem = settings_problem()
    if problem is not None:
        st.error(t("error.settings", problem=problem), icon=":material/error:")
        return None
    try:
        refresh_counter()
    except DatabaseUnavailable as error:
        st.error(t("error.database", reason=error), icon=":material/error:")
        return None
    except Exception as error:  # noqa: BLE001 - a broken database must not show a traceback
        st.error(t("error.database", reason=type(error).__name__), icon=":material/error:")
        return None
    from signin import (
        clear_cookie_if_signed_out,
        current_actor,
        set_cookie_if_pending,
        sign_in_panel,
    )

    actor = current_actor()
    if actor is None:
        clear_cookie_if_signed_out()
        sign_in_panel()
        return None
    set_cookie_if_pending()
    st.session_state[ACTOR] = actor
    saved_notice()
    st.title(t(title_key))
    current = scenario()
    if current is not None and current.simulated:
        simulated_notice()
    if not read(has_any_data):
        empty_database_notice()
        return None
    moment = clock()
    if moment.picked:
        picked_moment_notice(format_local(moment.now))
    return moment


def current_user() -> Actor:
    """The signed-in user of this page run (start_page has checked there is one)."""
    return st.session_state[ACTOR]


def may(action: str, entity: str) -> bool:
    """Whether the signed-in user's role may ever take this action (to show its panel)."""
    actor = st.session_state.get(ACTOR)
    return actor is not None and allowed(actor, action, entity)


def save(form: str, write: Callable[[Session, Actor], Any], *, fields: Sequence[str]) -> str:
    """Run one write for a form as the signed-in user; on refusal keep its messages by field.

    Returns "saved", "stale" (someone else saved first) or "refused". Nothing half-written
    stays: the write side commits all of it or nothing.
    """
    try:
        with Session(get_engine()) as session:
            write(session, current_user())
    except WriteError as error:
        problems: dict[str | None, list[str]] = {}
        for problem in error.problems:
            place = problem.field if problem.field in fields else None
            problems.setdefault(place, []).append(describe_problem(problem))
        remember_problems(form, problems)
        return "stale" if isinstance(error, StaleEdit) else "refused"
    except Exception as error:  # noqa: BLE001 - a user sees a message, never a traceback
        remember_problems(form, {None: [t("form.failed", reason=type(error).__name__)]})
        return "refused"
    forget_problems(form)
    st.session_state[SAVED] = form
    return "saved"


def saved_notice() -> None:
    """Say once, after the rerun that shows the new figures, that the last save worked."""
    if st.session_state.pop(SAVED, None) is not None:
        st.toast(t("form.saved"), icon=":material/check_circle:")


def in_scope(action: str, entity: str, *, district_code: str, facility_id: int | None) -> bool:
    """Whether the signed-in user may take this action on this district's (facility's) record."""
    try:
        authorize(
            current_user(), action, entity, district_code=district_code, facility_id=facility_id
        )
    except WriteError:
        return False
    return True


def local_now() -> datetime:
    """Now on the command's wall clock, to the minute (a form's default report time)."""
    return to_local(utc_now()).replace(tzinfo=None, second=0, microsecond=0)
