"""The data admin page (import, export and templates) and the change log page, as their
users see them (AppTest), and who is shown them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data import models
from data.writes import Actor
from tests.conftest import open_app
from tests.factories import at, make_facility, make_round

LIWAN = "440103"
HEADER = "site code,round number,report time,open,sampled,results out,positives\n"
GOOD = "LW-001,1,2021-05-27 09:00,yes,120,100,1\nLW-001,1,2021-05-27 10:00,yes,30,20,0\n"


def _page(script: str, *, lang: str = "en", **who: object) -> AppTest:
    app = open_app(script, **who)
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    return app


def _site(engine: Engine) -> None:
    with Session(engine) as session:
        make_facility(session, code="LW-001", district_code=LIWAN)
        make_facility(session, code="YX-001", district_code="440104")
        make_round(session, start_at=at("2021-05-26 00:00"), deadline_at=at("2021-06-01 00:00"))


def _reports(engine: Engine) -> int:
    with Session(engine) as session:
        return session.execute(
            select(func.count()).select_from(models.TestingSiteReport)
        ).scalar_one()


def _upload(app: AppTest, name: str, content: bytes) -> AppTest:
    app.file_uploader(key="import_file").upload(name, content, "text/csv")
    app.run()
    app.button(key="import_go").click()
    app.run()
    assert not app.exception
    return app


def test_an_admin_imports_a_good_file(app_database: str, engine: Engine) -> None:
    _site(engine)
    app = _page("pages/admin.py", role="admin")
    assert [tab.label for tab in app.tabs] == ["Import", "Export & templates", "Accounts & screens"]
    _upload(app, "reports.csv", (HEADER + GOOD).encode())
    assert [s.value for s in app.success] == [
        "Imported Testing-site reports: 2 rows, 2 added, 0 updated, 0 unchanged"
    ]
    assert _reports(engine) == 2


def test_a_bad_file_lists_every_problem_and_writes_nothing(
    app_database: str, engine: Engine
) -> None:
    _site(engine)
    app = _page("pages/admin.py", role="admin", lang="zh")
    bad = HEADER + "LW-001,1,2021-05-27 09:00,yes,-1,0,0\nLW-404,1,2021-05-27 09:00,yes,1,0,0\n"
    _upload(app, "bad.csv", bad.encode("gbk"))
    assert [e.value for e in app.error] == ["未导入任何数据：文件中有 2 处问题"]
    table = app.dataframe[0].value
    assert table.to_dict("records") == [
        {"行": 2, "列": "采样数", "原因": "采样数不能为负数（-1）"},
        {"行": 3, "列": "采样点编码", "原因": "设施中没有编号为 LW-404 的记录"},
    ]
    assert _reports(engine) == 0


def test_a_malformed_upload_gets_a_message(app_database: str, engine: Engine) -> None:
    _site(engine)
    app = _page("pages/admin.py", role="admin")
    _upload(app, "picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert [e.value for e in app.error] == ["picture.csv is not a spreadsheet but a PNG file"]


def test_a_duty_officer_may_import_only_within_their_scope(
    app_database: str, engine: Engine
) -> None:
    _site(engine)
    app = _page("pages/admin.py", role="duty_officer", district_codes=(LIWAN,))
    assert "You may import data only within your scope: Liwan" in [c.value for c in app.caption]
    _upload(app, "other.csv", (HEADER + "YX-001,,2021-05-27 09:00,yes,1,0,0\n").encode())
    assert app.dataframe[0].value.to_dict("records") == [
        {
            "Row": 2,
            "Column": "",
            "Reason": "test-duty-officer-440103 may change data only within their own scope "
            "(Yuexiu is outside it)",
        }
    ]
    assert _reports(engine) == 0


def test_leadership_cannot_use_the_admin_page(app_database: str) -> None:
    app = _page("pages/admin.py", role="leadership")
    assert [e.value for e in app.error] == [
        "Only admins and duty officers may use the data admin page."
    ]
    assert not app.file_uploader


@pytest.mark.parametrize(
    ("role", "admin", "changelog"),
    [
        ("admin", True, True),
        ("duty_officer", True, False),
        ("leadership", False, True),
        ("auditor", False, False),
        ("screen", False, False),
    ],
)
def test_who_sees_which_admin_page_in_the_navigation(role, admin, changelog) -> None:
    from app import may_use

    actor = Actor(name="x", role=role, district_codes=frozenset({LIWAN}))
    assert (may_use(actor, "may_import"), may_use(actor, "log_reader")) == (admin, changelog)


def test_leadership_reads_the_change_log_with_before_and_after(
    app_database: str, engine: Engine
) -> None:
    _site(engine)
    app = _page("pages/admin.py", role="admin")
    _upload(app, "reports.csv", (HEADER + GOOD).encode())
    _upload(app, "reports.csv", (HEADER + GOOD.replace(",120,", ",125,")).encode())
    log = _page("pages/changelog.py", role="leadership")
    log.selectbox(key="log_table").select("testingsitereport")
    log.run()
    assert log.caption[0].value == "2 entries"
    table = log.dataframe[0].value
    first = table.iloc[0].to_dict()
    assert first["Who"] == "test-admin-city"
    assert first["What"] == "Testing-site reports"  # it added no record: no id range
    assert first["Before → after"] == (
        "Bulk import of 2 rows: 0 added, 1 updated, 1 unchanged · reports.csv"
    )
    # The batch opens to its rows: the replaced report, before -> after.
    log.selectbox(key="log_batch").select_index(1)
    log.run()
    rows = log.dataframe[1].value
    assert rows.iloc[0]["Before → after"] == "Sampled: 120 → 125"
    assert rows.iloc[0]["Action"] == "changed"
    # Filters: another user, a district.
    log.selectbox(key="log_table").select(None)
    log.selectbox(key="log_user").select("system")
    log.run()
    assert set(log.dataframe[0].value["Who"]) == {"system"}
    log.selectbox(key="log_user").select(None)
    log.selectbox(key="log_district").select("440104")
    log.run()
    assert list(log.dataframe[0].value["What"].str.split(" ").str[0]) == ["Facilities"]


def test_a_duty_officer_cannot_read_the_change_log(app_database: str) -> None:
    app = _page("pages/changelog.py", role="duty_officer", district_codes=(LIWAN,))
    assert [e.value for e in app.error] == ["Only admins and leadership may see the change log."]
    assert not app.dataframe


# --- Accounts and wall-screen tokens (admins) -------------------------------------------------


def _errors(app: AppTest) -> list[str]:
    return [error.value.replace("\\", "") for error in app.error]


def test_only_admins_see_the_accounts_tab(app_database: str, engine: Engine) -> None:
    _site(engine)
    app = _page("pages/admin.py", role="duty_officer", district_codes=(LIWAN,))
    assert [tab.label for tab in app.tabs] == ["Import", "Export & templates"]


def test_an_admin_adds_a_duty_officer_who_can_then_sign_in(
    app_database: str, engine: Engine
) -> None:
    from data import accounts

    app = _page("pages/admin.py", role="admin")
    app.text_input(key="user_add.username").input("wang.fang")
    app.selectbox(key="user_add.role").set_value("duty_officer")
    app.multiselect(key="user_add.district_codes").set_value([LIWAN])
    app.text_input(key="user_add.password").input("short")
    app.button(key="user_add.submit").click().run()
    # Refused under the password, what was typed kept, nothing written.
    assert _errors(app) == ["Password must be at least 10 characters long"]
    assert app.text_input(key="user_add.username").value == "wang.fang"
    app.text_input(key="user_add.password").input("a long enough pass")
    app.button(key="user_add.submit").click().run()
    assert not app.exception and not _errors(app)
    table = app.tabs[2].dataframe[0].value
    row = table[table["User name"] == "wang.fang"].iloc[0]
    assert (row["Role"], row["Scope"], row["Status"]) == ("Duty officer", "Liwan", "● Active")
    with Session(engine) as session:
        signed = accounts.authenticate(
            session, username="wang.fang", password="a long enough pass", client="t"
        )
        assert signed.actor is not None and signed.actor.district_codes == frozenset({LIWAN})
    # Disabled: the table says so, and the account can no longer sign in.
    app.selectbox(key="admin_user_choice").set_value("wang.fang").run()
    app.button(key="user_change_wang.fang.submit").click().run()
    assert not _errors(app)
    table = app.tabs[2].dataframe[0].value
    assert table[table["User name"] == "wang.fang"].iloc[0]["Status"] == "○ Disabled"


def test_an_admin_issues_a_screen_token_shown_once_and_revokes_it(
    app_database: str, engine: Engine
) -> None:
    from data import accounts

    app = _page("pages/admin.py", role="admin")
    app.text_input(key="screen_issue.name").input("hall-1")
    app.button(key="screen_issue.submit").click().run()
    (token,) = [code.value for code in app.code]
    with Session(engine) as session:
        assert accounts.resolve_screen_token(session, token).name == "screen:hall-1"
    app.run()  # shown once: the next run no longer has it
    assert [code.value for code in app.code] == []
    app.button(key="screen_revoke.submit").click().run()
    table = app.tabs[2].dataframe[-1].value
    assert list(table["Status"]) == ["○ Revoked"]
    with Session(engine) as session:
        assert accounts.resolve_screen_token(session, token) is None
