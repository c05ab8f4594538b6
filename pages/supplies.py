"""Supply levels: stock, burn rate and days of supply per item and location, city-wide."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from components.charts import cached_chart
from components.export import later
from components.format import fmt_int
from components.forms import FormField
from components.kpi import Kpi, render_kpis
from components.paging import first_found, search_to_pick
from components.supplies_charts import consumption_chart, on_hand_chart
from components.supplies_tables import (
    burn_text,
    days_text,
    found_lines,
    item_display,
    lines_csv,
    render_item_table,
    render_line_table,
    render_stock_out_table,
    stock_out_page,
)
from components.widgets import select_all_shown
from data.codes import SUPPLY_CATEGORIES
from data.measures.status import status_of
from data.measures.supplies import STOCK_OUT_WINDOW_DAYS
from data.queries.common import Clock
from data.queries.supplies import (
    LineCounts,
    count_lines,
    get_stock_line,
    list_district_options,
    list_line_history,
    list_stock_lines,
    list_stock_outs,
    list_stocked_kinds,
    total_by_item,
)
from data.settings import get_settings
from data.timeutil import format_local, to_utc
from data.writes import edit_reorder_level, record_stock_report
from i18n import current_language, t
from panels import Panel, count_fields, render_panel
from shell import (
    Source,
    filter_from_address,
    filter_to_address,
    keep_choice,
    local_now,
    read,
    start_page,
)


def item_lines_found(
    lines: pd.DataFrame, *, item_id: int, text: str, n: int
) -> tuple[pd.DataFrame, int]:
    """The first `n` lines of an item whose place or district holds `text`, and how many."""
    return first_found(
        lines[lines["item_id"] == item_id],
        text=text,
        names=("location_name", "district_name"),
        n=n,
    )


def render_trends(lines: Source, counts: LineCounts, now: Clock) -> None:
    """On hand over time and use per day of one line the user picks (most urgent first)."""
    lang = current_language()
    item_names = {item_id: (zh, en)[lang == "en"] for item_id, zh, en, _ in counts.per_item}
    item_totals = {item_id: total for item_id, _, _, total in counts.per_item}
    pick_item, pick_location = st.columns(2)
    keep_choice("supplies_trend_item")
    item_id = pick_item.selectbox(
        t("supplies.trend.item"),
        list(item_names),
        format_func=lambda item: item_names[item],
        key="supplies_trend_item",
    )

    def take(text: str, n: int) -> tuple[pd.DataFrame, int]:
        return lines.derive(item_lines_found, item_id=int(item_id), text=text, n=n)

    # A province keeps each item at ~4,000 places: the most urgent page of them is listed,
    # with a search for the others (their names were ~150 KB of every first load).
    item_lines = search_to_pick(
        take,
        total=item_totals[item_id],
        key="supplies_trend_find",
        names=("location_name", "district_name"),
        label=t("supplies.trend.find_location"),
        help_text=t("supplies.trend.find_location_help"),
        shown_text=lambda shown, total: t(
            "supplies.trend.locations_shown", shown=shown, total=total
        ),
        place=pick_location,
    )
    if item_lines.empty:
        st.info(t("supplies.trend.location_none"))
        return
    place_names = {
        location: f"{place} · {district}"
        for location, place, district in zip(
            item_lines["location_id"].tolist(),
            item_lines[f"location_name_{lang}"].tolist(),
            item_lines[f"district_name_{lang}"].tolist(),
            strict=True,
        )
    }
    keep_choice("supplies_trend_location")
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
        at=now.now,
    )
    if history.empty:
        st.info(t("supplies.trend.no_history"))
    else:
        st.subheader(t("supplies.trend.on_hand"))
        chart = cached_chart(
            on_hand_chart,
            history=history,
            start=start,
            end=now.today,
            reorder_level=int(line["reorder_level"]),
        )
        st.vega_lite_chart(chart, width="stretch")
        st.subheader(t("supplies.trend.consumption"))
        st.vega_lite_chart(
            cached_chart(consumption_chart, history=history, start=start, end=now.today),
            width="stretch",
        )


STOCK_FIELDS = ("on_hand", "received", "consumed", "on_order")


def line_choices(lines: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The lines as the update panels list them: key `item:location`, label, district and
    location."""
    keys = lines["item_id"].astype(str) + ":" + lines["location_id"].astype(str)
    return pd.DataFrame(
        {
            "key": keys,
            "label": lines[f"item_name_{lang}"] + " · " + lines[f"location_name_{lang}"],
            "district_code": lines["district_code"],
            "facility_id": lines["location_id"],
        }
    )


def render_update_panels(lines: Source, lang: str) -> None:
    """A duty officer's stock count of a line of their scope, and its reorder level (the
    lines are listed only while a panel is open)."""

    def choices() -> pd.DataFrame:
        return lines.derive(line_choices, lang=lang)

    def line_of(key: str) -> tuple[int, int]:
        item_id, location_id = key.split(":")
        return int(item_id), int(location_id)

    def latest(key: str) -> dict:
        item_id, location_id = line_of(key)
        return read(get_stock_line, item_id=item_id, location_id=location_id) or {}

    def count_form(key: str) -> list[FormField]:
        start = {**latest(key), "received": 0, "consumed": 0}
        return [
            FormField("reported_at", t("supplies.update.reported_at"), "moment", local_now()),
            *count_fields(STOCK_FIELDS, start),
        ]

    def record_count(session, actor, key, values):  # noqa: ANN001, ANN202
        item_id, location_id = line_of(key)
        report = {
            **values,
            "item_id": item_id,
            "location_id": location_id,
            "reported_at": to_utc(values["reported_at"]),
        }
        return record_stock_report(session, actor=actor, values=report)

    def set_level(session, actor, key, values):  # noqa: ANN001, ANN202
        item_id, location_id = line_of(key)
        return edit_reorder_level(
            session,
            actor=actor,
            item_id=item_id,
            location_id=location_id,
            expected_version=int(values["version"]),
            reorder_level=values["reorder_level"],
        )

    def level_form(key: str) -> list[FormField]:
        line = latest(key)
        return [
            *count_fields(("reorder_level",), line),
            FormField("version", "", "hidden", line.get("version", 1)),
        ]

    common = {
        "choices": choices,
        "choice_label": t("supplies.update.line"),
        "none_in_scope": t("supplies.update.none_in_scope"),
    }
    render_panel(
        Panel(
            key="stock_count",
            title=t("supplies.update.count_title"),
            action="create",
            entity="stock_report",
            fields=count_form,
            write=record_count,
            submit_label=t("supplies.update.count_submit"),
            **common,
        )
    )
    render_panel(
        Panel(
            key="reorder_level",
            title=t("supplies.update.level_title"),
            action="edit",
            entity="stock_line",
            fields=level_form,
            write=set_level,
            submit_label=t("supplies.update.level_submit"),
            **common,
        )
    )


def item_rows(lines: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """The table per item as drawn, of the stock lines shown."""
    return item_display(total_by_item(lines, today=today))


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
    # The filters live in the address: a reload or a bookmark keeps them.
    filter_from_address("supplies_category", SUPPLY_CATEGORIES, several=True)
    filter_from_address("supplies_district", list(district_names), several=True)
    filter_from_address("supplies_kind", kinds, several=True)
    categories = left.multiselect(
        t("supplies.filter.category"),
        SUPPLY_CATEGORIES,
        format_func=category_names.__getitem__,
        placeholder=t("supplies.filter.all"),
        key="supplies_category",
        select_all=select_all_shown(),  # Streamlit's words: English only
    )
    chosen_districts = middle.multiselect(
        t("supplies.filter.district"),
        list(district_names),
        format_func=district_names.__getitem__,
        placeholder=t("supplies.filter.all"),
        key="supplies_district",
        select_all=select_all_shown(),  # Streamlit's words: English only
    )
    chosen_kinds = right.multiselect(
        t("supplies.filter.kind"),
        kinds,
        format_func=kind_names.__getitem__,
        placeholder=t("supplies.filter.all"),
        key="supplies_kind",
        select_all=select_all_shown(),  # Streamlit's words: English only
    )
    filter_to_address("supplies_category", categories, default=[])
    filter_to_address("supplies_district", chosen_districts, default=[])
    filter_to_address("supplies_kind", chosen_kinds, default=[])
    filters = {
        "today": now.today,
        "at": now.now,
        "categories": tuple(categories),
        "districts": tuple(chosen_districts),
        "kinds": tuple(chosen_kinds),
    }
    # The lines are used through what the page works out of them (counts, the rows shown):
    # a rerun with nothing changed does not take them all back.
    lines = Source(list_stock_lines, **filters)
    counts = lines.derive(count_lines)
    if counts.lines == 0:
        st.info(t("empty.filter"))
        return
    render_update_panels(lines, current_language())

    render_kpis(
        [
            Kpi(
                "lines",
                t("supplies.kpi.lines"),
                fmt_int(counts.lines),
                t(
                    "supplies.kpi.lines_help",
                    items=fmt_int(counts.items),
                    locations=fmt_int(counts.locations),
                ),
            ),
            Kpi(
                "critical",
                t("supplies.kpi.critical"),
                fmt_int(counts.critical),
                t("supplies.kpi.critical_help", zero=fmt_int(counts.at_zero)),
                status=status_of(counts.critical),
            ),
            Kpi(
                "low",
                t("supplies.kpi.low"),
                fmt_int(counts.under_7_days),
                t("supplies.kpi.low_help"),
                status=status_of(0, counts.under_7_days),
            ),
            Kpi(
                "unknown",
                t("supplies.kpi.unknown"),
                fmt_int(counts.unknown),
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
        render_item_table(lines.derive(item_rows, today=now.today), key="supplies_items")

    with lines_tab:
        st.caption(t("supplies.lines_caption"))

        def take(text: str, n: int) -> tuple[pd.DataFrame, int]:
            return lines.derive(found_lines, text=text, n=n)

        render_line_table(take, key="supplies_lines")
        whole = lines.when_asked()
        st.download_button(
            t("supplies.download"),
            # Made only when clicked, from the lines as they are then: they are many.
            data=later(lambda: lines_csv(whole())),
            file_name=f"supplies_{now.today.isoformat()}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="supplies_download",
        )

    with trends_tab:
        render_trends(lines, counts, now)

    with outs_tab:
        st.caption(t("supplies.stock_outs_caption"))
        outs = Source(list_stock_outs, **filters)
        if not outs.derive(len):
            st.success(t("supplies.stock_outs_none"))
        else:
            render_stock_out_table(
                lambda n: outs.derive(stock_out_page, n=n), key="supplies_stockouts"
            )


now = start_page("supplies.title")
if now is not None:
    render(now)
