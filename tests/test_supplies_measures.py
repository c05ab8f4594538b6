"""Supply arithmetic: burn rate, days of supply, band, level and stock-out date, exactly."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pytest

from data.measures.supplies import (
    burn_rate,
    burn_rates,
    days_of_supply,
    days_of_supply_all,
    stock_out_date,
    stock_out_dates,
    supply_band,
    supply_bands,
    supply_level,
    supply_levels,
)

JUNE_10 = date(2021, 6, 10)
# The times of the day's last count (18:00 in Guangzhou).
AT_4, AT_7, AT_10 = (datetime(2021, 6, day, 10, 0, tzinfo=UTC) for day in (4, 7, 10))


def test_burn_rate_is_use_between_the_first_and_last_count_per_day_between() -> None:
    # Counts on 06-04 and 06-10; 90 used after the 06-04 count: 90 / 6 days.
    assert burn_rate(90, AT_4, AT_10, 7) == 15.0
    # Counted every third day: 06-07 and 06-10, 30 used since 06-07 is 10 a day, not 15.
    assert burn_rate(30, AT_7, AT_10, 2) == 10.0


def test_days_between_counts_are_elapsed_time_across_midnight() -> None:
    # Counts at 23:30 on 06-07 and at 00:30 on 06-09 (local): 25 hours, not 2 days apart.
    first = datetime(2021, 6, 7, 15, 30, tzinfo=UTC)
    last = datetime(2021, 6, 8, 16, 30, tzinfo=UTC)
    assert burn_rate(50, first, last, 2) == 50 / (25 / 24)
    assert burn_rate(50, first, last, 2) == pytest.approx(48.0)


def test_one_day_of_counts_or_none_is_not_enough_data() -> None:
    assert burn_rate(0, AT_10, AT_10, 1) is None
    assert burn_rate(0, None, None, 0) is None
    assert days_of_supply(500, None) is None
    assert supply_band(None) is None
    assert supply_level(None) == "unknown"
    assert stock_out_date(JUNE_10, None) is None


def test_zero_consumption_lasts_for_ever_and_is_no_use() -> None:
    rate = burn_rate(0, AT_4, AT_10, 7)
    assert rate == 0.0
    days = days_of_supply(120, rate)
    assert days == math.inf
    assert supply_band(days) == ">30"
    assert supply_level(days) == "no_use"
    assert stock_out_date(JUNE_10, days) is None


def test_a_delivery_between_counts_is_not_negative_use() -> None:
    # 06-07: 100 on hand; 06-10: 150 after 80 arrived and 30 were used. The on-hand rose,
    # but the burn rate is the reported use: 30 in 3 days.
    rate = burn_rate(30, AT_7, AT_10, 2)
    assert rate == 10.0
    assert days_of_supply(150, rate) == 15.0
    assert supply_band(15.0) == "15-30"


def test_nothing_on_hand_is_zero_days_whatever_the_use() -> None:
    assert days_of_supply(0, 12.5) == 0.0
    assert days_of_supply(0, 0.0) == 0.0
    assert days_of_supply(0, None) == 0.0
    assert supply_band(0.0) == "0"
    assert supply_level(0.0) == "critical"
    assert stock_out_date(JUNE_10, 0.0) == JUNE_10


@pytest.mark.parametrize(
    ("on_hand", "rate", "days"),
    [(20, 10.0, 2.0), (7, 7 / 3, 3.0), (45, 10.0, 4.5), (1, 3.0, 0.333333333)],
)
def test_days_of_supply_is_on_hand_over_burn(on_hand: int, rate: float, days: float) -> None:
    assert days_of_supply(on_hand, rate) == days


@pytest.mark.parametrize(
    ("days", "band", "level", "runs_out"),
    [
        (0.0, "0", "critical", date(2021, 6, 10)),
        (0.99, "0", "critical", date(2021, 6, 10)),
        (1.0, "1-3", "critical", date(2021, 6, 11)),
        (2.99, "1-3", "critical", date(2021, 6, 12)),
        # 3.x days is 3 whole days, band 1-3: red like its band (it was amber "under 7").
        (3.0, "1-3", "critical", date(2021, 6, 13)),
        (3.1, "1-3", "critical", date(2021, 6, 13)),
        (3.99, "1-3", "critical", date(2021, 6, 13)),
        (4.0, "4-6", "low", date(2021, 6, 14)),
        (6.99, "4-6", "low", date(2021, 6, 16)),
        (7.0, "7-14", "ok", date(2021, 6, 17)),
        (14.99, "7-14", "ok", date(2021, 6, 24)),
        (15.0, "15-30", "ok", date(2021, 6, 25)),
        (30.99, "15-30", "ok", date(2021, 7, 10)),
        (31.0, ">30", "ok", date(2021, 7, 11)),
    ],
)
def test_bands_levels_and_stock_out_dates_at_their_edges(
    days: float, band: str, level: str, runs_out: date
) -> None:
    assert supply_band(days) == band
    assert supply_level(days) == level
    assert stock_out_date(JUNE_10, days) == runs_out


@pytest.mark.parametrize(
    "call",
    [
        lambda: burn_rate(-1, AT_4, AT_10, 7),
        lambda: burn_rate(None, AT_4, AT_10, 7),
        lambda: burn_rate(2.5, AT_4, AT_10, 7),
        lambda: burn_rate(10, AT_10, AT_4, 7),
        lambda: burn_rate(10, AT_4, None, 7),
        lambda: burn_rate(10, AT_10, AT_10, 1),
        lambda: days_of_supply(-5, 1.0),
        lambda: days_of_supply(None, 1.0),
        lambda: days_of_supply(10, -1.0),
        lambda: days_of_supply(10, math.nan),
        lambda: supply_band(-0.5),
        lambda: supply_band(math.nan),
        lambda: supply_level(-1.0),
        lambda: stock_out_date(JUNE_10, -2.0),
    ],
    ids=[
        "negative use",
        "missing use",
        "fractional use",
        "last count before first",
        "missing last count",
        "use with one day of counts",
        "negative on hand",
        "missing on hand",
        "negative rate",
        "NaN rate",
        "negative days band",
        "NaN days band",
        "negative days level",
        "negative days stock-out",
    ],
)
def test_negative_or_missing_counts_are_rejected(call) -> None:  # noqa: ANN001
    with pytest.raises(ValueError):
        call()


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value


def test_whole_columns_give_what_each_line_gives_alone() -> None:
    # Every band edge, no use, nothing on hand and no burn rate, for thousands of lines.
    on_hand = [0, 1, 7, 30, 45, 60, 120, 500, 7, 150, 0, 90]
    rates = [12.5, 1.0, 7 / 3, 10.0, 3.0, 4.0, 0.0, 15.0, None, 10.0, None, 2.9]
    days = [days_of_supply(stock, rate) for stock, rate in zip(on_hand, rates, strict=True)]
    assert days[:4] == [0.0, 1.0, 3.0, 3.0]
    columns = days_of_supply_all(np.array(on_hand), np.array([_or_nan(r) for r in rates]))
    np.testing.assert_array_equal(columns, [_or_nan(d) for d in days])
    assert list(supply_bands(columns)) == [supply_band(d) for d in days]
    assert list(supply_levels(columns)) == [supply_level(d) for d in days]
    assert list(stock_out_dates(JUNE_10, columns)) == [stock_out_date(JUNE_10, d) for d in days]


def test_whole_columns_of_burn_rates_match_and_refuse_what_one_line_refuses() -> None:
    elapsed = np.array([6.0, 3.0, 25 / 24, 0.0, np.nan])
    rates = burn_rates(np.array([90, 30, 50, 0, 0]), elapsed, np.array([7, 2, 2, 1, 0]))
    assert list(rates[:3]) == [
        burn_rate(90, AT_4, AT_10, 7),
        burn_rate(30, AT_7, AT_10, 2),
        50 / (25 / 24),
    ]
    assert math.isnan(rates[3]) and math.isnan(rates[4])
    with pytest.raises(ValueError, match="needs a later count"):
        burn_rates(np.array([10]), np.array([0.0]), np.array([1]))
    with pytest.raises(ValueError, match="before the first"):
        burn_rates(np.array([10]), np.array([-1.0]), np.array([7]))
    with pytest.raises(ValueError, match="whole numbers"):
        days_of_supply_all(np.array([-5]), np.array([1.0]))
    with pytest.raises(ValueError, match="negative"):
        days_of_supply_all(np.array([10]), np.array([-1.0]))
