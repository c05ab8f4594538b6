"""Overview: the city's headline figures, each read through the data layer."""

import pandas as pd
import streamlit as st

from components.epicurve import local_case_curve
from components.format import fmt_int, fmt_percent
from components.kpi import Kpi, render_kpis
from data.measures.status import status_of
from data.queries.cases import (
    count_local_cases_by_district,
    get_case_extent,
    get_epidemic_curve,
)
from data.queries.overview import get_headline
from data.settings import get_settings
from data.timeutil import format_local
from i18n import current_language, t
from shell import read, start_page

now = start_page("overview.title")
if now is not None:
    st.caption(t("overview.caption", time=format_local(now.now), zone=get_settings().timezone))
    headline = read(get_headline, clock=now)
    cases, contacts, zones = headline.cases, headline.contacts, headline.zones
    testing, rooms, supplies = headline.testing, headline.rooms, headline.supplies
    render_kpis(
        [
            Kpi(
                "new_local",
                t("overview.cases.new_local"),
                fmt_int(cases.new_today),
                t("overview.cases.new_local_help", day=now.today.isoformat()),
                delta=t("overview.cases.delta", delta=cases.new_today - cases.new_yesterday),
            ),
            Kpi(
                "total_local",
                t("overview.cases.total_local"),
                fmt_int(cases.total),
                t(
                    "overview.cases.total_split",
                    confirmed=fmt_int(cases.confirmed),
                    asymptomatic=fmt_int(cases.asymptomatic),
                ),
            ),
            Kpi(
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
            ),
            Kpi(
                "zones",
                t("overview.zones"),
                fmt_int(sum(zones.values())),
                t("overview.zones_split", **{level: fmt_int(n) for level, n in zones.items()}),
            ),
            Kpi(
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
            ),
            Kpi(
                "rooms_free",
                t("overview.rooms_free"),
                fmt_int(rooms.available),
                t(
                    "overview.rooms_help",
                    hotels=rooms.hotels,
                    total=fmt_int(rooms.total),
                    occupied=fmt_int(rooms.occupied),
                    cleaning=fmt_int(rooms.cleaning),
                ),
            ),
            Kpi(
                "supply_low",
                t("overview.supply_low"),
                fmt_int(supplies.under_7_days),
                t(
                    "overview.supply_help",
                    critical=fmt_int(supplies.under_3_days),
                    lines=fmt_int(supplies.lines_with_burn),
                ),
                status=status_of(supplies.under_3_days, supplies.under_7_days),
            ),
            Kpi(
                "overdue",
                t("overview.overdue"),
                fmt_int(headline.actions.overdue),
                t(
                    "overview.overdue_help",
                    open=fmt_int(headline.actions.open),
                    overdue=fmt_int(headline.actions.overdue),
                ),
                status=status_of(headline.actions.overdue),
            ),
        ]
    )

    left, right = st.columns([3, 2])
    with left:
        st.subheader(t("overview.curve"))
        extent = read(get_case_extent, end=now.today)
        if extent.first_date is None:
            st.info(t("empty.filter"))
        else:
            curve = read(get_epidemic_curve, start=extent.first_date, end=now.today)
            st.altair_chart(
                local_case_curve(curve.counts, curve.average), width="stretch", key="overview_curve"
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
        st.dataframe(table, hide_index=True, width="stretch", key="overview_districts")
