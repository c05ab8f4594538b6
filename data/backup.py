"""Backups: a consistent copy of the database while the app runs, and putting one back.

SQLite: the online backup API (a snapshot of one moment, however many writers), into a new
SQLite file. PostgreSQL: `pg_dump --format=custom` and `pg_restore --single-transaction`
(the PostgreSQL client programs must be installed; otherwise the command says what to run).
A backup is written under a temporary name and renamed when complete, so a stopped backup
never leaves a partial file under the name asked for; a restore is one transaction, so a
stopped restore leaves the database as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from data.db import (
    SQLITE_BUSY_MS,
    DatabaseDamaged,
    DatabaseProblem,
    gather_statistics,
    schema_lock,
    sqlite_path,
    upgrade_locked,
)


class BackupError(DatabaseProblem):
    """A backup or restore that cannot be made; `key` names the message."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.key = key


@dataclass(frozen=True)
class BackupResult:
    file: Path
    size: int


def backup(engine: Engine, file: Path) -> BackupResult:
    """Copy the database to `file` (which must not exist yet)."""
    if file.exists():
        raise BackupError("backup.exists", f"{file} exists already", file=str(file))
    partial = file.with_name(file.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, partial)
        else:
            _run_tool(
                "pg_dump",
                ["--format=custom", "--no-owner", f"--file={partial}"],
                engine,
            )
        os.replace(partial, file)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(file=file, size=file.stat().st_size)


def _sqlite_backup(engine: Engine, target: Path) -> None:
    source_path = sqlite_path(engine)
    if source_path is None:
        raise BackupError("backup.not_backup", "in-memory database", file=":memory:", reason="-")
    source = sqlite3.connect(source_path, timeout=SQLITE_BUSY_MS / 1000)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        copy.commit()
    finally:
        copy.close()
        source.close()


def restore(engine: Engine, file: Path) -> str | None:
    """Replace the database's contents by the backup in `file`; then migrate it to this
    version's schema and raise the change counter past both (open pages re-read). Returns
    the schema revision."""
    if not file.is_file():
        raise BackupError("backup.no_file", f"no backup file {file}", file=str(file))
    before = _counter(engine)
    with schema_lock(engine) as connection:
        if engine.dialect.name == "sqlite":
            _sqlite_restore(engine, file)
        else:
            _run_tool(
                "pg_restore",
                ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(file)],
                engine,
            )
        connection.rollback()
        upgrade_locked(engine, connection)
        restored = _counter(engine)
        connection.execute(
            text("UPDATE changecounter SET value = :value WHERE id = 1"),
            {"value": max(before, restored) + 1},
        )
        connection.commit()
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.rollback()
    gather_statistics(engine)  # pg_restore loads rows, not the planner's statistics
    engine.dispose()  # no pooled connection keeps the old file's pages
    return revision


def _sqlite_restore(engine: Engine, file: Path) -> None:
    try:
        backup_db = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in backup_db.execute("PRAGMA quick_check")]
            tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise BackupError(
                "backup.not_backup", str(error), file=str(file), reason=str(error)
            ) from None
        if problems != ["ok"]:
            raise DatabaseDamaged(str(file), problems[0])
        if "alembic_version" not in tables:
            raise BackupError(
                "backup.not_backup",
                "no schema revision in it",
                file=str(file),
                reason="no alembic_version",
            )
        target = sqlite3.connect(sqlite_path(engine), timeout=SQLITE_BUSY_MS / 1000)
        try:
            # One step: the target's pages are replaced in one write transaction (readers
            # see the old data until it commits; a kill rolls it back).
            backup_db.backup(target)
        finally:
            target.close()
    finally:
        backup_db.close()


def _counter(engine: Engine) -> int:
    try:
        with engine.connect() as connection:
            value = connection.execute(text("SELECT value FROM changecounter WHERE id = 1"))
            return int(value.scalar() or 0)
    except Exception:  # noqa: BLE001 - an empty database has none
        return 0


def _run_tool(tool: str, arguments: list[str], engine: Engine) -> None:
    """Run pg_dump or pg_restore on the engine's database (password via the environment,
    never on the command line)."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    connection = [
        f"--host={url.host or 'localhost'}",
        f"--port={url.port or 5432}",
        f"--username={url.username or os.environ.get('USER', 'postgres')}",
        f"--dbname={url.database}",
    ]
    program = shutil.which(tool)
    if program is None:
        shown = " ".join([tool, *connection, *arguments])
        raise BackupError(
            "backup.tool_missing", f"{tool} is not installed", tool=tool, command=shown
        )
    finished = subprocess.run(
        [program, *connection, *arguments],
        env=env,
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        reason = (finished.stderr.strip().splitlines() or [f"exit {finished.returncode}"])[0]
        raise BackupError(
            "backup.tool_failed", f"{tool} failed: {reason}", tool=tool, reason=reason
        )
