"""Audit reads from known audits: facility list, heat grid, findings, trend, audit detail."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date

import pandas as pd
import pytest
from sqlmodel import Session, select

from data import models
from data.measures.audits import action_status
from data.queries.audits import (
    get_action_totals,
    list_audit_items,
    list_component_compliance,
    list_facility_audit_status,
    list_facility_audits,
    list_findings,
)
from data.writes import SYSTEM, record_audit
from tests.factories import at, make_audit, make_component_checklist, make_facility

TODAY = date(2021, 6, 10)
LIWAN, YUEXIU, HAIZHU = "440103", "440104", "440105"


@dataclass(frozen=True)
class KnownAudits:
    """The facilities of the known scenario, by role."""

    liwan_hospital: models.Facility
    fever_clinic: models.Facility
    hotel: models.Facility
    designated: models.Facility
    hospital_audits: tuple[models.Audit, models.Audit]


def _texts(column: pd.Series) -> list[str | None]:
    """A text column as a list, missing values as None (pandas may read them as NaN)."""
    return [value if isinstance(value, str) else None for value in column]


def _finding(due: date, closed: date | None = None, **values: object) -> dict:
    return {
        "finding_zh": "发现",
        "finding_en": "Finding",
        "action_zh": "整改",
        "action_en": "Fix it",
        "owner": "院感科 / IPC dept.",
        "due_date": due,
        "closed_date": closed,
        **values,
    }


def build_known_audits(session: Session) -> KnownAudits:
    """Audits whose scores, levels and actions are worked out by hand in the tests."""
    v1, one = make_component_checklist(
        session,
        label="t-v1",
        items={
            "p1": ("ipc_programme", 1.0),
            "t1": ("training", 1.0),
            "c1": ("covid", 2.0),
            "c2": ("covid", 1.0),
        },
    )
    v2, two = make_component_checklist(
        session,
        label="t-v2",
        items={
            "p1": ("ipc_programme", 1.0),
            "t1": ("training", 2.0),
            "c1": ("covid", 2.0),
            "c2": ("covid", 1.0),
            "c3": ("covid", 2.0),
        },
    )
    liwan_hospital = make_facility(
        session,
        kind="general_hospital",
        district_code=LIWAN,
        name_en="Liwan Hospital",
        name_zh="荔湾医院",
    )
    fever_clinic = make_facility(
        session,
        kind="fever_clinic",
        district_code=YUEXIU,
        name_en="Yuexiu Fever Clinic",
        name_zh="越秀发热门诊",
    )
    hotel = make_facility(
        session,
        kind="quarantine_hotel",
        district_code=LIWAN,
        name_en="Liwan Hotel",
        name_zh="荔湾隔离酒店",
    )
    designated = make_facility(
        session,
        kind="designated_hospital",
        district_code=HAIZHU,
        name_en="Eighth Hospital",
        name_zh="市第八人民医院",
    )
    make_facility(session, kind="testing_site", district_code=LIWAN)  # never auditable
    make_facility(session, kind="general_hospital", status="closed")  # not in use: not listed
    make_facility(session, kind="quarantine_hotel", status="standby")  # not in use: not listed

    # Liwan Hospital: all passed on v1 (800), then on v2 at 2021-06-08 16:00 local: IPCAF
    # components programme 100 (p1) and training 50 (t1 partial), the only two assessed,
    # scaled to 800 -> 600; the COVID items c1 fail 0 of 2, c2 na, c3 2 of 2 -> 50 apart.
    first = make_audit(
        session,
        facility=liwan_hospital,
        version=v1,
        audited_at=at("2021-05-20 02:00"),
        results=[(item, "pass") for item in one.values()],
    )
    second = record_audit(
        session,
        actor=SYSTEM,
        values={
            "facility_id": liwan_hospital.id,
            "checklist_version_id": v2.id,
            "audited_at": at("2021-06-08 08:00"),
            "auditor": "督导组 2 / Team 2",
        },
        results={
            two["p1"].id: ("pass", None),
            two["t1"].id: ("partial", "2 of 5 staff untrained"),
            two["c1"].id: ("fail", "No triage at east gate"),
            two["c2"].id: ("na", None),
            two["c3"].id: ("pass", None),
        },
        findings=[
            _finding(date(2021, 6, 9), item_id=two["c1"].id, finding_en="No triage at east gate"),
            _finding(date(2021, 6, 15), item_id=two["t1"].id, finding_en="Training gaps"),
        ],
    )
    # The fever clinic failed everything on 2021-05-25: 16 days ago, so due again.
    make_audit(
        session,
        facility=fever_clinic,
        version=v1,
        audited_at=at("2021-05-25 03:00"),
        results=[(item, "fail") for item in one.values()],
        findings=[
            _finding(date(2021, 5, 28), date(2021, 5, 27), finding_en="Zoning"),
            _finding(date(2021, 6, 1), finding_en="No doffing area"),
        ],
    )
    # The designated hospital today: only p1 applied, partly -> 0.5 of 1 -> 400 (basic).
    make_audit(
        session,
        facility=designated,
        version=v2,
        audited_at=at("2021-06-10 01:00"),
        results=[(two["p1"], "partial")] + [(two[code], "na") for code in ("t1", "c1", "c2", "c3")],
    )
    return KnownAudits(liwan_hospital, fever_clinic, hotel, designated, (first, second))


def test_facility_list_is_worst_first_with_never_audited_and_due(session: Session) -> None:
    known = build_known_audits(session)
    table = list_facility_audit_status(session=session, today=TODAY)
    assert list(table["name_en"]) == [
        "Liwan Hotel",
        "Yuexiu Fever Clinic",
        "Eighth Hospital",
        "Liwan Hospital",
    ]
    assert math.isnan(table["score"].iloc[0])
    assert list(table["score"].iloc[1:]) == [0.0, 400.0, 600.0]
    assert list(table["covid_score"].iloc[1:]) == [0.0, None, 50.0] or (
        table["covid_score"].iloc[1] == 0.0
        and math.isnan(table["covid_score"].iloc[2])
        and table["covid_score"].iloc[3] == 50.0
    )
    assert list(table["level"].iloc[1:]) == ["inadequate", "basic", "intermediate"]
    assert list(table["audit_status"]) == ["never", "due", "current", "current"]
    assert list(table["days_since_audit"].iloc[1:]) == [16, 0, 2]
    assert list(table["last_audit_day"].iloc[1:]) == [
        date(2021, 5, 25),
        date(2021, 6, 10),
        date(2021, 6, 8),
    ]
    assert list(table["checklist_label"].iloc[1:]) == ["t-v1", "t-v2", "t-v2"]
    assert list(table["open_actions"]) == [0, 1, 0, 2]
    assert list(table["overdue_actions"]) == [0, 1, 0, 1]
    hospital = table[table["facility_id"] == known.liwan_hospital.id].iloc[0]
    assert hospital["audit_id"] == known.hospital_audits[1].id
    # One column of UTC times (read back from the data cache as a block, not as objects).
    assert table["audited_at"].dt.tz == UTC
    assert pd.isna(table["audited_at"].iloc[0])
    assert list(table["audited_at"].iloc[1:]) == [
        at("2021-05-25 03:00"),
        at("2021-06-10 01:00"),
        at("2021-06-08 08:00"),
    ]


@pytest.mark.parametrize(
    ("district", "kinds", "names"),
    [
        (LIWAN, (), ["Liwan Hotel", "Liwan Hospital"]),
        (None, ("fever_clinic", "designated_hospital"), ["Yuexiu Fever Clinic", "Eighth Hospital"]),
        (HAIZHU, ("quarantine_hotel",), []),
    ],
)
def test_facility_list_filters(
    session: Session, district: str | None, kinds: tuple[str, ...], names: list[str]
) -> None:
    build_known_audits(session)
    table = list_facility_audit_status(session=session, today=TODAY, district=district, kinds=kinds)
    assert list(table["name_en"]) == names


def test_heat_grid_is_the_latest_audits_compliance_per_component(session: Session) -> None:
    known = build_known_audits(session)
    grid = list_component_compliance(session=session)
    cells = {
        (row.facility_id, row.component): (
            None if math.isnan(row.compliance) else row.compliance,
            row.items_pass,
            row.items_partial,
            row.items_fail,
            row.items_na,
        )
        for row in grid.itertuples()
    }
    hospital, clinic, designated = (
        known.liwan_hospital.id,
        known.fever_clinic.id,
        known.designated.id,
    )
    assert cells == {
        # Only the hospital's latest (v2) audit counts, not its all-pass v1 audit.
        (hospital, "ipc_programme"): (100.0, 1, 0, 0, 0),
        (hospital, "training"): (50.0, 0, 1, 0, 0),
        (hospital, "covid"): (50.0, 1, 0, 1, 1),  # c1 0 of 2, c2 n/a, c3 2 of 2
        (clinic, "ipc_programme"): (0.0, 0, 0, 1, 0),
        (clinic, "training"): (0.0, 0, 0, 1, 0),
        (clinic, "covid"): (0.0, 0, 0, 2, 0),
        (designated, "ipc_programme"): (50.0, 0, 1, 0, 0),
        (designated, "training"): (None, 0, 0, 0, 1),
        (designated, "covid"): (None, 0, 0, 0, 3),
    }
    # In a fixed order, facility by facility (PostgreSQL gave the groups in its plan's order:
    # the same read twice came back in different orders).
    assert list(zip(grid["facility_id"], grid["component"], strict=True)) == sorted(cells)
    liwan = list_component_compliance(session=session, district=LIWAN)
    assert set(liwan["facility_id"]) == {hospital}
    # Only the facilities the grid draws, with the same cells.
    drawn = list_component_compliance(session=session, facility_ids=(clinic, designated))
    assert list(drawn["facility_id"].unique()) == sorted([clinic, designated])
    assert list(drawn["compliance"].fillna(-1)) == [
        -1 if cells[key][0] is None else cells[key][0]
        for key in sorted(k for k in cells if k[0] != hospital)
    ]


def test_action_totals_match_the_findings_list(session: Session) -> None:
    build_known_audits(session)
    totals = get_action_totals(session=session, today=TODAY)
    assert (totals.open, totals.overdue) == (3, 2)
    findings = list_findings(session=session, today=TODAY)
    assert list(findings["status"]) == ["overdue", "overdue", "open", "closed"]
    assert list(findings["finding_en"]) == [
        "No doffing area",
        "No triage at east gate",
        "Training gaps",
        "Zoning",
    ]
    assert list(findings["days_overdue"]) == [9, 1, 0, 0]
    assert findings["audited_at"].dt.tz == UTC
    assert _texts(findings["item_code"]) == [None, "c1", "t1", None]
    # The SQL status is the pure function's, row by row.
    assert [
        action_status(due, closed, TODAY)
        for due, closed in zip(findings["due_date"], findings["closed_date"], strict=True)
    ] == list(findings["status"])
    overdue = list_findings(session=session, today=TODAY, statuses=("overdue",))
    assert len(overdue) == totals.overdue
    still_open = list_findings(session=session, today=TODAY, statuses=("overdue", "open"))
    assert len(still_open) == totals.open
    liwan = get_action_totals(session=session, today=TODAY, district=LIWAN)
    assert (liwan.open, liwan.overdue) == (2, 1)
    clinics = get_action_totals(session=session, today=TODAY, kinds=("fever_clinic",))
    assert (clinics.open, clinics.overdue) == (1, 1)
    closed = list_findings(session=session, today=TODAY, district=YUEXIU, statuses=("closed",))
    assert list(closed["finding_en"]) == ["Zoning"]


def test_an_action_due_today_becomes_overdue_tomorrow(session: Session) -> None:
    build_known_audits(session)
    tomorrow = date(2021, 6, 16)  # the day after "Training gaps" is due
    assert get_action_totals(session=session, today=date(2021, 6, 15)).overdue == 2
    assert get_action_totals(session=session, today=tomorrow).overdue == 3


def test_trend_and_audit_detail(session: Session) -> None:
    known = build_known_audits(session)
    audits = list_facility_audits(session=session, facility_id=known.liwan_hospital.id)
    assert list(audits["score"]) == [800.0, 600.0]
    assert list(audits["level"]) == ["advanced", "intermediate"]
    assert list(audits["checklist_label"]) == ["t-v1", "t-v2"]
    items = list_audit_items(session=session, audit_id=known.hospital_audits[1].id)
    assert list(items["code"]) == ["p1", "t1", "c1", "c2", "c3"]
    assert list(items["result"]) == ["pass", "partial", "fail", "na", "pass"]
    assert _texts(items["note"]) == [
        None,
        "2 of 5 staff untrained",
        "No triage at east gate",
        None,
        None,
    ]
    findings = list_findings(session=session, today=TODAY, audit_id=known.hospital_audits[1].id)
    assert list(findings["finding_en"]) == ["No triage at east gate", "Training gaps"]


def test_audit_detail_lists_items_without_a_result(session: Session) -> None:
    known = build_known_audits(session)
    v1 = session.get(models.ChecklistVersion, known.hospital_audits[0].checklist_version_id)
    items = {
        item.code: item
        for item in session.exec(
            select(models.ChecklistItem).where(models.ChecklistItem.version_id == v1.id)
        )
    }
    audit = make_audit(
        session,
        facility=known.hotel,
        version=v1,
        audited_at=at("2021-06-09 02:00"),
        results=[(items["p1"], "pass")],
    )
    detail = list_audit_items(session=session, audit_id=audit.id)
    assert list(detail["code"]) == ["p1", "t1", "c1", "c2"]
    assert _texts(detail["result"]) == ["pass", None, None, None]


def test_no_audits_at_all_gives_empty_tables(session: Session) -> None:
    make_facility(session, kind="fever_clinic")
    table = list_facility_audit_status(session=session, today=TODAY)
    assert list(table["audit_status"]) == ["never"]
    assert list_component_compliance(session=session).empty
    assert list_findings(session=session, today=TODAY).empty
    totals = get_action_totals(session=session, today=TODAY)
    assert (totals.open, totals.overdue) == (0, 0)
