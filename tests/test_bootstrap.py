"""First start: an empty database gets the demo scenario once; DEMO_DATA=0 leaves it empty."""

from __future__ import annotations

import pytest
import streamlit as st
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data import models
from data.bootstrap import prepare_database
from data.db import make_engine, upgrade_schema
from data.demo import seed_demo
from data.settings import get_settings
from tests.conftest import fresh_postgres_database, open_app
from tests.factories import make_hotel


def _cases(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(models.Case)).scalar_one()


def test_first_start_seeds_the_demo_once(engine: Engine) -> None:
    assert prepare_database(engine, seed_demo_if_empty=True) is True
    seeded = _cases(engine)
    assert seeded > 100
    assert prepare_database(engine, seed_demo_if_empty=True) is False
    assert _cases(engine) == seeded


def test_demo_data_off_starts_empty(engine: Engine) -> None:
    assert prepare_database(engine, seed_demo_if_empty=False) is False
    assert _cases(engine) == 0


def test_app_on_first_start_shows_the_simulated_scenario(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DEMO_DATA", "1")
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        app = open_app("app.py", timeout=60)
        app.query_params["lang"] = "en"
        app.run()
        assert not app.exception
        assert any(info.value.startswith("Simulated data:") for info in app.info)
        metrics = {metric.label: metric.value for metric in app.metric}
        assert int(metrics["Local infections in total"].replace(",", "")) == _cases_local(
            database_url
        )
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()
        st.cache_data.clear()


def _cases_local(database_url: str) -> int:
    from data.db import make_engine
    from data.queries.cases import get_local_case_totals
    from data.queries.common import get_clock

    engine = make_engine(database_url)
    with Session(engine) as session:
        clock = get_clock(session=session)
        total = get_local_case_totals(session=session, today=clock.today).total
    engine.dispose()
    return total


# --- PostgreSQL's planner statistics after a bulk load ---------------------------------------


def _never_analyzed(engine: Engine) -> list[str]:
    """The app's tables PostgreSQL holds no statistics of (never analyzed: reltuples -1)."""
    with engine.connect() as connection:
        return sorted(
            connection.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                    " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
                    " AND c.relkind = 'r' AND c.reltuples < 0"
                )
            ).scalars()
        )


def test_a_seeded_postgresql_database_has_planner_statistics() -> None:
    # Without statistics (a server that does not autovacuum, or before it gets round to it)
    # PostgreSQL guessed one testing site where a city has 4,321, and a briefing's freshness
    # count looked up each site's latest report once per site and site: the briefing of a
    # city hit the statement timeout on every run (15 s, then a notice instead of it).
    with fresh_postgres_database() as url:
        engine = make_engine(url)
        try:
            upgrade_schema(engine)
            seed_demo(engine, scale="demo")
            assert _never_analyzed(engine) == []
            with engine.connect() as connection:
                reports = connection.execute(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'testingsitereport'")
                ).scalar_one()
            assert reports > 1_000
        finally:
            engine.dispose()


def test_a_start_on_postgresql_gathers_the_statistics_a_loaded_database_lacks() -> None:
    # A database filled without them (restored, imported or seeded by an earlier version)
    # gets them when the app starts on it; a table already analyzed is left as it is.
    with fresh_postgres_database() as url:
        engine = make_engine(url)
        try:
            upgrade_schema(engine)
            with Session(engine) as session:
                make_hotel(session, rooms=40)
            assert "facility" in _never_analyzed(engine)
            prepare_database(engine, seed_demo_if_empty=False)
            assert _never_analyzed(engine) == []
        finally:
            engine.dispose()
