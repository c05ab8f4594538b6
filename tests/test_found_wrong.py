"""Each figure issue #13 found wrong, reproduced with known rows (demo dates, Guangzhou time).

Times in `at(...)` are UTC: Guangzhou is 8 hours ahead (20:00 there is 12:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data import models
from data.measures.testing import default_round_ids
from data.queries import audits, cases, hotels, overview, supplies, testing
from data.queries.common import Clock, Scenario, clock_for
from data.settings import get_settings
from data.timeutil import as_utc
from data.writes import SYSTEM, edit_case, record_contact_reports
from tests.conftest import open_app
from tests.factories import (
    at,
    make_audit,
    make_case,
    make_component_checklist,
    make_facility,
    make_hotel,
    make_hotel_report,
    make_round,
    make_site_report,
    make_stock_report,
    make_supply_item,
)

# REPLAY_AT="2021-06-08 20:00"
JUNE_8_2000 = at("2021-06-08 12:00")
CLOCK_JUNE_8 = Clock(now=JUNE_8_2000, today=date(2021, 6, 8), replay=True)


def _finding(due: date) -> dict:
    return {
        "finding_zh": "发现",
        "finding_en": "Finding",
        "action_zh": "整改",
        "action_en": "Fix it",
        "owner": "院感科 / IPC dept.",
        "due_date": due,
    }


def test_hotels_replayed_on_june_8_show_the_rooms_of_june_8_not_june_10(
    session: Session,
) -> None:
    hotel = make_hotel(session, rooms=100)
    for moment, occupied, intake in (
        ("2021-06-08 02:00", 30, 4),
        ("2021-06-08 10:00", 40, 6),
        ("2021-06-10 10:00", 90, 9),
    ):
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at(moment),
            rooms_total=100,
            rooms_occupied=occupied,
            intake=intake,
        )
    row = hotels.list_hotels(session=session, clock=CLOCK_JUNE_8).iloc[0]
    assert (row["rooms_occupied"], row["rooms_available"], row["intake_today"]) == (40, 60, 10)
    assert row["last_reported_at"] == at("2021-06-08 10:00")
    assert row["report_age_minutes"] == 120.0
    assert hotels.get_room_totals(session=session, at=JUNE_8_2000).occupied == 40
    outlook = hotels.list_capacity_outlook(session=session, clock=CLOCK_JUNE_8)
    assert int(outlook.set_index("scope").loc["all", "rooms_available"]) == 60


def test_supplies_replayed_divide_the_stock_of_then_by_the_burn_rate_of_then(
    session: Session,
) -> None:
    item = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse")
    for moment, on_hand, consumed in (
        ("2021-06-06 10:00", 500, 0),
        ("2021-06-08 10:00", 300, 200),  # 100 a day: 3 days of 300 then
        ("2021-06-10 10:00", 51, 249),
    ):
        make_stock_report(
            session,
            item_id=item.id,
            location_id=warehouse.id,
            reported_at=at(moment),
            on_hand=on_hand,
            consumed=consumed,
        )
    line = supplies.list_stock_lines(session=session, today=date(2021, 6, 8), at=JUNE_8_2000)
    assert (line["on_hand"].iloc[0], line["burn_rate"].iloc[0]) == (300, 100.0)
    assert (line["days_of_supply"].iloc[0], line["level"].iloc[0]) == (
        3.0,
        "critical",
    )  # 3 whole days: band 1-3, red


def test_burn_rate_counts_elapsed_time_across_midnight(session: Session) -> None:
    item = make_supply_item(session)
    clinic = make_facility(session, kind="fever_clinic")
    # 23:30 on 06-07 and 00:30 on 06-09 (Guangzhou): 25 hours apart, not 2 days.
    for moment, on_hand, consumed in (("2021-06-07 15:30", 200, 5), ("2021-06-08 16:30", 150, 50)):
        make_stock_report(
            session,
            item_id=item.id,
            location_id=clinic.id,
            reported_at=at(moment),
            on_hand=on_hand,
            consumed=consumed,
        )
    line = supplies.list_stock_lines(session=session, today=date(2021, 6, 9))
    assert line["burn_rate"].iloc[0] == pytest.approx(48.0)
    assert line["days_of_supply"].iloc[0] == pytest.approx(150 / 48)


def test_audits_replayed_show_no_audit_held_later_nor_its_findings(session: Session) -> None:
    version, items = make_component_checklist(
        session, label="fw-v1", items={"p1": ("ipc_programme", 1.0), "c1": ("covid", 1.0)}
    )
    hospital = make_facility(session, kind="designated_hospital")
    for moment, result, due in (
        ("2021-06-07 02:00", "pass", None),
        ("2021-06-09 02:00", "fail", date(2021, 6, 20)),
        ("2021-06-10 02:00", "fail", date(2021, 6, 21)),
    ):
        make_audit(
            session,
            facility=hospital,
            version=version,
            audited_at=at(moment),
            results=[(item, result) for item in items.values()],
            findings=[_finding(due)] if due else [],
        )
    table = audits.list_facility_audit_status(
        session=session, today=date(2021, 6, 8), at=JUNE_8_2000
    )
    row = table.iloc[0]
    assert (row["days_since_audit"], row["open_actions"]) == (1, 0)
    assert row["audited_at"] == at("2021-06-07 02:00")
    totals = audits.get_action_totals(session=session, today=date(2021, 6, 8), at=JUNE_8_2000)
    assert (totals.open, totals.overdue) == (0, 0)
    assert audits.list_findings(session=session, today=date(2021, 6, 8), at=JUNE_8_2000).empty
    trend = audits.list_facility_audits(session=session, facility_id=hospital.id, at=JUNE_8_2000)
    assert len(trend) == 1


def test_testing_sites_replayed_never_have_a_report_after_the_moment(session: Session) -> None:
    site = make_facility(session, kind="testing_site")
    for moment, wait in (("2021-06-08 10:00", 20), ("2021-06-10 10:00", 70)):
        make_site_report(
            session, site_id=site.id, reported_at=at(moment), sampled=10, queue_wait_minutes=wait
        )
    sites = testing.list_site_status(session=session, now=JUNE_8_2000, today=date(2021, 6, 8))
    row = sites.iloc[0]
    assert row["last_reported_at"] == at("2021-06-08 10:00")
    assert (row["queue_wait_minutes"], row["band"], row["sampled_today"]) == (20, "ok", 10)


def test_testing_replayed_at_1805_leaves_out_a_report_made_at_1809(session: Session) -> None:
    liwan = make_round(session, start_at=at("2021-06-10 00:00"), deadline_at=at("2021-06-11 00:00"))
    site = make_facility(session, kind="testing_site")
    for moment, sampled in (("2021-06-10 10:01", 100), ("2021-06-10 10:09", 50)):
        make_site_report(
            session, site_id=site.id, round_id=liwan.id, reported_at=at(moment), sampled=sampled
        )
    moment = at("2021-06-10 10:05")  # REPLAY_AT="2021-06-10 18:05"
    rounds = testing.list_round_outlook(session=session, now=moment)
    assert int(rounds["sampled"].iloc[0]) == 100
    hourly = testing.list_round_hourly(session=session, round_ids=(liwan.id,), until=moment)
    assert hourly["cum_sampled"].tolist() == [100]
    sites = testing.list_site_status(session=session, now=moment, today=date(2021, 6, 10))
    assert int(sites["sampled_today"].iloc[0]) == 100


def test_a_round_reaching_its_target_at_1810_is_complete_on_time_for_an_1830_deadline(
    session: Session,
) -> None:
    liwan = make_round(
        session,
        target_population=1000,
        start_at=at("2021-06-10 00:00"),
        deadline_at=at("2021-06-10 10:30"),
    )
    site = make_facility(session, kind="testing_site")
    for moment, sampled in (
        ("2021-06-10 08:00", 900),
        ("2021-06-10 10:10", 100),
        ("2021-06-10 10:50", 30),
    ):
        make_site_report(
            session, site_id=site.id, round_id=liwan.id, reported_at=at(moment), sampled=sampled
        )
    row = testing.list_round_outlook(session=session, now=at("2021-06-10 12:00")).iloc[0]
    assert (row["status"], row["completed_at"]) == ("complete", at("2021-06-10 10:10"))
    assert pd_isna(row["hours_late"])


def pd_isna(value: object) -> bool:
    return value is None or value != value  # noqa: PLR0124 - NaN is not equal to itself


def test_the_case_tables_columns_all_count_the_period_chosen(session: Session) -> None:
    for day in (date(2021, 6, 4), date(2021, 6, 5), date(2021, 6, 6)):
        make_case(session, report_date=day)
    make_case(session, report_date=date(2021, 6, 9))
    table = cases.count_local_cases_by_district(
        session=session, today=date(2021, 6, 10), start=date(2021, 6, 8), district="440103"
    )
    row = table.iloc[0]
    assert (row["total"], row["last_7_days"], row["in_hospital"]) == (1, 1, 1)


def test_contacts_replayed_on_a_day_are_the_counts_reported_by_then(session: Session) -> None:
    case = make_case(
        session,
        report_date=date(2021, 6, 8),
        close_contacts_identified=10,
        close_contacts_controlled=2,
    )
    record_contact_reports(
        session,
        actor=SYSTEM,
        rows=[
            {
                "case_id": case.id,
                "reported_at": at("2021-06-09 02:00"),
                "close_contacts_identified": 30,
                "close_contacts_controlled": 25,
            },
            {
                "case_id": case.id,
                "reported_at": at("2021-06-10 02:00"),
                "close_contacts_identified": 40,
                "close_contacts_controlled": 40,
            },
        ],
    )
    totals = cases.get_contact_totals(session=session, today=date(2021, 6, 8), at=JUNE_8_2000)
    assert (totals.close_identified, totals.close_controlled) == (10, 2)
    later = cases.get_contact_totals(
        session=session, today=date(2021, 6, 9), at=at("2021-06-09 12:00")
    )
    assert (later.close_identified, later.close_controlled) == (30, 25)
    now = cases.get_contact_totals(session=session, today=date(2021, 6, 10))
    assert (now.close_identified, now.close_controlled) == (40, 40)
    table = cases.count_local_cases_by_district(
        session=session, today=date(2021, 6, 8), district="440103", at=JUNE_8_2000
    )
    assert (table["close_identified"].iloc[0], table["close_controlled"].iloc[0]) == (10, 2)
    outlook = hotels.list_capacity_outlook(session=session, clock=CLOCK_JUNE_8)
    assert int(outlook.set_index("scope").loc["close_contact", "waiting"]) == 8


def test_a_case_edited_keeps_its_contact_history(session: Session) -> None:
    case = make_case(session, report_date=date(2021, 6, 8), close_contacts_identified=10)
    edit_case(
        session,
        actor=SYSTEM,
        case_id=case.id,
        expected_version=case.version,
        changes={"close_contacts_controlled": 7},
    )
    reports = session.exec(
        select(models.CaseContactReport).order_by(models.CaseContactReport.reported_at)
    ).all()
    assert [(r.close_contacts_identified, r.close_contacts_controlled) for r in reports] == [
        (10, 0),
        (10, 7),
    ]
    assert reports[0].reported_at == at("2021-06-07 16:00")  # 06-08 00:00 in Guangzhou
    totals = cases.get_contact_totals(session=session, today=date(2021, 6, 8), at=JUNE_8_2000)
    assert totals.close_controlled == 0
    # The case map's card of the case: its contacts as reported by each moment.
    for moment, controlled in ((JUNE_8_2000, 0), (None, 7)):
        card = cases.get_case_card(
            session=session, case_no=case.case_no, end=date(2021, 6, 8), at=moment
        )
        assert (card.close_identified, card.close_controlled) == (10, controlled)


def test_the_audit_tables_actions_add_up_to_the_headline_and_the_overview(
    session: Session,
) -> None:
    version, items = make_component_checklist(
        session, label="fw-v2", items={"p1": ("ipc_programme", 1.0)}
    )
    hospital = make_facility(session, kind="designated_hospital")
    closed_hotel = make_hotel(session, status="closed")
    for facility in (hospital, closed_hotel):
        make_audit(
            session,
            facility=facility,
            version=version,
            audited_at=at("2021-06-09 02:00"),
            results=[(items["p1"], "fail")],
            findings=[_finding(date(2021, 6, 9))],
        )
    today, moment = date(2021, 6, 10), at("2021-06-10 12:00")
    table = audits.list_facility_audit_status(session=session, today=today, at=moment)
    totals = audits.get_action_totals(session=session, today=today, at=moment)
    assert (int(table["open_actions"].sum()), totals.open, totals.overdue) == (1, 1, 1)
    findings = audits.list_findings(session=session, today=today, at=moment)
    assert len(findings) == 1
    clock = Clock(now=moment, today=today, replay=True)
    assert overview.get_headline(session=session, clock=clock).actions == totals


def test_the_overviews_testing_card_counts_a_missed_round_the_testing_page_shows(
    session: Session,
) -> None:
    missed = make_round(
        session,
        target_population=1000,
        start_at=at("2021-06-08 00:00"),
        deadline_at=at("2021-06-09 00:00"),
    )
    site = make_facility(session, kind="testing_site")
    make_site_report(
        session,
        site_id=site.id,
        round_id=missed.id,
        reported_at=at("2021-06-08 10:00"),
        sampled=600,
    )
    moment = at("2021-06-10 12:00")
    rounds = testing.list_round_outlook(session=session, now=moment)
    shown = default_round_ids(
        [
            (int(r.round_id), r.district_code, as_utc(r.start_at), as_utc(r.deadline_at))
            for r in rounds.itertuples()
        ],
        moment,
    )
    assert shown == [missed.id]
    assert rounds.set_index("round_id").loc[missed.id, "status"] == "missed"
    clock = Clock(now=moment, today=date(2021, 6, 10), replay=True)
    card = overview.get_headline(session=session, clock=clock).testing
    assert (card.rounds, card.sampled, card.target, card.percent) == (1, 600, 1000, 60.0)


def test_the_live_clock_is_the_end_of_the_minute_so_reruns_share_cached_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REPLAY_AT", raising=False)
    get_settings.cache_clear()
    try:
        first = clock_for(None, datetime(2021, 6, 10, 11, 59, 1, tzinfo=UTC))
        second = clock_for(None, datetime(2021, 6, 10, 11, 59, 58, tzinfo=UTC))
        assert first == second
        assert (first.now, first.replay, first.picked) == (at("2021-06-10 12:00"), False, False)
        picked = clock_for(
            None, datetime(2021, 6, 10, 11, 59, 1, tzinfo=UTC), picked=at("2021-06-08 00:00")
        )
        assert (picked.now, picked.today, picked.replay, picked.picked) == (
            at("2021-06-08 00:00"),
            date(2021, 6, 8),
            True,
            True,
        )
        # A picked moment never runs ahead of the default one (here a demo scenario's end).
        ended = Scenario(True, "demo", date(2021, 6, 10), at("2021-06-10 12:00"))
        later = clock_for(ended, at("2026-01-01 00:00"), picked=at("2021-06-11 00:00"))
        assert later.now == at("2021-06-10 12:00")
        assert later.now - timedelta(0) == ended.as_of
    finally:
        get_settings.cache_clear()


@pytest.mark.replay_at("2021-06-08 20:00")
def test_the_audit_page_replayed_on_june_8_shows_no_later_audit(
    app_database: str, engine: Engine
) -> None:
    with Session(engine) as session:
        version, items = make_component_checklist(
            session, label="fw-v3", items={"p1": ("ipc_programme", 1.0)}
        )
        hospital = make_facility(session, kind="designated_hospital")
        for moment, result in (("2021-06-07 02:00", "pass"), ("2021-06-10 02:00", "fail")):
            make_audit(
                session,
                facility=hospital,
                version=version,
                audited_at=at(moment),
                results=[(items["p1"], result)],
                findings=[_finding(date(2021, 6, 12))] if result == "fail" else [],
            )
    app = open_app("pages/audits.py")
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Open corrective actions"] == "0"
    facilities = app.tabs[0].dataframe[0].value
    assert facilities["Days since audit"].tolist() == ["1"]
    assert facilities["IPCAF score"].tolist() == [800.0]


def test_two_rounds_complete_in_one_hour_each_at_the_report_that_reaches_its_own_target(
    session: Session,
) -> None:
    sites = {
        name: make_facility(session, kind="testing_site", district_code=district)
        for name, district in (("liwan", "440103"), ("yuexiu", "440104"))
    }
    rounds = {}
    for name, district, target in (("liwan", "440103", 1000), ("yuexiu", "440104", 500)):
        rounds[name] = make_round(
            session,
            district_code=district,
            target_population=target,
            start_at=at("2021-06-10 00:00"),
            deadline_at=at("2021-06-10 18:00"),
        )
    for name, moment, sampled in (
        ("liwan", "2021-06-10 08:00", 900),
        ("yuexiu", "2021-06-10 08:30", 300),
        # The same hour for both: liwan needs 100 more, yuexiu 200.
        ("liwan", "2021-06-10 10:05", 60),
        ("yuexiu", "2021-06-10 10:05", 150),
        ("liwan", "2021-06-10 10:20", 40),  # liwan reaches 1,000 here
        ("yuexiu", "2021-06-10 10:20", 40),
        ("yuexiu", "2021-06-10 10:40", 10),  # yuexiu reaches 500 here
        ("liwan", "2021-06-10 10:50", 30),
    ):
        make_site_report(
            session,
            site_id=sites[name].id,
            round_id=rounds[name].id,
            reported_at=at(moment),
            sampled=sampled,
        )
    outlook = testing.list_round_outlook(session=session, now=at("2021-06-10 12:00"))
    completed = dict(zip(outlook["round_id"], outlook["completed_at"], strict=True))
    assert completed[rounds["liwan"].id] == at("2021-06-10 10:20")
    assert completed[rounds["yuexiu"].id] == at("2021-06-10 10:40")
    # As of 10:30 only liwan had reached its target.
    outlook = testing.list_round_outlook(session=session, now=at("2021-06-10 10:30"))
    completed = dict(zip(outlook["round_id"], outlook["completed_at"], strict=True))
    assert completed[rounds["liwan"].id] == at("2021-06-10 10:20")
    assert pd_isna(completed[rounds["yuexiu"].id])
