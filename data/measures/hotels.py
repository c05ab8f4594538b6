"""Quarantine-hotel arithmetic: rooms, occupancy, net intake, days until full, staleness."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta

# Occupancy at or above these percentages is shown amber, then red.
OCCUPANCY_AMBER_PERCENT = 85.0
OCCUPANCY_RED_PERCENT = 95.0
# Net intake is averaged over this many complete days before today, plus today so far.
NET_INTAKE_WINDOW_DAYS = 3

OCCUPANCY_BANDS = ("green", "amber", "red")
REPORT_STATUSES = ("current", "stale", "no_report")


def available_rooms(total: int, occupied: int, cleaning: int) -> int:
    """Rooms ready for a new guest: neither occupied nor being cleaned (never below zero)."""
    return max(0, total - occupied - cleaning)


def occupancy_percent(total: int, occupied: int) -> float | None:
    """Occupied rooms as a percentage of all rooms; None for a hotel with no rooms."""
    if total <= 0:
        return None
    return 100.0 * occupied / total


def occupancy_band(percent: float | None) -> str | None:
    """'red' from 95 %, 'amber' from 85 %, else 'green'; None when occupancy is unknown."""
    if percent is None or math.isnan(percent):
        return None
    if percent >= OCCUPANCY_RED_PERCENT:
        return "red"
    if percent >= OCCUPANCY_AMBER_PERCENT:
        return "amber"
    return "green"


def count_for_today(value: int, state_day: date | None, today: date) -> int:
    """A per-day counter of a hotel's state, or 0 when its latest report was on another day."""
    return value if state_day == today else 0


def net_intake(intake: int, discharges: int) -> int:
    """Guests taken in minus guests discharged (negative when a hotel empties)."""
    return intake - discharges


def elapsed_day_fraction(now: datetime, day_start: datetime, day_end: datetime) -> float:
    """How much of the day [day_start, day_end) has passed at `now`, between 0 and 1."""
    length = (day_end - day_start).total_seconds()
    passed = (now - day_start).total_seconds()
    return min(1.0, max(0.0, passed / length))


def net_daily_intake(
    net_by_day: Mapping[date, int],
    *,
    today: date,
    today_fraction: float,
    window_days: int = NET_INTAKE_WINDOW_DAYS,
) -> float | None:
    """Net intake per day over the last `window_days` complete days and today so far.

    The sum of (intake - discharges) from the window's first reported day up to now, divided
    by the time covered: whole days before today plus the part of today that has passed.
    Days before the first report in the window do not dilute the rate; later days without a
    report count as zero, because a hotel's next report carries what happened meanwhile.
    None when nothing was reported in the window (the rate is unknown).
    """
    first = today - timedelta(days=window_days)
    reported = sorted(day for day in net_by_day if first <= day <= today)
    if not reported:
        return None
    complete_days = (today - reported[0]).days
    span = complete_days + today_fraction
    if span <= 0:
        return None
    return sum(net_by_day[day] for day in reported) / span


def days_until_full(available: int, net_per_day: float | None, waiting: int = 0) -> float | None:
    """Free rooms (after placing `waiting` guests) ÷ net daily intake.

    0 when no room is left; infinite ("not filling") when net intake is zero or negative;
    None when the net intake is unknown.
    """
    free = available - waiting
    if free <= 0:
        return 0.0
    if net_per_day is None:
        return None
    if net_per_day <= 0:
        return math.inf
    return free / net_per_day


def rooms_short(available: int, waiting: int) -> int:
    """Guests waiting beyond the free rooms (0 when every waiting guest has a room)."""
    return max(0, waiting - available)


def report_age_minutes(last_reported_at: datetime | None, now: datetime) -> float | None:
    """Minutes since the latest report; None when there is none."""
    if last_reported_at is None:
        return None
    return (now - last_reported_at).total_seconds() / 60.0


def report_status(last_reported_at: datetime | None, now: datetime, interval_minutes: int) -> str:
    """'no_report', 'stale' (older than the expected interval) or 'current'."""
    age = report_age_minutes(last_reported_at, now)
    if age is None:
        return "no_report"
    return "stale" if age > interval_minutes else "current"
