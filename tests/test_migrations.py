"""Migrations: an empty database upgrades to the models' schema, and back down."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from data.db import _alembic_config, current_revision, make_engine, schema_lock, upgrade_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "base")
        connection.commit()
    engine.dispose()
    return url


def test_empty_database_upgrades_to_the_models_schema(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    upgrade_schema(engine)
    assert current_revision(engine) == "0006"
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    tables = set(inspect(engine).get_table_names())
    assert {"case", "controlzone", "testingsitereport", "hotelstate", "stockdaily"} <= tables
    upgrade_schema(engine)  # a second start changes nothing
    assert current_revision(engine) == "0006"
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "base")
        connection.commit()
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_schema(engine)  # leave PostgreSQL's shared test database migrated
    engine.dispose()
