"""Quarantine-hotel reads from known reports, on SQLite and PostgreSQL.

The figures in the assertions are worked out by hand from `build_known_hotels` (the clock
is 2021-06-10 20:00 in Guangzhou, so 20/24 of today has passed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import pytest
from sqlmodel import Session

from data import models
from data.queries.common import Clock
from data.queries.hotels import (
    count_hotels_by_status,
    get_room_totals,
    list_capacity_outlook,
    list_daily_rooms,
    list_hotels,
    list_room_totals_by_cohort,
)
from tests.factories import make_case, make_hotel, make_hotel_report

REPLAY_AT = "2021-06-10 20:00"
CLOCK = Clock(
    now=datetime.fromisoformat("2021-06-10 20:00+08:00"), today=date(2021, 6, 10), replay=True
)


def local(text: str) -> datetime:
    """A moment given in Guangzhou local time ('YYYY-MM-DD HH:MM')."""
    return datetime.fromisoformat(f"{text}+08:00")


@dataclass(frozen=True)
class KnownHotels:
    """The hotels of the known city, by letter."""

    a: models.Facility  # close contacts, 96 % full, red
    b: models.Facility  # inbound, stale, emptying
    c: models.Facility  # secondary contacts, 87.5 %, amber, reports hourly
    d: models.Facility  # close contacts, active, no report yet
    e: models.Facility  # inbound, standby
    f: models.Facility  # closed, never reported
    g: models.Facility  # close contacts, last report yesterday


def _report(
    session: Session, hotel: models.Facility, when: str, total: int, occupied: int, **values: int
) -> None:
    make_hotel_report(
        session,
        hotel_id=hotel.id,
        reported_at=local(when),
        rooms_total=total,
        rooms_occupied=occupied,
        **values,
    )


def build_known_hotels(session: Session) -> KnownHotels:
    """Seven hotels, their reports and two cases with close contacts."""
    hotels = KnownHotels(
        a=make_hotel(session, rooms=100, name_en="Hotel A", name_zh="甲酒店", code="H-A"),
        b=make_hotel(
            session,
            rooms=50,
            cohort="inbound",
            district_code="440104",
            name_en="Hotel B",
            name_zh="乙酒店",
            code="H-B",
        ),
        c=make_hotel(
            session,
            rooms=40,
            cohort="secondary_contact",
            district_code="440105",
            report_interval_minutes=60,
            name_en="Hotel C",
            name_zh="丙酒店",
            code="H-C",
        ),
        d=make_hotel(session, rooms=60, name_en="Hotel D", name_zh="丁酒店", code="H-D"),
        e=make_hotel(
            session,
            rooms=80,
            cohort="inbound",
            status="standby",
            name_en="Hotel E",
            name_zh="戊酒店",
            code="H-E",
        ),
        f=make_hotel(session, rooms=70, status="closed", name_en="Hotel F", code="H-F"),
        g=make_hotel(
            session,
            rooms=30,
            report_interval_minutes=1440,
            name_en="Hotel G",
            name_zh="庚酒店",
            code="H-G",
        ),
    )
    a, b, c, e, g = hotels.a, hotels.b, hotels.c, hotels.e, hotels.g
    _report(session, a, "2021-06-06 10:00", 100, 50, intake=50)  # before the window
    _report(session, a, "2021-06-07 10:00", 100, 60, intake=20, discharges=5)
    _report(session, a, "2021-06-08 10:00", 100, 70, intake=15, discharges=5)
    _report(session, a, "2021-06-09 10:00", 100, 80, intake=12, discharges=2)
    _report(session, a, "2021-06-10 09:00", 100, 88, rooms_cleaning=2, intake=10, discharges=2)
    _report(
        session,
        a,
        "2021-06-10 17:00",
        100,
        96,
        rooms_cleaning=1,
        intake=9,
        discharges=1,
        staff_on_duty=25,
    )
    _report(session, b, "2021-06-09 10:00", 50, 28, intake=2, discharges=10)
    _report(session, b, "2021-06-10 08:00", 50, 20, rooms_cleaning=5, intake=3, discharges=5)
    _report(session, c, "2021-06-10 19:30", 40, 35, intake=5, staff_on_duty=12)
    _report(session, e, "2021-06-10 12:00", 80, 0, intake=7)  # standby: not in the totals
    _report(session, g, "2021-06-09 22:00", 30, 10, intake=4, discharges=1)
    # 30 - 20 = 10 close contacts still waiting; the case of 06-11 is after the clock.
    make_case(
        session,
        report_date=date(2021, 6, 9),
        close_contacts_identified=30,
        close_contacts_controlled=20,
    )
    make_case(
        session,
        report_date=date(2021, 6, 10),
        close_contacts_identified=5,
        close_contacts_controlled=5,
    )
    make_case(session, report_date=date(2021, 6, 11), close_contacts_identified=100)
    return hotels


def test_city_totals_and_hotel_counts(session: Session) -> None:
    build_known_hotels(session)
    assert count_hotels_by_status(session=session) == {"active": 5, "standby": 1, "closed": 1}
    # A, B, C and G report (D has not yet): rooms 100+50+40+30, occupied 96+20+35+10.
    rooms = get_room_totals(session=session)
    assert (rooms.hotels, rooms.total, rooms.occupied, rooms.cleaning) == (4, 220, 161, 6)
    assert rooms.available == 53
    assert rooms.occupancy == pytest.approx(100 * 161 / 220)
    by_cohort = list_room_totals_by_cohort(session=session)
    assert {cohort: (r.hotels, r.total, r.available) for cohort, r in by_cohort.items()} == {
        "inbound": (1, 50, 25),
        "close_contact": (2, 130, 23),
        "secondary_contact": (1, 40, 5),
    }


def test_every_hotel_has_a_row_with_its_figures(session: Session) -> None:
    hotels = build_known_hotels(session)
    frame = list_hotels(session=session, clock=CLOCK).set_index("code")
    assert list(frame.index) == ["H-A", "H-B", "H-C", "H-D", "H-E", "H-F", "H-G"]
    a = frame.loc["H-A"]
    assert a["hotel_id"] == hotels.a.id
    assert [
        int(a[name])
        for name in (
            "rooms_total",
            "rooms_occupied",
            "rooms_cleaning",
            "rooms_available",
            "staff_on_duty",
            "intake_today",
            "discharges_today",
        )
    ] == [100, 96, 1, 3, 25, 19, 3]
    assert a["occupancy_percent"] == 96.0
    assert a["occupancy_band"] == "red"
    assert a["report_status"] == "current"
    assert a["report_age_minutes"] == 180.0
    assert a["district_en"] == "Liwan"
    assert frame.loc["H-B", "report_status"] == "stale"  # 12 hours old, expected every 4
    assert frame.loc["H-C", "occupancy_band"] == "amber"  # 87.5 %
    assert frame.loc["H-C", "report_status"] == "current"  # 30 minutes old, expected hourly
    # Hotel G last reported yesterday: today's intake and discharges are zero, not 4 and 1.
    assert (int(frame.loc["H-G", "intake_today"]), int(frame.loc["H-G", "discharges_today"])) == (
        0,
        0,
    )
    assert frame.loc["H-G", "report_status"] == "current"  # 22 hours old, expected daily
    # Hotel D has not reported: it keeps its row, with no figures.
    d = frame.loc["H-D"]
    assert d["report_status"] == "no_report"
    assert pd.isna(d["last_reported_at"])
    assert d[["rooms_total", "rooms_available", "intake_today"]].isna().all()
    assert pd.isna(d["occupancy_percent"]) and pd.isna(d["occupancy_band"])


def test_hotel_filters(session: Session) -> None:
    build_known_hotels(session)
    yuexiu = list_hotels(session=session, clock=CLOCK, districts=("440104",))
    assert list(yuexiu["code"]) == ["H-B"]
    inbound = list_hotels(session=session, clock=CLOCK, cohort="inbound")
    assert list(inbound["code"]) == ["H-B", "H-E"]
    nothing = list_hotels(session=session, clock=CLOCK, districts=("440118",))
    assert nothing.empty and "occupancy_band" in nothing.columns


def test_a_hotel_with_zero_rooms(session: Session) -> None:
    empty = make_hotel(session, rooms=0, code="H-Z")
    make_hotel_report(
        session,
        hotel_id=empty.id,
        reported_at=local("2021-06-10 19:00"),
        rooms_total=0,
        rooms_occupied=0,
    )
    row = list_hotels(session=session, clock=CLOCK).iloc[0]
    assert (int(row["rooms_total"]), int(row["rooms_available"])) == (0, 0)
    assert pd.isna(row["occupancy_percent"]) and pd.isna(row["occupancy_band"])


def test_capacity_outlook_matches_the_hand_computation(session: Session) -> None:
    build_known_hotels(session)
    outlook = list_capacity_outlook(session=session, clock=CLOCK).set_index("scope")
    assert list(outlook.index) == ["all", "inbound", "close_contact", "secondary_contact"]
    # Net intake of active hotels per day: 06-07 A 15; 06-08 A 10; 06-09 A 10, B -8, G 3;
    # today A 16, B -2, C 5. From 06-07: 49 over 3 + 20/24 = 23/6 days.
    city = outlook.loc["all"]
    assert city["net_per_day"] == pytest.approx(294 / 23)
    assert (int(city["rooms_available"]), int(city["waiting"])) == (53, 10)
    assert city["days_until_full"] == pytest.approx((53 - 10) / (294 / 23))  # 3.36 days
    # Close contacts (A and G): 15, 10, 13, 16 = 54 over 23/6 days; 23 free, 10 waiting.
    close = outlook.loc["close_contact"]
    assert close["net_per_day"] == pytest.approx(324 / 23)
    assert close["days_until_full"] == pytest.approx((23 - 10) / (324 / 23))  # 0.92 days
    assert (int(close["waiting"]), int(close["rooms_short"])) == (10, 0)
    # Inbound (B; E is on standby): -8 and -2 from 06-09, over 1 + 5/6 days: not filling.
    inbound = outlook.loc["inbound"]
    assert inbound["net_per_day"] == pytest.approx(-60 / 11)
    assert math.isinf(inbound["days_until_full"]) and int(inbound["waiting"]) == 0
    # Secondary contacts (C): 5 today over 5/6 of a day = 6 a day; 5 rooms free.
    secondary = outlook.loc["secondary_contact"]
    assert secondary["net_per_day"] == pytest.approx(6.0)
    assert secondary["days_until_full"] == pytest.approx(5 / 6)
    assert secondary["occupancy_percent"] == 87.5


def test_outlook_counts_waiting_contacts_beyond_free_rooms(session: Session) -> None:
    hotel = make_hotel(session, rooms=10)
    make_hotel_report(
        session,
        hotel_id=hotel.id,
        reported_at=local("2021-06-10 10:00"),
        rooms_total=10,
        rooms_occupied=7,
        intake=2,
    )
    make_case(
        session,
        report_date=date(2021, 6, 10),
        close_contacts_identified=9,
        close_contacts_controlled=1,
    )
    close = (
        list_capacity_outlook(session=session, clock=CLOCK).set_index("scope").loc["close_contact"]
    )
    assert (int(close["rooms_available"]), int(close["waiting"]), int(close["rooms_short"])) == (
        3,
        8,
        5,
    )
    assert close["days_until_full"] == 0.0


def test_outlook_on_hotels_without_reports(session: Session) -> None:
    make_hotel(session, rooms=10)
    outlook = list_capacity_outlook(session=session, clock=CLOCK).set_index("scope")
    city = outlook.loc["all"]
    assert (int(city["hotels"]), int(city["rooms_total"])) == (0, 0)
    assert math.isnan(city["net_per_day"]) and math.isnan(city["occupancy_percent"])
    assert city["days_until_full"] == 0.0  # no room at all


def test_daily_rooms_by_cohort(session: Session) -> None:
    build_known_hotels(session)
    daily = list_daily_rooms(session=session, clock=CLOCK)
    rows = {
        (row.day, row.cohort): (
            row.hotels,
            row.rooms_total,
            row.rooms_occupied,
            row.intake,
            row.discharges,
        )
        for row in daily.itertuples()
    }
    # Past days: every hotel that reported that day, its last report of the day.
    assert rows[(date(2021, 6, 9), "close_contact")] == (2, 130, 90, 16, 3)
    assert rows[(date(2021, 6, 6), "close_contact")] == (1, 100, 50, 50, 0)
    # Today: rooms of the active hotels' latest reports (G last reported yesterday and still
    # counts; standby E does not), with today's intake and discharges of every hotel.
    assert rows[(date(2021, 6, 10), "close_contact")] == (2, 130, 106, 19, 3)
    assert rows[(date(2021, 6, 10), "inbound")] == (1, 50, 20, 10, 5)
    assert rows[(date(2021, 6, 10), "secondary_contact")] == (1, 40, 35, 5, 0)
    assert len(rows) == 8
    recent = list_daily_rooms(session=session, clock=CLOCK, days=2)
    assert sorted(set(recent["day"])) == [date(2021, 6, 9), date(2021, 6, 10)]


def test_daily_rooms_with_no_reports(session: Session) -> None:
    make_hotel(session)
    assert list_daily_rooms(session=session, clock=CLOCK).empty
