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


def test_upgrading_scores_existing_audits_as_ipcaf_with_covid_apart(empty_url: str) -> None:
    """An audit scored the old way (one compliance over every item, 539.5) is scored again:
    every core item passed is 800, the failed COVID items a score of their own (0)."""
    engine = make_engine(empty_url)
    with schema_lock(engine) as connection:
        command.upgrade(_alembic_config(connection), "0004")
        connection.commit()
    statements = [
        "INSERT INTO district (code, name_zh, name_en, population, centroid_lon, centroid_lat, "
        "boundary_geojson) VALUES ('440103', '荔湾区', 'Liwan', 1, 113.2, 23.1, '{}')",
        "INSERT INTO facility (id, code, kind, district_code, name_zh, name_en, lon, lat, "
        "status, report_interval_minutes, version) VALUES (1, 'H1', 'designated_hospital', "
        "'440103', '医院', 'Hospital', 113.2, 23.1, 'active', 240, 1)",
        "INSERT INTO checklistversion (id, label, effective_from) VALUES (1, 'v', '2021-01-01')",
        "INSERT INTO checklistitem (id, version_id, component, code, text_zh, text_en, weight, "
        "position) VALUES (1, 1, 'ipc_programme', 'p', 'p', 'p', 2.0, 0), "
        "(2, 1, 'guidelines', 'g', 'g', 'g', 1.0, 1), (3, 1, 'covid', 'c', 'c', 'c', 1.0, 2)",
        "INSERT INTO audit (id, facility_id, checklist_version_id, audited_at, auditor, score, "
        "level, version) VALUES (1, 1, 1, '2021-06-01 02:00:00', 'a', 600.0, 'intermediate', 1),"
        " (2, 1, 1, '2021-06-02 02:00:00', 'a', 0.0, 'inadequate', 1)",
        "INSERT INTO audititemresult (audit_id, item_id, result) VALUES (1, 1, 'pass'), "
        "(1, 2, 'pass'), (1, 3, 'fail'), (2, 1, 'na'), (2, 2, 'na'), (2, 3, 'pass')",
        "INSERT INTO facilityauditstate (facility_id, audit_id, audited_at, score, level) "
        "VALUES (1, 2, '2021-06-02 02:00:00', 0.0, 'inadequate')",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    upgrade_schema(engine)
    with engine.connect() as connection:
        audits = connection.exec_driver_sql(
            "SELECT id, score, level, covid_score FROM audit ORDER BY id"
        ).all()
        state = connection.exec_driver_sql(
            "SELECT audit_id, score, level, covid_score FROM facilityauditstate"
        ).all()
    assert [tuple(row) for row in audits] == [
        (1, 800.0, "advanced", 0.0),
        (2, 0.0, "not_scored", 100.0),
    ]
    assert [tuple(row) for row in state] == [(2, 0.0, "not_scored", 100.0)]
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "base")
        connection.commit()
    upgrade_schema(engine)
    engine.dispose()
