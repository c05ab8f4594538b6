"""A database that hangs (a PostgreSQL server stopped with SIGSTOP): the page says "database
unavailable, retrying" instead of hanging, and comes back by itself once it answers.

The server is a throwaway one this test starts itself (initdb and pg_ctl in a temporary
folder, on a free port, as the postgres user); the machine's shared server is never touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import text
from sqlmodel import Session

from data.db import make_engine, upgrade_schema
from data.settings import get_settings
from tests.conftest import open_app
from tests.factories import make_case

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(
    not BINARIES or shutil.which("runuser") is None,
    reason="PostgreSQL's server programs (initdb, pg_ctl) are not installed",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(*command: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *command], capture_output=True, text=True, timeout=120, check=True
    )


@pytest.fixture
def throwaway_server() -> Iterator[tuple[str, Path]]:
    """(URL of a database on a PostgreSQL server of this test's own, its data folder)."""
    bin_dir = Path(BINARIES[-1])
    # Not under pytest's folder: the postgres user cannot enter root's.
    folder = Path(tempfile.mkdtemp(prefix="epicc-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    port = _free_port()
    _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    _as_postgres(
        str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
        "-w", "start",
    )  # fmt: skip
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        yield url, data
    finally:
        _signal_server(data, signal.SIGCONT)
        _as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _server_processes(data: Path) -> list[int]:
    """The throwaway server's postmaster and every process it started (and only those)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if int(fields.get("PPid", "0").strip()) == postmaster:
            children.append(int(status.parent.name))
    return [postmaster, *children]


def _signal_server(data: Path, which: signal.Signals) -> None:
    if not (data / "postmaster.pid").exists():
        return
    for pid in _server_processes(data):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, which)


def test_a_hung_database_shows_a_banner_and_the_page_comes_back(
    throwaway_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, data = throwaway_server
    engine = make_engine(url)
    upgrade_schema(engine)
    with Session(engine) as session:
        make_case(session, report_date=date(2021, 6, 10))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_DATA", "0")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("DB_RETRY_SECONDS", "3")
    monkeypatch.setenv("REPLAY_AT", "2021-06-10 20:00")
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        app = open_app("app.py", timeout=120)
        app.query_params["lang"] = "en"
        app.run()
        assert not app.exception and not app.warning
        figures = {metric.label: metric.value for metric in app.metric}
        assert figures["Local infections in total"] == "1"

        _signal_server(data, signal.SIGSTOP)  # the open connections and new ones hang
        app.run()  # returns: it does not wait for the database
        assert not app.exception
        (banner,) = app.warning
        assert banner.value.startswith("Database unavailable, retrying every 3 s")
        assert not app.metric

        _signal_server(data, signal.SIGCONT)
        app.run()  # what the banner's retry does: the same page, no restart
        assert not app.exception and not app.warning
        assert {metric.label: metric.value for metric in app.metric} == figures
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()
        st.cache_data.clear()


def test_an_unreachable_database_at_first_start_gives_the_banner_then_starts(
    throwaway_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, data = throwaway_server
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_DATA", "0")
    monkeypatch.setenv("DB_CONNECT_TIMEOUT", "2")
    get_settings.cache_clear()
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        _signal_server(data, signal.SIGSTOP)
        from streamlit.testing.v1 import AppTest

        from tests.conftest import page_path

        app = AppTest.from_file(page_path("app.py"), default_timeout=120)
        app.query_params["lang"] = "en"
        app.run()
        assert not app.exception
        assert app.warning[0].value.startswith("Database unavailable, retrying")
        _signal_server(data, signal.SIGCONT)
        app.run()
        assert not app.exception and not app.warning
        engine = make_engine(url)
        with engine.connect() as connection:  # the start made the schema after all
            assert connection.execute(text("SELECT count(*) FROM district")).scalar() == 11
        engine.dispose()
    finally:
        get_settings.cache_clear()
        st.cache_resource.clear()
        st.cache_data.clear()
