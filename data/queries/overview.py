"""The Overview's headline figures, each read through the view's own queries, and their
trend: the same figures at the end of each of the last 14 days."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pandas as pd
from sqlmodel import Session

from data.measures.testing import combined_percent, default_round_ids, sampled_toward_targets
from data.queries.audits import ActionTotals, get_action_totals
from data.queries.cases import (
    CaseTotals,
    ContactTotals,
    count_active_zones,
    get_contact_totals,
    get_local_case_totals,
)
from data.queries.common import Clock
from data.queries.hotels import CITY, RoomTotals, get_room_totals, list_capacity_outlook
from data.queries.supplies import count_levels_by_day, list_stock_lines
from data.queries.testing import list_round_totals
from data.timeutil import as_utc, day_bounds_utc

# The sparkline beside each headline figure covers this many days, today included.
TREND_DAYS = 14
TREND_COLUMNS = [
    "day",
    "new_local",
    "total_local",
    "in_hospital",
    "severe",
    "contacts_controlled",
    "zones",
    "testing_percent",
    "rooms_free",
    "supply_under_7",
    "supply_under_3",
    "overdue_actions",
]


@dataclass(frozen=True)
class TestingTotals:
    """Rounds under way: how many, and sampled against target."""

    __test__ = False

    rounds: int
    sampled: int
    target: int
    percent: float | None


@dataclass(frozen=True)
class SupplyTotals:
    """Stock lines with a burn rate, and those under 7 and under 3 days of supply."""

    lines_with_burn: int
    under_7_days: int
    under_3_days: int


@dataclass(frozen=True)
class Headline:
    """Every figure on the Overview."""

    cases: CaseTotals
    contacts: ContactTotals
    zones: dict[str, int]
    testing: TestingTotals
    rooms: RoomTotals
    supplies: SupplyTotals
    actions: ActionTotals
    # The city's rooms: days until full at the recent net intake (inf: not filling; None:
    # unknown), as the hotels page's outlook says; only at the clock's moment, not in trends.
    days_until_full: float | None = None


def _testing_totals(session: Session, now: datetime) -> TestingTotals:
    """The rounds the testing page shows first (under way; else each district's latest)."""
    every_round = list_round_totals(session=session, as_of=now)
    shown = default_round_ids(
        [
            (int(row.round_id), row.district_code, as_utc(row.start_at), as_utc(row.deadline_at))
            for row in every_round.itertuples(index=False)
        ],
        now,
    )
    rounds = every_round[every_round["round_id"].isin(shown)]
    sampled, targets = rounds["sampled"].tolist(), rounds["target_population"].tolist()
    return TestingTotals(
        rounds=len(rounds),
        sampled=sampled_toward_targets(sampled, targets),
        target=sum(targets),
        percent=combined_percent(sampled, targets),
    )


def _supply_totals(session: Session, today: date, now: datetime) -> SupplyTotals:
    lines = list_stock_lines(session=session, today=today, at=now)
    known = lines[lines["days_of_supply"].notna()]
    return SupplyTotals(
        lines_with_burn=int(lines["burn_rate"].notna().sum()),
        # The levels the supplies page shows (bands of whole days), so both agree.
        under_7_days=int(known["level"].isin(["critical", "low"]).sum()),
        under_3_days=int((known["level"] == "critical").sum()),
    )


def headline_at(
    *, session: Session, today: date, now: datetime, supplies: SupplyTotals | None = None
) -> Headline:
    """The Overview's figures at a moment `now` of `today` (without days until full);
    `supplies`, when given, are the supply figures already counted for that moment."""
    return Headline(
        cases=get_local_case_totals(session=session, today=today, at=now),
        # Local cases, as on the case map: the outbreak's own contact tracing.
        contacts=get_contact_totals(session=session, today=today, local_only=True, at=now),
        zones=count_active_zones(session=session, at=now),
        testing=_testing_totals(session, now),
        rooms=get_room_totals(session=session, at=now),
        supplies=_supply_totals(session, today, now) if supplies is None else supplies,
        actions=get_action_totals(session=session, today=today, at=now),
    )


def get_headline(*, session: Session, clock: Clock) -> Headline:
    """The Overview's figures at the clock's moment."""
    figures = headline_at(session=session, today=clock.today, now=clock.now)
    outlook = list_capacity_outlook(session=session, clock=clock)
    city = outlook[outlook["scope"] == CITY]
    until_full = None if city.empty else city["days_until_full"].iloc[0]
    return replace(
        figures,
        days_until_full=None if until_full is None or pd.isna(until_full) else float(until_full),
    )


def trend_row(day: date, headline: Headline) -> dict[str, object]:
    """One day of the trend: the headline's figures as numbers."""
    return {
        "day": day,
        "new_local": headline.cases.new_today,
        "total_local": headline.cases.total,
        "in_hospital": headline.cases.in_hospital,
        "severe": headline.cases.severe,
        "contacts_controlled": headline.contacts.controlled,
        "zones": sum(headline.zones.values()),
        "testing_percent": headline.testing.percent,
        "rooms_free": headline.rooms.available,
        "supply_under_7": headline.supplies.under_7_days,
        "supply_under_3": headline.supplies.under_3_days,
        "overdue_actions": headline.actions.overdue,
    }


def day_end(day: date) -> datetime:
    """The last moment of a local day (a report at the next midnight belongs to the next)."""
    return day_bounds_utc(day)[1] - timedelta(microseconds=1)


def get_day_figures(*, session: Session, day: date) -> dict[str, object]:
    """The headline figures at the end of a (past) day, as one trend row."""
    return trend_row(day, headline_at(session=session, today=day, now=day_end(day)))


def trend_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Trend rows (oldest first) as a frame with the trend's columns."""
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    frame["testing_percent"] = frame["testing_percent"].astype("float64")
    return frame


def trend_days(today: date, days: int = TREND_DAYS) -> list[date]:
    """The days before today that a trend of `days` days shows, oldest first."""
    return [today - timedelta(days=back) for back in range(days - 1, 0, -1)]


def get_past_figures(
    *, session: Session, today: date, days: int = TREND_DAYS
) -> list[dict[str, object]]:
    """The trend's days before `today`, oldest first: each `get_day_figures` of that day.

    The supply figures of all the days come from one pass over the daily stock rollup
    (`count_levels_by_day`): counting the lines day by day took ~0.4 s a day at city scale,
    nine tenths of the trend. The other figures are each day's own queries.
    """
    past = trend_days(today, days)
    levels = count_levels_by_day(session=session, days=past)
    rows = []
    for day, counts in zip(past, levels.itertuples(index=False), strict=True):
        supplies = SupplyTotals(
            lines_with_burn=int(counts.lines_with_burn),
            under_7_days=int(counts.under_7_days),
            under_3_days=int(counts.under_3_days),
        )
        headline = headline_at(session=session, today=day, now=day_end(day), supplies=supplies)
        rows.append(trend_row(day, headline))
    return rows


def get_headline_trend(*, session: Session, clock: Clock, days: int = TREND_DAYS) -> pd.DataFrame:
    """The headline figures at the end of each of the `days` days up to today (today's at
    the clock's moment), one row per day, oldest first: the sparklines and "since yesterday".

    Each day is what the headline said at its moment, so that today's point is the headline
    figure and yesterday's is what it said then.
    """
    rows = get_past_figures(session=session, today=clock.today, days=days)
    today = headline_at(session=session, today=clock.today, now=clock.now)
    return trend_frame([*rows, trend_row(clock.today, today)])
