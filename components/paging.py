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


# Part of a long list: the first `n` rows that a search `text` finds, and how many it finds.
Take = Callable[[str, int], tuple[pd.DataFrame, int]]


def first_found(
    rows: pd.DataFrame, *, text: str, names: Sequence[str], n: int
) -> tuple[pd.DataFrame, int]:
    """The first `n` of the rows whose `names` hold `text` (`search_names`), and how many
    hold it."""
    found = search_names(rows, text, names)
    return found.head(n), len(found)


def taker(rows: pd.DataFrame | Take, names: Sequence[str]) -> Take:
    """A `Take` over rows the caller holds, or the caller's own (which may take back from
    the cache only what it finds: a province's lines are megabytes to take back)."""
    if isinstance(rows, pd.DataFrame):
        return lambda text, n: first_found(rows, text=text, names=names, n=n)
    return rows


def search_to_pick(
    rows: pd.DataFrame | Take,
    *,
    key: str,
    names: Sequence[str],
    label: str,
    help_text: str,
    shown_text: Callable[[str, str], str],
    place: Any = st,
    total: int | None = None,
) -> pd.DataFrame:
    """The rows a picker lists, in the order given: all of them while they are a page's
    worth; beyond that a search box (in `place`) over the `names` columns, and the first page
    of what it finds, with `shown_text(shown, total)` when it found more.

    `rows` are a frame, or a `Take` with their `total`."""
    per_page = ROWS_PER_PAGE
    take = taker(rows, names)
    if total is None:
        total = len(rows) if isinstance(rows, pd.DataFrame) else take("", 0)[1]
    if total <= per_page:
        return take("", per_page)[0]
    text = place.text_input(label, key=key, help=help_text, icon=":material/search:")
    shown, found = take(text, per_page)
    if found > per_page:
        st.caption(shown_text(fmt_int(per_page), fmt_int(found)))
    return shown


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
    render_pages(
        lambda n: (rows.head(n), len(rows)),
        key=key,
        draw=draw,
        shown_text=shown_text,
        per_page=per_page,
    )


def render_pages(
    take: Callable[[int], tuple[pd.DataFrame, int]],
    *,
    key: str,
    draw: Callable[[pd.DataFrame], None],
    shown_text: Callable[[str, str], str],
    per_page: int | None = None,
    none_text: str | None = None,
) -> None:
    """As `render_paged`, of rows asked for by pieces: `take(n)` gives the first `n` and how
    many there are in all (a rerun takes back only what is shown). With no rows at all,
    `none_text` says so instead of an empty table."""
    size = per_page or ROWS_PER_PAGE
    pages_key = f"{key}_pages"
    rows, total = take(size * st.session_state.get(pages_key, 1))
    if total == 0 and none_text is not None:
        st.info(none_text)
        return
    shown = len(rows)
    if shown < total:
        st.caption(shown_text(fmt_int(shown), fmt_int(total)))
    draw(rows)
    if shown < total:

        def show_more() -> None:
            st.session_state[pages_key] = st.session_state.get(pages_key, 1) + 1

        st.button(
            t("table.more", count=fmt_int(min(size, total - shown))),
            key=f"{key}_more",
            on_click=show_more,
            icon=":material/expand_more:",
        )
