"""What the testing page shows, worked out of the data layer's frames once per change of
them (the page keeps each result: shell.Source.derive), so that a rerun with nothing changed
draws it as it is: the round selector's options, the chosen rounds' headline, alerts and
tables, the progress charts, the sites' headline and table, and the update panels' lists.
Nothing here reads the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import pydeck as pdk

from components.format import fmt_int, fmt_percent
from components.kpi import Kpi
from components.testing_charts import progress_chart, progress_series
from components.testing_maps import completion_deck
from components.testing_tables import (
    Table,
    deadline_display,
    progress_display,
    round_alerts,
    round_label,
    round_option,
    site_display,
)
from data.measures.status import status_of
from data.measures.testing import combined_percent, default_round_ids
from i18n import t

# The sites table lists this many sites, worst queue first (a city runs thousands).
MAX_SITE_ROWS = 200


@dataclass(frozen=True)
class RoundMenu:
    """The rounds to choose from: each one's label, the rounds shown first, how many."""

    labels: dict[int, str]
    default: list[int]
    count: int


def round_menu(rounds: pd.DataFrame, *, now: datetime) -> RoundMenu:
    """The round selector's options (by district and round number) and its default."""
    records = rounds.to_dict("records")
    default = default_round_ids(
        [
            (int(row["round_id"]), row["district_code"], row["start_at"], row["deadline_at"])
            for row in records
        ],
        now,
    )
    ordered = sorted(records, key=lambda row: (row["district_code"], row["round_no"]))
    labels = {int(row["round_id"]): round_option(row) for row in ordered}
    return RoundMenu(labels, default, len(records))


@dataclass(frozen=True)
class ChosenRounds:
    """What the page shows of the chosen rounds, worked out once per change of the rounds
    (a rerun with nothing changed draws it as it is)."""

    round_ids: tuple[int, ...]
    rounds: pd.DataFrame
    kpis: list[Kpi]
    alerts: list[tuple[str, str]]
    any_on_track: bool
    deadlines: Table
    progress: Table
    district_codes: tuple[str, ...]
    earliest: datetime


def chosen_rounds(
    rounds: pd.DataFrame, *, round_ids: tuple[int, ...], window_hours: int, now: datetime
) -> ChosenRounds:
    chosen = chosen_of(rounds, round_ids)
    return ChosenRounds(
        round_ids=round_ids,
        rounds=chosen,
        kpis=headline_kpis(chosen, rounds),
        alerts=round_alerts(chosen, window_hours=window_hours, now=now),
        any_on_track=bool(chosen["status"].isin(["on_track"]).any()),
        deadlines=deadline_display(chosen),
        progress=progress_display(chosen),
        district_codes=tuple(sorted(chosen["district_code"].unique())),
        earliest=pd.Timestamp(chosen["start_at"].min()).to_pydatetime(),
    )


def headline_kpis(chosen: pd.DataFrame, rounds: pd.DataFrame) -> list[Kpi]:
    """Completion, backlog, positives, pools and late rounds of the chosen rounds."""
    statuses = chosen["status"].value_counts()
    late = int(statuses.get("behind", 0) + statuses.get("missed", 0))
    return [
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
    ]


def chosen_of(rounds: pd.DataFrame, round_ids: tuple[int, ...]) -> pd.DataFrame:
    """The chosen rounds, in the order the round outlook gives them."""
    return rounds[rounds["round_id"].isin(round_ids)]


def progress_figure(
    hourly: pd.DataFrame, rounds: pd.DataFrame, *, round_ids: tuple[int, ...], now: datetime
) -> dict:
    """The cumulative sampled-against-target charts of the chosen rounds (an empty spec
    when none of them has a report yet)."""
    chosen = chosen_of(rounds, round_ids)
    points = progress_series(hourly, chosen, now)
    if points.empty:
        return {}
    return progress_chart(points, order=[round_label(row) for row in chosen.to_dict("records")])


def completion_map(
    districts: pd.DataFrame, rounds: pd.DataFrame, *, round_ids: tuple[int, ...]
) -> pdk.Deck:
    """The chosen rounds' completion on the map of the districts."""
    return completion_deck(districts, chosen_of(rounds, round_ids))


def round_choices(rounds: pd.DataFrame) -> pd.DataFrame:
    """The rounds to pick in the round panel, the newest first: the rounds under way are
    the ones whose deadline moves."""
    ordered = rounds.sort_values(["start_at", "district_code"], ascending=[False, True])
    return pd.DataFrame(
        {
            "key": ordered["round_id"].astype(int),
            "label": [round_option(row) for row in ordered.to_dict("records")],
            "district_code": ordered["district_code"],
            "facility_id": None,
        }
    )


@dataclass(frozen=True)
class SiteView:
    """What the page shows of the sites, worked out once per change of them."""

    count: int
    kpis: list[Kpi]
    table: Table
    any_future: bool


def site_view(sites: pd.DataFrame, *, now: datetime) -> SiteView:
    bands = sites["band"].value_counts()
    return SiteView(
        count=len(sites),
        kpis=[
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
        ],
        table=site_display(sites.head(MAX_SITE_ROWS)),
        any_future=bool((sites["last_reported_at"].dropna() > pd.Timestamp(now)).any()),
    )
