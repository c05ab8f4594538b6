"""A SIGKILL at any moment of `init`, `seed`, `seed --replace` or an import leaves the
database as it was (or, killed after its commit, as the command left it), and the same
command run again succeeds; SQLite and PostgreSQL.

Each command is first run to the end to measure how long it takes, then killed at several
points of that duration (halfway, and just before its commit). Before each kill, the
database is put back as it was from a copy taken at that state (a file copy on SQLite, a
template database on PostgreSQL), rather than by running the commands that made it again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from data import models
from data.db import current_revision, head_revision, make_engine
from tests.conftest import ROOT
from tests.test_faults import empty_database

# Halfway (Python has started; the command is reading or writing) and just before the
# commit; a kill during Python's start-up (0.3 before) showed nothing these two do not.
POINTS = (0.5, 0.95)
# The imported reports' first time: 2021-06-11 00:00 in Guangzhou, after the demo's last.
IMPORTED_FROM = datetime(2021, 6, 10, 16, tzinfo=UTC)


def _start(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(url: str, *args: str) -> float:
    started = time.monotonic()
    process = _start(url, *args)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return time.monotonic() - started


def _kill_after(url: str, seconds: float, *args: str) -> None:
    process = _start(url, *args)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)


def _state(engine: Engine) -> dict:
    """What a reader sees: the revision, rows per table, and which scenario is loaded."""
    revision = current_revision(engine)
    if revision is None:
        return {"revision": None}
    with Session(engine) as session:
        counts = {
            model.__tablename__: session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (
                models.District,
                models.Facility,
                models.Case,
                models.TestingSiteReport,
                models.HotelReport,
                models.StockReport,
                models.Audit,
                models.User,
            )
        }
        scenario = session.get(models.DatasetInfo, "scenario")
    anchor = json.loads(scenario.value)["anchor_date"] if scenario else None
    engine.dispose()
    return {"revision": revision, "counts": counts, "anchor": anchor}


def _killed_at_points(
    url: str, args: tuple[str, ...], duration: float, reset: Callable[[], dict], done: dict
) -> None:
    """Kill the command at each point; each time the database is as before or as done."""
    engine = make_engine(url)
    for point in POINTS:
        before = reset()
        _kill_after(url, duration * point, *args)
        after = _state(engine)
        assert after in (before, done), (point, before, after)
    engine.dispose()


class Snapshots:
    """Copies of a test's database taken at a known state, restored in a second or two
    instead of running the commands that made it again (a demo seed takes 5-15 s)."""

    def __init__(self, backend: str, url: str, engine: Engine, folder: Path) -> None:
        self.backend, self.url, self.engine, self.folder = backend, url, engine, folder
        self.taken: list[str] = []

    def _sqlite_files(self, name: str) -> tuple[Path, Path]:
        return Path(make_url(self.url).database), self.folder / f"snapshot-{name}.db"

    def _admin(self) -> Engine:
        return make_engine(
            make_url(self.url).set(database="postgres").render_as_string(False),
            isolation_level="AUTOCOMMIT",
        )

    def _copy(self, source: str, target: str) -> None:
        """CREATE DATABASE target as a copy of source (no one may be connected to source)."""
        admin = self._admin()
        try:
            with admin.connect() as connection:
                connection.execute(
                    text(
                        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        f"WHERE datname = '{source}' AND pid <> pg_backend_pid()"
                    )
                )
                connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
        finally:
            admin.dispose()

    def take(self, name: str) -> dict:
        """Keep a copy of the database as it is now; what a reader sees of it."""
        self.engine.dispose()
        if self.backend == "sqlite":
            live, copy = self._sqlite_files(name)
            source, target = sqlite3.connect(live), sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            database = make_url(self.url).database
            self._copy(database, f"{database}_{name}")
            self.taken.append(f"{database}_{name}")
        return _state(self.engine)

    def restore(self, name: str) -> dict:
        """The database as it was when `name` was taken; what a reader sees of it."""
        if self.backend == "sqlite":
            return self.load(str(self._sqlite_files(name)[1]))
        return self.load(f"{make_url(self.url).database}_{name}")

    def load(self, source: str) -> dict:
        """The database made a copy of `source` (a file on SQLite, a database's name on
        PostgreSQL, nobody connected to it); what a reader sees of it."""
        self.engine.dispose()
        if self.backend == "sqlite":
            live = Path(make_url(self.url).database)
            # A new file, not the old one written over: nothing may still map the old one.
            for suffix in ("", "-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(source, live)
        else:
            self._copy(source, make_url(self.url).database)
        return _state(self.engine)

    def drop(self) -> None:
        if not self.taken:
            return
        admin = self._admin()
        try:
            with admin.connect() as connection:
                for name in self.taken:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


@contextmanager
def _database(
    backend: str, tmp_path: Path
) -> Iterator[tuple[str, Engine, Callable[[], dict], Snapshots]]:
    """An empty database of `backend`, its engine, a function that empties it again, and
    its snapshots."""
    with empty_database(backend, tmp_path) as url:
        engine = make_engine(url)
        snapshots = Snapshots(backend, url, engine, tmp_path)

        def empty() -> dict:
            if backend == "sqlite":
                engine.dispose()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{tmp_path / 'fresh.db'}{suffix}").unlink(missing_ok=True)
            else:
                with engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE"))
                    connection.execute(text("CREATE SCHEMA public"))
            return _state(engine)

        empty()
        try:
            yield url, engine, empty, snapshots
        finally:
            engine.dispose()
            snapshots.drop()


SEED = ("seed", "--anchor-date", "2021-06-10")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """A database of each backend holding the demo as `init` and `seed` leave it, made once
    for the module (by those commands): a file on SQLite, a database's name on PostgreSQL.
    The tests that start from the demo copy it (`Snapshots.load`) instead of seeding again,
    15-40 s each on CI's machine."""
    made: dict[str, str] = {}
    with ExitStack() as stack:

        def source(backend: str) -> str:
            if backend not in made:
                folder = tmp_path_factory.mktemp(f"seeded-{backend}")
                url = stack.enter_context(empty_database(backend, folder))
                _run(url, "init")
                _run(url, *SEED)
                made[backend] = make_url(url).database
                if backend == "sqlite":  # all of it in the file that is copied
                    with closing(sqlite3.connect(made[backend])) as connection:
                        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return made[backend]

        yield source


# Each command is killed in a test of its own (they share the module's seeded copies, so
# they run in one process, the slow ones first: tests.schedule).
BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"])


@BACKENDS
def test_a_killed_init_leaves_the_database_as_it_was(backend: str, tmp_path: Path) -> None:
    # init: from nothing to the newest schema with the districts.
    with _database(backend, tmp_path) as (url, engine, empty, _):
        duration = _run(url, "init")
        initialised = _state(engine)
        assert initialised["revision"] == head_revision()
        _killed_at_points(url, ("init",), duration, empty, initialised)
        _run(url, "init")
        assert _state(engine) == initialised


@BACKENDS
def test_a_killed_seed_leaves_the_database_as_it_was(backend: str, tmp_path: Path) -> None:
    # seed: from an initialised, empty database to the demo.
    with _database(backend, tmp_path) as (url, engine, _, snapshots):
        _run(url, "init")
        initialised = snapshots.take("initialised")
        duration = _run(url, *SEED)
        seeded = _state(engine)
        assert seeded["counts"]["case"] > 100
        assert snapshots.restore("initialised") == initialised

        def initialised_only() -> dict:
            return snapshots.restore("initialised")

        _killed_at_points(url, SEED, duration, initialised_only, seeded)
        if _state(engine) != seeded:
            _run(url, *SEED)
        assert _state(engine) == seeded


@BACKENDS
def test_a_killed_seed_replace_leaves_the_old_scenario_or_the_new_one_whole(
    backend: str, tmp_path: Path, seeded: Callable[[str], str]
) -> None:
    # seed --replace: the old scenario, or the new one whole; never neither.
    with _database(backend, tmp_path) as (url, engine, _, snapshots):
        snapshots.load(seeded(backend))
        old = snapshots.take("old")
        assert old["anchor"] == "2021-06-10"
        replace = ("seed", "--replace", "--anchor-date", "2021-06-08")
        duration = _run(url, *replace)
        replaced = _state(engine)
        assert replaced["anchor"] == "2021-06-08"
        assert snapshots.restore("old") == old

        def old_scenario() -> dict:
            return snapshots.restore("old")

        _killed_at_points(url, replace, duration, old_scenario, replaced)
        _run(url, *replace)
        assert _state(engine) == replaced


@BACKENDS
def test_a_killed_import_writes_all_of_its_file_or_none(
    backend: str, tmp_path: Path, seeded: Callable[[str], str]
) -> None:
    # import: a file of 20,000 testing-site reports, all of it or none.
    with _database(backend, tmp_path) as (url, engine, _, snapshots):
        snapshots.load(seeded(backend))
        with Session(engine) as session:
            sites = session.scalars(
                select(models.Facility.code).where(models.Facility.kind == "testing_site")
            ).all()
        file = tmp_path / "reports.csv"
        lines = ["site code,report time,sampled"]
        for number in range(20_000):
            minute = number // len(sites)
            lines.append(
                f"{sites[number % len(sites)]},2021-06-11 {minute // 60:02d}:{minute % 60:02d},3"
            )
        file.write_text("\n".join(lines) + "\n")
        importing = ("import", "site-reports", str(file), "--user", "demo-admin")
        base = _state(engine)
        duration = _run(url, *importing)
        imported = _state(engine)
        assert imported["counts"]["testingsitereport"] == (
            base["counts"]["testingsitereport"] + 20_000
        )

        def without_import() -> dict:
            report = models.TestingSiteReport
            with engine.begin() as connection:
                connection.execute(delete(report).where(report.reported_at >= IMPORTED_FROM))
            state = _state(engine)
            assert state == base
            return state

        _killed_at_points(url, importing, duration, without_import, imported)
