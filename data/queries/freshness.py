"""How fresh each source of figures is at a moment: last report, by whom, stale reporters.

One summary row per source (data.measures.freshness.SOURCES) and, for the expander, the
stale reporters of a source. Every count is aggregated in SQL over the point-in-time state
tables (data.queries.asof): no report history is read into pandas. A reporter's interval is
its facility's `report_interval_minutes` (testing sites, hotels; facilities share a few
distinct intervals, so the staleness test is one SQL condition per interval, `reported
before T - interval`, the same on SQLite and PostgreSQL), or the source's fixed interval
(stock, audits, cases; data.measures.freshness).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    FromClause,
    and_,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
)
from sqlmodel import Session

from data import models
from data.codes import AUDITABLE_KINDS
from data.measures.audits import AUDIT_INTERVAL_DAYS
from data.measures.freshness import (
    AUDIT_INTERVAL_MINUTES,
    CASE_REPORT_INTERVAL_MINUTES,
    SOURCE_PAGES,
    SOURCES,
    STOCK_COUNT_INTERVAL_MINUTES,
)
from data.queries.asof import (
    audit_state_at,
    hotel_state_at,
    settings_at,
    site_state_at,
    stock_state_at,
)
from data.queries.cases import in_hospital_on
from data.queries.common import shareable
from data.timeutil import as_utc, day_start_utc, local_day

# The change-log tables whose rows are a source's reports (for "by whom").
SOURCE_TABLES: dict[str, tuple[str, ...]] = {
    "testing_sites": ("testingsitereport",),
    "hotels": ("hotelreport",),
    "stock": ("stockreport",),
    "audits": ("audit",),
    "cases": ("case", "casecontactreport"),
}
STALE_COLUMNS = [
    "reporter_id",
    "name_zh",
    "name_en",
    "district_code",
    "district_zh",
    "district_en",
    "last_reported_at",
    "interval_minutes",
]
# The expander lists this many stale reporters at most (the oldest first); the count is whole.
STALE_LIST_LIMIT = 50


@dataclass(frozen=True)
class SourceFreshness:
    """One source at a moment: its reporters, how many are stale, its latest report and who
    made it (None when nothing was reported by then)."""

    source: str
    page: str
    reporters: int
    stale: int
    last_reported_at: datetime | None
    last_by: str | None


def _latest_per_facility(session: Session, source: str, at: datetime) -> FromClause:
    """(facility_id, last_reported_at) of each reporter of a facility source, as of `at`."""
    if source == "testing_sites":
        s = site_state_at(session, at)
        return select(s.c.site_id.label("facility_id"), s.c.last_reported_at).subquery()
    if source == "hotels":
        s = hotel_state_at(session, at)
        return select(s.c.hotel_id.label("facility_id"), s.c.last_reported_at).subquery()
    s = stock_state_at(session, at)
    return (
        select(
            s.c.location_id.label("facility_id"),
            func.max(s.c.last_reported_at).label("last_reported_at"),
        )
        .group_by(s.c.location_id)
        .subquery()
    )


def _selectable(f: Any) -> FromClause:
    """The FROM clause of facilities `f` (the table, or its settings at a moment)."""
    return inspect(f).selectable


def _facility_reporters(source: str, f: Any) -> list[ColumnElement[bool]]:
    """Which facilities report to a source: active testing sites, active hotels; for stock,
    every location with a counted line (joined from the latest counts)."""
    if source == "testing_sites":
        return [f.kind == "testing_site", f.status == "active"]
    if source == "hotels":
        return [f.kind == "quarantine_hotel", f.status == "active"]
    return [f.status == "active"]


def _stale_clause(
    session: Session,
    source: str,
    last: ColumnElement,
    at: datetime,
    conditions: list[ColumnElement[bool]],
    f: Any,
) -> ColumnElement[bool]:
    """SQL: the reporter's latest report is missing or older than its interval at `at`."""
    if source == "stock":
        cutoff = at - timedelta(minutes=STOCK_COUNT_INTERVAL_MINUTES)
        return or_(last.is_(None), last < cutoff)
    intervals = session.execute(
        select(f.report_interval_minutes).where(*conditions).distinct()
    ).scalars()
    older = [
        and_(f.report_interval_minutes == minutes, last < at - timedelta(minutes=minutes))
        for minutes in sorted(intervals)
    ]
    return or_(last.is_(None), *older) if older else last.is_(None)


def _facility_query(session: Session, source: str, at: datetime):  # noqa: ANN202 - SQL parts
    f = settings_at(session, models.Facility, at)
    latest = _latest_per_facility(session, source, at)
    conditions = _facility_reporters(source, f)
    if source == "stock":
        # A stock location reports when it has a line counted by `at`.
        joined = _selectable(f).join(latest, latest.c.facility_id == f.id)
    else:
        joined = _selectable(f).outerjoin(latest, latest.c.facility_id == f.id)
    stale = _stale_clause(session, source, latest.c.last_reported_at, at, conditions, f)
    return joined, latest, conditions, stale


def _facility_summary(session: Session, source: str, at: datetime) -> tuple[int, int, object]:
    joined, latest, conditions, stale = _facility_query(session, source, at)
    row = session.execute(
        select(
            func.count(),
            func.count().filter(stale),
            func.max(latest.c.last_reported_at),
        )
        .select_from(joined)
        .where(*conditions)
    ).one()
    return int(row[0]), int(row[1]), row[2]


def _audit_summary(session: Session, at: datetime) -> tuple[int, int, object, str | None]:
    """Active auditable facilities; stale when never audited or due again (14 whole local
    days, as the audits page counts); the latest audit and its auditor."""
    f = settings_at(session, models.Facility, at)
    s, a = audit_state_at(session, at), models.Audit
    due_before = day_start_utc(local_day(at) - timedelta(days=AUDIT_INTERVAL_DAYS - 1))
    conditions = [f.kind.in_(AUDITABLE_KINDS), f.status == "active"]
    stale = or_(s.c.audited_at.is_(None), s.c.audited_at < due_before)
    row = session.execute(
        select(func.count(), func.count().filter(stale), func.max(s.c.audited_at))
        .select_from(f)
        .outerjoin(s, s.c.facility_id == f.id)
        .where(*conditions)
    ).one()
    auditor = session.execute(
        select(a.auditor)
        .where(a.audited_at <= at)
        .order_by(a.audited_at.desc(), a.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return int(row[0]), int(row[1]), row[2], auditor


def _case_districts(session: Session, today: date, at: datetime) -> FromClause:
    """Districts with a local case in hospital on `today` (status as set at `at`), and their
    latest contact report."""
    c, r = models.Case, models.CaseContactReport
    now_set = settings_at(session, models.Case, at)
    latest = (
        select(func.max(r.reported_at))
        .join(c, c.id == r.case_id)
        .where(r.reported_at <= at, c.district_code == models.District.code)
        .correlate(models.District)
        .scalar_subquery()
    )
    in_hospital = select(now_set.district_code).where(
        now_set.source == "local", in_hospital_on(today, now_set)
    )
    return (
        select(models.District.code.label("district_code"), latest.label("last_reported_at"))
        .where(models.District.code.in_(in_hospital))
        .subquery()
    )


def _case_stale(last: ColumnElement, at: datetime) -> ColumnElement[bool]:
    return or_(last.is_(None), last < at - timedelta(minutes=CASE_REPORT_INTERVAL_MINUTES))


def _case_summary(session: Session, at: datetime) -> tuple[int, int, object]:
    districts = _case_districts(session, local_day(at), at)
    row = session.execute(
        select(
            func.count(),
            func.count().filter(_case_stale(districts.c.last_reported_at, at)),
            func.max(districts.c.last_reported_at),
        ).select_from(districts)
    ).one()
    # The latest case record or contact report, even from a district no longer in hospital.
    latest = session.execute(
        select(func.max(models.CaseContactReport.reported_at)).where(
            models.CaseContactReport.reported_at <= at
        )
    ).scalar_one_or_none()
    return int(row[0]), int(row[1]), latest


def _last_actor(session: Session, source: str, at: datetime) -> str | None:
    """Who wrote the source's latest change-logged record by `at`."""
    log = models.ChangeLog
    return session.execute(
        select(log.actor)
        .where(log.table_name.in_(SOURCE_TABLES[source]), log.changed_at <= at)
        .order_by(log.changed_at.desc(), log.id.desc())
        .limit(1)
    ).scalar_one_or_none()


@shareable
def list_source_freshness(*, session: Session, at: datetime) -> list[SourceFreshness]:
    """Every source as of `at`, in SOURCES order (reads of the same database state share
    them: the Overview shows them, and its alerts count the stale sources)."""
    at = as_utc(at)
    rows = []
    for source in SOURCES:
        if source == "audits":
            reporters, stale, last, by = _audit_summary(session, at)
        else:
            if source == "cases":
                reporters, stale, last = _case_summary(session, at)
            else:
                reporters, stale, last = _facility_summary(session, source, at)
            by = _last_actor(session, source, at)
        rows.append(
            SourceFreshness(
                source=source,
                page=SOURCE_PAGES[source],
                reporters=reporters,
                stale=stale,
                last_reported_at=as_utc(last) if last is not None else None,
                last_by=by,
            )
        )
    return rows


def list_stale_reporters(
    *, session: Session, source: str, at: datetime, limit: int = STALE_LIST_LIMIT
) -> pd.DataFrame:
    """A source's stale reporters as of `at`, never-reported and oldest first (at most
    `limit`): name, district, latest report and expected interval."""
    at = as_utc(at)
    d = models.District
    if source == "cases":
        districts = _case_districts(session, local_day(at), at)
        query = (
            select(
                literal(None).label("reporter_id"),
                d.name_zh,
                d.name_en,
                d.code.label("district_code"),
                d.name_zh.label("district_zh"),
                d.name_en.label("district_en"),
                districts.c.last_reported_at,
                literal(CASE_REPORT_INTERVAL_MINUTES).label("interval_minutes"),
            )
            .select_from(districts)
            .join(d, d.code == districts.c.district_code)
            .where(_case_stale(districts.c.last_reported_at, at))
        )
        order = [districts.c.last_reported_at.is_not(None), districts.c.last_reported_at, d.code]
    else:
        f = settings_at(session, models.Facility, at)
        if source == "audits":
            s = audit_state_at(session, at)
            due_before = day_start_utc(local_day(at) - timedelta(days=AUDIT_INTERVAL_DAYS - 1))
            last = s.c.audited_at
            joined = _selectable(f).outerjoin(s, s.c.facility_id == f.id)
            conditions = [f.kind.in_(AUDITABLE_KINDS), f.status == "active"]
            stale = or_(last.is_(None), last < due_before)
            interval = literal(AUDIT_INTERVAL_MINUTES)
        elif source in ("testing_sites", "hotels", "stock"):
            joined, latest, conditions, stale = _facility_query(session, source, at)
            last, interval = latest.c.last_reported_at, f.report_interval_minutes
            if source == "stock":
                interval = literal(STOCK_COUNT_INTERVAL_MINUTES)
        else:
            raise ValueError(f"unknown source {source!r}")
        query = (
            select(
                f.id.label("reporter_id"),
                f.name_zh,
                f.name_en,
                f.district_code,
                d.name_zh.label("district_zh"),
                d.name_en.label("district_en"),
                last.label("last_reported_at"),
                interval.label("interval_minutes"),
            )
            .select_from(joined.join(d, d.code == f.district_code))
            .where(*conditions, stale if stale is not None else false())
        )
        order = [last.is_not(None), last, f.code]
    rows = session.execute(query.order_by(*order).limit(limit)).all()
    frame = pd.DataFrame(rows, columns=STALE_COLUMNS)
    frame["last_reported_at"] = pd.Series(
        [as_utc(moment) if pd.notna(moment) else None for moment in frame["last_reported_at"]],
        index=frame.index,
        dtype="object",
    )
    return frame
