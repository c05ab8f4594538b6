"""Supply levels: stock, burn rate and days of supply per item and location, city-wide."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from components.format import fmt_int
from components.kpi import Kpi, render_kpis
from components.supplies_charts import consumption_chart, on_hand_chart
from components.supplies_tables import (
    burn_text,
    days_text,
    lines_csv_later,
    render_item_table,
    render_line_table,
    render_stock_out_table,
)
from data.codes import SUPPLY_CATEGORIES
from data.measures.supplies import STOCK_OUT_WINDOW_DAYS
from data.queries.common import Clock
from data.queries.supplies import (
    list_district_options,
    list_line_history,
    list_stock_lines,
    list_stock_outs,
    list_stocked_kinds,
    total_by_item,
)
from data.settings import get_settings
from data.timeutil import format_local
from i18n import current_language, t
from shell import read, start_page


def render_trends(lines: pd.DataFrame, now: Clock) -> None:
    """On hand over time and use per day of one line the user picks (most urgent first)."""
    lang = current_language()
    item_names = dict(zip(lines["item_id"], lines[f"item_name_{lang}"], strict=False))
    pick_item, pick_location = st.columns(2)
    item_id = pick_item.selectbox(
        t("supplies.trend.item"),
        list(item_names),
        format_func=lambda item: item_names[item],
        key="supplies_trend_item",
    )
    item_lines = lines[lines["item_id"] == item_id]
    place_names = {
        row["location_id"]: f"{row[f'location_name_{lang}']} · {row[f'district_name_{lang}']}"
        for row in item_lines.to_dict("records")
    }
    location_id = pick_location.selectbox(
        t("supplies.trend.location"),
        list(place_names),
        format_func=lambda location: place_names[location],
        key="supplies_trend_location",
    )
    line = item_lines[item_lines["location_id"] == location_id].iloc[0]
    stock_out = line["stock_out_date"]
    st.caption(
        t(
            "supplies.trend.summary",
            burn=burn_text(line["burn_rate"]),
            days=days_text(line["days_of_supply"]),
            stock_out=stock_out.isoformat() if stock_out is not None else "—",
            on_order=fmt_int(int(line["on_order"])),
        )
    )
    start = now.today - timedelta(days=STOCK_OUT_WINDOW_DAYS - 1)
    history = read(
        list_line_history,
        item_id=int(item_id),
        location_id=int(location_id),
        start=start,
        end=now.today,
    )
    if history.empty:
        st.info(t("supplies.trend.no_history"))
    else:
        st.subheader(t("supplies.trend.on_hand"))
        chart = on_hand_chart(
            history, start=start, end=now.today, reorder_level=int(line["reorder_level"])
        )
        st.altair_chart(chart, width="stretch")
        st.subheader(t("supplies.trend.consumption"))
        st.altair_chart(consumption_chart(history, start=start, end=now.today), width="stretch")


def render(now: Clock) -> None:
    """The page below its title, at the clock's moment."""
    lang = current_language()
    st.caption(t("supplies.caption", time=format_local(now.now), zone=get_settings().timezone))
    kinds = read(list_stocked_kinds)
    if not kinds:
        st.info(t("supplies.empty"), icon=":material/inventory_2:")
        return

    districts = read(list_district_options)
    district_names = dict(zip(districts["code"], districts[f"name_{lang}"], strict=True))
    # Labels are looked up now, in this run's language (format functions may run elsewhere).
    category_names = {code: t(f"supplies.category.{code}") for code in SUPPLY_CATEGORIES}
    kind_names = {kind: t(f"supplies.kind.{kind}") for kind in kinds}
    left, middle, right = st.columns(3)
    categories = left.multiselect(
        t("supplies.filter.category"),
        SUPPLY_CATEGORIES,
        format_func=category_names.__getitem__,
        placeholder=t("supplies.filter.all"),
        key="supplies_category",
    )
    chosen_districts = middle.multiselect(
        t("supplies.filter.district"),
        list(district_names),
        format_func=district_names.__getitem__,
        placeholder=t("supplies.filter.all"),
        key="supplies_district",
    )
    chosen_kinds = right.multiselect(
        t("supplies.filter.kind"),
        kinds,
        format_func=kind_names.__getitem__,
        placeholder=t("supplies.filter.all"),
        key="supplies_kind",
    )
    filters = {
        "today": now.today,
        "categories": tuple(categories),
        "districts": tuple(chosen_districts),
        "kinds": tuple(chosen_kinds),
    }
    lines = read(list_stock_lines, **filters)
    if lines.empty:
        st.info(t("empty.filter"))
        return

    levels = lines["level"]
    render_kpis(
        [
            Kpi(
                "lines",
                t("supplies.kpi.lines"),
                fmt_int(len(lines)),
                t(
                    "supplies.kpi.lines_help",
                    items=fmt_int(lines["item_id"].nunique()),
                    locations=fmt_int(lines["location_id"].nunique()),
                ),
            ),
            Kpi(
                "critical",
                t("supplies.kpi.critical"),
                fmt_int(int((levels == "critical").sum())),
                t("supplies.kpi.critical_help", zero=fmt_int(int((lines["on_hand"] == 0).sum()))),
            ),
            Kpi(
                "low",
                t("supplies.kpi.low"),
                fmt_int(int(levels.isin(["critical", "low"]).sum())),
                t("supplies.kpi.low_help"),
            ),
            Kpi(
                "unknown",
                t("supplies.kpi.unknown"),
                fmt_int(int((levels == "unknown").sum())),
                t("supplies.kpi.unknown_help"),
            ),
        ]
    )
    st.caption(t("supplies.definitions"))

    items_tab, lines_tab, trends_tab, outs_tab = st.tabs(
        [
            t("supplies.tab.items"),
            t("supplies.tab.lines"),
            t("supplies.tab.trends"),
            t("supplies.tab.stock_outs"),
        ]
    )
    with items_tab:
        st.caption(t("supplies.items_caption"))
        render_item_table(total_by_item(lines, today=now.today), key="supplies_items")

    with lines_tab:
        st.caption(t("supplies.lines_caption"))
        render_line_table(lines, key="supplies_lines")
        st.download_button(
            t("supplies.download"),
            # Made only when clicked: at city scale the file is large.
            data=lines_csv_later(lines),
            file_name=f"supplies_{now.today.isoformat()}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="supplies_download",
        )

    with trends_tab:
        render_trends(lines, now)

    with outs_tab:
        st.caption(t("supplies.stock_outs_caption"))
        outs = read(list_stock_outs, **filters)
        if outs.empty:
            st.success(t("supplies.stock_outs_none"))
        else:
            render_stock_out_table(outs, key="supplies_stockouts")


now = start_page("supplies.title")
if now is not None:
    render(now)
