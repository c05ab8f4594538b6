"""Supply arithmetic: burn rate, days of supply, bands (CDC burn-rate method)."""

from __future__ import annotations

import math

BURN_WINDOW_DAYS = 7
MIN_DAYS_OF_COUNTS = 2
# (lowest days, label): 0, 1-3, 4-6, 7-14, 15-30, over 30.
DAYS_OF_SUPPLY_BANDS: tuple[tuple[float, str], ...] = (
    (31, ">30"),
    (15, "15-30"),
    (7, "7-14"),
    (4, "4-6"),
    (1, "1-3"),
    (0, "0"),
)


def burn_rate(consumed_total: int, days_counted: int) -> float | None:
    """Average daily consumption; None when fewer than two days of counts exist."""
    if days_counted < MIN_DAYS_OF_COUNTS:
        return None
    return consumed_total / days_counted


def days_of_supply(on_hand: int, rate: float | None) -> float | None:
    """Stock on hand divided by the burn rate; infinite when nothing is used; None if unknown."""
    if on_hand < 0:
        raise ValueError(f"on hand cannot be negative: {on_hand}")
    if rate is None:
        return None
    if rate <= 0:
        return math.inf
    return on_hand / rate


def supply_band(days: float | None) -> str | None:
    """The days-of-supply band label, None when the days are unknown."""
    if days is None:
        return None
    whole_days = math.floor(days) if math.isfinite(days) else days
    for lowest, label in DAYS_OF_SUPPLY_BANDS:
        if whole_days >= lowest:
            return label
    return "0"
