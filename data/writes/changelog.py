"""The change log and the database-wide change counter that live screens compare."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel

from data import models
from data.timeutil import utc_now
from data.writes.actor import Actor

# The `effective_at` of a change that alters no figure at any moment (data.models).
ALTERS_NO_FIGURES = models.ALTERS_NO_FIGURES


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


# Secrets never reach the change log, whatever record is logged: password hashes, hashes of
# session and screen tokens (the tokens themselves are never stored at all).
NEVER_LOGGED = frozenset({"password_hash", "token_hash", "password"})


def as_json(value: SQLModel | dict | None) -> str | None:
    """A record (or a summary) as the JSON the change log keeps, without secrets."""
    if value is None:
        return None
    data = value.model_dump() if isinstance(value, SQLModel) else value
    data = {name: item for name, item in data.items() if name not in NEVER_LOGGED}
    return json.dumps(data, default=_json_default, ensure_ascii=False)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def record_key(record: SQLModel) -> str:
    """A record's primary key as the change log writes it (parts joined by '/')."""
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
    districts: Iterable[str] | None = None,
    effective_at: datetime | None = None,
) -> models.ChangeLog:
    """Raise the change counter and write the change-log row for one change: `effective_at`
    is the earliest moment whose figures it can alter (None: any moment)."""
    counter = bump_change_counter(session)
    entry = models.ChangeLog(
        changed_at=utc_now(),
        user_id=actor.user_id,
        actor=actor.name,
        table_name=table_name,
        record_key=record_key[:60],
        action=action,
        before_json=before,
        after_json=after,
        counter=counter,
        districts=_joined(districts),
        effective_at=effective_at,
    )
    session.add(entry)
    return entry


def _joined(districts: Iterable[str] | None) -> str | None:
    codes = sorted({code for code in districts or () if code})
    return ",".join(codes)[:80] or None


# Fields that name a facility, whose district a change is in.
_FACILITY_FIELDS = ("site_id", "hotel_id", "location_id", "facility_id")


def districts_of(session: Session, record: SQLModel) -> list[str]:
    """The district a record is in: its own, or its facility's."""
    own = getattr(record, "district_code", None)
    if own:
        return [own]
    for name in _FACILITY_FIELDS:
        facility_id = getattr(record, name, None)
        if facility_id is not None:
            facility = session.get(models.Facility, facility_id)
            return [facility.district_code] if facility is not None else []
    return []


def log_record(
    session: Session,
    actor: Actor,
    record: SQLModel,
    action: str,
    *,
    before: str | None,
    effective_at: datetime | None = None,
) -> None:
    """The change-log row of one record written by a form or a single report."""
    log_change(
        session,
        actor=actor,
        table_name=record.__tablename__,
        record_key=record_key(record),
        action=action,
        before=before,
        after=as_json(record),
        districts=districts_of(session, record),
        effective_at=effective_at,
    )


def log_batch(
    session: Session,
    *,
    actor: Actor,
    table_name: str,
    ids: list[int] | None = None,
    summary: dict[str, Any] | None = None,
    action: str = "insert",
    districts: Iterable[str] | None = None,
    runs: list[list[int]] | None = None,
    effective_at: datetime | None = None,
) -> models.ChangeLog:
    """One change-log row for a batch of inserted rows: how many, and their id range.

    The rows are given as `ids` or as `runs` of consecutive ids ([first, last]); when a
    batch's ids are not one run (on PostgreSQL another writer took ids in between) the runs
    are logged too, so that the batch lists exactly its own rows."""
    if runs is None:
        runs = [[new_id, new_id] for new_id in sorted(ids or ())]
        merged: list[list[int]] = []
        for first_id, last_id in runs:
            if merged and merged[-1][1] + 1 == first_id:
                merged[-1][1] = last_id
            else:
                merged.append([first_id, last_id])
        runs = merged
    count = sum(last_id - first_id + 1 for first_id, last_id in runs)
    first = min((run[0] for run in runs), default=None)
    last = max((run[1] for run in runs), default=None)
    detail: dict[str, Any] = {"rows": count, "first_id": first, "last_id": last}
    if len(runs) > 1:
        detail["runs"] = sorted(runs)
    detail.update(summary or {})
    return log_change(
        session,
        actor=actor,
        table_name=table_name,
        record_key=f"{first}..{last}" if count else "-",
        action=action,
        before=None,
        after=as_json(detail),
        districts=districts,
        effective_at=effective_at,
    )


def log_updates(
    session: Session,
    *,
    actor: Actor,
    table_name: str,
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
    batch: models.ChangeLog,
) -> None:
    """The change-log rows of records a batch replaced (before, after), pointing at the
    batch's own row: they share its change counter and time, and are written in bulk."""
    session.flush()  # the batch's row has its id
    rows = [
        {
            "changed_at": batch.changed_at,
            "user_id": actor.user_id,
            "actor": actor.name,
            "table_name": table_name,
            "record_key": str(after.get("id", "-"))[:60],
            "action": "update",
            "before_json": as_json(before),
            "after_json": as_json(after),
            "counter": batch.counter,
            "batch_id": batch.id,
            "districts": batch.districts,
            "effective_at": batch.effective_at,
        }
        for before, after in pairs
    ]
    for start in range(0, len(rows), 5_000):
        session.execute(insert(models.ChangeLog), rows[start : start + 5_000])


def log_inserted(
    session: Session,
    *,
    actor: Actor,
    model: type[SQLModel],
    ids: list[int],
    summary: dict[str, Any] | None = None,
    districts: Iterable[str] | None = None,
    runs: list[list[int]] | None = None,
    effective_at: datetime | None = None,
) -> None:
    """Log new records: one with its values (a form save), many as one batch row (given as
    `ids` or as `runs` of consecutive ids); `effective_at` as for log_change."""
    if runs is not None and not ids:
        count = sum(last - first + 1 for first, last in runs)
        if count == 1:
            ids = [runs[0][0]]
    if len(ids) == 1:
        record = session.get(model, ids[0])
        log_record(session, actor, record, "insert", before=None, effective_at=effective_at)
    elif ids or runs:
        log_batch(
            session,
            actor=actor,
            table_name=model.__tablename__,
            ids=ids or None,
            runs=None if ids else runs,
            summary=summary,
            districts=districts,
            effective_at=effective_at,
        )
