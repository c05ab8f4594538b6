"""The one write path: authorise, validate, check the version, write, log, bump, commit.

Pages, the command line and imports all write through these functions; nothing else in the
project calls `session.commit()` on user data. Each change writes exactly one change-log row
in the same transaction, and raises the database-wide change counter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlmodel import Session, SQLModel, select

from data import models
from data.rollups import apply_audit, apply_hotel_report, apply_site_report, apply_stock_report
from data.timeutil import utc_now

WRITE_ROLES = frozenset({"duty_officer", "auditor", "admin"})


@dataclass(frozen=True)
class Actor:
    """Who is writing: a signed-in user, or a system process such as the demo seeder."""

    name: str
    role: str
    user_id: int | None = None
    district_codes: frozenset[str] = field(default_factory=frozenset)


SYSTEM = Actor(name="system", role="admin")


class WriteError(Exception):
    """A write that was refused; `message_zh` / `message_en` say why, for the user."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh


class PermissionDenied(WriteError):
    """The actor may not write this record."""


class StaleEdit(WriteError):
    """Someone else changed the record since the editor read it."""


class InvalidRecord(WriteError):
    """The values do not make a valid record."""


def authorize(actor: Actor, district_code: str | None) -> None:
    """Refuse writes by read-only roles, and by duty officers outside their districts."""
    if actor.role not in WRITE_ROLES:
        raise PermissionDenied(
            f"{actor.name} ({actor.role}) may not change data",
            f"{actor.name}（{actor.role}）没有修改数据的权限",
        )
    if actor.role == "duty_officer" and district_code not in actor.district_codes:
        raise PermissionDenied(
            f"{actor.name} may not change data of district {district_code}",
            f"{actor.name} 无权修改 {district_code} 区的数据",
        )


def bump_change_counter(session: Session) -> int:
    """Raise the database-wide change counter by one and return its new value."""
    session.execute(
        update(models.ChangeCounter)
        .where(models.ChangeCounter.id == 1)
        .values(value=models.ChangeCounter.value + 1, changed_at=utc_now())
    )
    counter = session.get(models.ChangeCounter, 1, populate_existing=True)
    if counter is None:
        counter = models.ChangeCounter(id=1, value=1, changed_at=utc_now())
        session.add(counter)
        session.flush()
    return counter.value


def _as_json(record: SQLModel | None) -> str | None:
    if record is None:
        return None
    return json.dumps(record.model_dump(), default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _record_key(record: SQLModel) -> str:
    mapper = record.__mapper__
    return "/".join(str(getattr(record, column.key)) for column in mapper.primary_key)


def log_change(
    session: Session,
    *,
    actor: Actor,
    table_name: str,
    record_key: str,
    action: str,
    before: str | None,
    after: str | None,
) -> models.ChangeLog:
    """Raise the change counter and write the change-log row for one change."""
    counter = bump_change_counter(session)
    entry = models.ChangeLog(
        changed_at=utc_now(),
        user_id=actor.user_id,
        actor=actor.name,
        table_name=table_name,
        record_key=record_key,
        action=action,
        before_json=before,
        after_json=after,
        counter=counter,
    )
    session.add(entry)
    return entry


def _validated(model: type[SQLModel], values: dict[str, Any]) -> SQLModel:
    """A model instance from values, validated by its field declarations."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        raise InvalidRecord(
            f"invalid {model.__tablename__}: {problems}",
            f"{model.__tablename__} 数据无效：{problems}",
        ) from error


def _district_of(session: Session, record: SQLModel) -> str | None:
    if hasattr(record, "district_code"):
        return record.district_code
    for attribute in ("site_id", "hotel_id", "location_id", "facility_id"):
        facility_id = getattr(record, attribute, None)
        if facility_id is not None:
            facility = session.get(models.Facility, facility_id)
            if facility is None:
                raise InvalidRecord(
                    f"facility {facility_id} does not exist", f"设施 {facility_id} 不存在"
                )
            return facility.district_code
    return None


def _commit(session: Session) -> None:
    try:
        session.commit()
    except Exception:
        session.rollback()
        raise


def save_record(
    session: Session,
    *,
    actor: Actor,
    model: type[SQLModel],
    values: dict[str, Any],
    key: Any = None,
    expected_version: int | None = None,
) -> SQLModel:
    """Create (key None) or update an editable record, refusing stale edits; commits."""
    if key is None:
        record = _validated(model, values)
        authorize(actor, _district_of(session, record))
        record.version = 1
        session.add(record)
        session.flush()
        log_change(
            session,
            actor=actor,
            table_name=model.__tablename__,
            record_key=_record_key(record),
            action="insert",
            before=None,
            after=_as_json(record),
        )
        _commit(session)
        session.refresh(record)
        return record

    record = session.get(model, key, with_for_update=True)
    if record is None:
        raise InvalidRecord(
            f"{model.__tablename__} {key} does not exist", f"{model.__tablename__} {key} 不存在"
        )
    authorize(actor, _district_of(session, record))
    if expected_version is None or record.version != expected_version:
        session.rollback()
        raise StaleEdit(
            f"{model.__tablename__} {key} was changed by someone else (now version "
            f"{record.version}, you edited version {expected_version}); reload and try again",
            f"{model.__tablename__} {key} 已被他人修改（当前版本 {record.version}，"
            f"你编辑的是版本 {expected_version}），请刷新后重试",
        )
    before = _as_json(record)
    merged = _validated(model, {**record.model_dump(), **values})
    for name, value in merged.model_dump().items():
        setattr(record, name, value)
    authorize(actor, _district_of(session, record))
    record.version = expected_version + 1
    session.flush()
    log_change(
        session,
        actor=actor,
        table_name=model.__tablename__,
        record_key=_record_key(record),
        action="update",
        before=before,
        after=_as_json(record),
    )
    _commit(session)
    session.refresh(record)
    return record


def record_site_report(
    session: Session, *, actor: Actor, values: dict[str, Any]
) -> models.TestingSiteReport:
    """Add a testing-site report and fold it into the site state and hourly totals."""
    report = _validated(models.TestingSiteReport, values)
    district = _district_of(session, report)
    authorize(actor, district)
    session.add(report)
    session.flush()
    apply_site_report(session, report, district)
    _log_insert(session, actor, report)
    return report


def record_hotel_report(
    session: Session, *, actor: Actor, values: dict[str, Any]
) -> models.HotelReport:
    """Add a quarantine-hotel report and fold it into the hotel's state and daily row."""
    report = _validated(models.HotelReport, values)
    if report.rooms_occupied + report.rooms_cleaning > report.rooms_total:
        raise InvalidRecord(
            f"occupied ({report.rooms_occupied}) plus cleaning ({report.rooms_cleaning}) rooms "
            f"exceed the {report.rooms_total} rooms in total",
            f"在住（{report.rooms_occupied}）加清洁中（{report.rooms_cleaning}）房间"
            f"超过总房间数 {report.rooms_total}",
        )
    authorize(actor, _district_of(session, report))
    session.add(report)
    session.flush()
    apply_hotel_report(session, report)
    _log_insert(session, actor, report)
    return report


def record_stock_report(
    session: Session, *, actor: Actor, values: dict[str, Any]
) -> models.StockReport:
    """Add a stock count and fold it into the stock line's state and daily row."""
    report = _validated(models.StockReport, values)
    for name in ("on_hand", "consumed", "received", "on_order"):
        if getattr(report, name) < 0:
            raise InvalidRecord(
                f"{name} cannot be negative ({getattr(report, name)})",
                f"{name} 不能为负数（{getattr(report, name)}）",
            )
    authorize(actor, _district_of(session, report))
    session.add(report)
    session.flush()
    apply_stock_report(session, report)
    _log_insert(session, actor, report)
    return report


def record_audit(
    session: Session,
    *,
    actor: Actor,
    values: dict[str, Any],
    results: dict[int, tuple[str, str | None]],
    findings: list[dict[str, Any]] = (),
) -> models.Audit:
    """Add an audit with its item results and findings; the score is computed, not typed."""
    from data.measures.audits import audit_level, audit_score

    items = {
        item.id: item
        for item in session.exec(
            select(models.ChecklistItem).where(
                models.ChecklistItem.version_id == values.get("checklist_version_id")
            )
        )
    }
    unknown = sorted(set(results) - set(items))
    if not items or unknown:
        raise InvalidRecord(
            f"items {unknown} are not in checklist version {values.get('checklist_version_id')}",
            f"检查项 {unknown} 不属于检查表版本 {values.get('checklist_version_id')}",
        )
    score = audit_score([(items[i].weight, result) for i, (result, _) in results.items()])
    audit = _validated(
        models.Audit, {**values, "score": score, "level": audit_level(score), "version": 1}
    )
    authorize(actor, _district_of(session, audit))
    session.add(audit)
    session.flush()
    for item_id, (result, note) in results.items():
        session.add(
            _validated(
                models.AuditItemResult,
                {
                    "audit_id": audit.id,
                    "item_id": item_id,
                    "result": result,
                    "note": note,
                },
            )
        )
    for finding in findings:
        session.add(
            _validated(
                models.AuditFinding,
                {
                    **finding,
                    "audit_id": audit.id,
                    "facility_id": audit.facility_id,
                    "version": 1,
                },
            )
        )
    session.flush()
    apply_audit(session, audit)
    _log_insert(session, actor, audit)
    return audit


def _log_insert(session: Session, actor: Actor, record: SQLModel) -> None:
    log_change(
        session,
        actor=actor,
        table_name=record.__tablename__,
        record_key=_record_key(record),
        action="insert",
        before=None,
        after=_as_json(record),
    )
    _commit(session)
    session.refresh(record)


def log_bulk_load(
    session: Session,
    *,
    actor: Actor,
    description: str,
    summary: dict,
    action: str = "insert",
) -> None:
    """Record a bulk change (seed, import, clearing) as one change-log row, and commit it."""
    detail = json.dumps(summary, ensure_ascii=False, default=_json_default)
    log_change(
        session,
        actor=actor,
        table_name="*",
        record_key=description,
        action=action,
        before=detail if action == "delete" else None,
        after=None if action == "delete" else detail,
    )
    _commit(session)
