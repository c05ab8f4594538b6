"""Case map data layer: every read from known rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from data import models
from data.queries.cases import (
    count_active_zones,
    count_local_cases_by_district,
    count_local_cases_by_place,
    count_local_cases_per_day,
    get_case_card,
    get_case_extent,
    get_epidemic_curve,
    get_local_case_totals,
    list_case_points,
    list_map_facilities,
    list_transmission_chains,
    list_transmission_links,
    list_zones,
)
from data.queries.common import list_districts
from tests.factories import at, make_case, make_facility, make_zone

LIWAN, YUEXIU, HAIZHU, BAIYUN = "440103", "440104", "440105", "440111"
YUEXIU_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[113.26, 23.12], [113.28, 23.12], [113.28, 23.14], [113.26, 23.12]]],
}


@dataclass(frozen=True)
class Outbreak:
    """The known cases (by letter) and zones of the small outbreak below."""

    cases: dict[str, models.Case]
    zones: dict[str, models.ControlZone]


def build_outbreak(session: Session) -> Outbreak:
    """A small outbreak whose figures the tests work out by hand.

    Chain A → B → C → D crosses Liwan, Yuexiu and Haizhu; E → F is a second chain in Liwan;
    I is a single case. G is imported and H is reported after 06-10: neither counts there.
    """

    def case(letter: str, day: str, **values: object) -> models.Case:
        return make_case(
            session, case_no=f"GZ-{letter}", report_date=date.fromisoformat(day), **values
        )

    a = case(
        "A",
        "2021-05-21",
        status="discharged",
        discharged_date=date(2021, 6, 5),
        close_contacts_identified=10,
        close_contacts_controlled=8,
        secondary_contacts_identified=30,
        secondary_contacts_controlled=20,
    )
    b = case(
        "B",
        "2021-05-22",
        infector_case_id=a.id,
        severity="severe",
        close_contacts_identified=4,
        close_contacts_controlled=4,
        secondary_contacts_identified=6,
        secondary_contacts_controlled=5,
    )
    c = case(
        "C",
        "2021-05-25",
        district_code=YUEXIU,
        kind="asymptomatic",
        severity="none",
        infector_case_id=b.id,
        lon=113.27,
        lat=23.13,
        close_contacts_identified=3,
        close_contacts_controlled=1,
    )
    d = case(
        "D",
        "2021-06-09",
        district_code=HAIZHU,
        severity="critical",
        infector_case_id=c.id,
        lon=113.3201,
        lat=23.0999,
    )
    e = case("E", "2021-06-10")
    f = case("F", "2021-06-10", kind="asymptomatic", severity="none", infector_case_id=e.id)
    g = case("G", "2021-06-10", source="imported", district_code=BAIYUN)
    h = case("H", "2021-06-11", infector_case_id=e.id)
    i = case("I", "2021-05-30", status="died")
    zones = {
        "sealed": make_zone(
            session, level="sealed", imposed_at=at("2021-05-31 00:00"), population=5000
        ),
        "controlled": make_zone(
            session,
            level="controlled",
            imposed_at=at("2021-05-29 00:00"),
            lifted_at=at("2021-06-08 00:00"),
            population=20000,
        ),
        "prevention": make_zone(
            session,
            level="prevention",
            district_code=YUEXIU,
            imposed_at=at("2021-06-01 00:00"),
            population=100000,
            polygon_geojson=json.dumps(YUEXIU_SQUARE),
            radius_m=None,
        ),
        "later": make_zone(
            session, level="sealed", district_code=HAIZHU, imposed_at=at("2021-06-11 00:00")
        ),
    }
    cases = dict(zip("ABCDEFGHI", [a, b, c, d, e, f, g, h, i], strict=True))
    return Outbreak(cases=cases, zones=zones)


def _row(frame: pd.DataFrame, code: str) -> dict:
    return frame[frame["district_code"] == code].iloc[0].to_dict()


def test_case_totals_follow_the_filters(session: Session) -> None:
    build_outbreak(session)
    day = date(2021, 6, 10)
    whole = get_local_case_totals(session=session, today=day)
    assert (whole.new_today, whole.new_yesterday, whole.total) == (2, 1, 7)
    assert (whole.confirmed, whole.asymptomatic) == (5, 2)
    liwan = get_local_case_totals(session=session, today=day, district=LIWAN)
    assert (liwan.new_today, liwan.total, liwan.confirmed, liwan.asymptomatic) == (2, 5, 4, 1)
    silent = get_local_case_totals(session=session, today=day, kinds=("asymptomatic",))
    assert (silent.new_today, silent.total, silent.confirmed) == (1, 2, 0)
    june = get_local_case_totals(session=session, today=day, start=date(2021, 6, 1))
    assert (june.new_today, june.new_yesterday, june.total) == (2, 1, 3)
    nothing = get_local_case_totals(session=session, today=day, kinds=())
    assert (nothing.new_today, nothing.total) == (0, 0)


def test_cases_by_district_count_hospital_severity_and_contacts(session: Session) -> None:
    build_outbreak(session)
    frame = count_local_cases_by_district(session=session, today=date(2021, 6, 10))
    assert len(frame) == 11
    liwan = _row(frame, LIWAN)
    # A (discharged 06-05) and I (died) are out of hospital; B is severe.
    assert liwan == {
        "district_code": LIWAN,
        "name_zh": "荔湾区",
        "name_en": "Liwan",
        "new_today": 2,
        "last_7_days": 2,
        "total": 5,
        "confirmed": 4,
        "asymptomatic": 1,
        "in_hospital": 3,
        "severe": 1,
        "close_identified": 14,
        "close_controlled": 12,
        "secondary_identified": 36,
        "secondary_controlled": 25,
    }
    haizhu = _row(frame, HAIZHU)
    assert (haizhu["last_7_days"], haizhu["in_hospital"], haizhu["severe"]) == (1, 1, 1)
    assert _row(frame, BAIYUN)["total"] == 0  # the imported case does not count


def test_cases_by_district_as_of_an_earlier_day_and_filtered(session: Session) -> None:
    build_outbreak(session)
    may = count_local_cases_by_district(session=session, today=date(2021, 5, 30), district=LIWAN)
    assert len(may) == 1
    liwan = _row(may, LIWAN)
    # On 05-30 A was still in hospital (discharged 06-05); I had died.
    assert (liwan["new_today"], liwan["total"], liwan["in_hospital"], liwan["severe"]) == (
        1,
        3,
        2,
        1,
    )
    june = count_local_cases_by_district(
        session=session, today=date(2021, 6, 10), start=date(2021, 6, 1), kinds=("confirmed",)
    )
    liwan = _row(june, LIWAN)
    # Only E is confirmed and reported from 06-01; every column counts that period alone.
    assert (liwan["total"], liwan["close_identified"], liwan["in_hospital"]) == (1, 0, 1)
    assert liwan["last_7_days"] <= liwan["total"]


def test_cases_per_day_by_kind_and_by_district(session: Session) -> None:
    build_outbreak(session)
    per_day = count_local_cases_per_day(
        session=session, start=date(2021, 6, 1), end=date(2021, 6, 10)
    )
    assert per_day.to_dict("records") == [
        {"report_date": date(2021, 6, 9), "kind": "confirmed", "cases": 1},
        {"report_date": date(2021, 6, 10), "kind": "confirmed", "cases": 1},
        {"report_date": date(2021, 6, 10), "kind": "asymptomatic", "cases": 1},
    ]
    split = count_local_cases_per_day(
        session=session, end=date(2021, 5, 25), by_district=True, kinds=("asymptomatic",)
    )
    assert split.to_dict("records") == [
        {
            "report_date": date(2021, 5, 25),
            "kind": "asymptomatic",
            "district_code": YUEXIU,
            "district_zh": "越秀区",
            "district_en": "Yuexiu",
            "cases": 1,
        }
    ]


def test_epidemic_curve_average_covers_a_full_week(session: Session) -> None:
    build_outbreak(session)
    curve = get_epidemic_curve(session=session, start=date(2021, 5, 21), end=date(2021, 5, 25))
    assert list(curve.counts["cases"]) == [1, 1, 1]
    assert list(curve.average["report_date"]) == [date(2021, 5, d) for d in range(21, 26)]
    assert list(curve.average["average"]) == pytest.approx([1 / 7, 2 / 7, 2 / 7, 2 / 7, 3 / 7])
    # From 05-25 on, the week before 05-25 (A and B) still counts in its average.
    late = get_epidemic_curve(session=session, start=date(2021, 5, 25), end=date(2021, 5, 28))
    assert list(late.counts["report_date"]) == [date(2021, 5, 25)]
    # 05-28's week (05-22 .. 05-28) no longer holds A.
    assert list(late.average["average"]) == pytest.approx([3 / 7, 3 / 7, 3 / 7, 2 / 7])
    split = get_epidemic_curve(
        session=session, start=date(2021, 6, 9), end=date(2021, 6, 10), by_district=True
    )
    assert split.average.to_dict("records") == [
        {
            "report_date": date(2021, 6, 9),
            "average": pytest.approx(1 / 7),
            "district_code": HAIZHU,
            "district_zh": "海珠区",
            "district_en": "Haizhu",
        },
        {
            "report_date": date(2021, 6, 10),
            "average": pytest.approx(1 / 7),
            "district_code": HAIZHU,
            "district_zh": "海珠区",
            "district_en": "Haizhu",
        },
        {
            "report_date": date(2021, 6, 9),
            "average": pytest.approx(0.0),
            "district_code": LIWAN,
            "district_zh": "荔湾区",
            "district_en": "Liwan",
        },
        {
            "report_date": date(2021, 6, 10),
            "average": pytest.approx(2 / 7),
            "district_code": LIWAN,
            "district_zh": "荔湾区",
            "district_en": "Liwan",
        },
    ]


def test_zones_in_force_on_a_day_never_show_a_later_lift(session: Session) -> None:
    outbreak = build_outbreak(session)
    end_of_june_10 = at("2021-06-10 15:59")
    assert count_active_zones(session=session, at=end_of_june_10) == {
        "sealed": 1,
        "controlled": 0,
        "prevention": 1,
    }
    assert count_active_zones(session=session, at=end_of_june_10, district=YUEXIU) == {
        "sealed": 0,
        "controlled": 0,
        "prevention": 1,
    }
    active = list_zones(session=session, at=end_of_june_10)
    assert list(active["level"]) == ["sealed", "prevention"]  # strictest first
    everything = list_zones(session=session, at=end_of_june_10, include_lifted=True)
    assert list(everything["code"]) == [
        outbreak.zones["sealed"].code,
        outbreak.zones["controlled"].code,
        outbreak.zones["prevention"].code,
    ]
    lifted = everything[everything["level"] == "controlled"].iloc[0]
    assert not lifted["active"]
    assert lifted["lifted_at"].replace(tzinfo=None) == at("2021-06-08 00:00").replace(tzinfo=None)
    # On 06-01 the controlled zone was in force; its lift on 06-08 is not known yet.
    early = list_zones(session=session, at=at("2021-06-01 15:59"), include_lifted=True)
    controlled = early[early["level"] == "controlled"].iloc[0]
    assert controlled["active"]
    assert pd.isna(controlled["lifted_at"])
    yuexiu = list_zones(session=session, at=end_of_june_10, district=YUEXIU)
    assert json.loads(yuexiu.iloc[0]["polygon_geojson"]) == YUEXIU_SQUARE


def test_case_points_are_the_newest_with_the_status_of_the_day(session: Session) -> None:
    build_outbreak(session)
    points = list_case_points(session=session, end=date(2021, 6, 10), limit=3)
    assert list(points["case_no"]) == ["GZ-F", "GZ-E", "GZ-D"]
    may = list_case_points(session=session, end=date(2021, 5, 30))
    assert list(may["case_no"]) == ["GZ-I", "GZ-C", "GZ-B", "GZ-A"]
    # A was discharged on 06-05: on 05-30 it shows as in hospital.
    assert may.set_index("case_no").loc["GZ-A", "status"] == "admitted"
    assert list(may.columns) == [
        "case_no",
        "kind",
        "report_date",
        "status",
        "severity",
        "district_code",
        "district_zh",
        "district_en",
        "community_zh",
        "community_en",
        "lon",
        "lat",
    ]
    yuexiu = list_case_points(session=session, end=date(2021, 6, 10), district=YUEXIU)
    assert list(yuexiu["case_no"]) == ["GZ-C"]


def test_density_groups_cases_by_place(session: Session) -> None:
    build_outbreak(session)
    places = count_local_cases_by_place(session=session, end=date(2021, 6, 10))
    assert places.to_dict("records") == [
        {"lon": 113.24, "lat": 23.08, "cases": 5},
        {"lon": 113.27, "lat": 23.13, "cases": 1},
        {"lon": 113.32, "lat": 23.1, "cases": 1},
    ]


def test_transmission_links_need_the_infector_reported_by_the_day(session: Session) -> None:
    build_outbreak(session)
    links = list_transmission_links(session=session, end=date(2021, 6, 10))
    assert list(zip(links["infector_case_no"], links["case_no"], strict=True)) == [
        ("GZ-E", "GZ-F"),
        ("GZ-C", "GZ-D"),
        ("GZ-B", "GZ-C"),
        ("GZ-A", "GZ-B"),
    ]
    row = links[links["case_no"] == "GZ-C"].iloc[0]
    assert (row["infector_lon"], row["infector_lat"], row["lon"], row["lat"]) == (
        113.24,
        23.08,
        113.27,
        23.13,
    )
    haizhu = list_transmission_links(session=session, end=date(2021, 6, 10), district=HAIZHU)
    assert list(haizhu["case_no"]) == ["GZ-D"]


def test_transmission_chains_size_and_generations(session: Session) -> None:
    build_outbreak(session)
    summary = list_transmission_chains(session=session, end=date(2021, 6, 10))
    assert summary.chains.to_dict("records") == [
        {
            "index_case_no": "GZ-A",
            "index_district_zh": "荔湾区",
            "index_district_en": "Liwan",
            "size": 4,
            "generations": 4,
            "first_report_date": date(2021, 5, 21),
            "last_report_date": date(2021, 6, 9),
            "districts": 3,
        },
        {
            "index_case_no": "GZ-E",
            "index_district_zh": "荔湾区",
            "index_district_en": "Liwan",
            "size": 2,
            "generations": 2,
            "first_report_date": date(2021, 6, 10),
            "last_report_date": date(2021, 6, 10),
            "districts": 1,
        },
    ]
    assert (summary.linked_chains, summary.linked_cases, summary.single_cases) == (2, 6, 1)
    # As of 05-24 the first chain had two generations; a Haizhu filter keeps the whole chain.
    may = list_transmission_chains(session=session, end=date(2021, 5, 24))
    assert [(r["size"], r["generations"]) for r in may.chains.to_dict("records")] == [(2, 2)]
    haizhu = list_transmission_chains(session=session, end=date(2021, 6, 10), district=HAIZHU)
    assert list(haizhu.chains["size"]) == [4]
    assert (haizhu.linked_chains, haizhu.single_cases) == (1, 0)


def test_extent_districts_and_facilities_for_the_map(session: Session) -> None:
    build_outbreak(session)
    extent = get_case_extent(session=session, end=date(2021, 6, 10))
    assert (extent.cases, extent.first_date, extent.last_date) == (
        7,
        date(2021, 5, 21),
        date(2021, 6, 10),
    )
    assert (extent.min_lon, extent.min_lat, extent.max_lon, extent.max_lat) == (
        113.24,
        23.08,
        113.3201,
        23.13,
    )
    empty = get_case_extent(session=session, end=date(2021, 5, 1))
    assert (empty.cases, empty.first_date, empty.min_lon) == (0, None, None)
    districts = list_districts(session=session)
    assert len(districts) == 11
    assert json.loads(districts.iloc[0]["boundary_geojson"])["type"] == "MultiPolygon"

    site = make_facility(session, kind="testing_site", code="SITE-1")
    hospital = make_facility(
        session, kind="designated_hospital", code="HOSP-1", district_code=HAIZHU, capacity=800
    )
    make_facility(session, kind="testing_site", code="SITE-2", status="closed")
    make_facility(session, kind="warehouse", code="WH-1")
    facilities = list_map_facilities(session=session)
    assert list(facilities["code"]) == [hospital.code, site.code]  # hospitals first
    assert list(list_map_facilities(session=session, limit=1)["code"]) == ["HOSP-1"]
    assert list(list_map_facilities(session=session, district=LIWAN)["code"]) == ["SITE-1"]
    assert facilities.iloc[0]["capacity"] == 800


def test_a_case_card_is_only_for_a_local_case_reported_by_the_day(session: Session) -> None:
    build_outbreak(session)
    june_10 = date(2021, 6, 10)
    card = get_case_card(session=session, case_no="GZ-E", end=june_10)
    assert (card.case_no, card.kind, card.report_date, card.status) == (
        "GZ-E",
        "confirmed",
        june_10,
        "admitted",
    )
    # H (reported 06-11, infected by E) is not known on 06-10; G is imported.
    assert card.infected_case_nos == ("GZ-F",)
    assert get_case_card(
        session=session, case_no="GZ-E", end=date(2021, 6, 11)
    ).infected_case_nos == (
        "GZ-F",
        "GZ-H",
    )
    assert get_case_card(session=session, case_no="GZ-H", end=june_10) is None
    assert get_case_card(session=session, case_no="GZ-G", end=june_10) is None
    assert get_case_card(session=session, case_no="GZ-NONE", end=june_10) is None
