"""The unit of work: one transaction per write (or per batch), all of it or nothing.

On SQLite the transaction takes the write lock first (BEGIN IMMEDIATE), so what a write
reads (current state, versions) cannot change under it before it commits; on PostgreSQL
rows are locked as they are read. A lock held by another writer longer than we wait is
reported as DatabaseBusy ("try again"), any other refusal of the database as InvalidRecord.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlmodel import Session

from data.writes.errors import DatabaseBusy, InvalidRecord, Problem, WriteError

# How long a write waits for another writer's lock before it says "busy" (PostgreSQL; SQLite
# waits its connection's busy_timeout, set to the same in data.db).
LOCK_TIMEOUT_MS = 10_000
_DEPTH = "write_unit_depth"
# SQLite: locked / busy; PostgreSQL: lock_not_available, serialization_failure,
# deadlock_detected, query_canceled (a lock or statement timeout).
_BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01", "57014"})
_BUSY_SQLITE_WORDS = ("database is locked", "database table is locked", "database is busy")


def is_busy(error: BaseException) -> bool:
    """Whether a database error means another writer holds a lock we waited too long for."""
    original = getattr(error, "orig", error)
    if getattr(original, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return any(words in str(original).lower() for words in _BUSY_SQLITE_WORDS)


def _begin_write(session: Session) -> None:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(text(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}"))


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block wrote, or roll all of it back and say why.

    Units nest: an inner one (a batch inside the demo seed) joins the outer transaction,
    which alone commits.
    """
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    outermost = depth == 0
    try:
        try:
            if outermost:
                _begin_write(session)
            yield session
            if outermost:
                session.commit()
        except WriteError:
            raise
        except DBAPIError as error:
            if is_busy(error):
                raise DatabaseBusy(Problem("busy")) from error
            if isinstance(error, IntegrityError) or not _is_connection_error(error):
                raise InvalidRecord(
                    Problem("db_refused", params={"reason": _reason(error)})
                ) from error
            raise
        except StatementError as error:
            raise InvalidRecord(Problem("db_refused", params={"reason": _reason(error)})) from error
    except BaseException:
        if outermost:
            session.rollback()  # nothing half-written stays in the session
        raise
    finally:
        session.info[_DEPTH] = depth


def _is_connection_error(error: DBAPIError) -> bool:
    return bool(error.connection_invalidated) or "connection" in type(error.orig).__name__.lower()


def _reason(error: BaseException) -> str:
    return str(getattr(error, "orig", None) or error).splitlines()[0]
