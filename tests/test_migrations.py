"""Migrations: an empty database upgrades to the models' schema, and back down."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlmodel import SQLModel

from data import models
from data.db import _alembic_config, current_revision, make_engine, schema_lock, upgrade_schema
from data.timeutil import as_utc


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
        # A stock day rolled up before 0002: no time of its last count.
        "INSERT INTO supplyitem (id, code, category, name_zh, name_en, unit_zh, unit_en, "
        "version) VALUES (1, 'S1', 'ppe', '口罩', 'Masks', '个', 'pieces', 1)",
        "INSERT INTO stockreport (item_id, location_id, reported_at, on_hand, consumed, "
        "received, on_order) VALUES (1, 1, '2021-06-01 01:00:00', 50, 5, 0, 0), "
        "(1, 1, '2021-06-01 09:30:00', 40, 10, 0, 0)",
        "INSERT INTO stockdaily (item_id, location_id, day, on_hand, consumed, received) "
        "VALUES (1, 1, '2021-06-01', 40, 15, 0)",
        # A case with contacts: they become its first contact report.
        'INSERT INTO "case" (id, case_no, kind, source, severity, status, report_date, '
        "district_code, community_zh, community_en, lon, lat, close_contacts_identified, "
        "close_contacts_controlled, secondary_contacts_identified, "
        "secondary_contacts_controlled, version) VALUES (1, 'C1', 'confirmed', 'local', "
        "'mild', 'admitted', '2021-06-01', '440103', '街', 'Street', 113.2, 23.1, 9, 4, 3, 1, 1)",
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
        counted = connection.execute(
            select(models.StockDaily.last_reported_at).where(
                models.StockDaily.day == date(2021, 6, 1)
            )
        ).scalar_one()
        r = models.CaseContactReport
        contacts = connection.execute(
            select(
                r.case_id,
                r.reported_at,
                r.close_contacts_identified,
                r.close_contacts_controlled,
                r.secondary_contacts_identified,
                r.secondary_contacts_controlled,
            )
        ).all()
    assert [tuple(row) for row in audits] == [
        (1, 800.0, "advanced", 0.0),
        (2, 0.0, "not_scored", 100.0),
    ]
    assert [tuple(row) for row in state] == [(2, 0.0, "not_scored", 100.0)]
    assert as_utc(counted) == datetime(2021, 6, 1, 9, 30, tzinfo=UTC)
    # The start of 2021-06-01 in Guangzhou, with the case's counts.
    assert [(row[0], as_utc(row[1]), *row[2:]) for row in contacts] == [
        (1, datetime(2021, 5, 31, 16, 0, tzinfo=UTC), 9, 4, 3, 1)
    ]
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "base")
        connection.commit()
    upgrade_schema(engine)
    engine.dispose()
