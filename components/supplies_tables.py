"""Supply tables: per item city-wide, per line, stock-outs, and the lines as CSV.

Every function takes the data layer's frames (`data.queries.supplies`) and draws or converts
them; nothing here reads the database. Status cells are pills, red under 3 days and amber
under 7, and also carry a coloured mark and words, so the level reads without colour too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from components.export import excel_csv
from components.format import fmt_days
from components.paging import (
    ROWS_PER_PAGE,
    Take,
    first_found,
    render_pages,
    whole_table_height,
)
from components.pills import AMBER, GREEN, GREY, RED, pill_column, pills
from data.timeutil import command_zone
from i18n import current_language, t

# The item table (the catalogue: a few dozen items) shows every item without an inner scroll
# bar up to this many.
MAX_ITEM_ROWS = 30
# Stock lines sent to the browser at first (the most urgent); "show more" adds as many again.
LINES_PER_PAGE = ROWS_PER_PAGE


def level_text(level: str) -> str:
    """A line's level as a coloured mark and words, e.g. ● Under 3 days."""
    return t(f"supplies.level.{level}")


def burn_text(rate: float | None) -> str:
    """A burn rate per day, or "not enough data"."""
    if rate is None or pd.isna(rate):
        return t("supplies.not_enough_data")
    return f"{rate:,.1f}"


def days_text(days: float | None) -> str:
    """Days of supply such as 2.5 days; "no use" when nothing is used; — when unknown."""
    if days is not None and not pd.isna(days) and math.isinf(days):
        return t("supplies.no_use")
    return fmt_days(days)


def band_text(band: str | None) -> str:
    """A days-of-supply band such as 1–3 days; — when unknown."""
    if band is None or pd.isna(band):
        return "—"
    return t("supplies.band_days", band=band.replace("-", "–"))


def _date_text(day: date | None) -> str:
    if day is None or pd.isna(day):
        return "—"
    return day.isoformat()


# Whole columns at once: a city has thousands of lines, and a call per cell adds up.


def _texts(values: pd.Series, text: Callable[[object], str]) -> pd.Series:
    """`text` of each value, computed once per distinct value."""
    distinct = {value: text(value) for value in values.drop_duplicates().tolist()}
    return values.map(distinct)


def _labels(values: pd.Series, prefix: str) -> pd.Series:
    return _texts(values, lambda value: t(f"{prefix}.{value}"))


def _names(frame: pd.DataFrame, prefix: str) -> pd.Series:
    return frame[f"{prefix}_{current_language()}"]


def _local_times(moments: pd.Series) -> pd.Series:
    """Stored UTC times as local 'YYYY-MM-DD HH:MM' text."""
    if moments.empty:
        return moments.astype("object")
    local = pd.to_datetime(moments, utc=True).dt.tz_convert(command_zone())
    return local.dt.strftime("%Y-%m-%d %H:%M")


def item_table(items: pd.DataFrame) -> pd.DataFrame:
    """City-wide per item, in display columns and the reader's language."""
    lang = current_language()
    return pd.DataFrame(
        {
            t("supplies.col.status"): _labels(items["level"], "supplies.level"),
            t("supplies.col.item"): _names(items, "item_name"),
            t("supplies.col.days"): _texts(items["days_of_supply"], days_text),
            t("supplies.col.lines_critical"): items["lines_critical"].astype("int64"),
            t("supplies.col.stock_out"): _texts(items["stock_out_date"], _date_text),
            t("supplies.col.band"): _texts(items["band"], band_text),
            t("supplies.col.on_hand"): items["on_hand"].astype("int64"),
            t("supplies.col.unit"): items[f"unit_{lang}"],
            t("supplies.col.burn"): _texts(items["burn_rate"], burn_text),
            t("supplies.col.category"): _labels(items["category"], "supplies.category"),
            t("supplies.col.on_order"): items["on_order"].astype("int64"),
            t("supplies.col.lines"): items["lines"].astype("int64"),
            t("supplies.col.lines_at_zero"): items["lines_at_zero"].astype("int64"),
            t("supplies.col.lines_without_burn"): items["lines_without_burn"].astype("int64"),
        }
    )


def line_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Every stock line, in display columns and the reader's language."""
    return pd.DataFrame(
        {
            # What decides first (a laptop shows the left of the table): status, what and
            # where, how long it lasts and when it runs out.
            t("supplies.col.status"): _labels(lines["level"], "supplies.level"),
            t("supplies.col.item"): _names(lines, "item_name"),
            t("supplies.col.location"): _names(lines, "location_name"),
            t("supplies.col.days"): _texts(lines["days_of_supply"], days_text),
            t("supplies.col.stock_out"): _texts(lines["stock_out_date"], _date_text),
            t("supplies.col.band"): _texts(lines["band"], band_text),
            t("supplies.col.on_hand"): lines["on_hand"].astype("int64"),
            t("supplies.col.burn"): _texts(lines["burn_rate"], burn_text),
            t("supplies.col.on_order"): lines["on_order"].astype("int64"),
            t("supplies.col.kind"): _labels(lines["location_kind"], "supplies.kind"),
            t("supplies.col.district"): _names(lines, "district_name"),
            t("supplies.col.reorder_level"): lines["reorder_level"].astype("int64"),
            t("supplies.col.days_counted"): lines["days_counted"].astype("int64"),
            t("supplies.col.last_count"): _local_times(lines["last_reported_at"]),
        }
    )


def stock_out_table(outs: pd.DataFrame) -> pd.DataFrame:
    """Lines at zero now or lately, in display columns and the reader's language."""
    return pd.DataFrame(
        {
            t("supplies.col.item"): _names(outs, "item_name"),
            t("supplies.col.location"): _names(outs, "location_name"),
            t("supplies.col.at_zero_now"): [
                t("supplies.yes" if at_zero else "supplies.no") for at_zero in outs["at_zero_now"]
            ],
            t("supplies.col.days_at_zero"): outs["days_at_zero"].astype("int64"),
            t("supplies.col.last_day_at_zero"): [
                _date_text(day) for day in outs["last_day_at_zero"]
            ],
            t("supplies.col.on_order"): outs["on_order"].astype("int64"),
            t("supplies.col.on_hand"): outs["on_hand"].astype("int64"),
            t("supplies.col.kind"): _labels(outs["location_kind"], "supplies.kind"),
            t("supplies.col.district"): _names(outs, "district_name"),
        }
    )


def _count_columns(table: pd.DataFrame, keys: list[str]) -> dict[str, object]:
    return {
        t(key): st.column_config.NumberColumn(format="localized")
        for key in keys
        if t(key) in table.columns
    }


def item_display(items: pd.DataFrame) -> pd.DataFrame:
    """The table per item as drawn (`total_by_item`'s rows): its status a pill in its
    level's colour, and its count of lines at 3 days or less a pill, red where it has any:
    an item that lasts a week city-wide may still run out somewhere."""
    table = item_table(items)
    status, critical = t("supplies.col.status"), t("supplies.col.lines_critical")
    return table.assign(
        **{
            status: pills(table[status]),
            critical: pills(table[critical].astype(str)),
        }
    )


def render_item_table(table: pd.DataFrame, *, key: str) -> None:
    """The city-wide table per item (`item_display`), the first to run out on top."""
    config = _count_columns(
        table,
        [
            "supplies.col.on_hand",
            "supplies.col.on_order",
            "supplies.col.lines",
            "supplies.col.lines_at_zero",
            "supplies.col.lines_without_burn",
        ],
    )
    status, critical = t("supplies.col.status"), t("supplies.col.lines_critical")
    config[status] = pill_column(status, level_colours(), pinned=True)
    counts = sorted({int(cell[0]) for cell in table[critical]})
    config[critical] = pill_column(
        critical, {str(count): RED if count > 0 else GREY for count in counts}
    )
    # The catalogue is short: show every item without an inner scroll bar.
    height = whole_table_height(min(len(table), MAX_ITEM_ROWS))
    st.dataframe(
        table, hide_index=True, width="stretch", height=height, column_config=config, key=key
    )


# What the lines' search looks in (either language).
LINE_NAMES = ("item_name", "location_name", "district_name")


def line_display(lines: pd.DataFrame) -> pd.DataFrame:
    """Stock lines as the table draws them (`line_table`), each status a coloured pill."""
    table = line_table(lines)
    status = t("supplies.col.status")
    return table.assign(**{status: pills(table[status])})


def found_lines(lines: pd.DataFrame, *, text: str, n: int) -> tuple[pd.DataFrame, int]:
    """The first `n` stock lines whose names hold `text`, as the table draws them, and how
    many hold it."""
    rows, total = first_found(lines, text=text, names=LINE_NAMES, n=n)
    return line_display(rows), total


def render_line_table(take: Take, *, key: str) -> None:
    """The stock lines, most urgent first, coloured by level: a page of them at a time (a
    city has thousands; the browser gets what a screen shows), with a search by name.

    `take(text, n)` gives the first `n` lines found as drawn (`found_lines`) and how many
    are found (a rerun takes back only the rows shown)."""
    text = st.text_input(
        t("supplies.lines_search"),
        key=f"{key}_search",
        help=t("supplies.lines_search_help"),
        icon=":material/search:",
    )
    render_pages(
        lambda n: take(text, n),
        key=key,
        draw=lambda shown: _render_lines(shown, key=key),
        shown_text=lambda shown, total: t("supplies.lines_shown", shown=shown, total=total),
        per_page=LINES_PER_PAGE,
        none_text=t("supplies.lines_found_none", text=text.strip()),
    )


def level_colours() -> dict[str, str]:
    """Each level's words (as the tables show them) and the colour of its pill."""
    return {
        level_text("critical"): RED,
        level_text("low"): AMBER,
        level_text("ok"): GREEN,
        level_text("unknown"): GREY,
        level_text("no_use"): GREY,
    }


def _render_lines(table: pd.DataFrame, *, key: str) -> None:
    """A page of stock lines (`line_display`), each status a coloured pill: the colour is in
    the column's configuration (a Styler marking the status and days cells line by line was
    a quarter of the supplies page's rerun at city scale)."""
    config = _count_columns(
        table,
        [
            "supplies.col.on_hand",
            "supplies.col.on_order",
            "supplies.col.reorder_level",
            "supplies.col.days_counted",
        ],
    )
    status = t("supplies.col.status")
    config[status] = pill_column(status, level_colours(), pinned=True)
    st.dataframe(table, hide_index=True, width="stretch", column_config=config, key=key)


def stock_out_page(outs: pd.DataFrame, *, n: int) -> tuple[pd.DataFrame, int]:
    """The first `n` lines at zero now or lately as the table draws them, and how many."""
    return stock_out_table(outs.head(n)), len(outs)


def render_stock_out_table(take: Callable[[int], tuple[pd.DataFrame, int]], *, key: str) -> None:
    """The table of lines at zero now or in the last 30 days (`take(n)`: the first `n` as
    `stock_out_page` gives them), a page at a time (a province has hundreds)."""

    def draw(table: pd.DataFrame) -> None:
        config = _count_columns(
            table,
            ["supplies.col.days_at_zero", "supplies.col.on_hand", "supplies.col.on_order"],
        )
        st.dataframe(table, hide_index=True, width="stretch", column_config=config, key=key)

    render_pages(
        take,
        key=key,
        draw=draw,
        shown_text=lambda shown, total: t("supplies.stock_outs_shown", shown=shown, total=total),
    )


def lines_csv(lines: pd.DataFrame) -> bytes:
    """The stock lines as CSV (UTF-8 with BOM, for Excel): numbers stay numbers."""
    lang = current_language()

    def plain(level: str) -> str:
        # The mark helps on screen; a spreadsheet wants the words.
        return level_text(level).split(" ", 1)[-1]

    frame = pd.DataFrame(
        {
            t("supplies.col.item"): _names(lines, "item_name"),
            t("supplies.col.category"): _labels(lines["category"], "supplies.category"),
            t("supplies.col.unit"): lines[f"unit_{lang}"],
            t("supplies.col.location"): _names(lines, "location_name"),
            t("supplies.col.kind"): _labels(lines["location_kind"], "supplies.kind"),
            t("supplies.col.district"): _names(lines, "district_name"),
            t("supplies.col.on_hand"): lines["on_hand"],
            t("supplies.col.on_order"): lines["on_order"],
            t("supplies.col.reorder_level"): lines["reorder_level"],
            t("supplies.col.burn"): lines["burn_rate"].round(3),
            # Infinite days (no use) are left blank: the status column says so.
            t("supplies.col.days"): lines["days_of_supply"]
            .where(~lines["days_of_supply"].isin([math.inf]))
            .round(3),
            t("supplies.col.band"): lines["band"],
            t("supplies.col.status"): _texts(lines["level"], plain),
            t("supplies.col.stock_out"): _texts(lines["stock_out_date"], _date_text),
            t("supplies.col.days_counted"): lines["days_counted"],
            t("supplies.col.last_count"): _local_times(lines["last_reported_at"]),
        }
    )
    return excel_csv(frame)
