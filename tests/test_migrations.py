"""Migrations: an empty database upgrades to the models' schema, and back down."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from data import models
from data.db import (
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    schema_lock,
    upgrade_schema,
)
from data.demo import seed_demo
from data.timeutil import as_utc
from tests.conftest import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database; on PostgreSQL the run's shared one, migrated again afterwards
    for the tests that expect it so."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "base")
        connection.commit()
    yield url
    upgrade_schema(engine)
    engine.dispose()


def test_empty_database_upgrades_to_the_models_schema(empty_url: str) -> None:
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    upgrade_schema(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    tables = set(inspect(engine).get_table_names())
    assert {"case", "controlzone", "testingsitereport", "hotelstate", "stockdaily"} <= tables
    upgrade_schema(engine)  # a second start changes nothing
    assert current_revision(engine) == head_revision()
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "base")
        connection.commit()
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_schema(engine)  # leave PostgreSQL's shared test database migrated
    engine.dispose()


# --- Upgrading a database of each earlier release, with data -------------------------------

RELEASES = ["0001", "0002", "0003", "0004", "0005", "0006"]
# On PostgreSQL, the first release (its upgrade runs every later migration over the data) and
# the newest earlier one (the upgrade a deployment makes next); each start copies the whole
# demo, 30-60 s on CI's machine, and SQLite starts from every release.
UPGRADES = [
    *(("sqlite", release) for release in RELEASES),
    *(("postgresql", release) for release in (RELEASES[0], RELEASES[-1])),
]


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database at the newest revision holding the demo scenario: the rows to copy."""
    path = tmp_path_factory.mktemp("source") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    seed_demo(engine, anchor_date=date(2021, 6, 10))
    yield engine
    engine.dispose()


@contextmanager
def _target_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'old.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


def _copy_rows(source: Engine, target: Engine) -> dict[str, list[str]]:
    """Copy every row of `source` into the tables and columns that `target`'s (older) schema
    has; returns the columns copied per table."""
    old = MetaData()
    old.reflect(target)
    copied: dict[str, list[str]] = {}
    with source.connect() as reading, target.connect() as writing:
        if target.dialect.name == "sqlite":
            writing.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:  # rows pointing at rows copied later (a case's infector)
            writing.execute(text("SET session_replication_role = replica"))
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in old.tables:
                continue
            names = [c.name for c in table.columns if c.name in old.tables[table.name].columns]
            rows = [dict(row._mapping) for row in reading.execute(select(*table.c[*names]))]
            if rows:
                writing.execute(old.tables[table.name].delete())
                writing.execute(insert(table), rows)
            copied[table.name] = names
        writing.commit()
        if target.dialect.name == "sqlite":
            writing.exec_driver_sql("PRAGMA foreign_keys=ON")
    return copied


def _rows(engine: Engine, table: str, names: list[str]) -> list[tuple]:
    model = SQLModel.metadata.tables[table]
    keys = [model.c[c.name] for c in model.primary_key.columns]
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(*model.c[*names]).order_by(*keys))]


def test_a_failure_after_the_migrations_leaves_no_schema_without_its_districts(
    empty_url: str,
) -> None:
    # Seen when a kill landed between the two on PostgreSQL: the schema at the newest
    # revision with no districts, because Alembic committed the migrations on its own.
    engine = make_engine(empty_url)

    def fails_while_loading_the_districts(connection) -> None:  # noqa: ANN001
        raise RuntimeError("killed while loading the districts")

    with schema_lock(engine) as connection, pytest.raises(RuntimeError):
        migrate(connection, then=fails_while_loading_the_districts)
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


@pytest.mark.parametrize(("backend", "release"), UPGRADES)
def test_a_database_of_each_earlier_release_upgrades_with_its_data_intact(
    backend: str, release: str, demo_source: Engine, tmp_path: Path
) -> None:
    with _target_url(backend, tmp_path) as url:
        engine = make_engine(url)
        with engine.connect() as connection:
            command.upgrade(_alembic_config(connection), release)
            connection.commit()
        copied = _copy_rows(demo_source, engine)
        assert sum(len(_rows(engine, t, n)) for t, n in copied.items()) > 40_000
        upgrade_schema(engine)
        assert current_revision(engine) == head_revision()
        for table, names in copied.items():
            assert _rows(engine, table, names) == _rows(demo_source, table, names), table
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata
            )
        assert differences == []
        engine.dispose()


def test_change_log_entries_from_before_0005_get_their_districts(session) -> None:
    """0006 fills the districts of entries logged before 0005 from what their records tell,
    so that the change log's district filter finds them."""
    from datetime import date

    from sqlalchemy import update

    from data import models
    from data.queries.changelog import Filters, change_page
    from data.writes import SYSTEM, record_site_reports
    from tests.factories import at, make_case, make_facility

    site = make_facility(session, code="LW-001", district_code="440103")
    make_case(session, report_date=date(2021, 5, 21), district_code="440104")
    rows = [{"site_id": site.id, "reported_at": at(f"2021-05-27 0{n}:00")} for n in range(3)]
    record_site_reports(session, actor=SYSTEM, rows=rows)
    single = {"site_id": site.id, "reported_at": at("2021-05-27 05:00")}
    record_site_reports(session, actor=SYSTEM, rows=[single])
    session.execute(update(models.ChangeLog).values(districts=None))  # as before 0005
    session.commit()
    engine = session.get_bind()
    with schema_lock(engine) as connection:
        command.downgrade(_alembic_config(connection), "0005")
        connection.commit()
    upgrade_schema(engine)
    session.expire_all()

    def listed(district: str) -> list[tuple[str, str]]:
        _, entries = change_page(session=session, filters=Filters(district=district))
        return sorted((entry["table"], entry["key"]) for entry in entries)

    reports = sorted(session.execute(select(models.TestingSiteReport.id)).scalars())
    assert listed("440103") == sorted(
        [
            ("facility", str(site.id)),
            ("testingsitereport", f"{reports[0]}..{reports[2]}"),
            ("testingsitereport", str(reports[3])),
        ]
    )
    assert [table for table, _ in listed("440104")] == ["case"]


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
        # Ids far from the ones the shipped checklists take (reference data, loaded after).
        "INSERT INTO checklistversion (id, label, effective_from) VALUES (901, 'v', '2021-01-01')",
        "INSERT INTO checklistitem (id, version_id, component, code, text_zh, text_en, weight, "
        "position) VALUES (901, 901, 'ipc_programme', 'p', 'p', 'p', 2.0, 0), "
        "(902, 901, 'guidelines', 'g', 'g', 'g', 1.0, 1), "
        "(903, 901, 'covid', 'c', 'c', 'c', 1.0, 2)",
        "INSERT INTO audit (id, facility_id, checklist_version_id, audited_at, auditor, score, "
        "level, version) VALUES (1, 1, 901, '2021-06-01 02:00:00', 'a', 600.0, 'intermediate', 1),"
        " (2, 1, 901, '2021-06-02 02:00:00', 'a', 0.0, 'inadequate', 1)",
        "INSERT INTO audititemresult (audit_id, item_id, result) VALUES (1, 901, 'pass'), "
        "(1, 902, 'pass'), (1, 903, 'fail'), (2, 901, 'na'), (2, 902, 'na'), (2, 903, 'pass')",
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
