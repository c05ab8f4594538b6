"""Epidemic-control command center: routes to the pages and draws the shared sidebar."""

from pathlib import Path

import streamlit as st

from data.queries.common import get_latest_report_time
from data.settings import get_settings
from data.timeutil import format_local
from i18n import LANGUAGES, t
from shell import choose_language, clock, read, refresh_counter, settings_problem

# The tab icon ships with the app (a Material icon would be fetched from Google's font CDN).
ICON = Path(__file__).resolve().parent / "components" / "assets" / "shield.svg"

st.set_page_config(page_title="疫情防控指挥中心", page_icon=ICON, layout="wide")
lang = choose_language()

pages = {
    t("nav.command"): [
        st.Page(
            "pages/overview.py",
            title=t("overview.title"),
            icon=":material/dashboard:",
            default=True,
            url_path="overview",
        ),
    ],
    t("nav.views"): [
        st.Page("pages/cases.py", title=t("cases.title"), icon=":material/map:", url_path="cases"),
        st.Page(
            "pages/testing.py",
            title=t("testing.title"),
            icon=":material/biotech:",
            url_path="testing",
        ),
        st.Page(
            "pages/hotels.py", title=t("hotels.title"), icon=":material/hotel:", url_path="hotels"
        ),
        st.Page(
            "pages/supplies.py",
            title=t("supplies.title"),
            icon=":material/inventory_2:",
            url_path="supplies",
        ),
        st.Page(
            "pages/audits.py",
            title=t("audits.title"),
            icon=":material/health_and_safety:",
            url_path="audits",
        ),
    ],
}
navigation = st.navigation(pages)

with st.sidebar:
    st.markdown(f"### {t('app.title')}")
    st.caption(t("app.city"))
    st.segmented_control(
        t("sidebar.language"),
        LANGUAGES,
        key="lang",
        default=lang,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )
    if settings_problem() is None:  # otherwise the page says which setting is wrong
        try:
            refresh_counter()
            latest = read(get_latest_report_time)
            now = clock()
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

navigation.run()
