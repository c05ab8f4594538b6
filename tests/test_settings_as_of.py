"""Settings edited in place read as they were at any moment (issue #13's last gap).

For each kind of setting a history is built (the record created, then edited at known
moments) and the views that show it are read before and after each edit: exact figures, as
they would be had nothing after the moment been reported. An edit "reported" at a moment is
written at it (`written_at`); an edit dated earlier than it was written (a lift typed in
later) is unknown until it is written.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data import models
from data.db import _alembic_config, make_engine, schema_lock, upgrade_schema
from data.models import revision_keys
from data.queries import audits, cases, hotels, supplies, testing
from data.queries.asof import settings_at
from data.queries.common import Clock
from data.queries.hotels import RoomTotals
from data.queries.overview import get_headline
from data.settings import get_settings
from data.timeutil import local_day
from data.transfer import import_file
from data.writes import (
    SYSTEM,
    clear_operational_data,
    close_action,
    edit_action,
    edit_audit,
    edit_case,
    edit_facility,
    edit_reorder_level,
    edit_round,
    edit_zone,
    link_infectors,
    set_reorder_levels,
)
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
    make_zone,
    written_at,
)

LIWAN = "440103"


def _clock(moment: datetime) -> Clock:
    return Clock(now=moment, today=local_day(moment), replay=True)


def _fresh(session: Session, model: type, key: object) -> object:
    return session.get(model, key, populate_existing=True)


# --- Testing rounds: target, start, deadline ------------------------------------------------


def test_a_rounds_target_and_deadline_read_as_set_at_each_moment(session: Session) -> None:
    site = make_facility(session, kind="testing_site", district_code=LIWAN)
    made = make_round(
        session,
        target_population=1000,
        start_at=at("2021-06-07 16:00"),
        deadline_at=at("2021-06-08 10:00"),
    )
    make_site_report(
        session, site_id=site.id, round_id=made.id, reported_at=at("2021-06-07 19:00"), sampled=600
    )
    with written_at(at("2021-06-08 01:00")):
        edit_round(
            session,
            actor=SYSTEM,
            round_id=made.id,
            expected_version=_fresh(session, models.TestingRound, made.id).version,
            changes={"deadline_at": at("2021-06-08 16:00")},
        )
    with written_at(at("2021-06-08 02:00")):
        edit_round(
            session,
            actor=SYSTEM,
            round_id=made.id,
            expected_version=_fresh(session, models.TestingRound, made.id).version,
            changes={"target_population": 500},
        )

    def outlook(moment: str) -> tuple:
        (row,) = testing.list_round_outlook(session=session, now=at(moment)).to_dict("records")
        return row["target_population"], row["deadline_at"], row["percent"], row["completed_at"]

    # Before either edit: 600 of 1,000 by the first deadline, not complete.
    assert outlook("2021-06-08 00:30") == (1000, at("2021-06-08 10:00"), 60.0, None)
    # The deadline moved at 01:00; the target still 1,000.
    assert outlook("2021-06-08 01:00") == (1000, at("2021-06-08 16:00"), 60.0, None)
    assert outlook("2021-06-08 01:59") == (1000, at("2021-06-08 16:00"), 60.0, None)
    # The target lowered to 500 at 02:00: the 600 sampled at 19:00 completed it then.
    assert outlook("2021-06-08 02:00") == (
        500,
        at("2021-06-08 16:00"),
        100.0,
        at("2021-06-07 19:00"),
    )
    # The Overview's target of the round under way follows the same moment.
    assert (
        get_headline(session=session, clock=_clock(at("2021-06-08 00:30"))).testing.target == 1000
    )
    assert get_headline(session=session, clock=_clock(at("2021-06-08 03:00"))).testing.target == 500
    # Read with no moment (now), the stored values.
    now = testing.list_round_totals(session=session)
    assert now[["target_population", "deadline_at"]].values.tolist() == [
        [500, at("2021-06-08 16:00")]
    ]


def test_a_rounds_start_moved_later_keeps_it_out_of_rounds_under_way_before(
    session: Session,
) -> None:
    made = make_round(
        session,
        target_population=1000,
        start_at=at("2021-06-08 00:00"),
        deadline_at=at("2021-06-09 00:00"),
    )
    with written_at(at("2021-06-08 06:00")):
        edit_round(
            session,
            actor=SYSTEM,
            round_id=made.id,
            expected_version=made.version,
            changes={"start_at": at("2021-06-08 08:00")},
        )

    def under_way(moment: str) -> list[int]:
        table = testing.list_round_totals(
            session=session, as_of=at(moment), under_way_at=at(moment)
        )
        return table["round_id"].tolist()

    assert under_way("2021-06-08 05:00") == [made.id]  # started at 00:00, as then set
    assert under_way("2021-06-08 07:00") == []  # moved to 08:00 at 06:00
    assert under_way("2021-06-08 09:00") == [made.id]


# --- Facilities: a hotel's status ------------------------------------------------------------


def test_a_hotel_closed_later_counts_as_active_before(session: Session) -> None:
    hotel = make_hotel(session, rooms=120)
    make_hotel_report(
        session,
        hotel_id=hotel.id,
        reported_at=at("2021-06-08 00:00"),
        rooms_total=120,
        rooms_occupied=30,
        rooms_cleaning=5,
        occupied_close_contact=30,
    )
    with written_at(at("2021-06-08 06:00")):
        edit_facility(
            session,
            actor=SYSTEM,
            facility_id=hotel.id,
            expected_version=hotel.version,
            changes={"status": "closed"},
        )
    before, after = at("2021-06-08 05:59"), at("2021-06-08 06:00")
    assert hotels.get_room_totals(session=session, at=before) == RoomTotals(1, 120, 30, 5)
    assert hotels.get_room_totals(session=session, at=after) == RoomTotals(0, 0, 0, 0)
    assert hotels.count_hotels_by_status(session=session, at=before) == {
        "active": 1,
        "standby": 0,
        "closed": 0,
    }
    assert hotels.count_hotels_by_status(session=session, at=after) == {
        "active": 0,
        "standby": 0,
        "closed": 1,
    }
    listed = hotels.list_hotels(session=session, clock=_clock(before))
    assert listed[["status", "rooms_available"]].values.tolist() == [["active", 85]]
    listed = hotels.list_hotels(session=session, clock=_clock(after))
    assert listed["status"].tolist() == ["closed"]
    # The case map's facilities: a closed hotel is not drawn.
    drawn = cases.list_map_facilities(session=session, at=before)["code"].tolist()
    assert drawn == [hotel.code]
    assert cases.list_map_facilities(session=session, at=after)["code"].tolist() == []


# --- Cases: severity, status, hospital ---------------------------------------------------------


def test_a_cases_severity_status_and_hospital_read_as_set_at_each_moment(
    session: Session,
) -> None:
    hospital = make_facility(session, kind="designated_hospital")
    made = make_case(session, report_date=date(2021, 6, 7))
    edits = (
        ("2021-06-08 02:00", {"severity": "severe"}),
        ("2021-06-08 04:00", {"hospital_id": hospital.id}),
        ("2021-06-08 08:00", {"status": "discharged", "discharged_date": date(2021, 6, 8)}),
    )
    for moment, changes in edits:
        with written_at(at(moment)):
            edit_case(
                session,
                actor=SYSTEM,
                case_id=made.id,
                expected_version=_fresh(session, models.Case, made.id).version,
                changes=changes,
            )
    today = date(2021, 6, 8)

    def liwan(moment: str) -> tuple[int, int]:
        table = cases.count_local_cases_by_district(session=session, today=today, at=at(moment))
        row = table.set_index("district_code").loc[LIWAN]
        return int(row["in_hospital"]), int(row["severe"])

    def point(moment: str) -> tuple[str, str]:
        (row,) = cases.list_case_points(session=session, end=today, at=at(moment)).to_dict(
            "records"
        )
        return row["severity"], row["status"]

    def card(moment: str) -> tuple:
        found = cases.get_case_card(session=session, case_no=made.case_no, end=today, at=at(moment))
        return found.severity, found.status, found.hospital_en

    def hospital_of(moment: str) -> int | None:
        c = settings_at(session, models.Case, at(moment))
        return session.execute(select(c.hospital_id).where(c.id == made.id)).scalar_one()

    assert (liwan("2021-06-08 01:00"), point("2021-06-08 01:00")) == ((1, 0), ("mild", "admitted"))
    assert (liwan("2021-06-08 03:00"), point("2021-06-08 03:00")) == (
        (1, 1),
        ("severe", "admitted"),
    )
    assert (hospital_of("2021-06-08 03:00"), hospital_of("2021-06-08 05:00")) == (None, hospital.id)
    # The case map's card of the case, as set at each moment.
    assert card("2021-06-08 01:00") == ("mild", "admitted", None)
    assert card("2021-06-08 05:00") == ("severe", "admitted", hospital.name_en)
    assert card("2021-06-08 09:00") == ("severe", "discharged", hospital.name_en)
    # Discharged on 06-08, written at 08:00: out of hospital at the end of the day from then.
    assert (liwan("2021-06-08 07:00"), point("2021-06-08 07:00")) == (
        (1, 1),
        ("severe", "admitted"),
    )
    assert (liwan("2021-06-08 09:00"), point("2021-06-08 09:00")) == (
        (0, 0),
        ("severe", "discharged"),
    )


def test_a_case_replaced_by_an_import_reads_as_it_was_before(
    session: Session, tmp_path: Path
) -> None:
    header = (
        "case number,kind,severity,report date,district,community (Chinese),"
        "community (English),longitude,latitude\n"
    )
    path = tmp_path / "cases.csv"

    def import_severity(severity: str) -> None:
        path.write_text(
            header + f"GZ-0001,confirmed,{severity},2021-06-07,{LIWAN},白鹤洞街,Baihedong,"
            "113.24,23.08\n",
            encoding="utf-8",
        )
        with path.open("rb") as stream:
            import_file(session, actor=SYSTEM, kind="cases", stream=stream, filename=path.name)

    with written_at(at("2021-06-08 01:00")):
        import_severity("mild")  # a new record: nothing replaced, nothing kept
    with written_at(at("2021-06-08 05:00")):
        import_severity("critical")
    assert session.execute(select(models.CaseRevision.severity)).scalars().all() == ["mild"]

    def severe(moment: str) -> int:
        table = cases.count_local_cases_by_district(
            session=session, today=date(2021, 6, 8), at=at(moment)
        )
        return int(table.set_index("district_code").loc[LIWAN, "severe"])

    assert (severe("2021-06-08 04:59"), severe("2021-06-08 05:00")) == (0, 1)


# --- Control zones: level, size, lift --------------------------------------------------------


def test_a_zones_level_and_a_lift_typed_in_later_read_as_reported(session: Session) -> None:
    zone = make_zone(session, level="controlled", imposed_at=at("2021-06-08 00:00"))
    with written_at(at("2021-06-08 02:00")):
        edit_zone(
            session,
            actor=SYSTEM,
            zone_id=zone.id,
            expected_version=zone.version,
            changes={"level": "sealed", "population": 2500},
        )
    # Lifted at 03:30, but only entered at 04:00.
    with written_at(at("2021-06-08 04:00")):
        edit_zone(
            session,
            actor=SYSTEM,
            zone_id=zone.id,
            expected_version=_fresh(session, models.ControlZone, zone.id).version,
            changes={"lifted_at": at("2021-06-08 03:30")},
        )

    def active(moment: str) -> dict[str, int]:
        return cases.count_active_zones(session=session, at=at(moment))

    assert active("2021-06-08 01:00") == {"sealed": 0, "controlled": 1, "prevention": 0}
    assert active("2021-06-08 03:00") == {"sealed": 1, "controlled": 0, "prevention": 0}
    assert active("2021-06-08 03:45") == {"sealed": 1, "controlled": 0, "prevention": 0}
    assert active("2021-06-08 04:00") == {"sealed": 0, "controlled": 0, "prevention": 0}
    listed = cases.list_zones(session=session, at=at("2021-06-08 01:00"))
    assert listed[["level", "population"]].values.tolist() == [["controlled", 1000]]
    listed = cases.list_zones(session=session, at=at("2021-06-08 04:30"), include_lifted=True)
    assert listed[["level", "population", "lifted_at", "active"]].values.tolist() == [
        ["sealed", 2500, at("2021-06-08 03:30"), False]
    ]


# --- Supplies: a stock line's reorder level --------------------------------------------------


def test_a_stock_lines_reorder_level_reads_as_set_at_each_moment(session: Session) -> None:
    item = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse")
    make_stock_report(
        session,
        item_id=item.id,
        location_id=warehouse.id,
        reported_at=at("2021-06-08 00:00"),
        on_hand=500,
        consumed=20,
    )
    for moment, level in (("2021-06-08 02:00", 100), ("2021-06-08 04:00", 300)):
        line = _fresh(session, models.StockState, (item.id, warehouse.id))
        with written_at(at(moment)):
            edit_reorder_level(
                session,
                actor=SYSTEM,
                item_id=item.id,
                location_id=warehouse.id,
                expected_version=line.version,
                reorder_level=level,
            )

    def level(moment: str | None) -> tuple[int, int]:
        when = at(moment) if moment else None
        today = date(2021, 6, 8)
        lines = supplies.list_stock_lines(session=session, today=today, at=when)
        history = supplies.list_line_history(
            session=session,
            item_id=item.id,
            location_id=warehouse.id,
            start=today,
            end=today,
            at=when,
        )
        return int(lines["reorder_level"].iloc[0]), int(history["reorder_level"].iloc[0])

    assert level("2021-06-08 01:00") == (0, 0)
    assert level("2021-06-08 03:00") == (100, 100)
    assert level("2021-06-08 05:00") == (300, 300)
    assert level(None) == (300, 300)


def test_a_location_renamed_later_keeps_its_name_of_then_on_the_supply_tables(
    session: Session,
) -> None:
    item = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse", name_en="Liwan warehouse")
    make_stock_report(
        session,
        item_id=item.id,
        location_id=warehouse.id,
        reported_at=at("2021-06-08 00:00"),
        on_hand=0,
        consumed=20,
    )
    with written_at(at("2021-06-08 02:00")):
        edit_facility(
            session,
            actor=SYSTEM,
            facility_id=warehouse.id,
            expected_version=warehouse.version,
            changes={"name_en": "Liwan depot no. 1"},
        )

    def names(moment: str) -> tuple[list[str], list[str]]:
        when, today = at(moment), date(2021, 6, 8)
        lines = supplies.list_stock_lines(session=session, today=today, at=when)
        outs = supplies.list_stock_outs(session=session, today=today, at=when)
        return lines["location_name_en"].tolist(), outs["location_name_en"].tolist()

    assert names("2021-06-08 01:00") == (["Liwan warehouse"], ["Liwan warehouse"])
    assert names("2021-06-08 02:00") == (["Liwan depot no. 1"], ["Liwan depot no. 1"])


# --- Audits: a corrective action's closing, owner and due date ------------------------------


def test_a_corrective_action_closed_and_reassigned_later_reads_as_it_was(
    session: Session,
) -> None:
    version, items = make_component_checklist(
        session, label="v-settings", items={"p1": ("ipc_programme", 1.0)}
    )
    hospital = make_facility(session, kind="designated_hospital")
    make_audit(
        session,
        facility=hospital,
        version=version,
        audited_at=at("2021-06-07 02:00"),
        results=[(items["p1"], "fail")],
        findings=[
            {
                "finding_zh": "发现",
                "finding_en": "Finding",
                "action_zh": "整改",
                "action_en": "Fix it",
                "owner": "院感科",
                "due_date": date(2021, 6, 8),
            }
        ],
    )
    finding = session.execute(select(models.AuditFinding)).scalar_one()
    with written_at(at("2021-06-09 02:00")):  # 10:00 on 06-09 in Guangzhou
        edit_action(
            session,
            actor=SYSTEM,
            finding_id=finding.id,
            expected_version=finding.version,
            changes={"owner": "医务科", "due_date": date(2021, 6, 10)},
        )
    with written_at(at("2021-06-09 03:00")):
        close_action(
            session,
            actor=SYSTEM,
            finding_id=finding.id,
            expected_version=_fresh(session, models.AuditFinding, finding.id).version,
            closed_date=date(2021, 6, 9),
        )

    def seen(moment: str) -> tuple:
        when = at(moment)
        today = local_day(when)
        totals = audits.get_action_totals(session=session, today=today, at=when)
        (row,) = audits.list_findings(session=session, today=today, at=when).to_dict("records")
        return totals.open, totals.overdue, row["owner"], row["due_date"], row["status"]

    # Due on 06-08 under its first owner: open that day, overdue on 06-09 until 10:00
    # local, when it was given to another owner and moved to 06-10.
    assert seen("2021-06-08 02:00") == (1, 0, "院感科", date(2021, 6, 8), "open")
    assert seen("2021-06-09 01:00") == (1, 1, "院感科", date(2021, 6, 8), "overdue")
    assert seen("2021-06-09 02:00") == (1, 0, "医务科", date(2021, 6, 10), "open")
    # Closed on 06-09, entered at 11:00 local (03:00 UTC): closed from then, not before.
    assert seen("2021-06-09 02:59") == (1, 0, "医务科", date(2021, 6, 10), "open")
    assert seen("2021-06-09 03:00") == (0, 0, "医务科", date(2021, 6, 10), "closed")


def test_reorder_levels_set_in_bulk_read_as_set_at_each_moment(session: Session) -> None:
    item = make_supply_item(session)
    warehouse = make_facility(session, kind="warehouse")
    hospital = make_facility(session, kind="designated_hospital")
    for location in (warehouse, hospital):
        make_stock_report(
            session,
            item_id=item.id,
            location_id=location.id,
            reported_at=at("2021-06-08 00:00"),
            on_hand=500,
            consumed=20,
        )
    with written_at(at("2021-06-08 02:00")):
        set_reorder_levels(
            session,
            actor=SYSTEM,
            rows=[
                {"item_id": item.id, "location_id": warehouse.id, "reorder_level": 250},
                {"item_id": item.id, "location_id": hospital.id, "reorder_level": 40},
            ],
        )

    def levels(moment: str | None) -> dict[str, int]:
        when = at(moment) if moment else None
        lines = supplies.list_stock_lines(session=session, today=date(2021, 6, 8), at=when)
        names = {warehouse.id: "warehouse", hospital.id: "hospital"}
        return {
            names[location]: int(level)
            for location, level in zip(lines["location_id"], lines["reorder_level"], strict=True)
        }

    assert levels("2021-06-08 01:59") == {"warehouse": 0, "hospital": 0}
    assert levels("2021-06-08 02:00") == {"warehouse": 250, "hospital": 40}
    assert levels(None) == {"warehouse": 250, "hospital": 40}


# --- Cases: who infected whom, traced days later --------------------------------------------


def test_an_infection_link_traced_later_is_unknown_before_it_was_traced(
    session: Session,
) -> None:
    first = make_case(session, report_date=date(2021, 6, 5), case_no="L-1")
    second = make_case(session, report_date=date(2021, 6, 6), case_no="L-2")
    make_case(session, report_date=date(2021, 6, 6), case_no="L-3")
    with written_at(at("2021-06-08 02:00")):
        link_infectors(session, actor=SYSTEM, links=[(second.id, first.id)])

    def seen(moment: str | None) -> tuple:
        when = at(moment) if moment else None
        end = date(2021, 6, 8)
        links = cases.list_transmission_links(session=session, end=end, at=when)
        chains = cases.list_transmission_chains(session=session, end=end, at=when)
        pairs = list(zip(links["infector_case_no"], links["case_no"], strict=True))
        return pairs, chains.linked_chains, chains.linked_cases, chains.single_cases

    def cards(moment: str) -> tuple:
        """The case map's cards of L-1 and L-2: whom L-1 infected, who infected L-2."""
        one, two = (
            cases.get_case_card(session=session, case_no=no, end=date(2021, 6, 8), at=at(moment))
            for no in ("L-1", "L-2")
        )
        return one.infected_case_nos, two.infector_case_no

    # Before the link was traced: three single cases, no chain.
    assert seen("2021-06-08 01:59") == ([], 0, 0, 3)
    assert cards("2021-06-08 01:59") == ((), None)
    assert cards("2021-06-08 02:00") == (("L-2",), "L-1")
    # From its tracing on: L-1 → L-2 is a chain of two; L-3 is still on its own.
    assert seen("2021-06-08 02:00") == ([("L-1", "L-2")], 1, 2, 1)
    assert seen(None) == ([("L-1", "L-2")], 1, 2, 1)


# --- Audits: an audit corrected after it was entered ----------------------------------------


def test_an_audit_corrected_later_reads_as_entered_until_the_correction(
    session: Session,
) -> None:
    version, items = make_component_checklist(
        session,
        label="v-correct",
        items={"p1": ("ipc_programme", 1.0), "p2": ("ipc_programme", 1.0)},
    )
    hospital = make_facility(session, kind="designated_hospital")
    audit = make_audit(
        session,
        facility=hospital,
        version=version,
        audited_at=at("2021-06-07 02:00"),
        results=[(items["p1"], "pass"), (items["p2"], "fail")],
    )
    # Entered on 06-09: p2 passed after all, and the audit was held on 06-08 at 06:00 UTC.
    with written_at(at("2021-06-09 02:00")):
        edit_audit(
            session,
            actor=SYSTEM,
            audit_id=audit.id,
            expected_version=audit.version,
            changes={"audited_at": at("2021-06-08 06:00")},
            results={items["p1"].id: ("pass", None), items["p2"].id: ("pass", "fixed")},
        )

    def seen(moment: str | None) -> tuple:
        when = at(moment) if moment else None
        today = local_day(when) if when else date(2021, 6, 9)
        (status,) = audits.list_facility_audit_status(
            session=session, today=today, at=when
        ).to_dict("records")
        (history,) = audits.list_facility_audits(
            session=session, facility_id=hospital.id, at=when
        ).to_dict("records")
        (compliance,) = audits.list_component_compliance(session=session, at=when).to_dict(
            "records"
        )
        results = audits.list_audit_items(session=session, audit_id=audit.id, at=when)
        return (
            status["audited_at"],
            status["score"],
            status["level"],
            history["score"],
            compliance["compliance"],
            compliance["items_fail"],
            [
                (code, result, note if isinstance(note, str) else None)
                for code, result, note in zip(
                    results["code"], results["result"], results["note"], strict=True
                )
            ],
        )

    entered = (
        at("2021-06-07 02:00"),
        400.0,
        "basic",
        400.0,
        50.0,
        1,
        [("p1", "pass", None), ("p2", "fail", None)],
    )
    corrected = (
        at("2021-06-08 06:00"),
        800.0,
        "advanced",
        800.0,
        100.0,
        0,
        [("p1", "pass", None), ("p2", "pass", "fixed")],
    )
    # On 06-08 at 08:00 UTC the audit was known as held on 06-07 with p2 failed: its
    # corrected time (06-08 06:00) is earlier than that, but was not entered until 06-09.
    assert seen("2021-06-08 08:00") == entered
    assert seen("2021-06-09 01:59") == entered
    assert seen("2021-06-09 02:00") == corrected
    assert seen(None) == corrected


# --- Upgrading: existing databases get the revisions their change log records --------------


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'revisions.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    return url


def _revisions(session: Session, tables: tuple[str, ...] | None = None) -> list[tuple]:
    found = []
    for model, (revision, fields) in models.REVISIONS.items():
        if tables is not None and model.__tablename__ not in tables:
            continue
        keys = [column for column, _ in revision_keys(model)]
        for row in session.execute(select(revision).order_by(revision.id)).scalars():
            found.append((model.__tablename__, *(getattr(row, name) for name in (*keys, *fields))))
    return found


def test_upgrading_to_0008_keeps_the_revisions_the_change_log_records(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    with Session(engine) as session:
        clear_operational_data(session, actor=SYSTEM)  # PostgreSQL's shared test database
        old = make_round(session, round_no=7)
        edit_round(
            session,
            actor=SYSTEM,
            round_id=old.id,
            expected_version=1,
            changes={"target_population": 1500},
        )
        # Cleared: the change log's entries of the old data name records no longer there.
        clear_operational_data(session, actor=SYSTEM)
        made = make_round(session, target_population=1000)
        edit_round(
            session,
            actor=SYSTEM,
            round_id=made.id,
            expected_version=1,
            changes={"target_population": 1200, "deadline_at": at("2021-05-29 00:00")},
        )
        edit_round(
            session,
            actor=SYSTEM,
            round_id=made.id,
            expected_version=2,
            changes={"target_population": 1300},
        )
        hotel = make_hotel(session)
        edit_facility(
            session,
            actor=SYSTEM,
            facility_id=hotel.id,
            expected_version=1,
            changes={"status": "standby"},
        )
        item = make_supply_item(session)
        make_stock_report(
            session,
            item_id=item.id,
            location_id=hotel.id,
            reported_at=at("2021-05-27 00:00"),
            on_hand=10,
        )
        edit_reorder_level(
            session,
            actor=SYSTEM,
            item_id=item.id,
            location_id=hotel.id,
            expected_version=1,
            reorder_level=40,
        )
        kept = _revisions(session)
        ids = {"round": made.id, "hotel": hotel.id, "item": item.id}
        names = (hotel.name_zh, hotel.name_en)
        times = [
            moment
            for revision, _ in models.REVISIONS.values()
            for moment in session.execute(
                select(revision.replaced_at).order_by(revision.id)
            ).scalars()
        ]
    start = at("2021-05-26 00:00")
    assert kept == [
        ("facility", ids["hotel"], "active", *names, 100, 240),
        ("testinground", ids["round"], "whole", 1000, start, at("2021-05-28 00:00")),
        ("testinground", ids["round"], "whole", 1200, start, at("2021-05-29 00:00")),
        ("stockstate", ids["item"], ids["hotel"], 0),
    ]
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "0007")
        connection.commit()
    upgrade_schema(engine)
    with Session(engine) as session:
        assert _revisions(session) == kept
        log = models.ChangeLog
        cleared = session.execute(
            select(func.max(log.id)).where(log.table_name == "*", log.action == "delete")
        ).scalar_one()
        logged = session.execute(
            select(log.changed_at).where(
                log.action == "update",
                log.id > cleared,
                log.table_name.in_(("facility", "testinground", "stockstate")),
            )
        ).scalars()
        logged = list(logged)
        rebuilt = [
            moment
            for revision, _ in models.REVISIONS.values()
            for moment in session.execute(
                select(revision.replaced_at).order_by(revision.id)
            ).scalars()
        ]
        clear_operational_data(session, actor=SYSTEM)
    assert sorted(rebuilt) == sorted(logged)
    assert len(times) == len(rebuilt) == 4
    engine.dispose()


def test_upgrading_to_0011_keeps_the_audit_corrections_the_change_log_records(
    migrated_url: str,
) -> None:
    engine = make_engine(migrated_url)
    with Session(engine) as session:
        clear_operational_data(session, actor=SYSTEM)  # PostgreSQL's shared test database
        version, items = make_component_checklist(
            session, label="v-0011", items={"p1": ("ipc_programme", 1.0)}
        )
        hospital = make_facility(session, kind="designated_hospital")
        audit = make_audit(
            session,
            facility=hospital,
            version=version,
            audited_at=at("2021-05-27 02:00"),
            results=[(items["p1"], "fail")],
        )
        with written_at(at("2021-05-28 00:00")):
            edit_audit(
                session,
                actor=SYSTEM,
                audit_id=audit.id,
                expected_version=1,
                changes={"auditor": "督导组 2 / Team 2"},
                results={items["p1"].id: ("pass", None)},
            )
        first = make_case(session, report_date=date(2021, 5, 26))
        second = make_case(session, report_date=date(2021, 5, 27))
        with written_at(at("2021-05-28 01:00")):
            edit_case(
                session,
                actor=SYSTEM,
                case_id=second.id,
                expected_version=1,
                changes={"severity": "severe"},
            )
        with written_at(at("2021-05-28 02:00")):
            link_infectors(session, actor=SYSTEM, links=[(second.id, first.id)])
        kept = _revisions(session, ("audit", "audititemresult", "case"))
        ids = {"first": first.id, "second": second.id, "audit": audit.id, "p1": items["p1"].id}
    team = "督导组 1 / Team 1"
    assert kept == [
        ("case", ids["second"], "mild", "admitted", None, None, None),
        ("case", ids["second"], "severe", "admitted", None, None, None),
        ("audit", ids["audit"], at("2021-05-27 02:00"), team, 0.0, "inadequate", None),
        ("audititemresult", ids["audit"], ids["p1"], "fail", None),
    ]
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "0010")
        connection.commit()
    upgrade_schema(engine)
    with Session(engine) as session:
        # The audit's correction comes back from the change log, at its time; the item
        # results it replaced were never logged. The case revisions take the link as stored.
        assert _revisions(session, ("audit", "audititemresult", "case")) == [
            ("case", ids["second"], "mild", "admitted", None, None, ids["first"]),
            ("case", ids["second"], "severe", "admitted", None, None, ids["first"]),
            ("audit", ids["audit"], at("2021-05-27 02:00"), team, 0.0, "inadequate", None),
        ]
        replaced = session.execute(select(models.AuditRevision.replaced_at)).scalar_one()
        log = models.ChangeLog
        cleared = session.execute(
            select(func.max(log.id)).where(log.table_name == "*", log.action == "delete")
        ).scalar_one()
        logged = session.execute(
            select(log.changed_at).where(
                log.table_name == "audit", log.action == "update", log.id > cleared
            )
        ).scalar_one()
        assert replaced == logged
        clear_operational_data(session, actor=SYSTEM)
    engine.dispose()


# --- The testing page, replayed before and after a deadline was moved ----------------------


@pytest.mark.parametrize(
    ("replay_at", "deadline", "warning"),
    [
        # 20:00 local is 12:00 UTC: before the move (written at 13:00 UTC).
        ("2021-06-10 20:00", "06-11 12:00", "06-11 12:00"),
        ("2021-06-10 22:00", "06-12 12:00", "06-12 12:00"),
    ],
)
def test_the_testing_page_replayed_before_a_deadline_moved_shows_the_old_deadline(
    app_database: str,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    replay_at: str,
    deadline: str,
    warning: str,
) -> None:
    monkeypatch.setenv("REPLAY_AT", replay_at)
    get_settings.cache_clear()
    with Session(engine) as session:
        make_facility(session, kind="testing_site", district_code="440106")  # never reported
        made = make_round(
            session,
            district_code="440106",
            target_population=800,
            start_at=at("2021-06-10 04:00"),
            deadline_at=at("2021-06-11 04:00"),
        )
        with written_at(at("2021-06-10 13:00")):
            edit_round(
                session,
                actor=SYSTEM,
                round_id=made.id,
                expected_version=made.version,
                changes={"deadline_at": at("2021-06-12 04:00")},
            )
    app = open_app("pages/testing.py", timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    (table,) = [frame.value for frame in app.dataframe if "Deadline" in frame.value.columns]
    assert list(table["Deadline"]) == [deadline]
    assert [message.value for message in app.warning] == [
        "Tianhe round 1 is behind: nothing sampled in the last 6 h, so at the current "
        f"rate it will not finish by its deadline of {warning} (800 still to sample)."
    ]


# --- The hotels page, replayed before and after a hotel was closed -------------------------


@pytest.mark.parametrize(
    ("replay_at", "hotels_line", "rooms"),
    [
        # 13:00 local is 05:00 UTC: before the closing (written at 06:00 UTC).
        ("2021-06-08 13:00", "2 / 0 / 0", "200"),
        ("2021-06-08 15:00", "1 / 0 / 1", "80"),
    ],
)
def test_the_hotels_page_replayed_before_a_hotel_closed_counts_its_rooms(
    app_database: str,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    replay_at: str,
    hotels_line: str,
    rooms: str,
) -> None:
    monkeypatch.setenv("REPLAY_AT", replay_at)
    get_settings.cache_clear()
    with Session(engine) as session:
        closing = make_hotel(session, rooms=120)
        staying = make_hotel(session, rooms=80, cohort="inbound")
        for hotel, occupied in ((closing, 30), (staying, 20)):
            make_hotel_report(
                session,
                hotel_id=hotel.id,
                reported_at=at("2021-06-08 04:00"),
                rooms_total=hotel.capacity,
                rooms_occupied=occupied,
                rooms_cleaning=0,
            )
        with written_at(at("2021-06-08 06:00")):
            edit_facility(
                session,
                actor=SYSTEM,
                facility_id=closing.id,
                expected_version=closing.version,
                changes={"status": "closed"},
            )
    app = open_app("pages/hotels.py", timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Hotels active / standby / closed"] == hotels_line
    assert metrics["Rooms in total"] == rooms
