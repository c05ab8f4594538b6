"""Quarantine-hotel arithmetic: exact values and the edge cases of the issue."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest

from data.measures.hotels import (
    available_rooms,
    count_for_today,
    days_until_full,
    elapsed_day_fraction,
    net_daily_intake,
    net_intake,
    occupancy_band,
    occupancy_percent,
    report_age_minutes,
    report_status,
    rooms_short,
)

TODAY = date(2021, 6, 10)
NOON = datetime(2021, 6, 10, 4, 0, tzinfo=UTC)  # 12:00 in Guangzhou


@pytest.mark.parametrize(
    ("total", "occupied", "cleaning", "expected"),
    [
        (100, 60, 5, 35),
        (100, 100, 0, 0),
        (0, 0, 0, 0),  # a hotel with zero rooms
        (10, 6, 5, 0),  # more cleaning than free rooms: never below zero
        (10, 0, 12, 0),
    ],
)
def test_available_rooms(total: int, occupied: int, cleaning: int, expected: int) -> None:
    assert available_rooms(total, occupied, cleaning) == expected


@pytest.mark.parametrize(
    ("total", "occupied", "expected"),
    [(200, 170, 85.0), (50, 48, 96.0), (8, 1, 12.5), (0, 0, None), (0, 3, None)],
)
def test_occupancy_percent(total: int, occupied: int, expected: float | None) -> None:
    assert occupancy_percent(total, occupied) == expected


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0.0, "green"),
        (84.99, "green"),
        (85.0, "amber"),
        (94.99, "amber"),
        (95.0, "red"),
        (96.0, "red"),
        (100.0, "red"),
        (None, None),  # zero rooms: no occupancy, no band
        (math.nan, None),
    ],
)
def test_occupancy_band_thresholds(percent: float | None, band: str | None) -> None:
    assert occupancy_band(percent) == band


def test_counts_of_another_day_are_not_today_s() -> None:
    assert count_for_today(19, TODAY, TODAY) == 19
    assert count_for_today(19, TODAY - timedelta(days=1), TODAY) == 0
    assert count_for_today(19, TODAY + timedelta(days=1), TODAY) == 0  # replaying the past
    assert count_for_today(19, None, TODAY) == 0  # no report yet


def test_net_intake() -> None:
    assert net_intake(12, 2) == 10
    assert net_intake(3, 5) == -2


def test_elapsed_day_fraction() -> None:
    start = datetime(2021, 6, 9, 16, 0, tzinfo=UTC)  # local midnight of 06-10
    end = start + timedelta(days=1)
    assert elapsed_day_fraction(start + timedelta(hours=20), start, end) == 20 / 24
    assert elapsed_day_fraction(start, start, end) == 0.0
    assert elapsed_day_fraction(start - timedelta(hours=1), start, end) == 0.0
    assert elapsed_day_fraction(end + timedelta(hours=1), start, end) == 1.0


def test_net_daily_intake_over_three_complete_days_and_today_so_far() -> None:
    net = {
        date(2021, 6, 6): 500,  # before the window: ignored
        date(2021, 6, 7): 15,
        date(2021, 6, 8): 10,
        date(2021, 6, 9): 5,
        date(2021, 6, 10): 19,
    }
    # (15 + 10 + 5 + 19) / (3 + 20/24) = 49 / (23/6) = 294/23
    assert net_daily_intake(net, today=TODAY, today_fraction=20 / 24) == pytest.approx(
        294 / 23, abs=1e-12
    )
    # Just after midnight, before any report today: the three complete days alone.
    del net[TODAY]
    assert net_daily_intake(net, today=TODAY, today_fraction=0.0) == 30 / 3


def test_net_daily_intake_counts_from_the_first_reported_day() -> None:
    # Reports start yesterday: one complete day plus half of today.
    net = {date(2021, 6, 9): 10, date(2021, 6, 10): 5}
    assert net_daily_intake(net, today=TODAY, today_fraction=0.5) == pytest.approx(10.0)
    # A silent day inside the window counts as zero: the next report carries its intake.
    net = {date(2021, 6, 7): 12, date(2021, 6, 10): 0}
    assert net_daily_intake(net, today=TODAY, today_fraction=1.0) == pytest.approx(3.0)
    # Only today: its part of the day.
    assert net_daily_intake(
        {date(2021, 6, 10): 5}, today=TODAY, today_fraction=5 / 6
    ) == pytest.approx(6.0)


def test_net_daily_intake_unknown_without_reports() -> None:
    assert net_daily_intake({}, today=TODAY, today_fraction=0.5) is None
    assert net_daily_intake({date(2021, 6, 1): 40}, today=TODAY, today_fraction=0.5) is None
    assert net_daily_intake({date(2021, 6, 10): 4}, today=TODAY, today_fraction=0.0) is None


def test_net_daily_intake_can_be_negative() -> None:
    net = {date(2021, 6, 9): -8, date(2021, 6, 10): -2}
    assert net_daily_intake(net, today=TODAY, today_fraction=5 / 6) == pytest.approx(-60 / 11)


@pytest.mark.parametrize(
    ("available", "net", "waiting", "expected"),
    [
        (43, 294 / 23, 0, 43 * 23 / 294),
        (53, 294 / 23, 10, 43 * 23 / 294),  # waiting close contacts take free rooms first
        (30, 10.0, 0, 3.0),
        (30, 0.0, 0, math.inf),  # not filling
        (30, -4.0, 0, math.inf),  # emptying: not filling
        (30, None, 0, None),  # unknown rate
        (0, 5.0, 0, 0.0),  # full already
        (0, -5.0, 0, 0.0),  # full, even if emptying
        (5, 2.0, 8, 0.0),  # more waiting than free rooms
        (5, None, 5, 0.0),
    ],
)
def test_days_until_full(
    available: int, net: float | None, waiting: int, expected: float | None
) -> None:
    result = days_until_full(available, net, waiting)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_rooms_short() -> None:
    assert rooms_short(23, 10) == 0
    assert rooms_short(3, 10) == 7
    assert rooms_short(0, 0) == 0


def test_report_age_and_status() -> None:
    assert report_age_minutes(None, NOON) is None
    assert report_age_minutes(NOON - timedelta(minutes=90), NOON) == 90.0
    assert report_status(None, NOON, 240) == "no_report"
    assert report_status(NOON - timedelta(minutes=240), NOON, 240) == "current"  # on time
    assert report_status(NOON - timedelta(minutes=241), NOON, 240) == "stale"
    assert report_status(NOON - timedelta(minutes=30), NOON, 60) == "current"
    assert report_status(NOON + timedelta(hours=2), NOON, 60) == "current"  # replay: later
