"""The data layer on SQLite and PostgreSQL: constraints, the write path, current state."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from data import models
from data.queries.common import SHARED_RESULTS, SharedResults, shared
from data.writes import (
    SYSTEM,
    Actor,
    InvalidRecord,
    PermissionDenied,
    StaleEdit,
    create_facility,
    edit_case,
    edit_facility,
    edit_zone,
)
from data.writes.state import rebuild_derived_state
from data.writes.unit import unit_of_work
from i18n import describe_error
from tests.factories import (
    at,
    in_language,
    make_audit,
    make_case,
    make_checklist,
    make_facility,
    make_hotel_report,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
    make_zone,
)


def _count(session: Session, table: type) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_schema_holds_the_eleven_districts(session: Session) -> None:
    districts = session.exec(select(models.District).order_by(models.District.code)).all()
    assert [d.code for d in districts][:3] == ["440103", "440104", "440105"]
    assert len(districts) == 11
    liwan = districts[0]
    assert (liwan.name_zh, liwan.name_en, liwan.population) == ("荔湾区", "Liwan", 1_238_438)
    assert json.loads(liwan.boundary_geojson)["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (models.Facility, {"kind": "spaceport"}),
        (models.Facility, {"status": "sleeping"}),
        (models.Facility, {"district_code": "999999"}),
        (models.Case, {"kind": "probable"}),
        (models.Case, {"close_contacts_identified": 3, "close_contacts_controlled": 5}),
        (models.ControlZone, {"level": "red"}),
        (models.ControlZone, {"radius_m": None, "polygon_geojson": None}),
        (models.TestingRound, {"target_population": 0}),
    ],
)
def test_database_rejects_invalid_rows(session: Session, model: type, values: dict) -> None:
    valid = {
        models.Facility: dict(
            code="X1",
            kind="testing_site",
            district_code="440103",
            name_zh="点",
            name_en="Site",
            lon=113.2,
            lat=23.1,
        ),
        models.Case: dict(
            case_no="C1",
            kind="confirmed",
            report_date=date(2021, 5, 21),
            district_code="440103",
            community_zh="街",
            community_en="Street",
            lon=113.2,
            lat=23.1,
        ),
        models.ControlZone: dict(
            code="Z1",
            level="sealed",
            district_code="440103",
            name_zh="区",
            name_en="Zone",
            center_lon=113.2,
            center_lat=23.1,
            radius_m=100.0,
            imposed_at=at("2021-05-31 00:00"),
        ),
        models.TestingRound: dict(
            district_code="440103",
            round_no=1,
            target_population=10,
            start_at=at("2021-05-26 00:00"),
            deadline_at=at("2021-05-27 00:00"),
        ),
    }[model]
    session.add(model(**{**valid, **values}))
    with pytest.raises(IntegrityError):
        session.commit()


def test_an_edit_writes_one_change_log_row_and_bumps_the_counter(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    assert site.version == 1
    updated = edit_facility(
        session, actor=SYSTEM, facility_id=site.id, expected_version=1, changes={"status": "closed"}
    )
    assert (updated.status, updated.version) == ("closed", 2)
    log = session.exec(select(models.ChangeLog).order_by(models.ChangeLog.id)).all()
    assert [(entry.table_name, entry.action) for entry in log] == [
        ("facility", "insert"),
        ("facility", "update"),
    ]
    assert json.loads(log[1].before_json)["status"] == "active"
    assert json.loads(log[1].after_json)["status"] == "closed"
    assert session.get(models.ChangeCounter, 1).value == 2
    assert [entry.counter for entry in log] == [1, 2]


def test_stale_edit_is_refused_and_nothing_is_written(session: Session) -> None:
    site = make_facility(session)
    edit_facility(
        session, actor=SYSTEM, facility_id=site.id, expected_version=1, changes={"name_en": "New"}
    )
    with pytest.raises(StaleEdit) as refused:
        edit_facility(
            session,
            actor=SYSTEM,
            facility_id=site.id,
            expected_version=1,
            changes={"status": "closed"},
        )
    assert refused.value.problem.params == {
        "entity": "facility",
        "key": site.id,
        "current": 2,
        "expected": 1,
    }
    session.expire_all()
    assert session.get(models.Facility, site.id).status == "active"
    assert _count(session, models.ChangeLog) == 2


def test_invalid_values_are_refused_with_a_message(session: Session) -> None:
    with pytest.raises(InvalidRecord) as refused:
        make_facility(session, lon="east")
    assert (refused.value.code, refused.value.field) == ("not_number", "lon")
    assert _count(session, models.Facility) == 0


def test_duty_officers_write_only_in_their_districts(session: Session) -> None:
    officer = Actor(name="li", role="duty_officer", district_codes=frozenset({"440104"}))
    values = dict(
        code="X2",
        kind="testing_site",
        district_code="440103",
        name_zh="点",
        name_en="Site",
        lon=113.2,
        lat=23.1,
    )
    site = create_facility(session, actor=SYSTEM, values=values)
    change = {"status": "closed"}
    with pytest.raises(PermissionDenied):
        edit_facility(
            session, actor=officer, facility_id=site.id, expected_version=1, changes=change
        )
    with pytest.raises(PermissionDenied):
        edit_facility(
            session,
            actor=Actor(name="boss", role="leadership"),
            facility_id=site.id,
            expected_version=1,
            changes=change,
        )
    in_yuexiu = create_facility(
        session, actor=SYSTEM, values={**values, "code": "X3", "district_code": "440104"}
    )
    edited = edit_facility(
        session, actor=officer, facility_id=in_yuexiu.id, expected_version=1, changes=change
    )
    assert (edited.status, edited.version) == ("closed", 2)
    session.expire_all()
    assert session.get(models.Facility, site.id).status == "active"


def test_site_reports_keep_current_state_and_hourly_totals(session: Session) -> None:
    site = make_facility(session, kind="testing_site", district_code="440104")
    testing_round = make_round(session, district_code="440104")
    # 2021-05-26 23:30 and 23:50 local are 15:30 and 15:50 UTC; 00:10 local is the next day.
    for moment, sampled, wait in [
        ("2021-05-26 15:30", 100, 20),
        ("2021-05-26 15:50", 50, 35),
        ("2021-05-26 16:10", 70, 75),
    ]:
        make_site_report(
            session,
            site_id=site.id,
            round_id=testing_round.id,
            reported_at=at(moment),
            sampled=sampled,
            resulted=sampled // 2,
            queue_wait_minutes=wait,
        )
    state = session.get(models.TestingSiteState, site.id)
    assert (state.day, state.sampled_day, state.resulted_day) == (date(2021, 5, 27), 70, 35)
    assert state.queue_wait_minutes == 75
    hourly = session.exec(select(models.TestingHourly).order_by(models.TestingHourly.hour)).all()
    assert [(h.hour.hour, h.sampled, h.resulted) for h in hourly] == [(15, 150, 75), (16, 70, 35)]
    assert {h.district_code for h in hourly} == {"440104"}


def test_stock_reports_refuse_negative_counts(session: Session) -> None:
    item = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse")
    with pytest.raises(InvalidRecord):
        make_stock_report(
            session,
            item_id=item.id,
            location_id=warehouse.id,
            reported_at=at("2021-05-30 02:00"),
            on_hand=-5,
        )
    assert _count(session, models.StockReport) == 0


def _state_rows(session: Session) -> dict[str, list[tuple]]:
    tables = (
        models.TestingSiteState,
        models.TestingHourly,
        models.HotelState,
        models.HotelDaily,
        models.StockState,
        models.StockDaily,
        models.FacilityAuditState,
    )
    rows = {}
    for table in tables:
        columns = list(table.__table__.columns)
        result = session.execute(select(*columns).order_by(*table.__table__.primary_key))
        rows[table.__tablename__] = [tuple(row) for row in result]
    return rows


def test_rebuild_from_history_equals_incremental_state(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    testing_round = make_round(session)
    hotel = make_facility(session, kind="quarantine_hotel", cohort="inbound", capacity=50)
    item = make_supply_item(session)
    for day, hour in [(26, 1), (26, 3), (27, 1), (27, 17)]:
        moment = at(f"2021-05-{day} {hour:02d}:00")
        make_site_report(
            session,
            site_id=site.id,
            round_id=testing_round.id,
            reported_at=moment,
            sampled=10 * hour,
            resulted=5 * hour,
            queue_wait_minutes=hour,
        )
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=moment,
            rooms_total=50,
            rooms_occupied=hour + day - 20,
            occupied_inbound=hour + day - 20,
            intake=hour,
            discharges=1,
        )
        make_stock_report(
            session,
            item_id=item.id,
            location_id=hotel.id,
            reported_at=moment,
            on_hand=100 - hour,
            consumed=hour,
            received=0,
        )
    incremental = _state_rows(session)
    rebuild_derived_state(session)
    session.commit()
    session.expire_all()
    assert _state_rows(session) == incremental
    # Only the 17:00 UTC report falls on 05-28 local (01:00), so today's intake is its own.
    assert incremental["hotelstate"][0][-2:] == (17, 1)


def test_cases_link_to_their_infector(session: Session) -> None:
    first = make_case(session, report_date=date(2021, 5, 21))
    second = make_case(session, report_date=date(2021, 5, 23), infector_case_id=first.id)
    assert session.get(models.Case, second.id).infector_case_id == first.id


def test_a_stale_edit_is_refused_even_when_the_editor_still_holds_the_record(
    engine: Engine,
) -> None:
    with Session(engine) as first, Session(engine) as second:
        zone_id = make_zone(first, level="sealed", imposed_at=at("2021-05-31 00:00")).id
        first.get(models.ControlZone, zone_id)  # the editor's screen shows version 1
        edit_zone(
            second, actor=SYSTEM, zone_id=zone_id, expected_version=1, changes={"population": 9}
        )
        with pytest.raises(StaleEdit):
            edit_zone(
                first, actor=SYSTEM, zone_id=zone_id, expected_version=1, changes={"population": 11}
            )
    with Session(engine) as check:
        stored = check.get(models.ControlZone, zone_id)
        assert (stored.population, stored.version) == (9, 2)
        assert _count(check, models.ChangeLog) == 2


def test_an_edit_changes_only_editable_fields(session: Session) -> None:
    case_row = make_case(session, report_date=date(2021, 5, 21))
    with pytest.raises(InvalidRecord) as refused:
        edit_case(
            session,
            actor=SYSTEM,
            case_id=case_row.id,
            expected_version=1,
            changes={"id": 999, "district_code": "440104", "severity": "severe"},
        )
    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("not_editable", "id"),
        ("not_editable", "district_code"),
    ]
    updated = edit_case(
        session,
        actor=SYSTEM,
        case_id=case_row.id,
        expected_version=1,
        changes={"severity": "severe"},
    )
    assert (updated.id, updated.severity, updated.version) == (case_row.id, "severe", 2)


def test_late_reports_add_their_flows_but_keep_the_days_latest_snapshot(
    session: Session,
) -> None:
    hotel = make_facility(session, kind="quarantine_hotel", cohort="inbound", capacity=100)
    item = make_supply_item(session)
    # 08:00 UTC first, then a late report from 02:00 UTC the same local day (06-10).
    for moment, occupied, on_hand in [("2021-06-10 08:00", 80, 0), ("2021-06-10 02:00", 50, 10)]:
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at(moment),
            rooms_total=100,
            rooms_occupied=occupied,
            occupied_inbound=occupied,
            intake=5,
        )
        make_stock_report(
            session,
            item_id=item.id,
            location_id=hotel.id,
            reported_at=at(moment),
            on_hand=on_hand,
            consumed=3,
        )
    hotel_day = session.exec(select(models.HotelDaily)).one()
    stock_day = session.exec(select(models.StockDaily)).one()
    assert (hotel_day.rooms_occupied, hotel_day.intake) == (80, 10)
    assert (stock_day.on_hand, stock_day.consumed) == (0, 6)
    incremental = _state_rows(session)
    rebuild_derived_state(session)
    session.commit()
    session.expire_all()
    assert _state_rows(session) == incremental


@pytest.mark.parametrize(
    "problem",
    ["site report from a hotel", "round of another district", "more positives than results"],
)
def test_site_reports_that_cannot_be_true_are_refused(session: Session, problem: str) -> None:
    site = make_facility(session, kind="testing_site", district_code="440103")
    hotel = make_facility(session, kind="quarantine_hotel", cohort="inbound", capacity=10)
    yuexiu_round = make_round(session, district_code="440104")
    liwan_round = make_round(session, district_code="440103")
    values = {
        "site report from a hotel": dict(site_id=hotel.id, round_id=liwan_round.id),
        "round of another district": dict(site_id=site.id, round_id=yuexiu_round.id),
        "more positives than results": dict(
            site_id=site.id, round_id=liwan_round.id, resulted=2, positive=3
        ),
    }[problem]
    with pytest.raises(InvalidRecord):
        make_site_report(session, reported_at=at("2021-05-26 03:00"), sampled=10, **values)
    assert _count(session, models.TestingSiteReport) == 0
    assert _count(session, models.TestingHourly) == 0


def test_a_testing_site_cannot_be_audited(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    version, items = make_checklist(session)
    with pytest.raises(InvalidRecord):
        make_audit(
            session,
            facility=site,
            version=version,
            audited_at=at("2021-06-01 02:00"),
            results=[(items["a"], "pass")],
        )
    assert _count(session, models.Audit) == 0


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"district_code": "999999"}, "not_a_choice", "district_code"),
        ({"status": "discharged"}, "discharge_needs_date", "discharged_date"),
        (
            {"status": "discharged", "discharged_date": date(2021, 5, 20)},
            "discharged_before_report",
            "discharged_date",
        ),
    ],
)
def test_cases_that_cannot_be_true_are_refused_before_the_database_sees_them(
    session: Session, values: dict, code: str, field: str
) -> None:
    with pytest.raises(InvalidRecord) as refused:
        make_case(session, report_date=date(2021, 5, 21), **values)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert _count(session, models.Case) == 0
    assert session.get(models.ChangeCounter, 1).value == 0


def test_what_only_the_database_refuses_comes_back_as_invalid_record(session: Session) -> None:
    row = dict(
        case_no="C1",
        kind="probable",
        report_date=date(2021, 5, 21),
        district_code="440103",
        community_zh="街",
        community_en="Street",
        lon=113.2,
        lat=23.1,
    )
    with pytest.raises(InvalidRecord) as refused, unit_of_work(session):
        session.execute(insert(models.Case.__table__).values(**row))
    assert refused.value.code == "db_refused"
    assert "ck_case_kind" in refused.value.problem.params["reason"].lower() or (
        "check" in refused.value.problem.params["reason"].lower()
    )
    assert _count(session, models.Case) == 0


@pytest.mark.parametrize(
    ("rooms", "message_zh", "message_en"),
    [
        (
            dict(rooms_occupied=8, rooms_cleaning=3),
            "在住（8）加清洁中（3）房间超过总房间数 10",
            "Occupied (8) plus cleaning (3) rooms exceed the 10 rooms in total",
        ),
        (
            dict(rooms_occupied=4, occupied_inbound=5),
            "各类人员在住合计（5）超过在住房间数 4",
            "Occupancy by cohort (5) exceeds the 4 rooms occupied",
        ),
    ],
)
def test_hotel_reports_with_more_rooms_than_possible_are_refused(
    session: Session, rooms: dict, message_zh: str, message_en: str
) -> None:
    hotel = make_facility(session, kind="quarantine_hotel", cohort="inbound", capacity=10)
    with pytest.raises(InvalidRecord) as refused:
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at("2021-05-30 02:00"),
            rooms_total=10,
            **rooms,
        )
    assert in_language("zh", describe_error, refused.value) == message_zh
    assert in_language("en", describe_error, refused.value) == message_en
    assert _count(session, models.HotelReport) == 0
    assert _count(session, models.HotelState) == 0


def test_reads_share_a_result_only_through_the_sessions_shared_results() -> None:
    worked: list[str] = []

    def work(key: str):  # noqa: ANN202
        return lambda: worked.append(key) or f"{key}!"

    # A session without shared results (a script, a write) works it out every time.
    with Session() as session:
        assert [shared(session, "a", work("a")) for _ in range(2)] == ["a!", "a!"]
    assert worked == ["a", "a"]
    worked.clear()
    results = SharedResults(size=2)
    for key in ("a", "a", "b", "a", "c", "b"):
        with Session() as session:
            session.info[SHARED_RESULTS] = results
            assert shared(session, key, work(key)) == f"{key}!"
    # The two latest kept: "c" put out "b" (the "a" read again before it stayed).
    assert worked == ["a", "b", "c", "b"]
