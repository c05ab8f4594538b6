"""Quarantine hotels: will rooms run out? City totals, outlook by cohort, every hotel."""

import math

import streamlit as st

from components.charts import cached_chart
from components.export import later
from components.format import fmt_int, fmt_percent
from components.forms import FormField
from components.hotels_view import (
    MAP_HEIGHT as HOTEL_MAP_HEIGHT,
)
from components.hotels_view import (
    SORT_ORDERS,
    days_until_full_text,
    draw_hotel_table,
    flows_chart,
    hotel_csv,
    hotel_deck,
    hotel_table_page,
    hotels_seen,
    occupancy_chart,
    render_outlook,
    report_intervals,
    sort_hotels,
)
from components.kpi import Kpi, render_kpis
from components.maps import cached_deck
from components.paging import render_pages
from components.widgets import select_all_shown
from data.codes import HOTEL_COHORTS
from data.measures.hotels import NET_INTAKE_WINDOW_DAYS, occupancy_band
from data.measures.status import BAND_STATUS, status_of
from data.queries.common import list_districts
from data.queries.hotels import (
    TREND_DAYS,
    count_hotels_by_status,
    get_hotel_state,
    list_capacity_outlook,
    list_daily_rooms,
    list_hotels,
)
from data.settings import get_settings
from data.timeutil import format_local, to_utc
from data.writes import record_hotel_report
from i18n import current_language, t
from panels import Panel, count_fields, facility_choices, render_panel
from shell import Source, filter_from_address, filter_to_address, local_now, read, start_page


def _rate(value: float | None) -> str:
    """A rate per day with one decimal; an em dash when unknown."""
    return "—" if value is None or math.isnan(value) else f"{value:.1f}"


# The fields of a hotel's status report, in the order of the form.
REPORT_FIELDS = (
    "rooms_total",
    "rooms_occupied",
    "occupied_inbound",
    "occupied_close_contact",
    "occupied_secondary_contact",
    "rooms_cleaning",
    "intake",
    "discharges",
    "staff_on_duty",
)


def _update_panel(hotels: Source, lang: str) -> None:
    """A duty officer's status report for one hotel of their scope."""

    def fields(hotel_id: int) -> list[FormField]:
        latest = read(get_hotel_state, hotel_id=int(hotel_id)) or {}
        return [
            FormField("reported_at", t("hotels.update.reported_at"), "moment", local_now()),
            *count_fields(REPORT_FIELDS, latest),
        ]

    def write(session, actor, hotel_id, values):  # noqa: ANN001, ANN202
        report = {**values, "hotel_id": int(hotel_id), "reported_at": to_utc(values["reported_at"])}
        return record_hotel_report(session, actor=actor, values=report)

    render_panel(
        Panel(
            key="hotel_report",
            title=t("hotels.update.title"),
            action="create",
            entity="hotel_report",
            choices=lambda: hotels.derive(facility_choices, id_column="hotel_id", lang=lang),
            choice_label=t("hotels.update.hotel"),
            fields=fields,
            write=write,
            submit_label=t("hotels.update.submit"),
            none_in_scope=t("hotels.update.none_in_scope"),
        )
    )


now = start_page("hotels.title")
if now is not None:
    lang = current_language()
    st.caption(t("hotels.caption", time=format_local(now.now), zone=get_settings().timezone))
    counts = read(count_hotels_by_status, at=now.now)
    if sum(counts.values()) == 0:
        st.info(t("hotels.none"), icon=":material/hotel:")
    else:
        outlook = read(list_capacity_outlook, clock=now)
        every_hotel = Source(list_hotels, clock=now)
        seen = every_hotel.derive(hotels_seen, lang=lang)
        _update_panel(every_hotel, lang)
        city = outlook.set_index("scope").loc["all"]
        close = outlook.set_index("scope").loc["close_contact"]

        render_kpis(
            [
                Kpi(
                    "hotels",
                    t("hotels.kpi.hotels"),
                    f"{counts['active']} / {counts['standby']} / {counts['closed']}",
                ),
                Kpi(
                    "rooms_total",
                    t("hotels.kpi.rooms_total"),
                    fmt_int(int(city["rooms_total"])),
                    t("hotels.kpi.rooms_total_help", hotels=int(city["hotels"])),
                ),
                Kpi("occupied", t("hotels.kpi.occupied"), fmt_int(int(city["rooms_occupied"]))),
                Kpi("cleaning", t("hotels.kpi.cleaning"), fmt_int(int(city["rooms_cleaning"]))),
                Kpi(
                    "available",
                    t("hotels.kpi.available"),
                    fmt_int(int(city["rooms_available"])),
                    t("hotels.kpi.available_help"),
                ),
                Kpi(
                    "occupancy",
                    t("hotels.kpi.occupancy"),
                    fmt_percent(float(city["occupancy_percent"])),
                    t("hotels.kpi.occupancy_help"),
                    status=BAND_STATUS.get(occupancy_band(float(city["occupancy_percent"]))),
                ),
                Kpi(
                    "days_until_full",
                    t("hotels.kpi.days_until_full"),
                    days_until_full_text(float(city["days_until_full"]), int(city["hotels"])),
                    t(
                        "hotels.kpi.days_until_full_help",
                        net=_rate(float(city["net_per_day"])),
                        window=NET_INTAKE_WINDOW_DAYS,
                    ),
                ),
                Kpi(
                    "waiting",
                    t("hotels.kpi.waiting"),
                    fmt_int(int(close["waiting"])),
                    t("hotels.kpi.waiting_help", free=fmt_int(int(close["rooms_available"]))),
                    # Waiting beyond the free close-contact rooms: people with nowhere to go.
                    status=status_of(
                        int(close["waiting"] > close["rooms_available"]), int(close["waiting"])
                    ),
                ),
            ]
        )

        # Alerts: rooms short for waiting contacts, hotels at 95 %+, reports missing.
        if int(close["rooms_short"]) > 0:
            st.error(
                t(
                    "hotels.alert.short",
                    waiting=fmt_int(int(close["waiting"])),
                    free=fmt_int(int(close["rooms_available"])),
                    short=fmt_int(int(close["rooms_short"])),
                ),
                icon=":material/bed:",
            )
        for level, text, icon in seen.alerts:
            (st.error if level == "error" else st.warning)(text, icon=icon)

        st.subheader(t("hotels.outlook"))
        render_outlook(outlook, key="hotels_outlook")
        st.caption(t("hotels.outlook_caption", window=NET_INTAKE_WINDOW_DAYS))

        st.subheader(t("hotels.list"))
        names_of = seen.district_names
        left, middle, right = st.columns([3, 2, 2])
        cohort_names = {None: t("hotels.filter.all_cohorts")}
        cohort_names.update({c: t(f"cohort.{c}") for c in HOTEL_COHORTS})
        # The filters live in the address: a reload or a bookmark keeps them.
        filter_from_address("hotels_districts", sorted(names_of), several=True)
        filter_from_address("hotels_cohort", list(HOTEL_COHORTS))
        filter_from_address("hotels_sort", SORT_ORDERS)
        districts = left.multiselect(
            t("hotels.filter.district"),
            sorted(names_of),
            format_func=lambda code: names_of.get(code, code),
            placeholder=t("hotels.filter.district_all"),
            key="hotels_districts",
            select_all=select_all_shown(),  # Streamlit's words: English only
        )
        # Labels are looked up now: AppTest calls format_func outside the script run too.
        cohort = middle.selectbox(
            t("hotels.filter.cohort"),
            list(cohort_names),
            format_func=cohort_names.__getitem__,
            key="hotels_cohort",
        )
        order_names = {o: t(f"hotels.sort.{o}") for o in SORT_ORDERS}
        order = right.selectbox(
            t("hotels.sort"), SORT_ORDERS, format_func=order_names.__getitem__, key="hotels_sort"
        )
        filter_to_address("hotels_districts", districts, default=[])
        filter_to_address("hotels_cohort", cohort)
        filter_to_address("hotels_sort", order, default=SORT_ORDERS[0])
        shown = Source(list_hotels, clock=now, districts=tuple(sorted(districts)), cohort=cohort)
        listed, intervals = shown.derive(report_intervals)
        if not listed:
            st.info(t("empty.filter"))
        else:
            render_pages(
                lambda n: shown.derive(hotel_table_page, order=order, n=n),
                key="hotels_table",
                draw=lambda table: draw_hotel_table(table, key="hotels_table"),
                shown_text=lambda count, total: t("hotels.list_shown", shown=count, total=total),
            )
            st.caption(
                t(
                    "hotels.list_caption",
                    shown=listed,
                    interval=" / ".join(
                        t("hotels.interval_minutes", minutes=minutes) for minutes in intervals
                    ),
                )
            )
            whole = shown.when_asked()
            st.download_button(
                t("hotels.download"),
                # Made when clicked, from the hotels as they are then.
                later(lambda: hotel_csv(sort_hotels(whole(), order))),
                file_name=f"quarantine_hotels_{now.today.isoformat()}.csv",
                mime="text/csv",
                key="hotels_download",
                icon=":material/download:",
                on_click="ignore",
            )

            st.subheader(t("hotels.map"))
            deck = cached_deck(hotel_deck, districts=read(list_districts), hotels=shown)
            st.pydeck_chart(deck, height=HOTEL_MAP_HEIGHT, key="hotels_map")
            st.caption(t("hotels.map_legend"))

        st.subheader(t("hotels.trend"))
        daily = read(list_daily_rooms, clock=now)
        if daily.empty:
            st.info(t("hotels.trend.empty", days=TREND_DAYS))
        else:
            left, right = st.columns(2)
            with left:
                st.markdown(f"**{t('hotels.trend.occupancy')}**")
                st.vega_lite_chart(cached_chart(occupancy_chart, daily=daily), width="stretch")
            with right:
                st.markdown(f"**{t('hotels.trend.flows')}**")
                st.vega_lite_chart(cached_chart(flows_chart, daily=daily), width="stretch")
            st.caption(t("hotels.trend.caption"))
