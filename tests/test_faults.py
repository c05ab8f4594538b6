"""Trustworthy under faults (issue #15): bad settings and databases are named, never echoed
with a secret; several processes start at once; a damaged SQLite file is refused; backups
restore every figure. Kills and a hung server: tests/test_kills.py, tests/test_hung_database.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from streamlit.testing.v1 import AppTest

from data import models
from data.db import make_engine, upgrade_schema
from data.demo import seed_demo
from data.settings import get_settings
from tests.conftest import (
    ROOT,
    fresh_postgres_database,
    open_app,
    page_path,
    planner_rows,
    row_count,
)
from tests.test_cli import run_cli

SECRET = "s3cret-pass"


@contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[str]:
    """A database with nothing in it (no schema), SQLite or PostgreSQL."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'fresh.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


def table_rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, by primary key: "every figure" is made from these."""
    rows = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*keys))]
    return rows


def _app(url: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_DATA", "0")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    app = AppTest.from_file(page_path("app.py"), default_timeout=60)
    app.query_params["lang"] = "en"
    return app


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    yield
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()


# --- Settings: named, in the user's language, never a secret --------------------------------

BAD_SETTINGS = [
    ("DATABASE_URL", f"mysql://admin:{SECRET}@db.example/cc", "must start with sqlite://"),
    ("DEMO_SCALE", "huge", "must be demo or city"),
    ("REPLAY_AT", "0001-01-01T00:00", "is not a usable time"),
    ("DB_STATEMENT_TIMEOUT", "-3", "must be a number of seconds"),
]


@pytest.mark.parametrize(("name", "value", "why"), BAD_SETTINGS)
def test_a_bad_setting_is_named_on_the_command_line_without_its_value(
    name: str, value: str, why: str, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), name: value}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    if name != "DATABASE_URL":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.db'}"
    for lang, expected in (("en", f"error: setting {name} is wrong: {why}"), ("zh", "有误")):
        result = subprocess.run(
            [sys.executable, "-m", "data", "--lang", lang, "status"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2
        assert result.stderr.startswith(expected if lang == "en" else "error: 设置 " + name)
        assert expected in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert SECRET not in result.stderr + result.stdout
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "value", "why"), BAD_SETTINGS)
def test_a_bad_setting_is_named_on_the_page_without_its_value(
    name: str, value: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(f"sqlite:///{tmp_path / 'x.db'}", monkeypatch, **{name: value})
    app.run()
    assert not app.exception
    (error,) = app.error
    assert error.value.startswith(f"Setting {name} is wrong: {why}")
    assert SECRET not in error.value
    assert not app.metric
    chinese = AppTest.from_file(page_path("app.py"), default_timeout=60)
    chinese.run()
    assert chinese.error[0].value.startswith(f"设置 {name} 有误：")


def test_a_database_url_that_does_not_parse_is_not_repeated(tmp_path: Path) -> None:
    result = run_cli("init", database_url=f"postgresql+psycopg://admin:{SECRET}@db:port/cc")
    assert result.returncode == 2
    assert SECRET not in result.stderr
    assert result.stderr.startswith("error: cannot reach the database at (DATABASE_URL)")


def test_an_sqlite_folder_that_cannot_be_made_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("init", database_url=f"sqlite:///{blocker / 'var' / 'cc.db'}")
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot reach the database at sqlite:///")
    assert f"cannot create {blocker / 'var'}" in result.stderr
    assert "Traceback" not in result.stderr


# --- A database a newer version migrated --------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_of_a_newer_version_is_named_not_unreachable(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with empty_database(backend, tmp_path) as url:
        engine = make_engine(url)
        upgrade_schema(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        engine.dispose()
        result = run_cli("--lang", "en", "init", database_url=url)
        assert result.returncode == 2
        assert result.stderr.startswith(
            "error: the database is at schema revision 0099, which this version of the app "
            "does not know"
        )
        zh = run_cli("--lang", "zh", "status", database_url=url)
        assert zh.returncode == 0  # status only reads: it says which revision it is at
        assert "revision: 0099" in zh.stdout
        app = _app(url, monkeypatch)
        app.run()
        assert not app.exception
        assert "schema revision 0099" in app.error[0].value
        assert "Cannot reach" not in app.error[0].value


# --- A damaged SQLite file ----------------------------------------------------------------


def _damaged_copy(folder: Path) -> Path:
    path = folder / "damaged.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    seed_demo(engine, anchor_date=date(2021, 6, 10))
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    size = path.stat().st_size
    with path.open("r+b") as handle:  # 200 KB of noise in the middle, as a bad disk would
        handle.seek(size // 2)
        handle.write(bytes((i * 7919) % 251 for i in range(200_000)))
    return path


def test_a_damaged_sqlite_file_is_named_at_start_and_nothing_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _damaged_copy(tmp_path)
    url = f"sqlite:///{path}"
    for command in ("init", "status", "seed"):
        result = run_cli("--lang", "en", command, database_url=url)
        assert result.returncode == 2, command
        assert result.stderr.startswith(f"error: the database file {path} is damaged ("), command
        assert "restore it from a backup" in result.stderr
        assert "Traceback" not in result.stderr
    zh = run_cli("--lang", "zh", "init", database_url=url)
    assert zh.stderr.startswith(f"error: 数据库文件 {path} 已损坏")
    _app(url, monkeypatch)
    for script in ("app.py", "pages/hotels.py", "pages/testing.py"):
        app = AppTest.from_file(page_path(script), default_timeout=60)
        app.query_params["lang"] = "en"
        app.run()
        assert not app.exception, script
        assert str(path) in app.error[0].value and "is damaged" in app.error[0].value
        assert not app.metric and not app.dataframe, script  # no partial page


# --- Several processes starting at once ----------------------------------------------------

APP_START = """
import sys
from data.bootstrap import prepare_database
from data.db import make_engine
engine = make_engine(sys.argv[1])
print("seeded" if prepare_database(engine, seed_demo_if_empty=True) else "found")
"""


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_app_servers_and_commands_starting_at_once_make_everything_once(
    backend: str, tmp_path: Path
) -> None:
    with empty_database(backend, tmp_path) as url:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
        commands = [[sys.executable, "-c", APP_START, url] for _ in range(3)]
        commands += [[sys.executable, "-m", "data", "init"]] * 2
        commands += [[sys.executable, "-m", "data", "status"]]
        started = [
            subprocess.Popen(
                c, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for c in commands
        ]
        outcomes = [(*p.communicate(timeout=600), p.returncode) for p in started]
        outcomes = [(code, out, err) for out, err, code in outcomes]
        for code, _out, err in outcomes:
            assert code == 0, err
            assert not err.strip(), err
        assert sorted(out.strip() for _, out, _ in outcomes[:3]) == ["found", "found", "seeded"]
        engine = make_engine(url)
        with Session(engine) as session:
            districts = session.scalars(select(models.District.code)).all()
            scenarios = session.scalars(select(models.DatasetInfo.key)).all()
            facilities = session.scalars(select(models.Facility.code)).all()
        engine.dispose()
        assert len(districts) == 11
        assert scenarios.count("scenario") == 1
        assert len(facilities) == len(set(facilities)) > 100


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_seeds_at_once_one_loads_the_other_says_why(backend: str, tmp_path: Path) -> None:
    with empty_database(backend, tmp_path) as url:
        assert run_cli("init", database_url=url).returncode == 0
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
        seeds = [
            subprocess.Popen(
                [sys.executable, "-m", "data", "--lang", "en", "seed"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outcomes = sorted(
            (code, out, err)
            for out, err, code in ((*p.communicate(timeout=600), p.returncode) for p in seeds)
        )
        (ok, ok_out, _), (refused, _, why) = outcomes
        assert (ok, refused) == (0, 1)
        assert "seeded the demo scenario" in ok_out
        assert why == (
            "error: the database already holds data; use --replace to delete it and load the "
            "demo scenario\n"
        )


# --- Backups ------------------------------------------------------------------------------


def _overview(app: AppTest) -> dict[str, str]:
    app.run()
    assert not app.exception
    return {metric.label: metric.value for metric in app.metric}


@pytest.mark.replay_at("2021-06-10 20:00")
def test_a_backup_taken_while_the_app_runs_restores_every_figure(
    app_database: str, engine: Engine, tmp_path: Path
) -> None:
    seed_demo(engine, anchor_date=date(2021, 6, 10))
    # The seed leaves PostgreSQL's planner statistics fresh (a fresh load planned as empty
    # tables took 0.7 s for the rooms of one past day, against 20 ms).
    if engine.dialect.name == "postgresql":
        assert planner_rows(engine, "testingsitereport") == row_count(engine, "testingsitereport")
    app = open_app("app.py", role="admin", timeout=60)
    app.query_params["lang"] = "en"
    figures = _overview(app)
    assert int(figures["Local infections in total"].replace(",", "")) > 50
    before = table_rows(engine)
    file = tmp_path / "backup.bin"
    made = run_cli("--lang", "en", "backup", str(file), database_url=app_database)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("backed up ") and str(file) in made.stdout
    again = run_cli("backup", str(file), database_url=app_database)
    assert again.returncode == 2 and "exists already" in again.stderr
    # Everything changes: another scenario, ending two days later.
    seed_demo(engine, anchor_date=date(2021, 6, 8), replace=True)
    assert _overview(app) != figures
    restored = run_cli("--lang", "en", "restore", str(file), database_url=app_database)
    assert restored.returncode == 0, restored.stderr
    assert "restored " in restored.stdout
    engine.dispose()
    after = table_rows(engine)
    counter = after.pop("changecounter")
    assert counter[0][1] > before.pop("changecounter")[0][1]  # open pages re-read
    assert after == before
    assert _overview(app) == figures  # the open page, at its next run
    if engine.dialect.name == "postgresql":  # restored rows, and statistics of them
        assert planner_rows(engine, "testingsitereport") == row_count(engine, "testingsitereport")
    missing = run_cli("restore", str(tmp_path / "nothing.bin"), database_url=app_database)
    assert missing.returncode == 2 and "no backup file" in missing.stderr
