"""Reads about infection-control audits and their corrective actions, as of a moment.

The facility list and the heat grid read each facility's latest audit from
FacilityAuditState as it was at the moment read (`data.queries.asof`: the table itself when
no audit is later, else each facility's latest audit by then, by the facility/time index).
Audits held after the moment, and their findings, are not known yet then.

Every figure counts the facilities the page lists (auditable kinds, active), so that the
facility table's actions add up to the headline's, here and on the Overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, FromClause, and_, case, func, not_, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from data import models
from data.codes import AUDITABLE_KINDS
from data.measures.audits import (
    ACTION_STATUSES,
    AUDIT_INTERVAL_DAYS,
    NOT_SCORED,
    RESULT_VALUE,
    audit_status,
    compliance_percent,
    days_overdue,
)
from data.queries.asof import audit_state_at, settings_at
from data.queries.common import query_frame, shareable
from data.queries.reach import reaches
from data.timeutil import command_zone


@dataclass(frozen=True)
class ActionTotals:
    """Corrective actions still open, and those of them past their due date."""

    open: int
    overdue: int


def _utc_times(moments: pd.Series) -> pd.Series:
    """Stored times as one column of aware UTC times (NaT where none): a column of
    datetime objects is unpickled one object at a time each time a page reads it back from
    the data cache (a province's 15,490 open actions: 31 ms of every rerun)."""
    return pd.to_datetime(moments, utc=True)


def action_status_clause(
    status: str, today: date, finding: Any = models.AuditFinding
) -> ColumnElement[bool]:
    """SQL for one action status on `today`, as data.measures.audits.action_status defines it
    (of `finding`: the actions, or as they were set at a moment, `settings_at`).

    Every count and filter of corrective actions (this page and the Overview) uses this one
    translation, so that they cannot disagree.
    """
    closed = and_(finding.closed_date.is_not(None), finding.closed_date <= today)
    if status == "closed":
        return closed
    if status == "overdue":
        return and_(not_(closed), finding.due_date < today)
    if status == "open":
        return and_(not_(closed), finding.due_date >= today)
    raise ValueError(f"unknown action status {status!r}")


def _action_status_column(today: date, finding: Any) -> ColumnElement[str]:
    return case(
        (action_status_clause("closed", today, finding), "closed"),
        (action_status_clause("overdue", today, finding), "overdue"),
        else_="open",
    )


def _facility_conditions(
    district: str | None, kinds: tuple[str, ...], facility: Any
) -> list[ColumnElement]:
    """The facilities every audit figure counts: auditable, active (of `facility`, as set at
    the moment read), and the page's filters."""
    conditions: list[ColumnElement] = [
        facility.kind.in_(AUDITABLE_KINDS),
        facility.status == "active",
    ]
    if district:
        conditions.append(facility.district_code == district)
    if kinds:
        conditions.append(facility.kind.in_(kinds))
    return conditions


def _held_by(at: datetime | None, audit: Any) -> list[ColumnElement]:
    """Audits held by `at` (all when None): of `audit`, the audits as corrected by then
    (`settings_at`), which the query joins."""
    return [] if at is None else [audit.audited_at <= at]


def _audit_state(session: Session, at: datetime | None) -> FromClause:
    """Each facility's latest audit: now (None), or held by `at`."""
    return models.FacilityAuditState.__table__ if at is None else audit_state_at(session, at)


@reaches("audits", "places")
def get_action_totals(
    *,
    session: Session,
    today: date,
    district: str | None = None,
    kinds: tuple[str, ...] = (),
    at: datetime | None = None,
) -> ActionTotals:
    """Open corrective actions and overdue ones (open, due before today) of the facilities
    the page lists, found by audits held by `at` (a moment of `today`; None: all)."""
    finding = settings_at(session, models.AuditFinding, at)
    facility, audit = (
        settings_at(session, models.Facility, at),
        settings_at(session, models.Audit, at),
    )
    overdue = action_status_clause("overdue", today, finding)
    query = select(func.count(), func.count().filter(overdue))
    query = (
        query.select_from(finding)
        .join(facility, facility.id == finding.facility_id)
        .join(audit, audit.id == finding.audit_id)
        .where(
            not_(action_status_clause("closed", today, finding)),
            *_facility_conditions(district, kinds, facility),
            *_held_by(at, audit),
        )
    )
    row = session.execute(query).one()
    return ActionTotals(open=int(row[0]), overdue=int(row[1]))


FACILITY_COLUMNS = [
    "facility_id",
    "code",
    "name_zh",
    "name_en",
    "kind",
    "district_code",
    "district_zh",
    "district_en",
    "audit_id",
    "audited_at",
    "score",
    "level",
    "covid_score",
    "checklist_label",
    "open_actions",
    "overdue_actions",
]


@reaches("audits", "places")
@shareable
def list_facility_audit_status(
    *,
    session: Session,
    today: date,
    district: str | None = None,
    kinds: tuple[str, ...] = (),
    interval: int = AUDIT_INTERVAL_DAYS,
    at: datetime | None = None,
) -> pd.DataFrame:
    """Every active auditable facility with its latest audit and open actions, worst first,
    as held by `at` (a moment of `today`; None: every audit).

    Facilities never audited come first (nothing is known of them), then by score ascending.
    `audit_status` is never / due / current (see data.measures.audits.audit_status).
    """
    f, s, a = settings_at(session, models.Facility, at), _audit_state(session, at), models.Audit
    v, d = models.ChecklistVersion, models.District
    finding = settings_at(session, models.AuditFinding, at)
    held = aliased(settings_at(session, models.Audit, at), name="held")
    overdue = action_status_clause("overdue", today, finding)
    actions = (
        select(
            finding.facility_id,
            func.count().label("open_actions"),
            func.count().filter(overdue).label("overdue_actions"),
        )
        .join(held, held.id == finding.audit_id)
        .where(not_(action_status_clause("closed", today, finding)), *_held_by(at, held))
        .group_by(finding.facility_id)
        .subquery()
    )
    query = (
        select(
            f.id.label("facility_id"),
            f.code,
            f.name_zh,
            f.name_en,
            f.kind,
            f.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            s.c.audit_id,
            s.c.audited_at,
            s.c.score,
            s.c.level,
            s.c.covid_score,
            v.label.label("checklist_label"),
            func.coalesce(actions.c.open_actions, 0).label("open_actions"),
            func.coalesce(actions.c.overdue_actions, 0).label("overdue_actions"),
        )
        .select_from(f)
        .join(d, d.code == f.district_code)
        .outerjoin(s, s.c.facility_id == f.id)
        .outerjoin(a, a.id == s.c.audit_id)
        .outerjoin(v, v.id == a.checklist_version_id)
        .outerjoin(actions, actions.c.facility_id == f.id)
        .where(*_facility_conditions(district, kinds, f))
    )
    table = query_frame(session, query, FACILITY_COLUMNS)
    table["audited_at"] = _utc_times(table["audited_at"])
    # The command's calendar day of each audit, a column at a time (a province has ~5,000).
    local = table["audited_at"].dt.tz_convert(command_zone()).dt.tz_localize(None)
    audited = local.notna()
    table["last_audit_day"] = local.dt.date.astype("object").where(audited, None)
    table["days_since_audit"] = (
        (pd.Timestamp(today) - local.dt.normalize()).dt.days.astype("Int64").where(audited)
    )
    table["audit_status"] = [
        audit_status(day, today, interval) for day in table["last_audit_day"].tolist()
    ]
    _scores(table)
    table["open_actions"] = table["open_actions"].astype("int64")
    table["overdue_actions"] = table["overdue_actions"].astype("int64")
    table["never"] = table["audit_status"] == "never"
    table = table.sort_values(
        ["never", "score", "code"], ascending=[False, True, True], na_position="first"
    )
    return table.drop(columns="never").reset_index(drop=True)


COMPLIANCE_COLUMNS = [
    "facility_id",
    "component",
    "achieved",
    "possible",
    "items_pass",
    "items_partial",
    "items_fail",
    "items_na",
]


@reaches("audits", "places")
def list_component_compliance(
    *,
    session: Session,
    district: str | None = None,
    kinds: tuple[str, ...] = (),
    facility_ids: tuple[int, ...] = (),
    at: datetime | None = None,
) -> pd.DataFrame:
    """Per facility and checklist component, compliance (0-100) in the facility's latest audit
    (held by `at`; None: the latest of all), of the `facility_ids` only when given (the grid
    draws 50 facilities; a province has ~5,000 audited).

    Aggregated in SQL over the latest audits' item results; `compliance` is NaN where no
    item of the component applied.
    """
    s, r, i, f = (
        _audit_state(session, at),
        settings_at(session, models.AuditItemResult, at),
        models.ChecklistItem,
        settings_at(session, models.Facility, at),
    )
    applicable = r.result != "na"
    value = case(RESULT_VALUE, value=r.result, else_=0.0)
    query = (
        select(
            s.c.facility_id,
            i.component,
            func.sum(case((applicable, i.weight * value), else_=0.0)).label("achieved"),
            func.sum(case((applicable, i.weight), else_=0.0)).label("possible"),
            func.count().filter(r.result == "pass").label("items_pass"),
            func.count().filter(r.result == "partial").label("items_partial"),
            func.count().filter(r.result == "fail").label("items_fail"),
            func.count().filter(r.result == "na").label("items_na"),
        )
        .select_from(s)
        .join(f, f.id == s.c.facility_id)
        .join(r, r.audit_id == s.c.audit_id)
        .join(i, i.id == r.item_id)
        .where(
            *_facility_conditions(district, kinds, f),
            *([s.c.facility_id.in_(facility_ids)] if facility_ids else []),
        )
        .group_by(s.c.facility_id, i.component)
        # In a fixed order: PostgreSQL returns groups in whatever order its plan makes them.
        .order_by(s.c.facility_id, i.component)
    )
    table = query_frame(session, query, COMPLIANCE_COLUMNS)
    table["achieved"] = table["achieved"].astype("float64")
    table["possible"] = table["possible"].astype("float64")
    table["compliance"] = pd.Series(
        [
            compliance_percent(achieved, possible)
            for achieved, possible in zip(table["achieved"], table["possible"], strict=True)
        ],
        index=table.index,
        dtype="float64",
    )
    return table


FINDING_COLUMNS = [
    "finding_id",
    "audit_id",
    "facility_id",
    "facility_zh",
    "facility_en",
    "kind",
    "district_code",
    "district_zh",
    "district_en",
    "audited_at",
    "item_code",
    "component",
    "finding_zh",
    "finding_en",
    "action_zh",
    "action_en",
    "owner",
    "due_date",
    "closed_date",
    "status",
]


@reaches("audits", "places")
def list_findings(
    *,
    session: Session,
    today: date,
    district: str | None = None,
    kinds: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    audit_id: int | None = None,
    at: datetime | None = None,
) -> pd.DataFrame:
    """Findings with their corrective actions and status on `today`: overdue first, then open.

    Only findings of audits held by `at` (a moment of `today`; None: all) at the facilities
    the page lists. `statuses` picks among overdue / open / closed (empty: all);
    `days_overdue` is 0 unless the action is overdue.
    """
    # Actions and facilities as set by `at`: a closing, a new owner or due date, a facility
    # closed after it are not known yet.
    finding = settings_at(session, models.AuditFinding, at)
    f, d = settings_at(session, models.Facility, at), models.District
    a, i = settings_at(session, models.Audit, at), models.ChecklistItem
    unknown = sorted(set(statuses) - set(ACTION_STATUSES))
    if unknown:
        raise ValueError(f"unknown action statuses {unknown}")
    status = _action_status_column(today, finding)
    rank = case(
        (action_status_clause("overdue", today, finding), 0),
        (action_status_clause("open", today, finding), 1),
        else_=2,
    )
    conditions = [*_facility_conditions(district, kinds, f), *_held_by(at, a)]
    if statuses:
        conditions.append(or_(*(action_status_clause(name, today, finding) for name in statuses)))
    if audit_id is not None:
        conditions.append(finding.audit_id == audit_id)
    query = (
        select(
            finding.id.label("finding_id"),
            finding.audit_id,
            finding.facility_id,
            f.name_zh.label("facility_zh"),
            f.name_en.label("facility_en"),
            f.kind,
            f.district_code,
            d.name_zh.label("district_zh"),
            d.name_en.label("district_en"),
            a.audited_at,
            i.code.label("item_code"),
            i.component,
            finding.finding_zh,
            finding.finding_en,
            finding.action_zh,
            finding.action_en,
            finding.owner,
            finding.due_date,
            finding.closed_date,
            status.label("status"),
        )
        .select_from(finding)
        .join(f, f.id == finding.facility_id)
        .join(d, d.code == f.district_code)
        .join(a, a.id == finding.audit_id)
        .outerjoin(i, i.id == finding.item_id)
        .where(*conditions)
        .order_by(rank, finding.due_date, finding.id)
    )
    table = query_frame(session, query, FINDING_COLUMNS)
    table["audited_at"] = _utc_times(table["audited_at"])
    table["days_overdue"] = pd.Series(
        [
            days_overdue(due, closed if isinstance(closed, date) else None, today)
            for due, closed in zip(table["due_date"], table["closed_date"], strict=True)
        ],
        index=table.index,
        dtype="int64",
    )
    # An action closed after `today` was still open then: a replay must not show its closure.
    table["closed_date"] = pd.Series(
        [
            closed if isinstance(closed, date) and closed <= today else None
            for closed in table["closed_date"]
        ],
        index=table.index,
        dtype="object",
    )
    return table


AUDIT_COLUMNS = [
    "audit_id",
    "audited_at",
    "auditor",
    "score",
    "level",
    "covid_score",
    "checklist_label",
]


def _scores(table: pd.DataFrame) -> None:
    """IPCAF and COVID scores as floats; an audit not scored has no IPCAF score (NaN)."""
    table["score"] = table["score"].astype("float64").where(table["level"] != NOT_SCORED)
    table["covid_score"] = table["covid_score"].astype("float64")


@reaches("audits", "places")
def list_facility_audits(
    *, session: Session, facility_id: int, at: datetime | None = None
) -> pd.DataFrame:
    """One facility's audits (held by `at`; None: all) in time order, with score, level and
    checklist version."""
    a, v = settings_at(session, models.Audit, at), models.ChecklistVersion
    query = (
        select(
            a.id.label("audit_id"),
            a.audited_at,
            a.auditor,
            a.score,
            a.level,
            a.covid_score,
            v.label.label("checklist_label"),
        )
        .join(v, v.id == a.checklist_version_id)
        .where(a.facility_id == facility_id, *_held_by(at, a))
        .order_by(a.audited_at, a.id)
    )
    table = query_frame(session, query, AUDIT_COLUMNS)
    table["audited_at"] = _utc_times(table["audited_at"])
    _scores(table)
    return table


ITEM_COLUMNS = [
    "item_id",
    "component",
    "code",
    "text_zh",
    "text_en",
    "weight",
    "position",
    "result",
    "note",
]


@reaches("audits", "places")
def list_audit_items(
    *, session: Session, audit_id: int, at: datetime | None = None
) -> pd.DataFrame:
    """Every item of the audit's checklist version with its result and note (None if
    unrecorded), as recorded by `at` (a correction after it not yet made; None: now)."""
    a, i = models.Audit, models.ChecklistItem
    r = settings_at(session, models.AuditItemResult, at)
    query = (
        select(
            i.id.label("item_id"),
            i.component,
            i.code,
            i.text_zh,
            i.text_en,
            i.weight,
            i.position,
            r.result,
            r.note,
        )
        .select_from(a)
        .join(i, i.version_id == a.checklist_version_id)
        .outerjoin(r, and_(r.audit_id == a.id, r.item_id == i.id))
        .where(a.id == audit_id)
        .order_by(i.position, i.code)
    )
    return query_frame(session, query, ITEM_COLUMNS)


@reaches("audits", "places")
def get_finding(*, session: Session, finding_id: int) -> dict | None:
    """A finding's corrective action as stored, with its version (for the closing form)."""
    finding = session.get(models.AuditFinding, finding_id)
    return None if finding is None else finding.model_dump()


CHECKLIST_ITEM_COLUMNS = ["item_id", "component", "code", "text_zh", "text_en", "position"]


@reaches("audits", "places")
def get_checklist_in_force(*, session: Session, day: date) -> tuple[int, str, pd.DataFrame] | None:
    """The checklist version in force on `day` (the first one for earlier days): its id,
    label and items in order; None when no checklist is loaded."""
    v, i = models.ChecklistVersion, models.ChecklistItem
    version = (
        session.execute(
            select(v.id, v.label).where(v.effective_from <= day).order_by(v.effective_from.desc())
        ).first()
        or session.execute(select(v.id, v.label).order_by(v.effective_from)).first()
    )
    if version is None:
        return None
    query = (
        select(
            *(getattr(i, "id" if name == "item_id" else name) for name in CHECKLIST_ITEM_COLUMNS)
        )
        .where(i.version_id == version.id)
        .order_by(i.position, i.code)
    )
    items = pd.DataFrame(session.execute(query).all(), columns=CHECKLIST_ITEM_COLUMNS)
    return int(version.id), str(version.label), items
