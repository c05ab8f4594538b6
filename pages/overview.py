"""Overview: the city's headline figures with their change and trend, the alerts, how fresh
each source is, the epidemic curve and cases by district; all read through the data layer."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from acknowledge import acknowledge_all_control, acknowledge_control, acknowledgements
from components.alerts import CONTROL_WIDTH, EXPANDED_ALERTS, render_alerts
from components.charts import cached_chart
from components.epicurve import local_case_curve
from components.format import fmt_int, fmt_percent
from components.freshness import render_freshness, stale_table
from components.hotels_view import rooms_outlook
from components.kpi import Kpi, render_kpis
from components.paging import whole_table_height
from data.alerts import get_alert_board
from data.measures.status import status_of
from data.queries.cases import (
    count_local_cases_by_district,
    get_case_extent,
    get_epidemic_curve,
)
from data.queries.freshness import list_source_freshness, list_stale_reporters
from data.queries.overview import (
    day_end,
    get_headline,
    get_past_figures,
    trend_frame,
    trend_row,
)
from data.settings import get_settings
from data.timeutil import format_local
from i18n import current_language, t
from shell import derive, read, read_as_of, start_page

# The colour of a change by its direction, for figures where up is bad, good, or neither.
CHANGE_COLOURS = {
    "inverse": {"up": "red", "down": "green"},
    "normal": {"up": "green", "down": "red"},
    "off": {"up": "gray", "down": "gray"},
}


def change(trend: pd.DataFrame, column: str, *, points: bool = False) -> tuple[str | None, str]:
    """The change of a figure since the end of yesterday, in words, and its direction
    (up, down, or off for no change). The direction is given, not read from the words'
    sign: a Chinese sentence does not start with its number."""
    today, yesterday = trend[column].iloc[-1], trend[column].iloc[-2]
    if pd.isna(today) or pd.isna(yesterday):
        return None, "off"
    delta = float(today) - float(yesterday)
    if (points and round(delta, 1) == 0) or (not points and delta == 0):
        return t("overview.delta_same"), "off"
    direction = "up" if delta > 0 else "down"
    if points:
        return t("overview.delta_points", delta=f"{delta:+.1f}"), direction
    return t("overview.delta", delta=f"{int(delta):+,d}"), direction


def series(trend: pd.DataFrame, column: str) -> list[tuple]:
    """(day, value) pairs of a figure's trend, for its sparkline."""
    return [
        (day, None if pd.isna(value) else float(value))
        for day, value in zip(trend["day"], trend[column], strict=True)
    ]


def card(key: str, label: str, value: str, detail: str, trend: pd.DataFrame, column: str, **kw):  # noqa: ANN003, ANN201
    """A headline card with its change since yesterday and its 14-day sparkline."""
    delta, arrow = change(trend, column, points=kw.pop("points", False))
    polarity = kw.pop("delta_color", "inverse")
    # No change is neither good nor bad: no colour either.
    kw["delta_color"] = "gray" if arrow == "off" else CHANGE_COLOURS[polarity][arrow]
    return Kpi(
        key, label, value, detail, delta=delta, delta_arrow=arrow, trend=series(trend, column), **kw
    )


now = start_page("overview.title")
if now is not None:
    st.caption(t("overview.caption", time=format_local(now.now), zone=get_settings().timezone))
    headline = read(get_headline, clock=now)
    # Days that are over are kept while what is written is dated today (a late report of
    # an earlier day, or a write of unknown reach, reads them again); today's point is the
    # headline itself.
    yesterday_end = day_end(now.today - timedelta(days=1))
    past = read_as_of(get_past_figures, moment=yesterday_end, today=now.today)
    trend = trend_frame([*past, trend_row(now.today, headline)])
    cases, contacts, zones = headline.cases, headline.contacts, headline.zones
    testing, rooms, supplies = headline.testing, headline.rooms, headline.supplies
    render_kpis(
        [
            card(
                "new_local",
                t("overview.cases.new_local"),
                fmt_int(cases.new_today),
                t(
                    "overview.cases.new_split",
                    confirmed=fmt_int(cases.new_confirmed),
                    asymptomatic=fmt_int(cases.new_asymptomatic),
                    day=now.today.isoformat(),
                ),
                trend,
                "new_local",
            ),
            card(
                "total_local",
                t("overview.cases.total_local"),
                fmt_int(cases.total),
                t(
                    "overview.cases.total_split",
                    confirmed=fmt_int(cases.confirmed),
                    asymptomatic=fmt_int(cases.asymptomatic),
                ),
                trend,
                "total_local",
            ),
            card(
                "in_hospital",
                t("overview.in_hospital"),
                fmt_int(cases.in_hospital),
                t("overview.in_hospital_help", severe=fmt_int(cases.severe)),
                trend,
                "in_hospital",
            ),
            card(
                "severe",
                t("overview.severe"),
                fmt_int(cases.severe),
                t("overview.severe_help"),
                trend,
                "severe",
            ),
            card(
                "contacts",
                t("overview.contacts"),
                f"{fmt_int(contacts.controlled)} / {fmt_int(contacts.identified)}",
                t(
                    "overview.contacts_help",
                    close_controlled=fmt_int(contacts.close_controlled),
                    close_identified=fmt_int(contacts.close_identified),
                    secondary_controlled=fmt_int(contacts.secondary_controlled),
                    secondary_identified=fmt_int(contacts.secondary_identified),
                ),
                trend,
                "contacts_controlled",
                delta_color="normal",
            ),
            card(
                "zones",
                t("overview.zones"),
                fmt_int(sum(zones.values())),
                t("overview.zones_split", **{level: fmt_int(n) for level, n in zones.items()}),
                trend,
                "zones",
                delta_color="off",
            ),
            card(
                "testing",
                t("overview.testing"),
                fmt_percent(testing.percent),
                t(
                    "overview.testing_help",
                    rounds=testing.rounds,
                    sampled=fmt_int(testing.sampled),
                    target=fmt_int(testing.target),
                )
                if testing.rounds
                else t("overview.testing_none"),
                trend,
                "testing_percent",
                points=True,
                delta_color="normal",
            ),
            card(
                "rooms_free",
                t("overview.rooms_free"),
                fmt_int(rooms.available),
                rooms_outlook(headline.days_until_full)
                + " · "
                + t(
                    "overview.rooms_help",
                    hotels=rooms.hotels,
                    total=fmt_int(rooms.total),
                    occupied=fmt_int(rooms.occupied),
                    cleaning=fmt_int(rooms.cleaning),
                ),
                trend,
                "rooms_free",
                delta_color="normal",
            ),
            card(
                "supply_low",
                t("overview.supply_low"),
                fmt_int(supplies.under_7_days),
                t(
                    "overview.supply_help",
                    critical=fmt_int(supplies.under_3_days),
                    lines=fmt_int(supplies.lines_with_burn),
                ),
                trend,
                "supply_under_7",
                status=status_of(supplies.under_3_days, supplies.under_7_days),
            ),
            card(
                "overdue",
                t("overview.overdue"),
                fmt_int(headline.actions.overdue),
                t(
                    "overview.overdue_help",
                    open=fmt_int(headline.actions.open),
                    overdue=fmt_int(headline.actions.overdue),
                ),
                trend,
                "overdue_actions",
                status=status_of(headline.actions.overdue),
            ),
        ],
        per_row=5,
    )
    st.caption(t("overview.trend_caption"))

    # Only what the list draws is read back on a rerun (a province has ~10,000 alerts).
    board = read(get_alert_board, at=now.now, expanded=EXPANDED_ALERTS)
    acknowledged = acknowledgements()
    critical = board.critical_refs
    render_alerts(
        board,
        control=lambda alert: acknowledge_control(alert, acknowledged, width=CONTROL_WIDTH),
        control_all=lambda: acknowledge_all_control(critical, acknowledged),
    )
    sources = read(list_source_freshness, at=now.now)
    # Each source's stale reporters in the reader's words, worked out once per change.
    stale = {
        row.source: derive(
            stale_table,
            read(list_stale_reporters, source=row.source, at=now.now),
            of=("list_stale_reporters", row.source, now.now),
        )
        for row in sources
        if row.stale
    }
    render_freshness(sources, stale)

    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("overview.curve"))
        extent = read(get_case_extent, end=now.today)
        if extent.first_date is None:
            st.info(t("empty.filter"))
        else:
            curve = read(get_epidemic_curve, start=extent.first_date, end=now.today)
            st.vega_lite_chart(
                cached_chart(local_case_curve, counts=curve.counts, average=curve.average),
                width="stretch",
                key="overview_curve",
            )
    with right:
        st.subheader(t("overview.district_table"))
        by_district = read(count_local_cases_by_district, today=now.today, at=now.now)
        table = pd.DataFrame(
            {
                t("overview.col.district"): by_district[f"name_{current_language()}"],
                t("overview.col.new_today"): by_district["new_today"],
                t("overview.col.last_7_days"): by_district["last_7_days"],
                t("overview.col.total"): by_district["total"],
            }
        ).sort_values(t("overview.col.total"), ascending=False)
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=whole_table_height(len(table)),  # every district, no inner scrolling
            key="overview_districts",
        )
