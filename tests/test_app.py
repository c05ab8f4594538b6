"""The app shell: navigation, the sidebar's "as of" time, and the database error path."""

from __future__ import annotations

import subprocess
import sys
import time as time_module
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from data import models
from data.settings import get_settings
from tests.conftest import open_app, page_path
from tests.factories import at, make_facility, make_hotel_report

ROOT = Path(__file__).resolve().parent.parent


def _sidebar_lines(app: AppTest) -> list[str]:
    """The sidebar's captions, a line each (the as-of time, time zone and the app's name are
    one caption of several lines)."""
    return [line for caption in app.sidebar.caption for line in caption.value.split("  \n")]


def _one_hotel_reporting_at_1430_local(engine: Engine) -> None:
    """A hotel of 40 rooms, 30 occupied, reporting at 06:30 UTC (14:30 in Guangzhou)."""
    with Session(engine) as session:
        hotel = make_facility(session, kind="quarantine_hotel", cohort="inbound", capacity=40)
        make_hotel_report(
            session,
            hotel_id=hotel.id,
            reported_at=at("2021-06-10 06:30"),
            rooms_total=40,
            rooms_occupied=30,
        )


@pytest.mark.replay_at("2021-06-10 20:00")
def test_app_opens_on_the_overview_with_the_data_as_of_time(
    app_database: str, engine: Engine
) -> None:
    _one_hotel_reporting_at_1430_local(engine)
    app = open_app("app.py", timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    captions = _sidebar_lines(app)
    assert "Replay: as of 2021-06-10 20:00" in captions
    assert "Time zone: Asia/Shanghai" in captions
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Quarantine rooms free"] == "10"


def test_app_in_chinese_by_default(app_database: str) -> None:
    app = open_app("app.py", timeout=30)
    app.run()
    assert not app.exception
    assert app.title[0].value == "总览"
    assert "数据库暂无数据" in _sidebar_lines(app)


def test_live_sidebar_shows_the_newest_report_in_guangzhou_time(
    app_database: str, engine: Engine
) -> None:
    _one_hotel_reporting_at_1430_local(engine)
    app = open_app("app.py", timeout=30)
    app.run()
    assert not app.exception
    assert "最近收到的上报：2021-06-10 14:30（页面显示截至当前时刻的数据）" in [
        line for line in _sidebar_lines(app)
    ]


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("REPLAY_AT", "yesterday", "REPLAY_AT"),
        ("TIMEZONE", "Mars/Base", "TIMEZONE"),
        ("SCREEN_RELOAD_MINUTES", "-5", "SCREEN_RELOAD_MINUTES"),
    ],
)
def test_a_bad_setting_is_named_not_a_traceback(
    app_database: str, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    app = AppTest.from_file(page_path("app.py"), default_timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.error[0].value.startswith(f"Setting {named} is wrong: ")


def test_unreachable_database_shows_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import streamlit as st

    monkeypatch.setenv(
        "DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2"
    )
    monkeypatch.setenv("DEMO_DATA", "0")
    get_settings.cache_clear()
    st.cache_resource.clear()
    try:
        app = AppTest.from_file(page_path("app.py"), default_timeout=30)
        app.query_params["lang"] = "en"
        app.run()
        assert not app.exception
        # It may come back: the page says so, and tries again by itself.
        assert not app.error
        assert app.warning[0].value.startswith("Database unavailable, retrying every 5 s")
        assert "Connection refused" in app.warning[0].value
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()


@pytest.mark.replay_at("2021-06-10 20:00")
def test_the_sidebars_as_of_control_replays_every_figure_at_the_moment_picked(
    app_database: str, engine: Engine
) -> None:
    _one_hotel_reporting_at_1430_local(engine)
    with Session(engine) as session:
        hotel_id = session.exec(select(models.Facility.id)).one()
        make_hotel_report(
            session,
            hotel_id=hotel_id,
            reported_at=at("2021-06-10 11:00"),  # 19:00 in Guangzhou
            rooms_total=40,
            rooms_occupied=35,
        )
    app = open_app("app.py", timeout=30)
    app.query_params["lang"] = "en"
    app.run()
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Quarantine rooms free"] == "5"
    assert not app.warning

    app.sidebar.toggle(key="as_of_on").set_value(True).run()
    # The day and the time each take the sidebar's width, not half of it each (a laptop's
    # sidebar cut a date in a half-width field short).
    assert len(app.sidebar.columns) == 0
    assert [field.label for field in app.sidebar.date_input] == ["Day"]
    assert [field.label for field in app.sidebar.time_input] == ["Time"]
    # On, it starts at the default moment (REPLAY_AT here): the same figures.
    assert app.sidebar.date_input(key="as_of_day").value == date(2021, 6, 10)
    assert app.sidebar.time_input(key="as_of_time").value == time(20, 0)
    app.sidebar.time_input(key="as_of_time").set_value(time(16, 0)).run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Quarantine rooms free"] == "10"
    assert "2021-06-10 16:00" in app.warning[0].value
    assert "Replay: as of 2021-06-10 16:00" in _sidebar_lines(app)

    # A moment after the default one is not the future: it stays at the default.
    app.sidebar.time_input(key="as_of_time").set_value(time(23, 0)).run()
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Quarantine rooms free"] == "5"

    app.sidebar.toggle(key="as_of_on").set_value(False).run()
    assert not app.warning
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Quarantine rooms free"] == "5"


def test_after_its_first_run_a_server_keeps_its_libraries_out_of_the_collectors_way() -> None:
    """A full garbage collection walked ~490,000 objects at city scale and paused a page run
    for ~200 ms every few runs; the libraries' (the pinyin dictionary alone ~194,000) are
    frozen once (shell.settle_heap), in a process of its own here."""
    script = (
        "import gc, shell\n"
        "shell.settle_heap()\n"
        "shell.settle_heap()\n"  # once per process
        "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    frozen, walked = map(int, done.stdout.split())
    assert frozen > 190_000
    assert walked < 5_000


def test_a_read_made_of_several_statements_has_a_statement_timeout_for_each(
    app_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A briefing's figures are several heavy statements one after another: the app gives
    # such a read a statement timeout for each, where a page's read has one in all.
    import shell
    from data.db import DatabaseUnavailable
    from data.queries.common import statements

    monkeypatch.setenv("DB_STATEMENT_TIMEOUT", "1")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "0.5")
    get_settings.cache_clear()

    def three_steps(*, session: Session) -> str:
        for _ in range(3):  # three statements of 0.6 s: 1.8 s in all
            session.execute(select(models.District.code)).all()
            time_module.sleep(0.6)
        return "figures"

    with pytest.raises(DatabaseUnavailable, match="no answer within 1.5 s"):
        shell._run((), three_steps)
    marked = statements(3)(lambda *, session: three_steps(session=session))
    assert shell._run((), marked) == "figures"
    get_settings.cache_clear()
