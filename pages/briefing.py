"""Daily briefing: the briefing for a cut-off (a draft until issued), issuing it, and the
briefings issued so far, each as issued (leadership and admins)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import streamlit as st

from components.briefing import compose, issued_footer, on_page, with_footer
from components.briefing_pdf import FontMissing, briefing_pdf, find_font
from components.format import plain
from components.forms import forget_problems, problems_of
from data.briefing import compute_figures, latest_cutoff
from data.queries.briefings import (
    IssuedBriefing,
    find_issued_briefing,
    get_issued_briefing,
    list_issued_briefings,
)
from data.timeutil import format_local, to_local, to_utc
from data.writes import issue_briefing
from i18n import current_language, language, t
from shell import may, read, read_as_of, save, start_page

FORM = "briefing_issue"
DEFAULT_CUTOFF = time(8, 0)  # the morning report of the day before


def _pdf_maker(text: str, figures: dict[str, Any], footer: str | None) -> Callable[[], bytes]:
    """The PDF, made when the button is clicked (on another thread: the language is passed)."""
    lang = current_language()

    def make() -> bytes:
        with language(lang):
            return briefing_pdf(text, figures, footer=footer)

    return make


def downloads(text: str, figures: dict[str, Any], footer: str | None, key: str) -> None:
    """Download buttons for the briefing as Markdown and as PDF."""
    stem = f"briefing-{to_local(datetime.fromisoformat(figures['cutoff'])):%Y%m%d-%H%M}"
    stem += f"-{current_language()}"
    left, right = st.columns(2)
    with left:
        st.download_button(
            t("briefing.download_md"),
            with_footer(text, footer),
            file_name=f"{stem}.md",
            mime="text/markdown",
            key=f"{key}_md",
            on_click="ignore",
            icon=":material/description:",
        )
    with right:
        try:
            find_font()
        except FontMissing:
            st.warning(t("briefing.font_missing"), icon=":material/warning:")
            return
        st.download_button(
            t("briefing.download_pdf"),
            _pdf_maker(text, figures, footer),
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            key=f"{key}_pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
        )


def show_issued(issued: IssuedBriefing, key: str, *, status: bool = False) -> None:
    """An issued briefing exactly as issued, with who issued it; with `status`, first a line
    saying that it is issued, by whom and when (the page's answer to "is it out?")."""
    lang = current_language()
    footer = issued_footer(issued.issued_by, issued.issued_at)
    if status:
        st.success(
            t(
                "briefing.issued_status",
                user=plain(issued.issued_by),
                time=format_local(issued.issued_at),
            ),
            icon=":material/verified:",
        )
    with st.container(key=key):
        st.markdown(on_page(with_footer(issued.text(lang), footer)))
    downloads(issued.text(lang), issued.figures, footer, key)


def issue(figures: dict[str, Any]) -> None:
    """Issue the draft as the signed-in user (the write side checks the role again)."""
    texts = compose(figures)

    def write(session, actor) -> None:  # noqa: ANN001
        issue_briefing(
            session, actor=actor, figures=figures, text_zh=texts["zh"], text_en=texts["en"]
        )

    save(FORM, write, fields=[])


now = start_page("briefing.title")
if now is not None:
    if not may("create", "briefing"):
        st.info(t("briefing.may_not_issue"), icon=":material/lock:")
        st.stop()
    st.caption(t("briefing.caption"))
    # The briefing due most recently (08:00 today, or yesterday before 08:00).
    latest = latest_cutoff(now.now, DEFAULT_CUTOFF)
    left, right = st.columns(2)
    with left:
        day = st.date_input(
            t("briefing.cutoff_date"),
            value=to_local(latest).date(),
            max_value=now.today,
            key="briefing_day",
        )
    with right:
        moment = st.time_input(
            t("briefing.cutoff_time"), value=DEFAULT_CUTOFF, step=1800, key="briefing_time"
        )
    cutoff = to_utc(datetime.combine(day, moment))
    for message in problems_of(FORM).get(None, []):
        st.error(message, icon=":material/error:")
    forget_problems(FORM)
    if cutoff > now.now:
        st.warning(
            t("briefing.future_cutoff", now=format_local(now.now)), icon=":material/schedule:"
        )
    else:
        issued = read(find_issued_briefing, cutoff=cutoff)
        if issued is not None:
            # Issued (now, or before a reload): says so first, then the text as issued.
            show_issued(issued, "briefing_shown", status=True)
        else:
            # Kept while the reports coming in are dated after the cut-off.
            # The first open at a cut-off works its figures out (seconds at a province's
            # scale; a spinner says so after half a second), later ones find them kept.
            with st.spinner(t("briefing.working", cutoff=format_local(cutoff))):
                figures = read_as_of(compute_figures, moment=cutoff, cutoff=cutoff)
            text = compose(figures)[current_language()]
            st.caption(t("briefing.draft"))
            with st.container(border=True, key="briefing_draft"):
                st.markdown(on_page(text))
            downloads(text, figures, None, "briefing_draft_file")
            st.button(
                t("briefing.issue"),
                key="briefing_issue",
                help=t("briefing.issue_help"),
                type="primary",
                icon=":material/verified:",
                on_click=issue,
                args=(figures,),
            )

    st.subheader(t("briefing.issued_list"))
    issued_list = read(list_issued_briefings)
    if not issued_list:
        st.info(t("briefing.issued_none"))
    for row in issued_list:
        label = t(
            "briefing.issued_item",
            cutoff=format_local(row["cutoff_at"]),
            user=row["issued_by"],
            time=format_local(row["issued_at"]),
        )
        with st.expander(label):
            record = read(get_issued_briefing, briefing_id=row["id"])
            if record is not None:
                show_issued(record, f"briefing_issued_{row['id']}")
