"""Reads about supply stock: on hand, burn rate, days of supply, stock-outs, line history.

Every read starts from the current-state table `StockState` (one row per item and location)
and the daily rollup `StockDaily` as they were at the moment read (`data.queries.asof`: the
tables themselves when nothing later was counted), aggregated in SQL over a bounded window
of days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import FromClause, Select, String, and_, cast, func, select
from sqlmodel import Session

from data import models
from data.codes import FACILITY_KINDS
from data.measures.supplies import (
    BURN_WINDOW_DAYS,
    SECONDS_PER_DAY,
    STOCK_OUT_WINDOW_DAYS,
    SUPPLY_LEVELS,
    burn_rates,
    days_of_supply_all,
    stock_out_dates,
    supply_bands,
    supply_levels,
)
from data.queries.asof import settings_at, stock_daily_at, stock_state_at
from data.queries.common import plain_frame, rows_frame, shareable
from data.queries.reach import reaches
from data.timeutil import day_start_utc

LINE_COLUMNS = [
    "item_id",
    "item_code",
    "category",
    "item_name_zh",
    "item_name_en",
    "unit_zh",
    "unit_en",
    "location_id",
    "location_code",
    "location_kind",
    "location_name_zh",
    "location_name_en",
    "district_code",
    "district_name_zh",
    "district_name_en",
    "on_hand",
    "on_order",
    "reorder_level",
    "last_reported_at",
    "days_counted",
    "first_count_day",
    "last_count_day",
    "first_count_at",
    "last_count_at",
    "consumed_since_first",
]
ITEM_NAME_COLUMNS = LINE_COLUMNS[:7]
LOCATION_NAME_COLUMNS = LINE_COLUMNS[7:15]
FIGURE_COLUMNS = ["item_id", "location_id", *LINE_COLUMNS[15:]]
DERIVED_COLUMNS = ["burn_rate", "days_of_supply", "band", "level", "stock_out_date"]
ITEM_COLUMNS = [
    "item_id",
    "item_code",
    "category",
    "item_name_zh",
    "item_name_en",
    "unit_zh",
    "unit_en",
    "lines",
    "lines_without_burn",
    "lines_critical",
    "lines_low",
    "lines_at_zero",
    "on_hand",
    "on_order",
    "burn_rate",
    "days_of_supply",
    "band",
    "level",
    "stock_out_date",
]
STOCK_OUT_COLUMNS = [
    "item_id",
    "item_name_zh",
    "item_name_en",
    "unit_zh",
    "unit_en",
    "location_id",
    "location_kind",
    "location_name_zh",
    "location_name_en",
    "district_name_zh",
    "district_name_en",
    "on_hand",
    "on_order",
    "at_zero_now",
    "days_at_zero",
    "last_day_at_zero",
]
HISTORY_COLUMNS = ["day", "on_hand", "consumed", "received", "reorder_level"]
LEVEL_COUNT_COLUMNS = ["day", "lines_with_burn", "under_7_days", "under_3_days"]
_LEVEL_RANK = {level: rank for rank, level in enumerate(SUPPLY_LEVELS)}


def _filters(
    categories: Sequence[str],
    districts: Sequence[str],
    kinds: Sequence[str],
    f: Any = models.Facility,
) -> list:
    """WHERE conditions for the page's filters (over facilities `f`: the table, or as set at
    a moment); an empty choice means all."""
    conditions = []
    if categories:
        conditions.append(models.SupplyItem.category.in_(tuple(categories)))
    if districts:
        conditions.append(f.district_code.in_(tuple(districts)))
    if kinds:
        conditions.append(f.kind.in_(tuple(kinds)))
    return conditions


def _line_names(s: FromClause, query: Select, f: Any) -> Select:
    """Join a query over StockState (`s`, now or at a moment) to its item, location (`f`,
    now or as set at a moment) and district."""
    return (
        query.select_from(s)
        .join(models.SupplyItem, models.SupplyItem.id == s.c.item_id)
        .join(f, f.id == s.c.location_id)
        .join(models.District, models.District.code == f.district_code)
    )


def _daily(session: Session, at: datetime | None) -> FromClause:
    """The daily rollup: all of it (None), or as counted up to `at`."""
    return models.StockDaily.__table__ if at is None else stock_daily_at(session, at)


def _state(session: Session, at: datetime | None) -> FromClause:
    """Each line's latest count: now (None), or up to `at`."""
    return models.StockState.__table__ if at is None else stock_state_at(session, at)


def _burn_window(daily: FromClause, today: date):  # noqa: ANN202 - SQL subquery
    """Per line, its days of counts in the 7 days to `today`, first and last, the times of
    the first day's last count and of the latest count, and the use reported after the
    first (the CDC interval between counts).

    Use after the first count = use reported in the window − use reported on its first day
    of counts (which was used before that day's last count). Aggregating first and then
    looking up the first day by primary key is ~3× faster on SQLite than a window function.
    """
    start = today - timedelta(days=BURN_WINDOW_DAYS - 1)
    counted = (
        select(
            daily.c.item_id,
            daily.c.location_id,
            func.count().label("days_counted"),
            func.min(daily.c.day).label("first_count_day"),
            func.max(daily.c.day).label("last_count_day"),
            func.max(daily.c.last_reported_at).label("last_count_at"),
            func.sum(daily.c.consumed).label("consumed_window"),
        )
        .where(daily.c.day >= start, daily.c.day <= today)
        .group_by(daily.c.item_id, daily.c.location_id)
        .subquery()
    )
    first = daily.alias("first_day")
    return (
        select(
            counted.c.item_id,
            counted.c.location_id,
            counted.c.days_counted,
            counted.c.first_count_day,
            counted.c.last_count_day,
            first.c.last_reported_at.label("first_count_at"),
            counted.c.last_count_at,
            (counted.c.consumed_window - first.c.consumed).label("consumed_since_first"),
        )
        .join(
            first,
            and_(
                first.c.item_id == counted.c.item_id,
                first.c.location_id == counted.c.location_id,
                first.c.day == counted.c.first_count_day,
            ),
        )
        .subquery()
    )


def _as_date(value: object) -> date | None:
    """A day from the database (SQLite may hand back text for an aggregated date)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _urgency_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Most urgent first: by level (critical, low, ok, unknown, no use), then fewest days."""
    rank = frame["level"].map(_LEVEL_RANK).to_numpy()
    days = frame["days_of_supply"].fillna(math.inf).to_numpy()
    # Ties (same level and days) in a fixed order, whatever order SQL returned them in.
    keys = [frame["item_code"].to_numpy(), days, rank]
    if "location_id" in frame:
        keys.insert(0, frame["location_id"].to_numpy())
    order = np.lexsort(tuple(keys))
    return frame.take(order).reset_index(drop=True)


def _add_supply_measures(frame: pd.DataFrame, rates: np.ndarray, today: date) -> None:
    """Add burn rate, days of supply, band, level and stock-out date from on hand and rates
    (NaN: no burn rate)."""
    days = days_of_supply_all(frame["on_hand"].astype("int64").to_numpy(), rates)
    frame["burn_rate"] = pd.Series(rates, dtype="float64", index=frame.index)
    frame["days_of_supply"] = pd.Series(days, dtype="float64", index=frame.index)
    frame["band"] = pd.Series(supply_bands(days), dtype="object", index=frame.index)
    frame["level"] = pd.Series(supply_levels(days), dtype="object", index=frame.index)
    frame["stock_out_date"] = pd.Series(
        stock_out_dates(today, days), dtype="object", index=frame.index
    )


def _day_starts(days: pd.Series) -> pd.Series:
    """The UTC moment each local day begins (NaT for none), each distinct day worked out once."""
    starts = {day: day_start_utc(day) for day in days.dropna().drop_duplicates().tolist()}
    return pd.to_datetime(days.map(starts), utc=True)


def _item_names(session: Session) -> pd.DataFrame:
    """Every supply item's code, category, names and units (a short catalogue)."""
    i = models.SupplyItem
    query = select(i.id, i.code, i.category, i.name_zh, i.name_en, i.unit_zh, i.unit_en)
    return rows_frame(session.execute(query).all(), ITEM_NAME_COLUMNS)


def _location_names(session: Session, at: datetime | None) -> pd.DataFrame:
    """Kind, names (as set at `at`; None: now) and district of every location that holds
    stock."""
    f, d = settings_at(session, models.Facility, at), models.District
    query = (
        select(f.id, f.code, f.kind, f.name_zh, f.name_en, f.district_code, d.name_zh, d.name_en)
        .join(d, d.code == f.district_code)
        .where(f.id.in_(select(models.StockState.location_id).distinct()))
    )
    return rows_frame(session.execute(query).all(), LOCATION_NAME_COLUMNS)


@reaches("supplies", "places")
@shareable
def list_stock_lines(
    *,
    session: Session,
    today: date,
    categories: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    at: datetime | None = None,
) -> pd.DataFrame:
    """Every stock line with on hand, burn rate, days of supply, band and stock-out date,
    as counted up to `at` (a moment of `today`; None: everything counted).

    Reads of the same database state share them (the Overview's headline and its alerts
    both count today's lines: ~120 ms each at city scale)."""
    s = _state(session, at)
    window = _burn_window(_daily(session, at), today)
    # The figures per line come from SQL; the names (repeated on thousands of lines) are
    # read once per item and location and joined here, which is several times faster.
    query = (
        select(
            s.c.item_id,
            s.c.location_id,
            s.c.on_hand,
            s.c.on_order,
            s.c.reorder_level,
            # Times as text (as SQLite stores them; PostgreSQL writes them out), converted a
            # column at a time below: SQLAlchemy's conversion of each value took ~50 ms at
            # city scale, and pandas' of psycopg's datetime objects ~80 ms a column for a
            # province's ~60,000 lines.
            cast(s.c.last_reported_at, String).label("last_reported_at"),
            func.coalesce(window.c.days_counted, 0).label("days_counted"),
            window.c.first_count_day,
            window.c.last_count_day,
            cast(window.c.first_count_at, String).label("first_count_at"),
            cast(window.c.last_count_at, String).label("last_count_at"),
            func.coalesce(window.c.consumed_since_first, 0).label("consumed_since_first"),
        )
        .select_from(s)
        .outerjoin(
            window,
            and_(window.c.item_id == s.c.item_id, window.c.location_id == s.c.location_id),
        )
        .where(*_filters(categories, districts, kinds))
    )
    if categories:
        query = query.join(models.SupplyItem, models.SupplyItem.id == s.c.item_id)
    if districts or kinds:
        query = query.join(models.Facility, models.Facility.id == s.c.location_id)
    figures = plain_frame(session, query, FIGURE_COLUMNS)
    figures["last_reported_at"] = pd.to_datetime(
        figures["last_reported_at"], utc=True, format="ISO8601"
    )
    lines = figures.merge(_item_names(session), on="item_id", how="left").merge(
        _location_names(session, at), on="location_id", how="left"
    )[LINE_COLUMNS]
    # Whole columns at once: a city has thousands of lines (a call per line took most of the
    # page's time).
    for column in ("first_count_day", "last_count_day"):
        days = lines[column]
        distinct = {day: _as_date(day) for day in days.drop_duplicates().tolist()}
        lines[column] = pd.Series(days.map(distinct), dtype="object", index=lines.index)
    for column in ("first_count_at", "last_count_at"):
        lines[column] = pd.to_datetime(lines[column], utc=True, format="ISO8601")
    # A day rolled up without the time of its count (before migration 0002, until
    # `rebuild-state`) counts from the start of that day.
    first = lines["first_count_at"].fillna(_day_starts(lines["first_count_day"]))
    last = lines["last_count_at"].fillna(_day_starts(lines["last_count_day"]))
    windowed = lines["first_count_day"].notna() & lines["last_count_day"].notna()
    elapsed = ((last - first).dt.total_seconds() / SECONDS_PER_DAY).where(windowed)
    rates = burn_rates(
        lines["consumed_since_first"].astype("int64").to_numpy(),
        elapsed.to_numpy(dtype="float64", na_value=np.nan),
        lines["days_counted"].astype("int64").to_numpy(),
    )
    _add_supply_measures(lines, rates, today)
    return _urgency_order(lines)


def _day_numbers(days: pd.Series) -> np.ndarray:
    """Days from the database (dates, or SQLite's text) as day ordinals, each distinct value
    converted once."""
    distinct = {day: _as_date(day).toordinal() for day in days.drop_duplicates().tolist()}
    return days.map(distinct).to_numpy(dtype="int64")


NANOSECONDS = 1_000_000_000


def _nanoseconds(moments: pd.Series) -> np.ndarray:
    """UTC moments as nanoseconds since the epoch (0 for none)."""
    as_ns = moments.astype("datetime64[ns, UTC]")
    return np.where(as_ns.notna(), as_ns.to_numpy(dtype="datetime64[ns]").view("int64"), 0)


def count_levels_by_day(*, session: Session, days: Sequence[date]) -> pd.DataFrame:
    """For each day that is over, the stock lines at its end with a burn rate, and those
    under 7 and under 3 whole days of supply: what `list_stock_lines(today=day,
    at=day_end)` gives, counted, for all the days from two reads of the daily rollup.

    A line at a day's end is as its latest day of counts up to that day left it (the
    rollup's on hand is the day's latest count, as the state's is the line's), and its
    burn rate comes from its days of counts in the 7 days to that day, as in
    `list_stock_lines`. One row per day, in the order given.
    """
    if not days:
        return pd.DataFrame({name: pd.Series(dtype="int64") for name in LEVEL_COUNT_COLUMNS})
    d = models.StockDaily.__table__.c
    first = min(days) - timedelta(days=BURN_WINDOW_DAYS - 1)
    last = max(days)
    # Days and times as text (as SQLite stores them; PostgreSQL writes them out), converted
    # a column at a time below: a city reads ~120,000 rows here, and a conversion per value
    # (SQLAlchemy's, or pandas' of the driver's date and time objects) took most of the time.
    in_window = select(
        d.item_id,
        d.location_id,
        cast(d.day, String).label("day"),
        d.on_hand,
        d.consumed,
        cast(d.last_reported_at, String).label("last_reported_at"),
    ).where(d.day >= first, d.day <= last)
    rows = plain_frame(
        session,
        in_window,
        ["item_id", "location_id", "day", "on_hand", "consumed", "last_reported_at"],
    )
    # Lines last counted before the window: their latest on hand.
    latest = (
        select(d.item_id, d.location_id, func.max(d.day).label("day"))
        .where(d.day < first)
        .group_by(d.item_id, d.location_id)
        .subquery()
    )
    earlier = select(d.item_id, d.location_id, d.on_hand).join(
        latest,
        and_(
            latest.c.item_id == d.item_id,
            latest.c.location_id == d.location_id,
            latest.c.day == d.day,
        ),
    )
    before = rows_frame(session.execute(earlier).all(), ["item_id", "location_id", "on_hand"])

    def line_keys(frame: pd.DataFrame) -> np.ndarray:
        items = frame["item_id"].to_numpy(dtype="int64")
        return (items << 32) | frame["location_id"].to_numpy(dtype="int64")

    # Every line counted in the window or before it, by the days from `first` to `last`: a
    # few thousand lines by ~20 days, worked out for all the days at once (a pass per day
    # over the ~120,000 rows took ~20 ms a day).
    row_keys = line_keys(rows) if len(rows) else np.empty(0, dtype="int64")
    before_keys = line_keys(before) if len(before) else np.empty(0, dtype="int64")
    keys = np.unique(np.concatenate([row_keys, before_keys]))
    span = (last - first).days + 1
    row_line = np.searchsorted(keys, row_keys)
    row_day = (
        _day_numbers(rows["day"]) - first.toordinal() if len(rows) else np.empty(0, dtype="int64")
    )
    counted = np.zeros((len(keys), span), dtype=bool)
    counted[row_line, row_day] = True
    on_hand = np.zeros((len(keys), span), dtype="int64")
    consumed = np.zeros((len(keys), span), dtype="int64")
    if len(rows):
        on_hand[row_line, row_day] = rows["on_hand"].to_numpy(dtype="int64")
        consumed[row_line, row_day] = rows["consumed"].to_numpy(dtype="int64")
    # Times of the counts, as UTC nanoseconds; a day rolled up without the time of its count
    # counts from the start of that day.
    times = pd.to_datetime(rows["last_reported_at"], utc=True, format="ISO8601")
    timed = np.zeros((len(keys), span), dtype=bool)
    moment = np.zeros((len(keys), span), dtype="int64")
    if len(rows):
        timed[row_line, row_day] = times.notna().to_numpy()
        moment[row_line, row_day] = _nanoseconds(times)
    starts = _nanoseconds(
        pd.Series(
            pd.to_datetime(
                [day_start_utc(first + timedelta(days=d)) for d in range(span)], utc=True
            )
        )
    )
    moment = np.where(timed, moment, starts[np.newaxis, :])
    earlier = np.zeros(len(keys), dtype=bool)
    earlier_on_hand = np.zeros(len(keys), dtype="int64")
    if len(before):
        at_before = np.searchsorted(keys, before_keys)
        earlier[at_before] = True
        earlier_on_hand[at_before] = before["on_hand"].to_numpy(dtype="int64")
    # For each line and day: the latest day of counts up to it (-1: none yet).
    latest_day = np.maximum.accumulate(
        np.where(counted, np.arange(span)[np.newaxis, :], -1), axis=1
    )
    all_lines = np.arange(len(keys))
    out = []
    for day in days:
        end = (day - first).days
        begin = end - (BURN_WINDOW_DAYS - 1)
        latest = latest_day[:, end]
        held = (latest >= 0) | earlier
        stock = np.where(latest >= 0, on_hand[all_lines, np.maximum(latest, 0)], earlier_on_hand)
        window = counted[:, begin : end + 1]
        days_counted = window.sum(axis=1)
        windowed = days_counted > 0
        first_in = begin + window.argmax(axis=1)
        last_in = end - window[:, ::-1].argmax(axis=1)
        used = np.where(window, consumed[:, begin : end + 1], 0).sum(axis=1)
        used = np.where(windowed, used - consumed[all_lines, first_in], 0)
        first_at = moment[all_lines, first_in]
        # The latest time of a count in the window, or the start of its last day of counts.
        window_timed = timed[:, begin : end + 1] & window
        any_timed = window_timed.any(axis=1)
        latest_at = np.where(window_timed, moment[:, begin : end + 1], np.iinfo("int64").min)
        last_at = np.where(any_timed, latest_at.max(axis=1), starts[last_in])
        elapsed = np.where(windowed, (last_at - first_at) / NANOSECONDS / SECONDS_PER_DAY, np.nan)
        rates = burn_rates(used[held], elapsed[held], days_counted[held])
        supply = days_of_supply_all(stock[held], rates)
        levels = supply_levels(supply)
        known = ~np.isnan(supply)
        out.append(
            {
                "day": day,
                "lines_with_burn": int((~np.isnan(rates)).sum()),
                # The levels the supplies page shows (bands of whole days), as the headline.
                "under_7_days": int((known & np.isin(levels, ["critical", "low"])).sum()),
                "under_3_days": int((known & (levels == "critical")).sum()),
            }
        )
    return pd.DataFrame(out, columns=LEVEL_COUNT_COLUMNS)


@dataclass(frozen=True)
class LineCounts:
    """What the supplies page counts of the lines it lists (its figures and pickers), so that
    a rerun takes back these instead of every line (a province's are ~24 MB)."""

    lines: int
    items: int
    locations: int
    critical: int
    # Critical or low: under 7 whole days of supply.
    under_7_days: int
    unknown: int
    at_zero: int
    # Each item as the lines list it first (the most urgent line first): id, its names in
    # Chinese and English, and how many lines it has.
    per_item: tuple[tuple[int, str, str, int], ...]


def count_lines(lines: pd.DataFrame) -> LineCounts:
    """The counts of `list_stock_lines`' lines (in its order) that the page shows."""
    levels = lines["level"]
    per_item = lines["item_id"].value_counts(sort=False)
    first = lines.drop_duplicates("item_id")
    return LineCounts(
        lines=len(lines),
        items=int(lines["item_id"].nunique()),
        locations=int(lines["location_id"].nunique()),
        critical=int((levels == "critical").sum()),
        under_7_days=int(levels.isin(["critical", "low"]).sum()),
        unknown=int((levels == "unknown").sum()),
        at_zero=int((lines["on_hand"] == 0).sum()),
        per_item=tuple(
            (int(item_id), name_zh, name_en, int(per_item[item_id]))
            for item_id, name_zh, name_en in zip(
                first["item_id"].tolist(),
                first["item_name_zh"].tolist(),
                first["item_name_en"].tolist(),
                strict=True,
            )
        ),
    )


def total_by_item(lines: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """City-wide per item (of the lines given): on hand, burn, days of supply, line counts.

    Days of supply = all stock on hand ÷ the summed burn of the lines that have one, i.e.
    how long the city's stock lasts if it is moved to where it is used.
    """
    if lines.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    known = lines["burn_rate"].notna()
    counts = pd.DataFrame(
        {
            "item_id": lines["item_id"],
            "lines": 1,
            "lines_with_burn": known.astype("int64"),
            "lines_without_burn": (~known).astype("int64"),
            "lines_critical": (lines["level"] == "critical").astype("int64"),
            "lines_low": (lines["level"] == "low").astype("int64"),
            "lines_at_zero": (lines["on_hand"] == 0).astype("int64"),
            "on_hand": lines["on_hand"].astype("int64"),
            "on_order": lines["on_order"].astype("int64"),
            "known_burn": lines["burn_rate"].fillna(0.0),
        }
    )
    sums = counts.groupby("item_id", sort=False).sum()
    names = lines.drop_duplicates("item_id").set_index("item_id")[ITEM_COLUMNS[1:7]]
    items = names.join(sums).reset_index()
    rates = items["known_burn"].astype("float64").where(items["lines_with_burn"] > 0)
    _add_supply_measures(items, rates.to_numpy(dtype="float64", na_value=np.nan), today)
    return _urgency_order(items)[ITEM_COLUMNS]


def list_item_totals(
    *,
    session: Session,
    today: date,
    categories: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    at: datetime | None = None,
) -> pd.DataFrame:
    """City-wide totals per item for the filtered lines, the first to run out at the top."""
    lines = list_stock_lines(
        session=session,
        today=today,
        categories=categories,
        districts=districts,
        kinds=kinds,
        at=at,
    )
    return total_by_item(lines, today=today)


@reaches("supplies", "places")
def list_stock_outs(
    *,
    session: Session,
    today: date,
    categories: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    at: datetime | None = None,
) -> pd.DataFrame:
    """Lines at zero now or on some day of the last 30, with their days at zero (as counted
    up to `at`, a moment of `today`; None: everything counted)."""
    s, daily = _state(session, at), _daily(session, at)
    f = settings_at(session, models.Facility, at)
    start = today - timedelta(days=STOCK_OUT_WINDOW_DAYS - 1)
    # A day is "at zero" when its last count was zero; days without a count are not guessed.
    zero_days = (
        select(
            daily.c.item_id,
            daily.c.location_id,
            func.count().label("days_at_zero"),
            func.max(daily.c.day).label("last_day_at_zero"),
        )
        .where(daily.c.day >= start, daily.c.day <= today, daily.c.on_hand == 0)
        .group_by(daily.c.item_id, daily.c.location_id)
        .subquery()
    )
    query = (
        _line_names(
            s,
            select(
                s.c.item_id,
                models.SupplyItem.name_zh.label("item_name_zh"),
                models.SupplyItem.name_en.label("item_name_en"),
                models.SupplyItem.unit_zh,
                models.SupplyItem.unit_en,
                s.c.location_id,
                f.kind.label("location_kind"),
                f.name_zh.label("location_name_zh"),
                f.name_en.label("location_name_en"),
                models.District.name_zh.label("district_name_zh"),
                models.District.name_en.label("district_name_en"),
                s.c.on_hand,
                s.c.on_order,
                (s.c.on_hand == 0).label("at_zero_now"),
                func.coalesce(zero_days.c.days_at_zero, 0).label("days_at_zero"),
                zero_days.c.last_day_at_zero,
            ),
            f,
        )
        .outerjoin(
            zero_days,
            and_(zero_days.c.item_id == s.c.item_id, zero_days.c.location_id == s.c.location_id),
        )
        .where(*_filters(categories, districts, kinds, f))
        .where((s.c.on_hand == 0) | (zero_days.c.days_at_zero > 0))
        .order_by(models.SupplyItem.code, f.code)
    )
    outs = pd.DataFrame(session.execute(query).mappings().all(), columns=STOCK_OUT_COLUMNS)
    outs["at_zero_now"] = outs["at_zero_now"].astype(bool)
    outs["last_day_at_zero"] = pd.Series(
        [_as_date(day) for day in outs["last_day_at_zero"]], dtype="object", index=outs.index
    )
    return outs.sort_values(
        ["at_zero_now", "days_at_zero"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)


@reaches("supplies", "places")
def list_line_history(
    *,
    session: Session,
    item_id: int,
    location_id: int,
    start: date,
    end: date,
    at: datetime | None = None,
) -> pd.DataFrame:
    """One line's days from `start` to `end`: the day's last on hand, use and deliveries
    (as counted up to `at`, a moment of `end`; None: everything counted)."""
    # The reorder level as set by `at` (an edit after it is not known yet).
    daily, s = _daily(session, at), settings_at(session, models.StockState, at)
    query = (
        select(
            daily.c.day,
            daily.c.on_hand,
            daily.c.consumed,
            daily.c.received,
            func.coalesce(s.reorder_level, 0).label("reorder_level"),
        )
        .select_from(daily)
        .outerjoin(s, and_(s.item_id == daily.c.item_id, s.location_id == daily.c.location_id))
        .where(
            daily.c.item_id == item_id,
            daily.c.location_id == location_id,
            daily.c.day >= start,
            daily.c.day <= end,
        )
        .order_by(daily.c.day)
    )
    history = pd.DataFrame(session.execute(query).mappings().all(), columns=HISTORY_COLUMNS)
    history["day"] = pd.Series(
        [_as_date(day) for day in history["day"]], dtype="object", index=history.index
    )
    return history


@reaches("supplies", "places")
def list_district_options(*, session: Session) -> pd.DataFrame:
    """Districts for the filter: code and names, by code."""
    d = models.District
    query = select(d.code, d.name_zh, d.name_en).order_by(d.code)
    return pd.DataFrame(
        session.execute(query).mappings().all(), columns=["code", "name_zh", "name_en"]
    )


@reaches("supplies", "places")
def list_stocked_kinds(*, session: Session) -> list[str]:
    """The kinds of location that hold stock lines, in the models' order."""
    query = (
        select(models.Facility.kind)
        .join(models.StockState, models.StockState.location_id == models.Facility.id)
        .distinct()
    )
    present = set(session.execute(query).scalars())
    return [kind for kind in FACILITY_KINDS if kind in present]


@reaches("supplies", "places")
def get_stock_line(*, session: Session, item_id: int, location_id: int) -> dict | None:
    """A stock line's latest count and reorder level, with its version (for update forms)."""
    line = session.get(models.StockState, (item_id, location_id))
    return None if line is None else line.model_dump()
