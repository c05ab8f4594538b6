"""Bulk inserts in chunks through SQLAlchemy Core: never one ORM object per row.

Only the write side calls these, after it has checked every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select
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
    """Insert rows in chunks and return their new ids, in the order of `rows`.

    On SQLite the write side holds the database's write lock (BEGIN IMMEDIATE), so the
    ids after the largest one are free: they are given to the rows, which are then inserted
    as one executemany (INSERT ... RETURNING in parameter order would run row by row there).
    """
    table = model.__table__
    if not rows:
        return []
    if session.get_bind().dialect.name == "sqlite":
        last = session.execute(select(func.max(table.c.id))).scalar_one() or 0
        ids = list(range(last + 1, last + 1 + len(rows)))
        for start in range(0, len(rows), CHUNK):
            part = [
                {**row, "id": new_id}
                for row, new_id in zip(
                    rows[start : start + CHUNK], ids[start : start + CHUNK], strict=True
                )
            ]
            session.execute(insert(table), part)
        return ids
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids.extend(session.execute(statement, rows[start : start + CHUNK]).scalars())
    return ids
