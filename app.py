"""Epidemic-control command center: routes to the pages and draws the shared sidebar.

`streamlit run app.py` finds the `st.App` below and serves this script behind the routes
that set and clear the sign-in cookie (auth_routes.py), with nested addresses sent to their
page (addresses.py); each run of the script itself
(`__main__`) routes to the pages.
"""

from pathlib import Path
from urllib.parse import quote, urlsplit

import streamlit as st

from data.db import DatabaseProblem
from data.queries.common import get_latest_report_time
from data.settings import get_settings
from data.timeutil import format_local
from i18n import LANGUAGES, t
from screen import (
    alert_interrupt,
    is_screen_mode,
    page_through,
    recheck_alerts,
    rotate,
    screen_style,
    unacknowledged_critical_alerts,
)
from shell import (
    ACTOR,
    DB_PROBLEM,
    SIGNED_IN_THIS_RUN,
    as_of_control,
    choose_language,
    clock,
    end_of_run,
    read,
    refresh_counter,
    settings_problem,
    settle_heap,
    watch_for_changes,
)

# The tab icon ships with the app (a Material icon would be fetched from Google's font CDN).


def _icon_uri(path: Path) -> str:
    """The tab's icon as a data URI of its SVG, only what must be escaped escaped (given as a
    file, Streamlit sent a base64 URI: 480 bytes with the page's settings on every run of
    every page, against ~290)."""
    svg = " ".join(path.read_text(encoding="utf-8").split())
    return "data:image/svg+xml," + quote(svg, safe="=/:'\".,")


ICON = _icon_uri(Path(__file__).resolve().parent / "components" / "assets" / "shield.svg")


VIEWS = (
    # (script, title key, icon, address)
    ("pages/overview.py", "overview.title", ":material/dashboard:", "overview"),
    ("pages/cases.py", "cases.title", ":material/map:", "cases"),
    ("pages/testing.py", "testing.title", ":material/biotech:", "testing"),
    ("pages/hotels.py", "hotels.title", ":material/hotel:", "hotels"),
    ("pages/supplies.py", "supplies.title", ":material/inventory_2:", "supplies"),
    ("pages/audits.py", "audits.title", ":material/health_and_safety:", "audits"),
)
OVERVIEW = VIEWS[0]
# Command pages for some roles only, beside the Overview: (script, title key, icon, address,
# who may use it).
COMMAND_VIEWS = (
    ("pages/briefing.py", "briefing.title", ":material/summarize:", "briefing", "briefing"),
)
# Pages for some roles only: (script, title key, icon, address, who may use it).
ADMIN_VIEWS = (
    ("pages/admin.py", "admin.title", ":material/upload_file:", "admin", "may_import"),
    ("pages/changelog.py", "changelog.title", ":material/history:", "changelog", "log_reader"),
)


def may_use(actor, rule: str) -> bool:  # noqa: ANN001 - an Actor or None
    """Whether the signed-in user may use a page of ADMIN_VIEWS (else it is not listed, and
    its address opens the Overview; the page itself refuses too)."""
    if actor is None:
        return False
    if rule == "briefing":
        from data.writes import allowed

        return allowed(actor, "create", "briefing")
    if rule == "log_reader":
        from data.writes.permissions import may_read_change_log

        return may_read_change_log(actor)
    from data.transfer import KINDS
    from data.writes import allowed

    return any(allowed(actor, "create", kind.entity.name) for kind in KINDS.values())


def _requested_path() -> str:
    """The first part of the address the browser asked for ("" at the root)."""
    url = st.context.url
    if not isinstance(url, str):
        return ""
    return urlsplit(url).path.strip("/").split("/")[-1]


def view_pages() -> dict[str, st.Page]:
    """The views everyone signed in sees, by address (the screen mode's playlist names them)."""
    return {a: st.Page(s, title=t(k), icon=i, url_path=a) for s, k, i, a in VIEWS}


def pages(actor=None, views: dict | None = None) -> dict:  # noqa: ANN001 - an Actor or None
    """Every view, by section; each page shows only the sign-in form until one signs in.

    The Overview answers at the root, at /overview (the address it declares) and at any
    address the app does not know, quietly: a wall screen's mistyped bookmark still opens
    a screen, never a "page not found" dialog.
    """
    script, title, icon, address = OVERVIEW
    views = list((views or view_pages()).values())
    admin = [
        st.Page(s, title=t(k), icon=i, url_path=a)
        for s, k, i, a, rule in ADMIN_VIEWS
        if may_use(actor, rule)
    ]
    command = [
        st.Page(s, title=t(k), icon=i, url_path=a)
        for s, k, i, a, rule in COMMAND_VIEWS
        if may_use(actor, rule)
    ]
    known = {a for *_, a in VIEWS} | {page.url_path for page in [*command, *admin]}
    asked = _requested_path()
    aliases = [st.Page(script, title=t(title), default=True, visibility="hidden", url_path="home")]
    if asked and asked not in known | {"home"}:
        aliases.append(st.Page(script, title=t(title), visibility="hidden", url_path=asked))
    sections = {t("nav.command"): [*aliases, views[0], *command], t("nav.views"): views[1:]}
    if admin:
        sections[t("nav.admin")] = admin
    return sections


def main() -> None:
    """One run of the app: navigation (shown once signed in), the sidebar, the page."""
    lang = choose_language()
    st.set_page_config(page_title=t("app.title"), page_icon=ICON, layout="wide")
    actor = signed_in()
    views = view_pages()
    screen = actor is not None and is_screen_mode()
    navigation = st.navigation(
        pages(actor, views), position="sidebar" if actor and not screen else "hidden"
    )
    from signin import cookie_requested

    try:
        if screen:
            wall_screen(navigation, views, actor)
        else:
            with st.sidebar:
                sidebar(lang, actor)
            navigation.run()
    finally:
        end_of_run()
    # Only now: a run cut short (a switch of page) asks for the cookie again in the next.
    cookie_requested()
    # After the first run's page is drawn (its user does not wait for it).
    settle_heap()


def wall_screen(navigation, views: dict, actor) -> None:  # noqa: ANN001 - a StreamlitPage, an Actor
    """Screen mode (`?screen=1`): no sidebar or navigation, the hall's look, the playlist's
    bar on top (it moves on to the next view when this one's time is up), live refresh; a
    critical alert nobody has acknowledged instead of the rotation."""
    from signin import set_cookie_if_pending

    st.session_state[ACTOR] = actor  # who may acknowledge (a page run sets it again)
    # Right after a sign-in the browser asks for its cookie, whether a view or an alert is
    # drawn below (the sidebar that does it elsewhere is not drawn here).
    set_cookie_if_pending()
    screen_style()
    try:
        pending, acknowledged = unacknowledged_critical_alerts(clock().now)
    except Exception:  # noqa: BLE001 - the page below says what is wrong with the database
        pending, acknowledged = [], {}
    if pending:
        # The rotation waits; the live refresh redraws this when the alert is acknowledged
        # or ends (either is a write), and then the playlist goes on.
        alert_interrupt(pending, acknowledged, views)
        watch_for_changes()
        recheck_alerts()
        return
    # The root (and any address the app does not know) starts the playlist from its first
    # view; a view's own address (a reload) goes on from that view.
    entry = rotate(views, navigation.url_path if navigation.url_path in views else None)
    if entry is not None:
        page_through(entry)
    watch_for_changes()
    navigation.run()


def signed_in():  # noqa: ANN201 - an Actor or None
    """Who is signed in, or None (also when the settings or the database are wrong: the
    page says what is wrong)."""
    st.session_state.pop(DB_PROBLEM, None)
    if settings_problem() is not None:
        return None
    try:
        refresh_counter()
        from signin import current_actor

        actor = current_actor()
        st.session_state[SIGNED_IN_THIS_RUN] = (actor,)
        return actor
    except DatabaseProblem as error:  # the page says it, without waiting again
        st.session_state[DB_PROBLEM] = error
        return None
    except Exception:  # noqa: BLE001 - the page itself says what is wrong with the database
        return None


def sidebar(lang: str, actor) -> None:  # noqa: ANN001
    """Who is signed in (first: sign-out stays in view on a laptop), the language switch, the
    "as of" control and time, and the app's name."""
    if actor is not None:
        from signin import set_cookie_if_pending, sidebar_account

        watch_for_changes()

        # Right after a sign-in, the browser asks for its cookie before the page is drawn:
        # a new tab opened at once is already signed in.
        set_cookie_if_pending()
        sidebar_account(actor)
        st.divider()
    st.segmented_control(
        t("sidebar.language"),
        LANGUAGES,
        key="lang",
        default=lang,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )
    # Nothing of the data before sign-in (signed_in has read the settings and the change
    # counter for this run already).
    lines = []
    if actor is not None:
        try:
            latest = read(get_latest_report_time)
            now = as_of_control()
        except Exception:  # noqa: BLE001 - the page itself says what is wrong with the database
            latest, now = None, None
        if now is not None and now.replay:
            # The newest report may be later than the replayed moment: show the moment.
            lines.append(t("sidebar.replay", time=format_local(now.now)))
        elif latest is not None:
            lines.append(t("sidebar.as_of", time=format_local(latest)))
        elif now is not None:
            lines.append(t("sidebar.no_data"))
        lines.append(t("sidebar.timezone", zone=get_settings().timezone))
    lines.append(f"**{t('app.title')}** · {t('app.city')}")
    # One caption, a line each: every element is sent again on every rerun of every page.
    st.caption("  \n".join(lines))


if __name__ == "__main__":
    main()
else:
    # `streamlit run app.py` imports this module to serve it: Streamlit behind the routes
    # that set and clear the sign-in cookie.
    from starlette.middleware import Middleware
    from streamlit.runtime.pages_manager import PagesManager

    from addresses import NestedPathRedirect
    from auth_routes import ROUTES

    # The pages are this script's st.navigation, never the scripts under pages/ by file
    # name: Streamlit's own guess from that folder ("app", "overview" ...) would be the
    # sidebar's until a run first declares its navigation, i.e. for the whole of a first
    # start's preparing of the database (the demo's seeding).
    PagesManager.uses_pages_directory = False

    app = st.App(__file__, routes=ROUTES, middleware=[Middleware(NestedPathRedirect)])
