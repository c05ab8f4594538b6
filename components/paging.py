"""Long tables a page at a time: the browser gets the rows a screen shows, not a city's
thousands, with a button for the next page (the full list is the page's download)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from components.format import fmt_int
from i18n import t

# Rows sent at first (the most urgent: callers sort); "show more" adds as many again.
ROWS_PER_PAGE = 200
# A table's header and each of its rows are this tall, in pixels. A table wider than its
# column scrolls sideways under a scroll bar (a desktop browser's, up to 16 pixels) that
# takes its room from the rows: without room for it, it covers the last row.
ROW_HEIGHT = 35
SCROLLBAR_ROOM = 16


def search_names(rows: pd.DataFrame, text: str, names: Sequence[str]) -> pd.DataFrame:
    """The rows where any of the `names` columns, in either language (`<name>_zh`,
    `<name>_en`), holds `text` (any case); every row when `text` is blank."""
    wanted = text.strip().casefold()
    if not wanted:
        return rows
    found = pd.Series(False, index=rows.index)
    for name in names:
        for lang in ("zh", "en"):
            column = rows[f"{name}_{lang}"].astype(str)
            # Names repeat across thousands of rows: each distinct name is tested once.
            matches = {value: wanted in value.casefold() for value in column.drop_duplicates()}
            found |= column.map(matches)
    return rows[found]


def search_to_pick(
    rows: pd.DataFrame,
    *,
    key: str,
    names: Sequence[str],
    label: str,
    help_text: str,
    shown_text: Callable[[str, str], str],
    place: Any = st,
) -> pd.DataFrame:
    """The rows a picker lists, in the order given: all of them while they are a page's
    worth; beyond that a search box (in `place`) over the `names` columns, and the first page
    of what it finds, with `shown_text(shown, total)` when it found more."""
    per_page = ROWS_PER_PAGE
    if len(rows) <= per_page:
        return rows
    text = place.text_input(label, key=key, help=help_text, icon=":material/search:")
    found = search_names(rows, text, names)
    if len(found) > per_page:
        st.caption(shown_text(fmt_int(per_page), fmt_int(len(found))))
    return found.head(per_page)


def whole_table_height(rows: int) -> int:
    """The height of a table that shows its header and `rows` rows whole, with no inner
    vertical scroll bar even while it scrolls sideways."""
    return ROW_HEIGHT * (rows + 1) + 3 + SCROLLBAR_ROOM


def render_paged(
    rows: pd.DataFrame,
    *,
    key: str,
    draw: Callable[[pd.DataFrame], None],
    shown_text: Callable[[str, str], str],
    per_page: int | None = None,
) -> None:
    """`draw` the first pages of `rows` this session asked for; while rows are left out,
    `shown_text(shown, total)` says so above the table and a button below shows more."""
    size = per_page or ROWS_PER_PAGE
    pages_key = f"{key}_pages"
    shown = min(len(rows), size * st.session_state.get(pages_key, 1))
    if shown < len(rows):
        st.caption(shown_text(fmt_int(shown), fmt_int(len(rows))))
    draw(rows.head(shown))
    if shown < len(rows):

        def show_more() -> None:
            st.session_state[pages_key] = st.session_state.get(pages_key, 1) + 1

        st.button(
            t("table.more", count=fmt_int(min(size, len(rows) - shown))),
            key=f"{key}_more",
            on_click=show_more,
            icon=":material/expand_more:",
        )
