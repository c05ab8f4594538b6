"""Bulk inserts in chunks through SQLAlchemy Core: never one ORM object per row.

Only the write side calls these, after it has checked every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

CHUNK = 10_000


def insert_rows(session: Session, model: type[SQLModel], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (streamed) in chunks; returns how many."""
    table = model.__table__
    batch: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            session.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
        count += len(batch)
    return count


def insert_returning_ids(
    session: Session, model: type[SQLModel], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert rows in chunks and return their new ids, in the order of `rows`."""
    table = model.__table__
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids.extend(session.execute(statement, rows[start : start + CHUNK]).scalars())
    return ids
