"""The database: engine from settings, schema migrations, and the reference data load.

Faults it guards against (issue #15): several app servers and commands starting at once
(one lock around "migrate, load reference data, seed if empty": a PostgreSQL advisory lock,
or an exclusive lock on the SQLite file), a kill at any moment (every migration runs in one
transaction, on SQLite too), a database that hangs or cannot be reached (connection and
statement timeouts) and a damaged SQLite file (checked before anything else).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine, select

from data import models
from data.reference.districts import load_districts
from data.settings import get_settings

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed number: PostgreSQL advisory lock taken while migrating or seeding, so that several
# app servers starting together do not race to create the schema or the demo data.
SCHEMA_LOCK_KEY = 2021_0531
# SQLite waits this long for another connection's write lock (ms); the write side says
# "busy" after it.
SQLITE_BUSY_MS = 10_000


class DatabaseProblem(RuntimeError):
    """The configured database cannot be used; `key` and `params` say why in the i18n
    catalogue (`str()` is the English text, for logs)."""

    key = "db.problem"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.params = params or {"reason": message}


class DatabaseUnavailable(DatabaseProblem):
    """The configured database cannot be reached, opened or does not answer in time (it may
    come back: pages retry)."""

    key = "db.unavailable"

    def __init__(self, url: str, reason: object) -> None:
        reason = _one_line(reason)
        super().__init__(f"cannot reach the database at {url}: {reason}", url=url, reason=reason)


class DatabaseDamaged(DatabaseProblem):
    """The SQLite file is damaged (PRAGMA quick_check found problems, or it is no database)."""

    key = "db.damaged"

    def __init__(self, path: str, detail: object) -> None:
        detail = _one_line(detail)
        super().__init__(
            f"the database file {path} is damaged ({detail}); restore it from a backup "
            "(python -m data restore FILE)",
            path=path,
            detail=detail,
        )


class UnknownRevision(DatabaseProblem):
    """The database was migrated by a newer version of the app than this one."""

    key = "db.unknown_revision"

    def __init__(self, revision: str, head: str) -> None:
        super().__init__(
            f"the database is at schema revision {revision}, which this version of the app "
            f"does not know (it knows up to {head}): a newer version has upgraded it; run "
            "that version",
            revision=revision,
            head=head,
        )


def _one_line(reason: object) -> str:
    lines = str(getattr(reason, "orig", None) or reason).strip().splitlines()
    return lines[0].strip() if lines else type(reason).__name__


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI types
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def sqlite_path(engine_or_url: Engine | str) -> Path | None:
    """The file of an SQLite database (None for PostgreSQL or an in-memory database)."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else engine_or_url
    text_url = str(url)
    if not text_url.startswith("sqlite"):
        return None
    path = text_url.split("///", 1)[-1] if "///" in text_url else ""
    path = path.split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def make_engine(url: str | None = None, *, statement_timeout: float | None = None, **kwargs):  # noqa: ANN201
    """An engine for `url` (default: DATABASE_URL); SQLite gets WAL and foreign keys.

    PostgreSQL connections give up after DB_CONNECT_TIMEOUT seconds; `statement_timeout`
    (seconds) bounds each statement on the server (pages use it; commands and migrations
    do not). A directory that cannot be made raises DatabaseUnavailable.
    """
    settings = get_settings() if url is None else None
    url = url or settings.database_url
    try:
        if url.startswith("sqlite"):
            path = sqlite_path(url)
            if path is not None:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise DatabaseUnavailable(
                        _safe_url(url), f"cannot create {path.parent}: {error.strerror}"
                    ) from None
            kwargs.setdefault("connect_args", {"check_same_thread": False})
            engine = create_engine(url, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        connect_args = dict(kwargs.pop("connect_args", {}))
        if "connect_timeout" not in url:
            connect_args.setdefault("connect_timeout", max(1, round(_connect_timeout())))
        if statement_timeout:
            connect_args["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, connect_args=connect_args, **kwargs)
    except (ArgumentError, ValueError):  # a URL that does not parse (e.g. a port "port")
        raise DatabaseUnavailable(_safe_url(url), "not a database URL") from None


def _connect_timeout() -> float:
    try:
        return get_settings().db_connect_timeout
    except ValueError:  # bad settings are reported where they are read; use the default
        return 5.0


def _safe_url(url: str) -> str:
    """A URL for messages: its password (if it parses at all) replaced by ***."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is not repeated at all
        return "(DATABASE_URL)"


def describe_url(engine: Engine) -> str:
    """The database's URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest migration this version of the app knows (read once per process: Alembic
    reads every migration script to find it)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head() or "base"


def lock_file(path: Path) -> Path:
    """The file beside an SQLite database whose lock is the schema lock."""
    return path.with_name(path.name + ".lock")


@contextmanager
def _sqlite_file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock (flock) on a file beside the database, released when its holder
    ends, even by a kill. Not on the database file itself: closing any descriptor of that
    file would drop SQLite's own (POSIX) locks of this process."""
    target = lock_file(path)
    try:
        handle = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise DatabaseUnavailable(str(path), f"cannot open {target}: {error.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


@contextmanager
def schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection holding the schema lock, which serialises migrating, loading reference
    data and seeding among every process on the database: a PostgreSQL advisory lock, or an
    exclusive lock on the SQLite file. The others wait (as long as it takes)."""
    path = sqlite_path(engine)
    if engine.dialect.name == "sqlite":
        lock = _sqlite_file_lock(path) if path is not None else _nothing()
        with lock, engine.connect() as connection:
            yield connection
        return
    with engine.connect() as connection:
        # Waiting for the lock is no statement that should time out.
        connection.execute(text("SET statement_timeout = 0"))
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY})
            connection.commit()


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def migrate(
    connection: Connection,
    revision: str = "head",
    *,
    then: Callable[[Connection], object] | None = None,
) -> None:
    """Upgrade the schema to `revision` in one transaction: stopped at any moment, the
    database stays at the revision it was. `then` writes more in the same transaction (the
    reference data: a kill never leaves a new schema without its districts).

    On SQLite, DDL is made transactional by beginning the transaction explicitly (the
    driver would otherwise commit each statement), and foreign keys are off while tables
    are copied (Alembic's batch mode: dropping the old table must not delete or refuse the
    rows that point at it); `PRAGMA foreign_key_check` must then find nothing.
    """
    sqlite = connection.dialect.name == "sqlite"
    if connection.in_transaction():
        connection.commit()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no-op inside a transaction
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        # Begun here, Alembic sees a transaction of its caller's and leaves the commit to
        # us; left to itself it would commit the migrations before `then` wrote anything.
        connection.begin()
    try:
        command.upgrade(_alembic_config(connection), revision)
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent, _ = broken[0]
                raise DatabaseProblem(
                    f"migration left {len(broken)} rows pointing at missing rows "
                    f"({table} row {rowid} -> {parent})"
                )
        if then is not None:
            then(connection)
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def upgrade_schema(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration, then load the reference data;
    under the schema lock, so that any number of processes may call it at once."""
    verify_database(engine)
    with schema_lock(engine) as connection:
        upgrade_locked(engine, connection)


def upgrade_locked(engine: Engine, connection: Connection) -> None:
    """upgrade_schema's work, on a connection that holds the schema lock."""
    try:
        if _stored_revision(connection) == head_revision():
            # Nothing to migrate (every start after the first): Alembic would read every
            # migration script to find that out, ~80 ms of CPU.
            load_reference_data(connection)
            connection.commit()
            return
        # The reference data in the migration's own transaction (its session joins it).
        migrate(connection, then=load_reference_data)
    except CommandError as error:
        revision = _stored_revision(connection)
        if revision is not None and revision != head_revision():
            raise UnknownRevision(revision, head_revision()) from None
        raise DatabaseProblem(_one_line(error)) from None
    except OperationalError as error:
        raise DatabaseUnavailable(describe_url(engine), error) from error


def _stored_revision(connection: Connection) -> str | None:
    try:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except SQLAlchemyError:
        connection.rollback()
        return None
    connection.rollback()
    return row[0] if row else None


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return _stored_revision(connection)


def load_reference_data(bind: Engine | Connection) -> int:
    """Insert the districts and audit checklist versions that are missing (reference data,
    not demo data: auditors need the checklist with real data too); returns how many
    districts were added. Call it under the schema lock (upgrade_schema does) when other
    processes may start at the same time."""
    from data.reference.checklist import ensure_checklists

    with Session(bind) as session:
        present = set(session.exec(select(models.District.code)).all())
        missing = [d for d in load_districts() if d.code not in present]
        for district in missing:
            session.add(models.District(**district.__dict__))
        ensure_checklists(session)
        if not session.get(models.ChangeCounter, 1):
            from data.timeutil import utc_now

            session.add(models.ChangeCounter(id=1, value=0, changed_at=utc_now()))
        session.commit()
    return len(missing)


# An import of at least this many rows gathers the planner's statistics again.
BULK_ROWS = 10_000


def gather_statistics(bind: Engine | Connection, *, only_missing: bool = False) -> list[str]:
    """PostgreSQL: ANALYZE the app's tables (with `only_missing`, those it holds no
    statistics of yet); returns their names. SQLite: nothing to do (it plans from its
    indexes alone).

    Called after a bulk load (a seed, a large import, a restore) and at every start: the
    planner knows nothing of new rows until autovacuum gets round to them, and a server may
    not autovacuum at all. It then plans for tables of a few rows: nested loops over 2
    million reports, seen taking 0.7 s for the rooms of one past day instead of 20 ms, and
    a briefing's freshness count looking up each of a city's 4,321 testing sites' latest
    report once per site and site, past the statement timeout.
    """
    if bind.dialect.name != "postgresql":
        return []
    query = (
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    )
    if only_missing:
        query += " AND c.reltuples < 0"  # never analyzed (nor vacuumed)

    def analyze(connection: Connection) -> list[str]:
        names = sorted(connection.execute(text(query)).scalars())
        for name in names:
            connection.execute(text(f'ANALYZE "{name}"'))
        return names

    if isinstance(bind, Connection):
        return analyze(bind)
    with bind.begin() as connection:
        return analyze(connection)


def verify_database(engine: Engine) -> None:
    """Raise DatabaseUnavailable when the database cannot be reached, DatabaseDamaged when
    an SQLite file is damaged (`PRAGMA quick_check`, which reads the whole file once)."""
    check_connection(engine)
    path = sqlite_path(engine)
    if path is None or not path.exists():
        return
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA quick_check").fetchall()
    except DBAPIError as error:
        raise DatabaseDamaged(str(path), error) from None
    problems = [row[0] for row in rows if row[0] != "ok"]
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DatabaseDamaged(str(path), problems[0] + more)


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a clear message when the database cannot be reached
    (DatabaseDamaged when an SQLite file is not a database at all)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite":
                # Opening succeeds on any file; reading the schema finds a non-database.
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchall()
    except DBAPIError as error:
        path = sqlite_path(engine)
        if path is not None and _is_damage(error):
            raise DatabaseDamaged(str(path), error) from None
        raise DatabaseUnavailable(describe_url(engine), error) from None
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(describe_url(engine), error) from None


def _is_damage(error: DBAPIError) -> bool:
    words = str(error.orig).lower()
    return "not a database" in words or "malformed" in words or "corrupt" in words


def within(seconds: float, work: Callable[[], T], *, url: str) -> T:
    """`work()`, or DatabaseUnavailable when it has not returned within `seconds`.

    A database that hangs (a stopped server, a dead network path) keeps a query waiting
    forever on a connection that is already open; the query then goes on in its own thread
    (it finishes, and gives its connection back, when the database answers again) while the
    caller says that the database is unavailable.
    """
    outcome: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the caller
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="database-call", daemon=True).start()
    if not done.wait(seconds):
        raise DatabaseUnavailable(url, f"no answer within {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
