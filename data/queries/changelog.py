"""The change log as its readers see it: who changed what, when, before -> after by field.

Filtered (user, kind of record, district, time) and paginated in SQL: the log can hold
millions of rows. Rows that a batch (an import) replaced are read only when the batch is
opened; its inserted records are read from their own table by the batch's id range (or
its runs of ids, when other writers took ids in between).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session

from data import models

PAGE_SIZE = 50
# Never shown as a change (bookkeeping of every record).
_QUIET = frozenset({"version"})


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the log to (None: everything)."""

    user: str | None = None
    table: str | None = None
    district: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _where(filters: Filters) -> list:
    c = models.ChangeLog
    conditions = [c.batch_id.is_(None)]
    if filters.user:
        conditions.append(c.actor == filters.user)
    if filters.table:
        conditions.append(c.table_name == filters.table)
    if filters.district:
        conditions.append(c.districts.like(f"%{filters.district}%"))
    if filters.since is not None:
        conditions.append(c.changed_at >= filters.since)
    if filters.until is not None:
        conditions.append(c.changed_at < filters.until)
    return conditions


def change_choices(*, session: Session) -> dict[str, list[str]]:
    """The users and kinds of record the log holds (for the filters)."""
    c = models.ChangeLog
    users = session.execute(select(c.actor).distinct().order_by(c.actor)).scalars().all()
    tables = session.execute(select(c.table_name).distinct().order_by(c.table_name)).scalars()
    return {"users": list(users), "tables": list(tables)}


def diff(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of each field that differs (every field of a new record)."""
    before, after = before or {}, after or {}
    names = [name for name in after if name not in _QUIET]
    names += [name for name in before if name not in after and name not in _QUIET]
    return [
        (name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    ]


def _entry(row: Any) -> dict[str, Any]:
    before = json.loads(row.before_json) if row.before_json else None
    after = json.loads(row.after_json) if row.after_json else None
    batch = row.record_key.find("..") > 0 or (after is not None and "rows" in after and not before)
    summary = after if batch else None
    return {
        "id": row.id,
        "changed_at": row.changed_at,
        "actor": row.actor,
        "table": row.table_name,
        "key": row.record_key,
        "action": row.action,
        "districts": row.districts.split(",") if row.districts else [],
        "batch": summary,
        "changes": [] if batch else diff(before, after),
    }


def change_page(
    *, session: Session, filters: Filters, page: int = 0, page_size: int = PAGE_SIZE
) -> tuple[int, list[dict[str, Any]]]:
    """(entries matching, the entries of one page, newest first)."""
    c = models.ChangeLog
    conditions = _where(filters)
    total = session.execute(select(func.count()).select_from(c).where(*conditions)).scalar_one()
    query = (
        select(c.__table__)
        .where(*conditions)
        .order_by(c.changed_at.desc(), c.id.desc())
        .offset(page * page_size)
        .limit(page_size)
    )
    return total, [_entry(row) for row in session.execute(query)]


def _model(table_name: str) -> type | None:
    for model in (
        models.TestingSiteReport,
        models.HotelReport,
        models.StockReport,
        models.Case,
        models.ControlZone,
        models.Facility,
        models.TestingRound,
        models.SupplyItem,
        models.Audit,
    ):
        if model.__tablename__ == table_name:
            return model
    return None


def batch_rows(
    *, session: Session, entry_id: int, page: int = 0, page_size: int = PAGE_SIZE
) -> tuple[int, list[dict[str, Any]]]:
    """The rows of a batch entry: records it replaced (before -> after) and records it
    added (their values), one page of them."""
    c = models.ChangeLog
    entry = session.get(c, entry_id)
    if entry is None or not entry.after_json:
        return 0, []
    detail = json.loads(entry.after_json)
    replaced = session.execute(
        select(func.count()).select_from(c).where(c.batch_id == entry_id)
    ).scalar_one()
    added = int(detail.get("rows", 0)) if "inserted" not in detail else int(detail["inserted"])
    total = replaced + added
    rows: list[dict[str, Any]] = []
    start = page * page_size
    if start < replaced:
        query = (
            select(c.__table__)
            .where(c.batch_id == entry_id)
            .order_by(c.id)
            .offset(start)
            .limit(page_size)
        )
        for row in session.execute(query):
            rows.append({**_entry(row), "action": "update"})
    model = _model(entry.table_name)
    left = page_size - len(rows)
    if left > 0 and model is not None and detail.get("first_id") is not None:
        table = model.__table__
        skip = max(start - replaced, 0)
        # A batch whose ids are not one run (PostgreSQL: another writer took ids between
        # them) logs its runs: exactly its rows, not the other writer's.
        runs = detail.get("runs") or [[detail["first_id"], detail["last_id"]]]
        query = (
            select(table)
            .where(or_(*(table.c.id.between(first, last) for first, last in runs)))
            .order_by(table.c.id)
            .offset(skip)
            .limit(left)
        )
        for record in session.execute(query).mappings():
            values = {name: _plain(value) for name, value in record.items()}
            rows.append(
                {
                    "id": None,
                    "changed_at": entry.changed_at,
                    "actor": entry.actor,
                    "table": entry.table_name,
                    "key": str(values["id"]),
                    "action": "insert",
                    "districts": [],
                    "batch": None,
                    "changes": diff(None, values),
                }
            )
    return total, rows


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def change_rows_for_csv(
    *, session: Session, filters: Filters, limit: int = 200_000
) -> Iterator[dict]:
    """The filtered log, one line per changed field (batches as one line), for a download."""
    c = models.ChangeLog
    query = (
        select(c.__table__)
        .where(*_where(filters))
        .order_by(c.changed_at.desc(), c.id.desc())
        .limit(limit)
        .execution_options(yield_per=5_000)
    )
    for row in session.execute(query):
        entry = _entry(row)
        base = {
            "changed_at": entry["changed_at"],
            "actor": entry["actor"],
            "table": entry["table"],
            "key": entry["key"],
            "action": entry["action"],
            "districts": ",".join(entry["districts"]),
        }
        if entry["batch"] is not None:
            summary = json.dumps(entry["batch"], ensure_ascii=False)
            yield {**base, "field": "", "before": "", "after": summary}
            continue
        for field, before, after in entry["changes"] or [("", None, None)]:
            yield {**base, "field": field, "before": before, "after": after}
