"""How fresh each source is: a table of sources (last report, by whom, stale reporters)
and, per source with stale reporters, an expander naming them. No database here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import pandas as pd
import streamlit as st

from components.format import fmt_int, person
from data.timeutil import format_local
from i18n import current_language, t


def _moment(value: object) -> str:
    return format_local(value) if isinstance(value, datetime) else t("freshness.never")


def _state(stale: int, reporters: int) -> str:
    """A source's state in words and a symbol (never by colour alone)."""
    if reporters == 0:
        return t("freshness.state.none")
    return t("freshness.state.stale") if stale else t("freshness.state.fresh")


def _interval(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        return t("freshness.interval.days", days=minutes // (24 * 60))
    if minutes % 60 == 0:
        return t("freshness.interval.hours", hours=minutes // 60)
    return t("freshness.interval.minutes", minutes=minutes)


# The account name of writes made by the app itself (the demo seed, `simulate`, commands
# run without --user): data.writes.SYSTEM.
SYSTEM_NAME = "system"


def _by(name: str | None) -> str:
    """Who reported last, in the reader's words when it was the app itself, and in the
    reader's language when the name holds both (an auditor: "督查组 1 / Team 1")."""
    if not name:
        return "—"
    return t("freshness.by_system") if name == SYSTEM_NAME else person(name)


def freshness_table(sources: Sequence) -> pd.DataFrame:
    """One row per source (data.queries.freshness.SourceFreshness), in the reader's words."""
    return pd.DataFrame(
        {
            t("freshness.col.source"): [t(f"source.{row.source}") for row in sources],
            t("freshness.col.state"): [_state(row.stale, row.reporters) for row in sources],
            t("freshness.col.last"): [_moment(row.last_reported_at) for row in sources],
            t("freshness.col.by"): [_by(row.last_by) for row in sources],
            t("freshness.col.stale"): [
                f"{fmt_int(row.stale)} / {fmt_int(row.reporters)}" for row in sources
            ],
        }
    )


def stale_table(stale: pd.DataFrame) -> pd.DataFrame:
    """A source's stale reporters: name, district, latest report, expected interval."""
    lang = current_language()
    return pd.DataFrame(
        {
            t("freshness.col.reporter"): stale[f"name_{lang}"].tolist(),
            t("freshness.col.district"): stale[f"district_{lang}"].tolist(),
            t("freshness.col.last"): [_moment(value) for value in stale["last_reported_at"]],
            t("freshness.col.interval"): [
                _interval(int(minutes)) for minutes in stale["interval_minutes"]
            ],
        }
    )


def render_freshness(sources: Sequence, stale_by_source: Mapping[str, pd.DataFrame]) -> None:
    """The sources' table, then an expander per source with stale reporters (their
    `stale_table`, built by the caller: a page keeps it from run to run)."""
    st.subheader(t("freshness.title"))
    st.dataframe(
        freshness_table(sources), hide_index=True, width="stretch", key="overview_freshness"
    )
    for row in sources:
        stale = stale_by_source.get(row.source)
        if stale is None or not row.stale:
            continue
        label = t("freshness.expander", source=t(f"source.{row.source}"), count=row.stale)
        with st.expander(label):
            st.dataframe(
                stale,
                hide_index=True,
                width="stretch",
                key=f"overview_stale_{row.source}",
            )
            if row.stale > len(stale):
                st.caption(t("freshness.more", shown=len(stale), count=row.stale))
    st.caption(t("freshness.caption"))
