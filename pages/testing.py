"""Testing progress: will each whole-population round finish by its deadline? Sites, backlog."""

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.charts import cached_chart
from components.export import later
from components.format import fmt_int
from components.forms import FormField
from components.kpi import render_kpis
from components.maps import cached_deck
from components.testing_charts import backlog_chart
from components.testing_maps import MAP_HEIGHT, sites_deck
from components.testing_tables import csv_bytes, render_table
from components.testing_view import (
    MAX_SITE_ROWS,
    ChosenRounds,
    RoundMenu,
    chosen_rounds,
    completion_map,
    progress_figure,
    round_choices,
    round_menu,
    site_view,
)
from components.widgets import select_all_shown
from data.measures.testing import DEFAULT_WINDOW_HOURS
from data.queries.common import Clock, list_districts
from data.queries.testing import (
    get_round,
    get_site_state,
    list_backlog_by_district,
    list_district_rounds,
    list_round_hourly,
    list_round_outlook,
    list_site_status,
)
from data.settings import get_settings
from data.timeutil import format_local, to_local, to_utc
from data.writes import edit_round, record_site_report
from i18n import current_language, t
from panels import Panel, count_fields, facility_choices, label, render_panel
from shell import (
    Source,
    filter_from_address,
    filter_to_address,
    keep_choice,
    local_now,
    read,
    start_page,
)

WINDOW_CHOICES = (3, 6, 12, 24)
# The backlog chart spans the chosen rounds, within these bounds.
BACKLOG_SHORTEST = timedelta(hours=12)
BACKLOG_LONGEST = timedelta(days=14)


def choose_rounds(menu: RoundMenu, column: DeltaGenerator) -> tuple[int, ...]:
    """The round selector; returns the chosen rounds' ids."""
    labels = menu.labels
    # The rounds chosen live in the address (?testing_rounds=12&testing_rounds=13).
    filter_from_address("testing_rounds", list(labels), several=True)
    chosen = column.multiselect(
        t("testing.filter.rounds"),
        list(labels),
        default=None if "testing_rounds" in st.session_state else menu.default,
        format_func=lambda round_id: labels.get(round_id, str(round_id)),
        help=t("testing.filter.rounds_help"),
        key="testing_rounds",
        select_all=select_all_shown(),  # Streamlit's words: English only
    )
    filter_to_address("testing_rounds", sorted(chosen), default=sorted(menu.default))
    return tuple(sorted(int(round_id) for round_id in chosen))


def render_deadlines(view: ChosenRounds, window: int) -> None:
    """Alerts for rounds behind or missed, then every chosen round's outlook."""
    st.subheader(t("testing.deadlines"))
    for level, text in view.alerts:
        if level == "error":
            st.error(text, icon=":material/alarm_off:")
        else:
            st.warning(text, icon=":material/schedule:")
    if not view.alerts and view.any_on_track:
        st.success(t("testing.alert.all_on_track"), icon=":material/check_circle:")
    render_table(view.deadlines, key="testing_deadlines")
    st.caption(t("testing.definitions", hours=window))


def render_progress(rounds: Source, view: ChosenRounds, now: Clock) -> None:
    """The district table with progress bars and its CSV; the completion map beside the
    cumulative sampled-against-target charts."""
    st.subheader(t("testing.progress"))
    render_table(view.progress, key="testing_progress")
    st.download_button(
        t("testing.download"),
        later(csv_bytes, view.rounds),  # made when clicked, not on every run
        file_name=f"testing-progress-{now.today.isoformat()}.csv",
        mime="text/csv",
        key="testing_download",
        icon=":material/download:",
        on_click="ignore",
    )
    map_column, chart_column = st.columns([2, 3])
    with map_column:
        st.pydeck_chart(
            cached_deck(
                completion_map,
                districts=read(list_districts),
                rounds=rounds,
                round_ids=view.round_ids,
            ),
            height=MAP_HEIGHT,
            key="testing_completion_map",
        )
        st.caption(t("testing.map_caption"))
    with chart_column:
        st.markdown(f"**{t('testing.cumulative')}**")
        hourly = Source(list_round_hourly, round_ids=view.round_ids, until=now.now)
        spec = cached_chart(
            progress_figure, hourly=hourly, rounds=rounds, round_ids=view.round_ids, now=now.now
        )
        if not spec:
            st.info(t("testing.no_reports"))
        else:
            st.vega_lite_chart(spec)
            st.caption(t("testing.cumulative_caption"))


def render_backlog(earliest: datetime, now: Clock) -> None:
    """Samples awaiting results, city-wide and per district, since the chosen rounds began."""
    st.subheader(t("testing.backlog"))
    since = max(min(earliest, now.now - BACKLOG_SHORTEST), now.now - BACKLOG_LONGEST)
    backlog = read(list_backlog_by_district, since=since, until=now.now)
    if backlog.empty:
        st.info(t("testing.no_backlog"))
    else:
        st.vega_lite_chart(
            cached_chart(backlog_chart, backlog=backlog, now=now.now), width="stretch"
        )
        st.caption(t("testing.backlog_caption"))


SITE_FIELDS = ("sampled", "resulted", "positive", "pools_positive", "queue_wait_minutes")


def render_site_panel(sites: Source, lang: str) -> None:
    """A duty officer's report for one testing site of their scope."""

    def choices() -> pd.DataFrame:
        return sites.derive(facility_choices, id_column="site_id", lang=lang)

    def fields(site_id: int) -> list[FormField]:
        latest = read(get_site_state, site_id=int(site_id)) or {}
        listed = choices()
        district = listed.loc[listed["key"] == site_id, "district_code"].iloc[0]
        rounds = read(list_district_rounds, district_code=district)
        names = {
            None: t("testing.update.no_round"),
            **{rid: t("testing.update.round", number=no) for rid, no in rounds},
        }
        return [
            FormField("reported_at", t("testing.update.reported_at"), "moment", local_now()),
            FormField("is_open", label("is_open"), "flag", latest.get("is_open", True)),
            FormField(
                "round_id",
                label("round_id"),
                "choice",
                latest.get("round_id"),
                options=list(names),
                format_func=names.__getitem__,
            ),
            *count_fields(SITE_FIELDS, {"queue_wait_minutes": latest.get("queue_wait_minutes", 0)}),
        ]

    def write(session, actor, site_id, values):  # noqa: ANN001, ANN202
        report = {**values, "site_id": int(site_id), "reported_at": to_utc(values["reported_at"])}
        return record_site_report(session, actor=actor, values=report)

    render_panel(
        Panel(
            key="site_report",
            title=t("testing.update.title"),
            action="create",
            entity="site_report",
            choices=choices,
            choice_label=t("testing.update.site"),
            fields=fields,
            write=write,
            submit_label=t("testing.update.submit"),
            none_in_scope=t("testing.update.none_in_scope"),
        )
    )


def _wall_clock(moment: datetime) -> datetime:
    """A stored time as the command's wall clock shows it (what a form's time fields take)."""
    return to_local(moment).replace(tzinfo=None)


def render_round_panel(rounds: Source) -> None:
    """An admin changes a round's target population, start or deadline."""

    def fields(round_id: int) -> list[FormField]:
        stored = read(get_round, round_id=int(round_id)) or {}
        return [
            FormField(
                "target_population",
                label("target_population"),
                "count",
                stored.get("target_population", 0),
            ),
            FormField("start_at", label("start_at"), "moment", _wall_clock(stored["start_at"])),
            FormField(
                "deadline_at", label("deadline_at"), "moment", _wall_clock(stored["deadline_at"])
            ),
            FormField("version", "", "hidden", stored.get("version", 1)),
        ]

    def write(session, actor, round_id, values):  # noqa: ANN001, ANN202
        return edit_round(
            session,
            actor=actor,
            round_id=int(round_id),
            expected_version=int(values["version"]),
            changes={
                "target_population": values["target_population"],
                "start_at": to_utc(values["start_at"]),
                "deadline_at": to_utc(values["deadline_at"]),
            },
        )

    render_panel(
        Panel(
            key="round_edit",
            title=t("testing.update.round_title"),
            action="edit",
            entity="round",
            choices=lambda: rounds.derive(round_choices),
            choice_label=t("testing.update.round_choice"),
            fields=fields,
            write=write,
            submit_label=t("testing.update.round_submit"),
            none_in_scope=t("testing.update.no_round_in_scope"),
        )
    )


def render_sites(codes: tuple[str, ...] | None, now: Clock) -> None:
    """Testing sites: open, queues, staleness; the worst first, in a table and on a map.
    `codes`: the chosen rounds' districts (None: no round chosen)."""
    st.subheader(t("testing.sites"))
    only_chosen = st.toggle(
        t("testing.sites_scope"), value=True, key="testing_sites_scope", disabled=not codes
    )
    shown = (codes or ()) if only_chosen else ()
    sites = Source(list_site_status, now=now.now, today=now.today, district_codes=shown)
    view = sites.derive(site_view, now=now.now)
    if not view.count:
        st.info(t("testing.no_sites"))
        return
    render_site_panel(sites, current_language())
    render_kpis(view.kpis)
    st.caption(t("testing.sites_caption"))
    if view.any_future:
        st.caption(t("testing.sites_future", time=format_local(now.now)))
    table_column, map_column = st.columns([3, 2])
    with table_column:
        render_table(view.table, key="testing_sites")
        if view.count > MAX_SITE_ROWS:
            st.caption(t("testing.sites_capped", shown=MAX_SITE_ROWS, total=fmt_int(view.count)))
    with map_column:
        st.pydeck_chart(
            cached_deck(sites_deck, districts=read(list_districts), sites=sites),
            height=MAP_HEIGHT,
            key="testing_sites_map",
        )


now = start_page("testing.title")
if now is not None:
    st.caption(t("testing.caption", time=format_local(now.now), zone=get_settings().timezone))
    choose_column, window_column = st.columns([5, 1])
    # Labels made now: format_func may be called outside this run's language context.
    window_labels = {
        hours: t("testing.filter.window_hours", hours=hours) for hours in WINDOW_CHOICES
    }
    keep_choice("testing_window")
    window = window_column.selectbox(
        t("testing.filter.window"),
        WINDOW_CHOICES,
        # The session's choice once made (kept across a change of language), else 6 hours.
        index=None
        if "testing_window" in st.session_state
        else WINDOW_CHOICES.index(DEFAULT_WINDOW_HOURS),
        format_func=window_labels.__getitem__,
        key="testing_window",
    )
    rounds = Source(list_round_outlook, now=now.now, window_hours=window)
    menu = rounds.derive(round_menu, now=now.now)
    codes = None
    if not menu.count:
        st.info(t("testing.no_rounds"), icon=":material/biotech:")
    else:
        round_ids = choose_rounds(menu, choose_column)
        render_round_panel(rounds)
        if not round_ids:
            st.info(t("testing.choose_round"))
        else:
            view = rounds.derive(
                chosen_rounds, round_ids=round_ids, window_hours=window, now=now.now
            )
            codes = view.district_codes
            render_kpis(view.kpis, per_row=5)
            render_deadlines(view, window)
            render_progress(rounds, view, now)
            render_backlog(view.earliest, now)
    render_sites(codes, now)
