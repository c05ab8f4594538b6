"""Supply arithmetic: burn rate, days of supply, bands, stock-out date (CDC burn-rate method).

The burn rate follows CDC's PPE Burn Rate Calculator: consumption between two counts divided
by the days between them, so it needs counts on at least two days. A line's daily rollup
holds the consumption reported that day, i.e. used since the previous count; the consumption
reported on the window's first day of counts was used *before* that count, so it is left out,
and a line counted every other day is not charged two days' use per day of counts. Deliveries
raise on-hand but are not negative consumption: the rate uses the reported consumption.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from numbers import Integral, Real

import numpy as np

BURN_WINDOW_DAYS = 7
MIN_DAYS_OF_COUNTS = 2
SECONDS_PER_DAY = 86_400
STOCK_OUT_WINDOW_DAYS = 30
# A line is red at 3 whole days of supply or less (the bands 0 and 1-3) and amber under 7 (the
# band 4-6): a level never disagrees with its band (3.1 days is 3 whole days, band 1-3, red).
CRITICAL_DAYS = 3
LOW_DAYS = 7
# (lowest whole days, label): 0, 1-3, 4-6, 7-14, 15-30, over 30.
DAYS_OF_SUPPLY_BANDS: tuple[tuple[float, str], ...] = (
    (31, ">30"),
    (15, "15-30"),
    (7, "7-14"),
    (4, "4-6"),
    (1, "1-3"),
    (0, "0"),
)
# Levels of a line, most urgent first; the page colours and sorts by them.
SUPPLY_LEVELS = ("critical", "low", "ok", "unknown", "no_use")


def _count(name: str, value: object) -> int:
    """A count that must be a whole number of at least zero."""
    if type(value) is int and value >= 0:  # the common case, without the slower ABC checks
        return value
    if value is None or isinstance(value, bool):
        raise ValueError(f"{name} is missing")
    if isinstance(value, Real) and not isinstance(value, Integral):
        if not math.isfinite(value) or not float(value).is_integer():
            raise ValueError(f"{name} must be a whole number: {value}")
    elif not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number: {value!r}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative: {value}")
    return int(value)


def burn_rate(
    consumed_since_first_count: int,
    first_count_at: datetime | None,
    last_count_at: datetime | None,
    days_counted: int,
) -> float | None:
    """Average daily use between the window's first and last count; None under two days
    of counts.

    The days between the counts are elapsed time, not the difference of their calendar
    dates: counts at 23:30 and at 00:30 the day after next are 25 hours (1.04 days) apart.
    `first_count_at` is the time of the first day's last count (the use reported on that
    day was used before it), `last_count_at` the time of the latest count.
    """
    consumed = _count("consumed", consumed_since_first_count)
    if first_count_at is None or last_count_at is None:
        if first_count_at is not None or last_count_at is not None:
            raise ValueError("a window of counts needs both its first and its last count")
        return None
    elapsed = (last_count_at - first_count_at).total_seconds() / SECONDS_PER_DAY
    if elapsed < 0:
        raise ValueError(f"last count {last_count_at} is before the first {first_count_at}")
    # One day of counts gives no interval to measure use over.
    if days_counted < MIN_DAYS_OF_COUNTS or elapsed == 0:
        if consumed:
            raise ValueError("consumption since the first count needs a later count")
        return None
    return consumed / elapsed


def days_of_supply(on_hand: int, rate: float | None) -> float | None:
    """On hand ÷ burn rate: 0 with nothing on hand, infinite with no use, None if unknown."""
    stock = _count("on hand", on_hand)
    if rate is not None and not (type(rate) is float and rate >= 0):
        if isinstance(rate, bool) or not isinstance(rate, Real):
            raise ValueError(f"burn rate must be a number: {rate!r}")
        if math.isnan(rate) or rate < 0:
            raise ValueError(f"burn rate cannot be negative or NaN: {rate}")
    if stock == 0:
        # Nothing left lasts no days, whatever the use (a stocked-out line is not "no use").
        return 0.0
    if rate is None:
        return None
    if rate == 0:
        return math.inf
    # Rounded so that e.g. 7 on hand at 7 used in 3 days is exactly 3.0 days, not 2.999...
    return round(stock / rate, 9)


def _checked_days(days: float | None) -> float | None:
    if days is None:
        return None
    if type(days) is float and days >= 0:  # the common case (NaN fails >= 0)
        return days
    if isinstance(days, bool) or not isinstance(days, Real):
        raise ValueError(f"days of supply must be a number: {days!r}")
    if math.isnan(days) or days < 0:
        raise ValueError(f"days of supply cannot be negative or NaN: {days}")
    return float(days)


def supply_band(days: float | None) -> str | None:
    """The band of whole days of supply (rounded down): 0, 1-3, 4-6, 7-14, 15-30, >30."""
    checked = _checked_days(days)
    if checked is None:
        return None
    whole_days = math.floor(checked) if math.isfinite(checked) else checked
    for lowest, label in DAYS_OF_SUPPLY_BANDS:
        if whole_days >= lowest:
            return label
    return "0"


def supply_level(days: float | None) -> str:
    """critical at 3 whole days or less, low under 7, ok, no_use (infinite), unknown (no
    burn rate); whole days as the bands count them."""
    checked = _checked_days(days)
    if checked is None:
        return "unknown"
    if math.isinf(checked):
        return "no_use"
    whole_days = math.floor(checked)
    if whole_days <= CRITICAL_DAYS:
        return "critical"
    if whole_days < LOW_DAYS:
        return "low"
    return "ok"


def stock_out_date(today: date, days: float | None) -> date | None:
    """The day stock runs out at the current burn rate: today + whole days of supply."""
    checked = _checked_days(days)
    if checked is None or math.isinf(checked):
        return None
    return today + timedelta(days=math.floor(checked))


# --- Whole columns at once ---------------------------------------------------------------------
# A city has thousands of stock lines; the functions above, called once per line, spend most
# of a page's time. These give the same answers for whole arrays (NaN where the one-line
# function gives None), and refuse the same bad input.


def burn_rates(
    consumed_since_first_count: np.ndarray,
    elapsed_days: np.ndarray,
    days_counted: np.ndarray,
) -> np.ndarray:
    """`burn_rate` of each line from its use, the days between its window's first and last
    count (NaN without counts) and its days of counts; NaN where there is not enough data."""
    consumed = np.asarray(consumed_since_first_count, dtype="float64")
    elapsed = np.asarray(elapsed_days, dtype="float64")
    counted = np.asarray(days_counted, dtype="int64")
    if np.isnan(consumed).any() or (consumed < 0).any() or (consumed % 1 != 0).any():
        raise ValueError("consumed must be whole numbers of at least zero")
    if (elapsed < 0).any():
        raise ValueError("a last count is before the first")
    measured = ~np.isnan(elapsed) & (counted >= MIN_DAYS_OF_COUNTS) & (elapsed > 0)
    if (consumed[~measured] > 0).any():
        raise ValueError("consumption since the first count needs a later count")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(measured, consumed / elapsed, np.nan)


def days_of_supply_all(on_hand: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """`days_of_supply` of each line: 0 with nothing on hand, inf with no use, NaN unknown."""
    stock = np.asarray(on_hand, dtype="float64")
    rate = np.asarray(rates, dtype="float64")
    if np.isnan(stock).any() or (stock < 0).any() or (stock % 1 != 0).any():
        raise ValueError("on hand must be whole numbers of at least zero")
    if (rate < 0).any():
        raise ValueError("burn rate cannot be negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        days = np.round(stock / rate, 9)
    days = np.where(rate == 0, np.inf, days)
    return np.where(stock == 0, 0.0, days)


def supply_bands(days: np.ndarray) -> np.ndarray:
    """`supply_band` of each line (None where days are unknown), as an object array."""
    days = np.asarray(days, dtype="float64")
    with np.errstate(invalid="ignore"):
        whole = np.floor(days)
        bands = np.select(
            [whole >= lowest for lowest, _ in DAYS_OF_SUPPLY_BANDS],
            [label for _, label in DAYS_OF_SUPPLY_BANDS],
            default="0",
        ).astype(object)
    bands[np.isnan(days)] = None
    return bands


def supply_levels(days: np.ndarray) -> np.ndarray:
    """`supply_level` of each line, as an object array."""
    days = np.asarray(days, dtype="float64")
    with np.errstate(invalid="ignore"):
        whole = np.floor(days)
        return np.select(
            [np.isnan(days), np.isinf(days), whole <= CRITICAL_DAYS, whole < LOW_DAYS],
            ["unknown", "no_use", "critical", "low"],
            default="ok",
        ).astype(object)


def stock_out_dates(today: date, days: np.ndarray) -> np.ndarray:
    """`stock_out_date` of each line (None when unknown or never), as an object array."""
    days = np.asarray(days, dtype="float64")
    finite = np.isfinite(days)
    out = np.full(len(days), None, dtype=object)
    whole = np.floor(days[finite]).astype("int64")
    # A few distinct day counts over thousands of lines: each date is made once.
    dates = {n: today + timedelta(days=int(n)) for n in np.unique(whole)}
    out[finite] = [dates[n] for n in whole]
    return out
