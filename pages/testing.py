"""Testing progress: will each whole-population round finish by its deadline? Sites, backlog."""

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.charts import cached_chart
from components.export import later
from components.format import fmt_int, fmt_percent
from components.forms import FormField
from components.kpi import Kpi, render_kpis
from components.maps import cached_deck
from components.testing_charts import backlog_chart, progress_chart, progress_series
from components.testing_maps import MAP_HEIGHT, completion_deck, sites_deck
from components.testing_tables import (
    csv_bytes,
    render_deadline_table,
    render_progress_table,
    render_site_table,
    round_alerts,
    round_label,
    round_option,
)
from components.widgets import select_all_shown
from data.measures.status import status_of
from data.measures.testing import DEFAULT_WINDOW_HOURS, combined_percent, default_round_ids
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
from panels import Panel, count_fields, label, render_panel
from shell import filter_from_address, filter_to_address, local_now, read, start_page

WINDOW_CHOICES = (3, 6, 12, 24)
# The sites table lists this many sites, worst queue first (a city runs thousands).
MAX_SITE_ROWS = 200
# The backlog chart spans the chosen rounds, within these bounds.
BACKLOG_SHORTEST = timedelta(hours=12)
BACKLOG_LONGEST = timedelta(days=14)


def choose_rounds(rounds: pd.DataFrame, now: Clock, column: DeltaGenerator) -> pd.DataFrame:
    """The round selector (by district and round number); returns the chosen rounds."""
    records = rounds.sort_values(["district_code", "round_no"]).to_dict("records")
    labels = {int(row["round_id"]): round_option(row) for row in records}
    default = default_round_ids(
        [
            (int(row["round_id"]), row["district_code"], row["start_at"], row["deadline_at"])
            for row in rounds.to_dict("records")
        ],
        now.now,
    )
    # The rounds chosen live in the address (?testing_rounds=12&testing_rounds=13).
    filter_from_address("testing_rounds", list(labels), several=True)
    chosen = column.multiselect(
        t("testing.filter.rounds"),
        list(labels),
        default=None if "testing_rounds" in st.session_state else default,
        format_func=lambda round_id: labels.get(round_id, str(round_id)),
        help=t("testing.filter.rounds_help"),
        key="testing_rounds",
        select_all=select_all_shown(),  # Streamlit's words: English only
    )
    filter_to_address("testing_rounds", sorted(chosen), default=sorted(default))
    return rounds[rounds["round_id"].isin(chosen)]


def render_headline(chosen: pd.DataFrame, rounds: pd.DataFrame) -> None:
    """Completion, backlog, positives, pools and late rounds of the chosen rounds."""
    statuses = chosen["status"].value_counts()
    late = int(statuses.get("behind", 0) + statuses.get("missed", 0))
    render_kpis(
        [
            Kpi(
                "completion",
                t("testing.kpi.completion"),
                fmt_percent(
                    combined_percent(
                        chosen["sampled"].astype(int).tolist(),
                        chosen["target_population"].astype(int).tolist(),
                    )
                ),
                t(
                    "testing.kpi.completion_help",
                    rounds=len(chosen),
                    sampled=fmt_int(int(chosen["sampled"].sum())),
                    target=fmt_int(int(chosen["target_population"].sum())),
                ),
            ),
            Kpi(
                "pending",
                t("testing.kpi.pending"),
                fmt_int(int(chosen["pending"].sum())),
                t("testing.kpi.pending_help", city=fmt_int(int(rounds["pending"].sum()))),
            ),
            Kpi(
                "positive",
                t("testing.kpi.positive"),
                fmt_int(int(chosen["positive"].sum())),
                t("testing.kpi.positive_help"),
            ),
            Kpi(
                "pools",
                t("testing.kpi.pools"),
                fmt_int(int(chosen["pools_positive"].sum())),
                t("testing.kpi.pools_help"),
            ),
            Kpi(
                "late",
                t("testing.kpi.late"),
                fmt_int(late),
                t(
                    "testing.kpi.late_help",
                    behind=int(statuses.get("behind", 0)),
                    missed=int(statuses.get("missed", 0)),
                    on_track=int(statuses.get("on_track", 0)),
                ),
                status=status_of(int(statuses.get("missed", 0)), int(statuses.get("behind", 0))),
            ),
        ],
        per_row=5,
    )


def render_deadlines(chosen: pd.DataFrame, window: int, now: Clock) -> None:
    """Alerts for rounds behind or missed, then every chosen round's outlook."""
    st.subheader(t("testing.deadlines"))
    alerts = round_alerts(chosen, window_hours=window, now=now.now)
    for level, text in alerts:
        if level == "error":
            st.error(text, icon=":material/alarm_off:")
        else:
            st.warning(text, icon=":material/schedule:")
    if not alerts and chosen["status"].isin(["on_track"]).any():
        st.success(t("testing.alert.all_on_track"), icon=":material/check_circle:")
    render_deadline_table(chosen, key="testing_deadlines")
    st.caption(t("testing.definitions", hours=window))


def render_progress(chosen: pd.DataFrame, now: Clock) -> None:
    """The district table with progress bars and its CSV; the completion map beside the
    cumulative sampled-against-target charts."""
    st.subheader(t("testing.progress"))
    render_progress_table(chosen, key="testing_progress")
    st.download_button(
        t("testing.download"),
        later(csv_bytes, chosen),  # made when clicked, not on every run
        file_name=f"testing-progress-{now.today.isoformat()}.csv",
        mime="text/csv",
        key="testing_download",
        icon=":material/download:",
        on_click="ignore",
    )
    map_column, chart_column = st.columns([2, 3])
    with map_column:
        st.pydeck_chart(
            cached_deck(completion_deck, districts=read(list_districts), rounds=chosen),
            height=MAP_HEIGHT,
            key="testing_completion_map",
        )
        st.caption(t("testing.map_caption"))
    with chart_column:
        st.markdown(f"**{t('testing.cumulative')}**")
        round_ids = tuple(sorted(int(round_id) for round_id in chosen["round_id"]))
        hourly = read(list_round_hourly, round_ids=round_ids, until=now.now)
        points = progress_series(hourly, chosen, now.now)
        if points.empty:
            st.info(t("testing.no_reports"))
        else:
            order = [round_label(row) for row in chosen.to_dict("records")]
            st.vega_lite_chart(cached_chart(progress_chart, points=points, order=order))
            st.caption(t("testing.cumulative_caption"))


def render_backlog(chosen: pd.DataFrame, now: Clock) -> None:
    """Samples awaiting results, city-wide and per district, since the chosen rounds began."""
    st.subheader(t("testing.backlog"))
    earliest = pd.Timestamp(chosen["start_at"].min()).to_pydatetime()
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


def render_site_panel(sites: pd.DataFrame, lang: str) -> None:
    """A duty officer's report for one testing site of their scope."""
    district_of = dict(zip(sites["site_id"], sites["district_code"], strict=True))

    def fields(site_id: int) -> list[FormField]:
        latest = read(get_site_state, site_id=int(site_id)) or {}
        rounds = read(list_district_rounds, district_code=district_of[site_id])
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
            choices=pd.DataFrame(
                {
                    "key": sites["site_id"],
                    "label": sites[f"name_{lang}"],
                    "district_code": sites["district_code"],
                    "facility_id": sites["site_id"],
                }
            ),
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


def render_round_panel(rounds: pd.DataFrame) -> None:
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

    # The newest first: the rounds under way are the ones whose deadline moves.
    ordered = rounds.sort_values(["start_at", "district_code"], ascending=[False, True])
    render_panel(
        Panel(
            key="round_edit",
            title=t("testing.update.round_title"),
            action="edit",
            entity="round",
            choices=pd.DataFrame(
                {
                    "key": ordered["round_id"].astype(int),
                    "label": [round_option(row) for row in ordered.to_dict("records")],
                    "district_code": ordered["district_code"],
                    "facility_id": None,
                }
            ),
            choice_label=t("testing.update.round_choice"),
            fields=fields,
            write=write,
            submit_label=t("testing.update.round_submit"),
            none_in_scope=t("testing.update.no_round_in_scope"),
        )
    )


def render_sites(chosen: pd.DataFrame, now: Clock) -> None:
    """Testing sites: open, queues, staleness; the worst first, in a table and on a map."""
    st.subheader(t("testing.sites"))
    only_chosen = st.toggle(
        t("testing.sites_scope"), value=True, key="testing_sites_scope", disabled=chosen.empty
    )
    codes = tuple(sorted(chosen["district_code"].unique())) if only_chosen else ()
    sites = read(list_site_status, now=now.now, today=now.today, district_codes=codes)
    if sites.empty:
        st.info(t("testing.no_sites"))
        return
    render_site_panel(sites, current_language())
    bands = sites["band"].value_counts()
    render_kpis(
        [
            Kpi(
                "sites_open",
                t("testing.kpi.sites_open"),
                fmt_int(int(sites["is_open"].sum())),
                t(
                    "testing.kpi.sites_open_help",
                    total=fmt_int(len(sites)),
                    sampled=fmt_int(int(sites["sampled_today"].sum())),
                ),
            ),
            Kpi(
                "queue_red",
                t("testing.kpi.queue_red"),
                fmt_int(int(bands.get("red", 0))),
                t("testing.kpi.queue_help"),
                status=status_of(int(bands.get("red", 0))),
            ),
            Kpi(
                "queue_amber",
                t("testing.kpi.queue_amber"),
                fmt_int(int(bands.get("amber", 0))),
                t("testing.kpi.queue_help"),
                status=status_of(0, int(bands.get("amber", 0))),
            ),
            Kpi(
                "stale",
                t("testing.kpi.stale"),
                fmt_int(int(sites["stale"].sum())),
                t("testing.kpi.stale_help"),
            ),
        ]
    )
    st.caption(t("testing.sites_caption"))
    if (sites["last_reported_at"].dropna() > pd.Timestamp(now.now)).any():
        st.caption(t("testing.sites_future", time=format_local(now.now)))
    table_column, map_column = st.columns([3, 2])
    with table_column:
        render_site_table(sites.head(MAX_SITE_ROWS), key="testing_sites")
        if len(sites) > MAX_SITE_ROWS:
            st.caption(t("testing.sites_capped", shown=MAX_SITE_ROWS, total=fmt_int(len(sites))))
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
    window = window_column.selectbox(
        t("testing.filter.window"),
        WINDOW_CHOICES,
        index=WINDOW_CHOICES.index(DEFAULT_WINDOW_HOURS),
        format_func=window_labels.__getitem__,
        key="testing_window",
    )
    rounds = read(list_round_outlook, now=now.now, window_hours=window)
    chosen = rounds.iloc[0:0]
    if rounds.empty:
        st.info(t("testing.no_rounds"), icon=":material/biotech:")
    else:
        chosen = choose_rounds(rounds, now, choose_column)
        render_round_panel(rounds)
        if chosen.empty:
            st.info(t("testing.choose_round"))
        else:
            render_headline(chosen, rounds)
            render_deadlines(chosen, window, now)
            render_progress(chosen, now)
            render_backlog(chosen, now)
    render_sites(chosen, now)
