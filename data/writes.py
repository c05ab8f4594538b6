"""The one write path: authorise, validate, check the version, write, log, bump, commit.

Pages, the command line and imports all write through these functions; nothing else in the
project calls `session.commit()` on user data. Each change writes exactly one change-log row
in the same transaction, and raises the database-wide change counter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, StatementError
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


@contextmanager
def _unit_of_work(session: Session) -> Iterator[None]:
    """Commit what the block wrote, or roll all of it back; database refusals become
    InvalidRecord with the database's reason, so callers see one kind of error."""
    try:
        yield
        session.commit()
    except WriteError:
        session.rollback()
        raise
    except (IntegrityError, StatementError) as error:
        session.rollback()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise InvalidRecord(
            f"the database refused the record: {reason}", f"数据库拒绝了该记录：{reason}"
        ) from error
    except Exception:
        session.rollback()  # nothing half-written stays in the session
        raise


def _require_kind(facility: models.Facility | None, kinds: tuple[str, ...], what: str) -> None:
    if facility is None or facility.kind not in kinds:
        found = "none" if facility is None else facility.kind
        raise InvalidRecord(
            f"{what} must be reported by a {' or '.join(kinds)} (facility is {found})",
            f"{what}只能由以下类型的设施上报：{'、'.join(kinds)}（该设施为 {found}）",
        )


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
        with _unit_of_work(session):
            record = _validated(model, values)
            authorize(actor, _district_of(session, record))
            record.version = 1
            session.add(record)
            session.flush()
            _log_record(session, actor, record, "insert", before=None)
        session.refresh(record)
        return record

    with _unit_of_work(session):
        # populate_existing: a record this session read earlier is read again, so the
        # version compared is the one in the database now.
        record = session.get(model, key, with_for_update=True, populate_existing=True)
        if record is None:
            raise InvalidRecord(
                f"{model.__tablename__} {key} does not exist",
                f"{model.__tablename__} {key} 不存在",
            )
        authorize(actor, _district_of(session, record))
        _refuse_stale(session, model, key, record.version, expected_version)
        before = _as_json(record)
        fixed = {column.key for column in record.__mapper__.primary_key} | {"version"}
        changes = {name: value for name, value in values.items() if name not in fixed}
        merged = _validated(model, {**record.model_dump(), **changes})
        for name, value in merged.model_dump().items():
            if name not in fixed:
                setattr(record, name, value)
        authorize(actor, _district_of(session, record))
        record.version = expected_version + 1
        session.flush()
        _log_record(session, actor, record, "update", before=before)
    session.refresh(record)
    return record


def _refuse_stale(
    session: Session, model: type[SQLModel], key: Any, current: int, expected: int | None
) -> None:
    """Raise the version in the database from `expected`, or refuse: someone was faster.

    The guarded UPDATE is atomic on both backends, so two editors of the same version cannot
    both succeed, even when they read it at the same moment.
    """
    primary_key = model.__mapper__.primary_key[0]
    raised = 0
    if expected is not None:
        raised = session.execute(
            update(model)
            .where(primary_key == key, model.version == expected)
            .values(version=expected + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
    if raised != 1:
        raise StaleEdit(
            f"{model.__tablename__} {key} was changed by someone else (now version "
            f"{current}, you edited version {expected}); reload and try again",
            f"{model.__tablename__} {key} 已被他人修改（当前版本 {current}，"
            f"你编辑的是版本 {expected}），请刷新后重试",
        )


def _log_record(
    session: Session, actor: Actor, record: SQLModel, action: str, *, before: str | None
) -> None:
    log_change(
        session,
        actor=actor,
        table_name=record.__tablename__,
        record_key=_record_key(record),
        action=action,
        before=before,
        after=_as_json(record),
    )


AUDITABLE_KINDS = ("designated_hospital", "general_hospital", "fever_clinic", "quarantine_hotel")


def record_site_report(
    session: Session, *, actor: Actor, values: dict[str, Any]
) -> models.TestingSiteReport:
    """Add a testing-site report and fold it into the site state and hourly totals."""
    with _unit_of_work(session):
        report = _validated(models.TestingSiteReport, values)
        site = session.get(models.Facility, report.site_id)
        _require_kind(site, ("testing_site",), "testing reports / 核酸采样报告")
        authorize(actor, site.district_code)
        if report.round_id is not None:
            testing_round = session.get(models.TestingRound, report.round_id)
            if testing_round is None or testing_round.district_code != site.district_code:
                raise InvalidRecord(
                    f"round {report.round_id} is not a round of the site's district "
                    f"{site.district_code}",
                    f"轮次 {report.round_id} 不属于该采样点所在的 {site.district_code} 区",
                )
        if report.positive > report.resulted:
            raise InvalidRecord(
                f"positive ({report.positive}) exceeds results out ({report.resulted})",
                f"阳性数（{report.positive}）超过出结果数（{report.resulted}）",
            )
        session.add(report)
        session.flush()
        apply_site_report(session, report, site.district_code)
        _log_record(session, actor, report, "insert", before=None)
    session.refresh(report)
    return report


def record_hotel_report(
    session: Session, *, actor: Actor, values: dict[str, Any]
) -> models.HotelReport:
    """Add a quarantine-hotel report and fold it into the hotel's state and daily row."""
    with _unit_of_work(session):
        report = _validated(models.HotelReport, values)
        hotel = session.get(models.Facility, report.hotel_id)
        _require_kind(hotel, ("quarantine_hotel",), "hotel reports / 隔离酒店报告")
        if report.rooms_occupied + report.rooms_cleaning > report.rooms_total:
            raise InvalidRecord(
                f"occupied ({report.rooms_occupied}) plus cleaning ({report.rooms_cleaning}) "
                f"rooms exceed the {report.rooms_total} rooms in total",
                f"在住（{report.rooms_occupied}）加清洁中（{report.rooms_cleaning}）房间"
                f"超过总房间数 {report.rooms_total}",
            )
        by_cohort = (
            report.occupied_inbound
            + report.occupied_close_contact
            + report.occupied_secondary_contact
        )
        if by_cohort > report.rooms_occupied:
            raise InvalidRecord(
                f"occupancy by cohort ({by_cohort}) exceeds the {report.rooms_occupied} "
                "rooms occupied",
                f"各类人员在住合计（{by_cohort}）超过在住房间数 {report.rooms_occupied}",
            )
        authorize(actor, hotel.district_code)
        session.add(report)
        session.flush()
        apply_hotel_report(session, report)
        _log_record(session, actor, report, "insert", before=None)
    session.refresh(report)
    return report


def record_stock_report(
    session: Session, *, actor: Actor, values: dict[str, Any]
) -> models.StockReport:
    """Add a stock count and fold it into the stock line's state and daily row."""
    with _unit_of_work(session):
        report = _validated(models.StockReport, values)
        for name in ("on_hand", "consumed", "received", "on_order"):
            if getattr(report, name) < 0:
                raise InvalidRecord(
                    f"{name} cannot be negative ({getattr(report, name)})",
                    f"{name} 不能为负数（{getattr(report, name)}）",
                )
        authorize(actor, _district_of(session, report))
        if session.get(models.SupplyItem, report.item_id) is None:
            raise InvalidRecord(
                f"supply item {report.item_id} does not exist", f"物资 {report.item_id} 不存在"
            )
        session.add(report)
        session.flush()
        apply_stock_report(session, report)
        _log_record(session, actor, report, "insert", before=None)
    session.refresh(report)
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

    with _unit_of_work(session):
        facility = session.get(models.Facility, values.get("facility_id"))
        _require_kind(facility, AUDITABLE_KINDS, "audits / 院感督查")
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
            version = values.get("checklist_version_id")
            raise InvalidRecord(
                f"items {unknown} are not in checklist version {version}",
                f"检查项 {unknown} 不属于检查表版本 {version}",
            )
        score = audit_score([(items[i].weight, result) for i, (result, _) in results.items()])
        audit = _validated(
            models.Audit, {**values, "score": score, "level": audit_level(score), "version": 1}
        )
        authorize(actor, facility.district_code)
        session.add(audit)
        session.flush()
        for item_id, (result, note) in results.items():
            row = {"audit_id": audit.id, "item_id": item_id, "result": result, "note": note}
            session.add(_validated(models.AuditItemResult, row))
        for finding in findings:
            row = {**finding, "audit_id": audit.id, "facility_id": audit.facility_id}
            session.add(_validated(models.AuditFinding, {**row, "version": 1}))
        session.flush()
        apply_audit(session, audit)
        _log_record(session, actor, audit, "insert", before=None)
    session.refresh(audit)
    return audit


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
    with _unit_of_work(session):
        log_change(
            session,
            actor=actor,
            table_name="*",
            record_key=description,
            action=action,
            before=detail if action == "delete" else None,
            after=None if action == "delete" else detail,
        )
