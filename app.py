"""Epidemic-control command center: routes to the pages and draws the shared sidebar.

`streamlit run app.py` finds the `st.App` below and serves this script behind the routes
that set and clear the sign-in cookie (auth_routes.py); each run of the script itself
(`__main__`) routes to the pages.
"""

from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from data.queries.common import get_latest_report_time
from data.settings import get_settings
from data.timeutil import format_local
from i18n import LANGUAGES, t
from shell import as_of_control, choose_language, read, refresh_counter, settings_problem

# The tab icon ships with the app (a Material icon would be fetched from Google's font CDN).
ICON = Path(__file__).resolve().parent / "components" / "assets" / "shield.svg"


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


def _requested_path() -> str:
    """The first part of the address the browser asked for ("" at the root)."""
    url = st.context.url
    if not isinstance(url, str):
        return ""
    return urlsplit(url).path.strip("/").split("/")[-1]


def pages() -> dict:
    """Every view, by section; each page shows only the sign-in form until one signs in.

    The Overview answers at the root, at /overview (the address it declares) and at any
    address the app does not know, quietly: a wall screen's mistyped bookmark still opens
    a screen, never a "page not found" dialog.
    """
    script, title, icon, address = OVERVIEW
    views = [st.Page(s, title=t(k), icon=i, url_path=a) for s, k, i, a in VIEWS]
    known = {a for *_, a in VIEWS}
    asked = _requested_path()
    aliases = [st.Page(script, title=t(title), default=True, visibility="hidden", url_path="home")]
    if asked and asked not in known | {"home"}:
        aliases.append(st.Page(script, title=t(title), visibility="hidden", url_path=asked))
    return {t("nav.command"): [*aliases, views[0]], t("nav.views"): views[1:]}


def main() -> None:
    """One run of the app: navigation (shown once signed in), the sidebar, the page."""
    lang = choose_language()
    st.set_page_config(page_title=t("app.title"), page_icon=ICON, layout="wide")
    actor = signed_in()
    navigation = st.navigation(pages(), position="sidebar" if actor else "hidden")
    with st.sidebar:
        sidebar(lang, actor)
    navigation.run()


def signed_in():  # noqa: ANN201 - an Actor or None
    """Who is signed in, or None (also when the settings or the database are wrong: the
    page says what is wrong)."""
    if settings_problem() is not None:
        return None
    try:
        refresh_counter()
        from signin import current_actor

        return current_actor()
    except Exception:  # noqa: BLE001 - the page itself says what is wrong with the database
        return None


def sidebar(lang: str, actor) -> None:  # noqa: ANN001
    """The app's name, the language switch, the "as of" control and time, who is signed in."""
    st.markdown(f"### {t('app.title')}")
    st.caption(t("app.city"))
    st.segmented_control(
        t("sidebar.language"),
        LANGUAGES,
        key="lang",
        default=lang,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )
    # Nothing of the data before sign-in (signed_in has read the settings and the change
    # counter for this run already).
    if actor is not None:
        try:
            latest = read(get_latest_report_time)
            now = as_of_control()
        except Exception:  # noqa: BLE001 - the page itself says what is wrong with the database
            latest, now = None, None
        if now is not None and now.replay:
            # The newest report may be later than the replayed moment: show the moment.
            st.caption(t("sidebar.replay", time=format_local(now.now)))
        elif latest is not None:
            st.caption(t("sidebar.as_of", time=format_local(latest)))
        elif now is not None:
            st.caption(t("sidebar.no_data"))
        st.caption(t("sidebar.timezone", zone=get_settings().timezone))
    if actor is not None:
        from signin import sidebar_account

        st.divider()
        sidebar_account(actor)


if __name__ == "__main__":
    main()
else:
    # `streamlit run app.py` imports this module to serve it: Streamlit behind the routes
    # that set and clear the sign-in cookie.
    from auth_routes import ROUTES

    app = st.App(__file__, routes=ROUTES)
