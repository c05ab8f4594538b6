"""First start: an empty database gets the demo scenario once; DEMO_DATA=0 leaves it empty."""

from __future__ import annotations

import pytest
import streamlit as st
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data import models
from data.bootstrap import prepare_database
from data.settings import get_settings
from tests.conftest import open_app


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
