"""The admin command line, run as a user would: `python -m data ...` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from data import accounts
from data.__main__ import main
from data.db import head_revision, make_engine
from tests.conftest import ROOT


def run_cli(
    *args: str, database_url: str | None = None, stdin: str = ""
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "data", *args],
        cwd=ROOT,
        env=env,
        input=stdin,  # a pipe, not a terminal: the password is its first line
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_init_creates_the_schema_and_status_reports_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("init", database_url=url)
    assert result.returncode == 0, result.stderr
    assert f"schema ready at revision {head_revision()}" in result.stdout
    status = run_cli("status", database_url=url)
    assert status.returncode == 0
    assert f"revision: {head_revision()}" in status.stdout
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
    # The demo's accounts and their (new) passwords are printed after seeding.
    assert "demo accounts (shown on the sign-in page while the data is the demo):" in (
        replaced.stdout
    )
    lines = {
        line.split()[0]: line.split() for line in replaced.stdout.splitlines() if "demo-" in line
    }
    assert set(lines) == {"demo-leader", "demo-officer", "demo-auditor", "demo-admin"}
    assert lines["demo-officer"][2:] == ["duty_officer", "荔湾区", "Liwan"]
    assert lines["demo-leader"][2:] == ["leadership", "whole", "city"]
    first_passwords = {line.split()[1] for line in first.stdout.splitlines() if "demo-" in line}
    assert first_passwords.isdisjoint(line[1] for line in lines.values())
    # Read off a screen and typed: 14 characters, none that looks like another (0/O, 1/l/I).
    for _, password, *_rest in lines.values():
        assert len(password) == 14
        assert not set(password) & set("0Oo1lIi5Ss2Zz8BgqUVmuv_-")


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


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    # The entry point itself once; each command's help from its parser (a process each
    # would spend two seconds starting Python and its imports for the same text).
    result = run_cli("--help")
    assert result.returncode == 0
    assert "usage: python -m data" in result.stdout
    for words in [
        *[(command,) for command in ("init", "seed", "rebuild-state", "status", "users")],
        *[("users", action) for action in USER_ACTIONS],
    ]:
        with pytest.raises(SystemExit) as exit_code:
            main([*words, "--help"])
        assert exit_code.value.code == 0
        assert f"usage: python -m data {' '.join(words)}" in capsys.readouterr().out


USER_ACTIONS = ("add", "list", "disable", "enable", "reset-password", "screen-token")


# --- Accounts ------------------------------------------------------------------------------

PASSWORD = "correct horse battery\n"


def test_the_first_admin_is_created_on_the_command_line_and_can_sign_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    added = run_cli("users", "add", "Root", "--role", "admin", database_url=url, stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    assert added.stdout == "user root added (admin)\n"
    officer = run_cli(
        "users",
        "add",
        "wang",
        "--role",
        "duty_officer",
        "--district",
        "440103",
        "--district",
        "440104",
        "--display-name",
        "王芳",
        database_url=url,
        stdin="another password\nignored second line\n",
    )
    assert officer.returncode == 0, officer.stderr
    listed = run_cli("users", "list", database_url=url)
    assert listed.returncode == 0
    rows = [line.split() for line in listed.stdout.splitlines()[1:]]
    assert rows == [
        ["root", "admin", "yes", "city", "-", "Root"],  # shown as typed
        ["wang", "duty_officer", "yes", "440103,440104", "-", "王芳"],
    ]
    engine = make_engine(url)
    with Session(engine) as session:
        signed_in = accounts.authenticate(
            session, username="wang", password="another password", client="local"
        )
        assert signed_in.actor is not None
        assert signed_in.actor.district_codes == {"440103", "440104"}
    engine.dispose()


def test_bad_input_to_users_add_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bad-users.db'}"
    bad_role = run_cli("users", "add", "li-wei", "--role", "boss", database_url=url, stdin=PASSWORD)
    assert bad_role.returncode == 2
    assert bad_role.stderr.splitlines()[-1] == (
        "python -m data users add: error: argument --role: invalid choice: 'boss' (choose from "
        "'leadership', 'duty_officer', 'auditor', 'admin')"
    )
    short = run_cli("users", "add", "li-wei", "--role", "admin", database_url=url, stdin="short\n")
    assert (short.returncode, short.stderr) == (
        2,
        "error: Password must be at least 10 characters long\n",
    )
    short_zh = run_cli(
        "--lang", "zh", "users", "add", "li-wei", "--role", "admin", database_url=url, stdin="x\n"
    )
    assert (short_zh.returncode, short_zh.stderr) == (2, "error: 密码至少需要 10 个字符\n")
    empty = run_cli("users", "add", "li-wei", "--role", "admin", database_url=url)
    assert empty.returncode == 2
    assert empty.stderr.startswith("error: no password on standard input")
    listed = run_cli("users", "list", database_url=url)
    assert "no accounts" in listed.stdout


def test_refused_account_writes_say_why_and_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'refused.db'}"
    assert (
        run_cli(
            "users", "add", "li-wei", "--role", "leadership", database_url=url, stdin=PASSWORD
        ).returncode
        == 0
    )
    again = run_cli("users", "add", "LI-WEI", "--role", "admin", database_url=url, stdin=PASSWORD)
    assert (again.returncode, again.stderr) == (1, "error: User name li-wei already exists\n")
    unscoped = run_cli(
        "users", "add", "wang", "--role", "duty_officer", database_url=url, stdin=PASSWORD
    )
    assert (unscoped.returncode, unscoped.stderr) == (
        1,
        "error: A duty officer needs at least one district or facility\n",
    )
    no_hotel = run_cli(
        "users",
        "add",
        "wang",
        "--role",
        "duty_officer",
        "--facility",
        "H-1",
        database_url=url,
        stdin=PASSWORD,
    )
    assert (no_hotel.returncode, no_hotel.stderr) == (
        1,
        "error: Facilities: no facility has the code H-1\n",
    )
    nobody = run_cli("users", "disable", "nobody", database_url=url)
    assert (nobody.returncode, nobody.stderr) == (1, "error: There is no user named nobody\n")


def test_disable_enable_and_reset_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'manage.db'}"
    run_cli("users", "add", "li-wei", "--role", "leadership", database_url=url, stdin=PASSWORD)
    engine = make_engine(url)

    def sign_in(password: str) -> str | None:
        with Session(engine) as session:
            return accounts.authenticate(
                session, username="li-wei", password=password, client="local"
            ).problem

    disabled = run_cli("users", "disable", "li-wei", database_url=url)
    assert (disabled.returncode, disabled.stdout) == (0, "user li-wei disabled\n")
    assert sign_in("correct horse battery") == "disabled"
    assert "li-wei" in run_cli("users", "list", database_url=url).stdout.split("\n")[1]
    assert run_cli("users", "enable", "li-wei", database_url=url).returncode == 0
    reset = run_cli("users", "reset-password", "li-wei", database_url=url, stdin="a new password\n")
    assert reset.returncode == 0, reset.stderr
    assert sign_in("correct horse battery") == "bad_credentials"
    assert sign_in("a new password") is None
    engine.dispose()


def test_screen_tokens_are_printed_once_listed_and_revoked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'screens.db'}"
    issued = run_cli("users", "screen-token", "issue", "hall-1", database_url=url)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert len(token) >= 40 and "\n" not in token
    assert "shown this once" in issued.stderr
    listed = run_cli("users", "screen-token", "list", database_url=url)
    assert listed.stdout.splitlines()[1].split()[:2] == ["hall-1", "yes"]
    assert token not in listed.stdout
    engine = make_engine(url)
    with Session(engine) as session:
        assert accounts.resolve_screen_token(session, token).name == "screen:hall-1"
    revoked = run_cli("users", "screen-token", "revoke", "hall-1", database_url=url)
    assert (revoked.returncode, revoked.stdout) == (0, "screen token hall-1 revoked\n")
    with Session(engine) as session:
        assert accounts.resolve_screen_token(session, token) is None
    engine.dispose()
    unknown = run_cli("users", "screen-token", "revoke", "hall-9", database_url=url)
    assert (unknown.returncode, unknown.stderr) == (
        1,
        "error: There is no wall-screen token named hall-9\n",
    )


def _officer_and_site(url: str) -> None:
    from data.db import upgrade_schema
    from data.writes import SYSTEM, create_user
    from tests.factories import make_facility

    engine = make_engine(url)
    upgrade_schema(engine)
    with Session(engine) as session:
        make_facility(session, code="LW-001", district_code="440103")
        make_facility(session, code="YX-001", district_code="440104")
        create_user(
            session,
            actor=SYSTEM,
            username="wang",
            role="duty_officer",
            password="correct horse battery",
            district_codes=["440103"],
        )
    engine.dispose()


def test_import_help_lists_the_kinds() -> None:
    result = run_cli("import", "--help")
    assert result.returncode == 0
    assert "Kinds: site-reports, hotel-reports, stock-counts, cases, zones." in " ".join(
        result.stdout.split()
    )


def test_import_export_and_template_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'transfer.db'}"
    _officer_and_site(url)
    good = tmp_path / "reports.csv"
    good.write_text("采样点编码,上报时间,采样数\nLW-001,2021-05-27 09:00,30\n", encoding="gbk")
    imported = run_cli(
        "--lang", "en", "import", "site-reports", str(good), "--user", "wang", database_url=url
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == (
        "Imported Testing-site reports: 1 row, 1 added, 0 updated, 0 unchanged"
    )
    again = run_cli(
        "--lang", "zh", "import", "site-reports", str(good), "--user", "wang", database_url=url
    )
    assert again.stdout.strip() == "已导入采样点报告：共 1 行，新增 0，更新 0，未变 1"
    outside = tmp_path / "outside.csv"
    outside.write_text("site code,report time,sampled\nYX-001,2021-05-27 09:00,-3\n")
    refused = run_cli(
        "--lang", "en", "import", "site-reports", str(outside), "--user", "wang", database_url=url
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "Nothing was imported: the file has 1 problem",
        "Row 2: Sampled cannot be negative (-3)",
    ]
    picture = tmp_path / "picture.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    bad = run_cli(
        "--lang", "en", "import", "site-reports", str(picture), "--user", "wang", database_url=url
    )
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: picture.csv is not a spreadsheet but a PNG file"
    unknown = run_cli("import", "site-reports", str(good), "--user", "nobody", database_url=url)
    assert unknown.returncode == 1
    exported = run_cli("--lang", "en", "export", "site-reports", database_url=url)
    assert exported.returncode == 0
    assert exported.stdout.splitlines()[1] == "LW-001,,2021-05-27 09:00,yes,30,0,0,0,0"
    target = tmp_path / "template.xlsx"
    template = run_cli(
        "template", "site-reports", "--format", "xlsx", "-o", str(target), database_url=url
    )
    assert template.returncode == 0, template.stderr
    assert target.read_bytes().startswith(b"PK")
