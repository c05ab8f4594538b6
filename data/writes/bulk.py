"""Bulk inserts in chunks through SQLAlchemy Core: never one ORM object per row.

Only the write side calls these, after it has checked every row.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

CHUNK = 10_000
# While a batch is written, the cyclic garbage collector's youngest generation is collected
# after this many new container objects instead of Python's default 700.
BATCH_GC_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_batches = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage rarely while a batch runs.

    A batch makes hundreds of thousands of row objects that live until it ends; at Python's
    default threshold the collector would scan them again and again (a third of an import's
    time). Raised, it still runs, so memory stays bounded; it is set back when the last of
    the batches running at once (the app's sessions share one process) ends.
    """
    global _gc_batches, _gc_saved  # noqa: PLW0603 - one setting per process
    with _gc_lock:
        if _gc_batches == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(BATCH_GC_THRESHOLD, _gc_saved[0]), *_gc_saved[1:])
        _gc_batches += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_batches -= 1
            if _gc_batches == 0:
                gc.set_threshold(*_gc_saved)


# SQLite's page cache while a batch writes (KiB): a million reports' indexes outgrow the
# default 2 MB, and pages spilled from it are written out and read back again and again.
SQLITE_BATCH_CACHE_KIB = 65_536


@contextmanager
def larger_page_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache of SQLITE_BATCH_CACHE_KIB while a batch runs, set back after
    (the connection returns to the pool). Durability is untouched: the journal and its
    synchronous setting stay as data.db sets them."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BATCH_CACHE_KIB}")
    try:
        yield
    finally:
        # A connection broken by the batch's own error cannot be told: the pool discards it.
        with suppress(SQLAlchemyError):
            connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


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
        _sqlite_insert(session, table, rows, ids)
        return ids
    # PostgreSQL: the ids are taken from the table's sequence first (safe beside other
    # writers), then the rows go in as a plain executemany, which psycopg pipelines with one
    # short prepared statement. INSERT ... RETURNING in parameter order is sent as one
    # statement of 10,000 rows' placeholders, which psycopg parses anew every time (2/3
    # of a PostgreSQL seed's time).
    ids = sorted(
        session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": f'"{table.name}"', "n": len(rows)},
        ).scalars()
    )
    _insert_with_ids(session, table, rows, ids)
    return ids


def _insert_with_ids(session: Session, table: Any, rows: list[dict], ids: list[int]) -> None:
    """Insert rows with the given ids, in chunks, through SQLAlchemy (an executemany)."""
    for start in range(0, len(rows), CHUNK):
        part = [
            {**row, "id": new_id}
            for row, new_id in zip(
                rows[start : start + CHUNK], ids[start : start + CHUNK], strict=True
            )
        ]
        session.execute(insert(table), part)


def _sqlite_value(column: Any) -> Any:
    """How a column's Python value is stored by SQLite's driver as SQLAlchemy would store it
    (datetimes as UTC text, days as ISO text, flags as 0/1), or None: as it is."""
    kind = column.type
    kind = getattr(kind, "impl", kind)
    if isinstance(kind, DateTime):
        seen: dict[datetime, str] = {}

        def moment(value: Any) -> Any:
            text = seen.get(value)
            if text is not None:
                return text
            if not isinstance(value, datetime):
                return value
            utc = value
            if utc.tzinfo is not None and utc.tzinfo is not UTC:
                utc = utc.astimezone(UTC)
            text = utc.strftime("%Y-%m-%d %H:%M:%S.%f")
            if len(seen) < 50_000:
                seen[value] = text
            return text

        return moment
    if isinstance(kind, Date):
        return lambda value: value.isoformat() if isinstance(value, date) else value
    if isinstance(kind, Boolean):
        return lambda value: None if value is None else int(bool(value))
    return None


def _plain(column: Any) -> bool:
    kind = getattr(column.type, "impl", column.type)
    try:
        return kind.python_type in (int, float, str, bool, datetime, date)
    except NotImplementedError:
        return False


def _sqlite_insert(session: Session, table: Any, rows: list[dict], ids: list[int]) -> None:
    """Insert rows with the given ids through the driver, without SQLAlchemy's per-value
    processing (the values were checked by the write side; the types are stored as
    SQLAlchemy stores them, so reading them back is unchanged)."""
    names = ["id", *(name for name in rows[0] if name != "id")]
    columns = [table.c[name] for name in names]
    # Columns the rows leave out take their Python-side defaults, as SQLAlchemy would give
    # them; a default computed per row (a function) goes the ordinary way.
    defaults = {
        column.name: column.default
        for column in table.columns
        if column.name not in names and column.default is not None
    }
    if not all(_plain(column) for column in columns) or not all(
        default.is_scalar for default in defaults.values()
    ):
        _insert_with_ids(session, table, rows, ids)
        return
    names += list(defaults)
    columns += [table.c[name] for name in defaults]
    fixed = {name: default.arg for name, default in defaults.items()}
    convert = {name: _sqlite_value(column) for name, column in zip(names, columns, strict=True)}
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
    connection = session.connection()
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        # A column at a time: C-speed gets and one zip instead of a tuple built per row.
        values: list[list[Any]] = [ids[start : start + CHUNK]]
        for name in names[1:]:
            try:
                column = list(map(itemgetter(name), part))
            except KeyError:  # rows that leave the column out: its default
                column = [row.get(name, fixed.get(name)) for row in part]
            how = convert[name]
            values.append(column if how is None else list(map(how, column)))
        connection.exec_driver_sql(statement, list(zip(*values, strict=True)))
