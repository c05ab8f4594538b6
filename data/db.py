"""The database: engine from settings, schema migrations, and the reference data load."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine, select

from data import models
from data.reference.districts import load_districts
from data.settings import get_settings

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed number: PostgreSQL advisory lock taken while migrating or seeding, so that several
# app servers starting together do not race to create the schema or the demo data.
SCHEMA_LOCK_KEY = 2021_0531


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached or opened."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI types
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine for `url` (default: DATABASE_URL); SQLite gets WAL and foreign keys."""
    url = url or get_settings().database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def describe_url(engine: Engine) -> str:
    """The database's URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@contextmanager
def schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection holding the schema lock (PostgreSQL advisory lock; SQLite serialises)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
            connection.commit()
        try:
            yield connection
        finally:
            if connection.dialect.name == "postgresql":
                connection.rollback()
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK_KEY}
                )
                connection.commit()


def upgrade_schema(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration, then load the districts."""
    try:
        with schema_lock(engine) as connection:
            command.upgrade(_alembic_config(connection), "head")
            connection.commit()
    except OperationalError as error:
        raise DatabaseUnavailable(
            f"cannot open the database at {describe_url(engine)}: {error.orig}"
        ) from error
    load_reference_data(engine)


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except SQLAlchemyError:
            return None
    return row[0] if row else None


def load_reference_data(engine: Engine) -> int:
    """Insert the districts and audit checklist versions that are missing (reference data,
    not demo data: auditors need the checklist with real data too); returns how many
    districts were added."""
    from data.reference.checklist import ensure_checklists

    with Session(engine) as session:
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


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a clear message when the database cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError) as error:
        reason = getattr(error, "orig", error)
        raise DatabaseUnavailable(
            f"cannot reach the database at {describe_url(engine)}: {reason}"
        ) from error
