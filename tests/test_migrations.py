"""Migrations: an empty database upgrades to the models' schema, and back down."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
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
