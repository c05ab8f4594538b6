"""The admin command line, run as a user would: `python -m data ...` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run_cli(*args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_init_creates_the_schema_and_status_reports_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("init", database_url=url)
    assert result.returncode == 0, result.stderr
    assert "schema ready at revision 0003" in result.stdout
    status = run_cli("status", database_url=url)
    assert status.returncode == 0
    assert "revision: 0003" in status.stdout
    assert "district                           11" in status.stdout


def test_seed_loads_the_demo_and_refuses_to_load_it_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    first = run_cli("seed", "--anchor-date", "2021-06-10", database_url=url)
    assert first.returncode == 0, first.stderr
    assert "seeded the demo scenario" in first.stdout
    again = run_cli("seed", database_url=url)
    assert again.returncode == 1
    assert "already holds data; use --replace" in again.stderr
    replaced = run_cli("seed", "--replace", "--anchor-date", "2021-06-10", database_url=url)
    assert replaced.returncode == 0, replaced.stderr


def test_bad_arguments_get_a_clear_message_and_a_non_zero_exit(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    bad_date = run_cli("seed", "--anchor-date", "10/06/2021", database_url=url)
    assert bad_date.returncode == 2
    assert "not a date: '10/06/2021' (expected YYYY-MM-DD" in bad_date.stderr
    bad_scale = run_cli("seed", "--scale", "huge", database_url=url)
    assert bad_scale.returncode == 2
    assert "invalid choice: 'huge'" in bad_scale.stderr
    assert not (tmp_path / "bad.db").exists()


def test_unreachable_database_is_reported_without_a_traceback() -> None:
    result = run_cli(
        "init", database_url="postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2"
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot reach the database at postgresql+psycopg://")
    assert "Traceback" not in result.stderr


def test_every_command_has_help() -> None:
    for command in ("init", "seed", "rebuild-state", "status"):
        result = run_cli(command, "--help")
        assert result.returncode == 0
        assert f"usage: python -m data {command}" in result.stdout
