"""Testing progress: the data layer's reads from known rounds and site reports.

`build_known_rounds` is shared with the page tests; every figure below is worked out by hand
from it. The clock is 2021-06-10 12:00 UTC (20:00 in Guangzhou).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlmodel import Session

from data import models
from data.queries.overview import day_end
from data.queries.testing import (
    list_backlog_by_district,
    list_long_queues,
    list_round_hourly,
    list_round_outlook,
    list_round_totals,
    list_site_status,
)
from data.timeutil import local_day
from tests.factories import at, make_facility, make_round, make_site_report

NOW = at("2021-06-10 12:00")
TODAY = date(2021, 6, 10)


@dataclass(frozen=True)
class KnownRounds:
    """The ids of the rounds and sites `build_known_rounds` makes."""

    liwan_3: int  # under way, on track
    yuexiu_1: int  # under way, behind
    liwan_2: int  # complete, on time
    haizhu_1: int  # deadline passed, missed; a report after the deadline
    panyu_1: int  # not begun
    red_site: int
    amber_site: int
    ok_site: int
    closed_site: int
    silent_site: int


def build_known_rounds(session: Session) -> KnownRounds:
    """Five rounds in four districts and five testing sites, with hand-checked figures."""

    def site(district: str, name: str, **values) -> models.Facility:
        facility = make_facility(
            session,
            kind="testing_site",
            district_code=district,
            name_zh=f"{name}采样点",
            name_en=f"{name} site",
            **values,
        )
        return facility

    def report(site: models.Facility, round_: models.TestingRound, moment: str, **values) -> None:
        defaults = {"sampled": 0, "resulted": 0, "queue_wait_minutes": 0, "is_open": True}
        make_site_report(
            session,
            site_id=site.id,
            round_id=round_.id,
            reported_at=at(moment),
            **{**defaults, **values},
        )

    red = site("440103", "Red", lon=113.24, lat=23.10, report_interval_minutes=120)
    ok = site("440103", "Calm", lon=113.25, lat=23.11)
    amber = site("440104", "Amber", lon=113.27, lat=23.13)
    closed = site("440105", "Shut", lon=113.30, lat=23.09)
    silent = site("440105", "Silent", lon=113.31, lat=23.10)

    liwan_2 = make_round(
        session,
        round_no=2,
        target_population=900,
        start_at=at("2021-06-01 00:00"),
        deadline_at=at("2021-06-03 00:00"),
    )
    haizhu_1 = make_round(
        session,
        district_code="440105",
        round_no=1,
        target_population=1000,
        start_at=at("2021-06-08 00:00"),
        deadline_at=at("2021-06-09 00:00"),
    )
    liwan_3 = make_round(
        session,
        round_no=3,
        target_population=1000,
        start_at=at("2021-06-09 16:00"),
        deadline_at=at("2021-06-11 00:00"),
    )
    yuexiu_1 = make_round(
        session,
        district_code="440104",
        round_no=1,
        target_population=2000,
        start_at=at("2021-06-10 00:00"),
        deadline_at=at("2021-06-10 16:00"),
    )
    panyu_1 = make_round(
        session,
        district_code="440113",
        round_no=1,
        scope="partial",
        target_population=500,
        start_at=at("2021-06-11 00:00"),
        deadline_at=at("2021-06-12 00:00"),
    )
    # Liwan round 2: 950 of 900, reaching the target with the 22:00 report, before its deadline.
    report(ok, liwan_2, "2021-06-02 01:00", sampled=500, resulted=500)
    report(ok, liwan_2, "2021-06-02 22:00", sampled=450, resulted=450, positive=2)
    # Haizhu round 1: 400 by its deadline, 100 more after it; the site then closed.
    report(closed, haizhu_1, "2021-06-08 05:00", sampled=400, resulted=400)
    report(closed, haizhu_1, "2021-06-10 09:00", sampled=100, is_open=False)
    # Liwan round 3: 400 last night, 300 in the last six hours (50 an hour, 300 to go).
    report(red, liwan_3, "2021-06-09 20:00", sampled=400, resulted=300, queue_wait_minutes=20)
    report(
        red,
        liwan_3,
        "2021-06-10 08:00",
        sampled=150,
        resulted=100,
        positive=1,
        pools_positive=3,
        queue_wait_minutes=75,
    )
    report(ok, liwan_3, "2021-06-10 10:00", sampled=150, resulted=100, queue_wait_minutes=10)
    # Yuexiu round 1: 600 of 2000 in 12 hours (100 an hour in the window, 1400 to go).
    report(amber, yuexiu_1, "2021-06-10 07:00", sampled=500, resulted=300, queue_wait_minutes=40)
    report(amber, yuexiu_1, "2021-06-10 11:00", sampled=100, queue_wait_minutes=40)
    return KnownRounds(
        liwan_3=liwan_3.id,
        yuexiu_1=yuexiu_1.id,
        liwan_2=liwan_2.id,
        haizhu_1=haizhu_1.id,
        panyu_1=panyu_1.id,
        red_site=red.id,
        amber_site=amber.id,
        ok_site=ok.id,
        closed_site=closed.id,
        silent_site=silent.id,
    )


def _by_round(table: pd.DataFrame) -> dict[int, dict]:
    return {row["round_id"]: row for row in table.to_dict("records")}


def test_round_outlook_from_known_reports(session: Session) -> None:
    known = build_known_rounds(session)
    outlook = list_round_outlook(session=session, now=NOW)
    assert list(outlook["round_id"]) == [
        known.liwan_2,
        known.haizhu_1,
        known.liwan_3,
        known.yuexiu_1,
        known.panyu_1,
    ]
    rows = _by_round(outlook)

    liwan_3 = rows[known.liwan_3]
    assert (liwan_3["sampled"], liwan_3["resulted"], liwan_3["pending"]) == (700, 500, 200)
    assert (liwan_3["positive"], liwan_3["pools_positive"], liwan_3["percent"]) == (1, 3, 70.0)
    assert (liwan_3["sampled_in_window"], liwan_3["per_hour"]) == (300, 50.0)
    assert (liwan_3["status"], liwan_3["projected_at"]) == ("on_track", at("2021-06-10 18:00"))
    assert pd.isna(liwan_3["hours_late"])

    yuexiu = rows[known.yuexiu_1]
    assert (yuexiu["sampled"], yuexiu["pending"], yuexiu["percent"]) == (600, 300, 30.0)
    assert (yuexiu["per_hour"], yuexiu["status"]) == (100.0, "behind")
    assert (yuexiu["projected_at"], yuexiu["hours_late"]) == (at("2021-06-11 02:00"), 10.0)

    liwan_2 = rows[known.liwan_2]
    assert (liwan_2["status"], liwan_2["percent"], liwan_2["positive"]) == ("complete", 100.0, 2)
    assert liwan_2["completed_at"] == at("2021-06-02 22:00")
    assert pd.isna(liwan_2["hours_late"])

    haizhu = rows[known.haizhu_1]
    assert (haizhu["sampled"], haizhu["pending"], haizhu["status"]) == (500, 100, "missed")
    assert haizhu["per_hour"] == 100 / 6
    # 500 to go at 100 every six hours: 30 hours from now, 66 hours after the deadline.
    assert (haizhu["projected_at"], haizhu["hours_late"]) == (at("2021-06-11 18:00"), 66.0)

    panyu = rows[known.panyu_1]
    assert (panyu["sampled"], panyu["status"], panyu["never_finishes"]) == (0, "upcoming", False)


def test_outlook_ignores_reports_after_the_clock(session: Session) -> None:
    known = build_known_rounds(session)
    late_site = make_facility(session, kind="testing_site")
    make_site_report(
        session,
        site_id=late_site.id,
        round_id=known.liwan_3,
        reported_at=at("2021-06-10 14:00"),
        sampled=300,
    )
    liwan_3 = _by_round(list_round_outlook(session=session, now=NOW))[known.liwan_3]
    assert (liwan_3["sampled"], liwan_3["status"]) == (700, "on_track")
    # At 15:00 the report is in: 1000 of 1000, completed by the 14:00 report.
    later = _by_round(list_round_outlook(session=session, now=at("2021-06-10 15:00")))
    assert (later[known.liwan_3]["status"], later[known.liwan_3]["completed_at"]) == (
        "complete",
        at("2021-06-10 14:00"),
    )
    # The overview's use of the totals is unchanged: everything, whatever the time.
    totals = list_round_totals(session=session)
    assert int(totals.loc[totals["round_id"] == known.liwan_3, "sampled"].iloc[0]) == 1000


def test_a_round_with_no_reports_under_way_never_finishes(session: Session) -> None:
    quiet = make_round(
        session,
        district_code="440106",
        target_population=800,
        start_at=at("2021-06-10 04:00"),
        deadline_at=at("2021-06-11 04:00"),
    )
    row = _by_round(list_round_outlook(session=session, now=NOW))[quiet.id]
    assert (row["sampled"], row["pending"], row["percent"], row["per_hour"]) == (0, 0, 0.0, 0.0)
    assert (row["status"], row["never_finishes"]) == ("behind", True)
    assert row["projected_at"] is None or pd.isna(row["projected_at"])


def test_outlook_window_is_configurable(session: Session) -> None:
    known = build_known_rounds(session)
    # Over 24 hours Liwan round 3 began at 16:00 yesterday: 700 samples in 20 hours.
    rows = _by_round(list_round_outlook(session=session, now=NOW, window_hours=24))
    assert rows[known.liwan_3]["per_hour"] == 35.0
    assert rows[known.liwan_3]["sampled_in_window"] == 700


def test_round_hourly_is_cumulative_up_to_the_clock(session: Session) -> None:
    known = build_known_rounds(session)
    hourly = list_round_hourly(session=session, round_ids=(known.liwan_3,), until=NOW)
    assert [
        (row["hour"], row["cum_sampled"], row["cum_resulted"], row["pending"])
        for row in hourly.to_dict("records")
    ] == [
        (at("2021-06-09 20:00"), 400, 300, 100),
        (at("2021-06-10 08:00"), 550, 400, 150),
        (at("2021-06-10 10:00"), 700, 500, 200),
    ]
    assert list_round_hourly(session=session, round_ids=(), until=NOW).empty


def test_backlog_by_district_carries_forward_from_before_the_window(session: Session) -> None:
    build_known_rounds(session)
    backlog = list_backlog_by_district(session=session, since=at("2021-06-10 00:00"), until=NOW)
    assert len(backlog) == 3 * 13  # three districts, hours 00:00 .. 12:00
    at_hour = backlog.set_index(["name_en", "hour"])["pending"]
    hour = pd.Timestamp  # the hours come back as UTC timestamps
    assert at_hour[("Liwan", hour(at("2021-06-10 00:00")))] == 100  # from last night
    assert at_hour[("Liwan", hour(at("2021-06-10 09:00")))] == 150
    assert at_hour[("Yuexiu", hour(at("2021-06-10 06:00")))] == 0
    assert at_hour[("Yuexiu", hour(at("2021-06-10 07:00")))] == 200
    last = backlog[backlog["hour"] == hour(NOW)].set_index("name_en")["pending"].to_dict()
    assert last == {"Liwan": 200, "Yuexiu": 300, "Haizhu": 100}


def test_backlog_leaves_out_districts_with_all_results_out(session: Session) -> None:
    build_known_rounds(session)
    # On 2 June Liwan's 500 morning samples all had results in the same hour.
    quiet = list_backlog_by_district(
        session=session, since=at("2021-06-02 00:00"), until=at("2021-06-02 12:00")
    )
    assert quiet.empty
    assert list(quiet.columns) == ["district_code", "name_zh", "name_en", "hour", "pending"]


def test_backlog_of_an_empty_database_is_empty(session: Session) -> None:
    assert list_backlog_by_district(session=session, since=NOW, until=NOW).empty


def test_site_status_worst_queue_first(session: Session) -> None:
    known = build_known_rounds(session)
    sites = list_site_status(session=session, now=NOW, today=TODAY)
    assert list(sites["site_id"]) == [
        known.red_site,
        known.amber_site,
        known.ok_site,
        known.closed_site,
        known.silent_site,
    ]
    rows = {row["site_id"]: row for row in sites.to_dict("records")}
    red = rows[known.red_site]
    # Both reports fall on 10 June in Guangzhou (04:00 and 16:00 local).
    assert (red["band"], red["queue_wait_minutes"], red["sampled_today"]) == ("red", 75, 550)
    assert (red["is_open"], red["stale"], red["district_en"]) == (True, True, "Liwan")
    assert (rows[known.amber_site]["band"], rows[known.amber_site]["sampled_today"]) == (
        "amber",
        600,
    )
    ok = rows[known.ok_site]
    assert (ok["band"], ok["sampled_today"], ok["stale"]) == ("ok", 150, False)
    closed = rows[known.closed_site]
    assert (closed["band"], closed["is_open"], closed["sampled_today"]) == ("closed", False, 100)
    silent = rows[known.silent_site]
    assert (silent["band"], silent["stale"], silent["sampled_today"]) == ("closed", True, 0)
    assert pd.isna(silent["last_reported_at"])

    # Tomorrow nothing has been sampled yet.
    tomorrow = list_site_status(session=session, now=NOW, today=date(2021, 6, 11))
    assert tomorrow["sampled_today"].sum() == 0


def test_long_queues_are_the_red_band_of_the_site_status_worst_first(session: Session) -> None:
    known = build_known_rounds(session)
    # One more open site at the red site's 75 minutes, having sampled more today (it comes
    # first among equals), and a closed one whose last queue was 120 minutes (not a queue).
    more = make_facility(session, kind="testing_site", district_code="440104")
    shut = make_facility(session, kind="testing_site", district_code="440104")
    for site, values in ((more, {"sampled": 900, "is_open": True}), (shut, {"is_open": False})):
        make_site_report(
            session,
            site_id=site.id,
            reported_at=at("2021-06-10 09:00"),
            queue_wait_minutes=120 if site is shut else 75,
            sampled=values.get("sampled", 0),
            resulted=0,
            is_open=values["is_open"],
        )

    def red_of_status(moment: datetime) -> list:
        status = list_site_status(session=session, now=moment, today=local_day(moment))
        return status.loc[
            status["band"] == "red", ["site_id", "queue_wait_minutes"]
        ].values.tolist()

    queues = list_long_queues(session=session, now=NOW)
    assert queues[["site_id", "queue_wait_minutes"]].values.tolist() == [
        [more.id, 75],
        [known.red_site, 75],
    ]
    assert queues.loc[1, ["name_en", "district_code"]].tolist() == ["Red site", "440103"]
    assert red_of_status(NOW) == [[more.id, 75], [known.red_site, 75]]
    # At 08:30 only the red site's report of 08:00 was in: the other came at 09:00.
    assert list_long_queues(session=session, now=at("2021-06-10 08:30"))["site_id"].tolist() == [
        known.red_site
    ]
    assert red_of_status(at("2021-06-10 08:30")) == [[known.red_site, 75]]
    # Before 08:00 the red site's queue was 20 minutes.
    assert list_long_queues(session=session, now=at("2021-06-10 07:00")).empty


def test_site_status_by_district(session: Session) -> None:
    known = build_known_rounds(session)
    sites = list_site_status(session=session, now=NOW, today=TODAY, district_codes=("440105",))
    assert list(sites["site_id"]) == [known.closed_site, known.silent_site]


def test_a_days_totals_count_its_last_hour_up_to_its_last_moment(session: Session) -> None:
    """At a past day's end (its last microsecond, the Overview's trend) the stored hourly
    totals serve whole; a moment inside an hour still counts only that hour's reports up to
    it. Reports at 23:00, 23:59:59.999999 and the next midnight, Guangzhou time."""
    site = make_facility(session, kind="testing_site", district_code="440103")
    round_ = make_round(
        session, start_at=at("2021-06-08 00:00"), deadline_at=at("2021-06-12 00:00")
    )
    for moment, sampled in (
        (at("2021-06-09 15:00"), 3),
        (at("2021-06-09 15:59") + timedelta(seconds=59, microseconds=999_999), 5),
        (at("2021-06-09 16:00"), 100),
    ):
        values = {"resulted": 0, "queue_wait_minutes": 0, "is_open": True}
        make_site_report(
            session,
            site_id=site.id,
            round_id=round_.id,
            reported_at=moment,
            sampled=sampled,
            **values,
        )

    def sampled(moment: datetime) -> int:
        totals = list_round_totals(session=session, as_of=moment)
        return int(totals.loc[totals["round_id"] == round_.id, "sampled"].iloc[0])

    assert sampled(day_end(date(2021, 6, 9))) == 8
    assert sampled(day_end(date(2021, 6, 9)) - timedelta(microseconds=1)) == 3
    assert sampled(day_end(date(2021, 6, 10))) == 108
