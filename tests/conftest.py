"""Fixtures: a fresh migrated database per test on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set (the tests create and drop a database of their own there)."""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher, profiles
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel, select
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from data import security
from data.db import load_reference_data, make_engine, upgrade_schema
from data.settings import get_settings
from i18n import DEFAULT_LANGUAGE, language
from tests import reach_check

BACKENDS = ["sqlite", "postgresql"]

# Passwords hashed in the test processes use argon2's cheapest parameters: the defaults cost
# ~100-300 ms of CPU (4 threads) per hash, and nearly every page test signs a user in. What is
# tested is the same: an argon2id hash, salted, its parameters stored in it (so a hash made
# with the defaults, by an app server or a command the tests start, verifies alike).
security._HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)

# Each new AppTest has Streamlit scan every installed package's metadata for components (8 %
# of a page test's CPU, sampled); what is installed does not change during a test run.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the slow tests first, spread over the workers (tests.schedule)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0)
    if workers > 1:
        from tests.schedule import spread

        items[:] = spread(items, workers)


def page_path(name: str) -> str:
    """The absolute path of a page script, for AppTest.from_file."""
    return str(ROOT / name)


def sign_in_token(
    role: str = "leadership",
    *,
    district_codes: tuple[str, ...] = (),
    facility_codes: tuple[str, ...] = (),
) -> str:
    """A live session of a user of `role` (made once per scope) on the app's database."""
    from data import accounts, models, writes

    engine = make_engine(get_settings().database_url)
    try:
        upgrade_schema(engine)
        scope = "-".join((*district_codes, *facility_codes)) or "city"
        username = f"test-{role.replace('_', '-')}-{scope}"[:40]
        with Session(engine) as session:
            user = session.exec(
                select(models.User).where(models.User.username == username)
            ).first() or writes.create_user(
                session,
                actor=writes.SYSTEM,
                username=username,
                role=role,
                password="correct horse battery",
                district_codes=district_codes,
                facility_codes=facility_codes,
            )
            return accounts.start_session(session, user_id=user.id, lifetime=timedelta(hours=2))
    finally:
        engine.dispose()


def open_app(
    script: str,
    *,
    role: str = "leadership",
    timeout: float = 30,
    district_codes: tuple[str, ...] = (),
    facility_codes: tuple[str, ...] = (),
) -> AppTest:
    """A page (or app.py) as a signed-in user, as after the sign-in form (AppTest)."""
    from signin import TOKEN

    app = AppTest.from_file(page_path(script), default_timeout=timeout)
    app.session_state[TOKEN] = sign_in_token(
        role, district_codes=district_codes, facility_codes=facility_codes
    )
    return app


def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the data-layer reads the app asks for from now on (shell.read), in
    order: a list that fills as pages run."""
    import shell

    read, reads = shell.read, []

    def counted(query, /, **arguments):  # noqa: ANN001, ANN202
        reads.append(query.__name__)
        return read(query, **arguments)

    monkeypatch.setattr(shell, "read", counted)
    return reads


def open_panels(app: AppTest) -> AppTest:
    """The page with each of its update panels open, as after a click on each: a panel
    lists its records and draws its form only while open (panels.render_panel). Run again
    only if one was closed."""
    closed = [
        key
        for key, value in app.session_state.items()
        if key.endswith("_open") and "." not in key and value is False
    ]
    for key in closed:
        app.session_state[key] = True
    if closed:
        app.run()
    return app


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a test that switches to English in the
    main thread (a page function called directly) must not leak it into the next test that
    the same worker runs."""
    with language(DEFAULT_LANGUAGE):
        yield


@pytest.fixture(autouse=True)
def _writes_stay_within_their_topics() -> Iterator[None]:
    """Every write any test makes touches only tables of the topic it is logged under (the
    app keeps the other topics' figures: tests/reach_check.py)."""
    reach_check.install()
    reach_check.problems.clear()
    yield
    found, reach_check.problems[:] = list(reach_check.problems), []
    assert not found, found


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with the districts, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def postgres_server_url() -> str | None:
    """TEST_DATABASE_URL with the psycopg driver, or None when PostgreSQL tests are off."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        return None
    return make_url(server_url).set(drivername="postgresql+psycopg").render_as_string(False)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database of the test's own, dropped afterwards
    (skips the test when TEST_DATABASE_URL is not set)."""
    server_url = postgres_server_url()
    if server_url is None:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    name = f"epicc_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, migrated once, dropped at the end."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"epicc_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(engine: Engine) -> None:
    """Empty every table and restart every id, as in a new database. DELETE rather than
    TRUNCATE: on a test's few rows it takes a third of the time (TRUNCATE makes new files
    for each of the 39 tables: 150-200 ms a test)."""
    tables = reversed(SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text("; ".join(f'DELETE FROM "{table.name}"' for table in tables)))
        sequences = connection.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        ).scalars()
        restarts = [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
        if restarts:
            connection.execute(text("; ".join(restarts)))
    load_reference_data(engine)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """URL of a fresh, migrated database holding only the districts."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    _empty_postgres(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a fresh database (SQLite, and PostgreSQL when configured)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on a fresh database."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def app_database(
    database_url: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Point the app (AppTest) at a fresh database, with no demo seeding; clears caches.

    A test marked `@pytest.mark.replay_at("2021-06-10 20:00")` sees the app as of that
    local time.
    """
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DEMO_DATA", "0")
    # Pages skip Vega-Lite's schema check on every run (components.charts); every chart a
    # page test draws is checked here instead.
    monkeypatch.setattr("components.charts.chart_spec", lambda chart: chart.to_dict(validate=True))
    marker = request.node.get_closest_marker("replay_at")
    if marker is not None:
        monkeypatch.setenv("REPLAY_AT", marker.args[0])
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield database_url
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()


def planner_rows(engine: Engine, table: str) -> int | None:
    """PostgreSQL's planner estimate of a table's rows (its statistics: -1 when never
    analyzed, exact for a small table just analyzed); None on SQLite, which keeps none."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT reltuples FROM pg_class WHERE relname = :table"), {"table": table}
            ).scalar_one()
        )


def row_count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
