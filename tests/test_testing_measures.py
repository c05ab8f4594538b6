"""Testing-round arithmetic: completion, backlog, throughput, projection, outlook, queues."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from components.testing_tables import round_alerts
from data.measures.testing import (
    combined_percent,
    default_round_ids,
    pending_results,
    percent_complete,
    projected_completion,
    queue_band,
    round_outlook,
    stale_flags,
    throughput_per_hour,
    throughput_window_start,
)
from i18n import set_language
from tests.factories import at

NOON = at("2021-06-10 12:00")


@pytest.mark.parametrize(
    ("sampled", "target", "expected"),
    [(0, 1000, 0.0), (600, 1000, 60.0), (1, 3, 100 / 3), (1000, 1000, 100.0), (1200, 1000, 100.0)],
)
def test_percent_complete(sampled: int, target: int, expected: float) -> None:
    assert percent_complete(sampled, target) == expected


def test_percent_complete_refuses_a_target_of_zero() -> None:
    with pytest.raises(ValueError, match="target population must be positive"):
        percent_complete(10, 0)


@pytest.mark.parametrize(
    ("sampled", "resulted", "expected"), [(600, 450, 150), (600, 600, 0), (10, 12, 0), (0, 0, 0)]
)
def test_pending_results(sampled: int, resulted: int, expected: int) -> None:
    assert pending_results(sampled, resulted) == expected


@pytest.mark.parametrize(
    ("now", "start", "expected"),
    [
        ("2021-06-10 12:00", "2021-06-09 00:00", "2021-06-10 06:00"),
        ("2021-06-10 12:30", "2021-06-09 00:00", "2021-06-10 06:00"),  # aligned to buckets
        ("2021-06-10 12:00", "2021-06-10 09:30", "2021-06-10 09:00"),  # not before the start
    ],
)
def test_throughput_window_start(now: str, start: str, expected: str) -> None:
    assert throughput_window_start(at(now), at(start), 6) == at(expected)


def test_throughput_window_must_be_positive() -> None:
    with pytest.raises(ValueError, match="window must be positive"):
        throughput_window_start(NOON, NOON, 0)


def test_throughput_per_hour() -> None:
    assert throughput_per_hour(600, at("2021-06-10 06:00"), NOON) == 100.0
    assert throughput_per_hour(150, at("2021-06-10 10:30"), NOON) == 100.0
    assert throughput_per_hour(0, at("2021-06-10 06:00"), NOON) == 0.0
    # No time has passed: no throughput rather than a division by zero.
    assert throughput_per_hour(50, NOON, NOON) == 0.0


def test_projected_completion() -> None:
    assert projected_completion(NOON, 600, 1000, 100.0) == at("2021-06-10 16:00")
    assert projected_completion(NOON, 900, 1000, 40.0) == at("2021-06-10 14:30")
    assert projected_completion(NOON, 600, 1000, 0.0) is None  # never, at this rate
    assert projected_completion(NOON, 1000, 1000, 0.0) == NOON  # already complete
    assert projected_completion(NOON, 1100, 1000, 50.0) == NOON


def _outlook(**values: object):  # noqa: ANN202 - the measure's own return type
    defaults = {
        "now": NOON,
        "start_at": at("2021-06-09 00:00"),
        "deadline_at": at("2021-06-10 18:00"),
        "target": 1000,
        "sampled": 600,
        "sampled_in_window": 600,
        "completed_at": None,
    }
    return round_outlook(**{**defaults, **values})


def test_a_round_finishing_before_its_deadline_is_on_track() -> None:
    outlook = _outlook()  # 100 an hour, 400 to go: 16:00, deadline 18:00
    assert (outlook.status, outlook.per_hour) == ("on_track", 100.0)
    assert (outlook.projected_at, outlook.hours_late) == (at("2021-06-10 16:00"), None)
    assert not outlook.never_finishes


def test_a_round_projected_after_its_deadline_is_behind_with_hours_late() -> None:
    outlook = _outlook(deadline_at=at("2021-06-10 14:00"))
    assert outlook.status == "behind"
    assert (outlook.projected_at, outlook.hours_late) == (at("2021-06-10 16:00"), 2.0)


def test_projected_exactly_at_the_deadline_is_on_track() -> None:
    assert _outlook(deadline_at=at("2021-06-10 16:00")).status == "on_track"


def test_a_round_with_no_reports_never_finishes_and_is_behind() -> None:
    outlook = _outlook(sampled=0, sampled_in_window=0)
    assert (outlook.status, outlook.per_hour, outlook.projected_at) == ("behind", 0.0, None)
    assert outlook.hours_late is None
    assert outlook.never_finishes


def test_zero_recent_throughput_never_finishes() -> None:
    outlook = _outlook(sampled=900, sampled_in_window=0)
    assert (outlook.status, outlook.projected_at, outlook.never_finishes) == ("behind", None, True)


def test_a_round_not_begun_is_upcoming() -> None:
    outlook = _outlook(start_at=at("2021-06-10 16:00"), sampled=0, sampled_in_window=0)
    assert (outlook.status, outlook.projected_at, outlook.never_finishes) == (
        "upcoming",
        None,
        False,
    )


def test_a_young_round_measures_throughput_since_it_began() -> None:
    # Began at 10:00: 200 samples in 2 hours is 100 an hour, not 200 / 6.
    outlook = _outlook(start_at=at("2021-06-10 10:00"), sampled=200, sampled_in_window=200)
    assert outlook.per_hour == 100.0
    assert outlook.projected_at == at("2021-06-10 20:00")
    assert (outlook.status, outlook.hours_late) == ("behind", 2.0)


def test_a_complete_round_shows_when_it_completed_and_that_it_was_on_time() -> None:
    outlook = _outlook(sampled=1000, sampled_in_window=0, completed_at=at("2021-06-10 10:40"))
    assert outlook.status == "complete"
    assert (outlook.completed_at, outlook.hours_late, outlook.on_time) == (
        at("2021-06-10 10:40"),
        None,
        True,
    )


def test_a_round_completed_by_reports_after_its_deadline_was_late() -> None:
    outlook = _outlook(
        deadline_at=at("2021-06-10 08:00"),
        sampled=1050,
        completed_at=at("2021-06-10 10:00"),
    )
    assert (outlook.status, outlook.completed_at) == ("complete", at("2021-06-10 10:00"))
    assert (outlook.hours_late, outlook.on_time) == (2.0, False)


def test_completion_is_the_moment_of_the_report_that_reached_the_target() -> None:
    # Reached at 18:10 with an 18:30 deadline: on time, though the hour ends after it.
    outlook = _outlook(
        now=at("2021-06-10 20:00"),
        deadline_at=at("2021-06-10 18:30"),
        sampled=1000,
        completed_at=at("2021-06-10 18:10"),
    )
    assert (outlook.completed_at, outlook.on_time) == (at("2021-06-10 18:10"), True)


def test_an_incomplete_round_past_its_deadline_is_missed_with_how_late() -> None:
    # 300 in the last 6 hours is 50 an hour; 400 to go: 20:00, ten hours after 10:00.
    outlook = _outlook(deadline_at=at("2021-06-10 10:00"), sampled_in_window=300)
    assert (outlook.status, outlook.per_hour) == ("missed", 50.0)
    assert (outlook.projected_at, outlook.hours_late) == (at("2021-06-10 20:00"), 10.0)


def test_a_missed_round_with_no_throughput_never_finishes() -> None:
    outlook = _outlook(deadline_at=at("2021-06-10 10:00"), sampled_in_window=0)
    assert (outlook.status, outlook.projected_at, outlook.hours_late) == ("missed", None, None)
    assert outlook.never_finishes


@pytest.mark.parametrize(
    ("is_open", "minutes", "band"),
    [
        (True, 0, "ok"),
        (True, 30, "ok"),
        (True, 31, "amber"),
        (True, 60, "amber"),
        (True, 61, "red"),
        (True, 75, "red"),
        (False, 90, "closed"),
    ],
)
def test_queue_band(is_open: bool, minutes: int, band: str) -> None:
    assert queue_band(is_open, minutes) == band


def test_stale_flags_after_each_sources_interval() -> None:
    last = pd.Series([at("2021-06-10 08:00"), at("2021-06-10 07:59"), None, at("2021-06-10 11:00")])
    intervals = pd.Series([240, 240, 240, 30])
    # Exactly on its interval is not yet stale; never reported is; 60 min late on 30 is.
    assert list(stale_flags(last, NOON, intervals)) == [False, True, True, True]
    assert stale_flags(pd.Series([], dtype="object"), NOON, pd.Series([], dtype="int64")).empty


def _rounds(*rows: tuple[int, str, str, str]) -> list[tuple[int, str, datetime, datetime]]:
    return [(rid, code, at(start), at(deadline)) for rid, code, start, deadline in rows]


def test_default_rounds_are_those_under_way() -> None:
    rounds = _rounds(
        (1, "440103", "2021-06-01 00:00", "2021-06-03 00:00"),
        (2, "440103", "2021-06-09 00:00", "2021-06-11 00:00"),
        (3, "440104", "2021-06-10 00:00", "2021-06-12 00:00"),
        (4, "440105", "2021-06-11 00:00", "2021-06-13 00:00"),
    )
    assert default_round_ids(rounds, NOON) == [2, 3]


def test_default_rounds_are_each_districts_latest_when_none_is_under_way() -> None:
    rounds = _rounds(
        (1, "440103", "2021-06-01 00:00", "2021-06-03 00:00"),
        (2, "440103", "2021-06-04 00:00", "2021-06-06 00:00"),
        (3, "440104", "2021-06-02 00:00", "2021-06-04 00:00"),
        (4, "440105", "2021-06-11 00:00", "2021-06-13 00:00"),
    )
    assert default_round_ids(rounds, NOON) == [3, 2]


def test_default_rounds_are_the_soonest_when_none_has_begun() -> None:
    rounds = _rounds(
        (1, "440103", "2021-06-12 00:00", "2021-06-14 00:00"),
        (2, "440104", "2021-06-11 00:00", "2021-06-13 00:00"),
    )
    assert default_round_ids(rounds, NOON) == [2]
    assert default_round_ids([], NOON) == []


def test_combined_percent_caps_each_round_at_its_target() -> None:
    # Liwan 600 of 1000 and Yuexiu 700 of 500 (counted as 500): 1100 of 1500.
    assert combined_percent([600, 700], [1000, 500]) == 1100 / 1500 * 100
    assert combined_percent([], []) is None
    with pytest.raises(ValueError, match="each round"):
        combined_percent([1], [])


def test_a_stalled_round_that_began_an_hour_ago_says_one_hour_not_six() -> None:
    set_language("en")
    now = datetime(2021, 5, 26, 1, 0, tzinfo=UTC)  # 09:00 in Guangzhou
    round_row = {
        "status": "behind",
        "never_finishes": True,
        "scope": "whole",
        "round_no": 1,
        "name_zh": "荔湾区",
        "name_en": "Liwan",
        "target_population": 1000,
        "sampled": 0,
        "start_at": datetime(2021, 5, 26, 0, 0, tzinfo=UTC),
        "deadline_at": datetime(2021, 5, 28, 0, 0, tzinfo=UTC),
    }
    [(level, text)] = round_alerts(pd.DataFrame([round_row]), window_hours=6, now=now)
    assert level == "warning"
    assert "nothing sampled in the last 1 h," in text
