"""Point-in-time checks: a history across several days, and the same database cut at T.

`build_history` writes reports of every kind over three local days (2021-06-08 to 06-10,
with late reports, reports at odd minutes and across midnight) through the write side.
`keep_only_up_to` deletes everything reported after a moment and rebuilds the derived
tables through the existing rebuild path: a copy of the database "had nothing after T ever
been reported". A view read at T must give exactly the same figures on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import delete, select, update
from sqlmodel import Session

from data import models
from data.models import revision_keys
from data.queries.common import Clock
from data.timeutil import as_utc, local_day
from data.writes import (
    SYSTEM,
    close_action,
    edit_action,
    edit_case,
    edit_facility,
    edit_reorder_level,
    edit_round,
    edit_zone,
    record_contact_reports,
)
from data.writes.cases import _follow_latest_reports
from data.writes.state import rebuild_derived_state
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

# Moments to read at (UTC; Guangzhou is 8 hours ahead), earliest first: mid-hour, just
# after a report, across midnight, and the end of the data.
MOMENTS = (
    at("2021-06-08 03:30"),
    at("2021-06-08 12:00"),
    at("2021-06-08 16:10"),
    at("2021-06-09 06:05"),
    at("2021-06-09 15:59"),
    at("2021-06-10 02:20"),
    at("2021-06-10 10:05"),
    at("2021-06-10 12:00"),
)


def clock_at(moment: datetime) -> Clock:
    """The replayed clock of a moment."""
    return Clock(now=moment, today=local_day(moment), replay=True)


@dataclass(frozen=True)
class History:
    """Ids the views are read with."""

    liwan_round: int
    yuexiu_round: int
    item: int
    warehouse: int
    hospital: int
    hotel: int


def _finding(due: date, **values: object) -> dict:
    return {
        "finding_zh": "发现",
        "finding_en": "Finding",
        "action_zh": "整改",
        "action_en": "Fix it",
        "owner": "院感科 / IPC dept.",
        "due_date": due,
        **values,
    }


def build_history(session: Session) -> History:
    """Reports of every view over three days; the figures differ at every moment above."""
    start = at("2021-06-07 16:00")  # 06-08 00:00 in Guangzhou

    # Testing: two rounds, three sites reporting every 3 hours (Liwan's round reaches its
    # target within an hour), one late report.
    liwan = make_round(
        session,
        round_no=1,
        target_population=2000,
        start_at=start,
        deadline_at=at("2021-06-09 10:30"),
    )
    yuexiu = make_round(
        session,
        district_code="440104",
        round_no=1,
        target_population=5000,
        start_at=at("2021-06-09 00:00"),
        deadline_at=at("2021-06-10 06:00"),
    )
    sites = [
        make_facility(session, kind="testing_site", district_code="440103"),
        make_facility(session, kind="testing_site", district_code="440103"),
        make_facility(session, kind="testing_site", district_code="440104"),
    ]
    for step in range(22):
        moment = start + timedelta(hours=3 * step, minutes=7 * (step % 5))
        for number, site in enumerate(sites):
            in_liwan = number < 2
            round_id = liwan.id if in_liwan else yuexiu.id
            if not in_liwan and moment < at("2021-06-09 00:00"):
                round_id = None
            sampled = 40 + 13 * ((step + number) % 4)
            make_site_report(
                session,
                site_id=site.id,
                round_id=round_id,
                reported_at=moment + timedelta(minutes=number),
                is_open=step % 7 != 6,
                sampled=sampled,
                resulted=sampled - 10 if step % 3 else sampled + (10 if step else 0),
                positive=1 if step % 9 == 4 else 0,
                pools_positive=step % 2,
                queue_wait_minutes=(step * 17 + number * 11) % 90,
            )
    make_site_report(
        session,
        site_id=sites[0].id,
        round_id=liwan.id,
        reported_at=at("2021-06-09 05:50"),
        sampled=30,
        resulted=0,
    )

    # Hotels: two active hotels and one closed, reporting every 5 hours.
    hotels = [
        make_hotel(session, rooms=120),
        make_hotel(session, rooms=80, cohort="inbound", district_code="440104"),
        make_hotel(session, rooms=60, cohort="secondary_contact", status="closed"),
    ]
    for step in range(12):
        moment = start + timedelta(hours=5 * step, minutes=13)
        for number, hotel in enumerate(hotels):
            rooms = hotel.capacity
            occupied = min(rooms - 5, 20 + 6 * step + 3 * number)
            make_hotel_report(
                session,
                hotel_id=hotel.id,
                reported_at=moment + timedelta(minutes=number),
                rooms_total=rooms,
                rooms_occupied=occupied,
                rooms_cleaning=step % 4,
                occupied_close_contact=occupied if hotel.cohort == "close_contact" else 0,
                intake=5 + step % 3,
                discharges=step % 2,
                staff_on_duty=10 + step,
            )

    # Supplies: counts twice a day, one at 23:30 and one at 00:30 two days later.
    item = make_supply_item(session)
    other = make_supply_item(session, code="S9999", category="test_kit")
    warehouse = make_facility(session, kind="warehouse")
    clinic = make_facility(session, kind="fever_clinic", district_code="440104")
    for step in range(6):
        for number, (thing, place) in enumerate(
            ((item, warehouse), (item, clinic), (other, warehouse))
        ):
            moment = start + timedelta(hours=11 * step + 1, minutes=20 * number)
            make_stock_report(
                session,
                item_id=thing.id,
                location_id=place.id,
                reported_at=moment,
                on_hand=max(0, 300 - 55 * step - 90 * number),
                consumed=20 + 7 * step,
                received=30 if step == 3 else 0,
                on_order=10 * step,
            )
    make_stock_report(
        session,
        item_id=other.id,
        location_id=clinic.id,
        reported_at=at("2021-06-07 15:30"),  # 06-07 23:30 local
        on_hand=200,
        consumed=10,
    )
    make_stock_report(
        session,
        item_id=other.id,
        location_id=clinic.id,
        reported_at=at("2021-06-08 16:30"),  # 06-09 00:30 local: 25 hours later
        on_hand=150,
        consumed=50,
    )

    # Audits: three facilities, audited on different days; findings closed on a later day.
    version, items = make_component_checklist(
        session,
        label="pit-v1",
        items={
            "p1": ("ipc_programme", 1.0),
            "g1": ("guidelines", 2.0),
            "c1": ("covid", 1.0),
        },
    )
    hospital = make_facility(session, kind="designated_hospital")
    fever = make_facility(session, kind="fever_clinic", district_code="440104")
    for moment, facility, results, findings in (
        (at("2021-06-07 02:00"), hospital, ("pass", "fail", "fail"), [date(2021, 6, 8)]),
        (at("2021-06-08 05:00"), fever, ("partial", "pass", "fail"), [date(2021, 6, 9)]),
        (at("2021-06-09 07:00"), hospital, ("pass", "partial", "pass"), [date(2021, 6, 12)]),
        (at("2021-06-10 03:00"), fever, ("pass", "pass", "na"), []),
        (at("2021-06-10 01:00"), hotels[0], ("fail", "fail", "fail"), [date(2021, 6, 9)]),
    ):
        make_audit(
            session,
            facility=facility,
            version=version,
            audited_at=moment,
            results=list(zip(items.values(), results, strict=True)),
            findings=[_finding(due) for due in findings],
        )
    first = session.execute(
        select(models.AuditFinding).order_by(models.AuditFinding.id).limit(1)
    ).scalar_one()
    with written_at(at("2021-06-09 03:00")):  # 11:00 on 06-09 in Guangzhou
        close_action(
            session,
            actor=SYSTEM,
            finding_id=first.id,
            expected_version=first.version,
            closed_date=date(2021, 6, 9),
        )

    # Cases and zones over the days; contacts traced over the days after each report.
    case_ids = []
    for day, district, discharged in (
        (date(2021, 6, 7), "440103", date(2021, 6, 9)),
        (date(2021, 6, 8), "440103", None),
        (date(2021, 6, 8), "440104", None),
        (date(2021, 6, 9), "440103", date(2021, 6, 10)),
        (date(2021, 6, 10), "440104", None),
    ):
        made = make_case(
            session,
            report_date=day,
            district_code=district,
            status="discharged" if discharged else "admitted",
            discharged_date=discharged,
            close_contacts_identified=10,
            close_contacts_controlled=6,
        )
        case_ids.append((made.id, day))
    record_contact_reports(
        session,
        actor=SYSTEM,
        rows=[
            {
                "case_id": case_id,
                "reported_at": at(f"{day + timedelta(days=step)} 0{step}:30"),
                "close_contacts_identified": 10 + 5 * step,
                "close_contacts_controlled": 6 + 6 * step,
                "secondary_contacts_identified": 20 * step,
                "secondary_contacts_controlled": 15 * step,
            }
            for case_id, day in case_ids
            for step in (1, 2)
        ],
    )
    make_zone(
        session,
        level="sealed",
        imposed_at=at("2021-06-08 04:00"),
        lifted_at=at("2021-06-09 20:00"),
    )
    zone = make_zone(session, level="controlled", imposed_at=at("2021-06-09 09:00"))
    _edit_settings(
        session,
        rounds=(liwan.id, yuexiu.id),
        line=(item.id, warehouse.id),
        hotel=hotels[1].id,
        cases=[case_id for case_id, _ in case_ids],
        zone=zone.id,
    )
    return History(
        liwan_round=liwan.id,
        yuexiu_round=yuexiu.id,
        item=item.id,
        warehouse=warehouse.id,
        hospital=hospital.id,
        hotel=hotels[0].id,
    )


def _edit_settings(
    session: Session,
    *,
    rounds: tuple[int, int],
    line: tuple[int, int],
    hotel: int,
    cases: list[int],
    zone: int,
) -> None:
    """Settings edited in place over the days, each between two of the moments read."""

    def version(model: type, key: object) -> int:
        return session.get(model, key, populate_existing=True).version

    liwan, yuexiu = rounds
    item, location = line
    m = models
    edits = [
        ("2021-06-08 10:00", edit_reorder_level, m.StockState, line, {"reorder_level": 100}),
        ("2021-06-08 14:00", edit_round, m.TestingRound, liwan, {"target_population": 2600}),
        ("2021-06-08 20:00", edit_case, m.Case, cases[1], {"severity": "severe"}),
        (
            "2021-06-09 06:00",
            edit_round,
            m.TestingRound,
            liwan,
            {"deadline_at": at("2021-06-09 16:00")},
        ),
        ("2021-06-09 10:00", edit_reorder_level, m.StockState, line, {"reorder_level": 150}),
        (
            "2021-06-09 12:00",
            edit_round,
            m.TestingRound,
            yuexiu,
            {"deadline_at": at("2021-06-10 02:00")},
        ),
        ("2021-06-09 15:00", edit_facility, m.Facility, hotel, {"status": "closed"}),
        ("2021-06-09 22:00", edit_case, m.Case, cases[2], {"status": "died"}),
        (
            "2021-06-10 00:00",
            edit_zone,
            m.ControlZone,
            zone,
            {"level": "sealed", "population": 3000},
        ),
    ]
    keys = {edit_round: "round_id", edit_case: "case_id", edit_facility: "facility_id"}
    keys[edit_zone] = "zone_id"
    for moment, edit, model, key, changes in edits:
        with written_at(at(moment)):
            if edit is edit_reorder_level:
                edit(
                    session,
                    actor=SYSTEM,
                    item_id=item,
                    location_id=location,
                    expected_version=version(model, key),
                    **changes,
                )
            else:
                edit(
                    session,
                    actor=SYSTEM,
                    expected_version=version(model, key),
                    changes=changes,
                    **{keys[edit]: key},
                )
    later = session.execute(
        select(models.AuditFinding).where(models.AuditFinding.due_date == date(2021, 6, 12))
    ).scalar_one()
    with written_at(at("2021-06-10 01:30")):
        edit_action(
            session,
            actor=SYSTEM,
            finding_id=later.id,
            expected_version=later.version,
            changes={"owner": "医务科 / Medical dept.", "due_date": date(2021, 6, 11)},
        )


def rewind_settings(session: Session, moment: datetime) -> None:
    """Put back every setting edited after `moment` (the values its first later edit
    replaced), and forget those edits."""
    for model, (revision, fields) in models.REVISIONS.items():
        keys = revision_keys(model)
        later = session.execute(
            select(revision).where(revision.replaced_at > moment).order_by(revision.id)
        ).scalars()
        first: dict[tuple, object] = {}
        for row in later:
            first.setdefault(tuple(getattr(row, column) for column, _ in keys), row)
        for key, row in first.items():
            match = [
                getattr(model, name) == value for (_, name), value in zip(keys, key, strict=True)
            ]
            values = {name: getattr(row, name) for name in fields}
            session.execute(update(model).where(*match).values(**values))
        session.execute(delete(revision).where(revision.replaced_at > moment))


def keep_only_up_to(session: Session, moment: datetime) -> None:
    """Delete everything reported after `moment`, and rebuild the derived tables from what
    is left: the database as it would be had nothing after `moment` been reported."""
    moment = as_utc(moment)
    day = local_day(moment)
    rewind_settings(session, moment)
    session.execute(
        delete(models.TestingSiteReport).where(models.TestingSiteReport.reported_at > moment)
    )
    session.execute(delete(models.HotelReport).where(models.HotelReport.reported_at > moment))
    session.execute(delete(models.StockReport).where(models.StockReport.reported_at > moment))
    later = select(models.Audit.id).where(models.Audit.audited_at > moment)
    session.execute(delete(models.AuditFinding).where(models.AuditFinding.audit_id.in_(later)))
    session.execute(
        delete(models.AuditItemResult).where(models.AuditItemResult.audit_id.in_(later))
    )
    session.execute(
        delete(models.FacilityAuditState).where(models.FacilityAuditState.audit_id.in_(later))
    )
    session.execute(delete(models.Audit).where(models.Audit.audited_at > moment))
    session.execute(
        update(models.AuditFinding)
        .where(models.AuditFinding.closed_date > day)
        .values(closed_date=None)
    )
    c, r = models.Case, models.CaseContactReport
    session.execute(delete(r).where(r.reported_at > moment))
    session.execute(
        update(c)
        .where(c.infector_case_id.in_(select(c.id).where(c.report_date > day)))
        .values(infector_case_id=None)
    )
    session.execute(delete(c).where(c.report_date > day))
    session.execute(
        update(c).where(c.discharged_date > day).values(status="admitted", discharged_date=None)
    )
    _follow_latest_reports(session, list(session.execute(select(c.id)).scalars()))
    z = models.ControlZone
    session.execute(delete(z).where(z.imposed_at > moment))
    session.execute(update(z).where(z.lifted_at > moment).values(lifted_at=None))
    rebuild_derived_state(session)
    session.commit()


def same(left: object, right: object) -> None:
    """Assert two read results are exactly equal (frames: values, columns and dtypes)."""
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(
            left.reset_index(drop=True), right.reset_index(drop=True), check_exact=True
        )
    elif isinstance(left, dict):
        assert left.keys() == right.keys()
        for key in left:
            same(left[key], right[key])
    elif hasattr(left, "__dataclass_fields__"):
        assert type(left) is type(right)
        for name in left.__dataclass_fields__:
            same(getattr(left, name), getattr(right, name))
    else:
        assert left == right
